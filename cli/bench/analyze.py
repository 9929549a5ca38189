"""`tsunagari bench analyze`: full ``analyze`` on the synthetic city against same-run baselines.

Generates the synthetic city (``synth.generator.generate``, default ``--scale city``,
``--seed 2019``, FY2014–FY2024; reused when ``--workdir`` already holds it), then in one
child process:

1. loads it with ``ingest.load.load_dataset`` (timed, not part of the analysis);
2. baselines: ``graph.build.tie_graph`` alone and bare ``networkx.pagerank`` on that graph;
3. ``graph.analysis.analyze`` with its per-stage timings (``summary["timings"]``);

and reports wall times, the ratios analyze / pagerank and analyze / tie graph, the
betweenness method (exact or sampled with k pivots), the community implementation, the load
average before and after, and the child's peak resident memory (``cli.peak_memory``) before and
after the analysis. Module imports (networkx, pandas, scipy, igraph) happen before the clock
starts. ``--write FILE.md`` writes the figures as
Markdown (``docs/benchmarks/analyze.md``).

>>> import argparse
>>> parser = argparse.ArgumentParser(); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["analyze", "--scale", "ward"])
>>> args.scale, args.seed, args.k
('ward', 2019, 256)
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from cli.common import load_average, synthetic_dataset, write_report

__all__ = ["register", "run_benchmark", "format_markdown"]

_CHILD = r"""
import json, sys, time
import networkx as nx
from cli.peak_memory import peak_rss_kib

def peak_mib():
    return peak_rss_kib() / 1024

folder, seed, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
from ingest.load import load_dataset
from graph.build import tie_graph
from graph.analysis import analyze

out = {}
def timed(name, fn):
    t, c = time.perf_counter(), time.process_time()
    value = fn()
    out[name + "_seconds"] = time.perf_counter() - t
    out[name + "_cpu"] = time.process_time() - c
    return value

ds = timed("load", lambda: load_dataset(folder, show_progress=False))
G = timed("tie_graph", lambda: tie_graph(ds))
timed("pagerank", lambda: nx.pagerank(G, weight="weight"))
out["organisations"], out["ties"] = G.number_of_nodes(), G.number_of_edges()
del G
out["peak_before_mib"] = peak_mib()
result = timed("analyze", lambda: analyze(ds, seed=seed, k=k))
out["peak_after_mib"] = peak_mib()
out["timings"] = result.summary["timings"]
out["cpu_timings"] = result.summary["cpu_timings"]
out["betweenness"] = result.summary["betweenness"]
out["communities"] = result.summary["communities"]
out["modularity"] = result.summary["modularity"]
out["needing_partner"] = result.summary["needing_partner"]
out["community_implementation"] = result.summary["community_method"]["params"].get(
    "implementation")
