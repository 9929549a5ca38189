"""Burt's structural holes: constraint and effective size.

Both are evaluated only on existing ties (the 2-paths that close on a tie, walked by a
compiled loop), giving networkx's values without networkx's dense intermediate.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from graph.measures.kernels import burt_ties, index_arrays
from graph.measures.matrix import TieMatrix, summed_in_order

__all__ = ["BURT_TASKS", "constraint", "effective_size", "burt_values"]


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


#: Row ranges of :func:`burt_values` (fixed, so that the sums are added in the same groups
#: whatever the thread count), cut to hold equal shares of the 2-paths.
BURT_TASKS = 16


def burt_values(m: TieMatrix) -> tuple[np.ndarray, np.ndarray]:
    """Burt's constraint and effective size of every node, read from its 2-paths in one pass.

    With s the strengths and m the largest tie weight of each node, constraint needs
    (P @ P) on the ties (P = diag(1/s) W) and effective size needs (P @ Mᵀ) on the ties
    (M = diag(1/m) W). Both are sums over the 2-paths i – q – j that close on a tie i – j,
    symmetric in i and j, so :func:`graph.measures.kernels.burt_ties` finds them once per
    tie and keeps only the sums for its partners: neither the 2-path product (much denser
    than the graph) nor a masked copy of it is ever held. The rows go in
    :data:`BURT_TASKS` ranges on :data:`~graph.measures.matrix.WORKERS` threads
    (:func:`~graph.measures.matrix.summed_in_order`).

    >>> import networkx as nx
    >>> constraint_, effective = burt_values(TieMatrix(nx.star_graph(2), None))
    >>> constraint_.tolist(), effective.tolist()
    ([0.5, 1.0, 1.0], [2.0, 1.0, 1.0])
    """
    W = m.W if m.W.has_sorted_indices else m.W.sorted_indices()
    with np.errstate(divide="ignore"):
        inv_sum = np.where(m.strength > 0, 1.0 / m.strength, 0.0)
        row_max = W.max(axis=1).toarray().ravel() if m.n else np.zeros(0)
        inv_max = np.where(row_max > 0, 1.0 / np.where(row_max > 0, row_max, 1.0), 0.0)
    indptr, indices = index_arrays(W)
    weights = np.ascontiguousarray(W.data, dtype=np.float64)
    paths = np.cumsum(m.A @ m.degree)  # 2-paths starting at each row, running total
    cuts = np.searchsorted(paths, paths[-1] * np.arange(1, BURT_TASKS) / BURT_TASKS) \
        if m.n else np.zeros(0, dtype=np.int64)
    edges = np.unique(np.concatenate([[0], cuts, [m.n]])).tolist()
    tasks = list(zip(edges[:-1], edges[1:]))
    totals = summed_in_order(lambda span: burt_ties(indptr, indices, weights, inv_sum,
                                                     inv_max, *span), tasks)
    constraint_, redundancy = totals if totals else (np.zeros(m.n), np.zeros(m.n))
    effective = m.degree - redundancy
    constraint_[m.degree == 0] = np.nan
    effective[m.degree == 0] = np.nan
    return constraint_, effective
