"""Tests of `tsunagari timeline` and `tsunagari bench timeline` on a tiny hand-made dataset."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cli.main import main


@pytest.fixture
def dataset_dir(tmp_path):
    d = tmp_path / "ds"
    d.mkdir()
    (d / "organizations.csv").write_text(
        "id,name,kind,ward,orientation,founded\n"
        "R-O1,北町会,neighbourhood_association,北区,territorial,\n"
        "R-O2,北地域活動協議会,council,北区,territorial,\n"
        "R-O3,NPO法人みなみ,npo,西区,thematic,2015-05-01\n"
        "R-O4,株式会社ひがし,company,西区,,\n"
        "R-O5,NPO法人にし,npo,西区,thematic,2017-06-01\n", encoding="utf-8")
    (d / "events.csv").write_text(
        "id,name,date\n"
        "R-E1,交流会1,2016-03-31\n"      # FY2015 (31 March)
        "R-E2,交流会2,2016-04-01\n"      # FY2016 (1 April)
        "R-E3,フォーラム,令和元年8月1日\n", encoding="utf-8")
    (d / "participations.csv").write_text(
        "event_id,org_id\nR-E1,R-O1\nR-E1,R-O2\nR-E2,R-O2\nR-E2,R-O3\n"
        "R-E3,R-O3\nR-E3,R-O4\nR-E3,R-O5\n", encoding="utf-8")
    (d / "dispatches.csv").write_text(
        "id,org_id,talent_id,start_date\nR-D1,R-O1,T1,2015-06-01\nR-D2,R-O3,T1,2016-06-01\n",
        encoding="utf-8")
    (d / "figures.csv").write_text(
        "metric,period,category,value,source\n"
        "dispatches,H27,テーマ型,7,1(1)イ②\n"
        "dispatches,H27,テーマ型,12,2(2)ア③\n", encoding="utf-8")
    return d


@pytest.mark.slow
def test_timeline_writes_every_file(dataset_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["timeline", "--dataset", str(dataset_dir), "--out", str(out)]) == 0
    for name in ("snapshots.csv", "community_events.csv", "trajectories.csv", "alluvial.csv",
                 "report_series.csv", "series_conflicts.csv", "growth.json", "size.png",
                 "densification.png", "attachment.png", "communities.png",
                 "report_dispatches.png"):
        assert (out / name).exists(), name
    snaps = pd.read_csv(out / "snapshots.csv", encoding="utf-8-sig")
    assert snaps["period"].tolist() == ["FY2015", "FY2016", "FY2017", "FY2018", "FY2019"]
    # 31 March 2016 is FY2015, 1 April 2016 is FY2016, 令和元年8月1日 is FY2019;
    # talent T1 shared by O1 (2015-06) and O3 (2016-06) ties them in FY2016
    assert snaps["ties"].tolist() == [1, 3, 3, 3, 6]
    assert snaps["new_ties"].tolist() == [1, 2, 0, 0, 3]
    growth = json.loads((out / "growth.json").read_text(encoding="utf-8"))
    assert growth["densification"]["points"] == 5
    assert growth["params"]["freq"] == "fy"
    series = pd.read_csv(out / "report_series.csv", encoding="utf-8-sig")
    both = series[(series["period"] == "FY2015") & (series["category"] == "thematic")
                  & series["source"].str.startswith("figures")]
    assert sorted(both["value"]) == [7.0, 12.0]
    rec = series[series["source"] == "records:dispatches"]
    assert rec[["period", "category", "value"]].values.tolist() == [
        ["FY2015", "territorial", 1.0], ["FY2016", "thematic", 1.0]]
    assert "disagree" in capsys.readouterr().out


def test_timeline_windowed_quarters(dataset_dir, tmp_path):
    out = tmp_path / "q"
    assert main(["timeline", "--dataset", str(dataset_dir), "--period", "quarter",
                 "--window", "1", "--no-charts", "--out", str(out)]) == 0
    snaps = pd.read_csv(out / "snapshots.csv", encoding="utf-8-sig")
    assert snaps["period"].iloc[0] == "2016Q1" and snaps["period"].iloc[-1] == "2019Q3"
    # a one-year window: the FY2015 tie has lapsed a year later
    assert snaps.set_index("period").loc["2017Q2", "ties"] == 0
    assert not list(out.glob("*.png"))


def test_timeline_bad_input_exit_2(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "organizations.csv").write_text("id,name,kind\nR-O1,x,spaceship\n", encoding="utf-8")
    assert main(["timeline", "--dataset", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert main(["timeline", "--dataset", str(tmp_path / "missing"),
                 "--out", str(tmp_path / "o")]) == 2


def test_timeline_bad_window_exit_2(dataset_dir, tmp_path):
    assert main(["timeline", "--dataset", str(dataset_dir), "--window", "-1",
                 "--out", str(tmp_path / "o")]) == 2


def test_bench_timeline_small(dataset_dir, tmp_path, capsys):
    md = tmp_path / "timeline.md"
    assert main(["bench", "timeline", "--dataset", str(dataset_dir), "--no-baseline",
                 "--write", str(md)]) == 0
    text = md.read_text(encoding="utf-8")
    assert "timeline total" in text and "Ratio timeline / one period" in text
