"""The timeline built from the array core equals the timeline built from ``tie_graph``.

On the bundled Osaka records (the city's real data) and a synthetic ward, from a dataset and
from a store: the same organisation and tie tables (counts and dates exact, weights to 1e-9)
and the same per-fiscal-year metrics (counts exact, floats to 1e-9, modularity within 0.5 %).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from graph.build import tie_graph
from graph.core import core_from_dataset
from graph.time import (
    analyze_timeline,
    org_activity,
    report_series,
    store_report_dataset,
    timeline_from_core,
    timeline_from_dataset,
    timeline_from_graph,
    timeline_from_store,
)
from ingest.load import load_dataset

ROOT = Path(__file__).resolve().parents[2]
OSAKA = ROOT / "data" / "osaka" / "real"
COUNTS = ["organisations", "ties", "components", "communities", "new_ties", "ended_ties",
          "ties_added", "ties_removed", "new_organisations", "dormant_organisations",
          "connected_organisations"]
FLOATS = ["density", "largest_component_share", "isolated_share", "average_clustering",
          "cross_sector_share", "territorial_thematic_share", "total_weight", "churn"]


@pytest.fixture(scope="module")
def ward(tmp_path_factory) -> Path:
    from synth.generator import generate

    folder = tmp_path_factory.mktemp("tl") / "ward"
    generate(folder, scale="ward", seed=7, first_fy=2016, last_fy=2019)
    return folder


def oracle(dataset):
    """The former path: networkx tie graph, edge by edge."""
    return timeline_from_graph(tie_graph(dataset), activity=org_activity(dataset))


def assert_same_timeline(new, old) -> None:
    pd.testing.assert_frame_equal(new.orgs, old.orgs)
    assert new.ties[["u", "v"]].values.tolist() == old.ties[["u", "v"]].values.tolist()
    for col in ("first_date", "last_date"):
        pd.testing.assert_series_equal(new.ties[col], old.ties[col])
    np.testing.assert_allclose(new.ties["weight"], old.ties["weight"], rtol=1e-9, atol=0)
    for a, b in zip(new.ends, old.ends):
        np.testing.assert_array_equal(a, b)


def assert_same_metrics(new, old) -> None:
    a = analyze_timeline(new, betweenness_k=0, roles=False).snapshots
    b = analyze_timeline(old, betweenness_k=0, roles=False).snapshots
    assert a["period"].tolist() == b["period"].tolist() and len(a) >= 4
    pd.testing.assert_frame_equal(a[COUNTS], b[COUNTS])
    np.testing.assert_allclose(a[FLOATS], b[FLOATS], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(a["modularity"], b["modularity"], rtol=5e-3)


@pytest.mark.parametrize("which", ["osaka", "ward"])
def test_timeline_from_the_core_is_the_tie_graph_timeline(which, ward):
    ds = load_dataset(OSAKA if which == "osaka" else ward)
    new = timeline_from_dataset(ds)
    old = oracle(ds)
    assert_same_timeline(new, old)
    assert_same_metrics(new, old)


def test_timeline_from_a_store_is_the_tie_graph_timeline(ward, tmp_path):
    from ingest.store import ingest_dataset, read_dataset

    store = tmp_path / "s.duckdb"
    ingest_dataset(OSAKA, store=store)
    ingest_dataset(ward, store=store)
    ds = read_dataset(store)
    new, core = timeline_from_store(store)
    assert_same_timeline(new, oracle(ds))
    pd.testing.assert_frame_equal(report_series(store_report_dataset(store, core)),
                                  report_series(ds))


def test_real_only_store_timeline_leaves_synthetic_records_out(ward, tmp_path):
    from graph.build import restrict
    from ingest.store import ingest_dataset, read_dataset

    store = tmp_path / "s.duckdb"
    ingest_dataset(OSAKA, store=store)
    ingest_dataset(ward, store=store)
    new, _ = timeline_from_store(store, real_only=True)
    assert not new.orgs["synthetic"].any()
    assert_same_timeline(new, oracle(restrict(read_dataset(store), real_only=True)))


def test_ends_must_match_the_ties():
    from graph.build import example_dataset
    from graph.errors import GraphError
    from graph.time import Timeline

    tl = timeline_from_core(core_from_dataset(example_dataset()))
    with pytest.raises(GraphError, match="one position per tie"):
        Timeline(orgs=tl.orgs, ties=tl.ties, ends=(tl.ends[0][:1], tl.ends[1]))


def test_snapshot_measures_on_arrays_match_the_networkx_working_graph(ward, monkeypatch):
    import graph.time.timeline_analysis as analysis_module

    tl = timeline_from_dataset(load_dataset(ward))
    options = dict(betweenness_k=64, exact_threshold=10_000)
    old = analyze_timeline(tl, **options)
    monkeypatch.setattr(analysis_module, "ARRAY_THRESHOLD", 0)
    new = analyze_timeline(tl, **options)
    monkeypatch.setattr(analysis_module, "FAST_PATH_THRESHOLD", 0)  # Leiden on every sub-core
    leiden = analyze_timeline(tl, **options)
    assert (leiden.snapshots["modularity"] >= old.snapshots["modularity"] * 0.995).all()
    pd.testing.assert_frame_equal(new.snapshots[COUNTS[:3]], old.snapshots[COUNTS[:3]])
    np.testing.assert_allclose(new.snapshots["modularity"], old.snapshots["modularity"],
                               rtol=5e-3)
    cols = ["period", "id", "degree"]
    a = new.trajectories.sort_values(["period", "id"]).reset_index(drop=True)
    b = old.trajectories.sort_values(["period", "id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a[cols], b[cols])
    for col in ("strength", "betweenness", "effective_size"):
        np.testing.assert_allclose(a[col], b[col], rtol=1e-9, atol=1e-12)
    assert set(a["role"].dropna()) <= {"R1", "R2", "R3", "R4", "R5", "R6", "R7"}
    assert a["role"].notna().all()
