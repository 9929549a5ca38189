"""The organisation tie graph as arrays: the core every analysis runs on.

A :class:`TieCore` holds

* the organisations in a fixed order (``ids``, position = int32 code) and their attributes
  as one frame (``nodes``: ``name, kind, ward, orientation, fields, synthetic``);
* one row per tie in COO form, ``u < v`` (int32 codes), sorted by ``(u, v)``: a float32
  array per tie part (``collaboration, co_participation, co_membership, shared_dispatch``),
  their sum ``weight`` (float64, summed from the unrounded parts: the analyses rank on it,
  and equal strengths must stay equal as on the networkx path), and ``first_day`` /
  ``last_day`` (int32 days since 1970-01-01, :data:`NO_DAY` for ``None``);
* where the records came from (``source``), so the evidence of the pairs a person looks at is
  fetched on demand (:meth:`TieCore.evidence`) instead of being carried on every tie.

That is 4 + 4 + 4 × 4 + 8 + 2 × 4 = 40 bytes per tie, and a symmetric CSR matrix built from it
(:meth:`TieCore.matrix`) adds 2 × 12 bytes. :meth:`TieCore.to_networkx` gives the graph
``graph.build.tie_graph`` gives (the parts rounded to float32), for export and user code.

Examples
--------
>>> from graph.build import example_dataset
>>> from graph.core import core_from_dataset
>>> core = core_from_dataset(example_dataset())
>>> core.n, core.n_ties, core.weight.tolist()
(5, 5, [3.5, 0.5, 1.0, 0.5, 1.0])
>>> core.evidence([("A", "B")])
[('collaborations:C1', 'events:E1', 'events:E2', 'memberships:K')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from graph.errors import GraphError

__all__ = ["NO_DAY", "TIE_PARTS", "TieCore", "day_to_date", "days_to_dates"]

#: The tie parts, in the order of ``graph.build.TIE_PARTS``.
TIE_PARTS: tuple[str, ...] = ("collaboration", "co_participation", "co_membership",
                              "shared_dispatch")

#: The int32 day standing for "no date" (undated evidence, or nothing dated).
NO_DAY: int = int(np.iinfo(np.int32).min)

_EPOCH = dt.date(1970, 1, 1).toordinal()
NODE_COLUMNS: tuple[str, ...] = ("name", "kind", "ward", "orientation", "fields", "synthetic")


def day_to_date(day: int) -> dt.date | None:
    """An int day of the core as a ``datetime.date`` (``None`` for :data:`NO_DAY`).

    >>> day_to_date(17898), day_to_date(NO_DAY)
    (datetime.date(2019, 1, 2), None)
    """
    return None if day == NO_DAY else dt.date.fromordinal(_EPOCH + int(day))


def days_to_dates(days: np.ndarray) -> list:
    """Many int days as dates (each distinct day converted once).

    >>> days_to_dates(np.array([0, NO_DAY, 0], dtype=np.int32))
    [datetime.date(1970, 1, 1), None, datetime.date(1970, 1, 1)]
    """
    unique, inverse = np.unique(np.asarray(days), return_inverse=True)
    dates = np.array([day_to_date(d) for d in unique.tolist()] + [None], dtype=object)
    return dates[inverse.ravel()].tolist() if len(days) else []


@dataclass(frozen=True, eq=False)
class TieCore:
    """Organisations and their weighted, dated ties as arrays (see the module notes).

    Attributes
    ----------
    ids : numpy.ndarray
        Organisation ids (str, object dtype); position ``i`` is code ``i``.
    nodes : pandas.DataFrame
        Indexed by id in ``ids`` order: ``name, kind, ward, orientation`` (str or None),
        ``fields`` (tuple of int), ``synthetic`` (bool).
    u, v : numpy.ndarray
        int32 codes of each tie's ends, ``u < v``, sorted by ``(u, v)``.
    parts : mapping of str to numpy.ndarray
        float32 value of each tie part (keys :data:`TIE_PARTS`).
    weight : numpy.ndarray
        float64 sum of the parts.
    first_day, last_day : numpy.ndarray
        int32 days since 1970-01-01 (:data:`NO_DAY`: none, see ``graph.build``).
    city : str
        The dataset's declared city.
    source : object
        Where the records are (``graph.core.sources``); answers :meth:`evidence`.
    """

    ids: np.ndarray
    nodes: pd.DataFrame = field(repr=False)
    u: np.ndarray = field(repr=False)
    v: np.ndarray = field(repr=False)
    parts: Mapping[str, np.ndarray] = field(repr=False)
    weight: np.ndarray = field(repr=False)
    first_day: np.ndarray = field(repr=False)
    last_day: np.ndarray = field(repr=False)
    city: str = ""
    source: Any = field(default=None, repr=False)

    @property
    def n(self) -> int:
        """Number of organisations."""
        return len(self.ids)

    @property
    def n_ties(self) -> int:
        """Number of ties."""
        return len(self.u)

    def nbytes(self) -> int:
        """Bytes held by the tie arrays (not the node frame).

        >>> from graph.core import core_from_dataset
        >>> from graph.build import example_dataset
        >>> core_from_dataset(example_dataset()).nbytes()
        200
        """
        arrays = [self.u, self.v, self.weight, self.first_day, self.last_day,
                  *self.parts.values()]
        return int(sum(a.nbytes for a in arrays))

    def index(self) -> pd.Index:
        """The ids as a pandas Index (id → code with ``get_indexer``)."""
        return pd.Index(self.ids)

    def values(self, weight: str | None = "weight") -> np.ndarray:
        """Per-tie values: ``weight``, a part name, or ones for ``None`` (float64)."""
        if weight is None:
            return np.ones(self.n_ties)
        if weight == "weight":
            return self.weight.astype(np.float64)
        if weight in self.parts:
            return self.parts[weight].astype(np.float64)
        raise GraphError(f"weight: unknown tie attribute {weight!r}; use 'weight', None or "
                         f"one of {', '.join(TIE_PARTS)}")

    def matrix(self, weight: str | None = "weight") -> sp.csr_array:
        """The symmetric n × n CSR matrix of ``values(weight)`` (sorted indices, float64).

        >>> from graph.core import core_from_dataset
        >>> from graph.build import example_dataset
        >>> core_from_dataset(example_dataset()).matrix().toarray()[0].tolist()
        [0.0, 3.5, 0.5, 0.0, 1.0]
        """
        values = self.values(weight)
        rows = np.concatenate([self.u, self.v]).astype(np.int32)
        cols = np.concatenate([self.v, self.u]).astype(np.int32)
        M = sp.csr_array((np.concatenate([values, values]), (rows, cols)),
                         shape=(self.n, self.n))
        M.sum_duplicates()
        M.sort_indices()
        return M

    def evidence(self, pairs, *, first: bool = False) -> list[tuple[str, ...]]:
        """The records behind each pair of organisation ids, as sorted ``"table:id"`` tuples.

        Fetched from the source for just these pairs (an empty tuple when untied); with
        ``first``, only the smallest record of each (what a reason cites), chosen by the query.
        """
        pairs = [(str(a), str(b)) for a, b in pairs]
        if self.source is None:
            raise GraphError("this core has no record source to fetch evidence from")
        return self.source.evidence(pairs, first=first)

    def to_networkx(self, *, evidence: bool = True) -> nx.Graph:
        """The tie graph as ``networkx.Graph``, as ``graph.build.tie_graph`` builds it.

        Parameters
        ----------
        evidence : bool, keyword-only
            Fetch each tie's ``evidence`` tuple from the source (needs one); without it
            the edges carry weights and dates only.

        Examples
        --------
        >>> from graph.core import core_from_dataset
        >>> from graph.build import example_dataset
        >>> G = core_from_dataset(example_dataset()).to_networkx()
        >>> G.edges["A", "C"]["first_date"], G.edges["A", "B"]["evidence"][0]
        (datetime.date(2019, 6, 1), 'collaborations:C1')
        """
        G = nx.Graph(city=self.city)
        columns = {c: self.nodes[c].tolist() for c in NODE_COLUMNS}
        G.add_nodes_from((node, {c: columns[c][i] for c in NODE_COLUMNS})
                         for i, node in enumerate(self.ids.tolist()))
        a, b = self.ids[self.u].tolist(), self.ids[self.v].tolist()
        texts = self.evidence(list(zip(a, b))) if evidence else None
        firsts, lasts = days_to_dates(self.first_day), days_to_dates(self.last_day)
        parts = [self.parts[p].astype(np.float64).tolist() for p in TIE_PARTS]
        weights = self.weight.astype(np.float64).tolist()
        for i, (x, y) in enumerate(zip(a, b)):
            attrs = {"weight": weights[i], "collaboration": parts[0][i],
                     "co_participation": parts[1][i], "co_membership": parts[2][i],
                     "shared_dispatch": parts[3][i]}
            if texts is not None:
                attrs["evidence"] = texts[i]
            attrs["first_date"], attrs["last_date"] = firsts[i], lasts[i]
            G.add_edge(x, y, **attrs)
        return G
