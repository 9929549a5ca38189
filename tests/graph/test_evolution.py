"""Tests of graph.time's community tracking, timeline analysis and trajectories: community
events, alluvial flows, the per-period analysis, trajectories, and the synthetic generator's
growth recovered from its own output."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graph.errors import GraphError
from graph.time import (
    analyze_timeline,
    fiscal_period,
    newly_isolated,
    rising_connectors,
    timeline_from_graph,
    track_communities,
)

D = dt.date


def events_of(tracking):
    return [tuple(r) for r in tracking.events[["period", "event", "community", "related"]].values]


# --- community events with known answers ----------------------------------------------------

A, B, C = set(range(0, 10)), set(range(10, 20)), set(range(20, 30))


def test_birth_and_continuation():
    tr = track_communities([("P1", [A]), ("P2", [A, B])])
    assert events_of(tr) == [("P1", "birth", 0, ""), ("P2", "birth", 1, ""),
                             ("P2", "continuation", 0, "")]


def test_death():
    tr = track_communities([("P1", [A, B]), ("P2", [A])])
    assert events_of(tr)[-1] == ("P2", "death", 1, "")
    # with max_gap=2 the community survives one missing period and resumes its id
    tr2 = track_communities([("P1", [A, B]), ("P2", [A]), ("P3", [A, B])], max_gap=2)
    assert ("P3", "continuation", 1, "") in events_of(tr2)
    assert all(e[1] != "death" for e in events_of(tr2))


def test_merge():
    tr = track_communities([("P1", [A, B, C]), ("P2", [A | B, C])])
    merge = tr.events[tr.events["event"] == "merge"].iloc[0]
    assert (merge["period"], merge["community"], merge["related"]) == ("P2", 0, "1")
    assert merge["size"] == 20 and merge["previous_size"] == 10
    assert tr.membership["P2"][15] == 0             # B's members now carry A's id
    assert ("P2", "continuation", 2, "") in events_of(tr)
    # id 1 ended by the merge: no death reported for it, and it never comes back
    assert not ((tr.events["community"] == 1) & (tr.events["event"] == "death")).any()


def test_split():
    tr = track_communities([("P1", [A | B]), ("P2", [A, B])])
    assert events_of(tr) == [("P1", "birth", 0, ""), ("P2", "contraction", 0, ""),
                             ("P2", "split", 1, "0")]
    assert tr.alluvial.values.tolist() == [["P1", 0, "P2", 0, 10], ["P1", 0, "P2", 1, 10]]


def test_growth_contraction_and_threshold():
    grown = A | set(range(100, 104))                  # 10 → 14: Jaccard 10/14 ≥ 0.3
    tr = track_communities([("P1", [A]), ("P2", [grown]), ("P3", [set(range(0, 8))])])
    assert [e[1] for e in events_of(tr)] == ["birth", "growth", "contraction"]
    # overlap 3/17 < 0.3: not the same community (death + birth)
    small = set(range(7, 10)) | set(range(200, 207))
    tr2 = track_communities([("P1", [A]), ("P2", [small])])
    assert sorted(e[1] for e in events_of(tr2)[1:]) == ["birth", "death"]
    # the threshold is a parameter: at θ = 0.1 the same pair continues
    tr3 = track_communities([("P1", [A]), ("P2", [small])], theta=0.1)
    assert [e[1] for e in events_of(tr3)] == ["birth", "continuation"]


def test_small_communities_are_ignored_and_params_checked():
    tr = track_communities([("P1", [A, {99}])])
    assert len(tr.events) == 1 and 99 not in tr.membership["P1"]
    with pytest.raises(GraphError, match="theta"):
        track_communities([], theta=0)
    with pytest.raises(GraphError, match="max_gap"):
        track_communities([], max_gap=0)


def test_alluvial_flows_conserve_members():
    tr = track_communities([("P1", [A, B, C]), ("P2", [A | B, C]), ("P3", [A, B | C])])
    for (fp, tp), grp in tr.alluvial.groupby(["from_period", "to_period"]):
        common = set(tr.membership[fp]) & set(tr.membership[tp])
        assert grp["size"].sum() == len(common)


# --- the per-period analysis -----------------------------------------------------------------


def two_cliques_timeline():
    """FY2016: two 5-cliques; FY2017: joined by a bridge; FY2018: a new clique of newcomers."""
    G = nx.Graph()

    def clique(nodes, day):
        for i, u in enumerate(nodes):
            for v in nodes[i + 1:]:
                G.add_edge(u, v, weight=1.0, first_date=day, last_date=day)

    clique(list("abcde"), D(2016, 6, 1))
    clique(list("fghij"), D(2016, 7, 1))
    G.add_edge("e", "f", weight=1.0, first_date=D(2017, 5, 1), last_date=D(2017, 5, 1))
    clique(list("vwxyz"), D(2018, 9, 1))
    for v in G:
        G.nodes[v]["kind"] = "npo" if v < "f" else "company"
        G.nodes[v]["orientation"] = "thematic" if v < "f" else None
    return G


def test_analyze_timeline_snapshots_and_events():
    res = analyze_timeline(timeline_from_graph(two_cliques_timeline()), seed=0)
    s = res.snapshots.set_index("period")
    assert s.index.tolist() == ["FY2016", "FY2017", "FY2018"]
    assert s["organisations"].tolist() == [10, 10, 15]
    assert s["ties"].tolist() == [20, 21, 31]
    assert s["components"].tolist() == [2, 1, 2]
    assert s["connected_organisations"].tolist() == [10, 10, 15]
    assert s["new_ties"].tolist() == [20, 1, 10]
    assert s["new_organisations"].tolist() == [10, 0, 5]
    assert s.loc["FY2017", "churn"] == pytest.approx(1 - 20 / 21)
    assert s.loc["FY2016", "cross_sector_share"] == 0.0
    assert s.loc["FY2017", "cross_sector_share"] == pytest.approx(1 / 21)
    assert s["communities"].tolist() == [2, 2, 3]
    ev = res.community_events
    assert ev[ev["period"] == "FY2018"]["event"].tolist() == ["birth", "continuation",
                                                              "continuation"]
    # stable ids: a–e keep one id across all three years
    traj = res.trajectories
    ids = traj[traj["id"] == "a"]["community"].tolist()
    assert len(set(ids)) == 1 and len(ids) == 3
    # brokerage: e and f become the bridge in FY2017
    rising = rising_connectors(traj, start="FY2016", end="FY2017", top=2)
    assert sorted(rising["id"]) == ["e", "f"]
    assert {"role", "betweenness", "effective_size"} <= set(traj.columns)


def test_windowed_analysis_reports_ended_ties_and_isolation():
    G = nx.Graph()
    G.add_edge("a", "b", weight=1.0, first_date=D(2016, 6, 1), last_date=D(2016, 6, 1))
    G.add_edge("b", "c", weight=1.0, first_date=D(2016, 6, 1), last_date=D(2018, 6, 1))
    G.add_edge("c", "d", weight=1.0, first_date=D(2018, 6, 1), last_date=D(2018, 6, 1))
    G.add_edge("a", "x", weight=1.0, first_date=D(2017, 6, 1), last_date=D(2017, 6, 1))
    G.add_edge("x", "y", weight=1.0, first_date=D(2017, 6, 1), last_date=D(2018, 6, 1))
    tl = timeline_from_graph(G)
    win = analyze_timeline(tl, window=1).snapshots.set_index("period")
    cum = analyze_timeline(tl).snapshots.set_index("period")
    assert cum["ties"].tolist() == [2, 4, 5]
    assert win["ties"].tolist() == [2, 3, 3]           # a-b lapses in FY2017, a-x in FY2018
    assert win["ties_removed"].tolist() == [0, 1, 1]
    assert cum["ties_removed"].tolist() == [0, 0, 0]
    # not renewed: a-b (last evidence FY2016) counts in FY2017, a-x in FY2018
    assert cum["ended_ties"].tolist() == [0, 1, 1]
    assert cum["dormant_organisations"].tolist() == [0, 0, 1]     # a: silent since FY2017
    # a is in the FY2017 window (a-x) and not in FY2018's (b, c, d, x, y)
    assert win["organisations"].tolist() == [3, 5, 5]


def test_newly_isolated_in_a_windowed_snapshot():
    G = nx.Graph()
    G.add_edge("a", "b", weight=1.0, first_date=D(2016, 6, 1), last_date=D(2016, 6, 1))
    G.add_edge("b", "c", weight=1.0, first_date=D(2016, 6, 1), last_date=D(2017, 6, 1))
    act = pd.DataFrame({"first_date": pd.to_datetime(["2016-06-01"]),
                        "last_date": pd.to_datetime(["2017-05-01"])}, index=pd.Index(["a"]))
    res = analyze_timeline(timeline_from_graph(G, activity=act), window=1)
    iso = newly_isolated(res.trajectories)
    assert iso.values.tolist() == [["FY2017", "a", "a", 1]]


def test_analysis_is_deterministic_and_does_not_mutate():
    G = two_cliques_timeline()
    before = nx.to_dict_of_dicts(G)
    tl = timeline_from_graph(G)
    r1, r2 = analyze_timeline(tl, seed=3), analyze_timeline(tl, seed=3)
    pd.testing.assert_frame_equal(r1.snapshots, r2.snapshots)
    pd.testing.assert_frame_equal(r1.trajectories, r2.trajectories)
    assert nx.to_dict_of_dicts(G) == before


def test_warm_start_keeps_modularity_close_to_cold():
    rng = np.random.default_rng(1)
    G = nx.planted_partition_graph(6, 15, 0.5, 0.02, seed=1)
    for u, v in G.edges():
        day = D(2015 + int(rng.integers(0, 5)), 6, 1)
        G.edges[u, v].update(weight=1.0, first_date=day, last_date=day)
    tl = timeline_from_graph(G)
    warm = analyze_timeline(tl, warm_start=True).snapshots["modularity"]
    cold = analyze_timeline(tl, warm_start=False).snapshots["modularity"]
    assert (warm >= cold - 0.03).all()


def test_kernel_and_densification_in_the_analysis():
    res = analyze_timeline(timeline_from_graph(two_cliques_timeline()))
    assert res.densification.points == 3
    assert res.densification_connected.points == 3
    assert res.attachment.transitions == 2
    table = res.attachment.table.set_index("degree")
    # FY2017's new tie e-f lands on two degree-4 organisations; degree-4 organisations
    # pooled over both transitions: 10 in FY2016 + 8 in FY2017 (e, f then have degree 5)
    assert table.loc[4, "new_tie_ends"] == 2 and table.loc[4, "organisations"] == 18
    assert table.loc[5, "new_tie_ends"] == 0 and table.loc[5, "organisations"] == 2


def test_single_period_and_empty_timeline():
    G = nx.Graph()
    G.add_edge(1, 2, weight=1.0, first_date=D(2019, 5, 1), last_date=D(2019, 5, 1))
    res = analyze_timeline(timeline_from_graph(G), periods=[fiscal_period(2019)])
    assert len(res.snapshots) == 1 and np.isnan(res.snapshots["churn"].iloc[0])
    empty = analyze_timeline(timeline_from_graph(nx.Graph()))
    assert empty.snapshots.empty and empty.trajectories.empty


def test_rising_connectors_errors():
    t = pd.DataFrame({"period": ["P1"], "id": ["a"], "name": ["A"], "betweenness": [0.0]})
    with pytest.raises(GraphError, match="measure"):
        rising_connectors(t, measure="gossip")
    with pytest.raises(GraphError, match="period"):
        rising_connectors(t, start="P0")


# --- the generator's growth recovered from its own output -------------------------------------


@pytest.fixture(scope="module")
def ward_dataset(tmp_path_factory):
    from ingest.load import load_dataset
    from synth.generator import generate

    out = tmp_path_factory.mktemp("synth") / "ward"
    generate(out, scale="ward", seed=3, first_fy=2014, last_fy=2019)
    return load_dataset(out)


def test_generator_growth_recovered(ward_dataset):
    """synth at ward scale: new thematic groups a fiscal year, measured by the timeline.

    docs/synthetic-data.md: exactly 143 new thematic groups a fiscal year city-wide
    (multinomial over wards); the ward scale is 西淀川区 in full plus half of the groups of
    its three neighbours, so about 143 / 24 × (1 + 3 × 0.5) ≈ 14.9 a year. Tolerance: the
    FY2014–FY2019 mean within 40 % of that (multinomial noise on ~15 a year over 6 years),
    and each year's count equal to the generator's own ``figures`` row
    (``new_thematic_groups``) exactly.
    """
    from graph.time import timeline_from_dataset
    from graph.time.series import _period_label
    from synth.calibration import NEW_THEMATIC_PER_YEAR

    tl = timeline_from_dataset(ward_dataset)
    thematic = tl.orgs[tl.orgs["orientation"] == "thematic"]
    entered = thematic["first_date"].dropna()
    fy = entered.map(lambda d: d.year if d.month >= 4 else d.year - 1)
    per_year = fy.value_counts().reindex(range(2014, 2020), fill_value=0)
    expected = NEW_THEMATIC_PER_YEAR / 24 * (1 + 3 * 0.5)
    assert per_year.mean() == pytest.approx(expected, rel=0.4)
    fig = ward_dataset.table("figures")
    stated = fig[fig["metric"] == "new_thematic_groups"]
    assert len(stated) == 6
    for period, value in zip(stated["period"], stated["value"]):
        assert per_year[int(_period_label(period)[2:])] == value


def test_generator_dispatches_recovered(ward_dataset):
    """Dispatches from records per fiscal year sum to the generator's figures (thinned 1/24)."""
    from graph.time import report_series

    s = report_series(ward_dataset)
    rec = s[(s["metric"] == "dispatches") & (s["source"] == "records:dispatches")]
    fig = s[(s["metric"] == "dispatches") & s["source"].str.startswith("figures")]
    assert len(rec) > 0
    if len(fig):
        by_rec = rec.groupby("period")["value"].sum()
        by_fig = fig[fig["category"].isin(["territorial", "thematic"])].groupby(
            "period")["value"].sum()
        common = by_rec.index.intersection(by_fig.index)
        assert len(common) > 0
        assert (by_rec[common] == by_fig[common]).all()


def test_split_from_a_front_that_merged_in_the_same_period():
    # Front 1 = {7..12} is absorbed by the merge into {1..10}; {11, 12, 13..18} overlaps only
    # front 1, so it is a split whose source front ended in the same period: reported, no crash.
    steps = [
        ("P1", [{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}]),
        ("P2", [set(range(1, 11)), {11, 12, 13, 14, 15, 16, 17, 18}]),
    ]
    events = track_communities(steps, theta=0.1).events
    p2 = events[events["period"] == "P2"].set_index("event")
    assert set(p2.index) == {"merge", "split"}
    assert p2.loc["merge", "related"] == "1"
    assert p2.loc["split", "related"] == "1"
