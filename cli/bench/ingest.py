"""`tsunagari bench ingest`: validate + ingest speed and memory against plain ``pandas.read_csv``.

The command and its Markdown report (``format_markdown``, ``format_dataset_section``);
the data it generates and the child processes it times are in ``cli.bench.ingest_run``.

>>> import argparse
>>> parser = argparse.ArgumentParser(); sub = parser.add_subparsers()
>>> register(sub)
>>> parser.parse_args(["ingest", "--rows", "1000"]).rows
1000
"""

from __future__ import annotations

from cli.bench.ingest_run import STAGES, run_benchmark
from cli.common import write_report

__all__ = ["register", "format_markdown", "format_dataset_section"]


def register(bench_sub) -> None:
    """Add `bench ingest` to the bench subcommands."""
    p = bench_sub.add_parser("ingest", help="validate+ingest speed vs pandas.read_csv")
    p.add_argument("--rows", type=int, default=1_000_000, help="participation rows")
    p.add_argument("--seed", type=int, default=0, help="random seed of the generated data")
    p.add_argument("--workdir", metavar="DIR", help="keep the generated data here")
    p.add_argument("--data", metavar="DIR", action="append", default=[],
                   help="measure this existing dataset folder instead of generating one "
                        "(repeatable, e.g. the 1/10 nation and the nation from `synth`)")
    p.add_argument("--no-stages", action="store_true",
                   help="skip the per-stage run (saves one ingest per dataset)")
    p.add_argument("--write", metavar="FILE.md", help="also write the figures as Markdown")
    p.set_defaults(func=_cmd)


