"""The DuckDB store: batches, no-op re-ingest, conflicts, locking, read-only, crashes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from cli.main import main
from ingest.store import (
    StoreBusyError,
    StoreError,
    StoreNotFoundError,
    StoreReadOnlyError,
    conflicts,
    ingest_dataset,
    read_dataset,
    read_outcomes,
    record_outcome,
    status,
    store_version,
)

from .conftest import GOOD, TODAY, snapshot, write_dataset

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path, good_folder) -> Path:
    path = tmp_path / "store.duckdb"
    ingest_dataset(good_folder, store=path, today=TODAY)
    return path


def test_ingest_keeps_provenance_and_reads_back(store, good_folder):
    ds = read_dataset(store)
    orgs = ds.table("organizations")
    assert orgs["id"].tolist() == ["R-O001", "R-O002", "R-O003", "R-O004"]
    assert orgs["_row"].tolist() == [2, 3, 4, 5]
    assert set(orgs["_file"]) == {"organizations.csv"} and set(orgs["_batch"]) == {1}
    assert orgs.loc[0, "fields"] == [1, 13]
    assert str(orgs["founded"].dtype) == "datetime64[ns]"
    assert ds.table("collaborations").loc[0, "org_ids"] == ["R-O002", "R-O003"]
    assert ds.table("awards").loc[0, "fiscal_year"] == 2019
    assert ds.table("dispatches").empty
    info = status(store)
    assert info["tables"]["participations"] == {"records": 3, "stored": 3}
    assert info["batches"][0]["path"] == str(good_folder.resolve())


def test_reingesting_identical_content_is_a_noop(store, good_folder, tmp_path, capsys):
    before, version = snapshot(store), store_version(store)
    copy = write_dataset(tmp_path / "elsewhere", GOOD)
    result = ingest_dataset(copy, store=store, today=TODAY)
    assert result.noop and result.batch == 1
    assert main(["ingest", str(good_folder), "--store", str(store)]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert snapshot(store) == before and store_version(store) == version


def test_changed_values_are_conflicts_and_latest_batch_wins(store, tmp_path, capsys):
    files = dict(GOOD)
    files["organizations.csv"] = files["organizations.csv"].replace(
        "R-O004,FC大阪,company,東淀川区", "R-O004,FC大阪,company,淀川区")
    version = store_version(store)
    result = ingest_dataset(write_dataset(tmp_path / "v2", files), store=store, today=TODAY)
    assert result.batch == 2 and not result.noop
    assert store_version(store) != version
    orgs = read_dataset(store).table("organizations").set_index("id")
    assert orgs.loc["R-O004", "ward"] == "淀川区" and orgs.loc["R-O004", "_batch"] == 2
    assert orgs.loc["R-O001", "_batch"] == 2          # unchanged values: latest copy
    found = conflicts(store)
    assert found["table"].unique().tolist() == ["organizations"]
    assert found[["key", "differs", "batch", "values"]].values.tolist() == [
        ["id=R-O004", "ward", 1, "ward=東淀川区"], ["id=R-O004", "ward", 2, "ward=淀川区"]]
    assert status(store)["tables"]["organizations"] == {"records": 4, "stored": 8}
    assert main(["conflicts", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "organizations id=R-O004 — differs in ward" in out
    assert "batch 1, organizations.csv row 5" in out


def test_two_sources_disagreeing_on_a_figure(tmp_path, capsys):
    # The seed prints the dispatches-per-year table twice: H27 thematic 7 in one, 12 in the other.
    files = {**GOOD, "figures.csv": (
        "metric,period,category,value,unit,source\n"
        "dispatches,H27,territorial,5,件,seed 1(1)ア 実績\n"
        "dispatches,H27,thematic,7,件,seed 1(1)ア 実績\n"
        "dispatches,H27,territorial,5,件,seed 2(1)③ 実績\n"
        "dispatches,H27,thematic,12,件,seed 2(1)③ 実績\n")}
    store = tmp_path / "s.duckdb"
    ingest_dataset(write_dataset(tmp_path / "fig", files), store=store, today=TODAY)
    assert len(read_dataset(store).table("figures")) == 4   # both sources kept
    found = conflicts(store)
    assert found["key"].unique().tolist() == ["metric=dispatches, period=H27, category=thematic"]
    assert found["values"].tolist() == ["value=7.0", "value=12.0"]
    assert found["source"].tolist() == ["seed 1(1)ア 実績", "seed 2(1)③ 実績"]  # no NFKC
    report = tmp_path / "conflicts.csv"
    assert main(["conflicts", "--store", str(store), "--csv", str(report)]) == 0
    assert len(pd.read_csv(report, encoding="utf-8-sig")) == 2


def test_real_only_leaves_out_synthetic_records(tmp_path):
    files = dict(GOOD)
    files["organizations.csv"] = files["organizations.csv"].replace(",seed\n", ",seed\n", 1)
    files["organizations.csv"] = (files["organizations.csv"].rstrip("\n").replace(
        "id,name,kind,ward,orientation,fields,founded,source",
        "id,name,kind,ward,orientation,fields,founded,source,synthetic")
        .replace(",seed\n", ",seed,false\n") + ",true\n")
    store = tmp_path / "s.duckdb"
    ingest_dataset(write_dataset(tmp_path / "syn", files), store=store, today=TODAY)
    assert len(read_dataset(store).table("organizations")) == 4
    assert read_dataset(store, real_only=True).table("organizations")["id"].tolist() == [
        "R-O001", "R-O002", "R-O003"]


HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("ready", flush=True)
time.sleep(60)
"""


