"""Take the city-scale screenshots into docs/screenshots/: whole-city Growth, ward map, WebGL.

Starts ``streamlit run app.py`` on 127.0.0.1 against a store with the whole city (default: the
bootstrap store), drives Debian's headless chromium with Playwright and saves
``growth-city.png`` (the community-level replay with its legend and the per-year charts),
``ward-map.png`` (the choropleth and its table) and ``network-webgl.png`` (every organisation
drawn by sigma.js). The Growth page computes the city's growth on its first visit when nothing
is saved beside the store yet, so the first shot may take a minute or two.

Run by ``scripts/screenshots.py --city``::

    .venv/bin/python scripts/screenshots.py --city [--store FILE] [--out docs/screenshots]
"""

from __future__ import annotations

from pathlib import Path

from bench_dashboard import load
from screenshots import settle

#: (page path, page title, file name, viewport height, a selector to wait for).
SHOTS = (
    ("growth", "推移", "growth-city", 1500, ".vega-embed"),
    ("ward_map", "区の地図", "ward-map", 1300, '[data-testid="stVegaLiteChart"] :is(canvas, svg)'),
    ("network", "ネットワーク", "network-webgl", 1000, 'iframe[title="ネットワーク"]'),
)


def city_shots(browser, url: str, out: Path, timeout: float) -> list[Path]:
    """Take the :data:`SHOTS` of the dashboard at ``url`` into ``out``; the files written."""
    written = []
    for path, title, name, height, ready in SHOTS:
        page = browser.new_page(viewport={"width": 1400, "height": height}, locale="ja-JP")
        load(page, f"{url}/{path}", title, timeout)
        page.locator(ready).first.wait_for(timeout=timeout * 1000)
        if name == "network-webgl":
            frame = page.locator(ready).first.element_handle().content_frame()
            frame.wait_for_function("() => document.body.dataset.drawn", timeout=timeout * 1000)
        settle(page, timeout)
        target = out / f"{name}.png"
        page.screenshot(path=str(target))
        written.append(target)
        page.close()
    return written
