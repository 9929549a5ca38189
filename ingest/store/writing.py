"""Writing a dataset into the store: one batch, one transaction, nothing half-written."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ingest.load import Prepared, prepare
from ingest.readers import dataset_hash
from ingest.schemas import TABLES
from ingest.store.connection import (
    audit,
    bump_version,
    check_writable,
    connect,
    has_table,
    os_user,
    store_file,
)
from ingest.validate import attrs_json

__all__ = ["BatchResult", "ingest_dataset", "write_prepared"]


@dataclass
class BatchResult:
    """What one ``ingest_dataset`` call did."""

    store: Path
    batch: int
    noop: bool
    content_hash: str
    counts: dict[str, int] = field(default_factory=dict)
    merges: pd.DataFrame | None = None
    candidates: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


_ARROW_TYPES = {"str": "string", "enum": "string", "ward": "string", "int": "int64",
                "float": "float64", "date": "date32", "bool": "bool_", "fiscal_year": "int32"}


def _arrow(table: str, frame: pd.DataFrame, columns: list[str]):
    """The record columns of ``frame`` (plus ``columns``) as an arrow table typed for DuckDB."""
    import pyarrow as pa

    def arrow_type(kind):
        if kind == "fields":
            return pa.list_(pa.int32())
        if kind in ("ids", "topics"):
            return pa.list_(pa.string())
        return getattr(pa, _ARROW_TYPES[kind])()

    spec = TABLES[table]
    fields = [(c.name, arrow_type(c.type)) for c in spec.columns]
    fields += [(name, pa.int64() if name == "_row" else pa.string()) for name in columns]
    data = pd.DataFrame({name: frame[name] for name, _ in fields}, index=frame.index)
    return pa.Table.from_pandas(data, schema=pa.schema(fields), preserve_index=False)


# Rows per INSERT statement, so the progress bar moves within a table: two DuckDB row groups
# (122,880 rows each), as a chunk that is not a whole number of row groups costs CPU and space.
_CHUNK_ROWS = 2 * 122_880


def _insert_table(con, table: str, frame: pd.DataFrame, extras, batch: int, when,
                  advance=None) -> None:
    """Insert one table from an arrow table, in chunks of ``_CHUNK_ROWS`` rows.

    Provenance constant over the table (one file, no extra columns: the usual case) is
    passed as SQL literals instead of a million-row column, and ``attrs`` is then the
    literal ``'{}'`` (no JSON per row). ``advance(rows)`` is called after each chunk."""
    single = len(frame) == 0 or (frame["_file"].nunique() == 1 and
                                 frame["_sheet"].nunique() == 1)
    if single and not extras:
        file = str(frame["_file"].iloc[0]) if len(frame) else ""
        sheet = str(frame["_sheet"].iloc[0]) if len(frame) else ""
        incoming = _arrow(table, frame, ["_row"])
        sql = (f'INSERT INTO "{table}" BY NAME SELECT *, \'{{}}\' AS attrs, ? AS _file, '
               f'? AS _sheet, ? AS _batch, CAST(? AS TIMESTAMP) AS _ingested_at FROM incoming')
        params = [file, sheet, batch, when]
    else:
        frame = frame.assign(attrs=attrs_json(frame, extras), _file=frame["_file"].astype(str),
                             _sheet=frame["_sheet"].astype(str))
        incoming = _arrow(table, frame, ["attrs", "_file", "_sheet", "_row"])
        sql = (f'INSERT INTO "{table}" BY NAME SELECT *, ? AS _batch, '
               f'CAST(? AS TIMESTAMP) AS _ingested_at FROM incoming')
        params = [batch, when]
    for start in range(0, max(incoming.num_rows, 1), _CHUNK_ROWS):
        chunk = incoming.slice(start, _CHUNK_ROWS)
        con.register("incoming", chunk)
        try:
            con.execute(sql, params)
        finally:
            con.unregister("incoming")
        if advance is not None:
            advance(chunk.num_rows)


def write_prepared(prepared: Prepared, *, store=None, timeout: float | None = None,
                   show_progress: bool | None = None, by: str | None = None) -> BatchResult:
    """Write a validated dataset as one batch, in one transaction.

    A dataset whose ``content_hash`` is already in the store is not written again
    (``noop=True``). On any error the transaction is rolled back: the store is unchanged.
    ``by`` is who ingests (default: the OS user); it is kept in ``batches.ingested_by``.
    """
    import duckdb

    from ingest.readers import progress

    path = store_file(store)
    started = time.perf_counter()
    with connect(path, write=True, timeout=timeout) as con:
        existing = con.execute("SELECT batch_id FROM batches WHERE content_hash = ?",
                               [prepared.content_hash]).fetchone()
        if existing is not None:
            return BatchResult(path, int(existing[0]), True, prepared.content_hash,
                               prepared.counts, seconds=time.perf_counter() - started)
        when = dt.datetime.now().replace(microsecond=0)
        con.execute("SET preserve_insertion_order = false")  # faster bulk inserts
        con.execute("BEGIN TRANSACTION")
        try:
            batch = con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM batches"
                                ).fetchone()[0]
            by = by or os_user()
            con.execute("""INSERT INTO batches (batch_id, content_hash, path, name, city,
                ingested_at, counts, notes, ingested_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", [
                batch, prepared.content_hash, str(prepared.path.resolve()),
                prepared.meta.get("name", prepared.path.stem), prepared.meta.get("city", ""),
                when, json.dumps(prepared.counts, ensure_ascii=False),
                json.dumps(prepared.notes, ensure_ascii=False), by])
            audit(con, "ingest", f"batch {batch} from {prepared.path.name}", by, when)
            tables = [t for t in TABLES if t in prepared.tables]
            bar = progress(total=sum(len(prepared.tables[t]) for t in tables), desc="writing",
                           enabled=show_progress, unit="row")
            try:
                for table in tables:
                    _insert_table(con, table, prepared.tables[table],
                                  prepared.extras.get(table, []), batch, when, bar.update)
            finally:
                bar.close()
            for name, frame in (("merges", prepared.merges),
                                ("merge_candidates", prepared.candidates)):
                if frame is not None and len(frame):
                    con.register("incoming", frame.astype(object).assign(_batch=batch))
                    try:
                        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM incoming")
                    finally:
                        con.unregister("incoming")
            con.execute("COMMIT")
        except BaseException:
            # a connection already gone cannot roll back, but then it never committed either
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
    bump_version(path)
    return BatchResult(path, int(batch), False, prepared.content_hash, prepared.counts,
                       prepared.merges, prepared.candidates, prepared.notes,
                       time.perf_counter() - started)


