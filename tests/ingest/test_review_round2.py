"""Regression tests from the second review: datasets the project had never seen.

Each test names the problem a clerk (Excel) or a researcher met, and checks the fix end to
end where it matters: through ``tsunagari validate`` / ``ingest`` with a store holding an
earlier good batch that must stay unchanged.
"""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest

from cli.main import main
from ingest.load import load_dataset
from ingest.normalise import is_osaka, normalise_ward, parse_date, parse_fields, parse_fiscal_year
from ingest.store import read_dataset
from ingest.validate import IngestError

from .conftest import GOOD, TODAY, snapshot, write_dataset

ORGS = "id,name,kind,ward\nO1,あおぞらネット,npo,北区\nO2,みなと商事,company,港区\n"
EVENTS = "id,name,date\nE1,夏祭り,2019-08-01\n"


def _failures(folder) -> pd.DataFrame:
    with pytest.raises(IngestError) as caught:
        load_dataset(folder, today=TODAY)
    return caught.value.failures


def _ingest_fails(tmp_path, path, capsys) -> pd.DataFrame:
    """Ingest GOOD, then ``path``: exit 2, store unchanged, no traceback; the report."""
    store = tmp_path / "x.duckdb"
    assert main(["ingest", str(write_dataset(tmp_path / "good", GOOD)),
                 "--store", str(store)]) == 0
    before = snapshot(store)
    report = tmp_path / "report.csv"
    assert main(["ingest", str(path), "--store", str(store), "--report", str(report)]) == 2
    assert snapshot(store) == before
    assert "Traceback" not in capsys.readouterr().err
    return pd.read_csv(report, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _book(path, sheets: dict[str, list[list]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


# --- dates -------------------------------------------------------------------------------

def test_utc_offsets_on_some_dates_only_are_read_not_a_traceback(tmp_path):
    folder = write_dataset(tmp_path / "tz", {"organizations.csv": (
        "id,name,kind,founded\nO1,a,npo,2019-08-01T00:00:00Z\nO2,b,npo,2019-08-01\n"
        "O3,c,npo,2019-08-01T23:30:00+09:00\n")})
    founded = load_dataset(folder, today=TODAY).table("organizations")["founded"]
    assert [d.date() for d in founded] == [dt.date(2019, 8, 1)] * 3


def test_a_date_centuries_ahead_is_a_future_date(tmp_path, capsys):
    folder = write_dataset(tmp_path / "far", {"organizations.csv": (
        "id,name,kind,founded\nO1,a,npo,2999-01-01\nO2,b,npo,令和99年1月1日\n")})
    failures = _ingest_fails(tmp_path, folder, capsys)
    assert failures[["row", "column", "code"]].values.tolist() == [
        ["2", "founded", "future_date"], ["3", "founded", "future_date"]]


def test_an_excel_serial_number_in_a_date_column_is_explained(tmp_path):
    folder = write_dataset(tmp_path / "serial", {"organizations.csv": (
        "id,name,kind,founded\nO1,a,npo,43678\n")})
    failures = _failures(folder)
    assert failures["code"].tolist() == ["bad_date"]
    assert "Excel date serial" in failures["message"].iloc[0]


def test_dates_with_the_day_of_the_week(tmp_path):
    assert parse_date("2019年8月1日(木)") == dt.date(2019, 8, 1)
    assert parse_date("令和元年8月1日（木曜日）") == dt.date(2019, 8, 1)
    assert parse_date("2019/8/1 (Thu)") == dt.date(2019, 8, 1)
    folder = write_dataset(tmp_path / "weekday", {
        "organizations.csv": ORGS,
        "events.csv": "id,name,date\nE1,a,2019年8月1日(木)\nE2,b,2019年8月1日(金)\n"})
    failures = _failures(folder)
    assert failures[["file", "row", "column", "code"]].values.tolist() == [
        ["events.csv", 3, "date", "bad_date"]]
    assert "木曜日" in failures["message"].iloc[0]


def test_fiscal_years_outside_their_era_or_not_begun(tmp_path, capsys):
    assert parse_fiscal_year("平成31年度") == 2019
    with pytest.raises(ValueError, match="令和2年度"):
        parse_fiscal_year("平成32年度")
    folder = write_dataset(tmp_path / "fy", {
        "organizations.csv": ORGS,
        "awards.csv": ("org_id,program,fiscal_year\nO1,a,平成31年度\nO1,b,平成32年度\n"
                       "O1,c,FY2099\n")})
    failures = _ingest_fails(tmp_path, folder, capsys)
    assert failures[["row", "column", "code"]].values.tolist() == [
        ["3", "fiscal_year", "bad_fiscal_year"], ["4", "fiscal_year", "future_date"]]


# --- wards and cities ----------------------------------------------------------------------

@pytest.mark.parametrize("text, ward", [
    ("Chūō-ku", "中央区"), ("Higashi-Yodogawa", "東淀川区"), ("Jōtō", "城東区"),
    ("Tennōji-ku", "天王寺区"), ("Tennouji", "天王寺区"), ("Osaka-shi Kita-ku", "北区"),
    ("NANIWA WARD", "浪速区"), ("Konohana", "此花区")])
def test_wards_in_romaji_with_macrons_and_hyphens(text, ward):
    assert normalise_ward(text) == ward


@pytest.mark.parametrize("city", ["大阪府大阪市", "大阪府 大阪市", "Ōsaka-shi", "Osaka-fu Osaka-shi"])
def test_osaka_written_with_its_prefecture_keeps_the_ward_check(tmp_path, city):
    assert is_osaka(city)
    folder = write_dataset(tmp_path / "o", {"organizations.csv": "id,name,kind,ward\nA,b,npo,灘区\n",
                                            "dataset.json": json.dumps({"city": city})})
    assert _failures(folder)["code"].tolist() == ["unknown_ward"]


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


# --- encodings -----------------------------------------------------------------------------

def test_euc_jp_is_a_wrong_encoding_not_mojibake(tmp_path, capsys):
    text = "id,name,kind\nO1,組織運営の強化,npo\nO2,大阪市,npo\n"
    assert text.encode("euc_jp").decode("cp932")  # it would decode, as garbage
    folder = write_dataset(tmp_path / "euc", {"organizations.csv": text.encode("euc_jp")})
    failures = _ingest_fails(tmp_path, folder, capsys)
    assert failures[["file", "row", "code"]].values.tolist() == [
        ["organizations.csv", "2", "wrong_encoding"]]
    assert "EUC-JP" in failures["message"].iloc[0]


def test_utf8_and_cp932_pasted_into_one_file_is_a_wrong_encoding(tmp_path, capsys):
    data = ("id,団体名,種別\nO1,あおぞら,npo\n".encode()
            + "O2,みなと,npo\n".encode("cp932"))
    folder = write_dataset(tmp_path / "mixed", {"organizations.csv": data})
    failures = _ingest_fails(tmp_path, folder, capsys)
    assert failures[["row", "code"]].values.tolist() == [["3", "wrong_encoding"]]
    assert "mixes encodings" in failures["message"].iloc[0]


def test_bytes_undefined_in_cp932_are_a_wrong_encoding(tmp_path):
    folder = write_dataset(tmp_path / "ff", {
        "organizations.csv": "id,name,kind\nO1,髙橋,npo\n".encode("cp932") + b"O2,\xff\xfe,npo\n"})
    failures = _failures(folder)
    assert failures[["row", "code"]].values.tolist() == [[3, "wrong_encoding"]]


@pytest.mark.parametrize("name", ["ｶﾌﾞｼｷｶﾞｲｼｬ", "ｻﾞ･ﾃｽﾄ", "ﾎﾟｯﾌﾟｺｰﾝ"])
def test_half_width_katakana_only_cp932_still_reads(tmp_path, name):
    folder = write_dataset(tmp_path / "hw", {
        "organizations.csv": f"id,name,kind\nO1,{name},company\n".encode("cp932")})
    import unicodedata
    assert load_dataset(folder, today=TODAY).table("organizations")["name"].tolist() == [
        unicodedata.normalize("NFKC", name)]


# --- fields, orientation -----------------------------------------------------------------

def test_npo_fields_in_the_acts_own_words():
    assert parse_fields("保健、医療又は福祉の増進を図る活動、子どもの健全育成を図る活動") == [1, 13]
    assert parse_fields("学術、文化、芸術又はスポーツの振興を図る活動;第19号") == [6, 19]


def test_orientation_as_the_glossary_words_it(tmp_path):
    folder = write_dataset(tmp_path / "o", {"organizations.csv": (
        "id,name,kind,orientation\nO1,a,町会,地縁型団体\nO2,b,npo,テーマ型団体\nO3,c,npo,斜め\n")})
    failures = _failures(folder)
    assert failures[["row", "code"]].values.tolist() == [[4, "unknown_orientation"]]
    assert "is not an orientation" in failures["message"].iloc[0]


# --- aliases -------------------------------------------------------------------------------

def test_a_merged_organisations_name_still_resolves_to_the_target(tmp_path):
    folder = write_dataset(tmp_path / "a", {
        "organizations.csv": ORGS + "O3,ミナト商事,company,港区\n",
        "aliases.csv": "alias,org_id\nO3,O2\n",
        "events.csv": "id,name,date,organizer_id\nE1,a,2019-01-01,ミナト商事さん\n"})
    ds = load_dataset(folder, today=TODAY)
    assert ds.table("events")["organizer_id"].tolist() == ["O2"]
    assert ds.table("organizations")["id"].tolist() == ["O1", "O2"]


def test_an_alias_cycle_is_refused_not_a_silent_loss(tmp_path, capsys):
    folder = write_dataset(tmp_path / "cycle", {
        "organizations.csv": ORGS + "O3,c,npo,北区\n",
        "aliases.csv": "alias,org_id\nO1,O2\nO2,O1\n",
        "events.csv": EVENTS, "participations.csv": "event_id,org_id\nE1,O1\nE1,O3\n"})
    failures = _ingest_fails(tmp_path, folder, capsys)
    assert failures[["file", "row", "column", "code"]].values.tolist() == [
        ["aliases.csv", "2", "org_id", "alias_cycle"],
        ["aliases.csv", "3", "org_id", "alias_cycle"]]


# --- the report ----------------------------------------------------------------------------

def test_every_class_at_once_with_formula_names_escaped(tmp_path, capsys):
    folder = write_dataset(tmp_path / "bad", {
        "organizations.csv": (
            "id,name,kind,ward,orientation,fields,founded\n"
            "B1,\"=HYPERLINK(\"\"http://x\"\")\",宇宙人,北区,,,\n"
            "B2,+cmd,npo,火星区,斜め,99,2019-02-30\n"
            "B2,ok,npo,,,,2999-01-01\n"),
        "events.csv": "id,name,date,end_date,organizer_id,attendance\n"
                      "E1,@SUM(1),2019-05-01,2019-04-01,=cmd,-5\n",
        "collaborations.csv": "id,title,org_ids\nC1,solo,B1;B1\n",
        "awards.csv": "org_id,program,fiscal_year,amount_yen\n-B1,p,FY2019,-1\n"})
    failures = _ingest_fails(tmp_path, folder, capsys)
    assert set(failures["code"]) >= {
        "unknown_kind", "unknown_ward", "unknown_orientation", "unknown_field", "bad_date",
        "future_date", "duplicate_id", "date_order", "unknown_reference", "negative_value",
        "too_few_orgs"}
    assert (failures["row"] != "").all() and (failures["column"] != "").all()
    for cell in failures.to_numpy().ravel():
        assert not (cell and cell[0] in "=+-@"), cell
    unknown = failures.loc[failures["code"] == "unknown_reference", "message"].tolist()
    assert any("'=cmd'" in m for m in unknown) and any("'-B1'" in m for m in unknown)


def test_extra_columns_come_back_from_the_store(tmp_path):
    folder = write_dataset(tmp_path / "extra", {"団体.csv": (
        "連絡先,種別,名称,番号,区,memo\n06-1234,npo,あおぞら,O1,北,=1+1\n")})
    store = tmp_path / "s.duckdb"
    assert main(["ingest", str(folder), "--store", str(store)]) == 0
    orgs = read_dataset(store).table("organizations")
    assert orgs["attrs"].tolist() == [{"連絡先": "06-1234", "memo": "=1+1"}]


def test_numbers_with_yen_signs_and_units(tmp_path):
    folder = write_dataset(tmp_path / "units", {
        "organizations.csv": ORGS,
        "events.csv": "id,name,date,attendance\nE1,a,2019-01-01,200人\nE2,b,2019-01-02,約200\n",
        "awards.csv": "org_id,program,fiscal_year,amount_yen\nO1,a,FY2019,\"300,000円\"\n"
                      "O2,a,FY2019,￥１，０００\n"})
    failures = _failures(folder)
    assert failures[["file", "row", "code"]].values.tolist() == [["events.csv", 3, "bad_number"]]
    folder = write_dataset(tmp_path / "units", {
        "events.csv": "id,name,date,attendance\nE1,a,2019-01-01,200人\n"})
    ds = load_dataset(folder, today=TODAY)
    assert ds.table("events")["attendance"].tolist() == [200]
    assert ds.table("awards")["amount_yen"].tolist() == [300000, 1000]


def test_report_names_sheets_and_headers_as_written(tmp_path):
    path = _book(tmp_path / "wide.xlsx", {
        "団体": [["ＩＤ", "名　称", "種別"], ["O1", "a", "npo"]],
        "ｲﾍﾞﾝﾄ": [["id", "name", "date", "ＷＡＲＤ"], ["E1", "x", "2019-01-01", "火星"]]})
    failures = _failures(path)
    assert failures[["sheet", "row", "column", "code"]].values.tolist() == [
        ["ｲﾍﾞﾝﾄ", 2, "ＷＡＲＤ", "unknown_ward"]]
    path = _book(tmp_path / "dup.xlsx", {"団体": [["ＩＤ", "番号", "名称", "種別"], ["O1", "1", "a", "npo"]]})
    failures = _failures(path)
    assert failures[["sheet", "row", "column", "code"]].values.tolist() == [
        ["団体", 1, "番号", "duplicate_column"]]
    assert "'ＩＤ' and '番号' both mean 'id'" in failures["message"].iloc[0]


def test_a_changed_extra_column_is_a_conflict(tmp_path, capsys):
    store = str(tmp_path / "s.duckdb")
    for name, memo in (("a", "x"), ("b", "y")):
        folder = write_dataset(tmp_path / name, {
            "organizations.csv": f"id,name,kind,memo\nO1,a,npo,{memo}\nO2,b,npo,\n"})
        assert main(["ingest", str(folder), "--store", store]) == 0
    capsys.readouterr()
    assert main(["conflicts", "--store", store]) == 0
    out = capsys.readouterr().out
    assert "id=O1 — differs in attrs" in out and '{"memo": "y"}' in out and "O2" not in out


def test_a_missing_table_message_names_the_misnamed_file(tmp_path):
    folder = write_dataset(tmp_path / "m", {"団体一覧(2019).csv": ORGS, "events.csv": EVENTS})
    failures = _failures(folder)
    assert failures["code"].tolist() == ["missing_table"]
    assert "団体一覧(2019).csv" in failures["message"].iloc[0]


def test_a_talents_real_name_is_never_stored(tmp_path, capsys):
    folder = write_dataset(tmp_path / "names", {
        "organizations.csv": ORGS,
        "dispatches.csv": "id,org_id,talent_id\nD1,O1,T-001\nD2,O1,山田太郎\nD3,O1,Taro Yamada\n",
        "talents.csv": "id,skills\nT-001,デザイン\nやまだ,広報\n"})
    failures = _ingest_fails(tmp_path, folder, capsys)
    assert failures[["file", "row", "column", "code"]].values.tolist() == [
        ["dispatches.csv", "3", "talent_id", "not_pseudonymous"],
        ["dispatches.csv", "4", "talent_id", "not_pseudonymous"],
        ["talents.csv", "3", "id", "not_pseudonymous"]]


def test_a_workbook_in_a_folder_or_an_xls_file_is_explained(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    _book(folder / "団体.xlsx", {"団体": [["id", "name", "kind"], ["O1", "a", "npo"]]})
    failures = _failures(folder)
    assert failures["code"].tolist() == ["no_tables"]
    assert "団体.xlsx (a workbook: give it itself as the path)" in failures["message"].iloc[0]
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    failures = _failures(tmp_path / "old.xls")
    assert "Excel 97-2003" in failures["message"].iloc[0]


def test_an_unreadable_table_is_not_also_reported_missing(tmp_path):
    folder = write_dataset(tmp_path / "u", {
        "organizations.csv": ORGS, "events.csv": b"id,name,date\nE1,\x81\x7f\xff,2019-01-01\n",
        "participations.csv": "event_id,org_id\nE1,O1\n"})
    assert _failures(folder)[["file", "row", "code"]].values.tolist() == [
        ["events.csv", 2, "wrong_encoding"]]
    path = _book(tmp_path / "u.xlsx", {"団体": [["id", "name", "kind"], ["O1", "a", "npo"]],
                                       "イベント": [], "参加": [["event_id", "org_id"], ["E1", "O1"]]})
    assert _failures(path)[["sheet", "code"]].values.tolist() == [["イベント", "empty_file"]]


def test_an_extra_column_named_like_provenance_is_refused_not_overwritten(tmp_path):
    folder = write_dataset(tmp_path / "r", {
        "organizations.csv": "id,name,kind,_file\nO1,a,npo,evil.csv\n"})
    failures = _failures(folder)
    assert failures[["row", "column", "code"]].values.tolist() == [[1, "_file", "duplicate_column"]]


def test_a_failure_while_writing_is_a_store_error_and_changes_nothing(tmp_path, capsys,
                                                                       monkeypatch):
    import duckdb

    import ingest.store

    store = tmp_path / "x.duckdb"
    assert main(["ingest", str(write_dataset(tmp_path / "good", GOOD)),
                 "--store", str(store)]) == 0
    before = snapshot(store)

    def disk_full(*args, **kwargs):
        raise duckdb.IOException("No space left on device")

    monkeypatch.setattr(ingest.store, "_insert_table", disk_full)
    other = write_dataset(tmp_path / "other", {"organizations.csv": ORGS})
    assert main(["ingest", str(other), "--store", str(store)]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "nothing was written" in err
    assert "Traceback" not in err
    assert snapshot(store) == before


def test_legal_forms_in_half_width_katakana(tmp_path):
    folder = write_dataset(tmp_path / "k", {
        "organizations.csv": "id,name,kind\nO1,株式会社テスト,company\nO2,日米協会(アメリカ),other\n",
        "events.csv": "id,name,date,organizer_id\nE1,a,2019-01-01,ｶﾌﾞｼｷｶﾞｲｼｬ ﾃｽﾄ\n"
                      "E2,b,2019-01-02,ﾃｽﾄ(ｶ)\nE3,c,2019-01-03,日米協会(アメリカ)様\n"})
    events = load_dataset(folder, today=TODAY).table("events")
    assert events["organizer_id"].tolist() == ["O1", "O1", "O2"]


def test_aliases_with_japanese_name_and_headers(tmp_path):
    folder = write_dataset(tmp_path / "a", {
        "organizations.csv": ORGS + "O3,ミナト商事,company,港区\n",
        "別名.csv": "別名,統合先\nミナト商事,O2\n"})
    assert load_dataset(folder, today=TODAY).table("organizations")["id"].tolist() == ["O1", "O2"]


def test_huge_and_non_finite_numbers_are_bad_numbers_not_a_traceback(tmp_path, capsys):
    folder = write_dataset(tmp_path / "big", {
        "organizations.csv": ORGS,
        "events.csv": "id,name,date,attendance\nE1,a,2019-01-01,99999999999999999999\n"
                      "E2,b,2019-01-01,inf\nE3,c,2019-01-01,12\n",
        "figures.csv": "metric,period,value\nm,p,1e400\nm,q,2.5\n"})
    failures = _ingest_fails(tmp_path, folder, capsys)
    assert failures[["file", "row", "column", "code"]].values.tolist() == [
        ["events.csv", "2", "attendance", "bad_number"],
        ["events.csv", "3", "attendance", "bad_number"],
        ["figures.csv", "2", "value", "bad_number"]]


def test_a_dataset_sheet_one_column_wide_is_read_not_a_traceback(tmp_path):
    path = _book(tmp_path / "d.xlsx", {"団体": [["id", "name", "kind", "ward"],
                                               ["O1", "a", "npo", "灘区"]],
                                       "dataset": [["name"], ["city", "神戸市"]]})
    ds = load_dataset(path, today=TODAY)
    assert ds.city == "神戸市" and ds.table("organizations")["ward"].tolist() == ["灘区"]


def test_merge_candidates_across_kana_and_spelling_variants(tmp_path):
    from ingest.load import prepare

    folder = write_dataset(tmp_path / "c", {"organizations.csv": (
        "id,name,kind,ward\nO1,にしよど子ども食堂,citizen_group,西淀川区\n"
        "O2,にしよど子供食堂,citizen_group,西淀川区\nO3,アオゾラ会,npo,北区\nO4,あおぞら会,npo,北区\n"
        "O5,みなと商事,company,港区\n")})
    prepared = prepare(folder, today=TODAY)
    pairs = prepared.candidates[["org_a", "org_b", "reason"]].values.tolist()
    assert sorted(pairs) == [["O1", "O2", "same name in other kana or spelling"],
                             ["O3", "O4", "same name in other kana or spelling"]]
    assert len(prepared.tables["organizations"]) == 5  # reported, never merged


def test_a_name_column_beside_the_reference_id_stays_an_attribute(tmp_path):
    """Review round 3: 団体名 next to org_id (or 団体ID) is the readable name of the
    participating organisation, not a second org_id column."""
    folder = write_dataset(tmp_path / "names", {
        "organizations.csv": "id,name,kind\nO1,あおぞら会,npo\nO2,ひまわり会,npo\n",
        "events.csv": "id,name,date\nE1,交流会,2019-08-01\n",
        "participations.csv": "event_id,org_id,団体名\nE1,O1,あおぞら会\nE1,O2,ひまわり会\n"})
    frame = load_dataset(folder).table("participations")
    assert frame["org_id"].tolist() == ["O1", "O2"]
    assert [a["団体名"] for a in frame["attrs"]] == ["あおぞら会", "ひまわり会"]
    (folder / "participations.csv").write_text(
        "イベントID,イベント名,団体ID,団体名,役割\nE1,交流会,O2,ひまわり会,参加\n", encoding="utf-8")
    frame = load_dataset(folder).table("participations")
    assert frame[["event_id", "org_id", "role"]].values.tolist() == [["E1", "O2", "参加"]]
    assert frame["attrs"].iloc[0] == {"イベント名": "交流会", "団体名": "ひまわり会"}


def test_extra_columns_in_another_key_order_are_no_conflict(tmp_path):
    """Review round 3: a store written before attrs keys were sorted holds the same extra
    values in another order; that is not a conflict, a changed value still is."""
    import duckdb

    from ingest.store import conflicts, ingest_dataset

    store = tmp_path / "s.duckdb"
    folder = write_dataset(tmp_path / "a", {
        "organizations.csv": "id,name,kind,note,memo\nO1,a,npo,n1,m1\nO2,b,npo,n2,m2\n"})
    ingest_dataset(folder, store=store)
    with duckdb.connect(str(store)) as con:  # as the former writer stored it
        con.execute("""UPDATE organizations SET attrs = '{"note": "n1", "memo": "m1"}'
                       WHERE id = 'O1'""")
    folder = write_dataset(tmp_path / "b", {
        "organizations.csv": "id,name,kind,note,memo\nO1,a,npo,n1,m1\nO2,b,npo,n2,CHANGED\n"})
    ingest_dataset(folder, store=store)
    found = conflicts(store)
    assert sorted(set(found["key"])) == ["id=O2"]
