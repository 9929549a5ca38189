"""Burt's structural holes: constraint and effective size.

Both are evaluated only on existing ties (``(P @ P)`` masked by the adjacency), giving
networkx's values without networkx's dense intermediate.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.measures.matrix import WORKERS, TieMatrix

__all__ = ["constraint", "effective_size", "burt_values"]


def constraint(G: nx.Graph, *, weight: str | None = "weight") -> dict:
    """Burt's constraint: how much each organisation's ties lead back into one closed circle.

    c(i) = Σ_j (p_ij + Σ_q p_iq p_qj)², over neighbours j, with p_ij the share of i's tie
    weight that goes to j. Low constraint = a broker across structural holes. Isolated nodes
    get NaN. Equal to ``nx.constraint(G, weight=weight)``.

    Parameters
    ----------
    G : nx.Graph
        Undirected tie graph; not modified.
    weight : str or None, keyword-only
        Edge attribute used as weight; None counts ties.

    Returns
    -------
    dict
        Node → constraint.

    Examples
    --------
    >>> constraint(nx.star_graph(2), weight=None)
    {0: 0.5, 1: 1.0, 2: 1.0}
    """
    m = TieMatrix(G, weight)
    return m.to_dict(burt_values(m)[0])


def effective_size(G: nx.Graph, *, weight: str | None = "weight") -> dict:
    """Burt's effective size: the number of partners minus their redundancy.

    For unweighted ties this is Borgatti's n − 2t/n (t = ties among the partners). Isolated
    nodes get NaN. Equal to ``nx.effective_size(G, weight=weight)``.

    Parameters
    ----------
    G : nx.Graph
        Undirected tie graph; not modified.
    weight : str or None, keyword-only
        Edge attribute used as weight; None counts ties.

    Returns
    -------
    dict
        Node → effective size.

    Examples
    --------
    >>> effective_size(nx.complete_graph(3), weight=None)
    {0: 1.0, 1: 1.0, 2: 1.0}
    """
    m = TieMatrix(G, weight)
    return m.to_dict(burt_values(m)[1])


def burt_values(m: TieMatrix, rows: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """Burt's constraint and effective size of every node, from one masked sparse product.

    With s the strengths, m the largest tie weight of each node, P = diag(1/s) W and
    M = diag(1/m) W:

    * constraint needs (P @ P) on the ties, = diag(1/s) (W diag(1/s) W);
    * effective size needs (P @ Mᵀ) on the ties, = diag(1/s) (W W) diag(1/m).

    Both inner products share W on the left, so one complex product
    W @ (diag(1/s) W + i·W), read only on existing ties, gives the first as its real part and
    the second as its imaginary part: one pass over the 2-paths instead of two. It runs a
    block of ``rows`` rows at a time on :data:`WORKERS` threads, and each block is reduced to
    its rows' two values at once, so neither the full 2-path product (much denser than the
    graph) nor the masked one is ever held.

    >>> import networkx as nx
    >>> constraint_, effective = burt_values(TieMatrix(nx.star_graph(2), None))
    >>> constraint_.tolist(), effective.tolist()
    ([0.5, 1.0, 1.0], [2.0, 1.0, 1.0])
    """
    W = m.W
    with np.errstate(divide="ignore"):
        inv_sum = np.where(m.strength > 0, 1.0 / m.strength, 0.0)
        row_max = W.max(axis=1).toarray().ravel() if m.n else np.zeros(0)
        inv_max = np.where(row_max > 0, 1.0 / np.where(row_max > 0, row_max, 1.0), 0.0)
    Y = _second_operand(W, inv_sum, rows)
    scale_cols = sp.diags_array(inv_max)

    def block(start: int) -> tuple[np.ndarray, np.ndarray]:
        stop = min(start + rows, m.n)
        scale = sp.diags_array(inv_sum[start:stop])
        both = sp.csr_array(sp.csr_array(sp.csr_array(W[start:stop], dtype=complex) @ Y)
                            .multiply(m.A[start:stop]))
        P = sp.csr_array(scale @ W[start:stop])  # these rows of diag(1/s) W
        local = sp.csr_array(P + scale @ sp.csr_array(both.real)).tocsr()
        local.data **= 2
        redundancy = sp.csr_array(scale @ sp.csr_array(both.imag) @ scale_cols)
        return (np.asarray(local.sum(axis=1)).ravel(),
                np.asarray(redundancy.sum(axis=1)).ravel())

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        parts = list(pool.map(block, range(0, m.n, rows)))
    constraint_ = np.concatenate([c for c, _ in parts]) if parts else np.zeros(0)
    redundancy = np.concatenate([r for _, r in parts]) if parts else np.zeros(0)
    effective = m.degree - redundancy
    constraint_[m.degree == 0] = np.nan
    effective[m.degree == 0] = np.nan
    return constraint_, effective


def _second_operand(W: sp.csr_array, inv_sum: np.ndarray, rows: int) -> sp.csr_array:
    """``diag(inv_sum) W + 1j·W``, built ``rows`` rows at a time into arrays allocated once
    (its pattern is W's), so that neither ``diag(inv_sum) W`` nor ``1j·W`` exists whole:
    at nation size each would be a GiB. Row by row the same entries in the same order as
    the whole-matrix expression."""
    data = np.empty(len(W.data), dtype=complex)
    indices = np.empty(len(W.indices), dtype=W.indices.dtype)
    indptr = np.zeros(W.shape[0] + 1, dtype=np.int64)
    at = 0
    for start in range(0, W.shape[0], rows):
        stop = min(start + rows, W.shape[0])
        piece = W[start:stop]
        part = sp.csr_array(sp.diags_array(inv_sum[start:stop]) @ piece + 1j * piece)
        data[at:at + part.nnz] = part.data
        indices[at:at + part.nnz] = part.indices
        indptr[start + 1:stop + 1] = at + part.indptr[1:]
        at += part.nnz
    return sp.csr_array((data[:at], indices[:at], indptr), shape=W.shape)
