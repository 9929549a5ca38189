"""GEXF 1.2draft for Gephi, valid against its schema, with spells and ``viz`` positions.

The GEXF graph's ``name`` is written in ``<meta>`` as its ``<description>`` (``<graph
name=…>`` is not allowed). :func:`write_gexf` writes the bytes ``nx.write_gexf`` gives for the
flattened graph (but for its date stamp), streamed; optionally each node's layout position as
``<viz:position>`` and each edge's ``first_date`` – ``last_date`` as its spell. A graph
networkx's writer would treat specially (``node_default`` in ``G.graph``, an edge ``viz``,
keys of exotic types...) goes through networkx itself.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.gexf"
>>> write_gexf(nx.Graph([("a", "b", {"weight": 2.0})]), path, {"a": (0, 1)})
>>> nx.read_gexf(path).nodes["a"]["viz"]["position"]
{'x': 0.0, 'y': 1.0, 'z': 0.0}
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from pathlib import Path

import networkx as nx

from graph.io.flatten import (
    NONE_TYPE,
    RESERVED_EDGE,
    attribute_table,
    edge_list,
    flat_mapping,
    flatten_graph,
    node_attribute_table,
)
from graph.io.rows import write_rows
from graph.io.xml_text import (
    XML_DECLARATION,
    escape_all,
    escape_attrib,
    escape_cdata,
    open_xml,
    xml_texts,
)

__all__ = ["write_gexf"]


_BASIC = (bool, int, float, str)  # the value types GEXF and GraphML hold
_GEXF_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _networkx_gexf(F: nx.Graph, path: Path) -> None:
    """``nx.write_gexf(F, path)`` but for the graph's name, which GEXF 1.2draft does not allow
    on ``<graph>``: it is written as the ``<meta>`` description."""
    from xml.etree.ElementTree import SubElement

    writer = nx.readwrite.gexf.GEXFWriter()
    writer.add_graph(F)
    name = writer.graph_element.attrib.pop("name", "")
    if name:
        SubElement(writer.xml.find("meta"), "description").text = name
    with open(path, "wb") as out:
        writer.write(out)


def write_gexf(G: nx.Graph, path: Path, positions: Mapping | None = None,
               spells: bool = False) -> None:
    """``nx.write_gexf(flatten_graph(G), path)``, streamed, with the graph's name in
    ``<meta>`` (see :func:`_networkx_gexf`); ``positions`` as ``viz:position``, edge dates as
    spells (see :func:`write_graph`)."""
    graph = flat_mapping(G.graph, {})
    nodes, edges = list(G), edge_list(G)
    node_table = node_attribute_table(G)
    edge_table = attribute_table([e[-1] for e in edges], RESERVED_EDGE)
    multigraph = G.is_multigraph()
    edge_columns = dict(edge_table.columns)
    if multigraph:  # networkx writes the key as an attribute ("networkx_key")
        edge_columns["key"] = [e[2] for e in edges]
    kinds = {"node": node_table.kinds, "edge": dict(edge_table.kinds)}
    if multigraph:  # the attribute is declared with the type of the first edge's key
        kinds["edge"]["key"] = type(edges[0][2]) if edges else int
    if ("node_default" in graph or "edge_default" in graph
            or not isinstance(graph.get("name", ""), str) or "viz" in edge_columns
            or any({"key", "networkx_key"} <= set(c) for c in (node_table.columns, edge_columns))
            or (multigraph and set(map(type, edge_columns["key"])) - set(_BASIC))
            or not all(kind in _GEXF_TYPES for k in kinds.values() for kind in k.values())):
        _networkx_gexf(_with_viz(flatten_graph(G), G, positions, spells), path)  # networkx's
        return

    extras = {"node": ("@viz",) if positions is not None else (),
              "edge": ("@spells",) if spells else ()}

    def node_names(layout: tuple) -> tuple:
        return tuple(name for name in layout if name != "label")

    def edge_names(layout: tuple) -> tuple:
        names = tuple(name for name in layout if name not in ("label", "weight"))
        return names + ("key",) if multigraph and "key" not in names else names

    attribute_ids: dict[tuple[str, str], str] = {}
    declarations: dict[str, list[str]] = {"node": [], "edge": []}
    for scope, table, names_of in (("node", node_table, node_names),
                                   ("edge", edge_table, edge_names)):
        for name in table.names([names_of(layout) for layout in table.layouts]):
            attribute_ids[scope, name] = str(len(attribute_ids))
            title = "networkx_key" if name == "key" else name  # networkx renames "key"
            declarations[scope].append(
                f'      <attribute id="{attribute_ids[scope, name]}" '
                f'title="{escape_attrib(title)}" type="{_GEXF_TYPES[kinds[scope][name]]}" />\n')

    def fragments(scope: str, columns: dict) -> dict:
        out = {}
        for name, values in columns.items():
            if (scope, name) not in attribute_ids:
                continue
            if set(map(type, values)) - {kinds[scope][name], NONE_TYPE}:  # keys of mixed types
                out[name] = [None if v is None else xml_texts([v], attrib=True, booleans=_lower,
                                                              infinities=True)[0] for v in values]
            else:
                out[name] = xml_texts(values, attrib=True, booleans=_lower, infinities=True,
                                      kind=kinds[scope][name])
        return out

    def element(scope: str, head: str, names: tuple, close: str) -> str:
        extra = extras[scope]  # viz:position of a node, spells of an edge: "%s", maybe empty
        if not names:
            return head + (">\n%s" + close if extra else " />\n")
        values = "".join(f'          <attvalue for="{attribute_ids[scope, name]}" value="%s" />\n'
                         for name in names)
        return (head + ">\n        <attvalues>\n" + values + "        </attvalues>\n"
                + ("%s" if extra else "") + close)

    def node_template(layout: tuple) -> tuple:
        names = node_names(layout)
        head = '      <node id="%s" label="%s"'
        return element("node", head, names, "      </node>\n"), names + extras["node"]

    def edge_template(layout: tuple) -> tuple:
        names = edge_names(layout)
        head = '      <edge source="%s" target="%s" id="%s"'
        lead = []
        for special in ("label", "weight"):
            if special in layout:
                head += f' {special}="%s"'
                lead.append(f"@{special}")
        return (element("edge", head, names, "      </edge>\n"),
                tuple(lead) + names + extras["edge"])

    directed = "directed" if G.is_directed() else "undirected"
    mode = "dynamic" if graph.get("mode") == "dynamic" or spells else "static"
    timeformat = ' timeformat="date"' if spells else ""
    viz = ' xmlns:viz="http://www.gexf.net/1.2draft/viz"' if positions is not None else ""
    with open_xml(path) as out:
        out.write(XML_DECLARATION + f'<gexf{viz} xmlns="http://www.gexf.net/1.2draft" '
                  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                  'xsi:schemaLocation="http://www.gexf.net/1.2draft '
                  'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
                  f'  <meta lastmodifieddate="{time.strftime("%Y-%m-%d")}">\n'
                  f'    <creator>{escape_cdata(f"NetworkX {nx.__version__}")}</creator>\n'
                  + (f'    <description>{escape_cdata(graph["name"])}</description>\n'
                     if graph.get("name") else "")
                  + "  </meta>\n"
                  f'  <graph defaultedgetype="{directed}" mode="{mode}"{timeformat}>\n')
        for scope in ("edge", "node"):
            if declarations[scope]:
                out.write(f'    <attributes mode="static" class="{scope}">\n'
                          + "".join(declarations[scope]) + "    </attributes>\n")
        if nodes:
            labels = node_table.columns.get("label", [None] * len(nodes))
            label_texts = escape_all([str(n if label is None else label)
                                      for n, label in zip(nodes, labels)], attrib=True)
            parts = fragments("node", node_table.columns)
            if positions is not None:
                parts["@viz"] = _viz_texts(nodes, positions)
            out.write("    <nodes>\n")
            write_rows(out, node_table,
                       [escape_all([str(n) for n in nodes], attrib=True), label_texts],
                       parts, node_template)
            out.write("    </nodes>\n")
        else:
            out.write("    <nodes />\n")
        if edges:
            lead = [escape_all([str(e[0]) for e in edges], attrib=True),
                    escape_all([str(e[1]) for e in edges], attrib=True),
                    [str(i) for i in range(len(edges))]]
            parts = fragments("edge", edge_columns)
            for special in ("label", "weight"):
                if special in edge_table.columns:
                    values = edge_table.columns[special]
                    parts[f"@{special}"] = escape_all(
                        [None if v is None else str(v) for v in values], attrib=True)
            if spells:
                parts["@spells"] = _spell_texts(edges)
            out.write("    <edges>\n")
            write_rows(out, edge_table, lead, parts, edge_template)
            out.write("    </edges>\n")
        else:
            out.write("    <edges />\n")
        out.write("  </graph>\n</gexf>\n")


def _spell(edge_attrs: Mapping) -> tuple:
    """The (start, end) ISO dates of a tie, from its ``first_date`` / ``last_date``."""
    out = []
    for name in ("first_date", "last_date"):
        value = edge_attrs.get(name)
        if isinstance(value, dt.datetime):
            value = value.date()
        out.append(value.isoformat() if isinstance(value, dt.date) else None)
    return tuple(out)


def _spell_texts(edges: list) -> list[str]:
    """The ``<spells>`` element of each edge (empty text for an edge without dates)."""
    texts = []
    for e in edges:
        start, end = _spell(e[-1])
        if start is None and end is None:
            texts.append("")
            continue
        bounds = (f' start="{start}"' if start else "") + (f' end="{end}"' if end else "")
        texts.append(f"        <spells>\n          <spell{bounds} />\n        </spells>\n")
    return texts


def _viz_texts(nodes: list, positions: Mapping) -> list[str]:
    """The ``<viz:position>`` element of each node (empty text for a node without one)."""
    texts = []
    for n in nodes:
        xy = positions.get(n)
        texts.append("" if xy is None else
                     f'        <viz:position x="{float(xy[0])!r}" y="{float(xy[1])!r}" '
                     'z="0.0" />\n')
    return texts


def _with_viz(F: nx.Graph, G: nx.Graph, positions: Mapping | None, spells: bool) -> nx.Graph:
    """The flattened ``F`` with ``positions`` and ``G``'s edge dates in networkx's GEXF form
    (node ``viz``, edge ``spells``), for networkx's writer."""
    if positions is not None:
        for n, xy in positions.items():
            if n in F:
                F.nodes[n]["viz"] = {"position": {"x": float(xy[0]), "y": float(xy[1]),
                                                  "z": 0.0}}
    if spells:
        F.graph["mode"] = "dynamic"
        for (*_, attrs), (*_, flat) in zip(edge_list(G), edge_list(F)):
            start, end = _spell(attrs)
            if start is not None or end is not None:
                flat["spells"] = [(start, end)]
    return F


def _lower(value: bool) -> str:
    return "true" if value else "false"
