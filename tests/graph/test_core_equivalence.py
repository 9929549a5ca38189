"""The array core gives the numbers of the networkx path: published graphs, random graphs,
hand-made datasets and the bundled Osaka ward.

Exact where the computation is exact (tie weights are float32, so weights that are not exact
in float32 compare at a relative 1e-6); sampled betweenness uses the same pivots on both
paths, so it is compared exactly too; communities by modularity within 0.5 %.
"""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graph.build import tie_graph
from graph.communities import louvain
from graph.core import core_from_dataset
from graph.core.communities import core_communities
from graph.core.convert import core_from_networkx
from graph.core.view import CoreGraph
from graph.findings import connectors, gap_tables, isolated
from graph.measures import organisation_measures
from ingest.load import load_dataset

ROOT = Path(__file__).resolve().parents[2]
OSAKA = ROOT / "data" / "osaka" / "real"
DAVIS = ROOT / "tests" / "fixtures" / "davis"


def published() -> dict[str, nx.Graph]:
    karate = nx.karate_club_graph()
    return {"florentine": nx.florentine_families_graph(), "karate": karate,
            "les_miserables": nx.les_miserables_graph(),
            "davis": nx.bipartite.weighted_projected_graph(
                nx.davis_southern_women_graph(), nx.bipartite.sets(
                    nx.davis_southern_women_graph())[0])}


def random_graphs() -> list[nx.Graph]:
    graphs = []
    for seed in range(4):
        G = nx.gnp_random_graph(40, 0.12, seed=seed)
        rng = np.random.default_rng(seed)
        for a, b in G.edges:
            G.edges[a, b]["weight"] = float(rng.integers(1, 9)) / 4  # exact in float32
        G.add_node("lonely")
        graphs.append(G)
    return graphs


def assert_same_graph(G: nx.Graph, H: nx.Graph) -> None:
    assert list(G.nodes) == list(H.nodes)
    assert dict(G.nodes(data=True)) == dict(H.nodes(data=True))
    assert list(G.edges) == list(H.edges)
    for a, b, d in G.edges(data=True):
        e = H.edges[a, b]
        assert set(d) == set(e)
        for key, x in d.items():
            if isinstance(x, float):
                assert math.isclose(x, e[key], rel_tol=1e-6, abs_tol=1e-9), (a, b, key)
            else:
                assert x == e[key], (a, b, key)


def assert_same_measures(x: pd.DataFrame, y: pd.DataFrame, rtol=1e-9) -> None:
    assert x.index.tolist() == y.index.tolist()
    assert x.columns.tolist() == y.columns.tolist()
    for column in x.columns:
        if x[column].dtype.kind in "fi":
            np.testing.assert_allclose(x[column].to_numpy(float), y[column].to_numpy(float),
                                       rtol=rtol, atol=1e-12, err_msg=column)
        else:
            assert x[column].tolist() == y[column].tolist(), column
    assert x.attrs == y.attrs


# --- the tie graph -----------------------------------------------------------------------

@pytest.mark.parametrize("scope", [
    {}, {"fiscal_year": 2019}, {"as_of": "2018-03-31"}, {"real_only": True},
    {"weights": {"co_participation": 0.5, "collaboration": 0}},
])
def test_core_of_the_bundled_ward_is_tie_graph(scope):
    ds = load_dataset(OSAKA)
    assert_same_graph(tie_graph(ds, **scope), core_from_dataset(ds, **scope).to_networkx())


