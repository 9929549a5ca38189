"""The bipartite organisation–event graph: who took part in which event.

:func:`bipartite_graph` links organisations (``bipartite=0``) to the events they took part
in (``bipartite=1``); projecting it onto the organisations gives the ``co_participation``
part of :func:`graph.build.tie_graph` (Newman 2001).

Examples
--------
>>> from graph.build import example_dataset
>>> bipartite_graph(example_dataset()).number_of_edges()
5
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from graph.build.scope import restrict
from graph.build.ties import organisation_nodes
from graph.build.values import date_or_none, text_or_none
from graph.errors import GraphError
from ingest.schemas import Dataset

__all__ = ["bipartite_graph"]


def bipartite_graph(dataset: Dataset, *, as_of=None, fiscal_year=None, wards=None,
                    real_only: bool = False) -> nx.Graph:
    """Organisations and events, linked by participation.

    Parameters
    ----------
    dataset : Dataset
        The records; not modified.
    as_of, fiscal_year, wards, real_only
        Scope, as in :func:`restrict`.

    Returns
    -------
    networkx.Graph
        Organisation nodes (``bipartite=0``, ``node_type="organization"``, the tie-graph
        attributes) and event nodes (``bipartite=1``, ``node_type="event"``, ``name, kind,
        ward, date, attendance, synthetic``), keyed by their ids; one edge per participation
        with ``role``, ``date`` and ``evidence`` (``("events:<id>",)``). Events nobody took
        part in stay as isolated nodes. Projecting onto the organisations with networkx's
        ``collaboration_weighted_projected_graph`` gives the ``co_participation`` part of
        :func:`tie_graph`.

    Raises
    ------
    GraphError
        If an event id equals an organisation id, or any error of :func:`restrict`.

    Examples
    --------
    >>> from graph.build import example_dataset
    >>> B = bipartite_graph(example_dataset())
    >>> sorted(n for n, d in B.nodes(data="bipartite") if d == 1)
    ['E1', 'E2']
    >>> sorted(B["E2"])
    ['A', 'B', 'C']
    """
    ds = restrict(dataset, as_of=as_of, fiscal_year=fiscal_year, wards=wards,
                  real_only=real_only)
    B = nx.Graph()
    for node, attrs in organisation_nodes(ds.table("organizations")):
        B.add_node(node, bipartite=0, node_type="organization", **attrs)
    events = ds.table("events")
    clash = set(events["id"].astype(str)) & set(B)
    if clash:
        raise GraphError(f"bipartite_graph: ids used by both an event and an organisation: "
                         f"{', '.join(sorted(clash)[:5])}")
    event_date = {}
    for row in events.to_dict("records"):
        day = date_or_none(row.get("date"))
        event_date[str(row["id"])] = day
        B.add_node(str(row["id"]), bipartite=1, node_type="event", name=text_or_none(row.get("name")),
                   kind=text_or_none(row.get("kind")), ward=text_or_none(row.get("ward")), date=day,
                   attendance=None if pd.isna(row.get("attendance")) else int(row["attendance"]),
                   synthetic=bool(row.get("synthetic") or False))
    for row in ds.table("participations").to_dict("records"):
        event = str(row["event_id"])
        B.add_edge(str(row["org_id"]), event, role=text_or_none(row.get("role")),
                   date=event_date[event], evidence=(f"events:{event}",))
    return B
