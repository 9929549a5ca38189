"""The ward choropleth as a Vega-Lite chart (altair): no base map, nothing loaded from outside.

One ``geoshape`` layer (the ward polygons; a click selects a ward through the point selection
:data:`SELECTION` on the ``ward`` field) coloured by the chosen measure on a white→blue ramp
(grey: no value), the chosen wards outlined in red, and a text layer with the ward names.
Vega draws it on a canvas like every other chart of the dashboard: no WebGL. (Until 2026-12 it
was a deck.gl chart: its 3 MB bundle and software WebGL in a browser without a GPU took
seconds a visit; see docs/benchmarks/dashboard.md, "City scale".) Tooltips are Vega's plain
text tooltips, so a ward name is never read as HTML.

>>> import pandas as pd
>>> table = pd.DataFrame({"ward": ["北区", "西区"], "organisations": [10, 5],
...                       "isolated_share": [0.1, 0.5]})
>>> from graph.ward_map import tile_grid
>>> chart = ward_chart(table, tile_grid(["北区", "西区"]), "isolated_share", "孤立",
...                    chosen=("西区",))
>>> [row["fill"] for row in chart.layer[0].data.values]
['rgba(239,243,255,0.86)', 'rgba(8,81,156,0.86)']
>>> [row["stroke"] for row in chart.layer[0].data.values]
['rgba(90,90,90,0.78)', 'rgba(200,30,30,1.0)']
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from graph.ward_map import centroid

__all__ = ["SELECTION", "HEIGHT", "ward_chart", "ramp", "clockwise"]

#: Name of the chart's point selection (``st.altair_chart(selection_mode=SELECTION)``).
SELECTION = "ward_pick"
#: Height of the map (pixels).
HEIGHT = 560
_LOW = (239, 243, 255)
_HIGH = (8, 81, 156)
_MISSING = [200, 200, 200, 160]
_FONT = '"Noto Sans CJK JP", "IPAexGothic", sans-serif'


def ramp(value: float, low: float, high: float) -> list[int]:
    """RGBA on the white→blue ramp for ``value`` in [low, high]; grey for a missing value.

    >>> ramp(5, 0, 10)
    [124, 162, 206, 220]
    >>> ramp(float("nan"), 0, 1)
    [200, 200, 200, 160]
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return list(_MISSING)
    share = 0.0 if high <= low else min(max((value - low) / (high - low), 0.0), 1.0)
    return [round(a + (b - a) * share) for a, b in zip(_LOW, _HIGH)] + [220]


def _css(rgba: list[int]) -> str:
    r, g, b, a = rgba
    return f"rgba({r},{g},{b},{round(a / 255, 2)})"


def clockwise(ring: list) -> list:
    """``ring`` (``[lon, lat]`` pairs) in clockwise order, as d3-geo wants an outer ring.

    GeoJSON files (RFC 7946) give outer rings counter-clockwise; Vega's d3-geo reads such a
    ring as the whole globe minus the ward, so it is reversed.

    >>> clockwise([[0, 0], [1, 0], [1, 1], [0, 0]])
    [[0, 0], [1, 1], [1, 0], [0, 0]]
    >>> clockwise([[0, 0], [1, 1], [1, 0], [0, 0]])
    [[0, 0], [1, 1], [1, 0], [0, 0]]
    """
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))
    return list(reversed(ring)) if area > 0 else list(ring)


def ward_chart(table: pd.DataFrame, shapes: dict[str, list], measure: str, measure_label: str,
               *, chosen: tuple[str, ...] = (), names: dict[str, str] | None = None,
               orgs_label: str = "団体数") -> alt.LayerChart:
    """The map: ward polygons coloured by ``measure`` (a column of ``table``) and their names.

    ``shapes`` maps a ward to its polygons (``graph.ward_map``; outer rings are drawn);
    ``chosen`` wards get a thick red outline; ``names`` gives each ward's label on screen
    (default: the ward itself). A click selects the ward under the pointer (:data:`SELECTION`,
    field ``ward``).
    """
    names = names or {}
    values = pd.to_numeric(table[measure], errors="coerce")
    low, high = (float(values.min()), float(values.max())) if values.notna().any() else (0, 1)
    rows, labels = [], []
    for ward, value, orgs in zip(table["ward"], values, table["organisations"]):
        if ward not in shapes:
            continue
        shown = names.get(ward, ward)
        text = "—" if pd.isna(value) else f"{value:,.3f}".rstrip("0").rstrip(".")
        for polygon in shapes[ward]:
            rows.append({"type": "Feature",
                         "geometry": {"type": "Polygon", "coordinates": [clockwise(polygon[0])]},
                         "ward": ward, "name": shown, "fill": _css(ramp(float(value), low, high)),
                         "stroke": _css([200, 30, 30, 255] if ward in chosen
                                        else [90, 90, 90, 200]),
                         "width": 4 if ward in chosen else 1,
                         "value": text, "organisations": f"{int(orgs):,}"})
        x, y = centroid(shapes[ward])
        labels.append({"name": shown, "lon": x, "lat": y})
    pick = alt.selection_point(name=SELECTION, fields=["ward"], on="click")
    polygons = alt.Chart(alt.Data(values=rows)).mark_geoshape(cursor="pointer").encode(
        color=alt.Color("fill:N", scale=None), stroke=alt.Stroke("stroke:N", scale=None),
        strokeWidth=alt.StrokeWidth("width:Q", scale=None),
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("value:N", title=measure_label),
                 alt.Tooltip("organisations:N", title=orgs_label)],
    ).add_params(pick)
    text = alt.Chart(alt.Data(values=labels)).mark_text(
        fontSize=13, font=_FONT, color="#141414").encode(
        longitude="lon:Q", latitude="lat:Q", text="name:N")
    return alt.layer(polygons, text).project(type="mercator").properties(
        height=HEIGHT, width="container").configure_view(stroke=None)
