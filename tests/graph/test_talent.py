"""Talent matching: skills, past dispatches, cited reasons, pseudonymous ids only."""

from __future__ import annotations

import pytest

from graph.errors import GraphError
from graph.introductions import example_talent_dataset, match_talents, skill_key


def test_skill_names_in_japanese_and_english_coincide():
    assert skill_key("ファシリテーション") == skill_key("Facilitation") == "facilitation"
    assert skill_key("広報") == skill_key("PR") == "pr"


def test_request_ranks_skill_and_history():
    ds = example_talent_dataset()
    out = match_talents(ds, skills=["ファシリテーション"], org="G1")
    # T2 lists the skill, was dispatched to G1 for facilitation and to a similar council;
    # T1 lists the skill only. T3 (accounting) is not offered.
    assert [m.talent_id for m in out] == ["T2", "T1"]
    assert out[0].matched_skills == ("facilitation",)
    assert out[0].score > out[1].score
    codes = [r.code for r in out[0].reasons]
    assert codes[0] == "skill" and {"familiar", "purpose", "similar_groups"} <= set(codes)
    familiar = next(r for r in out[0].reasons if r.code == "familiar")
    assert familiar.evidence == ("dispatches:D1",)


def test_every_match_cites_existing_records():
    ds = example_talent_dataset()
    known = ({f"talents:{t}" for t in ds.table("talents")["id"]}
             | {f"dispatches:{d}" for d in ds.table("dispatches")["id"]})
    for skills in (["design"], ["会計"], ["facilitation", "PR"], []):
        for m in match_talents(ds, skills=skills, org="G3", top=10):
            assert m.reasons
            for r in m.reasons:
                assert r.evidence and set(r.evidence) <= known


def test_past_purpose_counts_without_the_listed_skill():
    ds = example_talent_dataset()
    # nobody lists 会議進行 (facilitation), T2's dispatch D1 was for 話し合いのファシリテーション
    out = match_talents(ds, skills=["会議進行"])
    assert out[0].talent_id == "T2"


def test_unmatched_request_gives_nothing():
    assert match_talents(example_talent_dataset(), skills=["書道"]) == []


def test_only_pseudonymous_ids_leave_the_function():
    out = match_talents(example_talent_dataset(), skills=["design"], org="G3")
    assert all(m.talent_id.startswith("T") for m in out)
    assert all("御幣島" not in r.ja for m in out for r in m.reasons)


@pytest.mark.parametrize("kwargs, message", [
    ({"skills": ["pr"], "org": "nobody"}, "not in the dataset"),
    ({}, "give the skills"),
    ({"skills": ["pr"], "top": 0}, "at least 1"),
    ({"skills": ["pr"], "weights": {"charm": 1}}, "unknown talent signal"),
])
def test_bad_requests(kwargs, message):
    with pytest.raises(GraphError, match=message):
        match_talents(example_talent_dataset(), **kwargs)
