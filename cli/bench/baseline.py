"""`tsunagari bench baseline`: the core against a pure networkx + python-louvain pipeline.

Issue 11's side-by-side target, at ≈ 10⁶ ties: full ``analyze`` ≥ 50× a pure networkx +
python-louvain pipeline computing the same measures, communities ≥ 100× python-louvain with
a modularity at least its own. The store is ``--store`` or, by default, the synthetic
``synth --scale nation --fraction 0.033`` (≈ 36 k organisations, ≈ 1.0×10⁶ ties), generated
and ingested under ``--workdir`` (both reused when already there). Two child processes
(``cli.bench.scale.run_child``: wall, CPU, the child's own peak memory):

A. **core** — ``graph.analysis.analyze_store(store, k=256)`` as in ``bench scale``, with its
   per-stage timings; then, on the same core, each measure's own kernel timed alone
   (``TieMatrix`` = degree and strength, ``pagerank_values``, the one Brandes pass
   ``brandes_sums`` giving betweenness *and* harmonic closeness, ``burt_values`` giving
   constraint *and* effective size). It writes its partition and its pivots to a file.
B. **networkx** — the same tie graph as ``nx.Graph`` (``TieCore.to_networkx(evidence=False)``,
   the same weights; construction timed apart, *not* in the sum), then, each timed with wall
   and CPU: ``G.degree`` (ties and weight), ``nx.pagerank(weight="weight")``,
   ``nx.betweenness_centrality(k=…, weight=None)`` and ``nx.harmonic_centrality(sources=…)``
   (hops, as the core counts them; betweenness draws its own ``k`` sources with ``seed``
   — networkx takes no source list — and closeness runs from the core's ``k`` pivots, read
   from A),
   ``nx.constraint`` / ``nx.effective_size`` (``weight="weight"``, the definitions the core
   reproduces, docs/metrics.md), ``community.best_partition`` (python-louvain) and
   ``community.modularity``; the core's partition is scored with the same
   ``community.modularity`` on the same ``G``, so the two modularities compare.

networkx's constraint runs on all nodes through its own sparse (scipy) path. Its effective
size for all nodes builds two dense n × n float64 arrays (≈ 20 GiB at 36 k organisations), so
where that would need over half the available memory it runs instead its per-node path on
``--burt-sample`` organisations (``nodes=``, default 30) drawn uniformly among those at or
below the 99th degree percentile, extrapolated linearly (:func:`extrapolate`, the practice of
``bench suggest``). Those loops cost ≈ d³ + d·Σ neighbour degrees per node, so leaving the
hubs out makes the linear figure a lower bound (and keeps the run within minutes); the
report adds the figure scaled by that work instead of by node count, and the ratio with
effective size counted as free. ``--pivot-sample`` runs betweenness and closeness on fewer
of the ``k`` pivots, extrapolated (cost ∝ sources; default all of them). Every extrapolated
row is labelled. The core's full analyze also builds profiles, connectors, isolated and gaps,
which B does not: the full-analyze ratio favours networkx. ``--write FILE.md`` writes the
Markdown (``docs/benchmarks/baseline.md``).

>>> import argparse
>>> parser = argparse.ArgumentParser(); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["baseline", "--store", "s.duckdb"])
>>> args.store, args.k, args.fraction, args.burt_sample
('s.duckdb', 256, 0.033, -1)
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from cli.bench.scale import prepare_store, run_child
from cli.common import load_average, write_report

__all__ = ["NX_STAGES", "extrapolate", "format_markdown", "make_store", "register",
           "run_baseline"]

_CORE = r"""
import json, sys, time
import numpy as np
from cli.peak_memory import peak_rss_kib
from graph.analysis import analyze_store
from graph.core.view import CoreGraph
from graph.measures import TieMatrix
from graph.measures.burt import burt_values
from graph.measures.paths import brandes_sums, pivot_sources
from graph.measures.walks import pagerank_values
store, k, seed, out_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
t, c = time.perf_counter(), time.process_time()
result = analyze_store(store, k=k, seed=seed)
out = {"seconds": time.perf_counter() - t, "cpu": time.process_time() - c,
       "organisations": result.summary["organisations"], "ties": result.summary["ties"],
       "modularity": result.summary["modularity"], "communities": result.summary["communities"],
       "method": result.summary["community_method"]["params"].get("implementation"),
       "betweenness": result.summary["betweenness"], "timings": result.summary["timings"],
       "cpu_timings": result.summary["cpu_timings"], "kernels": {}}
