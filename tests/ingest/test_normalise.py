"""Dates, eras, fiscal years, wards, fields and name keys."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.normalise import (
    fiscal_year,
    fiscal_year_bounds,
    fiscal_year_label,
    name_key,
    nfkc,
    normalise_ward,
    parse_date,
    parse_fields,
    parse_fiscal_year,
    to_era,
)
from ingest.schemas import WARDS

HEISEI_START = dt.date(1989, 1, 8)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2019-08-01", dt.date(2019, 8, 1)),
        ("2019/8/1", dt.date(2019, 8, 1)),
        ("2019.8.1", dt.date(2019, 8, 1)),
        ("2019年8月1日", dt.date(2019, 8, 1)),
        ("2019年8月", dt.date(2019, 8, 1)),
        ("２０１９年８月１日", dt.date(2019, 8, 1)),
        ("平成30年9月", dt.date(2018, 9, 1)),
        ("平成 30 年 9 月", dt.date(2018, 9, 1)),
        ("令和元年8月1日", dt.date(2019, 8, 1)),
        ("H26", dt.date(2014, 1, 1)),
        ("R元", dt.date(2019, 5, 1)),  # 令和 starts on 1 May: year precision clamps to the era
        ("h26.4.1", dt.date(2014, 4, 1)),
        ("平成26.4.1", dt.date(2014, 4, 1)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("昭和64年1月7日", dt.date(1989, 1, 7)),
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("2019-08-01 00:00:00", dt.date(2019, 8, 1)),
        (dt.datetime(2019, 8, 1, 12, 0), dt.date(2019, 8, 1)),
    ],
)
def test_parse_date_accepts_every_documented_form(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty"),
        ("平成31年5月1日", "not in 平成"),
        ("令和元年4月30日", "not in 令和"),
        ("昭和64年1月8日", "not in 昭和"),
        ("2019-02-30", "impossible"),
        ("2019-13-01", "impossible"),
        ("next tuesday", "not a date"),
        ("平成0年1月1日", "1 or more"),
    ],
)
def test_parse_date_refuses_with_a_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


def test_era_boundary_days():
    assert to_era(dt.date(2019, 4, 30)) == "平成31年4月30日"
    assert to_era(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert to_era(dt.date(1989, 1, 7)) == "昭和64年1月7日"
    assert to_era(dt.date(1989, 1, 8)) == "平成元年1月8日"


@settings(max_examples=400, deadline=None)
@given(st.dates(min_value=HEISEI_START, max_value=dt.date.today()))
def test_iso_era_round_trip_for_every_day_since_heisei(day):
    assert parse_date(to_era(day)) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(nfkc(to_era(day)).translate(str.maketrans("0123456789", "０１２３４５６７８９"))) == day


def test_iso_era_round_trip_exhaustive():
    day, today = HEISEI_START, dt.date.today()
    while day <= today:
        assert parse_date(to_era(day)) == day, day
        day += dt.timedelta(days=1)


def test_fiscal_year_boundaries():
    assert fiscal_year(dt.date(2019, 3, 31)) == 2018
    assert fiscal_year(dt.date(2019, 4, 1)) == 2019
    assert fiscal_year(parse_date("平成31年4月30日")) == fiscal_year(parse_date("令和元年5月1日")) == 2019
    assert fiscal_year_bounds(2018) == (dt.date(2018, 4, 1), dt.date(2019, 3, 31))


@pytest.mark.parametrize(
    "text, fy",
    [("FY2019", 2019), ("fy2014", 2014), ("2019", 2019), ("2019年度", 2019), ("令和元年度", 2019),
     ("平成31年度", 2019), ("R元", 2019), ("H30", 2018), ("平成20年度", 2008), (2017, 2017)],
)
def test_parse_fiscal_year(text, fy):
    assert parse_fiscal_year(text) == fy


def test_fiscal_year_label_uses_the_era_of_that_december():
    assert [fiscal_year_label(fy) for fy in (1988, 1989, 2018, 2019, 2024)] == [
        "昭和63年度", "平成元年度", "平成30年度", "令和元年度", "令和6年度"]


def test_parse_fiscal_year_refuses_garbage():
    with pytest.raises(ValueError, match="not a fiscal year"):
        parse_fiscal_year("last year")


@pytest.mark.parametrize("ward", WARDS)
def test_every_ward_normalises_with_and_without_suffix(ward):
    assert normalise_ward(ward) == ward
    assert normalise_ward(ward[:-1]) == ward
    assert normalise_ward("大阪市" + ward) == ward


def test_unknown_ward_is_an_error():
    with pytest.raises(ValueError, match="24 wards"):
        normalise_ward("渋谷区")


def test_parse_fields_numbers_names_and_aliases():
    assert parse_fields("13;1;13") == [1, 13]
    assert parse_fields("子どもの健全育成、まちづくり") == [3, 13]
    assert parse_fields("福祉,子育て") == [1, 13]
    assert parse_fields(["７", "環境の保全"]) == [7]
    with pytest.raises(ValueError, match="not an NPO field"):
        parse_fields("0")


@pytest.mark.parametrize(
    "spellings",
    [
        ("ReBORN", "ReBORNさん", "ＲｅＢＯＲＮ", " ReBORN 様"),
        ("尼崎信用金庫", "株式会社尼崎信用金庫", "尼崎信用金庫(株)", "㈱尼崎信用金庫"),
        ("NPO法人にしよどにこネット", "特定非営利活動法人 にしよどにこネット", "にしよどにこネット"),
        ("一般社団法人codomoto", "codomoto", "ＣＯＤＯＭＯＴＯ"),
    ],
)
def test_name_key_merges_spellings_of_one_organisation(spellings):
    assert len({name_key(s) for s in spellings}) == 1


def test_name_key_keeps_different_organisations_apart():
    assert name_key("西淀川区役所") != name_key("淀川区役所")


@given(st.text(max_size=40))
def test_name_key_is_idempotent(text):
    assert name_key(name_key(text)) == name_key(text)
