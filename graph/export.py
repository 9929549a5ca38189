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
  are XML name tokens (:func:`graph.xml_tokens.encode_token`: ``"NPO 12"`` is written
  ``NPO_x0020_12``, :func:`graph.xml_tokens.decode_token` reads it back) and a multigraph's
  edges get the unique ids ``e0``, ``e1``, ... with the networkx key as the attribute
  ``networkx_key`` (:func:`graphml_ready`).
* CSV: two files, ``<stem>-nodes.csv`` and ``<stem>-edges.csv``, UTF-8 with a byte-order mark
  so Excel shows Japanese correctly; every text cell is quoted (a bare CR stays in its cell).
  XLSX: one workbook with ``nodes`` and ``edges`` sheets.
  In both, text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
  ``-``, ``@``, tab or carriage return) are prefixed with a single quote
  (:func:`escape_spreadsheet_cell`); XLSX is also written with formula and URL conversion
  off. Markup such as ``<script>`` stays plain text in every format.
* JSON: networkx node-link data (``nodes``, ``edges``) with dates as ISO text, tuples as lists.

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

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain, islice
from json.encoder import encode_basestring
from operator import itemgetter
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from graph.errors import GraphError
from graph.xml_tokens import encode_token

# the one spreadsheet-escape function (also the full-width ＝＋－＠ of Japanese Excel)
from ingest.cells import FORMULA_SCAN as _FORMULA_SCAN
from ingest.cells import FORMULA_START as _FORMULA_START
from ingest.cells import escape_spreadsheet_cell, escape_spreadsheet_texts

__all__ = [
    "FORMATS",
    "escape_spreadsheet_cell",
    "flatten_value",
    "flatten_graph",
    "graph_frames",
    "graphml_ready",
    "write_graph",
    "write_csv_table",
]

#: Formats :func:`write_graph` can write, keyed by name, with their file suffix.
FORMATS: dict[str, str] = {"gexf": ".gexf", "graphml": ".graphml", "csv": ".csv",
                           "json": ".json", "xlsx": ".xlsx"}

_RESERVED_NODE = {"id": "record_id", "pid": "attr_pid", "start": "attr_start",
                  "end": "attr_end", "viz": "attr_viz", "parents": "attr_parents",
                  "slices": "attr_slices", "spells": "attr_spells"}
_RESERVED_EDGE = {"id": "record_id", "type": "attr_type", "start": "attr_start",
                  "end": "attr_end", "slices": "attr_slices", "spells": "attr_spells"}
_NONE = type(None)
_SCALARS = frozenset({str, int, bool, float, _NONE})
_DATES = frozenset({dt.date, dt.datetime, _NONE})
_BASIC = (bool, int, float, str)  # the value types GEXF and GraphML hold
_BLOCK = 20_000  # records rendered and written at a time


def flatten_value(value):
    """One attribute value as a scalar GEXF/GraphML can hold; ``None`` when missing.

    >>> flatten_value((1, 13)), flatten_value(dt.date(2019, 4, 1)), flatten_value(None)
    ('1;13', '2019-04-01', None)
    >>> flatten_value({"b": 1}), flatten_value(np.int64(3)), flatten_value(float("nan"))
    ('{"b": 1}', 3, None)
    """
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date().isoformat() if value == value.normalize() \
            else value.isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return json.dumps(dict(value), ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, (tuple, list, set, frozenset, np.ndarray)):
        items = list(value)
        if isinstance(value, (set, frozenset)):
            items = sorted(items, key=str)
        return ";".join("" if x is None else str(flatten_value(x)) for x in items)
    if value is pd.NaT:
        return None
    return str(value)


def _flatten_column(values: list) -> list:
    """:func:`flatten_value` of every value of one attribute (``None`` where missing), with the
    type checks done once for the column: text, numbers, dates and tuples of text or integers
    take one comprehension; anything else goes value by value."""
    kinds = set(map(type, values))
    if kinds <= _SCALARS:
        # NaN is the one value unequal to itself
        return [None if v != v else v for v in values] if float in kinds else values  # noqa: PLR0124
    if kinds <= _DATES:
        return _isoformat_all(values)
    if kinds <= {tuple, list, _NONE}:
        items = set(map(type, chain.from_iterable(v for v in values if v is not None)))
        if items <= {str}:
            return [None if v is None else ";".join(v) for v in values]
        if items <= {str, int}:
            return [None if v is None else ";".join(map(str, v)) for v in values]
    return [flatten_value(v) for v in values]


def _isoformat_all(values: list, quote: str = "") -> list:
    """``quote + v.isoformat() + quote`` of dates and datetimes (each distinct value once)."""
    texts = {v: quote + v.isoformat() + quote for v in set(values) if v is not None}
    texts[None] = None
    return list(map(texts.__getitem__, values))


