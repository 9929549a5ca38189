"""How the network changed: per-period analysis, community evolution and trajectories.

:func:`analyze_timeline` walks the periods of a :class:`graph.temporal.Timeline` once, keeping
one working graph that it updates by the ties that appeared or lapsed since the previous
period (never rebuilding from the records), and computes for each snapshot the metrics of
:func:`graph.temporal.snapshot_metrics`, the flows of ties and organisations, Louvain
communities (python-louvain, seeded, warm-started from the previous period's communities with
delta screening: only organisations touched by a changed tie move on their own; snapshots above
``graph.communities.FAST_PATH_THRESHOLD`` organisations run igraph's C Louvain from scratch
instead, which is faster than any warm start in Python) and each organisation's measures.

Community evolution follows Greene, Doyle & Cunningham (2010, *Tracking the evolution of
communities in dynamic social networks*, ASONAM): each period's communities (the *step*
communities, at least ``min_size`` members) are matched to the *fronts* of the dynamic
communities (their latest step community) when the Jaccard overlap |C ∩ F| / |C ∪ F| is at
least θ (default 0.3, the value Greene et al. found robust). Events:

============  ==================================================================
birth         a step community matching no front starts a new dynamic community
death         a dynamic community unmatched for ``max_gap`` consecutive periods
growth        one-to-one continuation, size up by more than ``size_tol`` (10 %)
contraction   one-to-one continuation, size down by more than ``size_tol``
continuation  one-to-one continuation, size within ``size_tol``
merge         several fronts match one step community best: the best-matching
              (then the larger, then the older) keeps its id, the others end
split         a front matches several step communities: its best match keeps the id,
              each other one starts a new dynamic community
============  ==================================================================

Dynamic community ids are stable across periods, so they label the alluvial chart's flows.

Examples
--------
>>> steps = [("FY2018", [{1, 2, 3, 4}, {5, 6, 7}]), ("FY2019", [{1, 2, 3, 4, 5, 6, 7}])]
>>> tr = track_communities(steps)
>>> tr.events[["period", "event", "community", "related"]].values.tolist()
[['FY2018', 'birth', 0, ''], ['FY2018', 'birth', 1, ''], ['FY2019', 'merge', 0, '1']]
>>> tr.alluvial.values.tolist()
[['FY2018', 0, 'FY2019', 0, 4], ['FY2018', 1, 'FY2019', 0, 3]]
"""

from __future__ import annotations

import datetime as dt  # noqa: F401  (used by the examples)
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import networkx as nx
import numpy as np
import pandas as pd

from graph.communities import FAST_PATH_THRESHOLD, louvain
from graph.errors import GraphError
from graph.temporal import (
    _ORIENT_CODE,
    AttachmentKernel,
    Densification,
    Period,
    Timeline,
    _codes,
    _degree_rows,
    _kernel_counts,
    _kernel_result,
    _metrics,
    densification,
    snapshot_masks,
    timeline_periods,
)

__all__ = [
    "ARRAY_THRESHOLD",
    "EVENTS",
    "CommunityTracking",
    "TimelineAnalysis",
    "track_communities",
    "analyze_timeline",
    "rising_connectors",
    "newly_isolated",
]

#: Community events, in the order they are reported within a period.
EVENTS: tuple[str, ...] = ("birth", "continuation", "growth", "contraction", "merge", "split",
                           "death")

#: Timelines with more organisations than this run every snapshot's measures on arrays
#: (``graph.core.view.CoreGraph``, Leiden by ``core_communities`` on the sub-core) instead of one
#: networkx working graph updated by the tie changes.
ARRAY_THRESHOLD: int = FAST_PATH_THRESHOLD

_EVENT_COLUMNS = ["period", "event", "community", "size", "previous_size", "related", "jaccard"]
_FLOW_COLUMNS = ["from_period", "from_id", "to_period", "to_id", "size"]


# --- community evolution ----------------------------------------------------------------------


