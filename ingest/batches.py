"""The store's history: list the batches, remove one, and a digest of the store's content.

A batch is one ingest (``ingest.store.write_prepared``): its records carry ``_batch`` in
every record table, its reviewed merges and proposed merge candidates carry ``_batch`` too,
and ``batches`` holds one row for it. ``remove_batch`` deletes exactly those rows in one
transaction, so the store's content is then what it was before the batch was ingested
(``content_digest`` equal) — conflicts between sources are computed when read, so they are
recomputed by construction. The tables are discovered from the database (every table with a
``_batch`` column), so a table added later is covered without a change here.

A batch is refused (``BatchInUseError``, nothing removed) when something else depends on it:
a record of another batch, or a recorded outcome, that refers to an organisation or event
that only this batch brought.

Examples
--------
>>> import tempfile, pathlib
>>> from ingest.store import ingest_dataset
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> store = folder / "s.duckdb"
>>> _ = (folder / "a").mkdir(), (folder / "b").mkdir()
>>> _ = (folder / "a" / "organizations.csv").write_text("id,name,kind\\nR-O1,ReBORN,npo\\n")
>>> _ = (folder / "b" / "organizations.csv").write_text("id,name,kind\\nR-O2,FC大阪,company\\n")
>>> _ = ingest_dataset(folder / "a", store=store, by="tanaka")
>>> before = content_digest(store)
>>> _ = ingest_dataset(folder / "b", store=store, by="sato")
>>> [(b["batch"], b["ingested_by"], b["files"]) for b in list_batches(store)]
[(1, 'tanaka', ['organizations.csv']), (2, 'sato', ['organizations.csv'])]
>>> remove_batch(store, 2, by="tanaka")["removed"]
{'organizations': 1}
>>> content_digest(store) == before
True
"""

from __future__ import annotations

import hashlib
import json

from ingest.schemas import TABLES
from ingest.store import StoreError, StoreNotFoundError
from ingest.store.connection import audit, bump_version, connect, store_file

__all__ = ["BatchInUseError", "NoSuchBatchError", "list_batches", "remove_batch",
           "content_digest", "batch_tables", "store_tables", "DIGEST_EXCLUDES"]

# Tables outside the content digest: the history of who did what is not the content.
DIGEST_EXCLUDES = ("audit_log",)
# Tables written outside batches that refer to organisations: (table, columns).
_RECORDED_REFS = {"outcomes": ("org_a", "org_b")}


class NoSuchBatchError(StoreError, LookupError):
    """The store has no batch with that id."""


class BatchInUseError(StoreError):
    """The batch cannot be removed: other records depend on it (the message says which)."""


def store_tables(con) -> list[str]:
    """Every table of the store's main schema, sorted by name."""
    return [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]


def batch_tables(con) -> list[str]:
    """The tables whose rows belong to a batch (they have a ``_batch`` column)."""
    return [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'main' "
        "AND column_name = '_batch' ORDER BY table_name").fetchall()]


def _files(con, tables: list[str]) -> dict[int, list[str]]:
    record_tables = [t for t in tables if t in TABLES or _has_column(con, t, "_file")]
    if not record_tables:
        return {}
    union = " UNION ".join(f'SELECT DISTINCT _batch, _file FROM "{t}"' for t in record_tables)
    files: dict[int, list[str]] = {}
    for batch, name in con.execute(f"SELECT * FROM ({union}) ORDER BY 1, 2").fetchall():
        files.setdefault(int(batch), []).append(name or "")
    return files


def _has_column(con, table: str, column: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.columns WHERE "
                            "table_name = ? AND column_name = ?", [table, column]
                            ).fetchone()[0])


def list_batches(store=None, *, timeout: float | None = None) -> list[dict]:
    """Every batch, oldest first: id, name, who and when, the files and the record counts.

    Keys: ``batch, name, city, path, content_hash, ingested_at`` (ISO text),
    ``ingested_by``, ``files`` (file names of its records) and ``counts`` (records per
    table).
    """
    with connect(store, write=False, timeout=timeout) as con:
        tables = store_tables(con)
        if "batches" not in tables:
            return []
        files = _files(con, batch_tables(con))
        rows = con.execute("""SELECT batch_id, name, city, path, content_hash, ingested_at,
            ingested_by, counts FROM batches ORDER BY batch_id""").fetchall()
    return [{"batch": int(r[0]), "name": r[1] or "", "city": r[2] or "", "path": r[3] or "",
             "content_hash": r[4] or "", "ingested_at": r[5].isoformat(sep=" "),
             "ingested_by": r[6] or "", "files": files.get(int(r[0]), []),
             "counts": json.loads(r[7] or "{}")} for r in rows]


