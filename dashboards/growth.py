"""推移 / Growth: how the network grew, fiscal year by fiscal year — for any scope, the city too.

Screen: a fiscal-year slider that replays the network as it stood at the end of that year (one
circle per community when the scope is large) → per-year metric charts → community births,
merges, splits and deaths per year and their alluvial chart → rising connectors and newly
isolated organisations → one organisation's trajectory → the report's own series (talent
dispatches by 地縁型/テーマ型 with both printed versions, grants per year) with the conflicts
between sources. The events table and the report's series sit in expanders drawn only when
opened (``on_change="rerun"``), so a visit draws three charts, not six. The tables are
computed once per store version and scope (``dashboards._state_growth``) and saved beside the
store; the charts' specs are built once per saved growth and language.
"""

import altair as alt
import streamlit as st

from dashboards import _growth_charts, _growth_view, _state, _state_growth, _viz
from dashboards._i18n import category_label, keyed, t
from dashboards._report_chart import dispatch_chart, dispatch_rows

path, version, scope = _state.page_start("growth_title", "growth_intro")
lang = st.session_state.get("lang", "ja")
data = _state_growth.growth(path, version, scope.wards, scope.real_only)
snapshots = data["snapshots"]
periods = snapshots["period"].tolist() if "period" in snapshots else []

if periods:
    st.caption(t("growth_scope_caption", n=f"{int(snapshots['organisations'].iloc[-1]):,}",
                 periods=len(periods), first=periods[0], last=periods[-1]))
    period = st.select_slider(t("replay_year"), periods, value=periods[-1], key="growth_period")
    with st.spinner(t("computing")):
        shown = _state_growth.replay_view(path, version, scope.wards, scope.real_only, period,
                                          lang)
    if shown["mode"] == "communities":
        st.caption(t("replay_communities"))
        st.caption(t("replay_drawn_communities", year=period, c=f"{shown['communities']:,}",
                     n=f"{shown['nodes']:,}"))
    else:
        st.caption(t("nodes_drawn", n=f"{shown['nodes']:,}", m=f"{shown['edges']:,}"))
    st.iframe(shown["html"], height=_growth_view.REPLAY_HEIGHT, alt=t("replay_year"))
    if shown["legend"]:
        st.caption(t("replay_colour_rule", n=_growth_view.REPLAY_COLOURED))
        st.html(_viz.legend_html(shown["legend"]))

    st.subheader(t("per_year"))
    metric_names = ["organisations", "ties", "communities", "new_ties", "density",
                    "isolated_share", "cross_sector_share", "territorial_thematic_share"]
    chosen = keyed(st.multiselect, "growth_metrics", t("metric"), metric_names,
                   default=["organisations", "ties"], format_func=lambda m: t(f"m_{m}"))
    view = _state_growth.growth_view(path, version, scope.wards, scope.real_only, lang)
    st.vega_lite_chart(spec=_state_growth.metric_spec(
        path, version, scope.wards, scope.real_only, tuple(chosen or metric_names[:2]), lang),
        width="stretch")

    st.subheader(t("evolution"))
    st.markdown(f"**{t('community_events')}**")
    st.vega_lite_chart(spec=view["events_spec"], width="stretch")
    st.markdown(f"**{t('alluvial_title')}**")
    if view["alluvial_spec"] is None:
        st.caption(t("nothing_found"))
    else:
        st.vega_lite_chart(spec=view["alluvial_spec"], width="stretch")
    # drawn only when opened (a rerun): 1,900 rows at city scale
    with st.expander(t("events_table"), key="growth_events_open", on_change="rerun") as box:
        if box.open:
            st.dataframe(view["events_table"], hide_index=True, width="stretch")

    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('rising_connectors')}**")
        st.dataframe(view["rising"], hide_index=True, width="stretch")
    with right:
        st.markdown(f"**{t('newly_isolated')}**")
        st.dataframe(view["newly_isolated"], hide_index=True, width="stretch")

    st.subheader(t("trajectory"))
    trajectories = data["trajectories"]
    names = view["names"]
    query = st.text_input(t("search_org"), key="growth_org_query",
                          placeholder=t("search_placeholder"))
    found = _growth_charts.matching(names, query)  # a few matches, not 12,000 options
    org = st.selectbox(t("growth_matches", n=len(found)), found, index=None,
                       format_func=names.get, key="growth_org") if found else None
    if org is not None:
        path_rows = trajectories[trajectories["id"] == org]
        st.altair_chart(_growth_charts.trajectory(path_rows), width="stretch")
        st.dataframe(path_rows, hide_index=True, width="stretch")
else:
    st.info(t("nothing_found"))

st.subheader(t("report_series"))
# the report's own series (three charts and a table) are drawn when opened, not on every visit
with st.expander(t("report_series_open"), key="growth_report_open", on_change="rerun") as box:
    if box.open:
        series = _state_growth.report_series(path, version)
        rows = dispatch_rows(series["series"], synthetic_sources=series["synthetic_sources"],
                             lang=lang)
        st.markdown(f"**{t('dispatches_by_year')}**")
        st.caption(t("conflict_note"))
        printed = rows[rows["group"] == "report"]
        if printed.empty:
            st.caption(t("nothing_found"))
        else:
            st.altair_chart(dispatch_chart(printed, lang=lang, fy_title=t("fy"),
                                           count_title=t("count")), width="content")
        st.markdown(f"**{t('conflicts')}**")
        printed_conflicts = series["report_conflicts"]
        st.dataframe(printed_conflicts.assign(
            metric=printed_conflicts["metric"].map(category_label),
            category=printed_conflicts["category"].map(category_label)),
            hide_index=True, width="stretch",
            column_order=["period", "category", "values", "spread", "metric"],
            column_config={c: t(f"conflict_{c}")
                           for c in ("period", "category", "values", "spread", "metric")})

        st.subheader(t("reference_series"))
        st.caption(t("reference_series_note"))
        reference = rows[rows["group"] == "reference"]
        if not reference.empty:
            st.altair_chart(dispatch_chart(reference, lang=lang, fy_title=t("fy"),
                                           count_title=t("count")), width="content")
        frame = series["series"]
        grants = frame[frame["metric"].isin(["grants", "grant_amount_yen"])]
        st.markdown(f"**{t('grants_by_year')}**")
        if grants.empty:
            st.caption(t("nothing_found"))
        else:
            st.altair_chart(alt.Chart(grants).mark_line(point=True).encode(
                x=alt.X("period:N", title=t("fy")), y=alt.Y("value:Q", title=t("value")),
                color=alt.Color("source:N", title=t("source_version"),
                                legend=alt.Legend(orient="bottom")),
                row=alt.Row("metric:N", title=None),
                tooltip=["source:N", "period:N", "metric:N", "value:Q"]
            ).resolve_scale(y="independent").properties(height=160), width="stretch")
