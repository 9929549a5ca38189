"""AppTests for issue 16: what users read is right (isolation kinds, charts, reasons, codes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.brokerage import ISOLATION_KINDS

ROOT = Path(__file__).resolve().parents[2]
KIND_NAMES_JA = {kind: names[1] for kind, names in ISOLATION_KINDS.items()}


def open_page(app, page: str):
    app.run()
    app.switch_page(f"dashboards/{page}.py")
    return app.run()


@pytest.fixture(scope="module")
def store_analysis(dashboard_store):
    from graph.analysis import analyze
    from ingest.store import read_dataset

    return analyze(read_dataset(dashboard_store))


def test_overview_counts_each_isolation_kind_apart(app, store_analysis):
    at = open_page(app, "overview")
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    expected = store_analysis.summary["isolated_by_kind"]
    for kind, name in KIND_NAMES_JA.items():
        assert int(shown[name].replace(",", "")) == expected[kind]
    helps = {m.label: m.help for m in at.metric}
    assert helps["つながりなし"] == ISOLATION_KINDS["no_ties"][3]
    # the mixed "孤立した団体" count is gone; the organisations with no tie are exactly degree 0
    assert "孤立した団体" not in shown
    assert expected["no_ties"] == store_analysis.summary["isolates"]
    assert sum(expected.values()) == len(store_analysis.isolated)


def test_connectors_page_lists_each_kind_under_its_name(app, store_analysis):
    at = open_page(app, "connectors")
    assert not at.exception
    labels = [tab.label for tab in at.tabs]
    counts = store_analysis.summary["isolated_by_kind"]
    for kind, name in KIND_NAMES_JA.items():
        assert f"{name}（{counts[kind]:,}）" in labels
    listed = [frame.value for frame in at.dataframe if "isolation" in frame.value.columns]
    assert listed, "no isolation list shown"
    for frame in listed:
        assert frame["isolation"].nunique() == 1
        assert frame["isolation"].iloc[0] in KIND_NAMES_JA.values()
