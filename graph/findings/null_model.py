"""The null model of the gap tables: what tie counts between blocks to expect by chance.

Observed tie counts between blocks of organisations (wards, sectors, NPO fields, communities)
are set against an expectation that keeps every organisation's number of ties but places
them at random:

configuration model (default, exact and fast)
    Two organisations i ≠ j are expected to share k_i k_j / 2m ties (k = degree, m = ties),
    so the expected count between blocks L and R is
    E[L, R] = (K_L K_R − Σ_{i ∈ L ∩ R} k_i²) / 2m with K_L the degree sum of L.
    Observed O[L, R] = Σ_{i ∈ L, j ∈ R} A_ij counts a tie once per (end in L, end in R).
degree-preserving rewiring (``expectation="rewiring"``)
    The mean of O over ``samples`` copies of the graph rewired by double-edge swaps
    (``nx.double_edge_swap``, ``m`` swaps each, seeded). Slower; it excludes the multi-ties
    and self-ties the configuration formula allows, so it is closer for dense blocks.

:func:`block_gaps` sets the observed count of every (row block, column block) pair against
the expectation; the gap functions of :mod:`graph.findings.gaps` and
:mod:`graph.findings.coverage` build on it and on :func:`indicator` /
:func:`present_in_order`.
"""

from __future__ import annotations

import contextlib

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from graph.errors import GraphError
from graph.measures import TieMatrix

__all__ = ["EXPECTATIONS", "check_expectation", "block_gaps", "indicator", "observed_counts",
           "present_in_order"]

#: The expectation models understood by the block functions.
EXPECTATIONS: tuple[str, ...] = ("configuration", "rewiring")
_MULTI = (list, tuple, set, frozenset)


def indicator(m: TieMatrix, labels: list, order: list) -> sp.csr_array:
    """n × len(order) 0/1 matrix; ``labels[i]`` is one label, an iterable of labels or None.

    >>> from graph.measures import TieMatrix
    >>> import networkx as nx
    >>> m = TieMatrix(nx.path_graph(3), None)
    >>> indicator(m, ["a", ("a", "b"), None], ["a", "b"]).toarray().tolist()
    [[1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]
    """
    values = pd.Series(labels, dtype=object)
    if any(isinstance(v, _MULTI) for v in labels):
        values = values.explode()
    cols = pd.Index(order, dtype=object).get_indexer(values.to_numpy())
    keep = cols >= 0
    rows = values.index.to_numpy()[keep]
    return sp.csr_array((np.ones(int(keep.sum())), (rows, cols[keep])),
                        shape=(m.n, len(order)))


#: Rows of the tie matrix per block of :func:`observed_counts`: the sparse product ``M R``
#: (one entry per organisation and label among its partners) never exists for more rows.
OBSERVED_BLOCK_ROWS = 131_072


def observed_counts(M: sp.csr_array, L: sp.csr_array, R: sp.csr_array) -> np.ndarray:
    """``Lᵀ M R`` as a dense array, summed over blocks of :data:`OBSERVED_BLOCK_ROWS` rows (one
    block, the same bits as the plain product, up to that many organisations).

    >>> M = sp.csr_array(np.array([[0.0, 2.0], [2.0, 0.0]]))
    >>> I = sp.csr_array(np.eye(2))
    >>> observed_counts(M, I, I).tolist()
    [[0.0, 2.0], [2.0, 0.0]]
    """
    total = np.zeros((L.shape[1], R.shape[1]))
    for start in range(0, M.shape[0], OBSERVED_BLOCK_ROWS):
        rows = slice(start, start + OBSERVED_BLOCK_ROWS)
        total += sp.csr_array(L[rows].T @ (M[rows] @ R)).toarray()
    return total


def _configuration(m: TieMatrix, k: np.ndarray, L, R) -> np.ndarray:
    two_m = k.sum()
    if two_m == 0:
        return np.zeros((L.shape[1], R.shape[1]))
    KL = L.T @ k
    KR = R.T @ k
    same = sp.csr_array(L.T @ (sp.diags_array(k ** 2) @ R)).toarray()
    return (np.outer(KL, KR) - same) / two_m


def _rewired(G: nx.Graph, m: TieMatrix, L, R, weighted: bool, weight, samples: int, seed):
    if G.number_of_edges() < 2:
        return observed_counts(m.W if weighted else m.A, L, R)
    rng = np.random.default_rng(seed)
    total = np.zeros((L.shape[1], R.shape[1]))
    simple = nx.Graph()
    simple.add_nodes_from(G)
    simple.add_edges_from((u, v, {"weight": w}) for u, v, w in
                          G.edges(data=weight if weighted else None, default=1.0) if u != v)
    for _ in range(samples):
        H = simple.copy()
        swaps = H.number_of_edges()
        # On a tiny or nearly complete graph networkx finds too few admissible swaps and
        # raises after max_tries; the swaps it made stay in H, still a degree-preserving
        # sample, so that sample is used as it is.
        with contextlib.suppress(nx.NetworkXAlgorithmError):
            nx.double_edge_swap(H, nswap=swaps, max_tries=swaps * 100,
                                seed=int(rng.integers(2**31)))
        mh = TieMatrix(H, "weight" if weighted else None)
        total += observed_counts(mh.W if weighted else mh.A, L, R)
    return total / samples


def check_expectation(expectation: str) -> None:
    if expectation not in EXPECTATIONS:
        raise GraphError(f"expectation must be one of {', '.join(EXPECTATIONS)}, "
                         f"got {expectation!r}")


def block_gaps(G, m, row_labels, row_order, col_labels, col_order, *, weight, expectation,
                samples, seed, symmetric=False):
    check_expectation(expectation)
    M = m.W if weight is not None else m.A
    k = m.strength if weight is not None else m.degree
    L = indicator(m, row_labels, row_order)
    R = indicator(m, col_labels, col_order)
    observed = observed_counts(M, L, R)
    if expectation == "configuration":
        expected = _configuration(m, k, L, R)
    else:
        expected = _rewired(G, m, L, R, weight is not None, weight, samples, seed)
    rows = []
    for a, ra in enumerate(row_order):
        for b, cb in enumerate(col_order):
            if symmetric and b < a:
                continue
            o, e = observed[a, b], expected[a, b]
            if symmetric and a == b:
                o, e = o / 2, e / 2
            rows.append((ra, cb, float(o), float(e), a, b))
    frame = pd.DataFrame(rows, columns=["row", "col", "observed", "expected", "_a", "_b"])
    frame = frame.astype({"observed": float, "expected": float})
    frame["difference"] = frame["observed"] - frame["expected"]
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["ratio"] = np.where(frame["expected"] > 0,
                                  frame["observed"] / frame["expected"].where(
                                      frame["expected"] > 0, 1.0), np.nan)
    frame = frame.sort_values(["difference", "_a", "_b"], kind="stable")
    return frame.drop(columns=["_a", "_b"]).reset_index(drop=True)


def present_in_order(values, reference) -> list:
    seen = {v for v in values if v is not None and v == v}
    ordered = [r for r in reference if r in seen]
    return ordered + sorted(seen - set(ordered), key=str)
