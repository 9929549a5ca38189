"""Per-organisation network measures: who holds the network together, and how.

Every function takes the undirected organisation tie graph (``graph.build.tie_graph``) first,
never mutates it, and returns plain data: a dict keyed by node for one measure, a DataFrame
indexed by organisation id for several. :func:`organisation_measures` computes them all at
once on one sparse matrix, which is how the analysis and the dashboard call them.

The heavy measures are vectorised with scipy sparse matrices so that a city-sized graph
(~10⁴ organisations, ~10⁵ ties) takes seconds:

- betweenness and harmonic closeness run Brandes' breadth-first accumulation for a batch of
  sources at once (sparse matrix × dense block). Up to ``exact_threshold`` nodes every node is
  a source (exact, equal to networkx); above it ``k`` pivot sources are drawn with ``seed``
  (Brandes & Pich 2007) and the estimate is rescaled exactly as networkx rescales its
  ``k``-sampled betweenness. The result says which was used (:class:`Betweenness`).
  Both count hops (tie weights are strengths, not distances).
- Burt's constraint and effective size are evaluated only on existing ties (``(P @ P)`` masked
  by the adjacency), giving networkx's values without networkx's dense intermediate.
- PageRank is a power iteration on the same matrix, with networkx's dangling-node rule and
  stopping test.

Guimerà–Amaral roles (Guimerà & Amaral 2005, *Nature* 433:895) place each node by its
within-community degree z-score and participation coefficient P:

====  ====================  ===========================
role  name                  rule
====  ====================  ===========================
R1    ultra-peripheral      z < 2.5, P ≤ 0.05
R2    peripheral            z < 2.5, 0.05 < P ≤ 0.62
R3    connector             z < 2.5, 0.62 < P ≤ 0.80
R4    kinless               z < 2.5, P > 0.80
R5    provincial hub        z ≥ 2.5, P ≤ 0.30
R6    connector hub         z ≥ 2.5, 0.30 < P ≤ 0.75
R7    kinless hub           z ≥ 2.5, P > 0.75
====  ====================  ===========================

Examples
--------
>>> import networkx as nx
>>> G = nx.star_graph(3)
>>> row = organisation_measures(G, weight=None).loc[0]
>>> int(row["degree"]), float(row["effective_size"]), float(row["constraint"])
(3, 3.0, 0.3333333333333333)
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Mapping

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from graph.core.view import node_values
from graph.errors import GraphError

__all__ = [
    "SECTORS",
    "SECTOR_LABELS_JA",
    "ROLE_NAMES",
    "ROLE_NAMES_JA",
    "Betweenness",
    "sector_of",
    "degree",
    "strength",
    "betweenness",
    "harmonic_closeness",
    "pagerank",
    "constraint",
    "effective_size",
    "within_module_degree",
    "participation_coefficient",
    "role",
    "guimera_amaral_roles",
    "bridging_counts",
    "organisation_measures",
]

#: Organisation kind → sector, the unit of "cross-sector" ties and of the ward × sector matrix.
SECTORS: Mapping[str, str] = {
    "neighbourhood_association": "community",
    "council": "community",
    "citizen_group": "civic",
    "npo": "civic",
    "company": "business",
    "public_agency": "public",
    "intermediary": "intermediary",
    "school": "education",
    "religious": "religious",
    "other": "other",
}

#: Japanese label of each sector.
SECTOR_LABELS_JA: Mapping[str, str] = {
    "community": "地域団体",
    "civic": "市民活動団体・NPO",
    "business": "企業",
    "public": "行政・公的機関",
    "intermediary": "中間支援組織",
    "education": "学校",
    "religious": "宗教法人",
    "other": "その他",
}

#: Guimerà–Amaral role code → English name.
ROLE_NAMES: Mapping[str, str] = {
    "R1": "ultra-peripheral",
    "R2": "peripheral",
    "R3": "connector",
    "R4": "kinless",
    "R5": "provincial hub",
    "R6": "connector hub",
    "R7": "kinless hub",
}

#: Guimerà–Amaral role code → Japanese name.
ROLE_NAMES_JA: Mapping[str, str] = {
    "R1": "超周辺",
    "R2": "周辺",
    "R3": "連結役",
    "R4": "無所属型",
    "R5": "地域ハブ",
    "R6": "連結ハブ",
    "R7": "無所属ハブ",
}

_HUB_Z = 2.5
_NONHUB_P = (0.05, 0.62, 0.80)
_HUB_P = (0.30, 0.75)
_BATCH = 128  # sources per Brandes batch, reduced on big graphs to keep n × batch ≤ _CELLS
_CELLS = 4_000_000
_NO_NAME = object()  # a node without a name attribute is named by its id
#: Threads of the sampled measures and of the masked products (scipy releases the GIL in
#: its sparse kernels); ``TSUNAGARI_THREADS`` overrides the machine's core count.
WORKERS = max(1, int(os.environ.get("TSUNAGARI_THREADS") or os.cpu_count() or 1))


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


# --- shared helpers --------------------------------------------------------------------------


class _Matrix:
    """The graph as CSR matrices over a fixed node order (built once, read-only).

    ``W`` holds tie weights (1 when ``weight`` is None or the attribute is missing), ``A`` the
    0/1 adjacency; both symmetric, self-ties dropped.
    """

    def __init__(self, G: nx.Graph, weight: str | None):
        core = getattr(G, "tie_core", None)
        if core is not None:  # a graph.core.view.CoreGraph: take the arrays, not the dicts
            self.nodes = G.node_list()
            self.n = core.n
            self.W = core.matrix(weight)
            self._finish()
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
        self._finish()

    def _finish(self) -> None:
        n = self.n
        self.A = sp.csr_array((np.ones(len(self.W.indices)), self.W.indices, self.W.indptr),
                              shape=(n, n))
        self.degree = np.diff(self.A.indptr).astype(np.float64)
        self.strength = np.asarray(self.W.sum(axis=1)).ravel()

    def to_dict(self, values: np.ndarray) -> dict:
        return {node: float(x) for node, x in zip(self.nodes, values)}


def _edges(G: nx.Graph, nodes: list) -> np.ndarray:
    """The ties as an (E, 2) int array of positions in ``nodes`` (i < j, self-ties dropped)."""
    if getattr(G, "tie_core", None) is not None and nodes == G.node_list():
        return G.edge_array()
    index = {node: i for i, node in enumerate(nodes)}
    adj = G.adj
    counts = np.fromiter((len(adj[v]) for v in nodes), dtype=np.int64, count=len(nodes))
    cols = np.fromiter((index[u] for v in nodes for u in adj[v]), dtype=np.int64,
                       count=int(counts.sum()))
    rows = np.repeat(np.arange(len(nodes), dtype=np.int64), counts)
    keep = rows < cols
    return np.column_stack([rows[keep], cols[keep]])


#: Work budget of the sampled measures: at most this many (pivot × stored tie) steps, so
#: the pivot count falls from ``k`` on graphs beyond ~8×10⁶ stored ties (both directions)
#: and cost stays linear in the ties; never fewer than :data:`MIN_PIVOTS`. The standard
#: errors reported with the estimates grow accordingly (``docs/core.md``).
PIVOT_WORK = 2_000_000_000
MIN_PIVOTS = 32


def _sources(m: _Matrix, exact_threshold: int, k: int, seed: int | None):
    if m.n <= exact_threshold or k >= m.n:
        return np.arange(m.n), True
    if k < 2:
        raise GraphError(f"betweenness sample size k must be at least 2, got {k}")
    k = min(k, max(MIN_PIVOTS, int(PIVOT_WORK // max(len(m.A.indices), 1))))
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(m.n, size=k, replace=False)), False


def _brandes_batch(A: sp.csr_array, src: np.ndarray) -> tuple[np.ndarray, ...]:
    """One batch of Brandes sources on the 0/1 adjacency ``A``: per node, the sums over the
    batch of δ_s(v), δ_s(v)², 1/d(s, v) and 1/d(s, v)² (see :func:`_brandes`)."""
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


def _brandes(m: _Matrix, sources: np.ndarray, *, batch: int | None = None,
             squares: dict | None = None):
    """Brandes' dependency sums and inverse-distance sums from ``sources`` (hop distances).

    Returns ``(dependency, inverse_distance)``: for each node v, the sum over sources s ≠ v of
    δ_s(v), and the sum over sources s ≠ v of 1/d(s, v) (0 when unreachable). With
    ``squares`` (a dict), also the sums of their squares under ``"dependency"`` and
    ``"inverse"`` (for the standard error of a sampled estimate).

    The sources go in batches (one sparse × dense product per BFS level); the batches run
    on :data:`WORKERS` threads, since scipy's sparse products release the GIL. The sums are
    added in batch order, so the result does not depend on the thread count.
    """
    n = m.n
    if batch is None:
        batch = int(min(_BATCH, max(4, _CELLS // max(n, 1))))
        if WORKERS > 1 and len(sources) > 1:  # at least one batch per thread
            batch = max(1, min(batch, -(-len(sources) // WORKERS)))
    batches = [sources[start:start + batch] for start in range(0, len(sources), batch)]
    totals = [np.zeros(n) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=max(1, min(WORKERS, len(batches)))) as pool:
        for part in pool.map(lambda src: _brandes_batch(m.A, src), batches):
            for total, value in zip(totals, part):
                total += value
    dependency, dependency_sq, inverse, inverse_sq = totals
    if squares is not None:
        squares["dependency"], squares["inverse"] = dependency_sq, inverse_sq
    return dependency, inverse


def _rescale_betweenness(m: _Matrix, dependency, sources, exact, normalized):
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


def _standard_error(m: _Matrix, total, total_sq, sources, exact, scale) -> np.ndarray:
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


def _betweenness_se(m: _Matrix, squares: dict, dependency, sources, exact) -> np.ndarray:
    unit = _rescale_betweenness(m, np.ones(m.n), sources, exact, True)
    return _standard_error(m, dependency, squares["dependency"], sources, exact, unit)


def _harmonic_se(m: _Matrix, squares: dict, inverse, sources, exact) -> np.ndarray:
    unit = _harmonic_values(m, np.ones(m.n), sources, exact)
    return _standard_error(m, inverse, squares["inverse"], sources, exact, unit)


def _harmonic_values(m: _Matrix, inverse, sources, exact):
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


def _masked_product(X: sp.csr_array, Y: sp.csr_array, mask: sp.csr_array,
                    rows: int = 2048) -> sp.csr_array:
    """(X @ Y) kept only where ``mask`` is non-zero, computed a block of rows at a time so the
    full product (much denser than the graph) never sits in memory; the blocks run on
    :data:`WORKERS` threads and are stacked in row order."""
    if X.shape[0] == 0:
        return sp.csr_array(X.shape)

    def block(start: int) -> sp.csr_array:
        stop = min(start + rows, X.shape[0])
        return sp.csr_array(sp.csr_array(X[start:stop] @ Y).multiply(mask[start:stop]))

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        blocks = list(pool.map(block, range(0, X.shape[0], rows)))
    return sp.csr_array(sp.vstack(blocks, format="csr"))


def _burt_values(m: _Matrix) -> tuple[np.ndarray, np.ndarray]:
    """Burt's constraint and effective size of every node, from one masked sparse product.

    With s the strengths, m the largest tie weight of each node, P = diag(1/s) W and
    M = diag(1/m) W:

    * constraint needs (P @ P) on the ties, = diag(1/s) (W diag(1/s) W);
    * effective size needs (P @ Mᵀ) on the ties, = diag(1/s) (W W) diag(1/m).

    Both inner products share W on the left, so one complex product
    W @ (diag(1/s) W + i·W), read only on existing ties, gives the first as its real part and
    the second as its imaginary part: one pass over the 2-paths instead of two.
    """
    W = m.W
    with np.errstate(divide="ignore"):
        inv_sum = np.where(m.strength > 0, 1.0 / m.strength, 0.0)
        row_max = W.max(axis=1).toarray().ravel() if m.n else np.zeros(0)
        inv_max = np.where(row_max > 0, 1.0 / np.where(row_max > 0, row_max, 1.0), 0.0)
    scale_rows = sp.diags_array(inv_sum)
    both = _masked_product(sp.csr_array(W, dtype=complex),
                           sp.csr_array(scale_rows @ W + 1j * W), m.A)
    P = sp.csr_array(scale_rows @ W)
    local = sp.csr_array(P + scale_rows @ sp.csr_array(both.real)).tocsr()
    local.data **= 2
    constraint_ = np.asarray(local.sum(axis=1)).ravel()
    redundancy = sp.csr_array(scale_rows @ sp.csr_array(both.imag) @ sp.diags_array(inv_max))
    effective = m.degree - np.asarray(redundancy.sum(axis=1)).ravel()
    constraint_[m.degree == 0] = np.nan
    effective[m.degree == 0] = np.nan
    return constraint_, effective


def _pagerank_values(m: _Matrix, alpha=0.85, max_iter=100, tol=1.0e-6) -> np.ndarray:
    n = m.n
    if n == 0:
        return np.zeros(0)
    S = m.strength
    dangling = S == 0
    inv = np.where(dangling, 0.0, 1.0 / np.where(dangling, 1.0, S))
    QT = sp.csr_array((sp.diags_array(inv) @ m.W).T)
    x = np.full(n, 1.0 / n)
    p = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        xlast = x
        x = alpha * (QT @ x + x[dangling].sum() * p) + (1 - alpha) * p
        if np.abs(x - xlast).sum() < n * tol:
            return x
    raise GraphError(f"PageRank did not converge in {max_iter} iterations")


def _membership(G: nx.Graph, partition: Any) -> dict:
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


def _roles_arrays(m: _Matrix, membership: Mapping, weighted: bool):
    """z-scores, participation coefficients, communities reached and labels (vectorised)."""
    labels = pd.factorize(pd.Series([membership[v] for v in m.nodes], dtype=object))[0]
    n_comm = int(labels.max()) + 1 if m.n else 0
    M = m.W if weighted else m.A
    C = sp.csr_array((np.ones(m.n), (np.arange(m.n), labels)), shape=(m.n, max(n_comm, 1)))
    K = sp.csr_array(M @ C)  # node × community tie counts (or weights), sparse
    k = np.asarray(K.sum(axis=1)).ravel()
    row_of = np.repeat(np.arange(m.n), np.diff(K.indptr))
    own = np.zeros(m.n)
    is_own = K.indices == labels[row_of]
    own[row_of[is_own]] = K.data[is_own]
    size = np.bincount(labels, minlength=n_comm).astype(float) if m.n else np.zeros(0)
    mean = (np.bincount(labels, weights=own, minlength=n_comm) / np.maximum(size, 1))[labels] \
        if m.n else np.zeros(0)
    var = (np.bincount(labels, weights=own ** 2, minlength=n_comm) / np.maximum(size, 1))[
        labels] - mean ** 2 if m.n else np.zeros(0)
    std = np.sqrt(np.maximum(var, 0.0))
    ok = std > 1e-12 * np.maximum(1.0, np.abs(mean))
    z = np.where(ok, (own - mean) / np.where(ok, std, 1.0), 0.0)
    share_sq = np.zeros(m.n)
    if m.n:
        share = K.data / np.where(k > 0, k, 1.0)[row_of]
        np.add.at(share_sq, row_of, share ** 2)
    P = np.where(k > 0, 1.0 - share_sq, 0.0)
    linked = np.diff(K.indptr) + ((m.degree > 0) & (own == 0))
    return z, P, linked.astype(int), labels


def _roles(z: np.ndarray, P: np.ndarray) -> np.ndarray:
    """Vectorised :func:`role`."""
    hub = z >= _HUB_Z
    nonhub = np.select([P <= _NONHUB_P[0], P <= _NONHUB_P[1], P <= _NONHUB_P[2]],
                       ["R1", "R2", "R3"], "R4")
    hubs = np.select([P <= _HUB_P[0], P <= _HUB_P[1]], ["R5", "R6"], "R7")
    return np.where(hub, hubs, nonhub).astype(object)


def _onehot(m: _Matrix, values: list) -> tuple[sp.csr_array, np.ndarray]:
    """n × k indicator of a categorical node value (missing → no column) and codes (−1)."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    has = codes >= 0
    onehot = sp.csr_array((np.ones(int(has.sum())), (np.flatnonzero(has), codes[has])),
                          shape=(m.n, max(len(uniques), 1)))
    return onehot, codes


