"""`tsunagari bench timeline`: every fiscal year's analysis against one snapshot's, same run.

Generates the synthetic city (``synth.generator.generate``, default ``--scale city``,
``--seed 0``, FY2014–FY2024; reused when ``--workdir`` already holds it), loads it once
(``ingest.load.load_dataset``, timed apart) and times, in this order:

1. **baseline** — one snapshot's analysis: ``graph.analysis.analyze(dataset,
   fiscal_year=LAST)`` (build the tie graph from the records, Louvain, every measure, gaps);
2. **one period** — the timeline's own work for that one snapshot: ``graph.build.tie_graph``
   up to the last fiscal year plus :func:`graph.time.analyze_timeline` on that single
   period (the same metrics, communities and trajectories the timeline computes per period);
3. **timeline** — all fiscal years: :func:`graph.time.timeline_from_dataset` (the dated
   tie list, built once) plus :func:`graph.time.analyze_timeline` over every period
   (incremental slicing, warm-started Louvain).

It reports wall and CPU seconds and the ratios timeline / baseline and timeline / one period
(the target is at most ~3× one snapshot's analysis). CPU seconds are the fairer figure on a
shared machine. ``--write FILE.md`` writes the figures as Markdown
(``docs/benchmarks/timeline.md``).

>>> import argparse
>>> parser = argparse.ArgumentParser(); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["timeline", "--scale", "ward"])
>>> args.scale, args.seed, args.betweenness_k
('ward', 0, 64)
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

from cli.common import load_average, synthetic_dataset, write_report
from cli.peak_memory import peak_rss_kib

__all__ = ["register", "run_benchmark", "run_store_benchmark", "format_markdown",
           "format_store_markdown"]


def register(bench_sub) -> None:
    """Add `bench timeline`."""
    p = bench_sub.add_parser("timeline", help="all fiscal years vs one snapshot's analysis")
    p.add_argument("--scale", default="city", choices=("ward", "city"),
                   help="synthetic scale (default city)")
    p.add_argument("--seed", type=int, default=0, help="synthetic data seed (default 0)")
    p.add_argument("--betweenness-k", type=int, default=64,
                   help="betweenness pivots per period in the timeline (default 64)")
    p.add_argument("--no-baseline", action="store_true",
                   help="skip graph.analysis.analyze (time only the timeline's own work)")
    p.add_argument("--dataset", metavar="PATH", help="benchmark this dataset folder instead")
    p.add_argument("--store", metavar="STORE",
                   help="benchmark a DuckDB store through the array core instead: "
                        "analyze --store against timeline --store (for nation-size data)")
    p.add_argument("--workdir", metavar="DIR", help="keep / reuse the generated data here")
    p.add_argument("--write", metavar="FILE.md", help="also write the figures as Markdown")
    p.set_defaults(func=_cmd)


def _timed(out: dict, name: str, fn):
    t, c = time.perf_counter(), time.process_time()
    value = fn()
    out[name + "_seconds"] = time.perf_counter() - t
    out[name + "_cpu"] = time.process_time() - c
    return value


def run_benchmark(folder, *, seed: int = 0, betweenness_k: int = 64,
                  baseline: bool = True) -> dict:
    """Time the baseline, one period and all periods on the dataset in ``folder``.

    Returns
    -------
    dict
        ``*_seconds`` / ``*_cpu`` per stage, sizes, periods, ratios and the timeline's own
        per-stage timings.
    """
    from graph.build import tie_graph
    from graph.time import analyze_timeline, fiscal_period, timeline_from_dataset, timeline_periods
    from ingest.load import load_dataset

    out: dict = {}
    ds = _timed(out, "load", lambda: load_dataset(folder))
    timeline = _timed(out, "tie_list", lambda: timeline_from_dataset(ds))
    periods = timeline_periods(timeline)
    last_fy = int(periods[-1].label[2:])
    out["periods"] = [p.label for p in periods]
    out["organisations"], out["ties"] = len(timeline.orgs), len(timeline.ties)
    if baseline:
        from graph.analysis import analyze

        _timed(out, "baseline", lambda: analyze(ds, fiscal_year=last_fy, seed=seed))

    def one_period():
        from graph.time import timeline_from_graph

        G = tie_graph(ds, fiscal_year=last_fy)
        return analyze_timeline(timeline_from_graph(G), periods=[fiscal_period(last_fy)],
                                seed=seed, betweenness_k=betweenness_k)

    single = _timed(out, "one_period", one_period)
    out["one_period_stages"] = single.timings
    result = _timed(out, "timeline_analysis", lambda: analyze_timeline(
        timeline, seed=seed, betweenness_k=betweenness_k))
    out["timeline_stages"] = result.timings
    for unit in ("seconds", "cpu"):
        out[f"timeline_{unit}"] = out[f"tie_list_{unit}"] + out[f"timeline_analysis_{unit}"]
        out[f"ratio_one_period_{unit}"] = out[f"timeline_{unit}"] / out[f"one_period_{unit}"]
        if baseline:
            out[f"ratio_baseline_{unit}"] = out[f"timeline_{unit}"] / out[f"baseline_{unit}"]
    s = result.snapshots
    out["last"] = {k: (float(v) if hasattr(v, "__float__") else v)
                   for k, v in s.iloc[-1].items() if k not in ("start", "end")}
    out["densification"] = result.densification._asdict()
    out["attachment_alpha"] = (result.attachment.alpha, result.attachment.low,
                               result.attachment.high)
    return out


def run_store_benchmark(store, *, seed: int = 0, betweenness_k: int = 64) -> dict:
    """Time one analysis of a store against its timeline, in this process, one after the other.

    ``baseline`` is ``graph.analysis.analyze_store(store)`` (every record, as ``tsunagari
    analyze --store``); ``timeline`` is ``graph.time.timeline_from_store`` plus
    ``graph.time.analyze_timeline`` over every fiscal year (as ``tsunagari timeline --store``
    without the report series and files). Both run on the array core.

    >>> import tempfile, pathlib
    >>> from ingest.store import ingest_dataset
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text("id,name,kind\\nA,a,npo\\nB,b,npo\\n")
    >>> _ = (folder / "collaborations.csv").write_text(
    ...     "id,title,org_ids,start_date\\nC1,t,A;B,2019-05-01\\n")
    >>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
    >>> r = run_store_benchmark(folder / "s.duckdb")  # doctest: +SKIP
    >>> r["periods"], r["ties"], r["ratio_baseline_cpu"] > 0  # doctest: +SKIP
    (['FY2019'], 1, True)
    """
    from graph.analysis import analyze_store
    from graph.time import analyze_timeline, timeline_from_store

    out: dict = {}
    _timed(out, "baseline", lambda: analyze_store(store, seed=seed))
    timeline, _ = _timed(out, "tie_list", lambda: timeline_from_store(store))
    result = _timed(out, "timeline_analysis", lambda: analyze_timeline(
        timeline, seed=seed, betweenness_k=betweenness_k))
    out["periods"] = result.snapshots["period"].tolist()
    out["organisations"], out["ties"] = len(timeline.orgs), len(timeline.ties)
    out["timeline_stages"] = result.timings
    for unit in ("seconds", "cpu"):
        out[f"timeline_{unit}"] = out[f"tie_list_{unit}"] + out[f"timeline_analysis_{unit}"]
        out[f"ratio_baseline_{unit}"] = out[f"timeline_{unit}"] / out[f"baseline_{unit}"]
    out["peak_gib"] = peak_rss_kib() / 2**20
    return out


def format_store_markdown(r: dict, *, label: str) -> str:
    """The figures of :func:`run_store_benchmark` as a Markdown section."""
    st = r["timeline_stages"]
    return "\n".join([
        f"## `tsunagari bench timeline --store` on {label}",
        "",
        f"{r['organisations']:,} organisations, {r['ties']:,} ties, {len(r['periods'])} fiscal "
        f"years ({r['periods'][0]}–{r['periods'][-1]}); {os.cpu_count()} cores, load average "
        f"{load_average()} after the run; one process, one after the other; peak "
        f"{r['peak_gib']:.2f} GiB.",
        "",
        "| stage | wall s | CPU s |",
        "|---|---:|---:|",
        f"| **baseline**: `analyze_store(store)` | {r['baseline_seconds']:.1f} "
        f"| {r['baseline_cpu']:.1f} |",
        f"| timeline: `timeline_from_store` (dated tie list) | {r['tie_list_seconds']:.1f} "
        f"| {r['tie_list_cpu']:.1f} |",
        f"| timeline: `analyze_timeline`, {len(r['periods'])} periods "
        f"| {r['timeline_analysis_seconds']:.1f} | {r['timeline_analysis_cpu']:.1f} |",
        f"| **timeline total** | {r['timeline_seconds']:.1f} | {r['timeline_cpu']:.1f} |",
        "",
        f"**Ratio timeline / one analyze: {r['ratio_baseline_cpu']:.2f}× CPU "
        f"({r['ratio_baseline_seconds']:.2f}× wall)** — target ≤ 3×.",
        "",
        "Timeline stages (wall s, all periods): " + ", ".join(
            f"{k} {v:.1f}" for k, v in st.items() if k != "total") + ".",
        "",
    ])


def format_markdown(r: dict, *, label: str) -> str:
    """The benchmark figures as a Markdown section."""
    lines = [
        "# Benchmark: timeline (all fiscal years vs one snapshot)",
        "",
        f"Data: {label}: {r['organisations']:,} organisations, {r['ties']:,} ties, "
        f"{len(r['periods'])} fiscal years ({r['periods'][0]}–{r['periods'][-1]}).",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores shared with other work "
        f"(load average {load_average()}); Python {platform.python_version()}.",
        "Command: `tsunagari bench timeline` (same run, same process, same load).",
        "",
        "| stage | wall s | CPU s |",
        "|---|---:|---:|",
        f"| load dataset (not counted) | {r['load_seconds']:.1f} | {r['load_cpu']:.1f} |",
    ]
    if "baseline_seconds" in r:
        lines.append(f"| **baseline**: `graph.analysis.analyze(fiscal_year={r['periods'][-1]})` "
                     f"| {r['baseline_seconds']:.1f} | {r['baseline_cpu']:.1f} |")
    lines += [
        f"| one period: `tie_graph(fiscal_year=…)` + `analyze_timeline` on 1 period "
        f"| {r['one_period_seconds']:.1f} | {r['one_period_cpu']:.1f} |",
        f"| timeline: dated tie list, built once | {r['tie_list_seconds']:.1f} "
        f"| {r['tie_list_cpu']:.1f} |",
        f"| timeline: `analyze_timeline`, {len(r['periods'])} periods "
        f"| {r['timeline_analysis_seconds']:.1f} | {r['timeline_analysis_cpu']:.1f} |",
        f"| **timeline total** | {r['timeline_seconds']:.1f} | {r['timeline_cpu']:.1f} |",
        "",
    ]
    if "ratio_baseline_cpu" in r:
        lines.append(f"**Ratio timeline / baseline: {r['ratio_baseline_cpu']:.2f}× CPU "
                     f"({r['ratio_baseline_seconds']:.2f}× wall)** — target ≤ ~3×.")
    lines.append(f"Ratio timeline / one period of the timeline's own analysis: "
                 f"{r['ratio_one_period_cpu']:.2f}× CPU ({r['ratio_one_period_seconds']:.2f}× "
                 "wall).")
    st = r["timeline_stages"]
    lines += [
        "",
        "Timeline stages (wall s, all periods): " + ", ".join(
            f"{k} {v:.1f}" for k, v in st.items() if k != "total") + ".",
        "",
        "How: the tie list with first/last dates is built once; each period is a boolean "
        "mask over it; one working graph is updated by the ties that appeared or lapsed; "
        "Louvain is igraph's C implementation (seeded) on snapshots above 2,000 "
        "organisations and, on smaller ones, python-louvain warm-started from the previous "
        "period's communities with delta screening (only organisations touched by a changed "
        "tie move alone, the rest move as blocks of their previous community); "
        "clustering, components and effective size come from one sparse matrix per period; "
        "betweenness is sampled (64 pivots) above 500 organisations.",
        "",
        f"Densification exponent {r['densification']['exponent']:.2f} "
        f"[{r['densification']['low']:.2f}, {r['densification']['high']:.2f}]; "
        f"attachment exponent α {r['attachment_alpha'][0]:.2f} "
        f"[{r['attachment_alpha'][1]:.2f}, {r['attachment_alpha'][2]:.2f}].",
        "",
    ]
    return "\n".join(lines)


def _cmd(args) -> int:
    if args.store:
        r = run_store_benchmark(args.store, seed=0, betweenness_k=args.betweenness_k)
        text = format_store_markdown(r, label=f"store {Path(args.store).name}")
    else:
        text = _dataset_benchmark(args)
    print(text)
    if args.write:
        write_report(args.write, text)
        print(f"wrote {args.write}", file=sys.stderr)
    return 0


def _dataset_benchmark(args) -> str:
    if args.dataset:
        folder, label = Path(args.dataset), f"dataset {args.dataset}"
    else:
        folder = synthetic_dataset(args.scale, args.seed, args.workdir)
        label = f"synthetic {args.scale}, seed {args.seed}, FY2014–FY2024"
    r = run_benchmark(folder, seed=0, betweenness_k=args.betweenness_k,
                      baseline=not args.no_baseline)
    return format_markdown(r, label=label)
