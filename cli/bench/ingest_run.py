"""The run of `tsunagari bench ingest`: the data it generates and the processes it times.

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

__all__ = ["STAGES", "generate_dataset", "run_benchmark"]

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
import ingest.load as load, ingest.store.writing as store
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
