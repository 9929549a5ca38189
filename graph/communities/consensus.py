"""Community stability: :func:`stability`, Louvain over several seeds and their consensus.

A consensus partition (Lancichinetti & Fortunato 2012, one round, the co-assignment matrix
restricted to the graph's edges) and a per-node co-assignment frequency; nodes with
frequency ≥ :data:`FIRM_THRESHOLD` are *firm*. The runs use the implementations of
``graph.communities.detection``.

Examples
--------
>>> import networkx as nx
>>> stability(nx.barbell_graph(4, 0), seeds=range(2)).partition.method
'louvain-consensus'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import networkx as nx
import numpy as np
import pandas as pd

from graph.communities.detection import (
    ARRAY_IMPLEMENTATIONS,
    check_graph,
    check_resolution,
    edge_arrays,
    implementation_for,
    label_groups,
    labeller,
    louvain,
    modularity_of,
    weighted_edges,
)
from graph.communities.leiden import edge_modularity
from graph.errors import GraphError
from graph.types import Partition, Stability

__all__ = ["FIRM_THRESHOLD", "stability"]

#: A node is firm when it lands with its consensus community at least this often.
FIRM_THRESHOLD = 0.8


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
    linear in the number of ties. On the igraph and Leiden routes ``G`` is converted once for all runs
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
    check_graph(G)
    resolution = check_resolution(resolution)
    implementation = implementation_for(G, method, resolution)
    params = {"weight": weight, "resolution": resolution, "seeds": seeds,
              "consensus_threshold": 0.5, "implementation": implementation}
    nodes = list(G)
    if implementation in ARRAY_IMPLEMENTATIONS:
        nodes, u, v, weights = weighted_edges(G, weight)
        run = labeller(len(nodes), u, v, weights, implementation)
        labels = []
        for s in seeds:
            labels.append(run(resolution, s))
            if on_run is not None:
                on_run(len(labels), len(seeds))
        run_modularity = tuple(edge_modularity(u, v, weights, x) for x in labels)
        ends = np.column_stack([u, v])
    else:
        runs = []
        for s in seeds:
            runs.append(louvain(G, weight=weight, resolution=resolution, seed=s, method=method))
            if on_run is not None:
                on_run(len(runs), len(seeds))
        labels = [np.array([m[n] for n in nodes], dtype=np.int64)
                  for m in (run.membership() for run in runs)]
        run_modularity = tuple(run.modularity for run in runs)
        ends = np.column_stack(edge_arrays(G, None)[1:3])
    u, v = ends[:, 0], ends[:, 1]
    share = (np.sum([x[u] == x[v] for x in labels], axis=0) / len(seeds)
             if len(u) else np.zeros(0))
    keep = (share >= 0.5) & (u != v)
    if implementation in ARRAY_IMPLEMENTATIONS:
        consensus = labeller(len(nodes), u[keep], v[keep], share[keep],
                             implementation)(1.0, seeds[0])
        communities = label_groups(nodes, consensus) if nodes else []
        modularity = edge_modularity(u, v, weights, consensus)
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
        modularity = modularity_of(H, communities, mod_weight)
    partition = Partition(communities, method="louvain-consensus", params=params,
                          seed=seeds[0], modularity=modularity)
    membership = partition.membership()
    frequency = (_frequency(nodes, np.array([membership[n] for n in nodes]), labels)
                 if nodes else {})
    firm = {node: f >= FIRM_THRESHOLD for node, f in frequency.items()}
    return Stability(partition=partition, frequency=frequency, firm=firm,
                     threshold=FIRM_THRESHOLD, seeds=seeds, run_modularity=run_modularity)
