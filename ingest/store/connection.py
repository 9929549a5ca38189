"""Opening the store: where it is, the errors it raises, its schema, its version token.

``connect`` opens the DuckDB file (retrying with backoff while another process holds it,
then ``StoreBusyError``), creates or migrates the schema when writing, and always closes
it. ``store_version`` is a cheap token that changes with every committed write.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import stat
import time
from contextlib import contextmanager
from pathlib import Path

from ingest.schemas import TABLES

__all__ = [
    "StoreError",
    "StoreBusyError",
    "StoreReadOnlyError",
    "StoreNotFoundError",
    "DEFAULT_TIMEOUT",
    "SCHEMA_VERSION",
    "default_store_path",
    "os_user",
    "store_file",
    "check_writable",
    "connect",
    "audit",
    "has_table",
    "bump_version",
    "store_version",
]

DEFAULT_TIMEOUT = 10.0
SCHEMA_VERSION = 2
_SQL_TYPES = {"str": "VARCHAR", "enum": "VARCHAR", "ward": "VARCHAR", "int": "BIGINT",
              "float": "DOUBLE", "date": "DATE", "bool": "BOOLEAN", "fields": "INTEGER[]",
              "ids": "VARCHAR[]", "fiscal_year": "INTEGER", "topics": "VARCHAR[]"}


class StoreError(RuntimeError):
    """The store cannot be used (damaged, unreadable, wrong version)."""

    __module__ = "ingest.store"  # the name callers import, shown in tracebacks


class StoreBusyError(StoreError):
    """Another process holds the store; raised after the bounded wait."""

    __module__ = "ingest.store"  # the name callers import, shown in tracebacks


class StoreReadOnlyError(StoreError):
    """The store file (or its folder) is read-only, so nothing can be ingested."""

    __module__ = "ingest.store"  # the name callers import, shown in tracebacks


class StoreNotFoundError(StoreError, FileNotFoundError):
    """There is no store file yet (run ``tsunagari ingest`` first)."""

    __module__ = "ingest.store"  # the name callers import, shown in tracebacks


def default_store_path() -> Path:
    """``$TSUNAGARI_STORE``, else ``data/tsunagari.duckdb`` under the repository root.

    The repository root is the folder holding this package when it has a
    ``pyproject.toml`` (a source checkout), else the current directory.

    >>> import os
    >>> os.environ["TSUNAGARI_STORE"] = "/tmp/x.duckdb"; default_store_path()
    PosixPath('/tmp/x.duckdb')
    >>> del os.environ["TSUNAGARI_STORE"]; default_store_path().name
    'tsunagari.duckdb'
    """
    override = os.environ.get("TSUNAGARI_STORE")
    if override:
        return Path(override)
    root = Path(__file__).resolve().parents[2]
    if not (root / "pyproject.toml").exists():
        root = Path.cwd()
    return root / "data" / "tsunagari.duckdb"


def os_user() -> str:
    """The name of the user running this process (recorded as ``by`` of command-line writes).

    >>> isinstance(os_user(), str) and len(os_user()) > 0
    True
    """
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container with an odd uid)
        return f"uid {os.getuid()}"


def _timeout(timeout: float | None) -> float:
    if timeout is not None:
        return float(timeout)
    try:
        return float(os.environ.get("TSUNAGARI_STORE_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


def store_file(store) -> Path:
    """The store's path: ``store``, or ``default_store_path()`` when it is None.

    >>> store_file("/tmp/s.duckdb")
    PosixPath('/tmp/s.duckdb')
    """
    return default_store_path() if store is None else Path(store)


def check_writable(path: Path) -> None:
    """Raise ``StoreError`` (a folder) or ``StoreReadOnlyError`` unless ``path`` can be written.

    >>> import tempfile, pathlib
    >>> check_writable(pathlib.Path(tempfile.mkdtemp()) / "new.duckdb") is None
    True
    """
    if path.exists():
        if path.is_dir():
            raise StoreError(f"store {path} is a folder, not a DuckDB file")
        mode = path.stat().st_mode
        if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
            raise StoreReadOnlyError(f"store {path} is read-only; nothing was ingested "
                                     f"(make it writable or use --store OTHER_FILE)")
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreReadOnlyError(f"cannot create the store folder {path.parent}: {exc}") from None
    if not os.access(path.parent, os.W_OK):
        raise StoreReadOnlyError(f"cannot create store {path}: folder {path.parent} is "
                                 "read-only")


@contextmanager
def connect(store, *, write: bool, timeout: float | None = None):
    """Open the store (retrying while another process holds it), yield, always close."""
    import duckdb

    path = store_file(store)
    if write:
        check_writable(path)
    elif not path.exists():
        raise StoreNotFoundError(f"no store at {path}; load data first with "
                                 f"`tsunagari ingest PATH --store {path}`")
    wait = _timeout(timeout)
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(path), read_only=not write)
            break
        except duckdb.Error as exc:
            message = str(exc)
            lowered = message.lower()
            if "lock" in lowered:
                if time.monotonic() + delay > deadline:
                    raise StoreBusyError(
                        f"store {path} is busy: another process is using it (waited "
                        f"{wait:g} s); try again when it has finished") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
                continue
            if "permission" in lowered or "read-only" in lowered or "read only" in lowered:
                raise StoreReadOnlyError(f"store {path} cannot be written: {message}") from None
            raise StoreError(f"cannot open store {path}: {message}") from None
    try:
        if write:
            _ensure_schema(con, path)
        elif _needs_migration(con) and os.access(path, os.W_OK):
            con.close()
            with connect(path, write=True, timeout=timeout) as writer:  # migrates, backup first
                if _needs_migration(writer):
                    raise StoreError(f"store {path}: the schema migration did not complete")
            con = duckdb.connect(str(path), read_only=True)
        yield con
    except duckdb.Error as exc:
        # A failure inside the database (disk full, a folder that refuses the write-ahead
        # log, a damaged file) is the store's problem, reported as such, never a traceback.
        what = "writing to" if write else "reading"
        raise StoreError(f"{what} store {path} failed: {exc}"
                         + ("; nothing was written" if write else "")) from None
    finally:
        con.close()


def _needs_migration(con) -> bool:
    from ingest.migrate import schema_version

    found = schema_version(con)
    if found is not None and found > SCHEMA_VERSION:
        raise StoreError(f"the store has schema version {found}, newer than this Tsunagari "
                         f"understands ({SCHEMA_VERSION}); upgrade Tsunagari, or move the "
                         "data with `tsunagari export-store` / `import-store`")
    return found is not None and found < SCHEMA_VERSION


def _ensure_schema(con, path: Path | None = None) -> None:
    from ingest.migrate import migrate, schema_version

    if _needs_migration(con):
        migrate(con, path)
    con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    if schema_version(con) is None:
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    con.execute("""CREATE TABLE IF NOT EXISTS batches (
        batch_id INTEGER PRIMARY KEY, content_hash VARCHAR, path VARCHAR, name VARCHAR,
        city VARCHAR, ingested_at TIMESTAMP, counts VARCHAR, notes VARCHAR,
        ingested_by VARCHAR)""")
    con.execute("""CREATE TABLE IF NOT EXISTS audit_log (
        "at" TIMESTAMP, "by" VARCHAR, action VARCHAR, detail VARCHAR)""")
    for table, spec in TABLES.items():
        columns = ", ".join(f'"{c.name}" {_SQL_TYPES[c.type]}' for c in spec.columns)
        con.execute(f"""CREATE TABLE IF NOT EXISTS "{table}" ({columns}, attrs VARCHAR,
            _file VARCHAR, _sheet VARCHAR, _row BIGINT, _batch INTEGER,
            _ingested_at TIMESTAMP)""")
    con.execute("""CREATE TABLE IF NOT EXISTS merges (
        _batch INTEGER, merged_id VARCHAR, merged_name VARCHAR, into_id VARCHAR,
        alias VARCHAR, file VARCHAR, sheet VARCHAR, row BIGINT)""")
    con.execute("""CREATE TABLE IF NOT EXISTS merge_candidates (
        _batch INTEGER, org_a VARCHAR, name_a VARCHAR, org_b VARCHAR, name_b VARCHAR,
        score DOUBLE, reason VARCHAR)""")
    con.execute("CREATE SEQUENCE IF NOT EXISTS outcome_ids START 1")
    con.execute("""CREATE TABLE IF NOT EXISTS outcomes (
        id INTEGER PRIMARY KEY DEFAULT nextval('outcome_ids'), org_a VARCHAR,
        org_b VARCHAR, status VARCHAR, "on" DATE, goal VARCHAR, score DOUBLE,
        note VARCHAR, recorded_at TIMESTAMP, recorded_by VARCHAR)""")


def audit(con, action: str, detail: str, by: str | None, when=None) -> None:
    """Append one line to the store's ``audit_log`` (inside the caller's transaction)."""
    when = when or dt.datetime.now().replace(microsecond=0)
    con.execute('INSERT INTO audit_log VALUES (?, ?, ?, ?)',
                [when, by or os_user(), action, detail])


def has_table(con, name: str) -> bool:
    """Whether the open store ``con`` holds a table named ``name``.

    >>> import duckdb
    >>> has_table(duckdb.connect(), "batches")
    False
    """
    row = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                      [name]).fetchone()
    return bool(row[0])


def _version_file(path: Path) -> Path:
    return path.with_name(path.name + ".version")


def bump_version(path: Path) -> None:
    """Write a fresh token next to the store after a committed write (atomic replace)."""
    token = f"{time.time_ns():x}-{os.getpid():x}-{os.urandom(4).hex()}"
    target = _version_file(path)
    temporary = target.with_name(target.name + f".{os.getpid()}.tmp")
    try:
        temporary.write_text(token, encoding="ascii")
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)


def store_version(store=None) -> str:
    """A cheap string that changes whenever the store is written (for cache keys).

    Built from a token rewritten after every committed ingest or outcome and from the size
    and modification time of the file and its write-ahead log; it never opens the database,
    so it works while another process holds the lock.

    >>> store_version("/no/such/store.duckdb")
    'missing'
    """
    path = store_file(store)
    parts = []
    for candidate in (path, Path(str(path) + ".wal")):
        try:
            info = candidate.stat()
        except OSError:
            continue
        parts.append(f"{info.st_size}-{info.st_mtime_ns}")
    if not parts:
        return "missing"
    try:
        parts.insert(0, _version_file(path).read_text(encoding="ascii").strip())
    except OSError:
        pass
    return ":".join(parts)
