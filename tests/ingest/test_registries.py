"""Registry importers on small files written in the documented layouts, in both encodings."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cli.main import main
from ingest.load import load_dataset
from ingest.registries import NTA_COLUMNS, read_corporate_numbers, read_npo_registry
from ingest.store import ingest_dataset, read_dataset
from ingest.validate import IngestError

from .conftest import TODAY, write_dataset


def _nta_row(seq, number, name, kind, city, street="1-1", latest="1", close="", process="01"):
    cells = dict.fromkeys(NTA_COLUMNS, "")
    cells.update(sequenceNumber=str(seq), corporateNumber=number, process=process,
                 correct="0", updateDate="2019-08-01", changeDate="2015-10-05", name=name,
                 kind=kind, prefectureName="大阪府", cityName=city, streetNumber=street,
                 prefectureCode="27", postCode="5550012", closeDate=close,
                 assignmentDate="2015-10-05", latest=latest, hihyoji="0")
    return ",".join(f'"{cells[c]}"' for c in NTA_COLUMNS)


NTA = "\n".join([
    _nta_row(1, "1120005000001", "尼崎信用金庫", "399", "大阪市西淀川区"),
    _nta_row(2, "2120001000002", "株式会社なにわ商事", "301", "大阪市北区"),
    _nta_row(3, "3120005000003", "特定非営利活動法人ReBORN", "399", "大阪市西淀川区"),
    _nta_row(4, "4120001000004", "株式会社さかい", "301", "堺市堺区"),            # not Osaka City
    _nta_row(5, "5120001000005", "株式会社閉鎖", "301", "大阪市北区", close="2019-01-01"),
    _nta_row(6, "6120001000006", "株式会社旧名", "301", "大阪市北区", latest="0"),
]) + "\n"

NPO_HEADER = (["法人名称", "法人名称カナ", "所轄庁", "権限移譲先市町村", "主たる事務所の所在地",
               "主たる事業所の郵便番号", "従たる事務所の所在地", "代表者氏名",
               "団体代表者名（フリガナ）", "法人設立認証年月日", "設立年月日", "定款に記載された目的"]
              + [f"活動分野{chr(0xFF10 + n // 10) if n >= 10 else ''}{chr(0xFF10 + n % 10)}"
                 for n in range(1, 21)]
              + ["監督情報", "解散情報", "法人情報URL", "法人番号", "事業年度開始日"])


def _npo_row(name, address, founded, flags, number):
    cells = [name, "", "大阪市", "", address, "", "", "", "", "2010/01/05", founded, ""]
    cells += ["○" if n in flags else "" for n in range(1, 21)]
    cells += ["", "", "", number, "04/01"]
    return ",".join(cells)


NPO = "\n".join([",".join(NPO_HEADER),
                 _npo_row("特定非営利活動法人ReBORN", "大阪府大阪市西淀川区御幣島1-2-3",
                          "2015/04/01", {1, 13}, "3120005000003"),
                 _npo_row("にしよど子ども食堂", "大阪府大阪市西淀川区姫島2-1", "平成30年6月1日",
                          {13, 19}, ""),
                 _npo_row("さかいNPO", "大阪府堺市堺区1-1", "2012/01/01", {3}, "7120005000007"),
                 ]) + "\n"


@pytest.mark.parametrize("encoding", ["cp932", "utf-8"])
def test_nta_file_in_both_encodings(tmp_path, encoding):
    path = tmp_path / "27_osaka_all_20190830.csv"
    path.write_bytes(NTA.encode(encoding))
    orgs = read_corporate_numbers(path)
    assert orgs[["id", "kind", "ward"]].values.tolist() == [
        ["CN1120005000001", "other", "西淀川区"], ["CN2120001000002", "company", "北区"],
        ["CN3120005000003", "npo", "西淀川区"]]
    assert orgs["source"].iloc[1].endswith("row 2")
    assert len(read_corporate_numbers(path, city=None)) == 4     # 堺市 kept, closed/old not


@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig"])
def test_npo_file_in_both_encodings(tmp_path, encoding):
    path = tmp_path / "npo.csv"
    path.write_bytes(NPO.encode(encoding))
    orgs = read_npo_registry(path)
    assert orgs[["id", "kind", "ward", "fields", "founded"]].values.tolist() == [
        ["CN3120005000003", "npo", "西淀川区", "1;13", "2015-04-01"],
        ["NPO-3", "npo", "西淀川区", "13;19", "2018-06-01"]]


def test_malformed_files_name_file_row_and_column(tmp_path):
    bad_nta = tmp_path / "nta.csv"
    bad_nta.write_text(NTA.replace("2120001000002", "21200010000X2").replace(
        _nta_row(4, "4120001000004", "株式会社さかい", "301", "堺市堺区"), '"4","x"'),
        encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        read_corporate_numbers(bad_nta)
    assert caught.value.failures[["row", "column", "code"]].values.tolist() == [
        [2, "corporateNumber (column 2)", "bad_number"], [4, "", "bad_csv"]]
    bad_npo = tmp_path / "npo.csv"
    bad_npo.write_text(NPO.replace("活動分野２０", "備考"), encoding="utf-8")
    with pytest.raises(IngestError, match="column 活動分野20: missing_column"):
        read_npo_registry(bad_npo)


def test_import_cli_then_ingest_resolves_by_corporate_number_and_reports_candidates(
        tmp_path, capsys):
    store = tmp_path / "s.duckdb"
    existing = write_dataset(tmp_path / "mine", {
        "organizations.csv": "id,name,kind,ward\nR-O005,ReBORN,npo,西淀川区\n"
                             "R-O009,にしよど子供食堂,citizen_group,西淀川区\n"})
    ingest_dataset(existing, store=store, today=TODAY)
    npo = tmp_path / "npo.csv"
    npo.write_bytes(NPO.encode("cp932"))
    out = tmp_path / "npo-out"
    assert main(["import", "npo-registry", str(npo), "--out", str(out), "--store", str(store)]) == 0
    assert "1 already in the store" in capsys.readouterr().out
    orgs = pd.read_csv(out / "organizations.csv", dtype=str, keep_default_na=False)
    assert orgs["id"].tolist() == ["R-O005", "NPO-3"]          # ReBORN matched by name key
    candidates = pd.read_csv(out / "merge_candidates.csv", dtype=str)
    assert candidates[["registry_id", "store_id", "how"]].values.tolist() == [
        ["NPO-3", "R-O009", "similar"]]                        # 子ども / 子供: for review
    assert json.loads((out / "dataset.json").read_text(encoding="utf-8"))["city"] == "大阪市"
    ingest_dataset(out, store=store, today=TODAY)
    reborn = read_dataset(store).table("organizations").set_index("id").loc["R-O005"]
    assert reborn["attrs"]["corporate_number"] == "3120005000003"
    # a later table may now refer to ReBORN by its 法人番号; then the NTA file matches it first
    refer = write_dataset(tmp_path / "refer", {
        "organizations.csv": (out / "organizations.csv").read_text(encoding="utf-8-sig"),
        "participations.csv": "event_id,org_id\nE1,3120005000003\n",
        "events.csv": "id,name,date\nE1,MAIDOにしよど,2019-11-03\n"})
    assert load_dataset(refer, today=TODAY).table("participations")["org_id"].tolist() == ["R-O005"]
    nta = tmp_path / "nta.csv"
    nta.write_bytes(NTA.encode("cp932"))
    out2 = tmp_path / "nta-out"
    assert main(["import", "corporate-number", str(nta), "--out", str(out2),
                 "--store", str(store)]) == 0
    ids = pd.read_csv(out2 / "organizations.csv", dtype=str)["id"].tolist()
    assert ids == ["CN1120005000001", "CN2120001000002", "R-O005"]   # by 法人番号 first


def test_import_refuses_a_folder_with_data_and_writes_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TSUNAGARI_STORE", str(tmp_path / "absent.duckdb"))
    npo = tmp_path / "npo.csv"
    npo.write_bytes(NPO.encode("utf-8"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.csv").write_text("x\n", encoding="utf-8")
    assert main(["import", "npo-registry", str(npo), "--out", str(out)]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["keep.csv"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    capsys.readouterr()
    assert main(["import", "npo-registry", str(npo), "--out", str(tmp_path / "o2"),
                 "--store", str(tmp_path / "none.duckdb")]) == 2
    assert "no store at" in capsys.readouterr().err


def _odd_npo(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


_NPO_LINES = NPO.splitlines()
ODD_FILES = {
    # name: (registry, content, expected (row, column, code) of the one failure)
    "empty": ("npo-registry", "", (None, "", "bad_csv")),
    "blank_nta": ("corporate-number", "\n\n", (None, "", "bad_csv")),
    "short_row": ("npo-registry", _odd_npo(_NPO_LINES[:2] + [",".join(
        _NPO_LINES[2].split(",")[:8])]), (3, "", "bad_csv")),
    "long_row": ("npo-registry", _odd_npo(_NPO_LINES[:2] + [_NPO_LINES[2] + ",x,y"]),
                 (3, "", "bad_csv")),
    "blank_line_then_bad_date": ("npo-registry", _odd_npo(
        _NPO_LINES[:2] + [""] + _NPO_LINES[2:]).replace("平成30年6月1日", "平成30年13月1日"),
        (4, "設立年月日", "bad_date")),
    "no_name": ("npo-registry", NPO.replace("にしよど子ども食堂", ""),
                (3, "法人名称", "empty_value")),
    "open_quote": ("npo-registry", NPO.replace("にしよど子ども食堂", '"にしよど\n子ども食堂'),
                   (3, "", "bad_csv")),
    "nta_as_npo": ("npo-registry", NTA, (1, "", "bad_csv")),
    "nta_blank_line_then_bad_number": ("corporate-number", NTA.replace("\n", "\n\n", 1).replace(
        "2120001000002", "21200X1000002"), (3, "corporateNumber (column 2)", "bad_number")),
}


@pytest.mark.parametrize("name", sorted(ODD_FILES))
def test_odd_files_fail_clearly_with_the_line_a_person_sees(tmp_path, capsys, monkeypatch, name):
    """Empty files, rows of the wrong width, blank lines, open quotes: one clear failure naming
    the file line (blank lines counted), exit 2, no traceback and no folder written."""
    monkeypatch.setenv("TSUNAGARI_STORE", str(tmp_path / "absent.duckdb"))
    registry, content, (row, column, code) = ODD_FILES[name]
    path = tmp_path / f"{name}.csv"
    path.write_bytes(content.encode("cp932"))
    reader = read_npo_registry if registry == "npo-registry" else read_corporate_numbers
    with pytest.raises(IngestError) as caught:
        reader(path)
    failures = caught.value.failures
    assert len(failures) == 1, failures
    got = failures.iloc[0]
    assert (None if pd.isna(got["row"]) else int(got["row"]), got["column"], got["code"]) == (
        row, column, code)
    assert main(["import", registry, str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{name}.csv" in err and code in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_name_that_looks_like_a_formula_survives_import_then_ingest(tmp_path, monkeypatch):
    """organizations.csv is a table to ingest: writing it formula-escaped would store the
    escape (a leading ') as part of the name; the review report stays escaped."""
    monkeypatch.setenv("TSUNAGARI_STORE", str(tmp_path / "absent.duckdb"))
    npo = tmp_path / "npo.csv"
    npo.write_bytes(NPO.replace("にしよど子ども食堂", "＠ホーム西淀川").encode("cp932"))
    out = tmp_path / "out"
    assert main(["import", "npo-registry", str(npo), "--out", str(out)]) == 0
    store = tmp_path / "s.duckdb"
    ingest_dataset(out, store=store, today=TODAY)
    names = read_dataset(store).table("organizations").set_index("id")["name"]
    assert names["NPO-3"] == "@ホーム西淀川"               # NFKC of the registry's ＠, no '


def test_higashi_osaka_is_not_osaka_city(tmp_path):
    """東大阪市 contains 大阪市 as text; an NPO there is not one of Osaka City's."""
    text = NPO.replace("大阪府堺市堺区1-1", "大阪府東大阪市荒本北1-1-1")
    path = tmp_path / "npo.csv"
    path.write_bytes(text.encode("cp932"))
    assert "さかいNPO" not in set(read_npo_registry(path)["name"])
    assert "さかいNPO" in set(read_npo_registry(path, city=None)["name"])


def test_a_place_named_after_a_temple_is_not_a_religious_body(tmp_path):
    rows = [_nta_row(1, "1120005000011", "一般社団法人天王寺区まちづくり協議会", "399", "大阪市天王寺区"),
            _nta_row(2, "2120005000012", "浄土寺", "399", "大阪市天王寺区")]
    path = tmp_path / "nta.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode("cp932"))
    assert read_corporate_numbers(path)["kind"].tolist() == ["other", "religious"]


def test_a_file_with_no_osaka_record_writes_nothing_and_says_why(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TSUNAGARI_STORE", str(tmp_path / "absent.duckdb"))
    path = tmp_path / "sakai.csv"
    path.write_bytes((_nta_row(4, "4120001000004", "株式会社さかい", "301", "堺市堺区") + "\n")
                     .encode("cp932"))
    assert main(["import", "corporate-number", str(path), "--out", str(tmp_path / "o")]) == 2
    assert "no current record in 大阪市 (--all-cities" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
    assert main(["import", "corporate-number", str(path), "--out", str(tmp_path / "o"),
                 "--all-cities"]) == 0
