"""graph.ward_map: per-ward figures on the real records, tile grid, GeoJSON boundaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.errors import GraphError
from graph.ward_map import METRICS, OSAKA_TILES, geojson_shapes, tile_grid, ward_metrics
from ingest.schemas import WARDS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def real_analysis():
    from graph.analysis import analyze
    from ingest.load import load_dataset

    return analyze(load_dataset(ROOT / "data" / "osaka" / "real"))


def test_ward_figures_match_the_analysis(real_analysis):
    table = ward_metrics(real_analysis, wards=WARDS).set_index("ward")
    measures = real_analysis.measures
    assert table["organisations"].sum() == measures["ward"].isin(WARDS).sum()
    ward = "西淀川区"
    mine = measures[measures["ward"] == ward]
    assert table.loc[ward, "organisations"] == len(mine)
    assert table.loc[ward, "isolated_share"] == pytest.approx(
        (mine["isolated_reason"] != "").mean())
    hubs = len(set(mine.index) & set(real_analysis.connectors.index))
    assert table.loc[ward, "connectors_per_1000"] == pytest.approx(hubs / len(mine) * 1000)
    for metric in ("isolated_share", "territorial_thematic", "gap_share"):
        values = table[metric].dropna()
        assert ((values >= 0) & (values <= 1)).all(), metric
    assert set(METRICS) <= set(table.columns)


def test_the_tile_grid_places_the_24_wards_geographically():
    assert sorted(OSAKA_TILES) == sorted(WARDS)
    assert len(set(OSAKA_TILES.values())) == 24  # one tile each
    shapes = tile_grid(WARDS)

    def centre(ward):
        ring = shapes[ward][0][0]
        return sum(p[0] for p in ring[:4]) / 4, sum(p[1] for p in ring[:4]) / 4

    assert centre("西淀川区")[1] > centre("平野区")[1]  # north above south
    assert centre("此花区")[0] < centre("鶴見区")[0]  # west left of east


def test_other_cities_get_rows_of_tiles():
    shapes = tile_grid(["中区", "東区", "南区", "西区", "北区"])
    assert len(shapes) == 5
    tops = sorted({round(s[0][0][0][1], 4) for s in shapes.values()})
    assert len(tops) == 2  # 5 wards in rows of 3


def test_boundaries_file_is_matched_by_ward_name(tmp_path):
    square = [[[135.4, 34.7], [135.5, 34.7], [135.5, 34.6], [135.4, 34.6], [135.4, 34.7]]]
    features = [
        {"type": "Feature", "properties": {"N03_003": "大阪市", "N03_004": "北区"},
         "geometry": {"type": "Polygon", "coordinates": square}},
        {"type": "Feature", "properties": {"name": "此花区"},
         "geometry": {"type": "MultiPolygon", "coordinates": [square, square]}},
        {"type": "Feature", "properties": {"name": "梅田区"},
         "geometry": {"type": "Polygon", "coordinates": square}},
    ]
    path = tmp_path / "wards.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                               ensure_ascii=False), encoding="utf-8")
    shapes = geojson_shapes(path, WARDS)
    assert sorted(shapes) == ["北区", "此花区"]
    assert len(shapes["此花区"]) == 2  # both islands


def test_a_file_that_is_not_geojson_names_the_file(tmp_path):
    path = tmp_path / "wards.geojson"
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(GraphError, match="wards.geojson"):
        geojson_shapes(path, WARDS)
