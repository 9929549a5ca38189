"""`tsunagari suggest | evaluate | outcome | conversions | talents` end to end on a tiny dataset."""

from __future__ import annotations

import csv
import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from cli.main import main

WARDS = ("西淀川区", "此花区", "福島区")


@pytest.fixture(scope="module")
def dataset_dir(tmp_path_factory):
    """30 organisations, collaborations over FY2015–FY2020, a meetup series, a space offer."""
    root = tmp_path_factory.mktemp("ds")
    rng = np.random.default_rng(7)
    orgs = [{"id": "R-O00", "name": "=HYPERLINK(\"x\")", "kind": "other", "ward": "西淀川区",
             "orientation": "", "fields": "", "founded": "2010-01-01"}]
    for i in range(1, 30):
        thematic = i % 2 == 0
        orgs.append({"id": f"R-O{i:02d}", "name": f"{'NPO法人' if thematic else ''}団体{i:02d}",
                     "kind": "npo" if thematic else "neighbourhood_association",
                     "ward": WARDS[i % 3], "orientation": "thematic" if thematic else "territorial",
                     "fields": "13" if i % 4 == 0 else ("1;3" if thematic else ""),
                     "founded": "2010-01-01"})
    collabs = []
    for c in range(90):
        a, b = rng.choice(np.arange(1, 30), size=2, replace=False)
        day = dt.date(2015, 4, 1) + dt.timedelta(days=int(rng.integers(0, 6 * 365)))
        collabs.append({"id": f"R-C{c:03d}", "title": f"連携{c}", "start_date": day.isoformat(),
                        "org_ids": f"R-O{a:02d};R-O{b:02d}"})
    events = [{"id": f"R-E{k}", "name": f"にしよどリンク 第{k}回", "kind": "meetup",
               "ward": "西淀川区", "date": f"{2016 + k // 6}-{2 * (k % 6) + 1:02d}-10"}
              for k in range(12)]
    parts = [{"event_id": f"R-E{k}", "org_id": f"R-O{(3 * k + j) % 29 + 1:02d}"}
             for k in range(12) for j in range(3)]
    resources = [{"id": "R-R1", "provider_id": "R-O03", "kind": "space", "title": "スペース",
                  "offered_on": "2016-04-01"}]
    talents = [{"id": "R-T1", "skills": "facilitation;design"}, {"id": "R-T2", "skills": "accounting"}]
    dispatches = [{"id": "R-D1", "org_id": "R-O05", "talent_id": "R-T1", "start_date": "2017-05-01",
                   "purpose": "話し合いのファシリテーション"}]
    for name, rows in (("organizations", orgs), ("collaborations", collabs), ("events", events),
                       ("participations", parts), ("resources", resources),
                       ("talents", talents), ("dispatches", dispatches)):
        pd.DataFrame(rows).to_csv(root / f"{name}.csv", index=False)
    return root


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_suggest_by_name_prints_reasons_with_records(dataset_dir, capsys):
    code, out, err = _run(capsys, "suggest", "団体04さん", "--dataset", dataset_dir, "--json",
                          "--top", "3", "--goal", "bridge")
    assert code == 0, err
    data = json.loads(out)
    assert data["suggestions"], data
    ids = ({f"collaborations:R-C{c:03d}" for c in range(90)} | {f"events:R-E{k}" for k in range(12)}
           | {f"organizations:R-O{i:02d}" for i in range(30)} | {"resources:R-R1", "dispatches:R-D1"})
    for s in data["suggestions"]:
        assert s["org"] == "R-O04" and s["reasons"]
        for r in s["reasons"]:
            assert r["evidence"] and set(r["evidence"]) <= ids


def test_unknown_name_is_exit_2_with_closest_matches(dataset_dir, capsys):
    code, out, err = _run(capsys, "suggest", "団体4x", "--dataset", dataset_dir)
    assert code == 2
    assert "unknown organisation" in err and "Closest" in err and "団体" in err