def _bridging_arrays(G: nx.Graph, m: _Matrix) -> dict:
    sectors = [sector_of(kind) for kind in node_values(G, m.nodes, "kind")]
    wards = [w or None for w in node_values(G, m.nodes, "ward")]
    orient = np.array(node_values(G, m.nodes, "orientation"), dtype=object)
    A = m.A
    rows = np.arange(m.n)
    S, s_code = _onehot(m, sectors)
    per_sector = sp.csr_array(A @ S)
    same_sector = per_sector[rows, s_code] if m.n else np.zeros(0)
    Wd, w_code = _onehot(m, wards)
    per_ward = sp.csr_array(A @ Wd)
    has_ward = (w_code >= 0).astype(float)
    same_ward = np.where(w_code >= 0, per_ward[rows, np.maximum(w_code, 0)], 0.0) \
        if m.n else np.zeros(0)
    cross_ward = np.where(w_code >= 0, A @ has_ward - same_ward, 0.0)
    territorial = (orient == "territorial").astype(float)
    thematic = (orient == "thematic").astype(float)
    tt = territorial * (A @ thematic) + thematic * (A @ territorial)
    return {
        "cross_sector": np.rint(m.degree - same_sector).astype(int),
        "cross_ward": np.rint(cross_ward).astype(int),
        "territorial_thematic": np.rint(tt).astype(int),
        "sectors_linked": np.diff(per_sector.indptr).astype(int) if m.n else np.zeros(0, int),
        "wards_linked": np.diff(per_ward.indptr).astype(int) if m.n else np.zeros(0, int),
    }


