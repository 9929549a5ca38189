"""Communities of the tie graph: Louvain, its stability across seeds, readable profiles.

* :func:`louvain` — Louvain modularity optimisation (Blondel et al. 2008), seeded:
  python-louvain on small graphs, igraph's C implementation on big ones.
* :func:`stability` — Louvain with several seeds, a consensus partition (Lancichinetti &
  Fortunato 2012, one round, the co-assignment matrix restricted to the graph's edges) and
  a per-node co-assignment frequency; nodes with frequency ≥ 0.8 are *firm*.
* :func:`community_profiles` — one row per community: wards, sectors, orientations, fields,
  connectors and a label such as 「西淀川区・福祉・企業3」.

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
* ``"leiden"``: igraph's ``community_leiden`` with the modularity objective (Traag, Waltman &
  van Eck 2019: Louvain plus a refinement step that keeps every community connected),
  iterated until stable on graphs of up to :data:`LEIDEN_STABLE_TIES` ties and for
  :data:`LEIDEN_ITERATIONS` iterations (igraph's and leidenalg's own default) above, where
  iterating to the end costs 4× the time for ≈ 0.1–0.2 % more modularity (measured in
  ``docs/core.md``); ``method="leiden"`` and ``params["iterations"]`` in the result.

igraph draws its random numbers from Python's ``random`` module by default; both igraph
routes install a private ``random.Random(seed)`` for the call (under a lock) and restore
igraph's default generator afterwards, so the same graph and seed give the same partition and
the caller's ``random`` state is left alone. The node order given to igraph is ``list(G)``.
The separate ``leidenalg`` package is not used: on the city graph its ``find_partition``
needed ~6.5 s where igraph's built-in Leiden needs ~0.5 s for a better modularity.

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

import math
import random
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import chain, compress

import community as community_louvain
import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from graph.errors import GraphError
from graph.types import Partition, Stability
from ingest.normalise import ward_in_english

__all__ = [
    "Partition",
    "Stability",
    "FIRM_THRESHOLD",
    "FAST_PATH_THRESHOLD",
    "METHODS",
    "louvain",
    "partition_from_edges",
    "stability",
    "community_profiles",
    "FIELD_SHORT",
    "KIND_SHORT",
]

#: A node is firm when it lands with its consensus community at least this often.
FIRM_THRESHOLD = 0.8

#: ``method="auto"`` uses igraph's C Louvain for graphs with more nodes than this.
FAST_PATH_THRESHOLD = 2000

_IGRAPH_RNG_LOCK = threading.Lock()

#: The implementations :func:`louvain` accepts as ``method``.
METHODS: tuple[str, ...] = ("auto", "python-louvain", "igraph", "leiden")

#: Short names of the 20 NPO fields for labels: number → (ja, en).
FIELD_SHORT: dict[int, tuple[str, str]] = {
    1: ("福祉", "welfare"), 2: ("社会教育", "education"), 3: ("まちづくり", "community"),
    4: ("観光", "tourism"), 5: ("農山漁村", "rural"), 6: ("文化・スポーツ", "culture & sport"),
    7: ("環境", "environment"), 8: ("災害救援", "disaster relief"), 9: ("地域安全", "safety"),
    10: ("人権・平和", "rights & peace"), 11: ("国際協力", "international"),
    12: ("男女共同参画", "gender equality"), 13: ("子ども", "children"), 14: ("情報化", "IT"),
    15: ("科学技術", "science"), 16: ("経済活性化", "economy"), 17: ("雇用", "employment"),
    18: ("消費者保護", "consumers"), 19: ("中間支援", "support"), 20: ("条例指定", "by-law"),
}

#: Short names of organisation kinds for labels: kind → (ja, en singular, en plural).
KIND_SHORT: dict[str, tuple[str, str, str]] = {
    "neighbourhood_association": ("町会", "association", "associations"),
    "council": ("地活協", "council", "councils"),
    "citizen_group": ("市民団体", "citizen group", "citizen groups"),
    "npo": ("NPO", "NPO", "NPOs"),
    "company": ("企業", "company", "companies"),
    "public_agency": ("公的機関", "agency", "agencies"),
    "intermediary": ("中間支援", "intermediary", "intermediaries"),
    "school": ("学校", "school", "schools"),
    "religious": ("寺社", "religious body", "religious bodies"),
    "other": ("その他", "other", "others"),
}


def _check_graph(G) -> None:
    if not isinstance(G, nx.Graph) or G.is_directed() or G.is_multigraph():
        raise GraphError(
            f"expected an undirected networkx.Graph (e.g. graph.build.tie_graph), got "
            f"{type(G).__name__}{' (directed)' if getattr(G, 'is_directed', lambda: 0)() else ''}")


def _check_resolution(resolution) -> float:
    if isinstance(resolution, bool) or not isinstance(resolution, (int, float, np.number)) \
            or not np.isfinite(resolution) or resolution <= 0:
        raise GraphError(f"resolution: expected a number > 0, got {resolution!r}")
    return float(resolution)


def _modularity(G, communities, weight) -> float:
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


def _implementation(G, method, resolution: float) -> str:
    """The implementation ``method`` stands for on ``G`` (see the module notes)."""
    if method not in METHODS:
        raise GraphError(f"method: expected one of {', '.join(METHODS)}, got {method!r}")
    if method == "auto":
        method = "igraph" if G.number_of_nodes() > FAST_PATH_THRESHOLD else "python-louvain"
    if method == "python-louvain":
        return "python-louvain" if resolution == 1.0 else "networkx"
    return "igraph" if method == "igraph" else "igraph-leiden"


def _weight_array(G, weight, values: list) -> np.ndarray:
    """Edge weights ``values`` (in ``G.edges()`` order) as floats; refuses bad ones."""
    kinds = set(map(type, values))
    if all(k is not bool and issubclass(k, (int, float, np.number)) for k in kinds):
        array = np.asarray(values, dtype=float)
        if np.isfinite(array).all() and (array >= 0).all():
            return array
    _check_weights(G, weight)  # raises, naming the first bad edge
    return np.asarray(values, dtype=float)


def _edge_arrays(G, weight):
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


def _igraph_view(G, weight):
    """``(nodes, igraph.Graph, weights)``: ``G`` with nodes numbered in ``list(G)`` order and
    edges in ``G.edges()`` order."""
    nodes, u, v, values = _edge_arrays(G, weight)
    weights = np.ones(len(u)) if values is None else _weight_array(G, weight, values)
    return nodes, ig.Graph(n=len(nodes), edges=list(zip(u.tolist(), v.tolist()))), weights


#: Up to this many ties Leiden iterates until the partition is stable; above, it runs
#: :data:`LEIDEN_ITERATIONS` iterations (see the module notes).
LEIDEN_STABLE_TIES = 100_000
LEIDEN_ITERATIONS = 2


def leiden_iterations(ties: int) -> int:
    """Leiden iterations for a graph of ``ties`` ties (−1: until stable).

    Examples
    --------
    >>> leiden_iterations(500), leiden_iterations(3_000_000)
    (-1, 2)
    """
    return -1 if ties <= LEIDEN_STABLE_TIES else LEIDEN_ITERATIONS


def _run_igraph(graph, weights: np.ndarray, implementation: str, resolution: float,
                seed: int) -> np.ndarray:
    """Community label per vertex from igraph, seeded through a private ``random.Random``.

    igraph's generator is process-wide: the lock keeps two threads (e.g. two dashboard
    sessions) from swapping generators under each other's run."""
    with _IGRAPH_RNG_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            if implementation == "igraph":
                found = graph.community_multilevel(weights=weights.tolist(),
                                                   resolution=resolution)
            else:
                found = graph.community_leiden(objective_function="modularity",
                                               weights=weights.tolist(), resolution=resolution,
                                               n_iterations=leiden_iterations(graph.ecount()))
        finally:
            ig.set_random_number_generator(random)  # igraph's default generator
    return np.asarray(found.membership, dtype=np.int64)


