"""Reading: encodings, XLSX, Japanese headers, odd files."""

from __future__ import annotations

import openpyxl
import pytest

from cli.main import main
from ingest.load import load_dataset
from ingest.readers import read_csv_table, read_dataset_files
from ingest.validate import IngestError

from .conftest import GOOD, TODAY, write_dataset

JA_ORGS = "団体ID,団体名,種別,所在区,類型,活動分野\nR-O001,ＲｅＢＯＲＮ　さん,NPO法人,浪速,テーマ型,子育て\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "shift_jis"])
def test_encodings_are_detected_from_the_bytes(tmp_path, encoding):
    folder = write_dataset(tmp_path / encoding, {"団体.csv": JA_ORGS}, encoding=encoding)
    raw, failures = read_csv_table(folder / "団体.csv", "organizations")
    assert failures == []
    assert raw.encoding == {"shift_jis": "cp932"}.get(encoding, encoding)
    orgs = load_dataset(folder, today=TODAY).table("organizations")
    assert orgs.loc[0, "name"] == "ReBORN さん"
    assert orgs.loc[0, "kind"] == "npo"
    assert orgs.loc[0, "ward"] == "浪速区"
    assert orgs.loc[0, "orientation"] == "thematic"
    assert orgs.loc[0, "fields"] == [13]


def test_cp932_only_characters(tmp_path):
    # ① and ㈱ exist in CP932 but not in plain Shift_JIS; NFKC turns them into 1 and (株).
    folder = write_dataset(tmp_path / "cp", {"organizations.csv":
                                             "id,name,kind\nR-O1,㈱テスト①,company\n"}, "cp932")
    assert load_dataset(folder, today=TODAY).table("organizations").loc[0, "name"] == "(株)テスト1"


def test_wrong_encoding_names_the_file(tmp_path):
    folder = write_dataset(tmp_path / "enc", {"organizations.csv":
                                              "id,name,kind\nR-O1,団体,npo\n".encode("cp932")
                                              + b"R-O2,\x81\x7f,npo\n"})
    with pytest.raises(IngestError) as info:
        load_dataset(folder)
    hit = info.value.failures.iloc[0]
    assert (hit["file"], hit["code"]) == ("organizations.csv", "wrong_encoding")
    assert "organizations.csv" in str(info.value) and "UTF-8" in hit["message"]


def test_not_a_csv_at_all(tmp_path):
    folder = write_dataset(tmp_path / "bin", {"organizations.csv": bytes(range(256)) * 40})
    with pytest.raises(IngestError, match="not_csv"):
        load_dataset(folder)


def test_empty_file_and_zero_row_table(tmp_path):
    folder = write_dataset(tmp_path / "empty", {"organizations.csv": ""})
    with pytest.raises(IngestError, match="organizations.csv: empty_file"):
        load_dataset(folder)
    folder = write_dataset(tmp_path / "zero", {"organizations.csv": "id,name,kind\n",
                                               "events.csv": "id,name,date\n"})
    with pytest.raises(IngestError, match="organizations.csv row 2: missing_table"):
        load_dataset(folder, today=TODAY)  # no organisation at all: refused (review)
    folder = write_dataset(tmp_path / "zero_events",
                           {"organizations.csv": "id,name,kind\nA,a,npo\n",
                            "events.csv": "id,name,date\n"})
    ds = load_dataset(folder, today=TODAY)
    assert len(ds.table("organizations")) == 1 and ds.table("events").empty
    assert list(ds.table("events").columns[:3]) == ["id", "name", "kind"]


def test_huge_field(tmp_path):
    big = "あ" * (1 << 20)
    folder = write_dataset(tmp_path / "huge", {
        "organizations.csv": f'id,name,kind,memo\nR-O1,A,npo,"{big}"\nR-O2,B,npo,x\n'})
    orgs = load_dataset(folder, today=TODAY).table("organizations")
    assert len(orgs.loc[0, "attrs"]["memo"]) == 1 << 20
    assert orgs["_row"].tolist() == [2, 3]


