"""Introductions: hand-made graphs with known answers, goals, reasons and evidence."""

from __future__ import annotations

import copy
import threading

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.errors import GraphError
from graph.introductions import (
    DEFAULT_WEIGHTS,
    FEATURES,
    build_signals,
    example_graph,
    pair_features,
    score_block,
    select_orgs,
    suggest,
    ward_adjacency,
    work_list,
)
from ingest.schemas import WARDS, Dataset, empty_frame

ONE = {n: 0 for n in "ABCDE"}


def _frame(table, rows):
    frame = pd.DataFrame(rows)
    base = empty_frame(table)
    for column in base.columns:
        if column not in frame.columns:
            frame[column] = pd.Series([None] * len(frame), dtype=base[column].dtype)
    return frame


def _records_dataset() -> Dataset:
    """西淀川区: a company offering space, a council, two groups; events and a dispatch."""
    orgs = _frame("organizations", [
        {"id": "R-O1", "name": "尼崎信用金庫", "kind": "company", "ward": "西淀川区", "fields": []},
        {"id": "R-O2", "name": "姫島地域活動協議会", "kind": "council", "ward": "西淀川区",
         "orientation": "territorial", "fields": []},
        {"id": "R-O3", "name": "にしよど子ども食堂", "kind": "npo", "ward": "西淀川区",
         "orientation": "thematic", "fields": [13]},
        {"id": "R-O4", "name": "此花こども広場", "kind": "npo", "ward": "此花区",
         "orientation": "thematic", "fields": [13, 2]},
        {"id": "R-O5", "name": "御幣島町会", "kind": "neighbourhood_association",
         "ward": "西淀川区", "orientation": "territorial", "fields": []},
    ])
    events = _frame("events", [
        {"id": f"R-E{i}", "name": f"にしよどリンク 第{i}回", "kind": "meetup", "ward": "西淀川区",
         "date": pd.Timestamp(2019, 2 * i, 1)} for i in range(1, 4)
    ])
    participations = _frame("participations", [
        {"event_id": "R-E1", "org_id": "R-O1"}, {"event_id": "R-E1", "org_id": "R-O2"},
        {"event_id": "R-E2", "org_id": "R-O2"}, {"event_id": "R-E2", "org_id": "R-O5"},
        {"event_id": "R-E3", "org_id": "R-O3"},
    ])
    collaborations = _frame("collaborations", [
        {"id": "R-C1", "title": "見守り", "start_date": pd.Timestamp(2018, 5, 1),
         "org_ids": ["R-O1", "R-O5"]},
    ])
    resources = _frame("resources", [
        {"id": "R-R1", "provider_id": "R-O1", "kind": "space", "title": "スペース",
         "offered_on": pd.Timestamp(2018, 4, 1)},
    ])
    dispatches = _frame("dispatches", [
        {"id": "R-D1", "org_id": "R-O3", "talent_id": "R-T1", "start_date": pd.Timestamp(2018, 6, 1)},
        {"id": "R-D2", "org_id": "R-O4", "talent_id": "R-T1", "start_date": pd.Timestamp(2018, 7, 1)},
    ])
    return Dataset({"organizations": orgs, "events": events, "participations": participations,
                    "collaborations": collaborations, "resources": resources,
                    "dispatches": dispatches})


def _record_ids(ds: Dataset) -> set[str]:
    ids = {f"organizations:{i}" for i in ds.table("organizations")["id"]}
    for table in ("events", "collaborations", "dispatches", "resources"):
        ids |= {f"{table}:{i}" for i in ds.table(table)["id"]}
    ids |= {f"memberships:{i}" for i in ds.table("memberships")["council_id"]}
    return ids


# --- known answers ----------------------------------------------------------------------------

def test_closing_the_triangle_is_the_top_strengthen_suggestion():
    best = suggest(example_graph(), orgs="A", goal="strengthen", top=1, partition=ONE)[0]
    assert (best.org, best.partner, best.rank) == ("A", "D", 1)
    assert best.reasons[0].code == "common_partners"
    # the records behind A–B, D–B, A–C, D–C
    assert set(best.reasons[0].evidence) == {"collaborations:C1", "collaborations:C3",
                                              "collaborations:C2", "collaborations:C4"}
    assert best.score == pytest.approx(sum(best.parts.values()))


def test_isolated_organisation_gets_attribute_based_suggestions():
    G = example_graph()
    out = suggest(G, orgs="E", goal="strengthen", partition=ONE | {"E": 1})
    assert out, "the isolated need introductions most"
    assert out[0].partner == "A"                      # shares field 13, next-door ward
    codes = {r.code for r in out[0].reasons}
    assert "same_field" in codes and "neighbouring_ward" in codes
    assert "子どもの健全育成" in out[0].reasons[0].ja


