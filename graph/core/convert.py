"""A tie core from any weighted networkx graph (published graphs, user code, tests).

Examples
--------
>>> import networkx as nx
>>> core = core_from_networkx(nx.path_graph(3))
>>> core.ids.tolist(), core.u.tolist(), core.v.tolist(), core.weight.tolist()
([0, 1, 2], [0, 1], [1, 2], [1.0, 1.0])
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from graph.core.ties import NO_DAY, NODE_COLUMNS, TIE_PARTS, TieCore
from graph.errors import GraphError

__all__ = ["core_from_networkx"]


def core_from_networkx(G: nx.Graph, *, weight: str | None = "weight") -> TieCore:
    """The core of an undirected simple graph: nodes in ``list(G)`` order, ties ``u < v``.

    Parameters
    ----------
    G : networkx.Graph
        Undirected, not a multigraph; not modified. Self-ties are dropped. Node attributes
        ``name, kind, ward, orientation, fields, synthetic`` are kept when present (a
        missing ``name`` reads as ``str(node)``, as ``organisation_measures`` shows it).
    weight : str or None, keyword-only
        Edge attribute read as the tie weight (missing → 1); None: every tie weighs 1.
        Tie parts named like ``graph.build.TIE_PARTS`` are kept too (else 0).

    Returns
    -------
    TieCore
        Without a record source (no evidence) and without dates.

    Raises
    ------
    GraphError
        For a directed graph or multigraph, or a weight that is not a finite number ≥ 0.
    """
    if not isinstance(G, nx.Graph) or G.is_directed() or G.is_multigraph():
        raise GraphError(f"expected an undirected networkx.Graph, got {type(G).__name__}")
    nodes = list(G)
    position = {node: i for i, node in enumerate(nodes)}
    rows = [(position[a], position[b], d) for a, b, d in G.edges(data=True) if a != b]
    u = np.array([min(a, b) for a, b, _ in rows], dtype=np.int32)
    v = np.array([max(a, b) for a, b, _ in rows], dtype=np.int32)
    try:
        w = np.array([1.0 if weight is None else d.get(weight, 1.0) for _, _, d in rows],
                     dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise GraphError(f"tie weights ({weight!r}) must be numbers") from exc
    if len(w) and (not np.isfinite(w).all() or (w < 0).any()):
        raise GraphError(f"tie weights ({weight!r}) must be finite numbers ≥ 0")
    parts = {p: np.array([float(d.get(p, 0.0)) for _, _, d in rows], dtype=np.float32)
             for p in TIE_PARTS}
    order = np.lexsort((v, u))
    attrs = G.nodes
    frame = pd.DataFrame({c: pd.Series([attrs[n].get(c, False if c == "synthetic" else None)
                                        for n in nodes], dtype=object) for c in NODE_COLUMNS})
    frame["name"] = pd.Series([attrs[n].get("name", str(n)) for n in nodes], dtype=object)
    frame["fields"] = pd.Series([tuple(x or ()) for x in frame["fields"]], dtype=object)
    frame.index = pd.Index(nodes, dtype=object, name="id")
    none = np.full(len(u), NO_DAY, dtype=np.int32)
    return TieCore(ids=np.array(nodes + [None], dtype=object)[:-1], nodes=frame, u=u[order],
                   v=v[order], parts={p: a[order] for p, a in parts.items()},
                   weight=w[order], first_day=none, last_day=none.copy(),
                   city=str(G.graph.get("city", "")), source=None)
