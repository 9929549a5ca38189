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
from functools import cache
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graph.core.view import node_values
from graph.errors import GraphError
from graph.findings.sole_ties import partner_sectors, sole_ties
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
_CHOSEN_COLUMNS = ("name", "kind", "ward", "communities_linked", "wards_linked",
                   "territorial_thematic", "betweenness", "participation_coefficient",
                   "constraint", "role")


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
    m = measures.loc[eligible, list(_MEASURE_COLUMNS)]  # not the whole frame's text columns
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
    u, v = edge_positions(G, nodes)
    sectors = [sector_of(kind) for kind in node_values(G, nodes, "kind")]
    sole_pairs, sole_blocks = sole_ties(G, nodes, u, v, sectors, membership)
    eligible = measures["degree"] >= min_degree
    # share of eligible organisations whose betweenness is at least this one's
    b_top = (measures.loc[eligible, "betweenness"].rank(method="max", ascending=False)
             / max(int(eligible.sum()), 1))
    # the ranked rows of the columns said below only (a copy of every column would hold a
    # second set of the text columns at nation size)
    chosen = measures.loc[order.index, [c for c in _CHOSEN_COLUMNS if c in measures.columns]]
    ids = order.index.tolist()
    rows = [position[v] for v in ids]
    sector_sets = partner_sectors(len(nodes), u, v, sectors, rows)

    def column(name: str) -> list:
        return chosen[name].tolist() if name in chosen.columns else [None] * len(chosen)

    linked = [int(x or 0) for x in column("communities_linked")]
    wards_linked = [int(x or 0) for x in column("wards_linked")]
    tt = [int(x) for x in column("territorial_thematic")]
    betweenness = chosen["betweenness"].to_numpy(dtype=float)
    top_share = b_top.reindex(order.index).fillna(1.0).to_numpy(dtype=float)
    reasons = _reasons(ids, labels, labels_en, sole_pairs, sole_blocks, linked, sector_sets,
                       tt, wards_linked, betweenness, top_share, order.to_numpy(dtype=float))
    codes, why_en, why_ja = [], [], []
    # rows whose reasons are all shared objects (no sole tie, no score of their own) share
    # their three texts too; keyed by identity, which the reason lists keep valid here
    joined: dict[tuple, tuple[str, str, str]] = {}
    for found in zip(*reasons):
        shared = found[0] is None and found[1] is None and found[-1] is None
        key = tuple(map(id, found)) if shared else None
        texts = joined.get(key) if shared else None
        if texts is None:
            said = [r for r in found if r is not None][:4]
            texts = (";".join(r[0] for r in said), "; ".join(r[1] for r in said),
                     "。".join(r[2] for r in said))
            if shared:
                joined[key] = texts
        codes.append(texts[0])
        why_en.append(texts[1])
        why_ja.append(texts[2])
    communities = [membership[v] for v in ids]
    frame = pd.DataFrame({
        "id": ids,
        "name": [str(v) if x is None else x for v, x in zip(ids, column("name"))],
        "kind": column("kind"), "ward": column("ward"), "community": communities,
        "community_label": [labels[c] for c in communities],
        "score": order.to_numpy(dtype=float), "betweenness": betweenness,
        "participation_coefficient": chosen["participation_coefficient"].to_numpy(dtype=float),
        "constraint": chosen["constraint"].to_numpy(dtype=float),
        "communities_linked": linked, "role": column("role"), "reasons": codes,
        "why_en": why_en, "why_ja": why_ja,
    }, columns=["id", "name", "kind", "ward", "community", "community_label", "score",
                "betweenness", "participation_coefficient", "constraint", "communities_linked",
                "role", "reasons", "why_en", "why_ja"])
    frame.insert(1, "rank", np.arange(1, len(frame) + 1))
    return frame.set_index("id")


#: The reasons said with one number: English and Japanese templates.
_COUNTED_TEXTS = {
    "communities": ("links {} communities", "{}つのコミュニティをつなぐ"),
    "territorial_thematic": ("links territorial and thematic groups ({} ties)",
                             "地縁型とテーマ型の団体をつなぐ（{}件）"),
    "wards": ("partners in {} wards", "{}区の団体と連携"),
    "betweenness": ("lies on many shortest paths (betweenness top {}%)", "媒介中心性が上位{}%"),
}


def _reasons(ids, labels, labels_en, sole_pairs, sole_blocks, linked, sector_sets, tt,
             wards_linked, betweenness, top_share, score) -> list[list]:
    """One list per reason code, in the order they are said: ``(code, en, ja)`` or ``None``
    for each ranked organisation (the caller keeps the first four of each)."""

    def sole_bridge(v):
        pairs = sole_pairs.get(v)
        if not pairs:
            return None
        (a, b), more = pairs[0], len(pairs) - 1
        return ("sole_bridge",
                f'only tie between "{labels_en[a]}" and "{labels_en[b]}"'
                + (f" (+{more} more community pairs)" if more else ""),
                f"「{labels[a]}」と「{labels[b]}」を結ぶ唯一のつながり" + (f"（ほか{more}組）" if more else ""))

    def sole_block(v):
        pairs = sole_blocks.get(v)
        if not pairs:
            return None
        (ea, ja_a), (eb, ja_b) = _block_text(pairs[0][0]), _block_text(pairs[0][1])
        return ("sole_block_tie", f"only tie between {ea} and {eb}", f"{ja_a}と{ja_b}の間の唯一のつながり")

    sector_text = {}
    for found in set(sector_sets):
        if len(found) >= 3:
            sector_text[found] = ("sectors",
                                  "works with " + ", ".join(SECTOR_LABELS_EN[x] for x in found),
                                  "・".join(SECTOR_LABELS_JA[x] for x in found) + "と連携")
    # one text per distinct count, shared by every organisation saying it (a million ranked
    # organisations at nation size would otherwise hold a million copies of each)
    @cache
    def counted(code: str, x: int) -> tuple[str, str, str]:
        en, ja = _COUNTED_TEXTS[code]
        return code, en.format(x), ja.format(x)

    top_pct = np.ceil(top_share * 100 - 1e-9).astype(int)
    said = [
        [sole_bridge(v) for v in ids] if sole_pairs else [None] * len(ids),
        [sole_block(v) for v in ids] if sole_blocks else [None] * len(ids),
        [counted("communities", x) if x >= 3 else None for x in linked],
        [sector_text.get(found) for found in sector_sets],
        [counted("territorial_thematic", x) if x else None for x in tt],
        [counted("wards", x) if x >= 3 else None for x in wards_linked],
        [counted("betweenness", pct) if b > 0 and share <= 0.25 else None
         for b, share, pct in zip(betweenness.tolist(), top_share.tolist(), top_pct.tolist())],
    ]
    unexplained = [all(r is None for r in found) for found in zip(*said)]
    said.append([("score", f"connector score {x:.2f}", f"連結スコア {x:.2f}") if alone else None
                 for x, alone in zip(score.tolist(), unexplained)])
    return said