def _groups(nodes: list, labels: np.ndarray) -> list[set]:
    groups: dict[int, set] = {}
    for node, label in zip(nodes, labels.tolist()):
        groups.setdefault(label, set()).add(node)
    return list(groups.values())


def _igraph_modularity(graph, weights: np.ndarray, labels: np.ndarray) -> float:
    if graph.ecount() == 0 or weights.sum() == 0:
        return float("nan")
    return float(graph.modularity(labels.tolist(), weights=weights.tolist()))


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
        route at γ ≠ 1), ``"igraph"`` or ``"igraph-leiden"``. Every isolate is its own
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
    _check_graph(G)
    resolution = _check_resolution(resolution)
    implementation = _implementation(G, method, resolution)
    name = "leiden" if implementation == "igraph-leiden" else "louvain"
    params = {"weight": weight, "resolution": resolution}
    if implementation.startswith("igraph"):
        nodes, graph, weights = _igraph_view(G, weight)
        if not nodes:
            return Partition((), method=name, params=params, seed=seed)
        labels = _run_igraph(graph, weights, implementation, resolution, seed)
        params["implementation"] = implementation
        return Partition(_groups(nodes, labels), method=name, params=params, seed=seed,
                         modularity=_igraph_modularity(graph, weights, labels))
    _check_weights(G, weight)
    if G.number_of_nodes() == 0:
        return Partition((), method=name, params=params, seed=seed)
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
    return Partition(communities, method=name, params=params, seed=seed,
                     modularity=_modularity(H, communities, weight))


