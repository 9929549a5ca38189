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

Two writers make the same folder. :func:`write_parquet` converts a ``Dataset`` already in
memory, column by column. :func:`write_parquet_from_store` (what ``tsunagari export
--format parquet`` runs on a store) never builds one: each table is one DuckDB query over
the store, attached read-only, that keeps the rows ``ingest.store.read_dataset`` followed
by ``graph.build.restrict`` keeps, converts them as those do, and streams record batches
into a ``pyarrow.parquet.ParquetWriter``. The two write equal tables, row for row.

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

From a store, without reading it into memory:

>>> from ingest.store import ingest_dataset
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "organizations.csv").write_text("id,name,kind\\nA,a,npo\\nB,b,npo\\n")
>>> _ = (folder / "collaborations.csv").write_text("id,title,org_ids\\nC1,t,A;B\\n")
>>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
>>> _ = write_parquet_from_store(folder / "s.duckdb", folder / "export")
>>> pq.read_table(folder / "export" / "collaborations.parquet").column("org_ids").to_pylist()
[['A', 'B']]
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

__all__ = ["LAYOUT_FORMAT", "LAYOUT_VERSION", "STORE_BATCH_ROWS", "arrow_schema",
           "write_parquet", "write_parquet_from_store", "read_manifest"]

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

    return _write_export(out, dataset.city, write_table)


