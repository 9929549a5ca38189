"""Real-browser tests: the canvas draws, hostile names stay text, uploads fail safely, offline."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = ("", "network", "connectors", "gaps", "introductions", "growth", "cases", "data")
LOCAL = {"127.0.0.1", "data", "blob"}


def open_page(page, path: str, title: str, timeout: float = 90_000):
    """Go to a page of the app and wait until its title is drawn and the script finished."""
    page.goto(f"{page.base_url}/{path}")
    page.get_by_role("heading", name=title).first.wait_for(timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector("
        "'[data-testid=\"stStatusWidget\"] [data-testid=\"stSpinner\"]')"
        " && document.querySelectorAll('[data-stale=\"true\"]').length === 0", timeout=timeout)


def network_frame(page, title: str = "ネットワーク"):
    """The pyvis iframe's Frame once vis-network has drawn its canvas."""
    handle = page.locator(f'iframe[title="{title}"]').first.element_handle(timeout=90_000)
    frame = handle.content_frame()
    frame.wait_for_function(
        "() => typeof network !== 'undefined' && document.querySelector('#mynetwork canvas')",
        timeout=60_000)
    return handle, frame


def test_network_canvas_draws_and_hostile_names_stay_text(page, hostile_names):
    open_page(page, "network", "ネットワーク")
    handle, frame = network_frame(page)
    drawn = frame.evaluate("() => network.body.data.nodes.getIds().length")
    assert drawn >= 20
    box = handle.bounding_box()
    names = frame.evaluate("() => Object.fromEntries(network.body.data.nodes.get()"
                           ".map(n => [n.id, n.title]))")
    hostile = [node for node in ("S-X001", "S-X002", "S-X003") if node in names]
    assert len(hostile) == 3
    for node, name in zip(hostile, hostile_names):
        page.mouse.move(box["x"] + 2, box["y"] + 2)  # away: hide the previous tooltip
        # Park the other nodes far away so that the pointer can only land on this one.
        frame.evaluate("(id) => { const p = network.getPositions([id])[id];"
                       " network.body.data.nodes.getIds().forEach((n, i) => { if (n !== id)"
                       " network.moveNode(n, p.x + 5000 + i, p.y + 5000); });"
                       " network.focus(id, {scale: 2, animation: false}); }", node)
        page.wait_for_timeout(300)
        assert frame.evaluate("(id) => network.getNodeAt(network.canvasToDOM("
                              "network.getPositions([id])[id])) === id", node)
        spot = frame.evaluate(
            "(id) => { const p = network.canvasToDOM(network.getPositions([id])[id]);"
            " const r = document.querySelector('#mynetwork').getBoundingClientRect();"
            " return {x: p.x + r.left, y: p.y + r.top}; }", node)
        page.mouse.move(box["x"] + spot["x"] + 20, box["y"] + spot["y"] + 20)
        page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
        tooltip = frame.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible", timeout=5_000)
        text = tooltip.inner_text()
        assert name.replace("href", "h\u2060ref") in text  # shown as text, href defused
    assert frame.evaluate("() => document.querySelectorAll('img, a[href]').length") == 0
    assert frame.evaluate("() => document.querySelectorAll('script[src]').length") == 0
    assert page.dialogs == []


def test_hostile_names_are_text_in_tables_and_cards(page, hostile_names):
    open_page(page, "network", "ネットワーク")
    page.get_by_label("団体を検索").first.click()
    page.keyboard.type("img src")
    page.keyboard.press("Enter")
    page.get_by_text("つながりの根拠").first.wait_for(timeout=60_000)
    page.get_by_text(hostile_names[0]).first.wait_for(timeout=30_000)
    open_page(page, "connectors", "つなぎ役と孤立")
    page.wait_for_timeout(1_000)
    assert page.evaluate("() => document.querySelectorAll('img[src=x], img[src=y]').length") == 0
    assert page.dialogs == []


def test_no_request_leaves_the_machine(page):
    titles = ("概要", "ネットワーク", "つなぎ役と孤立", "ギャップ", "紹介提案", "推移", "事例", "データ")
    for path, title in zip(PAGES, titles):
        open_page(page, path, title)
    assert page.hosts <= LOCAL, page.hosts - LOCAL
    assert page.dialogs == []


def test_bad_upload_shows_errors_and_leaves_the_store_unchanged(page, hostile_store):
    from ingest.store import status

    before = status(hostile_store)["tables"]
    open_page(page, "data", "データ")
    page.locator("input[type=file]").first.set_input_files([
        {"name": "organizations.csv", "mimeType": "text/csv",
         "buffer": b"id,name,kind\nX-1,<script>alert(9)</script>,spaceship\nX-1,,npo\n"},
        {"name": "notes.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}])
    page.get_by_text("件の問題があります").first.wait_for(timeout=60_000)
    assert page.get_by_text("取り込み").count() >= 1
    assert status(hostile_store)["tables"] == before
    assert page.dialogs == []


def test_ingest_into_a_store_held_elsewhere_says_so_and_writes_nothing(page, hostile_store):
    """Another process (a long `tsunagari ingest`) holds the store while a user ingests an
    upload: a clear message after the bounded wait, no traceback, the store unchanged."""
    import subprocess
    import sys

    from ingest.store import status

    before = status(hostile_store)["tables"]
    open_page(page, "data", "データ")
    page.locator("input[type=file]").first.set_input_files([
        {"name": "organizations.csv", "mimeType": "text/csv",
         "buffer": "id,name,kind,ward\nB-1,待ち合わせの会,npo,北区\n".encode()}])
    page.get_by_text("検証に合格しました").first.wait_for(timeout=60_000)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('held', flush=True); time.sleep(120)", str(hostile_store)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        page.get_by_role("button", name="ストアに取り込む").click()
        page.get_by_text("取り込めませんでした").first.wait_for(timeout=60_000)
        assert page.get_by_text("Traceback").count() == 0
    finally:
        holder.kill()
        holder.wait()
    assert status(hostile_store)["tables"] == before
    assert page.dialogs == []
