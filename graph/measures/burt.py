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


def _masked_product(X: sp.csr_array, Y: sp.csr_array, mask: sp.csr_array,
                    rows: int = 2048) -> sp.csr_array:
    """(X @ Y) kept only where ``mask`` is non-zero, computed a block of rows at a time so the
    full product (much denser than the graph) never sits in memory; the blocks run on
    :data:`WORKERS` threads and are stacked in row order."""
    if X.shape[0] == 0:
        return sp.csr_array(X.shape)

    def block(start: int) -> sp.csr_array:
        stop = min(start + rows, X.shape[0])
        return sp.csr_array(sp.csr_array(X[start:stop] @ Y).multiply(mask[start:stop]))

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        blocks = list(pool.map(block, range(0, X.shape[0], rows)))
    return sp.csr_array(sp.vstack(blocks, format="csr"))


def burt_values(m: TieMatrix) -> tuple[np.ndarray, np.ndarray]:
    """Burt's constraint and effective size of every node, from one masked sparse product.

    With s the strengths, m the largest tie weight of each node, P = diag(1/s) W and
    M = diag(1/m) W:

    * constraint needs (P @ P) on the ties, = diag(1/s) (W diag(1/s) W);
    * effective size needs (P @ Mᵀ) on the ties, = diag(1/s) (W W) diag(1/m).

    Both inner products share W on the left, so one complex product
    W @ (diag(1/s) W + i·W), read only on existing ties, gives the first as its real part and
    the second as its imaginary part: one pass over the 2-paths instead of two.
    """
    W = m.W
    with np.errstate(divide="ignore"):
        inv_sum = np.where(m.strength > 0, 1.0 / m.strength, 0.0)
        row_max = W.max(axis=1).toarray().ravel() if m.n else np.zeros(0)
        inv_max = np.where(row_max > 0, 1.0 / np.where(row_max > 0, row_max, 1.0), 0.0)
    scale_rows = sp.diags_array(inv_sum)
    both = _masked_product(sp.csr_array(W, dtype=complex),
                           sp.csr_array(scale_rows @ W + 1j * W), m.A)
    P = sp.csr_array(scale_rows @ W)
    local = sp.csr_array(P + scale_rows @ sp.csr_array(both.real)).tocsr()
    local.data **= 2
    constraint_ = np.asarray(local.sum(axis=1)).ravel()
    redundancy = sp.csr_array(scale_rows @ sp.csr_array(both.imag) @ sp.diags_array(inv_max))
    effective = m.degree - np.asarray(redundancy.sum(axis=1)).ravel()
    constraint_[m.degree == 0] = np.nan
    effective[m.degree == 0] = np.nan
    return constraint_, effective
