"""One vocabulary and one fiscal-year rule: every module that needs them gives the same answer.

The fiscal year (1 April – 31 March) is written once, in ``ingest.fiscal``; the NPO fields'
English names and the orientation rule once, in ``ingest.vocabulary``. These tests check that
the places that used to carry their own copy (the dashboard's field names, the reasons of
introductions, the temporal periods, the isolated rule, the synthetic calendar) now agree.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from graph import introductions
from graph import time as graph_time
from graph.findings import isolation_cutoff
from ingest import normalise
from ingest.fiscal import calendar_year, fiscal_year, fiscal_year_bounds, fiscal_years
from ingest.schemas import NPO_FIELDS
from ingest.vocabulary import NPO_FIELDS_EN, orientation_of
from synth.population import fy_end, fy_start

DAYS = [dt.date(2019, 3, 31), dt.date(2019, 4, 1), dt.date(2020, 1, 1), dt.date(2020, 12, 31),
        dt.date(1989, 1, 8), dt.date(2000, 2, 29)]


def test_every_module_applies_the_same_fiscal_year_rule():
    expected = [2018, 2019, 2019, 2020, 1988, 1999]
    assert [fiscal_year(d) for d in DAYS] == expected
    assert [normalise.fiscal_year(d) for d in DAYS] == expected
    assert [isolation_cutoff(d, 1) for d in DAYS] == [dt.date(y, 4, 1) for y in expected]
    assert [graph_time.period_of(d).label for d in DAYS] == [f"FY{y}" for y in expected]
    assert fiscal_years(pd.to_datetime(DAYS).to_numpy()).tolist() == expected
    for fy in (1988, 2019, 2024):
        first, last = fiscal_year_bounds(fy)
        assert (first, last) == normalise.fiscal_year_bounds(fy)
        period = graph_time.fiscal_period(fy)
        assert (period.start, period.end) == (first, last)
        assert (fy_start(fy), fy_end(fy)) == (np.datetime64(first), np.datetime64(last))
        assert fiscal_year(first) == fiscal_year(last) == fy
        assert fiscal_year(last + dt.timedelta(days=1)) == fy + 1
    assert [calendar_year(2019, m) for m in (4, 12, 1, 3)] == [2019, 2019, 2020, 2020]


def test_one_english_name_per_npo_field_in_the_ui_and_in_reasons():
    from dashboards._i18n import field_label

    assert set(NPO_FIELDS_EN) == set(NPO_FIELDS)
    for number, name in NPO_FIELDS_EN.items():
        assert name in field_label(number, lang="en")
        assert introductions.FIELDS_EN[number] == name.lower()
    assert NPO_FIELDS_EN[13] == "Children and youth"


def test_orientation_is_the_record_else_what_the_kind_implies():
    assert orientation_of("council") == orientation_of("neighbourhood_association") == "territorial"
    assert orientation_of("npo") == orientation_of("citizen_group") == "thematic"
    assert orientation_of("company") is None and orientation_of("npo", "territorial") == "territorial"
    assert introductions.orientation_sign({"kind": "council"}) == 1
    assert introductions.orientation_sign({"kind": "npo", "orientation": ""}) == -1
    assert introductions.orientation_sign({"kind": "company"}) == 0
