"""Small frozen result types shared across ``graph``.

Results remember how they were made (method, parameters, seed) without pass-through methods,
like cdlib's ``NodeClustering``.

Examples
--------
>>> p = Partition((frozenset({"a", "b"}), frozenset({"c"})), method="louvain",
...               params={"resolution": 1.0}, seed=0, modularity=0.0)
>>> p.membership()
{'a': 0, 'b': 0, 'c': 1}
>>> len(p)
2
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

__all__ = ["Partition", "Stability", "community_order"]


def community_order(communities) -> tuple[frozenset, ...]:
    """Communities as frozensets, largest first; equal sizes ordered by their smallest member
    (compared as text, so mixed node types still sort deterministically).

    >>> [sorted(c) for c in community_order([{3}, {"b", "a"}, {1, 2}])]
    [[1, 2], ['a', 'b'], [3]]
    """
    sets = [frozenset(c) for c in communities]
    return tuple(sorted(sets, key=lambda c: (-len(c), min((str(n) for n in c), default=""))))


@dataclass(frozen=True)
class Partition:
    """A partition of a graph's nodes into communities, with how it was obtained.

    Attributes
    ----------
    communities : tuple of frozenset
        Disjoint, covering the graph's nodes; largest first, ties broken deterministically
        (see :func:`community_order`). Community ``i`` is ``communities[i]``.
    method : str
        For example ``"louvain"`` or ``"louvain-consensus"``.
    params : mapping
        The parameters the method ran with (a copy; results stay picklable for caching).
    seed : int or None
        The random seed, when the method is randomised.
    modularity : float
        Newman–Girvan modularity (resolution 1) of the partition on the graph it was found
        on; ``nan`` when that graph has no edges.
    """

    communities: tuple[frozenset, ...]
    method: str
    params: Mapping[str, object] = field(default_factory=dict)
    seed: int | None = None
    modularity: float = float("nan")

    def __post_init__(self) -> None:
        object.__setattr__(self, "communities", community_order(self.communities))
        object.__setattr__(self, "params", dict(self.params))

    def __len__(self) -> int:
        return len(self.communities)

    def membership(self) -> dict[Hashable, int]:
        """Node → index of its community in :attr:`communities` (communities in order, each
        community's nodes sorted as text)."""
        return {node: i for i, community in enumerate(self.communities)
                for node in sorted(community, key=str)}


@dataclass(frozen=True)
class Stability:
    """How robust a community assignment is across Louvain runs with different seeds.

    Attributes
    ----------
    partition : Partition
        The consensus partition.
    frequency : mapping
        Node → share of (run, fellow member) pairs in which the node landed in the same
        community as a fellow member of its consensus community, in [0, 1].
    firm : mapping
        Node → ``frequency >= threshold``.
    threshold : float
        The firmness threshold (0.8).
    seeds : tuple of int
        The seeds of the runs.
    run_modularity : tuple of float
        Modularity of each run, in seed order.
    """

    partition: Partition
    frequency: Mapping[Hashable, float]
    firm: Mapping[Hashable, bool]
    threshold: float
    seeds: tuple[int, ...]
    run_modularity: tuple[float, ...]
