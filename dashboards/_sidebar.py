"""The sidebar shared by every page: the language switch and the scope filters.

``app.py`` calls :func:`language_switch` before building the navigation (so page titles are
in the chosen language) and :func:`scope_filters` after it. Both widgets live in the
entry-point script, so their values survive page changes; pages read the scope with
``_state.current_scope()``.
"""

from __future__ import annotations

import streamlit as st

from dashboards import _state
from dashboards._i18n import field_label, keyed, kind_label, t, ward_label
from ingest.normalise import fiscal_year_label

__all__ = ["ALL_YEARS", "language_switch", "scope_filters"]

#: The fiscal-year choice meaning "every record".
ALL_YEARS = 0


def language_switch() -> None:
    """The 日本語/English toggle; stores ``"ja"`` or ``"en"`` in ``st.session_state["lang"]``."""
    english = st.sidebar.toggle(t("english"), key="lang_en")
    st.session_state["lang"] = "en" if english else "ja"


def scope_filters() -> None:
    """Ward, kind, field, fiscal-year and real-only filters, with the options in the store."""
    status = _state.data_status()
    if status is None:
        return
    path, version = status
    options = _state.scope_options(path, version)
    lang = st.session_state.get("lang", "ja")
    keys = _state.SCOPE_KEYS
    st.sidebar.subheader(t("scope"))
    keyed(st.sidebar.multiselect, keys["wards"], t("wards"), options["wards"],
          format_func=ward_label, placeholder=t("all_wards_hint"))
    keyed(st.sidebar.multiselect, keys["kinds"], t("kinds"), options["kinds"],
          format_func=kind_label, placeholder=t("all_wards_hint"))
    keyed(st.sidebar.multiselect, keys["fields"], t("fields"), options["fields"],
          format_func=field_label, placeholder=t("all_wards_hint"))
    years = [ALL_YEARS, *options["fiscal_years"]]  # not None: None means "nothing chosen"
    keyed(
        st.sidebar.selectbox, keys["fiscal_year"], t("fiscal_year"), years,
        format_func=lambda fy: t("all_years") if fy == ALL_YEARS
        else t("up_to_fy", fy=fiscal_year_label(fy, lang=lang)))
    st.sidebar.checkbox(t("real_only"), key=keys["real_only"])
    st.sidebar.caption(t("store_label", path=path.name, version=version[:18]))