def partition_from_edges(nodes: list, u: np.ndarray, v: np.ndarray, weights: np.ndarray, *,
                         method: str = "leiden", resolution: float = 1.0, seed: int = 0,
                         weight: str | None = "weight") -> Partition:
    """Communities of a graph given as edge arrays, by igraph's Leiden or Louvain.

    Parameters
    ----------
    nodes : list
        Node ids; edge ends are positions in this list.
    u, v : numpy.ndarray
        Edge ends (int positions), each undirected edge once.
    weights : numpy.ndarray
        Edge weights (finite, ≥ 0).
    method : {"leiden", "igraph"}, keyword-only
        igraph's ``community_leiden`` (modularity; iterations by :func:`leiden_iterations`) or its
        ``community_multilevel`` (Louvain).
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
    ([['a', 'b', 'c'], ['x', 'y']], 'leiden', 'igraph-leiden')
    """
    resolution = _check_resolution(resolution)
    if method not in ("leiden", "igraph"):
        raise GraphError(f"method: expected 'leiden' or 'igraph', got {method!r}")
    implementation = "igraph-leiden" if method == "leiden" else "igraph"
    name = "leiden" if method == "leiden" else "louvain"
    params = {"weight": weight, "resolution": resolution, "implementation": implementation}
    if method == "leiden":
        params["iterations"] = leiden_iterations(len(u))
    weights = np.asarray(weights, dtype=float)
    if len(weights) and (not np.isfinite(weights).all() or (weights < 0).any()):
        raise GraphError("edge weights must be finite numbers ≥ 0")
    if not len(nodes):
        return Partition((), method=name, params=params, seed=seed)
    # lists of int pairs are igraph's fastest input (a numpy array is walked row by row);
    # added a chunk at a time so the Python tuples never exist for all edges at once
    graph = ig.Graph(n=len(nodes))
    u, v = np.asarray(u), np.asarray(v)
    for start in range(0, len(u), 1 << 21):
        graph.add_edges(list(zip(u[start:start + (1 << 21)].tolist(),
                                 v[start:start + (1 << 21)].tolist())))
    labels = _run_igraph(graph, weights, implementation, resolution, seed)
    return Partition(_groups(nodes, labels), method=name, params=params, seed=seed,
                     modularity=_igraph_modularity(graph, weights, labels))