def test_core_of_a_hand_made_dataset_is_tie_graph(make_dataset, org_row):
    ds = make_dataset(
        organizations=[org_row("A"), org_row("B"), org_row("C", ward="西区"),
                       org_row("K", kind="council"), org_row("L", kind="council"), org_row("Z")],
        events=[{"id": "E1", "name": "e", "date": "2019-05-01"},
                {"id": "E2", "name": "f", "date": "2020-05-01"}],
        participations=[{"event_id": "E1", "org_id": o} for o in "ABC"]
        + [{"event_id": "E2", "org_id": o} for o in "AB"],
        collaborations=[{"id": "C1", "title": "t", "org_ids": ["A", "C", "K"]},
                        {"id": "C2", "title": "u", "org_ids": ["B", "C"],
                         "start_date": "2018-01-01"}],
        memberships=[{"org_id": "A", "council_id": "K", "since": "2017-04-01"},
                     {"org_id": "B", "council_id": "K"}, {"org_id": "C", "council_id": "K",
                                                         "since": "2019-04-01"},
                     {"org_id": "K", "council_id": "L", "since": "2016-01-01"}],
        dispatches=[{"id": "D1", "org_id": "A", "talent_id": "T1", "start_date": "2019-01-01"},
                    {"id": "D2", "org_id": "B", "talent_id": "T1", "start_date": "2019-02-01"},
                    {"id": "D3", "org_id": "B", "talent_id": "T1", "start_date": "2018-02-01"},
                    {"id": "D4", "org_id": "Z", "talent_id": "T2"}],
    )
    for scope in ({}, {"as_of": "2019-03-01"}, {"wards": ["北区"]}):
        T = tie_graph(ds, **scope)
        assert_same_graph(T, core_from_dataset(ds, **scope).to_networkx())
    full = tie_graph(ds)
    assert full.number_of_edges() == 7  # AB AC BC AK BK CK KL: every part is exercised
    assert all(any(d[p] > 0 for _, _, d in full.edges(data=True)) for p in (
        "collaboration", "co_participation", "co_membership", "shared_dispatch"))


def test_evidence_is_fetched_for_the_pairs_asked(make_dataset, org_row):
    ds = make_dataset(organizations=[org_row("A"), org_row("B"), org_row("C")],
                      collaborations=[{"id": "C1", "title": "t", "org_ids": ["A", "B"]}])
    core = core_from_dataset(ds)
    assert core.evidence([("B", "A"), ("A", "C"), ("A", "nobody")]) == [
        ("collaborations:C1",), (), ()]


def test_first_evidence_is_the_smallest_record_of_each_tie(synthetic_ward):
    """``first=True`` (what a reason cites) picks in SQL what sorting all records picks, on
    the synthetic ward's ties (some with many records), a self-pair and an unknown id."""
    core = core_from_dataset(load_dataset(synthetic_ward))
    pairs = [(core.ids[a], core.ids[b]) for a, b in zip(core.u[::7], core.v[::7])]
    pairs += [(core.ids[0], core.ids[0]), ("日本語の団体", core.ids[1])]
    every = core.evidence(pairs)
    assert max(len(e) for e in every) > 3
    assert core.evidence(pairs, first=True) == [e[:1] for e in every]


# --- measures ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["florentine", "karate", "les_miserables", "davis"])
def test_measures_on_published_graphs_match_the_networkx_path(name):
    G = published()[name]
    partition = louvain(G, method="python-louvain")
    view = CoreGraph(core_from_networkx(G))
    assert_same_measures(organisation_measures(G, partition),
                         organisation_measures(view, partition))


def test_measures_on_random_graphs_match_including_sampled_betweenness():
    for G in random_graphs():
        partition = louvain(G, method="python-louvain")
        view = CoreGraph(core_from_networkx(G))
        for threshold in (2000, 10):  # exact, then 8 sampled pivots (same seed on both)
            x = organisation_measures(G, partition, exact_threshold=threshold, k=8)
            y = organisation_measures(view, partition, exact_threshold=threshold, k=8)
            assert_same_measures(x, y)
        assert x.attrs["betweenness"]["exact"] is False


def test_measures_equal_their_networkx_oracles_on_the_core():
    for G in [*random_graphs(), published()["les_miserables"]]:
        measures = organisation_measures(CoreGraph(core_from_networkx(G)))
        expected = {
            "betweenness": nx.betweenness_centrality(G),
            "pagerank": nx.pagerank(G, weight="weight"),
            "harmonic_closeness": {v: h / (len(G) - 1)
                                   for v, h in nx.harmonic_centrality(G).items()},
            "constraint": nx.constraint(G, weight="weight"),
            # Burt's effective size: networkx's per-node definition (see docs/core.md)
            "effective_size": nx.effective_size(G, nodes=list(G), weight="weight"),
        }
        for column, oracle in expected.items():
            np.testing.assert_allclose(measures[column].to_numpy(float),
                                       [oracle[v] for v in measures.index], rtol=1e-5,
                                       atol=1e-9, err_msg=column)