def _unify_column(values: list) -> tuple[list, type]:
    """One type for an attribute: mixed numbers become floats, other mixtures text. Returns
    the column and its type."""
    kinds = set(map(type, values))
    kinds.discard(_NONE)
    if len(kinds) <= 1:
        return values, kinds.pop() if kinds else str
    target = float if kinds <= {int, float} else str
    return [None if v is None else target(v) for v in values], target


def _flat_mapping(attrs: Mapping, reserved: Mapping[str, str]) -> dict:
    out = {}
    for key, value in attrs.items():
        value = flatten_value(value)
        if value is not None:
            out[reserved.get(str(key), str(key))] = value
    return out


_LABEL = object()  # the label flatten_graph adds to a node that has a text name and no label


@dataclass(frozen=True)
class _Table:
    """The flattened attributes of a list of records (the nodes or the edges of a graph).

    ``columns[name][i]`` is record ``i``'s value (``None`` when it has none), of type
    ``kinds[name]``; record ``i`` holds the names ``layouts[layout_of[i]]`` in that order;
    ``first[j]`` is the first record with layout ``j`` (layouts are numbered in order of first
    appearance).
    """

    size: int
    columns: dict
    kinds: dict
    layouts: list
    layout_of: np.ndarray
    first: list

    def names(self, layouts=None) -> list:
        """Attribute names in the order a record-by-record scan first meets them."""
        return list(dict.fromkeys(chain.from_iterable(self.layouts if layouts is None
                                                      else layouts)))

    def records(self) -> list[dict]:
        """One flattened attribute dict per record."""
        columns, layouts = self.columns, self.layouts
        return [{name: columns[name][i] for name in layouts[j]}
                for i, j in enumerate(self.layout_of.tolist())]


def _groups(records: list) -> tuple[dict[tuple, int], list[int]]:
    """The distinct key orders of ``records`` (numbered in order of first appearance) and the
    number of each record's."""
    key_orders = list(map(tuple, records))
    groups = {keys: i for i, keys in enumerate(dict.fromkeys(key_orders))}
    return groups, [0] * len(records) if len(groups) == 1 else [groups[k] for k in key_orders]


def _table(records: list, reserved: Mapping[str, str], *, labels: bool = False) -> _Table:
    """Flatten the attribute dicts ``records`` column by column (see :func:`flatten_graph`)."""
    n = len(records)
    groups, group_of = _groups(records)
    keys = list(dict.fromkeys(chain.from_iterable(groups)))
    name_of = {k: reserved.get(str(k), str(k)) for k in keys}
    flat = {}
    for k in keys:
        raw = (list(map(itemgetter(k), records)) if len(groups) == 1
               else [d.get(k) for d in records])
        flat[k] = _flatten_column(raw)
    orders = [list(g) for g in groups]

    def merged(name: str) -> list:
        sources = [k for k in keys if name_of[k] == name]
        if len(sources) == 1:
            return flat[sources[0]]
        if not sources:
            return [None] * n
        # several keys flatten to one name ("id" and "record_id"): the last one present wins
        out = [None] * n
        order = [[k for k in ks if name_of.get(k) == name] for ks in orders]
        for i in range(n):
            for k in order[group_of[i]]:
                if flat[k][i] is not None:
                    out[i] = flat[k][i]
        return out

    if labels and n:
        given = merged("label")
        added = [v if label is None and isinstance(v, str) else None
                 for v, label in zip(merged("name"), given)]
        if any(v is not None for v in added):
            keys.append(_LABEL)
            name_of[_LABEL] = "label"
            flat[_LABEL] = added
            for order in orders:
                order.append(_LABEL)
    columns, kinds = {}, {}
    for name in dict.fromkeys(name_of.values()):
        columns[name], kinds[name] = _unify_column(merged(name))

    partial = [k for k in keys if None in flat[k]]
    if n == 0:
        layout_of, first = np.zeros(0, dtype=np.intp), []
    elif len(groups) == 1 and not partial:
        layout_of, first = np.zeros(n, dtype=np.intp), [0]
    else:
        present = [np.asarray(group_of, dtype=np.int64)]
        present += [np.array([v is not None for v in flat[k]]) for k in partial]
        _, starts, inverse = np.unique(np.column_stack(present), axis=0, return_index=True,
                                       return_inverse=True)
        rank = np.empty(len(starts), dtype=np.intp)
        rank[np.argsort(starts)] = np.arange(len(starts))
        layout_of = rank[inverse.reshape(-1)]
        first = np.sort(starts).tolist()
    layouts = []
    for i in first:
        names: dict[str, None] = {}
        for k in orders[group_of[i]]:
            if flat[k][i] is not None:
                names.setdefault(name_of[k])
        layouts.append(tuple(names))
    held = set(chain.from_iterable(layouts))  # not the names that are always missing
    columns = {name: values for name, values in columns.items() if name in held}
    return _Table(n, columns, {name: kinds[name] for name in columns}, layouts, layout_of, first)


