"""Community detection: :func:`louvain` on a networkx graph, :func:`partition_from_edges` on
edge arrays, and the helpers both use.

* :func:`louvain` — Louvain modularity optimisation (Blondel et al. 2008), seeded:
  python-louvain on small graphs, igraph's C implementation on big ones.
* :func:`partition_from_edges` — Leiden (networkit) or igraph's Louvain on a graph given as
  arrays (what ``graph.core.communities`` runs on a tie core).

Implementation, chosen by ``method`` (``Partition.params["implementation"]`` records which ran):

* ``"auto"`` (default): python-louvain (below) for graphs of at most
  :data:`FAST_PATH_THRESHOLD` = 2,000 nodes — a ward, the bundled Osaka data — and igraph's
  ``community_multilevel`` above that (the synthetic city: ~12,000 organisations and
  ~3×10⁵ ties, where python-louvain needs ~11 s of CPU and igraph ~0.4 s, modularity 0.776
  vs 0.779). Below the threshold python-louvain takes under a second and keeps the
  published karate-club and Davis results exactly as before.
* ``"python-louvain"``: python-louvain's ``best_partition(random_state=seed)`` at resolution
  γ = 1. For γ ≠ 1, networkx's ``louvain_communities`` (same seed): python-louvain 0.16
  applies γ to the moves but checks progress with a modularity scaled differently (its
  issue #47; PR #92 fixed only the moves), so it stops early — on the karate club at γ = 0.5
  it returns 5 communities (Q_γ = 0.59) where networkx finds 2 (Q_γ = 0.65).
* ``"igraph"``: igraph's ``community_multilevel`` — the same Louvain algorithm (Blondel et
  al. 2008) in C, returning its last (best) level, with γ passed as igraph's
  ``resolution`` (the same Reichardt–Bornholdt convention as networkx).
* ``"leiden"``: Leiden with the modularity objective (Traag, Waltman & van Eck 2019: Louvain
  plus a refinement step that keeps every community connected), networkit's
  ``ParallelLeiden`` on one thread (``graph.communities.leiden``: why networkit, the
  iterations, determinism); ``method="leiden"``, implementation ``"networkit-leiden"`` and
  ``params["iterations"]`` in the result.

igraph draws its random numbers from Python's ``random`` module by default; the igraph
route installs a private ``random.Random(seed)`` for the call (under a lock) and restores
igraph's default generator afterwards, so the same graph and seed give the same partition and
the caller's ``random`` state is left alone. The node order given to igraph and networkit is
``list(G)``. The separate ``leidenalg`` package is not used: on the city graph its
``find_partition`` needed ~6.5 s where igraph's built-in Leiden needed ~0.5 s for a better
modularity.

Examples
--------
>>> import networkx as nx
>>> G = nx.barbell_graph(4, 0)
>>> p = louvain(G, seed=1)
>>> [sorted(c) for c in p.communities]
[[0, 1, 2, 3], [4, 5, 6, 7]]
>>> round(p.modularity, 3)
0.423
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from itertools import chain, compress

import community as community_louvain
import igraph as ig
import networkx as nx
import numpy as np

from graph.communities.leiden import edge_modularity, leiden_iterations, networkit_graph, run_leiden
from graph.errors import GraphError
from graph.memory import return_freed_memory
from graph.types import Partition

__all__ = [
    "FAST_PATH_THRESHOLD",
    "METHODS",
    "louvain",
    "partition_from_edges",
    "check_graph",
    "check_resolution",
    "modularity_of",
    "implementation_for",
    "edge_arrays",
    "weighted_edges",
    "igraph_graph",
    "labeller",
    "ARRAY_IMPLEMENTATIONS",
    "run_igraph",
    "label_groups",
]

#: ``method="auto"`` uses igraph's C Louvain for graphs with more nodes than this.
FAST_PATH_THRESHOLD = 2000

_IGRAPH_RNG_LOCK = threading.Lock()

#: The implementations that run on edge arrays (:func:`labeller`), not on the networkx graph.
ARRAY_IMPLEMENTATIONS = ("igraph", "networkit-leiden")

#: The implementations :func:`louvain` accepts as ``method``.
METHODS: tuple[str, ...] = ("auto", "python-louvain", "igraph", "leiden")


def check_graph(G) -> None:
    """Refuse anything but an undirected, simple ``networkx.Graph`` (``GraphError``)."""
    if not isinstance(G, nx.Graph) or G.is_directed() or G.is_multigraph():
        raise GraphError(
            f"expected an undirected networkx.Graph (e.g. graph.build.tie_graph), got "
            f"{type(G).__name__}{' (directed)' if getattr(G, 'is_directed', lambda: 0)() else ''}")


def check_resolution(resolution) -> float:
    """The resolution γ as a float; ``GraphError`` unless it is a finite number > 0."""
    if isinstance(resolution, bool) or not isinstance(resolution, (int, float, np.number)) \
            or not np.isfinite(resolution) or resolution <= 0:
        raise GraphError(f"resolution: expected a number > 0, got {resolution!r}")
    return float(resolution)


def modularity_of(G, communities, weight) -> float:
    """networkx modularity of ``communities`` on ``G`` (``nan`` without edges or weight)."""
    if G.number_of_edges() == 0 or G.size(weight=weight) == 0:
        return float("nan")
    return float(nx.community.modularity(G, communities, weight=weight))


def _check_weights(G, weight) -> None:
    if weight is None:
        return
    for u, v, w in G.edges(data=weight, default=1):
        if not isinstance(w, (int, float, np.number)) or isinstance(w, bool) or w < 0 \
                or not np.isfinite(w):
            raise GraphError(f"edge ({u!r}, {v!r}): {weight!r} must be a number ≥ 0, got {w!r}")


def implementation_for(G, method, resolution: float) -> str:
    """The implementation ``method`` stands for on ``G`` (see the module notes)."""
    if method not in METHODS:
        raise GraphError(f"method: expected one of {', '.join(METHODS)}, got {method!r}")
    if method == "auto":
        method = "igraph" if G.number_of_nodes() > FAST_PATH_THRESHOLD else "python-louvain"
    if method == "python-louvain":
        return "python-louvain" if resolution == 1.0 else "networkx"
    return "igraph" if method == "igraph" else "networkit-leiden"


def _weight_array(G, weight, values: list) -> np.ndarray:
    """Edge weights ``values`` (in ``G.edges()`` order) as floats; refuses bad ones."""
    kinds = set(map(type, values))
    if all(k is not bool and issubclass(k, (int, float, np.number)) for k in kinds):
        array = np.asarray(values, dtype=float)
        if np.isfinite(array).all() and (array >= 0).all():
            return array
    _check_weights(G, weight)  # raises, naming the first bad edge
    return np.asarray(values, dtype=float)


def edge_arrays(G, weight):
    """``(nodes, u, v, values)``: ``G``'s edges in ``G.edges()`` order (each pair once, from
    its earlier node) as positions in ``nodes = list(G)``, read from the adjacency in one
    vectorised pass; ``values`` is the list of raw ``weight`` attributes (1 when missing),
    or ``None`` when ``weight`` is None."""
    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    neighbours = [G.adj[node] for node in nodes]
    counts = np.fromiter(map(len, neighbours), dtype=np.int64, count=len(nodes))
    cols = np.fromiter(map(index.__getitem__, chain.from_iterable(neighbours)), dtype=np.int64,
                       count=int(counts.sum()))
    rows = np.repeat(np.arange(len(nodes), dtype=np.int64), counts)
    keep = rows <= cols
    values = None
    if weight is not None:
        raw = [data.get(weight, 1) for adjacent in neighbours for data in adjacent.values()]
        values = list(compress(raw, keep.tolist()))
    return nodes, rows[keep], cols[keep], values


def weighted_edges(G, weight):
    """``(nodes, u, v, weights)``: :func:`edge_arrays` with the weights as a float array (1
    for every edge when ``weight`` is None); refuses a negative or non-numeric weight."""
    nodes, u, v, values = edge_arrays(G, weight)
    weights = np.ones(len(u)) if values is None else _weight_array(G, weight, values)
    return nodes, u, v, weights


def igraph_graph(n: int, u: np.ndarray, v: np.ndarray):
    """An undirected ``igraph.Graph`` of ``n`` vertices with the edges ``(u, v)`` in order.

    Lists of int pairs are igraph's fastest input (a numpy array is walked row by row); they
    are added a chunk at a time so the Python tuples never exist for all edges at once."""
    graph = ig.Graph(n=n)
    u, v = np.asarray(u), np.asarray(v)
    for start in range(0, len(u), 1 << 21):
        graph.add_edges(list(zip(u[start:start + (1 << 21)].tolist(),
                                 v[start:start + (1 << 21)].tolist())))
    return graph


def labeller(n: int, u: np.ndarray, v: np.ndarray, weights: np.ndarray,
             implementation: str) -> Callable[[float, int], np.ndarray]:
    """A function ``(resolution, seed) → label per node`` running ``implementation``
    (``"networkit-leiden"`` or ``"igraph"`` Louvain) on the graph of the edge arrays, which
    is built once for all its calls.

    Examples
    --------
    >>> run = labeller(4, np.array([0, 2]), np.array([1, 3]), np.ones(2), "igraph")
    >>> run(1.0, 0).tolist() == run(1.0, 0).tolist()
    True
    """
    if implementation == "networkit-leiden":
        leiden_graph = networkit_graph(n, u, v, weights)
        return lambda resolution, seed: run_leiden(leiden_graph, resolution=resolution,
                                                   seed=seed)
    graph = igraph_graph(n, u, v)
    return lambda resolution, seed: run_igraph(graph, weights, resolution, seed)


def run_igraph(graph, weights: np.ndarray, resolution: float, seed: int) -> np.ndarray:
    """Community label per vertex from igraph's Louvain (``community_multilevel``), seeded
    through a private ``random.Random``.

    igraph's generator is process-wide: the lock keeps two threads (e.g. two dashboard
    sessions) from swapping generators under each other's run."""
    with _IGRAPH_RNG_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            found = graph.community_multilevel(weights=weights.tolist(), resolution=resolution)
        finally:
            ig.set_random_number_generator(random)  # igraph's default generator
    return np.asarray(found.membership, dtype=np.int64)


