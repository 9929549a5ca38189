"""backup / restore / export-store / import-store and schema migration (issue 17)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from cli.main import main
from ingest.backup import export_store, import_store
from ingest.batches import content_digest, list_batches
from ingest.store import (
    SCHEMA_VERSION,
    StoreError,
    ingest_dataset,
    read_outcomes,
    record_outcome,
)

from .conftest import TODAY, snapshot

REPO = Path(__file__).resolve().parents[2]

READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("SELECT count(*) FROM organizations").fetchall()
print("ready", flush=True)
time.sleep(60)
"""


@pytest.fixture
def store(tmp_path, good_folder) -> Path:
    path = tmp_path / "store.duckdb"
    ingest_dataset(good_folder, store=path, today=TODAY, by="tanaka")
    record_outcome(path, org_a="R-O001", org_b="R-O002", status="introduced", by="sato")
    return path


def _cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def test_backup_while_another_process_reads(store, tmp_path):
    before = content_digest(store)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(store)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "ready"
        done = _cli("backup", str(tmp_path / "b.duckdb"), "--store", str(store))
        assert done.returncode == 0, done.stderr
    finally:
        reader.kill()
        reader.wait()
    assert content_digest(tmp_path / "b.duckdb") == before == content_digest(store)
    # the sequence of outcome ids continues in the copy
    assert record_outcome(tmp_path / "b.duckdb", org_a="R-O001", org_b="R-O003",
                          status="proposed") == 2


def test_backup_refuses_to_overwrite(store, tmp_path, capsys):
    target = tmp_path / "b.duckdb"
    target.write_bytes(b"keep me")
    assert main(["backup", str(target), "--store", str(store)]) == 2
    assert "--force" in capsys.readouterr().err and target.read_bytes() == b"keep me"
    assert main(["backup", str(target), "--store", str(store), "--force"]) == 0
    assert content_digest(target) == content_digest(store)


def test_restore_refuses_without_force_then_replaces(store, tmp_path, capsys):
    assert main(["backup", str(tmp_path / "b.duckdb"), "--store", str(store)]) == 0
    saved = content_digest(store)
    record_outcome(store, org_a="R-O003", org_b="R-O004", status="declined")
    changed = snapshot(store)
    assert main(["restore", str(tmp_path / "b.duckdb"), "--store", str(store)]) == 2
    assert "--force" in capsys.readouterr().err
    assert snapshot(store) == changed
    assert main(["restore", str(tmp_path / "b.duckdb"), "--store", str(store),
                 "--force"]) == 0
    assert content_digest(store) == saved
    assert "restore" in [r[2] for r in snapshot(store)["audit_log"]]


def test_restore_refuses_what_is_not_a_store(store, tmp_path, capsys):
    before = snapshot(store)
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database" * 100)
    assert main(["restore", str(junk), "--store", str(store), "--force"]) == 2
    assert "not a Tsunagari store" in capsys.readouterr().err
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert main(["restore", str(empty), "--store", str(store), "--force"]) == 2
    assert main(["restore", str(tmp_path / "none"), "--store", str(store), "--force"]) == 1
    assert snapshot(store) == before


def test_export_import_round_trip(store, tmp_path):
    manifest = export_store(store, tmp_path / "ex")
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert {"organizations", "batches", "outcomes", "merges", "audit_log"} <= \
        set(manifest["tables"])
    assert manifest["tables"]["organizations"]["rows"] == 4
    names = {c[0] for c in manifest["tables"]["organizations"]["columns"]}
    assert {"_file", "_sheet", "_row", "_batch", "_ingested_at"} <= names
    target = tmp_path / "rebuilt.duckdb"
    assert main(["import-store", str(tmp_path / "ex"), "--store", str(target)]) == 0
    assert content_digest(target) == content_digest(store)
    assert record_outcome(target, org_a="R-O001", org_b="R-O004", status="proposed") == 2
    assert read_outcomes(target)["recorded_by"].tolist()[0] == "sato"


