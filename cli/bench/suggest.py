"""`tsunagari bench suggest`: introductions for everyone, against a pair-by-pair baseline.

Generates the synthetic city (``--scale``, ``--seed``; or reads ``--dataset``), builds the tie
graph and times, in one run:

``signals``     ``graph.introductions.build_signals`` (sparse matrices of every signal)
``calibrate``   ``graph.introductions.calibrate_history`` (weights fitted on the latest yearly
                windows before the data's last tie; what ``suggest --calibrate`` pays once per
                store version)
``suggest``     top ``--top`` introductions with reasons for **every** organisation
                (block-wise sparse products: A·A, A·D⁻¹·A …)
``baseline``    the same signals scored pair by pair in Python (networkx neighbour sets),
                as a loop over all pairs would; timed on ``--sample`` organisations and
                extrapolated to all of them

and prints wall-clock and CPU times (``*_cpu``: process CPU seconds, what an idle machine
would take) and the speed-up (baseline ÷ suggest). The figures go into
``docs/benchmarks/suggest.md`` by hand.

With ``--store FILE.duckdb`` it times what ``tsunagari suggest --all`` does on a store
(:func:`store_run`): reading the records, the tie core and its view, Leiden, the signals and
the top ``--top`` for everyone with reasons — at any scale, without the (quadratic) baseline.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="tsunagari"); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["suggest", "--scale", "ward"])
>>> args.scale, args.top, args.sample
('ward', 10, 50)
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import time

import numpy as np

__all__ = ["register", "cmd_bench_suggest", "pairwise_baseline", "store_run"]


def register(sub) -> None:
    """Add `bench suggest`."""
    p = sub.add_parser("suggest", help="introductions for everyone vs a pair-by-pair loop")
    p.add_argument("--scale", choices=("ward", "city"), default="city")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dataset", metavar="PATH", help="benchmark this dataset instead")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--sample", type=int, default=50,
                   help="organisations timed with the pair-by-pair baseline (50)")
    p.add_argument("--store", metavar="FILE.duckdb",
                   help="benchmark `tsunagari suggest --all` on this store instead: the tie "
                        "graph's core view, Leiden, default weights, no baseline")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bench_suggest)


def store_run(store, *, top: int = 10, seed: int = 0) -> dict:
    """``tsunagari suggest --all`` on a store, stage by stage: wall and CPU seconds, peak
    memory, suggestions.

    >>> from pathlib import Path
    >>> from ingest.store import ingest_dataset
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> _ = ingest_dataset(Path(__file__).resolve().parents[2] / "data" / "osaka" / "real",
    ...                    store=path)
    >>> run = store_run(path, top=2)
    >>> run["suggestions"] > 0, sorted(run["seconds"])[:2]
    (True, ['communities', 'core'])
    """
    from cli.peak_memory import peak_rss_kib
    from graph.core.communities import core_communities
    from graph.core.store import core_from_store
    from graph.core.view import CoreGraph
    from graph.introductions import build_signals, suggest
    from ingest.store import read_dataset

    seconds, cpu = {}, {}

    def timed(label, work):
        start, start_cpu = time.perf_counter(), time.process_time()
        value = work()
        seconds[label] = round(time.perf_counter() - start, 2)
        cpu[label] = round(time.process_time() - start_cpu, 2)
        return value

    dataset = timed("dataset", lambda: read_dataset(store))
    G = timed("core", lambda: CoreGraph(core_from_store(store)))
    partition = timed("communities", lambda: core_communities(G.tie_core, seed=seed))
    sig = timed("signals", lambda: build_signals(G, dataset))
    result = timed("suggest_all", lambda: suggest(G, dataset=dataset, top=top, seed=seed,
                                                  partition=partition, signals=sig))
    return {"store": str(store), "organisations": len(G), "ties": G.number_of_edges(),
            "top": top, "suggestions": len(result),
            "organisations_with_suggestions": len({s.org for s in result}),
            "seconds": seconds, "cpu_seconds": cpu,
            "total_seconds": round(sum(seconds.values()), 2),
            "peak_gib": round(peak_rss_kib() / 2 ** 20, 2)}


def pairwise_baseline(G, orgs, weights, top: int = 10) -> dict:
    """Top ``top`` partners of each of ``orgs`` scored pair by pair in pure Python.

    Same structural and attribute signals as the model where they need only the graph
    (common neighbours, Adamic–Adar, resource allocation, preferential attachment, fields,
    wards, complementarity).

    >>> from graph.introductions import example_graph
    >>> pairwise_baseline(example_graph(), ["A"], {"common_neighbours": 1.0}, top=1)
    {'A': ['D']}
    """
    from graph.introductions import orientation_sign, ward_adjacency

    adjacent = ward_adjacency()
    neighbours = {u: set(G[u]) for u in G}
    degree = {u: len(neighbours[u]) for u in G}
    out = {}
    for u in orgs:
        du = G.nodes[u]
        scored = []
        for v in G:
            if v == u or v in neighbours[u]:
                continue
            dv = G.nodes[v]
            common = neighbours[u] & neighbours[v]
            values = {
                "common_neighbours": math.log1p(len(common)),
                "adamic_adar": sum(1 / math.log(degree[w]) for w in common if degree[w] > 1),
                "resource_allocation": sum(1 / degree[w] for w in common),
                "preferential_attachment": math.log1p(degree[u]) + math.log1p(degree[v]),
                "shared_fields": len(set(du.get("fields") or ()) & set(dv.get("fields") or ())),
                "same_ward": float(bool(du.get("ward")) and du.get("ward") == dv.get("ward")),
                "neighbouring_ward": float(frozenset((du.get("ward"), dv.get("ward"))) in adjacent),
                "complementary": float(orientation_sign(du) * orientation_sign(dv) < 0),
            }
            score = sum(weights.get(k, 0.0) * x for k, x in values.items())
            if score > 0:
                scored.append((-score, str(v)))
        scored.sort()
        out[u] = [v for _, v in scored[:top]]
    return out


def cmd_bench_suggest(args) -> int:
    """Run the benchmark; prints a table (or JSON)."""
    if args.store:
        run = store_run(args.store, top=args.top, seed=args.seed)
        if args.json:
            print(json.dumps(run, ensure_ascii=False))
            return 0
        print(f"{run['organisations']} organisations, {run['ties']} ties, top {args.top}")
        print(f"{'stage':<16}{'wall s':>10}{'CPU s':>10}")
        for key, value in run["seconds"].items():
            print(f"{key:<16}{value:>10.2f}{run['cpu_seconds'][key]:>10.2f}")
        print(f"total {run['total_seconds']} s, peak {run['peak_gib']} GiB; "
              f"{run['suggestions']} suggestions for {run['organisations_with_suggestions']} "
              "organisations")
        return 0
    from graph.build import tie_graph
    from graph.communities import louvain
    from graph.introductions import build_signals, calibrate_history, suggest
    from ingest.load import load_dataset

    times = {}
    path = args.dataset
    if path is None:
        from synth.generator import generate

        path = tempfile.mkdtemp(prefix="tsunagari-bench-suggest-")
        start = time.perf_counter()
        generate(path, scale=args.scale, seed=args.seed)
        times["synth"] = time.perf_counter() - start
    start = time.perf_counter()
    dataset = load_dataset(path)
    times["load"] = time.perf_counter() - start
    start = time.perf_counter()
    G = tie_graph(dataset)
    times["tie_graph"] = time.perf_counter() - start
    start = time.perf_counter()
    partition = louvain(G, seed=args.seed)
    times["louvain"] = time.perf_counter() - start
    start = time.perf_counter()
    sig = build_signals(G, dataset)
    times["signals"] = time.perf_counter() - start
    start = time.perf_counter()
    calibration = calibrate_history(dataset, seed=args.seed)
    times["calibrate"] = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    result = suggest(G, dataset=dataset, top=args.top, weights=calibration.weights,
                     partition=partition, signals=sig, seed=args.seed, goal="strengthen")
    times["suggest_all"] = time.perf_counter() - start
    times["suggest_all_cpu"] = time.process_time() - cpu
    start = time.perf_counter()
    bridge = suggest(G, dataset=dataset, top=args.top, weights=calibration.weights,
                     partition=partition, signals=sig, seed=args.seed, goal="bridge")
    times["suggest_all_bridge"] = time.perf_counter() - start

    rng = np.random.default_rng(args.seed)
    nodes = list(G)
    sample = [nodes[i] for i in rng.choice(len(nodes), size=min(args.sample, len(nodes)),
                                           replace=False)]
    start, cpu = time.perf_counter(), time.process_time()
    pairwise_baseline(G, sample, calibration.weights, top=args.top)
    per_org = (time.perf_counter() - start) / max(len(sample), 1)
    times["baseline_all_extrapolated"] = per_org * len(nodes)
    times["baseline_all_extrapolated_cpu"] = ((time.process_time() - cpu) / max(len(sample), 1)
                                              * len(nodes))
    n = G.number_of_nodes()
    report = {
        "scale": args.dataset or args.scale, "seed": args.seed,
        "organisations": n, "ties": G.number_of_edges(), "top": args.top,
        "suggestions": len(result), "bridge_suggestions": len(bridge),
        "organisations_with_suggestions": len({s.org for s in result}),
        "calibration": calibration.method,
        "seconds": {k: round(v, 2) for k, v in times.items()},
        "baseline_sample": len(sample),
        "speedup_vs_pairwise": round(times["baseline_all_extrapolated"] / times["suggest_all"], 1),
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    print(f"{n} organisations, {G.number_of_edges()} ties, top {args.top}; "
          f"weights: {calibration.method}")
    print(f"{'stage':<28}{'seconds':>10}")
    for key, value in times.items():
        print(f"{key:<28}{value:>10.2f}")
    print(f"suggestions: {len(result)} (strengthen), {len(bridge)} (bridge) for "
          f"{report['organisations_with_suggestions']} organisations")
    print(f"speed-up vs pair-by-pair baseline ({len(sample)} organisations timed, "
          f"extrapolated): ×{report['speedup_vs_pairwise']}")
    sys.stdout.flush()
    return 0
