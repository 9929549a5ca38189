"""ネットワーク / Network: the tie graph drawn, an organisation's neighbourhood and its card.

Screen: search an organisation (its neighbourhood up to 1–2 steps is drawn and its card shown)
→ colour and size choices → the drawing (the whole scope when it is small enough; above
that every organisation with WebGL (``dashboards._state_webgl``, on by default) or one circle
per community, with a community picker to open one) → legend → community stability
(opt-in: Louvain over several seeds, ``graph.communities.stability``; share sitting firmly, per
community, least firm organisations) → the card: kind, ward, fields, community, role, measures
and the records behind each tie.
"""

import altair as alt
import streamlit as st

from dashboards import _network_view, _state, _state_network, _state_tables, _viz
from dashboards._i18n import (
    field_label,
    keyed,
    kind_label,
    measure_label,
    orientation_label,
    role_label,
    t,
    ward_label,
)

#: Communities in the stability bar chart (the largest with at least two organisations).
STABILITY_CHART_LIMIT = 20

path, version, scope = _state.page_start("network_title")
lang = st.session_state.get("lang", "ja")
with st.spinner(t("computing")):
    options = _state_tables.org_options(path, version, scope)
if not options:
    st.warning(t("scope_empty"))
    st.stop()

search, depth_col = st.columns([3, 1])
focus = search.selectbox(t("search_org"), list(options), index=None, key="network_focus",
                         format_func=options.get, placeholder=t("search_placeholder"))
depth = depth_col.radio(t("ego_depth"), [1, 2], horizontal=True, key="network_depth")
colour_col, size_col, community_col = st.columns(3)
colour_by = keyed(colour_col.selectbox, "network_colour", t("color_by"), _network_view.COLOUR_BY,
                  format_func=lambda c: t(f"by_{c}"))
size_by = keyed(size_col.selectbox, "network_size", t("size_by"), _network_view.SIZE_MEASURES,
                format_func=measure_label)
communities = _state_tables.community_choices(path, version, scope)
community = community_col.selectbox(t("choose_community"), list(communities), index=None,
                                    key="network_community", format_func=communities.get,
                                    placeholder=t("view_all"))

webgl = False
if focus is None and community is None and len(options) > _network_view.DRAW_LIMIT:
    webgl = keyed(st.toggle, "network_webgl", t("webgl_toggle"), value=True)
if webgl:
    from dashboards import _state_webgl

    with st.spinner(t("computing")):
        drawing = _state_webgl.webgl_view(path, version, scope, lang)
    st.caption(t("webgl_drawn", n=f"{drawing['nodes']:,}", m=f"{drawing['edges']:,}",
                 k=f"{drawing['edges_drawn']:,}"))
    st.iframe(drawing["html"], height=_network_view.WEBGL_HEIGHT, alt=t("network_title"))
else:
    with st.spinner(t("computing")):
        view = _state_network.network_view(path, version, scope, focus=focus, depth=depth,
                                   community=community, colour_by=colour_by, size_by=size_by,
                                   lang=lang)
    if view["mode"] == "communities":
        st.info(t("too_large", n=f"{view['organisations']:,}") + " "
                + t("singletons_hidden", k=f"{view['singletons']:,}"))
    drawn = t("communities_drawn" if view["mode"] == "communities" else "nodes_drawn",
              n=f"{view['nodes']:,}", m=f"{view['edges']:,}")
    if view["edges_drawn"] < view["edges"]:
        drawn += " " + t("edges_capped", k=f"{view['edges_drawn']:,}")
    st.caption(drawn + " · " + t("hover_hint"))
    st.iframe(view["html"], height=660, alt=t("network_title"))
    if view["legend"]:
        st.html(_viz.legend_html(dict(list(view["legend"].items())[:20])))

