"""Synthetic consultations: the report's two counts, its topic mix, and a valid dataset."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pytest

from ingest.load import load_dataset
from synth.consultations import simulate_consultations
from synth.generator import generate
from synth.population import KIND, Region, build_population


@pytest.fixture(scope="module")
def city():
    pop = build_population(np.random.default_rng(3), Region.osaka(), first_fy=2017,
                           last_fy=2020, seed=3)
    rec = simulate_consultations(np.random.default_rng(4), pop, Region.osaka(),
                                 first_fy=2017, last_fy=2020)
    return pop, rec


def test_counts_match_the_report(city):
    _, rec = city
    dates = rec["date"]
    assert dates.min() >= np.datetime64("2017-12-01")          # desks opened Dec 2017
    fy2018 = (dates >= np.datetime64("2018-04-01")) & (dates <= np.datetime64("2019-03-31"))
    to_august = (dates >= np.datetime64("2019-04-01")) & (dates <= np.datetime64("2019-08-31"))
    assert (int(fy2018.sum()), int(to_august.sum())) == (168, 72)


def test_topic_mix_follows_the_report_wording(city):
    pop, rec = city
    company = np.array([o >= 0 and pop.kind[o] == KIND["company"] for o in rec["org"]])
    group_topics = Counter(t for text in rec["topics"][~company] for t in text.split(";"))
    ranked = [t for t, _ in group_topics.most_common(3)]
    assert ranked == ["広報", "助成金", "連携"]
    assert "企業の社会貢献" not in group_topics
    assert all("企業の社会貢献" in text for text in rec["topics"][company])
    assert 0.1 < (rec["org"] < 0).mean() < 0.3          # individuals / unregistered groups


def test_generated_consultations_validate_and_refer_to_generated_orgs(tmp_path):
    out = tmp_path / "ward"
    counts = generate(out, scale="ward", seed=2, first_fy=2018, last_fy=2019)
    assert counts["consultations"] == round(168 / 24) + round(72 / 24) + round(101 / 24)
    table = load_dataset(out, today=dt.date(2026, 1, 1)).table("consultations")
    assert set(table["ward"]) == {"西淀川区"}
    assert set(table["status"]) <= {"open", "answered", "closed"}
    assert table["topics"].map(len).min() >= 1
    assert table["id"].str.startswith("S-K").all()
