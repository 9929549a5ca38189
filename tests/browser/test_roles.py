"""Real browser, roles (issue 17): a viewer cannot write; an editor signs in, ingests,
removes the batch, and the store's content is back to what it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from .conftest import ROOT, _free_port
from .test_browser import open_page

pytestmark = pytest.mark.browser

NEW = "id,name,kind,ward\nB-R01,役割テストの会,npo,北区\nB-R02,役割テスト食堂,citizen_group,北区\n"


@pytest.fixture(scope="module")
def editor_app(hostile_store, tmp_path_factory):
    """The dashboard on 127.0.0.1 with a password editor configured (so: viewer first)."""
    from dashboards._auth import set_editor

    folder = tmp_path_factory.mktemp("roles")
    store = folder / "store.duckdb"
    shutil.copyfile(hostile_store, store)
    editors = set_editor("tanaka", "a long password", folder / "editors.json")
    port = _free_port()
    env = dict(os.environ, TSUNAGARI_STORE=str(store), TSUNAGARI_EDITORS=str(editors))
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                break
        except OSError:
            if time.time() > deadline:
                server.terminate()
                pytest.fail("the dashboard did not start within 60 s")
            time.sleep(0.5)
    yield url, store
    server.terminate()
    server.wait(timeout=20)


def settled(page, timeout: float = 90_000) -> None:
    """Wait until the app's script run has finished (no spinner, nothing stale)."""
    page.wait_for_function(
        "() => !document.querySelector("
        "'[data-testid=\"stStatusWidget\"] [data-testid=\"stSpinner\"]')"
        " && document.querySelectorAll('[data-stale=\"true\"]').length === 0",
        timeout=timeout)


def choose(page, box, option: str, attempts: int = 4) -> None:
    """Open a selectbox and click one of its options. A rerun that redraws the box while
    its list opens closes the list again, so wait for the run to finish and reopen it."""
    for _ in range(attempts):
        settled(page)
        box.click()
        item = page.get_by_text(option, exact=True)
        try:
            item.wait_for(state="visible", timeout=10_000)
        except PlaywrightTimeout:
            continue
        item.click()
        expect(box.get_by_role("combobox")).to_have_value(option, timeout=30_000)
        return
    pytest.fail(f"the option {option!r} never showed in its list")


def test_viewer_sees_no_upload_and_cannot_write(page, editor_app):
    from ingest.batches import content_digest

    url, store = editor_app
    page.base_url = url
    before = content_digest(store)
    open_page(page, "data", "データ")
    page.get_by_text("閲覧のみです").first.wait_for(timeout=30_000)
    assert page.locator("input[type=file]").count() == 0
    assert page.get_by_text("取り込みを取り消す").count() == 0
    assert page.get_by_role("button", name="ストアに取り込む").count() == 0
    assert content_digest(store) == before


def test_editor_signs_in_ingests_and_removes_the_batch(page, editor_app):
    from ingest.batches import content_digest, list_batches
    from ingest.store import status

    url, store = editor_app
    page.base_url = url
    before, counts = content_digest(store), status(store)["tables"]
    batches = len(list_batches(store))
    open_page(page, "data", "データ")
    page.get_by_text("編集者としてサインイン").first.click()
    page.get_by_label("名前").fill("tanaka")
    page.get_by_label("パスワード").fill("a long password")
    page.get_by_role("button", name="サインイン").click()
    page.get_by_text("編集者：tanaka").first.wait_for(timeout=30_000)
    page.locator("input[type=file]").first.set_input_files([
        {"name": "organizations.csv", "mimeType": "text/csv", "buffer": NEW.encode()}])
    page.get_by_text("検証に合格しました").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="ストアに取り込む").click()
    page.get_by_text("取り込みました").first.wait_for(timeout=60_000)
    added = list_batches(store)
    assert len(added) == batches + 1 and added[-1]["ingested_by"] == "tanaka"
    assert status(store)["tables"]["organizations"]["records"] == \
        counts["organizations"]["records"] + 2
    settled(page)
    page.get_by_text("取り込みを取り消す").first.click()
    choose(page, page.locator('[data-testid="stSelectbox"]').filter(has_text="取り消す取り込み"),
           f"#{added[-1]['batch']} {added[-1]['name']}")
    settled(page)
    page.get_by_text("この取り込みのレコードをすべて削除します").first.click()
    remove = page.get_by_role("button", name="取り消す", exact=True)
    expect(remove).to_be_enabled(timeout=30_000)
    remove.click()
    page.get_by_text("を取り消しました").first.wait_for(timeout=60_000)
    assert status(store)["tables"] == counts
    assert content_digest(store) == before
    assert page.get_by_text("Traceback").count() == 0