def test_effective_size_is_burts_formula_on_a_weighted_triangle_with_a_tail():
    # ego a: partners b (w 2), c (w 1), d (w 1); b–c tied (w 1).
    G = nx.Graph([("a", "b", {"weight": 2.0}), ("a", "c", {"weight": 1.0}),
                  ("a", "d", {"weight": 1.0}), ("b", "c", {"weight": 1.0})])
    # p_a = (b .5, c .25, d .25); m_b· = (a 1, c .5); m_c· = (a 1, b 1)
    # redundancy of b = p_ac m_bc = .25·.5; of c = p_ab m_cb = .5·1; of d = 0
    expected = 3 - (0.125 + 0.5)
    measures = organisation_measures(CoreGraph(core_from_networkx(G)))
    assert measures.loc["a", "effective_size"] == pytest.approx(expected)
    assert nx.effective_size(G, nodes=["a"], weight="weight")["a"] == pytest.approx(expected)


# --- communities ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["karate", "les_miserables", "davis"])
def test_leiden_on_the_core_is_at_least_as_modular_as_python_louvain(name):
    G = published()[name]
    core = core_from_networkx(G)
    for seed in range(5):
        leiden = core_communities(core, seed=seed)
        reference = louvain(G, method="python-louvain", seed=seed)
        assert leiden.method == "leiden" and leiden.params["implementation"] == "networkit-leiden"
        assert leiden.modularity >= reference.modularity * 0.995
        assert leiden.modularity == pytest.approx(
            nx.community.modularity(G, leiden.communities, weight="weight"), rel=1e-6)


def test_leiden_reaches_the_best_known_karate_modularity():
    core = core_from_networkx(nx.karate_club_graph(), weight=None)
    best = max(core_communities(core, seed=s, weight=None).modularity for s in range(5))
    assert best == pytest.approx(0.4198, abs=1e-4)


def test_python_louvain_is_kept_as_a_method():
    G = published()["karate"]
    p = core_communities(core_from_networkx(G), method="python-louvain", seed=3)
    assert p.communities == louvain(G, method="python-louvain", seed=3).communities
    assert p.params["implementation"] == "python-louvain"


# --- findings --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [OSAKA, DAVIS])
def test_findings_on_the_core_match_the_networkx_path(path):
    ds = load_dataset(path)
    G = tie_graph(ds)
    core = core_from_dataset(ds)
    view = CoreGraph(core)
    partition = louvain(G, method="leiden")
    assert core_communities(core).communities == partition.communities
    m_nx = organisation_measures(G, partition)
    m_core = organisation_measures(view, partition)
    assert_same_measures(m_nx, m_core, rtol=1e-6)
    c_nx = connectors(G, partition, measures=m_nx, top=None)
    c_core = connectors(view, partition, measures=m_core, top=None)
    assert c_nx.index.tolist() == c_core.index.tolist()
    assert c_nx["reasons"].tolist() == c_core["reasons"].tolist()
    assert c_nx["why_ja"].tolist() == c_core["why_ja"].tolist()
    i_nx = isolated(G, partition, measures=m_nx)
    i_core = isolated(view, partition, measures=m_core)
    pd.testing.assert_frame_equal(i_nx, i_core)
    g_nx, g_core = gap_tables(G, partition), gap_tables(view, partition)
    assert set(g_nx) == set(g_core)
    for name in g_nx:
        pd.testing.assert_frame_equal(g_nx[name], g_core[name], rtol=1e-6)


# --- introductions ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def synthetic_ward(tmp_path_factory) -> Path:
    from synth.generator import generate

    folder = tmp_path_factory.mktemp("ward") / "ward"
    generate(folder, scale="ward", seed=5, first_fy=2017, last_fy=2019)
    return folder


@pytest.mark.parametrize("goal, across", [("strengthen", ("community",)),
                                          ("bridge", ("community", "ward"))])
@pytest.mark.parametrize("which", ["osaka", "synthetic ward"])
def test_suggestions_on_the_core_match_the_networkx_path(which, goal, across, synthetic_ward):
    """Same partners, ranks, scores, reasons and cited records for everyone, whether the tie
    graph is networkx (records on every edge) or the core's view (records fetched per block)."""
    from graph.introductions import build_signals, suggest

    ds = load_dataset(OSAKA if which == "osaka" else synthetic_ward)
    G = tie_graph(ds)
    view = CoreGraph(core_from_dataset(ds))
    partition = core_communities(view.tie_core, method="auto")
    on_nx = suggest(G, dataset=ds, goal=goal, across=across, partition=partition, top=4)
    on_core = suggest(view, dataset=ds, goal=goal, across=across, partition=partition, top=4,
                      signals=build_signals(view, ds))
    assert len(on_nx) > 20
    assert on_core == on_nx
