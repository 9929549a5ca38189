"""`tsunagari outcome | conversions`: what came of introductions, and which became ties.

``outcome``      record what came of an introduction (proposed / introduced / declined /
                 partnered, with its date) in the store; ``--from`` reads a filled work list.
``conversions``  how many recorded introductions became ties since.

Data, names and exit status: ``cli.intro_common``.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="tsunagari"); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["outcome", "A", "D", "--status", "introduced"])
>>> args.status, args.func.__name__
('introduced', 'cmd_outcome')
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from cli.common import EXIT_OK, add_input_arguments
from cli.intro_common import BadInput, load_records, resolve_org, run_reporting, store_path

__all__ = ["register", "cmd_outcome", "cmd_conversions"]


def register(sub) -> None:
    """Add `outcome` and `conversions`."""
    p = sub.add_parser("outcome", help="record what came of an introduction",
                       description="Record the outcome of an introduction in the store.")
    p.add_argument("org_a", nargs="?", help="organisation id or name")
    p.add_argument("org_b", nargs="?", help="organisation id or name")
    p.add_argument("--status", choices=("proposed", "introduced", "declined", "partnered"))
    p.add_argument("--on", metavar="DATE", help="date of the outcome (default today)")
    p.add_argument("--goal", default="", help="strengthen or bridge")
    p.add_argument("--score", type=float, default=None)
    p.add_argument("--note", default="")
    p.add_argument("--from", dest="from_file", metavar="FILE",
                   help="a filled work list (.csv/.xlsx): one outcome per row with a status")
    add_input_arguments(p, dataset=False)
    p.set_defaults(func=cmd_outcome)

    p = sub.add_parser("conversions", help="how many introductions became ties",
                       description="Outcomes from the store against the ties in the data.")
    p.add_argument("--dataset", metavar="PATH",
                   help="take the ties from this dataset instead of the store's records")
    p.add_argument("--store", metavar="FILE", help="DuckDB store with the outcomes")
    p.add_argument("--timeout", type=float, default=None)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_conversions)


def cmd_outcome(args) -> int:
    """Run `tsunagari outcome`."""
    return run_reporting(_outcome, args)


def _read_table(path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    if path.suffix.lower() == ".xlsx":
        return pd.read_excel(path, dtype=str).fillna("")
    return pd.read_csv(path, dtype=str, encoding="utf-8-sig").fillna("")


def _outcome(args) -> int:
    from ingest.store import record_outcome

    store = store_path(args)
    if args.from_file:
        frame = _read_table(args.from_file)
        missing = {"org_id", "partner_id", "status"} - set(frame.columns)
        if missing:
            raise BadInput(f"{args.from_file}: missing column(s) {', '.join(sorted(missing))}")
        count = 0
        for i, row in frame.iterrows():
            status = row["status"].strip()
            if not status:
                continue
            try:
                score = float(row["score"]) if row.get("score", "").strip() else None
                record_outcome(store, org_a=row["org_id"].strip().lstrip("'"),
                               org_b=row["partner_id"].strip().lstrip("'"), status=status,
                               on=row.get("date", "").strip() or None,
                               goal=row.get("goal", ""), score=score,
                               note=row.get("note", ""), timeout=args.timeout)
            except ValueError as exc:
                raise BadInput(f"{args.from_file}: row {i + 2}: {exc}") from None
            count += 1
        print(f"recorded {count} outcome(s) in {store}")
        return EXIT_OK
    if not (args.org_a and args.org_b and args.status):
        raise BadInput("give ORG_A ORG_B --status STATUS, or --from FILE")
    org_a, org_b = args.org_a, args.org_b
    if store.exists():
        from ingest.store import read_dataset

        dataset = read_dataset(store, timeout=args.timeout)
        if len(dataset.table("organizations")):
            org_a, org_b = resolve_org(dataset, org_a), resolve_org(dataset, org_b)
    try:
        outcome_id = record_outcome(store, org_a=org_a, org_b=org_b, status=args.status,
                                    on=args.on, goal=args.goal, score=args.score,
                                    note=args.note, timeout=args.timeout)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    print(f"outcome {outcome_id}: {org_a} – {org_b} {args.status} recorded in {store}")
    return EXIT_OK


def cmd_conversions(args) -> int:
    """Run `tsunagari conversions`."""
    return run_reporting(_conversions, args)


def _conversions(args) -> int:
    from graph.build import tie_graph
    from graph.introductions import conversion_report
    from ingest.store import read_outcomes

    store = store_path(args)
    if not store.exists():
        raise FileNotFoundError(str(store))
    outcomes = read_outcomes(store, timeout=args.timeout)
    report = conversion_report(outcomes, tie_graph(load_records(args)))
    if args.json:
        pairs = report.pairs.astype(object).where(report.pairs.notna(), None)
        print(json.dumps({"summary": report.summary.reset_index().to_dict(orient="records"),
                          "pairs": pairs.to_dict(orient="records")},
                         ensure_ascii=False, default=str))
        return EXIT_OK
    if report.pairs.empty:
        print("no outcomes recorded yet (tsunagari outcome ORG_A ORG_B --status introduced)")
        return EXIT_OK
    print(report.summary.to_string())
    print()
    print(report.pairs.to_string(index=False))
    return EXIT_OK
