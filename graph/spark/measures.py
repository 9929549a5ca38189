"""Per-organisation and per-block measures in Spark SQL over the vertex and edge tables.

Inputs are DataFrames ``vertices`` (``vid`` and organisation attributes) and ``edges``
(``src, dst, weight``: one row per undirected tie). Everything here is a join or a group-by
(degree, strength, modularity, Guimerà–Amaral roles, last activity, ward × sector gap
counts; isolation is :mod:`graph.spark.isolation`); the graph algorithms themselves come
from the engine (:mod:`graph.spark.algorithms`).

Examples
--------
>>> role_thresholds()["hub_z"]
2.5
"""

from __future__ import annotations

from graph.measures import SECTORS

__all__ = ["role_thresholds", "directed", "degrees", "modularity", "roles",
           "last_activity", "ward_sector_counts"]

_HUB_Z = 2.5                       # Guimerà & Amaral (2005): hubs have z ≥ 2.5
_NONHUB_P = (0.05, 0.62, 0.80)     # R1 | R2 | R3 | R4 boundaries of P for non-hubs
_HUB_P = (0.30, 0.75)              # R5 | R6 | R7 boundaries of P for hubs


def role_thresholds() -> dict:
    """The role boundaries used (Guimerà & Amaral 2005, as ``graph.measures.role``).

    >>> role_thresholds()["non_hub_p"]
    (0.05, 0.62, 0.8)
    """
    return {"hub_z": _HUB_Z, "non_hub_p": _NONHUB_P, "hub_p": _HUB_P}


def directed(edges):
    """Both directions of each tie: ``src, dst, weight``."""
    from pyspark.sql import functions as F

    return edges.select("src", "dst", "weight").unionByName(
        edges.select(F.col("dst").alias("src"), F.col("src").alias("dst"), "weight"))


def degrees(vertices, arcs):
    """``vid, degree, strength`` for every vertex (0 for isolates)."""
    from pyspark.sql import functions as F

    per = arcs.groupBy(F.col("src").alias("vid")).agg(
        F.count(F.lit(1)).alias("degree"), F.sum("weight").alias("strength"))
    return vertices.select("vid").join(per, "vid", "left").select(
        "vid", F.coalesce("degree", F.lit(0)).cast("long").alias("degree"),
        F.coalesce("strength", F.lit(0.0)).alias("strength"))


def modularity(arcs, membership, strength, *, column: str, resolution: float = 1.0):
    """Weighted modularity Q = Σ_c [w_c / m − γ (S_c / 2m)²] of the partition ``column``.

    ``membership``: ``vid`` and ``column``; ``strength``: ``vid, strength``. Returns a
    float, NaN when there are no ties.
    """
    from pyspark.sql import functions as F

    labelled = arcs.join(membership.select(F.col("vid").alias("src"),
                                           F.col(column).alias("c_src")), "src") \
        .join(membership.select(F.col("vid").alias("dst"), F.col(column).alias("c_dst")), "dst")
    two_m = arcs.agg(F.sum("weight").alias("s")).first()["s"] or 0.0
    if two_m <= 0:
        return float("nan")
    inside = labelled.filter(F.col("c_src") == F.col("c_dst")).agg(
        F.sum("weight").alias("s")).first()["s"] or 0.0
    totals = membership.join(strength, "vid").groupBy(column).agg(
        F.sum("strength").alias("s"))
    spread = totals.agg(F.sum(F.col("s") * F.col("s")).alias("q")).first()["q"] or 0.0
    return float(inside / two_m - resolution * spread / (two_m * two_m))


def roles(arcs, membership, degree, *, column: str = "community"):
    """``vid, within_module_z, participation_coefficient, role`` (unweighted, as analyze).

    z: the vertex's ties inside its community against the community's mean and population
    standard deviation (0 when that is 0); P = 1 − Σ_s (k_is / k_i)².
    """
    from pyspark.sql import functions as F

    m = membership.select("vid", F.col(column).alias("c"))
    per = (arcs.join(m.select(F.col("vid").alias("dst"), F.col("c").alias("c_dst")), "dst")
           .groupBy(F.col("src").alias("vid"), "c_dst").agg(F.count(F.lit(1)).alias("k_s")))
    mine = m.join(degree.select("vid", "degree"), "vid")
    share = per.join(mine, "vid").groupBy("vid").agg(
        F.sum(F.when(F.col("c_dst") == F.col("c"), F.col("k_s")).otherwise(0)).alias("own"),
        F.sum((F.col("k_s") / F.col("degree")) ** 2).alias("share_sq"))
    full = mine.join(share, "vid", "left").select(
        "vid", "c", "degree", F.coalesce("own", F.lit(0)).cast("double").alias("own"),
        F.when(F.col("degree") > 0, 1.0 - F.col("share_sq")).otherwise(0.0).alias("P"))
    stats = full.groupBy("c").agg(F.avg("own").alias("mean"),
                                  F.avg(F.col("own") ** 2).alias("mean_sq"))
    joined = full.join(stats, "c").withColumn(
        "std", F.sqrt(F.greatest(F.col("mean_sq") - F.col("mean") ** 2, F.lit(0.0))))
    ok = F.col("std") > 1e-12 * F.greatest(F.lit(1.0), F.abs(F.col("mean")))
    z = F.when(ok, (F.col("own") - F.col("mean")) / F.col("std")).otherwise(0.0)
    p = F.col("participation_coefficient")
    hub = (F.when(p <= _HUB_P[0], "R5").when(p <= _HUB_P[1], "R6").otherwise("R7"))
    nonhub = (F.when(p <= _NONHUB_P[0], "R1").when(p <= _NONHUB_P[1], "R2")
              .when(p <= _NONHUB_P[2], "R3").otherwise("R4"))
    return (joined.select("vid", z.alias("within_module_z"),
                          F.col("P").alias("participation_coefficient"))
            .withColumn("role", F.when(F.col("within_module_z") >= _HUB_Z, hub)
                        .otherwise(nonhub)))