def _table(figures: dict) -> list[str]:
    lines = ["| step | rows | wall s | CPU s | rows/s (wall) | ratio (wall) | ratio (CPU) | "
             "peak memory (MiB) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    base = figures["baseline"]
    for label, key in (("pandas.read_csv (baseline)", "baseline"),
                       ("store floor: DuckDB's own `read_csv` into a new file, no checks",
                        "floor"),
                       ("read + validate (`ingest.load.prepare`, no store)", "validate"),
                       ("validate + ingest (`tsunagari ingest`)", "ingest")):
        f = figures[key]
        lines.append(f"| {label} | {f['rows']:,} | {f['seconds']:.2f} | {f['cpu']:.2f} | "
                     f"{f['rows'] / f['seconds']:,.0f} | {f['seconds'] / base['seconds']:.2f}× | "
                     f"{f['cpu'] / base['cpu']:.2f}× | {f['peak_kib'] / 1024:,.0f} |")
    return lines


def _stage_table(figures: dict) -> list[str]:
    stages = figures.get("stages") or {}
    base = figures["baseline"]["cpu"]
    total = sum(cpu for cpu, _ in stages.values())
    lines = ["| stage (validate + ingest) | CPU s | wall s | CPU × read_csv | share of CPU |",
             "|---|---:|---:|---:|---:|"]
    for _, _, label in STAGES:
        if label in stages:
            cpu, wall = stages[label]
            lines.append(f"| {label} | {cpu:.2f} | {wall:.2f} | {cpu / base:.2f}× | "
                         f"{cpu / total:.0%} |")
    lines.append(f"| **all stages** | **{total:.2f}** | "
                 f"**{sum(w for _, w in stages.values()):.2f}** | **{total / base:.2f}×** | |")
    return lines


def format_markdown(figures: dict) -> str:
    """The figures as a Markdown section for ``docs/benchmarks/ingest.md``.

    >>> text = format_markdown(run_benchmark(300))  # doctest: +SKIP
    >>> "| DuckDB write (one transaction, close) |" in text  # doctest: +SKIP
    True
    """
    ratio = figures["ratio"]
    floor_ratio = figures["floor"]["seconds"] / figures["baseline"]["seconds"]
    peak_gib = figures["ingest"]["peak_kib"] / 1024 ** 2
    lines = [
        "# Ingest benchmark",
        "",
        "`tsunagari bench ingest --rows "
        f"{figures['participations']}` — {figures['participations']:,} participations, "
        f"{figures['organizations']:,} organisations, {figures['events']:,} events "
        f"({figures['bytes'] / 1024 ** 2:,.1f} MiB of UTF-8 CSV), {figures['machine']}.",
        "Each step runs in its own child process, one after the other, in the same run; "
        "wall and CPU seconds exclude interpreter start-up and imports (duckdb included).",
        "",
        *_table(figures),
        "",
        f"Ratio read+validate / read_csv: **{figures['validate_ratio']:.2f}×** wall; "
        f"validate+ingest / read_csv: **{ratio:.2f}×** wall, "
        f"**{figures['ingest']['cpu'] / figures['baseline']['cpu']:.2f}×** CPU (target ≤ 3×); "
        f"peak memory of the ingest process **{peak_gib:.2f} GiB** (target ≤ 2 GiB). "
        f"Of the ingest time, {figures['ingest']['write_seconds']:.2f} s is the DuckDB "
        f"transaction; {figures['ingest']['candidates']:,} merge candidates were reported.",
        "",
        f"The store floor (DuckDB loading the same files itself, in parallel, with no "
        f"normalising, no checks and no provenance) is already **{floor_ratio:.2f}×** wall, "
        f"**{figures['floor']['cpu'] / figures['baseline']['cpu']:.2f}×** CPU of read_csv "
        f"in this run; the full ingest costs **{ratio / floor_ratio:.2f}×** that floor.",
        "",
        "Where the time goes (another child process, every stage timed in place):",
        "",
        *_stage_table(figures),
        "",
        *_NOTES,
    ]
    return "\n".join(lines)


_NOTES = (
    "## How the pipeline stays close to read_csv",
    "",
    "* **Reading**: the encoding is found from the bytes (BOM, strict UTF-8, strict CP932; "
    "CP932 is decoded in Python, then parsed as UTF-8). pyarrow's CSV reader parses every "
    "column as text on one thread (as fast per CPU second as pandas' C parser, and it does "
    "not fight other processes on a shared machine), then its chunks are combined once.",
    "* **Normalising**: one vectorised pass over each column's bytes finds the values that "
    "may change (non-ASCII, or a byte ≤ 0x20); pure-ASCII id columns are left untouched. "
    "Only those values are dictionary-encoded and their distinct values run through arrow's "
    "NFKC and whitespace kernels; the column is rebuilt only when something changed. "
    "`source` citations are trimmed only (no NFKC).",
    "* **Checking**: enums, wards, fields, fiscal years and non-ISO dates are mapped once per "
    "distinct value; ISO dates parse in bulk; references are looked up with arrow's "
    "`index_in`, whose positions also serve as the codes of the duplicate-key check "
    "(codes combined into one int64 per row and sorted once: no second hash pass); "
    "Python loops run over distinct values and failing rows only.",
    "* **Storing**: arrow tables are registered with DuckDB and inserted in chunks of two "
    "row groups (the progress bar moves within a table), one transaction, provenance that "
    "is constant over a file passed as SQL literals, `attrs` the literal `'{}'` when there "
    "are no extra columns; the content hash (SHA-256 of the files' bytes) is computed once.",
    "",
    "## Why the ratio stays above 3×",
    "",
    "`pandas.read_csv` (pandas 3: the C parser into arrow-backed strings, on two threads) "
    "parses and stops. The *store floor* row shows that DuckDB 2.0, loading the same files "
    "with its own multithreaded reader and writing nothing but the text columns, already "
    "needs more than 3× that time: compressing and writing a persistent table of a million "
    "string rows costs more than parsing them. An ingest must, beyond that floor:",
    "",
    "1. normalise text (NFKC, trimmed) and look up the 1,000,000 event and organisation "
    "references in hash tables of 20,000 event and 100,000 organisation ids, resolving "
    "references written as names; check enums, wards, dates and duplicate keys;",
    "2. keep provenance (file, sheet, row, batch, time) on every stored row;",
    "3. propose merge candidates over 100,000 organisation names (sorted neighbourhood: "
    "four passes of 100,000 rapidfuzz comparisons) and build the name index (name keys "
    "with arrow's NFKC, lower-case and regex kernels).",
    "",
    "Measured alternatives that did not help: pyarrow's multithreaded CSV reader and "
    "two rapidfuzz workers (no gain on 2 cores: the parse is a small share and the threads "
    "wait for each other); `force_compression='dictionary'` (−0.45 CPU s, a 5.7× larger "
    "file). Storing participations as integer codes would cut the write of that table from "
    "about 0.45 s to about 0.1 s, but the checks and the name work above still cost more "
    "than 3× read_csv on their own (see the stage table), so the target stays out of reach "
    "with an on-disk DuckDB store.",
    "",
)


def format_dataset_section(figures: dict) -> str:
    """The figures of one existing dataset (``--data``) as a Markdown section.

    The figure of merit is ingest / store floor (target ≤ 1.5×, peak ≤ 4 GiB at nation size).

    >>> text = format_dataset_section(run_benchmark(0, data="data/osaka"))  # doctest: +SKIP
    >>> "store floor" in text  # doctest: +SKIP
    True
    """
    floor, ingest = figures["floor"], figures["ingest"]
    (b1, b5, b15), (a1, a5, a15) = figures["load"]
    lines = [
        f"## `{figures['data']}`",
        "",
        f"{figures['participations']:,} participations, {figures['organizations']:,} "
        f"organisations, {figures['events']:,} events "
        f"({figures['bytes'] / 1024 ** 2:,.1f} MiB of CSV), {figures['machine']}; "
        f"run under `nice -n 10` on a shared 2-core machine, load average "
        f"{b1:.2f} / {b5:.2f} / {b15:.2f} before and {a1:.2f} / {a5:.2f} / {a15:.2f} after "
        "(1 / 5 / 15 min).",
        "",
        *_table(figures),
        "",
        f"validate + ingest / store floor: **{ingest['seconds'] / floor['seconds']:.2f}×** wall, "
        f"**{ingest['cpu'] / floor['cpu']:.2f}×** CPU (target ≤ 1.5×); peak memory of the "
        f"ingest process **{ingest['peak_kib'] / 1024 ** 2:.2f} GiB** (target ≤ 4 GiB).",
        "",
    ]
    if figures.get("stages"):
        lines += ["Where the time goes:", "", *_stage_table(figures), ""]
    return "\n".join(lines)


def _cmd(args) -> int:
    if args.data:
        sections = ["# Ingest benchmark at nation size", ""]
        for folder in args.data:
            figures = run_benchmark(0, data=folder, stages=not args.no_stages)
            sections.append(format_dataset_section(figures))
            print(sections[-1], flush=True)
        text = "\n".join(sections)
        if args.write:
            write_report(args.write, text)
            print(f"written to {args.write}")
        return 0
    figures = run_benchmark(args.rows, seed=args.seed, workdir=args.workdir)
    text = format_markdown(figures)
    print(text)
    if args.write:
        write_report(args.write, text)
        print(f"written to {args.write}")
    return 0