def test_no_reason_no_suggestion():
    G = example_graph()
    G.add_node("Z", name="無所属", kind="other", ward="", orientation="", fields=())
    # Z has no tie and no attribute in common with anyone
    assert suggest(G, orgs="Z", weights={"common_neighbours": 1.0, "same_ward": 1.0},
                   partition={n: 0 for n in G}) == []


def test_shared_partners_match_networkx_indices():
    G = nx.gnp_random_graph(40, 0.12, seed=4)
    G = nx.relabel_nodes(G, {u: f"O{u:02d}" for u in G})
    sig = build_signals(G)
    nodes = list(sig.nodes)
    rows = np.arange(len(nodes))
    cn = score_block(sig, rows, {"common_neighbours": 1.0})
    aa = score_block(sig, rows, {"adamic_adar": 1.0})
    ra = score_block(sig, rows, {"resource_allocation": 1.0})
    pairs = [(u, v) for u in nodes for v in nodes if u < v and not G.has_edge(u, v)][:200]
    ex_aa = {(u, v): p for u, v, p in nx.adamic_adar_index(G, pairs)}
    ex_ra = {(u, v): p for u, v, p in nx.resource_allocation_index(G, pairs)}
    for u, v in pairs:
        i, j = sig.index[u], sig.index[v]
        assert cn[i, j] == pytest.approx(np.log1p(len(list(nx.common_neighbors(G, u, v)))))
        assert aa[i, j] == pytest.approx(ex_aa[u, v])
        assert ra[i, j] == pytest.approx(ex_ra[u, v])


def test_shared_partners_remembered_for_a_block_equal_the_pair_by_pair_answer(monkeypatch):
    """The block path (one compiled merge per pair, the three least connected kept by rank)
    against the pair-by-pair intersection and networkx's common neighbours, on pairs with
    none, one to three and more than three partners in common."""
    from graph.introductions.reasons import remember_shared_partners, shared_partners

    G = nx.relabel_nodes(nx.gnp_random_graph(60, 0.2, seed=5), lambda u: f"O{u:02d}")
    sig = build_signals(G)
    nodes = list(sig.nodes)
    pairs = [(u, v) for u in nodes for v in nodes if u != v and not G.has_edge(u, v)]
    expected = {pair: shared_partners(sig, *pair) for pair in pairs}
    remember_shared_partners(sig, np.array([sig.index[u] for u, _ in pairs]),
                             np.array([sig.index[v] for _, v in pairs]))
    sizes = {n for n, _ in expected.values()}
    assert 0 in sizes and {1, 2, 3} & sizes and max(sizes) > 3
    for (u, v), (n, named) in expected.items():
        assert n == len(list(nx.common_neighbors(G, u, v)))
        assert shared_partners(sig, u, v) == (n, named)
    where, _, _ = sig.memo[("shared", threading.get_ident())]
    assert len(where) == len(pairs)

    def recount(*_):
        raise AssertionError("a remembered pair was counted again")

    monkeypatch.setattr("graph.introductions.reasons.partner_positions", recount)
    assert [shared_partners(sig, *pair) for pair in pairs[:50]] == [expected[p] for p in pairs[:50]]


def test_block_and_pair_paths_agree_on_every_signal():
    ds = _records_dataset()
    from graph.build import tie_graph

    G = tie_graph(ds)
    sig = build_signals(G, ds)
    pairs = [(u, v) for u in sig.nodes for v in sig.nodes if u != v]
    frame = pair_features(G, pairs, signals=sig)
    for feature in FEATURES:
        block = score_block(sig, np.arange(len(sig.nodes)), {feature: 1.0})
        expected = [block[sig.index[u], sig.index[v]] for u, v in pairs]
        assert frame[feature].to_numpy() == pytest.approx(expected), feature


# --- records and reasons ----------------------------------------------------------------------

def test_reasons_cite_existing_records_and_name_the_resource():
    from graph.build import tie_graph

    ds = _records_dataset()
    G = tie_graph(ds)
    known = _record_ids(ds)
    out = suggest(G, dataset=ds, goal="bridge", partition={u: i for i, u in enumerate(G)},
                  weights=DEFAULT_WEIGHTS)
    assert out
    for s in out:
        assert s.reasons
        for reason in s.reasons:
            assert reason.evidence and set(reason.evidence) <= known, reason
            assert reason.ja and reason.en
    space = [r for s in out for r in s.reasons if r.code == "resource"]
    assert any(r.ja == "尼崎信用金庫がスペースを提供" and r.evidence == ("resources:R-R1",)
               for r in space)
    talent = [r for s in out for r in s.reasons if r.code == "shared_talent"]
    assert talent == [] or all("dispatches:R-D1" in r.evidence for r in talent)


