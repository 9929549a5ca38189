"""Introductions: whom an organisation could meet next, and why.

For an organisation (or a set of them, or everyone) rank the organisations it has **no tie
with** in the tie graph, by a weighted sum of pair signals, and explain every suggestion with
reasons in Japanese and English that cite the records behind them (``"table:id"``).

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
============================ ================================================================

A pair's score is ``Σ weights[f] · f(u, v)``; its parts are the terms. ``DEFAULT_WEIGHTS``
are used unless weights are given (``tsunagari suggest`` uses them unless ``--calibrate``, so a
single query answers in seconds); ``graph.evaluate.calibrate_history`` fits the weights on the
data's own history (see there; ``tsunagari suggest --calibrate`` caches them per store
version). Every signal is a bilinear form ``L[u] · R[v]`` of sparse
matrices (or a function of two per-node vectors), so scores for a block of organisations
against everyone are a few sparse products (A·A for common neighbours, A·D⁻¹·A for resource
allocation) — never a loop over all pairs.

Goals: ``strengthen`` ranks partners inside the organisation's own community (closing
triangles); ``bridge`` ranks only partners in another community (and, with ``across``, in
another ward, sector or orientation). An organisation without ties forms no community: under
``strengthen`` it is offered everyone, so the isolated still get (attribute-based)
suggestions. A pair with no positive signal, or whose signals cite no record, is never
suggested.

Examples
--------
>>> G = example_graph()
>>> best = suggest(G, orgs="A", goal="strengthen", top=1, partition={n: 0 for n in G})[0]
>>> best.partner, best.reasons[0].en
('D', '2 partners in common: 御幣島町会, 西淀川区社会福祉協議会')
>>> best.reasons[0].evidence
('collaborations:C1', 'collaborations:C3', 'collaborations:C2', 'collaborations:C4')
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from graph.errors import GraphError
from ingest.normalise import is_osaka, nfkc, ward_in_english
from ingest.schemas import NPO_FIELDS, WARDS, Dataset
from ingest.vocabulary import NPO_FIELDS_EN, field_name_en, orientation_of

__all__ = [
    "FEATURES",
    "STRUCTURAL_FEATURES",
    "DEFAULT_WEIGHTS",
    "GOALS",
    "EVENT_KIND_LABELS",
    "Reason",
    "Suggestion",
    "Signals",
    "ward_adjacency",
    "build_signals",
    "check_weights",
    "pair_features",
    "score_block",
    "select_orgs",
    "suggest",
    "work_list",
    "example_graph",
]

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

# Used when the data has no dated history to calibrate on. Structural evidence first (a shared
# partner is the strongest hint), then shared activity, then attributes.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "common_neighbours": 1.0,
    "adamic_adar": 0.5,
    "resource_allocation": 0.5,
    "preferential_attachment": 0.1,
    "shared_events": 1.0,
    "event_series": 1.0,
    "event_activity": 0.2,
    "event_kinds": 0.3,
    "shared_fields": 0.5,
    "same_ward": 0.5,
    "neighbouring_ward": 0.25,
    "complementary": 0.25,
    "resource_match": 0.5,
    "shared_talent": 0.5,
}

GOALS: tuple[str, ...] = ("strengthen", "bridge")
_ACROSS = ("community", "ward", "kind", "orientation")
_LOG1P = frozenset({"common_neighbours", "shared_events", "resource_match", "shared_talent",
                    "event_activity"})
_GROUP_KINDS = frozenset({"neighbourhood_association", "council", "citizen_group", "npo"})
_SPACE_WORDS = ("space", "venue", "room", "hall", "スペース", "会場", "会議室", "場所", "施設",
                "ホール", "集会所", "教室")
# keyword → NPO field, to read the topic of a resource offer from its title and kind.
_TOPIC_WORDS: tuple[tuple[str, int], ...] = (
    ("福祉", 1), ("介護", 1), ("医療", 1), ("健康", 1), ("看護", 1), ("welfare", 1),
    ("health", 1), ("学習", 2), ("教育", 2), ("講座", 2), ("education", 2),
    ("まちづくり", 3), ("まち", 3), ("観光", 4), ("農", 5), ("文化", 6), ("芸術", 6),
    ("スポーツ", 6), ("音楽", 6), ("sport", 6), ("art", 6), ("環境", 7), ("清掃", 7),
    ("緑化", 7), ("environment", 7), ("防災", 8), ("災害", 8), ("disaster", 8), ("防犯", 9),
    ("見守り", 9), ("安全", 9), ("safety", 9), ("人権", 10), ("平和", 10), ("国際", 11),
    ("多文化", 11), ("外国", 11), ("international", 11), ("男女", 12), ("女性", 12),
    ("子ども", 13), ("子育て", 13), ("児童", 13), ("青少年", 13), ("遊び場", 13),
    ("child", 13), ("it", 14), ("ict", 14), ("情報", 14), ("パソコン", 14), ("科学", 15),
    ("技術", 15), ("経済", 16), ("商店", 16), ("起業", 16), ("就労", 17), ("雇用", 17),
    ("職業", 17), ("消費者", 18), ("運営", 19), ("会計", 19), ("助言", 19), ("広報", 19),
    ("accounting", 19), ("management", 19), ("fundraising", 19), ("pr", 19),
)
_FIELDS_EN = {f: field_name_en(f, lower=True) for f in NPO_FIELDS_EN}  # in sentences


#: Event kind → (Japanese, English) words used in reasons (other kinds are shown as written).
EVENT_KIND_LABELS: Mapping[str, tuple[str, str]] = {
    "local_festival": ("地域のまつり", "local festivals"), "festival": ("まつり", "festivals"),
    "meetup": ("交流会", "meetups"), "meetup_series": ("交流会（シリーズ）", "meetup series"),
    "cleanup": ("清掃活動", "clean-ups"), "forum": ("フォーラム", "forums"),
    "exchange_live": ("交流ライブ", "exchange live events"), "training": ("研修", "training"),
    "lecture": ("講座", "lectures"), "web_board": ("ウェブ掲示板", "web boards"),
    "broadcast_series": ("放送シリーズ", "broadcast series"),
}


class Reason(NamedTuple):
    """One reason for a suggestion: what the records show, in Japanese and English.

    ``evidence`` lists the records behind it as ``"table:id"`` strings; ``contribution`` is
    the part of the score the reason explains.
    """

    code: str
    ja: str
    en: str
    evidence: tuple[str, ...]
    contribution: float


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
    neighbours: Mapping[str, frozenset] = field(default_factory=dict)
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


def _series_name(name: object) -> str:
    """The series an event belongs to: its name without brackets, session numbers and dates.

    >>> _series_name("にしよどリンク 第12回"), _series_name("（合成）西淀川区第9地域まつり FY2024")
    ('にしよどリンク', '西淀川区第9地域まつり')
    """
    text = nfkc(name)
    for pattern in (r"[(\[【][^)\]】]*[)\]】]", r"FY\s*\d{4}(-\d+)?", r"第\s*\d+\s*回",
                    r"(令和|平成|R|H)?\s*(\d+|元)\s*年度?", r"\d+\s*月\s*(\d+\s*日)?",
                    r"\d{4}[-/.]\d{1,2}([-/.]\d{1,2})?", r"[\s\-#]*\d+$"):
        text = re.sub(pattern, " ", text)
    text = re.sub(r"\s+", " ", text).strip(" -–・:")
    return text or nfkc(name)


def _resource_topics(title: object, kind: object) -> tuple[bool, frozenset[int]]:
    """(local, fields): the NPO fields a resource offer is about, read from keywords; an offer
    of space, or one naming no field, is *local* (useful to groups nearby).

    >>> _resource_topics("子ども食堂への食材提供", "goods"), _resource_topics("講師の派遣", "lecturer")
    ((False, frozenset({13})), (True, frozenset()))
    """
    text = f"{nfkc(title)} {nfkc(kind)}".lower()
    words = set(re.split(r"[\s/・,、;]+", text))
    topics = frozenset(f for word, f in _TOPIC_WORDS
                       if (word in words if word.isascii() else word in text))
    space = any(w in text for w in _SPACE_WORDS) or not topics
    return space, topics


# --- signals ----------------------------------------------------------------------------------

def _orientation(data: Mapping) -> int:
    value = orientation_of(data.get("kind"), data.get("orientation"))
    return 1 if value == "territorial" else -1 if value == "thematic" else 0


def _incidence(n: int, m: int, rows: list[int], cols: list[int], values=None) -> sp.csr_matrix:
    values = np.ones(len(rows)) if values is None else np.asarray(values, dtype=float)
    return sp.csr_matrix((values, (rows, cols)), shape=(n, m), dtype=float)


def _dates_ok(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame if column in frame.columns else frame.assign(**{column: pd.NaT})


def build_signals(G: nx.Graph, dataset: Dataset | None = None) -> Signals:
    """Index a tie graph (and the dataset it came from) for fast pair scoring.

    Parameters
    ----------
    G : networkx.Graph
        Tie graph (``graph.build.tie_graph``): organisations with ``kind, ward, orientation,
        fields`` and edges with ``evidence``. Not modified.
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
    nodes = tuple(G.nodes)
    index = {u: i for i, u in enumerate(nodes)}
    n = len(nodes)
    rows, cols = [], []
    for u, v in G.edges():
        if u != v:
            rows += [index[u], index[v]]
            cols += [index[v], index[u]]
    A = _incidence(n, n, rows, cols)
    A.data[:] = 1.0
    A.sum_duplicates()
    A.data[:] = 1.0
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
    orientation = np.array([_orientation(a) for a in attrs], dtype=float)
    group = np.array([a.get("kind") in _GROUP_KINDS for a in attrs], dtype=float)

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
            events[str(eid)] = (str(name), _series_name(name),
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
            space, topics = _resource_topics(title, kind)
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
        neighbours={u: frozenset(G[u]) - {u} for u in nodes},
        names={u: str(G.nodes[u].get("name") or u) for u in nodes},
        order={u: i for i, u in enumerate(sorted(nodes, key=lambda u: (degree[index[u]], str(u))))},
    )


