"""A small store for the dashboard's AppTests: the real records plus a synthetic ward.

Built once per test session in a temporary folder; ``TSUNAGARI_STORE`` points the app at it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "data" / "osaka" / "real"


@pytest.fixture(scope="session")
def dashboard_store(tmp_path_factory) -> Path:
    """The store file: data/osaka/real + synthetic ward (seed 7, FY2016–FY2019)."""
    from ingest.store import ingest_dataset
    from synth.generator import generate

    folder = tmp_path_factory.mktemp("dashboard")
    synthetic = folder / "ward"
    generate(synthetic, scale="ward", seed=7, first_fy=2016, last_fy=2019)
    store = folder / "store.duckdb"
    ingest_dataset(REAL, store=store)
    ingest_dataset(synthetic, store=store)
    return store


@pytest.fixture()
def app(dashboard_store, monkeypatch):
    """A fresh ``AppTest`` of app.py reading the test store (not yet run)."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TSUNAGARI_STORE", str(dashboard_store))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