def _frequency(nodes: list, consensus: np.ndarray, runs: list[np.ndarray]) -> dict:
    """Per node: share of (run, fellow consensus member) pairs spent in the same community."""
    frame = pd.DataFrame({"node": np.arange(len(nodes)), "c": consensus})
    size = frame.groupby("c")["node"].transform("size").to_numpy()
    together = np.zeros(len(nodes))
    alone = np.zeros(len(nodes))
    for run in runs:
        labels = pd.Series(run)
        same = frame.assign(r=labels).groupby(["c", "r"])["node"].transform("size").to_numpy()
        together += same - 1
        alone += labels.map(labels.value_counts()).to_numpy() == 1
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(size > 1, together / (np.maximum(size - 1, 1) * len(runs)),
                         alone / len(runs))
    return dict(zip(nodes, share.tolist()))


def stability(G: nx.Graph, *, seeds: Iterable[int] = range(10), weight: str | None = "weight",
              resolution: float = 1.0, method: str = "auto",
              on_run: Callable[[int, int], None] | None = None) -> Stability:
    """Louvain with several seeds: a consensus partition and how firmly each node sits in it.

    The consensus follows Lancichinetti & Fortunato (2012), one round: each edge of ``G``
    gets the share of runs that put its two ends together; edges shared in fewer than half
    the runs are dropped; Louvain (first seed, same implementation) on that co-assignment
    graph gives the consensus. Restricting co-assignment to the edges of ``G`` keeps it
    linear in the number of ties. On the igraph route ``G`` is converted once for all runs
    (10 seeds on the synthetic city: a few seconds).

    A node's ``frequency`` is the share of (run, fellow member of its consensus community)
    pairs in which both landed in the same community; for a singleton consensus community,
    the share of runs in which the node was alone too. ``firm`` is ``frequency >= 0.8``.

    Parameters
    ----------
    G : networkx.Graph
        Undirected, not a multigraph; not modified.
    seeds : iterable of int, default range(10)
        One Louvain run per seed (at least one).
    weight : str or None, default "weight"
    resolution : float, default 1.0
    method : {"auto", "python-louvain", "igraph", "leiden"}, default "auto"
        As in :func:`louvain`.
    on_run : callable, optional
        Called as ``on_run(done, total)`` after each run (for a progress bar).

    Returns
    -------
    Stability
        ``partition`` (method ``"louvain-consensus"``, seed = the first seed, modularity on
        ``G``, ``params["implementation"]`` as in :func:`louvain`), ``frequency``, ``firm``,
        ``threshold``, ``seeds``, ``run_modularity``.

    Raises
    ------
    GraphError
        For no seeds, or any error of :func:`louvain`.

    Examples
    --------
    >>> import networkx as nx
    >>> s = stability(nx.barbell_graph(5, 0), seeds=range(3))
    >>> [sorted(c) for c in s.partition.communities]
    [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    >>> min(s.frequency.values()), all(s.firm.values())
    (1.0, True)
    >>> stability(nx.barbell_graph(5, 0), seeds=range(3), method="igraph").partition.params[
    ...     "implementation"]
    'igraph'
    """
    seeds = tuple(int(s) for s in seeds)
    if not seeds:
        raise GraphError("seeds: give at least one seed")
    _check_graph(G)
    resolution = _check_resolution(resolution)
    implementation = _implementation(G, method, resolution)
    params = {"weight": weight, "resolution": resolution, "seeds": seeds,
              "consensus_threshold": 0.5, "implementation": implementation}
    nodes = list(G)
    if implementation.startswith("igraph"):
        nodes, graph, weights = _igraph_view(G, weight)
        labels = []
        for s in seeds:
            labels.append(_run_igraph(graph, weights, implementation, resolution, s))
            if on_run is not None:
                on_run(len(labels), len(seeds))
        run_modularity = tuple(_igraph_modularity(graph, weights, x) for x in labels)
        ends = np.array(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    else:
        runs = []
        for s in seeds:
            runs.append(louvain(G, weight=weight, resolution=resolution, seed=s, method=method))
            if on_run is not None:
                on_run(len(runs), len(seeds))
        labels = [np.array([m[n] for n in nodes], dtype=np.int64)
                  for m in (run.membership() for run in runs)]
        run_modularity = tuple(run.modularity for run in runs)
        ends = np.column_stack(_edge_arrays(G, None)[1:3])
    u, v = ends[:, 0], ends[:, 1]
    share = (np.sum([x[u] == x[v] for x in labels], axis=0) / len(seeds)
             if len(u) else np.zeros(0))
    keep = (share >= 0.5) & (u != v)
    if implementation.startswith("igraph"):
        C = ig.Graph(n=len(nodes), edges=ends[keep].tolist())
        consensus = _run_igraph(C, share[keep], implementation, 1.0, seeds[0])
        communities = _groups(nodes, consensus) if nodes else []
        modularity = _igraph_modularity(graph, weights, consensus)
    else:
        C = nx.Graph()
        C.add_nodes_from(G)
        C.add_weighted_edges_from(zip((nodes[i] for i in u[keep].tolist()),
                                      (nodes[j] for j in v[keep].tolist()),
                                      share[keep].tolist()), weight="share")
        communities = louvain(C, weight="share", resolution=1.0, seed=seeds[0],
                              method=method).communities
        H, mod_weight = G, weight
        if weight is None:
            H = nx.Graph()
            H.add_nodes_from(G)
            H.add_edges_from(G.edges(), unit=1)
            mod_weight = "unit"
        modularity = _modularity(H, communities, mod_weight)
    partition = Partition(communities, method="louvain-consensus", params=params,
                          seed=seeds[0], modularity=modularity)
    membership = partition.membership()
    frequency = (_frequency(nodes, np.array([membership[n] for n in nodes]), labels)
                 if nodes else {})
    firm = {node: f >= FIRM_THRESHOLD for node, f in frequency.items()}
    return Stability(partition=partition, frequency=frequency, firm=firm,
                     threshold=FIRM_THRESHOLD, seeds=seeds, run_modularity=run_modularity)


# --- profiles ---------------------------------------------------------------------------------

_PROFILE_COLUMNS = [
    "community", "size", "label", "label_en", "dominant_ward", "dominant_ward_share", "wards",
    "kinds", "orientations", "fields", "connectors", "bridges", "internal_weight",
    "external_weight", "members",
]


def _shares(counter: Counter, total: int, top: int) -> tuple[tuple[object, float], ...]:
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top]
    return tuple((key, round(count / total, 4)) for key, count in ranked)


