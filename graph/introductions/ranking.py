"""Introductions: whom an organisation could meet next, and why.

For an organisation (or a set of them, or everyone) rank the organisations it has **no tie
with** in the tie graph, by a weighted sum of pair signals (``graph.introductions.signals``,
``graph.introductions.scoring``), and explain every suggestion with reasons in Japanese and
English that cite the records behind them (``"table:id"``; ``graph.introductions.reasons``).

Goals: ``strengthen`` ranks partners inside the organisation's own community (closing
triangles); ``bridge`` ranks only partners in another community (and, with ``across``, in
another ward, sector or orientation). An organisation without ties forms no community: under
``strengthen`` it is offered everyone, so the isolated still get (attribute-based)
suggestions. A pair with no positive signal, or whose signals cite no record, is never
suggested.

Examples
--------
>>> from graph.introductions.signals import example_graph
>>> G = example_graph()
>>> best = suggest(G, orgs="A", goal="strengthen", top=1, partition={n: 0 for n in G})[0]
>>> best.partner, best.reasons[0].en
('D', '2 partners in common: 御幣島町会, 西淀川区社会福祉協議会')
>>> best.reasons[0].evidence
('collaborations:C1', 'collaborations:C3', 'collaborations:C2', 'collaborations:C4')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from itertools import islice

import networkx as nx
import numpy as np
import pandas as pd

from graph.errors import GraphError
from graph.introductions.candidates import full_candidates, ranked_heads
from graph.introductions.partners import prefetch_tie_evidence
from graph.introductions.reasons import (
    Reason,
    cited_ties,
    pair_reasons,
    prefetch_cited_records,
    remember_shared_partners,
)
from graph.introductions.scoring import check_weights, feature_pairs
from graph.introductions.signals import Signals, build_signals
from ingest.schemas import Dataset

__all__ = ["GOALS", "Suggestion", "select_orgs", "suggest", "work_list"]

GOALS: tuple[str, ...] = ("strengthen", "bridge")
# organisations whose heads are explained together: one store query for their records
_EXPLAINED_AT_ONCE = 4096
_ACROSS = ("community", "ward", "kind", "orientation")


@dataclass(frozen=True)
class Suggestion:
    """A suggested introduction of ``org`` to ``partner`` (no tie between them yet).

    ``score`` is the sum of ``parts`` (feature → weighted value); ``reasons`` are ordered by
    contribution, and are never empty.
    """

    org: str
    partner: str
    rank: int
    score: float
    parts: Mapping[str, float]
    reasons: tuple[Reason, ...]
    goal: str
    org_name: str = ""
    partner_name: str = ""

    @property
    def evidence(self) -> tuple[str, ...]:
        """Every record cited by the reasons, in order, without repeats."""
        return tuple(dict.fromkeys(e for r in self.reasons for e in r.evidence))


def _membership(G: nx.Graph, partition, seed: int) -> dict:
    if partition is None and getattr(G, "tie_core", None) is not None:
        from graph.core.communities import core_communities

        partition = core_communities(G.tie_core, seed=seed)  # Leiden, as analyze
    elif partition is None:
        from graph.communities import louvain

        partition = louvain(G, seed=seed)
    membership = partition.membership() if hasattr(partition, "membership") else dict(partition)
    missing = [u for u in G if u not in membership]
    if missing:
        raise GraphError(f"partition does not cover organisation {missing[0]!r}")
    return membership


def select_orgs(G: nx.Graph, *, ward: str | None = None, field: int | None = None,
                community: int | None = None, kind: str | None = None,
                partition=None, seed: int = 0) -> list[str]:
    """Organisations of a ward, an NPO field, a community and/or a kind (all that apply).

    Examples
    --------
    >>> from graph.introductions.signals import example_graph
    >>> select_orgs(example_graph(), ward="西淀川区")
    ['A', 'B', 'C', 'D']
    >>> select_orgs(example_graph(), field=13)
    ['A', 'E']
    """
    membership = _membership(G, partition, seed) if community is not None else {}
    out = []
    for u, data in G.nodes(data=True):
        if ward is not None and data.get("ward") != ward:
            continue
        if field is not None and int(field) not in tuple(data.get("fields") or ()):
            continue
        if kind is not None and data.get("kind") != kind:
            continue
        if community is not None and membership.get(u) != community:
            continue
        out.append(u)
    return out


def _group_codes(sig: Signals, goal: str, across: tuple[str, ...],
                 membership: Mapping) -> list[np.ndarray]:
    """Per node, an int code of its community (``strengthen``) or of each ``across``
    attribute (``bridge``), computed once per call; equal codes, equal groups."""
    G = sig.graph
    wanted = ("community",) if goal == "strengthen" else across
    codes = []
    for attr in wanted:
        if attr == "community":
            values = [membership[u] for u in sig.nodes]
        else:
            values = [G.nodes[u].get(attr) or "" for u in sig.nodes]
        codes.append(pd.factorize(pd.Series(values, dtype=object))[0])
    return codes


def suggest(G: nx.Graph, *, dataset: Dataset | None = None, orgs=None, goal: str = "strengthen",
            top: int = 10, weights: Mapping[str, float] | None = None, partition=None,
            across: Iterable[str] = ("community",), seed: int = 0,
            signals: Signals | None = None, block: int = 256) -> list[Suggestion]:
    """Rank introductions for ``orgs`` among organisations they have no tie with.

    Parameters
    ----------
    G : networkx.Graph or graph.core.view.CoreGraph
        Tie graph (``graph.build.tie_graph``), or the array core's view of one (the records a
        reason cites are then fetched from the store, a block of suggestions at a time).
        Not modified.
    dataset : Dataset, optional
        The records behind ``G`` (events, resources, dispatches feed their signals).
    orgs : str or iterable of str, optional
        One organisation id, several, or ``None`` for everyone.
    goal : {"strengthen", "bridge"}
        ``strengthen``: partners in the same community (isolated organisations: anyone).
        ``bridge``: only partners outside the community (and outside ``across`` groups).
    top : int
        Suggestions per organisation.
    weights : mapping, optional
        Signal → weight (see ``FEATURES``); ``None`` uses ``DEFAULT_WEIGHTS``. Calibrated
        weights come from ``graph.introductions.calibrate``.
    partition : Partition or mapping, optional
        Communities (``graph.communities.Partition`` or node → label); default Louvain with
        ``seed`` on a networkx graph, Leiden (as ``analyze``) on the core's view.
    across : iterable of str
        For ``bridge``: attributes that must differ — any of ``community``, ``ward``,
        ``kind`` (sector), ``orientation``.
    seed : int
        Seeds Louvain and the tie-breaker between equal scores.
    signals : Signals, optional
        Precomputed :func:`build_signals` result for ``G`` (and ``dataset``).
    block : int
        Organisations scored at once (memory ≈ block × n floats per signal).

    Returns
    -------
    list of Suggestion
        Per organisation (in ``orgs`` order) its suggestions by rank; at most ``top`` each.
        Pairs without a positive, cited reason are left out.

    Raises
    ------
    GraphError
        Unknown goal, organisation or signal; ``top`` < 1.

    Examples
    --------
    >>> from graph.introductions.signals import example_graph
    >>> G = example_graph()
    >>> alone = {"A": 0, "B": 0, "C": 0, "D": 0, "E": 1}
    >>> [(s.partner, s.reasons[0].code) for s in suggest(G, orgs="E", goal="bridge", top=2,
    ...                                                 partition=alone)]
    [('A', 'same_field'), ('B', 'neighbouring_ward')]
    """
    if goal not in GOALS:
        raise GraphError(f"unknown goal {goal!r}; goals are {', '.join(GOALS)}")
    if int(top) < 1:
        raise GraphError("top must be at least 1")
    across = tuple(across)
    bad = [a for a in across if a not in _ACROSS]
    if bad:
        raise GraphError(f"across: unknown attribute {bad[0]!r}; use {', '.join(_ACROSS)}")
    w = check_weights(weights)
    sig = signals if signals is not None else build_signals(G, dataset)
    if orgs is None:
        chosen = list(sig.nodes)
    else:
        chosen = [orgs] if isinstance(orgs, str) else list(orgs)
        missing = [u for u in chosen if u not in sig.index]
        if missing:
            raise GraphError(f"organisation {missing[0]!r} is not in the graph")
    membership = _membership(G, partition, seed)
    codes = _group_codes(sig, goal, across, membership)
    positions = np.array([sig.index[u] for u in chosen], dtype=int)
    found: dict[int, list[Suggestion]] = {}
    heads = ranked_heads(sig, positions, w, goal, codes, take=int(top) + 5, seed=seed, block=block)
    while batch := list(islice(heads, _EXPLAINED_AT_ONCE)):
        # the signals of every head candidate of the batch, in one sparse pass per signal
        us = np.concatenate([np.full(len(h[2]), h[0]) for h in batch])
        vs = np.concatenate([h[1][h[2]] for h in batch])
        values = {f: feature_pairs(sig, us, vs, f) for f, wf in w.items() if wf}
        named = remember_shared_partners(sig, us, vs)
        if getattr(G, "tie_core", None) is not None:  # records from the store, one query
            prefetch_cited_records(sig, us, vs, named, goal)
        columns, offset = _weighted(values, w), 0
        for row, cols, order, ranked, exhaustive in batch:
            end = offset + len(order)
            head = [(f, xs[offset:end], wxs[offset:end]) for f, xs, wxs in columns]
            offset = end
            widen = None if exhaustive else partial(full_candidates, sig, row, w, goal, codes, seed)
            found[row] = _explained(sig, row, cols, order, ranked, w, goal, int(top), head, widen)
    return [s for row in positions.tolist() for s in found.get(row, [])]


def _explained(sig: Signals, row: int, cols: np.ndarray, order: np.ndarray, ranked: np.ndarray,
               w: Mapping[str, float], goal: str, top: int, head: list[tuple], widen=None
               ) -> list[Suggestion]:
    """Turn ranked candidate columns into suggestions with reasons, skipping the unexplained.

    ``head`` holds the signals of the candidates ``order`` already ranks (per signal: its
    values and weighted values, as lists, see :func:`_weighted`); further candidates
    (only when too many of those lack a reason) are scored here. When ``cols`` is not the
    row's whole scope, ``widen()`` gives it (``graph.introductions.candidates``)."""
    u = sig.nodes[row]
    result: list[Suggestion] = []
    position = 0
    while len(result) < top:
        if position >= len(order) and widen is not None:  # past a bounded head: whole scope
            picked = cols[order]
            cols, ranked = widen()
            order, widen = np.searchsorted(cols, picked), None
        if position >= len(cols):
            break
        if position >= len(order):  # ran out of the pre-selected head: rank the next few
            rest = np.setdiff1d(np.arange(len(cols)), order)
            take = min(len(rest), 2 * top + 10)
            nxt = np.argpartition(-ranked[rest], take - 1)[:take] if take < len(rest) else np.arange(len(rest))
            order = np.concatenate([order, rest[nxt[np.argsort(-ranked[rest][nxt], kind="stable")]]])
            vs = cols[order[position:]]
            more = _weighted({f: feature_pairs(sig, np.full(len(vs), row), vs, f)
                              for f, _, _ in head}, w)
            if getattr(sig.graph, "tie_core", None) is not None:
                prefetch_tie_evidence(sig, [t for v in vs.tolist()
                                            for t in cited_ties(sig, u, sig.nodes[v], goal)])
            head = [(f, xs + ys, wxs + wys) for (f, xs, wxs), (_, ys, wys) in zip(head, more)]
        col = cols[order[position]]
        parts = {f: wx[position] for f, x, wx in head if x[position] != 0}
        position += 1
        v = sig.nodes[col]
        reasons = pair_reasons(sig, u, v, parts, goal)
        if not reasons:
            continue
        result.append(Suggestion(u, v, len(result) + 1, float(sum(parts.values())), parts,
                                 reasons, goal, sig.names[u], sig.names[v]))
    return result