def _only_here(con, table: str, batch: int) -> str:
    """SQL for the ids of ``table`` that only ``batch`` brought."""
    return (f'SELECT id FROM "{table}" WHERE _batch = {batch} EXCEPT '
            f'SELECT id FROM "{table}" WHERE _batch <> {batch}')


def dependents(con, batch: int, limit: int = 10) -> list[str]:
    """Why ``batch`` cannot be removed: what refers to ids only it brought (empty: free)."""
    tables = set(store_tables(con))
    reasons: list[str] = []
    for name, spec in TABLES.items():
        if name not in tables:
            continue
        for column in spec.columns:
            if column.ref is None or column.ref not in tables:
                continue
            value = f'unnest("{column.name}")' if column.type == "ids" else f'"{column.name}"'
            rows = con.execute(f"""SELECT _batch, _file, _row, ref FROM (
                SELECT _batch, _file, _row, {value} AS ref FROM "{name}" WHERE _batch <> ?)
                WHERE ref IN ({_only_here(con, column.ref, batch)})
                ORDER BY _batch, _file, _row LIMIT {limit}""", [batch]).fetchall()
            reasons += [f"batch {b} {file} row {row} ({name}.{column.name}) refers to "
                        f"{ref}, which only batch {batch} brought" for b, file, row, ref in rows]
    for name, columns in _RECORDED_REFS.items():
        if name not in tables or "organizations" not in tables:
            continue
        for column in columns:
            rows = con.execute(f"""SELECT id, "{column}" FROM "{name}" WHERE "{column}" IN
                ({_only_here(con, "organizations", batch)}) ORDER BY id LIMIT {limit}"""
                               ).fetchall()
            reasons += [f"{name} #{i} ({column}) refers to {ref}, which only batch {batch} "
                        "brought" for i, ref in rows]
    return reasons[:limit]


def remove_batch(store, batch: int, *, by: str | None = None,
                 timeout: float | None = None) -> dict:
    """Remove batch ``batch`` and every row it wrote, in one transaction.

    Parameters
    ----------
    store : str or Path
        The DuckDB store.
    batch : int
        The batch id (``list_batches``).
    by : str, optional
        Who removes it (default: the OS user), written to ``audit_log``.

    Returns
    -------
    dict
        ``batch``, ``name`` and ``removed`` (rows deleted per table, tables with none left
        out; ``batches`` itself not counted).

    Raises
    ------
    NoSuchBatchError
        When there is no such batch.
    BatchInUseError
        When other records depend on it (nothing is removed).
    """
    path = store_file(store)
    batch = int(batch)
    if not path.exists():
        raise StoreNotFoundError(f"no store at {path}")
    with connect(path, write=True, timeout=timeout) as con:
        con.execute("BEGIN TRANSACTION")
        row = con.execute("SELECT name FROM batches WHERE batch_id = ?", [batch]).fetchone()
        if row is None:
            known = [r[0] for r in con.execute("SELECT batch_id FROM batches ORDER BY 1"
                                               ).fetchall()]
            raise NoSuchBatchError(f"store {path} has no batch {batch} (batches: "
                                   f"{', '.join(map(str, known)) or 'none'})")
        reasons = dependents(con, batch)
        if reasons:
            raise BatchInUseError(f"batch {batch} cannot be removed; nothing was removed:\n  "
                                  + "\n  ".join(reasons))
        removed = {}
        for table in batch_tables(con):
            count = con.execute(f'DELETE FROM "{table}" WHERE _batch = ?', [batch]
                                ).fetchone()[0]
            if count:
                removed[table] = int(count)
        con.execute("DELETE FROM batches WHERE batch_id = ?", [batch])
        audit(con, "remove-batch", f"batch {batch} ({row[0]}): " + json.dumps(
            removed, ensure_ascii=False), by)
        con.execute("COMMIT")
    bump_version(path)
    return {"batch": batch, "name": row[0] or "", "removed": removed}


def content_digest(store=None, *, timeout: float | None = None) -> str:
    """SHA-256 of every table's columns and rows (sorted), ``audit_log`` left out.

    Two stores with equal digests hold the same records, batches, merges and outcomes.
    """
    digest = hashlib.sha256()
    with connect(store, write=False, timeout=timeout) as con:
        for table in store_tables(con):
            if table in DIGEST_EXCLUDES:
                continue
            digest.update(f"\0table {table}\0".encode())
            for column in con.execute(f'DESCRIBE "{table}"').fetchall():
                digest.update(f"{column[0]}:{column[1]};".encode())
            cursor = con.execute(f'SELECT * FROM "{table}" ORDER BY ALL')
            while rows := cursor.fetchmany(10_000):
                for values in rows:
                    digest.update(repr(values).encode())
    return digest.hexdigest()
