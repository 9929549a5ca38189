"""`tsunagari bench spark`: the Spark engine in local mode beside the single-machine analysis.

For each size (default the synthetic nation at 1/10 and whole: ``synth --scale nation
[--fraction 0.1]``, generated once into ``--workdir``), in separate child processes of the
same run:

1. ``export``: ``ingest.load.load_dataset`` then the Parquet export (timed);
2. ``local``: ``load_dataset`` then ``graph.analysis.analyze`` (the baseline), with its stage
   timings;
3. ``spark``: a SparkSession on ``--master`` (default ``local[2]``) then
   ``graph.spark.analyze.analyze_spark`` over the export, with its stage timings and the
   modularity of Leiden and of label propagation.

Each child reports its wall and CPU seconds and its own peak resident memory (``VmHWM``);
the Spark child adds the JVM's peak and CPU seconds. A child still running after ``--timeout`` seconds is stopped
and reported as such, with the last stage it reached. ``--write FILE.md`` writes the figures
and the crossover estimate (:func:`crossover`) as Markdown (``docs/benchmarks/spark.md``),
and the raw figures beside it as JSON.

>>> import argparse
>>> parser = argparse.ArgumentParser(); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["spark", "--fractions", "0.1"])
>>> args.fractions, args.master, args.timeout
([0.1], 'local[2]', 3600.0)
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from cli.common import load_average, write_report

__all__ = ["register", "run_child", "crossover", "format_markdown"]

_PRELUDE = r"""
import json, sys, time
from cli.peak_memory import peak_rss_kib
out = {}
def report(**values):
    out.update(values)
    print("STAGE " + json.dumps(values), flush=True)
def timed(name, fn):
    t, c = time.perf_counter(), time.process_time()
    value = fn()
    report(**{name + "_seconds": time.perf_counter() - t, name + "_cpu": time.process_time() - c})
    return value
from ingest.load import load_dataset
"""

_CHILDREN = {
    "export": _PRELUDE + r"""
from graph.spark.parquet import write_parquet
folder, target = sys.argv[1], sys.argv[2]
ds = timed("load", lambda: load_dataset(folder, show_progress=False))
report(records={name: int(len(frame)) for name, frame in ds.tables.items()})
timed("export", lambda: write_parquet(ds, target))
report(peak_mib=peak_rss_kib() / 1024)
""",
    "local": _PRELUDE + r"""
from graph.analysis import analyze
folder = sys.argv[1]
ds = timed("load", lambda: load_dataset(folder, show_progress=False))
result = timed("analyze", lambda: analyze(ds, seed=0))
s = result.summary
report(timings=s["timings"], organisations=s["organisations"], ties=s["ties"],
       modularity=s["modularity"], communities=s["communities"], components=s["components"],
       peak_mib=peak_rss_kib() / 1024)
""",
    "spark": _PRELUDE + r"""
from graph.spark.session import spark_session
from graph.spark.analyze import analyze_spark
parquet, master, work = sys.argv[1], sys.argv[2], sys.argv[3]
spark = timed("session", lambda: spark_session(master, config={
    "spark.driver.memory": sys.argv[4]}))
class Stages:
    def set_stage(self, name):
        report(stage=name, at=time.perf_counter())
result = timed("analyze", lambda: analyze_spark(spark, parquet, work_dir=work,
                                                progress=Stages()))
s = result.summary
def jvm_peak_mib():
    pid = spark.sparkContext._gateway.proc.pid
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
def jvm_cpu_seconds():
    import os
    try:
        fields = open(f"/proc/{spark.sparkContext._gateway.proc.pid}/stat").read().split()
        return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None
report(timings=s["timings"], organisations=s["organisations"], ties=s["ties"],
       modularity=s["modularity"], modularity_by_method=s["modularity_by_method"],
       communities=s["communities"], components=s["components"],
       graph_library=s["engine"]["graph_library"], peak_mib=peak_rss_kib() / 1024,
       jvm_peak_mib=jvm_peak_mib(), jvm_cpu_seconds=jvm_cpu_seconds())
