"""The graph as node and edge tables, and tables written as CSV and XLSX a spreadsheet opens safely.

* :func:`graph_frames`: the node and edge tables of a graph, attributes flattened
  (``graph.io.flatten``).
* CSV: UTF-8 with a byte-order mark so Excel shows Japanese correctly; every text cell is
  quoted (a bare CR stays in its cell). :func:`write_csv_columns` writes the columns of a
  graph's table as ``to_csv`` would, without pandas when the columns are plain;
  :func:`write_csv_table` writes any result table.
* XLSX (:func:`write_xlsx`): one workbook, one sheet per table, what ``to_excel`` with
  xlsxwriter writes, with formula and URL conversion off.
* In both, text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
  ``-``, ``@``, tab or carriage return) are prefixed with a single quote
  (:func:`escape_spreadsheet_cell`, from ``ingest.cells``; :func:`escaped_frame`).

Examples
--------
>>> nodes, edges = graph_frames(nx.Graph([("a", "b", {"w": 2})]))
>>> nodes["id"].tolist(), edges.columns.tolist()
(['a', 'b'], ['source', 'target', 'w'])
"""

from __future__ import annotations

import csv
import json
import math
import os
from itertools import islice
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from graph.io.flatten import (
    NONE_TYPE,
    RESERVED_EDGE,
    Table,
    attribute_table,
    edge_list,
    node_attribute_table,
)
from graph.io.rows import BLOCK

# the one spreadsheet-escape function (also the full-width ＝＋－＠ of Japanese Excel)
from ingest.cells import FORMULA_SCAN as _FORMULA_SCAN
from ingest.cells import FORMULA_START as _FORMULA_START
from ingest.cells import escape_spreadsheet_cell, escape_spreadsheet_texts

__all__ = [
    "escape_spreadsheet_cell",
    "graph_columns",
    "graph_frames",
    "escaped_frame",
    "write_csv_columns",
    "write_xlsx",
    "write_csv_table",
]


def _frame_columns(lead: dict[str, list], table: Table, *,
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


def graph_columns(G: nx.Graph) -> tuple[dict | None, dict]:
    """The columns of :func:`graph_frames` (node columns ``None`` for a graph without nodes)."""
    nodes = (_frame_columns({"id": [str(n) for n in G]}, node_attribute_table(G), drop_label=True)
             if G.number_of_nodes() else None)
    edges = edge_list(G)
    lead = {"source": [str(e[0]) for e in edges], "target": [str(e[1]) for e in edges]}
    if G.is_multigraph():
        lead["key"] = [str(e[2]) for e in edges]
    if edges:
        lead = _frame_columns(lead, attribute_table([e[-1] for e in edges], RESERVED_EDGE))
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
    nodes, edges = graph_columns(G)
    return (pd.DataFrame(columns=["id"]) if nodes is None else _frame(nodes),
            _frame(edges) if edges["source"] else pd.DataFrame(columns=list(edges)))


def escaped_frame(frame: pd.DataFrame) -> pd.DataFrame:
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
    missing = NONE_TYPE in kinds
    kinds.discard(NONE_TYPE)
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


def write_csv_columns(columns: dict[str, list], path: Path) -> None:
    """What ``escaped_frame(_frame(columns)).to_csv(path, index=False, encoding="utf-8-sig",
    quoting=QUOTE_NONNUMERIC)`` writes; without pandas or ``csv`` when the columns are plain."""
    maybe = [_csv_fields(values) for values in columns.values()]
    fields = [f for f in maybe if f is not None]
    if len(fields) < len(maybe):
        _write_csv(escaped_frame(_frame(columns)), path)
        return
    rows = map(",".join, zip(*fields))
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        out.write(",".join(_quoted([escape_spreadsheet_cell(str(c)) for c in columns]))
                  + os.linesep)
        for _ in range(0, len(fields[0]), BLOCK):
            out.write(os.linesep.join(islice(rows, BLOCK)) + os.linesep)


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


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> None:
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
