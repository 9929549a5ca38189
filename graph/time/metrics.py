"""Size, cohesion and bridging metrics of one snapshot, from the snapshot's edge arrays.

:func:`snapshot_metrics` measures one snapshot graph; :func:`array_metrics` computes the same
metrics from local edge arrays (``graph.time.timeline_analysis`` calls it on every period's
mask without building a graph), with :func:`category_codes` and :data:`ORIENT_CODE` for the
sector and orientation codes it compares.

Examples
--------
>>> r = snapshot_metrics(nx.path_graph(3), partition=[{0, 1, 2}])
>>> r["organisations"], r["ties"], r["components"]
(3, 2, 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from graph.errors import GraphError
from graph.measures import sector_of
from graph.measures.kernels import forward_triangles, index_arrays

__all__ = ["ORIENT_CODE", "category_codes", "array_metrics", "snapshot_metrics"]


def _forward_ties(u: np.ndarray, v: np.ndarray, n: int, deg: np.ndarray):
    """``(forward, rank)``: the ties as a CSR matrix over degree ranks, each tie once from its
    lower-ranked end (hubs rank last, so their rows stay short), and each node's rank."""
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), deg))] = np.arange(n)
    ru, rv = rank[u], rank[v]
    forward = sp.csr_array((np.ones(len(u), dtype=np.int8),
                            (np.minimum(ru, rv), np.maximum(ru, rv))), shape=(n, n))
    return forward, rank


def array_metrics(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, sector: np.ndarray,
                  orient: np.ndarray, labels: np.ndarray | None) -> tuple[dict, dict]:
    """Snapshot metrics from local edge arrays; also returns per-node arrays for reuse.

    One sparse matrix is built: the degree-ranked ties of :func:`_forward_ties`, for the
    triangles (``graph.measures.kernels.forward_triangles`` finds each once) and, as any
    ordering of the nodes keeps the components, the components.

    >>> metrics, per_node = array_metrics(4, np.array([0, 0, 1, 2]), np.array([1, 2, 2, 3]),
    ...                                   np.ones(4), np.zeros(4, int), np.zeros(4, int), None)
    >>> metrics["components"], per_node["clustering"].round(3).tolist()
    (1, [1.0, 1.0, 0.333, 0.0])
    """
    m = len(u)
    deg = (np.bincount(u, minlength=n) + np.bincount(v, minlength=n)).astype(float)
    strength = np.bincount(u, weights=w, minlength=n) + np.bincount(v, weights=w, minlength=n)
    forward, rank = _forward_ties(u, v, n, deg)
    tri = forward_triangles(*index_arrays(forward))[rank]
    with np.errstate(divide="ignore", invalid="ignore"):
        clust = np.where(deg > 1, 2.0 * tri / (deg * (deg - 1.0)), 0.0)
        eff = np.where(deg > 0, deg - 2.0 * tri / deg, np.nan)
    if n:
        n_comp, comp = connected_components(forward, directed=False)
        largest = np.bincount(comp).max() / n
    else:
        n_comp, largest = 0, float("nan")
    modularity = float("nan")
    if labels is not None and m:
        two_m = 2.0 * w.sum()
        inside = w[labels[u] == labels[v]].sum()
        tot = np.bincount(labels, weights=strength)
        modularity = float(inside / w.sum() - (tot ** 2).sum() / two_m ** 2)
    bridging = (orient[u] != orient[v]) & (orient[u] >= 0) & (orient[v] >= 0)
    metrics = {
        "organisations": int(n),
        "ties": int(m),
        "density": 2.0 * m / (n * (n - 1)) if n > 1 else float("nan"),
        "components": int(n_comp),
        "largest_component_share": float(largest),
        "isolated_share": float((deg == 0).mean()) if n else float("nan"),
        "modularity": modularity,
        "average_clustering": float(clust.mean()) if n else float("nan"),
        "cross_sector_share": float((sector[u] != sector[v]).mean()) if m else float("nan"),
        "territorial_thematic_share": float(bridging.mean()) if m else float("nan"),
    }
    return metrics, {"degree": deg, "strength": strength, "effective_size": eff,
                     "clustering": clust}


#: Orientation codes compared by the territorial–thematic share (others: -1).
ORIENT_CODE = {"territorial": 0, "thematic": 1}


def category_codes(values: Iterable, mapping: dict | None = None) -> np.ndarray:
    """Integer codes of ``values``: by ``mapping`` (-1 when absent), else factorised."""
    if mapping is not None:
        return np.array([mapping.get(x, -1) for x in values], dtype=np.int64)
    return pd.factorize(pd.Series(list(values), dtype="object"))[0].astype(np.int64)


def snapshot_metrics(G: nx.Graph, *, partition: Any = None, weight: str | None = "weight",
                     seed: int = 0) -> dict:
    """Size, cohesion and bridging metrics of one snapshot graph.

    Parameters
    ----------
    G : nx.Graph
        Undirected tie graph; not modified. Node attributes ``kind`` (sector via
        ``graph.measures.SECTORS``) and ``orientation`` are used when present.
    partition : dict or iterable of sets, optional, keyword-only
        Communities for the modularity; when None, Louvain (python-louvain, ``seed``) is run.
    weight : str or None, keyword-only
        Edge attribute for modularity and Louvain; None counts ties.
    seed : int, keyword-only
        Seed of Louvain.

    Returns
    -------
    dict
        ``organisations, ties, density, components, largest_component_share,
        isolated_share, modularity, average_clustering`` (networkx's, isolates count 0),
        ``cross_sector_share`` (ties between sectors / ties) and
        ``territorial_thematic_share`` (ties joining a territorial and a thematic
        organisation / ties). Shares are NaN when undefined.

    Examples
    --------
    >>> G = nx.barbell_graph(3, 0)
    >>> r = snapshot_metrics(G, partition=[{0, 1, 2}, {3, 4, 5}])
    >>> r["ties"], r["components"], round(r["modularity"], 4), r["average_clustering"]
    (7, 1, 0.3571, 0.7777777777777778)
    """
    if G.is_directed() or G.is_multigraph():
        raise GraphError(f"expected an undirected simple graph (nx.Graph), got {type(G).__name__}")
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[a], index[b], 1.0 if weight is None else float(d.get(weight, 1.0)))
             for a, b, d in G.edges(data=True) if a != b]
    u = np.array([e[0] for e in edges], dtype=np.int64)
    v = np.array([e[1] for e in edges], dtype=np.int64)
    w = np.array([e[2] for e in edges], dtype=float)
    sector = category_codes(sector_of(G.nodes[x].get("kind")) for x in nodes)
    orient = category_codes((G.nodes[x].get("orientation") for x in nodes), ORIENT_CODE)
    if partition is None:
        import community.community_louvain as community_louvain

        membership = community_louvain.best_partition(G, weight=weight or "__none__",
                                                      random_state=seed) if edges else {}
    elif isinstance(partition, Mapping):
        membership = dict(partition)
    else:
        communities = getattr(partition, "communities", partition)
        membership = {x: i for i, c in enumerate(communities) for x in c}
    missing = [x for x in nodes if x not in membership]
    if edges and missing:
        raise GraphError(f"partition does not cover node {missing[0]!r}")
    labels = category_codes(membership.get(x) for x in nodes) if edges else None
    return array_metrics(len(nodes), u, v, w, sector, orient, labels)[0]
