"""The per-period analysis of a timeline: snapshot metrics, flows, communities, trajectories.

:func:`analyze_timeline` walks the periods of a :class:`graph.time.timeline.Timeline` once,
keeping one working graph that it updates by the ties that appeared or lapsed since the
previous period (never rebuilding from the records), and computes for each snapshot the
metrics of :func:`graph.time.metrics.snapshot_metrics`, the flows of ties and organisations,
Louvain communities (python-louvain, seeded, warm-started from the previous period's
communities with delta screening: only organisations touched by a changed tie move on their
own; snapshots above ``graph.communities.FAST_PATH_THRESHOLD`` organisations run igraph's C
Louvain from scratch instead, which is faster than any warm start in Python) and each
organisation's measures. The communities are tracked across periods by
:func:`graph.time.community_tracking.track_communities`.
"""

from __future__ import annotations

import datetime as dt  # noqa: F401  (used by the examples)
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from graph.communities import FAST_PATH_THRESHOLD, louvain
from graph.time.community_tracking import track_communities
from graph.time.growth_laws import (
    AttachmentKernel,
    Densification,
    degree_rows,
    densification,
    kernel_counts,
    kernel_result,
)
from graph.time.metrics import ORIENT_CODE, array_metrics, category_codes
from graph.time.period_graphs import (
    core_node_frame,
    louvain_delta,
    louvain_partition,
    small_graph,
    snapshot_view,
)
from graph.time.periods import Period
from graph.time.snapshots import snapshot_masks
from graph.time.timeline import Timeline, timeline_periods

__all__ = ["ARRAY_THRESHOLD", "TimelineAnalysis", "analyze_timeline"]

#: Timelines with more organisations than this run every snapshot's measures on arrays
#: (``graph.core.view.CoreGraph``, Leiden by ``core_communities`` on the sub-core) instead of one
#: networkx working graph updated by the tie changes.
ARRAY_THRESHOLD: int = FAST_PATH_THRESHOLD


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



def _lapsed(first: np.ndarray, last: np.ndarray, decay: np.timedelta64, since,
            before) -> np.ndarray:
    """Activity (last evidence + decay) stopped in [since, before): silent since ``before``."""
    stop = np.where(np.isnat(last), first, last) + decay
    with np.errstate(invalid="ignore"):
        return (stop >= since) & (stop < before)


def _began(first: np.ndarray, start, end) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (first >= start) & (first <= end)

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
        From :func:`graph.time.timeline_from_dataset` or ``timeline_from_graph``; not
        modified.
    periods : sequence of Period, optional, keyword-only
        Default: the periods of kind ``freq`` covering the dated ties.
    freq : {"fy", "year", "quarter"}, keyword-only
    window, decay_days, undated : keyword-only
        Snapshot kind, see :func:`graph.time.snapshot_masks`.
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
    >>> from graph.time import timeline_from_graph
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
    sector_all = category_codes(orgs["sector"])
    orient_all = category_codes(orgs["orientation"], ORIENT_CODE)
    tf = ties["first_date"].to_numpy(dtype="datetime64[ns]")
    tl = ties["last_date"].to_numpy(dtype="datetime64[ns]")
    of = orgs["first_date"].to_numpy(dtype="datetime64[ns]")
    ol = orgs["last_date"].to_numpy(dtype="datetime64[ns]")
    decay = np.timedelta64(int(decay_days), "D").astype("timedelta64[ns]")
    since = np.datetime64("1678-01-01", "ns")  # start of the previous period

    # small timelines keep one networkx working graph updated by the tie changes; larger
    # ones run every measure on the snapshot's arrays (graph.core.view.CoreGraph)
    arrays = N > ARRAY_THRESHOLD
    core_nodes = core_node_frame(orgs) if arrays else None
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
            H = snapshot_view(ids[nodes_idx], core_nodes.iloc[nodes_idx], u, v, w)
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
            membership = louvain_delta(ids[nodes_idx], u, v, w, touched[nodes_idx],
                                       prev_membership, seed=seed, resolution=resolution)
        else:
            small = small_graph(ids[nodes_idx], u, v, w) if arrays else H
            membership = louvain_partition(small, seed=seed, resolution=resolution)
        timings["louvain"] += time.perf_counter() - t

        t = time.perf_counter()
        node_ids = ids[nodes_idx]
        labels = category_codes(membership[x] for x in node_ids)
        metrics, per_node = array_metrics(len(nodes_idx), u, v, w, sector_all[nodes_idx],
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
            h, c = kernel_counts(prev_degree, prev_org, U[new_t], V[new_t])
            size = max(len(hits), len(h))
            hits = np.pad(hits, (0, size - len(hits))) + np.pad(h, (0, size - len(h)))
            counts = np.pad(counts, (0, size - len(counts))) + np.pad(c, (0, size - len(c)))
        degree_now = np.zeros(N)
        degree_now[nodes_idx] = per_node["degree"]
        degrows.append(degree_rows(period.label, per_node["degree"]))
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
        # plain lists: iterating the Arrow-backed columns costs ≈ 0.5 µs more per row
        dyn = [tracking.membership[p].get(x) for p, x in zip(trajectories["period"].tolist(),
                                                              trajectories["id"].tolist())]
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
    kernel = kernel_result(hits, counts, max(len(periods) - 1, 0), 0.95)
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
