"""団体・イベント・資源 / Directory: the citizen-activity portal's listings, searchable.

Screen: a search box → three tabs, each following the sidebar's filters: groups (by ward,
kind, field), events (by date range), resource offers (rooms, equipment, skills) → each table
downloads as CSV or XLSX (formula-escaped) → pick a row's organisation to open its card on the
Network page.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboards import _downloads, _needs, _state
from dashboards._i18n import (
    event_kind_label,
    kind_label,
    resource_kind_label,
    t,
    ward_label,
)

path, version, scope = _state.page_start("dir_title", "dir_intro")
query = st.text_input(t("dir_search"), key="dir_query", max_chars=100).strip()


def downloads(frame: pd.DataFrame, name: str) -> None:
    """CSV and XLSX buttons for ``frame`` (cells escaped against formulas)."""
    left, right = st.columns(2)
    csv = _downloads.spreadsheet_safe(frame).to_csv(index=False).encode("utf-8-sig")
    left.download_button(t("dir_download_csv"), csv, file_name=f"tsunagari_{name}.csv",
                         mime="text/csv", key=f"dir_{name}_csv")
    right.download_button(t("dir_download_xlsx"), _downloads.xlsx_bytes({name: frame}),
                          file_name=f"tsunagari_{name}.xlsx", key=f"dir_{name}_xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def card_link(ids: pd.Series, names: pd.Series, name: str) -> None:
    """Choose one of the rows' organisations and open its card (Network page)."""
    choices = dict(zip(ids.astype(str), names.astype(str)))
    choices.pop("", None)
    if not choices:
        return
    pick, go = st.columns([3, 1])
    org = pick.selectbox(t("dir_card_pick"), list(choices), index=None, format_func=choices.get,
                         key=f"dir_{name}_card", placeholder=t("search_placeholder"))
    if go.button(t("dir_open_card"), key=f"dir_{name}_open", disabled=org is None):
        st.session_state["network_focus"] = org
        st.switch_page("dashboards/network.py")


tab_groups, tab_events, tab_offers = st.tabs([t("dir_groups"), t("dir_events"), t("dir_offers")])
with tab_groups:
    table = _needs.groups(path, version, scope, query)
    st.caption(t("dir_count", n=len(table)))
    st.dataframe(table.assign(kind=table["kind"].map(kind_label),
                              ward=table["ward"].map(ward_label)),
                 hide_index=True, width="stretch", column_config={
                     "id": t("col_id"), "name": t("col_name"), "kind": t("col_kind"),
                     "ward": t("col_ward"), "fields": t("col_fields"),
                     "founded": t("dir_founded"), "source": t("col_source")})
    downloads(table, "groups")
    card_link(table["id"], table["name"], "groups")

with tab_events:
    start_col, end_col = st.columns(2)
    start = start_col.date_input(t("dir_from"), None, key="dir_events_from",
                                 min_value=dt.date(1990, 1, 1))
    end = end_col.date_input(t("dir_to"), None, key="dir_events_to",
                             min_value=dt.date(1990, 1, 1))
    table = _needs.events(path, version, scope, start, end, query)
    st.caption(t("dir_count", n=len(table)))
    st.dataframe(table.assign(ward=table["ward"].map(ward_label),
                              kind=table["kind"].map(event_kind_label)), hide_index=True,
                 width="stretch", column_config={
                     "id": t("col_id"), "date": t("dir_date"), "name": t("dir_event"),
                     "kind": t("col_kind"), "ward": t("col_ward"),
                     "organizer_id": t("dir_organizer_id"), "organizer": t("dir_organizer"),
                     "attendance": t("dir_attendance"), "source": t("col_source")})
    downloads(table, "events")
    card_link(table["organizer_id"], table["organizer"], "events")

with tab_offers:
    table = _needs.offers(path, version, scope, query)
    st.caption(t("dir_count", n=len(table)))
    st.dataframe(table.assign(ward=table["ward"].map(ward_label),
                              kind=table["kind"].map(resource_kind_label)), hide_index=True,
                 width="stretch", column_config={
                     "id": t("col_id"), "title": t("dir_offer"), "kind": t("col_kind"),
                     "provider_id": t("dir_provider_id"), "provider": t("dir_provider"),
                     "ward": t("col_ward"), "offered_on": t("dir_offered_on"),
                     "source": t("col_source")})
    downloads(table, "offers")
    card_link(table["provider_id"], table["provider"], "offers")
