"""Isolated organisations on Spark: the kinds and reasons of ``graph.findings.isolated``.

:func:`isolation_flags` applies the rules in Spark SQL, one row per organisation; the driver
then writes the reason texts for the (few) organisations listed
(:func:`isolated_table`), with the words and order of the single-machine ``isolated.csv``.

The rules (``graph.findings.isolated``): ``no_ties`` (degree 0); ``single_partner``
(degree 1); ``small_component`` (in a component of at most ``small_component``
organisations that is not the giant one); ``public_only`` (not itself a public agency, every
partner one; not given with ``single_partner``); ``inactive`` (no record at all, or the
latest dated activity before the cutoff: 1 April of FY(reference) − inactive_years + 1;
undated activity counts as active). The kind (column ``isolation``) is the first of
``no_ties``, ``single_partner``, ``peripheral`` (small component or public only),
``inactive`` that applies.

Examples
--------
>>> import datetime as dt, pandas as pd
>>> table = pd.DataFrame({"name": ["A", "B"], "kind": [None, None], "ward": [None, None],
...     "degree": [0, 1], "component_size": [1, 2], "role": ["R1", "R1"],
...     "last_activity": [None, None], "isolation": ["no_ties", "single_partner"],
...     "isolated_reason": ["no_ties", "single_partner;small_component"],
...     "partners": [None, ["C"]]}, index=pd.Index(["a", "b"], name="id"))
>>> isolated_table(table, None)["why_en"].tolist()
['no ties at all', 'only one partner (C); in a group of 2 organisations cut off from the rest']
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from graph.findings import ISOLATION_KINDS
from ingest.fiscal import fiscal_year

__all__ = ["ISOLATED_COLUMNS", "isolation_flags", "isolated_table"]

#: The columns of isolated.csv after ``id`` (as ``graph.findings.isolated``).
ISOLATED_COLUMNS = ("name", "kind", "ward", "degree", "component_size", "role", "last_activity",
                    "isolation", "since", "reason", "reasons", "why_en", "why_ja")


def isolation_flags(nodes, arcs, vertices, *, cutoff: dt.date | None,
                    small_component: int = 3):
    """``vid, isolation, reasons, partners`` per organisation (Spark SQL, module notes).

    ``nodes``: ``vid, degree, component_size, giant, kind, last_activity, active_record``
    (``active_record`` null for an organisation without any record); ``arcs``: both
    directions of each tie (``src, dst``); ``vertices``: ``vid, id, name, kind``.
    ``isolation`` is the kind (null when none), ``reasons`` the ``;``-joined codes (empty
    when none), ``partners`` the names of the first three partners in vertex order, given
    for ``single_partner`` and ``public_only`` only (null otherwise).
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    partner = vertices.select(F.col("vid").alias("dst"), F.col("kind").alias("partner_kind"),
                              F.coalesce("name", "id").alias("partner_name"))
    public = arcs.join(partner, "dst").groupBy(F.col("src").alias("vid")).agg(F.sum(
        F.when(F.col("partner_kind") == "public_agency", 1).otherwise(0)).alias("public"))
    frame = nodes.select("vid", "degree", "component_size", "giant", "kind", "last_activity",
                         "active_record").join(public, "vid", "left")
    no_ties = F.col("degree") == 0
    single = F.col("degree") == 1
    small = ~no_ties & (F.col("component_size") <= small_component) & ~F.col("giant")
    public_only = (~no_ties & (F.coalesce(F.col("kind"), F.lit("")) != "public_agency")
                   & (F.coalesce(F.col("public"), F.lit(0)) == F.col("degree")))
    if cutoff is None:
        inactive = F.lit(False)
    else:
        inactive = (F.col("active_record").isNull()
                    | (F.col("last_activity").isNotNull()
                       & (F.col("last_activity") < F.lit(cutoff))))
    kinds = list(ISOLATION_KINDS)
    kind = (F.when(no_ties, kinds[0]).when(single, kinds[1])
            .when(small | public_only, kinds[2]).when(inactive, kinds[3]))
    codes = F.concat_ws(";", *[F.when(flag, F.lit(code)) for flag, code in (
        (no_ties, "no_ties"), (single, "single_partner"), (small, "small_component"),
        (public_only & ~single, "public_only"), (inactive, "inactive"))])
    flags = frame.select("vid", kind.alias("isolation"), codes.alias("reasons"),
                         (single | public_only).alias("named"))
    named = flags.filter("named").select(F.col("vid").alias("src"))
    first = (arcs.join(named, "src").join(partner, "dst")
             .withColumn("r", F.row_number().over(Window.partitionBy("src").orderBy("dst")))
             .filter(F.col("r") <= 3)
             .groupBy(F.col("src").alias("vid"))
             .agg(F.sort_array(F.collect_list(F.struct("r", "partner_name"))).alias("p"))
             .select("vid", F.transform("p", lambda x: x["partner_name"]).alias("partners")))
    return flags.drop("named").join(first, "vid", "left")


