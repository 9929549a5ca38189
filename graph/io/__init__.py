"""Write graphs for Gephi (GEXF), Cytoscape (GraphML), spreadsheets (CSV, XLSX) and code (JSON).

* GEXF and GraphML hold scalar attributes only: :func:`flatten_graph` turns tuples, lists and
  sets into ``;``-joined text, dates into ISO text, dicts into JSON, and leaves out missing
  values (``None``, NaN) so they read back as absent, not as the text "None". An attribute
  holding mixed kinds of values is written as text throughout, so each key has one type.
  Attribute names GEXF reserves (``id``, ``pid``, ``start``, ``end``, ``viz``, ... and
  ``type`` on edges) are renamed ``record_id`` / ``attr_<name>``; nodes get a ``label``
  (their ``name``) when they have none.
* Both validate against their published schemas (GEXF 1.2draft, GraphML; tested with the
  official XSDs in ``tests/fixtures/xsd``): the GEXF graph's ``name`` is written in
  ``<meta>`` as its ``<description>`` (``<graph name=…>`` is not allowed); GraphML node ids
  are XML name tokens (:func:`encode_token`: ``"NPO 12"`` is written ``NPO_x0020_12``,
  :func:`decode_token` reads it back) and a multigraph's edges get the unique ids ``e0``,
  ``e1``, ... with the networkx key as the attribute ``networkx_key`` (:func:`graphml_ready`).
* CSV: two files, ``<stem>-nodes.csv`` and ``<stem>-edges.csv``, UTF-8 with a byte-order mark
  so Excel shows Japanese correctly; every text cell is quoted (a bare CR stays in its cell).
  XLSX: one workbook with ``nodes`` and ``edges`` sheets.
  In both, text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
  ``-``, ``@``, tab or carriage return) are prefixed with a single quote
  (:func:`escape_spreadsheet_cell`); XLSX is also written with formula and URL conversion
  off. Markup such as ``<script>`` stays plain text in every format.
* JSON: networkx node-link data (``nodes``, ``edges``) with dates as ISO text, tuples as lists.
* With the analysis (:func:`analysis_graph`, :func:`layout_positions`): the organisations
  carry their communities, centralities and roles, the file a seeded layout.

The files have the bytes networkx's own writers (``write_gexf``, ``write_graphml_xml`` of
:func:`graphml_ready`,
``node_link_data`` + ``json.dumps(indent=1)``) and pandas (``to_csv``, ``to_excel`` with
xlsxwriter) give for the flattened graph (GEXF: but for its date stamp; XLSX: the same
workbook parts but for the creation time), yet they are made column by column: each attribute
is flattened once for all nodes or all edges (type checks hoisted out of the loop), then the
rows are rendered from one template per attribute layout and streamed to the file in blocks,
so no element tree, no flattened copy of the graph and no whole document is held in memory.
A graph networkx's writers would treat specially (``node_default`` in ``G.graph``, an edge
``viz``, keys of exotic types...) goes through networkx itself.
``tests/graph/test_export_speed_equivalence.py`` keeps the former per-value writers as the
reference and compares the files.

What lives where:

* :mod:`graph.io.formats` — :func:`write_graph`, the one entry point, and :data:`FORMATS`;
* :mod:`graph.io.flatten` — :func:`flatten_value`, :func:`flatten_graph`, and the column-wise
  flattening every writer shares (:class:`~graph.io.flatten.Table`, ``attribute_table``);
* :mod:`graph.io.tables` — :func:`graph_frames` (node and edge tables), CSV and XLSX
  writing with formula escaping, :func:`write_csv_table` for any result table;
  :func:`escape_spreadsheet_cell` (from ``ingest.cells``);
* :mod:`graph.io.graphml` — :func:`graphml_ready` and the GraphML writer;
* :mod:`graph.io.gexf` — the GEXF writer (spells, ``viz:position``);
* :mod:`graph.io.json_writer` — the JSON (node-link) writer;
* :mod:`graph.io.rows` — records rendered from per-layout templates and streamed in blocks
  (GraphML, GEXF, JSON);
* :mod:`graph.io.xml_text` — XML escaping as ElementTree writes it, the declaration, the file;
* :mod:`graph.io.xml_tokens` — :func:`encode_token`, :func:`decode_token`, :func:`is_token`
  (any text as an ``xs:NMTOKEN``, and back);
* :mod:`graph.io.export_analysis` — :func:`analysis_graph` (:data:`EXPORT_COLUMNS`) and
  :func:`layout_positions` (:data:`LAYOUT_METHODS`).

Helpers the submodules share with each other (``attribute_table``, ``write_rows``,
``escape_attrib``, ``write_gexf`` …) are public in their submodule but not re-exported here.

Examples
--------
>>> import tempfile, pathlib
>>> from graph.build import example_dataset, tie_graph
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in write_graph(tie_graph(example_dataset()), folder / "ties.csv")]
['ties-nodes.csv', 'ties-edges.csv']
>>> import networkx as nx
>>> _ = write_graph(tie_graph(example_dataset()), folder / "ties.gexf")
>>> nx.read_gexf(folder / "ties.gexf").edges["A", "B"]["evidence"]
'collaborations:C1;events:E1;events:E2;memberships:K'
"""

from graph.io.export_analysis import (
    EXPORT_COLUMNS,
    LAYOUT_METHODS,
    analysis_graph,
    layout_positions,
)
from graph.io.flatten import flatten_graph, flatten_value
from graph.io.formats import FORMATS, write_graph
from graph.io.graphml import graphml_ready
from graph.io.tables import escape_spreadsheet_cell, graph_frames, write_csv_table
from graph.io.xml_tokens import decode_token, encode_token, is_token

__all__ = [
    "FORMATS",
    "EXPORT_COLUMNS",
    "LAYOUT_METHODS",
    "write_graph",
    "flatten_value",
    "flatten_graph",
    "graph_frames",
    "graphml_ready",
    "write_csv_table",
    "escape_spreadsheet_cell",
    "analysis_graph",
    "layout_positions",
    "encode_token",
    "decode_token",
    "is_token",
]