class CommunityTracking(NamedTuple):
    """Dynamic communities across periods.

    Attributes
    ----------
    events : pandas.DataFrame
        ``period, event, community, size, previous_size, related`` (other dynamic ids,
        ``;``-joined), ``jaccard`` (overlap with the matched front).
    alluvial : pandas.DataFrame
        ``from_period, from_id, to_period, to_id, size``: organisations in dynamic community
        ``from_id`` at one period and ``to_id`` at the next.
    membership : dict
        Period label → {node: dynamic community id}.
    """

    events: pd.DataFrame
    alluvial: pd.DataFrame
    membership: dict


def _jaccard(a: frozenset, b: frozenset) -> float:
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter) if inter else 0.0


def _sort_key(members: frozenset):
    return (-len(members), min(repr(x) for x in members))


def track_communities(steps: Sequence[tuple[str, Iterable[Iterable]]], *, theta: float = 0.3,
                      min_size: int = 2, size_tol: float = 0.1,
                      max_gap: int = 1) -> CommunityTracking:
    """Match communities across consecutive periods (Greene, Doyle & Cunningham 2010).

    Parameters
    ----------
    steps : sequence of (label, communities)
        In time order; each ``communities`` is an iterable of node sets (a Partition's
        ``communities`` works). Communities smaller than ``min_size`` are ignored.
    theta : float, keyword-only
        Jaccard threshold in (0, 1]: a community continues a front when their overlap is at
        least θ.
    min_size : int, keyword-only
        Smallest community tracked.
    size_tol : float, keyword-only
        Relative size change below which a continuation is neither growth nor contraction.
    max_gap : int, keyword-only
        Consecutive unmatched periods after which a dynamic community dies (1: the first
        period it is missing).

    Returns
    -------
    CommunityTracking

    Raises
    ------
    GraphError
        For θ outside (0, 1], ``min_size`` < 1, ``size_tol`` < 0 or ``max_gap`` < 1.

    Examples
    --------
    >>> steps = [("P1", [{1, 2, 3, 4, 5, 6}]), ("P2", [{1, 2, 3}, {4, 5, 6}]), ("P3", [{1, 2, 3}])]
    >>> track_communities(steps).events[["period", "event", "community", "related"]].values.tolist()
    [['P1', 'birth', 0, ''], ['P2', 'contraction', 0, ''], ['P2', 'split', 1, '0'],
     ['P3', 'continuation', 0, ''], ['P3', 'death', 1, '']]
    """
    if not 0 < theta <= 1:
        raise GraphError(f"theta: expected a Jaccard threshold in (0, 1], got {theta}")
    if min_size < 1 or size_tol < 0 or max_gap < 1:
        raise GraphError("min_size and max_gap must be at least 1 and size_tol at least 0")
    fronts: dict[int, frozenset] = {}   # live dynamic communities → latest members
    missing: dict[int, int] = {}        # live id → consecutive periods unmatched
    events: list[tuple] = []
    flows: list[tuple] = []
    membership: dict[str, dict] = {}
    next_id = 0
    prev_label, prev_members = None, {}
    for label, communities in steps:
        comms = sorted((frozenset(c) for c in communities if len(frozenset(c)) >= min_size),
                       key=_sort_key)
        sims = {(j, f): _jaccard(c, fronts[f]) for j, c in enumerate(comms) for f in fronts}
        matched = {key: s for key, s in sims.items() if s >= theta}
        # each front continues into its best-matching step community
        best_of_front: dict[int, int] = {}
        for f in sorted(fronts):
            cands = [(s, -j) for (j, g), s in matched.items() if g == f]
            if cands:
                best_of_front[f] = -max(cands)[1]
        rows: list[tuple] = []
        assigned: dict[int, int] = {}
        new_fronts: dict[int, frozenset] = {}
        absorbed: set[int] = set()  # fronts merged into another; they end without a death
        for j, c in enumerate(comms):
            parents = [f for f, jj in best_of_front.items() if jj == j]
            if parents:
                parents.sort(key=lambda f: (-matched[(j, f)], -len(fronts[f]), f))
                keep, others = parents[0], parents[1:]
                prev_size = len(fronts[keep])
                if others:
                    event = "merge"
                elif len(c) > prev_size * (1 + size_tol):
                    event = "growth"
                elif len(c) < prev_size * (1 - size_tol):
                    event = "contraction"
                else:
                    event = "continuation"
                assigned[j] = keep
                new_fronts[keep] = c
                rows.append((label, event, keep, len(c), prev_size,
                             ";".join(str(o) for o in sorted(others)), matched[(j, keep)]))
                absorbed.update(others)
        for j, c in enumerate(comms):
            if j in assigned:
                continue
            sources = sorted((f for (jj, f) in matched if jj == j),
                             key=lambda f: (-matched[(j, f)], f))
            assigned[j] = next_id
            new_fronts[next_id] = c
            if sources:
                rows.append((label, "split", next_id, len(c), len(fronts[sources[0]]),
                             ";".join(str(f) for f in sources), matched[(j, sources[0])]))
            else:
                rows.append((label, "birth", next_id, len(c), 0, "", float("nan")))
            next_id += 1
        for f in sorted(fronts):
            if f in new_fronts or f in absorbed:
                missing.pop(f, None)
                continue
            missing[f] = missing.get(f, 0) + 1
            if missing[f] >= max_gap:
                rows.append((label, "death", f, 0, len(fronts[f]), "", float("nan")))
                missing.pop(f)
            else:
                new_fronts[f] = fronts[f]
        fronts = new_fronts
        order = {e: i for i, e in enumerate(EVENTS)}
        events.extend(sorted(rows, key=lambda r: (order[r[1]], r[2])))
        members = {x: assigned[j] for j, c in enumerate(comms) for x in c}
        if prev_label is not None:
            pairs: dict[tuple[int, int], int] = {}
            for x, a in prev_members.items():
                b = members.get(x)
                if b is not None:
                    pairs[(a, b)] = pairs.get((a, b), 0) + 1
            flows.extend((prev_label, a, label, b, n) for (a, b), n in sorted(pairs.items()))
        membership[label] = members
        prev_label, prev_members = label, members
    ev = pd.DataFrame(events, columns=_EVENT_COLUMNS)
    ev[["community", "size", "previous_size"]] = ev[["community", "size",
                                                     "previous_size"]].astype(int)
    al = pd.DataFrame(flows, columns=_FLOW_COLUMNS)
    al[["from_id", "to_id", "size"]] = al[["from_id", "to_id", "size"]].astype(int)
    return CommunityTracking(ev, al, membership)


