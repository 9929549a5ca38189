"""GraphML for Cytoscape and yEd, valid against the GraphML schema.

GraphML node ids are XML name tokens (:func:`graph.io.xml_tokens.encode_token`: ``"NPO 12"``
is written ``NPO_x0020_12``, :func:`graph.io.xml_tokens.decode_token` reads it back) and a
multigraph's edges get the unique ids ``e0``, ``e1``, ... with the networkx key as the
attribute ``networkx_key`` (:func:`graphml_ready`). :func:`write_graphml` writes the bytes
``nx.write_graphml_xml`` gives for the flattened graph, streamed; a graph networkx's writer
would treat specially (``node_default`` in ``G.graph``, exotic attribute types ...) goes
through networkx itself.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
>>> write_graphml(nx.Graph([("NPO 12", "b")]), path)
>>> list(nx.read_graphml(path))
['NPO_x0020_12', 'b']
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from graph.io.flatten import (
    RESERVED_EDGE,
    Table,
    attribute_table,
    edge_list,
    flat_mapping,
    flatten_column,
    flatten_graph,
    node_attribute_table,
    unify_column,
)
from graph.io.rows import template_literal, write_rows
from graph.io.xml_text import XML_DECLARATION, escape_attrib, open_xml, xml_texts
from graph.io.xml_tokens import encode_token

__all__ = ["graphml_ready", "write_graphml"]


_GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _with_column(table: Table, name: str, values: list) -> Table | None:
    """``table`` with one more attribute ``name``, present on every record (last in its
    layout); ``None`` when a value flattens to nothing."""
    column, kind = unify_column(flatten_column(values))
    if None in column:
        return None
    return Table(table.size, {**table.columns, name: column}, {**table.kinds, name: kind},
                 [layout + (name,) for layout in table.layouts], table.layout_of, table.first)


def graphml_ready(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` that GraphML's schema accepts as it is: node ids made name tokens
    (:func:`graph.io.xml_tokens.encode_token`: ``"NPO 12"`` becomes ``"NPO_x0020_12"``), and in
    a multigraph the edge keys made ``e0``, ``e1``, ... (GraphML writes them as edge ids,
    which must be unique in the file) with the former key kept as the edge attribute
    ``networkx_key``. Attribute values are not changed.

    Parameters
    ----------
    G : networkx graph
        Not modified.

    Returns
    -------
    networkx graph
        Same class; what :func:`write_graph` writes as GraphML.

    Examples
    --------
    >>> M = nx.MultiGraph([("a b", "c", "x"), ("a b", "c", "y")])
    >>> list(graphml_ready(M).edges(keys=True, data=True))
    [('a_x0020_b', 'c', 'e0', {'networkx_key': 'x'}), ('a_x0020_b', 'c', 'e1', {'networkx_key': 'y'})]
    """
    ids = {n: encode_token(str(n)) for n in G}
    F = G.__class__()
    F.graph.update(G.graph)
    F.add_nodes_from((ids[n], d) for n, d in G.nodes(data=True))
    if G.is_multigraph():
        F.add_edges_from((ids[u], ids[v], f"e{i}", {**d, "networkx_key": k})
                         for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True)))
    else:
        F.add_edges_from((ids[u], ids[v], d) for u, v, d in G.edges(data=True))
    return F