def sector_of(kind: str | None) -> str:
    """The sector of an organisation kind (see :data:`SECTORS`); ``"other"`` when unknown.

    Examples
    --------
    >>> sector_of("npo"), sector_of("company"), sector_of(None)
    ('civic', 'business', 'other')
    """
    return SECTORS.get(kind or "other", "other")


# --- public measures --------------------------------------------------------------------------


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
    m = _Matrix(G, None)
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
    m = _Matrix(G, weight)
    return m.to_dict(m.strength)


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
    m = _Matrix(G, None)
    sources, exact = _sources(m, exact_threshold, k, seed)
    dependency, _ = _brandes(m, sources)
    values = _rescale_betweenness(m, dependency, sources, exact, normalized)
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
    m = _Matrix(G, None)
    sources, exact = _sources(m, exact_threshold, k, seed)
    _, inverse = _brandes(m, sources)
    return m.to_dict(_harmonic_values(m, inverse, sources, exact))


def pagerank(G: nx.Graph, *, weight: str | None = "weight", alpha: float = 0.85,
             max_iter: int = 100, tol: float = 1.0e-6) -> dict:
    """PageRank with uniform teleport; equal to ``nx.pagerank`` with the same parameters.

    Parameters
    ----------
    G : nx.Graph
        Undirected tie graph; not modified.
    weight : str or None, keyword-only
        Edge attribute used as weight; None counts ties.
    alpha, max_iter, tol : keyword-only
        Damping factor, iteration cap and convergence tolerance (networkx's meaning).

    Returns
    -------
    dict
        Node → PageRank (sums to 1).

    Raises
    ------
    GraphError
        If the iteration does not converge.

    Examples
    --------
    >>> pr = pagerank(nx.star_graph(2))
    >>> round(pr[0], 3), round(pr[1], 3)
    (0.486, 0.257)
    """
    m = _Matrix(G, weight)
    return m.to_dict(_pagerank_values(m, alpha, max_iter, tol))


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
    m = _Matrix(G, weight)
    return m.to_dict(_burt_values(m)[0])


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
    m = _Matrix(G, weight)
    return m.to_dict(_burt_values(m)[1])