# --- the per-period analysis ------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineAnalysis:
    """Everything :func:`analyze_timeline` computed, with the parameters that made it.

    Attributes
    ----------
    periods : tuple of Period
    snapshots : pandas.DataFrame
        One row per period: ``period, start, end`` and the metrics (see
        :func:`analyze_timeline`).
    community_events, alluvial : pandas.DataFrame
        From :func:`track_communities`.
    trajectories : pandas.DataFrame
        One row per organisation present in a period: ``period, id, name, degree, strength,
        betweenness, effective_size, community`` (dynamic id, NA when untracked) and
        ``role`` (Guimerà–Amaral, when computed).
    degree_distribution : pandas.DataFrame
        ``period, degree, organisations``.
    densification : Densification
        Ties ∝ organisations^a over the snapshots.
    attachment : AttachmentKernel
    params : dict
    timings : dict
        Seconds spent per stage (for the benchmark).
    densification_connected : Densification or None
        The same fit on organisations with at least one tie (``connected_organisations``):
        better conditioned when many organisations sit in the register, tie-less, from the
        start.
    """

    periods: tuple
    snapshots: pd.DataFrame
    community_events: pd.DataFrame
    alluvial: pd.DataFrame
    trajectories: pd.DataFrame
    degree_distribution: pd.DataFrame
    densification: Densification
    attachment: AttachmentKernel
    params: dict
    timings: dict = field(default_factory=dict)
    densification_connected: Densification | None = None


def _louvain(H: nx.Graph, *, seed: int, resolution: float) -> dict:
    """Louvain from scratch (python-louvain, seeded); singletons when there is no tie."""
    import community.community_louvain as community_louvain

    if H.number_of_edges() == 0:
        return {v: i for i, v in enumerate(H)}
    return community_louvain.best_partition(H, weight="weight", resolution=resolution,
                                            random_state=seed)


