"""Shortest-path measures: betweenness and harmonic closeness, exact or pivot-sampled.

Both run Brandes' algorithm, one compiled breadth-first search per source
(:func:`graph.measures.kernels.brandes_pass`), on :data:`~graph.measures.matrix.WORKERS`
threads. Up to ``exact_threshold``
nodes every node is a source (exact, equal to networkx); above it ``k`` pivot sources are
drawn with ``seed`` (Brandes & Pich 2007) and the estimate is rescaled exactly as networkx
rescales its ``k``-sampled betweenness. The result says which was used (:class:`Betweenness`).
Both count hops (tie weights are strengths, not distances). The helpers after the public
functions (:func:`pivot_sources`, :func:`brandes_sums`, the rescaling and standard errors) are
shared with :func:`graph.measures.table.organisation_measures`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from graph.errors import GraphError
from graph.measures.kernels import brandes_pass, index_arrays
from graph.measures.matrix import TieMatrix, summed_in_order

__all__ = [
    "PIVOT_WORK",
    "MIN_PIVOTS",
    "SOURCES_PER_TASK",
    "Betweenness",
    "betweenness",
    "harmonic_closeness",
    "pivot_sources",
    "brandes_sums",
    "rescale_betweenness",
    "harmonic_values",
    "betweenness_se",
    "harmonic_se",
]

#: Sources per thread task of :func:`brandes_sums` (fixed, so that the sums are added in the
#: same groups whatever the thread count).
SOURCES_PER_TASK = 8


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


def brandes_sums(m: TieMatrix, sources: np.ndarray, *, squares: dict | None = None):
    """Brandes' dependency sums and inverse-distance sums from ``sources`` (hop distances).

    Returns ``(dependency, inverse_distance)``: for each node v, the sum over sources s ≠ v of
    δ_s(v), and the sum over sources s ≠ v of 1/d(s, v) (0 when unreachable). With
    ``squares`` (a dict), also the sums of their squares under ``"dependency"`` and
    ``"inverse"`` (for the standard error of a sampled estimate).

    One breadth-first search per source (:func:`graph.measures.kernels.brandes_pass`,
    compiled); the sources go in tasks of :data:`SOURCES_PER_TASK` on :data:`WORKERS`
    threads (:func:`~graph.measures.matrix.summed_in_order`: the result does not depend on
    the thread count).

    >>> import networkx as nx
    >>> m = TieMatrix(nx.Graph([(0, 1), (1, 2), (3, 4), (4, 5)]), None)
    >>> dependency, inverse = brandes_sums(m, np.arange(6))
    >>> dependency.tolist(), inverse.tolist()
    ([0.0, 2.0, 0.0, 0.0, 2.0, 0.0], [1.5, 2.0, 1.5, 1.5, 2.0, 1.5])
    """
    sources = np.ascontiguousarray(sources, dtype=np.int64)
    tasks = [sources[start:start + SOURCES_PER_TASK]
             for start in range(0, len(sources), SOURCES_PER_TASK)]
    indptr, indices = index_arrays(m.A)
    totals = summed_in_order(lambda task: brandes_pass(indptr, indices, task), tasks)
    if not totals:
        totals = [np.zeros(m.n) for _ in range(4)]
    dependency, dependency_sq, inverse, inverse_sq = totals
    if squares is not None:
        squares["dependency"], squares["inverse"] = dependency_sq, inverse_sq
    return dependency, inverse


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
