"""Pair signals of introductions: the sparse matrices every score is built from.

Signals (``FEATURES``), each a number for a pair ``(u, v)``:

============================ ================================================================
``common_neighbours``        log(1 + |N(u) ∩ N(v)|) on the tie graph
``adamic_adar``              Σ_{w ∈ N(u) ∩ N(v)} 1 / log deg(w)
``resource_allocation``      Σ_{w ∈ N(u) ∩ N(v)} 1 / deg(w)
``preferential_attachment``  log((1 + deg(u))·(1 + deg(v))) (popularity; the +1 lets an
                             organisation without ties still prefer the popular)
``shared_events``            log(1 + events both attended) (org–event bipartite graph)
``event_series``             resource allocation on the org–series bipartite graph: Σ over
                             event series (にしよどリンク, every session) both attended of
                             1 / (organisations in the series)
``event_activity``           log(1 + a(u)·a(v)), a = events attended in the data's last year
                             (preferential attachment on the org–event graph: the active meet)
``event_kinds``              overlap of the two profiles of event kinds attended (Σ_kind
                             share(u)·share(v)): meetup-goers meet meetup-goers
``shared_fields``            number of NPO fields in common
``same_ward``                1 when both are in the same ward
``neighbouring_ward``        1 when their wards border each other (``ward_adjacency.csv``)
``complementary``            1 for a territorial (地縁型) × thematic (テーマ型) pair
``resource_match``           log(1 + resources one offers that the other needs: a topic
                             resource (its title names a field) the other works in, or a
                             space, lecturer or know-how offer without a field, offered in
                             the other's ward or a neighbouring one, to a group)
``shared_talent``            log(1 + public talents dispatched to both)

Every signal is a bilinear form ``L[u] · R[v]`` of sparse matrices (or a function of two
per-node vectors), so scores for a block of organisations against everyone are a few sparse
products (A·A for common neighbours, A·D⁻¹·A for resource allocation) — never a loop over all
pairs (``graph.introductions.scoring``). :func:`build_signals` indexes a tie graph once;
:func:`example_graph` is the five-organisation graph of the examples and tests.

Examples
--------
>>> sig = build_signals(example_graph())
>>> sig.nodes, int(sig.adjacency.nnz)
(('A', 'B', 'C', 'D', 'E'), 10)
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from graph.errors import GraphError
from graph.introductions.topics import resource_topics, series_name
from ingest.normalise import is_osaka
from ingest.schemas import WARDS, Dataset
from ingest.vocabulary import orientation_of

__all__ = ["FEATURES", "STRUCTURAL_FEATURES", "GROUP_KINDS", "Signals", "ward_adjacency",
           "orientation_sign", "build_signals", "example_graph"]

FEATURES: tuple[str, ...] = (
    "common_neighbours",
    "adamic_adar",
    "resource_allocation",
    "preferential_attachment",
    "shared_events",
    "event_series",
    "event_activity",
    "event_kinds",
    "shared_fields",
    "same_ward",
    "neighbouring_ward",
    "complementary",
    "resource_match",
    "shared_talent",
)
STRUCTURAL_FEATURES: tuple[str, ...] = FEATURES[:8]

GROUP_KINDS = frozenset({"neighbourhood_association", "council", "citizen_group", "npo"})


@dataclass(frozen=True, eq=False)
class Signals:
    """Everything needed to score pairs of one tie graph (and its dataset), built once.

    ``nodes`` fixes the matrix order; ``bilinear[f] = (L, R, R.T)`` gives ``f(u, v) = L[u]·R[v]``
    (before the log transform of count signals).
    Read-only; :func:`build_signals` makes it.
    """

    graph: nx.Graph
    nodes: tuple[str, ...]
    index: Mapping[str, int]
    adjacency: sp.csr_matrix
    degree: np.ndarray
    orientation: np.ndarray
    bilinear: Mapping[str, tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]]
    events: Mapping[str, tuple[str, str, object, str]] = field(default_factory=dict)
    recent_since: dt.date | None = None
    org_events: Mapping[str, frozenset] = field(default_factory=dict)
    resources: Mapping[str, tuple] = field(default_factory=dict)
    org_talents: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    order: Mapping[str, int] = field(default_factory=dict)  # rank by (degree, id)
    memo: dict = field(default_factory=dict, repr=False)  # per-organisation reason material


# --- reference data ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def ward_adjacency() -> frozenset[frozenset[str]]:
    """Pairs of Osaka wards that share a border (land or river), from ``ward_adjacency.csv``.

    Returns
    -------
    frozenset of frozenset
        Each element is a two-ward set.

    Examples
    --------
    >>> frozenset({"西淀川区", "此花区"}) in ward_adjacency()
    True
    >>> frozenset({"鶴見区", "西成区"}) in ward_adjacency()
    False
    """
    path = Path(__file__).with_name("ward_adjacency.csv")
    with path.open(encoding="utf-8") as handle:
        return frozenset(frozenset((row["ward_a"], row["ward_b"])) for row in csv.DictReader(handle))


def orientation_sign(data: Mapping) -> int:
    """1 for a territorial (地縁型) organisation, -1 for a thematic (テーマ型) one, else 0.

    >>> orientation_sign({"kind": "council"}), orientation_sign({"kind": "company"})
    (1, 0)
    """
    value = orientation_of(data.get("kind"), data.get("orientation"))
    return 1 if value == "territorial" else -1 if value == "thematic" else 0


def _incidence(n: int, m: int, rows, cols, values=None) -> sp.csr_matrix:
    values = np.ones(len(rows)) if values is None else np.asarray(values, dtype=float)
    return sp.csr_matrix((values, (rows, cols)), shape=(n, m), dtype=float)


def _tie_adjacency(G, index: Mapping[str, int]) -> sp.csr_matrix:
    """The symmetric 0/1 tie matrix in ``index`` order, without self-loops: from the tie
    arrays of the core (``graph.core.view.CoreGraph``, nodes in core order), else from
    ``G.edges()``."""
    n = len(index)
    core = getattr(G, "tie_core", None)
    if core is not None:
        u, v = core.u.astype(np.int64), core.v.astype(np.int64)
    else:
        pairs = np.array([(index[a], index[b]) for a, b in G.edges() if a != b],
                         dtype=np.int64).reshape(-1, 2)
        u, v = pairs[:, 0], pairs[:, 1]
    A = _incidence(n, n, np.concatenate([u, v]), np.concatenate([v, u]))
    A.data[:] = 1.0
    A.sum_duplicates()
    A.data[:] = 1.0
    return A


def _dates_ok(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame if column in frame.columns else frame.assign(**{column: pd.NaT})


def build_signals(G: nx.Graph, dataset: Dataset | None = None) -> Signals:
    """Index a tie graph (and the dataset it came from) for fast pair scoring.

    Parameters
    ----------
    G : networkx.Graph or graph.core.view.CoreGraph
        Tie graph (``graph.build.tie_graph``): organisations with ``kind, ward, orientation,
        fields`` and edges with ``evidence``; or the array core's view of it, whose records
        are fetched from the store when a reason cites them. Not modified.
    dataset : Dataset, optional
        The records the graph was built from (restricted to the same date). Events,
        participations, resources and dispatches feed the activity signals; without it those
        signals are zero.

    Returns
    -------
    Signals

    Raises
    ------
    GraphError
        When ``G`` is directed or a multigraph.

    Examples
    --------
    >>> sig = build_signals(example_graph())
    >>> sig.nodes[:3], int(sig.degree.sum())
    (('A', 'B', 'C'), 10)
    """
    if G.is_directed() or G.is_multigraph():
        raise GraphError("suggestions need an undirected simple tie graph (graph.build.tie_graph)")
    nodes = tuple(G)
    index = {u: i for i, u in enumerate(nodes)}
    n = len(nodes)
    A = _tie_adjacency(G, index)
    degree = np.asarray(A.sum(axis=1)).ravel()
    inv_deg = np.divide(1.0, degree, out=np.zeros(n), where=degree > 0)
    inv_log = np.divide(1.0, np.log(np.maximum(degree, 1.0)), out=np.zeros(n), where=degree > 1)

    attrs = [G.nodes[u] for u in nodes]
    # Osaka's ward grid and borders apply only to an Osaka dataset (no other city declared in
    # dataset.json, G.graph["city"]) whose wards are all Osaka wards; another city keeps its
    # wards as written: same ward counts, borders unknown.
    present = {a.get("ward") for a in attrs if isinstance(a.get("ward"), str) and a.get("ward")}
    osaka = is_osaka(G.graph.get("city", "")) and present <= set(WARDS)
    ward_list = list(WARDS) if osaka else sorted(present)
    ward_pos = {w: i for i, w in enumerate(ward_list)}
    placed = [(i, ward_pos[a.get("ward")]) for i, a in enumerate(attrs) if a.get("ward") in ward_pos]
    W = _incidence(n, len(ward_list), [i for i, _ in placed], [j for _, j in placed])
    M = np.zeros((len(ward_list), len(ward_list)))
    if osaka:
        for pair in ward_adjacency():
            a, b = sorted(ward_pos[w] for w in pair)
            M[a, b] = M[b, a] = 1.0
    M = sp.csr_matrix(M)
    near = (W @ (sp.identity(len(ward_list), format="csr") + M)).tocsr()
    working = [(i, int(f)) for i, a in enumerate(attrs) for f in set(a.get("fields") or ())
               if 0 < int(f) <= 20]
    F = _incidence(n, 21, [i for i, _ in working], [f for _, f in working])
    orientation = np.array([orientation_sign(a) for a in attrs], dtype=float)
    group = np.array([a.get("kind") in GROUP_KINDS for a in attrs], dtype=float)

    events: dict[str, tuple[str, str, object, str]] = {}
    recent_since = None
    org_events: dict[str, set] = {}
    resources: dict[str, tuple] = {}
    org_talents: dict[str, dict[str, list[str]]] = {}
    B = S = T = R_field = R_space = None
    if dataset is not None:
        ev = _dates_ok(dataset.table("events"), "date")
        part = dataset.table("participations")
        kinds = ev["kind"] if "kind" in ev.columns else pd.Series([""] * len(ev))
        for eid, name, date, kind in zip(ev["id"], ev["name"], ev["date"], kinds):
            events[str(eid)] = (str(name), series_name(name),
                                None if pd.isna(date) else pd.Timestamp(date).date(),
                                "" if pd.isna(kind) else str(kind))
        pairs = [(index[o], str(e)) for e, o in zip(part["event_id"], part["org_id"])
                 if o in index and str(e) in events]
        for i, e in pairs:
            org_events.setdefault(nodes[i], set()).add(e)
        event_pos = {e: j for j, e in enumerate(sorted({e for _, e in pairs}))}
        series_pos = {s: j for j, s in enumerate(sorted({events[e][1] for e in event_pos}))}
        B = _incidence(n, len(event_pos), [i for i, _ in pairs], [event_pos[e] for _, e in pairs])
        B.data[:] = 1.0
        S = _incidence(n, len(series_pos), [i for i, _ in pairs],
                       [series_pos[events[e][1]] for _, e in pairs])
        S.data[:] = 1.0  # attended the series at least once
        dates = [events[e][2] for _, e in pairs if events[e][2] is not None]
        if dates:
            recent_since = max(dates) - dt.timedelta(days=365)
        recent = [(i, e) for i, e in pairs
                  if recent_since is not None and events[e][2] is not None
                  and events[e][2] > recent_since]
        activity = np.bincount([i for i, _ in recent], minlength=n).astype(float)
        kind_pos = {k: j for j, k in enumerate(sorted({events[e][3] for e in event_pos}))}
        K = _incidence(n, len(kind_pos), [i for i, _ in pairs],
                       [kind_pos[events[e][3]] for _, e in pairs])
        K.sum_duplicates()
        totals = np.asarray(K.sum(axis=1)).ravel()
        K = sp.diags(np.divide(1.0, totals, out=np.zeros(n), where=totals > 0)) @ K
        disp = dataset.table("dispatches")
        trows, tcols, talent_pos = [], [], {}
        for did, org, talent in zip(disp["id"], disp["org_id"], disp["talent_id"]):
            if org in index:
                j = talent_pos.setdefault(str(talent), len(talent_pos))
                trows.append(index[org])
                tcols.append(j)
                org_talents.setdefault(org, {}).setdefault(str(talent), []).append(str(did))
        T = _incidence(n, len(talent_pos), trows, tcols)
        T.data[:] = 1.0
        res = dataset.table("resources")
        frows, fcols, srows, scols = [], [], [], []
        for rid, provider, kind, title in zip(res["id"], res["provider_id"], res["kind"],
                                              res["title"]):
            if provider not in index:
                continue
            space, topics = resource_topics(title, kind)
            resources[str(rid)] = (provider, str(title), space, topics)
            i = index[provider]
            for f in topics:
                frows.append(i)
                fcols.append(f)
            ward = attrs[i].get("ward")
            if space and ward in ward_pos:
                srows.append(i)
                scols.append(ward_pos[ward])
        R_field = _incidence(n, 21, frows, fcols)
        R_space = _incidence(n, len(ward_list), srows, scols)

    def pair(L, R):
        R = sp.csr_matrix(R)
        return sp.csr_matrix(L), R, R.T.tocsr()

    bilinear = {
        "common_neighbours": pair(A, A),
        "adamic_adar": pair(A @ sp.diags(inv_log), A),
        "resource_allocation": pair(A @ sp.diags(inv_deg), A),
        "shared_fields": pair(F, F),
        "same_ward": pair(W, W),
        "neighbouring_ward": pair(W, W @ M),
    }
    if B is not None:
        series_size = np.asarray(S.sum(axis=0)).ravel()
        inv_size = np.divide(1.0, series_size, out=np.zeros(len(series_size)),
                             where=series_size > 0)
        space_need = sp.diags(group) @ near  # a group may use a space in or next to its ward
        bilinear["shared_events"] = pair(B, B)
        bilinear["event_series"] = pair(S @ sp.diags(inv_size), S)
        bilinear["event_activity"] = pair(sp.csr_matrix(activity[:, None]),
                                          sp.csr_matrix(activity[:, None]))
        bilinear["event_kinds"] = pair(K, K)
        bilinear["shared_talent"] = pair(T, T)
        bilinear["resource_match"] = pair(sp.hstack([R_field, F, R_space, space_need]),
                                          sp.hstack([F, R_field, space_need, R_space]))
    return Signals(
        graph=G, nodes=nodes, index=index, adjacency=A, degree=degree,
        orientation=orientation, bilinear=bilinear, events=events, recent_since=recent_since,
        org_events={k: frozenset(v) for k, v in org_events.items()}, resources=resources,
        org_talents={k: {t: tuple(d) for t, d in v.items()} for k, v in org_talents.items()},
        names={u: str(G.nodes[u].get("name") or u) for u in nodes},
        order={u: i for i, u in enumerate(sorted(nodes, key=lambda u: (degree[index[u]], str(u))))},
    )


def example_graph() -> nx.Graph:
    """A five-organisation tie graph used in the examples and tests.

    A, B, C, D in 西淀川区; A–B, A–C, B–D, C–D, B–C are tied (collaborations C1…C5); A and
    E share field 13 (子どもの健全育成); E (此花区, next door) has no ties.

    Examples
    --------
    >>> sorted(example_graph().edges())
    [('A', 'B'), ('A', 'C'), ('B', 'C'), ('B', 'D'), ('C', 'D')]
    """
    G = nx.Graph()
    day = dt.date(2019, 4, 1)
    for u, name, kind, ward, orientation, fields in (
        ("A", "にしよど子ども食堂", "npo", "西淀川区", "thematic", (13,)),
        ("B", "御幣島町会", "neighbourhood_association", "西淀川区", "territorial", ()),
        ("C", "西淀川区社会福祉協議会", "public_agency", "西淀川区", "", ()),
        ("D", "姫島地域活動協議会", "council", "西淀川区", "territorial", ()),
        ("E", "此花こども広場", "npo", "此花区", "thematic", (13, 2)),
    ):
        G.add_node(u, name=name, kind=kind, ward=ward, orientation=orientation,
                   fields=fields, synthetic=True)
    for i, (u, v) in enumerate((("A", "B"), ("A", "C"), ("B", "D"), ("C", "D"), ("B", "C")), 1):
        G.add_edge(u, v, weight=1.0, collaboration=1.0, co_participation=0.0,
                   co_membership=0.0, shared_dispatch=0.0, evidence=(f"collaborations:C{i}",),
                   first_date=day, last_date=day)
    return G
