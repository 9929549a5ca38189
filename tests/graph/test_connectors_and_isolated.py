"""Connector ranking with reasons, isolation reasons, last activity."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pandas as pd
import pytest

from graph import findings as b
from graph.errors import GraphError
from graph.measures import organisation_measures
from ingest.schemas import Dataset


def _hub_of_four():
    """x sits in triangle 0 and has one tie into each of triangles 1, 2, 3."""
    G = nx.Graph()
    parts = []
    for t in range(4):
        members = [f"t{t}_{i}" for i in range(3)]
        G.add_edges_from([(members[0], members[1]), (members[1], members[2]),
                          (members[0], members[2])])
        parts.append(set(members))
    G.add_edges_from(("x", f"t0_{i}") for i in range(3))
    G.add_edges_from(("x", f"t{t}_0") for t in (1, 2, 3))
    parts[0].add("x")
    return G, parts


def test_connector_score_formula_by_hand():
    m = pd.DataFrame({
        "degree": [3, 2, 2, 1],
        "betweenness": [0.6, 0.2, 0.0, 0.0],
        "constraint": [0.3, 0.5, 0.9, 1.0],
        "participation_coefficient": [0.5, 0.5, 0.0, 0.0],
        "cross_sector": [1, 0, 0, 5], "cross_ward": [0, 0, 0, 0],
        "territorial_thematic": [0, 0, 0, 0]}, index=list("abcd"))
    s = b.connector_score(m)
    # eligible a, b, c (degree ≥ 2); min-rank percentiles over 3
    assert s["a"] == pytest.approx(0.4 * 1 + 0.3 * 2 / 3 + 0.2 * 1 + 0.1 * 1)
    assert s["b"] == pytest.approx(0.4 * 2 / 3 + 0.3 * 2 / 3 + 0.2 * 2 / 3 + 0.1 * 1 / 3)
    assert s["c"] == pytest.approx(0.4 / 3 + 0.3 / 3 + 0.2 / 3 + 0.1 / 3)
    assert s["d"] == 0.0
    assert sum(b.SCORE_WEIGHTS.values()) == pytest.approx(1.0)
    with pytest.raises(GraphError, match="participation_coefficient"):
        b.connector_score(m.drop(columns="participation_coefficient"))


def test_bridge_of_two_cliques_tops_the_ranking_with_reason():
    G = nx.barbell_graph(4, 0)
    out = b.connectors(G, [set(range(4)), set(range(4, 8))])
    assert set(out.index[:2]) == {3, 4}
    assert out.loc[3, "rank"] in (1, 2)
    assert out.loc[3, "reasons"].split(";")[0] == "sole_bridge"
    assert 'only tie between "#0" and "#1"' in out.loc[3, "why_en"]
    assert "「#0」と「#1」を結ぶ唯一のつながり" in out.loc[3, "why_ja"]
    assert out["score"].is_monotonic_decreasing


def test_links_four_communities_in_both_languages():
    G, parts = _hub_of_four()
    out = b.connectors(G, parts, labels={0: "北区・福祉"})
    top = out.iloc[0]
    assert out.index[0] == "x"
    assert top["communities_linked"] == 4
    assert "links 4 communities" in top["why_en"]
    assert "4つのコミュニティをつなぐ" in top["why_ja"]
    assert "北区・福祉" in top["why_en"]  # sole bridge from x's community to another
    assert top["community_label"] == "北区・福祉"


def test_sole_tie_between_ward_sector_blocks():
    G = nx.Graph()
    G.add_node("co", kind="company", ward="西淀川区", name="尼崎信用金庫")
    G.add_node("npo", kind="npo", ward="北区", name="子育てNPO")
    for i in range(3):
        G.add_node(f"w{i}", kind="council", ward="西淀川区")
        G.add_node(f"n{i}", kind="citizen_group", ward="北区")
        G.add_edge("co", f"w{i}")
        G.add_edge("npo", f"n{i}")
    G.add_edge("co", "npo")
    parts = [{"co", "w0", "w1", "w2"}, {"npo", "n0", "n1", "n2"}]
    out = b.connectors(G, parts)
    assert "sole_block_tie" in out.loc["co", "reasons"]
    assert ("only tie between NPOs and citizen groups in 北区 and companies in 西淀川区"
            in out.loc["co", "why_en"])
    assert "北区の市民活動団体・NPOと西淀川区の企業の間の唯一のつながり" in out.loc["co", "why_ja"]
    assert out.loc["co", "name"] == "尼崎信用金庫"


def test_connectors_top_and_determinism():
    G = nx.karate_club_graph()
    parts = nx.community.louvain_communities(G, seed=2)
    before = (list(G.nodes(data=True)), list(G.edges(data=True)))
    one = b.connectors(G, parts, top=5)
    assert len(one) == 5 and list(one["rank"]) == [1, 2, 3, 4, 5]
    pd.testing.assert_frame_equal(one, b.connectors(G, parts, top=5))
    assert one.index[0] in (0, 33, 32, 2)  # the club's well-known brokers
    measures = organisation_measures(G, parts)
    pd.testing.assert_frame_equal(one, b.connectors(G, parts, measures=measures, top=5))
    b.isolated(G, parts, activity={})
    assert (list(G.nodes(data=True)), list(G.edges(data=True))) == before


# --- isolation kinds and reasons ---------------------------------------------------------------


@pytest.fixture
def lonely():
    G = nx.Graph()
    # giant component: a clique of 5 councils and a leaf
    core = [f"k{i}" for i in range(5)]
    for v in core:
        G.add_node(v, kind="council", name=v, ward="北区")
    G.add_edges_from((a, c) for i, a in enumerate(core) for c in core[i + 1:])
    G.add_node("leaf", kind="npo", name="葉", ward="北区")
    G.add_edge("leaf", "k0")
    # a pair and a triangle cut off from the rest
    G.add_node("p1", kind="npo", name="p1", ward="西区")
    G.add_node("p2", kind="npo", name="p2", ward="西区")
    G.add_edge("p1", "p2")
    for v in ("t1", "t2", "t3"):
        G.add_node(v, kind="citizen_group", name=v, ward="港区")
    G.add_edges_from([("t1", "t2"), ("t2", "t3"), ("t3", "t1")])
    # an NPO tied only to a ward office, another to two public agencies (both in the giant)
    G.add_node("office", kind="public_agency", name="西区役所", ward="西区")
    G.add_node("welfare", kind="public_agency", name="西区社協", ward="西区")
    G.add_edges_from([("office", "k1"), ("welfare", "k1")])
    G.add_node("q", kind="npo", name="q", ward="西区")
    G.add_edge("q", "office")
    G.add_node("r", kind="npo", name="r", ward="西区")
    G.add_edges_from([("r", "office"), ("r", "welfare")])
    G.add_node("alone", kind="citizen_group", name="ひとり", ward="港区")
    parts = [set(core) | {"leaf", "office", "welfare", "q", "r"}, {"p1", "p2"},
             {"t1", "t2", "t3"}, {"alone"}]
    return G, parts


def _active(G):
    activity = {v: dt.date(2019, 6, 1) for v in G}
    activity["k2"] = dt.date(2016, 5, 1)
    del activity["k3"]
    activity["k4"] = None  # active, date unknown
    return activity


def test_kind_no_ties(lonely):
    G, parts = lonely
    out = b.isolated(G, parts, activity=_active(G), as_of="2019-12-31")
    assert out.loc["alone", "isolation"] == "no_ties"
    assert out.loc["alone", "why_ja"] == "つながりがない"
    assert (out["isolation"] == "no_ties").sum() == 1  # only the organisation with no tie


def test_kind_single_partner(lonely):
    G, parts = lonely
    out = b.isolated(G, parts, activity=_active(G), as_of="2019-12-31")
    single = out.index[out["isolation"] == "single_partner"]
    assert set(single) == {"leaf", "p1", "p2", "q"}  # exactly one partner each
    assert out.loc["leaf", "why_ja"] == "つながりはk0の1団体だけ"
    assert "small_component" in out.loc["p1", "reasons"]  # a further reason, not another kind
    assert out.loc["p1", "component_size"] == 2


def test_kind_peripheral(lonely):
    G, parts = lonely
    out = b.isolated(G, parts, activity=_active(G), as_of="2019-12-31")
    peripheral = out.index[out["isolation"] == "peripheral"]
    assert set(peripheral) == {"t1", "t2", "t3", "r"}  # ≥ 2 partners, cut off / public only
    assert out.loc["t1", "reasons"] == "small_component"
    assert out.loc["r", "reasons"] == "public_only"
    assert "西区役所" in out.loc["r", "why_ja"] and "西区社協" in out.loc["r", "why_ja"]


def test_kind_inactive_since_a_date(lonely):
    G, parts = lonely
    out = b.isolated(G, parts, activity=_active(G), as_of="2019-12-31", inactive_years=2)
    inactive = out.index[out["isolation"] == "inactive"]
    # k2 (last active FY2016) and k3 (no activity) have 4+ partners: inactive, not isolated
    assert set(inactive) == {"k2", "k3"}
    assert out.loc["k2", "degree"] >= 4
    assert out.loc["k2", "since"] == dt.date(2018, 4, 1)
    assert out.loc["k2", "why_ja"] == "2018-04-01以降の活動記録がない（最終 2016年度、2016-05-01）"
    assert "FY2016" in out.loc["k2", "why_en"] and "since 2018-04-01" in out.loc["k2", "why_en"]
    assert out.loc["k3", "why_en"] == "no recorded activity (none since 2018-04-01)"
    assert "k0" not in out.index  # well connected and active
    assert "k4" not in out.index  # undated activity is not inactivity
    assert out["since"].drop(inactive).isna().all()


def test_kinds_are_counted_apart(lonely):
    G, parts = lonely
    out = b.isolated(G, parts, activity=_active(G), as_of="2019-12-31")
    counts = out["isolation"].value_counts().to_dict()
    assert counts == {"no_ties": 1, "single_partner": 4, "peripheral": 4, "inactive": 2}
    assert list(dict.fromkeys(out["isolation"])) == list(b.ISOLATION_KINDS)  # ordered by kind
    for name_en, name_ja, defn_en, defn_ja in b.ISOLATION_KINDS.values():
        assert name_en and name_ja and defn_en and defn_ja


def test_inactive_cutoff_is_fiscal_year_based(lonely):
    G, parts = lonely
    # as_of 2019-12-31 is FY2019; two fiscal years back to FY2018 → cutoff 2018-04-01
    activity = {v: dt.date(2018, 4, 1) for v in G}
    activity["k4"] = dt.date(2018, 3, 31)
    out = b.isolated(G, parts, activity=activity, as_of=dt.date(2019, 12, 31))
    assert "inactive" in out.loc["k4", "reasons"]
    assert "k0" not in out.index
    # without activity data the kind is not used; default reference is the latest date
    assert "inactive" not in ";".join(b.isolated(G, parts)["reasons"])
    late = dict(activity, k0=dt.date(2021, 1, 1))
    assert b.isolated(G, parts, activity=late).loc["k1", "isolation"] == "inactive"


def test_isolated_bad_input(lonely):
    G, parts = lonely
    with pytest.raises(GraphError, match="inactive_years"):
        b.isolated(G, parts, inactive_years=0)
    with pytest.raises(GraphError, match="as_of"):
        b.isolated(G, parts, activity={}, as_of="not a date")


def test_last_activity_from_every_source():
    orgs = pd.DataFrame({"id": ["a", "b", "c", "d", "e", "f"], "name": list("abcdef"),
                         "kind": ["npo"] * 6})
    events = pd.DataFrame({"id": ["E1", "E2"], "name": ["x", "y"],
                           "date": pd.to_datetime(["2018-05-01", "2020-02-01"]),
                           "end_date": pd.to_datetime([None, "2020-02-03"])})
    part = pd.DataFrame({"event_id": ["E1", "E2"], "org_id": ["a", "b"]})
    collab = pd.DataFrame({"id": ["C1", "C2"], "title": ["t", "u"],
                           "org_ids": [["a", "c"], ["f", "a"]],
                           "start_date": pd.to_datetime(["2019-01-01", None]),
                           "end_date": pd.to_datetime(["2019-03-01", None])})
    disp = pd.DataFrame({"id": ["D1"], "org_id": ["d"], "talent_id": ["T1"],
                         "start_date": pd.to_datetime(["2017-07-07"]),
                         "end_date": pd.to_datetime([None])})
    res = pd.DataFrame({"id": ["R1"], "provider_id": ["e"], "title": ["space"],
                        "offered_on": pd.to_datetime(["2019-09-09"])})
    ds = Dataset({"organizations": orgs, "events": events, "participations": part,
                  "collaborations": collab, "dispatches": disp, "resources": res})
    assert b.last_activity(ds) == {
        "a": dt.date(2019, 3, 1), "b": dt.date(2020, 2, 3), "c": dt.date(2019, 3, 1),
        "d": dt.date(2017, 7, 7), "e": dt.date(2019, 9, 9), "f": None}
    assert b.last_activity(ds, as_of="2019-01-31") == {"a": dt.date(2018, 5, 1),
                                                       "d": dt.date(2017, 7, 7), "f": None}
    assert b.last_activity(Dataset({"organizations": orgs})) == {}


def test_labels_come_from_community_profiles_for_a_partition():
    from graph.communities import community_profiles, louvain

    G = nx.barbell_graph(4, 0)
    nx.set_node_attributes(G, {v: "西淀川区" if v < 4 else "北区" for v in G}, "ward")
    nx.set_node_attributes(G, {v: "npo" for v in G}, "kind")
    partition = louvain(G, seed=0)
    profiles = community_profiles(G, partition)
    ja = dict(zip(profiles["community"], profiles["label"]))
    en = dict(zip(profiles["community"], profiles["label_en"]))
    out = b.connectors(G, partition, top=1)
    top = out.iloc[0]
    assert top["community_label"] == ja[top["community"]]
    assert f"「{ja[0]}」と「{ja[1]}」を結ぶ唯一のつながり" in top["why_ja"]
    assert f'only tie between "{en[0]}" and "{en[1]}"' in top["why_en"]
