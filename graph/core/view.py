"""A read-only, networkx-shaped view of a :class:`~graph.core.ties.TieCore`.

The finding functions (``graph.findings.connectors`` / ``isolated``, ``graph.findings.gaps``,
``graph.communities.community_profiles``) read a tie graph through a small part of the
networkx API: iterate the nodes, read a node's attributes, list a node's partners, walk the
edges. :class:`CoreGraph` offers exactly that part over the core's arrays, without building
a networkx graph (at nation size that graph alone would need tens of GiB), and it tells
``graph.measures`` where the arrays are (``tie_core``), so the sparse matrices are taken
from the core directly instead of being rebuilt from Python adjacency dicts.

Examples
--------
>>> from graph.build import example_dataset
>>> from graph.core import core_from_dataset
>>> G = CoreGraph(core_from_dataset(example_dataset()))
>>> len(G), G.number_of_edges(), G.nodes["C"]["kind"], sorted(G["C"])
(5, 5, 'npo', ['A', 'B'])
>>> next(iter(G.edges(data="weight")))
('A', 'B', 3.5)
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property

import numpy as np

from graph.core.ties import NODE_COLUMNS, TieCore

__all__ = ["CoreGraph", "node_values"]

_CHUNK = 1 << 20


class _NodeAttrs(Mapping):
    """One organisation's attributes, read from the core's column lists."""

    __slots__ = ("_columns", "_i")

    def __init__(self, columns: dict, i: int):
        self._columns, self._i = columns, i

    def __getitem__(self, key):
        return self._columns[key][self._i]

    def get(self, key, default=None):
        column = self._columns.get(key)
        return default if column is None else column[self._i]

    def __iter__(self):
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


class _NodeView:
    def __init__(self, graph: CoreGraph):
        self._graph = graph
        self._columns, self._position = graph._columns, graph._position

    def __getitem__(self, node) -> _NodeAttrs:
        return _NodeAttrs(self._columns, self._position[node])

    def __iter__(self):
        return iter(self._graph._ids)

    def __len__(self) -> int:
        return len(self._graph._ids)

    def __contains__(self, node) -> bool:
        return node in self._graph._position

    def __call__(self, data=False, default=None):
        graph = self._graph
        if data is False:
            return iter(graph._ids)
        if data is True:
            return ((v, _NodeAttrs(self._columns, i)) for i, v in enumerate(graph._ids))
        column = self._columns.get(data)
        if column is None:
            return ((v, default) for v in graph._ids)
        return zip(graph._ids, column)


class CoreGraph:
    """Read-only networkx-like view of a tie core (see the module notes).

    Parameters
    ----------
    core : TieCore
        The arrays; shared, not copied.
    """

    def __init__(self, core: TieCore):
        self.tie_core = core
        self.graph = {"city": core.city}
        self._ids = core.ids.tolist()
        self._position = {node: i for i, node in enumerate(self._ids)}
        self._columns = {c: core.nodes[c].tolist() for c in NODE_COLUMNS}
        self._node_view = _NodeView(self)

    # --- what graph.measures reads instead of the adjacency ---------------------------
    def node_list(self) -> list:
        """The node ids in core order."""
        return self._ids

    @cached_property
    def weight_matrix(self):
        """The core's symmetric CSR matrix of tie weights, built once per view and shared by
        ``graph.measures.TieMatrix`` and the partner lookups (``G[v]``)."""
        return self.tie_core.matrix("weight")

    @cached_property
    def component_labels(self) -> np.ndarray:
        """The connected component of each organisation (core order), counted once per view
        on :attr:`weight_matrix` (isolation and the summary both read it)."""
        from scipy.sparse.csgraph import connected_components

        if not self.tie_core.n:
            return np.zeros(0, dtype=np.int32)
        return connected_components(self.weight_matrix, directed=False)[1]

    # --- the networkx API used by the finding functions --------------------------------
    def __iter__(self):
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, node) -> bool:
        return node in self._position

    def __getitem__(self, node) -> dict:
        """Partner id → ``{"weight": w}``, partners in core order."""
        i = self._position[node]
        A = self.weight_matrix
        start, stop = A.indptr[i], A.indptr[i + 1]
        return {self._ids[j]: {"weight": float(w)}
                for j, w in zip(A.indices[start:stop].tolist(), A.data[start:stop].tolist())}

    @property
    def nodes(self) -> _NodeView:
        return self._node_view

    def number_of_nodes(self) -> int:
        return len(self._ids)

    def number_of_edges(self) -> int:
        return self.tie_core.n_ties

    def is_directed(self) -> bool:
        return False

    def is_multigraph(self) -> bool:
        return False

    def size(self, weight=None) -> float:
        """Number of ties, or their total ``weight``."""
        core = self.tie_core
        return float(core.values(weight).sum()) if weight else float(core.n_ties)

    def edges(self, data=False, default=None):
        """``(u, v)`` or ``(u, v, value)`` per tie, streamed in chunks from the arrays."""
        core = self.tie_core
        ids = core.ids
        values = core.values(data) if data not in (False, True) else None
        for start in range(0, core.n_ties, _CHUNK):
            stop = min(start + _CHUNK, core.n_ties)
            a = ids[core.u[start:stop]].tolist()
            b = ids[core.v[start:stop]].tolist()
            if data is False:
                yield from zip(a, b)
            elif data is True:
                w = core.weight[start:stop].astype(np.float64).tolist()
                yield from ((x, y, {"weight": z}) for x, y, z in zip(a, b, w))
            else:
                w = values[start:stop].tolist()
                yield from zip(a, b, w)


def node_values(G, nodes: list, key: str, default=None) -> list:
    """The attribute ``key`` of each of ``nodes`` (``default`` where it is missing).

    On a :class:`CoreGraph` asked for all its nodes in core order, this is the core's column
    list itself (no per-node lookups); on any other graph, ``G.nodes[v].get(key, default)``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph(); G.add_node("a", ward="北区"); G.add_node("b")
    >>> node_values(G, ["a", "b"], "ward", "")
    ['北区', '']
    """
    columns = getattr(G, "_columns", None)
    if columns is not None and key in columns and (nodes is G.node_list() or nodes == G.node_list()):
        return columns[key]
    attrs = G.nodes
    return [attrs[v].get(key, default) for v in nodes]
