"""Evaluation on a later period, calibration, conversions."""

from __future__ import annotations

import datetime as dt
import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graph.errors import GraphError
from graph.introductions import (
    build_signals,
    calibrate,
    conversion_report,
    dated_karate,
    evaluate,
    evaluate_graph,
    example_graph,
    new_ties,
    parse_cutoff,
    ranking_metrics,
)
from ingest.schemas import Dataset

BASELINES = ("random", "common_neighbours", "preferential_attachment", "adamic_adar",
             "resource_allocation", "jaccard")


def test_metrics_by_hand():
    # A ranks D (2 shared partners) first and E (none) last; both are new partners.
    sig = build_signals(example_graph())
    got = ranking_metrics(sig, {0: np.array([3, 4])}, {"cn": {"common_neighbours": 1.0}}, k=1)
    # ranking of A's candidates {D, E}: D rank 1, E rank 2 → P@1 = 1, R@1 = 1/2,
    # AP = (1/1 + 2/2) / 2 = 1, AUC: no negatives → 0.5
    assert got["cn"] == pytest.approx((1.0, 0.5, 1.0, 0.5))
    # E's only new partner is A (field, ward next door) against B, C, D
    got = ranking_metrics(sig, {4: np.array([0])}, {"f": {"shared_fields": 1.0}}, k=2)
    assert got["f"] == pytest.approx((0.5, 1.0, 1.0, 1.0))


def test_cutoffs():
    assert parse_cutoff("FY2018") == dt.date(2019, 3, 31)
    assert parse_cutoff("2019-06-30") == dt.date(2019, 6, 30)
    with pytest.raises(GraphError, match="fiscal year"):
        parse_cutoff("later")
    with pytest.raises(GraphError, match="must come after"):
        evaluate_graph(dated_karate(), train_until="FY2019", test_until="FY2018")


def test_new_ties_are_among_organisations_present_before():
    before = nx.Graph([("a", "b")])
    after = nx.Graph([("a", "b"), ("a", "c"), ("b", "x")])
    before.add_node("c")
    assert new_ties(before, after) == [("a", "c")]


def test_evaluation_is_deterministic_and_json_shaped():
    G = dated_karate(seed=5)
    one = evaluate_graph(G, train_until="FY2018", test_until="FY2019", k=10, seed=2).to_dict()
    two = evaluate_graph(G, train_until="FY2018", test_until="FY2019", k=10, seed=2).to_dict()
    assert one == two
    assert list(one) == ["k", "train_until", "test_until", "new_ties", "organisations",
                         "methods", "calibration", "warnings"]
    assert {"method", "scheme", "folds", "weights", "reason"} <= set(one["calibration"])
    assert one["train_until"] == "2019-03-31" and one["test_until"] == "2020-03-31"
    assert list(one["methods"]) == ["model", *BASELINES]
    for scores in one["methods"].values():
        assert list(scores) == ["precision_at_k", "recall_at_k", "map", "auc"]
        assert all(0.0 <= x <= 1.0 for x in scores.values())
    json.dumps(one)


@pytest.mark.slow
def test_model_holds_its_own_on_structure_only_data():
    """Karate club, random tie dates: MAP at least 95% of the best single baseline's,
    averaged over seeds (the figure in docs/benchmarks/suggest.md uses 20 seeds)."""
    maps = {name: [] for name in ("model", *BASELINES)}
    for seed in range(6):
        ev = evaluate_graph(dated_karate(seed=seed), train_until="FY2018",
                            test_until="FY2019", k=10, seed=seed)
        for name, s in ev.methods.items():
            maps[name].append(s.map)
    mean = {name: float(np.mean(v)) for name, v in maps.items()}
    best = max(mean[b] for b in BASELINES if b != "random")
    assert mean["model"] >= 0.95 * best, mean
    assert mean["model"] > mean["random"]


def _growth_graph(seed: int) -> nx.Graph:
    """Every year each organisation's new partners are the most popular ones: new ties go
    to high-degree organisations, never to friends of friends."""
    rng = np.random.default_rng(seed)
    G = nx.Graph()
    n = 60
    G.add_nodes_from(f"P{i:02d}" for i in range(n))
    nodes = list(G)
    popularity = rng.pareto(1.2, n) + 0.1
    for year in range(2014, 2021):
        for u in nodes:
            weights = popularity / popularity.sum()
            v = nodes[int(rng.choice(n, p=weights))]
            if v != u and not G.has_edge(u, v):
                day = dt.date(year, 6, 1)
                G.add_edge(u, v, evidence=(f"collaborations:{u}{v}",), first_date=day,
                           last_date=day)
    return G


def test_calibration_reduces_to_popularity_when_popularity_drives_growth():
    G = _growth_graph(1)
    ev = evaluate_graph(G, train_until="2019-12-31", test_until="2020-12-31", k=10)
    weights = ev.calibration.weights
    assert max(weights, key=weights.get) == "preferential_attachment"
    assert ev.methods["model"].map >= 0.95 * ev.methods["preferential_attachment"].map


