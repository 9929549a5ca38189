"""A core built straight from the store equals the core of the dataset the store reads back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from graph.analysis import analyze, analyze_store
from graph.build import restrict
from graph.core import core_from_dataset
from graph.core.store import core_from_store, store_activity, store_wards
from graph.findings import last_activity
from ingest.store import StoreNotFoundError, ingest_dataset, read_dataset

OSAKA = Path(__file__).resolve().parents[2] / "data" / "osaka" / "real"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "osaka.duckdb"
    ingest_dataset(OSAKA, store=path)
    return path


def assert_same_core(a, b) -> None:
    assert a.ids.tolist() == b.ids.tolist()
    pd.testing.assert_frame_equal(a.nodes, b.nodes)
    for name in ("u", "v", "weight", "first_day", "last_day"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    for part in a.parts:
        np.testing.assert_array_equal(a.parts[part], b.parts[part], err_msg=part)
    pairs = list(zip(a.ids[a.u].tolist(), a.ids[a.v].tolist()))
    assert a.evidence(pairs) == b.evidence(pairs)


@pytest.mark.parametrize("scope", [
    {}, {"fiscal_year": 2019}, {"as_of": "2018-03-31", "real_only": True},
    {"weights": {"co_membership": 2.0, "collaboration": 0}},
])
def test_store_core_equals_the_dataset_core(store, scope):
    dataset = read_dataset(store)
    a = core_from_dataset(dataset, **scope)
    b = core_from_store(store, **scope)
    assert_same_core(a, b)
    assert b.n_ties > 0
    dated = {k: v for k, v in scope.items() if k != "weights"}
    assert store_activity(b) == last_activity(restrict(dataset, **dated))


def test_store_core_with_wards(store):
    wards = store_wards(store)
    assert wards
    dataset = read_dataset(store)
    assert_same_core(core_from_dataset(dataset, wards=wards[:1]),
                     core_from_store(store, wards=wards[:1]))


def test_the_latest_batch_wins(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, org_ids in ((first, "A;B"), (second, "A;C")):
        folder.mkdir()
        (folder / "organizations.csv").write_text("id,name,kind\nA,a,npo\nB,b,npo\nC,c,npo\n",
                                                  encoding="utf-8")
        (folder / "collaborations.csv").write_text(f"id,title,org_ids\nC1,t,{org_ids}\n",
                                                   encoding="utf-8")
    path = tmp_path / "s.duckdb"
    ingest_dataset(first, store=path)
    ingest_dataset(second, store=path)
    core = core_from_store(path)
    assert [(core.ids[u], core.ids[v]) for u, v in zip(core.u, core.v)] == [("A", "C")]
    assert_same_core(core_from_dataset(read_dataset(path)), core)


def test_analyze_store_gives_the_findings_of_analyze(store):
    a = analyze(read_dataset(store), seed=1)
    b = analyze_store(store, seed=1)
    pd.testing.assert_frame_equal(a.measures, b.measures)
    pd.testing.assert_frame_equal(a.connectors, b.connectors)
    pd.testing.assert_frame_equal(a.isolated, b.isolated)
    assert a.summary["modularity"] == b.summary["modularity"]


def test_a_missing_store_is_reported(tmp_path):
    with pytest.raises(StoreNotFoundError, match="tsunagari ingest"):
        core_from_store(tmp_path / "none.duckdb")


def test_ties_built_in_slices_are_the_same_arrays(store, monkeypatch):
    import graph.core.sql as sql

    whole = core_from_store(store)
    monkeypatch.setattr(sql, "SLICE_ROWS", 7)  # the bundled ward in many slices
    sliced = core_from_store(store)
    assert_same_core(whole, sliced)
    again = core_from_store(store)
    np.testing.assert_array_equal(sliced.weight, again.weight)  # bit for bit, every run
