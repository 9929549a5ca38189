"""Batches, remove-batch and the store's content digest (issue 17: undo and history)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main
from ingest.batches import (
    BatchInUseError,
    NoSuchBatchError,
    content_digest,
    list_batches,
    remove_batch,
)
from ingest.store import ingest_dataset, read_dataset, read_outcomes, record_outcome, status

from .conftest import GOOD, TODAY, snapshot, write_dataset

REPO = Path(__file__).resolve().parents[2]

# A second, valid dataset: another ward's file with one organisation of the first again
# (a conflict: other ward) and one new organisation.
OTHER = {
    "organizations.csv": (
        "id,name,kind,ward\n"
        "R-O004,FC大阪,company,西淀川区\n"
        "R-O009,淀川区地域活動協議会,council,淀川区\n"
        "R-O010,FCおおさか,company,西淀川区\n"),
    "aliases.csv": "alias,org_id\nFCおおさか,R-O004\n",
    "participations.csv": "event_id,org_id\nR-E009,R-O009\n",
    "events.csv": "id,name,date\nR-E009,淀川フェスタ,2019-10-01\n",
}


@pytest.fixture
def store(tmp_path, good_folder) -> Path:
    path = tmp_path / "store.duckdb"
    ingest_dataset(good_folder, store=path, today=TODAY, by="tanaka")
    return path


def test_batches_lists_who_when_files_and_counts(store, tmp_path, capsys):
    ingest_dataset(write_dataset(tmp_path / "other", OTHER), store=store, today=TODAY)
    batches = list_batches(store)
    assert [b["batch"] for b in batches] == [1, 2]
    assert batches[0]["ingested_by"] == "tanaka"
    assert batches[1]["ingested_by"]                      # the OS user
    assert batches[0]["files"] == ["awards.csv", "collaborations.csv", "events.csv",
                                   "organizations.csv", "participations.csv"]
    assert batches[1]["counts"] == {"organizations": 2, "events": 1, "participations": 1}
    assert main(["batches", "--store", str(store), "--json"]) == 0
    import json
    assert json.loads(capsys.readouterr().out) == batches
    assert main(["batches", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "#1 " in out and "by tanaka" in out and "organizations.csv" in out


def test_remove_last_batch_restores_the_content_exactly(store, tmp_path, capsys):
    before, rows_before = content_digest(store), snapshot(store)
    ingest_dataset(write_dataset(tmp_path / "other", OTHER), store=store, today=TODAY)
    assert status(store)["conflicts"] == 1                # R-O004 in two wards
    assert content_digest(store) != before
    assert main(["remove-batch", "2", "--store", str(store)]) == 0
    assert "batch 2 (other) removed: events 1, merges 1, organizations 2" in \
        capsys.readouterr().out
    assert content_digest(store) == before
    after = snapshot(store)
    assert {k: v for k, v in after.items() if k != "audit_log"} == \
        {k: v for k, v in rows_before.items() if k != "audit_log"}
    assert status(store)["conflicts"] == 0                # recomputed: gone with the batch
    actions = [row[2] for row in after["audit_log"]]
    assert sorted(actions) == ["ingest", "ingest", "remove-batch"]


def test_remove_a_middle_batch_keeps_the_others(store, tmp_path):
    only_first = content_digest(store)
    ingest_dataset(write_dataset(tmp_path / "other", OTHER), store=store, today=TODAY)
    third = {**GOOD, "events.csv": GOOD["events.csv"].replace("204", "205")}
    ingest_dataset(write_dataset(tmp_path / "third", third), store=store, today=TODAY)
    remove_batch(store, 2)
    assert [b["batch"] for b in list_batches(store)] == [1, 3]
    assert read_dataset(store).table("events").set_index("id").loc["R-E002", "attendance"] \
        == 205
    remove_batch(store, 3)
    assert content_digest(store) == only_first


def test_batch_that_an_outcome_depends_on_is_refused(store, tmp_path, capsys):
    ingest_dataset(write_dataset(tmp_path / "other", OTHER), store=store, today=TODAY)
    record_outcome(store, org_a="R-O001", org_b="R-O009", status="introduced")
    before = content_digest(store)
    with pytest.raises(BatchInUseError, match=r"outcomes #1 \(org_b\) refers to R-O009"):
        remove_batch(store, 2)
    assert main(["remove-batch", "2", "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert "refused" in err and "only batch 2 brought" in err
    assert content_digest(store) == before
    # batch 1 brought R-O001 but batch 2 does not have it: also refused
    with pytest.raises(BatchInUseError, match="R-O001"):
        remove_batch(store, 1)
    assert content_digest(store) == before
    assert read_outcomes(store)["recorded_by"].tolist()[0]


def test_unknown_batch_and_missing_store_are_refused(store, tmp_path, capsys):
    before = content_digest(store)
    with pytest.raises(NoSuchBatchError, match="no batch 7"):
        remove_batch(store, 7)
    assert main(["remove-batch", "7", "--store", str(store)]) == 2
    assert content_digest(store) == before
    missing = tmp_path / "none.duckdb"
    assert main(["remove-batch", "1", "--store", str(missing)]) == 1
    assert not missing.exists()
    assert main(["batches", "--store", str(missing)]) == 1
    capsys.readouterr()


KILLER = """
import sys, time
import ingest.batches as b
original = b.audit
def pause(*args, **kwargs):
    original(*args, **kwargs)
    print("ready", flush=True)
    time.sleep(60)
b.audit = pause
b.remove_batch(sys.argv[1], 2)
"""


def test_kill_during_remove_batch_leaves_the_store_as_before(store, tmp_path):
    ingest_dataset(write_dataset(tmp_path / "other", OTHER), store=store, today=TODAY)
    before = snapshot(store)
    proc = subprocess.Popen([sys.executable, "-c", KILLER, str(store)], cwd=REPO,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"   # rows deleted, not committed
    finally:
        proc.kill()
        proc.wait()
    assert snapshot(store) == before
    assert [b["batch"] for b in list_batches(store)] == [1, 2]