with st.expander(t("stability_title")):
    st.caption(t("stability_help", n=_state_network.STABILITY_SEEDS,
                 threshold=_state_network.STABILITY_THRESHOLD))
    if keyed(st.toggle, "network_stability", t("stability_run")):
        with st.spinner(t("stability_computing", n=_state_network.STABILITY_SEEDS)):
            found = _state_network.community_stability(path, version, scope)
        label = "label_en" if lang == "en" else "label"
        figures = st.columns(3)
        figures[0].metric(t("stability_seeds"), found["seeds"])
        figures[1].metric(t("stability_firm_share"), f"{found['firm_share']:.0%}")
        figures[2].metric(t("stability_communities"), f"{len(found['communities']):,}")
        if found["modularity_range"]:
            low, high = found["modularity_range"]
            st.caption(t("stability_modularity", low=low, high=high))
        st.markdown(f"**{t('stability_per_community')}**")
        per_community = found["communities"]
        largest = per_community[per_community["size"] >= 2].head(STABILITY_CHART_LIMIT)
        if len(largest):
            st.caption(t("stability_chart", n=len(largest)))
            st.altair_chart(alt.Chart(largest).mark_bar().encode(
                x=alt.X("firm_share:Q", title=t("col_share_firm"),
                        scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
                y=alt.Y(f"{label}:N", title=t("community"), sort=None,
                        axis=alt.Axis(labelLimit=320)),
                tooltip=[alt.Tooltip(f"{label}:N", title=t("community")),
                         alt.Tooltip("size:Q", title=t("col_size")),
                         alt.Tooltip("firm_share:Q", title=t("col_share_firm"), format=".0%"),
                         alt.Tooltip("mean_frequency:Q", title=t("col_mean_frequency"),
                                     format=".2f")]), width="stretch")
        st.dataframe(per_community, hide_index=True, width="stretch",
                     column_order=["community", label, "size", "firm_share", "mean_frequency"],
                     column_config={
                         "community": t("col_community_id"), label: t("community"),
                         "size": t("col_size"),
                         "firm_share": st.column_config.ProgressColumn(
                             t("col_share_firm"), min_value=0.0, max_value=1.0, format="percent"),
                         "mean_frequency": st.column_config.NumberColumn(
                             t("col_mean_frequency"), format="%.3f")})
        st.markdown(f"**{t('stability_least_firm')}**")
        least = found["least_firm"]
        st.dataframe(least.assign(ward=least["ward"].map(ward_label),
                                  kind=least["kind"].map(kind_label)),
                     hide_index=True, width="stretch",
                     column_order=["name", "ward", "kind", label, "frequency"],
                     column_config={
                         "name": t("col_name"), "ward": t("col_ward"), "kind": t("col_kind"),
                         label: t("community"),
                         "frequency": st.column_config.NumberColumn(t("col_frequency"),
                                                                    format="%.3f")})

st.subheader(t("card_title"))
if focus is None:
    st.caption(t("no_org_chosen"))
    st.stop()
card = _state_network.org_card(path, version, scope, focus)
st.text(card["name"])
facts = st.columns(4)
facts[0].metric(t("col_kind"), kind_label(card["kind"]))
facts[1].metric(t("col_ward"), ward_label(card["ward"]))
facts[2].metric(t("col_orientation"), orientation_label(card["orientation"]))
facts[3].metric(t("role"), role_label(card["role"]))
st.text(f"{t('col_fields')}: " + (", ".join(field_label(f) for f in card["fields"]) or "—"))
st.text(f"{t('community')}: {card['community_label']}")
if card["isolated_why"][lang]:
    st.text(f"{t('isolated_why')}: {card['isolated_why'][lang]}")
if card["source"]:
    st.text(f"{t('col_source')}: {card['source']}")
st.markdown(f"**{t('measures')}**")
st.dataframe({t("metric"): [measure_label(name) for name in card["measures"]],
              t("value"): [round(value, 4) for value in card["measures"].values()]},
             hide_index=True)
st.markdown(f"**{t('evidence')}**")
st.dataframe(card["ties"].drop(columns=["evidence"]), hide_index=True, column_config={
    "partner": t("partner"), "partner_id": t("col_id"), "weight": t("weight"),
    "records": t("records"), "first_date": t("first_date"), "last_date": t("last_date")})
