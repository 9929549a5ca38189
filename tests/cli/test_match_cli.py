"""`tsunagari match` and `match-outcome` on a hand-made dataset folder."""

from __future__ import annotations

import json

import pytest

from cli.main import main
from ingest.match_outcomes import read_match_outcomes
from ingest.store import ingest_dataset

FILES = {
    "organizations.csv": "id,name,kind,ward\nG1,にしよど子ども食堂,citizen_group,西淀川区\n"
                         "G3,ReBORN,npo,此花区\nP1,尼崎信用金庫,company,西淀川区\n",
    "collaborations.csv": "id,title,org_ids,start_date\nC1,食堂,G1;G3,2019-01-01\n"
                          "C2,見守り,G3;P1,2019-02-01\n",
    "resources.csv": "id,provider_id,kind,title,offered_on\nR1,P1,skills,広報チラシ作成支援,2019-04-01\n"
                     "R2,P1,space,会議室の貸出,2019-04-01\n",
    "consultations.csv": "id,org_id,ward,date,topics,status\nK1,G1,西淀川区,2019-06-01,広報,受付中\n",
}


def _folder(tmp_path):
    folder = tmp_path / "ds"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_match_json_puts_the_fitting_offer_first(tmp_path, capsys):
    assert main(["match", "K1", "--dataset", str(_folder(tmp_path)), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["need"]["topics"] == ["publicity"]
    first = out["matches"][0]
    assert (first["kind"], first["id"], first["reasons"][0]["code"]) == ("offer", "R1", "offer_fits")
    assert "R2" not in [m["id"] for m in out["matches"]]


def test_match_by_org_prints_reasons(tmp_path, capsys):
    assert main(["match", "--org", "にしよど子ども食堂", "--dataset", str(_folder(tmp_path))]) == 0
    text = capsys.readouterr().out
    assert "#1 offer R1 広報チラシ作成支援" in text and "同じ区（西淀川区）" in text


def test_match_errors_are_exit_2(tmp_path, capsys):
    folder = str(_folder(tmp_path))
    assert main(["match", "--dataset", folder]) == 2
    assert main(["match", "K9", "--dataset", folder]) == 2
    assert "no consultation with id 'K9'" in capsys.readouterr().err
    assert main(["match", "--evaluate", "--dataset", folder]) == 2


def test_match_outcome_is_recorded_with_the_provider(tmp_path, capsys):
    store = tmp_path / "s.duckdb"
    ingest_dataset(_folder(tmp_path), store=store)
    assert main(["match-outcome", "K1", "offer", "R1", "--status", "introduced",
                 "--on", "2019-07-01", "--store", str(store)]) == 0
    frame = read_match_outcomes(store)
    assert frame[["org_a", "org_b", "consultation", "kind", "helper"]].values.tolist() == \
        [["G1", "P1", "K1", "offer", "R1"]]
    assert main(["match-outcome", "K1", "offer", "R9", "--status", "introduced",
                 "--store", str(store)]) == 2
    assert "unknown id(s): resources R9" in capsys.readouterr().err


def test_match_evaluate_json(tmp_path, capsys):
    assert main(["match", "--evaluate", "--split", "2019-12-31", "--dataset",
                 str(_folder(tmp_path)), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [m["method"] for m in out["methods"]] == ["match", "same_ward", "most_active", "random"]


def test_as_of_leaves_out_later_offers(tmp_path, capsys):
    assert main(["match", "K1", "--dataset", str(_folder(tmp_path)), "--json",
                 "--as-of", "2019-03-31"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "R1" not in [m["id"] for m in out["matches"]]        # offered 2019-04-01


def test_outcome_of_an_individual_s_consultation_and_a_talent(tmp_path):
    from ingest.match_outcomes import record_match_outcome

    files = dict(FILES)
    files["consultations.csv"] += "K2,,西淀川区,2019-06-02,広報,\n"
    files["talents.csv"] = "id,skills\nT-1,広報\n"
    folder = tmp_path / "ds2"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = tmp_path / "s.duckdb"
    ingest_dataset(folder, store=store)
    record_match_outcome(store, consultation="K2", kind="talent", helper="T-1",
                         status="proposed", on="2019-06-10")
    row = read_match_outcomes(store).iloc[0]
    assert (row["org_a"], row["org_b"], row["kind"]) == ("K2", "T-1", "talent")
    with pytest.raises(ValueError, match="talents T-9"):
        record_match_outcome(store, consultation="K2", kind="talent", helper="T-9",
                             status="proposed")
    with pytest.raises(ValueError, match="kind 'room'"):
        record_match_outcome(store, consultation="K2", kind="room", helper="T-1",
                             status="proposed")


def test_match_problems_are_reported_like_suggest_without_a_traceback(tmp_path, capsys):
    """One error path for both commands: a missing store, a bad --as-of, an unknown helper."""
    absent = tmp_path / "absent.duckdb"
    assert main(["match", "K1", "--store", str(absent)]) == 1            # EXIT_STORE
    assert "no store at" in capsys.readouterr().err
    assert main(["match-outcome", "K1", "offer", "R1", "--status", "introduced",
                 "--store", str(absent)]) == 2
    assert "no store at" in capsys.readouterr().err
    assert not absent.exists()                    # no empty store made to hold the outcome
    folder = str(_folder(tmp_path))
    assert main(["match", "K1", "--dataset", folder, "--as-of", "not a date"]) == 2
    assert "cannot read 'not a date' as a date" in capsys.readouterr().err
    assert main(["match", "K1", "--dataset", folder, "--json", "--as-of", "平成31年3月31日"]) == 0
    assert "R1" not in capsys.readouterr().out                # offered 2019-04-01
    assert main(["match", "K1", "--org", "G1", "--dataset", folder]) == 2
    assert "one of them" in capsys.readouterr().err
