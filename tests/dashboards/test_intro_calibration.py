"""The Introductions page says which weights rank its suggestions, and uses them."""

from __future__ import annotations

import pytest

from cli.suggest_cmd import weights_cache_path, write_cached_calibration
from graph.introductions import Calibration
from ingest.store import store_version


def _open_introductions(app):
    app.run()
    app.switch_page("dashboards/introductions.py")
    at = app.run()
    at.selectbox(key="intro_org").select("R-O008").run()
    assert not at.exception
    return at


@pytest.mark.slow
def test_default_then_cached_calibrated_weights_are_named(app, dashboard_store):
    at = _open_introductions(app)
    assert any("既定の重み" in c.value for c in at.caption)
    calibration = Calibration(
        {"common_neighbours": 1.0}, "single:common_neighbours", scheme="fiscal_years",
        folds=({"graph_at": "2018-03-31", "labels_until": "2019-03-31", "new_ties": 40,
                "role": "held_out"},),
        reason="the fitted model (search, 0.1) does not beat common_neighbours alone (0.2)")
    write_cached_calibration(dashboard_store, store_version(dashboard_store), 0, calibration)
    try:
        at = _open_introductions(app)
        captions = [c.value for c in at.caption]
        shown = next(c for c in captions if "較正した重み" in c)
        assert "single:common_neighbours" in shown and "2018-03-31→2019-03-31" in shown
        assert "does not beat common_neighbours alone" in shown
        ranked = at.dataframe[0].value
        # common neighbours alone: only partners sharing a partner, ReBORN (two) first
        assert "ReBORN" in ranked["partner_name"].iloc[0]
    finally:
        weights_cache_path(dashboard_store).unlink(missing_ok=True)
