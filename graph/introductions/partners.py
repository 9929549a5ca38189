"""Who an organisation is tied to, and the first record behind a tie, for the reasons.

The reasons of a suggestion name shared partners and cite one record per tie they mention
(``"collaborations:C1"``). On a networkx tie graph the record is on the edge
(``G.edges[u, w]["evidence"]``); on the array core (``graph.core.view.CoreGraph``) no edge
carries its records, so they are fetched from the store for just the ties a reason cites —
one query for a whole block of suggestions (:func:`prefetch_tie_evidence`), remembered in
``Signals.memo``.

* :class:`Partners` — organisation → its partners (a ``frozenset``), read from the adjacency
  matrix when asked, so that nothing is built per organisation up front;
* :func:`tie_evidence` — the first record of the tie ``u``–``w`` (a one-element tuple);
* :func:`prefetch_tie_evidence` — fetch those of many ties at once.

Examples
--------
>>> from graph.introductions.signals import build_signals, example_graph
>>> sig = build_signals(example_graph())
>>> sorted(sig.neighbours["A"]), tie_evidence(sig, "C", "A")
(['B', 'C'], ('collaborations:C2',))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

import scipy.sparse as sp

if TYPE_CHECKING:
    from graph.introductions.signals import Signals

__all__ = ["Partners", "prefetch_tie_evidence", "tie_evidence"]


class Partners(Mapping):
    """Read-only mapping organisation id → ``frozenset`` of the ids it is tied to.

    Parameters
    ----------
    nodes : tuple of str
        Ids in matrix order.
    index : mapping of str to int
        Id → position in ``nodes``.
    adjacency : scipy.sparse.csr_matrix
        Symmetric tie matrix, no self-loops.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> A = sp.csr_matrix([[0, 1, 1], [1, 0, 0], [1, 0, 0]])
    >>> p = Partners(("a", "b", "c"), {"a": 0, "b": 1, "c": 2}, A)
    >>> sorted(p["a"]), p.get("zz", ()), len(p)
    (['b', 'c'], (), 3)
    """

    def __init__(self, nodes: tuple[str, ...], index: Mapping[str, int], adjacency: sp.csr_matrix):
        self._nodes, self._index, self._adjacency = nodes, index, adjacency

    def __getitem__(self, org: str) -> frozenset:
        i = self._index[org]
        A = self._adjacency
        return frozenset(self._nodes[j] for j in A.indices[A.indptr[i]:A.indptr[i + 1]].tolist())

    def __iter__(self) -> Iterator[str]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)


def _key(u: str, w: str) -> tuple[str, str, str]:
    return ("tie", u, w) if u <= w else ("tie", w, u)


def prefetch_tie_evidence(sig: Signals, pairs: Iterable[tuple[str, str]]) -> None:
    """Fetch the first record of each tied pair not yet known, in one query of the store.

    Does nothing on a networkx tie graph (its edges carry their records).

    Examples
    --------
    >>> from graph.introductions.signals import build_signals, example_graph
    >>> sig = build_signals(example_graph())
    >>> prefetch_tie_evidence(sig, [("A", "B")]); tie_evidence(sig, "B", "A")
    ('collaborations:C1',)
    """
    core = getattr(sig.graph, "tie_core", None)
    if core is None:
        return
    wanted = list(dict.fromkeys(k for k in (_key(u, w) for u, w in pairs) if k not in sig.memo))
    if not wanted:
        return
    for key, records in zip(wanted, core.evidence([(a, b) for _, a, b in wanted])):
        sig.memo[key] = tuple(records)[:1]


def tie_evidence(sig: Signals, u: str, w: str) -> tuple[str, ...]:
    """The first record (``"table:id"``) of the tie between ``u`` and ``w``, as a 1-tuple;
    ``()`` when there is none.

    On the array core this is the smallest of the tie's sorted records; on a networkx graph the
    first of the edge's ``evidence``.

    Examples
    --------
    >>> from graph.introductions.signals import build_signals, example_graph
    >>> tie_evidence(build_signals(example_graph()), "B", "D")
    ('collaborations:C3',)
    """
    key = _key(u, w)
    found = sig.memo.get(key)
    if found is None:
        G = sig.graph
        if getattr(G, "tie_core", None) is None:
            found = tuple(G.edges[u, w].get("evidence") or ())[:1]
        else:
            prefetch_tie_evidence(sig, [(u, w)])
            found = sig.memo[key]
        sig.memo[key] = found
    return found
