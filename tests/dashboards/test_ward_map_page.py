"""AppTests of the ward map page: it draws every ward of the store, follows the language."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def open_map(app):
    app.run()
    app.switch_page("dashboards/ward_map.py")
    return app.run()


def map_spec(at) -> dict:
    chart = at.get("vega_lite_chart")[0]
    return json.loads(chart.proto.spec)


def test_map_draws_the_wards_without_a_base_map(app):
    at = open_map(app)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "区の地図"
    spec = map_spec(at)
    wards = {row["ward"] for row in spec["layer"][0]["data"]["values"]}
    assert "西淀川区" in wards
    assert '"url"' not in at.get("vega_lite_chart")[0].proto.spec  # nothing is fetched
    assert at.get("vega_lite_chart")[0].proto.selection_mode == ["ward_pick"]  # clickable
    assert "タイル" in "".join(c.value for c in at.caption)  # the tile-grid fallback says so


def test_boundaries_file_and_english(app, tmp_path, monkeypatch):
    square = [[[135.4, 34.7], [135.5, 34.7], [135.5, 34.6], [135.4, 34.6], [135.4, 34.7]]]
    path = tmp_path / "wards.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"N03_004": "西淀川区"},
         "geometry": {"type": "Polygon", "coordinates": square}}]}), encoding="utf-8")
    monkeypatch.setenv("TSUNAGARI_WARD_BOUNDARIES", str(path))
    at = open_map(app)
    assert {row["ward"] for row in map_spec(at)["layer"][0]["data"]["values"]} == {"西淀川区"}
    assert any("wards.geojson" in c.value for c in at.caption)
    at.sidebar.toggle(key="lang_en").set_value(True).run()
    assert at.title[0].value == "Ward map"
    assert "Nishiyodogawa" in map_spec(at)["layer"][1]["data"]["values"][0]["name"]
