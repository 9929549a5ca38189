"""`tsunagari timeline`: how the partnership network grew, period by period.

Reads the store (default ``data/tsunagari.duckdb``, or ``--store``) or a dataset folder /
workbook (``--dataset``), builds the dated tie list once (:mod:`graph.time`), analyses
every period (:func:`graph.time.analyze_timeline`) and writes into ``--out``::

    snapshots.csv          one row per period: size, density, components, isolated share,
                           modularity, clustering, cross-sector and territorial↔thematic
                           shares, new / ended ties, new / dormant organisations, churn
    community_events.csv   birth, death, growth, contraction, merge, split (stable ids)
    alluvial.csv           flows between dynamic communities of consecutive periods
    trajectories.csv       each organisation's degree, strength, betweenness, effective
                           size, community and role per period
    rising_connectors.csv  largest gains in betweenness and in effective size
    newly_isolated.csv     organisations that lost all their ties
    degree_distribution.csv
    report_series.csv      the report's figures (every source) beside the records' counts
    series_conflicts.csv   report figures that disagree: between sources, with the records
                           (more recorded than reported), or with their own table (a
                           stated total ≠ its table's sum, one figure with two periods)
    series_incomplete.csv  figures the records back only in part (incomplete, not conflicts)
    growth.json            densification exponent with its interval, attachment kernel,
                           parameters, stage timings
    *.png                  one chart per series (English labels)

:mod:`cli.timeline_output` writes the files. CSV files are UTF-8 with a byte-order mark; text
cells a spreadsheet would run as a formula are escaped. A progress bar is shown only when
stderr is a terminal.

Exit status: 0 success, 1 store unusable, 2 bad input.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="tsunagari"); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["timeline", "--period", "quarter", "--window", "2", "--out", "x"])
>>> args.period, args.window, args.theta
('quarter', 2.0, 0.3)
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pandas as pd

__all__ = ["register", "cmd_timeline", "run", "run_store", "analyse"]

from cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_STORE,
    add_input_arguments,
    load_or_explain,
)
from cli.spark_cmds import add_engine_arguments
from cli.spark_cmds import run_timeline as run_spark_timeline
from cli.timeline_output import write_timeline


def register(sub) -> None:
    """Add the `timeline` subcommand."""
    p = sub.add_parser(
        "timeline", help="growth over fiscal years: snapshots, communities, trajectories",
        description="Analyse how the network grew and write snapshots.csv, "
                    "community_events.csv, alluvial.csv, trajectories.csv, report_series.csv, "
                    "growth.json and charts into --out.")
    add_input_arguments(p)
    p.add_argument("--period", choices=("fy", "year", "quarter"), default="fy",
                   help="fiscal year (1 April–31 March, default), calendar year or quarter")
    p.add_argument("--window", type=float, default=None, metavar="N",
                   help="windowed snapshots: ties active in the last N years "
                        "(default: cumulative)")
    p.add_argument("--decay-days", type=int, default=0, metavar="D",
                   help="days a tie stays active after its last evidence (default 0)")
    p.add_argument("--exclude-undated", action="store_true",
                   help="leave undated organisations and ties out of every snapshot")
    p.add_argument("--real-only", action="store_true", help="leave out synthetic records")
    p.add_argument("--theta", type=float, default=0.3,
                   help="Jaccard threshold matching communities across periods (default 0.3)")
    p.add_argument("--seed", type=int, default=0, help="seed of Louvain and sampling (default 0)")
    p.add_argument("--betweenness-k", type=int, default=64, metavar="K",
                   help="pivots for sampled betweenness on large snapshots (default 64)")
    p.add_argument("--no-charts", action="store_true", help="write no PNG charts")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write (created)")
    add_engine_arguments(p)
    p.set_defaults(func=cmd_timeline)


def _num(x):
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def run(dataset, *, freq: str = "fy", window: float | None = None, decay_days: int = 0,
        undated: str = "include", real_only: bool = False, theta: float = 0.3, seed: int = 0,
        betweenness_k: int = 64, progress=None) -> dict:
    """Analyse a dataset's timeline; return every table the command writes.

    Returns
    -------
    dict
        ``analysis`` (:class:`graph.time.TimelineAnalysis`), ``series``, ``conflicts``,
        ``rising`` (betweenness and effective-size gains), ``isolated``, ``growth``.

    Examples
    --------
    >>> from graph.build import example_dataset
    >>> r = run(example_dataset())
    >>> r["analysis"].snapshots["period"].tolist()
    ['FY2019']
    """
    from graph.build import restrict
    from graph.time import timeline_from_dataset

    scoped = restrict(dataset, real_only=True) if real_only else dataset
    return analyse(timeline_from_dataset(scoped), scoped, freq=freq, window=window,
                   decay_days=decay_days, undated=undated, real_only=real_only, theta=theta,
                   seed=seed, betweenness_k=betweenness_k, progress=progress)


def run_store(store, *, real_only: bool = False, timeout: float | None = None,
              **options) -> dict:
    """:func:`run` on a DuckDB store through the array core (``graph.time.core_timeline``).

    The ties come from ``graph.core.core_from_store`` and the report series from the few
    small tables it needs: the store's records never become pandas objects.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ingest.store import ingest_dataset
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text("id,name,kind\\nA,a,npo\\nB,b,npo\\n")
    >>> _ = (folder / "collaborations.csv").write_text(
    ...     "id,title,org_ids,start_date\\nC1,t,A;B,2019-05-01\\n")
    >>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
    >>> run_store(folder / "s.duckdb")["analysis"].snapshots["ties"].tolist()
    [1]
    """
    from graph.time import store_report_dataset, timeline_from_store

    timeline, core = timeline_from_store(store, real_only=real_only, timeout=timeout)
    return analyse(timeline, store_report_dataset(store, core), real_only=real_only, **options)


def analyse(timeline, scoped, *, freq: str = "fy", window: float | None = None,
            decay_days: int = 0, undated: str = "include", real_only: bool = False,
            theta: float = 0.3, seed: int = 0, betweenness_k: int = 64, progress=None) -> dict:
    """Every table of the command from a built timeline and the report's tables (``scoped``).

    >>> from graph.build import example_dataset
    >>> from graph.time import timeline_from_dataset
    >>> ds = example_dataset()
    >>> analyse(timeline_from_dataset(ds), ds)["growth"]["periods"]
    ['FY2019']
    """
    from graph.time import (
        analyze_timeline,
        newly_isolated,
        report_series,
        rising_connectors,
        series_conflicts,
        series_incomplete,
    )

    analysis = analyze_timeline(timeline, freq=freq, window=window, decay_days=decay_days,
                                undated=undated, theta=theta, seed=seed,
                                betweenness_k=betweenness_k, progress=progress)
    series = report_series(scoped)
    traj = analysis.trajectories
    rising = pd.concat([rising_connectors(traj, measure=m, top=20).assign(measure=m)
                        for m in ("betweenness", "effective_size")], ignore_index=True) \
        if len(traj) else pd.DataFrame(columns=["id", "name", "start", "end", "gain", "measure"])
    d, k = analysis.densification, analysis.attachment

    def fit(d, law):
        return {"exponent": _num(d.exponent), "ci_low": _num(d.low), "ci_high": _num(d.high),
                "confidence": d.confidence, "intercept": _num(d.intercept), "r2": _num(d.r2),
                "points": d.points, "law": law}

    growth = {
        "densification": fit(d, "ties = exp(intercept) * organisations ** exponent"),
        "densification_connected": fit(analysis.densification_connected,
                                       "ties = exp(intercept) * connected_organisations "
                                       "** exponent (organisations with at least one tie)"),
        "attachment": {"alpha": _num(k.alpha), "ci_low": _num(k.low), "ci_high": _num(k.high),
                       "r2": _num(k.r2), "bins": k.bins, "transitions": k.transitions,
                       "law": "A(k) ∝ k ** alpha; A(k) = new tie ends on degree-k "
                              "organisations / organisations of degree k",
                       "kernel": k.table.to_dict(orient="records")},
        "periods": [p.label for p in analysis.periods],
        "params": {**analysis.params, "real_only": real_only},
        "timings_seconds": {key: round(v, 3) for key, v in analysis.timings.items()},
    }
    return {"analysis": analysis, "series": series,
            "conflicts": series_conflicts(series, scoped.table("figures")),
            "incomplete": series_incomplete(series),
            "rising": rising, "isolated": newly_isolated(traj) if len(traj) else
            pd.DataFrame(columns=["period", "id", "name", "previous_degree"]),
            "growth": growth}


# --- the command ------------------------------------------------------------------------------


def _run_store_or_explain(args, options: dict):
    """``(result, EXIT_OK)`` for the store, or ``(None, status)`` after saying why not."""
    from ingest.store import StoreError, StoreNotFoundError, default_store_path

    store = Path(args.store) if getattr(args, "store", None) else default_store_path()
    try:
        print(f"timeline: building the tie core of {store} …", file=sys.stderr)
        return run_store(store, timeout=args.timeout, **options), EXIT_OK
    except StoreNotFoundError as exc:
        print(f"not found: {exc} (load data first: `tsunagari bootstrap` or `tsunagari "
              "ingest PATH`, or pass --dataset PATH)", file=sys.stderr)
        return None, EXIT_STORE
    except StoreError as exc:
        print(f"store: {exc}", file=sys.stderr)
        return None, EXIT_STORE


def cmd_timeline(args) -> int:
    """Run `tsunagari timeline`; returns the exit status."""
    from graph.errors import GraphError

    if args.engine == "spark":
        return run_spark_timeline(args)
    progress = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        def progress(items):
            return tqdm(items, desc="fiscal years" if args.period == "fy" else "periods",
                        unit="period", file=sys.stderr)
    options = dict(freq=args.period, window=args.window, decay_days=args.decay_days,
                   undated="exclude" if args.exclude_undated else "include",
                   real_only=args.real_only, theta=args.theta, seed=args.seed,
                   betweenness_k=args.betweenness_k, progress=progress)
    try:
        if getattr(args, "dataset", None):
            dataset, status = load_or_explain(args)
            if dataset is None:
                return status
            result = run(dataset, **options)
        else:
            result, status = _run_store_or_explain(args, options)
            if result is None:
                return status
    except GraphError as exc:
        print(f"timeline: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    files = write_timeline(result, Path(args.out), charts=not args.no_charts)
    a = result["analysis"]
    g = result["growth"]
    d = g["densification"]
    if not a.periods:
        print("no dated records: the timeline needs dates (event dates, collaboration or "
              "dispatch start dates, membership `since`, `founded`, award fiscal years); "
              f"wrote {len(files)} empty files to {args.out}")
        return EXIT_OK
    print(f"{len(a.periods)} periods ({', '.join(g['periods'][:1] + g['periods'][-1:])}); "
          f"wrote {len(files)} files to {args.out}")
    if d["exponent"] is not None:
        low = "n/a" if d["ci_low"] is None else f"{d['ci_low']:.2f}"
        high = "n/a" if d["ci_high"] is None else f"{d['ci_high']:.2f}"
        print(f"densification exponent {d['exponent']:.2f} [{low}, {high}] over "
              f"{d['points']} snapshots")
    dc = g["densification_connected"]
    if dc["exponent"] is not None:
        print(f"  on organisations with a tie: {dc['exponent']:.2f}")
    k = g["attachment"]
    if k["alpha"] is not None:
        print(f"attachment exponent alpha {k['alpha']:.2f} over {k['transitions']} transitions")
    if len(result["conflicts"]):
        print(f"{len(result['conflicts'])} report figures disagree — between sources, with "
              "the records or with their own tables (series_conflicts.csv)")
    if len(result["incomplete"]):
        print(f"{len(result['incomplete'])} report figures only partly backed by records: "
              "incomplete data, not conflicts (series_incomplete.csv)")
    return EXIT_OK
