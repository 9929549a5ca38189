"""The store: one embedded DuckDB file holding every ingested record with its provenance.

Each table of the record format is a table in the store with its canonical columns plus
``attrs`` (extra columns, JSON text) and provenance: ``_file``, ``_sheet``, ``_row`` (the
spreadsheet row), ``_batch`` and ``_ingested_at``. ``batches`` lists every ingest (content
hash, path, counts, time), ``merges`` and ``merge_candidates`` the name merges applied and
proposed, ``outcomes`` the recorded results of suggested introductions, ``audit_log`` who
did what when (every write: ingests, outcomes, removals, restores, migrations).

Who: every write records who made it (``by``: the OS user for the command line, the signed-in
editor for the dashboard) and when. Schema version: ``meta.schema_version``; a store of an
older version is migrated when opened, after a backup (``ingest.migrate``).

Writing: ``ingest_dataset`` validates first (nothing is written when validation fails),
then writes the whole dataset as one batch in one transaction, so a crash midway leaves no
partial batch. Identical content (same ``content_hash``) is a no-op. Records are never
overwritten: when two batches (or two sources) give different values for one key, both are
kept and ``conflicts`` lists them; ``read_dataset`` gives the latest batch's record.

Locking: DuckDB lets one process open the file for writing and locks everyone else out, even
readers. Every function here opens the file, does its work and closes it; one that finds the
file locked retries with backoff for ``timeout`` seconds (default 10, environment variable
``TSUNAGARI_STORE_TIMEOUT``) and then raises ``StoreBusyError``.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "organizations.csv").write_text("id,name,kind\\nR-O1,ReBORN,npo\\n")
>>> store = folder / "t.duckdb"
>>> ingest_dataset(folder, store=store).batch
1
>>> ingest_dataset(folder, store=store).noop
True
>>> read_dataset(store).table("organizations")[["id", "_batch"]].values.tolist()
[['R-O1', 1]]
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import stat
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ingest.load import Prepared, prepare
from ingest.normalise import parse_date
from ingest.readers import dataset_hash
from ingest.schemas import OUTCOME_STATUSES, TABLES, Dataset
from ingest.validate import attrs_json

__all__ = [
    "StoreError",
    "StoreBusyError",
    "StoreReadOnlyError",
    "StoreNotFoundError",
    "BatchResult",
    "DEFAULT_TIMEOUT",
    "default_store_path",
    "ingest_dataset",
    "write_prepared",
    "read_dataset",
    "store_version",
    "status",
    "conflicts",
    "merge_candidates",
    "record_outcome",
    "read_outcomes",
    "OUTCOME_COLUMNS",
    "CONFLICT_COLUMNS",
    "SCHEMA_VERSION",
    "os_user",
]

DEFAULT_TIMEOUT = 10.0
SCHEMA_VERSION = 2
OUTCOME_COLUMNS = ("id", "org_a", "org_b", "status", "on", "goal", "score", "note",
                   "recorded_at", "recorded_by")
CONFLICT_COLUMNS = ("table", "key", "differs", "batch", "file", "sheet", "row", "source",
                    "values")
_SQL_TYPES = {"str": "VARCHAR", "enum": "VARCHAR", "ward": "VARCHAR", "int": "BIGINT",
              "float": "DOUBLE", "date": "DATE", "bool": "BOOLEAN", "fields": "INTEGER[]",
              "ids": "VARCHAR[]", "fiscal_year": "INTEGER", "topics": "VARCHAR[]"}


class StoreError(RuntimeError):
    """The store cannot be used (damaged, unreadable, wrong version)."""


class StoreBusyError(StoreError):
    """Another process holds the store; raised after the bounded wait."""


class StoreReadOnlyError(StoreError):
    """The store file (or its folder) is read-only, so nothing can be ingested."""


class StoreNotFoundError(StoreError, FileNotFoundError):
    """There is no store file yet (run ``tsunagari ingest`` first)."""


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
    root = Path(__file__).resolve().parents[1]
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


def _store_path(store) -> Path:
    return default_store_path() if store is None else Path(store)


def _check_writable(path: Path) -> None:
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
def _connect(store, *, write: bool, timeout: float | None = None):
    """Open the store (retrying while another process holds it), yield, always close."""
    import duckdb

    path = _store_path(store)
    if write:
        _check_writable(path)
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
            with _connect(path, write=True, timeout=timeout) as writer:  # migrates, backup first
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


def _has_table(con, name: str) -> bool:
    row = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                      [name]).fetchone()
    return bool(row[0])


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

    path = _store_path(store)
    started = time.perf_counter()
    with _connect(path, write=True, timeout=timeout) as con:
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
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # the connection is gone; the transaction never committed
            raise
    _bump_version(path)
    return BatchResult(path, int(batch), False, prepared.content_hash, prepared.counts,
                       prepared.merges, prepared.candidates, prepared.notes,
                       time.perf_counter() - started)


def _known_hash(path: Path, content_hash: str, timeout) -> int | None:
    if not path.exists():
        return None
    with _connect(path, write=False, timeout=timeout) as con:
        if not _has_table(con, "batches"):
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
    store_path = _store_path(store)
    content = None
    if Path(path).exists():
        content = dataset_hash(path)
        known = _known_hash(store_path, content, timeout)
        if known is not None:
            return BatchResult(store_path, known, True, content)
    if store_path.exists():
        _check_writable(store_path)
    prepared = prepare(path, today=today, threshold=threshold, show_progress=show_progress,
                       content_hash=content)
    return write_prepared(prepared, store=store_path, timeout=timeout,
                          show_progress=show_progress, by=by)


def _latest(con, table: str) -> pd.DataFrame:
    key = ", ".join(f'"{k}"' for k in TABLES[table].key)
    return con.execute(f"""SELECT * EXCLUDE (_ingested_at) FROM "{table}"
        QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY _batch DESC, _row) = 1
        ORDER BY _batch, _file, _sheet, _row""").df()


def _to_frame(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    spec = TABLES[table]
    for column in spec.columns:
        values = frame[column.name]
        if column.type in ("str", "enum", "ward"):
            frame[column.name] = values.fillna("").astype(object)
        elif column.type == "date":
            frame[column.name] = pd.to_datetime(values).astype("datetime64[ns]")
        elif column.type == "fields":
            frame[column.name] = [[int(v) for v in x] if x is not None else [] for x in values]
        elif column.type in ("ids", "topics"):
            frame[column.name] = [[str(v) for v in x] if x is not None else [] for x in values]
        elif column.type == "bool":
            frame[column.name] = values.fillna(False).astype(bool)
        elif column.type in ("int", "fiscal_year"):
            frame[column.name] = values.astype("Int64")
        elif column.type == "float":
            frame[column.name] = values.astype("float64")
    frame["attrs"] = [json.loads(v) if v and v != "{}" else {} for v in frame["attrs"]]
    for name in ("_file", "_sheet"):
        frame[name] = frame[name].fillna("").astype(object)
    frame["_row"] = frame["_row"].astype("int64")
    frame["_batch"] = frame["_batch"].astype("int64")
    return frame.reset_index(drop=True)


def read_dataset(store=None, *, real_only: bool = False, timeout: float | None = None
                 ) -> Dataset:
    """Read the store back as a ``Dataset`` (the latest batch wins for a duplicated key).

    Conflicting versions stay in the store (see ``conflicts``). With ``real_only`` the
    records marked ``synthetic`` are left out. Tables without records are absent
    (``Dataset.table`` gives an empty frame). ``Dataset.city`` is the city declared by the
    latest batch that declared one ("" when none did: Osaka City).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text(
    ...     "id,name,kind,synthetic\\nR-O1,ReBORN,npo,false\\nS-O1,Test,npo,true\\n")
    >>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
    >>> read_dataset(folder / "s.duckdb", real_only=True).table("organizations")["id"].tolist()
    ['R-O1']
    """
    frames = {}
    city = ""
    with _connect(store, write=False, timeout=timeout) as con:
        if _has_table(con, "batches"):
            row = con.execute("""SELECT city FROM batches WHERE coalesce(city, '') <> ''
                ORDER BY batch_id DESC LIMIT 1""").fetchone()
            city = row[0] if row else ""
        for table in TABLES:
            if not _has_table(con, table):
                continue
            frame = _latest(con, table)
            if real_only and len(frame):
                frame = frame.loc[~frame["synthetic"].fillna(False).astype(bool)]
            if len(frame):
                frames[table] = _to_frame(table, frame)
    return Dataset(frames, city=city)


def _version_file(path: Path) -> Path:
    return path.with_name(path.name + ".version")


def _bump_version(path: Path) -> None:
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
    path = _store_path(store)
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


def status(store=None, *, timeout: float | None = None) -> dict:
    """Counts per table (current records and all stored versions) and the batches.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text("id,name,kind\\nR-O1,ReBORN,npo\\n")
    >>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
    >>> info = status(folder / "s.duckdb")
    >>> info["tables"]["organizations"], len(info["batches"])
    ({'records': 1, 'stored': 1}, 1)
    """
    path = _store_path(store)
    info = {"store": str(path), "version": store_version(path), "tables": {},
            "batches": [], "outcomes": 0, "conflicts": 0, "merge_candidates": 0}
    with _connect(path, write=False, timeout=timeout) as con:
        for table, spec in TABLES.items():
            if not _has_table(con, table):
                continue
            key = ", ".join(f'"{k}"' for k in spec.key)
            stored, current = con.execute(
                f'SELECT count(*), count(DISTINCT ({key})) FROM "{table}"').fetchone()
            info["tables"][table] = {"records": int(current), "stored": int(stored)}
        if _has_table(con, "batches"):
            for row in con.execute("""SELECT batch_id, content_hash, path, name, city,
                    ingested_at, counts, ingested_by FROM batches ORDER BY batch_id""").fetchall():
                info["batches"].append({
                    "batch": row[0], "content_hash": row[1], "path": row[2], "name": row[3],
                    "city": row[4], "ingested_at": row[5].isoformat(sep=" "),
                    "counts": json.loads(row[6] or "{}"), "ingested_by": row[7] or ""})
        if _has_table(con, "outcomes"):
            info["outcomes"] = int(con.execute("SELECT count(*) FROM outcomes").fetchone()[0])
        if _has_table(con, "merge_candidates") and info["batches"]:
            latest = info["batches"][-1]["batch"]
            info["merge_candidates"] = int(con.execute(
                "SELECT count(*) FROM merge_candidates WHERE _batch = ?", [latest]
            ).fetchone()[0])
        frame = _conflicts(con)
    info["conflicts"] = int(frame.groupby(["table", "key"]).ngroups) if len(frame) else 0
    return info


def _conflict_key(table: str) -> list[str]:
    return [k for k in TABLES[table].key if k != "source"]


def _value_columns(table: str) -> list[str]:
    """The columns whose values two versions of one record are compared on: every column
    but the key and ``source``, and the extra columns (``attrs``)."""
    key = set(TABLES[table].key)
    return [c.name for c in TABLES[table].columns
            if c.name not in key and c.name != "source"] + ["attrs"]


def _canonical_attrs(text) -> str:
    """``attrs`` JSON with its keys sorted, so that key order never makes a conflict.

    >>> _canonical_attrs('{"note": "n1", "memo": "m1"}'), _canonical_attrs(None)
    ('{"memo": "m1", "note": "n1"}', '{}')
    """
    if not text or text == "{}":
        return "{}"
    return json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True)


def _conflicts(con) -> pd.DataFrame:
    parts = []
    for table in TABLES:
        if not _has_table(con, table):
            continue
        key = _conflict_key(table)
        values = _value_columns(table)
        key_sql = ", ".join(f'"{k}"' for k in key)
        pack = ", ".join(f'"{v}" := "{v}"' for v in values)
        frame = con.execute(f"""
            WITH groups AS (
                SELECT {key_sql} FROM "{table}" GROUP BY {key_sql}
                HAVING count(DISTINCT md5(CAST(struct_pack({pack}) AS VARCHAR))) > 1)
            SELECT t.* FROM "{table}" t JOIN groups USING ({key_sql})
            ORDER BY {", ".join(f't."{k}"' for k in key)}, _batch, _file, _sheet, _row
            """).df()
        if frame.empty:
            continue
        # Extra columns compare as values, not as JSON text: a store written before keys
        # were sorted holds {"note": …, "memo": …} where a new batch writes {"memo": …, …}.
        frame["attrs"] = [_canonical_attrs(v) for v in frame["attrs"]]
        frame["_key"] = frame[key].astype(str).agg(lambda r: ", ".join(
            f"{k}={v}" for k, v in zip(key, r)), axis=1)
        for label, group in frame.groupby("_key", sort=False):
            texts = {v: group[v].astype(str) for v in values}
            differs = [v for v in values if texts[v].nunique(dropna=False) > 1]
            if not differs:
                continue
            for position in range(len(group)):
                record = group.iloc[position]
                parts.append({
                    "table": table, "key": label, "differs": ", ".join(differs),
                    "batch": int(record["_batch"]), "file": record["_file"],
                    "sheet": record["_sheet"] or "", "row": int(record["_row"]),
                    "source": record["source"] or "",
                    "values": ", ".join(f"{v}={texts[v].iloc[position]}" for v in differs)})
    if _has_table(con, "figures"):
        parts += _figure_conflicts(con)
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CONFLICT_COLUMNS})
    return pd.DataFrame(parts, columns=list(CONFLICT_COLUMNS))


def _figure_conflicts(con) -> list[dict]:
    """A stated total against its own table, one figure with two periods
    (``ingest.figure_checks``): one row per record involved."""
    from ingest.figure_checks import figure_conflicts

    figures = con.execute('SELECT * FROM figures ORDER BY _batch, _file, _sheet, _row').df()
    parts = []
    for found in figure_conflicts(figures).itertuples(index=False):
        for position in found.rows:
            record = figures.iloc[position]
            parts.append({
                "table": "figures", "key": found.key, "differs": found.differs,
                "batch": int(record["_batch"]), "file": record["_file"],
                "sheet": record["_sheet"] or "", "row": int(record["_row"]),
                "source": record["source"] or "",
                "values": f"period={record['period']}, value={float(record['value']):g}"})
    return parts


def conflicts(store=None, *, timeout: float | None = None) -> pd.DataFrame:
    """Records with one key but different values, each with its source and provenance.

    The key is the table's key without ``source`` (for ``figures``: metric, period,
    category), so two sources reporting different figures show up, as do two batches giving
    one organisation id different values. Figures are also checked against themselves
    (``ingest.figure_checks.figure_conflicts``): a stated total that differs from the sum
    of its own table, and one figure printed with two periods. Columns:
    ``CONFLICT_COLUMNS``; one conflict is one (``table``, ``key``).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text("id,name,kind\\nR-O1,A,npo\\n")
    >>> _ = (folder / "figures.csv").write_text(
    ...     "metric,period,category,value,source\\ndispatches,FY2015,thematic,7,seed p.11\\n"
    ...     "dispatches,FY2015,thematic,12,seed p.32\\n")
    >>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
    >>> conflicts(folder / "s.duckdb")[["table", "source", "values"]].values.tolist()
    [['figures', 'seed p.11', 'value=7.0'], ['figures', 'seed p.32', 'value=12.0']]
    """
    with _connect(store, write=False, timeout=timeout) as con:
        return _conflicts(con)


def merge_candidates(store=None, *, batch: int | None = None,
                     timeout: float | None = None) -> pd.DataFrame:
    """Name pairs proposed for review by a batch (default: the latest batch).

    Columns ``org_a, name_a, org_b, name_b, score, reason, _batch``.
    """
    with _connect(store, write=False, timeout=timeout) as con:
        if not _has_table(con, "merge_candidates"):
            return pd.DataFrame(columns=["org_a", "name_a", "org_b", "name_b", "score",
                                         "reason", "_batch"])
        if batch is None:
            row = con.execute("SELECT max(batch_id) FROM batches").fetchone()
            batch = row[0] if row and row[0] is not None else 0
        return con.execute("""SELECT org_a, name_a, org_b, name_b, score, reason, _batch
            FROM merge_candidates WHERE _batch = ? ORDER BY score DESC, org_a, org_b""",
                           [batch]).df()


def record_outcome(store=None, *, org_a: str, org_b: str, status: str, on=None,
                   goal: str = "", score: float | None = None, note: str = "",
                   timeout: float | None = None, check_orgs: bool = True,
                   by: str | None = None) -> int:
    """Record what came of an introduction; returns the outcome's id.

    ``status`` is one of ``proposed``, ``introduced``, ``declined``, ``partnered``; ``on``
    is a date (any form ``parse_date`` reads; default today). When the store holds
    organisations, both ids must be among them, unless ``check_orgs`` is false (a match
    outcome, ``ingest.match_outcomes``, whose ids may be a consultation or a talent, checked
    by the caller). One small transaction of its own; ``by`` (default: the OS user) and the
    time are recorded with it.

    >>> import tempfile, pathlib
    >>> store = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> record_outcome(store, org_a="R-O1", org_b="R-O2", status="introduced", on="2019-08-01")
    1
    >>> read_outcomes(store)[["org_a", "status"]].values.tolist()
    [['R-O1', 'introduced']]
    """
    if status not in OUTCOME_STATUSES:
        raise ValueError(f"status {status!r} is not one of {', '.join(OUTCOME_STATUSES)}")
    org_a, org_b = str(org_a).strip(), str(org_b).strip()
    if not org_a or not org_b or org_a == org_b:
        raise ValueError("an outcome needs two different organisation ids")
    day = dt.date.today() if on is None else parse_date(on)
    if score is not None:
        score = float(score)
    with _connect(store, write=True, timeout=timeout) as con:
        known = con.execute('SELECT count(*) FROM organizations').fetchone()[0]
        if known and check_orgs:
            found = {r[0] for r in con.execute(
                "SELECT DISTINCT id FROM organizations WHERE id IN (?, ?)", [org_a, org_b]
            ).fetchall()}
            missing = [o for o in (org_a, org_b) if o not in found]
            if missing:
                raise ValueError(f"unknown organisation id(s): {', '.join(missing)}")
        by = by or os_user()
        when = dt.datetime.now().replace(microsecond=0)
        con.execute("BEGIN TRANSACTION")
        row = con.execute("""INSERT INTO outcomes (org_a, org_b, status, "on", goal, score,
            note, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                          [org_a, org_b, status, day, str(goal), score, str(note),
                           when, by]).fetchone()
        audit(con, "outcome", f"outcome {row[0]}: {org_a} – {org_b} {status}", by, when)
        con.execute("COMMIT")
    _bump_version(_store_path(store))
    return int(row[0])


def read_outcomes(store=None, *, timeout: float | None = None) -> pd.DataFrame:
    """Every recorded outcome, oldest first; columns ``OUTCOME_COLUMNS``.

    An empty frame when no outcome was recorded yet (or the store has no outcomes table).
    """
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in OUTCOME_COLUMNS})
    with _connect(store, write=False, timeout=timeout) as con:
        if not _has_table(con, "outcomes"):
            frame = empty
        else:
            frame = con.execute('SELECT id, org_a, org_b, status, "on", goal, score, note, '
                                'recorded_at, recorded_by FROM outcomes ORDER BY id').df()
    frame["id"] = frame["id"].astype("int64")
    frame["on"] = pd.to_datetime(frame["on"]).astype("datetime64[ns]")
    frame["recorded_at"] = pd.to_datetime(frame["recorded_at"]).astype("datetime64[ns]")
    frame["score"] = frame["score"].astype("float64")
    for column in ("org_a", "org_b", "status", "goal", "note", "recorded_by"):
        frame[column] = frame[column].astype(object)
    frame["recorded_by"] = frame["recorded_by"].fillna("")
    return frame
