"""`tsunagari bench ingest`: validate + ingest speed and memory against plain ``pandas.read_csv``.

Generates a participations-heavy dataset (``--rows`` participation rows, a tenth as many
organisations, a fiftieth as many events; a few references by name and era dates so the
slow paths are exercised) in a temporary folder, then times in two child processes, one
after the other:

* baseline: ``pandas.read_csv`` of every CSV file of the dataset, default arguments;
* store floor: DuckDB's own parallel CSV reader loading every file, all columns as text,
  into a new DuckDB file in one transaction: no normalising, no checks, no provenance. It
  is the least any ingest into a DuckDB store can cost, so it shows how far below the
  target the store's own work alone already is;
* validate: ``ingest.load.prepare`` (read, normalise, validate, resolve; no store);
* ingest: ``ingest.store.ingest_dataset`` (the same, then write a new DuckDB store in one
  transaction);
* stages: the ingest again, each stage (hash, read, check, aliases, references, duplicates,
  merge candidates, write) timed in place, to show where the time goes.

Each child reports its wall time (imports excluded) and its peak resident memory
(``cli.peak_memory.peak_rss_kib``: its own ``VmHWM``). The ratio ingest / baseline is the figure
of merit (target ≤ 3×, peak ≤ 2 GiB for 1,000,000 rows).

>>> import argparse
>>> parser = argparse.ArgumentParser(); sub = parser.add_subparsers()
>>> register(sub)
>>> parser.parse_args(["ingest", "--rows", "1000"]).rows
1000
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["register", "generate_dataset", "run_benchmark", "format_markdown"]

_KANA = list("あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわ")
_KINDS = ["neighbourhood_association", "citizen_group", "npo", "company", "council",
          "intermediary", "school", "religious"]
_WARDS = ["北区", "都島区", "福島区", "此花区", "中央区", "西区", "港区", "大正区", "天王寺区",
          "浪速区", "西淀川区", "淀川区", "東淀川区", "東成区", "生野区", "旭区", "城東区",
          "鶴見区", "阿倍野区", "住之江区", "住吉区", "東住吉区", "平野区", "西成区"]
_SUFFIX = ["会", "クラブ", "ネット", "の会", "協議会", "サークル"]

_BASELINE = """
import json, sys, time
from cli.peak_memory import peak_rss_kib
from pathlib import Path
import pandas as pd
folder = Path(sys.argv[1])
started, cpu = time.perf_counter(), time.process_time()
rows = sum(len(pd.read_csv(f)) for f in sorted(folder.glob("*.csv")))
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu, "rows": rows,
                  "peak_kib": peak_rss_kib()}))
"""

_FLOOR = """
import json, sys, time
from cli.peak_memory import peak_rss_kib
from pathlib import Path
import duckdb
folder, store = Path(sys.argv[1]), Path(sys.argv[2])
started, cpu = time.perf_counter(), time.process_time()
con = duckdb.connect(str(store))
con.execute("BEGIN TRANSACTION")
for f in sorted(folder.glob("*.csv")):
    con.execute(f"CREATE TABLE {f.stem} AS SELECT * FROM read_csv(?, all_varchar = true)", [str(f)])
rows = sum(con.execute(f"SELECT count(*) FROM {f.stem}").fetchone()[0] for f in folder.glob("*.csv"))
con.execute("COMMIT")
con.close()
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu, "rows": rows,
                  "peak_kib": peak_rss_kib()}))
"""

_VALIDATE = """
import json, sys, time
from cli.peak_memory import peak_rss_kib
from pathlib import Path
from ingest.load import prepare
folder = Path(sys.argv[1])
started, cpu = time.perf_counter(), time.process_time()
prepared = prepare(folder, show_progress=False)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu, "rows": sum(prepared.counts.values()),
                  "peak_kib": peak_rss_kib()}))
"""

_INGEST = """
import json, sys, time
from cli.peak_memory import peak_rss_kib
from pathlib import Path
import duckdb  # imported lazily by the store; imports are excluded from every timing
from ingest.store import ingest_dataset
folder, store = Path(sys.argv[1]), Path(sys.argv[2])
started, cpu = time.perf_counter(), time.process_time()
result = ingest_dataset(folder, store=store, show_progress=False)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu, "rows": sum(result.counts.values()),
                  "write_seconds": result.seconds, "candidates": len(result.candidates),
                  "peak_kib": peak_rss_kib()}))
