"""AppTests for issue 16: what users read is right (isolation kinds, charts, reasons, codes)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.findings import ISOLATION_KINDS

ROOT = Path(__file__).resolve().parents[2]
KIND_NAMES_JA = {kind: names[1] for kind, names in ISOLATION_KINDS.items()}


def open_page(app, page: str):
    app.run()
    app.switch_page(f"dashboards/{page}.py")
    return app.run()


@pytest.fixture(scope="module")
def store_analysis(dashboard_store):
    from graph.analysis import analyze
    from ingest.store import read_dataset

    return analyze(read_dataset(dashboard_store))


def test_overview_counts_each_isolation_kind_apart(app, store_analysis):
    at = open_page(app, "overview")
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    expected = store_analysis.summary["isolated_by_kind"]
    for kind, name in KIND_NAMES_JA.items():
        assert int(shown[name].replace(",", "")) == expected[kind]
    helps = {m.label: m.help for m in at.metric}
    assert helps["つながりなし"] == ISOLATION_KINDS["no_ties"][3]
    # the mixed "孤立した団体" count is gone; the organisations with no tie are exactly degree 0
    assert "孤立した団体" not in shown
    assert expected["no_ties"] == store_analysis.summary["isolates"]
    assert sum(expected.values()) == len(store_analysis.isolated)


def test_connectors_page_lists_each_kind_under_its_name(app, store_analysis):
    at = open_page(app, "connectors")
    assert not at.exception
    labels = [tab.label for tab in at.tabs]
    counts = store_analysis.summary["isolated_by_kind"]
    for kind, name in KIND_NAMES_JA.items():
        assert f"{name}（{counts[kind]:,}）" in labels
    listed = [frame.value for frame in at.dataframe if "isolation" in frame.value.columns]
    assert listed, "no isolation list shown"
    for frame in listed:
        assert frame["isolation"].nunique() == 1
        assert frame["isolation"].iloc[0] in KIND_NAMES_JA.values()


@pytest.fixture()
def fresh_app(dashboard_store, tmp_path, monkeypatch):
    """An AppTest on a copy of the test store (a new path: nothing of it is cached yet)."""
    import shutil

    from streamlit.testing.v1 import AppTest

    store = tmp_path / "copy.duckdb"
    shutil.copy(dashboard_store, store)
    monkeypatch.setenv("TSUNAGARI_STORE", str(store))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["auth_editor"] = "test editor"  # writes need an editor (dashboards/_auth.py)
    return at, store


def test_saving_an_outcome_does_not_recompute_the_analysis(fresh_app, monkeypatch):
    import graph.analysis
    from ingest.store import read_outcomes, store_version

    at, store = fresh_app
    at = open_page(at, "introductions")
    at.selectbox(key="intro_org").select("R-O008").run()
    assert not at.exception
    calls = []
    real_analyze = graph.analysis.analyze
    monkeypatch.setattr(graph.analysis, "analyze",
                        lambda *a, **k: calls.append(1) or real_analyze(*a, **k))
    before, recorded = store_version(store), len(read_outcomes(store))
    at.button[0].click().run()  # save the outcome
    assert not at.exception and at.success
    at.run()
    assert store_version(store) != before and len(read_outcomes(store)) == recorded + 1
    assert calls == []  # the write did not invalidate the analysis
    shown = [f.value for f in at.dataframe if "recorded_at" in f.value.columns]
    assert shown and len(shown[0]) == recorded + 1  # but the outcomes shown follow the write


def test_first_computation_and_stability_show_progress(fresh_app, monkeypatch):
    import streamlit

    at, _ = fresh_app
    shown = []
    real_progress = streamlit.progress

    def progress(value, text=None, **kwargs):
        shown.append(text)
        return real_progress(value, text=text, **kwargs)

    monkeypatch.setattr(streamlit, "progress", progress)
    at = open_page(at, "overview")
    assert not at.exception
    assert any(text.startswith("ネットワークを分析しています") for text in shown)
    assert not at.get("progress")  # removed once done
    shown.clear()
    at.switch_page("dashboards/network.py").run()
    at.toggle(key="network_stability__ja").set_value(True).run()
    assert not at.exception
    assert any(text.startswith("Louvain法を繰り返し実行しています") for text in shown)
    assert not any(text.startswith("ネットワークを分析しています") for text in shown)  # cached


def test_bridge_suggestions_for_the_bank_say_what_the_sides_share(dashboard_store,
                                                                   store_analysis):
    from graph.introductions import suggest, work_list
    from ingest.store import read_dataset

    found = suggest(store_analysis.ties, dataset=read_dataset(dashboard_store), orgs="R-O008",
                    goal="bridge", top=5, partition=store_analysis.partition)
    assert found, "尼崎信用金庫 gets bridge suggestions"
    for s in found:
        assert s.reasons[0].code != "hub" and {r.code for r in s.reasons} - {"hub"}
    first = work_list(found)["reasons_ja"].str.split(" / ").str[0]
    assert not first.str.endswith("地域のハブ").any()


# --- small gaps ----------------------------------------------------------------------------------

UPLOAD = ("id,name,kind,ward,synthetic\n"
          "U-1,にしよどにこネット,citizen_group,西淀川区,true\n"
          "U-2,NPO法人 にしよど にこネット,npo,西淀川区,true\n").encode()


def test_upload_is_named_after_its_files_and_its_merge_candidates_are_shown(fresh_app):
    from ingest.store import status

    at, store = fresh_app
    at = open_page(at, "data")
    at.file_uploader(key="data_upload").set_value(
        [("organizations.csv", UPLOAD, "text/csv")]).run()
    assert not at.exception
    at.button(key="data_ingest").click().run()
    assert not at.exception
    assert any("名寄せ候補" in w.value for w in at.warning)
    batches = status(store)["batches"]
    assert batches[-1]["name"] == "organizations"  # not the temporary folder's name
    candidates = [f.value for f in at.dataframe if "name_a" in f.value.columns
                  and "score" in f.value.columns]
    assert candidates, "the merge candidates are shown on the Data page"
    pair = {candidates[0].iloc[0]["name_a"], candidates[0].iloc[0]["name_b"]}
    assert pair == {"にしよどにこネット", "NPO法人 にしよど にこネット"}


def test_gaps_page_offers_csv_and_xlsx_downloads(app):
    at = open_page(app, "gaps")
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"この表をCSVでダウンロード", "この表をExcelでダウンロード", "すべての表（XLSX）"} <= set(labels)


def _all_text(at) -> str:
    parts = [e.value for kind in ("text", "caption", "markdown", "title", "subheader", "info",
                                  "success", "warning") for e in getattr(at, kind)]
    parts += [m.value for m in at.metric] + [m.label for m in at.metric]
    parts += [tab.label for tab in at.tabs]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv(index=False))
    text = "\n".join(str(p) for p in parts)
    return re.sub(r"`[^`]*`", "", text)  # commands to type (`tsunagari … --status introduced`)


def _visit_every_page(at, lang_key: str | None = None):
    """Yield (page, AppTest) after opening each page (introductions with 尼崎信用金庫, both goals;
    growth for 西淀川区, so its tables show)."""
    at.run()
    if lang_key:
        at.sidebar.toggle(key="lang_en").set_value(True).run()
    for page in ("overview", "network", "connectors", "gaps", "cases", "data"):
        yield page, at.switch_page(f"dashboards/{page}.py").run()
    at.switch_page("dashboards/introductions.py").run()
    at.selectbox(key="intro_org").select("R-O008").run()
    yield "introductions", at
    at.radio(key=f"intro_goal__{'en' if lang_key else 'ja'}").set_value("bridge").run()
    yield "introductions (bridge)", at
    at.sidebar.multiselect(key=f"scope_wards__{'en' if lang_key else 'ja'}").select("西淀川区").run()
    yield "growth", at.switch_page("dashboards/growth.py").run()


def test_no_raw_codes_in_the_japanese_pages(app):
    import re

    from graph.introductions import EVENT_KIND_LABELS
    from graph.time import EVENTS
    from ingest.schemas import ORG_KINDS, OUTCOME_STATUSES

    codes = (set(EVENT_KIND_LABELS) | set(EVENTS) | set(ORG_KINDS) | set(OUTCOME_STATUSES)
             | set(ISOLATION_KINDS) | {"territorial", "thematic", "public_only",
                                       "small_component"})
    pattern = re.compile(r"(?<![A-Za-z_])(" + "|".join(sorted(codes, key=len, reverse=True))
                         + r")(?![A-Za-z_])")
    for page, at in _visit_every_page(app):
        assert not at.exception, page
        found = sorted(set(pattern.findall(_all_text(at))))
        assert not found, f"{page}: raw codes {found}"


def test_english_pages_never_show_nan(app):
    import re

    for page, at in _visit_every_page(app, lang_key="en"):
        assert not at.exception, page
        text = _all_text(at)
        assert not re.search(r"(?<![A-Za-z])nan(?![A-Za-z])", text), page
