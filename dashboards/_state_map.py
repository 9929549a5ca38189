"""Cached loaders of the ward map: per-ward figures and the ward shapes.

Shapes come from the GeoJSON file named by ``$TSUNAGARI_WARD_BOUNDARIES`` (features matched to
wards by name, ``graph.ward_map.geojson_shapes``); without one, from the tile grid
(``graph.ward_map.tile_grid``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboards import _state
from dashboards._i18n import LANGS, current_lang

__all__ = ["BOUNDARIES_ENV", "ward_table", "ward_shapes", "choose_ward", "report_bytes"]

#: Environment variable naming a GeoJSON file of ward boundaries.
BOUNDARIES_ENV = "TSUNAGARI_WARD_BOUNDARIES"


@st.cache_data(show_spinner=False, max_entries=16)
def ward_table(path: Path, version: str, fiscal_year: int | None,
               real_only: bool) -> pd.DataFrame:
    """``graph.ward_map.ward_metrics`` of the whole city's analysis, wards in the store's order."""
    from graph.ward_map import ward_metrics

    wards = _state.scope_options(path, version)["wards"]
    return ward_metrics(_state.analysis(path, version, fiscal_year, real_only), wards=wards)


@st.cache_data(show_spinner=False, max_entries=8)
def _shapes(wards: tuple[str, ...], boundaries: str, stamp: int) -> tuple[dict, str]:
    from graph.ward_map import geojson_shapes, tile_grid

    if boundaries:
        found = geojson_shapes(boundaries, wards)
        if found:
            return found, Path(boundaries).name
    return tile_grid(wards), ""


def ward_shapes(wards: tuple[str, ...]) -> tuple[dict, str]:
    """``(ward → polygons, source)``: source is the boundaries file's name, or "" for tiles."""
    boundaries = os.environ.get(BOUNDARIES_ENV, "")
    try:
        stamp = Path(boundaries).stat().st_mtime_ns if boundaries else 0
    except OSError:
        boundaries, stamp = "", 0
    return _shapes(wards, boundaries, stamp)


def choose_ward(ward: str | None) -> None:
    """Set the sidebar's ward scope to ``ward`` (or all wards); call from a widget callback."""
    key = _state.SCOPE_KEYS["wards"]
    value = [ward] if ward else []
    st.session_state[key] = value
    st.session_state[f"{key}__{current_lang()}"] = value
    for lang in LANGS:
        if lang != current_lang():
            st.session_state.pop(f"{key}__{lang}", None)


def report_bytes(path: Path, version: str, fiscal_year: int | None, real_only: bool, ward: str,
                 lang: str, fmt: str) -> bytes:
    """The ward report (``graph.report``) as ``fmt`` bytes, from the cached city analysis.

    Uses the ward's saved growth (``graph.time.growth_cache``) when the Growth page computed it.
    """
    from graph.report.render import render
    from graph.report.ward import make_ward_report
    from graph.time import growth_folder, load_growth
    from ingest.store import status

    result = _state.analysis(path, version, fiscal_year, real_only)
    try:
        growth = load_growth(growth_folder(path, version, wards=(ward,), real_only=real_only))
    except FileNotFoundError:
        growth = None
    report = make_ward_report(_state.dataset(path, version), ward, store=path.name,
                              version=version, lang=lang, result=result, growth=growth,
                              batches=status(path)["batches"])
    return render(report, fmt)
