"""graph.build: hand-worked tiny datasets, a brute-force oracle, Newman's projection, Davis."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict

import networkx as nx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.build import (
    DEFAULT_TIE_WEIGHTS,
    TIE_PARTS,
    bipartite_graph,
    ecosystem_graph,
    example_dataset,
    restrict,
    tie_graph,
)
from graph.errors import GraphError
from ingest.schemas import Dataset

D = dt.date


def edge(T, u, v):
    return T.edges[u, v]


# --- hand-worked ------------------------------------------------------------------------------

def test_three_org_event_gives_each_pair_one_half(three_at_an_event):
    T = tie_graph(three_at_an_event)
    assert sorted(T.nodes) == ["A", "B", "C", "D"]  # isolate D kept
    assert sorted(T.edges) == [("A", "B"), ("A", "C"), ("B", "C")]
    for u, v in T.edges:
        e = edge(T, u, v)
        assert e["co_participation"] == pytest.approx(0.5)
        assert e["weight"] == pytest.approx(0.5)
        assert e["collaboration"] == e["co_membership"] == e["shared_dispatch"] == 0.0
        assert e["evidence"] == ("events:E1",)
        assert e["first_date"] == e["last_date"] == D(2019, 6, 1)
    assert T.degree("D") == 0


def test_node_attributes_follow_the_contract(make_dataset, org_row):
    ds = make_dataset(organizations=[
        org_row("A", kind="npo", ward="西淀川区", orientation="thematic", fields=[1, 13],
                synthetic=True),
        {"id": "B", "name": "B社", "kind": "company"},
    ])
    T = tie_graph(ds)
    assert T.nodes["A"] == {"name": "団体A", "kind": "npo", "ward": "西淀川区",
                            "orientation": "thematic", "fields": (1, 13), "synthetic": True}
    assert T.nodes["B"] == {"name": "B社", "kind": "company", "ward": None,
                            "orientation": None, "fields": (), "synthetic": False}


def test_collaboration_of_three_makes_three_ties(make_dataset, org_row):
    ds = make_dataset(
        organizations=[org_row(o) for o in "ABCD"],
        collaborations=[{"id": "C1", "title": "足湯", "start_date": "2018-05-01",
                         "org_ids": ["A", "B", "C"]}],
    )
    T = tie_graph(ds)
    assert sorted(T.edges) == [("A", "B"), ("A", "C"), ("B", "C")]
    assert {edge(T, *e)["collaboration"] for e in T.edges} == {1.0}
    assert edge(T, "A", "C")["evidence"] == ("collaborations:C1",)
    assert edge(T, "A", "C")["first_date"] == D(2018, 5, 1)
    doubled = tie_graph(ds, weights={"collaboration": 2.0})
    assert {edge(doubled, *e)["weight"] for e in doubled.edges} == {2.0}


def test_collaboration_listing_an_org_twice_counts_it_once(make_dataset, org_row):
    ds = make_dataset(organizations=[org_row("A"), org_row("B")],
                      collaborations=[{"id": "C1", "title": "x", "org_ids": ["A", "B", "A"]}])
    T = tie_graph(ds)
    assert list(T.edges(data="weight")) == [("A", "B", 1.0)]
    assert edge(T, "A", "B")["first_date"] is None  # undated collaboration


def test_council_co_membership_and_member_council_ties(make_dataset, org_row):
    ds = make_dataset(
        organizations=[org_row("K", kind="council"), org_row("A"), org_row("B"), org_row("C")],
        memberships=[{"org_id": "A", "council_id": "K", "since": "2015-04-01"},
                     {"org_id": "B", "council_id": "K", "since": "2016-04-01"},
                     {"org_id": "C", "council_id": "K"}],  # undated: always a member
    )
    T = tie_graph(ds)
    for u, v in [("A", "B"), ("A", "C"), ("B", "C")]:
        assert edge(T, u, v)["co_membership"] == pytest.approx(0.5)  # 1/(3-1)
        assert edge(T, u, v)["evidence"] == ("memberships:K",)
    for member in "ABC":
        assert edge(T, member, "K")["co_membership"] == 1.0  # two-party relation
    assert edge(T, "A", "B")["first_date"] == D(2016, 4, 1)  # both members from then
    assert edge(T, "A", "C")["first_date"] == D(2015, 4, 1)  # C undated: A's since
    assert edge(T, "C", "K")["first_date"] is None
    assert tie_graph(ds, weights={"co_membership": 3}).edges["A", "B"]["weight"] == 1.5


def test_shared_dispatch_pairs_and_evidence(make_dataset, org_row):
    ds = make_dataset(
        organizations=[org_row(o) for o in "ABCD"],
        dispatches=[
            {"id": "D1", "org_id": "A", "talent_id": "T1", "start_date": "2017-01-10"},
            {"id": "D2", "org_id": "A", "talent_id": "T1", "start_date": "2018-01-10"},
            {"id": "D3", "org_id": "B", "talent_id": "T1", "start_date": "2017-06-01"},
            {"id": "D4", "org_id": "C", "talent_id": "T1", "start_date": "2019-02-01"},
            {"id": "D5", "org_id": "D", "talent_id": "T2", "start_date": "2019-02-01"},
        ],
    )
    T = tie_graph(ds)
    assert sorted(T.edges) == [("A", "B"), ("A", "C"), ("B", "C")]
    assert edge(T, "A", "B")["shared_dispatch"] == pytest.approx(0.5)  # talent served 3 orgs
    assert edge(T, "A", "B")["evidence"] == ("dispatches:D1", "dispatches:D2", "dispatches:D3")
    assert edge(T, "A", "B")["first_date"] == D(2017, 6, 1)  # once both had been served
    assert edge(T, "A", "C")["first_date"] == D(2019, 2, 1)


def test_parts_add_up_and_evidence_is_sorted():
    T = tie_graph(example_dataset())
    for _, _, e in T.edges(data=True):
        assert e["weight"] == pytest.approx(sum(e[p] for p in TIE_PARTS))
        assert list(e["evidence"]) == sorted(set(e["evidence"]))
    ab = T.edges["A", "B"]
    assert (ab["collaboration"], ab["co_participation"], ab["co_membership"]) == (1.0, 1.5, 1.0)
    assert ab["first_date"] is None and ab["last_date"] == D(2019, 7, 1)


def test_big_forum_does_not_make_strong_ties(make_dataset, org_row):
    ids = [f"O{i:03d}" for i in range(200)]
    ds = make_dataset(organizations=[org_row(i) for i in ids],
                      events=[{"id": "F", "name": "地活協フォーラム", "date": "2019-02-17"}],
                      participations=[{"event_id": "F", "org_id": i} for i in ids])
    T = tie_graph(ds)
    assert T.number_of_edges() == 200 * 199 // 2
    assert T.degree("O000", weight="weight") == pytest.approx(1.0)  # one unit per event


def test_zero_weight_leaves_a_source_out(three_at_an_event):
    T = tie_graph(three_at_an_event, weights={"co_participation": 0})
    assert T.number_of_edges() == 0 and T.number_of_nodes() == 4


def test_default_weights_are_read_only():
    with pytest.raises(TypeError):
        DEFAULT_TIE_WEIGHTS["collaboration"] = 5.0  # type: ignore[index]
    assert set(DEFAULT_TIE_WEIGHTS) == set(TIE_PARTS)


# --- time, wards, real/synthetic -------------------------------------------------------------

def test_as_of_drops_later_records_and_keeps_the_day_itself(fiscal_boundary):
    assert sorted(tie_graph(fiscal_boundary, as_of="2019-03-30").edges) == []
    assert sorted(tie_graph(fiscal_boundary, as_of=D(2019, 3, 31)).edges) == [("A", "B")]
    assert sorted(tie_graph(fiscal_boundary, as_of=pd.Timestamp("2019-04-01")).edges) == [
        ("A", "B"), ("B", "C")]


def test_fiscal_year_boundary_31_march_vs_1_april(fiscal_boundary):
    assert sorted(tie_graph(fiscal_boundary, fiscal_year=2018).edges) == [("A", "B")]
    assert sorted(tie_graph(fiscal_boundary, fiscal_year=2019).edges) == [("A", "B"), ("B", "C")]
    assert restrict(fiscal_boundary, fiscal_year=2017).table("events").empty
    # with both, the earlier cut-off wins
    assert sorted(tie_graph(fiscal_boundary, fiscal_year=2019, as_of="2019-03-31").edges) == [
        ("A", "B")]


def test_restrict_dates_every_table(make_dataset, org_row):
    ds = make_dataset(
        organizations=[org_row("A", founded="2010-01-01"), org_row("B"),
                       org_row("LATE", founded="2021-01-01")],
        events=[{"id": "E1", "name": "e", "date": "2019-01-01"},
                {"id": "E2", "name": "e", "date": "2021-01-01"}],
        participations=[{"event_id": "E1", "org_id": "A"}, {"event_id": "E2", "org_id": "A"},
                        {"event_id": "E1", "org_id": "LATE"}],
        collaborations=[{"id": "C1", "title": "t", "start_date": "2020-06-01",
                         "org_ids": ["A", "B"]},
                        {"id": "C2", "title": "t", "org_ids": ["A", "B"]}],
        memberships=[{"org_id": "A", "council_id": "B", "since": "2020-06-01"}],
        dispatches=[{"id": "D1", "org_id": "A", "talent_id": "T", "start_date": "2020-06-01"}],
        resources=[{"id": "R1", "provider_id": "A", "title": "場所", "offered_on": "2020-06-01"}],
        awards=[{"org_id": "A", "program": "助成", "fiscal_year": 2019},
                {"org_id": "A", "program": "助成", "fiscal_year": 2020}],
        talents=[{"id": "T", "registered_on": "2020-06-01"}],
    )
    r = restrict(ds, as_of="2020-03-31")
    assert r.table("organizations")["id"].tolist() == ["A", "B"]
    assert r.table("events")["id"].tolist() == ["E1"]
    assert r.table("participations")["org_id"].tolist() == ["A"]  # E2 later, LATE not founded
    assert r.table("collaborations")["id"].tolist() == ["C2"]  # undated: always present
    for name in ("memberships", "dispatches", "resources", "talents"):
        assert r.table(name).empty, name
    assert r.table("awards")["fiscal_year"].tolist() == [2019]


def test_restrict_does_not_modify_its_input():
    ds = example_dataset()
    before = {name: frame.copy(deep=True) for name, frame in ds.tables.items()}
    restrict(ds, as_of="2019-03-01", wards=["西区"], real_only=True)
    tie_graph(ds, fiscal_year=2018, wards="北区")
    for name, frame in ds.tables.items():
        pd.testing.assert_frame_equal(frame, before[name])


def test_real_only_drops_synthetic_rows_and_what_hangs_on_them(make_dataset, org_row):
    ds = make_dataset(
        organizations=[org_row("R-A"), org_row("R-B"), org_row("S-C", synthetic=True)],
        events=[{"id": "R-E1", "name": "e", "date": "2019-01-01"},
                {"id": "S-E2", "name": "e", "date": "2019-01-02", "synthetic": True}],
        participations=[{"event_id": "R-E1", "org_id": "R-A"},
                        {"event_id": "R-E1", "org_id": "R-B"},
                        {"event_id": "R-E1", "org_id": "S-C"},
                        {"event_id": "S-E2", "org_id": "R-A"},
                        {"event_id": "S-E2", "org_id": "R-B"}],
        collaborations=[{"id": "R-C1", "title": "t", "org_ids": ["R-A", "S-C"]}],
    )
    full = tie_graph(ds)
    assert edge(full, "R-A", "R-B")["co_participation"] == pytest.approx(0.5 + 1.0)
    real = tie_graph(ds, real_only=True)
    assert sorted(real.nodes) == ["R-A", "R-B"]
    assert list(real.edges(data="weight")) == [("R-A", "R-B", 1.0)]  # n = 2 real orgs
    kept = restrict(ds, real_only=True)
    assert kept.table("collaborations")["org_ids"].tolist() == [["R-A"]]


def test_wards_keep_local_orgs_and_records_touching_them(make_dataset, org_row):
    ds = make_dataset(
        organizations=[org_row("A", ward="北区"), org_row("B", ward="北区"),
                       org_row("X", ward="西区"), org_row("Y", ward="西区")],
        events=[{"id": "E1", "name": "北", "ward": "北区", "date": "2019-01-01"},
                {"id": "E2", "name": "西", "ward": "西区", "date": "2019-01-01"},
                {"id": "E3", "name": "西", "ward": "西区", "date": "2019-01-01",
                 "organizer_id": "X"},
                {"id": "E4", "name": "西", "ward": "西区", "date": "2019-01-01",
                 "organizer_id": "X"}],
        participations=[{"event_id": "E2", "org_id": "A"}, {"event_id": "E2", "org_id": "X"},
                        {"event_id": "E3", "org_id": "Y"}, {"event_id": "E4", "org_id": "A"}],
        collaborations=[{"id": "C1", "title": "t", "org_ids": ["A", "B", "X"]},
                        {"id": "C2", "title": "t", "org_ids": ["X", "Y"]}],
    )
    r = restrict(ds, wards=["北区"])
    assert r.table("organizations")["id"].tolist() == ["A", "B"]
    assert r.table("events")["id"].tolist() == ["E1", "E2", "E4"]  # held there, or attended
    assert r.table("events")["organizer_id"].isna().tolist() == [True, True, True]  # X is out
    assert r.table("participations")["org_id"].tolist() == ["A", "A"]
    assert r.table("collaborations")["org_ids"].tolist() == [["A", "B"]]
    assert sorted(tie_graph(ds, wards="北区").edges) == [("A", "B")]
    assert restrict(ds, wards="西区").table("events")["organizer_id"].tolist()[1:] == ["X", "X"]


def test_undated_evidence_counts_as_always_present(make_dataset, org_row):
    ds = make_dataset(
        organizations=[org_row("A"), org_row("B")],
        events=[{"id": "E1", "name": "e", "date": "2019-01-01"}],
        participations=[{"event_id": "E1", "org_id": "A"}, {"event_id": "E1", "org_id": "B"}],
        collaborations=[{"id": "C1", "title": "t", "org_ids": ["A", "B"]}],
    )
    e = tie_graph(ds).edges["A", "B"]
    assert e["first_date"] is None and e["last_date"] == D(2019, 1, 1)
    early = tie_graph(ds, as_of="2000-01-01").edges["A", "B"]
    assert early["weight"] == 1.0 and early["evidence"] == ("collaborations:C1",)


# --- errors -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, match", [
    ({"weights": {"gossip": 1.0}}, "unknown part 'gossip'"),
    ({"weights": {"collaboration": -1}}, "finite number"),
    ({"weights": {"collaboration": float("nan")}}, "finite number"),
    ({"weights": [1, 2]}, "mapping"),
    ({"as_of": "not a date"}, "as_of"),
    ({"fiscal_year": "2019"}, "fiscal_year"),
    ({"fiscal_year": True}, "fiscal_year"),
    ({"wards": 3}, "wards"),
])
def test_bad_arguments_raise_graph_error(kwargs, match):
    with pytest.raises(GraphError, match=match):
        tie_graph(example_dataset(), **kwargs)


def test_bad_datasets_raise_graph_error(make_dataset, org_row):
    with pytest.raises(GraphError, match="Dataset"):
        tie_graph({"organizations": None})
    with pytest.raises(GraphError, match="duplicate ids A"):
        restrict(make_dataset(organizations=[org_row("A"), org_row("A")]))
    with pytest.raises(GraphError, match="missing column 'kind'"):
        tie_graph(Dataset({"organizations": pd.DataFrame({"id": ["A"], "name": ["a"]})}))
    assert issubclass(GraphError, ValueError)


def test_empty_dataset_gives_an_empty_graph(make_dataset):
    assert tie_graph(Dataset({})).number_of_nodes() == 0
    assert bipartite_graph(Dataset({})).number_of_nodes() == 0
    assert ecosystem_graph(Dataset({})).graph.number_of_nodes() == 0


# --- an oracle: brute force over records --------------------------------------------------------

def brute_force_ties(events, participations, collabs):
    """Pure-Python reference for co-participation + collaboration weights and first dates."""
    weight, first = defaultdict(float), defaultdict(list)
    members = defaultdict(set)
    for e, o in participations:
        members[e].add(o)
    for e, orgs in members.items():
        for a, b in itertools.combinations(sorted(orgs), 2):
            weight[a, b] += 1 / (len(orgs) - 1)
            first[a, b].append(events[e])
    for day, orgs in collabs:
        for a, b in itertools.combinations(sorted(set(orgs)), 2):
            weight[a, b] += 1.0
            first[a, b].append(day)
    dates = {k: (None if any(d is None for d in v) else min(v)) for k, v in first.items()}
    return dict(weight), dates


ORGS = list("ABCDEFG")


@st.composite
def small_records(draw):
    n_events = draw(st.integers(0, 6))
    days = st.one_of(st.none(), st.dates(D(2018, 1, 1), D(2020, 12, 31)))
    events = {f"E{i}": draw(st.dates(D(2018, 1, 1), D(2020, 12, 31))) for i in range(n_events)}
    participations = draw(st.lists(st.tuples(st.sampled_from(sorted(events) or ["E0"]),
                                             st.sampled_from(ORGS)), max_size=25)) \
        if events else []
    collabs = draw(st.lists(st.tuples(days, st.lists(st.sampled_from(ORGS), min_size=1,
                                                     max_size=4)), max_size=4))
    return events, participations, collabs


def _dataset_from(records, make):
    events, participations, collabs = records
    return make(
        organizations=[{"id": o, "name": o, "kind": "npo"} for o in ORGS],
        events=[{"id": e, "name": e, "date": d} for e, d in events.items()],
        participations=[{"event_id": e, "org_id": o} for e, o in participations],
        collaborations=[{"id": f"C{i}", "title": "t", "start_date": d, "org_ids": orgs}
                        for i, (d, orgs) in enumerate(collabs)],
    )


@pytest.mark.slow
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(records=small_records(), cut=st.dates(D(2018, 1, 1), D(2021, 1, 1)))
def test_tie_graph_matches_brute_force_and_snapshot_rule(records, cut, make_dataset):
    ds = _dataset_from(records, make_dataset)
    T = tie_graph(ds)
    weight, first = brute_force_ties(*records)
    assert sorted(T.edges) == sorted(weight)
    for (a, b), w in weight.items():
        assert T.edges[a, b]["weight"] == pytest.approx(w)
        assert T.edges[a, b]["first_date"] == first[a, b]
    # the snapshot rule: a tie is in tie_graph(as_of=cut) iff first_date is None or <= cut
    S = tie_graph(ds, as_of=cut)
    expected = {(a, b) for a, b, f in T.edges(data="first_date") if f is None or f <= cut}
    assert {tuple(sorted(e)) for e in S.edges} == expected


def test_co_participation_is_newmans_weighted_projection(davis_dataset):
    """networkx's collaboration_weighted_projected_graph implements Newman (2001)."""
    B = bipartite_graph(davis_dataset)
    women = [n for n, side in B.nodes(data="bipartite") if side == 0]
    P = nx.bipartite.collaboration_weighted_projected_graph(B, women)
    T = tie_graph(davis_dataset)
    assert sorted(map(sorted, T.edges)) == sorted(map(sorted, P.edges))
    for u, v, w in P.edges(data="weight"):
        assert T.edges[u, v]["co_participation"] == pytest.approx(w)


