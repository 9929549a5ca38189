"""概要 / Overview: the headline figures of the chosen scope, with charts.

Screen: title and one-line explanation → five KPI tiles (organisations, ties, communities,
cross-sector share, territorial↔thematic share) → one tile per kind of isolation (no ties, one
partner, peripheral, inactive since a date; each with its definition) → organisations by kind
and by ward
→ what the ties are made of → a plain-language note on each figure.
"""

import altair as alt
import streamlit as st

from dashboards import _state, _state_tables
from dashboards._i18n import isolation_help, isolation_label, kind_label, t, ward_label

path, version, scope = _state.page_start("overview_title", "overview_intro")
with st.spinner(t("computing")):
    data = _state_tables.overview(path, version, scope)
metrics = data["metrics"]
if metrics["organisations"] == 0:
    st.warning(t("scope_empty"))
    st.stop()


def _share(value: float) -> str:
    return "—" if value != value else f"{value:.0%}"


tiles = st.columns(5)
tiles[0].metric(t("kpi_orgs"), f"{metrics['organisations']:,}")
tiles[1].metric(t("kpi_ties"), f"{metrics['ties']:,}")
tiles[2].metric(t("kpi_communities"), f"{metrics['communities']:,}")
tiles[3].metric(t("kpi_cross_sector"), _share(metrics["cross_sector_share"]))
tiles[4].metric(t("kpi_terr_them"), _share(metrics["territorial_thematic_share"]))

st.subheader(t("isolation_kinds"))
kinds = st.columns(len(metrics["isolated_by_kind"]))
for tile, (kind, count) in zip(kinds, metrics["isolated_by_kind"].items()):
    tile.metric(isolation_label(kind), f"{count:,}", help=isolation_help(kind))

left, right = st.columns(2)
with left:
    st.subheader(t("chart_kinds"))
    by_kind = data["by_kind"].assign(label=lambda f: f["kind"].map(kind_label))
    st.altair_chart(
        alt.Chart(by_kind).mark_bar().encode(
            x=alt.X("organisations:Q", title=t("count")),
            y=alt.Y("label:N", sort="-x", title=None),
            tooltip=[alt.Tooltip("label:N", title=t("col_kind")),
                     alt.Tooltip("organisations:Q", title=t("count"))]),
        width="stretch")
with right:
    st.subheader(t("chart_wards"))
    by_ward = data["by_ward"].assign(label=lambda f: f["ward"].map(ward_label))
    long = by_ward.melt(id_vars=["label"], value_vars=["organisations", "isolated"],
                        var_name="series", value_name="n")
    long["series"] = long["series"].map({"organisations": t("kpi_orgs"),
                                         "isolated": t("kpi_isolated")})
    st.altair_chart(
        alt.Chart(long).mark_bar().encode(
            x=alt.X("n:Q", title=t("count")),
            y=alt.Y("label:N", sort="-x", title=None),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
            yOffset="series:N",
            tooltip=[alt.Tooltip("label:N", title=t("col_ward")), "series:N",
                     alt.Tooltip("n:Q", title=t("count"))]),
        width="stretch")

st.subheader(t("chart_tie_parts"))
parts = data["tie_parts"].assign(label=lambda f: f["part"].map(lambda p: t(f"part_{p}")))
st.altair_chart(
    alt.Chart(parts).mark_bar().encode(
        x=alt.X("ties:Q", title=t("kpi_ties")), y=alt.Y("label:N", sort="-x", title=None),
        tooltip=[alt.Tooltip("label:N", title=t("chart_tie_parts")),
                 alt.Tooltip("ties:Q", title=t("kpi_ties"))]),
    width="stretch")

with st.expander(t("what_it_means")):
    st.markdown(t("overview_help"))
    more = st.columns(3)
    more[0].metric(t("kpi_density"), f"{metrics['density']:.4f}")
    more[1].metric(t("kpi_components"), f"{metrics['components']:,}")
    more[2].metric(t("kpi_largest"), _share(metrics["largest_component_share"]))
