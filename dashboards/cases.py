"""事例 / Collaboration cases: the real cases of the report, each with its neighbourhood.

Screen: explanation → one card per real collaboration (にしよど collab cases first, as the
report lists them) and per real meetup with its participants: title, partners, dates,
description, source section, and (on demand) the partners' neighbourhood in the network.
"""

import streamlit as st

from dashboards import _network_view, _state, _state_cases, _viz
from dashboards._i18n import t

st.title(t("cases_title"))
st.caption(t("cases_intro"))
path, version = _state.require_data()
lang = st.session_state.get("lang", "ja")
cards = _state_cases.cases(path, version)
if not cards:
    st.info(t("no_cases"))
    st.stop()

for number, card in enumerate(cards):
    with st.container(border=True):
        st.text(f"{card['id']} · {card['title']}")
        st.text(f"{t('partners')}: " + "、".join(name for _, name in card["partners"]))
        dates = " – ".join(d for d in (card["start"], card["end"]) if d) or "—"
        st.text(f"{t('dates')}: {dates}")
        if card["description"]:
            st.text(f"{t('description')}: {card['description']}")
        st.caption(f"{t('source_section')}: {card['source']}")
        if st.toggle(t("show_neighbourhood"), value=number == 0, key=f"cases_show_{card['id']}"):
            view = _state_cases.case_view(path, version, tuple(o for o, _ in card["partners"]), lang)
            if view["html"] is None:
                st.caption(t("nothing_found"))
            else:
                st.iframe(view["html"], height=_network_view.CASE_HEIGHT, alt=card["title"])
                st.html(_viz.legend_html(view["legend"]))