def test_same_series_reason_counts_sessions():
    from graph.build import tie_graph

    ds = _records_dataset()
    G = tie_graph(ds)
    # R-O3 (にしよどリンク once) and R-O5 (once): different sessions, no tie between them
    assert not G.has_edge("R-O3", "R-O5")
    out = suggest(G, dataset=ds, orgs="R-O3", goal="bridge", top=10,
                  partition={u: i for i, u in enumerate(G)}, weights={"event_series": 1.0})
    reason = next(r for s in out if s.partner == "R-O5" for r in s.reasons)
    assert reason.code == "same_series" and reason.ja.startswith("両団体ともにしよどリンクに参加")
    assert set(reason.evidence) == {"events:R-E3", "events:R-E2"}


# --- goals ------------------------------------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(n=st.integers(6, 25), p=st.floats(0.05, 0.5), seed=st.integers(0, 10_000),
       k=st.integers(1, 4))
def test_bridge_never_returns_a_same_community_partner(n, p, seed, k):
    G = nx.gnp_random_graph(n, p, seed=seed)
    rng = np.random.default_rng(seed)
    for u in G:
        G.nodes[u].update(kind="npo", ward=WARDS[int(rng.integers(3))], orientation="thematic",
                          fields=(int(rng.integers(1, 4)),))
    for u, v in G.edges():
        G.edges[u, v]["evidence"] = (f"collaborations:{u}-{v}",)
    membership = {u: int(rng.integers(k)) for u in G}
    out = suggest(G, goal="bridge", partition=membership, top=5)
    for s in out:
        assert membership[s.org] != membership[s.partner]
        assert not G.has_edge(s.org, s.partner)
    strengthen = suggest(G, goal="strengthen", partition=membership, top=5)
    for s in strengthen:
        assert membership[s.org] == membership[s.partner] or G.degree(s.org) == 0


def test_bridge_across_wards_leaves_out_the_same_ward():
    out = suggest(example_graph(), orgs="A", goal="bridge", across=("community", "ward"),
                  partition={"A": 0, "B": 1, "C": 1, "D": 1, "E": 2})
    assert [s.partner for s in out] == ["E"]


def test_scopes_and_everyone():
    G = example_graph()
    assert select_orgs(G, kind="npo") == ["A", "E"]
    everyone = suggest(G, partition=ONE, top=2)
    assert {s.org for s in everyone} <= set(G) and len(everyone) >= 3
    ranks = {}
    for s in everyone:
        ranks.setdefault(s.org, []).append(s.rank)
    assert all(r == list(range(1, len(r) + 1)) for r in ranks.values())


def test_deterministic_and_input_untouched():
    G = example_graph()
    before = copy.deepcopy(G)
    one = suggest(G, partition=ONE, seed=3)
    two = suggest(G, partition=ONE, seed=3)
    assert one == two
    assert nx.utils.graphs_equal(G, before)
    assert all(G.nodes[u] == before.nodes[u] for u in G)


def test_work_list_columns():
    wl = work_list(suggest(example_graph(), partition=ONE, top=1))
    assert list(wl.columns[:4]) == ["org_id", "org_name", "partner_id", "partner_name"]
    assert set(wl["status"]) == {"proposed"}
    assert wl["evidence"].str.len().min() > 0


@pytest.mark.parametrize("kwargs, message", [
    ({"goal": "merge"}, "unknown goal"),
    ({"orgs": "Q"}, "not in the graph"),
    ({"weights": {"gossip": 1}}, "unknown signal"),
    ({"top": 0}, "at least 1"),
    ({"across": ("colour",)}, "unknown attribute"),
])
def test_bad_input_is_refused(kwargs, message):
    with pytest.raises(GraphError, match=message):
        suggest(example_graph(), partition=ONE, **kwargs)


def test_ward_adjacency_is_symmetric_and_covers_the_24_wards():
    pairs = ward_adjacency()
    wards = {w for pair in pairs for w in pair}
    assert wards == set(WARDS)
    assert all(len(pair) == 2 for pair in pairs)
    assert frozenset({"北区", "中央区"}) in pairs


def test_unexplained_candidates_are_skipped_for_the_next_explained_one():
    # u's 12 friends-of-friends share a partner, but the ties carry no records: no reason.
    G = nx.Graph()
    G.add_node("u", name="u", kind="npo", ward="北区", fields=())
    G.add_node("z", name="z", kind="npo", ward="北区", fields=())
    G.add_edge("u", "h")
    for i in range(12):
        G.add_edge("h", f"f{i}")
    for w in G:
        G.nodes[w].setdefault("ward", "")
    out = suggest(G, orgs="u", top=1, weights={"common_neighbours": 1.0, "same_ward": 0.1},
                  partition={w: 0 for w in G})
    assert [(s.partner, s.reasons[0].code) for s in out] == [("z", "same_ward")]