print(json.dumps(out))
"""


def register(bench_sub) -> None:
    """Add `bench analyze` to the bench subcommands."""
    p = bench_sub.add_parser("analyze", help="full analyze on the synthetic city vs baselines")
    p.add_argument("--scale", default="city", choices=("ward", "city"),
                   help="synthetic scale (default city: ~10⁴ organisations)")
    p.add_argument("--seed", type=int, default=2019, help="synthetic data seed (default 2019)")
    p.add_argument("--k", type=int, default=256, help="betweenness pivots (default 256)")
    p.add_argument("--dataset", metavar="PATH", help="benchmark this dataset folder instead")
    p.add_argument("--workdir", metavar="DIR", help="keep / reuse the generated data here")
    p.add_argument("--write", metavar="FILE.md", help="also write the figures as Markdown")
    p.set_defaults(func=_cmd)


def run_benchmark(folder: str | Path, *, seed: int = 0, k: int = 256) -> dict:
    """Time loading, baselines and ``analyze`` on dataset ``folder`` in a child process."""
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    load_before = load_average()
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(folder), str(seed), str(k)],
                          capture_output=True, text=True, env=env, cwd=root)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load_before"], result["load_after"] = load_before, load_average()
    for clock in ("seconds", "cpu"):
        result[f"ratio_pagerank_{clock}"] = (result[f"analyze_{clock}"]
                                             / max(result[f"pagerank_{clock}"], 1e-9))
        result[f"ratio_tie_graph_{clock}"] = (result[f"analyze_{clock}"]
                                              / max(result[f"tie_graph_{clock}"], 1e-9))
    return result


def format_markdown(result: dict, *, label: str) -> str:
    """The figures as a Markdown section.

    >>> figures = {"organisations": 3, "ties": 2, "communities": 1, "modularity": 0.0,
    ...     "needing_partner": 0, "betweenness": {"exact": True, "k": 3}, "timings": {"ties": 0.5},
    ...     "cpu_timings": {"ties": 0.4}, "peak_before_mib": 100.0, "peak_after_mib": 150.0}
    >>> for step in ("load", "tie_graph", "pagerank", "analyze"):
    ...     figures[step + "_seconds"] = figures[step + "_cpu"] = 1.0
    >>> for name in ("ratio_pagerank", "ratio_tie_graph"):
    ...     figures[name + "_seconds"] = figures[name + "_cpu"] = 1.0
    >>> print(format_markdown(figures, label="x").splitlines()[0])
    ## `tsunagari bench analyze` — x
    """
    b = result["betweenness"]
    method = "exact" if b.get("exact") else f"sampled, k = {b.get('k')} pivots"
    modularity = result["modularity"]
    modularity = "n/a" if modularity is None else f"{modularity:.3f}"
    lines = [
        f"## `tsunagari bench analyze` — {label}",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average (1 / 5 / 15 min, /proc/loadavg) "
        f"{result.get('load_before', 'n/a')} before the run and "
        f"{result.get('load_after', load_average())} after. The machine is shared: wall "
        "time includes waiting for a core, CPU time (user + system of the process) does not.",
        "",
        f"Graph: {result['organisations']:,} organisations, {result['ties']:,} ties; "
        f"{result['communities']:,} communities (modularity {modularity}, "
        f"{result.get('community_implementation') or 'louvain'}); "
        f"betweenness {method}; {result['needing_partner']:,} organisations needing a partner "
        "(no ties, one partner, peripheral or inactive).",
        "",
        "| step | wall s | CPU s |",
        "|---|---:|---:|",
        f"| load dataset (ingest.load, not part of analyze) | {result['load_seconds']:.2f} | "
        f"{result['load_cpu']:.2f} |",
        f"| baseline: `tie_graph` alone | {result['tie_graph_seconds']:.2f} | "
        f"{result['tie_graph_cpu']:.2f} |",
        f"| baseline: bare `nx.pagerank` on the tie graph | {result['pagerank_seconds']:.2f} | "
        f"{result['pagerank_cpu']:.2f} |",
        f"| **`analyze` total** | **{result['analyze_seconds']:.2f}** | "
        f"**{result['analyze_cpu']:.2f}** |",
    ]
    cpu = result.get("cpu_timings", {})
    for stage, seconds in result["timings"].items():
        lines.append(f"| · stage `{stage}` | {seconds:.2f} | {cpu.get(stage, float('nan')):.2f} |")
    lines += [
        "",
        f"Ratios (wall / CPU): analyze ÷ pagerank = {result['ratio_pagerank_seconds']:.1f}× / "
        f"{result['ratio_pagerank_cpu']:.1f}×; analyze ÷ tie graph = "
        f"{result['ratio_tie_graph_seconds']:.1f}× / {result['ratio_tie_graph_cpu']:.1f}×. "
        f"Peak resident memory: {result['peak_before_mib']:.0f} MiB after loading and the "
        f"baselines, {result['peak_after_mib']:.0f} MiB after analyze.",
        "",
    ]
    return "\n".join(lines)


def _cmd(args) -> int:
    if args.dataset:
        folder = Path(args.dataset)
        label = f"dataset {folder}"
    else:
        folder = synthetic_dataset(args.scale, args.seed, args.workdir)
        label = f"synthetic {args.scale}, seed {args.seed}"
    result = run_benchmark(folder, seed=0, k=args.k)
    text = format_markdown(result, label=label)
    print(text)
    if args.write:
        write_report(args.write, text)
    return 0