def _why(row, cutoff: dt.date | None) -> tuple[str, str]:
    """The English and Japanese reason text of one listed organisation."""
    codes = row.isolated_reason.split(";")
    names = [] if row.partners is None or isinstance(row.partners, float) else list(
        row.partners)
    en, ja = [], []
    if "no_ties" in codes:
        en.append("no ties at all")
        ja.append("つながりがない")
    if "single_partner" in codes:
        en.append(f"only one partner ({names[0]})")
        ja.append(f"つながりは{names[0]}の1団体だけ")
    if "small_component" in codes:
        size = int(row.component_size)
        en.append(f"in a group of {size} organisations cut off from the rest")
        ja.append(f"{size}団体だけの小さなまとまりで、他とつながっていない")
    if "public_only" in codes:
        joined = "、".join(str(n) for n in names)
        en.append(f"ties only to public agencies ({joined})")
        ja.append(f"公的機関（{joined}）とだけつながっている")
    if "inactive" in codes and cutoff is not None:
        since = cutoff.isoformat()
        last = row.last_activity
        if last is None or last != last:
            en.append(f"no recorded activity (none since {since})")
            ja.append(f"活動の記録がない（{since}以降なし）")
        else:
            year = fiscal_year(last)
            en.append(f"no activity since {since} (last FY{year}, {last.isoformat()})")
            ja.append(f"{since}以降の活動記録がない（最終 {year}年度、{last.isoformat()}）")
    return "; ".join(en), "。".join(ja)


def isolated_table(table: pd.DataFrame, cutoff: dt.date | None) -> pd.DataFrame:
    """The isolated.csv frame from the collected per-organisation table.

    ``table``: indexed by ``id`` in vertex order, with ``name, kind, ward, degree,
    component_size, role, last_activity, isolation, isolated_reason, partners``. Returns
    the organisations of a kind, columns :data:`ISOLATED_COLUMNS`, ordered by kind (in the
    order of ``ISOLATION_KINDS``), then fewer ties, then vertex order.
    """
    listed = table[table["isolation"].fillna("") != ""]
    texts = [_why(row, cutoff) for row in listed.itertuples()]
    frame = listed[["name", "kind", "ward", "degree", "component_size", "role",
                    "last_activity", "isolation"]].copy()
    frame["since"] = [cutoff if k == "inactive" else None for k in frame["isolation"]]
    frame["reasons"] = listed["isolated_reason"]
    frame.insert(frame.columns.get_loc("reasons"), "reason",
                 listed["isolated_reason"].str.split(";").str[0])
    frame["why_en"] = [t[0] for t in texts]
    frame["why_ja"] = [t[1] for t in texts]
    order = frame["isolation"].map({k: i for i, k in enumerate(ISOLATION_KINDS)})
    frame = frame.assign(_order=order).sort_values(["_order", "degree"], kind="stable")
    return frame.drop(columns=["_order"])[list(ISOLATED_COLUMNS)]
