"""Every class of problem: reported with file, row and column, exit 2, store unchanged."""

from __future__ import annotations

import pandas as pd
import pytest

from cli.main import main
from ingest.load import load_dataset
from ingest.store import ingest_dataset
from ingest.validate import IngestError

from .conftest import GOOD, TODAY, snapshot, write_dataset


def _replace(name: str, old: str, new: str) -> dict:
    files = dict(GOOD)
    assert old in files[name], old
    files[name] = files[name].replace(old, new)
    return files


def _without(name: str) -> dict:
    return {k: v for k, v in GOOD.items() if k != name}


# (id, files, code, file, row, column shown)
CASES = [
    ("missing_column", {**GOOD, "organizations.csv": "id,name,ward\nR-O001,ReBORN,西淀川区\n"
                        "R-O002,尼崎信用金庫,\nR-O003,西淀川区社協,\nR-O004,FC大阪,\n"},
     "missing_column", "organizations.csv", 1, "kind"),
    ("ragged_row", _replace("organizations.csv", "R-O002,尼崎信用金庫,", "R-O002,尼崎,信用金庫,"),
     "bad_csv", "organizations.csv", 3, ""),
    ("empty_value", _replace("organizations.csv", "R-O002,尼崎信用金庫", "R-O002,"),
     "empty_value", "organizations.csv", 3, "name"),
    ("unknown_kind", _replace("organizations.csv", "R-O004,FC大阪,company", "R-O004,FC大阪,club"),
     "unknown_kind", "organizations.csv", 5, "kind"),
    ("unknown_orientation", _replace("organizations.csv", "npo,西淀川区,thematic",
                                     "npo,西淀川区,sideways"),
     "unknown_orientation", "organizations.csv", 2, "orientation"),
    ("unknown_field", _replace("organizations.csv", "13;1", "13;99"),
     "unknown_field", "organizations.csv", 2, "fields"),
    ("unknown_ward", _replace("organizations.csv", "FC大阪,company,東淀川区", "FC大阪,company,渋谷区"),
     "unknown_ward", "organizations.csv", 5, "ward"),
    ("bad_date", _replace("events.csv", "2019-11-03", "2019-13-45"),
     "bad_date", "events.csv", 2, "date"),
    ("impossible_era_date", _replace("events.csv", "2019-11-03", "平成31年5月1日"),
     "bad_date", "events.csv", 2, "date"),
    ("date_order", _replace("events.csv", "2019-02-17,2019-02-17", "2019-02-17,2019-02-16"),
     "date_order", "events.csv", 3, "end_date"),
    ("future_date", _replace("events.csv", "2019-11-03", "2099-11-03"),
     "future_date", "events.csv", 2, "date"),
    ("duplicate_id", _replace("organizations.csv", "R-O004,FC大阪", "R-O001,FC大阪"),
     "duplicate_id", "organizations.csv", 5, "id"),
    ("unknown_org", _replace("participations.csv", "R-E002,R-O004", "R-E002,どこかの団体"),
     "unknown_reference", "participations.csv", 4, "org_id"),
    ("unknown_event", _replace("participations.csv", "R-E002,R-O004", "R-E999,R-O004"),
     "unknown_reference", "participations.csv", 4, "event_id"),
    ("unknown_in_list", _replace("collaborations.csv", "R-O002;R-O003", "R-O002;R-O999"),
     "unknown_reference", "collaborations.csv", 2, "org_ids"),
    ("too_few_orgs", _replace("collaborations.csv", "R-O002;R-O003", "R-O002;尼崎信用金庫"),
     "too_few_orgs", "collaborations.csv", 2, "org_ids"),
    ("negative_attendance", _replace("events.csv", ",500,", ",-5,"),
     "negative_value", "events.csv", 2, "attendance"),
    ("negative_amount", _replace("awards.csv", "100000", "-100"),
     "negative_value", "awards.csv", 2, "amount_yen"),
    ("bad_number", _replace("events.csv", ",204,", ",many,"),
     "bad_number", "events.csv", 3, "attendance"),
    ("bad_fiscal_year", _replace("awards.csv", "令和元年度", "いつか"),
     "bad_fiscal_year", "awards.csv", 2, "fiscal_year"),
    ("wrong_encoding", {**GOOD, "events.csv": b"id,name,date\nE1,\x81\x7f\xff,2019-01-01\n"},
     "wrong_encoding", "events.csv", 2, ""),
    ("binary_file", {**GOOD, "events.csv": b"PK\x03\x04\x00\x00\x08\x00binary\x00\xff"},
     "not_csv", "events.csv", None, ""),
    ("empty_file", {**GOOD, "events.csv": b""},
     "empty_file", "events.csv", None, ""),
    ("missing_events_table", _without("events.csv"),
     "missing_table", "participations.csv", 1, "event_id"),
    ("no_organizations", _without("organizations.csv"),
     "missing_table", "", None, ""),
]


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("store")
    store = root / "store.duckdb"
    ingest_dataset(write_dataset(root / "good", GOOD), store=store, today=TODAY)
    return store, snapshot(store)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_problem_is_reported_and_nothing_is_written(case, tmp_path, loaded_store, capsys):
    name, files, code, file, row, column = case
    folder = write_dataset(tmp_path / name, files)
    store, before = loaded_store
    report = tmp_path / "report.csv"
    status = main(["ingest", str(folder), "--store", str(store), "--report", str(report)])
    assert status == 2
    assert snapshot(store) == before

    failures = pd.read_csv(report, encoding="utf-8-sig", dtype={"row": "Int64"},
                           keep_default_na=False, na_values={"row": [""]})
    assert list(failures.columns) == ["file", "sheet", "row", "column", "code", "message"]
    hits = failures[failures["code"] == code]
    if row is None:
        hits = hits[hits["row"].isna()]
    else:
        hits = hits[hits["row"] == row]
    assert len(hits) == 1, failures.to_string()
    hit = hits.iloc[0]
    if file:
        assert hit["file"] == file
    assert hit["column"] == column
    assert hit["message"]

    printed = [line for line in capsys.readouterr().err.splitlines()
               if line.startswith("  ") and f": {code}:" in line]
    if row is not None:
        printed = [line for line in printed
                   if f"row {row}," in line or f"row {row}:" in line]
    assert len(printed) == 1
    if file:
        assert printed[0].startswith(f"  {file}")
    if column:
        assert f"column {column}:" in printed[0]


