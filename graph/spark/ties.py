"""The organisation tie table in Spark SQL, with the scope and weighting of ``graph.build``.

:func:`read_tables` opens a Parquet export (:mod:`graph.spark.parquet`) as one DataFrame per
table; :func:`scope` cuts them as ``graph.build.restrict`` does (fiscal year / ``as_of``,
wards, real records only, and every dependent row); :func:`tie_table` aggregates the ties:

* ``co_participation``: each event with ``n`` participating organisations adds
  ``w / (n − 1)`` to each pair of them (Newman 2001); dated by the event;
* ``collaboration``: each collaboration adds ``w`` to each pair of its organisations;
* ``co_membership``: members of a council with ``n`` members get ``w / (n − 1)`` per pair
  (dated by the later ``since``), and each member ``w`` with its council;
* ``shared_dispatch``: organisations served by the same talent (``n`` of them) get
  ``w / (n − 1)`` per pair, dated by the later first dispatch.

One row per tie: ``u < v`` (organisation ids), ``weight`` (the sum of the parts), the four
parts, ``first_date`` (null when any evidence is undated) and ``last_date``. Evidence lists
are not built (they would multiply the shuffle); ``graph.build.tie_graph`` has them.

Examples
--------
>>> last_day(None, 2019), last_day("2019-05-31", 2019)
(datetime.date(2020, 3, 31), datetime.date(2019, 5, 31))
>>> tie_weights({"collaboration": 0})["collaboration"], tie_weights(None)["shared_dispatch"]
(0.0, 1.0)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from graph.build import DEFAULT_TIE_WEIGHTS, TIE_PARTS
from graph.errors import GraphError
from graph.spark.parquet import read_manifest
from ingest.schemas import TABLES

__all__ = ["DATE_OF", "last_day", "tie_weights", "read_tables", "scope", "tie_table"]

#: The (start) date column of each table, as in ``graph.build``.
DATE_OF: Mapping[str, str] = {
    "organizations": "founded", "events": "date", "collaborations": "start_date",
    "memberships": "since", "dispatches": "start_date", "resources": "offered_on",
    "talents": "registered_on",
}


def last_day(as_of, fiscal_year) -> dt.date | None:
    """The last day in scope: ``as_of`` and/or the end of ``fiscal_year`` (the earlier wins).

    >>> last_day(None, None) is None
    True
    """
    days = []
    if as_of is not None:
        stamp = pd.Timestamp(as_of) if not isinstance(as_of, dt.date) else pd.Timestamp(as_of)
        if pd.isna(stamp):
            raise GraphError(f"as_of: not a date: {as_of!r}")
        days.append(stamp.date())
    if fiscal_year is not None:
        if isinstance(fiscal_year, bool) or not isinstance(fiscal_year, int):
            raise GraphError(f"fiscal_year: expected an int such as 2019, got {fiscal_year!r}")
        days.append(dt.date(fiscal_year + 1, 3, 31))
    return min(days) if days else None


def tie_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Multipliers per tie source merged over ``graph.build.DEFAULT_TIE_WEIGHTS``.

    >>> tie_weights({"friendship": 1})
    Traceback (most recent call last):
    ...
    graph.errors.GraphError: weights: unknown part 'friendship'; parts are collaboration, co_participation, co_membership, shared_dispatch
    """
    merged = dict(DEFAULT_TIE_WEIGHTS)
    for part, value in dict(weights or {}).items():
        if part not in merged:
            raise GraphError(f"weights: unknown part {part!r}; parts are {', '.join(TIE_PARTS)}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 \
                or value != value or value == float("inf"):
            raise GraphError(f"weights[{part!r}]: expected a finite number ≥ 0, got {value!r}")
        merged[part] = float(value)
    return merged


def read_tables(spark, folder) -> dict:
    """Every table of a Parquet export as a Spark DataFrame (checked against the manifest).

    Raises
    ------
    GraphError
        For a folder without a valid manifest, or a file lacking a canonical column.
    """
    manifest = read_manifest(folder)
    frames = {}
    for table, entry in manifest["tables"].items():
        if table not in TABLES:
            continue
        frame = spark.read.parquet(str(Path(folder) / entry["file"]))
        missing = [c.name for c in TABLES[table].columns if c.name not in frame.columns]
        if missing:
            raise GraphError(f"{Path(folder) / entry['file']}: missing column(s) "
                             f"{', '.join(missing)}")
        frames[table] = frame
    absent = [t for t in ("organizations", "events", "participations") if t not in frames]
    if absent:
        raise GraphError(f"{folder}: manifest lacks table(s) {', '.join(absent)}")
    return frames


def _fiscal_year_of(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def scope(tables: Mapping, *, as_of=None, fiscal_year=None, wards=None,
          real_only: bool = False) -> dict:
    """The tables cut as ``graph.build.restrict`` cuts a dataset (lazy Spark DataFrames).

    Collaborations come back as ``collaboration_members`` too: one row per (collaboration,
    organisation in scope), the trimmed ``org_ids`` of ``restrict``.
    """
    from pyspark.sql import functions as F

    last = last_day(as_of, fiscal_year)
    if wards is None:
        ward_set = None
    elif isinstance(wards, str):
        ward_set = [wards]
    elif isinstance(wards, Iterable):
        ward_set = sorted({str(w) for w in wards})
    else:
        raise GraphError(f"wards: expected a ward name or a list of them, got {wards!r}")
    t = dict(tables)
    if real_only:
        t = {name: frame.filter(~F.coalesce(F.col("synthetic"), F.lit(False)))
             for name, frame in t.items()}
    if last is not None:
        for name, column in DATE_OF.items():
            if name in t:
                t[name] = t[name].filter(F.col(column).isNull() | (F.col(column) <= F.lit(last)))
        if "awards" in t:
            t["awards"] = t["awards"].filter(F.col("fiscal_year").isNull()
                                             | (F.col("fiscal_year") <= _fiscal_year_of(last)))
    if ward_set is not None:
        t["organizations"] = t["organizations"].filter(F.col("ward").isin(ward_set))
    orgs = t["organizations"].select(F.col("id").alias("_org")).distinct()

    def known(frame, column):
        return frame.join(orgs, frame[column] == orgs["_org"], "left_semi")

    if ward_set is not None:
        attended = known(t["participations"], "org_id").select(
            F.col("event_id").alias("_attended")).distinct()
        organised = t["events"].join(orgs, F.col("organizer_id") == orgs["_org"], "left")
        events = organised.join(attended, F.col("id") == F.col("_attended"), "left")
        t["events"] = events.filter(F.col("ward").isin(ward_set) | F.col("_org").isNotNull()
                                    | F.col("_attended").isNotNull()).drop("_org", "_attended")
    organiser = t["events"].join(orgs, F.col("organizer_id") == orgs["_org"], "left")
    t["events"] = organiser.withColumn(
        "organizer_id", F.when(F.col("_org").isNotNull(), F.col("organizer_id"))).drop("_org")
    event_ids = t["events"].select(F.col("id").alias("_event")).distinct()
    part = known(t["participations"], "org_id")
    t["participations"] = part.join(event_ids, part["event_id"] == event_ids["_event"],
                                    "left_semi")
    t["memberships"] = known(known(t.get("memberships"), "org_id"), "council_id") \
        if "memberships" in t else None
    for name, column in (("dispatches", "org_id"), ("resources", "provider_id"),
                         ("awards", "org_id")):
        if name in t:
            t[name] = known(t[name], column)
    if "collaborations" in t:
        members = t["collaborations"].select(
            "id", "start_date", "end_date", F.explode("org_ids").alias("org_id"))
        t["collaboration_members"] = known(members, "org_id").distinct()
        t["collaborations"] = t["collaborations"].join(
            t["collaboration_members"].select(F.col("id").alias("_c")).distinct(),
            F.col("id") == F.col("_c"), "left_semi")
    return {name: frame for name, frame in t.items() if frame is not None}


def _undated_first(column):
    """Minimum of a date column where any null (undated) wins: null then."""
    from pyspark.sql import functions as F

    return F.when(F.count(F.lit(1)) > F.count(column), F.lit(None)).otherwise(F.min(column))


def _pairs(groups, weight_of_n):
    """Pairs ``a < b`` within each group ``g`` of rows ``(g, m, day)``; one row per pair with
    ``value = weight_of_n(n)`` and ``day = greatest(day_a, day_b)``."""
    from pyspark.sql import functions as F

    sizes = groups.groupBy("g").agg(F.count(F.lit(1)).alias("n"))
    sized = groups.join(sizes.filter(F.col("n") > 1), "g")
    a, b = sized.alias("a"), sized.alias("b")
    joined = a.join(b, (F.col("a.g") == F.col("b.g")) & (F.col("a.m") < F.col("b.m")))
    return joined.select(F.col("a.m").alias("u"), F.col("b.m").alias("v"),
                         weight_of_n(F.col("a.n")).alias("value"),
                         F.greatest(F.col("a.day"), F.col("b.day")).alias("day"))


def tie_table(scoped: Mapping, weights: Mapping[str, float] | None = None):
    """The aggregated tie table of scoped tables (see the module notes); a lazy DataFrame.

    Columns: ``u, v`` (organisation ids, ``u < v``), ``weight``, ``collaboration``,
    ``co_participation``, ``co_membership``, ``shared_dispatch``, ``first_date``,
    ``last_date``.
    """
    from pyspark.sql import functions as F

    w = tie_weights(weights)
    parts = []

    def tagged(frame, part):
        return frame.select("u", "v", "value", "day", F.lit(part).alias("part"))

    if w["co_participation"] > 0:
        events = scoped["events"].select(F.col("id").alias("g"), F.col("date").alias("day"))
        rows = scoped["participations"].select(F.col("event_id").alias("g"),
                                               F.col("org_id").alias("m")).distinct()
        rows = rows.join(events, "g")
        weight = w["co_participation"]
        parts.append(tagged(_pairs(rows, lambda n: F.lit(weight) / (n - 1)),
                            "co_participation"))
    if w["collaboration"] > 0 and "collaboration_members" in scoped:
        rows = scoped["collaboration_members"].select(
            F.col("id").alias("g"), F.col("org_id").alias("m"),
            F.col("start_date").alias("day")).dropDuplicates(["g", "m"])
        weight = w["collaboration"]
        parts.append(tagged(_pairs(rows, lambda n: F.lit(weight)), "collaboration"))
    if w["co_membership"] > 0 and "memberships" in scoped:
        rows = (scoped["memberships"].filter(F.col("org_id") != F.col("council_id"))
                .groupBy(F.col("council_id").alias("g"), F.col("org_id").alias("m"))
                .agg(_undated_first("since").alias("day")))
        weight = w["co_membership"]
        parts.append(tagged(_pairs(rows, lambda n: F.lit(weight) / (n - 1)), "co_membership"))
        parts.append(tagged(rows.select(F.least("m", "g").alias("u"),
                                        F.greatest("m", "g").alias("v"),
                                        F.lit(weight).alias("value"), "day"), "co_membership"))
    if w["shared_dispatch"] > 0 and "dispatches" in scoped:
        rows = (scoped["dispatches"]
                .groupBy(F.col("talent_id").alias("g"), F.col("org_id").alias("m"))
                .agg(_undated_first("start_date").alias("day")))
        weight = w["shared_dispatch"]
        parts.append(tagged(_pairs(rows, lambda n: F.lit(weight) / (n - 1)),
                            "shared_dispatch"))
    if not parts:
        spark = scoped["organizations"].sparkSession
        schema = "u string, v string, weight double, " + ", ".join(
            f"{p} double" for p in TIE_PARTS) + ", first_date date, last_date date"
        return spark.createDataFrame([], schema)
    union = parts[0]
    for frame in parts[1:]:
        union = union.unionByName(frame)
    sums = [F.sum(F.when(F.col("part") == p, F.col("value")).otherwise(0.0)).alias(p)
            for p in TIE_PARTS]
    return union.groupBy("u", "v").agg(
        F.sum("value").alias("weight"), *sums, _undated_first("day").alias("first_date"),
        F.max("day").alias("last_date"))
