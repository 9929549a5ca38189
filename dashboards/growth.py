"""推移 / Growth: how the network grew, fiscal year by fiscal year.

Screen: a fiscal-year slider that replays the network as it stood at the end of that year →
per-year metric charts → community evolution as an alluvial chart (bands = organisations
staying in a community from one year to the next) → one organisation's trajectory → the
report's own printed figures (talent dispatches by 地縁型/テーマ型 with every printed version,
合計 as its own bar) with the conflicts between them → apart, for reference, synthetic figures
and counts from the records (dispatches, grants per year).
"""

import altair as alt
import streamlit as st

from dashboards import _state
from dashboards._i18n import category_label, community_event_label, keyed, t
from dashboards._report_chart import dispatch_chart, dispatch_rows

st.title(t("growth_title"))
st.caption(t("growth_intro"))
path, version = _state.require_data()
scope = _state.current_scope()
lang = st.session_state.get("lang", "ja")
with st.spinner(t("computing")):
    size = _state.growth_size(path, version, scope.wards, scope.real_only)
if size > _state.GROWTH_LIMIT:
    st.info(t("growth_too_large", n=f"{size:,}", limit=f"{_state.GROWTH_LIMIT:,}"))
    periods = []
else:
    with st.spinner(t("computing")):
        data = _state.growth(path, version, scope.wards, scope.real_only)
    periods = data["periods"]

if periods:
    period = st.select_slider(t("replay_year"), periods, value=periods[-1], key="growth_period")
    shown = _state.replay(path, version, scope.wards, scope.real_only, period, lang)
    st.caption(t("nodes_drawn", n=f"{shown['nodes']:,}", m=f"{shown['edges']:,}"))
    if shown["html"] is None:
        st.info(t("too_large_replay"))
    else:
        st.iframe(shown["html"], height=_state.REPLAY_HEIGHT, alt=t("replay_year"))

    st.subheader(t("per_year"))
    metric_names = ["organisations", "ties", "communities", "new_ties", "density",
                    "isolated_share", "cross_sector_share", "territorial_thematic_share"]
    chosen = keyed(st.multiselect, "growth_metrics", t("metric"), metric_names,
                   default=["organisations", "ties"], format_func=lambda m: t(f"m_{m}"))
    long = data["snapshots"].melt(id_vars=["period"], value_vars=chosen or metric_names[:2],
                                  var_name="metric", value_name="value")
    long["metric"] = long["metric"].map(lambda m: t(f"m_{m}"))
    st.altair_chart(alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("period:N", title=t("fy")), y=alt.Y("value:Q", title=None),
        color=alt.Color("metric:N", title=t("metric"), legend=None),
        row=alt.Row("metric:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
        tooltip=["period:N", "metric:N", alt.Tooltip("value:Q", format=",.3~f")]
    ).resolve_scale(y="independent").properties(height=110), width="stretch")

    st.subheader(t("evolution"))
    bands = data["bands"]
    if bands.empty:
        st.caption(t("nothing_found"))
    else:
        st.altair_chart(alt.Chart(bands).mark_area(opacity=0.7, interpolate="monotone").encode(
            x=alt.X("x:Q", title=t("fy"), axis=alt.Axis(
                values=list(range(len(sorted(bands["period"].unique())))),
                labelExpr="[" + ",".join(f"'{p}'" for p in sorted(bands["period"].unique()))
                          + "][datum.value]")),
            y=alt.Y("y:Q", title=t("kpi_orgs"), axis=None), y2="y2:Q",
            color=alt.Color("community:N", title=t("community")), detail="band:N",
            tooltip=[alt.Tooltip("community:N", title=t("community")),
                     alt.Tooltip("period:N", title=t("fy")),
                     alt.Tooltip("size:Q", title=t("kpi_orgs"))]), width="stretch")
        events = data["events"]
        shown_events = events[events["event"] != "continuation"].tail(200)
        st.dataframe(shown_events.assign(event=shown_events["event"].map(community_event_label)),
                     hide_index=True, width="stretch")

    st.subheader(t("trajectory"))
    trajectories = data["trajectories"]
    names = dict(zip(trajectories["id"], trajectories["name"].astype(str)))
    org = st.selectbox(t("search_org"), sorted(names, key=names.get), index=None,
                       format_func=names.get, key="growth_org", placeholder=t("search_placeholder"))
    if org is not None:
        path_rows = trajectories[trajectories["id"] == org]
        long = path_rows.melt(id_vars=["period"], value_vars=["degree", "betweenness"],
                              var_name="metric", value_name="value")
        st.altair_chart(alt.Chart(long).mark_line(point=True).encode(
            x=alt.X("period:N", title=t("fy")), y=alt.Y("value:Q", title=t("value")),
            color="metric:N", row=alt.Row("metric:N", title=None)
        ).resolve_scale(y="independent").properties(height=140), width="stretch")
        st.dataframe(path_rows, hide_index=True, width="stretch")

st.subheader(t("report_series"))
series = _state.report_series(path, version)
rows = dispatch_rows(series["series"], synthetic_sources=series["synthetic_sources"], lang=lang)
st.markdown(f"**{t('dispatches_by_year')}**")
st.caption(t("conflict_note"))
printed = rows[rows["group"] == "report"]
if printed.empty:
    st.caption(t("nothing_found"))
else:
    st.altair_chart(dispatch_chart(printed, lang=lang, fy_title=t("fy"), count_title=t("count")),
                    width="content")
st.markdown(f"**{t('conflicts')}**")
printed_conflicts = series["report_conflicts"]
st.dataframe(printed_conflicts.assign(metric=printed_conflicts["metric"].map(category_label),
                                      category=printed_conflicts["category"].map(category_label)),
             hide_index=True, width="stretch", column_order=["period", "category", "values",
                                                             "spread", "metric"])

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
