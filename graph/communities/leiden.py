"""Leiden on edge arrays: networkit's ``ParallelLeiden`` run on one thread, seeded.

The default community method at every size (``method="leiden"``). networkit was chosen by
measurement over igraph's built-in ``community_leiden`` (the implementation before
2026-12-03) on the same graphs, same machine, one run (docs/core.md):

* 1,010,834 ties (1/30 nation): graph built from the arrays 0.10 s (igraph: 0.48 s, from
  Python int pairs), Leiden two iterations 0.27 s (igraph: 0.62 s), modularity 0.8526 (igraph:
  0.8513; python-louvain 0.8424).
* Karate, Les Misérables, the Florentine families and Davis's women: the same best and worst
  modularity over 10 seeds as igraph's Leiden (karate 0.4198, Les Misérables 0.5658–0.5667).

**One thread, so a seed fixes the partition.** networkit's moves are parallel (OpenMP) and, on
two threads, the same seed gave different partitions from run to run; its graph build from a
CSR (``GraphFromCsr``) on two threads also puts each node's neighbours in a different order
from run to run (150,000 ties are enough), and Leiden's moves follow that order. Both the
build and the run therefore set networkit's thread count to 1 for the call, under a lock, and
give the previous thread count back afterwards; the run also sets networkit's process-wide
seed (``networkit.setSeed``).

**Iterations.** Until stable (no node moves in a whole Leiden iteration) on graphs of up to
:data:`LEIDEN_STABLE_TIES` ties, :data:`LEIDEN_ITERATIONS` iterations above: at 1/10 nation,
three iterations cost 1.4× two for +0.03 % modularity.

Examples
--------
>>> import numpy as np
>>> u, v = np.array([0, 0, 1, 3, 3, 4]), np.array([1, 2, 2, 4, 5, 5])
>>> labels = run_leiden(networkit_graph(6, u, v, np.ones(6)), resolution=1.0, seed=0)
>>> labels.tolist()
[0, 0, 0, 1, 1, 1]
>>> round(edge_modularity(u, v, np.ones(6), labels), 3)
0.5
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import networkit as nk
import numpy as np
import scipy.sparse as sp

__all__ = ["LEIDEN_STABLE_TIES", "LEIDEN_ITERATIONS", "leiden_iterations", "networkit_graph",
           "run_leiden", "edge_modularity"]

#: Up to this many ties Leiden iterates until the partition is stable; above, it runs
#: :data:`LEIDEN_ITERATIONS` iterations (see the module notes).
LEIDEN_STABLE_TIES = 100_000
LEIDEN_ITERATIONS = 2

#: networkit's cap on iterations when asked to run until stable (it stops earlier).
_UNTIL_STABLE = 1_000

_NETWORKIT_LOCK = threading.Lock()


@contextmanager
def _one_thread() -> Iterator[None]:
    """networkit on one thread for the block (its thread count is process-wide: a lock)."""
    with _NETWORKIT_LOCK:
        threads = nk.getMaxNumberOfThreads()
        nk.setNumberOfThreads(1)
        try:
            yield
        finally:
            nk.setNumberOfThreads(threads)


def leiden_iterations(ties: int) -> int:
    """Leiden iterations for a graph of ``ties`` ties (−1: until stable).

    Examples
    --------
    >>> leiden_iterations(500), leiden_iterations(3_000_000)
    (-1, 2)
    """
    return -1 if ties <= LEIDEN_STABLE_TIES else LEIDEN_ITERATIONS


def networkit_graph(n: int, u: np.ndarray, v: np.ndarray, weights: np.ndarray):
    """An undirected, weighted ``networkit.Graph`` of ``n`` nodes with one edge per ``(u, v)``.

    Each pair must appear once (either orientation); a pair with ``u == v`` is a self-loop.
    Built from a CSR matrix through networkit's C++ ``fromCSR`` (no Python loop), on one
    thread so that every node's neighbours come in the same order on every run.

    Examples
    --------
    >>> G = networkit_graph(3, np.array([0, 1]), np.array([1, 2]), np.array([2.0, 0.5]))
    >>> G.numberOfNodes(), G.numberOfEdges(), G.totalEdgeWeight()
    (3, 2, 2.5)
    """
    u, v = np.asarray(u), np.asarray(v)
    low, high = np.minimum(u, v), np.maximum(u, v)  # the ends' own dtype (int32 on a core)
    weights = np.asarray(weights, dtype=np.float64)
    if len(low) and (np.diff(low) < 0).any():  # CSR rows in order (a core's ties already are)
        order = np.argsort(low, kind="stable")
        low, high, weights = low[order], high[order], weights[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(low, minlength=n), out=indptr[1:])
    del low
    upper = sp.csr_array((weights, high.astype(np.int64), indptr), shape=(n, n))
    del high
    with _one_thread():
        return nk.graph.GraphFromCsr(upper, directed=False, weighted=True)


def run_leiden(graph, *, resolution: float, seed: int) -> np.ndarray:
    """Community label per node of the networkit ``graph`` (see the module notes).

    Examples
    --------
    >>> G = networkit_graph(4, np.array([0, 2]), np.array([1, 3]), np.ones(2))
    >>> labels = run_leiden(G, resolution=1.0, seed=3)
    >>> bool(labels[0] == labels[1] != labels[2] == labels[3])
    True
    """
    iterations = leiden_iterations(graph.numberOfEdges())
    with _one_thread():
        nk.setSeed(int(seed), False)
        found = nk.community.ParallelLeiden(
            graph, iterations=_UNTIL_STABLE if iterations < 0 else iterations,
            randomize=True, gamma=float(resolution))
        found.run()
        labels = np.asarray(found.getPartition().getVector(), dtype=np.int64)
    return labels


def edge_modularity(u: np.ndarray, v: np.ndarray, weights: np.ndarray,
                    labels: np.ndarray) -> float:
    """Classic (γ = 1) weighted modularity of ``labels`` on the edges ``(u, v, weights)``, as
    networkx computes it (a self-loop counts once inside, twice in its node's strength);
    ``nan`` without edges or weight.

    Examples
    --------
    >>> u, v = np.array([0, 2]), np.array([1, 3])
    >>> edge_modularity(u, v, np.ones(2), np.array([0, 0, 1, 1]))
    0.5
    """
    weights = np.asarray(weights, dtype=float)
    total = float(weights.sum())
    if not len(weights) or total == 0:
        return float("nan")
    labels = np.asarray(labels)
    u, v = np.asarray(u), np.asarray(v)
    inside = float(weights[labels[u] == labels[v]].sum())
    strength = (np.bincount(u, weights, minlength=len(labels))
                + np.bincount(v, weights, minlength=len(labels)))
    volume = np.bincount(labels, strength)
    return inside / total - float((volume ** 2).sum()) / (4.0 * total * total)
