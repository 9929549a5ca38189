"""The compiled Brandes and Burt loops (graph.measures.kernels) against their definitions,
whatever the thread count and the order of a matrix's rows."""

import itertools

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

import graph.measures.matrix as matrix
from graph.measures import TieMatrix
from graph.measures.burt import burt_values
from graph.measures.paths import brandes_sums


def weighted_random_graph(n, p, seed):
    G = nx.gnp_random_graph(n, p, seed=seed)
    rng = np.random.default_rng(seed)
    for u, v in G.edges:
        G.edges[u, v]["weight"] = float(rng.uniform(0.1, 3.0))
    return G


def dependency_by_definition(G, sources):
    """Σ over sources s and targets t ≠ s of σ_st(v) / σ_st, for v ∉ {s, t}, by listing
    every shortest path (the definition, not Brandes' recursion)."""
    total = dict.fromkeys(G, 0.0)
    for s in sources:
        for t in G:
            if t == s or not nx.has_path(G, s, t):
                continue
            paths = list(nx.all_shortest_paths(G, s, t))
            for path in paths:
                for v in path[1:-1]:
                    total[v] += 1.0 / len(paths)
    return total


@pytest.mark.parametrize("seed", [1, 2])
def test_brandes_sums_from_some_sources_match_the_definition_on_a_graph_in_pieces(seed):
    G = nx.gnp_random_graph(40, 0.06, seed=seed)  # several components and isolated nodes
    assert nx.number_connected_components(G) > 1
    m = TieMatrix(G, None)
    sources = np.array([0, 3, 7, 11, 19, 23, 31, 38, 39])
    dependency, inverse = brandes_sums(m, sources)
    expected = dependency_by_definition(G, [m.nodes[i] for i in sources])
    assert dependency == pytest.approx([expected[v] for v in m.nodes], abs=1e-12)
    lengths = {s: nx.single_source_shortest_path_length(G, m.nodes[s]) for s in sources}
    harmonic = [sum(1.0 / lengths[s][v] for s in sources if v in lengths[s] and lengths[s][v])
                for v in m.nodes]
    assert inverse == pytest.approx(harmonic, abs=1e-12)


def test_brandes_and_burt_give_the_same_bits_on_one_thread_and_on_four(monkeypatch):
    G = weighted_random_graph(300, 0.05, 4)
    m = TieMatrix(G, "weight")
    sources = np.arange(0, 300, 3)
    results = []
    for workers in (1, 4):
        monkeypatch.setattr(matrix, "WORKERS", workers)
        squares: dict = {}
        results.append((*brandes_sums(m, sources, squares=squares), squares["dependency"],
                        squares["inverse"], *burt_values(m)))
    for one, four in zip(*results):
        np.testing.assert_array_equal(one, four)


def test_burt_values_read_a_matrix_whose_rows_are_not_sorted():
    G = weighted_random_graph(60, 0.15, 5)
    m = TieMatrix(G, "weight")
    rng = np.random.default_rng(0)
    W = m.W.copy()
    for i in range(m.n):  # shuffle each row's entries, keeping the matrix the same
        span = slice(W.indptr[i], W.indptr[i + 1])
        order = rng.permutation(W.indptr[i + 1] - W.indptr[i])
        W.indices[span], W.data[span] = W.indices[span][order], W.data[span][order]
    W = sp.csr_array((W.data, W.indices, W.indptr), shape=W.shape)
    assert not W.has_sorted_indices
    shuffled = TieMatrix(G, "weight")
    shuffled.W = W
    constraint_, effective = burt_values(shuffled)
    expected_c = nx.constraint(G, weight="weight")
    expected_e = nx.effective_size(G, list(G), weight="weight")
    for i, v in enumerate(m.nodes):
        if G.degree(v) == 0:
            assert np.isnan(constraint_[i]) and np.isnan(effective[i])
            continue
        assert constraint_[i] == pytest.approx(expected_c[v], rel=1e-12)
        assert effective[i] == pytest.approx(expected_e[v], rel=1e-12)


def test_burt_values_on_a_clique_and_a_star_with_heavy_spokes():
    G = nx.complete_graph(5)
    G.add_edges_from((5, leaf, {"weight": 2.0 + leaf}) for leaf in range(6, 10))
    nx.set_edge_attributes(G, {e: 1.0 for e in itertools.combinations(range(5), 2)},
                           "weight")
    m = TieMatrix(G, "weight")
    constraint_, effective = burt_values(m)
    expected_c = nx.constraint(G, weight="weight")
    expected_e = nx.effective_size(G, list(G), weight="weight")
    assert constraint_ == pytest.approx([expected_c[v] for v in m.nodes], rel=1e-12)
    assert effective == pytest.approx([expected_e[v] for v in m.nodes], rel=1e-12)