def _edge_list(G: nx.Graph) -> list[tuple]:
    return list(G.edges(keys=True, data=True) if G.is_multigraph() else G.edges(data=True))


def _node_table(G: nx.Graph) -> _Table:
    return _table([d for _, d in G.nodes(data=True)], _RESERVED_NODE, labels=True)


def flatten_graph(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` whose graph, node and edge attributes are all scalars.

    Parameters
    ----------
    G : networkx graph
        Any graph class (multigraph keys are kept); not modified.

    Returns
    -------
    networkx graph
        Same class and structure; attributes flattened with :func:`flatten_value`, missing
        values left out, one type per attribute name, GEXF-reserved names renamed, and a
        ``label`` (the ``name``) on nodes that have none.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", name="A会", fields=(1, 3), ward=None)
    >>> G.add_edge("a", "b", evidence=("events:E1",), first_date=dt.date(2019, 6, 1))
    >>> F = flatten_graph(G)
    >>> F.nodes["a"], F.edges["a", "b"]["first_date"]
    ({'name': 'A会', 'fields': '1;3', 'label': 'A会'}, '2019-06-01')
    >>> G.nodes["a"]["fields"]
    (1, 3)
    """
    edges = _edge_list(G)
    edge_attrs = _table([e[-1] for e in edges], _RESERVED_EDGE).records()
    F = G.__class__()
    F.graph.update(_flat_mapping(G.graph, {}))
    F.add_nodes_from(zip(G.nodes, _node_table(G).records()))
    F.add_edges_from(e[:-1] + (attrs,) for e, attrs in zip(edges, edge_attrs))
    return F


def _frame_columns(lead: dict[str, list], table: _Table, *,
                   drop_label: bool = False) -> dict[str, list]:
    """``lead`` columns, then the table's attributes in first-seen order (``None`` =
    missing): the columns ``DataFrame(list of row dicts)`` would have."""
    columns = dict(table.columns)
    first_seen: dict[str, tuple] = {}  # name → (first record holding it, position there)
    for start, layout in zip(table.first, table.layouts):
        for position, name in enumerate(layout):
            first_seen.setdefault(name, (start, position))
    if drop_label and "label" in columns:
        # graph_frames leaves out a label that only repeats the name
        names = columns.get("name", [None] * table.size)
        kept = [None if v is None or v == name else v
                for v, name in zip(columns["label"], names)]
        hits = [i for i, v in enumerate(kept) if v is not None]
        if hits:
            columns["label"] = kept
            layout = table.layouts[table.layout_of[hits[0]]]
            first_seen["label"] = (hits[0], layout.index("label"))
        else:
            del columns["label"], first_seen["label"]
    out = dict(lead)
    for name in sorted(first_seen, key=first_seen.__getitem__):
        values = columns[name]
        if name in out:  # an attribute called "source", "target" or "key" wins
            values = [given if v is None else v for v, given in zip(values, out[name])]
        out[name] = values
    return out


def _frame(columns: dict[str, list]) -> pd.DataFrame:
    return pd.DataFrame({name: [np.nan if v is None else v for v in values]
                         if None in values else values for name, values in columns.items()})


def _graph_columns(G: nx.Graph) -> tuple[dict | None, dict]:
    """The columns of :func:`graph_frames` (node columns ``None`` for a graph without nodes)."""
    nodes = (_frame_columns({"id": [str(n) for n in G]}, _node_table(G), drop_label=True)
             if G.number_of_nodes() else None)
    edges = _edge_list(G)
    lead = {"source": [str(e[0]) for e in edges], "target": [str(e[1]) for e in edges]}
    if G.is_multigraph():
        lead["key"] = [str(e[2]) for e in edges]
    if edges:
        lead = _frame_columns(lead, _table([e[-1] for e in edges], _RESERVED_EDGE))
    return nodes, lead


def graph_frames(G: nx.Graph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node and edge tables of ``G`` with flattened attributes (not spreadsheet-escaped).

    Returns
    -------
    nodes, edges : pandas.DataFrame
        ``nodes``: column ``id`` then the attributes (first-seen order). ``edges``:
        ``source``, ``target`` (``key`` too for a multigraph) then the attributes. Missing
        values are empty.

    Examples
    --------
    >>> from graph.build import example_dataset, tie_graph
    >>> nodes, edges = graph_frames(tie_graph(example_dataset()))
    >>> nodes.columns.tolist()[:4], len(nodes), len(edges)
    (['id', 'name', 'kind', 'ward'], 5, 5)
    >>> edges.loc[0, "source"], edges.loc[0, "target"], float(edges.loc[0, "weight"])
    ('A', 'B', 3.5)
    """
    nodes, edges = _graph_columns(G)
    return (pd.DataFrame(columns=["id"]) if nodes is None else _frame(nodes),
            _frame(edges) if edges["source"] else pd.DataFrame(columns=list(edges)))


def _escaped(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with :func:`escape_spreadsheet_cell` applied to its header and text cells."""
    out = frame.copy(deep=False)
    out.columns = [escape_spreadsheet_cell(str(c)) for c in out.columns]
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if pd.api.types.is_string_dtype(column) and column.dtype != object:
            values = column.to_numpy(dtype=object, copy=True)
            for j in np.flatnonzero(column.str.startswith(_FORMULA_START, na=False)):
                values[j] = "'" + values[j]
        elif column.dtype == object:
            values = column.map(escape_spreadsheet_cell).to_numpy(dtype=object)
        else:
            continue
        out.isetitem(i, values)
    return out


def _formula_escaped(texts: list) -> list:
    """:func:`escape_spreadsheet_cell` of a column of text (one scan finds whether any needs it)."""
    if not _FORMULA_SCAN.search("\x00" + "\x00".join(texts)):
        return texts
    return ["'" + t if t.startswith(_FORMULA_START) else t for t in texts]


def _quoted(texts: list) -> list:
    """CSV fields of text: quoted, inner quotes doubled (``csv.QUOTE_NONNUMERIC``)."""
    if '"' in "".join(texts):
        return ['"' + t.replace('"', '""') + '"' for t in texts]
    return ['"' + t + '"' for t in texts]


def _csv_fields(values: list) -> list | None:
    """The CSV fields ``to_csv(quoting=QUOTE_NONNUMERIC)`` writes for this column of
    :func:`graph_frames` once escaped (``None`` = missing, written ``""``), or ``None`` when
    the column is not one of the plain kinds (then the frame itself is written)."""
    kinds = set(map(type, values))
    missing = _NONE in kinds
    kinds.discard(_NONE)
    kind = kinds.pop() if len(kinds) == 1 else None
    if kind is str:
        return _quoted(_formula_escaped(["" if v is None else v for v in values]
                                        if missing else values))
    if kind is float:
        if missing:
            return ['""' if v is None else float.__repr__(v) for v in values]
        return list(map(float.__repr__, values))
    if kind is int:
        present = [v for v in values if v is not None] if missing else values
        if not -2 ** 63 <= min(present) <= max(present) < 2 ** 63:
            return None  # beyond int64: pandas' own rules
        if missing:  # pandas holds the column as floats
            return ['""' if v is None else float.__repr__(float(v)) for v in values]
        return list(map(int.__repr__, values))
    if kind is bool:
        return ['""' if v is None else "True" if v else "False" for v in values]
    return None


def _write_csv_columns(columns: dict[str, list], path: Path) -> None:
    """What ``_escaped(_frame(columns)).to_csv(path, index=False, encoding="utf-8-sig",
    quoting=QUOTE_NONNUMERIC)`` writes; without pandas or ``csv`` when the columns are plain."""
    maybe = [_csv_fields(values) for values in columns.values()]
    fields = [f for f in maybe if f is not None]
    if len(fields) < len(maybe):
        _write_csv(_escaped(_frame(columns)), path)
        return
    rows = map(",".join, zip(*fields))
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        out.write(",".join(_quoted([escape_spreadsheet_cell(str(c)) for c in columns]))
                  + os.linesep)
        for _ in range(0, len(fields[0]), _BLOCK):
            out.write(os.linesep.join(islice(rows, _BLOCK)) + os.linesep)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    # every text cell quoted: pandas leaves a bare CR unquoted, which splits the row
    frame.to_csv(path, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_NONNUMERIC)


def _excel_cell(value):
    """A body cell as pandas' ``to_excel`` hands it to xlsxwriter."""
    if type(value) is str:
        return value
    if value is None or (isinstance(value, (float, np.floating)) and math.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return "inf" if value == math.inf else "-inf" if value == -math.inf else float(value)
    return str(value)


def _write_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    """What ``DataFrame.to_excel(index=False)`` with xlsxwriter writes, one column at a time:
    header row, then each column top to bottom (the order of the shared-string table).
    ``sheets`` is emptied as the sheets are written, so each frame can be freed."""
    import xlsxwriter

    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(str(path), options) as book:
        for name in list(sheets):
            frame = sheets.pop(name)
            sheet = book.add_worksheet(name)
            sheet.write_row(0, 0, [str(c) for c in frame.columns])
            for j in range(frame.shape[1]):
                column = frame.iloc[:, j]
                values = column.tolist()
                if column.dtype.kind == "f":
                    values = [_excel_cell(v) for v in values] if not np.isfinite(
                        column.to_numpy()).all() else values
                elif column.dtype.kind not in "biu":
                    values = [v if type(v) is str else _excel_cell(v) for v in values]
                sheet.write_column(1, j, values)


# --- GraphML and GEXF ---------------------------------------------------------------------

_ATTRIB_SPECIAL = re.compile(r'[&<>"\r\n\t]')
_CDATA_SPECIAL = re.compile(r"[&<>]")


def _escape_cdata(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attrib(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


def _escape_all(texts: list, *, attrib: bool) -> list:
    """XML-escape a column of text (``None`` stays ``None``), as ElementTree writes it."""
    special, escape = ((_ATTRIB_SPECIAL, _escape_attrib) if attrib
                       else (_CDATA_SPECIAL, _escape_cdata))
    if not special.search("".join(t for t in texts if t is not None)):
        return texts
    return [t if t is None or not special.search(t) else escape(t) for t in texts]


def _kind(values: list) -> type:
    """The one type of a flattened attribute column."""
    kinds = set(map(type, values))
    kinds.discard(_NONE)
    return kinds.pop() if kinds else str


def _texts(values: list, *, attrib: bool, booleans=str, infinities=False,
           kind: type | None = None) -> list:
    """``str`` of each value of a one-type column, XML-escaped; ``None`` stays ``None``."""
    kind = _kind(values) if kind is None else kind
    if kind is str:
        return _escape_all(values, attrib=attrib)
    if kind is bool:
        return [None if v is None else booleans(v) for v in values]
    texts = [None if v is None else str(v) for v in values]
    if infinities and kind is float:
        names = {"inf": "INF", "-inf": "-INF", "nan": "NaN"}
        texts = [None if t is None else names.get(t, t) for t in texts]
    return texts


def _render(table: _Table, lead: list[list], fragments: dict, template, start: int,
            stop: int) -> list[str]:
    """Text of records ``start:stop``: ``template(layout) % (lead values, fragments)``, where
    ``template(j)`` returns ``(format, names)`` for layout ``j``."""
    layout_of = table.layout_of[start:stop]
    if len(table.layouts) == 1:
        runs: list[tuple[int, np.ndarray | None]] = [(0, None)]
    else:
        order = np.argsort(layout_of, kind="stable")
        bounds = np.flatnonzero(np.diff(layout_of[order])) + 1
        runs = [(int(layout_of[idx[0]]), idx) for idx in np.split(order, bounds)]
    out: list = [None] * (stop - start)
    for layout, idx in runs:
        text, names = template(layout)
        columns = lead + [fragments[name] for name in names]
        if idx is None:
            return list(map(text.__mod__, zip(*(c[start:stop] for c in columns))))
        rows = (idx + start).tolist()
        pick = itemgetter(*rows) if len(rows) > 1 else (lambda c, r=rows[0]: (c[r],))
        for i, row in zip(idx.tolist(), map(text.__mod__, zip(*map(pick, columns)))):
            out[i] = row
    return out


def _write_rows(out, table: _Table, lead: list[list], fragments: dict, template, *,
                separator: str = "") -> None:
    """Render the records block by block (see :func:`_render`) and write them to ``out``."""
    cache: dict[int, tuple] = {}

    def cached(layout: int) -> tuple:
        if layout not in cache:
            cache[layout] = template(table.layouts[layout])
        return cache[layout]

    for start in range(0, table.size, _BLOCK):
        stop = min(start + _BLOCK, table.size)
        if start:
            out.write(separator)
        out.write(separator.join(_render(table, lead, fragments, cached, start, stop)))


def _percent(text: str) -> str:
    """Literal text inside a %-format template."""
    return text.replace("%", "%%")


def _open_xml(path: Path):
    # what ElementTree.write(path, encoding="utf-8") opens
    return open(path, "w", encoding="utf-8", errors="xmlcharrefreplace", newline="\n")


_XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
_GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _with_column(table: _Table, name: str, values: list) -> _Table | None:
    """``table`` with one more attribute ``name``, present on every record (last in its
    layout); ``None`` when a value flattens to nothing."""
    column, kind = _unify_column(_flatten_column(values))
    if None in column:
        return None
    return _Table(table.size, {**table.columns, name: column}, {**table.kinds, name: kind},
                  [layout + (name,) for layout in table.layouts], table.layout_of, table.first)


def graphml_ready(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` that GraphML's schema accepts as it is: node ids made name tokens
    (:func:`graph.xml_tokens.encode_token`: ``"NPO 12"`` becomes ``"NPO_x0020_12"``), and in
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


def _write_graphml(G: nx.Graph, path: Path) -> None:
    """``nx.write_graphml_xml(flatten_graph(graphml_ready(G)), path)``, streamed (networkx's
    ElementTree writer: ``nx.write_graphml`` is the lxml one when lxml is installed)."""
    graph = _flat_mapping(G.graph, {})
    nodes, edges = list(G), _edge_list(G)
    node_table = _node_table(G)
    edge_table = _table([e[-1] for e in edges], _RESERVED_EDGE)
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
        key = _escape_attrib(keys[scope, name])
        empty, opening = f'{indent}<data key="{key}" />\n', f'{indent}<data key="{key}">'
        return [None if t is None else opening + t + "</data>\n" if t else empty
                for t in texts]

    def fragments(scope: str, table: _Table) -> tuple[dict, dict]:
        """Per attribute: the texts, and the literal text around them in the template."""
        texts, parts = {}, {}
        for name, values in table.columns.items():
            column = _texts(values, attrib=False, kind=table.kinds[name])
            if "" in column:  # an empty text is written <data key="…" />
                texts[name], parts[name] = data(scope, name, column, "      "), ("", "")
            else:
                opening = f'      <data key="{_escape_attrib(keys[scope, name])}">'
                texts[name], parts[name] = column, (opening, "</data>\n")
        return texts, parts

    def template(head: str, close: str, parts: dict):
        def build(names: tuple) -> tuple:
            if not names:
                return head + " />\n", names
            body = "".join(_percent(parts[name][0]) + "%s" + _percent(parts[name][1])
                           for name in names)
            return head + ">\n" + body + close, names
        return build

    directed = "directed" if G.is_directed() else "undirected"
    with _open_xml(path) as out:
        out.write(_XML_DECLARATION + '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                  'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                  'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for (scope, name), key in reversed(keys.items()):
            out.write(f'  <key id="{key}" for="{scope}" '
                      f'attr.name="{_escape_attrib(encode_token(name))}" '
                      f'attr.type="{_GRAPHML_TYPES[kinds[scope, name]]}" />\n')
        graph_data = "".join(data("graph", k, _texts([v], attrib=False), "    ")[0]
                             for k, v in graph.items())
        opening = f'  <graph edgedefault="{directed}"'
        if graph_id is not None:
            opening += f' id="{_escape_attrib(encode_token(graph_id))}"'
        if not (nodes or edges or graph_data):
            out.write(opening + " />\n</graphml>\n")
            return
        out.write(opening + ">\n")
        texts, parts = fragments("node", node_table)
        ids = dict(zip(nodes, map(encode_token, map(str, nodes))))  # name tokens: no escaping
        _write_rows(out, node_table, [list(ids.values())],
                    texts, template('    <node id="%s"', "    </node>\n", parts))
        lead = [[ids[e[0]] for e in edges], [ids[e[1]] for e in edges]]
        head = '    <edge source="%s" target="%s"'
        if multigraph:
            lead.append([f"e{i}" for i in range(len(edges))])
            head += ' id="%s"'
        texts, parts = fragments("edge", edge_table)
        _write_rows(out, edge_table, lead, texts, template(head, "    </edge>\n", parts))
        out.write(graph_data + "  </graph>\n</graphml>\n")


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


def _write_gexf(G: nx.Graph, path: Path, positions: Mapping | None = None,
                spells: bool = False) -> None:
    """``nx.write_gexf(flatten_graph(G), path)``, streamed, with the graph's name in
    ``<meta>`` (see :func:`_networkx_gexf`); ``positions`` as ``viz:position``, edge dates as
    spells (see :func:`write_graph`)."""
    graph = _flat_mapping(G.graph, {})
    nodes, edges = list(G), _edge_list(G)
    node_table = _node_table(G)
    edge_table = _table([e[-1] for e in edges], _RESERVED_EDGE)
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
                f'title="{_escape_attrib(title)}" type="{_GEXF_TYPES[kinds[scope][name]]}" />\n')

    def fragments(scope: str, columns: dict) -> dict:
        out = {}
        for name, values in columns.items():
            if (scope, name) not in attribute_ids:
                continue
            if set(map(type, values)) - {kinds[scope][name], _NONE}:  # keys of mixed types
                out[name] = [None if v is None else _texts([v], attrib=True, booleans=_lower,
                                                           infinities=True)[0] for v in values]
            else:
                out[name] = _texts(values, attrib=True, booleans=_lower, infinities=True,
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
    with _open_xml(path) as out:
        out.write(_XML_DECLARATION + f'<gexf{viz} xmlns="http://www.gexf.net/1.2draft" '
                  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                  'xsi:schemaLocation="http://www.gexf.net/1.2draft '
                  'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
                  f'  <meta lastmodifieddate="{time.strftime("%Y-%m-%d")}">\n'
                  f'    <creator>{_escape_cdata(f"NetworkX {nx.__version__}")}</creator>\n'
                  + (f'    <description>{_escape_cdata(graph["name"])}</description>\n'
                     if graph.get("name") else "")
                  + "  </meta>\n"
                  f'  <graph defaultedgetype="{directed}" mode="{mode}"{timeformat}>\n')
        for scope in ("edge", "node"):
            if declarations[scope]:
                out.write(f'    <attributes mode="static" class="{scope}">\n'
                          + "".join(declarations[scope]) + "    </attributes>\n")
        if nodes:
            labels = node_table.columns.get("label", [None] * len(nodes))
            label_texts = _escape_all([str(n if label is None else label)
                                       for n, label in zip(nodes, labels)], attrib=True)
            parts = fragments("node", node_table.columns)
            if positions is not None:
                parts["@viz"] = _viz_texts(nodes, positions)
            out.write("    <nodes>\n")
            _write_rows(out, node_table,
                        [_escape_all([str(n) for n in nodes], attrib=True), label_texts],
                        parts, node_template)
            out.write("    </nodes>\n")
        else:
            out.write("    <nodes />\n")
        if edges:
            lead = [_escape_all([str(e[0]) for e in edges], attrib=True),
                    _escape_all([str(e[1]) for e in edges], attrib=True),
                    [str(i) for i in range(len(edges))]]
            parts = fragments("edge", edge_columns)
            for special in ("label", "weight"):
                if special in edge_table.columns:
                    values = edge_table.columns[special]
                    parts[f"@{special}"] = _escape_all(
                        [None if v is None else str(v) for v in values], attrib=True)
            if spells:
                parts["@spells"] = _spell_texts(edges)
            out.write("    <edges>\n")
            _write_rows(out, edge_table, lead, parts, edge_template)
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
        for (*_, attrs), (*_, flat) in zip(_edge_list(G), _edge_list(F)):
            start, end = _spell(attrs)
            if start is not None or end is not None:
                flat["spells"] = [(start, end)]
    return F


def _lower(value: bool) -> str:
    return "true" if value else "false"


def _csv_cell(value):
    if isinstance(value, (tuple, list, frozenset, set)):
        items = list(value)
        if all(isinstance(x, (str, int, float)) for x in items):
            value = ";".join(str(x) for x in items)
        else:
            value = str(value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, default=str)
    return escape_spreadsheet_cell(value) if isinstance(value, str) else value


def write_csv_table(frame: pd.DataFrame, path) -> Path:
    """Write a result table as a CSV a spreadsheet opens safely; return the path.

    UTF-8 with BOM (Excel reads the Japanese), sequences joined with ``;``, dicts as JSON,
    text cells escaped against formulas and quoted (a line break in a name stays in its cell).
    ``frame`` is not modified.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = write_csv_table(pd.DataFrame({"name": ["=1+1"], "fields": [(1, 13)], "n": [2]}), path)
    >>> print(path.read_text(encoding="utf-8-sig").splitlines()[1])
    "'=1+1","1;13",2
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
            # text only (the common case, a million cells at nation size): escape vectorised
            out[column] = escape_spreadsheet_texts(series)
            continue
        out[column] = series.astype(object).map(_csv_cell)
    out.to_csv(path, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_NONNUMERIC)
    return Path(path)


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _json_any(value, indent: str) -> str:
    """``json.dumps(value, indent=1)`` as it reads nested in a document at ``indent``."""
    return json.dumps(value, ensure_ascii=False, indent=1,
                      default=_json_default).replace("\n", "\n" + indent)


def _json_float(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _json_scalar(value) -> str:
    if type(value) is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is float:
        return _json_float(value)
    return int.__repr__(value)


def _json_column(values: list, indent: str) -> list[str]:
    """The JSON text of each value of one attribute, as nested at ``indent``."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return list(map(encode_basestring, values))
    if kinds <= {float} and np.isfinite(np.asarray(values, dtype=float)).all():
        return list(map(float.__repr__, values))
    if kinds <= _SCALARS:
        return list(map(_json_scalar, values))
    if kinds <= _DATES:
        return ["null" if v is None else v for v in _isoformat_all(values, '"')]
    if kinds <= {tuple, list}:
        items = set(map(type, chain.from_iterable(values)))
        encode = (encode_basestring if items <= {str} else int.__repr__ if items <= {int}
                  else None)
        if encode is not None:
            inner = "\n" + indent + " "
            return ["[]" if not v else "[" + inner + ("," + inner).join(map(encode, v))
                    + "\n" + indent + "]" for v in values]
    return [_json_any(v, indent) for v in values]


def _json_key(key) -> str:
    """A dict key as ``json`` writes it (non-text keys become text)."""
    if isinstance(key, str):
        return encode_basestring(key)
    if isinstance(key, float):
        return encode_basestring(_json_float(key))
    if key is True or key is False or key is None:
        return encode_basestring({True: "true", False: "false", None: "null"}[key])
    if isinstance(key, int):
        return encode_basestring(int.__repr__(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _write_json_records(out, records: list, lead: dict[str, list]) -> None:
    """Write ``[{**record, **lead}, ...]`` as ``json.dumps(indent=1)`` nests it at depth 1."""
    if not records:
        out.write("[]")
        return
    groups, group_of = _groups(records)
    keys = list(dict.fromkeys(chain.from_iterable(groups)))
    fragments = {}
    for k in keys:
        if k not in lead:
            raw = (list(map(itemgetter(k), records)) if len(groups) == 1
                   else [d.get(k) for d in records])
            fragments[k] = _json_column(raw, "   ")
    fragments.update((k, _json_column(values, "   ")) for k, values in lead.items())
    layouts = [keys + tuple(k for k in lead if k not in keys) for keys in groups]
    table = _Table(len(records), {}, {}, layouts, np.asarray(group_of, dtype=np.intp), [])

    def template(layout: tuple) -> tuple:
        entries = ",\n   ".join(_percent(_json_key(k)) + ": %s" for k in layout)
        return "{\n   " + entries + "\n  }", layout

    out.write("[\n  ")
    _write_rows(out, table, [], fragments, template, separator=",\n  ")
    out.write("\n ]")


def _write_json(G: nx.Graph, path: Path) -> None:
    """``json.dumps(nx.node_link_data(G, edges="edges"), indent=1, ...)``, streamed."""
    edges = _edge_list(G)
    lead = {"source": [e[0] for e in edges], "target": [e[1] for e in edges]}
    if G.is_multigraph():
        lead["key"] = [e[2] for e in edges]
    with open(path, "w", encoding="utf-8") as out:
        out.write(f'{{\n "directed": {_json_scalar(G.is_directed())},\n '
                  f'"multigraph": {_json_scalar(G.is_multigraph())},\n '
                  f'"graph": {_json_any(G.graph, " ")},\n "nodes": ')
        _write_json_records(out, [d for _, d in G.nodes(data=True)], {"id": list(G)})
        out.write(',\n "edges": ')
        _write_json_records(out, [e[-1] for e in edges], lead)
        out.write("\n}")


def _with_positions(G: nx.Graph, positions: Mapping) -> nx.Graph:
    """A copy of ``G`` with node attributes ``x`` and ``y`` from ``positions``."""
    H = G.copy()
    for n, xy in positions.items():
        if n in H:
            H.nodes[n]["x"], H.nodes[n]["y"] = float(xy[0]), float(xy[1])
    return H


def write_graph(G: nx.Graph, path, *, format: str | None = None,
                positions: Mapping | None = None, spells: bool = False) -> list[Path]:
    """Write ``G`` to ``path`` as GEXF, GraphML, CSV, JSON or XLSX.

    Parameters
    ----------
    G : networkx graph
        Typically :func:`graph.build.tie_graph` or ``ecosystem_graph(...).graph``; not
        modified.
    path : str or Path
        The file to write (its folder must exist). For CSV, the two files are written next
        to it as ``<stem>-nodes.csv`` and ``<stem>-edges.csv``.
    format : {"gexf", "graphml", "csv", "json", "xlsx"}, optional
        Default: from the suffix of ``path``.
    positions : mapping of node to (x, y), optional
        A layout (``graph.export_analysis.layout_positions``). GEXF writes it as each node's
        ``<viz:position>`` (Gephi opens the file laid out); the other formats as the node
        attributes ``x`` and ``y`` (what Gephi's and Cytoscape's own GraphML holds).
    spells : bool, default False
        GEXF only: each edge's ``first_date`` – ``last_date`` as its spell (``<spells>``,
        graph ``mode="dynamic"``, ``timeformat="date"``), so Gephi's timeline shows when
        each tie was active. The dates stay attributes as well.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    GraphError
        For an unknown format, or a suffix that names none when ``format`` is not given.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> G = nx.Graph([("a", "b")])
    >>> G.add_node("a", name="=cmd|'/c calc'!A1")
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> nodes_csv, _ = write_graph(G, folder / "g.csv")
    >>> print(nodes_csv.read_text(encoding="utf-8-sig").splitlines()[1])
    "a","'=cmd|'/c calc'!A1"
    """
    path = Path(path)
    if format is None:
        format = next((name for name, suffix in FORMATS.items()
                       if path.suffix.lower() == suffix), None)
        if format is None:
            raise GraphError(f"cannot tell the format from {path.name!r}: name one of "
                             f"{', '.join(FORMATS)}")
    if format not in FORMATS:
        raise GraphError(f"format: unknown {format!r}; formats are {', '.join(FORMATS)}")

    if format == "gexf":
        _write_gexf(G, path, positions, spells)
        return [path]
    if positions is not None:
        G = _with_positions(G, positions)
    if format == "graphml":
        _write_graphml(G, path)
        return [path]
    if format == "json":
        _write_json(G, path)
        return [path]
    if format == "csv":
        stem = path.with_suffix("") if path.suffix.lower() == ".csv" else path
        written = [stem.parent / f"{stem.name}-nodes.csv", stem.parent / f"{stem.name}-edges.csv"]
        nodes, edges = _graph_columns(G)
        _write_csv_columns({"id": []} if nodes is None else nodes, written[0])
        _write_csv_columns(edges, written[1])
        return written
    nodes, edges = graph_frames(G)
    sheets = {"nodes": _escaped(nodes), "edges": _escaped(edges)}
    del nodes, edges  # _write_xlsx lets each sheet go once its cells are in the workbook
    _write_xlsx(sheets, path)
    return [path]
