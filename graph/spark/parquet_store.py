"""The Parquet export straight from the store: no ``Dataset`` in memory.

:func:`write_parquet_from_store` (what ``tsunagari export --format parquet`` runs on a store)
writes the folder :mod:`graph.spark.parquet` describes: each table is one DuckDB query over
the store, attached read-only, that keeps the rows ``ingest.store.read_dataset`` followed by
``graph.build.restrict`` keeps, converts them as those do, and streams record batches into a
``pyarrow.parquet.ParquetWriter``. It writes the same tables as
:func:`graph.spark.parquet.write_parquet` of the dataset read from the store, row for row.

A table whose rows all come from one ingest batch needs no "latest version" window: ingest
refuses a key given twice within one batch (``ingest.validate``'s duplicate check).

Examples
--------
>>> import tempfile, pyarrow.parquet as pq
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

import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from graph.errors import GraphError
from graph.spark.parquet import arrow_schema, check_export_folder, write_export_folder
from ingest.schemas import TABLES

__all__ = ["STORE_BATCH_ROWS", "write_parquet_from_store"]

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
    >>> from graph.spark.parquet import read_manifest
    >>> read_manifest(folder / "real")["tables"]["organizations"]["rows"]
    1
    """
    import duckdb

    from graph.core.store import attach_read_only
    from ingest.store import StoreError, default_store_path

    if isinstance(batch_rows, bool) or not isinstance(batch_rows, int) or batch_rows < 1:
        raise GraphError(f"batch_rows: expected a positive int, got {batch_rows!r}")
    out = check_export_folder(out)
    path = default_store_path() if store is None else Path(store)
    spill = Path(tempfile.mkdtemp(prefix=f".{out.name}-duckdb-", dir=out.parent))
    con = duckdb.connect()
    try:
        con.execute(f"SET temp_directory = '{_quote(str(spill))}'")
        if memory_limit is not None:
            con.execute(f"SET memory_limit = '{_quote(str(memory_limit))}'")
        attach_read_only(con, path, timeout)
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

        return write_export_folder(out, source.city, write_table)
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
