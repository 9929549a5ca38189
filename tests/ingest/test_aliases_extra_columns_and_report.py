"""Aliases, extra columns, numbers and the report: regression tests from the second review.

Datasets the project had never seen. Each test names the problem a clerk (Excel) or a
researcher met, and checks the fix end to end where it matters: through ``tsunagari
validate`` / ``ingest`` with a store holding an earlier good batch that must stay unchanged.
"""

from __future__ import annotations

from cli.main import main
from ingest.load import load_dataset
from ingest.store import read_dataset

from .clerk_cases import EVENTS, ORGS, _book, _failures, _ingest_fails
from .conftest import GOOD, TODAY, snapshot, write_dataset

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

    import ingest.store.writing

    store = tmp_path / "x.duckdb"
    assert main(["ingest", str(write_dataset(tmp_path / "good", GOOD)),
                 "--store", str(store)]) == 0
    before = snapshot(store)

    def disk_full(*args, **kwargs):
        raise duckdb.IOException("No space left on device")

    monkeypatch.setattr(ingest.store.writing, "_insert_table", disk_full)
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
