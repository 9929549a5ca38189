"""`tsunagari bench NAME`: benchmarks, each in its own module ``cli/bench/<name>.py``.

``bench ingest`` keeps the data it generates and the processes it times in ``ingest_run.py``.

Every benchmark measures ratios against a baseline timed in the same run, prints a table and
appends nothing to the repository by itself; the figures are written down in
``docs/benchmarks.md``.
"""

from __future__ import annotations

import importlib

__all__ = ["register", "BENCH_MODULES"]

BENCH_MODULES: tuple[str, ...] = (
    "cli.bench.ingest",
    "cli.bench.analyze",
    "cli.bench.suggest",
    "cli.bench.timeline",
    "cli.bench.synth",
    "cli.bench.export",
    "cli.bench.evaluate",
    "cli.bench.scale",
    "cli.bench.spark",
    "cli.bench.baseline",
)


def register(sub) -> None:
    """Add `bench` and one sub-subcommand per benchmark module."""
    parser = sub.add_parser("bench", help="run a benchmark (ratios against a same-run baseline)")
    bench_sub = parser.add_subparsers(dest="bench", metavar="BENCH")
    for name in BENCH_MODULES:
        importlib.import_module(name).register(bench_sub)
