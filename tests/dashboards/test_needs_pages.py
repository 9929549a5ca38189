"""AppTests of the directory page and the 相談 view of the Introductions page."""

from __future__ import annotations

from ingest.match_outcomes import read_match_outcomes

from .test_pages import open_page, texts


def test_directory_lists_groups_events_and_offers_following_the_filters(app):
    at = open_page(app, "directory")
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "団体・イベント・資源"
    groups, events, offers = (frame.value for frame in at.dataframe[:3])
    assert "尼崎信用金庫" in set(groups["name"])
    assert len(events) > 0 and len(offers) > 0
    assert any("市民活動に関する相談窓口" in title for title in offers["title"])  # real R-R002
    everyone = len(groups)
    at.sidebar.multiselect(key="scope_wards__ja").select("西淀川区").run()
    in_ward = at.dataframe[0].value
    assert 0 < len(in_ward) < everyone and set(in_ward["ward"]) == {"西淀川区"}
    at.sidebar.multiselect(key="scope_wards__ja").unselect("西淀川区").run()
    at.text_input(key="dir_query").input("尼崎").run()
    assert at.dataframe[0].value["name"].tolist() == ["尼崎信用金庫"]
    assert len(at.get("download_button")) == 6             # CSV and XLSX for each tab
    assert not at.exception


def test_directory_events_by_date(app):
    import datetime as dt

    at = open_page(app, "directory")
    before = len(at.dataframe[1].value)
    at.date_input(key="dir_events_from").set_value(dt.date(2019, 2, 1))
    at.date_input(key="dir_events_to").set_value(dt.date(2019, 2, 28)).run()
    events = at.dataframe[1].value
    assert 0 < len(events) < before
    assert all(dt.date(2019, 2, 1) <= d <= dt.date(2019, 2, 28) for d in events["date"])


def test_directory_row_opens_the_organisation_card(app):
    at = open_page(app, "directory")
    at.selectbox(key="dir_groups_card").select("R-O008").run()
    at.button(key="dir_groups_open").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "ネットワーク"
    assert "尼崎信用金庫" in texts(at)


def test_consultation_view_shows_report_figures_matches_and_records_outcomes(
        app, dashboard_store):
    at = open_page(app, "introductions")
    assert not at.exception, [e.message for e in at.exception]
    shown = texts(at)
    assert "相談" in [h.value for h in at.header]
    assert "1(1)イ① 実績 (p.10)" in shown and "168" in shown and "72" in shown
    table = next(f.value for f in at.dataframe if "topics" in f.value.columns)
    asked = table.loc[table["org_id"] != "", "id"].iloc[0]
    at.selectbox(key="needs_consultation").select(asked).run()
    assert not at.exception, [e.message for e in at.exception]
    matches = at.dataframe[-1].value
    assert len(matches) > 0 and matches["reasons_ja"].str.len().min() > 0
    before = len(read_match_outcomes(dashboard_store))
    at.button[-1].click().run()                              # the 相談 form's submit button
    assert not at.exception
    assert len(read_match_outcomes(dashboard_store)) == before + 1


def test_new_pages_show_words_not_raw_codes_in_japanese(app):
    """Event kinds, offer kinds, consultation statuses and figure metrics read as words."""
    from graph.introductions import EVENT_KIND_LABELS

    at = open_page(app, "directory")
    _, events, offers = (frame.value for frame in at.dataframe[:3])
    assert not set(events["kind"]) & set(EVENT_KIND_LABELS)
    assert not set(offers["kind"]) & {"space", "lecturer", "skills", "equipment"}
    assert "場所・スペース" in set(offers["kind"])             # the synthetic ward's rooms
    at = open_page(app, "introductions")
    figures = next(f.value for f in at.dataframe if "period" in f.value.columns)
    assert "相談件数" in set(figures["metric"]) and "consultations" not in set(figures["metric"])
    table = next(f.value for f in at.dataframe if "topics" in f.value.columns)
    assert set(table["status"]) <= {"受付中", "回答済み", "終了"}
    assert not at.exception