def within_module_degree(G: nx.Graph, partition: Any, *, weight: str | None = None) -> dict:
    """Within-community degree z-score (Guimerà & Amaral 2005).

    z_i = (κ_i − mean κ_s) / std κ_s, with κ_i the ties of i inside its own community s and
    the mean and (population) standard deviation over the members of s; 0 when std is 0.

    Parameters
    ----------
    G : nx.Graph
        Undirected tie graph; not modified.
    partition : Partition, dict or iterable of sets
        Communities covering every node.
    weight : str or None, keyword-only
        None (the published definition) counts ties; a name uses tie weights.

    Returns
    -------
    dict
        Node → z.

    Raises
    ------
    GraphError
        If a node has no community.

    Examples
    --------
    >>> z = within_module_degree(nx.star_graph(3), [{0, 1, 2, 3}])
    >>> round(z[0], 3), round(z[1], 3)
    (1.732, -0.577)
    """
    m = _Matrix(G, weight)
    z, _, _, _ = _roles_arrays(m, _membership(G, partition), weight is not None)
    return m.to_dict(z)


def participation_coefficient(G: nx.Graph, partition: Any, *,
                              weight: str | None = None) -> dict:
    """Participation coefficient P_i = 1 − Σ_s (κ_is / k_i)²; 0 for isolated nodes.

    P is 0 when all of i's ties stay in one community and approaches 1 when they are spread
    evenly over many.

    Parameters
    ----------
    G : nx.Graph
        Undirected tie graph; not modified.
    partition : Partition, dict or iterable of sets
        Communities covering every node.
    weight : str or None, keyword-only
        None counts ties; a name uses tie weights.

    Returns
    -------
    dict
        Node → P.

    Raises
    ------
    GraphError
        If a node has no community.

    Examples
    --------
    >>> G = nx.barbell_graph(3, 0)  # two triangles joined by the tie 2–3
    >>> participation_coefficient(G, [{0, 1, 2}, {3, 4, 5}])[2]
    0.4444444444444444
    """
    m = _Matrix(G, weight)
    _, P, _, _ = _roles_arrays(m, _membership(G, partition), weight is not None)
    return m.to_dict(P)