def test_bridge_and_work_list_are_escaped(dataset_dir, tmp_path, capsys):
    path = tmp_path / "list.csv"
    code, out, err = _run(capsys, "suggest", "--all", "--goal", "bridge", "--top", "2",
                          "--dataset", dataset_dir, "--out", path, "--default-weights")
    assert code == 0, err
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and {r["status"] for r in rows} == {"proposed"}
    names = {r["org_name"] for r in rows} | {r["partner_name"] for r in rows}
    assert not any(n.startswith("=") for n in names)
    xlsx = tmp_path / "list.xlsx"
    assert _run(capsys, "suggest", "R-O00", "--dataset", dataset_dir, "--out", xlsx,
                "--default-weights")[0] == 0
    assert pd.read_excel(xlsx)["org_name"].iloc[0].startswith("'=")


def test_evaluate_json_has_the_documented_shape(dataset_dir, capsys):
    code, out, err = _run(capsys, "evaluate", "--dataset", dataset_dir, "--train-until", "FY2018",
                          "--test-until", "FY2020", "--k", "5", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == ["k", "train_until", "test_until", "new_ties", "organisations",
                          "methods", "calibration", "warnings"]
    assert data["k"] == 5 and data["train_until"] == "2019-03-31"
    assert data["test_until"] == "2021-03-31" and data["new_ties"] > 0
    assert list(data["methods"]) == ["model", "random", "common_neighbours",
                                     "preferential_attachment", "adamic_adar",
                                     "resource_allocation", "jaccard"]
    cal = data["calibration"]
    assert cal["method"] and cal["reason"] and max(cal["weights"].values()) == 1.0
    assert all({"graph_at", "labels_until", "new_ties", "role"} <= set(f) for f in cal["folds"])
    code, out, err = _run(capsys, "evaluate", "--dataset", dataset_dir, "--train-until", "FY2018",
                          "--test-until", "FY2020", "--k", "5")
    assert f"calibration: {cal['method']}" in out and "why: " in out
    assert set(data["methods"]["model"]) == {"precision_at_k", "recall_at_k", "map", "auc"}
    assert _run(capsys, "evaluate", "--dataset", dataset_dir, "--train-until", "soon",
                "--test-until", "FY2020")[0] == 2


def test_outcomes_survive_a_restart_and_show_in_conversions(dataset_dir, tmp_path, capsys):
    store = tmp_path / "outcomes.duckdb"
    ds = pd.read_csv(dataset_dir / "collaborations.csv")
    late = ds.sort_values("start_date").iloc[-1]          # a tie dated 2021
    a, b = late["org_ids"].split(";")
    early = ds.sort_values("start_date").iloc[0]
    c, d = early["org_ids"].split(";")
    assert _run(capsys, "outcome", a, b, "--status", "introduced", "--on", "2019-04-01",
                "--store", store)[0] == 0
    assert _run(capsys, "outcome", "R-O00", "R-O01", "--status", "declined", "--on", "2019-04-01",
                "--store", store)[0] == 0
    # reopen: a new command reads the store from disk
    from ingest.store import read_outcomes

    assert len(read_outcomes(store)) == 2
    code, out, err = _run(capsys, "conversions", "--store", store, "--dataset", dataset_dir,
                          "--json")
    assert code == 0, err
    report = json.loads(out)
    pairs = {(p["org_a"], p["org_b"]): p for p in report["pairs"]}
    assert pairs[(a, b)]["converted"] is True
    assert pairs[("R-O00", "R-O01")]["converted"] is False
    total = next(s for s in report["summary"] if s["status"] == "all")
    assert total["introductions"] == 2 and total["converted"] == 1
    with pytest.raises(SystemExit) as stop:                # argparse: not a status
        main(["outcome", c, d, "--status", "maybe", "--store", str(store)])
    assert stop.value.code == 2
    assert _run(capsys, "outcome", c, c, "--status", "declined", "--store", store)[0] == 2


def test_outcomes_from_a_filled_work_list(dataset_dir, tmp_path, capsys):
    store = tmp_path / "s.duckdb"
    sheet = tmp_path / "filled.csv"
    pd.DataFrame({"org_id": ["R-O01", "R-O02"], "partner_id": ["R-O03", "R-O04"],
                  "status": ["partnered", ""], "date": ["2020-01-05", ""], "note": ["", ""],
                  "goal": ["bridge", ""], "score": ["0.5", ""]}).to_csv(sheet, index=False)
    code, out, err = _run(capsys, "outcome", "--from", sheet, "--store", store)
    assert code == 0, err and "recorded 1" in out
    from ingest.store import read_outcomes

    got = read_outcomes(store)
    assert got[["org_a", "org_b", "status"]].values.tolist() == [["R-O01", "R-O03", "partnered"]]


def test_talents_for_a_request(dataset_dir, capsys):
    code, out, err = _run(capsys, "talents", "--org", "R-O05", "--skills", "ファシリテーション",
                          "--dataset", dataset_dir, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert [t["talent_id"] for t in data["talents"]] == ["R-T1"]
    assert "dispatches:R-D1" in {e for r in data["talents"][0]["reasons"] for e in r["evidence"]}


def test_suggest_uses_default_weights_unless_asked_to_calibrate(dataset_dir, capsys):
    code, out, err = _run(capsys, "suggest", "R-O04", "--dataset", dataset_dir, "--json")
    assert code == 0, err
    assert json.loads(out)["calibration"] == "default"
    code, out, err = _run(capsys, "suggest", "R-O04", "--dataset", dataset_dir, "--json",
                          "--calibrate")
    assert code == 0, err
    assert json.loads(out)["calibration"] != "default"
    code, out, err = _run(capsys, "suggest", "R-O04", "--dataset", dataset_dir, "--calibrate",
                          "--weights", "common_neighbours=1")
    assert code == 2 and "--calibrate" in err


@pytest.mark.slow
def test_calibrated_weights_are_cached_per_store_version(dataset_dir, tmp_path, capsys):
    from cli.suggest_cmd import weights_cache_path
    from ingest.store import ingest_dataset, store_version

    store = tmp_path / "city.duckdb"
    ingest_dataset(dataset_dir, store=store)
    cache = weights_cache_path(store)
    code, out, err = _run(capsys, "suggest", "R-O04", "--store", store, "--json", "--calibrate")
    assert code == 0, err
    fitted = json.loads(out)["weights"]
    saved = json.loads(cache.read_text(encoding="utf-8"))
    assert saved["store_version"] == store_version(store) and saved["seed"] == 0
    assert not list(tmp_path.glob("*.tmp"))                 # written via a temporary file
    # the next call reads the cache: a planted weighting comes back as it is
    saved["calibration"]["weights"] = {"same_ward": 1.0}
    cache.write_text(json.dumps(saved), encoding="utf-8")
    code, out, err = _run(capsys, "suggest", "R-O04", "--store", store, "--json", "--calibrate")
    assert code == 0, err
    assert json.loads(out)["weights"] == {"same_ward": 1.0}
    # another seed, or a changed store, refits
    assert json.loads(_run(capsys, "suggest", "R-O04", "--store", store, "--json",
                           "--calibrate", "--seed", "1")[1])["weights"] != {"same_ward": 1.0}
    assert json.loads(cache.read_text(encoding="utf-8"))["seed"] == 1
    assert _run(capsys, "outcome", "R-O01", "R-O02", "--status", "introduced", "--on",
                "2021-01-01", "--store", store)[0] == 0
    code, out, err = _run(capsys, "suggest", "R-O04", "--store", store, "--json", "--calibrate")
    assert code == 0, err
    assert json.loads(out)["weights"] == fitted
    assert json.loads(cache.read_text(encoding="utf-8"))["store_version"] == store_version(store)


def test_fewer_suggestions_than_asked_are_explained(capsys):
    """尼崎信用金庫 in the report's records: three partners have a reason backed by records;
    asked for five, the command says why it shows three."""
    from pathlib import Path

    real = Path(__file__).resolve().parents[2] / "data" / "osaka" / "real"
    assert main(["suggest", "尼崎信用金庫", "--dataset", str(real), "--top", "5"]) == 0
    out = capsys.readouterr().out
    assert out.count(" → #") == 3
    assert "only 3 of the 5 asked" in out and "--goal bridge" in out
    assert main(["suggest", "尼崎信用金庫", "--dataset", str(real), "--top", "3"]) == 0
    assert "of the 3 asked" not in capsys.readouterr().out
