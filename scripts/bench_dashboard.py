"""Measure the dashboard's speed in a real browser and write docs/benchmarks/dashboard.md.

Starts ``streamlit run app.py`` on 127.0.0.1 (free port) against a store (default: the
bundled city, ``tsunagari bootstrap``'s store), drives Debian's headless chromium with
Playwright and times, from navigation to "the script finished and the page is drawn":

1. the cold first load of the Overview (computes the analysis: the cache warms up);
2. the first load of every page in a fresh browser session once the cache is warm;
3. filter changes in the sidebar (a ward, a kind, real records only) on the Overview;
4. the Network page drawing (until vis-network's canvas has drawn in its iframe).

Usage::

    .venv/bin/python scripts/bench_dashboard.py [--store FILE] [--out docs/benchmarks/dashboard.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
PAGES = (("", "概要"), ("network", "ネットワーク"), ("connectors", "つなぎ役と孤立"),
         ("gaps", "ギャップ"), ("introductions", "紹介提案"), ("growth", "推移"),
         ("cases", "事例"), ("data", "データ"))
IDLE = ("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelectorAll('[data-stale=\"true\"]').length === 0")


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(store: Path, port: int) -> subprocess.Popen:
    """``streamlit run app.py`` on 127.0.0.1:port reading ``store``; waits until healthy."""
    env = dict(os.environ, TSUNAGARI_STORE=str(store))
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless",
         "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the dashboard did not start")


def load(page, url: str, title: str, timeout: float) -> float:
    """Seconds from navigation until the page's title is drawn and its script has finished."""
    started = time.perf_counter()
    page.goto(url)
    page.get_by_role("heading", name=title).first.wait_for(timeout=timeout * 1000)
    page.wait_for_function(IDLE, timeout=timeout * 1000)
    return time.perf_counter() - started


def network_drawn(page, timeout: float) -> float:
    """Seconds until the pyvis iframe's vis-network canvas has drawn (after the page loaded)."""
    started = time.perf_counter()
    handle = page.locator('iframe[title="ネットワーク"]').first.element_handle(
        timeout=timeout * 1000)
    frame = handle.content_frame()
    frame.wait_for_function(
        "() => typeof network !== 'undefined' && document.querySelector('#mynetwork canvas')",
        timeout=timeout * 1000)
    frame.evaluate("() => new Promise(r => { network.once('afterDrawing', () => r());"
                   " network.redraw(); })")
    return time.perf_counter() - started