def check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Validate a weight mapping; missing features get weight 0, ``None`` gives the defaults.

    Examples
    --------
    >>> check_weights({"common_neighbours": 2})["common_neighbours"], check_weights({})["same_ward"]
    (2.0, 0.0)
    >>> check_weights({"gossip": 1})
    Traceback (most recent call last):
    ...
    graph.errors.GraphError: unknown signal 'gossip'; signals are common_neighbours, ...
    """
    if weights is None:
        return dict(DEFAULT_WEIGHTS)
    unknown = [f for f in weights if f not in FEATURES]
    if unknown:
        raise GraphError(f"unknown signal {unknown[0]!r}; signals are {', '.join(FEATURES)}")
    out = {f: float(weights.get(f, 0.0)) for f in FEATURES}
    if not all(np.isfinite(list(out.values()))):
        raise GraphError("weights must be finite numbers")
    return out


def _transform(feature: str, values: np.ndarray) -> np.ndarray:
    return np.log1p(values) if feature in _LOG1P else values


def _feature_rows(sig: Signals, rows: np.ndarray, feature: str) -> np.ndarray:
    """Dense ``len(rows) × n`` values of one feature, every row against every organisation."""
    n = len(sig.nodes)
    if feature == "preferential_attachment":
        return np.log1p(sig.degree[rows])[:, None] + np.log1p(sig.degree)[None, :]
    if feature == "complementary":
        return (np.outer(sig.orientation[rows], sig.orientation) < 0).astype(float)
    if feature not in sig.bilinear:
        return np.zeros((len(rows), n))
    L, _, RT = sig.bilinear[feature]
    product = L[rows] @ RT
    if feature in _LOG1P:  # log1p(0) = 0: transform the stored values only
        product.data = np.log1p(product.data)
    return product.toarray()


def _feature_pairs(sig: Signals, us: np.ndarray, vs: np.ndarray, feature: str) -> np.ndarray:
    """Values of one feature for the pairs ``(us[i], vs[i])``."""
    if feature == "preferential_attachment":
        return np.log1p(sig.degree[us]) + np.log1p(sig.degree[vs])
    if feature == "complementary":
        return (sig.orientation[us] * sig.orientation[vs] < 0).astype(float)
    if feature not in sig.bilinear or len(us) == 0:
        return np.zeros(len(us))
    L, R, _ = sig.bilinear[feature]
    values = np.asarray(L[us].multiply(R[vs]).sum(axis=1)).ravel()
    return _transform(feature, values)


def score_block(sig: Signals, rows: np.ndarray, weights: Mapping[str, float]) -> np.ndarray:
    """Scores of ``rows`` (node positions) against every organisation, as a dense array.

    Ties, self-pairs and goals are not masked here; :func:`suggest` and
    ``graph.evaluate`` do that.

    Examples
    --------
    >>> sig = build_signals(example_graph())
    >>> score_block(sig, [0], {"common_neighbours": 1.0}).round(2).tolist()
    [[1.1, 0.69, 0.69, 1.1, 0.0]]
    """
    rows = np.asarray(rows, dtype=int)
    out = np.zeros((len(rows), len(sig.nodes)))
    sparse_sum = None
    for feature, weight in weights.items():
        if not weight:
            continue
        if feature in sig.bilinear:  # sparse: sum the sparse products, densify once
            L, _, RT = sig.bilinear[feature]
            product = L[rows] @ RT
            if feature in _LOG1P:
                product.data = np.log1p(product.data)
            product.data *= weight
            sparse_sum = product if sparse_sum is None else sparse_sum + product
        elif feature in ("preferential_attachment", "complementary"):
            out += weight * _feature_rows(sig, rows, feature)
    if sparse_sum is not None:
        out += sparse_sum.toarray()
    return out


def pair_features(G: nx.Graph, pairs: Iterable[tuple[str, str]], *,
                  dataset: Dataset | None = None, signals: Signals | None = None) -> pd.DataFrame:
    """The raw (transformed, unweighted) signals of some pairs, one row per pair.

    Examples
    --------
    >>> pair_features(example_graph(), [("A", "D")])[["org", "partner", "same_ward"]]
      org partner  same_ward
    0   A       D        1.0
    """
    sig = signals if signals is not None else build_signals(G, dataset)
    pairs = list(pairs)
    for pair_ in pairs:
        for u in pair_:
            if u not in sig.index:
                raise GraphError(f"organisation {u!r} is not in the graph")
    us = np.array([sig.index[u] for u, _ in pairs], dtype=int)
    vs = np.array([sig.index[v] for _, v in pairs], dtype=int)
    frame = pd.DataFrame({"org": [u for u, _ in pairs], "partner": [v for _, v in pairs]})
    for feature in FEATURES:
        frame[feature] = _feature_pairs(sig, us, vs, feature)
    return frame


# --- scope and goals --------------------------------------------------------------------------

def _membership(G: nx.Graph, partition, seed: int) -> dict:
    if partition is None:
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


def _goal_mask(sig: Signals, rows: np.ndarray, goal: str, across: tuple[str, ...],
               membership: Mapping) -> np.ndarray:
    """True where a partner is allowed for the row's organisation under the goal."""
    G = sig.graph
    allowed = np.ones((len(rows), len(sig.nodes)), dtype=bool)
    comm = np.array([hash(membership[u]) for u in sig.nodes])
    if goal == "strengthen":
        same = comm[rows][:, None] == comm[None, :]
        lonely = sig.degree[rows] == 0  # no ties, no community: everyone is in scope
        allowed &= same | lonely[:, None]
        return allowed
    for attr in across:
        if attr == "community":
            values = comm
        else:
            values = np.array([hash(G.nodes[u].get(attr) or "") for u in sig.nodes])
        allowed &= values[rows][:, None] != values[None, :]
    return allowed


