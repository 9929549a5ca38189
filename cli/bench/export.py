"""`tsunagari bench export`: every export format on the city-size tie graph, against baselines.

The graph is the organisation tie graph (``graph.build.tie_graph``) of a store
(``--store FILE``, read only), of a dataset folder (``--dataset DIR``) or of the synthetic
city (``synth.generator.generate``, default ``--scale city``, ``--seed 2019``, FY2014–FY2024;
reused when ``--workdir`` already holds it). Each measurement runs in its own child process,
one after the other:

* baseline: read the data, build the tie graph (timed: the cost of having a graph to
  export), flatten it (``graph.io.flatten_graph``, timed) and write the flattened graph
  with networkx's own ``networkx.write_graphml_xml`` (timed): what a plain networkx export of the
  same content costs;
* one child per format (GEXF, GraphML, CSV, JSON, XLSX): read, build, then
  ``graph.io.write_graph`` (timed, wall and CPU seconds).

Every child reports its own peak resident memory (``cli.peak_memory.peak_rss_kib``: its
``VmHWM``) after building the graph and after the export, so the export's own share shows.
Imports (networkx, pandas, xlsxwriter, graph.io) happen before any clock starts.
``--write FILE.md`` writes the figures as Markdown (``docs/benchmarks/export.md``).

>>> import argparse
>>> parser = argparse.ArgumentParser(); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["export", "--store", "x.duckdb", "--formats", "csv", "json"])
>>> args.store, args.formats, args.scale
('x.duckdb', ['csv', 'json'], 'city')
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from cli.common import load_average, synthetic_dataset, write_report

__all__ = ["register", "run_benchmark", "format_markdown", "FORMATS"]

#: Formats measured, in report order.
FORMATS = ("gexf", "graphml", "csv", "json", "xlsx")

_CHILD = r"""
import json, sys, time
from pathlib import Path
from cli.peak_memory import peak_rss_kib
import networkx as nx, pandas as pd, xlsxwriter  # imports are not timed
from graph.build import tie_graph
from graph.io import flatten_graph, write_graph

source, kind, fmt, out_dir = sys.argv[1:5]
out = {}
def timed(name, fn):
    t, c = time.perf_counter(), time.process_time()
    value = fn()
    out[name + "_seconds"] = time.perf_counter() - t
    out[name + "_cpu"] = time.process_time() - c
    return value

if kind == "store":
    from ingest.store import read_dataset
    ds = timed("read", lambda: read_dataset(source))
else:
    from ingest.load import load_dataset
    ds = timed("read", lambda: load_dataset(source, show_progress=False))
G = timed("tie_graph", lambda: tie_graph(ds))
del ds
out["organisations"], out["ties"] = G.number_of_nodes(), G.number_of_edges()
out["peak_graph_mib"] = peak_rss_kib() / 1024
if fmt == "baseline":
    F = timed("flatten", lambda: flatten_graph(G))
    # the ElementTree writer: nx.write_graphml is the lxml one when lxml is installed
    timed("nx_graphml", lambda: nx.write_graphml_xml(F, Path(out_dir) / "baseline.graphml"))
    files = [Path(out_dir) / "baseline.graphml"]
else:
    files = timed("export", lambda: write_graph(G, Path(out_dir) / f"ties.{fmt}"))
out["peak_mib"] = peak_rss_kib() / 1024
out["bytes"] = sum(Path(f).stat().st_size for f in files)
for f in files:
    Path(f).unlink()
