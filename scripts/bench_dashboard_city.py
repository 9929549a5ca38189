"""Measure the city-scale pages in a real browser; write their sections of docs/benchmarks/dashboard.md.

Starts ``streamlit run app.py`` on 127.0.0.1 against a store (default: the bootstrap store),
drives Debian's headless chromium with Playwright, and times:

1. **Growth, whole city**: the first visit after an ingest (the saved growth beside the store is
   removed first), a later visit in a fresh browser session, and a visit after a restart of
   the dashboard (nothing in memory: the saved tables are read);
2. **WebGL network**: the Network page of the whole city (the analysis warm), and how long the
   sigma.js page takes from its load to its first drawn frame;
3. **Ward map**: the map page, analysis warm;
4. **Ward report**: from the click on the PDF button to the downloaded file;
5. **In-app visits**: what a user does in an open session — a click on the sidebar link to
   Growth (computed before) and to the ward map (visited before), timed from the click until
   the page's charts are drawn and its script has finished (median of three round trips).

A fresh browser context (rows 1–3) loads Streamlit's whole front end (about 4 MB of
JavaScript) before the page; the in-app rows are the later visits a user makes.

Only the sections under "## City scale" are replaced in the output file; other sections
(another benchmark's) are kept.

Usage::

    .venv/bin/python scripts/bench_dashboard_city.py [--store FILE] [--out docs/benchmarks/dashboard.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_dashboard import CHROMIUM, IDLE, free_port, start_app  # noqa: E402

HEADING = "## City scale"
LONG = 900_000
#: The ward map's chart drawn (Vega draws on a canvas or in SVG).
MAP = '[data-testid="stVegaLiteChart"] :is(canvas, svg)'
#: The Growth page's charts drawn: its title and at least three drawn Vega charts.
GROWTH_DRAWN = ("() => [...document.querySelectorAll('h1')].some(h => h.innerText === '推移')"
                " && document.querySelectorAll('.vega-embed :is(canvas, svg)').length >= 3")
MAP_DRAWN = ("() => [...document.querySelectorAll('h1')].some(h => h.innerText === '区の地図')"
             f" && document.querySelector('{MAP}') !== null")


def _idle(page):
    page.wait_for_function(IDLE, timeout=LONG)


def growth_visit(browser, url: str) -> float:
    """Seconds from navigation until the whole-city Growth page's charts are drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="ja-JP")
    page = context.new_page()
    started = time.perf_counter()
    page.goto(f"{url}/growth")
    page.get_by_text("コミュニティの誕生・合併・分裂・消滅（年度別）").wait_for(timeout=LONG)
    page.wait_for_function(GROWTH_DRAWN, timeout=LONG)
    _idle(page)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def network_visit(browser, url: str) -> tuple[float, float, int]:
    """(page seconds until the WebGL frame drew, the frame's own ms to first draw, nodes)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="ja-JP")
    page = context.new_page()
    started = time.perf_counter()
    page.goto(f"{url}/network")
    handle = page.locator('iframe[title="ネットワーク"]').first.element_handle(timeout=LONG)
    frame = handle.content_frame()
    frame.wait_for_function("() => document.body.dataset.drawn", timeout=LONG)
    seconds = time.perf_counter() - started
    own = float(frame.evaluate("() => document.body.dataset.ms")) / 1000
    nodes = int(frame.evaluate("() => document.body.dataset.drawn"))
    context.close()
    return seconds, own, nodes


def map_and_report(browser, url: str) -> tuple[float, float, int]:
    """(map page seconds, report PDF seconds from click to file, PDF bytes)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="ja-JP",
                                  accept_downloads=True)
    page = context.new_page()
    started = time.perf_counter()
    page.goto(f"{url}/ward_map")
    page.wait_for_function(MAP_DRAWN, timeout=LONG)
    _idle(page)
    map_seconds = time.perf_counter() - started
    box = page.locator('[data-testid="stVegaLiteChart"]').first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 - 15)
    page.get_by_text("表示範囲の区:").first.wait_for(timeout=LONG)
    _idle(page)
    button = page.locator('[data-testid="stDownloadButton"] button').first
    started = time.perf_counter()
    with page.expect_download(timeout=LONG) as download:
        button.click()
    target = Path(download.value.path())
    report_seconds = time.perf_counter() - started
    size = target.stat().st_size
    context.close()
    return map_seconds, report_seconds, size