"""

_STAGES = """
import functools, json, sys, time
from pathlib import Path
import duckdb
import ingest.load as load, ingest.store as store
folder, target, stages = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
spent = {}
def timed(module, name, label):
    inner = getattr(module, name)
    @functools.wraps(inner)
    def outer(*args, **kwargs):
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            total = spent.setdefault(label, [0.0, 0.0])
            total[0] += time.process_time() - cpu
            total[1] += time.perf_counter() - wall
    setattr(module, name, outer)
for module, name, label in stages:
    timed(load if module == "load" else store, name, label)
store.ingest_dataset(folder, store=target, show_progress=False)
print(json.dumps(spent))
"""
# (module, function, label) timed by the stages child, in pipeline order.
STAGES = (
    ("store", "dataset_hash", "content hash (SHA-256 of the files)"),
    ("load", "read_dataset_files", "read: decode, parse, NFKC/trim"),
    ("load", "check_tables", "type and check values"),
    ("load", "apply_aliases", "name index and alias merges"),
    ("load", "resolve_references", "resolve references (ids and names)"),
    ("load", "check_duplicates", "duplicate keys"),
    ("load", "merge_candidates", "merge candidates (rapidfuzz)"),
    ("store", "write_prepared", "DuckDB write (one transaction, close)"),
)


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


def _names(rng: np.random.Generator, count: int) -> np.ndarray:
    names: set[str] = set()
    out = []
    while len(out) < count:
        need = count - len(out)
        syllables = rng.integers(0, len(_KANA), size=(need, 6))
        suffixes = rng.integers(0, len(_SUFFIX), size=need)
        for row, suffix in zip(syllables, suffixes):
            name = "".join(_KANA[i] for i in row) + _SUFFIX[suffix]
            if name not in names:
                names.add(name)
                out.append(name)
    return np.array(out, dtype=object)


def generate_dataset(folder: str | Path, rows: int, *, seed: int = 0) -> dict[str, int]:
    """Write a synthetic participations-heavy dataset; returns the row count per file.

    ``rows`` participations (distinct event–organisation pairs), ``rows // 10``
    organisations (at least 10) and ``rows // 50`` events (more for tiny ``rows``, so that
    enough distinct pairs exist); 1% of participations name the organisation instead of its id
    and 10% of event dates are written as Japanese era dates.

    >>> import tempfile
    >>> generate_dataset(tempfile.mkdtemp(), 200)
    {'organizations.csv': 20, 'events.csv': 20, 'participations.csv': 200}
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n_orgs = max(rows // 10, 10)
    n_events = max(rows // 50, 5, -(-2 * rows // n_orgs))  # room for `rows` distinct pairs
    org_ids = np.array([f"S-O{i:07d}" for i in range(n_orgs)], dtype=object)
    names = _names(rng, n_orgs)
    pd.DataFrame({
        "id": org_ids, "name": names,
        "kind": np.array(_KINDS, dtype=object)[rng.integers(0, len(_KINDS), n_orgs)],
        "ward": np.array(_WARDS, dtype=object)[rng.integers(0, len(_WARDS), n_orgs)],
        "fields": np.array(["13;1", "3", "", "6;7", "2"], dtype=object)[
            rng.integers(0, 5, n_orgs)],
        "synthetic": "true",
    }).to_csv(folder / "organizations.csv", index=False)
    event_ids = np.array([f"S-E{i:06d}" for i in range(n_events)], dtype=object)
    days = pd.Timestamp("2014-04-01") + pd.to_timedelta(rng.integers(0, 2000, n_events), "D")
    dates = days.strftime("%Y-%m-%d").to_numpy(dtype=object)
    era = rng.random(n_events) < 0.1
    dates[era] = [f"令和{d.year - 2018 if d.year > 2019 else '元'}年{d.month}月{d.day}日"
                  if d >= pd.Timestamp("2019-05-01") else
                  f"平成{d.year - 1988}年{d.month}月{d.day}日" for d in days[era]]
    pd.DataFrame({
        "id": event_ids, "name": [f"交流会{i}" for i in range(n_events)], "date": dates,
        "ward": np.array(_WARDS, dtype=object)[rng.integers(0, len(_WARDS), n_events)],
        "attendance": rng.integers(5, 500, n_events), "synthetic": "true",
    }).to_csv(folder / "events.csv", index=False)
    population = n_events * n_orgs
    picks = np.unique(rng.integers(0, population, int(rows * 1.1) + 10))
    while len(picks) < rows:
        picks = np.union1d(picks, rng.integers(0, population, rows))
    picks = rng.permutation(picks)[:rows]
    org_ref = org_ids[picks % n_orgs].copy()
    by_name = rng.random(len(picks)) < 0.01
    org_ref[by_name] = names[(picks % n_orgs)[by_name]]
    pd.DataFrame({
        "event_id": event_ids[picks // n_orgs], "org_id": org_ref,
        "role": np.array(["参加", "出展", ""], dtype=object)[rng.integers(0, 3, len(picks))],
        "synthetic": "true",
    }).to_csv(folder / "participations.csv", index=False)
    return {"organizations.csv": n_orgs, "events.csv": n_events,
            "participations.csv": len(picks)}


def _line_count(path: Path) -> int:
    """Records in a CSV file without quoted newlines (the header line not counted)."""
    with path.open("rb") as handle:
        return max(sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 24), b""))
                   - 1, 0)