print(json.dumps(out))
"""


def register(bench_sub) -> None:
    """Add `bench export` to the bench subcommands."""
    p = bench_sub.add_parser("export", help="every export format on the city tie graph")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--store", metavar="FILE", help="read this store (read only)")
    source.add_argument("--dataset", metavar="DIR", help="load this dataset folder")
    p.add_argument("--scale", default="city", choices=("ward", "city"),
                   help="synthetic scale when neither --store nor --dataset (default city)")
    p.add_argument("--seed", type=int, default=2019, help="synthetic data seed (default 2019)")
    p.add_argument("--workdir", metavar="DIR", help="keep / reuse the generated data here")
    p.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS),
                   help="formats to measure (default all)")
    p.add_argument("--write", metavar="FILE.md", help="also write the figures as Markdown")
    p.set_defaults(func=_cmd)


def _child(source: str, kind: str, fmt: str, out_dir: str) -> dict:
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-c", _CHILD, source, kind, fmt, out_dir],
                          capture_output=True, text=True, env=env, cwd=root, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child ({fmt}) failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_benchmark(source: str | Path, *, kind: str = "store",
                  formats: tuple[str, ...] | list[str] = FORMATS) -> dict:
    """Measure the baseline and each format in ``formats`` on the tie graph of ``source``.

    ``kind`` is ``"store"`` (a DuckDB store, read only) or ``"dataset"`` (a folder).

    A benchmark run (child processes), so not run as a doctest:
    ``tests/cli/test_bench_commands.py`` runs it (marked slow).

    >>> davis = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "davis"
    >>> figures = run_benchmark(davis, kind="dataset", formats=["csv"])  # doctest: +SKIP
    >>> figures["baseline"]["organisations"], sorted(figures["formats"])  # doctest: +SKIP
    (18, ['csv'])
    """
    with tempfile.TemporaryDirectory(prefix="tsunagari-bench-export-") as out_dir:
        baseline = _child(str(source), kind, "baseline", out_dir)
        results = {fmt: _child(str(source), kind, fmt, out_dir) for fmt in formats}
    return {"baseline": baseline, "formats": results, "load": load_average(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                       f"{platform.python_version()}"}


def format_markdown(figures: dict, *, label: str) -> str:
    """The figures as a Markdown section.

    >>> one = {"read_seconds": 1.0, "read_cpu": 1.0, "tie_graph_seconds": 2.0,
    ...        "tie_graph_cpu": 2.0, "organisations": 3, "ties": 2, "peak_graph_mib": 100.0,
    ...        "peak_mib": 120.0, "bytes": 2 ** 20}
    >>> base = dict(one, flatten_seconds=0.5, flatten_cpu=0.5, nx_graphml_seconds=4.0,
    ...             nx_graphml_cpu=4.0)
    >>> figures = {"baseline": base, "formats": {"csv": dict(one, export_seconds=1.0,
    ...            export_cpu=1.0)}, "load": "0.5", "machine": "x86_64"}
    >>> print(format_markdown(figures, label="test").splitlines()[0])
    ## `tsunagari bench export` — test
    """
    base = figures["baseline"]
    tie = base["tie_graph_seconds"]
    lines = [
        f"## `tsunagari bench export` — {label}",
        "",
        f"Graph: {base['organisations']:,} organisations, {base['ties']:,} ties. Machine: "
        f"{figures['machine']}; load average (1 / 5 / 15 min) {figures['load']} after the "
        "run. Each row is its own child process; seconds exclude imports, reading and "
        "building the graph. Peak = the child's own `VmHWM` after the export (after building "
        "the graph, in brackets).",
        "",
        "| step | wall s | CPU s | ÷ tie_graph (wall) | peak MiB (graph built) | file MiB |",
        "|---|---:|---:|---:|---:|---:|",
        f"| read the data (not part of the export) | {base['read_seconds']:.2f} | "
        f"{base['read_cpu']:.2f} | | | |",
        f"| baseline: `tie_graph` | {tie:.2f} | {base['tie_graph_cpu']:.2f} | 1.00× | "
        f"({base['peak_graph_mib']:,.0f}) | |",
        f"| baseline: `flatten_graph` | {base['flatten_seconds']:.2f} | "
        f"{base['flatten_cpu']:.2f} | {base['flatten_seconds'] / tie:.2f}× | | |",
        f"| baseline: `networkx.write_graphml` of the flattened graph | "
        f"{base['nx_graphml_seconds']:.2f} | {base['nx_graphml_cpu']:.2f} | "
        f"{base['nx_graphml_seconds'] / tie:.2f}× | {base['peak_mib']:,.0f} "
        f"({base['peak_graph_mib']:,.0f}) | {base['bytes'] / 2 ** 20:,.1f} |",
    ]
    for fmt, f in figures["formats"].items():
        lines.append(
            f"| **`write_graph` {fmt}** | **{f['export_seconds']:.2f}** | {f['export_cpu']:.2f} "
            f"| {f['export_seconds'] / tie:.2f}× | {f['peak_mib']:,.0f} "
            f"({f['peak_graph_mib']:,.0f}) | {f['bytes'] / 2 ** 20:,.1f} |")
    lines.append("")
    return "\n".join(lines)


def _cmd(args) -> int:
    if args.store:
        source, kind, label = args.store, "store", f"store {args.store}"
    elif args.dataset:
        source, kind, label = args.dataset, "dataset", f"dataset {args.dataset}"
    else:
        folder = synthetic_dataset(args.scale, args.seed, args.workdir)
        source, kind, label = str(folder), "dataset", f"synthetic {args.scale}, seed {args.seed}"
    figures = run_benchmark(source, kind=kind, formats=args.formats)
    text = format_markdown(figures, label=label)
    print(text)
    if args.write:
        write_report(args.write, text)
    return 0