def _weighted(values: Mapping[str, np.ndarray], w: Mapping[str, float]) -> list[tuple]:
    """Per signal: ``(signal, its values, its weighted values)``, the values as lists (a
    score's parts are read from them one suggestion at a time)."""
    return [(f, x.tolist(), (w[f] * x).tolist()) for f, x in values.items()]


def work_list(suggestions: Iterable[Suggestion]) -> pd.DataFrame:
    """A coordinator's work list: one row per suggestion, outcome columns left to fill in.

    Columns: ``org_id, org_name, partner_id, partner_name, goal, rank, score, reasons_ja,
    reasons_en, evidence, status, date, note`` (``status`` starts as ``proposed``).

    Examples
    --------
    >>> from graph.introductions.signals import example_graph
    >>> G = example_graph()
    >>> wl = work_list(suggest(G, orgs="A", top=1, partition={n: 0 for n in G}))
    >>> wl.loc[0, ["org_id", "partner_id", "status"]].tolist()
    ['A', 'D', 'proposed']
    """
    rows = [{
        "org_id": s.org, "org_name": s.org_name, "partner_id": s.partner,
        "partner_name": s.partner_name, "goal": s.goal, "rank": s.rank,
        "score": round(s.score, 4),
        "reasons_ja": " / ".join(r.ja for r in s.reasons),
        "reasons_en": " / ".join(r.en for r in s.reasons),
        "evidence": ";".join(s.evidence), "status": "proposed", "date": "", "note": "",
    } for s in suggestions]
    columns = ["org_id", "org_name", "partner_id", "partner_name", "goal", "rank", "score",
               "reasons_ja", "reasons_en", "evidence", "status", "date", "note"]
    return pd.DataFrame(rows, columns=columns)
