"""AppTests of the Growth page: whole store, computed once and read back from disk after a restart."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # each test computes a growth (about 30 s on 2 busy cores)


def open_growth(store: Path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TSUNAGARI_STORE", str(store))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.run()
    at.switch_page("dashboards/growth.py")
    return at.run()


def statuses(at) -> list:
    """The st.status boxes on the main area (the first-visit progress)."""
    return [e for e in at.main.children.values() if type(e).__name__ == "Status"]


def test_whole_store_growth_is_computed_once_then_read_from_disk(dashboard_store, tmp_path,
                                                                monkeypatch):
    store = tmp_path / "copy.duckdb"
    shutil.copy(dashboard_store, store)
    at = open_growth(store, monkeypatch)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "推移"
    assert len(statuses(at)) == 1  # the first visit shows its progress
    saved = list(Path(str(store) + ".growth").iterdir())
    assert len(saved) == 1 and (saved[0] / "snapshots.parquet").exists()
    first = (saved[0] / "snapshots.parquet").stat().st_mtime_ns
    # the metric grid, event bars and alluvial chart (+ the report's series further down)
    assert len(at.get("vega_lite_chart")) >= 3
    assert any("コミュニティの誕生" in m.value for m in at.markdown)

    st.cache_resource.clear()  # a restart: nothing in memory, only the files beside the store
    st.cache_data.clear()
    again = open_growth(store, monkeypatch)
    assert not again.exception
    assert statuses(again) == []
    assert (saved[0] / "snapshots.parquet").stat().st_mtime_ns == first  # read, not recomputed
    assert [c.value for c in again.caption if "団体" in c.value][:1] == [
        c.value for c in at.caption if "団体" in c.value][:1]
    # the events table is sent only once its expander is opened
    tables = len(again.dataframe)
    again.session_state["growth_events_open"] = True
    again.run()
    assert not again.exception
    assert len(again.dataframe) == tables + 1


def test_growth_follows_the_ward_scope_and_english(dashboard_store, tmp_path, monkeypatch):
    store = tmp_path / "copy.duckdb"
    shutil.copy(dashboard_store, store)
    at = open_growth(store, monkeypatch)
    whole = next(c.value for c in at.caption if c.value.startswith("範囲"))
    at.sidebar.multiselect(key="scope_wards__ja").select("西淀川区").run()
    assert not at.exception, [e.message for e in at.exception]
    ward = next(c.value for c in at.caption if c.value.startswith("範囲"))
    assert ward != whole
    assert len(list(Path(str(store) + ".growth").iterdir())) == 2  # one folder per scope
    at.sidebar.toggle(key="lang_en").set_value(True).run()
    assert not at.exception
    assert at.title[0].value == "Growth"
    assert any(m.value.startswith("**Rising connectors") for m in at.markdown)


def test_trajectory_search_shows_an_organisations_path(dashboard_store, tmp_path, monkeypatch):
    store = tmp_path / "copy.duckdb"
    shutil.copy(dashboard_store, store)
    at = open_growth(store, monkeypatch)
    at.text_input(key="growth_org_query").input("ReBORN").run()
    assert not at.exception
    box = at.selectbox(key="growth_org")
    assert box.options and "ReBORN" in box.options[0]
    box.set_value("R-O006").run()  # ReBORN's id in data/osaka/real
    assert not at.exception
    assert len(at.get("vega_lite_chart")) >= 4  # + the trajectory panels
