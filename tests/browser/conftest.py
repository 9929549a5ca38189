"""Fixtures for the real-browser tests: a store with hostile names, the app, headless chromium.

The app runs as ``streamlit run app.py`` on 127.0.0.1 and a free port, reading a temporary
store that holds the real records plus organisations whose names are HTML/script payloads.
The browser is Debian's chromium (``scripts/ensure_browser.sh`` installs it with apt); these
tests never download a browser.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
HOSTILE_NAMES = (
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    '<a href="javascript:alert(3)">link</a>',
)


@pytest.fixture(scope="session")
def hostile_names() -> tuple[str, ...]:
    """The organisation names that must show as text and run nothing."""
    return HOSTILE_NAMES


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def hostile_store(tmp_path_factory) -> Path:
    """A store with the real records and three organisations named like XSS payloads."""
    from ingest.store import ingest_dataset

    folder = tmp_path_factory.mktemp("hostile")
    data = folder / "hostile"
    data.mkdir()
    rows = ["id,name,kind,ward,orientation,synthetic"]
    for i, name in enumerate(HOSTILE_NAMES, 1):
        quoted = '"' + name.replace('"', '""') + '"'
        rows.append(f"S-X00{i},{quoted},npo,西淀川区,thematic,true")
    rows.append("S-X010,西淀川見守りの会,citizen_group,西淀川区,thematic,true")
    (data / "organizations.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (data / "collaborations.csv").write_text(
        "id,title,start_date,org_ids,description,synthetic\n"
        'S-XC1,"<img src=y onerror=alert(4)>",2019-05-01,S-X001;S-X002;S-X003;S-X010,'
        '"<script>alert(5)</script>",true\n'
        "S-XC2,見守り,2019-06-01,S-X001;S-X010,href test,true\n", encoding="utf-8")
    store = folder / "store.duckdb"
    ingest_dataset(ROOT / "data" / "osaka" / "real", store=store)
    ingest_dataset(data, store=store)
    return store


@pytest.fixture(scope="session")
def app_url(hostile_store):
    """Start the dashboard on 127.0.0.1 (free port); yield its URL; stop it afterwards."""
    port = _free_port()
    # A short bounded wait, so the busy-store test does not wait the default 10 s.
    env = dict(os.environ, TSUNAGARI_STORE=str(hostile_store), TSUNAGARI_STORE_TIMEOUT="3")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        server.terminate()
        pytest.fail("the dashboard did not start within 60 s")
    yield url
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium driven by Playwright."""
    if not Path(CHROMIUM).exists():
        # `make test` installs it first; in CI a missing browser is a failure, never a skip.
        message = "chromium missing: run scripts/ensure_browser.sh (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, app_url):
    """A fresh page that records dialogs and every request's host."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    tab = context.new_page()
    tab.dialogs = []
    tab.hosts = set()
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    tab.on("request", lambda request: tab.hosts.add(_host(request.url)))
    tab.base_url = app_url
    yield tab
    context.close()


def _host(url: str) -> str:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    return parsed.hostname or parsed.scheme