def _known_hash(path: Path, content_hash: str, timeout) -> int | None:
    if not path.exists():
        return None
    with connect(path, write=False, timeout=timeout) as con:
        if not has_table(con, "batches"):
            return None
        row = con.execute("SELECT batch_id FROM batches WHERE content_hash = ?",
                          [content_hash]).fetchone()
    return None if row is None else int(row[0])


def ingest_dataset(path, *, store=None, timeout: float | None = None,
                   today: dt.date | None = None, threshold: float = 90.0,
                   show_progress: bool | None = None, by: str | None = None) -> BatchResult:
    """Validate the dataset at ``path`` and load it into the store as one batch.

    Parameters
    ----------
    path : str or Path
        A folder of CSV files, a CSV file named after a table, or an XLSX workbook.
    store : str or Path, optional
        The DuckDB file (default ``default_store_path()``); created when missing.
    timeout : float, optional
        Seconds to wait for a busy store (default 10 or ``$TSUNAGARI_STORE_TIMEOUT``).
    today, threshold, show_progress
        Passed to ``ingest.load.prepare``.
    by : str, optional
        Who ingests (default: the OS user), recorded with the batch.

    Returns
    -------
    BatchResult
        ``noop`` is true when the same content was ingested before.

    Raises
    ------
    ingest.validate.IngestError
        When validation fails (nothing is written).
    StoreBusyError, StoreReadOnlyError, StoreError
        When the store cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "団体.csv").write_text("id,団体名,種別\\nR-O1,FC大阪,企業\\n")
    >>> result = ingest_dataset(folder, store=folder / "s.duckdb")
    >>> result.counts, result.noop
    ({'organizations': 1}, False)
    """
    store_path = store_file(store)
    content = None
    if Path(path).exists():
        content = dataset_hash(path)
        known = _known_hash(store_path, content, timeout)
        if known is not None:
            return BatchResult(store_path, known, True, content)
    if store_path.exists():
        check_writable(store_path)
    prepared = prepare(path, today=today, threshold=threshold, show_progress=show_progress,
                       content_hash=content)
    return write_prepared(prepared, store=store_path, timeout=timeout,
                          show_progress=show_progress, by=by)
