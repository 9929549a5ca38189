"""Per-organisation network measures: who holds the network together, and how.

Every function takes the undirected organisation tie graph (``graph.build.tie_graph``) first,
never mutates it, and returns plain data: a dict keyed by node for one measure, a DataFrame
indexed by organisation id for several. :func:`organisation_measures` computes them all at
once on one sparse matrix, which is how the analysis and the dashboard call them.

What lives where:

* :mod:`graph.measures.matrix` — :class:`TieMatrix` (the graph as CSR matrices, built once),
  :func:`edge_positions`, :func:`component_labels`, :func:`community_membership`,
  :data:`WORKERS` (threads);
* :mod:`graph.measures.ties` — :func:`degree`, :func:`strength`;
* :mod:`graph.measures.walks` — :func:`pagerank`;
* :mod:`graph.measures.paths` — :func:`betweenness` (:class:`Betweenness`),
  :func:`harmonic_closeness`: Brandes' accumulation, exact or pivot-sampled;
* :mod:`graph.measures.burt` — Burt's :func:`constraint` and :func:`effective_size`;
* :mod:`graph.measures.roles` — Guimerà–Amaral :func:`within_module_degree`,
  :func:`participation_coefficient`, :func:`role`, :func:`guimera_amaral_roles`;
* :mod:`graph.measures.sectors` — :data:`SECTORS`, their labels, :func:`sector_of`;
* :mod:`graph.measures.bridging` — :func:`bridging_counts` (cross-sector, cross-ward,
  territorial ↔ thematic ties);
* :mod:`graph.measures.table` — :func:`organisation_measures`, every measure in one frame.

Helpers the submodules share with each other (``brandes_sums``, ``burt_values``,
``role_arrays`` …) are public in their submodule but not re-exported here.

The heavy measures are vectorised with scipy sparse matrices so that a city-sized graph
(~10⁴ organisations, ~10⁵ ties) takes seconds: betweenness and harmonic closeness run a batch
of Brandes sources at once (sparse matrix × dense block); Burt's measures read ``P @ P`` only
on existing ties; PageRank is a power iteration on the same matrix.

Examples
--------
>>> import networkx as nx
>>> from graph.measures import betweenness, organisation_measures
>>> betweenness(nx.path_graph(3)).values
{0: 0.0, 1: 1.0, 2: 0.0}
>>> int(organisation_measures(nx.star_graph(3), weight=None).loc[0, "degree"])
3
"""

from graph.measures.bridging import bridging_counts
from graph.measures.burt import constraint, effective_size
from graph.measures.matrix import (
    WORKERS,
    TieMatrix,
    community_membership,
    component_labels,
    edge_positions,
)
from graph.measures.paths import (
    MIN_PIVOTS,
    PIVOT_WORK,
    Betweenness,
    betweenness,
    harmonic_closeness,
)
from graph.measures.roles import (
    ROLE_NAMES,
    ROLE_NAMES_JA,
    guimera_amaral_roles,
    participation_coefficient,
    role,
    within_module_degree,
)
from graph.measures.sectors import SECTOR_LABELS_EN, SECTOR_LABELS_JA, SECTORS, sector_of
from graph.measures.table import organisation_measures
from graph.measures.ties import degree, strength
from graph.measures.walks import pagerank

__all__ = [
    "SECTORS",
    "SECTOR_LABELS_JA",
    "SECTOR_LABELS_EN",
    "ROLE_NAMES",
    "ROLE_NAMES_JA",
    "PIVOT_WORK",
    "MIN_PIVOTS",
    "WORKERS",
    "Betweenness",
    "TieMatrix",
    "edge_positions",
    "component_labels",
    "community_membership",
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
