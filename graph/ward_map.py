"""Per-ward figures for a choropleth, and the ward shapes to draw them on.

:func:`ward_metrics` turns one ``graph.analysis_result.Analysis`` into one row per ward:

===========================  ===================================================================
``organisations``            organisations of the ward
``isolated_share``           share of them the analysis calls isolated (any reason)
``territorial_thematic``     share of the ward's ties between a 地縁型 and a テーマ型 organisation
                             among ties with both orientations known (``orientation_bridging``)
``gap_share``                share of the ties the null model expects between the ward and each
                             sector that are missing (Σ max(expected − observed, 0) ÷ Σ expected,
                             ``ward_sector`` gaps); 0 = no gap
``connectors_per_1000``      connectors (``Analysis.connectors``) per 1,000 organisations
``growth``                   ties first recorded in the latest fiscal year ÷ ties recorded before
                             it (a tie counts for both its organisations' wards)
===========================  ===================================================================

Shapes: :func:`geojson_shapes` reads a boundaries file (GeoJSON, e.g. the national land
information N03 administrative areas) and matches features to wards by name;
:func:`tile_grid` is the fallback without such a file — one square per ward, Osaka's 24 wards
in their geographic order (north at the top), any other city's wards in rows.

>>> shapes = tile_grid(["北区", "西淀川区"])
>>> sorted(shapes), len(shapes["北区"][0][0])
(['北区', '西淀川区'], 5)
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from graph.errors import GraphError

__all__ = ["METRICS", "OSAKA_TILES", "ward_metrics", "tile_grid", "geojson_shapes", "centroid"]

#: The choropleth measures, in the order offered.
METRICS = ("isolated_share", "territorial_thematic", "gap_share", "connectors_per_1000", "growth")

#: (row, column) of each of Osaka City's 24 wards in a tile grid, north at the top.
OSAKA_TILES: dict[str, tuple[int, int]] = {
    "西淀川区": (0, 1), "淀川区": (0, 2), "東淀川区": (0, 3),
    "此花区": (1, 0), "福島区": (1, 1), "北区": (1, 2), "都島区": (1, 3), "旭区": (1, 4),
    "港区": (2, 0), "西区": (2, 1), "中央区": (2, 2), "城東区": (2, 3), "鶴見区": (2, 4),
    "大正区": (3, 0), "浪速区": (3, 1), "天王寺区": (3, 2), "東成区": (3, 3),
    "住之江区": (4, 0), "西成区": (4, 1), "阿倍野区": (4, 2), "生野区": (4, 3),
    "住吉区": (5, 1), "東住吉区": (5, 2), "平野区": (5, 3),
}
#: Where the tile grid is drawn (around Osaka City), and the tile size in degrees.
_TILE_ORIGIN = (135.40, 34.74)
_TILE = 0.025
#: A tile's height in degrees of latitude: squares on the (Mercator) screen near 34.7° N.
_TILE_LAT = _TILE * math.cos(math.radians(34.7))


def ward_metrics(result, *, wards: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per ward with the :data:`METRICS` (see the module docstring).

    Parameters
    ----------
    result : graph.analysis_result.Analysis
    wards : iterable of str, optional
        Wards to report (default: every ward of an organisation), in this order.

    Returns
    -------
    pandas.DataFrame
        ``ward, organisations, isolated, connectors`` and the :data:`METRICS`.

    Examples
    --------
    >>> from graph.analysis import analyze
    >>> from ingest.load import load_dataset
    >>> table = ward_metrics(analyze(load_dataset("data/osaka/real")))
    >>> row = table.set_index("ward").loc["西淀川区"]
    >>> int(row["organisations"]) > 0, bool(0 <= row["isolated_share"] <= 1)
    (True, True)
    """
    measures = result.measures
    ward_of = measures["ward"].fillna("")
    order = list(wards) if wards is not None else sorted(w for w in ward_of.unique() if w)
    frame = pd.DataFrame({"ward": order})
    counts = ward_of.value_counts()
    frame["organisations"] = [int(counts.get(w, 0)) for w in order]
    lonely = ward_of[measures["isolated_reason"].fillna("") != ""].value_counts()
    frame["isolated"] = [int(lonely.get(w, 0)) for w in order]
    hubs = measures.loc[measures.index.intersection(result.connectors.index), "ward"].value_counts()
    frame["connectors"] = [int(hubs.get(w, 0)) for w in order]
    size = frame["organisations"].replace(0, np.nan)
    frame["isolated_share"] = frame["isolated"] / size
    bridging = result.gaps.get("orientation_bridging", pd.DataFrame(columns=["ward"]))
    shares = dict(zip(bridging.get("ward", []), bridging.get("share", [])))
    frame["territorial_thematic"] = [shares.get(w, np.nan) for w in order]
    frame["gap_share"] = [_gap_share(result.gaps.get("ward_sector"), w) for w in order]
    frame["connectors_per_1000"] = frame["connectors"] / size * 1000
    frame["growth"] = _growth(result.ties, ward_of.to_dict(), order)
    return frame


