"""`tsunagari validate | ingest | status | conflicts`: checking data and loading the store.

Exit status: 0 success, 2 bad input (the report names file, sheet, row and column),
1 when the store cannot be used (busy, read-only, damaged); never a traceback for these.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="tsunagari"); sub = parser.add_subparsers()
>>> register(sub)
>>> parser.parse_args(["status", "--json"]).json
True
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from cli.common import add_lang_argument, cli_lang, say

__all__ = ["register", "cmd_validate", "cmd_ingest", "cmd_status", "cmd_conflicts"]

EXIT_OK, EXIT_STORE, EXIT_BAD_INPUT = 0, 1, 2


def register(sub) -> None:
    """Add the validate, ingest, status and conflicts subcommands."""
    p = sub.add_parser("validate", help="check a dataset and print every problem at once")
    p.add_argument("path", help="a folder of CSV files, a CSV file or an XLSX workbook")
    p.add_argument("--report", metavar="FILE.csv", help="also write the problems as a table")
    p.add_argument("--limit", type=int, default=200, help="problems to print (default 200)")
    add_lang_argument(p, default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("ingest", help="validate datasets and load each as one batch")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="a folder of CSV files, a CSV file or an XLSX workbook")
    _store_args(p)
    p.add_argument("--report", metavar="FILE.csv", help="write the problems as a table")
    p.add_argument("--limit", type=int, default=200, help="problems to print (default 200)")
    add_lang_argument(p, default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("status", help="records per table and the batches in the store")
    _store_args(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    add_lang_argument(p, default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("conflicts",
                       help="records that sources or batches give different values for")
    _store_args(p)
    p.add_argument("--csv", metavar="FILE.csv", help="also write the list as a table")
    p.add_argument("--candidates", action="store_true",
                   help="list the name merge candidates of the latest batch instead")
    p.set_defaults(func=cmd_conflicts)


def _store_args(parser) -> None:
    parser.add_argument("--store", metavar="FILE",
                        help="DuckDB store (default $TSUNAGARI_STORE or data/tsunagari.duckdb)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds to wait for a busy store (default 10)")


def _print_failures(err, limit: int, stream, lang: str = "en") -> None:
    from ingest.messages import format_failures

    path = (f"{err.path}{'：' if lang == 'ja' else ': '}") if err.path else ""
    print(say("invalid", lang, path=path, doing="loaded"), file=stream)
    print(format_failures(err.failures, lang, limit=limit), file=stream)


def _write_report(failures: pd.DataFrame, target: str, lang: str = "en") -> bool:
    """Write the problem table to ``target``; on an OS error say so (no traceback)."""
    from ingest.validate import write_report

    try:
        write_report(failures, target)
    except OSError as err:
        print(say("report_error", lang, target=target, error=err), file=sys.stderr)
        return False
    return True


def _print_candidates(candidates: pd.DataFrame, stream, limit: int = 20,
                      lang: str = "en") -> None:
    if candidates is None or candidates.empty:
        return
    print(say("candidates", lang, n=len(candidates)), file=stream)
    for record in candidates.head(limit).to_dict("records"):
        print(say("candidate", lang, **record), file=stream)
    if len(candidates) > limit:
        print(say("candidates_more", lang, n=len(candidates) - limit), file=stream)


def cmd_validate(args) -> int:
    """Check one dataset; print the report; exit 2 when anything is wrong."""
    from ingest.load import prepare
    from ingest.validate import IngestError

    lang = cli_lang(args)
    try:
        prepared = prepare(args.path)
    except IngestError as err:
        _print_failures(err, args.limit, sys.stdout, lang)
        if args.report and _write_report(err.failures, args.report, lang):
            print(say("report_written", lang, target=args.report))
        return EXIT_BAD_INPUT
    counts = ", ".join(f"{t} {n}" for t, n in prepared.counts.items())
    print(say("validated", lang, path=args.path, counts=counts))
    if len(prepared.merges):
        print(say("merges_apply", lang, n=len(prepared.merges)))
    for note in prepared.notes:
        print(say("note", lang, note=note))
    _print_candidates(prepared.candidates, sys.stdout, lang=lang)
    if args.report:
        if not _write_report(_empty_failures(), args.report, lang):
            return EXIT_STORE
        print(say("report_empty", lang, target=args.report))
    return EXIT_OK


def _empty_failures() -> pd.DataFrame:
    from ingest.validate import Failures

    return Failures().frame()


def cmd_ingest(args) -> int:
    """Validate and load each PATH as its own batch; stop at the first invalid one."""
    from ingest.store import StoreError, ingest_dataset
    from ingest.validate import IngestError

    lang = cli_lang(args)
    for path in args.paths:
        try:
            result = ingest_dataset(path, store=args.store, timeout=args.timeout)
        except IngestError as err:
            _print_failures(err, args.limit, sys.stderr, lang)
            if args.report and _write_report(err.failures, args.report, lang):
                print(say("report_written", lang, target=args.report), file=sys.stderr)
            return EXIT_BAD_INPUT
        except StoreError as err:
            print(say("error", lang, error=err), file=sys.stderr)
            return EXIT_STORE
        if result.noop:
            print(say("noop", lang, path=path, store=result.store, batch=result.batch))
            continue
        counts = ", ".join(f"{t} {n}" for t, n in result.counts.items())
        print(say("loaded", lang, path=path, batch=result.batch, store=result.store,
                  counts=counts, seconds=f"{result.seconds:.1f}"))
        if result.merges is not None and len(result.merges):
            print(say("merges_applied", lang, n=len(result.merges)))
        for note in result.notes:
            print(say("note", lang, note=note))
        _print_candidates(result.candidates, sys.stdout, lang=lang)
    return EXIT_OK


def cmd_status(args) -> int:
    """Print counts per table and the batches (``--json`` for machines)."""
    from ingest.store import StoreError, status

    lang = cli_lang(args)
    try:
        info = status(args.store, timeout=args.timeout)
    except StoreError as err:
        print(say("error", lang, error=err), file=sys.stderr)
        return EXIT_STORE
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(say("store", lang, store=info["store"]))
    table, records, stored = say("status_columns", lang).split("|")
    print(say("status_header", lang, table=table, records=records, stored=stored))
    for table, counts in info["tables"].items():
        if counts["stored"]:
            print(say("status_header", lang, table=table, records=counts["records"],
                      stored=counts["stored"]))
    print(say("batches", lang, n=len(info["batches"])))
    for batch in info["batches"]:
        print(say("batch", lang, batch=batch["batch"], at=batch["ingested_at"],
                  name=batch["name"], total=sum(batch["counts"].values()),
                  hash=batch["content_hash"][:12], path=batch["path"]))
    print(say("status_tail", lang, conflicts=info["conflicts"], outcomes=info["outcomes"],
              candidates=info["merge_candidates"]))
    return EXIT_OK


def cmd_conflicts(args) -> int:
    """List records with one key and different values (or the merge candidates)."""
    from ingest.cells import escape_spreadsheet_cell
    from ingest.store import StoreError, conflicts, merge_candidates

    try:
        frame = (merge_candidates(args.store, timeout=args.timeout) if args.candidates
                 else conflicts(args.store, timeout=args.timeout))
    except StoreError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_STORE
    if args.csv:
        safe = frame.astype(object).map(escape_spreadsheet_cell)
        try:
            safe.to_csv(Path(args.csv), index=False, encoding="utf-8-sig")
        except OSError as err:
            print(f"error: cannot write {args.csv}: {err}", file=sys.stderr)
            return EXIT_STORE
    if frame.empty:
        print("no merge candidates" if args.candidates else "no conflicts")
        return EXIT_OK
    if args.candidates:
        _print_candidates(frame, sys.stdout, limit=len(frame))
        return EXIT_OK
    groups = frame.groupby(["table", "key"], sort=False)
    print(f"{groups.ngroups} conflicting record(s):")
    for (table, key), group in groups:
        print(f"{table} {key} — differs in {group['differs'].iloc[0]}:")
        for record in group.to_dict("records"):
            where = record["file"] + (f" sheet {record['sheet']}" if record["sheet"] else "")
            source = f" source {record['source']!r}" if record["source"] else ""
            print(f"  {record['values']}  (batch {record['batch']}, {where} row "
                  f"{record['row']}{source})")
    return EXIT_OK

