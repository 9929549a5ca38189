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
* :func:`tie_evidence` — the first record of the tie ``u``–``w`` (a one-element tuple);
* :func:`prefetch_tie_evidence` — fetch those of many ties at once.

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

__all__ = ["order_ranks", "partner_positions", "prefetch_tie_evidence", "tie_evidence"]


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
    for key, records in zip(wanted, core.evidence([(a, b) for _, a, b in wanted], first=True)):
        sig.memo[key] = records


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
    if key not in sig.memo:
        G = sig.graph
        if getattr(G, "tie_core", None) is None:
            sig.memo[key] = tuple(G.edges[u, w].get("evidence") or ())[:1]
        else:
            prefetch_tie_evidence(sig, [(u, w)])
    return sig.memo[key]
