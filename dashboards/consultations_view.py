"""The 相談 (consultations) view of the Introductions page: needs, who can help, outcomes.

Screen: the consultation figures the report gives, each with its source → the consultations
of the desks in scope → choose one → helpers (offers, talents, organisations) with reasons a
coordinator can say out loud, network distance and ward proximity, downloadable → record what
came of a match (stored like an introduction's outcome).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboards import _downloads, _needs
from dashboards._i18n import (
    category_label,
    consultation_status_label,
    in_language,
    status_label,
    t,
    ward_label,
)
from ingest.schemas import OUTCOME_STATUSES

__all__ = ["render"]

_PROXIMITY = {"same": "needs_same_ward", "neighbour": "needs_neighbour_ward",
              "other": "needs_other_ward"}


def _figures(path, version) -> None:
    figures = _needs.consultation_figures(path, version)
    st.markdown(f"**{t('needs_figures')}**")
    if figures.empty:
        st.caption(t("nothing_found"))
        return
    st.dataframe(figures.assign(metric=figures["metric"].map(category_label)), hide_index=True,
                 width="stretch", column_config={
        "metric": t("metric"), "period": t("needs_period"), "category": t("needs_category"),
        "value": st.column_config.NumberColumn(t("value"), format="%d"), "unit": t("needs_unit"),
        "source": t("col_source")})


def _outcome_form(path, consultation: str, asker: str, matches, lang: str) -> None:
    st.markdown(f"**{t('needs_record')}**")
    labels = {i: f"#{row.rank} {row.label}" for i, row in matches.iterrows()}
    with st.form("needs_outcome_form", clear_on_submit=True):
        pick = st.selectbox(t("needs_match"), list(labels), format_func=labels.get)
        status = st.radio(t("outcome_status"), OUTCOME_STATUSES, horizontal=True, index=1,
                          format_func=in_language(status_label, lang))
        on = st.date_input(t("outcome_date"), dt.date.today())
        note = st.text_input(t("outcome_note"), max_chars=500)
        if st.form_submit_button(t("save")):
            outcome = _needs.save_match_outcome(path, consultation=consultation, asker=asker,
                                                match=matches.loc[pick], status=status, on=on,
                                                note=note)
            st.success(t("outcome_saved", id=outcome))


def render(path, version, scope) -> None:
    """Draw the 相談 view (called by the Introductions page)."""
    lang = st.session_state.get("lang", "ja")
    st.header(t("needs_title"))
    st.caption(t("needs_intro"))
    _figures(path, version)
    table = _needs.consultations(path, version, scope, lang)
    st.markdown(f"**{t('needs_list')}**")
    if table.empty:
        st.caption(t("needs_none"))
        return
    st.dataframe(table.assign(ward=table["ward"].map(ward_label),
                              status=table["status"].map(consultation_status_label)),
                 hide_index=True, width="stretch", column_config={
                     "id": t("col_id"), "date": t("dir_date"), "ward": t("col_ward"),
                     "org_id": t("dir_org_id"), "org": t("col_name"),
                     "topics": t("needs_topics"), "status": t("needs_status"),
                     "description": t("description")})
    labels = {row.id: f"{row.id} {row.date} {row.topics}（{row.org or t('needs_individual')}）"
              for row in table.itertuples()}
    chosen = st.selectbox(t("needs_choose"), list(labels), index=None, key="needs_consultation",
                          format_func=labels.get, placeholder=t("needs_choose_hint"))
    if chosen is None:
        return
    with st.spinner(t("computing")):
        matches = _needs.consultation_matches(path, version, scope, chosen, 10)
    st.markdown(f"**{t('needs_matches')}**")
    if matches.empty:
        st.caption(t("needs_no_match"))
        return
    reasons = "reasons_en" if lang == "en" else "reasons_ja"
    shown = matches.assign(kind=matches["kind"].map(lambda k: t(f"needs_kind_{k}")),
                           proximity=matches["proximity"].map(
                               lambda p: t(_PROXIMITY[p]) if p in _PROXIMITY else "—"))
    st.dataframe(shown[["rank", "kind", "label", "org", "score", "distance", "proximity",
                        reasons, "evidence"]], hide_index=True, width="stretch", column_config={
        "rank": "#", "kind": t("needs_kind"), "label": t("needs_helper"), "org": t("col_name"),
        "score": st.column_config.NumberColumn(t("col_score"), format="%.2f"),
        "distance": t("needs_distance"), "proximity": t("needs_proximity"),
        reasons: t("col_reason"), "evidence": t("records")})
    csv = _downloads.spreadsheet_safe(matches).to_csv(index=False).encode("utf-8-sig")
    st.download_button(t("download_csv"), csv, file_name=f"tsunagari_match_{chosen}.csv",
                       mime="text/csv", key="needs_csv")
    asker = table.set_index("id").loc[chosen, "org_id"]
    _outcome_form(path, chosen, str(asker), matches, lang)