def in_app_visits(browser, url: str, rounds: int = 3) -> tuple[float, float]:
    """Median seconds of a sidebar click to Growth and to the ward map in one open session.

    The session starts on the ward map (so both pages were visited before); each click is
    timed until the new page's charts are drawn and its script has finished.
    """
    import statistics

    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="ja-JP")
    page = context.new_page()
    page.goto(f"{url}/ward_map")
    page.wait_for_function(MAP_DRAWN, timeout=LONG)
    _idle(page)
    nav = page.locator('[data-testid="stSidebarNav"]')
    times: dict[str, list[float]] = {"推移": [], "区の地図": []}
    for _ in range(rounds):
        for label, drawn in (("推移", GROWTH_DRAWN), ("区の地図", MAP_DRAWN)):
            page.wait_for_timeout(500)  # the previous page settled
            started = time.perf_counter()
            nav.get_by_role("link", name=label).click()
            page.wait_for_function(drawn, timeout=LONG, polling=20)
            page.wait_for_function(IDLE, timeout=LONG, polling=20)
            times[label].append(time.perf_counter() - started)
    context.close()
    return statistics.median(times["推移"]), statistics.median(times["区の地図"])


def main(argv=None) -> int:
    """Run the measurements and write the "City scale" sections."""
    from playwright.sync_api import sync_playwright

    from cli.common import load_average
    from ingest.store import default_store_path, status

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="store file (default: the bootstrap store)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks" / "dashboard.md"))
    args = parser.parse_args(argv)
    store = Path(args.store) if args.store else default_store_path()
    organisations = status(store)["tables"]["organizations"]["records"]
    shutil.rmtree(Path(str(store) + ".growth"), ignore_errors=True)
    rows = []
    port = free_port()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox"])
        server = start_app(store, port)
        url = f"http://127.0.0.1:{port}"
        try:
            rows.append(("Growth, whole city: first visit after an ingest (computes, saves)",
                         growth_visit(browser, url)))
            rows.append(("Growth, whole city: later visit (fresh browser session)",
                         growth_visit(browser, url)))
        finally:
            server.terminate()
            server.wait(timeout=30)
        port = free_port()  # a new port: the old one may still be closing
        url = f"http://127.0.0.1:{port}"
        server = start_app(store, port)
        try:
            rows.append(("Growth, whole city: visit after a dashboard restart (reads the saved "
                         "tables)", growth_visit(browser, url)))
            seconds, own, nodes = network_visit(browser, url)
            rows.append((f"Network, whole city with WebGL ({nodes:,} organisations): first visit "
                         "(computes the analysis and the layout)", seconds))
            seconds, own, nodes = network_visit(browser, url)
            rows.append(("Network, whole city with WebGL: later visit, until drawn", seconds))
            rows.append(("WebGL page alone: load to first drawn frame (in the iframe)", own))
            map_seconds, report_seconds, size = map_and_report(browser, url)
            rows.append(("Ward map: first visit, fresh browser session (analysis warm; computes "
                         "the ward figures once)", map_seconds))
            rows.append((f"Ward report PDF: click to downloaded file ({size:,} bytes)",
                         report_seconds))
            growth_seconds, map_seconds = in_app_visits(browser, url)
            rows.append(("Growth, whole city: later visit in an open session (sidebar click, "
                         "median of 3)", growth_seconds))
            rows.append(("Ward map: later visit in an open session (sidebar click, median of 3)",
                         map_seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)
        browser.close()
    section = render(rows, store, organisations, load_average())
    out = Path(args.out)
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    out.write_text(replace_section(old, section), encoding="utf-8")
    print(section)
    return 0


def render(rows, store: Path, organisations: int, load: str) -> str:
    """The "City scale" section as Markdown."""
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [HEADING, "",
             f"Measured {when} by `scripts/bench_dashboard_city.py` on `{store.name}` "
             f"({organisations:,} organisations), headless Debian chromium (software WebGL), "
             f"{platform.machine()}, {os.cpu_count()} cores shared with other work; load "
             f"average {load}.", "", "| step | seconds |", "|---|---:|"]
    lines += [f"| {name} | {seconds:.2f} |" for name, seconds in rows]
    return "\n".join(lines) + "\n"


def replace_section(text: str, section: str) -> str:
    """``text`` with its "City scale" section (up to the next ``## `` heading) replaced.

    >>> replace_section("# T\\n\\n## City scale\\nold\\n## Load test\\nx\\n", "## City scale\\nnew\\n")
    '# T\\n\\n## City scale\\nnew\\n\\n## Load test\\nx\\n'
    """
    if HEADING not in text:
        return text.rstrip() + "\n\n" + section
    before, rest = text.split(HEADING, 1)
    after = rest.split("\n## ", 1)
    tail = "\n## " + after[1] if len(after) > 1 else ""
    return before + section + tail


if __name__ == "__main__":
    sys.exit(main())
