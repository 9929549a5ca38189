"""Communities of a tie core: Leiden by default at every size, Louvain on request.

``method``:

* ``"leiden"`` (default) — Leiden with the modularity objective (Traag, Waltman & van Eck
  2019): networkit's ``ParallelLeiden`` on one thread, seeded, iterated by
  `graph.communities.leiden_iterations`, run on the core's edge arrays
  (``graph.communities.leiden``);
* ``"igraph"`` — igraph's C Louvain (``community_multilevel``);
* ``"python-louvain"`` — python-louvain's ``best_partition`` on ``core.to_networkx()``
  (the client's reference implementation; slow beyond a city);
* ``"auto"`` — the old default of ``graph.communities.louvain`` (python-louvain up to 2,000
  organisations, igraph's Louvain above), kept for callers that ask for it.

The partition records the method (``Partition.method``, ``params["implementation"]``).
``docs/core.md`` gives the measurements behind the default.

Examples
--------
>>> from graph.build import example_dataset
>>> from graph.core import core_from_dataset
>>> p = core_communities(core_from_dataset(example_dataset()))
>>> [sorted(c) for c in p.communities], p.method
([['A', 'B', 'C', 'K'], ['D']], 'leiden')
"""

from __future__ import annotations

from graph.communities import FAST_PATH_THRESHOLD, louvain, partition_from_edges
from graph.core.ties import TieCore
from graph.errors import GraphError
from graph.types import Partition

__all__ = ["COMMUNITY_METHODS", "core_communities"]

#: The ``method`` values :func:`core_communities` accepts (and ``--community-method``).
COMMUNITY_METHODS: tuple[str, ...] = ("leiden", "python-louvain", "igraph", "auto")


def core_communities(core: TieCore, *, method: str = "leiden", resolution: float = 1.0,
                     seed: int = 0, weight: str | None = "weight") -> Partition:
    """Communities of ``core`` by ``method`` (see the module notes).

    Parameters
    ----------
    core : TieCore
        The tie arrays; not modified.
    method : {"leiden", "python-louvain", "igraph", "auto"}, keyword-only
        Implementation; default Leiden.
    resolution : float, keyword-only
        γ (higher → more, smaller communities).
    seed : int, keyword-only
        Random state: same core and seed → same partition.
    weight : str or None, keyword-only
        ``"weight"``, a tie part, or None (every tie counts 1).

    Returns
    -------
    Partition

    Raises
    ------
    GraphError
        For an unknown method or a resolution ≤ 0.
    """
    if method not in COMMUNITY_METHODS:
        raise GraphError(f"community method: expected one of {', '.join(COMMUNITY_METHODS)}, "
                         f"got {method!r}")
    if method == "auto":
        method = "igraph" if core.n > FAST_PATH_THRESHOLD else "python-louvain"
    if method == "python-louvain":
        return louvain(core.to_networkx(evidence=False), weight=weight, resolution=resolution,
                       seed=seed, method="python-louvain")
    return partition_from_edges(core.ids.tolist(), core.u, core.v, core.values(weight),
                                method=method, resolution=resolution, seed=seed, weight=weight)
