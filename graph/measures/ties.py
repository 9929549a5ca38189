"""Counting each organisation's own ties: degree and strength."""

from __future__ import annotations

import networkx as nx

from graph.measures.matrix import TieMatrix

__all__ = ["degree", "strength"]


def degree(G: nx.Graph) -> dict:
    """Number of distinct partners of each organisation (self-ties ignored).

    Parameters
    ----------
    G : nx.Graph
        Undirected tie graph; not modified.

    Returns
    -------
    dict
        Node → number of neighbours.

    Examples
    --------
    >>> degree(nx.path_graph(3))
    {0: 1, 1: 2, 2: 1}
    """
    m = TieMatrix(G, None)
    return {node: int(d) for node, d in zip(m.nodes, m.degree)}


def strength(G: nx.Graph, *, weight: str | None = "weight") -> dict:
    """Sum of tie weights of each organisation.

    Parameters
    ----------
    G : nx.Graph
        Undirected tie graph; not modified.
    weight : str or None, keyword-only
        Edge attribute holding the tie weight (missing → 1); None counts ties.

    Returns
    -------
    dict
        Node → strength.

    Examples
    --------
    >>> G = nx.Graph([("a", "b", {"weight": 2.0}), ("b", "c", {"weight": 0.5})])
    >>> strength(G)
    {'a': 2.0, 'b': 2.5, 'c': 0.5}
    """
    m = TieMatrix(G, weight)
    return m.to_dict(m.strength)