def _child(code: str, *args) -> dict:
    repo = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=repo,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_benchmark(rows: int, *, seed: int = 0, workdir: str | Path | None = None,
                  data: str | Path | None = None, stages: bool = True) -> dict:
    """Generate the data, time the baseline and the ingest; returns the figures.

    A benchmark run (child processes, seconds even at 300 rows), so not run as a doctest:
    ``tests/cli/test_bench_commands.py`` runs it (marked slow).

    >>> figures = run_benchmark(300)  # doctest: +SKIP
    >>> figures["participations"], figures["ingest"]["rows"]  # doctest: +SKIP
    (300, 350)
    """
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="tsunagari-bench-") as tmp:
        if data is not None:
            folder = Path(data)
            counts = {f.name: _line_count(f) for f in folder.glob("*.csv")}
        else:
            folder = Path(workdir) if workdir else Path(tmp) / "data"
            counts = generate_dataset(folder, rows, seed=seed)
        size = sum(f.stat().st_size for f in folder.glob("*.csv"))
        baseline = _child(_BASELINE, folder)
        floor = _child(_FLOOR, folder, Path(tmp) / "floor.duckdb")
        (Path(tmp) / "floor.duckdb").unlink()
        validate = _child(_VALIDATE, folder)
        store = Path(tmp) / "bench.duckdb"
        ingest = _child(_INGEST, folder, store)
        store.unlink()
        spent = (_child(_STAGES, folder, Path(tmp) / "stages.duckdb", json.dumps(STAGES))
                 if stages else {})
    return {"participations": counts.get("participations.csv", 0),
            "organizations": counts.get("organizations.csv", 0),
            "events": counts.get("events.csv", 0), "data": str(data or ""),
            "load": [load_before, os.getloadavg()],
            "bytes": size, "baseline": baseline, "floor": floor, "validate": validate,
            "ingest": ingest, "stages": spent,
            "ratio": ingest["seconds"] / baseline["seconds"],
            "validate_ratio": validate["seconds"] / baseline["seconds"],
            "machine": f"{platform.machine()}, Python {platform.python_version()}, "
                       f"pandas {pd.__version__}"}


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
            Path(args.write).parent.mkdir(parents=True, exist_ok=True)
            Path(args.write).write_text(text, encoding="utf-8")
            print(f"written to {args.write}")
        return 0
    figures = run_benchmark(args.rows, seed=args.seed, workdir=args.workdir)
    text = format_markdown(figures)
    print(text)
    if args.write:
        Path(args.write).parent.mkdir(parents=True, exist_ok=True)
        Path(args.write).write_text(text, encoding="utf-8")
        print(f"written to {args.write}")
    return 0