def label_groups(nodes: list, labels: np.ndarray) -> list[frozenset]:
    """The sets of ``nodes`` sharing a label, in the order the labels first appear (grouped by
    a stable sort, not node by node).

    >>> [sorted(group) for group in label_groups(["a", "b", "c", "d"], np.array([7, 3, 7, 5]))]
    [['a', 'c'], ['b'], ['d']]
    """
    labels = np.asarray(labels)
    if not len(labels):
        return []
    order = np.argsort(labels, kind="stable")
    ranked = labels[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    ends = np.r_[starts[1:], len(labels)].tolist()
    members = [nodes[i] for i in order.tolist()]
    groups = [frozenset(members[a:b]) for a, b in zip(starts.tolist(), ends)]
    return [groups[i] for i in np.argsort(order[starts], kind="stable").tolist()]


def louvain(G: nx.Graph, *, weight: str | None = "weight", resolution: float = 1.0,
            seed: int = 0, method: str = "auto") -> Partition:
    """Communities by Louvain modularity optimisation, seeded.

    Parameters
    ----------
    G : networkx.Graph
        Undirected, not a multigraph; not modified.
    weight : str or None, default "weight"
        Edge attribute holding the tie strength (``None``: every edge counts 1).
    resolution : float, default 1.0
        γ of Reichardt & Bornholdt, as in networkx's ``louvain_communities``: greater than 0;
        below 1 gives fewer, larger communities, above 1 more, smaller ones.
    seed : int, default 0
        Random state of the node order; same graph + seed → same partition.
    method : {"auto", "python-louvain", "igraph", "leiden"}, default "auto"
        Which implementation runs (see the module notes): ``"auto"`` is python-louvain up
        to :data:`FAST_PATH_THRESHOLD` nodes and igraph's C Louvain above.

    Returns
    -------
    Partition
        ``method="louvain"`` (``"leiden"`` for ``method="leiden"``);
        ``params["implementation"]`` is ``"python-louvain"``, ``"networkx"`` (python-louvain
        route at γ ≠ 1), ``"igraph"`` or ``"networkit-leiden"``. Every isolate is its own
        singleton community; an empty graph gives no communities. ``modularity`` is the
        classic (resolution 1) modularity on ``G``, ``nan`` without edges.

    Raises
    ------
    GraphError
        For a directed graph or multigraph, a resolution ≤ 0, a negative edge weight or an
        unknown method.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> G.add_node("lonely")
    >>> p = louvain(G)
    >>> [sorted(c) for c in p.communities]
    [['a', 'b', 'c'], ['x', 'y'], ['lonely']]
    >>> p.membership()["x"], p.method, p.seed, p.params["implementation"]
    (1, 'louvain', 0, 'python-louvain')
    >>> fast = louvain(G, method="igraph")
    >>> fast.communities == p.communities, fast.params["implementation"]
    (True, 'igraph')
    """
    check_graph(G)
    resolution = check_resolution(resolution)
    implementation = implementation_for(G, method, resolution)
    if implementation in ARRAY_IMPLEMENTATIONS:
        nodes, u, v, weights = weighted_edges(G, weight)
        return partition_from_edges(
            nodes, u, v, weights, resolution=resolution, seed=seed, weight=weight,
            method="leiden" if implementation == "networkit-leiden" else "igraph")
    params = {"weight": weight, "resolution": resolution}
    _check_weights(G, weight)
    if G.number_of_nodes() == 0:
        return Partition((), method="louvain", params=params, seed=seed)
    H = G
    if weight is None:  # python-louvain reads a weight key; give it a view with unit weights
        H = nx.Graph()
        H.add_nodes_from(G)
        H.add_edges_from(G.edges(), unit=1)
        weight = "unit"
    if implementation == "python-louvain":
        found = community_louvain.best_partition(H, weight=weight, random_state=seed)
        groups: dict[int, set] = {}
        for node, label in found.items():
            groups.setdefault(label, set()).add(node)
        communities = list(groups.values())
    else:  # python-louvain 0.16 stops early when γ ≠ 1 (see the module notes)
        communities = nx.community.louvain_communities(H, weight=weight, resolution=resolution,
                                                       seed=seed)
    params["implementation"] = implementation
    return Partition(communities, method="louvain", params=params, seed=seed,
                     modularity=modularity_of(H, communities, weight))


def partition_from_edges(nodes: list, u: np.ndarray, v: np.ndarray, weights: np.ndarray, *,
                         method: str = "leiden", resolution: float = 1.0, seed: int = 0,
                         weight: str | None = "weight") -> Partition:
    """Communities of a graph given as edge arrays, by Leiden (networkit) or igraph's Louvain.

    Parameters
    ----------
    nodes : list
        Node ids; edge ends are positions in this list.
    u, v : numpy.ndarray
        Edge ends (int positions), each undirected edge once.
    weights : numpy.ndarray
        Edge weights (finite, ≥ 0).
    method : {"leiden", "igraph"}, keyword-only
        Leiden (networkit, ``graph.communities.leiden``) or igraph's ``community_multilevel``
        (Louvain).
    resolution, seed : keyword-only
        As in :func:`louvain`.
    weight : str or None, keyword-only
        Recorded in ``params`` (the name the weights were read from).

    Returns
    -------
    Partition
        As :func:`louvain` returns for the same method on the same graph.

    Examples
    --------
    >>> p = partition_from_edges(list("abcxy"), np.array([0, 0, 1, 3]), np.array([1, 2, 2, 4]),
    ...                          np.ones(4))
    >>> [sorted(c) for c in p.communities], p.method, p.params["implementation"]
    ([['a', 'b', 'c'], ['x', 'y']], 'leiden', 'networkit-leiden')
    """
    resolution = check_resolution(resolution)
    if method not in ("leiden", "igraph"):
        raise GraphError(f"method: expected 'leiden' or 'igraph', got {method!r}")
    implementation = "networkit-leiden" if method == "leiden" else "igraph"
    name = "leiden" if method == "leiden" else "louvain"
    params = {"weight": weight, "resolution": resolution, "implementation": implementation}
    if method == "leiden":
        params["iterations"] = leiden_iterations(len(u))
    weights = np.asarray(weights, dtype=float)
    if len(weights) and (not np.isfinite(weights).all() or (weights < 0).any()):
        raise GraphError("edge weights must be finite numbers ≥ 0")
    if not len(nodes):
        return Partition((), method=name, params=params, seed=seed)
    labels = labeller(len(nodes), u, v, weights, implementation)(resolution, seed)
    partition = Partition(label_groups(nodes, labels), method=name, params=params, seed=seed,
                          modularity=edge_modularity(u, v, weights, labels))
    return_freed_memory()  # the library's graph went with the labeller, and the temporaries
    return partition