def test_davis_fixture_matches_the_published_incidence(davis_dataset):
    G = nx.davis_southern_women_graph()
    orgs = davis_dataset.table("organizations")
    assert orgs["name"].tolist() == G.graph["top"]
    B = bipartite_graph(davis_dataset)
    name_of = dict(zip(orgs["id"], orgs["name"]))
    event_of = {row["id"]: row["name"] for row in davis_dataset.table("events").to_dict("records")}
    got = {(name_of[u], event_of[v]) if u in name_of else (name_of[v], event_of[u])
           for u, v in B.edges}
    assert got == {(u, v) if u in name_of.values() else (v, u) for u, v in G.edges}
    assert B.number_of_edges() == 89


def test_bipartite_graph_attributes_and_id_clash(make_dataset, org_row):
    B = bipartite_graph(example_dataset(), as_of="2019-03-31")
    assert B.nodes["E1"]["bipartite"] == 1 and B.nodes["E1"]["date"] == D(2019, 1, 10)
    assert B.nodes["A"]["bipartite"] == 0 and B.nodes["A"]["ward"] == "北区"
    assert "E2" not in B
    assert B.edges["A", "E1"]["evidence"] == ("events:E1",)
    clash = make_dataset(organizations=[org_row("X")],
                         events=[{"id": "X", "name": "x", "date": "2019-01-01"}])
    with pytest.raises(GraphError, match="both an event and an organisation: X"):
        bipartite_graph(clash)