# --- reasons ----------------------------------------------------------------------------------

def _name(G: nx.Graph, u: str) -> str:
    return str(G.nodes[u].get("name") or u)


def _edge_evidence(G: nx.Graph, u: str, v: str) -> tuple[str, ...]:
    return tuple(G.edges[u, v].get("evidence") or ())[:1]


def _reasons(sig: Signals, u: str, v: str, parts: Mapping[str, float],
             goal: str = "strengthen") -> tuple[Reason, ...]:
    """Reasons, each citing records, to introduce ``v`` (the partner) to ``u`` (who asks).

    For ``bridge``, ``graph.findings.bridge_reasons`` adds what the two sides share or
    complement and never lets popularity (``hub``) stand alone."""
    G = sig.graph
    out: list[Reason] = []
    org_names, index, degree = sig.names, sig.index, sig.degree

    def _name(_, w):
        return org_names[w]
    du, dv = G.nodes[u], G.nodes[v]
    orgs = (f"organizations:{u}", f"organizations:{v}")

    structural = sum(parts.get(f, 0.0) for f in STRUCTURAL_FEATURES[:3])
    if structural > 0:
        shared = sig.neighbours[u] & sig.neighbours[v]
        common = heapq.nsmallest(3, shared, key=sig.order.__getitem__)
        evidence = tuple(dict.fromkeys(e for w in common[:3]
                                       for e in _edge_evidence(G, u, w) + _edge_evidence(G, v, w)))
        if evidence:
            names = "、".join(_name(G, w) for w in common[:3])
            more = f"（他{len(shared) - 3}団体）" if len(shared) > 3 else ""
            more_en = f" and {len(shared) - 3} more" if len(shared) > 3 else ""
            out.append(Reason("common_partners", f"共通の連携先が{len(shared)}団体: {names}{more}",
                              f"{len(shared)} partners in common: {names.replace('、', ', ')}{more_en}",
                              evidence, structural))
    if parts.get("preferential_attachment", 0.0) > 0 and degree[index[v]]:
        hub = v  # the reason is about the partner being introduced, never the one asking
        d = int(degree[index[hub]])
        evidence = _memo(sig, "hub", hub, lambda x: tuple(dict.fromkeys(
            e for w in heapq.nsmallest(3, sig.neighbours[x], key=str)
            for e in _edge_evidence(G, x, w))))
        if evidence:
            out.append(Reason("hub", f"{_name(G, hub)}は{d}団体とつながる地域のハブ",
                              f"{_name(G, hub)} is a hub tied to {d} organisation{'s' if d != 1 else ''}",
                              evidence, parts["preferential_attachment"]))
    if parts.get("shared_events", 0.0) > 0:
        shared = sorted(sig.org_events.get(u, frozenset()) & sig.org_events.get(v, frozenset()))
        by_series: dict[str, list[str]] = {}
        for e in shared:
            by_series.setdefault(sig.events[e][1], []).append(e)
        ranked = sorted(by_series.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:2]
        for series, ids in ranked:
            out.append(Reason("met_at", f"{series}で{len(ids)}回同席",
                              f"Met {len(ids)} time{'s' if len(ids) > 1 else ''} at {series}",
                              tuple(f"events:{e}" for e in ids[:5]),
                              parts["shared_events"] * len(ids) / len(shared)))
    if parts.get("event_series", 0.0) > 0:
        eu, ev = sig.org_events.get(u, frozenset()), sig.org_events.get(v, frozenset())
        def series_of(x):
            return frozenset(sig.events[e][1] for e in sig.org_events.get(x, ()))

        common = sorted(_memo(sig, "series", u, series_of) & _memo(sig, "series", v, series_of))[:2]
        for series in common:
            a = sorted(e for e in eu if sig.events[e][1] == series)
            b = sorted(e for e in ev if sig.events[e][1] == series)
            out.append(Reason("same_series", f"両団体とも{series}に参加（{len(a)}回・{len(b)}回）",
                              f"Both take part in {series} ({len(a)} and {len(b)} times)",
                              tuple(dict.fromkeys(f"events:{e}" for e in a[:2] + b[:2])),
                              parts["event_series"] / len(common)))
    if parts.get("event_activity", 0.0) > 0 and sig.recent_since is not None:
        ru, rv = (_memo(sig, "recent", x, lambda x: [
            e for e in sorted(sig.org_events.get(x, ()))
            if sig.events[e][2] is not None and sig.events[e][2] > sig.recent_since]) for x in (u, v))
        if ru and rv:
            out.append(Reason("active", f"両団体とも直近1年に交流の場へ参加（{len(ru)}回・{len(rv)}回）",
                              f"Both took part in events in the last year ({len(ru)} and {len(rv)})",
                              tuple(f"events:{e}" for e in ru[-2:] + rv[-2:]),
                              parts["event_activity"]))
    if parts.get("event_kinds", 0.0) > 0:
        def by_kind(x):
            store: dict[str, list[str]] = {}
            for e in sorted(sig.org_events.get(x, ())):
                store.setdefault(sig.events[e][3], []).append(e)
            return store

        ku, kv = _memo(sig, "kinds", u, by_kind), _memo(sig, "kinds", v, by_kind)
        common = sorted(set(ku) & set(kv), key=lambda k: (-len(ku[k]) - len(kv[k]), k))[:2]
        if common:
            words = [EVENT_KIND_LABELS.get(k, (k, k)) if k else ("（種別なし）", "(no kind)")
                     for k in common]
            label = "、".join(ja for ja, _ in words)
            out.append(Reason("event_kinds", f"同じ種類の交流の場に参加: {label}",
                              "Take part in the same kinds of events: "
                              + ", ".join(en for _, en in words),
                              tuple(f"events:{e}" for k in common for e in ku[k][-1:] + kv[k][-1:]),
                              parts["event_kinds"]))
    if parts.get("shared_fields", 0.0) > 0:
        fields = sorted(set(du.get("fields") or ()) & set(dv.get("fields") or ()))
        if fields:
            out.append(Reason("same_field",
                              "同じ活動分野: " + "、".join(NPO_FIELDS[f] for f in fields),
                              "Same field of activity: " + ", ".join(
                                  f"{NPO_FIELDS[f]} ({_FIELDS_EN[f]})" for f in fields),
                              orgs, parts["shared_fields"]))
    if parts.get("same_ward", 0.0) > 0 and du.get("ward") == dv.get("ward"):
        w = du["ward"]
        out.append(Reason("same_ward", f"同じ区: {w}", f"Same ward: {w} ({ward_in_english(w)})",
                          orgs, parts["same_ward"]))
    if parts.get("neighbouring_ward", 0.0) > 0:
        a, b = du.get("ward"), dv.get("ward")
        out.append(Reason("neighbouring_ward", f"隣接する区: {a}と{b}",
                          f"Neighbouring wards: {a} ({ward_in_english(a)}) and {b} "
                          f"({ward_in_english(b)})", orgs, parts["neighbouring_ward"]))
    if parts.get("complementary", 0.0) > 0:
        terr, them = (u, v) if sig.orientation[sig.index[u]] > 0 else (v, u)
        out.append(Reason("complementary",
                          f"地縁型（{_name(G, terr)}）とテーマ型（{_name(G, them)}）が補い合う",
                          f"Territorial ({_name(G, terr)}) and thematic ({_name(G, them)}) "
                          "groups complement each other", orgs, parts["complementary"]))
    if parts.get("resource_match", 0.0) > 0:
        found = []
        for provider, receiver in ((u, v), (v, u)):
            rdata = G.nodes[receiver]
            fields = set(rdata.get("fields") or ())
            pw, rw = G.nodes[provider].get("ward"), rdata.get("ward")
            nearby = pw and rw and (pw == rw or frozenset((pw, rw)) in ward_adjacency())
            offers = _memo(sig, "offers", provider, lambda x: sorted(
                (rid, r) for rid, r in sig.resources.items() if r[0] == x))
            for rid, (_provider, title, space, topics) in offers:
                if (topics & fields) or (space and nearby and rdata.get("kind") in _GROUP_KINDS):
                    found.append((rid, provider, title))
        for rid, provider, title in found[:2]:
            out.append(Reason("resource", f"{_name(G, provider)}が{title}を提供",
                              f"{_name(G, provider)} offers {title}", (f"resources:{rid}",),
                              parts["resource_match"] / min(len(found), 2)))
    if parts.get("shared_talent", 0.0) > 0:
        tu, tv = sig.org_talents.get(u, {}), sig.org_talents.get(v, {})
        for talent in sorted(set(tu) & set(tv))[:2]:
            out.append(Reason("shared_talent", f"同じ地域公共人材（{talent}）が両団体に派遣",
                              f"The same public talent ({talent}) was dispatched to both",
                              tuple(f"dispatches:{d}" for d in tu[talent][:2] + tv[talent][:2]),
                              parts["shared_talent"]))
    out.sort(key=lambda r: -r.contribution)
    if goal == "bridge":
        from graph.findings import bridge_reasons

        return bridge_reasons(sig, u, v, out)
    return tuple(out)


