"""Tsunagari dashboard: ``streamlit run app.py``.

The router only: page configuration, the language switch and the shared scope filters in the
sidebar (rendered on every page, so their values persist across pages), then the page the
user chose. Each page is a thin module in ``dashboards/``.
"""

import streamlit as st

from dashboards import _sidebar
from dashboards._i18n import t

st.set_page_config(page_title="Tsunagari つながり", page_icon="🔗", layout="wide")
_sidebar.language_switch()

PAGES = [
    st.Page("dashboards/overview.py", title=t("nav_overview"), icon="📊", default=True),
    st.Page("dashboards/network.py", title=t("nav_network"), icon="🕸️"),
    st.Page("dashboards/connectors.py", title=t("nav_connectors"), icon="🤝"),
    st.Page("dashboards/gaps.py", title=t("nav_gaps"), icon="🧩"),
    st.Page("dashboards/introductions.py", title=t("nav_introductions"), icon="💡"),
    st.Page("dashboards/growth.py", title=t("nav_growth"), icon="📈"),
    st.Page("dashboards/cases.py", title=t("nav_cases"), icon="📚"),
    st.Page("dashboards/data.py", title=t("nav_data"), icon="🗂️"),
]

page = st.navigation(PAGES)
_sidebar.scope_filters()
page.run()
