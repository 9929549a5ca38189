"""The report's dispatch chart: printed figures apart from synthetic ones, totals as totals."""

from __future__ import annotations

import pytest

from dashboards._report_chart import PANEL_WIDTH, dispatch_chart, dispatch_rows


@pytest.fixture(scope="module")
def series(dashboard_store):
    from graph.time import report_series
    from ingest.store import read_dataset

    records = read_dataset(dashboard_store)
    figures = records.table("figures")
    synthetic = {"figures: " + s for s in figures.loc[figures["synthetic"], "source"]}
    return report_series(records), synthetic


def test_total_stands_beside_the_breakdown_not_on_top(series):
    frame, synthetic = series
    rows = dispatch_rows(frame, synthetic_sources=synthetic)
    p11 = rows[(rows["panel"] == "報告書 p.11") & (rows["period"] == "FY2018")]
    bars = p11.groupby("bar")["value"].sum().to_dict()
    assert bars == {"内訳": 43.0, "合計": 43.0}  # the report's p.11: 35 + 8 = 43, total 43
    # no stacked bar anywhere adds a total to its own parts
    assert not (rows.groupby(["panel", "period", "bar"])["category"]
                .apply(lambda c: "合計" in set(c) and len(set(c)) > 1).any())


def test_report_figures_are_apart_from_synthetic_ones(series):
    frame, synthetic = series
    assert synthetic, "the test store holds synthetic figures"
    rows = dispatch_rows(frame, synthetic_sources=synthetic)
    printed = rows[rows["group"] == "report"]
    assert not printed["source"].str.contains("synthetic").any()
    assert not printed["panel"].str.contains("合成|記録").any()
    reference = rows[rows["group"] == "reference"]
    assert {"記録から集計"} <= set(reference["panel"])
    assert reference["panel"].str.startswith("合成データ").any()
    assert set(printed["panel"]) == {"報告書 p.7", "報告書 p.11", "報告書 p.32（合計列）"}


def test_panels_fit_titles_are_short_and_the_legend_is_below(series):
    frame, synthetic = series
    rows = dispatch_rows(frame, synthetic_sources=synthetic)
    for group in ("report", "reference"):
        spec = dispatch_chart(rows[rows["group"] == group]).to_dict()
        assert spec["columns"] == 2  # wrapped: a fifth panel starts a new row, never off-page
        assert spec["spec"]["width"] * 2 <= 640
        header = spec["facet"]["header"]
        assert header["labelLimit"] == PANEL_WIDTH
        assert spec["spec"]["encoding"]["color"]["legend"]["orient"] == "bottom"
        # each title fits its panel: at most ~16 characters of 12 px
        assert max(len(p) for p in rows["panel"]) * 13 <= PANEL_WIDTH


def _chart_text(proto) -> str:
    """A chart's spec and every value of its data, as one string."""
    import pyarrow as pa

    parts = [proto.spec]
    tables = [d.data.data for d in proto.datasets] + ([proto.data.data] if proto.data.data else [])
    for raw in tables:
        parts.append(pa.ipc.open_stream(raw).read_all().to_pandas().to_string())
    return "\n".join(parts)


def test_growth_page_shows_no_synthetic_series_under_the_report_heading(app):
    app.run()
    at = app.switch_page("dashboards/growth.py").run()
    assert not at.exception
    closed = len(at.get("vega_lite_chart"))
    at.session_state["growth_report_open"] = True  # the user opens the report's figures
    at.run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) > closed  # drawn only once opened
    texts = [_chart_text(chart.proto) for chart in at.get("vega_lite_chart")]
    headings = [h.value for h in at.subheader]
    assert "報告書の数値" in headings and "参考: 合成データと記録からの集計" in headings
    report_chart = next(t for t in texts if "p.11" in t)
    assert "synthetic" not in report_chart and "合成" not in report_chart


def test_two_sources_on_one_page_get_panels_of_their_own():
    """Two tables printed on p.11 must not share a panel (their bars would stack: 43 + 43)."""
    import pandas as pd

    series = pd.DataFrame({
        "metric": ["dispatches"] * 4, "period": ["FY2018"] * 4,
        "category": ["territorial", "thematic"] * 2, "value": [35.0, 8.0, 30.0, 13.0],
        "unit": ["件"] * 4,
        "source": ["figures: 1(1)イ② 実績 年度別派遣件数 (p.11)"] * 2
                  + ["figures: 1(1)イ③ 実績 区別派遣件数 (p.11)"] * 2})
    rows = dispatch_rows(series, synthetic_sources=set())
    assert sorted(set(rows["panel"])) == ["報告書 p.11 1(1)イ②", "報告書 p.11 1(1)イ③"]
    assert rows.groupby(["panel", "bar"])["value"].sum().tolist() == [43.0, 43.0]
