"""`tsunagari analyze`: connectors, isolated groups and gaps, written as CSV and JSON files.

Reads the store (default ``data/tsunagari.duckdb``, or ``--store``) or a dataset folder /
workbook directly (``--dataset``), runs :func:`graph.analysis.analyze` and writes into
``--out``::

    nodes.csv          one row per organisation: measures, community, role, isolation reason
    communities.csv    one row per community
    connectors.csv     the connector ranking with reasons (English and Japanese)
    isolated.csv       organisations needing a partner, with reason codes and text
    gaps/*.csv         ward_sector, field_field, community_holes, orientation_bridging,
                       company_gaps
    summary.json       counts, density, components, modularity, isolates, method parameters
                       (betweenness sample size, seeds) and stage timings

CSV files are UTF-8 with a byte-order mark (Excel opens them with Japanese intact); every
text cell is quoted (so a line break or bare carriage return in a name cannot split a row) and
cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or carriage
return) are escaped with a leading ``'``.
A progress bar is shown only when stderr is a terminal.

Exit status: 0 success, 1 store unusable (missing, busy, damaged), 2 bad input.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="tsunagari"); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["analyze", "--fiscal-year", "FY2019", "--out", "x"])
>>> args.fiscal_year, args.seed, args.real_only, args.community_method
('FY2019', 0, False, 'leiden')
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

__all__ = ["NODE_COLUMNS", "cmd_analyze", "register", "write_analysis"]

from cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_STORE,
    add_input_arguments,
    load_or_explain,
)
from cli.spark_cmds import add_engine_arguments
from cli.spark_cmds import run_analyze as run_spark_analyze
from graph.io import write_csv_table

#: The leading columns of nodes.csv, in order (further measures follow).
NODE_COLUMNS: tuple[str, ...] = (
    "id", "name", "kind", "ward", "community", "degree", "strength", "betweenness", "pagerank",
    "constraint", "effective_size", "participation_coefficient", "within_module_z", "role",
    "isolated_reason",
)


def register(sub) -> None:
    """Add the `analyze` subcommand."""
    p = sub.add_parser(
        "analyze", help="find connectors, isolated groups and gaps; write CSV + JSON",
        description="Analyse the partnership network and write nodes.csv, communities.csv, "
                    "connectors.csv, isolated.csv, gaps/*.csv and summary.json into --out.")
    add_input_arguments(p)
    when = p.add_mutually_exclusive_group()
    when.add_argument("--as-of", metavar="DATE", help="records up to this date (2019-12-31)")
    when.add_argument("--fiscal-year", metavar="FY",
                      help="records up to the end of this fiscal year (2019, FY2019, 令和元年度)")
    p.add_argument("--ward", action="append", metavar="WARD",
                   help="only organisations of this ward (repeatable)")
    p.add_argument("--real-only", action="store_true", help="leave out synthetic records")
    p.add_argument("--seed", type=int, default=0, help="seed of Louvain and sampling (default 0)")
    p.add_argument("--resolution", type=float, default=1.0,
                   help="Louvain resolution (default 1.0; higher → smaller communities)")
    p.add_argument("--community-method", default="leiden",
                   choices=("leiden", "python-louvain", "igraph", "auto"),
                   help="community implementation (default leiden: networkit's Leiden at every "
                        "size; python-louvain: the reference Louvain; igraph: igraph's C "
                        "Louvain; auto: python-louvain up to 2,000 organisations, igraph above)")
    p.add_argument("--inactive-years", type=int, default=2,
                   help="fiscal years without activity that flag an organisation (default 2)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write (created)")
    add_engine_arguments(p)
    p.set_defaults(func=cmd_analyze)


def write_analysis(result, out: Path) -> list[Path]:
    """Write an :class:`graph.analysis_result.Analysis` into folder ``out``; return the files
    written.

    >>> import tempfile
    >>> from graph.build import example_dataset
    >>> from graph.analysis import analyze
    >>> files = write_analysis(analyze(example_dataset()), Path(tempfile.mkdtemp()))
    >>> sorted(f.name for f in files)[:4]
    ['communities.csv', 'community_holes.csv', 'company_gaps.csv', 'connectors.csv']
    """
    out = Path(out)
    (out / "gaps").mkdir(parents=True, exist_ok=True)
    written = []
    nodes = result.measures.reset_index()
    lead = [c for c in NODE_COLUMNS if c in nodes.columns]
    nodes = nodes[lead + [c for c in nodes.columns if c not in lead]]
    tables = {
        out / "nodes.csv": nodes,
        out / "communities.csv": result.communities.reset_index(),
        out / "connectors.csv": result.connectors.reset_index(),
        out / "isolated.csv": result.isolated.reset_index(),
    }
    tables.update({out / "gaps" / f"{name}.csv": frame for name, frame in result.gaps.items()})
    for path, frame in tables.items():
        write_csv_table(frame, path)
        written.append(path)
    summary = out / "summary.json"
    summary.write_text(json.dumps(result.summary, ensure_ascii=False, indent=2, default=str),
                       encoding="utf-8")
    written.append(summary)
    return written


def _resolve_wards(present, wards):
    """``--ward`` values as the data spells them (``北`` → ``北区`` in Osaka), or an error text
    when one names no organisation's ward (a typo must not give an empty analysis);
    ``present`` is the set of wards in the data."""
    if not wards:
        return wards
    from ingest.normalise import normalise_ward

    out = []
    for ward in wards:
        value = str(ward).strip()
        if value not in present:
            try:
                value = normalise_ward(value)
            except ValueError:
                pass
        if value not in present:
            return (f"no organisation in ward {ward!r}; wards in the data: "
                    + (", ".join(sorted(present)) or "none"))
        out.append(value)
    return out


def _kinds_text(by_kind: dict) -> str:
    """The count of each isolation kind, as the console prints it.

    >>> _kinds_text({"no_ties": 1, "single_partner": 3, "peripheral": 0, "inactive": 2})
    'no ties 1, only one partner 3, peripheral 0, inactive since a date 2'
    """
    from graph.findings import ISOLATION_KINDS

    return ", ".join(f"{ISOLATION_KINDS[kind][0].lower()} {count}"
                     for kind, count in by_kind.items())


def _run(args, fiscal_year):
    """``(Analysis, EXIT_OK)`` or ``(None, status)``: a ``--dataset`` is read into memory;
    a store is analysed in SQL without reading its records into pandas
    (``graph.analysis.analyze_store``), which is what lets a nation-sized store run."""
    from graph.analysis import analyze, analyze_store
    from graph.errors import GraphError

    options = dict(as_of=args.as_of, fiscal_year=fiscal_year, real_only=args.real_only,
                   seed=args.seed, resolution=args.resolution,
                   inactive_years=args.inactive_years, community_method=args.community_method,
                   progress=sys.stderr.isatty())
    if getattr(args, "dataset", None):
        dataset, status = load_or_explain(args)
        if dataset is None:
            return None, status
        present = set(dataset.table("organizations")["ward"].dropna().astype(str))
        wards = _resolve_wards(present, args.ward)
        if isinstance(wards, str):
            print(f"--ward: {wards}", file=sys.stderr)
            return None, EXIT_BAD_INPUT
        try:
            return analyze(dataset, wards=wards, **options), EXIT_OK
        except GraphError as exc:
            print(f"analyze: {exc}", file=sys.stderr)
            return None, EXIT_BAD_INPUT
    from graph.core.store import store_wards
    from ingest.store import StoreError, StoreNotFoundError, default_store_path

    store = Path(args.store) if args.store else default_store_path()
    try:
        wards = _resolve_wards(set(store_wards(store)), args.ward) if args.ward else None
        if isinstance(wards, str):
            print(f"--ward: {wards}", file=sys.stderr)
            return None, EXIT_BAD_INPUT
        return analyze_store(store, wards=wards, timeout=args.timeout, **options), EXIT_OK
    except StoreNotFoundError as exc:
        print(f"not found: {exc} (load data first: `tsunagari bootstrap` or `tsunagari ingest "
              "PATH`, or pass --dataset PATH)", file=sys.stderr)
        return None, EXIT_STORE
    except StoreError as exc:
        print(f"store: {exc}", file=sys.stderr)
        return None, EXIT_STORE
    except GraphError as exc:
        print(f"analyze: {exc}", file=sys.stderr)
        return None, EXIT_BAD_INPUT


def cmd_analyze(args) -> int:
    """Run `tsunagari analyze`; returns the exit status."""
    fiscal_year = None
    if args.fiscal_year:
        from ingest.normalise import parse_fiscal_year

        try:
            fiscal_year = parse_fiscal_year(args.fiscal_year)
        except ValueError as exc:
            print(f"--fiscal-year: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
    if args.engine == "spark":  # graph.spark (docs/spark.md)
        return run_spark_analyze(args, fiscal_year=fiscal_year, wards=args.ward)
    result, status = _run(args, fiscal_year)
    if result is None:
        return status
    files = write_analysis(result, Path(args.out))
    s = result.summary
    b = s.get("betweenness", {})
    method = "exact" if b.get("exact") else f"sampled, k={b.get('k')}"
    q = "n/a" if s["modularity"] is None else f"{s['modularity']:.3f}"
    print(f"{s['organisations']} organisations, {s['ties']} ties, {s['communities']} "
          f"communities (modularity {q}, {s['community_method']['method']}), "
          f"{s['components']} components, "
          f"{s['needing_partner']} needing a partner ({_kinds_text(s['isolated_by_kind'])}); "
          f"betweenness {method}")
    print(f"wrote {len(files)} files to {args.out}")
    return EXIT_OK
