"""紹介提案 / Introductions: whom to introduce to whom, why, and what came of it.

Screen: choose an organisation, a ward or a community, and a goal (strengthen / bridge) →
suggestions with reasons and the records behind them, and which weights rank them (the
cached calibration of `tsunagari suggest --calibrate`: method, folds, reason; or the
defaults) → download the work list (CSV / XLSX,
formula-escaped) → record an outcome → introduction outcomes (shown whether or not anything is
chosen): how many recorded introductions became ties, per status and per pair
(``graph.introductions.conversion_report``), with the records so far in an expander, or how to
record one when there are none → community talents that could be dispatched to the
organisation.
"""

import datetime as dt

import streamlit as st

from dashboards import _auth, _downloads, _state, _state_intro, _state_tables, consultations_view
from dashboards._i18n import in_language, keyed, status_label, t, ward_label
from ingest.schemas import OUTCOME_STATUSES

path, version, scope = _state.page_start("intro_title", "intro_intro")
lang = st.session_state.get("lang", "ja")
reasons = "reasons_en" if lang == "en" else "reasons_ja"

for_col, pick_col = st.columns([1, 3])
target = keyed(for_col.radio, "intro_target", t("intro_for"), ["org", "ward", "community"],
               format_func=lambda k: t(f"intro_for_{k}"))
if target == "org":
    options = _state_tables.org_options(path, version, scope)
    value = pick_col.selectbox(t("search_org"), list(options), index=None, key="intro_org",
                               format_func=options.get, placeholder=t("search_placeholder"))
elif target == "ward":
    wards = _state.scope_options(path, version)["wards"]
    value = keyed(pick_col.selectbox, "intro_ward", t("col_ward"), wards, index=None,
                  format_func=ward_label)
else:
    communities = _state_tables.community_choices(path, version, scope)
    value = pick_col.selectbox(t("community"), list(communities), index=None,
                               key="intro_community", format_func=communities.get)
goal_col, top_col = st.columns([3, 1])
goal = keyed(goal_col.radio, "intro_goal", t("goal"), ["strengthen", "bridge"], horizontal=True,
             format_func=lambda g: t(f"goal_{g}"))
top = top_col.number_input(t("top_n"), 1, 20, 5, key="intro_top")
if value is None:
    st.info(t("intro_choose"))
else:
    calibration = _state_intro.suggestion_calibration(path, version)
    weights = None if calibration is None else tuple(sorted(calibration.weights.items()))
    with st.spinner(t("computing")):
        work = _state_intro.suggestions(path, version, scope, target=target, value=value, goal=goal,
                                  top=int(top), weights=weights)
    st.subheader(t("suggestions"))
    if work.empty:
        st.caption(t("nothing_found"))
    else:
        st.dataframe(work[["org_name", "partner_name", reasons, "rank", "score", "evidence"]],
                     hide_index=True, width="stretch", column_config={
                         "org_name": t("col_name"), "partner_name": t("partner"), "rank": "#",
                         "score": st.column_config.NumberColumn(t("col_score"), format="%.2f"),
                         reasons: t("col_reason"), "evidence": t("records")})
        if target == "org" and len(work) < int(top):
            st.caption(t("fewer_found", n=len(work), top=int(top)))
        if calibration is None:
            st.caption(t("intro_weights_default"))
        else:
            folds = ", ".join(f"{f.get('graph_at')}→{f.get('labels_until')}"
                              for f in calibration.folds)
            st.caption(t("intro_weights_calibrated", method=calibration.method,
                         scheme=calibration.scheme or "-", folds=folds or "-",
                         reason=calibration.reason or calibration.note))
        downloads = st.columns(2)
        csv = _downloads.spreadsheet_safe(work).to_csv(index=False).encode("utf-8-sig")
        downloads[0].download_button(t("download_csv"), csv, mime="text/csv", key="intro_csv",
                                     file_name="tsunagari_introductions.csv")
        downloads[1].download_button(
            t("download_xlsx"), _downloads.xlsx_bytes({"introductions": work}),
            file_name="tsunagari_introductions.xlsx", key="intro_xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

        st.subheader(t("record_outcome"))
        editor = _auth.editor_name()
        if editor is None:
            st.info(t("viewer_only"))
        else:
            pairs = {i: f"{row.org_name} → {row.partner_name}" for i, row in work.iterrows()}
            with st.form("intro_outcome_form", clear_on_submit=True):
                pair = st.selectbox(t("outcome_pair"), list(pairs), format_func=pairs.get)
                status = st.radio(t("outcome_status"), OUTCOME_STATUSES, horizontal=True,
                                  format_func=in_language(status_label, lang), index=1)
                on = st.date_input(t("outcome_date"), dt.date.today())
                note = st.text_input(t("outcome_note"), max_chars=500)
                if st.form_submit_button(t("save")):
                    row = work.loc[pair]
                    outcome_id = _state_intro.save_outcome(
                        path, org_a=row["org_id"], org_b=row["partner_id"], status=status, on=on,
                        goal=goal, score=float(row["score"]), note=note, by=editor)
                    st.success(t("outcome_saved", id=outcome_id))

st.subheader(t("conversion_title"))
path, version = _state.require_data()  # a new version when an outcome was just saved
report = _state_intro.conversions(path, version, scope)
if report["pairs"].empty:
    st.info(t("conversion_none"))
else:
    st.caption(t("conversion_help"))
    show_status = in_language(status_label, lang)
    summary = report["summary"]
    st.markdown(f"**{t('conversion_summary')}**")
    st.dataframe(summary.assign(
        status=[t("status_all") if s == "all" else show_status(s) for s in summary["status"]],
        rate=summary["rate"] * 100),
        hide_index=True, column_config={
            "status": t("outcome_status"), "introductions": t("col_introductions"),
            "converted": t("col_converted"),
            "rate": st.column_config.NumberColumn(t("col_rate"), format="%.1f%%")})
    st.markdown(f"**{t('conversion_pairs')}**")
    per_pair = report["pairs"]
    st.dataframe(per_pair.assign(status=per_pair["status"].map(show_status)), hide_index=True,
                 width="stretch", column_order=["name_a", "name_b", "status", "on", "tied",
                                                "tie_last_date", "converted", "org_a", "org_b"],
                 column_config={
                     "name_a": t("col_org_a"), "name_b": t("col_org_b"),
                     "status": t("outcome_status"), "on": t("outcome_date"),
                     "tied": t("col_tied"), "tie_last_date": t("col_tie_last"),
                     "converted": t("col_converted"), "org_a": t("col_id_a"),
                     "org_b": t("col_id_b")})
    with st.expander(t("outcomes_so_far")):
        recorded = _state_intro.outcomes(path, version)
        st.dataframe(recorded.assign(status=recorded["status"].map(show_status)),
                     hide_index=True, width="stretch",
                     column_order=["org_a", "org_b", "status", "on", "note", "goal", "score",
                                   "recorded_at", "id"])

if target == "org" and value is not None:
    st.subheader(t("talents_for"))
    talents = _state_intro.talents_for(path, version, scope, value)
    if talents.empty:
        st.caption(t("nothing_found"))
    else:
        st.dataframe(talents.drop(columns=["reasons_ja" if lang == "en" else "reasons_en"]),
                     hide_index=True, width="stretch")

consultations_view.render(path, version, scope)
