"""Roles on the dashboard: viewers cannot write; editors sign in, ingest, remove a batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboards import _auth
from ingest.batches import content_digest, list_batches

ROOT = Path(__file__).resolve().parents[2]

NEW_ORGS = "id,name,kind,ward\nS-N001,新しい見守りの会,citizen_group,西淀川区\n".encode()


@pytest.fixture()
def store(dashboard_store, tmp_path, monkeypatch) -> Path:
    """A copy of the dashboard store (this test writes), with one password editor."""
    import shutil

    copy = tmp_path / "store.duckdb"
    shutil.copyfile(dashboard_store, copy)
    monkeypatch.setenv("TSUNAGARI_STORE", str(copy))
    monkeypatch.setenv("TSUNAGARI_EDITORS", str(tmp_path / "editors.json"))
    _auth.set_editor("tanaka", "a long password", tmp_path / "editors.json")
    return copy


def _app():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)


def _sign_in(at, name, password):
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    next(b for b in at.button if "auth_signin" in str(b.key)).click()
    return at.run()


def _data_page(at):
    at.run()
    at.switch_page("dashboards/data.py")
    return at.run()


def test_viewer_sees_no_upload_no_removal_no_outcome_form(store):
    before = content_digest(store)
    at = _data_page(_app())
    assert not at.exception
    assert len(at.get("file_uploader")) == 0
    assert not [b for b in at.button if b.key == "data_remove"]
    assert any("閲覧のみ" in i.value for i in at.info)
    at.switch_page("dashboards/introductions.py").run()
    at.selectbox(key="intro_org").select("R-O008").run()
    keys = [str(b.key) for b in at.button]
    assert any("auth_signin" in k for k in keys)
    assert not any("intro_outcome_form" in k for k in keys)           # no outcome form
    assert any("閲覧のみ" in i.value for i in at.info)
    assert content_digest(store) == before


def test_wrong_password_stays_viewer(store):
    at = _data_page(_app())
    _sign_in(at, "tanaka", "wrong password")
    assert at.error and len(at.get("file_uploader")) == 0


def test_editor_signs_in_ingests_and_removes_the_batch(store):
    before, batches = content_digest(store), len(list_batches(store))
    at = _data_page(_app())
    _sign_in(at, "tanaka", "a long password")
    assert any("編集者：tanaka" in c.value for c in at.caption)
    at.file_uploader(key="data_upload").set_value(
        ("organizations.csv", NEW_ORGS, "text/csv")).run()
    at.button(key="data_ingest").click().run()
    assert not at.exception and at.success
    added = list_batches(store)
    assert len(added) == batches + 1 and added[-1]["ingested_by"] == "tanaka"
    at.file_uploader(key="data_upload").set_value([]).run()
    assert at.selectbox(key="data_remove_pick").value is None
    at.selectbox(key="data_remove_pick").select(added[-1]["batch"]).run()
    assert at.button(key="data_remove").disabled          # needs the confirmation first
    at.checkbox(key="data_remove_sure").check().run()
    at.button(key="data_remove").click().run()
    assert not at.exception
    assert any("取り消しました" in s.value for s in at.success)
    assert content_digest(store) == before
