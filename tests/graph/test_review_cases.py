"""Review cases: datasets the product has never seen (another city, tiny graphs)."""

from __future__ import annotations

import networkx as nx

from graph.suggest import build_signals


def _pair_score(sig, name: str, u: str, v: str) -> float:
    L, R, _ = sig.bilinear[name]
    i, j = sig.index[u], sig.index[v]
    return float((L[i] @ R[j].T).toarray().ravel()[0])


def _graph(wards: dict[str, str]) -> nx.Graph:
    G = nx.Graph()
    for node, ward in wards.items():
        G.add_node(node, name=node, kind="npo", ward=ward, orientation="", fields=(),
                   synthetic=False)
    return G


def test_another_city_has_same_ward_and_no_osaka_borders():
    # Kobe: 中央区 and 西区 exist in Osaka too (and border there), not in Kobe.
    sig = build_signals(_graph({"a": "中央区", "b": "西区", "c": "灘区", "d": "灘区"}))
    assert _pair_score(sig, "neighbouring_ward", "a", "b") == 0.0
    assert _pair_score(sig, "same_ward", "c", "d") == 1.0
    assert _pair_score(sig, "same_ward", "a", "c") == 0.0


def test_osaka_wards_keep_their_borders():
    sig = build_signals(_graph({"a": "中央区", "b": "西区", "c": "北区", "d": None}))
    assert _pair_score(sig, "neighbouring_ward", "a", "b") == 1.0
    assert _pair_score(sig, "same_ward", "a", "a") == 1.0
    assert _pair_score(sig, "same_ward", "a", "d") == 0.0