#: A field names a community when it is this many times more common there than in the city.
FIELD_MIN_LIFT = 1.2
#: …and held by at least this share of the members of the community's most common field.
FIELD_MIN_SUPPORT = 0.25


def _distinctive_field(fields: Counter, size: int, overall: Counter, n_all: int, *,
                       singleton: bool = False):
    """The field that sets a community apart: the highest lift over the city's base rate.

    ``size`` and ``n_all`` count the organisations with any field (in the community, in the
    city), so a community is not set apart merely by holding many NPOs:
    ``lift = (members with the field / size) / (organisations with it / n_all)``,
    among fields held by at least 2 members (1 in a ``singleton`` community) and by at least
    :data:`FIELD_MIN_SUPPORT` × the count of the most common field; ``None`` when no field
    reaches :data:`FIELD_MIN_LIFT` (the community's fields are the city's).

    >>> from collections import Counter
    >>> city = Counter({3: 500, 13: 100, 1: 300})
    >>> _distinctive_field(Counter({3: 40, 13: 30, 1: 5}), 60, city, 1000)
    13
    >>> _distinctive_field(Counter({3: 30, 1: 18}), 60, city, 1000) is None
    True
    """
    if not fields or not n_all or not size:
        return None
    floor = max(1 if singleton else 2, FIELD_MIN_SUPPORT * max(fields.values()))
    lifts = {f: (count / size) / (overall[f] / n_all) for f, count in fields.items()
             if count >= floor and overall[f]}
    ranked = sorted(lifts, key=lambda f: (-lifts[f], -fields[f], f))
    return ranked[0] if ranked and lifts[ranked[0]] >= FIELD_MIN_LIFT else None


