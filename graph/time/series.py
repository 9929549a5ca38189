"""The report's own series: the figures a source prints beside the records' counts.

:func:`report_series` puts the aggregate figures a source prints (the ``figures`` table,
several sources side by side) next to the same counts recomputed from the records, so a
conflict between sources is visible rather than silently resolved: :func:`series_conflicts`
lists the disagreements, :func:`series_incomplete` the figures the records back only in part.

Examples
--------
>>> s = pd.DataFrame({"metric": ["d", "d"], "period": ["FY2015"] * 2, "category": ["t"] * 2,
...                   "value": [7.0, 12.0], "source": ["A", "B"]})
>>> series_conflicts(s)["kind"].tolist()
['sources_disagree']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ingest.fiscal import fiscal_years

__all__ = ["report_series", "series_conflicts", "series_incomplete"]

_CATEGORY_ALIASES = {"地縁型": "territorial", "地縁": "territorial", "テーマ型": "thematic",
                     "テーマ": "thematic", "合計": "total", "計": "total"}


_UNIT_SCALE = {"万円": (10_000.0, "円"), "千円": (1_000.0, "円")}


def _period_label(value) -> str:
    from ingest.normalise import parse_fiscal_year

    try:
        return f"FY{parse_fiscal_year(value)}"
    except (ValueError, TypeError):
        text = str(value)
        head = text.split("(")[0].split("（")[0].strip()
        try:
            return f"FY{parse_fiscal_year(head)}"
        except (ValueError, TypeError):
            return text


def report_series(dataset, *, grant_programs: Sequence[str] | None = None) -> pd.DataFrame:
    """The report's aggregate series beside the same counts recomputed from the records.

    - every row of the ``figures`` table, one source per distinct ``source`` value, so two
      versions of one table stand side by side: metric names are kept, categories 地縁型 /
      テーマ型 / 合計 become ``territorial`` / ``thematic`` / ``total``, periods become
      ``FY2019`` when they name a fiscal year (``H27``, ``令和元年度``, ``FY2019(-2019-12)``),
      and amounts in 万円 / 千円 are converted to 円;
    - ``dispatches`` per fiscal year of ``start_date`` by the orientation of the receiving
      organisation (``unknown`` when it has none), source ``records:dispatches``;
    - from ``awards`` per fiscal year and program: ``grant_projects`` and
      ``grant_amount_yen`` for grant programs, ``awards`` for the others, source
      ``records:awards``.

    Parameters
    ----------
    dataset : ingest.schemas.Dataset
    grant_programs : sequence of str, optional, keyword-only
        Award programs that are grants; default: programs whose name contains 助成 or
        "grant".

    Returns
    -------
    pandas.DataFrame
        Tidy: ``metric, period, category, value, unit, source``, sorted.

    Examples
    --------
    >>> from ingest.schemas import Dataset
    >>> fig = pd.DataFrame({"metric": ["dispatches", "dispatches"], "period": ["H27", "H27"],
    ...                     "category": ["テーマ型", "テーマ型"], "value": [7.0, 12.0],
    ...                     "source": ["1(1)イ②", "2(2)ア③"]})
    >>> report_series(Dataset({"figures": fig}))[["period", "category", "value"]].values.tolist()
    [['FY2015', 'thematic', 7.0], ['FY2015', 'thematic', 12.0]]
    """
    columns = ["metric", "period", "category", "value", "unit", "source"]
    frames = []
    fig = dataset.table("figures")
    if len(fig):
        blank = pd.Series("", index=fig.index)
        src = fig["source"] if "source" in fig else blank
        cat = fig["category"] if "category" in fig else blank
        unit = fig["unit"] if "unit" in fig else blank
        value = pd.to_numeric(fig["value"], errors="coerce").astype(float)
        scale = [_UNIT_SCALE.get(str(u).strip(), (1.0, "" if pd.isna(u) else str(u).strip()))
                 for u in unit]
        frames.append(pd.DataFrame({
            "metric": [str(m).strip() for m in fig["metric"]],
            "period": [_period_label(p) for p in fig["period"]],
            "category": [_CATEGORY_ALIASES.get(str(c).strip(), str(c).strip())
                         if pd.notna(c) else "" for c in cat],
            "value": value.to_numpy() * np.array([f for f, _ in scale]),
            "unit": [u for _, u in scale],
            "source": ["figures: " + str(x) if pd.notna(x) and str(x) else "figures"
                       for x in src],
        }))
    disp = dataset.table("dispatches")
    disp = disp[disp["start_date"].notna()] if len(disp) else disp
    if len(disp):
        orgs = dataset.table("organizations").drop_duplicates("id").set_index("id")
        orient = disp["org_id"].map(orgs["orientation"]) if "orientation" in orgs else \
            pd.Series(None, index=disp.index, dtype=object)
        start = pd.to_datetime(disp["start_date"])
        fy = fiscal_years(start.to_numpy())
        counts = pd.DataFrame({"period": [f"FY{y}" for y in fy],
                               "category": orient.where(orient.notna() & (orient != ""),
                                                        "unknown").to_numpy()})
        counts = counts.groupby(["period", "category"]).size().reset_index(name="value")
        frames.append(counts.assign(metric="dispatches", unit="件",
                                    source="records:dispatches"))
    aw = dataset.table("awards")
    if len(aw):
        program = aw["program"].astype(str)
        if grant_programs is None:
            is_grant = program.str.contains("助成") | program.str.lower().str.contains("grant")
        else:
            is_grant = program.isin(list(grant_programs))
        fy = pd.to_numeric(aw["fiscal_year"], errors="coerce")
        aw = aw.assign(period=[f"FY{int(y)}" if pd.notna(y) else "" for y in fy],
                       category=program, metric=np.where(is_grant, "grant_projects", "awards"))
        n = aw.groupby(["metric", "period", "category"]).size().reset_index(name="value")
        frames.append(n.assign(unit="件", source="records:awards"))
        if "amount_yen" in aw:
            grants = aw[is_grant.to_numpy()].assign(
                value=pd.to_numeric(aw["amount_yen"], errors="coerce"))
            yen = grants.groupby(["period", "category"])["value"].sum(min_count=1).dropna()
            if len(yen):
                frames.append(yen.reset_index().assign(metric="grant_amount_yen", unit="円",
                                                       source="records:awards"))
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat([f[columns] for f in frames], ignore_index=True)
    out["value"] = out["value"].astype(float)
    return out.sort_values(["metric", "period", "category", "source"], kind="stable") \
        .reset_index(drop=True)


def _split_sources(grp: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    records = grp["source"].astype(str).str.startswith("records:")
    return grp[~records], grp[records]


def series_conflicts(series: pd.DataFrame, figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """Report figures that disagree: between sources, with the records, or with themselves.

    A metric/period/category cell is a conflict when the report's sources give it different
    values, or when the records count **more** than the report says. Records counting fewer
    are incomplete data, not a disagreement (:func:`series_incomplete`). With ``figures``
    (the ``figures`` table), a stated total that differs from the sum of its own table and
    one figure printed with two periods are conflicts too
    (``ingest.figure_checks.figure_conflicts``), so the count agrees with
    ``ingest.store.conflicts`` on the report's figures.

    Parameters
    ----------
    series : pandas.DataFrame
        Output of :func:`report_series`.
    figures : pandas.DataFrame, optional
        The dataset's ``figures`` table, for the checks of the report against itself.

    Returns
    -------
    pandas.DataFrame
        ``kind`` (``sources_disagree``, ``records_exceed_report``, ``total_vs_table``,
        ``two_periods``), ``metric, period, category, values`` (``source=value`` pairs
        joined by ``; ``), ``spread`` (max − min), one row per conflict.

    Examples
    --------
    >>> s = pd.DataFrame({"metric": ["d", "d", "d"], "period": ["FY2015"] * 3,
    ...                   "category": ["t"] * 3, "value": [7.0, 12.0, 2.0],
    ...                   "source": ["A", "B", "records:dispatches"]})
    >>> series_conflicts(s)[["kind", "values", "spread"]].values.tolist()
    [['sources_disagree', 'A=7; B=12; records:dispatches=2', 10.0]]
    >>> series_conflicts(s[s["source"] != "B"]).empty   # 2 records of the 7: incomplete
    True
    """
    from ingest.figure_checks import figure_conflicts

    cols = ["kind", "metric", "period", "category", "values", "spread"]
    rows = []
    for key, grp in series.groupby(["metric", "period", "category"], sort=True):
        reported, counted = _split_sources(grp)
        if reported["value"].nunique() > 1:
            kind = "sources_disagree"
        elif len(reported) and len(counted) and counted["value"].max() > reported["value"].max():
            kind = "records_exceed_report"
        else:
            continue
        vals = "; ".join(f"{s}={v:g}" for s, v in zip(grp["source"], grp["value"]))
        rows.append((kind, *key, vals, float(grp["value"].max() - grp["value"].min())))
    if figures is not None and len(figures):
        for found in figure_conflicts(figures).itertuples(index=False):
            involved = figures.iloc[found.rows]
            values = pd.to_numeric(involved["value"], errors="coerce")
            if found.kind == "total_vs_table":
                spread = abs(float(values.iloc[0]) - float(values.iloc[1:].sum()))
                period = str(involved["period"].iloc[0])
            else:
                spread = 0.0
                period = " | ".join(dict.fromkeys(str(p) for p in involved["period"]))
            rows.append((found.kind, found.metric, period, found.category,
                         found.values, spread))
    return pd.DataFrame(rows, columns=cols)


def series_incomplete(series: pd.DataFrame) -> pd.DataFrame:
    """Cells where the records count fewer than the report states: the records hold only
    part of the reported activity (two dispatch records of one case against the 35 of
    FY2018). Listed as incomplete, never as conflicts.

    Returns
    -------
    pandas.DataFrame
        ``metric, period, category, reported, recorded, missing, values``.

    Examples
    --------
    >>> s = pd.DataFrame({"metric": ["d", "d"], "period": ["FY2018"] * 2,
    ...                   "category": ["territorial"] * 2, "value": [35.0, 2.0],
    ...                   "source": ["figures: p.7", "records:dispatches"]})
    >>> series_incomplete(s)[["reported", "recorded", "missing"]].values.tolist()
    [[35.0, 2.0, 33.0]]
    """
    cols = ["metric", "period", "category", "reported", "recorded", "missing", "values"]
    rows = []
    for key, grp in series.groupby(["metric", "period", "category"], sort=True):
        reported, counted = _split_sources(grp)
        if not len(reported) or not len(counted):
            continue
        top, recorded = float(reported["value"].max()), float(counted["value"].max())
        if recorded < top and reported["value"].nunique() == 1:
            vals = "; ".join(f"{s}={v:g}" for s, v in zip(grp["source"], grp["value"]))
            rows.append((*key, top, recorded, top - recorded, vals))
    return pd.DataFrame(rows, columns=cols)
