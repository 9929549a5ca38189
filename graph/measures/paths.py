"""Shortest-path measures: betweenness and harmonic closeness, exact or pivot-sampled.

Both run Brandes' breadth-first accumulation for a batch of sources at once (sparse matrix ×
dense block), on :data:`~graph.measures.matrix.WORKERS` threads. Up to ``exact_threshold``
nodes every node is a source (exact, equal to networkx); above it ``k`` pivot sources are
drawn with ``seed`` (Brandes & Pich 2007) and the estimate is rescaled exactly as networkx
rescales its ``k``-sampled betweenness. The result says which was used (:class:`Betweenness`).
Both count hops (tie weights are strengths, not distances). The helpers after the public
functions (:func:`pivot_sources`, :func:`brandes_sums`, the rescaling and standard errors) are
shared with :func:`graph.measures.table.organisation_measures`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from graph.errors import GraphError
from graph.measures.matrix import WORKERS, TieMatrix

__all__ = [
    "PIVOT_WORK",
    "MIN_PIVOTS",
    "Betweenness",
    "betweenness",
    "harmonic_closeness",
    "pivot_sources",
    "brandes_sums",
    "component_batches",
    "rescale_betweenness",
    "harmonic_values",
    "betweenness_se",
    "harmonic_se",
]

_BATCH = 128  # sources per Brandes batch, reduced on big graphs to keep n × batch ≤ _CELLS
_CELLS = 4_000_000


@dataclass(frozen=True)
class Betweenness:
    """Betweenness centrality and how it was computed.

    Attributes
    ----------
    values : dict
        Node → betweenness (normalised like networkx's ``normalized=True`` when ``normalized``).
    exact : bool
        True when every node was a source; False for a ``k``-pivot estimate.
    k : int
        Number of sources used (the node count when exact).
    seed : int or None
        Seed of the pivot sample (None when exact).
    normalized : bool
        Whether values are divided by the number of node pairs.
    """

    values: dict = field(repr=False)
    exact: bool
    k: int
    seed: int | None
    normalized: bool = True


def betweenness(G: nx.Graph, *, exact_threshold: int = 2000, k: int = 256,
                seed: int | None = 0, normalized: bool = True) -> Betweenness:
    """Betweenness centrality on hop distances, exact on small graphs and sampled on large ones.

    Parameters
    ----------
    G : nx.Graph
        Undirected tie graph; not modified.
    exact_threshold : int, keyword-only
        Graphs with at most this many nodes get exact betweenness (every node a source).
    k : int, keyword-only
        Number of pivot sources drawn above the threshold.
    seed : int or None, keyword-only
        Seed of the pivot sample.
    normalized : bool, keyword-only
        Divide by the number of node pairs (networkx's ``normalized=True``).

    Returns
    -------
    Betweenness
        Values and the method used (``exact``, ``k``, ``seed``).

    Raises
    ------
    GraphError
        For a directed or multi graph, or ``k < 2`` when sampling.

    Examples
    --------
    >>> b = betweenness(nx.path_graph(3))
    >>> b.values, b.exact, b.k
    ({0: 0.0, 1: 1.0, 2: 0.0}, True, 3)
    """
    m = TieMatrix(G, None)
    sources, exact = pivot_sources(m, exact_threshold, k, seed)
    dependency, _ = brandes_sums(m, sources)
    values = rescale_betweenness(m, dependency, sources, exact, normalized)
    return Betweenness(m.to_dict(values), exact, len(sources), None if exact else seed,
                       normalized)


def harmonic_closeness(G: nx.Graph, *, exact_threshold: int = 2000, k: int = 256,
                       seed: int | None = 0) -> dict:
    """Harmonic closeness: mean of 1/distance to every other organisation (0 if unreachable).

    This is networkx's ``harmonic_centrality`` divided by ``n − 1``, so it lies in [0, 1]
    and works on disconnected graphs. Above ``exact_threshold`` nodes it is estimated from
    ``k`` pivot sources (the mean over the pivots).

    Parameters
    ----------
    G : nx.Graph
        Undirected tie graph; not modified.
    exact_threshold, k, seed : keyword-only
        As in :func:`betweenness`.

    Returns
    -------
    dict
        Node → harmonic closeness.

    Examples
    --------
    >>> harmonic_closeness(nx.path_graph(3))
    {0: 0.75, 1: 1.0, 2: 0.75}
    """
    m = TieMatrix(G, None)
    sources, exact = pivot_sources(m, exact_threshold, k, seed)
    _, inverse = brandes_sums(m, sources)
    return m.to_dict(harmonic_values(m, inverse, sources, exact))


# --- shared with organisation_measures ------------------------------------------------------------


#: Work budget of the sampled measures: at most this many (pivot × stored tie) steps, so
#: the pivot count falls from ``k`` on graphs beyond ~8×10⁶ stored ties (both directions)
#: and cost stays linear in the ties; never fewer than :data:`MIN_PIVOTS`. The standard
#: errors reported with the estimates grow accordingly (``docs/core.md``).
PIVOT_WORK = 2_000_000_000
MIN_PIVOTS = 32


def pivot_sources(m: TieMatrix, exact_threshold: int, k: int, seed: int | None):
    if m.n <= exact_threshold or k >= m.n:
        return np.arange(m.n), True
    if k < 2:
        raise GraphError(f"betweenness sample size k must be at least 2, got {k}")
    k = min(k, max(MIN_PIVOTS, int(PIVOT_WORK // max(len(m.A.indices), 1))))
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(m.n, size=k, replace=False)), False


def _brandes_batch(A: sp.csr_array, src: np.ndarray) -> tuple[np.ndarray, ...]:
    """One batch of Brandes sources on the 0/1 adjacency ``A``: per node, the sums over the
    batch of δ_s(v), δ_s(v)², 1/d(s, v) and 1/d(s, v)² (see :func:`brandes_sums`)."""
    n = A.shape[0]
    b = len(src)
    cols = np.arange(b)
    inverse = np.zeros(n)
    inverse_sq = np.zeros(n)
    sigma = np.zeros((n, b))
    sigma[src, cols] = 1.0
    seen = sigma > 0
    levels = [seen.copy()]
    frontier = sigma.copy()
    depth = 0
    while True:
        nxt = A @ frontier
        nxt[seen] = 0.0
        new = nxt > 0
        if not new.any():
            break
        depth += 1
        seen |= new
        sigma += nxt
        frontier = nxt
        levels.append(new)
        reached = new.sum(axis=1)
        inverse += reached / depth
        inverse_sq += reached / depth ** 2
    delta = np.zeros((n, b))
    safe_sigma = np.where(sigma > 0, sigma, 1.0)
    for d in range(depth, 0, -1):
        coef = np.where(levels[d], (1.0 + delta) / safe_sigma, 0.0)
        contrib = A @ coef
        delta += np.where(levels[d - 1], sigma * contrib, 0.0)
    delta[src, cols] = 0.0
    return delta.sum(axis=1), np.einsum("ij,ij->i", delta, delta), inverse, inverse_sq


def brandes_sums(m: TieMatrix, sources: np.ndarray, *, batch: int | None = None,
             squares: dict | None = None):
    """Brandes' dependency sums and inverse-distance sums from ``sources`` (hop distances).

    Returns ``(dependency, inverse_distance)``: for each node v, the sum over sources s ≠ v of
    δ_s(v), and the sum over sources s ≠ v of 1/d(s, v) (0 when unreachable). With
    ``squares`` (a dict), also the sums of their squares under ``"dependency"`` and
    ``"inverse"`` (for the standard error of a sampled estimate).

    The sources go in batches (one sparse × dense product per breadth-first level), each
    batch on the connected component its sources lie in (:func:`component_batches`: a search
    never leaves its component, so a graph of many components costs the size of theirs, not
    of the whole graph per level); the batches run on :data:`WORKERS` threads, since scipy's
    sparse products release the GIL. The sums are added in batch order, so the result does
    not depend on the thread count.

    >>> import networkx as nx
    >>> m = TieMatrix(nx.Graph([(0, 1), (1, 2), (3, 4), (4, 5)]), None)
    >>> dependency, inverse = brandes_sums(m, np.arange(6))
    >>> dependency.tolist(), inverse.tolist()
    ([0.0, 2.0, 0.0, 0.0, 2.0, 0.0], [1.5, 2.0, 1.5, 1.5, 2.0, 1.5])
    """
    totals = [np.zeros(m.n) for _ in range(4)]
    tasks = component_batches(m, sources, batch)
    with ThreadPoolExecutor(max_workers=max(1, min(WORKERS, len(tasks)))) as pool:
        for nodes, part in pool.map(lambda task: (task[0], _brandes_batch(task[1], task[2])),
                                    tasks):
            for total, value in zip(totals, part):
                if nodes is None:
                    total += value
                else:
                    total[nodes] += value
    dependency, dependency_sq, inverse, inverse_sq = totals
    if squares is not None:
        squares["dependency"], squares["inverse"] = dependency_sq, inverse_sq
    return dependency, inverse


def component_batches(m: TieMatrix, sources: np.ndarray, batch: int | None = None) -> list:
    """The Brandes batches of ``sources``: ``(nodes, adjacency, local sources)`` each, where
    ``adjacency`` is the 0/1 matrix of the connected component the sources lie in and
    ``nodes`` its node positions (``None`` when the graph is one component: the whole
    matrix). Sources in components of one node are left out (they reach nobody). A batch
    holds at most ``batch`` sources (default: as many as keep component size × batch within
    a few million cells, and at least one batch per thread on a one-component graph).

    >>> import networkx as nx
    >>> m = TieMatrix(nx.Graph([(0, 1), (2, 3), (3, 4)]), None)
    >>> [(nodes.tolist(), src.tolist()) for nodes, _, src in component_batches(m, np.arange(5))]
    [([0, 1], [0, 1]), ([2, 3, 4], [0, 1, 2])]
    """
    sources = np.asarray(sources, dtype=np.int64)
    count, label = connected_components(m.A, directed=False) if m.n else (0, np.zeros(0, int))
    groups: list[tuple[np.ndarray | None, sp.csr_array, np.ndarray]] = []
    if count <= 1:
        groups.append((None, m.A, sources))
    else:
        by_label = np.argsort(label, kind="stable")
        starts = np.searchsorted(label[by_label], np.arange(count + 1))
        position = np.empty(m.n, dtype=np.int64)
        for c in np.unique(label[sources]).tolist():
            nodes = by_label[starts[c]:starts[c + 1]]
            if len(nodes) < 2:
                continue
            position[nodes] = np.arange(len(nodes))
            src = sources[label[sources] == c]
            groups.append((nodes, sp.csr_array(m.A[nodes][:, nodes]), position[src]))
    tasks = []
    for members, A, src in groups:
        size = batch
        if size is None:
            size = int(min(_BATCH, max(4, _CELLS // max(A.shape[0], 1))))
            if WORKERS > 1 and len(groups) == 1 and len(src) > 1:  # a batch per thread
                size = max(1, min(size, -(-len(src) // WORKERS)))
        tasks += [(members, A, src[start:start + size]) for start in range(0, len(src), size)]
    return tasks


def rescale_betweenness(m: TieMatrix, dependency, sources, exact, normalized):
    n = m.n
    values = dependency.astype(np.float64).copy()
    if n <= 2:
        return values
    k = len(sources)
    if exact:
        scale = 1.0 / ((n - 1) * (n - 2)) if normalized else 0.5
        return values * scale
    # networkx's rescaling of k-sampled betweenness with endpoints excluded
    is_source = np.zeros(n, dtype=bool)
    is_source[sources] = True
    if normalized:
        s_src, s_non = 1.0 / ((k - 1) * (n - 2)), 1.0 / (k * (n - 2))
    else:
        s_src, s_non = (n - 1) / ((k - 1) * 2), (n - 1) / (k * 2)
    return values * np.where(is_source, s_src, s_non)


def _standard_error(m: TieMatrix, total, total_sq, sources, exact, scale) -> np.ndarray:
    """Standard error of a pivot-sampled sum rescaled by ``scale`` (0 when exact).

    The k pivots are a simple random sample without replacement of the n nodes, so the sum
    over them of a per-source value x_s(v) estimates (n / k) × the sum over all nodes with
    variance n² (1 − k/n) S²(v) / k, S² the sample variance of x_s(v) over the pivots
    (a source's own term, 0, excluded). ``scale`` maps the pivot sum to the estimate."""
    n = m.n
    if exact or n <= 2:
        return np.zeros(n)
    is_source = np.zeros(n, dtype=bool)
    is_source[sources] = True
    used = np.where(is_source, len(sources) - 1, len(sources)).astype(float)
    mean = total / used
    variance = np.maximum(total_sq / used - mean ** 2, 0.0) * used / np.maximum(used - 1, 1)
    fpc = max(1.0 - len(sources) / n, 0.0)
    return scale * np.sqrt(used * variance * fpc)


def betweenness_se(m: TieMatrix, squares: dict, dependency, sources, exact) -> np.ndarray:
    unit = rescale_betweenness(m, np.ones(m.n), sources, exact, True)
    return _standard_error(m, dependency, squares["dependency"], sources, exact, unit)


def harmonic_se(m: TieMatrix, squares: dict, inverse, sources, exact) -> np.ndarray:
    unit = harmonic_values(m, np.ones(m.n), sources, exact)
    return _standard_error(m, inverse, squares["inverse"], sources, exact, unit)


def harmonic_values(m: TieMatrix, inverse, sources, exact):
    n = m.n
    if n <= 1:
        return np.zeros(n)
    if exact:
        return inverse / (n - 1)
    is_source = np.zeros(n, dtype=bool)
    is_source[sources] = True
    k = len(sources)
    used = np.where(is_source, k - 1, k)
    return inverse / np.maximum(used, 1)