def timed(name, fn):
    t, c = time.perf_counter(), time.process_time()
    value = fn()
    out["kernels"][name] = {"seconds": time.perf_counter() - t, "cpu": time.process_time() - c}
    return value
G = CoreGraph(result.core)
m = timed("degree_strength", lambda: TieMatrix(G, "weight"))
timed("pagerank", lambda: pagerank_values(m))
sources, exact = pivot_sources(m, 2000, k, seed)
timed("paths", lambda: brandes_sums(m, sources))
timed("burt", lambda: burt_values(m))
out["peak_kib"] = peak_rss_kib()
membership = {str(v): i for i, members in enumerate(result.partition.communities)
              for v in members}
with open(out_file, "w", encoding="utf-8") as f:
    json.dump({"partition": membership, "pivots": [str(m.nodes[i]) for i in sources],
               "exact": bool(exact)}, f)
print(json.dumps(out))
"""

_NETWORKX = r"""
import json, random, sys, time
import community
import networkx as nx
from cli.peak_memory import peak_rss_kib
from graph.core.store import core_from_store
store, seed, core_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
pivot_sample, burt_sample = int(sys.argv[4]), int(sys.argv[5])
with open(core_file, encoding="utf-8") as f:
    core_out = json.load(f)
out = {"stages": {}}
def timed(name, fn, done=None, total=None):
    t, c = time.perf_counter(), time.process_time()
    value = fn()
    out["stages"][name] = {"seconds": time.perf_counter() - t, "cpu": time.process_time() - c,
                           "done": done, "total": total}
    print(name, json.dumps(out["stages"][name]), file=sys.stderr, flush=True)
    return value
core = core_from_store(store)
t, c = time.perf_counter(), time.process_time()
G = core.to_networkx(evidence=False)
out["build"] = {"seconds": time.perf_counter() - t, "cpu": time.process_time() - c}
out["organisations"], out["ties"] = G.number_of_nodes(), G.number_of_edges()
del core
timed("degree_strength", lambda: (dict(G.degree()), dict(G.degree(weight="weight"))))
timed("pagerank", lambda: nx.pagerank(G, weight="weight"))
pivots = core_out["pivots"]
n_sources = len(pivots) if pivot_sample <= 0 else min(pivot_sample, len(pivots))
timed("betweenness", lambda: nx.betweenness_centrality(G, k=n_sources, weight=None, seed=seed),
      n_sources, len(pivots))
timed("harmonic", lambda: nx.harmonic_centrality(G, sources=pivots[:n_sources]),
      n_sources, len(pivots))
nodes = sorted(G)
timed("constraint", lambda: nx.constraint(G, weight="weight"))  # all nodes: the sparse path
dense = 2 * len(nodes) ** 2 * 8  # effective size, all nodes: two dense n x n float64 arrays
available = 0
with open("/proc/meminfo") as f:
    for line in f:
        if line.startswith("MemAvailable:"):
            available = int(line.split()[1]) * 1024
if burt_sample < 0:
    burt_sample = 30 if dense > available / 2 else 0
deg = dict(G.degree())
work = {v: deg[v] ** 3 + deg[v] * sum(deg[u] for u in G[v]) for v in nodes}
cap = sorted(deg.values())[int(0.99 * (len(nodes) - 1))] if nodes else 0
pool = [v for v in nodes if deg[v] <= cap]
sample = None if burt_sample == 0 else \
    random.Random(seed).sample(pool, min(burt_sample, len(pool)))
out["burt_sample"] = {"degree_cap": cap, "work_all": sum(work.values()),
                      "work_sample": sum(work[v] for v in sample or nodes),
                      "mean_degree_sample": sum(deg[v] for v in sample or nodes)
                      / max(len(sample or nodes), 1),
                      "mean_degree_all": sum(deg.values()) / max(len(nodes), 1),
                      "dense_bytes": dense, "available_bytes": available}
timed("effective_size", lambda: nx.effective_size(G, nodes=sample, weight="weight"),
      len(sample or nodes), len(nodes))
partition = timed("communities", lambda: community.best_partition(G, weight="weight",
                                                                  random_state=seed))
