"""Connectors and the isolated: who bridges the ecosystem, who is left out, and why.

:func:`connectors` ranks organisations by a brokerage score built from the measures of
:func:`graph.centrality.organisation_measures` and explains each rank in English and Japanese.
:func:`isolated` lists organisations that need a partner, each of one kind (no tie, one
partner, peripheral, inactive since a date) with reason codes and text.

Connector score (documented formula)
------------------------------------
Among organisations with at least ``min_degree`` partners (others score 0)::

    score = 0.4 · pct(betweenness)                      # lies between others
          + 0.3 · pct(participation_coefficient)        # ties spread over communities
          + 0.2 · pct(−constraint)                      # partners not tied to each other
          + 0.1 · pct(cross_sector + cross_ward + territorial_thematic)   # bridging ties

``pct`` is the percentile rank (0–1, ties take the lowest rank) among those organisations, so
the score lies in [0, 1], does not depend on the graph's size, and a top-ranked connector is
one that is high on all four at once.

Isolation kinds (counted apart)
-------------------------------
Every organisation :func:`isolated` lists has exactly one kind, the first that applies:

``no_ties``          つながりなし — no tie at all in the scope
``single_partner``   相手が1団体だけ — exactly one partner: it hangs on a single tie
``peripheral``       周辺 — two or more partners, but all of them in a small group cut off
                     from the city's main network (``small_component``), or all of them
                     public agencies (``public_only``)
``inactive``         活動が途絶えた — two or more partners in the main network, but no
                     participation, organised event, collaboration, dispatch or resource offer
                     dated since 1 April of fiscal year FY(reference) − ``inactive_years`` + 1
                     (the ``since`` date); its ties are old, not missing

Reason codes (every one that applies, in ``reasons``): ``no_ties``, ``single_partner``,
``small_component`` (in a component of at most ``small_component`` organisations that is
not the largest one), ``public_only`` (every partner is a public agency: 区役所・社協など),
``inactive`` (as above, whatever the kind).

Examples
--------
>>> import networkx as nx
>>> G = nx.barbell_graph(4, 0)
>>> top = connectors(G, [set(range(4)), set(range(4, 8))], top=2)
>>> top.index.tolist(), top["why_en"].iloc[0]
([3, 4], 'only tie between "#0" and "#1"; lies on many shortest paths (betweenness top 25%)')
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from graph.centrality import (
    SECTOR_LABELS_JA,
    _edges,
    _membership,
    organisation_measures,
    sector_of,
)
from graph.core.view import node_values
from graph.errors import GraphError
from ingest.fiscal import fiscal_year

__all__ = [
    "SCORE_WEIGHTS",
    "ISOLATION_KINDS",
    "ISOLATION_REASONS",
    "SECTOR_LABELS_EN",
    "connector_score",
    "connectors",
    "last_activity",
    "isolation_cutoff",
    "isolated",
]

#: Weights of the connector score's percentile components (they sum to 1).
SCORE_WEIGHTS: Mapping[str, float] = {
    "betweenness": 0.4,
    "participation_coefficient": 0.3,
    "constraint": 0.2,
    "bridging": 0.1,
}

#: Isolation kind → (English name, Japanese name, English definition, Japanese definition),
#: in priority order (an organisation takes the first kind that applies).
ISOLATION_KINDS: Mapping[str, tuple[str, str, str, str]] = {
    "no_ties": ("No ties", "つながりなし", "no tie to any organisation in the scope",
                "範囲内のどの団体ともつながりがない"),
    "single_partner": ("Only one partner", "相手が1団体だけ",
                       "exactly one partner: hangs on a single tie",
                       "つながっている相手が1団体だけ（1本のつながりに頼っている）"),
    "peripheral": ("Peripheral", "周辺",
                   ("two or more partners, but only in a small group cut off from the main "
                    "network, or only public agencies"),
                   ("2団体以上とつながっているが、主なネットワークから切り離された小さなまとまりの中だけ、"
                    "または公的機関とだけ")),
    "inactive": ("Inactive since a date", "活動が途絶えた",
                 ("two or more partners in the main network, but no recorded activity since "
                  "the date shown"),
                 "主なネットワークで2団体以上とつながっているが、表示の日付以降の活動記録がない"),
}

#: Isolation reason code → (English, Japanese) short description.
ISOLATION_REASONS: Mapping[str, tuple[str, str]] = {
    "no_ties": ("no ties at all", "つながりがない"),
    "single_partner": ("only one partner", "相手が1団体だけ"),
    "small_component": ("in a small group cut off from the rest", "他から切り離された小さなまとまり"),
    "public_only": ("ties only to public agencies", "公的機関とだけつながっている"),
    "inactive": ("no recent activity", "最近の活動記録がない"),
}

#: Sector → plural English label used in reasons.
SECTOR_LABELS_EN: Mapping[str, str] = {
    "community": "neighbourhood groups",
    "civic": "NPOs and citizen groups",
    "business": "companies",
    "public": "public agencies",
    "intermediary": "intermediaries",
    "education": "schools",
    "religious": "religious bodies",
    "other": "other organisations",
}

_MEASURE_COLUMNS = ("degree", "betweenness", "constraint", "participation_coefficient",
                    "cross_sector", "cross_ward", "territorial_thematic")


def _pct(values: pd.Series) -> pd.Series:
    return values.rank(method="min", pct=True)


def connector_score(measures: pd.DataFrame, *, min_degree: int = 2) -> pd.Series:
    """The connector score of every organisation (module notes give the formula).

    Parameters
    ----------
    measures : pandas.DataFrame
        From :func:`graph.centrality.organisation_measures` with a partition (needs
        ``degree, betweenness, constraint, participation_coefficient, cross_sector,
        cross_ward, territorial_thematic``).
    min_degree : int, keyword-only
        Organisations with fewer partners score 0.

    Returns
    -------
    pandas.Series
        Score in [0, 1] indexed like ``measures``.

    Raises
    ------
    GraphError
        If a needed column is missing.

    Examples
    --------
    >>> m = pd.DataFrame({"degree": [3, 2, 1], "betweenness": [0.5, 0.1, 0.0],
    ...     "constraint": [0.3, 0.6, 1.0], "participation_coefficient": [0.6, 0.0, 0.0],
    ...     "cross_sector": [2, 0, 0], "cross_ward": [1, 0, 0], "territorial_thematic": [0, 0, 0]})
    >>> connector_score(m).round(3).tolist()
    [1.0, 0.5, 0.0]
    """
    missing = [c for c in _MEASURE_COLUMNS if c not in measures.columns]
    if missing:
        raise GraphError(f"connector_score: measures lack {', '.join(missing)} "
                         "(compute them with organisation_measures(G, partition))")
    eligible = measures["degree"] >= min_degree
    score = pd.Series(0.0, index=measures.index)
    if not eligible.any():
        return score
    m = measures[eligible]
    bridging = m["cross_sector"] + m["cross_ward"] + m["territorial_thematic"]
    parts = (SCORE_WEIGHTS["betweenness"] * _pct(m["betweenness"])
             + SCORE_WEIGHTS["participation_coefficient"] * _pct(m["participation_coefficient"])
             + SCORE_WEIGHTS["constraint"] * _pct(-m["constraint"].fillna(np.inf))
             + SCORE_WEIGHTS["bridging"] * _pct(bridging))
    score[eligible] = parts
    return score


def _fallback_labels(G: nx.Graph, membership: Mapping) -> dict:
    """``#i 区・分野`` from the most common ward and NPO field of each community's members."""
    from ingest.schemas import NPO_FIELDS

    wards, fields = defaultdict(Counter), defaultdict(Counter)
    members = [v for v in membership if v in G]
    for v, ward, found in zip(members, node_values(G, members, "ward"),
                              node_values(G, members, "fields")):
        c = membership[v]
        if ward:
            wards[c][ward] += 1
        for f in found or ():
            fields[c][f] += 1
    labels = {}
    for c in set(membership.values()):
        parts = [f"#{c}"]
        if wards[c]:
            parts.append(wards[c].most_common(1)[0][0])
        if fields[c]:
            f = fields[c].most_common(1)[0][0]
            parts.append(NPO_FIELDS.get(f, str(f)))
        labels[c] = " ".join(parts[:1]) + (" " + "・".join(parts[1:]) if parts[1:] else "")
    return labels


