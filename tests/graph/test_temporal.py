"""Tests of graph.time: periods, the dated tie list, snapshots, metrics, growth laws, series."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graph.errors import GraphError
from graph.time import (
    Timeline,
    attachment_kernel,
    degree_distribution,
    densification,
    fiscal_period,
    make_periods,
    org_activity,
    period_of,
    report_series,
    series_conflicts,
    snapshot,
    snapshot_masks,
    snapshot_metrics,
    timeline_from_dataset,
    timeline_from_graph,
    timeline_periods,
)
from ingest.normalise import parse_fiscal_year
from ingest.schemas import Dataset

D = dt.date


def dated_graph(edges):
    """Graph from (u, v, first, last) with ISO dates (None allowed)."""
    G = nx.Graph()
    for u, v, first, last in edges:
        G.add_edge(u, v, weight=1.0,
                   first_date=None if first is None else D.fromisoformat(first),
                   last_date=None if last is None else D.fromisoformat(last))
    return G


# --- periods ---------------------------------------------------------------------------------


def test_fiscal_year_boundary_31_march_vs_1_april():
    G = dated_graph([("a", "b", "2019-03-31", "2019-03-31"),
                     ("c", "d", "2019-04-01", "2019-04-01")])
    tl = timeline_from_graph(G)
    assert [p.label for p in timeline_periods(tl)] == ["FY2018", "FY2019"]
    assert sorted(snapshot(tl, fiscal_period(2018)).edges()) == [("a", "b")]
    assert snapshot(tl, fiscal_period(2019)).number_of_edges() == 2
    assert period_of(D(2019, 3, 31)).label == "FY2018"
    assert period_of(D(2019, 4, 1)).label == "FY2019"


def test_heisei_31_and_reiwa_1_are_one_fiscal_year():
    fy_h, fy_r = parse_fiscal_year("平成31年度"), parse_fiscal_year("令和元年度")
    assert fy_h == fy_r == 2019
    assert fiscal_period(fy_h) == fiscal_period(fy_r)
    # 30 April 2019 (last day of 平成) and 1 May 2019 (first day of 令和) share FY2019
    assert period_of(D(2019, 4, 30)) == period_of(D(2019, 5, 1)) == fiscal_period(2019)


def test_quarter_and_year_periods():
    labels = [p.label for p in make_periods(D(2019, 11, 5), D(2020, 2, 1), freq="quarter")]
    assert labels == ["2019Q4", "2020Q1"]
    assert make_periods(D(2019, 1, 1), D(2019, 12, 31), freq="year") == (
        period_of(D(2019, 6, 1), freq="year"),)
    with pytest.raises(GraphError, match="unknown period kind"):
        make_periods(D(2019, 1, 1), D(2019, 2, 1), freq="month")
    with pytest.raises(GraphError, match="before it starts"):
        make_periods(D(2019, 2, 1), D(2019, 1, 1))


# --- snapshots -------------------------------------------------------------------------------


@pytest.fixture
def three_years():
    # a-b in FY2015 only; b-c FY2016 to FY2017; c-d FY2017; e founded, never tied
    G = dated_graph([("a", "b", "2015-06-01", "2015-06-01"),
                     ("b", "c", "2016-06-01", "2017-06-01"),
                     ("c", "d", "2017-06-01", "2017-06-01")])
    G.add_node("e")
    return G


def test_cumulative_vs_windowed_counts(three_years):
    tl = timeline_from_graph(three_years, activity=pd.DataFrame(
        {"first_date": pd.to_datetime(["2015-05-01"]), "last_date": pd.to_datetime(["2015-05-01"])},
        index=pd.Index(["e"])))
    fy = {y: fiscal_period(y) for y in (2015, 2016, 2017)}
    cumulative = [snapshot(tl, fy[y]).number_of_edges() for y in fy]
    window1 = [snapshot(tl, fy[y], window=1).number_of_edges() for y in fy]
    assert cumulative == [1, 2, 3]
    assert window1 == [1, 1, 2]          # a-b lapses after FY2015; b-c spans FY2016-17
    assert [snapshot(tl, fy[y], window=2).number_of_edges() for y in fy] == [1, 2, 2]
    # decay keeps a-b active for one more year
    assert snapshot(tl, fy[2016], window=1, decay_days=365).number_of_edges() == 2
    # organisations: cumulative keeps e; a 1-year window drops a and e in FY2017
    assert sorted(snapshot(tl, fy[2017])) == ["a", "b", "c", "d", "e"]
    assert sorted(snapshot(tl, fy[2017], window=1)) == ["b", "c", "d"]


def test_undated_include_and_exclude(three_years):
    tl = timeline_from_graph(three_years)
    early = fiscal_period(2010)
    assert sorted(snapshot(tl, early)) == ["e"]              # undated org: always there
    assert list(snapshot(tl, early, undated="exclude")) == []
    G = three_years.copy()
    G.add_edge("x", "y", first_date=None, last_date=D(2016, 5, 1))  # partly undated evidence
    tl2 = timeline_from_graph(G)
    assert snapshot(tl2, early).has_edge("x", "y")
    assert not snapshot(tl2, early, undated="exclude").has_edge("x", "y")
    assert snapshot(tl2, fiscal_period(2016), undated="exclude").has_edge("x", "y")
    with pytest.raises(GraphError, match="undated"):
        snapshot(tl2, early, undated="maybe")


def test_last_cumulative_snapshot_is_the_whole_graph(three_years):
    tl = timeline_from_graph(three_years)
    last = snapshot(tl, timeline_periods(tl)[-1])
    assert set(last) == set(three_years)
    assert {frozenset(e) for e in last.edges()} == {frozenset(e) for e in three_years.edges()}


def test_timeline_does_not_mutate_input(three_years):
    before = nx.to_dict_of_dicts(three_years)
    tl = timeline_from_graph(three_years)
    snapshot(tl, fiscal_period(2017))
    assert nx.to_dict_of_dicts(three_years) == before


def test_bad_inputs_are_refused(three_years):
    with pytest.raises(GraphError, match="undirected"):
        timeline_from_graph(nx.DiGraph([(1, 2)]))
    G = dated_graph([("a", "b", "2019-05-01", "2019-04-01")])
    with pytest.raises(GraphError, match="ends"):
        timeline_from_graph(G)
    tl = timeline_from_graph(three_years)
    with pytest.raises(GraphError, match="window"):
        snapshot_masks(tl, fiscal_period(2017), window=0)
    with pytest.raises(GraphError, match="decay_days"):
        snapshot_masks(tl, fiscal_period(2017), decay_days=-1)
    with pytest.raises(GraphError, match="endpoints"):
        Timeline(tl.orgs.drop(index="a"), tl.ties)


# --- metrics ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_snapshot_metrics_agree_with_networkx(seed):
    G = nx.gnm_random_graph(60, 120, seed=seed)
    G.add_nodes_from(range(60, 65))  # isolates
    rng = np.random.default_rng(seed)
    for v in G:
        G.nodes[v]["kind"] = ["npo", "company", "council"][rng.integers(3)]
        G.nodes[v]["orientation"] = ["territorial", "thematic", None][rng.integers(3)]
    part = nx.community.louvain_communities(G, seed=seed)
    r = snapshot_metrics(G, partition=part, weight=None)
    assert r["organisations"] == 65 and r["ties"] == 120
    assert r["density"] == pytest.approx(nx.density(G))
    assert r["components"] == nx.number_connected_components(G)
    lcc = max(nx.connected_components(G), key=len)
    assert r["largest_component_share"] == pytest.approx(len(lcc) / 65)
    assert r["isolated_share"] == pytest.approx(nx.number_of_isolates(G) / 65)
    assert r["average_clustering"] == pytest.approx(nx.average_clustering(G))
    assert r["modularity"] == pytest.approx(nx.community.modularity(G, part))
    kinds = nx.get_node_attributes(G, "kind")
    from graph.measures import sector_of
    cross = sum(sector_of(kinds[u]) != sector_of(kinds[v]) for u, v in G.edges()) / 120
    assert r["cross_sector_share"] == pytest.approx(cross)
    orient = nx.get_node_attributes(G, "orientation")
    tt = sum({orient[u], orient[v]} == {"territorial", "thematic"} for u, v in G.edges()) / 120
    assert r["territorial_thematic_share"] == pytest.approx(tt)


def _hub_and_pieces(seed: int) -> nx.Graph:
    G = nx.disjoint_union(nx.gnm_random_graph(120, 900, seed=seed), nx.complete_graph(6))
    G.add_edges_from((0, i) for i in range(1, 120, 2))  # a hub over half the first piece
    G.add_nodes_from(range(126, 130))  # organisations without ties
    return G


@pytest.mark.parametrize("graph", [nx.powerlaw_cluster_graph(300, 6, 0.6, seed=2),
                                   nx.complete_graph(7), nx.star_graph(9), nx.empty_graph(3),
                                   _hub_and_pieces(0), _hub_and_pieces(1)])
def test_snapshot_clustering_and_components_match_networkx(graph):
    from graph.time.metrics import array_metrics

    n = graph.number_of_nodes()
    edges = np.array(list(graph.edges()), dtype=np.int64).reshape(-1, 2)
    zeros = np.zeros(n, dtype=np.int64)
    metrics, per_node = array_metrics(n, edges[:, 0], edges[:, 1], np.ones(len(edges)),
                                      zeros, zeros, None)
    want = nx.clustering(graph)
    assert per_node["clustering"].tolist() == pytest.approx([want[v] for v in range(n)],
                                                            abs=1e-12)
    assert metrics["components"] == nx.number_connected_components(graph)


def test_snapshot_metrics_partition_must_cover():
    with pytest.raises(GraphError, match="does not cover"):
        snapshot_metrics(nx.path_graph(3), partition=[{0, 1}])


# --- growth laws -----------------------------------------------------------------------------


def densifying_timeline(a=1.5, years=8, n0=40, growth=1.35, seed=0):
    """Organisations grow by `growth` a year and ties follow m = n**a exactly (by construction)."""
    rng = np.random.default_rng(seed)
    G = nx.Graph()
    n_prev = 0
    for y in range(years):
        n = int(round(n0 * growth ** y))
        day = D(2010 + y, 6, 1)
        for v in range(n_prev, n):
            G.add_node(v)
        m_target = int(round(n ** a))
        while G.number_of_edges() < m_target:
            u, v = (int(x) for x in rng.integers(0, n, 2))
            if u != v and not G.has_edge(u, v):
                G.add_edge(u, v, weight=1.0, first_date=day, last_date=day)
        for v in range(n_prev, n):  # date the new organisations' arrival
            G.nodes[v]["arrived"] = day
        n_prev = n
    act = pd.DataFrame({"first_date": pd.to_datetime([G.nodes[v]["arrived"] for v in G]),
                        "last_date": pd.to_datetime([G.nodes[v]["arrived"] for v in G])},
                       index=pd.Index(list(G)))
    return timeline_from_graph(G, activity=act)


def test_densification_exponent_recovered_by_construction():
    tl = densifying_timeline(a=1.5)
    periods = timeline_periods(tl)
    sizes = [tuple(int(mask.sum()) for mask in snapshot_masks(tl, p)) for p in periods]
    d = densification([s[0] for s in sizes], [s[1] for s in sizes])
    assert d.points == 8
    assert d.exponent == pytest.approx(1.5, abs=0.01)
    assert d.low < 1.5 < d.high and d.high - d.low < 0.05
    assert d.r2 > 0.999


def test_densification_degenerate_and_errors():
    assert np.isnan(densification([5], [3]).exponent)
    d2 = densification([10, 20], [10, 40])
    assert d2.exponent == pytest.approx(2.0) and np.isnan(d2.low)   # no interval from 2 points
    with pytest.raises(GraphError, match="length"):
        densification([1, 2], [1])
    with pytest.raises(GraphError, match="confidence"):
        densification([10, 20, 40], [1, 2, 3], confidence=1.5)


def grown_graphs(preferential: bool, steps=20, m_new=3, seed=0):
    """Snapshots of a growing graph whose new ties pick old ends ∝ k (or uniformly)."""
    rng = np.random.default_rng(seed)
    G = nx.complete_graph(5)
    snaps = [G.copy()]
    for _ in range(steps):
        for _ in range(20):  # 20 newcomers per step, each with m_new ties to old nodes
            old = np.array(list(G))
            deg = np.array([G.degree(v) for v in old], dtype=float)
            p = deg / deg.sum() if preferential else np.full(len(old), 1 / len(old))
            targets = rng.choice(old, size=m_new, replace=False, p=p)
            new = G.number_of_nodes()
            G.add_edges_from((new, int(t)) for t in targets)
        snaps.append(G.copy())
    return snaps


def test_attachment_kernel_linear_preferential():
    ak = attachment_kernel(grown_graphs(preferential=True))
    assert ak.transitions == 20 and ak.bins >= 4
    assert ak.alpha == pytest.approx(1.0, abs=0.2)


def test_attachment_kernel_uniform_has_no_preference():
    ak = attachment_kernel(grown_graphs(preferential=False))
    assert abs(ak.alpha) < 0.25


def test_attachment_kernel_hand_count():
    g0 = nx.path_graph(3)                     # degrees 1, 2, 1
    g1 = g0.copy()
    g1.add_edges_from([(1, 3), (0, 4), (5, 6)])  # ends on old nodes: 1 (k=2), 0 (k=1)
    table = attachment_kernel([g0, g1]).table.set_index("degree")
    assert table.loc[1, "new_tie_ends"] == 1 and table.loc[1, "organisations"] == 2
    assert table.loc[2, "new_tie_ends"] == 1 and table.loc[2, "kernel"] == 1.0


def test_degree_distribution():
    dd = degree_distribution({"P1": nx.star_graph(3), "P2": nx.empty_graph(2)})
    assert dd.values.tolist() == [["P1", 1, 3], ["P1", 3, 1], ["P2", 0, 2]]


# --- datasets and the report's series --------------------------------------------------------


def small_dataset():
    orgs = pd.DataFrame({
        "id": ["T1", "T2", "N1", "N2"], "name": ["町会1", "町会2", "NPO1", "NPO2"],
        "kind": ["neighbourhood_association", "council", "npo", "npo"],
        "orientation": ["territorial", "territorial", "thematic", "thematic"],
        "founded": pd.to_datetime([None, None, "2014-05-01", None]),
    })
    disp = pd.DataFrame({
        "id": ["D1", "D2", "D3", "D4"], "org_id": ["T1", "T2", "N1", "T1"],
        "talent_id": ["X", "X", "Y", "Y"],
        "start_date": pd.to_datetime(["2015-03-31", "2015-04-01", "2015-06-01", "2016-01-10"]),
        "end_date": pd.to_datetime([None] * 4),
    })
    awards = pd.DataFrame({"org_id": ["N1", "N2"], "program": ["市民活動推進助成"] * 2,
                           "fiscal_year": [2015, 2015], "amount_yen": [500000, 300000]})
    figures = pd.DataFrame({
        "metric": ["dispatches"] * 4,
        "period": ["H27", "H27", "平成27年度", "平成27年度"],
        "category": ["地縁型", "テーマ型", "地縁型", "テーマ型"],
        "value": [5.0, 7.0, 5.0, 12.0],
        "source": ["1(1)イ②", "1(1)イ②", "2(2)ア③", "2(2)ア③"],
    })
    return Dataset({"organizations": orgs, "dispatches": disp, "awards": awards,
                    "figures": figures})


def test_report_series_keeps_both_sources_and_records():
    s = report_series(small_dataset())
    assert set(s.columns) == {"metric", "period", "category", "value", "unit", "source"}
    fig = s[s["source"].str.startswith("figures")]
    thematic = fig[(fig["period"] == "FY2015") & (fig["category"] == "thematic")]
    assert sorted(thematic["value"]) == [7.0, 12.0]
    assert thematic["source"].nunique() == 2
    rec = s[s["source"] == "records:dispatches"].set_index(["period", "category"])["value"]
    # 2015-03-31 is FY2014; 2015-04-01 and 2016-01-10 are FY2015
    assert rec.to_dict() == {("FY2014", "territorial"): 1.0, ("FY2015", "territorial"): 2.0,
                             ("FY2015", "thematic"): 1.0}
    grants = s[(s["metric"] == "grant_projects") & (s["source"] == "records:awards")]
    assert grants["value"].tolist() == [2.0]
    yen = s[s["metric"] == "grant_amount_yen"]
    assert yen["value"].tolist() == [800000.0]
    conflicts = series_conflicts(s[s["source"].str.startswith("figures")])
    assert conflicts[["period", "category", "spread"]].values.tolist() == [
        ["FY2015", "thematic", 5.0]]


def test_report_series_units_periods_and_other_awards():
    fig = pd.DataFrame({"metric": ["grant_amount_decided", "dispatches"],
                        "period": ["FY2019", "FY2019(-2019-12)"], "category": ["交付決定", "合計"],
                        "value": [550.0, 21.0], "unit": ["万円", "件"], "source": ["A", "A"]})
    aw = pd.DataFrame({"org_id": ["x"], "program": ["CSOアワード大阪市長賞"],
                       "fiscal_year": [2019], "amount_yen": [None]})
    s = report_series(Dataset({"figures": fig, "awards": aw})).set_index("metric")
    assert s.loc["grant_amount_decided", "value"] == 5_500_000.0
    assert s.loc["grant_amount_decided", "unit"] == "円"
    assert (s.loc["dispatches", "period"], s.loc["dispatches", "category"]) == ("FY2019", "total")
    assert s.loc["awards", "value"] == 1.0 and "grant_projects" not in s.index


def test_org_activity_uses_every_dated_record():
    act = org_activity(small_dataset())
    assert act.loc["T1"].dt.date.tolist() == [D(2015, 3, 31), D(2016, 1, 10)]
    assert act.loc["N2"].dt.date.tolist() == [D(2015, 4, 1), D(2016, 3, 31)]  # award FY2015
    assert act.loc["N1", "first_date"].date() == D(2014, 5, 1)


def test_timeline_from_dataset_matches_tie_graph():
    from graph.build import example_dataset, tie_graph

    ds = example_dataset()
    tl = timeline_from_dataset(ds)
    G = tie_graph(ds)
    assert len(tl.ties) == G.number_of_edges() and len(tl.orgs) == G.number_of_nodes()
    last = snapshot(tl, timeline_periods(tl)[-1])
    assert {frozenset(e) for e in last.edges()} == {frozenset(e) for e in G.edges()}
    # each cumulative fiscal-year snapshot has the edges of tie_graph(fiscal_year=...)
    for p in timeline_periods(tl):
        fy = int(p.label[2:])
        expected = {frozenset(e) for e in tie_graph(ds, fiscal_year=fy).edges()}
        assert {frozenset(e) for e in snapshot(tl, p).edges()} == expected
