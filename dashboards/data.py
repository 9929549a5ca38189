"""データ / Data: add records, see what is in the store, download the network.

Screen: upload CSV/XLSX → the validation report as a table (file / sheet / row / column /
reason) or the record counts → ingest on confirmation (one batch; the other pages show the
new data on their next run; the batch is named after the uploaded files) → records per table,
batches, name merge candidates of the latest batch for editors to review, conflicts between
sources (the conflicting values first) →
downloads of the network (GEXF, GraphML, CSV, XLSX).
"""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboards import _auth, _state, _state_data
from dashboards._i18n import current_lang, measure_label, t, table_label
from ingest.messages import localise_failures
from ingest.store import StoreError

st.title(t("data_title"))
path = _state.store_path()
editor = _auth.editor_name()  # None: a viewer, who sees no upload or removal control

st.subheader(t("upload"))
if editor is None:
    st.info(t("viewer_only"))
uploads = editor and st.file_uploader(t("upload"),
                                      accept_multiple_files=True, key="data_upload",
                                      help=t("upload_help", mb=_state_data.UPLOAD_LIMIT_MB),
                                      label_visibility="collapsed")
st.caption(t("upload_help", mb=_state_data.UPLOAD_LIMIT_MB))
if uploads:
    files = [(f.name, f.getvalue()) for f in uploads]
    with tempfile.TemporaryDirectory() as folder, st.spinner():
        check = _state_data.check_upload(files, Path(folder))
    if not check.ok:
        st.error(t("validate_failed", n=len(check.failures)))
        st.dataframe(localise_failures(check.failures, current_lang()), hide_index=True,
                     width="stretch", column_config={
            "file": t("col_file"), "sheet": t("col_sheet"), "row": t("col_row"),
            "column": t("col_column"), "code": t("col_code"),
            "explanation": t("col_explanation"), "message": t("col_message")})
    else:
        summary = ", ".join(f"{table_label(name)} {n:,}" for name, n in check.counts.items())
        st.success(t("validate_ok", summary=summary))
        if st.button(t("ingest_confirm"), type="primary", key="data_ingest"):
            try:
                with tempfile.TemporaryDirectory() as folder, st.spinner():
                    result = _state_data.ingest_upload(files, Path(folder), path, by=editor)
            except StoreError as problem:  # busy, read-only or damaged: nothing was written
                st.error(t("ingest_store_error", message=str(problem)))
            else:
                st.success(t("ingested", summary=", ".join(
                    f"{table_label(name)} {n:,}" for name, n in result.counts.items()) or "—"))
                if result.candidates is not None and len(result.candidates):
                    st.warning(t("merge_review", n=len(result.candidates)))

found = _state.data_status()
if found is None:
    st.info(t("store_missing"))
    st.stop()
path, version = found
info = _state_data.store_status(path, version)
st.subheader(t("status_counts"))
counts = pd.DataFrame(info["status"]["tables"]).T.rename_axis("table").reset_index()
st.dataframe(counts.assign(table=counts["table"].map(table_label)),
             hide_index=True, column_config={"table": t("col_table"),
                                             "records": t("col_records"),
                                             "stored": t("col_stored")})
st.subheader(t("batches"))
batches = pd.DataFrame(info["status"]["batches"])
if len(batches):
    batches["counts"] = batches["counts"].map(lambda c: ", ".join(f"{k} {v}" for k, v in c.items()))
st.dataframe(batches, hide_index=True, width="stretch",
             column_order=["batch", "name", "counts", "ingested_at", "ingested_by", "city",
                           "path", "content_hash"])
if st.session_state.get("data_removed"):
    st.success(st.session_state.pop("data_removed"))
if editor and len(batches):
    with st.expander(t("remove_batch"), key="data_remove_open"):  # stays open on reruns
        names = dict(zip(batches["batch"], batches["name"]))
        pick = st.selectbox(t("remove_batch_pick"), list(names), index=None,
                            placeholder=t("remove_batch_pick"),
                            format_func=lambda b: f"#{b} {names.get(b, '')}",
                            key="data_remove_pick")
        sure = st.checkbox(t("remove_batch_confirm"), key="data_remove_sure")
        if st.button(t("remove_batch_button"), disabled=not sure or pick is None,
                     key="data_remove"):
            try:
                done = _state_data.remove_batch(path, int(pick), by=editor)
            except StoreError as problem:  # others depend on it, busy: nothing was removed
                st.error(t("batch_refused", reason=str(problem)))
            else:
                st.session_state["data_removed"] = t(
                    "batch_removed", batch=done["batch"], name=done["name"], summary=", ".join(
                        f"{name} {n:,}" for name, n in done["removed"].items()) or "—")
                st.rerun()
st.subheader(t("merge_candidates"))
candidates = info["merge_candidates"]
if candidates.empty:
    st.caption(t("merge_none"))
else:
    st.caption(t("merge_help", n=len(candidates)))
    st.dataframe(candidates, hide_index=True, width="stretch",
                 column_order=["name_a", "name_b", "score", "reason", "org_a", "org_b", "_batch"],
                 column_config={"name_a": t("col_name_a"), "name_b": t("col_name_b"),
                                "score": st.column_config.NumberColumn(t("col_similarity"),
                                                                       format="%.0f"),
                                "reason": t("col_reason"), "org_a": t("col_id_a"),
                                "org_b": t("col_id_b"), "_batch": t("col_batch")})
st.subheader(t("conflicts"))
st.dataframe(info["conflicts"], hide_index=True, width="stretch",
             column_order=["key", "values", "source", "differs", "table", "file", "sheet", "row",
                           "batch"],
             column_config={c: measure_label(c) for c in info["conflicts"].columns})

st.subheader(t("downloads"))
st.caption(t("downloads_help"))
scope = _state.current_scope()
fmt = st.radio(t("format"), _state_data.EXPORT_FORMATS, horizontal=True, key="data_format",
               format_func=str.upper)
if st.button(t("prepare_download"), key="data_prepare"):
    with st.spinner():
        name, content, mime = _state_data.export_bytes(path, version, scope, fmt)
    st.download_button(f"⬇ {name}", content, file_name=name, mime=mime, key="data_download")