def _block_text(block: tuple) -> tuple[str, str]:
    ward, sector = block
    en = SECTOR_LABELS_EN[sector] + (f" in {ward}" if ward else "")
    ja = (ward or "") + ("の" if ward else "") + SECTOR_LABELS_JA[sector]
    return en, ja


def connectors(G: nx.Graph, partition: Any, *, measures: pd.DataFrame | None = None,
               labels: Mapping[Any, str] | None = None,
               labels_en: Mapping[Any, str] | None = None, top: int | None = 50,
               min_degree: int = 2, seed: int | None = 0) -> pd.DataFrame:
    """The connector ranking with reasons in English and Japanese.

    Reasons (codes in ``reasons``, at most four per organisation, strongest first):
    ``sole_bridge`` (one end of the only tie between two communities), ``sole_block_tie``
    (the only tie between two ward × sector blocks, e.g. 西淀川区の企業 and 北区の市民活動団体),
    ``communities`` (links ≥ 3 communities), ``sectors`` (partners in ≥ 3 sectors),
    ``territorial_thematic`` (ties between 地縁型 and テーマ型 groups), ``wards`` (partners in
    ≥ 3 wards), ``betweenness`` (top quarter by betweenness).

    Parameters
    ----------
    G : nx.Graph
        Tie graph; not modified.
    partition : Partition, dict or iterable of sets
        Communities covering every node.
    measures : pandas.DataFrame, optional
        Precomputed :func:`~graph.centrality.organisation_measures` (with partition);
        computed when omitted.
    labels : mapping, optional
        Community → label used in the reasons. Default: the ``label`` of
        ``graph.communities.community_profiles`` when ``partition`` is a ``Partition``, else
        ``#i 区・分野`` from the members' most common ward and field.
    labels_en : mapping, optional
        Community → English label for ``why_en`` (e.g. ``["label_en"]``); default ``labels``.
    top : int or None, keyword-only
        Rows returned (None: every organisation with a positive score).
    min_degree : int, keyword-only
        As in :func:`connector_score`.
    seed : int or None, keyword-only
        Passed to betweenness sampling when ``measures`` are computed here.

    Returns
    -------
    pandas.DataFrame
        Indexed by organisation id, best first: ``rank, name, kind, ward, community,
        community_label, score, betweenness, participation_coefficient, constraint,
        communities_linked, role, reasons`` (``;``-joined codes), ``why_en``, ``why_ja``.

    Raises
    ------
    GraphError
        If a node has no community.

    Examples
    --------
    >>> G = nx.barbell_graph(3, 0)
    >>> connectors(G, [{0, 1, 2}, {3, 4, 5}], top=1)["why_ja"].iloc[0]
    '「#0」と「#1」を結ぶ唯一のつながり'
    """
    membership = _membership(G, partition)
    if measures is None:
        measures = organisation_measures(G, membership, seed=seed)
    if labels is None and hasattr(partition, "communities") and len(G):
        from graph.communities import community_profiles

        profiles = community_profiles(G, partition)
        labels = dict(zip(profiles["community"], profiles["label"]))
        if labels_en is None and "label_en" in profiles.columns:
            labels_en = dict(zip(profiles["community"], profiles["label_en"]))
    labels = dict(labels) if labels else _fallback_labels(G, membership)
    for c in set(membership.values()):
        labels.setdefault(c, f"#{c}")
    labels_en = {**labels, **dict(labels_en or {})}
    score = connector_score(measures, min_degree=min_degree)
    order = score[score > 0].sort_values(ascending=False, kind="stable")
    if top is not None:
        order = order.head(top)

    nodes = list(G)
    position = {v: i for i, v in enumerate(nodes)}
    edges = _edges(G, nodes)
    sectors = [sector_of(kind) for kind in node_values(G, nodes, "kind")]
    sole_pairs, sole_blocks = _sole_ties(G, nodes, edges, sectors, membership)
    partner_sectors = _partner_sectors(len(nodes), edges, sectors)
    eligible = measures["degree"] >= min_degree
    # share of eligible organisations whose betweenness is at least this one's
    b_top = (measures.loc[eligible, "betweenness"].rank(method="max", ascending=False)
             / max(int(eligible.sum()), 1)).to_dict()
    chosen = measures.loc[order.index]
    columns_needed = ["name", "kind", "ward", "betweenness", "participation_coefficient",
                      "constraint", "communities_linked", "role", "territorial_thematic",
                      "wards_linked"]
    records = {c: chosen[c].tolist() if c in chosen.columns else [None] * len(chosen)
               for c in columns_needed}
    rows = []
    for i, (node, value) in enumerate(order.items()):
        row = {c: values[i] for c, values in records.items()}
        codes, en, ja = [], [], []

        def say(code, text_en, text_ja):
            if len(codes) < 4:
                codes.append(code)
                en.append(text_en)
                ja.append(text_ja)

        if sole_pairs.get(node):
            pairs = sole_pairs[node]
            a, b = pairs[0]
            more = len(pairs) - 1
            say("sole_bridge",
                f'only tie between "{labels_en[a]}" and "{labels_en[b]}"'
                + (f" (+{more} more community pairs)" if more else ""),
                f"「{labels[a]}」と「{labels[b]}」を結ぶ唯一のつながり" + (f"（ほか{more}組）" if more else ""))
        if sole_blocks.get(node):
            a, b = sole_blocks[node][0]
            (ea, ja_a), (eb, ja_b) = _block_text(a), _block_text(b)
            say("sole_block_tie", f"only tie between {ea} and {eb}",
                f"{ja_a}と{ja_b}の間の唯一のつながり")
        linked = int(row["communities_linked"] or 0)
        if linked >= 3:
            say("communities", f"links {linked} communities", f"{linked}つのコミュニティをつなぐ")
        found = partner_sectors[position[node]]
        if len(found) >= 3:
            say("sectors", "works with " + ", ".join(SECTOR_LABELS_EN[x] for x in found),
                "・".join(SECTOR_LABELS_JA[x] for x in found) + "と連携")
        tt = int(row["territorial_thematic"])
        if tt:
            say("territorial_thematic", f"links territorial and thematic groups ({tt} ties)",
                f"地縁型とテーマ型の団体をつなぐ（{tt}件）")
        wards_linked = int(row["wards_linked"] or 0)
        if wards_linked >= 3:
            say("wards", f"partners in {wards_linked} wards", f"{wards_linked}区の団体と連携")
        top_share = float(b_top.get(node, 1.0))
        if row["betweenness"] > 0 and top_share <= 0.25:
            pct = int(np.ceil(top_share * 100 - 1e-9))
            say("betweenness", f"lies on many shortest paths (betweenness top {pct}%)",
                f"媒介中心性が上位{pct}%")
        if not codes:
            say("score", f"connector score {value:.2f}", f"連結スコア {value:.2f}")
        community = membership[node]
        rows.append((node, row["name"] if row["name"] is not None else str(node), row["kind"],
                     row["ward"], community, labels[community], float(value),
                     float(row["betweenness"]), float(row["participation_coefficient"]),
                     float(row["constraint"]), linked, row["role"], ";".join(codes),
                     "; ".join(en), "。".join(ja)))
    columns = ["id", "name", "kind", "ward", "community", "community_label", "score",
               "betweenness", "participation_coefficient", "constraint", "communities_linked",
               "role", "reasons", "why_en", "why_ja"]
    frame = pd.DataFrame(rows, columns=columns)
    frame.insert(1, "rank", np.arange(1, len(frame) + 1))
    return frame.set_index("id")


