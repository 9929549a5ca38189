"""The Parquet export streamed from a store equals the export of the dataset the store reads.

``write_parquet_from_store`` (what ``tsunagari export --format parquet`` runs on a store)
builds no ``Dataset``; its tables must equal, row for row and type for type, what
``write_parquet`` writes from ``restrict(read_dataset(store))`` — the path the command took
before. The store holds the bundled Osaka records and a second batch (a copy with some rows
changed, some left out, and synthetic records that real records depend on), so the latest
batch rule, the store's order and every dependent-row rule of ``restrict(real_only=True)``
are exercised. No Spark needed.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cli.main import main
from graph.build import restrict
from graph.errors import GraphError
from graph.spark import parquet_store as streamed
from graph.spark.parquet import arrow_schema, read_manifest, write_parquet
from graph.spark.parquet_store import write_parquet_from_store
from ingest.schemas import TABLES
from ingest.store import StoreNotFoundError, ingest_dataset, read_dataset

OSAKA = Path(__file__).resolve().parents[2] / "data" / "osaka" / "real"

# Rows added to the copy of the Osaka records in the second batch (synthetic=true marks the
# synthetic ones; the real rows that name S-O1 / S-O2 lose them with real_only).
ADDED = {
    "organizations": [
        {"id": "S-O1", "name": "合成NPO", "kind": "npo", "ward": "北区", "fields": "3;13",
         "founded": "2016-04-01", "synthetic": "true"},
        {"id": "S-O2", "name": "合成地活協", "kind": "council", "ward": "北区",
         "synthetic": "true"},
    ],
    "events": [{"id": "S-E1", "name": "合成交流会", "date": "2019-07-01",
                "organizer_id": "R-O003", "attendance": "40", "synthetic": "true"}],
    "participations": [{"event_id": "R-E001", "org_id": "S-O1", "synthetic": "false"},
                       {"event_id": "S-E1", "org_id": "R-O003", "synthetic": "false"},
                       {"event_id": "S-E1", "org_id": "S-O1", "synthetic": "true"}],
    "collaborations": [{"id": "R-C900", "title": "混成", "org_ids": "R-O004;S-O1;R-O005",
                        "start_date": "2019-05-01", "synthetic": "false"},
                       {"id": "R-C901", "title": "合成だけ", "org_ids": "S-O1;S-O2",
                        "synthetic": "false"}],
    "memberships": [{"org_id": "R-O003", "council_id": "S-O2", "since": "2018-04-01",
                     "synthetic": "false"},
                    {"org_id": "S-O1", "council_id": "S-O2", "synthetic": "true"}],
    "dispatches": [{"id": "R-D900", "org_id": "S-O1", "talent_id": "R-T01",
                    "sessions": "2", "synthetic": "false"}],
    "resources": [{"id": "R-R900", "provider_id": "S-O1", "title": "会議室",
                   "synthetic": "false"}],
    "awards": [{"org_id": "S-O1", "program": "CSOアワード大阪市長賞", "fiscal_year": "FY2019",
                "amount_yen": "100000", "synthetic": "false"}],
    "figures": [{"metric": "dispatches", "period": "FY2030", "value": "1.5", "unit": "件",
                 "synthetic": "true"}],
}


def _edit_csv(path: Path, added: list[dict], *, drop_first: bool = False,
              change: dict | None = None) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    if drop_first:
        rows = rows[1:]
    for row in rows:
        for (column, match), values in (change or {}).items():
            if row[column] == match:
                row.update(values)
    header += [c for r in added for c in r if c not in header]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(rows + added)


@pytest.fixture(scope="module")
def osaka_store(tmp_path_factory) -> Path:
    """The bundled Osaka records, one batch."""
    path = tmp_path_factory.mktemp("osaka") / "osaka.duckdb"
    ingest_dataset(OSAKA, store=path, show_progress=False)
    return path


@pytest.fixture(scope="module")
def mixed_store(tmp_path_factory) -> Path:
    """Osaka, then a second batch: an organisation renamed, a real event organised by a
    synthetic one, the first participation left out (batch 1's stays), synthetic records
    and real rows that depend on them, a consultation."""
    root = tmp_path_factory.mktemp("mixed")
    path = root / "mixed.duckdb"
    ingest_dataset(OSAKA, store=path, show_progress=False)
    second = root / "second"
    shutil.copytree(OSAKA, second)
    changes = {"organizations": {("id", "R-O002"): {"name": "北区役所(改称)"}},
               "events": {("id", "R-E002"): {"organizer_id": "S-O1"}}}
    for table, added in ADDED.items():
        _edit_csv(second / f"{table}.csv", added, drop_first=table == "participations",
                  change=changes.get(table))
    (second / "consultations.csv").write_text(
        "id,org_id,ward,date,topics,status,synthetic\n"
        "R-Q1,S-O1,北区,2019-08-01,広報;会計,open,false\n"
        "R-Q2,R-O003,,2019-08-02,,,false\n", encoding="utf-8")
    ingest_dataset(second, store=path, show_progress=False)
    return path


def _tables(folder: Path) -> dict[str, pa.Table]:
    return {t: pq.read_table(folder / f"{t}.parquet") for t in TABLES}


def _pandas_export(store: Path, out: Path, *, real_only: bool) -> Path:
    """The export as ``tsunagari export --format parquet`` wrote it before streaming."""
    dataset = read_dataset(store, real_only=real_only)
    return write_parquet(restrict(dataset, real_only=real_only), out)[0].parent


def assert_same_export(expected: Path, got: Path) -> None:
    assert read_manifest(got) == read_manifest(expected)
    want, have = _tables(expected), _tables(got)
    for table in TABLES:
        assert have[table].schema == arrow_schema(table), table
        assert have[table].equals(want[table]), (table, have[table].to_pylist()[:3],
                                                 want[table].to_pylist()[:3])


@pytest.mark.parametrize("real_only", [False, True])
@pytest.mark.parametrize("which", ["osaka_store", "mixed_store"])
def test_streamed_export_equals_the_dataset_export(which, real_only, request, tmp_path):
    store = request.getfixturevalue(which)
    expected = _pandas_export(store, tmp_path / "pandas", real_only=real_only)
    files = write_parquet_from_store(store, tmp_path / "streamed", real_only=real_only)
    assert [p.name for p in files] == ["manifest.json"] + [f"{t}.parquet" for t in TABLES]
    assert_same_export(expected, tmp_path / "streamed")


def test_the_mixed_store_exercises_every_rule(mixed_store, tmp_path):
    write_parquet_from_store(mixed_store, tmp_path / "all")
    write_parquet_from_store(mixed_store, tmp_path / "real", real_only=True)
    every, real = _tables(tmp_path / "all"), _tables(tmp_path / "real")
    orgs = every["organizations"].to_pylist()
    assert next(o for o in orgs if o["id"] == "R-O002")["name"] == "北区役所(改称)"
    assert next(o for o in orgs if o["id"] == "S-O1")["fields"] == [3, 13]
    # batch 1's participation (left out of batch 2) comes first: the store's order
    first = every["participations"].to_pylist()[0]
    assert (first["event_id"], first["org_id"]) == ("R-E001", "R-O003")
    assert every["participations"].num_rows == real["participations"].num_rows + 3
    collabs = {c["id"]: c["org_ids"] for c in real["collaborations"].to_pylist()}
    assert collabs["R-C900"] == ["R-O004", "R-O005"] and "R-C901" not in collabs
    events = {e["id"]: e["organizer_id"] for e in real["events"].to_pylist()}
    assert events["R-E002"] is None and "S-E1" not in events
    for table in ("memberships", "dispatches", "resources", "awards"):
        assert every[table].num_rows > real[table].num_rows, table
    consultations = {c["id"]: c for c in real["consultations"].to_pylist()}
    assert consultations["R-Q1"]["topics"] == ["publicity", "management"]  # kept
    assert consultations["R-Q2"]["topics"] == [] and consultations["R-Q2"]["ward"] == ""


def test_small_batches_make_row_groups_of_that_size(mixed_store, tmp_path):
    write_parquet_from_store(mixed_store, tmp_path / "small", batch_rows=8)
    expected = _pandas_export(mixed_store, tmp_path / "pandas", real_only=False)
    assert_same_export(expected, tmp_path / "small")
    meta = pq.ParquetFile(tmp_path / "small" / "participations.parquet").metadata
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert len(sizes) > 1 and set(sizes[:-1]) == {8} and 0 < sizes[-1] <= 8


def test_an_empty_table_keeps_its_schema(osaka_store, mixed_store, tmp_path):
    write_parquet_from_store(osaka_store, tmp_path / "osaka")
    manifest = read_manifest(tmp_path / "osaka")
    for table in ("memberships", "consultations"):  # no rows in the bundled records
        written = pq.read_table(tmp_path / "osaka" / f"{table}.parquet")
        assert written.num_rows == 0 and manifest["tables"][table]["rows"] == 0
        assert written.schema == arrow_schema(table)


def test_a_synthetic_only_store_exports_empty_tables_real_only(tmp_path):
    folder = tmp_path / "synthetic"
    folder.mkdir()
    (folder / "organizations.csv").write_text(
        "id,name,kind,fields,synthetic\nS-A,a,npo,3,true\nS-B,b,npo,,true\n", encoding="utf-8")
    (folder / "collaborations.csv").write_text("id,title,org_ids,synthetic\nS-C,t,S-A;S-B,"
                                               "true\n", encoding="utf-8")
    ingest_dataset(folder, store=tmp_path / "s.duckdb", show_progress=False)
    write_parquet_from_store(tmp_path / "s.duckdb", tmp_path / "out", real_only=True)
    for table, written in _tables(tmp_path / "out").items():
        assert written.num_rows == 0 and written.schema == arrow_schema(table), table


def test_a_failing_write_leaves_the_earlier_export_untouched(mixed_store, tmp_path,
                                                             monkeypatch):
    out = tmp_path / "records"
    write_parquet_from_store(mixed_store, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def fail(writer, reader, schema, table, batch_rows):
        if table == "participations":
            raise OSError("disk full")
        return real(writer, reader, schema, table, batch_rows)

    real = streamed._write_batches
    monkeypatch.setattr(streamed, "_write_batches", fail)
    with pytest.raises(OSError, match="disk full"):
        write_parquet_from_store(mixed_store, out, real_only=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records"]  # no staging, no spill


def test_a_folder_that_is_not_an_export_is_refused(mixed_store, tmp_path):
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(GraphError, match="not a Parquet export; nothing was written"):
        write_parquet_from_store(mixed_store, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    with pytest.raises(GraphError, match="is a file"):
        write_parquet_from_store(mixed_store, tmp_path / "notes.txt")


def test_a_missing_store_is_reported(tmp_path):
    with pytest.raises(StoreNotFoundError):
        write_parquet_from_store(tmp_path / "none.duckdb", tmp_path / "out")
    assert not (tmp_path / "out").exists() and list(tmp_path.iterdir()) == []


def test_cli_export_streams_from_the_store(mixed_store, tmp_path, capsys):
    status = main(["export", "--format", "parquet", "--store", str(mixed_store),
                   "--real-only", "--out", str(tmp_path / "cli")])
    assert status == 0 and "manifest.json" in capsys.readouterr().out
    expected = _pandas_export(mixed_store, tmp_path / "pandas", real_only=True)
    assert_same_export(expected, tmp_path / "cli")
    status = main(["export", "--format", "parquet", "--store", str(tmp_path / "none.duckdb"),
                   "--out", str(tmp_path / "cli2")])
    assert status == 1 and "no store at" in capsys.readouterr().err


def test_cli_export_from_a_dataset_folder_still_converts_it(tmp_path):
    status = main(["export", "--format", "parquet", "--dataset", str(OSAKA),
                   "--out", str(tmp_path / "ds")])
    assert status == 0
    assert read_manifest(tmp_path / "ds")["tables"]["organizations"]["rows"] == 22
