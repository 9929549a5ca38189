"""Bounded load test of the dashboard: N concurrent sessions for S seconds on 127.0.0.1 only.

    python scripts/load_test.py [--sessions 20] [--seconds 60] [--store FILE] [--write]

Starts ``streamlit run app.py`` on 127.0.0.1 and a free port (or uses ``--url``, which must
be a loopback address), warms each page once, then runs ``--sessions`` clients at once for
``--seconds``. Each client is what a browser tab is to the server: one websocket session
(``/_stcore/stream``) asking for page after page (``rerun_script`` with the page name, as
the browser sends on navigation) and timing each from the request until the server reports
the script finished. The server's memory (RSS of the server process, from ``/proc``) is
sampled every 0.5 s. Everything is bounded: the number of clients, the run time, a 120 s cap
per page run; the script stops by itself and stops the server it started.

With ``--write`` the figures replace the "Load test" section of
docs/benchmarks/dashboard.md (the other sections are left as they are).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PAGES = ("", "network", "connectors", "gaps", "introductions", "growth", "cases", "data")
PAGE_RUN_TIMEOUT = 120.0
REPORT = ROOT / "docs" / "benchmarks" / "dashboard.md"
HEADING = "## Load test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _start_server(store: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = dict(os.environ, TSUNAGARI_STORE=str(store))
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return server, url
        except OSError as exc:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise SystemExit("the dashboard did not start within 90 s") from exc
            time.sleep(0.5)


async def _page_run(ws, page: str) -> float:
    """Ask the session for ``page``; seconds until its script finished."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = BackMsg()
    message.rerun_script.query_string = ""
    message.rerun_script.page_name = page
    started = time.perf_counter()
    await ws.send(message.SerializeToString())
    while True:
        reply = ForwardMsg()
        reply.ParseFromString(await asyncio.wait_for(ws.recv(), PAGE_RUN_TIMEOUT))
        kind = reply.WhichOneof("type")
        if kind == "page_not_found":
            raise RuntimeError(f"page {page!r} not found")
        if kind == "script_finished":
            return time.perf_counter() - started


async def _session(url: str, number: int, deadline: float, times: dict, errors: list):
    import websockets

    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    position = number % len(PAGES)  # sessions start on different pages
    try:
        async with websockets.connect(stream, subprotocols=["streamlit"],
                                      max_size=None) as ws:
            while time.monotonic() < deadline:
                page = PAGES[position % len(PAGES)]
                times.setdefault(page or "overview", []).append(await _page_run(ws, page))
                position += 1
    except Exception as exc:  # noqa: BLE001 - a failed session is counted, not fatal
        errors.append(f"session {number}: {type(exc).__name__}: {exc}")


async def _load(url: str, sessions: int, seconds: float) -> tuple[dict, list]:
    times: dict[str, list[float]] = {}
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(_session(url, i, deadline, times, errors)
                           for i in range(sessions)))
    return times, errors


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _store_for_test(folder: Path) -> Path:
    from ingest.store import ingest_dataset
    from synth.generator import generate

    store = folder / "load.duckdb"
    ingest_dataset(ROOT / "data" / "osaka" / "real", store=store, show_progress=False)
    generate(folder / "ward", scale="ward", seed=7, first_fy=2016, last_fy=2019)
    ingest_dataset(folder / "ward", store=store, show_progress=False)
    return store


