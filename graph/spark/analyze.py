"""``analyze`` on Spark: from a Parquet export to nodes, communities, isolated, gaps, summary.

Stages (``summary["timings"]``): ``read`` the export, ``ties`` (Spark SQL, written to the work
folder), ``vertices`` (organisation ids numbered for the engine), ``degrees``, ``engine``
(components, PageRank, label propagation: :mod:`graph.spark.algorithms`), ``communities``,
``roles``, ``isolated``, ``gaps``, ``collect`` (the per-organisation table to the driver).

Communities: ``community_method="leiden"`` collects the tie table (``src, dst, weight``:
ties, not records) to the driver and runs igraph's Leiden for modularity; ``"lpa"`` uses the
engine's label propagation. ``"auto"`` (default) is Leiden while the tie table has at most
``driver_max_ties`` rows, else label propagation: Leiden finds markedly better communities
(label propagation is unweighted and synchronous in GraphX, and oscillates on near-bipartite
parts), and a tie table of tens of millions of rows still fits a driver. Both modularities
are recorded in ``summary["modularity_by_method"]`` whichever is used.

Examples
--------
>>> SparkAnalysis.__dataclass_fields__.keys() >= {"nodes", "summary"}
True
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from graph.errors import GraphError
from graph.findings import ISOLATION_KINDS, isolation_cutoff
from graph.measures import SECTOR_LABELS_JA
from graph.spark import algorithms, measures
from graph.spark.isolation import isolated_table, isolation_flags
from graph.spark.ties import last_day, read_tables, scope, tie_table
from ingest.schemas import WARDS

__all__ = ["SparkAnalysis", "SPARK_STAGES", "COMMUNITY_METHODS", "analyze_spark"]

SPARK_STAGES = ("read", "ties", "vertices", "degrees", "engine", "communities", "roles",
                "isolated", "gaps", "collect")
COMMUNITY_METHODS = ("auto", "leiden", "lpa")


@dataclass(frozen=True)
class SparkAnalysis:
    """What :func:`analyze_spark` found, collected to the driver as pandas frames.

    Attributes
    ----------
    nodes : pandas.DataFrame
        Per organisation (index ``id``): ``name, kind, ward, community, degree, strength,
        pagerank, component, component_size, lpa_community, within_module_z,
        participation_coefficient, role, isolated_reason, last_activity``.
    communities : pandas.DataFrame
        Per community (index ``community``): ``size, label, ward, ward_share, ties_inside,
        mean_degree, isolated``.
    isolated : pandas.DataFrame
        Organisations with a reason (index ``id``): ``name, kind, ward, degree,
        component_size, role, last_activity, reason, reasons``.
    gaps : dict of str to pandas.DataFrame
        ``ward_sector``: ``ward, sector, sector_ja, observed, expected, difference, ratio``.
    ties : pandas.DataFrame or None
        The tie table when it was collected for Leiden (``graph.spark.ties.tie_table``'s
        columns plus the engine's vertex ids ``src, dst``), else None.
    summary : dict
        JSON-ready counts, modularity, engine, parameters and per-stage timings.
    """

    nodes: pd.DataFrame = field(repr=False)
    communities: pd.DataFrame = field(repr=False)
    isolated: pd.DataFrame = field(repr=False)
    gaps: Mapping[str, pd.DataFrame] = field(repr=False)
    ties: Any = field(repr=False)
    summary: Mapping[str, Any] = field(default_factory=dict)


def _reference(as_of, fiscal_year, latest) -> dt.date | None:
    return last_day(as_of, fiscal_year) or latest


def _ward_sector_frame(cells: pd.DataFrame) -> pd.DataFrame:
    ward_rank = {w: i for i, w in enumerate(WARDS)}
    sector_rank = {s: i for i, s in enumerate(SECTOR_LABELS_JA)}
    frame = cells.copy()
    frame.insert(2, "sector_ja", frame["sector"].map(SECTOR_LABELS_JA))
    frame["difference"] = frame["observed"] - frame["expected"]
    expected = frame["expected"].where(frame["expected"] > 0)
    frame["ratio"] = frame["observed"] / expected
    frame["_w"] = frame["ward"].map(lambda w: (ward_rank.get(w, len(ward_rank)), str(w)))
    frame["_s"] = frame["sector"].map(lambda s: (sector_rank.get(s, len(sector_rank)), str(s)))
    frame = frame.sort_values(["difference", "_w", "_s"], kind="stable")
    return frame.drop(columns=["_w", "_s"]).reset_index(drop=True)


def analyze_spark(spark, parquet_dir, *, as_of=None, fiscal_year=None, wards=None,
                  real_only: bool = False, weights: Mapping[str, float] | None = None,
                  seed: int = 0, resolution: float = 1.0, inactive_years: int = 2,
                  community_method: str = "auto", driver_max_ties: int = 20_000_000,
                  pagerank_iterations: int = 100, lpa_steps: int = 10,
                  work_dir: str | None = None, progress=None) -> SparkAnalysis:
    """Run the analysis of a Parquet export on ``spark`` (see the module notes).

    Parameters
    ----------
    spark : SparkSession
        From :func:`graph.spark.session.spark_session` (any master).
    parquet_dir : path-like or URL
        A ``tsunagari export --format parquet`` folder.
    as_of, fiscal_year, wards, real_only, weights
        Scope and tie weights, as ``graph.analysis.analyze``.
    seed, resolution : int, float
        Leiden's seed and resolution.
    inactive_years : int
        As ``graph.findings.isolated``.
    community_method : {"auto", "leiden", "lpa"}
    driver_max_ties : int
        Largest tie table ``"auto"`` collects for Leiden.
    pagerank_iterations, lpa_steps : int
        Engine iterations (GraphX ``staticPageRank``, ``LabelPropagation``). ``lpa_steps=0``
        skips label propagation (communities must then be ``"leiden"``): at the nation's
        31 M ties its supersteps are the slowest stage in local mode (docs/benchmarks/spark.md);
        ``lpa_community`` and ``modularity_by_method["lpa"]`` are then missing.
    work_dir : str, optional
        Folder for intermediate files (edge list, engine results); a cluster needs one on
        a shared file system. Default: a new local temporary folder.
    progress : graph.spark.session.StageProgress, optional
        Told the name of each stage.

    Returns
    -------
    SparkAnalysis

    Raises
    ------
    GraphError
        For a bad parameter, scope or export folder.
    """
    from pyspark.sql import functions as F

    if community_method not in COMMUNITY_METHODS:
        raise GraphError(f"community_method: expected one of {', '.join(COMMUNITY_METHODS)}, "
                         f"got {community_method!r}")
    if resolution <= 0:
        raise GraphError(f"resolution must be positive, got {resolution}")
    if inactive_years < 1:
        raise GraphError(f"inactive_years must be at least 1, got {inactive_years}")
    if lpa_steps < 0 or (lpa_steps == 0 and community_method != "leiden"):
        raise GraphError(f"lpa_steps: expected at least 1 (0 only with leiden communities), "
                         f"got {lpa_steps}")
    work = (work_dir or tempfile.mkdtemp(prefix="tsunagari-spark-")).rstrip("/")
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def stage(name: str) -> None:
        if progress is not None:
            progress.set_stage(name)
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 3)
        clock[0] = now

    tables = read_tables(spark, str(parquet_dir))
    scoped = scope(tables, as_of=as_of, fiscal_year=fiscal_year, wards=wards,
                   real_only=real_only)
    stage("read")
    tie_table(scoped, weights).write.mode("overwrite").parquet(f"{work}/ties")
    ties = spark.read.parquet(f"{work}/ties")
    stage("ties")
    orgs = scoped["organizations"].select(  # empty text reads as missing, as in tie_graph
        "id", *[F.when(F.col(c) != "", F.col(c)).alias(c) for c in ("name", "kind", "ward")],
        "synthetic")
    orgs.withColumn("vid", F.monotonically_increasing_id()).write.mode("overwrite").parquet(
        f"{work}/vertices")
    vertices = spark.read.parquet(f"{work}/vertices")
    ids = vertices.select("vid", "id")
    edges = (ties.join(ids.withColumnRenamed("vid", "src"), ties["u"] == F.col("id"))
             .drop("id").join(ids.withColumnRenamed("vid", "dst"), F.col("v") == F.col("id"))
             .drop("id"))
    edges.write.mode("overwrite").parquet(f"{work}/edges")
    edges = spark.read.parquet(f"{work}/edges")
    arcs = measures.directed(edges).cache()
    stage("vertices")
    degree = measures.degrees(vertices, arcs).cache()
    n_ties = edges.count()
    stage("degrees")
    found, engine = algorithms.engine_algorithms(
        spark, vertices.select("vid"), edges, work_dir=work,
        pagerank_iterations=pagerank_iterations, lpa_steps=lpa_steps, progress=progress,
        wanted=("component", "pagerank", "lpa") if lpa_steps else ("component", "pagerank"))
    if not lpa_steps:
        found = found.withColumn("lpa", F.lit(None).cast("long"))
    found = found.cache()
    stage("engine")

    method = community_method
    if method == "auto":
        method = "leiden" if n_ties <= driver_max_ties else "lpa"
    lpa = found.select("vid", F.col("lpa").alias("community"))
    q_lpa = (measures.modularity(arcs, lpa, degree, column="community", resolution=resolution)
             if lpa_steps else None)
    collected = None
    q_leiden = None
    if method == "leiden":
        order = vertices.select("vid").orderBy("vid").toPandas()["vid"].to_numpy()
        collected = edges.toPandas()
        position = pd.Index(order)
        labels, q_leiden = algorithms.leiden_on_driver(
            len(order), position.get_indexer(collected["src"]),
            position.get_indexer(collected["dst"]), collected["weight"].to_numpy(),
            resolution=resolution, seed=seed)
        membership = spark.createDataFrame(pd.DataFrame({"vid": order, "community": labels}))
    else:
        sizes = lpa.groupBy("community").agg(F.count(F.lit(1)).alias("size"),
                                             F.min("vid").alias("first")).toPandas()
        sizes = sizes.sort_values(["size", "first"], ascending=[False, True])
        renumber = spark.createDataFrame(pd.DataFrame({
            "community": sizes["community"].to_numpy(), "number": np.arange(len(sizes))}))
        membership = lpa.join(renumber, "community").select(
            "vid", F.col("number").alias("community"))
    membership = membership.cache()
    q = q_leiden if method == "leiden" else q_lpa
    inside = (edges.join(membership.select(F.col("vid").alias("src"), "community"), "src")
              .join(membership.select(F.col("vid").alias("dst"),
                                      F.col("community").alias("c_dst")), "dst")
              .filter(F.col("community") == F.col("c_dst")).groupBy("community").count()
              .toPandas().set_index("community")["count"])
    stage("communities")

    role = measures.roles(arcs, membership, degree)
    stage("roles")
    comp = found.groupBy("component").agg(F.count(F.lit(1)).alias("component_size"))
    giant_size = comp.agg(F.max("component_size").alias("g")).first()["g"] or 0
    giant_id = comp.filter(F.col("component_size") == giant_size).agg(
        F.min("component").alias("c")).first()["c"]
    activity = measures.last_activity(scoped)
    latest = activity.agg(F.max("last_activity").alias("d")).first()["d"]
    reference = _reference(as_of, fiscal_year, latest)
    cutoff = isolation_cutoff(reference, inactive_years)
    nodes = (vertices.join(degree, "vid").join(found, "vid").join(comp, "component")
             .join(membership, "vid").join(role, "vid")
             .join(activity, "id", "left")
             .withColumn("giant", F.col("component") == F.lit(giant_id)))
    nodes = nodes.join(isolation_flags(nodes, arcs, vertices, cutoff=cutoff), "vid")
    stage("isolated")
    gaps = {"ward_sector": _ward_sector_frame(
        measures.ward_sector_counts(vertices, arcs, degree))}
    stage("gaps")
    table = nodes.select(
        "id", "name", "kind", "ward", "community", "degree", "strength", "pagerank",
        "component", "component_size", F.col("lpa").alias("lpa_community"),
        "within_module_z", "participation_coefficient", "role",
        F.col("reasons").alias("isolated_reason"), "isolation", "last_activity", "synthetic",
        "partners", "vid").toPandas().sort_values("vid").set_index("id")
    stage("collect")
    arcs.unpersist()
    return _assemble(table, gaps, collected, dict(
        engine=engine, master=spark.sparkContext.master, spark_version=spark.version,
        community_method=method, q=q, inside=inside, q_lpa=q_lpa, q_leiden=q_leiden, ties=n_ties,
        reference=reference, cutoff=cutoff, timings=timings, params=dict(
            as_of=as_of, fiscal_year=fiscal_year, wards=wards, real_only=real_only,
            weights=weights, seed=seed, resolution=resolution, inactive_years=inactive_years,
            community_method=community_method, driver_max_ties=driver_max_ties,
            pagerank_iterations=pagerank_iterations, pagerank_weighted=False,
            pagerank_alpha=algorithms.ALPHA, lpa_steps=lpa_steps, work_dir=work)))


def _assemble(table: pd.DataFrame, gaps, collected, info: dict) -> SparkAnalysis:
    table = table.copy()
    table["component"] = pd.factorize(table["component"], sort=True)[0]
    if table["lpa_community"].notna().any():  # missing when label propagation was skipped
        table["lpa_community"] = pd.factorize(table["lpa_community"], sort=True)[0]
    table["isolated_reason"] = table["isolated_reason"].fillna("")
    table["isolation"] = table["isolation"].fillna("")
    isolated = isolated_table(table, info["cutoff"])
    table = table.drop(columns=["partners", "vid"])  # only needed for the reason texts
    grouped = table.groupby("community")
    wards = table.groupby(["community", "ward"]).size().rename("count").reset_index()
    top = wards.sort_values(["community", "count", "ward"], ascending=[True, False, True]) \
        .drop_duplicates("community").set_index("community")
    communities = pd.DataFrame({"size": grouped.size(),
                                "mean_degree": grouped["degree"].mean().astype(float),
                                "isolated": grouped["isolated_reason"].apply(
                                    lambda s: int((s != "").sum()))})
    communities["ward"] = top["ward"].reindex(communities.index)
    communities["ward_share"] = (top["count"].reindex(communities.index)
                                 / communities["size"]).astype(float)
    communities["ties_inside"] = info["inside"].reindex(communities.index).fillna(0).astype(int)
    communities["label"] = [f"#{c} {w}" if isinstance(w, str) else f"#{c}"
                            for c, w in zip(communities.index, communities["ward"])]
    communities.index.name = "community"
    n = len(table)
    reasons = isolated["reasons"].str.split(";").explode().value_counts().to_dict() \
        if len(isolated) else {}
    giant = int(table["component_size"].max()) if n else 0
    q = info["q"]
    summary = {
        "engine": {"name": "spark", "graph_library": info["engine"], "master": info["master"],
                   "spark_version": info["spark_version"]},
        "organisations": n,
        "ties": int(info["ties"]),
        "density": (2.0 * info["ties"] / (n * (n - 1))) if n > 1 else 0.0,
        "components": int(table["component"].nunique()) if n else 0,
        "giant_component": giant,
        "giant_share": giant / n if n else 0.0,
        "isolates": int((table["degree"] == 0).sum()),
        "needing_partner": len(isolated),
        "isolated_by_reason": {k: int(v) for k, v in reasons.items()},
        "isolated_by_kind": {kind: int((isolated["isolation"] == kind).sum())
                             for kind in ISOLATION_KINDS},
        "communities": int(table["community"].nunique()) if n else 0,
        "modularity": None if q is None or q != q else float(q),
        "modularity_by_method": {
            "leiden": None if info["q_leiden"] is None or info["q_leiden"] != info["q_leiden"]
            else float(info["q_leiden"]),
            "lpa": None if info["q_lpa"] is None or info["q_lpa"] != info["q_lpa"]
            else float(info["q_lpa"])},
        "lpa_communities": int(table["lpa_community"].nunique()) if n else 0,
        "community_method": {"method": info["community_method"],
                             "seed": info["params"]["seed"]},
        "kinds": table["kind"].fillna("unknown").value_counts().to_dict(),
        "roles": table["role"].value_counts().to_dict(),
        "synthetic_organisations": int(table["synthetic"].fillna(False).astype(bool).sum()),
        "gap_expectation": "configuration",
        "reference_date": None if info["reference"] is None else info["reference"].isoformat(),
        "parameters": {k: (v.isoformat() if isinstance(v, dt.date) else v)
                       for k, v in info["params"].items()},
        "timings": info["timings"],
    }
    return SparkAnalysis(table, communities, isolated, gaps, collected, summary)
