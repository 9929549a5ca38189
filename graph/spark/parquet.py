"""The Parquet export of a dataset: the folder the Spark engine reads.

Layout of ``tsunagari export --format parquet --out DIR`` (version 1)::

    DIR/manifest.json            {"format": "tsunagari-parquet", "version": 1, "city": "...",
                                  "tables": {"organizations": {"file": "organizations.parquet",
                                                               "rows": 22}, ...}}
    DIR/organizations.parquet    one file per table of ingest.schemas.TABLES, every table
    DIR/events.parquet           written (an empty table has its schema and no rows)
    ...                          participations, collaborations, memberships, dispatches,
                                 resources, awards, talents, figures

Each file holds the table's canonical columns only, in the documented order (see
docs/data-format.md), with these Parquet types: text, enum and ward columns ``string``;
``int`` and ``fiscal_year`` ``int64``; ``float`` ``double``; ``date`` ``date32`` (a day,
no time zone); ``bool`` ``boolean``; ``fields`` ``list<int64>``; ``ids`` (collaboration
``org_ids``) and ``topics`` ``list<string>``. Missing values are nulls (a ``Dataset`` read
from the store has missing text as ``""`` and missing lists as ``[]``, and so has its
export). Provenance columns (``_file``, ``_row``, ``attrs``) are left out: the export is for
analysis, the store keeps them.

Writing is all or nothing: the files go to a temporary folder beside ``DIR`` that replaces
``DIR`` only when every file is written; an existing ``DIR`` is replaced only when it is an
earlier export (it has a ``manifest.json``), never another folder.

Two writers make the same folder: :func:`write_parquet` converts a ``Dataset`` already in
memory, column by column; :func:`graph.spark.parquet_store.write_parquet_from_store` (what
``tsunagari export --format parquet`` runs on a store) streams each table out of DuckDB.
Both write through :func:`write_export_folder`.

Examples
--------
>>> import tempfile, pyarrow.parquet as pq
>>> from graph.build import example_dataset
>>> out = Path(tempfile.mkdtemp()) / "export"
>>> files = write_parquet(example_dataset(), out)
>>> [p.name for p in files][:3]
['manifest.json', 'organizations.parquet', 'events.parquet']
>>> pq.read_table(out / "collaborations.parquet").column("org_ids").to_pylist()
[['A', 'B']]
>>> read_manifest(out)["tables"]["participations"]["rows"]
5
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from graph.errors import GraphError
from ingest.schemas import TABLES, Dataset

__all__ = ["LAYOUT_FORMAT", "LAYOUT_VERSION", "arrow_schema", "write_parquet",
           "check_export_folder", "write_export_folder", "read_manifest"]

LAYOUT_FORMAT = "tsunagari-parquet"
LAYOUT_VERSION = 1

_ARROW_TYPES = {
    "str": pa.string(), "enum": pa.string(), "ward": pa.string(),
    "int": pa.int64(), "fiscal_year": pa.int64(), "float": pa.float64(),
    "date": pa.date32(), "bool": pa.bool_(),
    "fields": pa.list_(pa.int64()), "ids": pa.list_(pa.string()),
    "topics": pa.list_(pa.string()),
}


def arrow_schema(table: str) -> pa.Schema:
    """The Parquet schema of one table of the layout.

    >>> arrow_schema("memberships").field("since").type
    DataType(date32[day])
    """
    return pa.schema([pa.field(c.name, _ARROW_TYPES[c.type]) for c in TABLES[table].columns])


def _list_cell(value, kind):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, str):
        value = [part.strip() for part in value.split(";") if part.strip()]
    return [kind(v) for v in value]


def _arrow_column(series: pd.Series, column_type: str, name: str, table: str) -> pa.Array:
    target = _ARROW_TYPES[column_type]
    try:
        if column_type == "date":
            days = pd.to_datetime(series, errors="raise")
            return pa.array([None if pd.isna(d) else d.date() for d in days], type=target)
        if column_type in ("fields", "ids", "topics"):
            kind = int if column_type == "fields" else str
            return pa.array([_list_cell(v, kind) for v in series], type=target)
        if column_type in ("int", "fiscal_year"):
            values = pd.to_numeric(series, errors="raise").astype("Int64")
            return pa.array(values.to_numpy(dtype=object, na_value=None), type=target)
        if column_type == "float":
            return pa.array(pd.to_numeric(series, errors="raise").astype(float), type=target)
        if column_type == "bool":
            return pa.array(series.fillna(False).astype(bool), type=target)
        values = series.astype(object).where(series.notna(), None)
        return pa.array([None if v is None else str(v) for v in values], type=target)
    except (TypeError, ValueError, pa.ArrowException) as exc:
        raise GraphError(f"{table}.{name}: cannot write as {target}: {exc}") from exc


def _arrow_table(frame: pd.DataFrame, table: str) -> pa.Table:
    schema = arrow_schema(table)
    columns = []
    for column in TABLES[table].columns:
        series = (frame[column.name] if column.name in frame.columns
                  else pd.Series([None] * len(frame), index=frame.index, dtype=object))
        columns.append(_arrow_column(series.reset_index(drop=True), column.type, column.name,
                                     table))
    return pa.Table.from_arrays(columns, schema=schema)


def write_parquet(dataset: Dataset, out) -> list[Path]:
    """Write every table of ``dataset`` as Parquet into folder ``out`` (see the module notes).

    Parameters
    ----------
    dataset : Dataset
        The records; not modified.
    out : path-like
        Folder to create, or an earlier export to replace.

    Returns
    -------
    list of Path
        ``manifest.json`` then one ``<table>.parquet`` per table, in ``TABLES`` order.

    Raises
    ------
    GraphError
        If ``out`` is a file or a folder that is not an earlier export, or a column cannot
        be written with its type (the message names table and column).

    Examples
    --------
    >>> import tempfile
    >>> from graph.build import example_dataset
    >>> out = Path(tempfile.mkdtemp())
    >>> (out / "notes.txt").write_text("keep me")
    7
    >>> write_parquet(example_dataset(), out)
    Traceback (most recent call last):
    ...
    graph.errors.GraphError: ... is not empty and not a Parquet export; nothing was written
    """
    if not isinstance(dataset, Dataset):
        raise GraphError(f"expected an ingest.schemas.Dataset, got {type(dataset).__name__}")

    def write_table(table: str, path: Path) -> int:
        arrow = _arrow_table(dataset.table(table), table)
        pq.write_table(arrow, path)
        return arrow.num_rows

    return write_export_folder(out, dataset.city, write_table)


def check_export_folder(out) -> Path:
    """``out`` as a Path when it may be written (missing, empty or an earlier export).

    >>> check_export_folder("/nonexistent/export")
    Traceback (most recent call last):
    ...
    graph.errors.GraphError: --out: folder /nonexistent does not exist
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise GraphError(f"--out: {out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / "manifest.json").exists():
        raise GraphError(f"--out: {out} is not empty and not a Parquet export; "
                         "nothing was written")
    if not out.parent.exists():
        raise GraphError(f"--out: folder {out.parent} does not exist")
    return out


def write_export_folder(out, city: str, write_table: Callable[[str, Path], int]) -> list[Path]:
    """The all-or-nothing write both writers share.

    ``write_table(table, path)`` writes one table's file and returns its row count; every
    file goes to a staging folder beside ``out`` that replaces ``out`` only at the end.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "empty"
    >>> def no_rows(table, path):
    ...     pq.write_table(arrow_schema(table).empty_table(), path)
    ...     return 0
    >>> write_export_folder(out, "osaka", no_rows)[0].name
    'manifest.json'
    >>> read_manifest(out)["tables"]["events"]
    {'file': 'events.parquet', 'rows': 0}
    """
    out = check_export_folder(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        manifest = {"format": LAYOUT_FORMAT, "version": LAYOUT_VERSION, "city": city,
                    "tables": {}}
        for table in TABLES:
            rows = write_table(table, staging / f"{table}.parquet")
            manifest["tables"][table] = {"file": f"{table}.parquet", "rows": int(rows)}
        (staging / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return [out / "manifest.json"] + [out / f"{table}.parquet" for table in TABLES]


def read_manifest(folder) -> dict:
    """The manifest of a Parquet export, checked.

    Raises
    ------
    GraphError
        If ``folder`` has no manifest, or it names another format, a newer version or a
        missing file.

    >>> read_manifest("/nonexistent")
    Traceback (most recent call last):
    ...
    graph.errors.GraphError: /nonexistent: no manifest.json (make one with tsunagari export --format parquet)
    """
    folder = Path(folder)
    path = folder / "manifest.json"
    if not path.exists():
        raise GraphError(f"{folder}: no manifest.json (make one with tsunagari export "
                         "--format parquet)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GraphError(f"{path}: unreadable: {exc}") from exc
    if manifest.get("format") != LAYOUT_FORMAT or not isinstance(manifest.get("tables"), dict):
        raise GraphError(f"{path}: not a {LAYOUT_FORMAT} manifest")
    if int(manifest.get("version", 0)) > LAYOUT_VERSION:
        raise GraphError(f"{path}: layout version {manifest['version']} is newer than "
                         f"{LAYOUT_VERSION}; upgrade tsunagari")
    for table, entry in manifest["tables"].items():
        if not (folder / entry["file"]).exists():
            raise GraphError(f"{path}: table {table}: file {entry['file']} is missing")
    return manifest