def test_path_that_does_not_exist(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    with pytest.raises(IngestError, match="path_not_found"):
        load_dataset(missing)
    assert main(["validate", str(missing)]) == 2
    assert "no such file or folder" in capsys.readouterr().out
    assert main(["ingest", str(missing), "--store", str(tmp_path / "s.duckdb")]) == 2
    assert not (tmp_path / "s.duckdb").exists()


def test_unknown_files_are_noted_not_loaded(tmp_path):
    folder = write_dataset(tmp_path / "notes", {**GOOD, "memo.csv": "a,b\n1,2\n"})
    raw = read_dataset_files(folder)
    assert "memo.csv: not a table name; ignored" in raw.notes
    assert set(raw.tables) == {"organizations", "events", "participations",
                               "collaborations", "awards"}


def _workbook(path, sheets: dict[str, list[list]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _csv_rows(text: str) -> list[list[str]]:
    return [line.split(",") for line in text.strip().splitlines()]


def test_xlsx_round_trip_matches_csv(tmp_path):
    import datetime as dt

    sheets = {"団体": _csv_rows(GOOD["organizations.csv"]),
              "交流の場": _csv_rows(GOOD["events.csv"]),
              "参加": _csv_rows(GOOD["participations.csv"]),
              "連携": _csv_rows(GOOD["collaborations.csv"]),
              "助成": _csv_rows(GOOD["awards.csv"])}
    # Real Excel cells: a date cell and a number cell instead of text.
    sheets["交流の場"][1][2] = dt.datetime(2019, 11, 3)
    sheets["交流の場"][1][4] = 500
    book = _workbook(tmp_path / "osaka.xlsx", sheets)
    from_xlsx = load_dataset(book, today=TODAY)
    from_csv = load_dataset(write_dataset(tmp_path / "csv", GOOD), today=TODAY)
    for table in ("organizations", "events", "participations", "collaborations", "awards"):
        a = from_xlsx.table(table).drop(columns=["_file", "_sheet"])
        b = from_csv.table(table).drop(columns=["_file", "_sheet"])
        assert a.to_dict("list") == b.to_dict("list"), table
    events = from_xlsx.table("events")
    assert set(events["_sheet"]) == {"交流の場"} and set(events["_file"]) == {"osaka.xlsx"}


def test_xlsx_missing_sheet_is_reported(tmp_path):
    book = _workbook(tmp_path / "partial.xlsx", {
        "organizations": _csv_rows(GOOD["organizations.csv"]),
        "participations": _csv_rows(GOOD["participations.csv"])})
    with pytest.raises(IngestError) as info:
        load_dataset(book, today=TODAY)
    hit = info.value.failures.iloc[0]
    assert (hit["file"], hit["sheet"], hit["column"], hit["code"]) == \
        ("partial.xlsx", "participations", "event_id", "missing_table")
    assert "no events" in hit["message"]


def test_xlsx_dataset_sheet_sets_the_city(tmp_path):
    book = _workbook(tmp_path / "kobe.xlsx", {
        "団体": [["id", "name", "kind", "ward"], ["K-1", "A", "npo", "中央区"],
                 ["K-2", "B", "npo", "須磨区"]],
        "dataset": [["name", "神戸テスト"], ["city", "神戸市"]]})
    orgs = load_dataset(book, today=TODAY).table("organizations")
    assert orgs["ward"].tolist() == ["中央区", "須磨区"]


def test_xlsx_errors_name_sheet_and_row(tmp_path):
    book = _workbook(tmp_path / "bad.xlsx", {
        "団体": [["id", "団体名", "種別"], ["R-1", "A", "npo"], [None, None, None],
                 ["R-2", "B", "謎"]]})
    with pytest.raises(IngestError) as info:
        load_dataset(book, today=TODAY)
    hit = info.value.failures.iloc[0]
    assert (hit["sheet"], hit["row"], hit["column"]) == ("団体", 4, "種別")
    assert "bad.xlsx, sheet 団体 row 4, column 種別" in str(info.value) or \
        "bad.xlsx sheet 団体, row 4, column 種別" in str(info.value)


def test_not_an_xlsx(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"this is not a zip")
    with pytest.raises(IngestError, match="not_xlsx"):
        load_dataset(fake)
