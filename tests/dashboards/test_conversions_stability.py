"""AppTests of two analysis results on the dashboard: introduction outcomes and community stability.

Introduction outcomes run on small stores of the real records only (22 organisations), one
without outcomes and one with five outcomes whose conversions are worked out by hand from the
real ties (dates as in data/osaka/real):

=================  ==========  ==========  ==================================  =========
pair               status      on          tie in the real records             converted
=================  ==========  ==========  ==================================  =========
R-O002 – R-O003    proposed    2018-12-01  none (both isolated)                superseded
R-O010 – R-O011    introduced  2019-01-10  event R-E012, 2019-02-17            yes
R-O001 – R-O019    partnered   2017-06-01  collaboration R-C006, 2017-08-01    yes
R-O002 – R-O003    introduced  2019-01-10  none                                no
R-O014 – R-O015    introduced  2018-06-01  collaboration R-C005, 2017-12-01    no (before)
=================  ==========  ==========  ==================================  =========

So: introduced 3 pairs, 1 converted; partnered 1 pair, 1 converted; all 4 pairs, 2 converted
(50 %). Up to FY2017 (records to 2018-03-31) the R-E012 tie does not exist yet: all 4, 1.

Community stability runs on the shared dashboard store (real records + a synthetic ward).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "data" / "osaka" / "real"

OUTCOMES = [
    ("R-O002", "R-O003", "proposed", "2018-12-01"),
    ("R-O010", "R-O011", "introduced", "2019-01-10"),
    ("R-O001", "R-O019", "partnered", "2017-06-01"),
    ("R-O002", "R-O003", "introduced", "2019-01-10"),
    ("R-O014", "R-O015", "introduced", "2018-06-01"),
]


@pytest.fixture(scope="module")
def real_store(tmp_path_factory) -> Path:
    """A store holding the real records only, with no outcome recorded."""
    from ingest.store import ingest_dataset

    store = tmp_path_factory.mktemp("real_only") / "store.duckdb"
    ingest_dataset(REAL, store=store)
    return store


@pytest.fixture(scope="module")
def outcome_store(real_store, tmp_path_factory) -> Path:
    """A copy of :func:`real_store` with the :data:`OUTCOMES` recorded."""
    from ingest.store import record_outcome

    store = tmp_path_factory.mktemp("with_outcomes") / "store.duckdb"
    shutil.copy(real_store, store)
    for org_a, org_b, status, on in OUTCOMES:
        record_outcome(store, org_a=org_a, org_b=org_b, status=status, on=on)
    return store


def open_page(store: Path, page: str, monkeypatch):
    """A fresh app on ``store`` showing ``dashboards/{page}.py``."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TSUNAGARI_STORE", str(store))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page(f"dashboards/{page}.py")
    return at.run()


def frame_with(at, column: str):
    """The one dataframe on the screen that has ``column``."""
    found = [f.value for f in at.dataframe if column in f.value.columns]
    assert len(found) == 1, [list(f.value.columns) for f in at.dataframe]
    return found[0]


def english(at):
    at.sidebar.toggle(key="lang_en").set_value(True).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


# --- introduction outcomes --------------------------------------------------------------------

@pytest.mark.slow
def test_no_outcomes_explain_how_to_record_one(real_store, monkeypatch):
    at = open_page(real_store, "introductions", monkeypatch)
    assert not at.exception, [e.message for e in at.exception]
    assert "紹介の成果" in [s.value for s in at.subheader]
    assert any("tsunagari outcome" in i.value and "記録されていません" in i.value
               for i in at.info)
    assert not [f for f in at.dataframe if "introductions" in f.value.columns]
    english(at)
    assert "Introduction outcomes" in [s.value for s in at.subheader]
    assert any("tsunagari outcome" in i.value and "No introduction outcome" in i.value
               for i in at.info)