def test_export_and_import_refusals(store, tmp_path, capsys):
    before = snapshot(store)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    assert main(["export-store", str(tmp_path / "full"), "--store", str(store)]) == 2
    export_store(store, tmp_path / "ex")
    assert main(["import-store", str(tmp_path / "ex"), "--store", str(store)]) == 2
    assert "--force" in capsys.readouterr().err
    data = tmp_path / "ex" / "organizations.parquet"
    data.write_bytes(data.read_bytes()[:-20] + b"\0" * 20)
    with pytest.raises(StoreError, match="differs from the manifest"):
        import_store(tmp_path / "ex", store, force=True)
    manifest = json.loads((tmp_path / "ex" / "manifest.json").read_text())
    manifest["schema_version"] = SCHEMA_VERSION + 1
    (tmp_path / "ex" / "manifest.json").write_text(json.dumps(manifest))
    assert main(["import-store", str(tmp_path / "ex"), "--store", str(store),
                 "--force"]) == 2
    assert snapshot(store) == before


def _make_version_1(store: Path) -> None:
    """Turn a store into the layout of schema version 1 (before who was recorded)."""
    con = duckdb.connect(str(store))
    con.execute("ALTER TABLE batches DROP COLUMN ingested_by")
    con.execute("ALTER TABLE outcomes DROP COLUMN recorded_by")
    con.execute("DROP TABLE audit_log")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()


def test_version_1_store_is_migrated_on_open_after_a_backup(store, tmp_path):
    _make_version_1(store)
    old = snapshot(store)
    batches = list_batches(store)                      # a read migrates it
    assert batches[0]["ingested_by"] == "" and batches[0]["counts"]["organizations"] == 4
    backups = list(tmp_path.glob("store.duckdb.v1-*.backup.duckdb"))
    assert len(backups) == 1 and snapshot(backups[0]) == old
    new = snapshot(store)
    assert new["meta"] == [("schema_version", "2")]
    assert [r[2:] for r in new["audit_log"]] == [("migrate", "schema version 1 → 2")]
    assert new["organizations"] == old["organizations"]
    assert read_outcomes(store)["recorded_by"].tolist() == [""]


def test_version_1_export_imports_as_current(store, tmp_path):
    _make_version_1(store)
    con = duckdb.connect(str(store), read_only=True)   # export as an old release would
    tables = [r[0] for r in con.execute("SHOW TABLES").fetchall()]
    con.close()
    assert "audit_log" not in tables
    old = snapshot(store)
    import ingest.store.connection as s
    original = s._needs_migration
    s._needs_migration = lambda con: False              # read it as version 1, as it is
    try:
        manifest = export_store(store, tmp_path / "ex")
    finally:
        s._needs_migration = original
    assert manifest["schema_version"] == 1
    import_store(tmp_path / "ex", tmp_path / "new.duckdb")
    new = snapshot(tmp_path / "new.duckdb")
    assert new["meta"] == [("schema_version", "2")]
    assert new["organizations"] == old["organizations"]


PAUSE_BEFORE_REPLACE = """
import os, sys, time
import ingest.backup as b
def pause(*args):
    print("ready", flush=True)
    time.sleep(60)
os.replace = pause
getattr(b, sys.argv[1])(sys.argv[2], sys.argv[3], force=True)
"""


@pytest.mark.parametrize("action", ["restore_store", "import_store"])
def test_kill_during_restore_or_import_leaves_the_store_as_before(store, tmp_path, action):
    record_outcome(tmp_path / "other.duckdb", org_a="A", org_b="B", status="proposed")
    source = tmp_path / "other.duckdb"
    if action == "import_store":
        export_store(source, tmp_path / "ex")
        source = tmp_path / "ex"
    before = snapshot(store)
    proc = subprocess.Popen([sys.executable, "-c", PAUSE_BEFORE_REPLACE, action, str(source),
                             str(store)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"   # the new store is staged
    finally:
        proc.kill()
        proc.wait()
    assert snapshot(store) == before
    getattr(sys.modules["ingest.backup"], action)(source, store, force=True)
    assert content_digest(store) == content_digest(tmp_path / "other.duckdb")