def last_activity(scoped):
    """``id, last_activity`` (latest dated activity; null when only undated activity).

    As ``graph.findings.last_activity``: events taken part in or organised (``end_date``,
    else ``date``), collaborations and dispatches (``end_date`` else ``start_date``),
    resources offered (``offered_on``). Organisations without any such record are absent.
    """
    from pyspark.sql import functions as F

    events = scoped["events"].select(F.col("id").alias("event_id"),
                                     F.coalesce("end_date", "date").alias("day"),
                                     "organizer_id").dropDuplicates(["event_id"])
    frames = [scoped["participations"].join(events, "event_id").select(
                  F.col("org_id").alias("org"), "day"),
              events.select(F.col("organizer_id").alias("org"), "day")]
    if "collaboration_members" in scoped:
        frames.append(scoped["collaboration_members"].select(
            F.col("org_id").alias("org"), F.coalesce("end_date", "start_date").alias("day")))
    if "dispatches" in scoped:
        frames.append(scoped["dispatches"].select(
            F.col("org_id").alias("org"), F.coalesce("end_date", "start_date").alias("day")))
    if "resources" in scoped:
        frames.append(scoped["resources"].select(F.col("provider_id").alias("org"),
                                                 F.col("offered_on").alias("day")))
    union = frames[0]
    for frame in frames[1:]:
        union = union.unionByName(frame)
    return union.filter(F.col("org").isNotNull()).groupBy(F.col("org").alias("id")).agg(
        F.max("day").alias("last_activity"), F.lit(True).alias("active_record"))


def ward_sector_counts(vertices, arcs, degree):
    """Ward × sector tie counts with the configuration-model expectation (as graph.findings.gaps).

    ``observed`` counts ties with one end in the ward and the other end of the sector;
    ``expected`` = (K_w K_s − Σ_{i ∈ w ∩ s} k_i²) / 2m over degrees k. Returns a pandas
    frame ``ward, sector, observed, expected`` over every ward × sector present (the
    blocks are few: collected).
    """
    from pyspark.sql import functions as F

    mapping = F.create_map(*[F.lit(x) for pair in SECTORS.items() for x in pair])
    labelled = vertices.select(
        "vid", "ward", F.coalesce(mapping[F.coalesce(F.col("kind"), F.lit("other"))],
                                  F.lit("other")).alias("sector"))
    observed = (arcs.join(labelled.select(F.col("vid").alias("src"), "ward"), "src")
                .join(labelled.select(F.col("vid").alias("dst"), "sector"), "dst")
                .filter(F.col("ward").isNotNull())
                .groupBy("ward", "sector").agg(F.count(F.lit(1)).alias("observed")))
    k = labelled.join(degree.select("vid", "degree"), "vid")
    by_ward = k.filter(F.col("ward").isNotNull()).groupBy("ward").agg(
        F.sum("degree").alias("K_w")).toPandas()
    by_sector = k.groupBy("sector").agg(F.sum("degree").alias("K_s")).toPandas()
    same = k.filter(F.col("ward").isNotNull()).groupBy("ward", "sector").agg(
        F.sum(F.col("degree") * F.col("degree")).alias("same")).toPandas()
    wards_present = k.filter(F.col("ward").isNotNull()).select("ward").distinct().toPandas()
    sectors_present = k.select("sector").distinct().toPandas()
    cells = wards_present.merge(sectors_present, how="cross")
    cells = (cells.merge(observed.toPandas(), on=["ward", "sector"], how="left")
             .merge(by_ward, on="ward", how="left").merge(by_sector, on="sector", how="left")
             .merge(same, on=["ward", "sector"], how="left").fillna(0))
    two_m = float(by_sector["K_s"].sum()) if len(by_sector) else 0.0
    cells["observed"] = cells["observed"].astype(float)
    cells["expected"] = ((cells["K_w"].astype(float) * cells["K_s"].astype(float)
                          - cells["same"].astype(float)) / two_m) if two_m else 0.0
    return cells[["ward", "sector", "observed", "expected"]]
