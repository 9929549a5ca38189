"""One SparkSession (local[2]) for the agreement suite, and the published graphs as records.

Without Java or pyspark the suite is skipped; under CI (``CI`` set) that is a failure, as
for the browser tests: ``make test`` installs both first (scripts/ensure_java.sh, the test
extras).
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[2]
DAVIS_DIR = ROOT / "tests" / "fixtures" / "davis"
OSAKA_DIR = ROOT / "data" / "osaka" / "real"
SOURCE = {"K": "Zachary (1977) karate club, via networkx karate_club_graph",
          "F": "Padgett (1993) Florentine families, via networkx florentine_families_graph",
          "L": "Knuth (1993) Les Misérables co-appearances, via networkx les_miserables_graph"}


def _need_spark():
    """Skip (or fail under CI) when the engine cannot start here."""
    from graph.spark.session import java_available

    problem = None
    try:
        import pyspark  # noqa: F401
    except ImportError:
        problem = "pyspark missing: pip install 'tsunagari[spark]' (make test does)"
    if problem is None and not java_available():
        problem = "java missing: run scripts/ensure_java.sh (make test does)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)


@pytest.fixture(scope="session")
def spark():
    """The suite's one SparkSession on local[2]."""
    _need_spark()
    from graph.spark.session import spark_session

    session = spark_session("local[2]", app_name="tsunagari tests", config={
        "spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2"})
    yield session
    session.stop()


def _write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def published_records(folder: Path) -> Path:
    """Karate, Florentine and Les Misérables as collaborations (one per tie, Les Misérables
    one per co-appearance so weights are the counts) and Davis as events, in one record-format
    folder; ids are prefixed K-, F-, L- and D (Davis' own ids)."""
    graphs = {"K": nx.karate_club_graph(), "F": nx.florentine_families_graph(),
              "L": nx.les_miserables_graph()}
    orgs, collabs = [], []
    for prefix, G in graphs.items():
        for node in G:
            orgs.append([f"{prefix}-{node}", f"{prefix} {node}", "citizen_group", SOURCE[prefix]])
        for i, (u, v, w) in enumerate(G.edges(data="weight", default=1)):
            for k in range(int(w) if prefix == "L" else 1):
                collabs.append([f"{prefix}-C{i}-{k}", f"tie {i}", f"{prefix}-{u};{prefix}-{v}",
                                SOURCE[prefix]])
    with (DAVIS_DIR / "organizations.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            orgs.append([row["id"], row["name"], row["kind"], row["source"]])
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "organizations.csv", ["id", "name", "kind", "source"], orgs)
    _write(folder / "collaborations.csv", ["id", "title", "org_ids", "source"], collabs)
    for name in ("events.csv", "participations.csv"):
        shutil.copy(DAVIS_DIR / name, folder / name)
    return folder


@pytest.fixture(scope="session")
def published_dataset(tmp_path_factory):
    """The four published graphs, loaded through the record format (ingest.load)."""
    from ingest.load import load_dataset

    return load_dataset(published_records(tmp_path_factory.mktemp("published")))


@pytest.fixture(scope="session")
def osaka_dataset():
    """The bundled Osaka ward records."""
    from ingest.load import load_dataset

    return load_dataset(OSAKA_DIR)


@pytest.fixture(scope="session")
def union_dataset(published_dataset, osaka_dataset):
    """The published graphs and the Osaka ward side by side (ids do not collide): one Spark
    run covers them all."""
    import pandas as pd

    from ingest.schemas import TABLES, Dataset

    frames = {}
    for name in TABLES:
        parts = [d.table(name) for d in (osaka_dataset, published_dataset)]
        parts = [p for p in parts if len(p)]
        if parts:
            frames[name] = pd.concat(parts, ignore_index=True)
    return Dataset(frames, city=osaka_dataset.city)
