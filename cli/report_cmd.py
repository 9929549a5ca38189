"""`tsunagari report`: one ward's report for a meeting, as PDF, XLSX or HTML.

``tsunagari report --ward 西淀川区 --out 西淀川区.pdf`` reads the store (or ``--dataset``),
analyses the whole city, and writes the ward's report (``graph.report``): network picture, top
connectors and isolated organisations with reasons, gaps against the null model, suggested
introductions, growth per fiscal year, the report figures and their conflicts, data sources and
the store version. Japanese by default, ``--lang en`` for English. The format follows the
suffix of ``--out`` (.pdf with the Japanese font embedded, .xlsx, .html).

Exit status: 0 success, 1 store unusable, 2 bad input.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="tsunagari"); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["report", "--ward", "西淀川区", "--out", "r.pdf"])
>>> args.ward, args.lang
('西淀川区', 'ja')
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from cli.common import EXIT_BAD_INPUT, EXIT_OK, add_input_arguments, load_or_explain

__all__ = ["register", "cmd_report"]


def register(sub) -> None:
    """Add the `report` subcommand."""
    p = sub.add_parser("report", help="a ward's report (PDF, XLSX or HTML) for a meeting",
                       description="Write one ward's report; the format follows --out's suffix.")
    add_input_arguments(p)
    p.add_argument("--ward", required=True, help="the ward, e.g. 西淀川区 (or 西淀川)")
    p.add_argument("--out", required=True, metavar="FILE", help="FILE.pdf, FILE.xlsx or FILE.html")
    p.add_argument("--lang", choices=("ja", "en"), default="ja", help="language (default ja)")
    p.add_argument("--real-only", action="store_true", help="leave out synthetic records")
    p.set_defaults(func=cmd_report)


def _step(message: str) -> None:
    if sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)


def cmd_report(args) -> int:
    """Run `tsunagari report`; returns the exit status."""
    from cli.analyze_cmd import _resolve_wards
    from graph.analysis import analyze
    from graph.errors import GraphError
    from graph.report.render import FORMATS, write_report
    from graph.report.ward import make_ward_report

    out = Path(args.out)
    if out.suffix.lower() not in FORMATS:
        print(f"--out: {out} must end in .pdf, .xlsx or .html", file=sys.stderr)
        return EXIT_BAD_INPUT
    started = time.perf_counter()
    _step("reading the records…")
    dataset, status = load_or_explain(args, doing="reported")
    if dataset is None:
        return status
    present = set(dataset.table("organizations")["ward"].dropna().astype(str))
    wards = _resolve_wards(present, [args.ward])
    if isinstance(wards, str):
        print(f"--ward: {wards}", file=sys.stderr)
        return EXIT_BAD_INPUT
    store, version, batches = _store_facts(args)
    _step("analysing the city…")
    try:
        result = analyze(dataset, real_only=args.real_only, progress=sys.stderr.isatty())
        _step(f"writing the report of {wards[0]}…")
        report = make_ward_report(dataset, wards[0], store=store, version=version,
                                  lang=args.lang, result=result, batches=batches)
        write_report(report, out)
    except GraphError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"wrote {out} ({out.stat().st_size:,} bytes, {len(report.sections)} sections) "
          f"in {time.perf_counter() - started:.1f} s")
    return EXIT_OK


def _store_facts(args) -> tuple[str, str, list[dict]]:
    """The store's file name, version and batches (a dataset folder: its name, no batches)."""
    if getattr(args, "dataset", None):
        return Path(args.dataset).name, "dataset", []
    from ingest.store import default_store_path, status, store_version

    path = Path(args.store) if args.store else default_store_path()
    return path.name, store_version(path), status(path, timeout=args.timeout)["batches"]