def _check_out(out) -> Path:
    """``out`` as a Path when it may be written (missing, empty or an earlier export)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise GraphError(f"--out: {out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / "manifest.json").exists():
        raise GraphError(f"--out: {out} is not empty and not a Parquet export; "
                         "nothing was written")
    if not out.parent.exists():
        raise GraphError(f"--out: folder {out.parent} does not exist")
    return out


def _write_export(out, city: str, write_table: Callable[[str, Path], int]) -> list[Path]:
    """The all-or-nothing write both writers share.

    ``write_table(table, path)`` writes one table's file and returns its row count; every
    file goes to a staging folder beside ``out`` that replaces ``out`` only at the end.
    """
    out = _check_out(out)
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


# --- straight from the store -------------------------------------------------------------------

STORE_BATCH_ROWS = 1 << 18  # rows per Parquet row group written from the store

# The reference columns graph.build.restrict checks against the kept organisations; a row
# whose organisation is gone is dropped (participations also need their event).
_ORG_REFS = {"participations": ("org_id",), "memberships": ("org_id", "council_id"),
             "dispatches": ("org_id",), "resources": ("provider_id",), "awards": ("org_id",)}


def _sql_value(column, kind: str) -> str:
    """One canonical column of the store converted as ``read_dataset`` + ``_arrow_column``
    convert it: missing text reads as ``""``, a missing list as ``[]``, a missing bool as
    false, a NaN float as null."""
    c = f'x."{column}"'
    if kind in ("str", "enum", "ward"):
        return f"coalesce(CAST({c} AS VARCHAR), '')"
    if kind == "date":
        return f"CAST({c} AS DATE)"
    if kind in ("int", "fiscal_year"):
        return f"CAST({c} AS BIGINT)"
    if kind == "float":
        return f"CASE WHEN isnan({c}) THEN NULL ELSE CAST({c} AS DOUBLE) END"
    if kind == "bool":
        return f"coalesce(CAST({c} AS BOOLEAN), false)"
    if kind == "fields":
        return f"coalesce(CAST({c} AS BIGINT[]), CAST([] AS BIGINT[]))"
    return f"coalesce(CAST({c} AS VARCHAR[]), CAST([] AS VARCHAR[]))"  # ids, topics


class _StoreTables:
    """The scoped records of an attached store (catalog ``store``), one query per table."""

    def __init__(self, con, *, real_only: bool):
        self.con = con
        self.real_only = real_only
        self._batches: dict[str, int] = {}
        self.present = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'store'"
        ).fetchall()}
        self.city = ""
        if "batches" in self.present:
            rows = con.execute("SELECT city FROM store.batches WHERE coalesce(city, '') <> '' "
                               "ORDER BY batch_id DESC LIMIT 1").fetchall()
            self.city = rows[0][0] if rows else ""
        # the organisations and events that remain: what the other tables refer to
        for name, table in (("k_orgs", "organizations"), ("k_events", "events")):
            source = self.latest(table) if table in self.present else None
            con.execute(f"CREATE TEMP TABLE {name} AS " + (
                f"SELECT DISTINCT CAST(id AS VARCHAR) AS id FROM {source} x" if source
                else "SELECT CAST(NULL AS VARCHAR) AS id WHERE false"))

    def latest(self, table: str) -> str:
        """The latest version of each record (``read_dataset``), real ones with
        ``real_only``: the canonical columns, the store's order columns and ``_rid`` (its
        row id). A table whose rows all come from one batch needs no window: ingest refuses
        a key given twice in a batch (``ingest.validate.check_duplicates``)."""
        if table not in self._batches:
            self._batches[table] = self.con.execute(
                f'SELECT count(DISTINCT _batch) FROM store."{table}"').fetchall()[0][0]
        columns = ", ".join(f'"{c.name}"' for c in TABLES[table].columns)
        rows = (f'SELECT {columns}, _batch, _file, _sheet, _row, rowid AS _rid '
                f'FROM store."{table}"')
        if self._batches[table] > 1:
            key = ", ".join(f'"{k}"' for k in TABLES[table].key)
            rows += (f" QUALIFY row_number() OVER (PARTITION BY {key} "
                     "ORDER BY _batch DESC, _row) = 1")
        real = "NOT coalesce(synthetic, false)" if self.real_only else "true"
        return f"(SELECT * FROM ({rows}) WHERE {real})"

    def query(self, table: str) -> str | None:
        """The SQL of ``table``'s rows in the layout's columns and order, ``None`` when the
        store has no such table (an older store)."""
        if table not in self.present:
            return None
        spec = TABLES[table]
        values = {c.name: _sql_value(c.name, c.type) for c in spec.columns}
        joins, where = "", ["true"]
        if table == "events":  # an organiser that is not a kept organisation reads as missing
            values["organizer_id"] = ('CASE WHEN x.organizer_id IN (SELECT id FROM k_orgs) '
                                      'THEN CAST(x.organizer_id AS VARCHAR) END')
        for column in _ORG_REFS.get(table, ()):
            where.append(f'x."{column}" IN (SELECT id FROM k_orgs)')
        if table == "participations":
            where.append("x.event_id IN (SELECT id FROM k_events)")
        if table == "collaborations":
            joins, kept = self._collaboration_members()
            values["org_ids"] = "coalesce(m.org_ids, CAST([] AS VARCHAR[]))"
            if kept is not None:
                where.append(kept)
        select = ", ".join(f'{sql} AS "{name}"' for name, sql in values.items())
        return (f"SELECT {select} FROM {self.latest(table)} x {joins} "
                f"WHERE {' AND '.join(where)} "
                "ORDER BY x._batch, x._file, x._sheet, x._row, x._rid")

    def _collaboration_members(self) -> tuple[str, str | None]:
        """A collaboration keeps the kept organisations of ``org_ids``, in their order; when
        any collaboration lost one, those left with none are dropped (as ``restrict``)."""
        con = self.con
        con.execute(f"""CREATE TEMP TABLE k_collab AS
            SELECT u._rid, list(u.org ORDER BY u.pos) AS org_ids
            FROM (SELECT x._rid, unnest(x.org_ids) AS org,
                         generate_subscripts(x.org_ids, 1) AS pos
                  FROM {self.latest("collaborations")} x) u
            WHERE u.org IN (SELECT id FROM k_orgs) GROUP BY u._rid""")
        joins = "LEFT JOIN k_collab m ON m._rid = x._rid"
        changed = con.execute(f"""SELECT count(*) FROM {self.latest("collaborations")} x
            {joins} WHERE len(coalesce(m.org_ids, CAST([] AS VARCHAR[])))
                <> len(coalesce(x.org_ids, CAST([] AS VARCHAR[])))""").fetchall()[0][0]
        return joins, ("len(coalesce(m.org_ids, CAST([] AS VARCHAR[]))) > 0" if changed
                       else None)


def write_parquet_from_store(store, out, *, real_only: bool = False,
                             timeout: float | None = None,
                             batch_rows: int = STORE_BATCH_ROWS,
                             memory_limit: str | None = "2GB") -> list[Path]:
    """Write the store's records as the Parquet export, streamed: no ``Dataset`` in memory.

    The tables equal ``write_parquet(restrict(read_dataset(store, real_only=real_only),
    real_only=real_only), out)`` row for row: the latest batch's record for a repeated key,
    in the store's order (batch, file, sheet, spreadsheet row); with ``real_only`` no
    synthetic rows, and, with or without it, no row whose organisation (or a
    participation's event) is gone, a collaboration's ``org_ids`` cut to the remaining
    organisations, an event's unknown organiser missing. As in ``read_dataset``, missing
    text is ``""``, a missing list ``[]`` and a missing bool false; dates, numbers and
    an organiser stay null when missing.

    Parameters
    ----------
    store : path or None
        The DuckDB store (``None``: ``ingest.store.default_store_path()``), attached
        read-only to a private in-memory DuckDB and closed before returning.
    out : path-like
        Folder to create, or an earlier export to replace (all or nothing, as
        :func:`write_parquet`).
    real_only : bool, default False
        Leave out the synthetic records (and the rows that depended on them).
    timeout : float, optional
        Seconds to wait while another process holds the store (default 10).
    batch_rows : int, default ``STORE_BATCH_ROWS``
        Rows per Parquet row group (DuckDB's smaller record batches are gathered to it; the
        last group of a table holds the rest): what bounds the memory Python holds.
    memory_limit : str or None, default ``"2GB"``
        DuckDB's ``memory_limit`` for the queries (window and sort spill to a temporary
        folder beside ``out`` beyond it); ``None`` keeps DuckDB's default (80 % of RAM).

    Returns
    -------
    list of Path
        ``manifest.json`` then one ``<table>.parquet`` per table, in ``TABLES`` order.

    Raises
    ------
    GraphError
        If ``out`` is a file or a folder that is not an earlier export, or a column cannot
        be written with its type.
    ingest.store.StoreError
        For a missing (``StoreNotFoundError``), busy or unreadable store.

    Examples
    --------
    >>> import tempfile, pyarrow.parquet as pq
    >>> from ingest.store import ingest_dataset
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text(
    ...     "id,name,kind,synthetic\\nR-A,a,npo,false\\nS-B,b,npo,true\\n")
    >>> _ = (folder / "collaborations.csv").write_text("id,title,org_ids\\nC1,t,R-A;S-B\\n")
    >>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
    >>> files = write_parquet_from_store(folder / "s.duckdb", folder / "real", real_only=True)
    >>> pq.read_table(folder / "real" / "collaborations.parquet").to_pylist()[0]["org_ids"]
    ['R-A']
    >>> read_manifest(folder / "real")["tables"]["organizations"]["rows"]
    1
    """
    import duckdb

    from graph.core.store import _attach
    from ingest.store import StoreError, default_store_path

    if isinstance(batch_rows, bool) or not isinstance(batch_rows, int) or batch_rows < 1:
        raise GraphError(f"batch_rows: expected a positive int, got {batch_rows!r}")
    out = _check_out(out)
    path = default_store_path() if store is None else Path(store)
    spill = Path(tempfile.mkdtemp(prefix=f".{out.name}-duckdb-", dir=out.parent))
    con = duckdb.connect()
    try:
        con.execute(f"SET temp_directory = '{_quote(str(spill))}'")
        if memory_limit is not None:
            con.execute(f"SET memory_limit = '{_quote(str(memory_limit))}'")
        _attach(con, path, timeout)
        try:
            source = _StoreTables(con, real_only=real_only)
        except duckdb.Error as exc:
            raise StoreError(f"reading store {path} failed: {exc}") from None

        def write_table(table: str, target: Path) -> int:
            schema = arrow_schema(table)
            rows = 0
            with pq.ParquetWriter(target, schema) as writer:
                try:
                    sql = source.query(table)
                    if sql is None:  # an older store without this table: no rows
                        return 0
                    reader = con.sql(sql).to_arrow_reader(batch_rows)
                    try:
                        rows = _write_batches(writer, reader, schema, table, batch_rows)
                    finally:
                        reader.close()
                except duckdb.Error as exc:
                    raise StoreError(f"reading {table} from store {path} failed: {exc}") from None
            return rows

        return _write_export(out, source.city, write_table)
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def _write_batches(writer, reader, schema: pa.Schema, table: str, batch_rows: int) -> int:
    """Write the reader's batches cast to ``schema`` in row groups of ``batch_rows`` rows
    (DuckDB hands out smaller batches; the last group holds the rest); return the rows."""
    pending: list[pa.RecordBatch] = []
    held = rows = 0
    for batch in reader:
        try:
            batch = batch.cast(schema)
        except (TypeError, ValueError, pa.ArrowException) as exc:
            raise GraphError(f"{table}: cannot write as {schema}: {exc}") from exc
        pending.append(batch)
        held += batch.num_rows
        rows += batch.num_rows
        if held >= batch_rows:
            gathered = pa.Table.from_batches(pending, schema=schema)
            whole = held - held % batch_rows
            writer.write_table(gathered.slice(0, whole), row_group_size=batch_rows)
            pending = gathered.slice(whole).to_batches()
            held -= whole
    if held:
        writer.write_table(pa.Table.from_batches(pending, schema=schema),
                           row_group_size=batch_rows)
    return rows


def _quote(text: str) -> str:
    return text.replace("'", "''")


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
