"""The hand-curated real Osaka records (data/osaka/real) reproduce the report's own figures.

The oracle is the seed report (大阪市における市民活動支援の取組報告): every number asserted here
is printed in it, at the section named in the assertion's comment.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from ingest.schemas import ORG_KINDS, ORIENTATIONS, TABLES, WARDS

REAL = Path(__file__).resolve().parents[2] / "data" / "osaka" / "real"
TABLE_FILES = ("organizations", "events", "participations", "collaborations", "memberships",
               "dispatches", "resources", "awards", "talents", "figures")
ID_TABLES = ("organizations", "events", "collaborations", "dispatches", "resources", "talents")
DATE_COLUMNS = {"organizations": ["founded"], "events": ["date", "end_date"],
                "collaborations": ["start_date", "end_date"], "memberships": ["since", "until"],
                "dispatches": ["start_date", "end_date"], "resources": ["offered_on"],
                "talents": ["registered_on"]}


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(REAL / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def t() -> dict[str, pd.DataFrame]:
    return {name: _read(name) for name in TABLE_FILES}


def _org_id(t, name: str) -> str:
    match = t["organizations"].loc[t["organizations"]["name"] == name, "id"]
    assert len(match) == 1, f"{name!r} should be exactly one organisation, found {len(match)}"
    return match.iloc[0]


def _figure(t, metric, period, category, source_part=None) -> float:
    f = t["figures"]
    rows = f[(f["metric"] == metric) & (f["period"] == period) & (f["category"] == category)]
    if source_part is not None:
        rows = rows[rows["source"].str.contains(source_part, regex=False)]
    assert len(rows) == 1, (metric, period, category, source_part, len(rows))
    return float(rows["value"].iloc[0])


# --- integrity -----------------------------------------------------------------------------

def test_every_table_has_the_canonical_columns(t):
    for name, frame in t.items():
        missing = set(TABLES[name].names) - set(frame.columns) - {"synthetic"}
        assert not missing, f"{name}.csv lacks {sorted(missing)}"
        for column in TABLES[name].required:
            assert (frame[column].str.strip() != "").all(), f"{name}.{column} has empty cells"


def test_every_row_cites_a_section_of_the_report(t):
    section = re.compile(r"\d\(\d\)[アイウ][①-⑥]|報告主体")
    for name, frame in t.items():
        assert (frame["source"].str.strip() != "").all(), f"{name}: row without source"
        bad = frame.loc[~frame["source"].str.contains(section), "source"].tolist()
        assert not bad, f"{name}: sources without a section reference: {bad}"


def test_no_synthetic_rows(t):
    for name, frame in t.items():
        assert set(frame["synthetic"]) <= {"false"}, name


def test_ids_are_unique_and_real(t):
    prefixes = {"organizations": "R-O", "events": "R-E", "collaborations": "R-C",
                "dispatches": "R-D", "resources": "R-R", "talents": "R-T"}
    for name in ID_TABLES:
        ids = t[name]["id"]
        assert ids.is_unique, f"duplicate ids in {name}"
        assert ids.str.startswith(prefixes[name]).all(), f"{name}: id not starting {prefixes[name]}"
    assert t["dispatches"]["talent_id"].str.startswith("R-T").all()


def test_table_keys_are_unique(t):
    for name in ("participations", "memberships", "awards", "figures"):
        key = list(TABLES[name].key)
        assert not t[name].duplicated(key).any(), f"duplicate {key} in {name}"


def test_every_reference_resolves(t):
    orgs = set(t["organizations"]["id"])
    events = set(t["events"]["id"])
    assert set(t["participations"]["event_id"]) <= events
    assert set(t["participations"]["org_id"]) <= orgs
    organizers = set(t["events"]["organizer_id"]) - {""}
    assert organizers <= orgs
    for name, column in (("memberships", "org_id"), ("memberships", "council_id"),
                         ("dispatches", "org_id"), ("resources", "provider_id"),
                         ("awards", "org_id")):
        assert set(t[name][column]) <= orgs, (name, column)
    assert set(t["dispatches"]["talent_id"]) <= set(t["talents"]["id"])
    for ids in t["collaborations"]["org_ids"]:
        members = ids.split(";")
        assert len(set(members)) >= 2, ids
        assert set(members) <= orgs, ids
    # every event organiser is also recorded as its organiser in participations
    p = t["participations"]
    for _, e in t["events"][t["events"]["organizer_id"] != ""].iterrows():
        row = p[(p["event_id"] == e["id"]) & (p["org_id"] == e["organizer_id"])]
        assert row["role"].tolist() == ["organizer"], e["id"]


def test_value_sets(t):
    o = t["organizations"]
    assert set(o["kind"]) <= set(ORG_KINDS)
    assert set(o["ward"]) - {""} <= set(WARDS)
    assert set(o["orientation"]) - {""} <= set(ORIENTATIONS)
    assert set(t["events"]["ward"]) - {""} <= set(WARDS)
    assert set(t["participations"]["role"]) <= {"organizer", "presenter", "participant", "exhibitor"}
    assert (o.loc[o["kind"] == "council", "orientation"] == "territorial").all()


def test_dates_are_iso_and_ordered(t):
    iso = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    for name, columns in DATE_COLUMNS.items():
        for column in columns:
            values = t[name][column][t[name][column] != ""]
            assert values.str.match(iso).all(), (name, column)
            pd.to_datetime(values, format="%Y-%m-%d")  # raises on 2019-02-30
    for name, (a, b) in (("events", ("date", "end_date")),
                         ("collaborations", ("start_date", "end_date")),
                         ("dispatches", ("start_date", "end_date"))):
        both = t[name][(t[name][a] != "") & (t[name][b] != "")]
        assert (both[a] <= both[b]).all(), name


def test_event_date_basis_is_explicit(t):
    e = t["events"]
    assert set(e["date_basis"]) <= {"day", "month", "report_window", "series_span"}
    # month-only dates are stored as the first of the month
    assert (e.loc[e["date_basis"] == "month", "date"].str.endswith("-01")).all()
    # undated series carry the report's window, never a made-up day
    window = e[e["date_basis"] == "report_window"]
    assert set(window["name"]) == {"にしよどリンク", "MAIDOにしよど《にしよどリンク拡大版》",
                                   "企業・NPO・学校・地域交流会【住之江区】", "地域こども支援団体連絡会"}
    assert window["date"].str.endswith("-01").all() and (window["end_date"] != "").all()


def test_figure_periods_follow_the_convention(t):
    pattern = re.compile(r"^(FY\d{4}(\(-\d{4}-\d{2}\)|-)?|\d{4}-\d{2}(-\d{2})?"
                         r"(/\d{4}-\d{2}(-\d{2})?)?|report)$")
    bad = [p for p in t["figures"]["period"] if not pattern.match(p)]
    assert not bad, bad
    assert (t["figures"]["category"] != "").all()
    pd.to_numeric(t["figures"]["value"])  # every value is a number


def test_no_private_individuals(t):
    # talents are pseudonymous and carry skills only
    assert set(t["talents"].columns) <= {"id", "skills", "registered_on", "source", "synthetic"}
    assert t["talents"]["id"].str.fullmatch(r"R-T\d{2}").all()


# --- the report's own figures ----------------------------------------------------------------

def test_naniwa_cleanups_eight_dates_average_120(t):
    # 1(1)ア③ 実績: 計8回実施, 平均参加人数 120名
    e = t["events"]
    cleanups = e[(e["kind"] == "cleanup") & (e["organizer_id"] == _org_id(t, "浪速区役所"))]
    assert sorted(cleanups["date"]) == [
        "2018-12-15", "2019-01-19", "2019-03-04", "2019-03-23",
        "2019-04-20", "2019-06-01", "2019-07-03", "2019-08-09"]
    assert set(cleanups["ward"]) == {"浪速区"}
    assert cleanups["attendance"].astype(int).mean() == 120
    assert set(cleanups["attendance_basis"]) == {"report_average"}
    assert _figure(t, "naniwa_cleanups", "2018-04/2019-08", "合計") == len(cleanups) == 8
    assert _figure(t, "naniwa_cleanup_attendance", "2018-04/2019-08", "平均") == 120


def test_kita_condominium_lectures(t):
    # 1(2)ア③ 実績: 8/24, 9/1, 9/29 with 21, 13, 11 participants (令和元年 = 2019)
    e = t["events"]
    lectures = e[e["organizer_id"] == _org_id(t, "北区役所")].sort_values("date")
    assert lectures["date"].tolist() == ["2019-08-24", "2019-09-01", "2019-09-29"]
    assert lectures["attendance"].astype(int).tolist() == [21, 13, 11]
    assert set(lectures["ward"]) == {"北区"}
    assert _figure(t, "kita_condominiums_supported", "2019-09-30", "合計") == 3
    assert _figure(t, "kita_condominiums_interviewed", "2019-09-30", "合計") == 12


def test_forum_2019_02_17_with_three_presenting_councils(t):
    # 2(2)ア① 実績: 平成31年2月17日開催, 参加者 204人; 事例発表: 淀川区新東三国・天王寺区聖和・港区南市岡
    e = t["events"]
    forum = e[e["name"] == "地活協フォーラム"]
    assert forum[["date", "attendance"]].values.tolist() == [["2019-02-17", "204"]]
    p = t["participations"]
    presenters = p[(p["event_id"] == forum["id"].iloc[0]) & (p["role"] == "presenter")]
    o = t["organizations"].set_index("id").loc[presenters["org_id"]]
    assert dict(zip(o["name"], o["ward"])) == {"新東三国地域活動協議会": "淀川区",
                                               "聖和地域活動協議会": "天王寺区",
                                               "南市岡地域活動協議会": "港区"}
    assert set(o["kind"]) == {"council"} and set(o["orientation"]) == {"territorial"}
    assert _figure(t, "forum_satisfaction", "2019-02-17", "フォーラム満足度") == 83.1
    assert _figure(t, "forum_satisfaction", "2019-02-17", "事例紹介満足度") == 77.9


def test_toyoshin_logo_dispatches(t):
    # 1(1)イ② 事例: 2 talents, 全5回 (平成30年9月～平成31年2月5日), unveiled 平成31年2月17日
    toyoshin = _org_id(t, "豊新地域活動協議会")
    d = t["dispatches"][t["dispatches"]["org_id"] == toyoshin]
    assert d["talent_id"].nunique() == 2
    assert set(d["sessions"].astype(int)) == {5}
    assert set(d["start_date"]) == {"2018-09-01"} and set(d["end_date"]) == {"2019-02-05"}
    assert t["organizations"].set_index("id").loc[toyoshin, "ward"] == "東淀川区"
    e, p = t["events"], t["participations"]
    festival = e[e["kind"] == "festival"]
    assert festival["date"].tolist() == ["2019-02-17"]
    assert p[(p["event_id"] == festival["id"].iloc[0])]["org_id"].tolist() == [toyoshin]
    assert festival["date"].iloc[0] > d["end_date"].max()


def test_nishiyodo_collab_cases(t):
    # 1(1)ア④ 実績 コラボ事例 and 地域とコラボin姫島神社春祭り
    c = t["collaborations"]
    shakyo = _org_id(t, "西淀川区社会福祉協議会")
    expected = {"ReBORN": "ママのためのセルフストレッチ講座", "入浴サービス": "出張足湯",
                "尼崎信用金庫": "冒険あそび場 見守り", "姫島神社": "地域とコラボin姫島神社春祭り"}
    for partner, title in expected.items():
        rows = c[c["title"] == title]
        assert len(rows) == 1, title
        members = rows["org_ids"].iloc[0].split(";")
        assert _org_id(t, partner) in members and shakyo in members
    o = t["organizations"].set_index("name")
    assert o.loc["尼崎信用金庫", "kind"] == "company"
    assert o.loc["姫島神社", "kind"] == "religious"
    e = t["events"].set_index("name")
    assert e.loc["にしよどリンク", "frequency"] == "2か月に1回"
    assert e.loc["MAIDOにしよど《にしよどリンク拡大版》", "frequency"] == "年1回"


def test_ikuwa_survey_with_community_association(t):
    c = t["collaborations"]
    row = c[c["title"] == "育和地域のまちづくりとアンケート調査"]
    assert set(row["org_ids"].iloc[0].split(";")) == {_org_id(t, "育和地域活動協議会"),
                                                     _org_id(t, "大阪市コミュニティ協会")}
    assert t["organizations"].set_index("name").loc["大阪市コミュニティ協会", "kind"] == "intermediary"


def test_cso_award_winners(t):
    # 2(4)ア① 実績: 平成30年度 NPO法人にしよどにこネット, 令和元年度 一般社団法人codomoto
    a = t["awards"].merge(t["organizations"], left_on="org_id", right_on="id")
    assert sorted(zip(a["name"], a["fiscal_year"], a["program"])) == [
        ("NPO法人にしよどにこネット", "FY2018", "CSOアワード大阪市長賞"),
        ("一般社団法人codomoto", "FY2019", "CSOアワード大阪市長賞")]


VERSION_A = {"FY2014": (10, 2, 12), "FY2015": (5, 12, 17), "FY2016": (9, 13, 22),
             "FY2017": (18, 4, 22), "FY2018": (35, 9, 44), "FY2019(-2019-12)": (17, 6, 23)}
VERSION_B = {"FY2014": (10, 2, 12), "FY2015": (5, 7, 12), "FY2016": (9, 4, 13),
             "FY2017": (18, 2, 20), "FY2018": (35, 8, 43), "FY2019(-2019-12)": (17, 4, 21)}


def test_both_versions_of_the_dispatch_table(t):
    # version A: 1(1)ア⑤ (p.7, no total column), reprinted with totals at 2(2)ア③ (p.32), 2(5)ア① (p.47)
    # version B: 1(1)イ② (p.11)
    for fy, (terr, theme, total) in VERSION_A.items():
        assert _figure(t, "dispatches", fy, "地縁型", "(p.7)") == terr
        assert _figure(t, "dispatches", fy, "テーマ型", "(p.7)") == theme
        assert _figure(t, "dispatches", fy, "合計", "(p.32)") == total
    for fy, (terr, theme, total) in VERSION_B.items():
        for category, value in (("地縁型", terr), ("テーマ型", theme), ("合計", total)):
            assert _figure(t, "dispatches", fy, category, "(p.11)") == value
    d = t["figures"][t["figures"]["metric"] == "dispatches"]
    assert d.groupby(["period", "category"]).size().eq(2).all()  # every cell printed twice
    assert d["source"].nunique() == 3  # A (地縁/テーマ), A (合計 column), B
    # the two versions agree on 地縁型 and disagree on テーマ型 from FY2015 on
    values = d.assign(value=d["value"].astype(float)).groupby(["period", "category"])["value"]
    disagree = values.nunique()
    assert (disagree.xs("地縁型", level="category") == 1).all()
    assert disagree.xs("テーマ型", level="category").gt(1).tolist() == [False, True, True, True,
                                                                      True, True]


def test_dispatch_table_sums(t):
    # 派遣件数 140件 (平成26.4.1～令和元.12.31): version A adds up to it, version B to 121
    total = _figure(t, "dispatches_cumulative", "2014-04-01/2019-12-31", "合計")
    assert total == 140
    f = t["figures"]
    d = f[f["metric"] == "dispatches"].assign(value=lambda x: x["value"].astype(float))
    a = d[d["source"].str.contains("(p.7)", regex=False)]
    a_total = d[d["source"].str.contains("(p.32)", regex=False) & (d["category"] == "合計")]
    b = d[d["source"].str.contains("(p.11)", regex=False)]
    assert a["value"].sum() == total == a_total["value"].sum()
    assert b[b["category"] != "合計"]["value"].sum() == 121 == b[b["category"] == "合計"]["value"].sum()
    # within each version and year, 地縁型 + テーマ型 = 合計 as printed
    for version in (VERSION_A, VERSION_B):
        for terr, theme, row_total in version.values():
            assert terr + theme == row_total
    assert _figure(t, "registered_talents", "2019-08-31", "合計") == 131
    assert _figure(t, "dispatch_satisfaction", "2014-04-01/2019-12-31", "利用者満足度") == 95


GRANTS = {2008: (7, 280, 2797000), 2009: (8, 250, 2500000), 2010: (7, 350, 3378000),
          2011: (7, 317, 2855000), 2012: (4, 200, 2001000), 2013: (6, 274, 2711000),
          2014: (4, 231, 2207000), 2015: (8, 243, 2297000), 2016: (6, 350, 3492000),
          2017: (8, 458, 4218000), 2018: (6, 539, 5218000), 2019: (8, 550, None)}


def test_grant_table_as_printed(t):
    # 2(4)ア② 実績表: 交付決定 事業数・金額（万円）, 決算額（円）; FY2019 決算額 is "—"
    f = t["figures"]
    for fy, (projects, man_yen, settled) in GRANTS.items():
        assert _figure(t, "grant_projects", f"FY{fy}", "交付決定") == projects
        assert _figure(t, "grant_amount_decided", f"FY{fy}", "交付決定") == man_yen
        rows = f[(f["metric"] == "grant_amount_settled") & (f["period"] == f"FY{fy}")]
        if settled is None:
            assert rows.empty
        else:
            assert rows["value"].astype(float).tolist() == [settled]
    grant_metrics = f[f["metric"].str.startswith("grant_") & f["period"].str.match(r"^FY\d{4}$")]
    assert sorted(grant_metrics["period"].unique()) == [f"FY{y}" for y in range(2008, 2020)]
    assert _figure(t, "grant_cap_per_project", "report", "上限") == 100


def test_portal_consultation_and_council_figures(t):
    w = "2018-09/2019-08"
    assert _figure(t, "portal_postings", w, "合計") == 843
    assert _figure(t, "portal_new_individuals", w, "合計") == 66
    assert _figure(t, "portal_meetup_notices", w, "合計") == 24
    assert _figure(t, "portal_resource_offers", w, "合計") == 28
    assert _figure(t, "portal_articles", w, "合計") == 52
    # new registered groups: 143 at 1(2)ア① (p.17), 843 in its reprint 2(1)ア③ (p.27)
    assert _figure(t, "portal_new_groups", w, "合計", "1(2)ア①") == 143
    assert _figure(t, "portal_new_groups", w, "合計", "2(1)ア③") == 843
    assert _figure(t, "consultations", "FY2018", "24区計") == 168
    assert _figure(t, "consultations", "FY2019(-2019-08)", "24区計") == 72
    assert _figure(t, "councils", "2019-08-31", "合計") == 326
    assert _figure(t, "council_member_orgs_avg", "2019-08-31", "1団体あたり") == 23.7
    assert _figure(t, "fc_osaka_broadcasts", "2017-08/2020-02", "合計") == 31
    assert _figure(t, "wards_membership_promotion", "2019-09", "転入者パック") == 23


# --- through the ingest pipeline ---------------------------------------------------------------

@pytest.fixture(scope="module")
def ds():
    from ingest.load import load_dataset

    return load_dataset(REAL)  # raises ingest.validate.IngestError on any problem


def test_load_dataset_validates_cleanly(ds, t):
    for name in TABLE_FILES:
        assert len(ds.table(name)) == len(t[name]), name
    orgs = ds.table("organizations")
    assert not orgs["synthetic"].any() and orgs["id"].str.startswith("R-").all()
    # organisations keep their ids (no merge of distinct real organisations)
    assert sorted(orgs["id"]) == sorted(t["organizations"]["id"])
    collab = ds.table("collaborations")
    assert collab["org_ids"].map(lambda ids: len(set(ids))).min() >= 2
    events = ds.table("events").set_index("id")
    assert str(events.loc["R-E012", "date"].date()) == "2019-02-17"
    assert events.loc["R-E012", "attrs"]["date_basis"] == "day"
    awards = ds.table("awards")
    assert sorted(awards["fiscal_year"].tolist()) == [2018, 2019]


def test_loaded_figures_keep_both_dispatch_versions(ds):
    f = ds.table("figures")
    cell = f[(f["metric"] == "dispatches") & (f["period"] == "FY2015") & (f["category"] == "テーマ型")]
    assert sorted(zip(cell["value"], cell["source"].str.extract(r"\((p\.\d+)\)")[0])) == [
        (7.0, "p.11"), (12.0, "p.7")]
    assert f.loc[f["metric"] == "dispatches_cumulative", "value"].tolist() == [140.0]
