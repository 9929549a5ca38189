"""One period's working graph and communities, for ``graph.time.timeline_analysis``.

Louvain from scratch (:func:`louvain_partition`) or warm-started from the previous period's
communities with delta screening (:func:`louvain_delta`); for timelines too large for one
networkx working graph, the snapshot as arrays: :func:`core_node_frame`, :func:`snapshot_view`
(a ``graph.core.view.CoreGraph``) and :func:`small_graph`.

Examples
--------
>>> H = small_graph(np.array(["a", "b", "c"], dtype=object), np.array([0]), np.array([1]),
...                 np.array([1.0]))
>>> sorted(H.edges()), louvain_partition(nx.empty_graph(2), seed=0, resolution=1.0)
([('a', 'b')], {0: 0, 1: 1})
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

__all__ = [
    "louvain_partition", "louvain_delta", "core_node_frame", "snapshot_view", "small_graph",
]


def louvain_partition(H: nx.Graph, *, seed: int, resolution: float) -> dict:
    """Louvain from scratch (python-louvain, seeded); singletons when there is no tie."""
    import community.community_louvain as community_louvain

    if H.number_of_edges() == 0:
        return {v: i for i, v in enumerate(H)}
    return community_louvain.best_partition(H, weight="weight", resolution=resolution,
                                            random_state=seed)


def louvain_delta(node_ids: np.ndarray, u: np.ndarray, v: np.ndarray, w: np.ndarray,
                  free: np.ndarray, previous: dict, *, seed: int,
                  resolution: float) -> dict:
    """Warm-started Louvain with delta screening (Zarayeneh & Kalyanaraman 2021).

    Organisations whose ties did not change since the previous period (``free`` False) are
    held together with the rest of their previous community as one block (a node carrying
    the block's internal weight as a self-loop, exactly as Louvain's own aggregation does);
    organisations touched by a new or lapsed tie, and newcomers, move on their own. Louvain
    (python-louvain, seeded) starts from the previous communities, newcomers as singletons.
    """
    import community.community_louvain as community_louvain

    n = len(node_ids)
    prev = np.array([previous.get(x, -1) for x in node_ids], dtype=np.int64)
    free = free | (prev < 0)
    code = np.empty(n, dtype=np.int64)
    locked = np.flatnonzero(~free)
    blocks, first = np.unique(prev[locked], return_inverse=True)
    code[locked] = first
    code[free] = len(blocks) + np.arange(int(free.sum()))
    size = len(blocks) + int(free.sum())
    cu, cv = code[u], code[v]
    lo, hi = np.minimum(cu, cv), np.maximum(cu, cv)
    pairs = pd.DataFrame({"a": lo, "b": hi, "w": w}).groupby(["a", "b"], sort=False)["w"].sum()
    C = nx.Graph()
    C.add_nodes_from(range(size))
    C.add_weighted_edges_from(zip(pairs.index.get_level_values(0).tolist(),
                                  pairs.index.get_level_values(1).tolist(), pairs.tolist()))
    fresh = int(prev.max(initial=-1)) + 1
    init = {int(c): int(lab) for c, lab in zip(code, prev) if lab >= 0}
    for c in range(size):
        if c not in init:
            init[c], fresh = fresh, fresh + 1
    if C.number_of_edges() == 0:
        part = init
    else:
        part = community_louvain.best_partition(C, partition=init, weight="weight",
                                                resolution=resolution, random_state=seed)
    return {x: part[int(c)] for x, c in zip(node_ids, code)}


def core_node_frame(orgs: pd.DataFrame) -> pd.DataFrame:
    """The node frame a ``graph.core.TieCore`` needs, from the timeline's organisations."""
    frame = orgs[["name", "kind", "ward", "orientation", "synthetic"]].copy()
    frame["fields"] = pd.Series([()] * len(frame), index=frame.index, dtype=object)
    return frame


def snapshot_view(ids: np.ndarray, nodes: pd.DataFrame, u: np.ndarray, v: np.ndarray,
                  w: np.ndarray):
    """A ``graph.core.view.CoreGraph`` of one snapshot's arrays (local codes, ``u < v``)."""
    from graph.core.ties import NO_DAY, TieCore
    from graph.core.view import CoreGraph

    none = np.full(len(u), NO_DAY, dtype=np.int32)
    core = TieCore(ids=ids, nodes=nodes, u=u.astype(np.int32), v=v.astype(np.int32), parts={},
                   weight=w, first_day=none, last_day=none)
    return CoreGraph(core)


def small_graph(ids: np.ndarray, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> nx.Graph:
    """A networkx graph of one snapshot\'s arrays (local codes into ``ids``)."""
    H = nx.Graph()
    H.add_nodes_from(ids.tolist())
    H.add_weighted_edges_from(zip(ids[u].tolist(), ids[v].tolist(), w.tolist()))
    return H
