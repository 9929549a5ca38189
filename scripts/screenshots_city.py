"""Take the city-scale screenshots into docs/screenshots/: whole-city Growth, ward map, WebGL.

Starts ``streamlit run app.py`` on 127.0.0.1 against a store with the whole city (default: the
bootstrap store), drives Debian's headless chromium with Playwright and saves
``growth-city.png`` (the community-level replay with its legend and the per-year charts),
``ward-map.png`` (the choropleth and its table) and ``network-webgl.png`` (every organisation
drawn by sigma.js). The Growth page computes the city's growth on its first visit when nothing
is saved beside the store yet, so the first shot may take a minute or two.

Usage::

    .venv/bin/python scripts/screenshots_city.py [--store FILE] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard import CHROMIUM, free_port, load, start_app  # noqa: E402
from screenshots import settle  # noqa: E402

#: (page path, page title, file name, viewport height, a selector to wait for).
SHOTS = (
    ("growth", "推移", "growth-city", 1500, ".vega-embed"),
    ("ward_map", "区の地図", "ward-map", 1300, '[data-testid="stDeckGlJsonChart"] canvas'),
    ("network", "ネットワーク", "network-webgl", 1000, 'iframe[title="ネットワーク"]'),
)


def main(argv=None) -> int:
    """Take the three screenshots; print the files written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="store file (default: the bootstrap store)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--timeout", type=float, default=900.0)
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
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True,
                args=["--no-sandbox", "--disable-background-networking"])
            for path, title, name, height, ready in SHOTS:
                page = browser.new_page(viewport={"width": 1400, "height": height},
                                        locale="ja-JP")
                load(page, f"{url}/{path}", title, args.timeout)
                page.locator(ready).first.wait_for(timeout=args.timeout * 1000)
                if name == "network-webgl":
                    frame = page.locator(ready).first.element_handle().content_frame()
                    frame.wait_for_function("() => document.body.dataset.drawn",
                                            timeout=args.timeout * 1000)
                settle(page, args.timeout)
                target = out / f"{name}.png"
                page.screenshot(path=str(target))
                print(target)
                page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
