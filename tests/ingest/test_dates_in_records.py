"""Dates and fiscal years: regression tests from the second review.

Datasets the project had never seen. Each test names the problem a clerk (Excel) or a
researcher met, and checks the fix end to end where it matters: through ``tsunagari
validate`` / ``ingest`` with a store holding an earlier good batch that must stay unchanged.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.load import load_dataset
from ingest.normalise import parse_date, parse_fiscal_year

from .clerk_cases import ORGS, _failures, _ingest_fails
from .conftest import TODAY, write_dataset

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
