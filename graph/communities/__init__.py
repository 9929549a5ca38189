"""Communities of the tie graph: Louvain, its stability across seeds, readable profiles.

* :func:`louvain` — Louvain modularity optimisation (Blondel et al. 2008), seeded:
  python-louvain on small graphs, igraph's C implementation on big ones.
* :func:`stability` — Louvain with several seeds, a consensus partition (Lancichinetti &
  Fortunato 2012, one round, the co-assignment matrix restricted to the graph's edges) and
  a per-node co-assignment frequency; nodes with frequency ≥ 0.8 are *firm*.
* :func:`community_profiles` — one row per community: wards, sectors, orientations, fields,
  connectors and a label such as 「西淀川区・福祉・企業3」.

What lives where:

* :mod:`graph.communities.detection` — :func:`louvain`, :func:`partition_from_edges`,
  :data:`METHODS`, :data:`FAST_PATH_THRESHOLD`; the implementations ``method`` chooses
  between (python-louvain, networkx, igraph's Louvain, networkit's Leiden) are described there;
* :mod:`graph.communities.leiden` — Leiden on edge arrays (networkit, one thread, seeded),
  :func:`leiden_iterations`, :data:`LEIDEN_STABLE_TIES`, :data:`LEIDEN_ITERATIONS`;
* :mod:`graph.communities.consensus` — :func:`stability`, :data:`FIRM_THRESHOLD`;
* :mod:`graph.communities.profiles` — :func:`community_profiles` and the words of its labels
  (:data:`FIELD_SHORT`, :data:`KIND_SHORT`, :data:`FIELD_MIN_LIFT`,
  :data:`FIELD_MIN_SUPPORT`).

:class:`Partition` and :class:`Stability` are defined in ``graph.types``. Helpers the
submodules share with each other (``check_graph``, ``weighted_edges``, ``labeller`` …) are
public in ``graph.communities.detection`` but not re-exported here.

Examples
--------
>>> import networkx as nx
>>> G = nx.barbell_graph(4, 0)
>>> p = louvain(G, seed=1)
>>> [sorted(c) for c in p.communities]
[[0, 1, 2, 3], [4, 5, 6, 7]]
>>> round(p.modularity, 3)
0.423
"""

from graph.communities.consensus import FIRM_THRESHOLD, stability
from graph.communities.detection import (
    FAST_PATH_THRESHOLD,
    METHODS,
    louvain,
    partition_from_edges,
)
from graph.communities.leiden import LEIDEN_ITERATIONS, LEIDEN_STABLE_TIES, leiden_iterations
from graph.communities.profiles import (
    FIELD_MIN_LIFT,
    FIELD_MIN_SUPPORT,
    FIELD_SHORT,
    KIND_SHORT,
    community_profiles,
)
from graph.types import Partition, Stability

__all__ = [
    "Partition",
    "Stability",
    "FIRM_THRESHOLD",
    "FAST_PATH_THRESHOLD",
    "METHODS",
    "LEIDEN_STABLE_TIES",
    "LEIDEN_ITERATIONS",
    "louvain",
    "partition_from_edges",
    "leiden_iterations",
    "stability",
    "community_profiles",
    "FIELD_SHORT",
    "KIND_SHORT",
    "FIELD_MIN_LIFT",
    "FIELD_MIN_SUPPORT",
]
