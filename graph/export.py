"""Write graphs for Gephi (GEXF), Cytoscape (GraphML), spreadsheets (CSV, XLSX) and code (JSON).

* GEXF and GraphML hold scalar attributes only: :func:`flatten_graph` turns tuples, lists and
  sets into ``;``-joined text, dates into ISO text, dicts into JSON, and leaves out missing
  values (``None``, NaN) so they read back as absent, not as the text "None". An attribute
  holding mixed kinds of values is written as text throughout, so each key has one type.
  Attribute names GEXF reserves (``id``, ``pid``, ``start``, ``end``, ``viz``, ... and
  ``type`` on edges) are renamed ``record_id`` / ``attr_<name>``; nodes get a ``label``
  (their ``name``) when they have none.
* CSV: two files, ``<stem>-nodes.csv`` and ``<stem>-edges.csv``, UTF-8 with a byte-order mark
  so Excel shows Japanese correctly; every text cell is quoted (a bare CR stays in its cell). XLSX: one workbook with ``nodes`` and ``edges`` sheets.
  In both, text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
  ``-``, ``@``, tab or carriage return) are prefixed with a single quote
  (:func:`escape_spreadsheet_cell`); XLSX is also written with formula and URL conversion
  off. Markup such as ``<script>`` stays plain text in every format.
* JSON: networkx node-link data (``nodes``, ``edges``) with dates as ISO text, tuples as lists.

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
from collections.abc import Mapping
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from graph.errors import GraphError

__all__ = [
    "FORMATS",
    "escape_spreadsheet_cell",
    "flatten_value",
    "flatten_graph",
    "graph_frames",
    "write_graph",
    "write_csv_table",
]

#: Formats :func:`write_graph` can write, keyed by name, with their file suffix.
FORMATS: dict[str, str] = {"gexf": ".gexf", "graphml": ".graphml", "csv": ".csv",
                           "json": ".json", "xlsx": ".xlsx"}

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_RESERVED_NODE = {"id": "record_id", "pid": "attr_pid", "start": "attr_start",
                  "end": "attr_end", "viz": "attr_viz", "parents": "attr_parents",
                  "slices": "attr_slices", "spells": "attr_spells"}
_RESERVED_EDGE = {"id": "record_id", "type": "attr_type", "start": "attr_start",
                  "end": "attr_end", "slices": "attr_slices", "spells": "attr_spells"}
_MISSING = object()


def escape_spreadsheet_cell(value):
    """A value safe to put in a spreadsheet cell: text a spreadsheet would run as a formula
    (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a leading single
    quote; everything else is returned unchanged.

    Parameters
    ----------
    value : object
        Any cell value; only ``str`` is ever changed.

    Returns
    -------
    object

    Examples
    --------
    >>> escape_spreadsheet_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> escape_spreadsheet_cell("@SUM(A1)"), escape_spreadsheet_cell("-1"), escape_spreadsheet_cell(-1)
    ("'@SUM(A1)", "'-1", -1)
    >>> escape_spreadsheet_cell("<script>alert(1)</script>")
    '<script>alert(1)</script>'
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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


def _unify(records: list[dict]) -> None:
    """Give every attribute one type across records (in place): mixed kinds become text."""
    kinds: dict[str, set] = {}
    for attrs in records:
        for key, value in attrs.items():
            kinds.setdefault(key, set()).add(type(value))
    for key, types in kinds.items():
        if len(types) <= 1:
            continue
        target = float if types <= {int, float} else str
        for attrs in records:
            if key in attrs:
                attrs[key] = target(attrs[key])


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
    def flat(attrs: Mapping, reserved: Mapping[str, str]) -> dict:
        out = {}
        for key, value in attrs.items():
            value = flatten_value(value)
            if value is not None:
                out[reserved.get(str(key), str(key))] = value
        return out

    nodes = []
    for node, attrs in G.nodes(data=True):
        record = flat(attrs, _RESERVED_NODE)
        if "label" not in record and isinstance(record.get("name"), str):
            record["label"] = record["name"]
        nodes.append((node, record))
    if G.is_multigraph():
        edges = [(u, v, k, flat(d, _RESERVED_EDGE)) for u, v, k, d in G.edges(keys=True, data=True)]
    else:
        edges = [(u, v, flat(d, _RESERVED_EDGE)) for u, v, d in G.edges(data=True)]
    _unify([attrs for _, attrs in nodes])
    _unify([e[-1] for e in edges])
    F = G.__class__()
    F.graph.update(flat(G.graph, {}))
    F.add_nodes_from(nodes)
    F.add_edges_from(edges)
    return F


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
    F = flatten_graph(G)
    node_rows = [{"id": str(n), **{k: v for k, v in d.items() if k != "label" or
                                   v != d.get("name")}} for n, d in F.nodes(data=True)]
    if F.is_multigraph():
        edge_rows = [{"source": str(u), "target": str(v), "key": str(k), **d}
                     for u, v, k, d in F.edges(keys=True, data=True)]
        lead = ["source", "target", "key"]
    else:
        edge_rows = [{"source": str(u), "target": str(v), **d} for u, v, d in F.edges(data=True)]
        lead = ["source", "target"]
    nodes = pd.DataFrame(node_rows) if node_rows else pd.DataFrame(columns=["id"])
    edges = pd.DataFrame(edge_rows) if edge_rows else pd.DataFrame(columns=lead)
    return nodes, edges


def _escaped(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [escape_spreadsheet_cell(str(c)) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].astype(object).map(escape_spreadsheet_cell)
    return out


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


def write_graph(G: nx.Graph, path, *, format: str | None = None) -> list[Path]:
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
        nx.write_gexf(flatten_graph(G), path)
        return [path]
    if format == "graphml":
        nx.write_graphml(flatten_graph(G), path)
        return [path]
    if format == "json":
        data = nx.node_link_data(G, edges="edges")
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=_json_default),
                        encoding="utf-8")
        return [path]
    nodes, edges = graph_frames(G)
    if format == "csv":
        stem = path.with_suffix("") if path.suffix.lower() == ".csv" else path
        written = [stem.parent / f"{stem.name}-nodes.csv", stem.parent / f"{stem.name}-edges.csv"]
        for frame, target in zip((nodes, edges), written):
            # every text cell quoted: pandas leaves a bare CR unquoted, which splits the row
            _escaped(frame).to_csv(target, index=False, encoding="utf-8-sig",
                                   quoting=csv.QUOTE_NONNUMERIC)
        return written
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": options}) as xl:
        _escaped(nodes).to_excel(xl, sheet_name="nodes", index=False)
        _escaped(edges).to_excel(xl, sheet_name="edges", index=False)
    return [path]