def role(z: float, p: float) -> str:
    """The Guimerà–Amaral role code (R1–R7) of a node with z-score ``z`` and participation ``p``.

    Parameters
    ----------
    z : float
        Within-community degree z-score; hubs have z ≥ 2.5.
    p : float
        Participation coefficient.

    Returns
    -------
    str
        ``"R1"`` … ``"R7"`` (names in :data:`ROLE_NAMES`).

    Examples
    --------
    >>> role(0.0, 0.0), role(0.0, 0.7), role(3.0, 0.5), role(3.0, 0.9)
    ('R1', 'R3', 'R6', 'R7')
    """
    if z >= _HUB_Z:
        if p <= _HUB_P[0]:
            return "R5"
        return "R6" if p <= _HUB_P[1] else "R7"
    if p <= _NONHUB_P[0]:
        return "R1"
    if p <= _NONHUB_P[1]:
        return "R2"
    return "R3" if p <= _NONHUB_P[2] else "R4"


def guimera_amaral_roles(G: nx.Graph, partition: Any, *,
                         weight: str | None = None) -> pd.DataFrame:
    """Within-community z, participation coefficient, role and number of communities reached.

    Parameters
    ----------
    G : nx.Graph
        Undirected tie graph; not modified.
    partition : Partition, dict or iterable of sets
        Communities covering every node.
    weight : str or None, keyword-only
        None (published definition) counts ties.

    Returns
    -------
    pandas.DataFrame
        Indexed by node: ``within_module_z``, ``participation_coefficient``, ``role``,
        ``role_name``, ``communities_linked`` (distinct communities among i's partners and
        its own, 0 for isolates).

    Examples
    --------
    >>> df = guimera_amaral_roles(nx.barbell_graph(3, 0), [{0, 1, 2}, {3, 4, 5}])
    >>> df.loc[[0, 2], ["role", "communities_linked"]].values.tolist()
    [['R1', 1], ['R2', 2]]
    """
    m = _Matrix(G, weight)
    z, P, linked, _ = _roles_arrays(m, _membership(G, partition), weight is not None)
    roles = _roles(z, P)
    return pd.DataFrame({
        "within_module_z": z,
        "participation_coefficient": P,
        "role": roles,
        "role_name": pd.Series(roles, dtype=object).map(ROLE_NAMES).to_numpy(),
        "communities_linked": linked,
    }, index=pd.Index(m.nodes, name="id"))