def test_locked_store_gives_store_busy(store, tmp_path, capsys):
    before = snapshot(store)
    files = {**GOOD, "events.csv": GOOD["events.csv"].replace("204", "205")}
    folder = write_dataset(tmp_path / "v2", files)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(store)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        started = time.monotonic()
        with pytest.raises(StoreBusyError, match="busy"):
            ingest_dataset(folder, store=store, timeout=0.5, today=TODAY)
        assert time.monotonic() - started < 5
        with pytest.raises(StoreBusyError):
            read_dataset(store, timeout=0.2)
        assert main(["ingest", str(folder), "--store", str(store), "--timeout", "0.2"]) == 1
        assert "is busy" in capsys.readouterr().err
        assert main(["status", "--store", str(store), "--timeout", "0.2"]) == 1
        assert store_version(store)     # works without the lock
    finally:
        holder.kill()
        holder.wait()
    assert snapshot(store) == before
    assert ingest_dataset(folder, store=store, today=TODAY).batch == 2


def test_read_only_store_is_refused_cleanly(store, tmp_path, capsys):
    folder = write_dataset(tmp_path / "v2", {**GOOD, "awards.csv": GOOD["awards.csv"] + ""
                                             "R-O002,CSOアワード,FY2018,\n"})
    before = snapshot(store)
    os.chmod(store, 0o444)
    try:
        with pytest.raises(StoreReadOnlyError, match="read-only"):
            ingest_dataset(folder, store=store, today=TODAY)
        assert main(["ingest", str(folder), "--store", str(store)]) == 1
        assert "read-only" in capsys.readouterr().err
        with pytest.raises(StoreReadOnlyError):
            record_outcome(store, org_a="R-O001", org_b="R-O002", status="proposed")
        assert len(read_dataset(store).table("organizations")) == 4   # reading still works
    finally:
        os.chmod(store, 0o644)
    assert snapshot(store) == before


CRASHER = """
import os, sys
import ingest.store.writing as s
original = s._insert_table
def crash_after_first_table(*args, **kwargs):
    original(*args, **kwargs)
    os._exit(17)
s._insert_table = crash_after_first_table
s.ingest_dataset(sys.argv[1], store=sys.argv[2])
"""