def drawing_sizes(browser, sizes=(500, 1500, 3000, 5000)) -> list[tuple[int, int, float, float]]:
    """(nodes, ties, Python seconds, browser seconds) to draw a clustered graph of each size.

    The graph is a seeded power-law cluster graph (3 ties per node) drawn exactly as the
    Network page draws: cached layout, ``dashboards._viz.network_html``, physics off.
    """
    import networkx as nx
    import pandas as pd

    from dashboards import _layout, _viz

    rows = []
    for n in sizes:
        G = nx.powerlaw_cluster_graph(n, 3, 0.3, seed=0)
        started = time.perf_counter()
        membership = {v: v // 50 for v in G}
        positions = _layout.layout_positions(G, membership)
        nodes = pd.DataFrame({"id": [str(v) for v in G], "label": [f"団体{v}" for v in G],
                              "title": [f"団体{v}" for v in G], "color": "#4e79a7",
                              "size": 10.0, "x": [positions[v][0] for v in G],
                              "y": [positions[v][1] for v in G]})
        kept = _viz.strongest_edges(G, limit=10 * n)
        edges = pd.DataFrame({"source": [str(u) for u, _ in kept],
                              "target": [str(v) for _, v in kept], "width": 1.0, "title": ""})
        html = _viz.network_html(nodes, edges)
        python_seconds = time.perf_counter() - started
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        started = time.perf_counter()
        page.set_content(html)
        page.wait_for_function("() => typeof network !== 'undefined'", timeout=120_000)
        page.evaluate("() => new Promise(r => { network.once('afterDrawing', () => r());"
                      " network.redraw(); })")
        rows.append((n, len(kept), python_seconds, time.perf_counter() - started))
        page.close()
    return rows


def kpi(page) -> str:
    """The text of the first KPI tile (organisations)."""
    return page.locator('[data-testid="stMetricValue"]').first.inner_text()


def change(page, action, timeout: float) -> float:
    """Seconds from a sidebar action until the organisations KPI changed and the run ended.

    ``action`` is a callable, or a pair (prepare, commit) of which only ``commit`` is timed
    (typing into a select box is the user's time, not the app's).
    """
    before = kpi(page)
    prepare, commit = action if isinstance(action, tuple) else (None, action)
    if prepare is not None:
        prepare()
    started = time.perf_counter()
    commit()
    page.wait_for_function(
        "(old) => { const m = document.querySelector('[data-testid=\"stMetricValue\"]');"
        " return m && m.innerText !== old; }", arg=before, timeout=timeout * 1000)
    page.wait_for_function(IDLE, timeout=timeout * 1000)
    return time.perf_counter() - started


def pick(page, label: str, option: str):
    """(prepare, commit) choosing ``option`` in the sidebar multiselect labelled ``label``."""
    def prepare():
        box = page.locator('[data-testid="stSidebar"]').get_by_label(label, exact=True).first
        box.click()
        page.keyboard.type(option)
        page.wait_for_timeout(500)

    def commit():
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
    return prepare, commit


def main(argv=None) -> int:
    """Run the measurements and write the Markdown report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="store file (default: the bootstrap store)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks" / "dashboard.md"))
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from ingest.store import default_store_path, status

    store = Path(args.store) if args.store else default_store_path()
    counts = status(store)["tables"]
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = start_app(store, port)
    url = f"http://127.0.0.1:{port}"
    rows: list[tuple[str, float]] = []
    drawing: list = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            cold = browser.new_page(viewport={"width": 1400, "height": 1000})
            rows.append(("cold first load: Overview (computes the analysis)",
                         load(cold, f"{url}/", "概要", args.timeout)))
            for path, title in PAGES[1:]:
                rows.append((f"cold first load: {title} / {path or 'overview'}",
                             load(cold, f"{url}/{path}", title, args.timeout)))
            cold.close()
            warm = browser.new_page(viewport={"width": 1400, "height": 1000})
            for path, title in PAGES:
                rows.append((f"first load, cache warm: {title} / {path or 'overview'}",
                             load(warm, f"{url}/{path}", title, args.timeout)))
                if path == "network":
                    rows.append(("network canvas drawn (after the page loaded)",
                                 network_drawn(warm, args.timeout)))
            load(warm, f"{url}/", "概要", args.timeout)
            checkbox = warm.locator('[data-testid="stSidebar"]').get_by_text("実データのみ")
            rows.append(("filter change: real records only (first time: its own analysis)",
                         change(warm, checkbox.click, args.timeout)))
            rows.append(("filter change: real records only off again (cached)",
                         change(warm, checkbox.click, args.timeout)))
            rows.append(("filter change: ward 西淀川区 (first time)",
                         change(warm, pick(warm, "区", "西淀川区"), args.timeout)))
            rows.append(("filter change: kind 企業 (first time)",
                         change(warm, pick(warm, "団体種別", "企業"), args.timeout)))
            drawing = drawing_sizes(browser)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = render(rows, store, counts, drawing)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(report, encoding="utf-8")
    print(report)
    return 0


def render(rows, store: Path, counts: dict, drawing=()) -> str:
    """The Markdown report."""
    orgs = counts.get("organizations", {}).get("records", 0)
    others = ", ".join(f"{table} {c['records']:,}" for table, c in counts.items()
                       if table != "organizations")
    lines = [
        "# Dashboard speed (measured in a real browser)",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by "
        "`scripts/bench_dashboard.py`: `streamlit run app.py` on 127.0.0.1, headless Debian "
        "chromium driven by Playwright, timing from navigation (or the sidebar click) until the "
        "page's script has finished and the page is drawn.",
        "",
        f"Store: `{store.name}` — {orgs:,} organisations ({others}).",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared with other jobs), "
        f"Python {platform.python_version()}.",
        "",
        "| step | seconds |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {seconds:.2f} |" for name, seconds in rows]
    if drawing:
        lines += ["", "## How much the browser can draw", "",
                  "A clustered graph drawn as the Network page draws it (layout in Python, "
                  "physics off); this sets the page's limits (1,500 organisations, 3,000 ties).",
                  "", "| organisations | ties | layout + HTML in Python (s) "
                  "| first draw in chromium (s) |",
                  "|---:|---:|---:|---:|"]
        lines += [f"| {n:,} | {m:,} | {py:.2f} | {js:.2f} |" for n, m, py, js in drawing]
    lines += [
        "",
        "Targets: first load ≤ 5 s once the cache is warm; filter changes ≤ 1 s. The cold "
        "first load builds the tie graph and runs the whole analysis once per store version "
        "and fiscal-year choice (graph.analysis.analyze); ward, kind and field filters reuse it.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
