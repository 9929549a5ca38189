"""Gap tables: known shortfalls on tiny graphs, expectation models, structural holes."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graph import findings as g
from graph.errors import GraphError


@pytest.fixture
def split_sectors():
    """Four NPOs (北区, field 13) in a clique, four companies (西区, field 16) in a clique,
    and one tie n1–c1 between them: NPOs and companies barely meet."""
    G = nx.Graph()
    npos = [f"n{i}" for i in range(1, 5)]
    cos = [f"c{i}" for i in range(1, 5)]
    for v in npos:
        G.add_node(v, kind="npo", ward="北区", fields=(13,), orientation="thematic")
    for v in cos:
        G.add_node(v, kind="company", ward="西区", fields=(16,), orientation=None)
    G.add_edges_from((a, b) for i, a in enumerate(npos) for b in npos[i + 1:])
    G.add_edges_from((a, b) for i, a in enumerate(cos) for b in cos[i + 1:])
    G.add_edge("n1", "c1")
    return G


def _cell(frame, **where):
    mask = np.ones(len(frame), dtype=bool)
    for col, value in where.items():
        mask &= frame[col] == value
    assert mask.sum() == 1, where
    return frame[mask].iloc[0]


def test_field_gap_known_shortfall(split_sectors):
    # m = 13, degrees: n1 = c1 = 4, the others 3; K_13 = K_16 = 13
    gaps = g.field_gaps(split_sectors)
    cross = _cell(gaps, field_a=13, field_b=16)
    assert cross["observed"] == 1
    assert cross["expected"] == pytest.approx(13 * 13 / 26)  # 6.5
    assert cross["difference"] == pytest.approx(-5.5)
    assert cross["ratio"] == pytest.approx(1 / 6.5)
    inside = _cell(gaps, field_a=13, field_b=13)
    assert inside["observed"] == 6  # the six ties of the NPO clique
    assert inside["expected"] == pytest.approx((169 - (16 + 9 * 3)) / 52)
    assert gaps.iloc[0]["field_a"] == 13 and gaps.iloc[0]["field_b"] == 16  # biggest first
    assert cross["label_b"] == "経済活動の活性化"


def test_ward_sector_known_shortfall(split_sectors):
    gaps = g.ward_sector_gaps(split_sectors)
    cell = _cell(gaps, ward="北区", sector="business")
    assert cell["observed"] == 1 and cell["expected"] == pytest.approx(6.5)
    assert cell["sector_ja"] == "企業"
    top = g.shortfalls(gaps, top=2)
    assert set(zip(top["ward"], top["sector"])) == {("北区", "business"), ("西区", "civic")}


def test_block_totals_add_up():
    G = nx.gnm_random_graph(60, 150, seed=4)
    rng = np.random.default_rng(0)
    kinds = ["npo", "company", "council", "public_agency"]
    wards = ["北区", "西区", "港区"]
    for v in G:
        G.nodes[v].update(kind=kinds[rng.integers(4)], ward=wards[rng.integers(3)])
    gaps = g.ward_sector_gaps(G)
    two_m = 2 * G.number_of_edges()
    k = np.array([d for _, d in G.degree()])
    assert gaps["observed"].sum() == pytest.approx(two_m)
    assert gaps["expected"].sum() == pytest.approx((two_m ** 2 - (k ** 2).sum()) / two_m)


def test_rewiring_expectation_close_to_configuration():
    G = nx.gnm_random_graph(150, 450, seed=1)
    rng = np.random.default_rng(1)
    for v in G:
        G.nodes[v].update(kind=["npo", "company"][rng.integers(2)],
                          ward=["北区", "西区"][rng.integers(2)])
    conf = g.ward_sector_gaps(G).set_index(["ward", "sector"])["expected"]
    rew = g.ward_sector_gaps(G, expectation="rewiring", samples=5, seed=3)
    rew = rew.set_index(["ward", "sector"])["expected"]
    assert (rew.reindex(conf.index) - conf).abs().max() < 0.1 * conf.max()
    again = g.ward_sector_gaps(G, expectation="rewiring", samples=5, seed=3)
    assert again.set_index(["ward", "sector"])["expected"].equals(rew)


def test_community_holes_lists_unbridged_pairs_first():
    G = nx.barbell_graph(4, 0)  # communities {0..3}, {4..7} joined by 3–4
    G.add_edges_from([(10, 11), (11, 12), (10, 12), (12, 0)])
    parts = [set(range(4)), set(range(4, 8)), {10, 11, 12}, {99}]
    G.add_node(99)
    holes = g.community_holes(G, parts, labels={0: "北区・福祉"})
    assert holes[["community_a", "community_b", "bridges"]].values.tolist() == [
        [1, 2, 0], [0, 1, 1], [0, 2, 1]]  # singleton {99} below min_size
    row = holes.iloc[0]
    m = G.number_of_edges()  # 17
    assert row["expected"] == pytest.approx(13 * 7 / (2 * m))
    assert row["bridge_density"] == 0.0
    assert holes.iloc[1]["label_a"] == "北区・福祉" and holes.iloc[1]["label_b"] == "#1"
    assert holes.iloc[1]["bridge_density"] == pytest.approx(1 / 16)


def test_orientation_bridging_per_ward():
    G = nx.Graph([("t1", "h1"), ("t1", "t2"), ("t2", "h2"), ("h2", "x")])
    nx.set_node_attributes(G, {"t1": "territorial", "t2": "territorial", "h1": "thematic",
                               "h2": "thematic"}, "orientation")
    nx.set_node_attributes(G, {"t1": "北区", "t2": "北区", "h1": "北区", "h2": "西区",
                               "x": "西区"}, "ward")
    table = g.orientation_bridging(G)
    north = table.loc["北区"]
    assert (north["territorial"], north["thematic"]) == (2, 1)
    assert north["oriented_ties"] == 3 and north["bridging_ties"] == 2  # t1–h1, t2–h2
    assert north["share"] == pytest.approx(2 / 3)
    assert north["bridging_orgs"] == 3
    west = table.loc["西区"]
    assert west["oriented_ties"] == 1 and west["share"] == 1.0  # x has no orientation
    # expected share on oriented–oriented ties: k t1 = 2, t2 = 2, h1 = 1, h2 = 1, so
    # K_territorial = 4, K_thematic = 2, 2m = 6; north: (2·2/6 + 2·2/6 + 1·4/6) / 5
    assert north["expected_share"] == pytest.approx(0.4)


def test_company_gaps_flags_wards_and_fields(split_sectors):
    G = split_sectors.copy()
    G.add_node("z", kind="council", ward="港区", fields=(3,), orientation="territorial")
    table = g.company_gaps(G).set_index(["dimension", "key"])
    assert table.loc[("ward", "港区"), "no_company_partner"]
    assert not table.loc[("ward", "北区"), "no_company_partner"]
    assert table.loc[("ward", "北区"), "with_company_partner"] == 1  # n1 only
    assert table.loc[("ward", "北区"), "company_ties"] == 1
    assert table.loc[("field", 3), "no_company_partner"]
    assert table.loc[("field", 3), "label"] == "まちづくり"
    assert ("ward", "西区") not in table.index  # only companies there
    assert g.company_gaps(G)["no_company_partner"].iloc[0]  # flagged rows first


def test_shortfalls_filters_small_expectations():
    G = nx.Graph([("a", "b")])
    nx.set_node_attributes(G, {"a": {"kind": "npo", "ward": "北区"},
                               "b": {"kind": "company", "ward": "西区"}})
    assert g.shortfalls(g.ward_sector_gaps(G)).empty  # nothing expected ≥ 1
    with pytest.raises(GraphError, match="gap table"):
        g.shortfalls(pd.DataFrame({"x": [1]}))


def test_bad_expectation_is_refused(split_sectors):
    with pytest.raises(GraphError, match="expectation"):
        g.ward_sector_gaps(split_sectors, expectation="poisson")


def test_gap_tables_do_not_mutate(split_sectors):
    before = (list(split_sectors.nodes(data=True)), list(split_sectors.edges(data=True)))
    tables = g.gap_tables(split_sectors, [set(split_sectors)])
    assert set(tables) == {"ward_sector", "field_field", "community_holes",
                           "orientation_bridging", "company_gaps"}
    assert (list(split_sectors.nodes(data=True)),
            list(split_sectors.edges(data=True))) == before


def test_empty_graph_gives_empty_tables():
    tables = g.gap_tables(nx.Graph(), [])
    assert all(t.empty for t in tables.values())


def test_observed_counts_summed_by_row_blocks_equal_the_whole_product(monkeypatch):
    import graph.findings.null_model as null_model
    from graph.measures import TieMatrix

    G = nx.gnm_random_graph(60, 300, seed=4)
    rng = np.random.default_rng(4)
    for u, v in G.edges():
        G.edges[u, v]["weight"] = float(rng.integers(1, 5))
    m = TieMatrix(G, "weight")
    wards = [f"w{i % 5}" for i in range(60)]
    fields = [(i % 3, i % 7) if i % 4 else None for i in range(60)]
    L = null_model.indicator(m, wards, [f"w{i}" for i in range(5)])
    R = null_model.indicator(m, fields, list(range(7)))
    dense = L.toarray().T @ m.W.toarray() @ R.toarray()
    whole = null_model.observed_counts(m.W, L, R)
    monkeypatch.setattr(null_model, "OBSERVED_BLOCK_ROWS", 7)  # 9 blocks, the last short
    assert np.allclose(null_model.observed_counts(m.W, L, R), whole, rtol=1e-12, atol=0)
    assert np.allclose(whole, dense, rtol=1e-12, atol=0) and whole.sum() > 0