def bridging_counts(G: nx.Graph) -> pd.DataFrame:
    """Ties that cross a sector, a ward, or the territorial ↔ thematic divide, per organisation.

    Uses node attributes ``kind`` (mapped by :data:`SECTORS`), ``ward`` and ``orientation``;
    a tie counts as cross-ward / territorial↔thematic only when both ends carry the value.

    Parameters
    ----------
    G : nx.Graph
        Undirected tie graph; not modified.

    Returns
    -------
    pandas.DataFrame
        Indexed by node: ``cross_sector``, ``cross_ward``, ``territorial_thematic``,
        ``sectors_linked`` (distinct sectors among the partners), ``wards_linked``.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("a", "c")])
    >>> nx.set_node_attributes(G, {"a": "npo", "b": "company", "c": "npo"}, "kind")
    >>> nx.set_node_attributes(G, {"a": "北区", "b": "北区", "c": "西区"}, "ward")
    >>> bridging_counts(G).loc["a"].tolist()
    [1, 1, 0, 2, 2]
    """
    m = _Matrix(G, None)
    return pd.DataFrame(_bridging_arrays(G, m), index=pd.Index(m.nodes, name="id"))


def organisation_measures(G: nx.Graph, partition: Any = None, *,
                          weight: str | None = "weight", exact_threshold: int = 2000,
                          k: int = 256, seed: int | None = 0) -> pd.DataFrame:
    """Every per-organisation measure in one frame, computed on one shared sparse matrix.

    Parameters
    ----------
    G : nx.Graph
        Undirected tie graph; not modified.
    partition : Partition, dict or iterable of sets, optional
        Communities; when given, Guimerà–Amaral columns and ``community`` are added.
    weight : str or None, keyword-only
        Tie weight for strength, PageRank, constraint and effective size. Betweenness and
        closeness count hops; roles count ties (published definitions).
    exact_threshold, k, seed : keyword-only
        Betweenness / closeness method (see :func:`betweenness`).

    Returns
    -------
    pandas.DataFrame
        Indexed by node (``id``): ``name, kind, ward, degree, strength, betweenness,
        harmonic_closeness, pagerank, constraint, effective_size, betweenness_se,
        harmonic_closeness_se`` (standard errors of the two sampled estimates, 0 when
        exact; see ``docs/core.md``), the bridging counts of
        :func:`bridging_counts` and, with a partition, ``community, within_module_z,
        participation_coefficient, role, role_name, communities_linked``.
        ``frame.attrs["betweenness"]`` records ``{"exact", "k", "seed", "normalized",
        "max_standard_error", "closeness_max_standard_error"}``.

    Examples
    --------
    >>> G = nx.florentine_families_graph()
    >>> df = organisation_measures(G)
    >>> df["betweenness"].idxmax(), round(float(df.loc["Medici", "betweenness"]), 3)
    ('Medici', 0.522)
    >>> df.attrs["betweenness"]["exact"]
    True
    """
    m = _Matrix(G, weight)
    sources, exact = _sources(m, exact_threshold, k, seed)
    squares: dict = {}
    dependency, inverse = _brandes(m, sources, squares=squares)
    constraint_, effective = _burt_values(m)
    frame = pd.DataFrame({
        "name": [str(v) if x is _NO_NAME else x
                 for v, x in zip(m.nodes, node_values(G, m.nodes, "name", _NO_NAME))],
        "kind": node_values(G, m.nodes, "kind"),
        "ward": node_values(G, m.nodes, "ward"),
        "degree": m.degree.astype(int),
        "strength": m.strength,
        "betweenness": _rescale_betweenness(m, dependency, sources, exact, True),
        "harmonic_closeness": _harmonic_values(m, inverse, sources, exact),
        "pagerank": _pagerank_values(m),
        "constraint": constraint_,
        "effective_size": effective,
        "betweenness_se": _betweenness_se(m, squares, dependency, sources, exact),
        "harmonic_closeness_se": _harmonic_se(m, squares, inverse, sources, exact),
    }, index=pd.Index(m.nodes, name="id"))
    bridging = _bridging_arrays(G, m)
    for column, values in bridging.items():
        frame[column] = values
    if partition is not None:
        membership = _membership(G, partition)
        z, P, linked, _ = _roles_arrays(m, membership, False)
        roles = _roles(z, P)
        frame["community"] = [membership[v] for v in m.nodes]
        frame["within_module_z"] = z
        frame["participation_coefficient"] = P
        frame["role"] = roles
        frame["role_name"] = pd.Series(roles, dtype=object).map(ROLE_NAMES).to_numpy()
        frame["communities_linked"] = linked
    frame.attrs["betweenness"] = {
        "exact": bool(exact), "k": int(len(sources)), "seed": None if exact else seed,
        "normalized": True,
        "max_standard_error": float(frame["betweenness_se"].max()) if m.n else 0.0,
        "closeness_max_standard_error": float(frame["harmonic_closeness_se"].max())
        if m.n else 0.0}
    return frame
