"""The declared city reaches the graph; another city has no Osaka ward borders (review)."""

from __future__ import annotations

import networkx as nx

from graph.introductions import build_signals


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


def _sapporo(folder, city: str | None):
    """Sapporo's 中央区, 北区 and 西区 share their names with Osaka wards that border."""
    import json

    folder.mkdir()
    (folder / "organizations.csv").write_text(
        "id,name,kind,ward\nP-1,大通まちづくり会,npo,中央区\nP-2,北の子ども食堂,npo,北区\n"
        "P-3,西区防災の会,citizen_group,西区\n", encoding="utf-8")
    if city is not None:
        (folder / "dataset.json").write_text(json.dumps({"name": "札幌", "city": city},
                                                        ensure_ascii=False), encoding="utf-8")
    return folder


def test_declared_city_reaches_the_graph_from_the_folder_and_the_store(tmp_path):
    from graph.build import tie_graph
    from ingest.load import load_dataset
    from ingest.store import ingest_dataset, read_dataset

    folder = _sapporo(tmp_path / "sapporo", "札幌市")
    stored = tmp_path / "s.duckdb"
    ingest_dataset(folder, store=stored, show_progress=False)
    for ds in (load_dataset(folder, show_progress=False), read_dataset(stored)):
        assert ds.city == "札幌市"
        G = tie_graph(ds)
        assert G.graph["city"] == "札幌市"
        sig = build_signals(G)
        assert _pair_score(sig, "neighbouring_ward", "P-1", "P-3") == 0.0  # 中央区–西区
        assert _pair_score(sig, "neighbouring_ward", "P-2", "P-3") == 0.0  # 北区–西区


def test_undeclared_city_is_osaka_and_keeps_the_borders(tmp_path):
    from graph.build import tie_graph
    from ingest.load import load_dataset

    ds = load_dataset(_sapporo(tmp_path / "osaka", None), show_progress=False)
    assert ds.city == ""
    sig = build_signals(tie_graph(ds))
    assert _pair_score(sig, "neighbouring_ward", "P-1", "P-3") == 1.0


def test_graph_snapshots_keep_the_declared_city():
    """Review round 3: evaluate_graph's snapshots copy G.graph, so another city's wards
    that share Osaka names do not get Osaka's borders back in the evaluation."""
    import datetime as dt

    from graph.introductions.history import graph_snapshots

    G = _graph({"a": "中央区", "b": "西区"})
    G.graph["city"] = "札幌市"
    G.add_edge("a", "b", weight=1.0, first_date=dt.date(2019, 1, 1))
    H, _ = graph_snapshots(G)(dt.date(2020, 1, 1))
    assert H.graph["city"] == "札幌市"
    assert _pair_score(build_signals(H), "neighbouring_ward", "a", "b") == 0.0
