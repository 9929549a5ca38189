"""Cached loader of the WebGL network view for large scopes (built by
``dashboards._network_view.webgl_drawing``).

Every organisation in view is drawn at the page's cached layout (``_state_network.layout``,
seeded), with a colour per choice (community, kind, ward, 地縁型/テーマ型) and a size per
measure; ties are capped at ``_network_view.WEBGL_EDGE_LIMIT`` (each organisation's strongest
tie first).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboards._network_view import webgl_drawing
from dashboards._state import Scope, membership, scoped_analysis, view_graph
from dashboards._state_network import layout

__all__ = ["webgl_view"]


@st.cache_data(show_spinner=False, max_entries=8)
def webgl_view(path: Path, version: str, scope: Scope, lang: str) -> dict:
    """``{"html", "nodes", "edges", "edges_drawn"}`` of the whole scope drawn with WebGL."""
    result = scoped_analysis(path, version, scope)
    return webgl_drawing(view_graph(path, version, scope),
                         positions=layout(path, version, scope, None),
                         measures=result.measures, member=membership(path, version, scope),
                         labels=result.communities["label"].to_dict(), lang=lang)
