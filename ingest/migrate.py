"""Schema versions of the store and the migrations between them.

The store keeps its version in ``meta.schema_version``. Opening a store of an older version
migrates it: a backup of the whole file first (``<store>.v<N>-<time>.backup.duckdb`` beside
it, written from the open connection with ``COPY FROM DATABASE``), then each step in one
transaction. A store of a newer version than this code is refused, never guessed at.

Versions:

1. The first store (``meta.schema_version = '1'``; a store without ``meta`` but with a
   ``batches`` table is also version 1).
2. Who made each write: ``batches.ingested_by``, ``outcomes.recorded_by`` and the
   ``audit_log`` table (at, by, action, detail). Version-1 writes get ``by`` empty.

Examples
--------
>>> import duckdb
>>> con = duckdb.connect()
>>> _ = con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
>>> _ = con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
>>> _ = con.execute("CREATE TABLE batches (batch_id INTEGER, ingested_at TIMESTAMP)")
>>> _ = con.execute("CREATE TABLE outcomes (id INTEGER, recorded_at TIMESTAMP)")
>>> schema_version(con)
1
>>> migrate(con, None)
[2]
>>> schema_version(con), [r[0] for r in con.execute("DESCRIBE batches").fetchall()]
(2, ['batch_id', 'ingested_at', 'ingested_by'])
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

__all__ = ["schema_version", "migrate", "backup_connection", "MIGRATIONS"]


def schema_version(con) -> int | None:
    """The store's schema version, or ``None`` for an empty (new) database.

    >>> import duckdb
    >>> schema_version(duckdb.connect()) is None
    True
    """
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()}
    if "meta" in tables:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is not None:
            return int(row[0])
    return 1 if "batches" in tables else None


def _to_2(con) -> None:
    """Version 1 → 2: who made each write, and the audit log."""
    con.execute("ALTER TABLE batches ADD COLUMN IF NOT EXISTS ingested_by VARCHAR")
    con.execute("ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS recorded_by VARCHAR")
    con.execute("""CREATE TABLE IF NOT EXISTS audit_log (
        "at" TIMESTAMP, "by" VARCHAR, action VARCHAR, detail VARCHAR)""")


# version reached → the step from the version before it
MIGRATIONS = {2: _to_2}


def backup_connection(con, target: Path) -> Path:
    """Copy the whole database behind ``con`` to a new DuckDB file ``target``.

    Runs in the connection's current snapshot (``COPY FROM DATABASE``), so it works on a
    read-only connection while other readers are open; the file is written under a
    temporary name and renamed when complete.
    """
    target = Path(target)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    temporary.unlink(missing_ok=True)
    source = con.execute("SELECT current_database()").fetchone()[0]
    con.execute(f"ATTACH '{_sql_text(temporary)}' AS tsunagari_copy (READ_WRITE)")
    try:
        con.execute(f'COPY FROM DATABASE "{source}" TO tsunagari_copy')
    finally:
        con.execute("DETACH tsunagari_copy")
    try:
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


def migrate(con, path: Path | None) -> list[int]:
    """Bring the store behind ``con`` (opened for writing) to the current version.

    With ``path`` (the store file), a backup is written beside it first. Each step runs in
    one transaction with the version update and an ``audit_log`` line. Returns the versions
    reached.
    """
    from ingest.store.connection import SCHEMA_VERSION, audit

    found = schema_version(con)
    if found is None or found >= SCHEMA_VERSION:
        return []
    if path is not None:
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
        backup_connection(con, Path(path).with_name(
            f"{Path(path).name}.v{found}-{stamp}.backup.duckdb"))
    reached = []
    for version in range(found + 1, SCHEMA_VERSION + 1):
        con.execute("BEGIN TRANSACTION")
        try:
            MIGRATIONS[version](con)
            con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, "
                        "value VARCHAR)")
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                        [str(version)])
            audit(con, "migrate", f"schema version {version - 1} → {version}", None)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        reached.append(version)
    return reached