def test_conversion_summary_counts_each_pair_once(outcome_store, monkeypatch):
    at = open_page(outcome_store, "introductions", monkeypatch)
    assert not at.exception, [e.message for e in at.exception]
    summary = frame_with(at, "introductions").set_index("status")
    assert list(summary.index) == ["紹介した", "連携が始まった", "すべて"]  # proposed superseded
    assert summary["introductions"].tolist() == [3, 1, 4]
    assert summary["converted"].tolist() == [1, 1, 2]
    assert summary["rate"].tolist() == pytest.approx([100 / 3, 100.0, 50.0], abs=0.01)

    pairs = frame_with(at, "tied")
    by_pair = {(a, b): row for a, b, row in zip(pairs["org_a"], pairs["org_b"],
                                                pairs.itertuples(index=False))}
    assert {pair: row.converted for pair, row in by_pair.items()} == {
        ("R-O010", "R-O011"): True, ("R-O001", "R-O019"): True,
        ("R-O002", "R-O003"): False, ("R-O014", "R-O015"): False}
    assert bool(by_pair["R-O014", "R-O015"].tied)  # tied, but only before the introduction
    assert by_pair["R-O010", "R-O011"].name_a == "新東三国地域活動協議会"  # names, not only ids
    assert by_pair["R-O002", "R-O003"].status == "紹介した"

    english(at)
    summary = frame_with(at, "introductions").set_index("status")
    assert list(summary.index) == ["Introduced", "Partnered", "All"]
    assert "Introduction outcomes" in [s.value for s in at.subheader]


def test_conversions_follow_the_fiscal_year(outcome_store, monkeypatch):
    at = open_page(outcome_store, "introductions", monkeypatch)
    at.sidebar.selectbox(key="scope_fiscal_year__ja").select(2017).run()
    assert not at.exception, [e.message for e in at.exception]
    summary = frame_with(at, "introductions").set_index("status")
    assert summary.loc["すべて", "introductions"] == 4
    assert summary.loc["すべて", "converted"] == 1  # the 2019 event is after FY2017


# --- community stability ----------------------------------------------------------------------

def organisations_on_overview(at) -> int:
    at.switch_page("dashboards/overview.py").run()
    return int(next(m.value for m in at.metric if m.label == "団体数").replace(",", ""))


def stability_tables(at):
    at.switch_page("dashboards/network.py").run()
    at.toggle(key="network_stability__ja").set_value(True).run()
    assert not at.exception, [e.message for e in at.exception]
    return frame_with(at, "firm_share"), frame_with(at, "frequency")


@pytest.mark.slow
def test_stability_is_opt_in(app):
    app.run()
    app.switch_page("dashboards/network.py").run()
    assert not app.exception
    assert [e.label for e in app.expander] == ["コミュニティの安定性"]
    assert not [f for f in app.dataframe if "firm_share" in f.value.columns]
    assert not [m for m in app.metric if m.label == "実行回数（シード数）"]


@pytest.mark.slow
@pytest.mark.parametrize("ward", [None, "西淀川区"])
def test_stability_tables_cover_the_organisations_in_scope(app, ward):
    app.run()
    if ward:
        app.sidebar.multiselect(key="scope_wards__ja").select(ward).run()
    expected = organisations_on_overview(app)
    communities, least = stability_tables(app)
    assert communities["size"].sum() == expected
    assert communities["firm_share"].between(0, 1).all()
    assert communities["mean_frequency"].between(0, 1).all()
    assert communities["size"].is_monotonic_decreasing
    assert least["frequency"].between(0, 1).all()
    assert least["frequency"].is_monotonic_increasing
    assert 0 < len(least) <= min(50, expected)
    assert next(m.value for m in app.metric if m.label == "実行回数（シード数）") == "10"
    if ward:
        assert set(least["ward"]) == {ward}


def test_stability_labels_in_english_keep_the_choice(app):
    app.run()
    stability_tables(app)
    english(app)
    assert [e.label for e in app.expander] == ["Community stability"]
    assert app.toggle(key="network_stability__en").value  # still on after the switch
    labels = {m.label for m in app.metric}
    assert {"Runs (seeds)", "Organisations sitting firmly", "Consensus communities"} <= labels
    assert frame_with(app, "firm_share")["firm_share"].between(0, 1).all()


def test_stability_on_a_store_without_ties(tmp_path, monkeypatch):
    """One organisation, no tie: one community of one, firmly; no modularity to show."""
    from ingest.store import ingest_dataset

    data = tmp_path / "data"
    data.mkdir()
    (data / "organizations.csv").write_text("id,name,kind,ward\nA1,<b>Alpha</b>,npo,北区\n",
                                            encoding="utf-8")
    store = tmp_path / "store.duckdb"
    ingest_dataset(data, store=store)
    at = open_page(store, "network", monkeypatch)
    at.toggle(key="network_stability__ja").set_value(True).run()
    assert not at.exception, [e.message for e in at.exception]
    communities = frame_with(at, "firm_share")
    assert communities["size"].tolist() == [1]
    assert communities["firm_share"].tolist() == [1.0]
    assert frame_with(at, "frequency")["name"].tolist() == ["<b>Alpha</b>"]  # text, as written
    assert not [c for c in at.caption if "モジュラリティ" in c.value]