def _louvain_delta(node_ids: np.ndarray, u: np.ndarray, v: np.ndarray, w: np.ndarray,
                   free: np.ndarray, previous: dict, *, seed: int,
                   resolution: float) -> dict:
    """Warm-started Louvain with delta screening (Zarayeneh & Kalyanaraman 2021).

    Organisations whose ties did not change since the previous period (``free`` False) are
    held together with the rest of their previous community as one block (a node carrying
    the block's internal weight as a self-loop, exactly as Louvain's own aggregation does);
    organisations touched by a new or lapsed tie, and newcomers, move on their own. Louvain
    (python-louvain, seeded) starts from the previous communities, newcomers as singletons.
    """
    import community.community_louvain as community_louvain

    n = len(node_ids)
    prev = np.array([previous.get(x, -1) for x in node_ids], dtype=np.int64)
    free = free | (prev < 0)
    code = np.empty(n, dtype=np.int64)
    locked = np.flatnonzero(~free)
    blocks, first = np.unique(prev[locked], return_inverse=True)
    code[locked] = first
    code[free] = len(blocks) + np.arange(int(free.sum()))
    size = len(blocks) + int(free.sum())
    cu, cv = code[u], code[v]
    lo, hi = np.minimum(cu, cv), np.maximum(cu, cv)
    pairs = pd.DataFrame({"a": lo, "b": hi, "w": w}).groupby(["a", "b"], sort=False)["w"].sum()
    C = nx.Graph()
    C.add_nodes_from(range(size))
    C.add_weighted_edges_from(zip(pairs.index.get_level_values(0).tolist(),
                                  pairs.index.get_level_values(1).tolist(), pairs.tolist()))
    fresh = int(prev.max(initial=-1)) + 1
    init = {int(c): int(lab) for c, lab in zip(code, prev) if lab >= 0}
    for c in range(size):
        if c not in init:
            init[c], fresh = fresh, fresh + 1
    if C.number_of_edges() == 0:
        part = init
    else:
        part = community_louvain.best_partition(C, partition=init, weight="weight",
                                                resolution=resolution, random_state=seed)
    return {x: part[int(c)] for x, c in zip(node_ids, code)}


def _lapsed(first: np.ndarray, last: np.ndarray, decay: np.timedelta64, since,
            before) -> np.ndarray:
    """Activity (last evidence + decay) stopped in [since, before): silent since ``before``."""
    stop = np.where(np.isnat(last), first, last) + decay
    with np.errstate(invalid="ignore"):
        return (stop >= since) & (stop < before)


def _began(first: np.ndarray, start, end) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (first >= start) & (first <= end)


def _core_nodes(orgs: pd.DataFrame) -> pd.DataFrame:
    """The node frame a ``graph.core.TieCore`` needs, from the timeline's organisations."""
    frame = orgs[["name", "kind", "ward", "orientation", "synthetic"]].copy()
    frame["fields"] = pd.Series([()] * len(frame), index=frame.index, dtype=object)
    return frame


def _snapshot_view(ids: np.ndarray, nodes: pd.DataFrame, u: np.ndarray, v: np.ndarray,
                   w: np.ndarray):
    """A ``graph.core.view.CoreGraph`` of one snapshot's arrays (local codes, ``u < v``)."""
    from graph.core.ties import NO_DAY, TieCore
    from graph.core.view import CoreGraph

    none = np.full(len(u), NO_DAY, dtype=np.int32)
    core = TieCore(ids=ids, nodes=nodes, u=u.astype(np.int32), v=v.astype(np.int32), parts={},
                   weight=w, first_day=none, last_day=none)
    return CoreGraph(core)


