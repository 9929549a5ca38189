"""Connectors: who bridges the ecosystem, ranked, with the reasons in English and Japanese.

:func:`connectors` ranks organisations by a brokerage score built from the measures of
:func:`graph.measures.organisation_measures` and explains each rank in English and Japanese.

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

Examples
--------
>>> import networkx as nx
>>> G = nx.barbell_graph(4, 0)
>>> top = connectors(G, [set(range(4)), set(range(4, 8))], top=2)
>>> top.index.tolist(), top["why_en"].iloc[0]
([3, 4], 'only tie between "#0" and "#1"; lies on many shortest paths (betweenness top 25%)')
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graph.core.view import node_values
from graph.errors import GraphError
from graph.measures import (
    SECTOR_LABELS_EN,
    SECTOR_LABELS_JA,
    community_membership,
    edge_positions,
    organisation_measures,
    sector_of,
)

__all__ = ["SCORE_WEIGHTS", "connector_score", "connectors", "fallback_labels"]

#: Weights of the connector score's percentile components (they sum to 1).
SCORE_WEIGHTS: Mapping[str, float] = {
    "betweenness": 0.4,
    "participation_coefficient": 0.3,
    "constraint": 0.2,
    "bridging": 0.1,
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
        From :func:`graph.measures.organisation_measures` with a partition (needs
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


def fallback_labels(G: nx.Graph, membership: Mapping) -> dict:
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
        Precomputed :func:`~graph.measures.organisation_measures` (with partition);
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
    membership = community_membership(G, partition)
    if measures is None:
        measures = organisation_measures(G, membership, seed=seed)
    if labels is None and hasattr(partition, "communities") and len(G):
        from graph.communities import community_profiles

        profiles = community_profiles(G, partition)
        labels = dict(zip(profiles["community"], profiles["label"]))
        if labels_en is None and "label_en" in profiles.columns:
            labels_en = dict(zip(profiles["community"], profiles["label_en"]))
    labels = dict(labels) if labels else fallback_labels(G, membership)
    for c in set(membership.values()):
        labels.setdefault(c, f"#{c}")
    labels_en = {**labels, **dict(labels_en or {})}
    score = connector_score(measures, min_degree=min_degree)
    order = score[score > 0].sort_values(ascending=False, kind="stable")
    if top is not None:
        order = order.head(top)

    nodes = list(G)
    position = {v: i for i, v in enumerate(nodes)}
    edges = edge_positions(G, nodes)
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
