"""Who an organisation is tied to, and the first record behind a tie, for the reasons.

The reasons of a suggestion name shared partners and cite one record per tie they mention
(``"collaborations:C1"``). On a networkx tie graph the record is on the edge
(``G.edges[u, w]["evidence"]``); on the array core (``graph.core.view.CoreGraph``) no edge
carries its records, so they are fetched from the store for just the ties a reason cites —
one query for a whole block of suggestions (:func:`prefetch_tie_evidence`), remembered in
``Signals.memo``.

* :func:`partner_positions` — an organisation's partners, read from the adjacency matrix when
  asked (nothing is built per organisation up front); :func:`order_ranks` — the order in
  which reasons name partners;
* :func:`tie_evidence` — the first record of the tie ``u``–``w`` (a one-element tuple;
  :func:`tie_record` by positions), remembered by the tie's int64 code (:func:`tie_codes`);
* :func:`prefetch_tie_records` — fetch those of many ties at once, given as arrays of
  positions (:func:`prefetch_tie_evidence`: as pairs of ids); :func:`records_of_ties` —
  those a shared-partners reason cites.

Examples
--------
>>> from graph.introductions.signals import build_signals, example_graph
>>> sig = build_signals(example_graph())
>>> [sig.nodes[j] for j in partner_positions(sig, "A")], tie_evidence(sig, "C", "A")
(['B', 'C'], ('collaborations:C2',))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from graph.introductions.signals import Signals

__all__ = ["order_ranks", "partner_positions", "prefetch_tie_evidence", "prefetch_tie_records",
           "records_of_ties", "tie_codes", "tie_evidence", "tie_record"]


def partner_positions(sig: Signals, org: str) -> np.ndarray:
    """Positions (in ``sig.nodes``) of the organisations ``org`` is tied to, ascending.

    >>> from graph.introductions.signals import build_signals, example_graph
    >>> sig = build_signals(example_graph())
    >>> [sig.nodes[j] for j in partner_positions(sig, "A")]
    ['B', 'C']
    """
    A = sig.adjacency
    i = sig.index[org]
    return A.indices[A.indptr[i]:A.indptr[i + 1]]


def order_ranks(sig: Signals) -> np.ndarray:
    """Per position, its rank by (degree, id) (``sig.order`` as an array), built once per
    ``sig``: the order in which reasons name partners (the least connected first).

    >>> from graph.introductions.signals import build_signals, example_graph
    >>> order_ranks(build_signals(example_graph())).tolist()
    [1, 3, 4, 2, 0]
    """
    if "order_ranks" not in sig.memo:
        sig.memo["order_ranks"] = np.array([sig.order[u] for u in sig.nodes], dtype=np.int64)
    return sig.memo["order_ranks"]


def _records(sig: Signals) -> dict[int, tuple[str, ...]]:
    """Tie code (:func:`tie_codes`) → the tie's first record (a 1-tuple, ``()`` if none)."""
    return sig.memo.setdefault("first_records", {})


def _code(n: int, i: int, j: int) -> int:
    """:func:`tie_codes` of one tie."""
    return i * n + j if i <= j else j * n + i


def tie_codes(sig: Signals, a, b) -> np.ndarray:
    """One int64 per tie ``(a[k], b[k])`` of positions, the same for ``(b[k], a[k])``:
    ``min · n + max``.

    >>> from graph.introductions.signals import build_signals, example_graph
    >>> tie_codes(build_signals(example_graph()), [0, 3], [1, 0]).tolist()
    [1, 3]
    """
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    return np.minimum(a, b) * len(sig.nodes) + np.maximum(a, b)


def prefetch_tie_records(sig: Signals, a, b) -> None:
    """Fetch the first record of each tie ``(a[k], b[k])`` (positions) not yet known: one
    query of the store for all of them on the array core, the edges of a networkx graph.

    >>> from graph.introductions.signals import build_signals, example_graph
    >>> sig = build_signals(example_graph())
    >>> prefetch_tie_records(sig, [0], [1]); tie_evidence(sig, "B", "A")
    ('collaborations:C1',)
    """
    records, n = _records(sig), len(sig.nodes)
    wanted = np.array([c for c in np.unique(tie_codes(sig, a, b)).tolist() if c not in records],
                      dtype=np.int64)
    if not len(wanted):
        return
    if "node_array" not in sig.memo:
        sig.memo["node_array"] = np.array(sig.nodes, dtype=object)
    nodes = sig.memo["node_array"]
    pairs = list(zip(nodes[wanted // n].tolist(), nodes[wanted % n].tolist()))
    core = getattr(sig.graph, "tie_core", None)
    if core is None:
        found = [tuple(sig.graph.edges[x, y].get("evidence") or ())[:1] for x, y in pairs]
    else:
        found = core.evidence(pairs, first=True)
    records.update(zip(wanted.tolist(), found))


def prefetch_tie_evidence(sig: Signals, pairs: Iterable[tuple[str, str]]) -> None:
    """:func:`prefetch_tie_records` for pairs of organisation ids.

    Examples
    --------
    >>> from graph.introductions.signals import build_signals, example_graph
    >>> sig = build_signals(example_graph())
    >>> prefetch_tie_evidence(sig, [("A", "B")]); tie_evidence(sig, "B", "A")
    ('collaborations:C1',)
    """
    index = sig.index
    positions = [(index[u], index[w]) for u, w in pairs]
    if positions:
        a, b = np.array(positions, dtype=np.int64).T
        prefetch_tie_records(sig, a, b)


def tie_record(sig: Signals, i: int, j: int) -> tuple[str, ...]:
    """The first record of the tie between the positions ``i`` and ``j`` (see
    :func:`tie_evidence`), fetched alone when not prefetched.

    >>> from graph.introductions.signals import build_signals, example_graph
    >>> tie_record(build_signals(example_graph()), 1, 3)
    ('collaborations:C3',)
    """
    code, records = _code(len(sig.nodes), i, j), _records(sig)
    if code not in records:
        prefetch_tie_records(sig, [i], [j])
    return records[code]


def records_of_ties(sig: Signals, sides: tuple[int, int], partners: list[str]) -> tuple[str, ...]:
    """The first records of the ties of both ``sides`` (positions) to each of ``partners``
    (ids), partner by partner, without repeats: what a shared-partners reason cites. Read from
    the prefetched records (:func:`prefetch_tie_records`), else fetched.

    >>> from graph.introductions.signals import build_signals, example_graph
    >>> records_of_ties(build_signals(example_graph()), (0, 3), ["B", "C"])
    ('collaborations:C1', 'collaborations:C3', 'collaborations:C2', 'collaborations:C4')
    """
    records, index, n = _records(sig), sig.index, len(sig.nodes)
    found: dict[str, None] = {}
    for w in partners:
        p = index[w]
        for x in sides:
            record = records.get(_code(n, x, p))
            for e in record if record is not None else tie_record(sig, x, p):
                found[e] = None
    return tuple(found)


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
    return tie_record(sig, sig.index[u], sig.index[w])