out["louvain_modularity"] = community.modularity(partition, G, weight="weight")
out["louvain_communities"] = len(set(partition.values()))
out["core_modularity_on_G"] = community.modularity(core_out["partition"], G, weight="weight")
out["peak_kib"] = peak_rss_kib()
print(json.dumps(out))
"""

#: networkx stage → (label, the core kernel it is compared with).
NX_STAGES: dict[str, tuple[str, str]] = {
    "degree_strength": ("degree & strength (`G.degree`, weighted)", "degree_strength"),
    "pagerank": ("PageRank (`nx.pagerank`, weighted)", "pagerank"),
    "betweenness": ("betweenness (`nx.betweenness_centrality`, k pivots, hops)", "paths"),
    "harmonic": ("harmonic closeness (`nx.harmonic_centrality`, the k pivots)", "paths"),
    "constraint": ("Burt constraint (`nx.constraint`, weighted)", "burt"),
    "effective_size": ("Burt effective size (`nx.effective_size`, weighted)", "burt"),
    "communities": ("communities (`community.best_partition`, python-louvain)", "communities"),
}

_KERNELS = {"degree_strength": "`TieMatrix` (CSR, degree, strength)",
            "pagerank": "`pagerank_values`",
            "paths": "`brandes_sums` (one pass: betweenness + closeness)",
            "burt": "`burt_values` (one pass: constraint + effective size)",
            "communities": "`communities` stage of analyze"}


def register(bench_sub) -> None:
    """Add `bench baseline` to the bench subcommands."""
    p = bench_sub.add_parser("baseline", help="the core vs a pure networkx + python-louvain "
                             "pipeline at ≈ 10⁶ ties")
    p.add_argument("--store", metavar="FILE.duckdb", help="benchmark this store (default: "
                   "synth --scale nation --fraction F, ingested under --workdir)")
    p.add_argument("--fraction", type=float, default=0.033,
                   help="nation fraction of the default dataset (0.033: ≈ 1.0×10⁶ ties)")
    p.add_argument("--seed", type=int, default=0, help="data, pivot and Louvain seed (0)")
    p.add_argument("--k", type=int, default=256, help="betweenness pivots (default 256)")
    p.add_argument("--pivot-sample", type=int, default=0, metavar="N",
                   help="networkx betweenness / closeness on N of the k pivots, extrapolated "
                   "(default 0: all k)")
    p.add_argument("--burt-sample", type=int, default=-1, metavar="N",
                   help="networkx effective size on N random organisations below the 99th "
                   "degree percentile, extrapolated; 0: all nodes (default: 30 when the "
                   "all-nodes path would need over half the available memory, else 0)")
    p.add_argument("--workdir", default="/tmp/tsunagari-bench-baseline", metavar="DIR",
                   help="where the default dataset and store are kept / reused")
    p.add_argument("--write", metavar="FILE.md", help="also write the figures as Markdown")
    p.set_defaults(func=_cmd)


def extrapolate(seconds: float, done: int | None, total: int | None) -> float:
    """``seconds`` measured on ``done`` of ``total`` items, scaled linearly to all of them.

    >>> extrapolate(2.0, 50, 1000), extrapolate(2.0, None, None), extrapolate(3.0, 10, 10)
    (40.0, 2.0, 3.0)
    """
    if not done or not total:
        return seconds
    return seconds * total / done


def make_store(workdir: Path, fraction: float = 0.033, seed: int = 0) -> Path:
    """The default store: ``synth --scale nation --fraction F`` ingested (both reused).

    >>> make_store(Path("/tmp/tsunagari-bench-baseline"))  # doctest: +SKIP
    PosixPath('/tmp/tsunagari-bench-baseline/nation-0.033-seed0.duckdb')
    """
    workdir.mkdir(parents=True, exist_ok=True)
    store = workdir / f"nation-{fraction:g}-seed{seed}.duckdb"
    prepare_store(workdir / f"nation-{fraction:g}-seed{seed}", store,
                  ["--scale", "nation", "--fraction", str(fraction)], seed=seed)
    return store


def run_baseline(store, *, k: int = 256, seed: int = 0, pivot_sample: int = 0,
                 burt_sample: int = -1) -> dict:
    """Run both children on ``store`` (module notes); ``{"core", "networkx", load …}``.

    ``pivot_sample`` and ``burt_sample`` as ``--pivot-sample`` and ``--burt-sample`` (−1: the
    default choice). Minutes at 10⁶ ties; ``tests/cli/test_bench_baseline.py`` runs it on a tiny
    store.

    >>> row = run_baseline("nation-0.033-seed0.duckdb")  # doctest: +SKIP
    >>> sorted(row["networkx"]["stages"]) == sorted(NX_STAGES)  # doctest: +SKIP
    True
    """
    row: dict = {"store": str(store), "load_before": load_average()}
    with tempfile.TemporaryDirectory(prefix="tsunagari-bench-baseline-") as tmp:
        core_file = Path(tmp) / "core.json"
        row["core"], _ = run_child(["-c", _CORE, str(store), str(k), str(seed), str(core_file)])
        row["networkx"], _ = run_child(["-c", _NETWORKX, str(store), str(seed), str(core_file),
                                        str(pivot_sample), str(burt_sample)])
    row["load_after"] = load_average()
    return row


def _ratio(a: float, b: float) -> str:
    return f"{a / b:,.1f}×" if b > 0 else "—"


def _full(stage: dict, key: str) -> float:
    """A networkx stage's seconds (``key``: ``seconds`` or ``cpu``) for all items."""
    return extrapolate(stage[key], stage.get("done"), stage.get("total"))


