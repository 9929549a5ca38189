"""graph.measures: published results, hand-worked small graphs, agreement with networkx."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import measures as c
from graph.errors import GraphError


def _weighted(G, seed=0):
    rng = np.random.default_rng(seed)
    H = G.copy()
    for u, v in H.edges:
        H[u][v]["weight"] = float(rng.integers(1, 5)) / 2
    return H


def assert_close(a: dict, b: dict, tol=1e-9):
    assert a.keys() == b.keys()
    for key in a:
        if math.isnan(b[key]):
            assert math.isnan(a[key]), key
        else:
            assert a[key] == pytest.approx(b[key], abs=tol), key


# --- published result ---------------------------------------------------------------------------


def test_florentine_medici_betweenness_is_highest_and_0_522():
    # Padgett & Ansell's Florentine marriage network: the Medici's normalised betweenness
    # is 0.522, the highest of all families.
    b = c.betweenness(nx.florentine_families_graph())
    assert b.exact and b.k == 15
    assert max(b.values, key=b.values.get) == "Medici"
    assert b.values["Medici"] == pytest.approx(0.5219, abs=5e-4)


# --- hand-worked small graphs ---------------------------------------------------------------------


def test_star_centre_constraint_and_effective_size():
    G = nx.star_graph(4)  # centre 0, leaves 1..4
    con = c.constraint(G, weight=None)
    eff = c.effective_size(G, weight=None)
    assert con[0] == pytest.approx(1 / 4)  # four partners, each 1/4, no indirect paths
    assert eff[0] == pytest.approx(4.0)  # no redundancy among the leaves
    assert con[1] == pytest.approx(1.0) and eff[1] == pytest.approx(1.0)
    assert c.betweenness(G).values[0] == pytest.approx(1.0)


def test_path_betweenness_constraint_closeness():
    G = nx.path_graph(4)  # 0-1-2-3
    b = c.betweenness(G).values
    assert b == pytest.approx({0: 0.0, 1: 2 / 3, 2: 2 / 3, 3: 0.0})
    con = c.constraint(G, weight=None)
    assert con[1] == pytest.approx(0.5) and con[0] == pytest.approx(1.0)
    h = c.harmonic_closeness(G)
    assert h[0] == pytest.approx((1 + 1 / 2 + 1 / 3) / 3)
    assert h[1] == pytest.approx((1 + 1 + 1 / 2) / 3)


def test_triangle_constraint_hand_worked():
    # each partner p=1/2, indirect 1/2·1/2 = 1/4 → (3/4)² · 2 = 9/8
    assert c.constraint(nx.complete_graph(3), weight=None)[0] == pytest.approx(9 / 8)


def test_two_cliques_joined_by_a_bridge_participation_and_roles():
    G = nx.barbell_graph(4, 0)  # cliques {0..3}, {4..7}, bridge 3–4
    parts = [set(range(4)), set(range(4, 8))]
    P = c.participation_coefficient(G, parts)
    assert P[3] == pytest.approx(1 - (3 / 4) ** 2 - (1 / 4) ** 2)  # 0.375
    assert P[4] == pytest.approx(0.375)
    assert P[0] == 0.0
    roles = c.guimera_amaral_roles(G, parts)
    assert roles.loc[3, "role"] == "R2" and roles.loc[0, "role"] == "R1"
    assert roles.loc[3, "communities_linked"] == 2
    assert c.within_module_degree(G, parts)[3] == 0.0  # every member has 3 inside ties


def _hub_case(external: int, per_external: int = 10):
    """Hub 'h' with 10 leaves in its own module plus ties to ``external`` other modules."""
    G = nx.Graph()
    own = {"h"} | {f"l{i}" for i in range(10)}
    G.add_edges_from(("h", f"l{i}") for i in range(10))
    parts = [own]
    for e in range(external):
        members = {f"e{e}_{i}" for i in range(per_external)}
        G.add_edges_from(("h", m) for m in members)
        parts.append(members)
    return G, parts


def _spread_case(modules: int):
    """Node 'x' alone in its module with one tie to each of ``modules`` other modules."""
    G = nx.Graph()
    parts = [{"x"}]
    for e in range(modules):
        G.add_edge("x", f"m{e}")
        parts.append({f"m{e}"})
    return G, parts


@pytest.mark.parametrize("case, node, expected", [
    (lambda: (nx.barbell_graph(4, 0), [set(range(4)), set(range(4, 8))]), 0, "R1"),
    (lambda: (nx.barbell_graph(4, 0), [set(range(4)), set(range(4, 8))]), 3, "R2"),
    (lambda: _spread_case(4), "x", "R3"),   # P = 1 − 4·(1/4)² = 0.75
    (lambda: _spread_case(6), "x", "R4"),   # P = 1 − 6·(1/6)² = 0.83
    (lambda: _hub_case(0), "h", "R5"),      # z = √10 ≈ 3.16, P = 0
    (lambda: _hub_case(1), "h", "R6"),      # P = 0.5
    (lambda: _hub_case(4), "h", "R7"),      # P = 0.8
])
def test_every_guimera_amaral_role_is_reached(case, node, expected):
    G, parts = case()
    roles = c.guimera_amaral_roles(G, parts)
    assert roles.loc[node, "role"] == expected
    assert roles.loc[node, "role_name"] == c.ROLE_NAMES[expected]


def test_hub_z_score_hand_worked():
    G, parts = _hub_case(0)
    z = c.within_module_degree(G, parts)
    assert z["h"] == pytest.approx(math.sqrt(10))


@pytest.mark.parametrize("z, p, expected", [
    (2.49, 0.05, "R1"), (0.0, 0.0500001, "R2"), (0.0, 0.62, "R2"), (0.0, 0.80, "R3"),
    (0.0, 0.81, "R4"), (2.5, 0.30, "R5"), (2.5, 0.75, "R6"), (2.5, 0.7500001, "R7"),
])
def test_role_thresholds_are_the_published_ones(z, p, expected):
    assert c.role(z, p) == expected


def test_bridging_counts_hand_worked():
    G = nx.Graph([("a", "b"), ("a", "c"), ("a", "d")])
    attrs = {
        "a": dict(kind="council", ward="西淀川区", orientation="territorial"),
        "b": dict(kind="npo", ward="西淀川区", orientation="thematic"),
        "c": dict(kind="company", ward="北区", orientation=None),
        "d": dict(kind="neighbourhood_association", ward=None, orientation="territorial"),
    }
    nx.set_node_attributes(G, attrs)
    row = c.bridging_counts(G).loc["a"]
    assert row["cross_sector"] == 2  # npo (civic), company (business); d is community too
    assert row["cross_ward"] == 1  # c; d has no ward
    assert row["territorial_thematic"] == 1  # b
    assert row["sectors_linked"] == 3 and row["wards_linked"] == 2


# --- agreement with networkx ----------------------------------------------------------------------

GRAPHS = {
    "karate": nx.karate_club_graph(),
    "florentine": nx.florentine_families_graph(),
    "disconnected": nx.disjoint_union(nx.gnp_random_graph(30, 0.15, seed=3),
                                      nx.path_graph(4)),
    "with_isolates": nx.union(nx.les_miserables_graph(), nx.empty_graph(["i1", "i2"])),
}


@pytest.mark.parametrize("name", GRAPHS)
def test_exact_betweenness_matches_networkx(name):
    G = GRAPHS[name]
    assert_close(c.betweenness(G).values, nx.betweenness_centrality(G), 1e-9)
    assert_close(c.betweenness(G, normalized=False).values,
           nx.betweenness_centrality(G, normalized=False), 1e-9)


@pytest.mark.parametrize("name", GRAPHS)
def test_harmonic_closeness_matches_networkx(name):
    G = GRAPHS[name]
    n = len(G)
    expected = {v: x / (n - 1) for v, x in nx.harmonic_centrality(G).items()}
    assert_close(c.harmonic_closeness(G), expected, 1e-9)


@pytest.mark.parametrize("name", GRAPHS)
def test_weighted_constraint_effective_size_pagerank_match_networkx(name):
    G = _weighted(nx.Graph(GRAPHS[name]))
    for w in ("weight", None):
        assert_close(c.constraint(G, weight=w), nx.constraint(G, weight=w), 1e-9)
        # networkx's node-by-node definition (Burt: m_jq scaled by j's strongest tie); its
        # all-nodes sparse shortcut scales by q's strongest tie instead, which differs when
        # weights vary.
        assert_close(c.effective_size(G, weight=w), nx.effective_size(G, list(G), weight=w), 1e-9)
        assert_close(c.pagerank(G, weight=w), nx.pagerank(G, weight=w), 1e-6)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 14), p=st.floats(0.05, 0.9), seed=st.integers(0, 10_000))
def test_constraint_and_betweenness_match_networkx_on_random_graphs(n, p, seed):
    G = _weighted(nx.gnp_random_graph(n, p, seed=seed), seed)
    assert_close(c.constraint(G), nx.constraint(G, weight="weight"), 1e-9)
    assert_close(c.effective_size(G), nx.effective_size(G, list(G), weight="weight"), 1e-9)
    assert_close(c.constraint(G), nx.constraint(G, list(G), weight="weight"), 1e-9)
    assert_close(c.betweenness(G).values, nx.betweenness_centrality(G), 1e-9)


def test_sampled_betweenness_reports_k_and_tracks_exact():
    G = nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=1)
    exact = c.betweenness(G)
    sampled = c.betweenness(G, exact_threshold=100, k=150, seed=7)
    assert exact.exact and exact.k == 400
    assert not sampled.exact and sampled.k == 150 and sampled.seed == 7
    a = pd.Series(exact.values)
    b = pd.Series(sampled.values)
    assert a.corr(b, method="spearman") > 0.85
    assert b.mean() == pytest.approx(a.mean(), rel=0.15)
    # deterministic given the seed; another seed draws other pivots
    assert c.betweenness(G, exact_threshold=100, k=150, seed=7).values == sampled.values
    assert c.betweenness(G, exact_threshold=100, k=150, seed=8).values != sampled.values


def test_sampled_with_every_node_equals_exact():
    G = nx.karate_club_graph()
    sampled = c.betweenness(G, exact_threshold=5, k=len(G))
    assert sampled.exact
    assert_close(sampled.values, nx.betweenness_centrality(G))


def test_sampled_harmonic_closeness_tracks_exact():
    G = nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=2)
    exact = pd.Series(c.harmonic_closeness(G))
    sampled = pd.Series(c.harmonic_closeness(G, exact_threshold=100, k=120, seed=1))
    assert (sampled - exact).abs().max() < 0.1 * exact.max()
    assert sampled.corr(exact) > 0.8
    assert sampled.mean() == pytest.approx(exact.mean(), rel=0.02)


# --- the combined frame ---------------------------------------------------------------------------


def test_organisation_measures_columns_and_provenance():
    G = nx.barbell_graph(4, 0)
    G.add_node(99, name="孤立団体", kind="npo", ward="西成区")
    parts = [set(range(4)), set(range(4, 8)), {99}]
    df = c.organisation_measures(G, parts, weight=None)
    for col in ("degree", "strength", "betweenness", "harmonic_closeness", "pagerank",
                "constraint", "effective_size", "cross_sector", "community",
                "within_module_z", "participation_coefficient", "role"):
        assert col in df.columns
    assert df.index.name == "id" and len(df) == 9
    assert math.isnan(df.loc[99, "constraint"]) and df.loc[99, "degree"] == 0
    assert df.loc[99, "name"] == "孤立団体"
    assert df.loc[3, "role"] == "R2"
    assert df.attrs["betweenness"] == {"exact": True, "k": 9, "seed": None, "normalized": True,
                                       "max_standard_error": 0.0,
                                       "closeness_max_standard_error": 0.0}
    assert (df["betweenness_se"] == 0).all()  # exact: no sampling error
    assert df["pagerank"].sum() == pytest.approx(1.0)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(2, 14), p=st.floats(0.05, 0.9), seed=st.integers(0, 10_000))
def test_organisation_measures_burt_columns_match_networkx(n, p, seed):
    """Constraint and effective size share one complex masked product in the frame."""
    G = _weighted(nx.gnp_random_graph(n, p, seed=seed), seed)
    G.add_node("alone")
    df = c.organisation_measures(G)
    assert_close(df["constraint"].to_dict(), nx.constraint(G, weight="weight"), 1e-9)
    assert_close(df["effective_size"].to_dict(), nx.effective_size(G, list(G), weight="weight"),
           1e-9)


def test_organisation_measures_sampled_records_k():
    G = nx.connected_watts_strogatz_graph(300, 4, 0.1, seed=0)
    df = c.organisation_measures(G, exact_threshold=100, k=64, seed=3)
    record = dict(df.attrs["betweenness"])
    assert record.pop("max_standard_error") == pytest.approx(df["betweenness_se"].max())
    assert record.pop("closeness_max_standard_error") > 0
    assert record == {"exact": False, "k": 64, "seed": 3, "normalized": True}


def test_input_graph_is_not_mutated():
    G = _weighted(nx.karate_club_graph())
    before = (list(G.nodes(data=True)), list(G.edges(data=True)))
    c.organisation_measures(G, nx.community.louvain_communities(G, seed=1))
    assert (list(G.nodes(data=True)), list(G.edges(data=True))) == before


def test_bad_input_is_refused():
    with pytest.raises(GraphError, match="undirected"):
        c.degree(nx.DiGraph([(1, 2)]))
    with pytest.raises(GraphError, match="no community"):
        c.participation_coefficient(nx.path_graph(3), [{0, 1}])
    with pytest.raises(GraphError, match="more than one community"):
        c.participation_coefficient(nx.path_graph(3), [{0, 1}, {1, 2}])
    with pytest.raises(GraphError, match="invalid weight"):
        c.strength(nx.Graph([(1, 2, {"weight": -1})]))
    with pytest.raises(GraphError, match="at least 2"):
        c.betweenness(nx.path_graph(10), exact_threshold=3, k=1)


def test_empty_graph():
    df = c.organisation_measures(nx.Graph(), [])
    assert df.empty
