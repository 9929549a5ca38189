"""Backups and moves of the store: ``backup``, ``restore``, ``export_store``, ``import_store``.

- ``backup_store`` copies the store to a new DuckDB file from one read-only connection
  (``COPY FROM DATABASE`` in one snapshot), so it is consistent while dashboards read it.
- ``restore_store`` puts a backup in place of the store: the backup is checked and copied
  beside the store first, then renamed over it (``os.replace``), so a crash at any moment
  leaves either the old store or the restored one, never a mix.
- ``export_store`` writes every table (provenance columns included) as Parquet plus
  ``manifest.json`` (schema version, each table's DDL, columns, rows and SHA-256, the
  sequences), so the data outlives DuckDB's file format; ``import_store`` rebuilds a store
  from such a folder (any DuckDB version that reads Parquet), migrates it to the current
  schema and renames it into place the same way. The tables are discovered, not listed.

Examples
--------
>>> import tempfile, pathlib
>>> from ingest.store import ingest_dataset
>>> from ingest.batches import content_digest
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "organizations.csv").write_text("id,name,kind\\nR-O1,ReBORN,npo\\n")
>>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
>>> _ = export_store(folder / "s.duckdb", folder / "export")
>>> _ = import_store(folder / "export", folder / "t.duckdb")
>>> content_digest(folder / "t.duckdb") == content_digest(folder / "s.duckdb")
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

from ingest.batches import store_tables
from ingest.migrate import backup_connection, migrate, schema_version
from ingest.store import SCHEMA_VERSION, StoreError
from ingest.store.connection import audit, bump_version, connect, store_file

__all__ = ["backup_store", "restore_store", "export_store", "import_store", "MANIFEST",
           "NotAStoreError"]

MANIFEST = "manifest.json"
FORMAT = "tsunagari-store-export"


class NotAStoreError(StoreError):
    """The file or folder given is not a Tsunagari store (or export) this version reads."""


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def backup_store(store=None, target=None, *, force: bool = False,
                 timeout: float | None = None) -> Path:
    """Copy the store to ``target`` (a new DuckDB file), consistent while readers are open.

    Refuses an existing ``target`` unless ``force``. Returns ``target``.
    """
    target = Path(target)
    if target.exists() and not force:
        raise FileExistsError(f"{target} exists; nothing was written (use --force to "
                              "overwrite it)")
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a folder; give a file name")
    with connect(store, write=False, timeout=timeout) as con:
        return backup_connection(con, target)


def _check_store_file(source: Path) -> int:
    """The schema version of the DuckDB store ``source``; ``StoreError`` when it is not one."""
    import duckdb

    if not source.is_file():
        raise StoreError(f"{source}: no such backup file")
    try:
        con = duckdb.connect(str(source), read_only=True)
    except duckdb.Error as exc:
        raise NotAStoreError(f"{source} is not a Tsunagari store (DuckDB cannot open it: "
                         f"{str(exc).splitlines()[0]})") from None
    try:
        version = schema_version(con)
    finally:
        con.close()
    if version is None:
        raise NotAStoreError(f"{source} is a DuckDB file but not a Tsunagari store (no batches)")
    if version > SCHEMA_VERSION:
        raise NotAStoreError(f"{source} has schema version {version}, newer than this Tsunagari "
                         f"({SCHEMA_VERSION})")
    return version


def _replace_store(prepared: Path, store: Path, timeout) -> None:
    """Rename the finished file ``prepared`` over ``store`` once no one else holds it."""
    if store.exists():
        # take the store's lock (waits for a writer or readers to finish), write its log
        # into the file, release: no half-applied log is left to replay on the new file
        with connect(store, write=True, timeout=timeout) as con:
            con.execute("CHECKPOINT")
    _fsync(prepared)
    os.replace(prepared, store)
    Path(str(store) + ".wal").unlink(missing_ok=True)
    bump_version(store)


def _staging(store: Path) -> Path:
    store.parent.mkdir(parents=True, exist_ok=True)
    staging = store.with_name(f".{store.name}.{os.getpid()}.incoming")
    staging.unlink(missing_ok=True)
    Path(str(staging) + ".wal").unlink(missing_ok=True)
    return staging


def _finish(staging: Path, action: str, detail: str, by: str | None) -> None:
    """Migrate the staged store to the current schema and log the action in it."""
    import duckdb

    con = duckdb.connect(str(staging))
    try:
        migrate(con, None)
        con.execute("BEGIN TRANSACTION")
        audit(con, action, detail, by)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def restore_store(source, store=None, *, force: bool = False, by: str | None = None,
                  timeout: float | None = None) -> Path:
    """Replace the store by the backup ``source`` (atomic; refuses to overwrite without
    ``force``). An older backup is migrated to the current schema. Returns the store path.
    """
    source, store = Path(source), store_file(store)
    if store.exists() and not force:
        raise FileExistsError(f"store {store} exists; nothing was restored (use --force to "
                              "replace it with the backup)")
    version = _check_store_file(source)
    staging = _staging(store)
    try:
        shutil.copyfile(source, staging)
        _finish(staging, "restore", f"from {source} (schema version {version})", by)
        _replace_store(staging, store, timeout)
    finally:
        staging.unlink(missing_ok=True)
    return store


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def export_store(store=None, folder=None, *, timeout: float | None = None) -> dict:
    """Write every table as ``<table>.parquet`` and ``manifest.json`` into the new ``folder``.

    The folder must not exist (or be empty); it is written under a temporary name and
    renamed when complete. Returns the manifest.
    """
    import duckdb

    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FileExistsError(f"{folder} exists and is not an empty folder; nothing was "
                              "written")
    partial = folder.with_name(f".{folder.name}.{os.getpid()}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        with connect(store, write=False, timeout=timeout) as con:
            con.execute("BEGIN TRANSACTION")  # one snapshot for every table
            tables = {}
            for table in store_tables(con):
                file = partial / f"{table}.parquet"
                con.execute(f"COPY (SELECT * FROM \"{table}\") TO '{_sql_text(file)}' "
                            "(FORMAT parquet)")
                tables[table] = {
                    "file": file.name,
                    "rows": int(con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]),
                    "columns": [[c[0], c[1]] for c in
                                con.execute(f'DESCRIBE "{table}"').fetchall()],
                    "sql": con.execute("SELECT sql FROM duckdb_tables() WHERE table_name = ? "
                                       "AND schema_name = 'main'", [table]).fetchone()[0],
                    "sha256": _sha256(file)}
            sequences = [{"name": name, "next": int(start if last is None else last + 1)}
                         for name, start, last in con.execute(
                             "SELECT sequence_name, start_value, last_value FROM "
                             "duckdb_sequences() WHERE schema_name = 'main'").fetchall()]
            version = schema_version(con)
            con.execute("COMMIT")
        manifest = {"format": FORMAT, "schema_version": version,
                    "duckdb_version": duckdb.__version__,
                    "exported_at": dt.datetime.now().replace(microsecond=0).isoformat(),
                    "tables": tables, "sequences": sequences}
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                        encoding="utf-8")
        if folder.exists():
            folder.rmdir()
        os.rename(partial, folder)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return manifest


def _read_manifest(folder: Path) -> dict:
    file = folder / MANIFEST
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NotAStoreError(f"{file}: not a store export ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise NotAStoreError(f"{file}: not a Tsunagari store export (format is not {FORMAT!r})")
    version = manifest.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise NotAStoreError(f"{file}: schema version {version!r} is not one this Tsunagari "
                         f"reads (1 … {SCHEMA_VERSION})")
    for table, entry in manifest["tables"].items():
        data = folder / entry["file"]
        if data.parent != folder or not data.is_file():
            raise NotAStoreError(f"{file}: table {table}: file {entry['file']} is missing")
        if _sha256(data) != entry["sha256"]:
            raise NotAStoreError(f"{data}: content differs from the manifest (damaged or edited)")
    return manifest


def import_store(folder, store=None, *, force: bool = False, by: str | None = None,
                 timeout: float | None = None) -> Path:
    """Rebuild the store from an ``export_store`` folder (atomic replace; refuses to
    overwrite an existing store without ``force``). Returns the store path."""
    import duckdb

    folder, store = Path(folder), store_file(store)
    if store.exists() and not force:
        raise FileExistsError(f"store {store} exists; nothing was imported (use --force to "
                              "replace it)")
    manifest = _read_manifest(folder)
    staging = _staging(store)
    try:
        con = duckdb.connect(str(staging))
        try:
            con.execute("BEGIN TRANSACTION")
            for sequence in manifest["sequences"]:
                con.execute(f'CREATE SEQUENCE "{sequence["name"]}" START WITH '
                            f'{int(sequence["next"])}')
            for table, entry in manifest["tables"].items():
                con.execute(entry["sql"])
                con.execute(f"INSERT INTO \"{table}\" BY NAME SELECT * FROM read_parquet("
                            f"'{_sql_text(folder / entry['file'])}')")
                rows = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                if rows != entry["rows"]:
                    raise StoreError(f"{folder / entry['file']}: {rows} rows, the manifest "
                                     f"says {entry['rows']}")
            con.execute("COMMIT")
        finally:
            con.close()
        _finish(staging, "import-store", f"from {folder} (schema version "
                f"{manifest['schema_version']}, DuckDB {manifest.get('duckdb_version')})", by)
        _replace_store(staging, store, timeout)
    except duckdb.Error as exc:
        raise StoreError(f"importing {folder} failed: {exc}; the store is unchanged") from None
    finally:
        staging.unlink(missing_ok=True)
        Path(str(staging) + ".wal").unlink(missing_ok=True)
    return store
