"""Ties that cross a sector, a ward, or the territorial ↔ thematic divide, per organisation."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from graph.core.view import node_values
from graph.measures.matrix import TieMatrix
from graph.measures.sectors import sector_of

__all__ = ["bridging_counts", "bridging_arrays"]


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
    m = TieMatrix(G, None)
    return pd.DataFrame(bridging_arrays(G, m), index=pd.Index(m.nodes, name="id"))


def _onehot(m: TieMatrix, values: list) -> tuple[sp.csr_array, np.ndarray]:
    """n × k indicator of a categorical node value (missing → no column) and codes (−1)."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    has = codes >= 0
    onehot = sp.csr_array((np.ones(int(has.sum())), (np.flatnonzero(has), codes[has])),
                          shape=(m.n, max(len(uniques), 1)))
    return onehot, codes


def bridging_arrays(G: nx.Graph, m: TieMatrix) -> dict:
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