def test_validate_command_exits_2_and_prints_the_report(tmp_path, capsys):
    folder = write_dataset(tmp_path / "bad", {c[0]: c for c in CASES}["unknown_kind"][1])
    assert main(["validate", str(folder)]) == 2
    out = capsys.readouterr().out
    assert "organizations.csv row 5, column kind: unknown_kind: 'club' is not a kind" in out
    assert main(["validate", str(write_dataset(tmp_path / "good", GOOD))]) == 0
    assert "OK" in capsys.readouterr().out


def test_every_problem_reported_at_once(tmp_path):
    files = _replace("organizations.csv", "R-O004,FC大阪,company,東淀川区",
                     "R-O004,,club,渋谷区")
    files["events.csv"] = files["events.csv"].replace(",500,", ",-1,")
    files["participations.csv"] = files["participations.csv"].replace("R-E001,R-O002", "R-E001,誰か")
    with pytest.raises(IngestError) as info:
        load_dataset(write_dataset(tmp_path / "many", files), today=TODAY)
    codes = sorted(info.value.failures["code"])
    assert codes == ["empty_value", "negative_value", "unknown_kind", "unknown_reference",
                     "unknown_ward"]
    text = str(info.value)
    assert text.startswith("5 problems:")
    assert "organizations.csv row 5, column kind: unknown_kind: 'club'" in text


def test_japanese_headers_are_named_as_written(tmp_path):
    files = {"団体.csv": "団体ID,団体名,種別\nR-O1,ReBORN,謎\n"}
    with pytest.raises(IngestError) as info:
        load_dataset(write_dataset(tmp_path / "ja", files), today=TODAY)
    hit = info.value.failures.iloc[0]
    assert (hit["file"], hit["row"], hit["column"], hit["code"]) == \
        ("団体.csv", 2, "種別", "unknown_kind")


def test_row_numbers_count_blank_lines_like_a_spreadsheet(tmp_path):
    files = {"organizations.csv": "id,name,kind\nR-O1,A,npo\n\n,,\nR-O2,B,zzz\n"}
    with pytest.raises(IngestError) as info:
        load_dataset(write_dataset(tmp_path / "blank", files), today=TODAY)
    assert info.value.failures["row"].tolist() == [5]


def test_other_city_turns_off_the_ward_check(tmp_path):
    files = {"organizations.csv": "id,name,kind,ward\nK-O1,A,npo,渋谷区\n",
             "dataset.json": '{"name": "test", "city": "東京都"}'}
    ds = load_dataset(write_dataset(tmp_path / "tokyo", files), today=TODAY)
    assert ds.table("organizations")["ward"].tolist() == ["渋谷区"]
    files["dataset.json"] = '{"city": "大阪市"}'
    with pytest.raises(IngestError, match="unknown_ward"):
        load_dataset(write_dataset(tmp_path / "osaka", files), today=TODAY)


def test_report_csv_escapes_formula_cells(tmp_path, capsys):
    files = _replace("organizations.csv", "R-O004,FC大阪,company", "R-O004,FC大阪,=HYPERLINK(1)")
    folder = write_dataset(tmp_path / "formula", files)
    report = tmp_path / "report.csv"
    assert main(["validate", str(folder), "--report", str(report)]) == 2
    text = report.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "file,sheet,row,column,code,message"
    assert "'=HYPERLINK" not in text.splitlines()[1] or "''=" not in text
    assert ",5,kind,unknown_kind," in text
    assert "\n=" not in text and ",=" not in text


def test_valid_dataset_types(good_folder):
    ds = load_dataset(good_folder, today=TODAY)
    orgs = ds.table("organizations")
    assert orgs.loc[0, "fields"] == [1, 13]
    assert str(orgs["founded"].dtype) == "datetime64[ns]"
    assert ds.table("awards").loc[0, "fiscal_year"] == 2019
    assert ds.table("events")["attendance"].tolist() == [500, 204]
    assert ds.table("collaborations").loc[0, "org_ids"] == ["R-O002", "R-O003"]
    assert ds.table("participations")["_row"].tolist() == [2, 3, 4]
    assert set(ds.table("participations")["_file"]) == {"participations.csv"}