def _gap_share(table: pd.DataFrame | None, ward: str) -> float:
    if table is None or table.empty:
        return float("nan")
    rows = table[table["ward"] == ward]
    expected = float(rows["expected"].sum())
    if expected <= 0:
        return float("nan")
    missing = (rows["expected"] - rows["observed"]).clip(lower=0).sum()
    return float(missing) / expected


def _growth(G, ward_of: Mapping[str, str], order: list[str]) -> list[float]:
    """Per ward: ties first recorded in the latest fiscal year ÷ ties recorded before it."""
    from ingest.normalise import fiscal_year

    firsts = [(u, v, d) for u, v, d in G.edges(data="first_date") if d is not None]
    if not firsts:
        return [float("nan")] * len(order)
    latest = max(fiscal_year(d) for _, _, d in firsts)
    new: dict[str, int] = {}
    old: dict[str, int] = {}
    for u, v, d in firsts:
        bucket = new if fiscal_year(d) == latest else old
        for w in {ward_of.get(u, ""), ward_of.get(v, "")}:
            bucket[w] = bucket.get(w, 0) + 1
    return [new.get(w, 0) / old[w] if old.get(w) else float("nan") for w in order]


def tile_grid(wards: Iterable[str]) -> dict[str, list]:
    """One square per ward (a polygon list of one ring, ``[lon, lat]`` pairs).

    Osaka City's wards take their place in :data:`OSAKA_TILES`; when any ward is not one of
    them, every ward is laid in rows (in the given order), as many columns as √n rounded up.

    >>> tile_grid(["A区", "B区", "C区"])["C区"][0][0][0]
    [135.401, 34.718446]
    """
    wards = list(dict.fromkeys(wards))
    if all(w in OSAKA_TILES for w in wards):
        places = {w: OSAKA_TILES[w] for w in wards}
    else:
        columns = max(1, math.ceil(math.sqrt(len(wards))))
        places = {w: divmod(i, columns) for i, w in enumerate(wards)}
    x0, y0 = _TILE_ORIGIN
    inset = _TILE * 0.04
    shapes = {}
    for ward, (row, col) in places.items():
        left, top = x0 + col * _TILE + inset, y0 - row * _TILE_LAT - inset
        right, bottom = left + _TILE - 2 * inset, top - _TILE_LAT + 2 * inset
        ring = [[round(left, 6), round(top, 6)], [round(right, 6), round(top, 6)],
                [round(right, 6), round(bottom, 6)], [round(left, 6), round(bottom, 6)],
                [round(left, 6), round(top, 6)]]
        shapes[ward] = [[ring]]
    return shapes


def geojson_shapes(path: str | Path, wards: Iterable[str]) -> dict[str, list]:
    """The polygons of each ward in a GeoJSON FeatureCollection, matched by name.

    A feature belongs to a ward when one of its properties ``ward``, ``name`` or ``N03_004``
    (the national land information N03 ward name) equals the ward's name. A ward may have
    several features (islands); wards without a feature are left out.

    Returns
    -------
    dict of str to list
        Ward → list of polygons, each a list of rings of ``[lon, lat]`` (outer ring first).

    Raises
    ------
    GraphError
        When the file is not a GeoJSON FeatureCollection, naming the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "w.geojson"
    >>> square = [[[0, 0], [1, 0], [1, 1], [0, 0]]]
    >>> _ = f.write_text(json.dumps({"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "properties": {"N03_004": "北区"},
    ...      "geometry": {"type": "Polygon", "coordinates": square}}]}))
    >>> list(geojson_shapes(f, ["北区", "西区"]))
    ['北区']
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        features = data["features"] if data.get("type") == "FeatureCollection" else None
    except (OSError, ValueError, AttributeError, KeyError) as exc:
        raise GraphError(f"{path}: not a readable GeoJSON FeatureCollection ({exc})") from exc
    if not isinstance(features, list):
        raise GraphError(f"{path}: not a GeoJSON FeatureCollection")
    wanted = set(wards)
    shapes: dict[str, list] = {}
    for feature in features:
        props = feature.get("properties") or {}
        names = {str(props.get(k)) for k in ("ward", "name", "N03_004") if props.get(k)}
        ward = next((n for n in names if n in wanted), None)
        geometry = feature.get("geometry") or {}
        if ward is None or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                    else list(geometry["coordinates"]))
        shapes.setdefault(ward, []).extend(polygons)
    return shapes


def centroid(polygons: list) -> tuple[float, float]:
    """The area-weighted centre of a ward's polygons (outer rings), for its label.

    >>> centroid([[[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]])
    (1.0, 1.0)
    """
    total = cx = cy = 0.0
    for polygon in polygons:
        ring = np.asarray(polygon[0], dtype=float)
        x, y = ring[:, 0], ring[:, 1]
        cross = x[:-1] * y[1:] - x[1:] * y[:-1]
        area = cross.sum() / 2
        if area == 0:
            continue
        total += area
        cx += ((x[:-1] + x[1:]) * cross).sum() / 6
        cy += ((y[:-1] + y[1:]) * cross).sum() / 6
    if total == 0:
        ring = np.asarray(polygons[0][0], dtype=float)
        return float(ring[:, 0].mean()), float(ring[:, 1].mean())
    return float(cx / total), float(cy / total)