def _label(size, ward, ward_share, field, notable, kind_counts) -> tuple[str, str]:
    if ward is None:
        ward_ja, ward_en = "区不明", "ward unknown"
    elif ward_share < 0.5:
        ward_ja, ward_en = f"{ward}ほか", f"{ward_in_english(ward)} and others"
    else:
        ward_ja, ward_en = ward, ward_in_english(ward)
    parts_ja, parts_en = [ward_ja], [ward_en]
    if field is not None:
        ja, en = FIELD_SHORT.get(field, (str(field), str(field)))
        parts_ja.append(ja)
        parts_en.append(en)
    if notable is not None:
        ja, one, many = KIND_SHORT.get(notable, (str(notable),) * 3)
        if size == 1:
            parts_ja.append(ja)
            parts_en.append(one)
        elif kind_counts[notable] >= 2:
            parts_ja.append(f"{ja}{kind_counts[notable]}")
            parts_en.append(f"{kind_counts[notable]} {many}")
    if size == 1:
        parts_ja.append("単独")
        parts_en.append("alone")
    return "・".join(parts_ja), ", ".join(parts_en)


def _core_inside_outside(core, membership: dict, weight) -> tuple[dict, dict]:
    """Per node, the tie weight inside / outside its community, from a tie core's arrays."""
    labels = np.array([membership[v] for v in core.ids.tolist()], dtype=np.int64)
    w = core.values(weight)
    same = labels[core.u] == labels[core.v]
    sums = []
    for mask in (same, ~same):
        part = np.bincount(core.u, weights=np.where(mask, w, 0.0), minlength=core.n) \
            + np.bincount(core.v, weights=np.where(mask, w, 0.0), minlength=core.n)
        sums.append(dict(zip(core.ids.tolist(), part.tolist())))
    return sums[0], sums[1]


