"""`tsunagari bench synth`: time and peak memory of the synthetic generator, per scale.

Each measurement runs in its own child process (``python -c``), which reports its own peak
resident set size (``cli.peak_memory.peak_rss_kib``: ``VmHWM``, not the ``ru_maxrss`` a
child inherits from its parent). The baseline, measured in the same run, is
a child that only imports the generator: the ratios (time and memory over the baseline, and
nation over city) show what generating costs and that the nation scale, written
municipality by municipality, needs about the memory of one city.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="tsunagari"); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["synth", "--scale", "city", "--fraction", "0.1"])
>>> args.scales, args.fraction
(['city'], 0.1)
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cli.common import write_report

__all__ = ["register", "cmd_bench_synth", "measure", "render_markdown"]

_CHILD = """
import json, sys, time
from cli.peak_memory import peak_rss_kib
t0 = time.perf_counter()
from synth.generator import generate
t1 = time.perf_counter()
spec = json.loads(sys.argv[1])
counts = {}
if spec["scale"] != "import":
    counts = generate(spec["out"], scale=spec["scale"], seed=spec["seed"], first_fy=spec["first"],
                      last_fy=spec["last"], fraction=spec["fraction"], count_ties=True)
print(json.dumps({"import_s": t1 - t0, "generate_s": time.perf_counter() - t1, "counts": counts,
                  "peak_kib": peak_rss_kib()}))
