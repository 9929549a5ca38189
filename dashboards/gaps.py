"""ギャップ / Gaps: where partnerships are fewer than the network's own shape would predict.

Screen: explanation → ward × sector heatmap (observed / expected ties) → field × field
heatmap → community pairs with few bridges → territorial↔thematic bridging per ward →
wards and fields with no company partner → downloads of any gap table (CSV, XLSX; formula-
escaped) or of all of them (XLSX).
"""

import altair as alt
import streamlit as st

from dashboards import _downloads, _state, _state_tables
from dashboards._i18n import LABELS, field_label, keyed, sector_label, t, ward_label
from ingest.schemas import NPO_FIELDS, WARDS

path, version, scope = _state.page_start("gaps_title", "gaps_intro")
with st.spinner(t("computing")):
    gaps = _state_tables.gap_tables(path, version, scope)

value = keyed(st.radio, "gaps_value", t("heatmap_value"), ["ratio", "observed", "expected"],
              horizontal=True, format_func=t)


def heatmap(frame, x: str, y: str, x_title: str, y_title: str, order: list | None = None
            ) -> alt.Chart:
    """Observed-vs-expected heatmap; colour centred on ratio 1 (red: fewer ties than expected)."""
    if value == "ratio":
        colour = alt.Color("ratio:Q", title=t("ratio"),
                           scale=alt.Scale(scheme="redblue", domainMid=1, domain=[0, 2],
                                           clamp=True))
    else:
        colour = alt.Color(f"{value}:Q", title=t(value), scale=alt.Scale(scheme="blues"))
    return alt.Chart(frame).mark_rect().encode(
        x=alt.X(f"{x}:N", title=x_title, sort=order), y=alt.Y(f"{y}:N", title=y_title, sort=order),
        color=colour,
        tooltip=[alt.Tooltip(f"{y}:N", title=y_title), alt.Tooltip(f"{x}:N", title=x_title),
                 alt.Tooltip("observed:Q", title=t("observed"), format=".0f"),
                 alt.Tooltip("expected:Q", title=t("expected"), format=".1f"),
                 alt.Tooltip("ratio:Q", title=t("ratio"), format=".2f")])


st.subheader(t("ward_sector"))
ward_sector = gaps["ward_sector"].assign(
    ward_l=lambda f: f["ward"].map(ward_label), sector_l=lambda f: f["sector"].map(sector_label))
ward_order = [ward_label(w) for w in WARDS] + sorted(
    {ward_label(w) for w in ward_sector["ward"] if w not in WARDS})
st.altair_chart(heatmap(ward_sector, "sector_l", "ward_l", t("col_kind"), t("col_ward")).encode(
    y=alt.Y("ward_l:N", title=t("col_ward"), sort=ward_order)), width="stretch")

st.subheader(t("field_field"))
fields = gaps["field_field"].assign(
    a=lambda f: f["field_a"].map(field_label), b=lambda f: f["field_b"].map(field_label))
st.altair_chart(heatmap(fields, "a", "b", t("col_fields"), t("col_fields"),
                        order=[field_label(f) for f in NPO_FIELDS]), width="stretch")

st.subheader(t("community_pairs"))
holes = gaps.get("community_holes")
if holes is None or holes.empty:
    st.caption(t("nothing_found"))
else:
    st.dataframe(holes.head(50)[["label_a", "label_b", "size_a", "size_b", "bridges",
                                 "expected", "ratio"]],
                 hide_index=True, width="stretch", column_config={
                     "label_a": t("community"), "label_b": t("community"),
                     "size_a": t("col_size"), "size_b": t("col_size"),
                     "bridges": t("observed"),
                     "expected": st.column_config.NumberColumn(t("expected"), format="%.1f"),
                     "ratio": st.column_config.NumberColumn(t("ratio"), format="%.2f")})

st.subheader(t("bridging_by_ward"))
bridging = gaps["orientation_bridging"].dropna(subset=["share"]).assign(
    ward_l=lambda f: f["ward"].map(ward_label))
if bridging.empty:
    st.caption(t("nothing_found"))
else:
    long = bridging.melt(id_vars=["ward_l"], value_vars=["share", "expected_share"],
                         var_name="series", value_name="value")
    long["series"] = long["series"].map({"share": t("observed"),
                                         "expected_share": t("expected")})
    st.altair_chart(alt.Chart(long).mark_bar().encode(
        x=alt.X("value:Q", title=t("share"), axis=alt.Axis(format="%")),
        y=alt.Y("ward_l:N", title=None), yOffset="series:N",
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=["ward_l:N", "series:N", alt.Tooltip("value:Q", format=".0%")]),
        width="stretch")

st.subheader(t("no_company"))
company = gaps["company_gaps"]
missing = company[company["no_company_partner"]]
if missing.empty:
    st.caption(t("nothing_found"))
else:
    st.dataframe(missing.assign(
        label=[ward_label(k) if d == "ward" else field_label(k)
               for d, k in zip(missing["dimension"], missing["key"])])
        [["label", "organisations", "companies", "company_ties"]],
        hide_index=True, width="stretch", column_config={
            "label": t("col_ward") + " / " + t("col_fields"),
            "organisations": t("kpi_orgs"), "companies": t("col_companies"),
            "company_ties": t("kpi_ties")})

st.subheader(t("downloads"))
tables = _downloads.gap_downloads(gaps)
chosen = keyed(st.selectbox, "gaps_download_table", t("gaps_table"), list(tables),
               format_func=lambda name: t(f"gaps_table_{name}") if f"gaps_table_{name}" in LABELS
               else name)
downloads = st.columns(3)
csv = _downloads.spreadsheet_safe(tables[chosen]).to_csv(index=False).encode("utf-8-sig")
downloads[0].download_button(t("gaps_csv"), csv, mime="text/csv", key="gaps_csv",
                             file_name=f"tsunagari_gaps_{chosen}.csv")
xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
downloads[1].download_button(t("gaps_xlsx"), _downloads.xlsx_bytes({chosen: tables[chosen]}),
                             file_name=f"tsunagari_gaps_{chosen}.xlsx", key="gaps_xlsx", mime=xlsx)
downloads[2].download_button(t("download_xlsx_all"), _downloads.xlsx_bytes(tables),
                             file_name="tsunagari_gaps.xlsx", key="gaps_xlsx_all", mime=xlsx)