def _memo(sig: Signals, kind: str, org: str, compute):
    key = (kind, org)
    if key not in sig.memo:
        sig.memo[key] = compute(org)
    return sig.memo[key]


# --- suggestions ------------------------------------------------------------------------------

def _row_jitter(seed: int, row: int, n: int) -> np.ndarray:
    """Seeded per-row tie-breaker below 1e-9, the same whichever rows are scored together."""
    return np.random.default_rng((seed, row)).random(n) * 1e-9


def suggest(G: nx.Graph, *, dataset: Dataset | None = None, orgs=None, goal: str = "strengthen",
            top: int = 10, weights: Mapping[str, float] | None = None, partition=None,
            across: Iterable[str] = ("community",), seed: int = 0,
            signals: Signals | None = None, block: int = 256) -> list[Suggestion]:
    """Rank introductions for ``orgs`` among organisations they have no tie with.

    Parameters
    ----------
    G : networkx.Graph
        Tie graph (``graph.build.tie_graph``). Not modified.
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
        weights come from ``graph.evaluate.calibrate``.
    partition : Partition or mapping, optional
        Communities (``graph.communities.Partition`` or node → label); default Louvain with
        ``seed``.
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
    n = len(sig.nodes)
    A = sig.adjacency
    out: list[Suggestion] = []
    positions = np.array([sig.index[u] for u in chosen], dtype=int)
    for start in range(0, len(positions), block):
        rows = positions[start:start + block]
        scores = score_block(sig, rows, w)
        allowed = _goal_mask(sig, rows, goal, across, membership)
        allowed &= A[rows].toarray() == 0
        allowed[np.arange(len(rows)), rows] = False
        allowed &= scores > 1e-12
        heads = []
        for r, row in enumerate(rows):
            cols = np.flatnonzero(allowed[r])
            if len(cols) == 0:
                continue
            ranked = scores[r, cols] + _row_jitter(seed, int(row), n)[cols]
            take = min(len(cols), int(top) + 5)
            order = np.argpartition(-ranked, take - 1)[:take] if take < len(cols) else np.arange(len(cols))
            order = order[np.argsort(-ranked[order], kind="stable")]
            heads.append((int(row), cols, order, ranked))
        # the signals of every head candidate of the block, in one sparse pass per signal
        us = np.concatenate([np.full(len(h[2]), h[0]) for h in heads]) if heads else np.zeros(0, int)
        vs = np.concatenate([h[1][h[2]] for h in heads]) if heads else np.zeros(0, int)
        values = {f: _feature_pairs(sig, us, vs, f) for f, wf in w.items() if wf}
        offset = 0
        for row, cols, order, ranked in heads:
            head = {f: x[offset:offset + len(order)] for f, x in values.items()}
            offset += len(order)
            out.extend(_explained(sig, row, cols, order, ranked, w, goal, int(top), head))
    return out


def _explained(sig: Signals, row: int, cols: np.ndarray, order: np.ndarray, ranked: np.ndarray,
               w: Mapping[str, float], goal: str, top: int,
               head: Mapping[str, np.ndarray]) -> list[Suggestion]:
    """Turn ranked candidate columns into suggestions with reasons, skipping the unexplained.

    ``head`` holds the signals of the candidates ``order`` already ranks; further candidates
    (only when too many of those lack a reason) are scored here."""
    u = sig.nodes[row]
    result: list[Suggestion] = []
    position = 0
    while len(result) < top and position < len(cols):
        if position >= len(order):  # ran out of the pre-selected head: rank the next few
            rest = np.setdiff1d(np.arange(len(cols)), order)
            take = min(len(rest), 2 * top + 10)
            nxt = np.argpartition(-ranked[rest], take - 1)[:take] if take < len(rest) else np.arange(len(rest))
            order = np.concatenate([order, rest[nxt[np.argsort(-ranked[rest][nxt], kind="stable")]]])
            vs = cols[order[position:]]
            more = {f: _feature_pairs(sig, np.full(len(vs), row), vs, f) for f in head}
            head = {f: np.concatenate([head[f], more[f]]) for f in head}
        col = cols[order[position]]
        parts = {f: float(w[f] * x[position]) for f, x in head.items() if x[position] != 0}
        position += 1
        v = sig.nodes[col]
        reasons = _reasons(sig, u, v, parts, goal)
        if not reasons:
            continue
        result.append(Suggestion(u, v, len(result) + 1, float(sum(parts.values())), parts,
                                 reasons, goal, sig.names[u], sig.names[v]))
    return result


def work_list(suggestions: Iterable[Suggestion]) -> pd.DataFrame:
    """A coordinator's work list: one row per suggestion, outcome columns left to fill in.

    Columns: ``org_id, org_name, partner_id, partner_name, goal, rank, score, reasons_ja,
    reasons_en, evidence, status, date, note`` (``status`` starts as ``proposed``).

    Examples
    --------
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
