"""Tsunagari dashboard: ``streamlit run app.py``.

The router only: page configuration, the language switch and the shared scope filters in the
sidebar (rendered on every page, so their values persist across pages), then the page the
user chose. Each page is a thin module in ``dashboards/``.
"""

from pathlib import Path

import streamlit as st

from dashboards import _auth, _sidebar
from dashboards._i18n import t

# A local favicon: a Material icon here would be fetched from fonts.gstatic.com.
ICON = Path(__file__).resolve().parent / "dashboards" / "static" / "favicon.png"
st.set_page_config(page_title="Tsunagari つながり", page_icon=str(ICON), layout="wide")
_sidebar.language_switch()
_auth.sidebar()

PAGES = [
    st.Page("dashboards/overview.py", title=t("nav_overview"), icon=":material/dashboard:",
            default=True),
    st.Page("dashboards/network.py", title=t("nav_network"), icon=":material/hub:"),
    st.Page("dashboards/connectors.py", title=t("nav_connectors"), icon=":material/handshake:"),
    st.Page("dashboards/gaps.py", title=t("nav_gaps"), icon=":material/extension:"),
    st.Page("dashboards/introductions.py", title=t("nav_introductions"),
            icon=":material/lightbulb:"),
    st.Page("dashboards/growth.py", title=t("nav_growth"), icon=":material/trending_up:"),
    st.Page("dashboards/ward_map.py", title=t("nav_map"), icon=":material/map:"),
    st.Page("dashboards/cases.py", title=t("nav_cases"), icon=":material/menu_book:"),
    st.Page("dashboards/directory.py", title=t("nav_directory"), icon=":material/search:"),
    st.Page("dashboards/data.py", title=t("nav_data"), icon=":material/database:"),
]

page = st.navigation(PAGES)
_sidebar.scope_filters()
page.run()
