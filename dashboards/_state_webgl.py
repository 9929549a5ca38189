"""Cached loader of the WebGL network view (``dashboards._webgl``) for large scopes.

Every organisation in view is drawn at the page's cached layout (``_state.layout``, seeded),
with a colour per choice (community, kind, ward, 地縁型/テーマ型) and a size per measure
(``_state.SIZE_MEASURES``); ties are capped at :data:`WEBGL_EDGE_LIMIT` (each organisation's
strongest tie first).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboards import _state, _viz
from dashboards._i18n import measure_label, t

__all__ = ["WEBGL_EDGE_LIMIT", "WEBGL_HEIGHT", "webgl_view"]

#: Most ties sent to the browser (WebGL draws them all at once).
WEBGL_EDGE_LIMIT = 20_000
#: Height of the drawing (pixels).
WEBGL_HEIGHT = 680


@st.cache_data(show_spinner=False, max_entries=8)
def webgl_view(path: Path, version: str, scope: _state.Scope, lang: str) -> dict:
    """``{"html", "nodes", "edges", "edges_drawn"}`` of the whole scope drawn with WebGL."""
    from dashboards._webgl import webgl_html

    result = _state.scoped_analysis(path, version, scope)
    G = _state.view_graph(path, version, scope)
    member = _state.membership(path, version, scope)
    labels = result.communities["label"].to_dict()
    positions = _state.layout(path, version, scope, None)
    order = list(G)
    measures = result.measures.loc[order]
    colours = {}
    for choice in _state.COLOUR_BY:
        keys = _state._colour_keys(G, choice, member, labels, lang)
        palette = _viz.colour_map(keys.values())
        colours[choice] = [palette[keys[v]] for v in order]
    sizes = {}
    for m in _state.SIZE_MEASURES:
        scaled = _viz.node_sizes(measures[m].to_dict(), smallest=2.0, largest=14.0)
        sizes[m] = [scaled[v] for v in order]
    nodes = pd.DataFrame({
        "id": order, "label": [str(G.nodes[v].get("name") or v) for v in order],
        "x": [positions[v][0] for v in order], "y": [positions[v][1] for v in order],
        "card": [_state._org_title(G.nodes[v], measures.loc[v], labels.get(member[v], ""), lang)
                 for v in order]})
    edges = pd.DataFrame(_viz.strongest_edges(G, limit=WEBGL_EDGE_LIMIT),
                         columns=["source", "target"])
    words = {"search": t("search_placeholder", lang=lang), "find": t("webgl_find", lang=lang),
             "clear": t("webgl_clear", lang=lang), "colour": t("color_by", lang=lang),
             "size": t("size_by", lang=lang), "hint": t("webgl_hint", lang=lang),
             **{c: t(f"by_{c}", lang=lang) for c in _state.COLOUR_BY},
             **{m: measure_label(m, lang=lang) for m in _state.SIZE_MEASURES}}
    html = webgl_html(nodes, edges, colours=colours, sizes=sizes, labels=words,
                      height=WEBGL_HEIGHT - 60)
    return {"html": html, "nodes": len(order), "edges": G.number_of_edges(),
            "edges_drawn": len(edges)}
