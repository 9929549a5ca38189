"""`tsunagari bench analyze`: full ``analyze`` on the synthetic city against same-run baselines.

Generates the synthetic city (``synth.generator.generate``, default ``--scale city``,
``--seed 2019``, FY2014–FY2024; reused when ``--workdir`` already holds it), then in one
child process:

1. loads it with ``ingest.load.load_dataset`` (timed, not part of the analysis);
2. baselines: ``graph.build.tie_graph`` alone and bare ``networkx.pagerank`` on that graph;
3. ``graph.analysis.analyze`` with its per-stage timings (``summary["timings"]``);

and reports wall times, the ratios analyze / pagerank and analyze / tie graph, the
betweenness method (exact or sampled with k pivots), and the child's peak resident memory
(``ru_maxrss``) before and after the analysis. ``--write FILE.md`` writes the figures as
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
import tempfile
from pathlib import Path

__all__ = ["register", "run_benchmark", "format_markdown"]

_CHILD = r"""
import json, resource, sys, time
import networkx as nx

def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

folder, seed, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
from ingest.load import load_dataset
from graph.build import tie_graph
from graph.analysis import analyze

out = {}
t = time.perf_counter(); ds = load_dataset(folder, show_progress=False)
out["load_seconds"] = time.perf_counter() - t
t = time.perf_counter(); G = tie_graph(ds)
out["tie_graph_seconds"] = time.perf_counter() - t
t = time.perf_counter(); nx.pagerank(G, weight="weight")
out["pagerank_seconds"] = time.perf_counter() - t
out["organisations"], out["ties"] = G.number_of_nodes(), G.number_of_edges()
del G
out["peak_before_mib"] = peak_mib()
t = time.perf_counter(); result = analyze(ds, seed=seed, k=k)
out["analyze_seconds"] = time.perf_counter() - t
out["peak_after_mib"] = peak_mib()
out["timings"] = result.summary["timings"]
out["betweenness"] = result.summary["betweenness"]
out["communities"] = result.summary["communities"]
out["modularity"] = result.summary["modularity"]
out["isolated"] = result.summary["isolated"]
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
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(folder), str(seed), str(k)],
                          capture_output=True, text=True, env=env, cwd=root)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["ratio_pagerank"] = result["analyze_seconds"] / max(result["pagerank_seconds"], 1e-9)
    result["ratio_tie_graph"] = result["analyze_seconds"] / max(result["tie_graph_seconds"],
                                                               1e-9)
    return result


def _load_average() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def format_markdown(result: dict, *, label: str) -> str:
    """The figures as a Markdown section.

    >>> print(format_markdown({"organisations": 3, "ties": 2, "load_seconds": 1.0,
    ...     "tie_graph_seconds": 0.5, "pagerank_seconds": 0.1, "analyze_seconds": 2.0,
    ...     "ratio_pagerank": 20.0, "ratio_tie_graph": 4.0, "peak_before_mib": 100.0,
    ...     "peak_after_mib": 150.0, "timings": {"ties": 0.5},
    ...     "betweenness": {"exact": True, "k": 3}, "communities": 1, "modularity": 0.0,
    ...     "isolated": 0}, label="x").splitlines()[0])
    ## `tsunagari bench analyze` — x
    """
    b = result["betweenness"]
    method = "exact" if b.get("exact") else f"sampled, k = {b.get('k')} pivots"
    lines = [
        f"## `tsunagari bench analyze` — {label}",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average at the end {_load_average()} (the machine "
        "is shared, so wall times include waiting for a core).",
        "",
        f"Graph: {result['organisations']:,} organisations, {result['ties']:,} ties; "
        f"{result['communities']:,} communities (modularity {result['modularity']:.3f}); "
        f"betweenness {method}; {result['isolated']:,} organisations flagged as isolated.",
        "",
        "| step | seconds |",
        "|---|---:|",
        f"| load dataset (ingest.load, not part of analyze) | {result['load_seconds']:.2f} |",
        f"| baseline: `tie_graph` alone | {result['tie_graph_seconds']:.2f} |",
        f"| baseline: bare `nx.pagerank` on the tie graph | {result['pagerank_seconds']:.2f} |",
        f"| **`analyze` total** | **{result['analyze_seconds']:.2f}** |",
    ]
    for stage, seconds in result["timings"].items():
        lines.append(f"| · stage `{stage}` | {seconds:.2f} |")
    lines += [
        "",
        f"Ratios: analyze / pagerank = {result['ratio_pagerank']:.1f}×, analyze / tie graph = "
        f"{result['ratio_tie_graph']:.1f}×. Peak resident memory: "
        f"{result['peak_before_mib']:.0f} MiB after loading, {result['peak_after_mib']:.0f} MiB "
        "after analyze.",
        "",
    ]
    return "\n".join(lines)


def _cmd(args) -> int:
    if args.dataset:
        folder = Path(args.dataset)
        label = f"dataset {folder}"
    else:
        from synth.generator import generate

        work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="bench-an-"))
        folder = work / f"{args.scale}-seed{args.seed}"
        if not (folder / "organizations.csv").exists():
            print(f"generating synthetic {args.scale} (seed {args.seed}) in {folder} …",
                  file=sys.stderr)
            generate(folder, scale=args.scale, seed=args.seed, first_fy=2014, last_fy=2024)
        label = f"synthetic {args.scale}, seed {args.seed}"
    result = run_benchmark(folder, seed=0, k=args.k)
    text = format_markdown(result, label=label)
    print(text)
    if args.write:
        Path(args.write).parent.mkdir(parents=True, exist_ok=True)
        Path(args.write).write_text(text, encoding="utf-8")
    return 0
