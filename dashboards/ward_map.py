"""区の地図 / Ward map: the wards as a choropleth; a click sets the ward scope of every page.

Screen: the measure to colour by → the map (real boundaries from a GeoJSON file when one is
configured, else a tile grid in geographic order) → the wards in scope and a button to show
all wards again → the chosen ward's report in one click (PDF, XLSX, HTML) → the table of every ward's figures.
"""

import streamlit as st

from dashboards import _state, _state_map
from dashboards._i18n import keyed, t, ward_label
from dashboards._ward_map_view import SELECTION, ward_chart
from graph.ward_map import METRICS

path, version, scope = _state.page_start("map_title", "map_intro")
with st.spinner(t("computing")):
    table = _state_map.ward_table(path, version, scope.fiscal_year, scope.real_only)
shapes, source = _state_map.ward_shapes(tuple(table["ward"]))
measure = keyed(st.radio, "map_measure", t("map_measure"), list(METRICS), horizontal=True,
                format_func=lambda m: t(f"map_{m}"))


def _clicked() -> None:
    state = st.session_state.get("ward_map_chart")
    picked = state.selection.get(SELECTION, []) if state else []
    if picked:
        _state_map.choose_ward(picked[0]["ward"])


chart = ward_chart(table, shapes, measure, t(f"map_{measure}"), chosen=scope.wards,
                   names={w: ward_label(w) for w in table["ward"]}, orgs_label=t("col_size"))
st.altair_chart(chart, on_select=_clicked, selection_mode=SELECTION, key="ward_map_chart",
                width="stretch", alt=t("map_title"))
st.caption(t("map_source", source=source) if source else t("map_tiles_note"))
if scope.wards:
    st.markdown(t("map_chosen", wards="、".join(ward_label(w) for w in scope.wards)))
    st.button(t("map_all_wards"), on_click=_state_map.choose_ward, args=(None,))
    st.markdown(f"**{t('report_heading')}**")
    st.caption(t("report_note"))
    lang = st.session_state.get("lang", "ja")
    columns = st.columns(3)
    for column, fmt, mime in zip(columns, ("pdf", "xlsx", "html"), (
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/html")):
        for ward in scope.wards[:1]:
            column.download_button(
                t(f"report_{fmt}", ward=ward_label(ward)),
                data=lambda fmt=fmt, ward=ward: _state_map.report_bytes(
                    path, version, scope.fiscal_year, scope.real_only, ward, lang, fmt),
                file_name=f"{ward}_report.{fmt}", mime=mime, key=f"ward_report_{fmt}",
                on_click="ignore")

st.subheader(t("map_table"))
shown = table.assign(ward=table["ward"].map(ward_label)).rename(columns={
    "ward": t("col_ward"), "organisations": t("col_size"), "isolated": t("col_isolated"),
    "connectors": t("col_connectors"), **{m: t(f"map_{m}") for m in METRICS}})
st.dataframe(shown, hide_index=True, width="stretch")
