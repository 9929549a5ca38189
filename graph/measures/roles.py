"""Guimerà–Amaral roles: where each organisation sits in its community and across others.

The roles (Guimerà & Amaral 2005, *Nature* 433:895) place each node by its
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
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from graph.measures.matrix import TieMatrix, community_membership

__all__ = [
    "ROLE_NAMES",
    "ROLE_NAMES_JA",
    "within_module_degree",
    "participation_coefficient",
    "role",
    "guimera_amaral_roles",
    "role_arrays",
    "role_codes",
]

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
    m = TieMatrix(G, weight)
    z, _, _, _ = role_arrays(m, community_membership(G, partition), weight is not None)
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
    m = TieMatrix(G, weight)
    _, P, _, _ = role_arrays(m, community_membership(G, partition), weight is not None)
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
    m = TieMatrix(G, weight)
    z, P, linked, _ = role_arrays(m, community_membership(G, partition), weight is not None)
    roles = role_codes(z, P)
    return pd.DataFrame({
        "within_module_z": z,
        "participation_coefficient": P,
        "role": roles,
        "role_name": pd.Series(roles, dtype=object).map(ROLE_NAMES).to_numpy(),
        "communities_linked": linked,
    }, index=pd.Index(m.nodes, name="id"))


def role_arrays(m: TieMatrix, membership: Mapping, weighted: bool):
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


def role_codes(z: np.ndarray, P: np.ndarray) -> np.ndarray:
    """Vectorised :func:`role`."""
    hub = z >= _HUB_Z
    nonhub = np.select([P <= _NONHUB_P[0], P <= _NONHUB_P[1], P <= _NONHUB_P[2]],
                       ["R1", "R2", "R3"], "R4")
    hubs = np.select([P <= _HUB_P[0], P <= _HUB_P[1]], ["R5", "R6"], "R7")
    return np.where(hub, hubs, nonhub).astype(object)
