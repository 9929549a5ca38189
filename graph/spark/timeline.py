"""Fiscal-year snapshots on Spark: size, ties, density, components of the cumulative network.

Snapshot FY ``y`` is ``analyze --fiscal-year y``'s scope (records up to 31 March of
``y + 1``, ``graph.build.restrict``). The tie table is built once, unscoped: a tie is in
snapshot ``y`` when its ``first_date`` is null or on or before the year's end and both its
organisations are (organisations drop out only by ``founded``), which is exactly the
snapshot's tie set (``graph.build`` module notes). Components come from the engine's
connected components, one run per year; weights, communities and the other per-period
measures of the local ``timeline`` stay with the local engine.

Examples
--------
>>> fiscal_years_between(dt.date(2018, 5, 1), dt.date(2020, 3, 31))
[2018, 2019]
"""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd

from graph.errors import GraphError
from graph.spark.algorithms import engine_algorithms
from graph.spark.ties import DATE_OF, read_tables, scope, tie_table

__all__ = ["SNAPSHOT_COLUMNS", "fiscal_years_between", "fiscal_year_snapshots"]

SNAPSHOT_COLUMNS = ("fiscal_year", "period_end", "organisations", "ties", "new_ties",
                    "density", "mean_degree", "isolates", "components", "giant_component",
                    "giant_share")


def fiscal_years_between(first: dt.date, last: dt.date) -> list[int]:
    """The fiscal years (April–March) from the one holding ``first`` to the one holding ``last``.

    >>> fiscal_years_between(dt.date(2019, 3, 31), dt.date(2019, 4, 1))
    [2018, 2019]
    """
    def fy(day):
        return day.year if day.month >= 4 else day.year - 1

    return list(range(fy(first), fy(last) + 1))


def fiscal_year_snapshots(spark, parquet_dir, *, real_only: bool = False, weights=None,
                          years=None, work_dir: str, progress=None) -> tuple[pd.DataFrame, dict]:
    """One row per fiscal year (columns :data:`SNAPSHOT_COLUMNS`) and a JSON-ready summary.

    ``years`` (iterable of int) picks the fiscal years; default every one from the earliest
    to the latest dated record.

    Raises
    ------
    GraphError
        When no record is dated (no fiscal year to snapshot), or for a bad export.
    """
    from pyspark.sql import functions as F

    started = time.perf_counter()
    scoped = scope(read_tables(spark, str(parquet_dir)), real_only=real_only)
    dated = None
    for name, column in DATE_OF.items() if years is None else ():
        if name in scoped:
            span = scoped[name].agg(F.min(column).alias("a"), F.max(column).alias("b"))
            dated = span if dated is None else dated.unionByName(span)
    if years is None:
        bounds = dated.agg(F.min("a").alias("a"), F.max("b").alias("b")).first()
        if bounds["a"] is None:
            raise GraphError("timeline: no dated record, so no fiscal year to snapshot")
        years = fiscal_years_between(bounds["a"], bounds["b"])
    years = sorted({int(y) for y in years})
    if not years:
        raise GraphError("timeline: no fiscal year to snapshot")
    tie_table(scoped, weights).write.mode("overwrite").parquet(f"{work_dir}/ties")
    ties = spark.read.parquet(f"{work_dir}/ties")
    orgs = scoped["organizations"].select("id", "founded").withColumn(
        "vid", F.monotonically_increasing_id())
    orgs.write.mode("overwrite").parquet(f"{work_dir}/vertices")
    orgs = spark.read.parquet(f"{work_dir}/vertices").cache()
    edges = (ties.join(orgs.select(F.col("id").alias("u"), F.col("vid").alias("src"),
                                   F.col("founded").alias("f_u")), "u")
             .join(orgs.select(F.col("id").alias("v"), F.col("vid").alias("dst"),
                               F.col("founded").alias("f_v")), "v")).cache()
    rows = []
    for year in years:
        end = dt.date(year + 1, 3, 31)
        if progress is not None:
            progress.set_stage(f"FY{year}")
        present = orgs.filter(F.col("founded").isNull() | (F.col("founded") <= F.lit(end)))
        alive = (F.col("first_date").isNull() | (F.col("first_date") <= F.lit(end))) \
            & (F.col("f_u").isNull() | (F.col("f_u") <= F.lit(end))) \
            & (F.col("f_v").isNull() | (F.col("f_v") <= F.lit(end)))
        year_edges = edges.filter(alive).select("src", "dst", "first_date").cache()
        n = present.count()
        m = year_edges.count()
        new = year_edges.filter(F.col("first_date") >= F.lit(dt.date(year, 4, 1))).count()
        found, engine = engine_algorithms(spark, present.select("vid"), year_edges,
                                          work_dir=f"{work_dir}/fy{year}",
                                          wanted=("component",), progress=progress)
        sizes = found.groupBy("component").count().toPandas()["count"]
        linked = year_edges.select(F.col("src").alias("vid")).unionByName(
            year_edges.select(F.col("dst").alias("vid"))).distinct().count()
        giant = int(sizes.max()) if len(sizes) else 0
        rows.append({"fiscal_year": year, "period_end": end.isoformat(), "organisations": n,
                     "ties": m, "new_ties": new,
                     "density": 2.0 * m / (n * (n - 1)) if n > 1 else 0.0,
                     "mean_degree": 2.0 * m / n if n else 0.0, "isolates": n - linked,
                     "components": int(len(sizes)), "giant_component": giant,
                     "giant_share": giant / n if n else 0.0})
        year_edges.unpersist()
    frame = pd.DataFrame(rows, columns=list(SNAPSHOT_COLUMNS))
    info = {"engine": {"name": "spark", "graph_library": engine,
                       "master": spark.sparkContext.master, "spark_version": spark.version},
            "period": "fy", "fiscal_years": years,
            "parameters": {"real_only": real_only, "weights": weights, "work_dir": work_dir},
            "seconds": round(time.perf_counter() - started, 3)}
    return frame, info
