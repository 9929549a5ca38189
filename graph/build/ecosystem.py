"""The typed ecosystem graph: every record of a dataset as one dated, sourced multigraph.

:func:`ecosystem_graph` makes organisations, councils, events, talents, resources, award
programmes and wards nodes (keyed by :func:`ecosystem_node_id`) and every record an edge
with its ``relation``, ``evidence`` and ``date``; :class:`EcosystemGraph` holds the graph
with the (consistent) records it was built from. It is what ``tsunagari export --view
ecosystem`` writes.

Examples
--------
>>> from graph.build import example_dataset
>>> ecosystem_graph(example_dataset()).graph.number_of_nodes()
9
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from graph.build.scope import restrict
from graph.build.values import date_or_none, field_numbers, id_list, text_or_none
from graph.errors import GraphError
from ingest.schemas import Dataset

__all__ = ["EcosystemGraph", "ecosystem_node_id", "ecosystem_graph"]

_NODE_PREFIX = {
    "organization": "org",
    "council": "org",
    "event": "event",
    "talent": "talent",
    "resource": "resource",
    "program": "program",
    "ward": "ward",
}


def ecosystem_node_id(node_type: str, record_id: object) -> str:
    """The node key of a record in the :func:`ecosystem_graph`: ``"<prefix>:<id>"``.

    Organisations and councils share the prefix ``org``; the others are ``event``,
    ``talent``, ``resource``, ``program`` (award programme, keyed by its name) and ``ward``
    (keyed by the ward name).

    >>> ecosystem_node_id("council", "R-O010"), ecosystem_node_id("ward", "西淀川区")
    ('org:R-O010', 'ward:西淀川区')
    """
    try:
        prefix = _NODE_PREFIX[node_type]
    except KeyError:
        raise GraphError(
            f"node_type: unknown {node_type!r}; types are {', '.join(_NODE_PREFIX)}") from None
    return f"{prefix}:{record_id}"


@dataclass(frozen=True, eq=False)
class EcosystemGraph:
    """The whole dataset as one typed, dated multigraph.

    Attributes
    ----------
    graph : networkx.MultiDiGraph
        Nodes keyed by :func:`ecosystem_node_id`, with ``node_type``, ``id`` (the record id),
        ``label`` and the record's attributes. Edges carry ``relation``, ``evidence`` (tuple
        of ``"table:id"``) and ``date`` (``datetime.date`` or ``None``). Read-only by
        convention: copy before changing it.
    dataset : Dataset
        The records the graph was built from.
    """

    graph: nx.MultiDiGraph
    dataset: Dataset


def ecosystem_graph(dataset: Dataset) -> EcosystemGraph:
    """Every record of ``dataset`` as typed nodes and dated, sourced edges.

    Edges and their direction:

    ========================  =====================  ======================================
    relation                  from → to              evidence, date
    ========================  =====================  ======================================
    ``participated``          org → event            ``events:<id>``, event date, ``role``
    ``organised``             org → event            ``events:<id>``, event date
    ``collaborated``          org → org              ``collaborations:<id>``, start date;
                                                     once per pair, first-listed org first
    ``member_of``             org → council          ``memberships:<council id>``, since,
                                                     ``until``
    ``dispatched_to``         talent → org           ``dispatches:<id>``, start, ``sessions``
    ``offered``               org → resource         ``resources:<id>``, offered_on
    ``awarded``               program → org          ``awards:<org>/<program>/<FY>``,
                                                     1 April of the FY, ``fiscal_year``,
                                                     ``amount_yen``
    ``located_in``            org or event → ward    ``organizations:<id>`` or ``events:<id>``,
                                                     no date
    ========================  =====================  ======================================

    Parameters
    ----------
    dataset : Dataset
        The records (made consistent with :func:`restrict` first); not modified.

    Returns
    -------
    EcosystemGraph

    Raises
    ------
    GraphError
        If ``dataset`` is not a Dataset or organisation ids repeat.

    Examples
    --------
    >>> from graph.build import example_dataset
    >>> eg = ecosystem_graph(example_dataset())
    >>> G = eg.graph
    >>> G.nodes["org:K"]["node_type"], G.nodes["event:E1"]["node_type"]
    ('council', 'event')
    >>> sorted({d["relation"] for _, _, d in G.edges(data=True)})
    ['collaborated', 'located_in', 'member_of', 'organised', 'participated']
    >>> [(u, v) for u, v, d in G.edges(data=True) if d["relation"] == "member_of"]
    [('org:A', 'org:K'), ('org:B', 'org:K')]
    """
    ds = restrict(dataset)
    G = nx.MultiDiGraph()
    key = ecosystem_node_id

    def ward_edge(node, ward, evidence):
        if ward is None:
            return
        G.add_node(key("ward", ward), node_type="ward", id=ward, label=ward)
        G.add_edge(node, key("ward", ward), relation="located_in", evidence=(evidence,),
                   date=None)

    orgs = ds.table("organizations")
    for row in orgs.to_dict("records"):
        node_type = "council" if row.get("kind") == "council" else "organization"
        node = key(node_type, row["id"])
        G.add_node(node, node_type=node_type, id=str(row["id"]), label=text_or_none(row.get("name")),
                   name=text_or_none(row.get("name")), kind=text_or_none(row.get("kind")),
                   ward=text_or_none(row.get("ward")), orientation=text_or_none(row.get("orientation")),
                   fields=field_numbers(row.get("fields")), founded=date_or_none(row.get("founded")),
                   synthetic=bool(row.get("synthetic") or False))
        ward_edge(node, text_or_none(row.get("ward")), f"organizations:{row['id']}")

    events = ds.table("events")
    event_date = {}
    for row in events.to_dict("records"):
        node = key("event", row["id"])
        day = date_or_none(row.get("date"))
        event_date[str(row["id"])] = day
        G.add_node(node, node_type="event", id=str(row["id"]), label=text_or_none(row.get("name")),
                   name=text_or_none(row.get("name")), kind=text_or_none(row.get("kind")),
                   ward=text_or_none(row.get("ward")), date=day,
                   end_date=date_or_none(row.get("end_date")),
                   attendance=None if pd.isna(row.get("attendance")) else int(row["attendance"]),
                   synthetic=bool(row.get("synthetic") or False))
        ward_edge(node, text_or_none(row.get("ward")), f"events:{row['id']}")
        organizer = text_or_none(row.get("organizer_id"))
        if organizer is not None:
            G.add_edge(key("organization", organizer), node, relation="organised",
                       evidence=(f"events:{row['id']}",), date=day)

    for row in ds.table("participations").to_dict("records"):
        G.add_edge(key("organization", row["org_id"]), key("event", row["event_id"]),
                   relation="participated", evidence=(f"events:{row['event_id']}",),
                   date=event_date.get(str(row["event_id"])), role=text_or_none(row.get("role")))

    for row in ds.table("collaborations").to_dict("records"):
        members = list(dict.fromkeys(id_list(row.get("org_ids"))))
        day = date_or_none(row.get("start_date"))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                G.add_edge(key("organization", a), key("organization", b),
                           relation="collaborated", evidence=(f"collaborations:{row['id']}",),
                           date=day, title=text_or_none(row.get("title")))

    for row in ds.table("memberships").to_dict("records"):
        G.add_edge(key("organization", row["org_id"]), key("council", row["council_id"]),
                   relation="member_of", evidence=(f"memberships:{row['council_id']}",),
                   date=date_or_none(row.get("since")), until=date_or_none(row.get("until")))

    talents = ds.table("talents")
    for row in talents.to_dict("records"):
        G.add_node(key("talent", row["id"]), node_type="talent", id=str(row["id"]),
                   label=str(row["id"]), skills=text_or_none(row.get("skills")),
                   registered_on=date_or_none(row.get("registered_on")),
                   synthetic=bool(row.get("synthetic") or False))
    for row in ds.table("dispatches").to_dict("records"):
        talent = key("talent", row["talent_id"])
        if talent not in G:
            G.add_node(talent, node_type="talent", id=str(row["talent_id"]),
                       label=str(row["talent_id"]), skills=None, registered_on=None,
                       synthetic=bool(row.get("synthetic") or False))
        G.add_edge(talent, key("organization", row["org_id"]), relation="dispatched_to",
                   evidence=(f"dispatches:{row['id']}",),
                   date=date_or_none(row.get("start_date")),
                   sessions=None if pd.isna(row.get("sessions")) else int(row["sessions"]),
                   purpose=text_or_none(row.get("purpose")))

    for row in ds.table("resources").to_dict("records"):
        node = key("resource", row["id"])
        day = date_or_none(row.get("offered_on"))
        G.add_node(node, node_type="resource", id=str(row["id"]), label=text_or_none(row.get("title")),
                   title=text_or_none(row.get("title")), kind=text_or_none(row.get("kind")), date=day,
                   synthetic=bool(row.get("synthetic") or False))
        G.add_edge(key("organization", row["provider_id"]), node, relation="offered",
                   evidence=(f"resources:{row['id']}",), date=day)

    for row in ds.table("awards").to_dict("records"):
        program = str(row["program"])
        node = key("program", program)
        G.add_node(node, node_type="program", id=program, label=program)
        fy = None if pd.isna(row.get("fiscal_year")) else int(row["fiscal_year"])
        G.add_edge(node, key("organization", row["org_id"]), relation="awarded",
                   evidence=(f"awards:{row['org_id']}/{program}/{fy}",),
                   date=None if fy is None else dt.date(fy, 4, 1), fiscal_year=fy,
                   amount_yen=None if pd.isna(row.get("amount_yen")) else int(row["amount_yen"]))
    return EcosystemGraph(graph=G, dataset=ds)

