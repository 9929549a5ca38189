"""The report against itself: totals vs their tables, one figure with two periods, and
`timeline` agreeing with `conflicts` on the bundled real records."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cli.main import main
from ingest.figure_checks import figure_conflicts, period_span
from ingest.load import load_dataset
from ingest.store import conflicts, ingest_dataset

REAL = Path(__file__).resolve().parents[2] / "data" / "osaka" / "real"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("real") / "real.duckdb"
    ingest_dataset(REAL, store=path)
    return path


def test_the_stated_140_disagrees_with_the_121_of_its_p11_table():
    found = figure_conflicts(load_dataset(REAL).table("figures"))
    totals = found[found["kind"] == "total_vs_table"]
    assert len(totals) == 1
    row = totals.iloc[0]
    assert row["metric"] == "dispatches_cumulative" and "(p.11)" in row["key"]
    assert row["values"] == "stated 140; table sums to 121"  # 12+12+13+20+43+21
    assert len(row["rows"]) == 7                              # the total and six years
    # the other version of the table (p.7 / p.32) sums to 140: no conflict with it
    assert "p.32" not in row["key"]


def test_the_843_postings_printed_with_two_periods():
    found = figure_conflicts(load_dataset(REAL).table("figures"))
    periods = found[found["kind"] == "two_periods"]
    assert periods["metric"].tolist() == ["portal_postings"]
    values = periods.iloc[0]["values"]
    assert "2018-09/2019-08 (1(1)ア① 実績 (p.3))" in values and "2017-08/2019-08" in values
    assert "(p.51)" in values


def test_equal_values_in_disjoint_periods_are_not_conflicts():
    fig = pd.DataFrame({"metric": ["grant_projects"] * 3, "period": ["FY2008", "FY2010", "FY2011"],
                        "category": ["交付決定"] * 3, "value": [7, 7, 7], "source": ["p.44"] * 3})
    assert figure_conflicts(fig).empty
    # a total over a span its table does not tile is not compared
    fig = pd.DataFrame({"metric": ["d", "d_cumulative"], "period": ["FY2014", "2014-04-01/2016-03-31"],
                        "category": ["合計"] * 2, "value": [5, 9], "source": ["p.1", "p.1"]})
    assert figure_conflicts(fig).empty
    assert period_span("FY2014") == (pd.Timestamp("2014-04-01").date(),
                                     pd.Timestamp("2015-03-31").date())


def test_conflicts_lists_both_new_kinds(store):
    found = conflicts(store)
    figures = found[found["table"] == "figures"]
    keys = figures["key"].unique().tolist()
    assert any("dispatches_cumulative" in k and "sum of its table" in k for k in keys)
    assert any("portal_postings" in k and "two periods" in k for k in keys)
    total = figures[figures["key"].str.contains("dispatches_cumulative")]
    assert sorted(total["row"])[:1] and "value=140" in total["values"].tolist()[0]


@pytest.mark.slow
def test_timeline_and_conflicts_count_the_same_conflicts(store, tmp_path, capsys):
    expected = conflicts(store)
    expected = expected[expected["table"] == "figures"][["table", "key"]].drop_duplicates()
    out = tmp_path / "timeline"
    assert main(["timeline", "--store", str(store), "--no-charts", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    timeline = pd.read_csv(out / "series_conflicts.csv", encoding="utf-8-sig")
    assert len(timeline) == len(expected) == 13
    assert f"{len(expected)} report figures disagree" in printed
    assert set(timeline["kind"]) == {"sources_disagree", "total_vs_table", "two_periods"}
    # two dispatch records of one case against the reported 35: incomplete, not a conflict
    incomplete = pd.read_csv(out / "series_incomplete.csv", encoding="utf-8-sig")
    assert incomplete[["metric", "period", "category", "reported", "recorded"]].values.tolist() \
        == [["dispatches", "FY2018", "territorial", 35.0, 2.0]]
    assert not ((timeline["period"] == "FY2018") & (timeline["category"] == "territorial")).any()
    assert "incomplete data, not conflicts" in printed
