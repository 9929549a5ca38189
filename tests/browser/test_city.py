"""Real-browser tests at city scale (the bundled city, 12k organisations): whole-city Growth,
the WebGL network, a click on the ward map setting the scope, a downloaded ward report PDF."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
LONG = 900_000  # ms: the first whole-city computations on 2 shared cores


@pytest.fixture(scope="module")
def city_url(tmp_path_factory):
    """The dashboard on the bundled city (``tsunagari bootstrap`` into a temporary store)."""
    from cli.bootstrap_cmd import bootstrap

    folder = tmp_path_factory.mktemp("city")
    store = folder / "city.duckdb"
    bootstrap(store, synth_dir=folder / "synth")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, TSUNAGARI_STORE=str(store))
    env.pop("TSUNAGARI_WARD_BOUNDARIES", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless",
         "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                break
        except OSError:
            time.sleep(0.5)
    else:
        server.terminate()
        pytest.fail("the dashboard did not start")
    yield url
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture()
def tab(browser, city_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="ja-JP",
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(LONG)
    page.base_url = city_url
    yield page
    context.close()


def idle(page):
    page.wait_for_function(
        "() => !document.querySelector("
        "'[data-testid=\"stStatusWidget\"] [data-testid=\"stSpinner\"]')"
        " && document.querySelectorAll('[data-stale=\"true\"]').length === 0", timeout=LONG)


def test_whole_city_growth_shows_its_charts(tab):
    tab.goto(f"{tab.base_url}/growth")
    tab.get_by_text("コミュニティの誕生・合併・分裂・消滅（年度別）").wait_for()
    idle(tab)
    assert tab.get_by_text("コミュニティ単位で再生します").count() >= 1  # community-level replay
    # three charts drawn at once; the report's series wait in an expander
    tab.wait_for_function("() => document.querySelectorAll('.vega-embed').length >= 3")
    caption = tab.get_by_text("範囲:").first.inner_text()
    assert int(caption.split("範囲:")[1].split("団体")[0].replace(",", "")) > 10_000


def test_the_whole_city_is_drawn_with_webgl(tab):
    tab.goto(f"{tab.base_url}/network")
    handle = tab.locator('iframe[title="ネットワーク"]').first.element_handle(timeout=LONG)
    frame = handle.content_frame()
    frame.wait_for_function("() => document.body.dataset.drawn", timeout=300_000)
    assert int(frame.evaluate("() => document.body.dataset.drawn")) > 10_000
    assert frame.locator("canvas").count() >= 1
    name = frame.evaluate("() => { const g = window.tsunagariSigma.getGraph();"
                          " const n = g.nodes()[0]; window.tsunagariFocus(n);"
                          " return g.getNodeAttribute(n, 'label'); }")
    card = frame.locator("#card")
    card.wait_for(state="visible")
    assert card.inner_text().startswith(name)


def test_a_click_on_the_map_sets_the_ward_and_downloads_its_report(tab, tmp_path):
    tab.goto(f"{tab.base_url}/ward_map")
    tab.get_by_role("heading", name="区の地図").first.wait_for()
    idle(tab)
    chart = tab.locator('[data-testid="stVegaLiteChart"]').first
    chart.wait_for()
    tab.wait_for_timeout(1500)
    box = chart.bounding_box()
    # the tile grid is centred: 中央区 sits just above the middle of the chart
    tab.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 - 15)
    tab.get_by_text("表示範囲の区:").first.wait_for()
    idle(tab)
    chosen = tab.get_by_text("表示範囲の区:").first.inner_text().split(":")[1].strip()
    assert chosen.endswith("区")
    sidebar = tab.locator('[data-testid="stSidebar"]')
    assert chosen in sidebar.inner_text()  # the scope of every page changed
    button = tab.get_by_role("button", name=f"{chosen}のレポート（PDF）")
    with tab.expect_download(timeout=300_000) as download:
        button.click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext missing: scripts/ensure_browser.sh installs poppler-utils")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert f"{chosen} つながりレポート" in text and "つなぎ役" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "Pages:" in info and int(info.split("Pages:")[1].split()[0]) >= 2