def test_crash_midway_leaves_no_partial_batch(store, tmp_path):
    before = snapshot(store)
    files = {**GOOD, "events.csv": GOOD["events.csv"].replace("204", "205")}
    folder = write_dataset(tmp_path / "v2", files)
    done = subprocess.run([sys.executable, "-c", CRASHER, str(folder), str(store)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 17, done.stderr
    assert snapshot(store) == before
    assert [b["batch"] for b in status(store)["batches"]] == [1]
    assert ingest_dataset(folder, store=store, today=TODAY).batch == 2


def test_outcomes_round_trip(store):
    version = store_version(store)
    first = record_outcome(store, org_a="R-O001", org_b="R-O004", status="introduced",
                           on="令和元年8月1日", goal="子ども食堂", score=0.8, note="=note")
    second = record_outcome(store, org_a="R-O002", org_b="R-O004", status="partnered")
    assert (first, second) == (1, 2)
    assert store_version(store) != version
    outcomes = read_outcomes(store)
    assert outcomes["status"].tolist() == ["introduced", "partnered"]
    assert str(outcomes.loc[0, "on"].date()) == "2019-08-01"
    assert outcomes.loc[0, "note"] == "=note" and outcomes.loc[0, "score"] == 0.8
    assert pd.isna(outcomes.loc[1, "score"])
    with pytest.raises(ValueError, match="status"):
        record_outcome(store, org_a="R-O001", org_b="R-O002", status="maybe")
    with pytest.raises(ValueError, match="R-O999"):
        record_outcome(store, org_a="R-O001", org_b="R-O999", status="proposed")
    assert len(read_outcomes(store)) == 2


def test_missing_store(tmp_path, capsys):
    with pytest.raises(StoreNotFoundError, match="tsunagari ingest"):
        read_dataset(tmp_path / "none.duckdb")
    assert main(["status", "--store", str(tmp_path / "none.duckdb")]) == 1
    assert "no store" in capsys.readouterr().err


def test_status_json_and_env_store(store, monkeypatch, capsys):
    monkeypatch.setenv("TSUNAGARI_STORE", str(store))
    assert main(["status", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["store"] == str(store)
    assert info["tables"]["organizations"]["records"] == 4
    assert [b["batch"] for b in info["batches"]] == [1]
    assert main(["status"]) == 0
    assert "participations" in capsys.readouterr().out


def test_damaged_store_file_is_a_clear_error(tmp_path, good_folder, capsys):
    damaged = tmp_path / "damaged.duckdb"
    damaged.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open store"):
        ingest_dataset(good_folder, store=damaged, today=TODAY)
    assert main(["status", "--store", str(damaged)]) == 1
    assert "cannot open store" in capsys.readouterr().err
    assert damaged.read_bytes() == b"this is not a database" * 100


def test_store_version_changes_on_every_write_even_in_quick_succession(store):
    versions = [store_version(store)]
    for _ in range(3):
        record_outcome(store, org_a="R-O001", org_b="R-O002", status="proposed")
        versions.append(store_version(store))
    assert len(set(versions)) == 4
    assert store_version(store) == versions[-1]      # reading does not change it
    read_dataset(store)
    assert store_version(store) == versions[-1]


def test_extra_columns_and_two_files_for_one_table_round_trip(tmp_path):
    files = {**GOOD, "団体.csv": "団体ID,団体名,種別,担当者メモ\nR-O005,にしよどにこネット,npo,=SUM(A1)\n"}
    store = tmp_path / "s.duckdb"
    ingest_dataset(write_dataset(tmp_path / "two", files), store=store, today=TODAY)
    orgs = read_dataset(store).table("organizations").set_index("id")
    assert orgs.loc["R-O005", "attrs"] == {"担当者メモ": "=SUM(A1)"}
    assert orgs.loc["R-O001", "attrs"] == {}
    assert (orgs.loc["R-O005", "_file"], orgs.loc["R-O005", "_row"]) == ("団体.csv", 2)
    assert orgs.loc["R-O004", "_file"] == "organizations.csv"
