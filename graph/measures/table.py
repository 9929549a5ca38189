"""Every per-organisation measure in one frame, computed on one shared sparse matrix.

Examples
--------
>>> import networkx as nx
>>> G = nx.star_graph(3)
>>> row = organisation_measures(G, weight=None).loc[0]
>>> int(row["degree"]), float(row["effective_size"]), float(row["constraint"])
(3, 3.0, 0.3333333333333333)
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd

from graph.core.view import node_values
from graph.measures.bridging import bridging_arrays
from graph.measures.burt import burt_values
from graph.measures.matrix import TieMatrix, community_membership
from graph.measures.paths import (
    betweenness_se,
    brandes_sums,
    harmonic_se,
    harmonic_values,
    pivot_sources,
    rescale_betweenness,
)
from graph.measures.roles import ROLE_NAMES, role_arrays, role_codes
from graph.measures.walks import pagerank_values

__all__ = ["organisation_measures"]

_NO_NAME = object()  # a node without a name attribute is named by its id


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
    m = TieMatrix(G, weight)
    sources, exact = pivot_sources(m, exact_threshold, k, seed)
    squares: dict = {}
    dependency, inverse = brandes_sums(m, sources, squares=squares)
    constraint_, effective = burt_values(m)
    frame = pd.DataFrame({
        "name": [str(v) if x is _NO_NAME else x
                 for v, x in zip(m.nodes, node_values(G, m.nodes, "name", _NO_NAME))],
        "kind": node_values(G, m.nodes, "kind"),
        "ward": node_values(G, m.nodes, "ward"),
        "degree": m.degree.astype(int),
        "strength": m.strength,
        "betweenness": rescale_betweenness(m, dependency, sources, exact, True),
        "harmonic_closeness": harmonic_values(m, inverse, sources, exact),
        "pagerank": pagerank_values(m),
        "constraint": constraint_,
        "effective_size": effective,
        "betweenness_se": betweenness_se(m, squares, dependency, sources, exact),
        "harmonic_closeness_se": harmonic_se(m, squares, inverse, sources, exact),
    }, index=pd.Index(m.nodes, name="id"))
    bridging = bridging_arrays(G, m)
    for column, values in bridging.items():
        frame[column] = values
    if partition is not None:
        membership = community_membership(G, partition)
        z, P, linked, _ = role_arrays(m, membership, False)
        roles = role_codes(z, P)
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