def _report(args, store: Path, warm: dict, times: dict, errors: list, baseline: float,
            peak: float, wall: float) -> str:
    from cli.common import load_average
    from ingest.store import status

    counts = status(store)["tables"]
    everything = [t for runs in times.values() for t in runs]
    lines = [HEADING, "",
             f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by "
             f"`python scripts/load_test.py --sessions {args.sessions} --seconds "
             f"{args.seconds:g}`: `streamlit run app.py` on 127.0.0.1, {args.sessions} "
             f"concurrent sessions for {wall:.0f} s. Each session is one websocket session "
             "(what a browser tab is to the server) asking for the pages in turn; a page "
             "time runs from the request to the server's `script_finished` (the browser's "
             "drawing is not included: see the sections above). Every page was loaded once "
             "before (warm caches).", "",
             f"Store: the real records and a synthetic ward — "
             f"{counts.get('organizations', {}).get('records', 0):,} organisations, "
             f"{counts.get('participations', {}).get('records', 0):,} participations. "
             f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python "
             f"{platform.python_version()}, load average at the end {load_average()}.", "",
             "| page | runs | p50 s | p95 s | max s | warm single run s |",
             "|---|---:|---:|---:|---:|---:|"]
    for page in [p or "overview" for p in PAGES]:
        runs = times.get(page, [])
        if runs:
            lines.append(f"| {page} | {len(runs)} | {statistics.median(runs):.2f} | "
                         f"{_percentile(runs, 0.95):.2f} | {max(runs):.2f} | "
                         f"{warm.get(page, float('nan')):.2f} |")
    if everything:
        lines.append(f"| **all pages** | **{len(everything)}** | "
                     f"**{statistics.median(everything):.2f}** | "
                     f"**{_percentile(everything, 0.95):.2f}** | **{max(everything):.2f}** "
                     "| |")
    single = sum(warm.values()) / max(len(warm), 1)
    lines += ["", f"Throughput: {len(everything) / wall:.2f} page runs per second. Page "
              "scripts are CPU-bound and the sessions share the machine's cores, so a page "
              f"under load takes about sessions × single run / cores ≈ {args.sessions} × "
              f"{single:.2f} s / {os.cpu_count()} = {args.sessions * single / os.cpu_count():.1f}"
              " s here (more when other jobs load the machine, as the load average shows).",
              "", f"Server memory (RSS): {baseline:.0f} MiB after the warm-up, peak "
              f"{peak:.0f} MiB under load ({peak / max(baseline, 1):.2f}×). Failed sessions: "
              f"{len(errors)}." + ("" if not errors else " " + "; ".join(errors[:3])), ""]
    return "\n".join(lines)


def _write_section(text: str) -> None:
    """Replace (or append) the "Load test" section of the dashboard benchmark page."""
    current = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    start = current.find(HEADING + "\n")
    if start < 0:
        REPORT.write_text(current.rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    end = current.find("\n## ", start + len(HEADING))
    rest = "" if end < 0 else current[end + 1:]
    REPORT.write_text(current[:start] + text + ("\n" + rest if rest else ""),
                      encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--store", help="store to serve (default: a temporary one)")
    parser.add_argument("--url", help="a dashboard already running on 127.0.0.1")
    parser.add_argument("--write", action="store_true",
                        help="write the figures to docs/benchmarks/dashboard.md")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 50 or not 1 <= args.seconds <= 600:
        parser.error("--sessions 1–50 and --seconds 1–600 (the test is bounded)")
    if args.url and urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--url must be on 127.0.0.1: this test never loads another machine")
    folder = Path(tempfile.mkdtemp(prefix="tsunagari-load-"))
    server = None
    try:
        store = Path(args.store) if args.store else _store_for_test(folder)
        if args.url:
            url = args.url.rstrip("/")
        else:
            server, url = _start_server(store)
        warm = {}
        for page in PAGES:  # fill the caches; the second run is the warm single-session time
            asyncio.run(_load_once(url, page))
            warm[page or "overview"] = asyncio.run(_load_once(url, page))
        pid = server.pid if server else None
        baseline = _rss_mib(pid) if pid else 0.0
        peak = [baseline]
        stop = threading.Event()

        def sample():
            while not stop.wait(0.5):
                peak[0] = max(peak[0], _rss_mib(pid) if pid else 0.0)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.monotonic()
        times, errors = asyncio.run(_load(url, args.sessions, args.seconds))
        wall = time.monotonic() - started
        stop.set()
        sampler.join()
        text = _report(args, store, warm, times, errors, baseline, peak[0], wall)
        print(text)
        if args.write:
            _write_section(text)
            print(f"written to {REPORT}")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


async def _load_once(url: str, page: str) -> float:
    import websockets

    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None) as ws:
        return await _page_run(ws, page)


if __name__ == "__main__":
    sys.exit(main())