def _how(name: str, stage: dict, burt: dict) -> str:
    done, total = stage.get("done"), stage.get("total")
    if name == "constraint":
        return "all (networkx's sparse all-nodes path)"
    if not done or not total or done >= total:
        return "all"
    if name == "effective_size":
        return (f"extrapolated from {done:,} of {total:,} nodes (its per-node path, uniform below "
                f"the 99th degree percentile, ≤ {burt.get('degree_cap', 0):,} ties: a lower "
                f"bound; its all-nodes path needs two dense n × n arrays, "
                f"{burt.get('dense_bytes', 0) / 2 ** 30:.1f} GiB, with "
                f"{burt.get('available_bytes', 0) / 2 ** 30:.1f} GiB available)")
    return f"extrapolated from {done:,} of {total:,} pivots"


def format_markdown(row: dict) -> str:
    """The figures as Markdown: per measure networkx vs core, then the two target ratios.

    >>> nx_stage = {"seconds": 1.0, "cpu": 1.0, "done": None, "total": None}
    >>> kernel = {"seconds": 0.5, "cpu": 0.5}
    >>> row = {"store": "s.duckdb", "load_before": "0.1 / 0.1 / 0.1", "load_after": "n/a",
    ...        "core": {"seconds": 2.0, "cpu": 2.0, "peak_kib": 2 ** 20, "ties": 10,
    ...                 "organisations": 5, "modularity": 0.5, "method": "networkit-leiden",
    ...                 "communities": 2,
    ...                 "betweenness": {"exact": True, "k": 5},
    ...                 "timings": {"communities": 0.1, "measures": 1.0},
    ...                 "cpu_timings": {"communities": 0.1, "measures": 1.0},
    ...                 "kernels": {name: kernel for name in _KERNELS if name != "communities"}},
    ...        "networkx": {"stages": {name: dict(nx_stage) for name in NX_STAGES},
    ...                     "build": {"seconds": 3.0, "cpu": 3.0}, "peak_kib": 2 ** 20,
    ...                     "louvain_modularity": 0.4, "core_modularity_on_G": 0.5,
    ...                     "louvain_communities": 3}}
    >>> text = format_markdown(row)
    >>> "| PageRank (`nx.pagerank`, weighted) | 1.00 | 1.00 | all |" in text
    True
    >>> "| **full analyze** | 7.00 | 7.00 |" in text
    True
    """
    c, x = row["core"], row["networkx"]
    stages, kernels, burt = x["stages"], dict(c["kernels"]), x.get("burt_sample", {})
    kernels["communities"] = {"seconds": c["timings"]["communities"],
                              "cpu": c["cpu_timings"]["communities"]}
    lines = [f"Store `{row['store']}`: {c['organisations']:,} organisations, {c['ties']:,} ties "
             f"(networkx graph: {x.get('organisations', c['organisations']):,} nodes, "
             f"{x.get('ties', c['ties']):,} edges). Load average {row['load_before']} → "
             f"{row['load_after']}.", "",
             "| measure | networkx wall s | networkx CPU s | networkx run on | core kernel "
             "| core wall s | core CPU s | ratio wall | ratio CPU |",
             "|---|---:|---:|---|---|---:|---:|---:|---:|"]
    extrapolated = []
    for name, (label, kernel) in NX_STAGES.items():
        s = stages[name]
        how = _how(name, s, burt)
        if s.get("done") and s.get("total") and s["done"] < s["total"]:
            extrapolated.append(f"{label.split(' (')[0]} ({s['done']:,} of {s['total']:,})")
        both = [n for n, (_, k) in NX_STAGES.items() if k == kernel]
        wall = sum(_full(stages[n], "seconds") for n in both)
        cpu = sum(_full(stages[n], "cpu") for n in both)
        k = kernels[kernel]
        cells = (f"{_KERNELS[kernel]} | {k['seconds']:.2f} | {k['cpu']:.2f} | "
                 f"{_ratio(wall, k['seconds'])} | {_ratio(cpu, k['cpu'])}")
        if len(both) > 1:
            cells = (cells + " (both rows)" if name == both[0]
                     else "(the row above: one kernel for both) | | | |")
        lines.append(f"| {label} | {_full(s, 'seconds'):,.2f} | {_full(s, 'cpu'):,.2f} | {how} "
                     f"| {cells} |")
    total_wall = sum(_full(s, "seconds") for s in stages.values())
    total_cpu = sum(_full(s, "cpu") for s in stages.values())
    like_wall = sum(c["timings"].get(s, 0.0) for s in ("communities", "measures"))
    like_cpu = sum(c["cpu_timings"].get(s, 0.0) for s in ("communities", "measures"))
    lines += [f"| Σ networkx vs the core's `communities` + `measures` stages | {total_wall:,.2f} "
              f"| {total_cpu:,.2f} | | analyze stages | {like_wall:.2f} | {like_cpu:.2f} | "
              f"{_ratio(total_wall, like_wall)} | {_ratio(total_cpu, like_cpu)} |",
              f"| **full analyze** | {total_wall:,.2f} | {total_cpu:,.2f} | Σ of the rows above "
              f"| whole `analyze_store` | {c['seconds']:.2f} | {c['cpu']:.2f} | "
              f"**{_ratio(total_wall, c['seconds'])}** | **{_ratio(total_cpu, c['cpu'])}** |", ""]
    rest_wall = total_wall - _full(stages["effective_size"], "seconds")
    rest_cpu = total_cpu - _full(stages["effective_size"], "cpu")
    lines += [f"Counting networkx's effective size as free, networkx takes {rest_wall:,.2f} s "
              f"wall / {rest_cpu:,.2f} s CPU: {_ratio(rest_wall, c['seconds'])} wall, "
              f"{_ratio(rest_cpu, c['cpu'])} CPU of the full analyze.", ""]
    effective = stages["effective_size"]
    if burt.get("work_sample") and (effective.get("done") or 0) < (effective.get("total") or 0):
        scale = burt["work_all"] / burt["work_sample"]
        lines += [f"Effective size scaled by networkx's work instead of by node count (its loops "
                  f"cost ≈ d³ + d·Σ neighbour degrees per node; the sample holds "
                  f"{1 / scale:.2e} of the graph's work, mean degree "
                  f"{burt['mean_degree_sample']:.1f} vs {burt['mean_degree_all']:.1f} overall): "
                  f"≈ {effective['seconds'] * scale:,.0f} s wall.", ""]
    louvain, core_comm = stages["communities"], kernels["communities"]
    pivots = ("exact (every node a source)" if c["betweenness"].get("exact")
              else f"sampled, {c['betweenness'].get('k')} pivots (networkx: the same count)")
    lines += [
        f"Communities: python-louvain {louvain['seconds']:.2f} s wall / {louvain['cpu']:.2f} s "
        f"CPU, {x['louvain_communities']:,} communities, modularity "
        f"**{x['louvain_modularity']:.4f}**; the core ({c['method']}) "
        f"{core_comm['seconds']:.2f} s / {core_comm['cpu']:.2f} s, {c['communities']:,} "
        f"communities, modularity **{x['core_modularity_on_G']:.4f}** (`community.modularity` "
        f"on the same networkx graph and weights; the core's own figure "
        f"{c['modularity']:.4f}): **{_ratio(louvain['seconds'], core_comm['seconds'])}** wall, "
        f"**{_ratio(louvain['cpu'], core_comm['cpu'])}** CPU.", "",
        f"Not in the sums: building the networkx graph from the core's tie list "
        f"{x['build']['seconds']:.2f} s wall / {x['build']['cpu']:.2f} s CPU. Peak RSS: core "
        f"child {c['peak_kib'] / 2 ** 20:.2f} GiB, networkx child "
        f"{x['peak_kib'] / 2 ** 20:.2f} GiB. Core betweenness and closeness: {pivots}. "
        f"Extrapolated linearly: {', '.join(extrapolated) or 'none'}."]
    return "\n".join(lines) + "\n"


def _cmd(args) -> int:
    store = Path(args.store) if args.store else make_store(Path(args.workdir), args.fraction,
                                                           args.seed)
    if not store.exists():
        print(f"bench baseline: no store {store}", file=sys.stderr)
        return 2
    row = run_baseline(store, k=args.k, seed=args.seed, pivot_sample=args.pivot_sample,
                       burt_sample=args.burt_sample)
    print(json.dumps(row, default=str), file=sys.stderr)
    text = format_markdown(row)
    print(text)
    if args.write:
        write_report(args.write, "## `tsunagari bench baseline`\n\n" + text)
    return 0
