"""`tsunagari bench scale`: synth → ingest → analyze from a ward to all of Japan, on the core.

For each scale (``ward``, ``city``, ``nation-0.1`` = ``synth --scale nation --fraction 0.1``,
``nation``) the benchmark

1. generates the synthetic dataset (``tsunagari synth``, seed ``--seed``; a folder that
   already holds one is reused and reported as reused);
2. ingests it into a fresh store (``tsunagari ingest``; an existing store is reused with
   ``--reuse``);
3. runs ``analyze`` on the store through the array core (``graph.analysis.analyze_store``)
   in a child process;
4. where the tie count is at most ``--baseline-max-ties`` (the city and 1/10 nation by
   default), runs the former networkx pipeline in another child process on the same data:
   ``ingest.store.read_dataset`` → ``graph.build.tie_graph`` (a ``networkx.Graph`` with an
   evidence tuple per tie) → python-louvain / igraph Louvain (the former ``auto``) →
   ``organisation_measures`` → profiles, connectors, isolated and gaps on that graph.

Every child reports wall and CPU seconds and its own peak resident memory
(``cli.peak_memory``, the kernel's VmHWM). The table gives bytes of peak memory per tie, the
core's own bytes per tie, the speed-up over the baseline, and the exponent b of a least-squares
fit time ∝ ties^b over the scales. The load average is printed beside the figures: the
machine is shared. ``--write FILE.md`` writes the Markdown (``docs/benchmarks/scale.md``).

>>> import argparse
>>> parser = argparse.ArgumentParser(); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["scale", "--scales", "ward,city"])
>>> args.scales, args.seed, args.baseline_max_ties
('ward,city', 0, 5000000)
>>> fitted_exponent([1e5, 1e6], [1.0, 10.0])
1.0
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

from cli.common import load_average, write_report

__all__ = ["SCALES", "fitted_exponent", "format_markdown", "prepare_store", "register", "run_child",
           "run_scale"]

#: Scale label → ``tsunagari synth`` arguments.
SCALES: dict[str, list[str]] = {
    "ward": ["--scale", "ward"],
    "city": ["--scale", "city"],
    "nation-0.1": ["--scale", "nation", "--fraction", "0.1"],
    "nation": ["--scale", "nation"],
}

_CORE = r"""
import json, sys, time
from cli.peak_memory import peak_rss_kib
from graph.analysis import analyze_store
store, k = sys.argv[1], int(sys.argv[2])
t, c = time.perf_counter(), time.process_time()
result = analyze_store(store, k=k)
out = {"seconds": time.perf_counter() - t, "cpu": time.process_time() - c,
       "peak_kib": peak_rss_kib(), "organisations": result.summary["organisations"],
       "ties": result.summary["ties"], "core_bytes": result.core.nbytes(),
       "modularity": result.summary["modularity"],
       "communities": result.summary["communities"],
       "method": result.summary["community_method"]["params"].get("implementation"),
       "betweenness": result.summary["betweenness"], "timings": result.summary["timings"],
       "cpu_timings": result.summary["cpu_timings"]}
print(json.dumps(out))
"""

_BASELINE = r"""
import json, sys, time
from cli.peak_memory import peak_rss_kib
from ingest.store import read_dataset
from graph.findings import connectors, gap_tables, isolated, last_activity
from graph.build import tie_graph
from graph.measures import organisation_measures
from graph.communities import community_profiles, louvain
store, k = sys.argv[1], int(sys.argv[2])
t, c = time.perf_counter(), time.process_time()
ds = read_dataset(store)
activity = last_activity(ds)
G = tie_graph(ds)
p = louvain(G, method="auto")
m = organisation_measures(G, p, k=k)
profiles = community_profiles(G, p)
labels = dict(zip(profiles["community"], profiles["label"]))
connectors(G, p, measures=m, labels=labels, top=None)
isolated(G, p, measures=m, activity=activity)
gap_tables(G, p, labels=labels)
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c,
                  "peak_kib": peak_rss_kib(), "modularity": p.modularity,
                  "method": p.params.get("implementation")}))
