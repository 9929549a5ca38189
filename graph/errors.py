"""Typed errors of the graph layer.

Bad input is refused at the boundary of every public ``graph`` function with a
:class:`GraphError`, a :class:`ValueError` whose message says what was wrong and what to pass
instead (networkx ``exception.py`` is the model).

Examples
--------
>>> try:
...     raise GraphError("weights: unknown part 'gossip'")
... except ValueError as exc:
...     print(exc)
weights: unknown part 'gossip'
"""

from __future__ import annotations

__all__ = ["GraphError"]


class GraphError(ValueError):
    """Input a graph function cannot work with (unknown option, malformed table, bad date)."""
