"""Real-browser test of the directory page: search, hostile names as text, a CSV download."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_browser import LOCAL, open_page

pytestmark = pytest.mark.browser


def test_directory_search_download_and_hostile_names_stay_text(page, hostile_names):
    open_page(page, "directory", "団体・イベント・資源")
    # the data grid draws on a canvas; its cells are in the DOM for assistive tech
    page.get_by_text("尼崎信用金庫").first.wait_for(state="attached", timeout=60_000)
    box = page.get_by_label("キーワードで検索（名称・区・分野）")
    box.fill("img src")
    box.press("Enter")
    page.get_by_text("1 件").first.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as caught:
        page.get_by_role("button", name="CSVでダウンロード").first.click()
    body = Path(caught.value.path()).read_text(encoding="utf-8-sig")
    assert hostile_names[0] in body and "尼崎信用金庫" not in body
    assert page.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0
    tab = page.get_by_role("tab", name="資源の提供")
    tab.click()
    page.wait_for_function("() => [...document.querySelectorAll('[role=tab]')].some("
                           "t => t.textContent.includes('資源の提供')"
                           " && t.getAttribute('aria-selected') === 'true')", timeout=30_000)
    assert page.dialogs == []
    assert page.hosts <= LOCAL, page.hosts - LOCAL
