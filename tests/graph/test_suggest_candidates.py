"""The bounded candidates of ``graph.introductions.candidates`` give exactly the head of
scoring every pair (the former dense ranking, re-stated here as the oracle)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graph.build import tie_graph
from graph.core import core_from_dataset
from graph.core.communities import core_communities
from graph.introductions import build_signals, check_weights, suggest
from graph.introductions.candidates import ranked_heads
from graph.introductions.scoring import pair_jitter, score_block
from ingest.load import load_dataset

OSAKA = Path(__file__).resolve().parents[2] / "data" / "osaka" / "real"


def dense_heads(sig, rows, goal, across, membership, w, take, seed):
    """Each of ``rows`` scored against everyone, masked, best ``take``."""
    n = len(sig.nodes)
    comm = np.array([hash(membership[u]) for u in sig.nodes])
    attrs = {a: np.array([hash(sig.graph.nodes[u].get(a) or "") for u in sig.nodes])
             for a in across if a != "community"}
    out = {}
    for row in rows.tolist():
        scores = score_block(sig, [row], w)[0]
        if goal == "strengthen":
            allowed = (comm == comm[row]) | (sig.degree[row] == 0)
        else:
            allowed = np.ones(n, dtype=bool)
            for a in across:
                values = comm if a == "community" else attrs[a]
                allowed &= values != values[row]
        allowed &= sig.adjacency[row].toarray()[0] == 0
        allowed[row] = False
        allowed &= scores > 1e-12
        cols = np.flatnonzero(allowed)
        if len(cols):
            ranked = scores[cols] + pair_jitter(seed, row, cols)
            out[row] = cols[np.argsort(-ranked, kind="stable")[:take]].tolist()
    return out


def codes_of(sig, goal, across, membership):
    wanted = ("community",) if goal == "strengthen" else across
    return [pd.factorize(pd.Series([membership[u] if a == "community"
                                    else sig.graph.nodes[u].get(a) or "" for u in sig.nodes],
                                   dtype=object))[0] for a in wanted]


@pytest.fixture(scope="module")
def ward(tmp_path_factory):
    from synth.generator import generate

    folder = tmp_path_factory.mktemp("cand") / "ward"
    generate(folder, scale="ward", seed=11, first_fy=2017, last_fy=2019)
    ds = load_dataset(folder)
    G = tie_graph(ds)
    membership = core_communities(core_from_dataset(ds), method="auto").membership()
    return G, build_signals(G, ds), membership


WEIGHTS = {
    "default": None,
    "attributes only": {"shared_fields": 1.0, "complementary": 0.5, "event_kinds": 0.3,
                        "preferential_attachment": 0.2, "event_activity": 0.4},
    "ward ties": {"same_ward": 1.0, "neighbouring_ward": 0.5},
    "negative": {"common_neighbours": 1.0, "preferential_attachment": -0.3,
                 "shared_fields": 0.7, "event_series": 0.5},
}


@pytest.mark.parametrize("weights", list(WEIGHTS))
@pytest.mark.parametrize("goal, across", [("strengthen", ()), ("bridge", ("community",)),
                                          ("bridge", ("community", "ward", "kind"))])
def test_bounded_heads_equal_the_dense_ranking(ward, goal, across, weights):
    G, sig, membership = ward
    w = check_weights(WEIGHTS[weights])
    take = 7
    rows = np.union1d(np.flatnonzero(sig.degree == 0), np.arange(0, len(sig.nodes), 3))
    expected = dense_heads(sig, rows, goal, across, membership, w, take, seed=3)
    got = {row: cols[order].tolist() for row, cols, order, _, _ in
           ranked_heads(sig, rows, w, goal, codes_of(sig, goal, across, membership),
                        take=take, seed=3, block=64)}
    assert len(expected) > 100
    assert got == expected


def test_small_communities_are_scored_together_each_against_its_own_members(ward):
    """The packing the oracle test above runs through (block=64): some blocks hold several
    communities, every tied organisation is in one block, with all its community's members."""
    from graph.introductions.candidates import _community_blocks

    G, sig, membership = ward
    comm = codes_of(sig, "strengthen", (), membership)[0]
    tied = np.flatnonzero(sig.degree > 0)
    blocks = list(_community_blocks(sig, check_weights(None), comm, tied, 64))
    assert any(len(np.unique(comm[rows])) > 1 for rows, _, _ in blocks)
    assert sorted(np.concatenate([rows for rows, _, _ in blocks]).tolist()) == tied.tolist()
    for rows, members, _ in blocks:
        assert sorted(members.tolist()) == np.flatnonzero(np.isin(comm, comm[rows])).tolist()


def test_lonely_organisations_are_bounded_not_scored_against_everyone(ward):
    G, sig, membership = ward
    w = check_weights(None)
    lonely = np.flatnonzero(sig.degree == 0)
    assert len(lonely) >= 3
    heads = list(ranked_heads(sig, lonely, w, "strengthen",
                              codes_of(sig, "strengthen", (), membership), take=5))
    bounded = [cols for _, cols, _, _, exhaustive in heads if not exhaustive]
    assert len(bounded) >= len(lonely) // 3
    assert all(len(cols) < len(sig.nodes) - 1 for cols in bounded)


def test_suggestions_past_a_bounded_head_widen_to_the_whole_scope():
    """E has no ties; with 2 asked and only 1 explained in the bounded head, the rest of its
    scope is ranked (the same answer as asking for 1 more candidate up front)."""
    ds = load_dataset(OSAKA)
    G = tie_graph(ds)
    lonely = [u for u in G if G.degree(u) == 0]
    partition = {u: i for i, u in enumerate(G)}
    few = suggest(G, dataset=ds, orgs=lonely[:3], top=2, partition=partition)
    many = suggest(G, dataset=ds, orgs=lonely[:3], top=40, partition=partition)
    for org in lonely[:3]:
        assert [s.partner for s in few if s.org == org] == \
            [s.partner for s in many if s.org == org][:2]


def test_duplicate_organisations_keep_their_order():
    G = nx.relabel_nodes(nx.path_graph(5), str)
    for u in G:
        G.nodes[u].update(kind="npo", ward="北区", fields=(13,))
    for u, v in G.edges:
        G.edges[u, v]["evidence"] = (f"collaborations:{u}{v}",)
    out = suggest(G, orgs=["4", "0", "4"], top=1, partition={u: 0 for u in G})
    assert [s.org for s in out] == ["4", "0", "4"]