# --- the typed ecosystem graph ----------------------------------------------------------------

def test_ecosystem_graph_types_every_record(make_dataset, org_row):
    ds = make_dataset(
        organizations=[org_row("A"), org_row("B", kind="company"), org_row("K", kind="council")],
        events=[{"id": "E1", "name": "e", "ward": "北区", "date": "2019-01-01",
                 "organizer_id": "K"}],
        participations=[{"event_id": "E1", "org_id": "A", "role": "出展"}],
        collaborations=[{"id": "C1", "title": "見守り", "start_date": "2019-02-01",
                         "org_ids": ["A", "B"]}],
        memberships=[{"org_id": "A", "council_id": "K", "since": "2018-04-01"}],
        dispatches=[{"id": "D1", "org_id": "A", "talent_id": "T9", "sessions": 3}],
        resources=[{"id": "R1", "provider_id": "B", "title": "会議室", "offered_on": "2019-03-01"}],
        awards=[{"org_id": "A", "program": "市民活動推進助成", "fiscal_year": 2018,
                 "amount_yen": 300000}],
    )
    eg = ecosystem_graph(ds)
    G = eg.graph
    assert isinstance(G, nx.MultiDiGraph) and eg.dataset.table("events")["id"].tolist() == ["E1"]
    types = {n: d["node_type"] for n, d in G.nodes(data=True)}
    assert types == {"org:A": "organization", "org:B": "organization", "org:K": "council",
                     "event:E1": "event", "talent:T9": "talent", "resource:R1": "resource",
                     "program:市民活動推進助成": "program", "ward:北区": "ward"}
    rel = {(u, v, d["relation"]): d for u, v, d in G.edges(data=True)}
    assert rel["org:A", "event:E1", "participated"]["role"] == "出展"
    assert rel["org:K", "event:E1", "organised"]["date"] == D(2019, 1, 1)
    assert rel["org:A", "org:B", "collaborated"]["evidence"] == ("collaborations:C1",)
    assert rel["org:A", "org:K", "member_of"]["date"] == D(2018, 4, 1)
    assert rel["talent:T9", "org:A", "dispatched_to"]["date"] is None
    assert rel["org:B", "resource:R1", "offered"]["evidence"] == ("resources:R1",)
    award = rel["program:市民活動推進助成", "org:A", "awarded"]
    assert (award["date"], award["fiscal_year"], award["amount_yen"]) == (D(2018, 4, 1), 2018,
                                                                          300000)
    assert rel["event:E1", "ward:北区", "located_in"]["evidence"] == ("events:E1",)
    assert sum(1 for *_, d in G.edges(data=True) if d["relation"] == "located_in") == 4
    assert all("evidence" in d and "date" in d for *_, d in G.edges(data=True))
