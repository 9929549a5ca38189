"""Matching needs to offers on hand-made cases with hand-worked answers."""

from __future__ import annotations

import pandas as pd
import pytest

from graph.errors import GraphError
from graph.introductions import (
    consultation_need,
    evaluate_matches,
    example_later_dataset,
    example_match_dataset,
    match,
    open_needs,
)
from ingest.schemas import Dataset


def test_offer_that_fits_the_need_is_in_the_top_3_with_its_reason():
    ds = example_match_dataset()
    top = match(ds, consultation_need(ds, "K1"), top=3)
    offers = [m for m in top if m.kind == "offer"]
    assert [m.id for m in offers] == ["R1"]              # the room (R2) does not fit 広報
    best = offers[0]
    assert best.reasons[0].code == "offer_fits"
    assert best.reasons[0].evidence == ("resources:R1",)
    assert "広報チラシ作成支援" in best.reasons[0].ja and "offers" in best.reasons[0].en
    # P1 is in the asker's ward and shares one partner (G3) with G1: 1 + 0.5 + 0.3 · 1/2 + 0.3/2
    assert best.proximity == "same" and best.distance == 2
    assert best.score == pytest.approx(1 + 0.5 + 0.15 + 0.15)
    codes = [r.code for r in best.reasons]
    assert codes == ["offer_fits", "same_ward", "shared_partners", "near_in_network"]
    assert best.reasons[2].en == "worked with 1 of your partners"


def test_organisation_that_solved_the_same_need_and_a_talent_are_proposed():
    ds = example_match_dataset()
    by_id = {m.id: m for m in match(ds, consultation_need(ds, "K1"))}
    assert by_id["G3"].kind == "organisation"
    assert by_id["G3"].reasons[0].code == "solved_before"
    assert by_id["G3"].reasons[0].evidence == ("consultations:K0",)
    assert by_id["G3"].proximity == "neighbour"          # 此花区 borders 西淀川区
    assert by_id["T1"].kind == "talent"
    assert "G2" not in by_id                             # nothing about 広報
    assert "G1" not in by_id                             # never the asker itself


def test_a_venue_need_finds_the_room_not_the_flyers():
    ds = example_match_dataset()
    need = consultation_need(ds, "K1")._replace(topics=("venue",))
    result = match(ds, need)
    assert [(m.kind, m.id) for m in result] == [("offer", "R2")]


def test_records_after_the_need_are_not_used():
    ds = example_match_dataset()
    need = consultation_need(ds, "K1")._replace(on=pd.Timestamp("2019-03-01"))
    assert "R1" not in {m.id for m in match(ds, need)}     # offered on 2019-04-01


def test_open_needs_and_errors():
    ds = example_match_dataset()
    assert open_needs(ds, "G1").topics == ("publicity",)
    with pytest.raises(GraphError, match="no open consultation"):
        open_needs(ds, "G3")                               # K0 is answered
    with pytest.raises(GraphError, match="no consultation with id"):
        consultation_need(ds, "nope")
    with pytest.raises(GraphError, match="has no topic"):
        match(ds, consultation_need(ds, "K1")._replace(topics=()))


def test_evaluation_counts_a_matched_offer_that_became_a_tie():
    ev = evaluate_matches(example_later_dataset(), split="2019-06-30", k=1)
    # K0 (G3, 2018) and K1 (G1): only G1 forms a new tie later (with P1, the 広報 offer's provider)
    assert ev.positives == 1
    assert ev.table.loc["match", "hits"] == 1
    assert set(ev.table.index) == {"match", "same_ward", "most_active", "random"}
    assert (ev.table["consultations"] == 2).all()
    with pytest.raises(GraphError, match="before split"):
        evaluate_matches(example_later_dataset(), split="2019-06-30", until="2019-01-01")


def test_an_empty_dataset_has_nothing_to_evaluate():
    ev = evaluate_matches(Dataset({}), split="2019-06-30")
    assert ev.table["consultations"].tolist() == [0, 0, 0, 0]


def test_a_talent_is_labelled_with_its_skills_in_japanese():
    """The label is what the 相談 view shows in its Japanese table: never a raw skill key."""
    ds = example_match_dataset()
    talents = pd.DataFrame({"id": ["T1"], "skills": ["ファシリテーション;会計"], "synthetic": [False]})
    ds = Dataset({**ds.tables, "talents": talents})
    need = consultation_need(ds, "K1")._replace(topics=("partnership", "funding"))
    talent = next(m for m in match(ds, need) if m.kind == "talent")
    assert talent.label == "会計、ファシリテーション"


def test_a_consultation_without_a_desk_ward_takes_the_askers_ward():
    """Ward proximity still counts when the desk's ward was not written down."""
    ds = example_match_dataset()
    table = ds.table("consultations").copy()
    table.loc[table["id"] == "K1", "ward"] = ""
    ds = Dataset({**ds.tables, "consultations": table})
    need = consultation_need(ds, "K1")
    assert need.ward == "西淀川区"                        # G1's ward
    assert open_needs(ds, "G1").ward == "西淀川区"
    best = match(ds, need)[0]
    assert best.id == "R1" and best.proximity == "same"
