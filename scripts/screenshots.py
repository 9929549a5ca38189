"""Take a screenshot of every dashboard page into docs/screenshots/.

Starts ``streamlit run app.py`` on 127.0.0.1 (free port) against a store (default: the
bootstrap store with the bundled city), drives Debian's headless chromium with Playwright and
saves one PNG per page (Japanese), plus the Overview in English, the Network page at
community level, around one organisation and with its community stability open, and the
Growth page for one ward with its report figures (the dispatch chart). With ``--city``, only
the city-scale shots (``scripts/screenshots_city.py``: whole-city Growth, ward map, WebGL).

Usage::

    .venv/bin/python scripts/screenshots.py [--store FILE] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard import CHROMIUM, IDLE, free_port, load, start_app  # noqa: E402

VIEWPORT = {"width": 1400, "height": 2000}


def settle(page, timeout: float) -> None:
    """Wait until the script run ended and iframes had a moment to draw."""
    page.wait_for_function(IDLE, timeout=timeout * 1000)
    page.wait_for_timeout(2500)


def choose(page, label: str, text: str, timeout: float, *, sidebar: bool = False) -> None:
    """Type ``text`` into the select box labelled ``label`` and take the first match."""
    scope = page.locator('[data-testid="stSidebar"]') if sidebar else page
    scope.get_by_label(label, exact=True).first.click()
    page.keyboard.type(text)
    page.get_by_role("option", name=text).first.click(timeout=timeout * 1000)
    if sidebar:  # close the multiselect's list (Escape would clear a selectbox)
        page.keyboard.press("Escape")
    page.wait_for_timeout(500)
    settle(page, timeout)


def main(argv=None) -> int:
    """Take the screenshots; print the files written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="store file (default: the bootstrap store)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--city", action="store_true",
                        help="only the city-scale shots (scripts/screenshots_city.py)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from ingest.store import default_store_path

    store = Path(args.store) if args.store else default_store_path()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = start_app(store, port)
    url = f"http://127.0.0.1:{port}"
    written = []

    def shot(page, name: str) -> None:
        settle(page, args.timeout)
        path = out / f"{name}.png"
        page.screenshot(path=str(path))
        written.append(path)

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            if args.city:
                from screenshots_city import city_shots

                written += city_shots(browser, url, out, args.timeout)
                browser.close()
                print("\n".join(str(p) for p in written))
                return 0
            page = browser.new_page(viewport=VIEWPORT, locale="ja-JP")
            for path, title, name in (("", "概要", "overview"),
                                      ("network", "ネットワーク", "network-communities"),
                                      ("connectors", "つなぎ役と孤立", "connectors"),
                                      ("gaps", "ギャップ", "gaps"), ("cases", "事例", "cases"),
                                      ("data", "データ", "data")):
                load(page, f"{url}/{path}", title, args.timeout)
                shot(page, name)
            load(page, f"{url}/", "概要", args.timeout)
            english = page.locator('[data-testid="stSidebar"]').get_by_text("English")
            english.click()
            page.get_by_role("heading", name="Overview").first.wait_for(timeout=args.timeout * 1000)
            shot(page, "overview-en")
            english.click()
            page.get_by_role("heading", name="概要").first.wait_for(timeout=args.timeout * 1000)
            load(page, f"{url}/network", "ネットワーク", args.timeout)
            choose(page, "団体を検索", "尼崎信用金庫", args.timeout)
            shot(page, "network-ego")
            load(page, f"{url}/network", "ネットワーク", args.timeout)
            page.get_by_text("コミュニティの安定性").first.click()
            page.get_by_text("安定性を計算する").first.click()
            page.get_by_text("コミュニティごとの安定性").first.wait_for(
                timeout=args.timeout * 1000)
            page.get_by_text("コミュニティごとの安定性").first.scroll_into_view_if_needed()
            shot(page, "network-stability")
            load(page, f"{url}/introductions", "紹介提案", args.timeout)
            choose(page, "団体を検索", "尼崎信用金庫", args.timeout)
            shot(page, "introductions")
            load(page, f"{url}/growth", "推移", args.timeout)
            choose(page, "区", "西淀川区", args.timeout, sidebar=True)
            shot(page, "growth")
            page.get_by_text("報告書の数値を表示").first.click()  # a lazy expander
            page.get_by_text("年度別の人材派遣件数").first.wait_for(timeout=args.timeout * 1000)
            page.get_by_role("heading", name="報告書の数値").first.evaluate(
                "e => e.scrollIntoView({block: 'start'})")  # the heading and its charts in view
            shot(page, "report-figures")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