def write_graphml(G: nx.Graph, path: Path) -> None:
    """``nx.write_graphml_xml(flatten_graph(graphml_ready(G)), path)``, streamed (networkx's
    ElementTree writer: ``nx.write_graphml`` is the lxml one when lxml is installed)."""
    graph = flat_mapping(G.graph, {})
    nodes, edges = list(G), edge_list(G)
    node_table = node_attribute_table(G)
    edge_table = attribute_table([e[-1] for e in edges], RESERVED_EDGE)
    tables = {"node": node_table, "edge": edge_table}
    kinds = {(scope, name): kind for scope, table in tables.items()
             for name, kind in table.kinds.items()}
    kinds.update({("graph", k): type(v) for k, v in graph.items()})
    multigraph, keyed = G.is_multigraph(), None
    if multigraph and edges and "networkx_key" not in edge_table.columns:
        # the networkx key becomes data: the edge ids are e0, e1, ... (unique, as the schema
        # requires: Gephi and yEd drop edges whose id repeats)
        keyed = _with_column(edge_table, "networkx_key", [e[2] for e in edges])
        if keyed is not None:
            edge_table = keyed
            kinds["edge", "networkx_key"] = keyed.kinds["networkx_key"]
    if ("node_default" in graph or "edge_default" in graph
            or not isinstance(graph.get("id", ""), str)
            or (multigraph and edges and keyed is None)
            or not all(kind in _GRAPHML_TYPES for kind in kinds.values())):
        nx.write_graphml_xml(flatten_graph(graphml_ready(G)), path)  # networkx's way, or refusal
        return
    graph_id = graph.pop("id", None)
    keys: dict[tuple[str, str], str] = {}
    for scope, names in (("graph", list(graph)), ("node", node_table.names()),
                         ("edge", edge_table.names())):
        for name in names:
            keys[scope, name] = f"d{len(keys)}"

    def data(scope: str, name: str, texts: list, indent: str) -> list:
        key = escape_attrib(keys[scope, name])
        empty, opening = f'{indent}<data key="{key}" />\n', f'{indent}<data key="{key}">'
        return [None if t is None else opening + t + "</data>\n" if t else empty
                for t in texts]

    def fragments(scope: str, table: Table) -> tuple[dict, dict]:
        """Per attribute: the texts, and the literal text around them in the template."""
        texts, parts = {}, {}
        for name, values in table.columns.items():
            column = xml_texts(values, attrib=False, kind=table.kinds[name])
            if "" in column:  # an empty text is written <data key="…" />
                texts[name], parts[name] = data(scope, name, column, "      "), ("", "")
            else:
                opening = f'      <data key="{escape_attrib(keys[scope, name])}">'
                texts[name], parts[name] = column, (opening, "</data>\n")
        return texts, parts

    def template(head: str, close: str, parts: dict):
        def build(names: tuple) -> tuple:
            if not names:
                return head + " />\n", names
            body = "".join(template_literal(parts[name][0]) + "%s"
                           + template_literal(parts[name][1]) for name in names)
            return head + ">\n" + body + close, names
        return build

    directed = "directed" if G.is_directed() else "undirected"
    with open_xml(path) as out:
        out.write(XML_DECLARATION + '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                  'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                  'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for (scope, name), key in reversed(keys.items()):
            out.write(f'  <key id="{key}" for="{scope}" '
                      f'attr.name="{escape_attrib(encode_token(name))}" '
                      f'attr.type="{_GRAPHML_TYPES[kinds[scope, name]]}" />\n')
        graph_data = "".join(data("graph", k, xml_texts([v], attrib=False), "    ")[0]
                             for k, v in graph.items())
        opening = f'  <graph edgedefault="{directed}"'
        if graph_id is not None:
            opening += f' id="{escape_attrib(encode_token(graph_id))}"'
        if not (nodes or edges or graph_data):
            out.write(opening + " />\n</graphml>\n")
            return
        out.write(opening + ">\n")
        texts, parts = fragments("node", node_table)
        ids = dict(zip(nodes, map(encode_token, map(str, nodes))))  # name tokens: no escaping
        write_rows(out, node_table, [list(ids.values())],
                   texts, template('    <node id="%s"', "    </node>\n", parts))
        lead = [[ids[e[0]] for e in edges], [ids[e[1]] for e in edges]]
        head = '    <edge source="%s" target="%s"'
        if multigraph:
            lead.append([f"e{i}" for i in range(len(edges))])
            head += ' id="%s"'
        texts, parts = fragments("edge", edge_table)
        write_rows(out, edge_table, lead, texts, template(head, "    </edge>\n", parts))
        out.write(graph_data + "  </graph>\n</graphml>\n")
