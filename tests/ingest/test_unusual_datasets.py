"""Unusual but valid datasets and odd bad input, from the new-user review."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from cli.main import main
from ingest.load import load_dataset
from ingest.store import read_dataset

from .conftest import GOOD, TODAY, snapshot, write_dataset

ORGS = "id,name,kind,ward\nA1,あおぞら会,npo,北区\nA2,みどり町会,町会,西区\n"


def _ingest_fails(tmp_path, files, capsys):
    """Ingest GOOD, then ``files``: exit 2, store unchanged; returns the report frame."""
    store = tmp_path / "x.duckdb"
    assert main(["ingest", str(write_dataset(tmp_path / "good", GOOD)),
                 "--store", str(store)]) == 0
    before = snapshot(store)
    report = tmp_path / "report.csv"
    status = main(["ingest", str(write_dataset(tmp_path / "bad", files)),
                   "--store", str(store), "--report", str(report)])
    assert status == 2
    assert snapshot(store) == before
    assert "Traceback" not in capsys.readouterr().err
    return pd.read_csv(report, encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("text, row, words", [
    ('id,name,kind\nA,"b,npo\nB,c,npo\n', "2", "never closed"),
    ("id,name,kind\nA,b,npo\n\nB,\"x\ny\",npo\nC,c,npo,extra\n", "5", "4 cells"),
])
def test_bad_csv_names_the_row(tmp_path, capsys, text, row, words):
    failures = _ingest_fails(tmp_path, {"organizations.csv": text}, capsys)
    assert failures[["file", "row", "code"]].values.tolist() == [
        ["organizations.csv", row, "bad_csv"]]
    assert words in failures["message"].iloc[0]


def test_header_only_organizations_is_refused(tmp_path, capsys):
    failures = _ingest_fails(tmp_path, {"organizations.csv": "id,name,kind\n"}, capsys)
    assert failures[["file", "row", "code"]].values.tolist() == [
        ["organizations.csv", "2", "missing_table"]]


@pytest.mark.parametrize("aliases", ["foo,bar\n", "foo,bar\nA1,A2\n", "alias\nA2\n"])
def test_aliases_without_their_columns_are_refused(tmp_path, capsys, aliases):
    failures = _ingest_fails(tmp_path, {"organizations.csv": ORGS, "aliases.csv": aliases},
                             capsys)
    assert set(failures["code"]) == {"missing_column"}
    assert set(failures["file"]) == {"aliases.csv"}
    assert set(failures["row"]) == {"1"}
    assert "org_id" in set(failures["column"])


def test_unusual_but_valid_dataset(tmp_path):
    folder = tmp_path / "kobe"
    folder.mkdir()
    (folder / "団体.csv").write_bytes(
        "番号,団体名,種別,区,設立日,活動分野,好きな色\r\n"
        "K1,ｶﾀｶﾅ会,npo,灘区,２０１９年８月,子どもの健全育成、保健・医療・福祉,赤\r\n"
        "K2,=cmd|' /C calc'!A0,企業,中央区,H30.4.1,13|1,\r\n".encode("cp932"))
    (folder / "dataset.json").write_text(json.dumps({"name": "神戸", "city": "神戸市"}))
    (folder / "連携.csv").write_bytes(
        '\ufeffid,title,org_ids,description\r\nC1,共同,"カタカナ会;K2","a\r\nb"\r\n'
        .encode("utf-8"))
    (folder / "talents.csv").write_text("id,skills,registered_on\n")
    ds = load_dataset(folder, today=TODAY)
    orgs = ds.table("organizations").set_index("id")
    assert orgs.loc["K1", "name"] == "カタカナ会"
    assert orgs.loc["K1", "ward"] == "灘区"
    assert str(orgs.loc["K1", "founded"].date()) == "2019-08-01"
    assert orgs.loc["K1", "fields"] == [1, 13]
    assert orgs.loc["K1", "attrs"] == {"好きな色": "赤"}
    assert orgs.loc["K2", "name"] == "=cmd|' /C calc'!A0"
    assert ds.table("collaborations")["org_ids"].iloc[0] == ["K1", "K2"]
    assert ds.table("talents").empty


def test_formula_like_names_are_text_and_escaped_in_reports(tmp_path):
    store = tmp_path / "x.duckdb"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "団体"
    ws.append(["番号", "名称", "種別"])
    ws.append(["F1", "x", "npo"])
    cell = ws.cell(2, 2)
    cell.value, cell.data_type = "=cmd|' /C calc'!A0", "s"
    wb.save(tmp_path / "a.xlsx")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "organizations.csv").write_text("id,name,kind\nF1,+SUM(1),npo\n")
    assert main(["ingest", str(tmp_path / "a.xlsx"), str(tmp_path / "b"),
                 "--store", str(store)]) == 0
    names = set(read_dataset(store).table("organizations")["name"])
    assert names == {"+SUM(1)"}
    out = tmp_path / "c.csv"
    assert main(["conflicts", "--store", str(store), "--csv", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "F1" in text
    for line in text.splitlines()[1:]:
        assert not any(cell[:1] in "=+-@" for cell in line.split(",") if cell)


def test_utf16_csv_is_a_wrong_encoding(tmp_path, capsys):
    files = {"organizations.csv": "id,name,kind\nA,b,npo\n".encode("utf-16")}
    failures = _ingest_fails(tmp_path, files, capsys)
    assert failures[["file", "code"]].values.tolist() == [["organizations.csv",
                                                          "wrong_encoding"]]
    assert "UTF-16" in failures["message"].iloc[0]


@pytest.mark.parametrize("meta", ['{"name": "x", "city": ["神戸市"]}',
                                  '{"name": ["x"], "city": "神戸市"}'])
def test_dataset_json_values_must_be_text(tmp_path, capsys, meta):
    files = {"organizations.csv": "id,name,kind,ward\nA,b,npo,灘区\n", "dataset.json": meta}
    failures = _ingest_fails(tmp_path, files, capsys)
    assert "bad_metadata" in set(failures["code"])
    assert set(failures.loc[failures["code"] == "bad_metadata", "file"]) == {"dataset.json"}


@pytest.mark.parametrize("city", ["Osaka", "Osaka City", "OSAKA", "大阪市"])
def test_osaka_in_any_case_keeps_the_ward_check(tmp_path, capsys, city):
    files = {"organizations.csv": "id,name,kind,ward\nA,b,npo,火星区\n",
             "dataset.json": json.dumps({"name": "x", "city": city})}
    failures = _ingest_fails(tmp_path, files, capsys)
    assert failures[["row", "column", "code"]].values.tolist() == [
        ["2", "ward", "unknown_ward"]]


def test_numeric_dataset_name_is_accepted(tmp_path):
    folder = write_dataset(tmp_path / "n", {"organizations.csv": ORGS,
                                            "dataset.json": '{"name": 2019}'})
    assert len(load_dataset(folder, today=TODAY).table("organizations")) == 2


def test_unwritable_report_is_an_error_not_a_traceback(tmp_path, capsys):
    nowhere = str(tmp_path / "no" / "such" / "dir" / "r.csv")
    bad = write_dataset(tmp_path / "bad", {"organizations.csv": "id,name,kind,name\nA,b,npo,c\n"})
    good = write_dataset(tmp_path / "good", {"organizations.csv": ORGS})
    store = str(tmp_path / "x.duckdb")
    assert main(["validate", str(bad), "--report", nowhere]) == 2
    assert main(["ingest", str(bad), "--store", store, "--report", nowhere]) == 2
    assert main(["validate", str(good), "--report", nowhere]) == 1
    assert main(["ingest", str(good), "--store", store]) == 0
    assert main(["conflicts", "--store", store, "--csv", nowhere]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err


def test_old_mac_line_endings(tmp_path):
    folder = write_dataset(tmp_path / "mac", {
        "organizations.csv": "ＩＤ,名称,種別\rA1,あおぞら会,npo\r\rA2,\"b\rc\",npo\r"})
    orgs = load_dataset(folder, today=TODAY).table("organizations")
    assert orgs["id"].tolist() == ["A1", "A2"]
    assert orgs["_row"].tolist() == [2, 4]
    assert orgs["name"].tolist() == ["あおぞら会", "b c"]
