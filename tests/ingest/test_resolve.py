"""Name resolution across files, reviewed alias merges, merge candidates."""

from __future__ import annotations

import pandas as pd
import pytest

from ingest.load import load_dataset, prepare
from ingest.resolve import NameIndex, merge_candidates
from ingest.validate import IngestError

from .conftest import GOOD, TODAY, write_dataset


def test_names_spelled_differently_resolve_to_one_id(tmp_path):
    files = dict(GOOD)
    files["participations.csv"] = (
        "event_id,org_id\n"
        "R-E001,ReBORNさん\n"            # honorific
        "R-E001,ＲｅＢＯＲＮ\n"             # full width
        "R-E002,NPO法人 ReBORN\n"          # other legal form
        "地活協フォーラム,株式会社尼崎信用金庫様\n"  # event by name, org with form + honorific
    )
    files["collaborations.csv"] = "id,title,org_ids\nR-C001,見守り,尼崎信用金庫、 ReBORN\n"
    with pytest.raises(IngestError) as info:   # rows 2 and 3 are the same pair
        load_dataset(write_dataset(tmp_path / "dup", files), today=TODAY)
    assert info.value.failures["code"].tolist() == ["duplicate_id", "duplicate_id"]
    files["participations.csv"] = files["participations.csv"].replace(
        "R-E001,ＲｅＢＯＲＮ\n", "")
    ds = load_dataset(write_dataset(tmp_path / "names", files), today=TODAY)
    parts = ds.table("participations")
    assert parts[["event_id", "org_id"]].values.tolist() == [
        ["R-E001", "R-O001"], ["R-E002", "R-O001"], ["R-E002", "R-O002"]]
    assert ds.table("collaborations").loc[0, "org_ids"] == ["R-O002", "R-O001"]


def test_ambiguous_name_is_an_error_not_a_guess(tmp_path):
    files = dict(GOOD)
    files["organizations.csv"] += "R-O005,ReBORN,citizen_group,北区,,,,\n"
    files["participations.csv"] = "event_id,org_id\nR-E001,ReBORN様\n"
    with pytest.raises(IngestError) as info:
        load_dataset(write_dataset(tmp_path / "amb", files), today=TODAY)
    hit = info.value.failures.iloc[0]
    assert hit["code"] == "unknown_reference"
    assert "R-O001" in hit["message"] and "R-O005" in hit["message"]


def test_near_duplicates_are_candidates_not_merged(tmp_path):
    files = dict(GOOD)
    files["organizations.csv"] += "R-O009,NPO法人 ReBORN,npo,,,,,\n"
    files["organizations.csv"] += "R-O010,ＦＣ 大坂,company,,,,,\n"
    prepared = prepare(write_dataset(tmp_path / "near", files), today=TODAY)
    assert len(prepared.tables["organizations"]) == 6      # nothing merged
    pairs = prepared.candidates[["org_a", "org_b", "reason"]].values.tolist()
    assert ["R-O001", "R-O009", "same name key"] in pairs
    assert all({a, b} != {"R-O003", "R-O004"} for a, b, _ in pairs)
    fc = prepared.candidates[prepared.candidates["org_b"] == "R-O010"]
    assert fc["org_a"].tolist() == ["R-O004"] and 60 <= fc["score"].iloc[0] < 100 or fc.empty


def test_aliases_csv_applies_reviewed_merges(tmp_path):
    files = dict(GOOD)
    files["organizations.csv"] += "R-O009,リボーン,npo,西淀川区,,,,\n"
    files["participations.csv"] += "R-E002,R-O009\nR-E002,りぼーん\n".replace("りぼーん", "R-O003")
    files["collaborations.csv"] = "id,title,org_ids\nR-C001,体操,リボーン;R-O002\n"
    files["aliases.csv"] = "alias,org_id\nリボーン,R-O001\n"
    prepared = prepare(write_dataset(tmp_path / "alias", files), today=TODAY)
    orgs = prepared.tables["organizations"]
    assert "R-O009" not in set(orgs["id"])
    assert prepared.merges[["merged_id", "into_id"]].values.tolist() == [["R-O009", "R-O001"]]
    parts = prepared.tables["participations"]
    assert ("R-E002", "R-O001") in set(zip(parts["event_id"], parts["org_id"]))
    assert "R-O009" not in set(parts["org_id"])
    assert prepared.tables["collaborations"].loc[0, "org_ids"] == ["R-O001", "R-O002"]
    assert prepared.candidates.empty or "R-O009" not in set(prepared.candidates["org_b"])


def test_alias_to_unknown_org_is_reported(tmp_path):
    files = {**GOOD, "aliases.csv": "alias,org_id\nリボーン,R-O404\n"}
    with pytest.raises(IngestError) as info:
        load_dataset(write_dataset(tmp_path / "bad_alias", files), today=TODAY)
    hit = info.value.failures.iloc[0]
    assert (hit["file"], hit["row"], hit["column"], hit["code"]) == \
        ("aliases.csv", 2, "org_id", "unknown_reference")


def test_merge_candidates_large_path_matches_small_path():
    names = [f"まちづくり団体{i:04d}号" for i in range(40)] + ["まちづくり団体0007号さん"]
    orgs = pd.DataFrame({"id": [f"S-{i}" for i in range(len(names))], "name": names,
                         "ward": ""})
    exhaustive = merge_candidates(orgs, threshold=95)
    windowed = merge_candidates(orgs, threshold=95, exhaustive_limit=10)
    assert exhaustive[["org_a", "org_b"]].values.tolist() == [["S-7", "S-40"]]
    assert windowed[["org_a", "org_b"]].values.tolist() == [["S-7", "S-40"]]
    # Names that differ only in their numbers are different organisations.
    assert merge_candidates(orgs, threshold=80)[["org_a", "org_b"]].values.tolist() == [
        ["S-7", "S-40"]]


def test_name_index_resolves_in_bulk():
    orgs = pd.DataFrame({"id": ["R-1", "R-2"], "name": ["一般社団法人 あい", "(株)べー"]})
    resolved, reasons = NameIndex.from_orgs(orgs).resolve(
        pd.Series(["R-1", "あいさん", "べー", "しー", ""]))
    assert resolved.tolist() == ["R-1", "R-1", "R-2", "", ""]
    assert [bool(r) for r in reasons] == [False, False, False, True, False]


def test_an_id_and_a_name_of_one_organisation_are_one_key(tmp_path):
    # The duplicate check reuses the codes of the id look-up: an id given directly and the
    # same organisation given by name must get the same code.
    files = dict(GOOD)
    files["participations.csv"] = "event_id,org_id\nR-E001,R-O001\nR-E002,R-O001\nR-E001,ReBORNさん\n"
    with pytest.raises(IngestError) as info:
        load_dataset(write_dataset(tmp_path / "mixed", files), today=TODAY)
    found = info.value.failures
    assert found["code"].tolist() == ["duplicate_id", "duplicate_id"]
    assert found["row"].tolist() == [2, 4]