""",
}


def register(bench_sub) -> None:
    """Add `bench spark` to the bench subcommands."""
    p = bench_sub.add_parser("spark", help="Spark engine (local mode) vs single machine")
    p.add_argument("--fractions", type=float, nargs="+", default=[0.1, 1.0],
                   help="sizes as fractions of the synthetic nation (default 0.1 1.0)")
    p.add_argument("--seed", type=int, default=0, help="synthetic data seed (default 0)")
    p.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    p.add_argument("--driver-memory", default="6g", help="spark.driver.memory (default 6g)")
    p.add_argument("--timeout", type=float, default=3600.0,
                   help="seconds before a child is stopped (default 3600)")
    p.add_argument("--workdir", metavar="DIR", help="keep / reuse generated data here")
    p.add_argument("--write", metavar="FILE.md", help="also write the figures as Markdown")
    p.set_defaults(func=_cmd)


def run_child(kind: str, argv: list[str], *, timeout: float) -> dict:
    """Run one child (``export``, ``local`` or ``spark``); its figures, or how far it got.

    The result has ``wall_seconds``, ``finished`` (False when stopped at ``timeout`` or
    failed) and, when not finished, ``last_stage`` and ``error``.
    """
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _CHILDREN[kind], *argv], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
        finished = proc.returncode == 0
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        finished = False
    figures: dict = {"wall_seconds": time.perf_counter() - started, "finished": finished}
    stages = []
    for line in stdout.splitlines():
        if line.startswith("STAGE "):
            values = json.loads(line[6:])
            figures.update(values)
            if "stage" in values:
                stages.append(values)
    if stages:
        figures["last_stage"] = stages[-1]["stage"]
    if not finished:
        figures["error"] = ("stopped after the timeout" if proc.returncode in (-9, None)
                            else stderr.strip().splitlines()[-1:] or ["failed"])
    return figures


def _records(counts: dict) -> int:
    return int(sum(v for k, v in counts.items() if k != "figures"))


def crossover(small: dict, large: dict, *, executors=(4, 16, 64)) -> list[dict]:
    """Where Spark on ``E`` executors (2 cores each, as local[2]) should beat one machine.

    From two sizes (records R, seconds T) of each engine, fit T = F + c·R; a cluster of E
    executors divides the Spark slope: T_spark(E) = F_s + c_s·R / E. The crossover is
    R* = (F_s − F_l) / (c_l − c_s / E) when positive (else Spark never wins at that E).

    >>> small = {"records": 1e5, "local": 10.0, "spark": 100.0}
    >>> large = {"records": 1e6, "local": 100.0, "spark": 400.0}
    >>> [round(row["records"]) for row in crossover(small, large, executors=(4, 16))]
    [4000000, 842105]
    """
    dr = large["records"] - small["records"]
    c_l = (large["local"] - small["local"]) / dr
    c_s = (large["spark"] - small["spark"]) / dr
    f_l = small["local"] - c_l * small["records"]
    f_s = small["spark"] - c_s * small["records"]
    rows = []
    for e in executors:
        gain = c_l - c_s / e
        records = (f_s - f_l) / gain if gain > 0 else None
        rows.append({"executors": e, "records": records if records is None or records > 0
                     else 0.0, "records_per_executor": None if records is None
                     else max(records, 0.0) / e, "local_per_record": c_l,
                     "spark_per_record": c_s, "local_fixed": f_l, "spark_fixed": f_s})
    return rows


def _fmt(value, digits=1):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def format_markdown(runs: list[dict], *, meta: dict) -> str:
    """The figures as Markdown: one row per size and engine, stages, the crossover."""
    lines = ["# Benchmark: the Spark engine in local mode (`tsunagari bench spark`)", "",
             f"Measured {meta['when']} on {meta['machine']}, Python {meta['python']}, master "
             f"`{meta['master']}`, driver memory {meta['driver_memory']}; load average "
             f"{meta['load_before']} before, {meta['load_after']} after (1 / 5 / 15 min; the "
             "machine is shared by several engineers, so wall times include waiting for a "
             "core). Each engine ran in its own child process, the single-machine "
             "`analyze` as the same-run baseline. Peak memory is each process's own "
             "`VmHWM`; the Spark row adds the JVM's.", "",
             "| size | records | organisations | ties | engine | finished | wall (s) | "
             "analysis (s) | analysis / local | CPU s (python + JVM) | "
             "peak MiB (python + JVM) | communities | modularity |",
             "|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for run in runs:
        local = run.get("local", {})
        for engine in ("export", "local", "spark"):
            r = run.get(engine)
            if not r:
                continue
            analysis = r.get("analyze_seconds", r.get("export_seconds"))
            ratio = (analysis / local["analyze_seconds"]
                     if engine == "spark" and analysis and local.get("analyze_seconds")
                     else None)
            peak = _fmt(r.get("peak_mib"), 0) + (
                f" + {_fmt(r.get('jvm_peak_mib'), 0)}" if engine == "spark" else "")
            cpu = _fmt(r.get("analyze_cpu", r.get("export_cpu"))) + (
                f" + {_fmt(r.get('jvm_cpu_seconds'))}" if engine == "spark" else "")
            lines.append(
                f"| {run['label']} | {_fmt(run.get('records'))} | "
                f"{_fmt(r.get('organisations'))} | {_fmt(r.get('ties'))} | {engine} | "
                f"{'yes' if r.get('finished') else 'no: ' + str(r.get('error'))} | "
                f"{_fmt(r.get('wall_seconds'))} | {_fmt(analysis)} | "
                f"{_fmt(ratio, 2) if ratio else '—'} | {cpu} | {peak} | "
                f"{_fmt(r.get('communities'))} | {_fmt(r.get('modularity'), 3)} |")
    lines += ["", "Spark stage timings (s):", ""]
    for run in runs:
        spark = run.get("spark", {})
        if spark.get("timings"):
            lines.append(f"* {run['label']}: " + ", ".join(
                f"{k} {v:.1f}" for k, v in spark["timings"].items())
                + f"; modularity Leiden {_fmt(spark['modularity_by_method'].get('leiden'), 3)}"
                f", label propagation {_fmt(spark['modularity_by_method'].get('lpa'), 3)}")
        elif spark:
            lines.append(f"* {run['label']}: not finished; last stage reached: "
                         f"{spark.get('last_stage', 'session start')}")
        local = run.get("local", {})
        if local.get("timings"):
            lines.append("  local: " + ", ".join(f"{k} {v:.1f}"
                                                   for k, v in local["timings"].items()))
    if meta.get("crossover"):
        lines += ["", "Crossover estimate (linear fit T = F + c·R of both engines over the two "
                  "sizes; a cluster of E executors with 2 cores each divides Spark's per-record "
                  "cost by E):", "",
                  "| executors | records at crossover | records per executor |",
                  "|---:|---:|---:|"]
        for row in meta["crossover"]:
            lines.append(f"| {row['executors']} | {_fmt(row['records'], 0)} | "
                         f"{_fmt(row['records_per_executor'], 0)} |")
    if meta.get("notes"):
        lines += [""] + meta["notes"]
    return "\n".join(lines) + "\n"


def _cmd(args) -> int:
    import tempfile

    from synth.generator import generate

    work = Path(args.workdir or tempfile.mkdtemp(prefix="tsunagari-bench-spark-"))
    work.mkdir(parents=True, exist_ok=True)
    load_before = load_average()
    runs = []
    for fraction in args.fractions:
        label = "nation" if fraction >= 1 else f"nation × {fraction:g}"
        folder = work / f"nation-{fraction:g}"
        if not (folder / "organizations.csv").exists():
            print(f"generating {label} in {folder} …", file=sys.stderr)
            generate(folder, scale="nation", seed=args.seed, fraction=fraction)
        parquet = work / f"nation-{fraction:g}.parquet"
        run = {"label": label, "fraction": fraction}
        for kind, argv in (("export", [str(folder), str(parquet)]),
                           ("local", [str(folder)]),
                           ("spark", [str(parquet), args.master, str(work / f"spark-{fraction:g}"),
                                      args.driver_memory])):
            if kind == "spark" and not run["export"].get("finished"):
                continue
            print(f"{label}: {kind} …", file=sys.stderr)
            run[kind] = run_child(kind, argv, timeout=args.timeout)
            print(f"  {json.dumps(run[kind], default=str)[:400]}", file=sys.stderr)
        run["records"] = _records(run["export"].get("records", {}))
        runs.append(run)
    meta = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
            "python": platform.python_version(), "master": args.master,
            "driver_memory": args.driver_memory, "load_before": load_before,
            "load_after": load_average()}
    done = [r for r in runs if r.get("local", {}).get("finished")
            and r.get("spark", {}).get("finished")]
    if len(done) >= 2:
        meta["crossover"] = crossover(
            *({"records": r["records"], "local": r["local"]["analyze_seconds"],
               "spark": r["spark"]["analyze_seconds"]} for r in done[:2]))
    text = format_markdown(runs, meta=meta)
    print(text)
    if args.write:
        write_report(args.write, text)
        Path(args.write).with_suffix(".json").write_text(
            json.dumps({"meta": meta, "runs": runs}, indent=2, default=str), encoding="utf-8")
    return 0
