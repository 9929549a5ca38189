"""つなぎ役と孤立 / Connectors & isolated: who holds the network together, who is left out.

Screen: explanation → connector ranking with the reasons → one tab per kind of isolation (no
ties, one partner, peripheral, inactive since a date), each with its definition, count and
organisations with reasons → the Guimerà–Amaral role map (within-community z against the
participation coefficient).
"""

import altair as alt
import streamlit as st

from dashboards import _state, _state_tables
from dashboards._i18n import (
    isolation_help,
    isolation_label,
    kind_label,
    role_label,
    t,
    ward_label,
)
from graph.findings import ISOLATION_KINDS

path, version, scope = _state.page_start("connectors_title", "connectors_intro", intro_as_text=True)
lang = st.session_state.get("lang", "ja")
why = "why_en" if lang == "en" else "why_ja"
top = st.slider(t("top_n"), 5, 100, 20, step=5, key="connectors_top")

st.subheader(t("connector_ranking"))
with st.spinner(t("computing")):
    ranked = _state_tables.connectors(path, version, scope).head(top)
st.dataframe(
    ranked.assign(kind=ranked["kind"].map(kind_label), ward=ranked["ward"].map(ward_label),
                  role=ranked["role"].map(role_label))
    [["rank", "name", why, "score", "kind", "ward", "community_label", "role"]],
    hide_index=True, width="stretch", column_config={
        "rank": "#", "name": t("col_name"), "kind": t("col_kind"), "ward": t("col_ward"),
        "community_label": t("community"), "role": t("role"),
        "score": st.column_config.ProgressColumn(t("col_score"), min_value=0.0, max_value=1.0,
                                                 format="%.2f"),
        why: t("col_reason")})

st.subheader(t("isolated_groups"))
lonely = _state_tables.isolated(path, version, scope)
for kind, tab in zip(ISOLATION_KINDS, st.tabs(
        [f"{isolation_label(k)}（{int((lonely['isolation'] == k).sum()):,}）"
         for k in ISOLATION_KINDS])):
    with tab:
        st.caption(isolation_help(kind))
        rows = lonely[lonely["isolation"] == kind].head(500)
        if rows.empty:
            st.info(t("isolation_none"))
            continue
        st.dataframe(
            rows.assign(kind=rows["kind"].map(kind_label), ward=rows["ward"].map(ward_label),
                        isolation=rows["isolation"].map(isolation_label))
            [["name", why, "isolation", "kind", "ward", "degree", "last_activity"]],
            hide_index=True, width="stretch", column_config={
                "name": t("col_name"), why: t("col_reason"), "isolation": t("isolation_kind"),
                "kind": t("col_kind"), "ward": t("col_ward"), "degree": t("col_degree"),
                "last_activity": t("last_date")})

st.subheader(t("role_map"))
st.caption(t("role_map_help"))
points = _state_tables.role_map(path, version, scope, lang)
st.altair_chart(
    alt.Chart(points).mark_circle(opacity=0.6).encode(
        x=alt.X("participation_coefficient:Q", title=t("col_participation"),
                scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("within_module_z:Q", title=t("col_within_z")),
        color=alt.Color("role_label:N", title=t("role")),
        size=alt.Size("degree:Q", title=t("col_degree"), legend=None),
        tooltip=[alt.Tooltip("name:N", title=t("col_name")),
                 alt.Tooltip("role_label:N", title=t("role")),
                 alt.Tooltip("degree:Q", title=t("col_degree")),
                 alt.Tooltip("participation_coefficient:Q", format=".2f",
                             title=t("col_participation")),
                 alt.Tooltip("within_module_z:Q", format=".2f", title=t("col_within_z"))]),
    width="stretch")
