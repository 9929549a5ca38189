"""Build graphs from a :class:`~ingest.schemas.Dataset`.

Three views of one dataset:

``ecosystem_graph(dataset)``
    Everything, typed: a :class:`networkx.MultiDiGraph` whose nodes are organisations
    (``node_type`` ``"organization"``, or ``"council"`` for kind ``council``), events, talents,
    resources, award programmes and wards, and whose edges are the records (``relation``
    ``participated``, ``organised``, ``collaborated``, ``member_of``, ``dispatched_to``,
    ``offered``, ``awarded``, ``located_in``), each with ``evidence`` and ``date``.
``tie_graph(dataset, ...)``
    The organisation tie graph used by every analysis: one node per organisation in scope
    (isolates included), one weighted undirected edge per pair of organisations with any
    evidence of working together (see :func:`tie_graph` for the weighting).
``bipartite_graph(dataset, ...)``
    Organisations (``bipartite=0``) and the events they took part in (``bipartite=1``).

:func:`restrict` cuts a dataset to a date, a fiscal year, some wards or the real records only;
the graph builders take the same keyword arguments and call it first.

Time semantics (shared by every function here):

* A record's date is its *start*: event ``date``, collaboration ``start_date``, membership
  ``since``, dispatch ``start_date``, resource ``offered_on``, talent ``registered_on``,
  organisation ``founded``, and 1 April of an award's fiscal year.
* Restricting to ``as_of`` keeps records dated on or before ``as_of``; undated records are
  always kept (they count as always present). The view is cumulative: a collaboration that
  ended, or a membership with an ``until`` before ``as_of``, is still evidence of a tie.
* A tie's ``first_date`` is its earliest evidence date, or ``None`` when some evidence is
  undated (the tie is then present in every snapshot); ``last_date`` is its latest evidence
  date (``None`` when nothing is dated). So a tie is in the snapshot ``as_of=d`` exactly when
  ``first_date is None or first_date <= d`` (its weight may differ: group sizes change).

What lives where:

* :mod:`graph.build.scope` — :func:`restrict` (and the dataset checks it runs first);
* :mod:`graph.build.weights` — :data:`TIE_PARTS`, :data:`DEFAULT_TIE_WEIGHTS`,
  :func:`tie_weights`;
* :mod:`graph.build.ties` — :func:`tie_graph`, :func:`organisation_attributes`;
* :mod:`graph.build.ecosystem` — :class:`EcosystemGraph`, :func:`ecosystem_graph`,
  :func:`ecosystem_node_id`;
* :mod:`graph.build.bipartite` — :func:`bipartite_graph`;
* :mod:`graph.build.example` — :func:`example_dataset`;
* :mod:`graph.build.values` — reading cells (``id_list``, ``field_numbers``,
  ``text_or_none``, ``date_or_none``, ``synthetic_flags``), shared by the submodules.

Helpers the submodules share with each other (the cell readers, ``organisation_nodes``) are
public in their submodule but not re-exported here.

Examples
--------
>>> ds = example_dataset()
>>> T = tie_graph(ds)
>>> sorted(T.edges(data="weight"))
[('A', 'B', 3.5), ('A', 'C', 0.5), ('A', 'K', 1.0), ('B', 'C', 0.5), ('B', 'K', 1.0)]
>>> T.edges["A", "B"]["evidence"]
('collaborations:C1', 'events:E1', 'events:E2', 'memberships:K')
>>> sorted(tie_graph(ds, as_of="2019-05-31").edges(data="weight"))
[('A', 'B', 2.0), ('A', 'K', 1.0), ('B', 'K', 1.0)]
"""

from graph.build.bipartite import bipartite_graph
from graph.build.ecosystem import EcosystemGraph, ecosystem_graph, ecosystem_node_id
from graph.build.example import example_dataset
from graph.build.scope import restrict
from graph.build.ties import organisation_attributes, tie_graph
from graph.build.weights import DEFAULT_TIE_WEIGHTS, TIE_PARTS, tie_weights

__all__ = [
    "TIE_PARTS",
    "DEFAULT_TIE_WEIGHTS",
    "EcosystemGraph",
    "ecosystem_node_id",
    "ecosystem_graph",
    "restrict",
    "tie_graph",
    "bipartite_graph",
    "example_dataset",
    "tie_weights",
    "organisation_attributes",
]