def community_profiles(G: nx.Graph, partition: Partition, *, weight: str | None = "weight",
                       top: int = 3) -> pd.DataFrame:
    """One row per community describing who is in it, in words a coordinator can use.

    Parameters
    ----------
    G : networkx.Graph
        The graph the partition is of (node attributes ``ward``, ``kind``, ``orientation``,
        ``fields``, ``name`` as in :func:`graph.build.tie_graph`; missing ones are skipped);
        not modified.
    partition : Partition
        Must cover exactly the nodes of ``G``.
    weight : str or None, default "weight"
        Edge attribute used for tie strength (``None``: each edge counts 1).
    top : int, default 3
        How many wards, fields, connectors and bridges to list.

    Returns
    -------
    pandas.DataFrame
        Columns ``community`` (index in ``partition.communities``), ``size``, ``label``
        (e.g. 「西淀川区・福祉・企業3」), ``label_en``, ``dominant_ward``,
        ``dominant_ward_share``, ``wards`` (tuple of (ward, share)), ``kinds`` and
        ``orientations`` (dict value → count), ``fields`` (tuple of (field number, count)),
        ``connectors`` (members with the greatest tie strength inside the community),
        ``bridges`` (members with the greatest tie strength to other communities),
        ``internal_weight``, ``external_weight`` (summed tie strength inside / leaving) and
        ``members`` (sorted tuple).

        The label joins the dominant ward (「…ほか」 when it holds under half the
        members, 「区不明」 when unknown), the field most over-represented compared with the
        whole graph (highest lift over the city's base rate, see
        :func:`_distinctive_field`; left out when the community's fields are the city's)
        and the kind most over-represented compared with the whole graph, with its count
        when at least 2
        (a singleton gets its kind and 「単独」); labels are made unique with a 「(2)」
        suffix. ``label_en`` says the same in English.

    Raises
    ------
    GraphError
        If the partition does not cover exactly the nodes of ``G``, or ``top`` < 1.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_nodes_from(["a", "b", "c"], ward="西淀川区", kind="company", fields=(1,))
    >>> G.add_nodes_from(["x", "y"], ward="北区", kind="npo", fields=(13,))
    >>> G.add_edges_from([("a", "b"), ("b", "c"), ("x", "y"), ("c", "x")], weight=1.0)
    >>> df = community_profiles(G, louvain(G))
    >>> df[["size", "label", "label_en"]].values.tolist()
    [[3, '西淀川区・福祉・企業3', 'Nishiyodogawa, welfare, 3 companies'], [2, '北区・子ども・NPO2', 'Kita, children, 2 NPOs']]
    >>> df.loc[0, "connectors"], df.loc[0, "bridges"]
    (('b', 'a', 'c'), ('c',))
    """
    if getattr(G, "tie_core", None) is None:  # a graph.core.view.CoreGraph is fine too
        _check_graph(G)
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise GraphError(f"top: expected an int ≥ 1, got {top!r}")
    membership = partition.membership()
    if set(membership) != set(G.nodes) or sum(map(len, partition.communities)) != len(G):
        missing = [n for n in G if n not in membership][:3]
        extra = [n for n in membership if n not in G][:3]
        raise GraphError(f"partition does not match the graph's nodes (missing {missing}, "
                         f"unknown {extra})")
    inside: dict = {node: 0.0 for node in G}
    outside: dict = {node: 0.0 for node in G}
    core = getattr(G, "tie_core", None)
    if core is not None:  # the arrays of a graph.core view: one vectorised pass
        inside, outside = _core_inside_outside(core, membership, weight)
    for u, v, w in (() if core is not None else G.edges(data=weight, default=1.0)):
        w = 1.0 if weight is None else float(w)
        if u == v:
            continue
        target = inside if membership[u] == membership[v] else outside
        target[u] += w
        target[v] += w

    overall_kinds = Counter(d.get("kind") for _, d in G.nodes(data=True) if d.get("kind"))
    overall_fields = Counter(f for _, d in G.nodes(data=True) for f in (d.get("fields") or ()))
    n_with_fields = sum(1 for _, d in G.nodes(data=True) if d.get("fields"))
    n_all = len(G)
    rows = []
    seen_labels: Counter = Counter()
    for index, members in enumerate(partition.communities):
        size = len(members)
        data = [G.nodes[n] for n in members]
        wards = Counter(d.get("ward") for d in data if d.get("ward"))
        kinds = Counter(d.get("kind") for d in data if d.get("kind"))
        orientations = Counter(d.get("orientation") for d in data if d.get("orientation"))
        fields = Counter(f for d in data for f in (d.get("fields") or ()))
        ward, ward_share = None, 0.0
        if wards:
            ward, count = sorted(wards.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]
            ward_share = count / size
        field = _distinctive_field(fields, sum(1 for d in data if d.get("fields")),
                                   overall_fields, n_with_fields, singleton=size == 1)
        notable = None
        if kinds:
            notable = sorted(kinds, key=lambda k: (-(kinds[k] / size) / (overall_kinds[k] / n_all),
                                                   -kinds[k], k))[0]
        label, label_en = _label(size, ward, ward_share, field, notable, kinds)
        seen_labels[label] += 1
        repeat = seen_labels[label]
        if repeat > 1:
            label, label_en = f"{label}({repeat})", f"{label_en} ({repeat})"
        by_inside = sorted(members, key=lambda n: (-inside[n], str(n)))
        by_outside = sorted((n for n in members if outside[n] > 0),
                            key=lambda n: (-outside[n], str(n)))
        rows.append({
            "community": index,
            "size": size,
            "label": label,
            "label_en": label_en,
            "dominant_ward": ward,
            "dominant_ward_share": round(ward_share, 4),
            "wards": _shares(wards, size, top),
            "kinds": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
            "orientations": dict(sorted(orientations.items(), key=lambda kv: (-kv[1], kv[0]))),
            "fields": tuple(sorted(fields.items(), key=lambda kv: (-kv[1], kv[0]))[:top]),
            "connectors": tuple(by_inside[:top]),
            "bridges": tuple(by_outside[:top]),
            "internal_weight": math.fsum(inside[n] for n in members) / 2,  # order-free
            "external_weight": math.fsum(outside[n] for n in members),
            "members": tuple(sorted(members, key=str)),
        })
    return pd.DataFrame(rows, columns=_PROFILE_COLUMNS)