def _partner_sectors(n: int, edges: np.ndarray, sectors: list) -> list:
    """For each node, the sorted sectors of its partners (order of SECTOR_LABELS_EN)."""
    order = list(SECTOR_LABELS_EN)
    code = np.array([order.index(x) for x in sectors], dtype=np.int64)
    ends = np.concatenate([edges, edges[:, ::-1]]) if len(edges) else edges
    pairs = np.unique(ends[:, 0] * len(order) + code[ends[:, 1]]) if len(ends) else ends[:, 0]
    found = [[] for _ in range(n)]
    for node, sector in zip((pairs // len(order)).tolist(), (pairs % len(order)).tolist()):
        found[node].append(order[sector])
    return found


def _sole_ties(G: nx.Graph, nodes: list, edges: np.ndarray, sectors: list,
               membership: Mapping):
    """Node → community pairs / ward × sector block pairs for which it holds the only tie."""
    comm_codes, comm_ids = pd.factorize(pd.Series([membership[v] for v in nodes], dtype=object))
    wards = node_values(G, nodes, "ward")
    block_codes, block_ids = pd.factorize(pd.Series(
        [(w, x) if w else None for w, x in zip(wards, sectors)], dtype=object))

    def sole(codes: np.ndarray, ids) -> dict:
        a, b = codes[edges[:, 0]], codes[edges[:, 1]]
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        keep = (lo != hi) & (lo >= 0)
        if not len(edges) or not keep.any():
            return {}
        key = lo[keep] * (len(ids) + 1) + hi[keep]
        uniq, first, counts = np.unique(key, return_index=True, return_counts=True)
        out = defaultdict(list)
        kept = edges[keep]
        for k_first, k_lo, k_hi in zip(first[counts == 1], (uniq // (len(ids) + 1))[counts == 1],
                                       (uniq % (len(ids) + 1))[counts == 1]):
            pair = tuple(sorted((ids[k_lo], ids[k_hi]), key=str))
            for end in kept[k_first]:
                out[nodes[end]].append(pair)
        return out

    return sole(comm_codes, comm_ids), sole(block_codes, block_ids)


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame[column], errors="coerce")


def last_activity(dataset, *, as_of=None) -> dict:
    """Date of each organisation's latest participation, collaboration, dispatch or offer.

    Events an organisation took part in or organised use the event's ``end_date`` (else
    ``date``); collaborations and
    dispatches their ``end_date`` (else ``start_date``); resources ``offered_on``. Dates after
    ``as_of`` are ignored. Organisations whose records are all undated map to ``None`` (active
    at an unknown time); organisations without any such record are absent.

    Parameters
    ----------
    dataset : ingest.schemas.Dataset
        The records; not modified.
    as_of : date-like, optional
        Ignore records dated after this day.

    Returns
    -------
    dict
        Organisation id → ``datetime.date``.

    Raises
    ------
    GraphError
        If ``as_of`` cannot be read as a date.

    Examples
    --------
    >>> from graph.build import example_dataset
    >>> last_activity(example_dataset())
    {'A': datetime.date(2019, 7, 1), 'B': datetime.date(2019, 7, 1),
     'C': datetime.date(2019, 6, 1), 'K': datetime.date(2019, 1, 10)}
    """
    frames = []
    events = dataset.table("events")
    part = dataset.table("participations")
    if len(events):
        ev = events.drop_duplicates("id").set_index("id")
        end = _dates(ev, "end_date").fillna(_dates(ev, "date"))
        if len(part):
            frames.append(pd.DataFrame({"org": part["org_id"].to_numpy(),
                                        "date": part["event_id"].map(end).to_numpy()}))
        if "organizer_id" in ev.columns:
            frames.append(pd.DataFrame({"org": ev["organizer_id"].to_numpy(),
                                        "date": end.to_numpy()}))
    collab = dataset.table("collaborations")
    if len(collab):
        when = _dates(collab, "end_date").fillna(_dates(collab, "start_date"))
        ex = pd.DataFrame({"org": collab["org_ids"], "date": when}).explode("org")
        frames.append(ex)
    disp = dataset.table("dispatches")
    if len(disp):
        when = _dates(disp, "end_date").fillna(_dates(disp, "start_date"))
        frames.append(pd.DataFrame({"org": disp["org_id"], "date": when}))
    res = dataset.table("resources")
    if len(res):
        frames.append(pd.DataFrame({"org": res["provider_id"],
                                    "date": _dates(res, "offered_on")}))
    if not frames:
        return {}
    frame = pd.concat(frames, ignore_index=True)
    frame = frame[frame["org"].notna()]
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
    if as_of is not None:
        try:
            limit = pd.Timestamp(as_of)
        except (TypeError, ValueError) as exc:
            raise GraphError(f"as_of: cannot read {as_of!r} as a date") from exc
        frame = frame[frame["date"].isna() | (frame["date"] <= limit)]
    latest = frame.groupby("org", sort=True)["date"].max()
    return {org: None if pd.isna(ts) else ts.date() for org, ts in latest.items()}


_fiscal_year = fiscal_year  # ingest.fiscal: the one fiscal-year rule


def isolation_cutoff(reference: dt.date | None, inactive_years: int = 2) -> dt.date | None:
    """The first day that still counts as recent: 1 April of FY(reference) − years + 1.

    Parameters
    ----------
    reference : datetime.date or None
        The reference day (``None``: no cutoff).
    inactive_years : int
        Fiscal years of activity that count as recent (at least 1).

    Returns
    -------
    datetime.date or None

    Examples
    --------
    >>> isolation_cutoff(dt.date(2019, 12, 31), 2)
    datetime.date(2018, 4, 1)
    """
    if reference is None:
        return None
    return dt.date(_fiscal_year(reference) - inactive_years + 1, 4, 1)


def isolated(G: nx.Graph, partition: Any = None, *, measures: pd.DataFrame | None = None,
             activity: Mapping[Any, dt.date] | None = None, as_of=None,
             inactive_years: int = 2, small_component: int = 3) -> pd.DataFrame:
    """Organisations with no tie, a single partner, a peripheral place or no recent activity.

    Each listed organisation has one *kind* (column ``isolation``, the first of
    :data:`ISOLATION_KINDS` that applies, so the kinds are counted apart and their counts add
    up to the rows) and every *reason* code that applies (module notes).

    Parameters
    ----------
    G : nx.Graph
        Tie graph with node attributes ``name, kind, ward``; not modified.
    partition : Partition, dict or iterable of sets, optional
        Communities, for the ``role`` column (computed when ``measures`` lack it).
    measures : pandas.DataFrame, optional
        Precomputed :func:`~graph.centrality.organisation_measures`.
    activity : mapping, optional
        Organisation → date of latest activity, ``None`` when only undated activity is known
        (:func:`last_activity`); without it neither the ``inactive`` kind nor reason is used.
        Organisations absent from it have no recorded activity.
    as_of : date-like, optional
        Reference date for ``inactive``; default the latest date in ``activity``.
    inactive_years : int, keyword-only
        ``inactive`` when the latest activity is before :func:`isolation_cutoff` (1 April of
        fiscal year FY(as_of) − inactive_years + 1), or there is none.
    small_component : int, keyword-only
        Largest component size that counts as ``small_component``.

    Returns
    -------
    pandas.DataFrame
        Indexed by organisation id (only organisations of a kind): ``name, kind, ward,
        degree, component_size, role, last_activity, isolation`` (the kind), ``since`` (the
        cutoff date of ``inactive``, else ``None``), ``reason`` (first reason code),
        ``reasons`` (``;``-joined), ``why_en``, ``why_ja``. Ordered by kind (in the order of
        :data:`ISOLATION_KINDS`), then fewer ties.

    Raises
    ------
    GraphError
        For a bad ``as_of`` or ``inactive_years < 1``.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "g"), ("a", "h")])
    >>> G.add_node("f")
    >>> out = isolated(G)
    >>> out["isolation"].to_dict()
    {'f': 'no_ties', 'd': 'single_partner', 'g': 'single_partner', 'h': 'single_partner', 'e': 'peripheral'}
    >>> out.loc["e", "why_ja"]
    '3団体だけの小さなまとまりで、他とつながっていない'
    """
    if inactive_years < 1:
        raise GraphError(f"inactive_years must be at least 1, got {inactive_years}")
    if measures is None or ("role" not in measures.columns and partition is not None):
        measures = organisation_measures(G, partition)
    nodes = list(G)
    n = len(nodes)
    edges = _edges(G, nodes)
    adjacency = sp.csr_array((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, label = connected_components(adjacency, directed=False) if n else (0, np.zeros(0, int))
    sizes = np.bincount(label) if n else np.zeros(0, dtype=np.int64)
    comp_size = sizes[label]
    giant = label == int(np.argmax(sizes)) if n else np.zeros(0, dtype=bool)
    kinds = np.array(node_values(G, nodes, "kind"), dtype=object)
    public = kinds == "public_agency"
    degree = np.bincount(edges.ravel(), minlength=n) if n else np.zeros(0, dtype=np.int64)
    public_partners = (np.bincount(edges[:, 0], weights=public[edges[:, 1]], minlength=n)
                       + np.bincount(edges[:, 1], weights=public[edges[:, 0]], minlength=n)) \
        if n else np.zeros(0)
    roles = (measures["role"].reindex(nodes).to_numpy() if "role" in measures.columns
             else np.full(n, None, dtype=object))
    reference = None
    if activity is not None:
        if as_of is not None:
            try:
                reference = pd.Timestamp(as_of).date()
            except (TypeError, ValueError) as exc:
                raise GraphError(f"as_of: cannot read {as_of!r} as a date") from exc
        elif activity:
            dated = [d for d in activity.values() if d is not None]
            reference = max(dated) if dated else None
    cutoff = isolation_cutoff(reference, inactive_years)
    no_ties = degree == 0
    single = degree == 1
    small = ~no_ties & (comp_size <= small_component) & ~giant
    public_only = ~no_ties & ~public & (public_partners == degree)
    last = [activity.get(v) for v in nodes] if activity is not None else [None] * n
    # undated activity (v in activity, date None) counts as active at an unknown time
    inactive = np.array([cutoff is not None and ((d is None and v not in activity)
                                                 or (d is not None and d < cutoff))
                         for v, d in zip(nodes, last)], dtype=bool)
    kind_of = np.select([no_ties, single, small | public_only, inactive],
                        list(ISOLATION_KINDS), default="")
    rows = []
    for i in np.flatnonzero(kind_of != "").tolist():
        v = nodes[i]
        attrs = G.nodes[v]
        deg = int(degree[i])
        codes, en, ja = [], [], []
        if no_ties[i]:
            codes.append("no_ties")
            en.append("no ties at all")
            ja.append("つながりがない")
        if single[i]:
            partner = next(iter(G[v]))
            name = str(G.nodes[partner].get("name", partner))
            codes.append("single_partner")
            en.append(f"only one partner ({name})")
            ja.append(f"つながりは{name}の1団体だけ")
        if small[i]:
            codes.append("small_component")
            en.append(f"in a group of {comp_size[i]} organisations cut off from the rest")
            ja.append(f"{comp_size[i]}団体だけの小さなまとまりで、他とつながっていない")
        if public_only[i] and not single[i]:
            names = "、".join(str(G.nodes[u].get("name", u)) for u in list(G[v])[:3])
            codes.append("public_only")
            en.append(f"ties only to public agencies ({names})")
            ja.append(f"公的機関（{names}）とだけつながっている")
        if inactive[i]:
            codes.append("inactive")
            if last[i] is None:
                en.append(f"no recorded activity (none since {cutoff.isoformat()})")
                ja.append(f"活動の記録がない（{cutoff.isoformat()}以降なし）")
            else:
                en.append(f"no activity since {cutoff.isoformat()} "
                          f"(last FY{_fiscal_year(last[i])}, {last[i].isoformat()})")
                ja.append(f"{cutoff.isoformat()}以降の活動記録がない"
                          f"（最終 {_fiscal_year(last[i])}年度、{last[i].isoformat()}）")
        rows.append({"id": v, "name": attrs.get("name", str(v)), "kind": attrs.get("kind"),
                     "ward": attrs.get("ward"), "degree": deg,
                     "component_size": int(comp_size[i]), "role": roles[i],
                     "last_activity": last[i], "isolation": str(kind_of[i]),
                     "since": cutoff if kind_of[i] == "inactive" else None,
                     "reason": codes[0], "reasons": ";".join(codes), "why_en": "; ".join(en),
                     "why_ja": "。".join(ja)})
    columns = ["id", "name", "kind", "ward", "degree", "component_size", "role",
               "last_activity", "isolation", "since", "reason", "reasons", "why_en", "why_ja"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["_order"] = frame["isolation"].map({k: i for i, k in enumerate(ISOLATION_KINDS)})
    frame = frame.sort_values(["_order", "degree"], kind="stable")
    return frame.drop(columns=["_order"]).set_index("id")
