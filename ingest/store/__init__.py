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

What lives where:

* :mod:`ingest.store.connection` — :func:`default_store_path`, the errors
  (:class:`StoreError`, :class:`StoreBusyError`, :class:`StoreReadOnlyError`,
  :class:`StoreNotFoundError`), :data:`DEFAULT_TIMEOUT`, :data:`SCHEMA_VERSION`,
  :func:`store_version`, :func:`os_user`; and the helpers the other store modules and
  ``ingest.backup`` / ``ingest.batches`` / ``ingest.migrate`` share, not re-exported here:
  ``connect``, ``store_file``, ``check_writable``, ``has_table``, ``audit``, ``bump_version``;
* :mod:`ingest.store.writing` — :func:`ingest_dataset`, :func:`write_prepared`,
  :class:`BatchResult`;
* :mod:`ingest.store.reading` — :func:`read_dataset`, :func:`status`,
  :func:`merge_candidates`;
* :mod:`ingest.store.record_conflicts` — :func:`conflicts`, :data:`CONFLICT_COLUMNS`;
* :mod:`ingest.store.outcomes` — :func:`record_outcome`, :func:`read_outcomes`,
  :data:`OUTCOME_COLUMNS`.

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

from ingest.store.connection import (
    DEFAULT_TIMEOUT,
    SCHEMA_VERSION,
    StoreBusyError,
    StoreError,
    StoreNotFoundError,
    StoreReadOnlyError,
    default_store_path,
    os_user,
    store_version,
)
from ingest.store.outcomes import OUTCOME_COLUMNS, read_outcomes, record_outcome
from ingest.store.reading import merge_candidates, read_dataset, status
from ingest.store.record_conflicts import CONFLICT_COLUMNS, conflicts
from ingest.store.writing import BatchResult, ingest_dataset, write_prepared

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
