"""What the analysis found, put on the tie graph for export: measures, communities, a layout.

A Gephi or Cytoscape user opening an export should not have to recompute what
``graph.analysis.analyze`` already knows. :func:`analysis_graph` copies the tie graph and adds
to every organisation its community (number and label), centralities, Guimerà–Amaral role,
connector score and isolated reasons (:data:`EXPORT_COLUMNS`); :func:`layout_positions` gives
a deterministic layout to write with it (``graph.io.write_graph(..., positions=...)``:
GEXF ``<viz:position>``, elsewhere ``x``/``y`` attributes).

The layout is igraph's Fruchterman–Reingold (grid variant above 1,000 organisations), tie
weights as attraction, seeded: the same graph and seed give the same coordinates. Up to
``max_organisations`` (200,000) every organisation is placed by it (the synthetic city,
12,062 organisations and 337,893 ties: 2.2 s of CPU; 110,000 and 3 million random ties: about
5 s). Above that, or with ``method="communities"``, it lays out the communities instead (one
point per community, ties summed between them) and places each community's members on a
sunflower (Vogel) spiral around its point, the strongest at the centre, within a disc whose
area grows with the community's size: the picture of the whole nation in seconds, members of
one community together.

Examples
--------
>>> from graph.analysis import analyze
>>> from graph.build import example_dataset
>>> result = analyze(example_dataset())
>>> G = analysis_graph(result.ties, result.measures)
>>> G.nodes["A"]["community_label"], G.nodes["A"]["role"]
('北区・福祉', 'R1')
>>> positions = layout_positions(G, result.measures["community"].to_dict())
>>> sorted(positions) == sorted(G) and positions == layout_positions(
...     G, result.measures["community"].to_dict())
True
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd

from graph.errors import GraphError

__all__ = ["EXPORT_COLUMNS", "LAYOUT_METHODS", "analysis_graph", "layout_positions"]

#: Columns of ``Analysis.measures`` that :func:`analysis_graph` puts on each organisation.
EXPORT_COLUMNS: tuple[str, ...] = (
    "community", "community_label", "community_label_en", "degree", "strength",
    "betweenness", "harmonic_closeness", "pagerank", "constraint", "effective_size",
    "within_module_z", "participation_coefficient", "role", "role_name", "connector_score",
    "isolated_reason")

#: Layout methods of :func:`layout_positions`.
LAYOUT_METHODS: tuple[str, ...] = ("auto", "organisations", "communities")

_GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))


def analysis_graph(ties: nx.Graph, measures: pd.DataFrame,
                   columns: tuple[str, ...] = EXPORT_COLUMNS) -> nx.Graph:
    """A copy of ``ties`` whose organisations carry the analysis' measures.

    Parameters
    ----------
    ties : networkx.Graph
        The organisation tie graph (``Analysis.ties``); not modified.
    measures : pandas.DataFrame
        Per organisation, index = node id (``Analysis.measures``).
    columns : tuple of str
        The columns to copy (those ``measures`` lacks are skipped). Missing values (NaN,
        empty text) are left out, so they read back as absent.

    Returns
    -------
    networkx.Graph

    Examples
    --------
    >>> G = nx.Graph([("a", "b")])
    >>> m = pd.DataFrame({"pagerank": [0.5, 0.5], "isolated_reason": ["", "x"]},
    ...                  index=["a", "b"])
    >>> H = analysis_graph(G, m)
    >>> H.nodes["a"], H.nodes["b"]
    ({'pagerank': 0.5}, {'pagerank': 0.5, 'isolated_reason': 'x'})
    """
    H = ties.copy()
    present = [c for c in columns if c in measures.columns]
    rows = measures.reindex([n for n in H if n in measures.index])
    for column in present:
        for node, value in zip(rows.index, rows[column].tolist()):
            if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
                continue
            H.nodes[node][column] = value
    return H


def layout_positions(G: nx.Graph, community: Mapping | None = None, *, seed: int = 0,
                     method: str = "auto", weight: str | None = "weight",
                     max_organisations: int = 200_000,
                     iterations: int = 200) -> dict:
    """A deterministic 2-D layout of ``G``: node → (x, y).

    Parameters
    ----------
    G : networkx.Graph
        The tie graph.
    community : mapping of node to community, optional
        Needed for ``method="communities"`` (and for ``"auto"`` above
        ``max_organisations``); a node missing from it is a community of its own.
    seed : int
        Seed of the layout; the same graph and seed give the same positions.
    method : {"auto", "organisations", "communities"}
        ``organisations``: Fruchterman–Reingold of every organisation; ``communities``: of the
        communities, members on a spiral around theirs (see the module notes); ``auto``: the
        first up to ``max_organisations`` (or when no ``community`` is given), else the
        second.
    weight : str or None
        Edge attribute used as attraction (``None``: unweighted).
    max_organisations : int
        Size above which ``auto`` lays out communities.
    iterations : int
        Fruchterman–Reingold iterations.

    Returns
    -------
    dict
        Every node of ``G`` to a pair of floats.

    Raises
    ------
    GraphError
        For an unknown method, or ``communities`` without ``community``.

    Examples
    --------
    >>> G = nx.karate_club_graph()
    >>> a = layout_positions(G, seed=1)
    >>> a == layout_positions(G, seed=1), a == layout_positions(G, seed=2)
    (True, False)
    >>> clubs = {n: d["club"] for n, d in G.nodes(data=True)}
    >>> b = layout_positions(G, clubs, method="communities")
    >>> len(b), b == layout_positions(G, clubs, method="communities")
    (34, True)
    """
    if method not in LAYOUT_METHODS:
        raise GraphError(f"layout: unknown {method!r}; methods are {', '.join(LAYOUT_METHODS)}")
    if method == "communities" and community is None:
        raise GraphError("layout: the communities layout needs the communities")
    if method == "auto":
        method = ("communities" if community is not None
                  and G.number_of_nodes() > max_organisations else "organisations")
    if G.number_of_nodes() == 0:
        return {}
    if method == "organisations":
        coords = _force_layout(list(G), _weighted_edges(G, weight), seed, iterations)
        return {n: (float(x), float(y)) for n, (x, y) in zip(G, coords.tolist())}
    assert community is not None  # checked above
    return _community_layout(G, community, seed=seed, weight=weight, iterations=iterations)


def _weighted_edges(G: nx.Graph, weight: str | None) -> list[tuple]:
    if weight is None:
        return [(u, v, 1.0) for u, v in G.edges()]
    return [(u, v, float(w)) for u, v, w in G.edges(data=weight, default=1.0)]


def _force_layout(nodes: list, edges: list[tuple], seed: int, iterations: int) -> np.ndarray:
    """Fruchterman–Reingold coordinates (one row per node of ``nodes``), seeded."""
    import igraph as ig

    index = {n: i for i, n in enumerate(nodes)}
    pairs = [(index[u], index[v]) for u, v, _ in edges if u != v]
    weights = [max(w, 1e-9) for u, v, w in edges if u != v]
    graph = ig.Graph(n=len(nodes), edges=pairs)
    if weights:  # attraction relative to the mean tie: the same layout whatever the scale
        mean = sum(weights) / len(weights)
        weights = [w / mean for w in weights]
    # igraph draws the starting positions from Python's random module: seeding it makes the
    # layout deterministic. (Starting positions passed in a small square instead would put
    # every node in one cell of the grid variant: 70 times slower at city scale.)
    state = random.getstate()
    try:
        random.seed(seed)
        layout = graph.layout_fruchterman_reingold(weights=weights or None, niter=iterations,
                                                   grid="auto")
    finally:
        random.setstate(state)
    return np.asarray(layout.coords, dtype=float).reshape(len(nodes), 2)


def _community_layout(G: nx.Graph, community: Mapping, *, seed: int, weight: str | None,
                      iterations: int) -> dict:
    """Communities laid out as points, members on a sunflower spiral around theirs."""
    members: dict = {}
    for n in G:
        members.setdefault(community.get(n, ("alone", n)), []).append(n)
    groups = list(members)
    rank = {g: i for i, g in enumerate(groups)}
    group_of = {n: g for g, ns in members.items() for n in ns}
    between: dict = {}
    strength: dict = dict.fromkeys(G, 0.0)
    for u, v, w in _weighted_edges(G, weight):
        strength[u] += w
        strength[v] += w
        a, b = group_of[u], group_of[v]
        if a != b:
            key = (a, b) if rank[a] < rank[b] else (b, a)
            between[key] = between.get(key, 0.0) + w
    centres = _force_layout(groups, [(a, b, w) for (a, b), w in between.items()], seed,
                            iterations)
    radii = np.sqrt([len(members[g]) for g in groups])
    spread = np.ptp(centres, axis=0).max() if len(groups) > 1 else 1.0
    centres *= 2.0 * math.sqrt(G.number_of_nodes()) / max(spread, 1e-9)
    positions = {}
    for (x0, y0), radius, g in zip(centres, radii, groups):
        ordered = sorted(members[g], key=lambda n: (-strength[n], str(n)))
        for i, n in enumerate(ordered):  # Vogel's spiral: even density within the disc
            r = radius * math.sqrt((i + 0.5) / len(ordered))
            positions[n] = (float(x0 + r * math.cos(i * _GOLDEN_ANGLE)),
                            float(y0 + r * math.sin(i * _GOLDEN_ANGLE)))
    return {n: positions[n] for n in G}
