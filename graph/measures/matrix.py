"""What every measure shares: the tie graph as sparse matrices, its ties, a partition.

:class:`TieMatrix` builds the CSR matrices of a tie graph once (or takes them from a
``graph.core.view.CoreGraph``); :func:`edge_positions` gives the ties as index pairs and
:func:`component_labels` their connected components; :func:`community_membership` reads
a partition in any of the accepted shapes. :data:`WORKERS` is the thread count of the sampled measures and of the
masked products.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from graph.errors import GraphError

__all__ = ["WORKERS", "TieMatrix", "edge_positions", "component_labels", "community_membership",
           "summed_in_order"]

#: Threads of the sampled measures and of the masked products (scipy releases the GIL in
#: its sparse kernels); ``TSUNAGARI_THREADS`` overrides the machine's core count.
WORKERS = max(1, int(os.environ.get("TSUNAGARI_THREADS") or os.cpu_count() or 1))


def summed_in_order(run: Callable[[Any], tuple], tasks: list) -> list[np.ndarray]:
    """The element-wise sums of the arrays ``run(task)`` returns, over ``tasks``.

    The tasks run on :data:`WORKERS` threads (``run`` should release the GIL: a compiled
    ``nogil`` kernel), at most one result per thread held at a time; the results are added
    in task order, so the sums have the same bits whatever the thread count.

    >>> summed_in_order(lambda x: (np.full(2, x), np.ones(2)), [1.0, 2.0, 3.0])
    [array([6., 6.]), array([3., 3.])]
    """
    totals: list[np.ndarray] = []
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for wave in range(0, len(tasks), WORKERS):
            for part in pool.map(run, tasks[wave:wave + WORKERS]):
                if not totals:
                    totals = [np.array(value, dtype=np.float64) for value in part]
                    continue
                for total, value in zip(totals, part):
                    total += value
    return totals


class TieMatrix:
    """The graph as CSR matrices over a fixed node order (built once, read-only).

    ``W`` holds tie weights (1 when ``weight`` is None or the attribute is missing), ``A`` the
    0/1 adjacency; both symmetric, self-ties dropped.
    """

    def __init__(self, G: nx.Graph, weight: str | None):
        core = getattr(G, "tie_core", None)
        if core is not None:  # a graph.core.view.CoreGraph: take the arrays, not the dicts
            self.nodes = G.node_list()
            self.n = core.n
            if weight == "weight":
                self.W = G.weight_matrix
            elif weight is None:  # the view's matrix with unit values: no second tie build
                shared = G.weight_matrix
                self.W = sp.csr_array((np.ones(len(shared.indices)), shared.indices,
                                       shared.indptr), shape=shared.shape)
            else:
                self.W = core.matrix(weight)
            self._finish(unit=weight is None)
            return
        if G.is_directed() or G.is_multigraph():
            raise GraphError("expected an undirected simple graph (nx.Graph), got "
                             f"{type(G).__name__}")
        self.nodes = list(G)
        self.n = n = len(self.nodes)
        index = {node: i for i, node in enumerate(self.nodes)}
        adj = G.adj
        counts = np.fromiter((len(adj[v]) for v in self.nodes), dtype=np.int64, count=n)
        cols = np.fromiter((index[u] for v in self.nodes for u in adj[v]), dtype=np.int64,
                           count=int(counts.sum()))
        rows = np.repeat(np.arange(n, dtype=np.int64), counts)
        if weight is None:
            vals = np.ones(len(cols))
        else:
            raw = [d.get(weight, 1.0) for v in self.nodes for d in adj[v].values()]
            try:
                vals = np.asarray(raw, dtype=np.float64)
            except (TypeError, ValueError) as exc:
                raise GraphError(f"tie weights ({weight!r}) must be numbers") from exc
            bad = ~np.isfinite(vals) | (vals < 0)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise GraphError(f"tie {self.nodes[rows[i]]!r}–{self.nodes[cols[i]]!r} has "
                                 f"invalid weight {raw[i]!r}")
        keep = rows != cols
        self.W = sp.csr_array((vals[keep], (rows[keep], cols[keep])), shape=(n, n))
        self.W.sort_indices()
        self._finish(unit=weight is None)

    def _finish(self, *, unit: bool) -> None:
        n = self.n
        # an unweighted W is its own adjacency (gaps count ties: 0.5 GB of ones saved at
        # nation size)
        self.A = self.W if unit else sp.csr_array(
            (np.ones(len(self.W.indices)), self.W.indices, self.W.indptr), shape=(n, n))
        self.degree = np.diff(self.A.indptr).astype(np.float64)
        self.strength = np.asarray(self.W.sum(axis=1)).ravel()

    def to_dict(self, values: np.ndarray) -> dict:
        return {node: float(x) for node, x in zip(self.nodes, values)}


def _own_core(G: nx.Graph, nodes: list):
    """The tie core behind ``G`` when ``nodes`` is its own node order, else None."""
    core = getattr(G, "tie_core", None)
    return core if core is not None and nodes == G.node_list() else None


def edge_positions(G: nx.Graph, nodes: list) -> tuple[np.ndarray, np.ndarray]:
    """The ties as two int arrays ``(u, v)`` of positions in ``nodes`` (``u < v``, self-ties
    dropped). On a tie core in its own order they are the core's int32 arrays themselves (no
    copy: 250 MB at nation size); otherwise int64.

    >>> u, v = edge_positions(nx.path_graph(3), [0, 1, 2])
    >>> u.tolist(), v.tolist()
    ([0, 1], [1, 2])
    """
    core = _own_core(G, nodes)
    if core is not None:
        return core.u, core.v
    index = {node: i for i, node in enumerate(nodes)}
    adj = G.adj
    counts = np.fromiter((len(adj[v]) for v in nodes), dtype=np.int64, count=len(nodes))
    cols = np.fromiter((index[u] for v in nodes for u in adj[v]), dtype=np.int64,
                       count=int(counts.sum()))
    rows = np.repeat(np.arange(len(nodes), dtype=np.int64), counts)
    keep = rows < cols
    return rows[keep], cols[keep]


def component_labels(G: nx.Graph, nodes: list) -> np.ndarray:
    """The connected component of each of ``nodes``, as int labels. On a tie core in its own
    order, the view's (``CoreGraph.component_labels``: counted once per view, on its shared
    weight matrix); otherwise from :func:`edge_positions`.

    >>> component_labels(nx.Graph([(0, 1), (2, 3)]), [0, 1, 2, 3]).tolist()
    [0, 0, 1, 1]
    """
    if _own_core(G, nodes) is not None:
        return G.component_labels
    if not nodes:
        return np.zeros(0, dtype=np.int32)
    u, v = edge_positions(G, nodes)
    ties = sp.csr_array((np.ones(len(u)), (u, v)), shape=(len(nodes), len(nodes)))
    return connected_components(ties, directed=False)[1]


def community_membership(G: nx.Graph, partition: Any) -> dict:
    """Node → community index from a Partition, a dict, or an iterable of node sets."""
    if partition is None:
        raise GraphError("a community partition is required")
    if hasattr(partition, "membership"):
        membership = dict(partition.membership())
    elif isinstance(partition, Mapping):
        membership = dict(partition)
    else:
        membership = {}
        for i, community in enumerate(partition):
            for node in community:
                if node in membership:
                    raise GraphError(f"node {node!r} is in more than one community")
                membership[node] = i
    missing = [node for node in G if node not in membership]
    if missing:
        raise GraphError(f"{len(missing)} node(s) have no community, e.g. {missing[0]!r}")
    return membership
