"""Headers, empty top rows, merged cells: regression tests from the second review.

Datasets the project had never seen. Each test names the problem a clerk (Excel) or a
researcher met, and checks the fix end to end where it matters: through ``tsunagari
validate`` / ``ingest`` with a store holding an earlier good batch that must stay unchanged.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from ingest.load import load_dataset

from .clerk_cases import EVENTS, ORGS, _book, _failures
from .conftest import TODAY, write_dataset

# --- headers ---------------------------------------------------------------------------

def test_japanese_headers_spaced_out_or_on_two_lines(tmp_path):
    folder = write_dataset(tmp_path / "spaced", {"団体.csv": (
        '番号,名　称,"種\n別",区,"設立\n年月日"\nO1,あおぞら,NPO法人,北,平成30年9月\n')})
    orgs = load_dataset(folder, today=TODAY).table("organizations")
    assert orgs[["id", "name", "kind", "ward"]].values.tolist() == [
        ["O1", "あおぞら", "npo", "北区"]]
    assert orgs["founded"].iloc[0].date() == dt.date(2018, 9, 1)


@pytest.mark.parametrize("header, row", [
    ("イベントID,団体ID,役割", "E1,O1,主催"),
    ("イベント名,団体名,役割", "夏祭り,あおぞらネットさん,主催"),
    ("行事ID,団体番号,役割", "E1,O1,主催")])
def test_participations_with_natural_japanese_headers(tmp_path, header, row):
    folder = write_dataset(tmp_path / "p", {"organizations.csv": ORGS, "events.csv": EVENTS,
                                            "参加.csv": f"{header}\n{row}\n"})
    parts = load_dataset(folder, today=TODAY).table("participations")
    assert parts[["event_id", "org_id", "role"]].values.tolist() == [["E1", "O1", "主催"]]


def test_other_reference_tables_take_organisation_names_and_ids_as_headers(tmp_path):
    folder = write_dataset(tmp_path / "refs", {
        "organizations.csv": ORGS,
        "助成.csv": "団体名,制度,年度,金額\nあおぞらネット,推進助成,令和元年度,\"300,000\"\n",
        "構成団体.csv": "団体ID,地活協ID\nO2,O1\n",
        "資源.csv": "id,提供団体名,名称\nR1,みなと商事,会議室\n"})
    ds = load_dataset(folder, today=TODAY)
    assert ds.table("awards")[["org_id", "amount_yen"]].values.tolist() == [["O1", 300000]]
    assert ds.table("memberships")[["org_id", "council_id"]].values.tolist() == [["O2", "O1"]]
    assert ds.table("resources")[["provider_id", "title"]].values.tolist() == [["O2", "会議室"]]


def test_tab_or_semicolon_separated_files_are_named_as_such(tmp_path):
    folder = write_dataset(tmp_path / "tsv", {"organizations.csv": "id\tname\tkind\nO1\ta\tnpo\n"})
    failures = _failures(folder)
    assert failures[["row", "code"]].values.tolist() == [[1, "bad_csv"]]
    assert "tabs" in failures["message"].iloc[0]


# --- leading empty rows, merged cells, headerless columns -------------------------------

def test_csv_saved_by_excel_from_a_sheet_starting_lower_down(tmp_path):
    folder = write_dataset(tmp_path / "lead", {
        "organizations.csv": ",,\r\n,,\r\nid,name,kind\r\nO1,a,npo\r\nO2,b,\r\n"})
    failures = _failures(folder)
    assert failures[["row", "column", "code"]].values.tolist() == [[5, "kind", "empty_value"]]
    folder = write_dataset(tmp_path / "lead2", {"organizations.csv": "\n\nid,name\nO1,a\n"})
    assert _failures(folder)[["row", "code"]].values.tolist()[0] == [3, "missing_column"]


def test_xlsx_table_below_a_blank_top_with_a_headerless_note_column(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "団体"
    sheet["B3"], sheet["C3"], sheet["D3"] = "id", "name", "kind"
    sheet["B4"], sheet["C4"], sheet["D4"] = "O1", "a", "npo"
    sheet["B6"], sheet["C6"], sheet["D6"], sheet["F6"] = "O2", "b", "npo", "memo"
    book.save(tmp_path / "low.xlsx")
    orgs = load_dataset(tmp_path / "low.xlsx", today=TODAY).table("organizations")
    assert orgs["_row"].tolist() == [4, 6]
    assert orgs["attrs"].tolist() == [{}, {"_col6": "memo"}]


def test_xlsx_vertically_merged_cells_give_every_row_their_value(tmp_path):
    path = _book(tmp_path / "merged.xlsx", {"団体": [
        ["id", "name", "kind", "ward"], ["O1", "a", "npo", "北区"], ["O2", "b", None, None],
        ["O3", "c", "company", "西区"]]})
    book = openpyxl.load_workbook(path)
    book["団体"].merge_cells("C2:C3")
    book["団体"].merge_cells("D2:D3")
    book.save(path)
    orgs = load_dataset(path, today=TODAY).table("organizations")
    assert orgs[["id", "kind", "ward"]].values.tolist() == [
        ["O1", "npo", "北区"], ["O2", "npo", "北区"], ["O3", "company", "西区"]]
