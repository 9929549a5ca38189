"""PageRank: where a random walk over the weighted ties spends its time.

A power iteration on the sparse weight matrix, with networkx's dangling-node rule and
stopping test.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from graph.errors import GraphError
from graph.measures.matrix import TieMatrix

__all__ = ["pagerank", "pagerank_values"]


def pagerank(G: nx.Graph, *, weight: str | None = "weight", alpha: float = 0.85,
             max_iter: int = 100, tol: float = 1.0e-6) -> dict:
    """PageRank with uniform teleport; equal to ``nx.pagerank`` with the same parameters.

    Parameters
    ----------
    G : nx.Graph
        Undirected tie graph; not modified.
    weight : str or None, keyword-only
        Edge attribute used as weight; None counts ties.
    alpha, max_iter, tol : keyword-only
        Damping factor, iteration cap and convergence tolerance (networkx's meaning).

    Returns
    -------
    dict
        Node → PageRank (sums to 1).

    Raises
    ------
    GraphError
        If the iteration does not converge.

    Examples
    --------
    >>> pr = pagerank(nx.star_graph(2))
    >>> round(pr[0], 3), round(pr[1], 3)
    (0.486, 0.257)
    """
    m = TieMatrix(G, weight)
    return m.to_dict(pagerank_values(m, alpha, max_iter, tol))


def pagerank_values(m: TieMatrix, alpha=0.85, max_iter=100, tol=1.0e-6) -> np.ndarray:
    """PageRank of every node by power iteration on ``m.W``.

    The walk's transposed transition matrix Qᵀ = (diag(1/s) W)ᵀ is W diag(1/s) because W is
    symmetric, so each step is ``W @ (x / s)``: no scaled or transposed copy of W (at nation
    size each would be 0.75 GiB).

    >>> import networkx as nx
    >>> pagerank_values(TieMatrix(nx.star_graph(2), None)).round(3).tolist()
    [0.486, 0.257, 0.257]
    """
    n = m.n
    if n == 0:
        return np.zeros(0)
    S = m.strength
    dangling = S == 0
    inv = np.where(dangling, 0.0, 1.0 / np.where(dangling, 1.0, S))
    W = m.W
    x = np.full(n, 1.0 / n)
    p = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        xlast = x
        x = alpha * (W @ (inv * x) + x[dangling].sum() * p) + (1 - alpha) * p
        if np.abs(x - xlast).sum() < n * tol:
            return x
    raise GraphError(f"PageRank did not converge in {max_iter} iterations")
