"""The ward choropleth as a pydeck (deck.gl) chart: no base map, nothing loaded from outside.

One ``PolygonLayer`` (id :data:`LAYER_ID`, pickable: a click selects a ward) coloured by the
chosen measure on a white→blue ramp (grey: no value), and a ``TextLayer`` with ward names.
Tooltips are plain text (deck.gl's ``text`` tooltip), so a ward name is never read as HTML.

>>> import pandas as pd
>>> table = pd.DataFrame({"ward": ["北区", "西区"], "organisations": [10, 5],
...                       "isolated_share": [0.1, 0.5]})
>>> from graph.ward_map import tile_grid
>>> deck = ward_deck(table, tile_grid(["北区", "西区"]), "isolated_share", "孤立", chosen=("西区",))
>>> [layer.id for layer in deck.layers]
['wards', 'ward_names']
>>> [row["fill"] for row in deck.layers[0].data]
[[239, 243, 255, 220], [8, 81, 156, 220]]
"""

from __future__ import annotations

import math

import pandas as pd
import pydeck as pdk

from graph.ward_map import centroid

__all__ = ["LAYER_ID", "ward_deck", "ramp"]

LAYER_ID = "wards"
_LOW = (239, 243, 255)
_HIGH = (8, 81, 156)
_MISSING = [200, 200, 200, 160]
NO_BASE_MAP = "__MAP_STYLE__"


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


def ward_deck(table: pd.DataFrame, shapes: dict[str, list], measure: str, measure_label: str,
              *, chosen: tuple[str, ...] = (), names: dict[str, str] | None = None,
              orgs_label: str = "団体数") -> pdk.Deck:
    """The deck: ward polygons coloured by ``measure`` (a column of ``table``) and their names.

    ``shapes`` maps a ward to its polygons (``graph.ward_map``); ``chosen`` wards get a thick
    outline; ``names`` gives each ward's label on screen (default: the ward itself).
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
            rows.append({"ward": ward, "name": shown, "polygon": polygon[0],
                         "fill": ramp(float(value), low, high),
                         "line": [200, 30, 30, 255] if ward in chosen else [90, 90, 90, 200],
                         "width": 4 if ward in chosen else 1,
                         "value": text, "organisations": f"{int(orgs):,}"})
        x, y = centroid(shapes[ward])
        labels.append({"name": shown, "position": [x, y]})
    polygons = pdk.Layer(
        "PolygonLayer", rows, id=LAYER_ID, get_polygon="polygon", get_fill_color="fill",
        get_line_color="line", get_line_width="width", line_width_units=pdk.types.String("pixels"),
        stroked=True, filled=True, pickable=True, auto_highlight=True)
    text = pdk.Layer(
        "TextLayer", labels, id="ward_names", get_position="position", get_text="name",
        get_size=13, get_color=[20, 20, 20, 255], character_set=pdk.types.String("".join(sorted({c for lab in labels for c in lab["name"]}))),
        font_family=pdk.types.String('"Noto Sans CJK JP", "IPAexGothic", sans-serif'),
        pickable=False)
    xs = [p[0] for r in rows for p in r["polygon"]] or [135.5]
    ys = [p[1] for r in rows for p in r["polygon"]] or [34.67]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 0.01)
    view = pdk.ViewState(longitude=(min(xs) + max(xs)) / 2, latitude=(min(ys) + max(ys)) / 2,
                         zoom=max(1.0, min(14.0, math.log2(360 / span) - 0.6)))
    # "__MAP_STYLE__" is Streamlit's placeholder for "no style given": with it, Streamlit's
    # deck.gl chart draws no base map and fetches nothing (any other empty style falls back
    # to a base map loaded from the internet).
    return pdk.Deck(layers=[polygons, text], initial_view_state=view, map_provider=None,
                    map_style=NO_BASE_MAP, tooltip={"text": "{name}\n" + measure_label + ": {value}\n"
                                           + orgs_label + ": {organisations}"})