def _small_graph(ids: np.ndarray, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> nx.Graph:
    H = nx.Graph()
    H.add_nodes_from(ids.tolist())
    H.add_weighted_edges_from(zip(ids[u].tolist(), ids[v].tolist(), w.tolist()))
    return H


def analyze_timeline(timeline: Timeline, *, periods: Sequence[Period] | None = None,
                     freq: str = "fy", window: float | None = None, decay_days: int = 0,
                     undated: str = "include", theta: float = 0.3, min_size: int = 2,
                     size_tol: float = 0.1, max_gap: int = 1, resolution: float = 1.0,
                     seed: int = 0, betweenness_k: int = 64, exact_threshold: int = 500,
                     roles: bool = True, warm_start: bool = True,
                     progress: Callable[[Iterable], Iterable] | None = None
                     ) -> TimelineAnalysis:
    """Analyse every period of a timeline: snapshot metrics, growth laws, communities, trajectories.

    Parameters
    ----------
    timeline : Timeline
        From :func:`graph.temporal.timeline_from_dataset` or ``timeline_from_graph``; not
        modified.
    periods : sequence of Period, optional, keyword-only
        Default: the periods of kind ``freq`` covering the dated ties.
    freq : {"fy", "year", "quarter"}, keyword-only
    window, decay_days, undated : keyword-only
        Snapshot kind, see :func:`graph.temporal.snapshot_masks`.
    theta, min_size, size_tol, max_gap : keyword-only
        Community tracking, see :func:`track_communities`.
    resolution, seed : keyword-only
        Louvain resolution and seed.
    betweenness_k, exact_threshold : int, keyword-only
        Betweenness is exact up to ``exact_threshold`` organisations, else estimated from
        ``betweenness_k`` seeded pivots (``graph.measures.betweenness``).
    roles : bool, keyword-only
        Add Guimerà–Amaral roles (``graph.measures.guimera_amaral_roles``).
    warm_start : bool, keyword-only
        Start each period's Louvain from the previous period's communities, moving only
        the organisations touched by a new or lapsed tie (and newcomers) on their own; the
        others move as blocks of their previous community (delta screening). False runs
        Louvain from scratch on every snapshot.
    progress : callable, optional, keyword-only
        Wraps the period iterable (e.g. ``tqdm.tqdm``) for a progress display.

    Returns
    -------
    TimelineAnalysis
        ``snapshots`` columns: ``period, start, end, organisations, ties, density,
        components, largest_component_share, isolated_share, modularity, communities``
        (tracked, ≥ ``min_size``), ``average_clustering, cross_sector_share,
        territorial_thematic_share, new_ties`` (first evidence in the period),
        ``ended_ties`` (ties not renewed: last evidence + decay fell in the previous period,
        or before the first period, so a tie still active at the data's end never counts),
        ``ties_added, ties_removed`` (against the previous snapshot), ``churn``
        (1 − Jaccard of consecutive snapshots' tie sets), ``new_organisations`` (first dated
        record in the period), ``dormant_organisations`` (last dated record + decay in the
        previous period: silent since), ``connected_organisations`` (at least one tie),
        ``total_weight``.

    Raises
    ------
    GraphError
        For bad snapshot or tracking parameters.

    Examples
    --------
    >>> G = nx.Graph()
    >>> for u, v, day in [(1, 2, "2017-05-01"), (2, 3, "2018-05-01"), (3, 1, "2018-06-01")]:
    ...     d = dt.date.fromisoformat(day)
    ...     G.add_edge(u, v, weight=1.0, first_date=d, last_date=d)
    >>> from graph.temporal import timeline_from_graph
    >>> res = analyze_timeline(timeline_from_graph(G))
    >>> res.snapshots[["period", "organisations", "ties", "new_ties"]].values.tolist()
    [['FY2017', 2, 1, 1], ['FY2018', 3, 3, 2]]
    """
    t0 = time.perf_counter()
    if periods is None:
        periods = timeline_periods(timeline, freq=freq)
    periods = tuple(periods)
    orgs, ties = timeline.orgs, timeline.ties
    N = len(orgs)
    ids = orgs.index.to_numpy(dtype=object)
    U, V = timeline.ends
    Wt = ties["weight"].to_numpy(dtype=float)
    sector_all = _codes(orgs["sector"])
    orient_all = _codes(orgs["orientation"], _ORIENT_CODE)
    tf = ties["first_date"].to_numpy(dtype="datetime64[ns]")
    tl = ties["last_date"].to_numpy(dtype="datetime64[ns]")
    of = orgs["first_date"].to_numpy(dtype="datetime64[ns]")
    ol = orgs["last_date"].to_numpy(dtype="datetime64[ns]")
    decay = np.timedelta64(int(decay_days), "D").astype("timedelta64[ns]")
    since = np.datetime64("1678-01-01", "ns")  # start of the previous period

    # small timelines keep one networkx working graph updated by the tie changes; larger
    # ones run every measure on the snapshot's arrays (graph.core.view.CoreGraph)
    arrays = N > ARRAY_THRESHOLD
    core_nodes = _core_nodes(orgs) if arrays else None
    H = nx.Graph()
    prev_org = np.zeros(N, dtype=bool)
    prev_tie = np.zeros(len(ties), dtype=bool)
    prev_degree = np.zeros(N)
    prev_membership: dict = {}
    hits = np.zeros(1, dtype=np.int64)
    counts = np.zeros(1, dtype=np.int64)
    rows, steps, traj, degrows = [], [], [], []
    timings = {"prepare": time.perf_counter() - t0, "slice": 0.0, "louvain": 0.0,
               "metrics": 0.0, "betweenness": 0.0, "roles": 0.0}
    iterable = progress(periods) if progress is not None else periods
    for period in iterable:
        t = time.perf_counter()
        org_mask, tie_mask = snapshot_masks(timeline, period, window=window,
                                            decay_days=decay_days, undated=undated)
        gone_t = np.flatnonzero(prev_tie & ~tie_mask)
        new_t = np.flatnonzero(tie_mask & ~prev_tie)
        if not arrays:
            H.remove_edges_from(zip(ids[U[gone_t]], ids[V[gone_t]]))
            H.remove_nodes_from(ids[prev_org & ~org_mask])
            H.add_nodes_from(ids[org_mask & ~prev_org])
            H.add_weighted_edges_from(zip(ids[U[new_t]], ids[V[new_t]], Wt[new_t]))
        nodes_idx = np.flatnonzero(org_mask)
        local = np.full(N, -1, dtype=np.int64)
        local[nodes_idx] = np.arange(len(nodes_idx))
        sel = np.flatnonzero(tie_mask)
        u, v, w = local[U[sel]], local[V[sel]], Wt[sel]
        if arrays:
            H = _snapshot_view(ids[nodes_idx], core_nodes.iloc[nodes_idx], u, v, w)
        timings["slice"] += time.perf_counter() - t

        t = time.perf_counter()
        if len(nodes_idx) > FAST_PATH_THRESHOLD and arrays:
            # Leiden on the snapshot's sub-core, as graph.analysis runs it
            from graph.core.communities import core_communities

            membership = core_communities(H.tie_core, resolution=resolution,
                                          seed=seed).membership()
        elif len(nodes_idx) > FAST_PATH_THRESHOLD:
            # big snapshots: igraph's C Louvain from scratch beats the warm start in Python
            membership = louvain(H, seed=seed, resolution=resolution).membership()
        elif warm_start and prev_membership:
            touched = np.zeros(N, dtype=bool)
            for idx in (new_t, gone_t):
                touched[U[idx]] = True
                touched[V[idx]] = True
            membership = _louvain_delta(ids[nodes_idx], u, v, w, touched[nodes_idx],
                                        prev_membership, seed=seed, resolution=resolution)
        else:
            small = _small_graph(ids[nodes_idx], u, v, w) if arrays else H
            membership = _louvain(small, seed=seed, resolution=resolution)
        timings["louvain"] += time.perf_counter() - t

        t = time.perf_counter()
        node_ids = ids[nodes_idx]
        labels = _codes(membership[x] for x in node_ids)
        metrics, per_node = _metrics(len(nodes_idx), u, v, w, sector_all[nodes_idx],
                                     orient_all[nodes_idx], labels if len(u) else None)
        comm_sets: dict = {}
        for x, lab in zip(node_ids, labels):
            comm_sets.setdefault(lab, []).append(x)
        steps.append((period.label, [c for c in comm_sets.values() if len(c) >= min_size]))
        start_ns = np.datetime64(period.start, "ns")
        end_ns = np.datetime64(period.end, "ns")
        inter = int((prev_tie & tie_mask).sum())
        union = int((prev_tie | tie_mask).sum())
        row = {"period": period.label, "start": period.start, "end": period.end, **metrics}
        row.update({
            "communities": sum(1 for c in comm_sets.values() if len(c) >= min_size),
            "new_ties": int(_began(tf, start_ns, end_ns).sum()),
            "ended_ties": int(_lapsed(tf, tl, decay, since, start_ns).sum()),
            "ties_added": int(len(new_t)),
            "ties_removed": int(len(gone_t)),
            "churn": (1.0 - inter / union if union else 0.0) if rows else float("nan"),
            "new_organisations": int(_began(of, start_ns, end_ns).sum()),
            "dormant_organisations": int(_lapsed(of, ol, decay, since, start_ns).sum()),
            "connected_organisations": int((per_node["degree"] > 0).sum()),
            "total_weight": float(w.sum()),
        })
        rows.append(row)
        if rows[:-1]:
            h, c = _kernel_counts(prev_degree, prev_org, U[new_t], V[new_t])
            size = max(len(hits), len(h))
            hits = np.pad(hits, (0, size - len(hits))) + np.pad(h, (0, size - len(h)))
            counts = np.pad(counts, (0, size - len(counts))) + np.pad(c, (0, size - len(c)))
        degree_now = np.zeros(N)
        degree_now[nodes_idx] = per_node["degree"]
        degrows.append(_degree_rows(period.label, per_node["degree"]))
        timings["metrics"] += time.perf_counter() - t

        t = time.perf_counter()
        if len(nodes_idx) and betweenness_k:
            from graph.measures import betweenness

            bet = betweenness(H, exact_threshold=exact_threshold, k=max(2, betweenness_k),
                              seed=seed).values
            bet_col = np.array([bet.get(x, 0.0) for x in node_ids], dtype=float)
        else:
            bet_col = np.full(len(nodes_idx), np.nan)
        timings["betweenness"] += time.perf_counter() - t
        frame = pd.DataFrame({"period": period.label, "id": node_ids,
                              "name": orgs["name"].to_numpy()[nodes_idx],
                              "degree": per_node["degree"].astype(int),
                              "strength": per_node["strength"],
                              "betweenness": bet_col,
                              "effective_size": per_node["effective_size"],
                              "_local": labels})
        if roles and len(nodes_idx):
            t = time.perf_counter()
            from graph.measures import guimera_amaral_roles

            ga = guimera_amaral_roles(H, membership)
            frame["role"] = ga["role"].reindex(node_ids).to_numpy()
            timings["roles"] += time.perf_counter() - t
        traj.append(frame)
        prev_org, prev_tie, prev_degree, prev_membership = org_mask, tie_mask, degree_now, membership
        since = start_ns

    t = time.perf_counter()
    tracking = track_communities(steps, theta=theta, min_size=min_size, size_tol=size_tol,
                                 max_gap=max_gap)
    if traj:
        trajectories = pd.concat(traj, ignore_index=True)
        dyn = [tracking.membership[p].get(x) for p, x in zip(trajectories["period"],
                                                              trajectories["id"])]
        trajectories["community"] = pd.array(dyn, dtype="Int64")
        trajectories = trajectories.drop(columns="_local")
    else:
        trajectories = pd.DataFrame(columns=["period", "id", "name", "degree", "strength",
                                             "betweenness", "effective_size", "community"])
    snaps = pd.DataFrame(rows)
    dens = densification(snaps["organisations"], snaps["ties"]) if len(snaps) \
        else densification([], [])
    dens_connected = densification(snaps["connected_organisations"], snaps["ties"]) \
        if len(snaps) else densification([], [])
    kernel = _kernel_result(hits, counts, max(len(periods) - 1, 0), 0.95)
    degdist = pd.concat(degrows, ignore_index=True) if degrows else \
        pd.DataFrame(columns=["period", "degree", "organisations"])
    timings["tracking"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    params = {"freq": freq, "window": window, "decay_days": decay_days, "undated": undated,
              "theta": theta, "min_size": min_size, "size_tol": size_tol, "max_gap": max_gap,
              "resolution": resolution, "seed": seed, "betweenness_k": betweenness_k,
              "exact_threshold": exact_threshold, "warm_start": warm_start}
    return TimelineAnalysis(periods, snaps, tracking.events, tracking.alluvial, trajectories,
                            degdist, dens, kernel, params, timings, dens_connected)


# --- trajectories -----------------------------------------------------------------------------


def _period_order(trajectories: pd.DataFrame) -> list:
    return list(dict.fromkeys(trajectories["period"]))


def rising_connectors(trajectories: pd.DataFrame, *, measure: str = "betweenness",
                      start: str | None = None, end: str | None = None,
                      top: int = 10) -> pd.DataFrame:
    """Organisations whose brokerage grew most between two periods.

    Parameters
    ----------
    trajectories : pandas.DataFrame
        ``TimelineAnalysis.trajectories`` (periods in time order).
    measure : str, keyword-only
        A numeric column, e.g. ``"betweenness"`` or ``"effective_size"``.
    start, end : str, optional, keyword-only
        Period labels; default the first and the last. An organisation absent at ``start``
        (or with NaN) counts as 0 there.
    top : int, keyword-only
        Number of rows.

    Returns
    -------
    pandas.DataFrame
        ``id, name, start, end, gain`` sorted by gain (then id), only positive gains.

    Raises
    ------
    GraphError
        For an unknown measure or period.

    Examples
    --------
    >>> t = pd.DataFrame({"period": ["P1", "P1", "P2", "P2"], "id": ["a", "b", "a", "b"],
    ...                   "name": ["A", "B", "A", "B"], "betweenness": [0.5, 0.0, 0.1, 0.4]})
    >>> rising_connectors(t)[["id", "gain"]].values.tolist()
    [['b', 0.4]]
    """
    if measure not in trajectories:
        raise GraphError(f"measure: no column {measure!r} in the trajectories")
    order = _period_order(trajectories)
    start = order[0] if start is None else start
    end = order[-1] if end is None else end
    for p in (start, end):
        if p not in order:
            raise GraphError(f"period {p!r} not in the trajectories ({', '.join(order)})")
    at_end = trajectories[trajectories["period"] == end].set_index("id")
    at_start = trajectories[trajectories["period"] == start].set_index("id")[measure]
    before = at_start.reindex(at_end.index).fillna(0.0).astype(float)
    after = at_end[measure].fillna(0.0).astype(float)
    out = pd.DataFrame({"id": at_end.index, "name": at_end["name"].to_numpy(),
                        "start": before.to_numpy(), "end": after.to_numpy()})
    out["gain"] = out["end"] - out["start"]
    out = out[out["gain"] > 0].sort_values(["gain", "id"], ascending=[False, True])
    return out.head(top).reset_index(drop=True)


def newly_isolated(trajectories: pd.DataFrame, *, period: str | None = None) -> pd.DataFrame:
    """Organisations with no tie in a period that had at least one in the period before.

    Parameters
    ----------
    trajectories : pandas.DataFrame
        ``TimelineAnalysis.trajectories`` (periods in time order).
    period : str, optional, keyword-only
        One period label; default every period.

    Returns
    -------
    pandas.DataFrame
        ``period, id, name, previous_degree``.

    Examples
    --------
    >>> t = pd.DataFrame({"period": ["P1", "P1", "P2", "P2"], "id": ["a", "b", "a", "b"],
    ...                   "name": ["A", "B", "A", "B"], "degree": [1, 1, 0, 2]})
    >>> newly_isolated(t).values.tolist()
    [['P2', 'a', 'A', 1]]
    """
    order = _period_order(trajectories)
    rows = []
    for prev, cur in zip(order, order[1:]):
        if period is not None and cur != period:
            continue
        before = trajectories[trajectories["period"] == prev].set_index("id")["degree"]
        now = trajectories[trajectories["period"] == cur].set_index("id")
        lost = now[(now["degree"] == 0) & (before.reindex(now.index).fillna(0) > 0)]
        rows.extend((cur, i, n, int(before[i])) for i, n in zip(lost.index, lost["name"]))
    return pd.DataFrame(rows, columns=["period", "id", "name", "previous_degree"])