def test_too_little_history_falls_back_to_defaults():
    G = example_graph()
    cal = calibrate(G, [("A", "D")])
    assert cal.method == "default" and "only 1" in cal.note


def test_evaluate_on_a_dataset_uses_the_tie_graph_snapshots():
    from graph.build import example_dataset

    ds = example_dataset()
    ev = evaluate(ds, train_until="2019-05-31", test_until="FY2019", k=2)
    # C's first record is E2 on 2019-06-01: without `founded` it is not present at T
    assert ev.new_ties == 0 and "no founded date" in ev.warnings[0]
    orgs = ds.table("organizations").copy()
    orgs["founded"] = pd.to_datetime(["2010-01-01"] * 5)
    founded = Dataset({**ds.tables, "organizations": orgs})
    ev = evaluate(founded, train_until="2019-05-31", test_until="FY2019", k=2)
    assert ev.new_ties == 2 and ev.warnings == ()  # A–C and B–C, C present since 2010
    assert set(ev.methods) == {"model", *BASELINES}


def test_conversion_report_counts_ties_after_the_outcome():
    G = example_graph()  # every tie dated 2019-04-01
    outcomes = pd.DataFrame({
        "org_a": ["A", "B", "A", "C"], "org_b": ["D", "A", "D", "D"],
        "status": ["proposed", "introduced", "introduced", "partnered"],
        "on": ["2019-01-01", "2019-03-01", "2019-02-01", "2019-05-01"],
    })
    report = conversion_report(outcomes, G)
    pairs = report.pairs.set_index(["org_a", "org_b"])
    assert len(pairs) == 3                                   # A–D counted once (latest)
    assert pairs.loc[("A", "D"), "status"] == "introduced"
    assert bool(pairs.loc[("B", "A"), "converted"]) is True  # tie dated after 2019-03-01
    assert bool(pairs.loc[("C", "D"), "converted"]) is False  # tie only before 2019-05-01
    assert bool(pairs.loc[("A", "D"), "converted"]) is False  # no tie
    assert report.summary.loc["all", "converted"] == 1
    assert report.summary.loc["introduced", "introductions"] == 2


def test_conversion_report_refuses_a_malformed_frame():
    with pytest.raises(GraphError, match="missing column"):
        conversion_report(pd.DataFrame({"org_a": []}), example_graph())


def test_held_out_map_is_the_exact_map_when_nothing_is_sampled_away():
    from graph.introductions import FEATURES
    from graph.introductions.fitting import ap_sum, hold

    G = dated_karate(seed=4)
    before = nx.Graph([(u, v) for u, v, d in G.edges(data=True)
                       if d["first_date"] <= dt.date(2018, 3, 31)])
    before.add_nodes_from(G)
    sig = build_signals(before)
    pos = {sig.index[u]: [] for pair in new_ties(before, G) for u in pair}
    for u, v in new_ties(before, G):
        pos[sig.index[u]].append(sig.index[v])
        pos[sig.index[v]].append(sig.index[u])
    pos = {r: np.array(sorted(c)) for r, c in pos.items()}
    w = np.array([1.0 if f in ("adamic_adar", "preferential_attachment") else 0.0
                  for f in FEATURES])
    exact = ranking_metrics(sig, pos, {"m": dict(zip(FEATURES, w))}, seed=3)["m"].map
    held = hold(sig, pos, sorted(pos), seed=3, sample=len(sig.nodes))
    assert held.factor.tolist() == [1.0] * len(pos)
    assert ap_sum(held, w) / len(pos) == pytest.approx(exact)
    # sampling 5 of ~25 other candidates: each sampled one stands for ~5, still an estimate
    small = hold(sig, pos, sorted(pos), seed=3, sample=5)
    assert (small.factor > 1).all() and small.X.shape[1] < held.X.shape[1]
    assert 0.0 < ap_sum(small, w) / len(pos) <= 1.0


def test_calibration_stops_adding_years_once_enough_organisations(monkeypatch):
    import graph.introductions.calibration as calibration_module

    G = dated_karate(seed=0)
    full = evaluate_graph(G, train_until="FY2018", test_until="FY2019").calibration
    assert full.note == "3 fiscal-year fold(s)" and full.scheme == "fiscal_years"
    monkeypatch.setattr(calibration_module, "ENOUGH_ORGANISATIONS", 1)
    latest = evaluate_graph(G, train_until="FY2018", test_until="FY2019").calibration
    assert latest.note == "1 fiscal-year fold(s)"
    assert latest.new_ties < full.new_ties


def test_calibration_round_trips_through_json():
    from graph.introductions import Calibration

    cal = evaluate_graph(dated_karate(seed=2), train_until="FY2018",
                         test_until="FY2019").calibration
    again = Calibration.from_dict(json.loads(json.dumps(cal.to_dict())))
    assert again == cal
    with pytest.raises(GraphError, match="unknown signal"):
        Calibration.from_dict({**cal.to_dict(), "weights": {"gossip": 1.0}})