"""


def register(bench_sub) -> None:
    """Add `bench scale` to the bench subcommands."""
    p = bench_sub.add_parser("scale", help="synth → ingest → analyze, ward to nation, on the core")
    p.add_argument("--scales", default="ward,city,nation-0.1,nation",
                   help="comma-separated scales (default ward,city,nation-0.1,nation)")
    p.add_argument("--seed", type=int, default=0, help="synthetic data seed (default 0)")
    p.add_argument("--k", type=int, default=256, help="betweenness pivots (default 256)")
    p.add_argument("--workdir", default="/tmp/tsunagari-bench-scale", metavar="DIR",
                   help="where the datasets and stores are kept / reused")
    p.add_argument("--reuse", action="store_true", help="reuse existing stores (skip ingest)")
    p.add_argument("--baseline-max-ties", type=int, default=5_000_000,
                   help="run the networkx baseline up to this many ties (default 5,000,000)")
    p.add_argument("--write", metavar="FILE.md", help="also write the figures as Markdown")
    p.set_defaults(func=_cmd)


def run_child(args: list[str]) -> tuple[dict, str]:
    """Run ``python ARGS`` from the repository root; ``(figures, stderr tail)``: its wall
    seconds plus the JSON it printed last (if any: CPU, its own peak memory …).

    >>> run_child(["-c", "print('{\\"cpu\\": 1.5}')"])[0]["cpu"]
    1.5
    """
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=root)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])} failed:\n{err[-3000:]}")
    figures = {"seconds": wall}
    lines = [line for line in out.strip().splitlines() if line.startswith("{")]
    if lines:
        figures.update(json.loads(lines[-1]))
    return figures, err[-500:]


def prepare_store(folder: Path, store: Path, synth_args: list[str], *, seed: int = 0,
                  reuse: bool = True) -> tuple[dict | None, dict | None]:
    """``tsunagari synth SYNTH_ARGS`` into ``folder`` unless a dataset is there, then
    ``tsunagari ingest`` into ``store`` unless ``reuse`` and it exists (a new store otherwise):
    the figures of each child, ``None`` for a step reused.

    >>> prepare_store(Path("/tmp/b/city-seed0"), Path("/tmp/b/city.duckdb"),
    ...               SCALES["city"])  # doctest: +SKIP
    (None, None)
    """
    synth = ingest = None
    if not (folder / "organizations.csv").exists():
        synth, _ = run_child(["-m", "cli.main", "synth", *synth_args, "--seed", str(seed),
                              "--out", str(folder)])
    if not (reuse and store.exists()):
        store.unlink(missing_ok=True)
        ingest, _ = run_child(["-m", "cli.main", "ingest", str(folder), "--store", str(store)])
    return synth, ingest


def run_scale(label: str, *, workdir: Path, seed: int = 0, k: int = 256, reuse: bool = False,
              baseline_max_ties: int = 5_000_000) -> dict:
    """Synth, ingest and analyze one scale (module notes); the figures as a dict."""
    workdir.mkdir(parents=True, exist_ok=True)
    folder = workdir / f"{label}-seed{seed}"
    store = workdir / f"{label}-seed{seed}.duckdb"
    row = {"scale": label, "load_before": load_average()}
    row["synth"], row["ingest"] = prepare_store(folder, store, SCALES[label], seed=seed,
                                                reuse=reuse)
    row["core"], _ = run_child(["-c", _CORE, str(store), str(k)])
    row["baseline"] = None
    if row["core"]["ties"] <= baseline_max_ties:
        row["baseline"], _ = run_child(["-c", _BASELINE, str(store), str(k)])
    row["load_after"] = load_average()
    return row


def fitted_exponent(ties: list[float], seconds: list[float]) -> float | None:
    """Least-squares slope of log(seconds) against log(ties) (None with < 2 points)."""
    points = [(math.log(t), math.log(s)) for t, s in zip(ties, seconds) if t > 0 and s > 0]
    if len(points) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    return round(sum((x - mx) * (y - my) for x, y in points) / sxx, 2)


def _gib(kib: float) -> str:
    return f"{kib / 2 ** 20:.2f} GiB"


def format_markdown(rows: list[dict]) -> str:
    """The figures as a Markdown section (one row per scale, then the fit).

    >>> row = {"scale": "ward", "load_before": "0.1 / 0.1 / 0.1", "load_after": "0.2 / 0.1 / 0.1",
    ...        "synth": None, "ingest": {"seconds": 1.0},
    ...        "core": {"seconds": 2.0, "cpu": 1.5, "peak_kib": 2 ** 20, "ties": 1000,
    ...                 "organisations": 100, "core_bytes": 40000, "modularity": 0.5,
    ...                 "method": "networkit-leiden", "betweenness": {"exact": True, "k": 100},
    ...                 "cpu_timings": {"ties": 0.5}}, "baseline": None}
    >>> "| ward | 100 | 1,000 |" in format_markdown([row])
    True
    """
    lines = ["| scale | organisations | ties | synth s | ingest s | analyze wall s | "
             "analyze CPU s | peak RSS | B/tie (peak) | core B/tie | modularity | "
             "networkx baseline wall / CPU s, peak | speed-up (CPU) | load before → after |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|"]
    for r in rows:
        c, b = r["core"], r.get("baseline")
        synth = "reused" if r["synth"] is None else f"{r['synth']['seconds']:.1f}"
        ingest = "reused" if r["ingest"] is None else f"{r['ingest']['seconds']:.1f}"
        base = "—" if not b else (f"{b['seconds']:.1f} / {b['cpu']:.1f}, "
                                  f"{_gib(b['peak_kib'])} (Q {b['modularity']:.3f})")
        speed = "—" if not b else f"{b['cpu'] / max(c['cpu'], 1e-9):.1f}×"
        lines.append(
            f"| {r['scale']} | {c['organisations']:,} | {c['ties']:,} | {synth} | {ingest} | "
            f"{c['seconds']:.1f} | {c['cpu']:.1f} | {_gib(c['peak_kib'])} | "
            f"{c['peak_kib'] * 1024 / max(c['ties'], 1):,.0f} | "
            f"{c['core_bytes'] / max(c['ties'], 1):.0f} | {c['modularity']:.3f} | {base} | "
            f"{speed} | {r['load_before']} → {r['load_after']} |")
    wall = fitted_exponent([r["core"]["ties"] for r in rows], [r["core"]["seconds"] for r in rows])
    cpu = fitted_exponent([r["core"]["ties"] for r in rows], [r["core"]["cpu"] for r in rows])
    lines += ["", f"Fitted exponent of analyze time vs ties (ties^b): wall b = {wall}, "
              f"CPU b = {cpu}.", "", "Per-stage CPU seconds of analyze (core):", ""]
    stages = list(rows[0]["core"].get("cpu_timings", {})) if rows else []
    lines += ["| scale | " + " | ".join(stages) + " |", "|---|" + "---:|" * len(stages)]
    for r in rows:
        t = r["core"].get("cpu_timings", {})
        lines.append(f"| {r['scale']} | " + " | ".join(f"{t.get(s, 0):.1f}" for s in stages)
                     + " |")
    betweenness = [f"{r['scale']}: {'exact' if r['core']['betweenness'].get('exact') else 'k=' + str(r['core']['betweenness'].get('k'))}"
                   for r in rows]
    lines += ["", "Betweenness: " + ", ".join(betweenness) + "; communities: "
              + ", ".join(sorted({str(r['core']['method']) for r in rows})) + "."]
    return "\n".join(lines) + "\n"


def _cmd(args) -> int:
    rows = []
    for label in [s.strip() for s in args.scales.split(",") if s.strip()]:
        if label not in SCALES:
            print(f"bench scale: unknown scale {label!r}; scales are {', '.join(SCALES)}",
                  file=sys.stderr)
            return 2
        print(f"scale {label} …", file=sys.stderr)
        rows.append(run_scale(label, workdir=Path(args.workdir), seed=args.seed, k=args.k,
                              reuse=args.reuse, baseline_max_ties=args.baseline_max_ties))
        print(json.dumps(rows[-1], default=str), file=sys.stderr)
    text = format_markdown(rows)
    print(text)
    if args.write:
        write_report(args.write, "## `tsunagari bench scale`\n\n" + text)
    return 0