"""


def register(bench_sub) -> None:
    """Add ``bench synth``."""
    p = bench_sub.add_parser("synth", help="time and peak memory of `tsunagari synth` per scale")
    p.add_argument("--scale", dest="scales", action="append", choices=("ward", "city", "nation"),
                   help="scale to measure (repeatable; default ward, city and nation)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--from", dest="first", type=int, default=2014, metavar="FY")
    p.add_argument("--to", dest="last", type=int, default=2024, metavar="FY")
    p.add_argument("--fraction", type=float, default=1.0,
                   help="nation: generate this fraction of the 90 municipalities and extrapolate")
    p.add_argument("--write", metavar="FILE.md", nargs="?", const="docs/benchmarks/synth.md",
                   help="write the figures as Markdown (default docs/benchmarks/synth.md)")
    p.add_argument("--keep", metavar="DIR", help="keep the generated folders under DIR")
    p.set_defaults(func=cmd_bench_synth)


def measure(scale: str, *, seed: int = 0, first: int = 2014, last: int = 2024,
            fraction: float = 1.0, out: str | None = None) -> dict:
    """Run one generation in a child process; wall time, peak RSS (MiB), counts, bytes.

    ``scale="import"`` measures the baseline (interpreter and imports only).

    >>> m = measure("import")
    >>> m["peak_rss_mib"] > 10 and m["counts"] == {}
    True
    """
    spec = {"scale": scale, "seed": seed, "first": first, "last": last, "fraction": fraction,
            "out": out or ""}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, json.dumps(spec)],
                            stdout=subprocess.PIPE, cwd=str(Path(__file__).resolve().parents[1]))
    stdout = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"bench child for {scale} failed with status {proc.returncode}")
    result = json.loads(stdout.decode().strip().splitlines()[-1])
    size = sum(p.stat().st_size for p in Path(out).iterdir()) if out else 0
    return {"scale": scale, "fraction": fraction, "wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "generate_s": result["generate_s"], "peak_rss_mib": result["peak_kib"] / 1024,
            "bytes": size, "counts": result["counts"]}


def _row(m: dict, base: dict) -> dict:
    c = m["counts"]
    f = m["fraction"] if m["scale"] == "nation" else 1.0
    return {
        "scale": m["scale"] + (f" (×{f:g}, extrapolated to 1)" if f < 1 else ""),
        "organisations": c["organizations"] / f, "ties": c["org_ties"] / f,
        "participations": c["participations"] / f, "collaborations": c["collaborations"] / f,
        "generate_s": m["generate_s"] / f, "cpu_s": max(m["cpu_s"] - base.get("cpu_s", 0.0), 0.0) / f,
        "peak_rss_mib": m["peak_rss_mib"], "rss_over_baseline": m["peak_rss_mib"] / base["peak_rss_mib"],
        "disk_mib": m["bytes"] / 2**20 / f, "orgs_per_s": c["organizations"] / m["generate_s"],
    }


def render_markdown(rows: list[dict], base: dict, meta: dict) -> str:
    """The figures as a Markdown section for ``docs/benchmarks/synth.md``.

    >>> base = {"peak_rss_mib": 100.0, "wall_s": 1.0, "cpu_s": 0.5}
    >>> row = {"scale": "ward", "organisations": 500, "ties": 9000, "participations": 3000,
    ...        "collaborations": 300, "generate_s": 0.5, "cpu_s": 1.2, "peak_rss_mib": 150.0,
    ...        "rss_over_baseline": 1.5, "disk_mib": 1.0, "orgs_per_s": 1000.0}
    >>> "| ward |" in render_markdown([row], base, {"seed": 0})
    True
    """
    lines = [
        "# Benchmark: synthetic generator (`tsunagari bench synth`)",
        "",
        f"Measured {meta.get('when', '')} on {meta.get('machine', '')}; seed {meta.get('seed')}, "
        f"FY{meta.get('first')}–FY{meta.get('last')}. Each scale ran in its own child process; "
        "peak RSS is that process's own high-water mark (`VmHWM`). Baseline (same run): a child that only imports "
        f"the generator, {base['peak_rss_mib']:.0f} MiB, {base['wall_s']:.1f} s. Ties = distinct "
        "org–org pairs tied by co-membership, co-participation, collaboration or a shared talent. "
        "On a shared machine the wall time (generate) grows with the load; CPU time does not.",
        "",
        "| scale | organisations | ties | participations | collaborations | generate (s) | CPU beyond imports (s) "
        "| peak RSS (MiB) | RSS / baseline | CSV on disk (MiB) | organisations / s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['scale']} | {r['organisations']:,.0f} | {r['ties']:,.0f} | {r['participations']:,.0f} "
            f"| {r['collaborations']:,.0f} | {r['generate_s']:.1f} | {r['cpu_s']:.1f} "
            f"| {r['peak_rss_mib']:.0f} | {r['rss_over_baseline']:.2f} | {r['disk_mib']:.1f} "
            f"| {r['orgs_per_s']:,.0f} |")
    by = {r["scale"].split(" ")[0]: r for r in rows}
    if "city" in by and "nation" in by:
        lines += ["", f"Nation / city: {by['nation']['organisations'] / by['city']['organisations']:.0f}× "
                      f"the organisations for {by['nation']['peak_rss_mib'] / by['city']['peak_rss_mib']:.2f}× "
                      "the peak memory (municipalities are generated and written one at a time)."]
    if meta.get("note"):
        lines += ["", meta["note"]]
    return "\n".join(lines) + "\n"


def cmd_bench_synth(args) -> int:
    """Run the benchmark; print the table; optionally write it as Markdown."""
    scales = args.scales or ["ward", "city", "nation"]
    keep = Path(args.keep) if args.keep else None
    tmp = Path(tempfile.mkdtemp(prefix="tsunagari-bench-synth-"))
    try:
        base = measure("import")
        print(f"baseline (imports only): {base['wall_s']:.1f} s, {base['peak_rss_mib']:.0f} MiB", flush=True)
        rows = []
        for scale in scales:
            out = (keep or tmp) / f"{scale}-seed{args.seed}"
            if out.exists():
                shutil.rmtree(out)
            fraction = args.fraction if scale == "nation" else 1.0
            m = measure(scale, seed=args.seed, first=args.first, last=args.last,
                        fraction=fraction, out=str(out))
            row = _row(m, base)
            rows.append(row)
            print(f"{row['scale']}: {row['organisations']:,.0f} organisations, {row['ties']:,.0f} ties, "
                  f"{row['generate_s']:.1f} s, peak {row['peak_rss_mib']:.0f} MiB "
                  f"({row['rss_over_baseline']:.2f}× baseline)", flush=True)
            if keep is None:
                shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    meta = {"seed": args.seed, "first": args.first, "last": args.last,
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs (shared), Python {platform.python_version()}, "
                       f"load average {os.getloadavg()[0]:.1f} at the end"}
    if any(r["scale"].startswith("nation (") for r in rows):
        meta["note"] = (f"The nation row generated {args.fraction:g} of the 90 municipalities; its counts, "
                        "times and disk size are divided by that fraction (each municipality is "
                        "generated independently, so they scale linearly); its peak RSS is as measured.")
    text = render_markdown(rows, base, meta)
    print(text)
    if args.write:
        write_report(args.write, text)
        print(f"written to {args.write}")
    return 0
