"""The report's dispatch table as a chart: printed figures apart from synthetic ones, totals as
totals.

:func:`dispatch_rows` turns ``graph.time.report_series`` rows into chart rows: each source
becomes one panel with a short title (報告書 p.11, …), 地縁型 and テーマ型 stack in one bar and
合計 stands in its own bar beside them (never on top of them), and every row says whether it
is one of the report's printed figures or a synthetic / recomputed series.
:func:`dispatch_chart` draws one group of panels, wrapped two to a row with the legend below,
so no panel, title or legend runs off the page.

Examples
--------
>>> import pandas as pd
>>> series = pd.DataFrame({"metric": ["dispatches"] * 3, "period": ["FY2018"] * 3,
...     "category": ["territorial", "thematic", "total"], "value": [35.0, 8.0, 43.0],
...     "unit": ["件"] * 3, "source": ["figures: 1(1)イ② 実績 年度別派遣件数 (p.11)"] * 3})
>>> rows = dispatch_rows(series, synthetic_sources=set(), lang="ja")
>>> rows.groupby("bar")["value"].sum().to_dict()
{'内訳': 43.0, '合計': 43.0}
>>> rows["panel"].iloc[0], rows["group"].iloc[0]
('報告書 p.11', 'report')
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

__all__ = ["PANEL_WIDTH", "dispatch_chart", "dispatch_rows"]

#: Width of one panel (pixels); two panels a row fit the page's main column.
PANEL_WIDTH = 260

_CATEGORY = {"territorial": ("地縁型", "Territorial"), "thematic": ("テーマ型", "Thematic"),
             "unknown": ("不明", "Unknown"), "total": ("合計", "Total")}
_BAR = {"breakdown": ("内訳", "Breakdown"), "total": ("合計", "Total")}
_PAGE = re.compile(r"p\.\s*(\d+)")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _panel(source: str, synthetic: bool, lang: str) -> str:
    """A short panel title: the report's first page cited, or what the series is."""
    text = source.removeprefix("figures: ").strip()
    if source.startswith("records:"):
        return _pick(("記録から集計", "Counted from the records"), lang)
    if synthetic:
        seed = re.search(r"seed=(\d+)", text)
        suffix = f" (seed {seed.group(1)})" if seed else ""
        return _pick(("合成データ", "Synthetic"), lang) + suffix
    page = _PAGE.search(text)
    title = _pick(("報告書", "Report"), lang) + (f" p.{page.group(1)}" if page else f" {text[:20]}")
    if "合計列" in text:
        title += _pick(("（合計列）", " (total column)"), lang)
    return title


def _panels(sources: pd.Series, synthetic: pd.Series, lang: str) -> list[str]:
    """One title per source, distinct: two sources with the same short title (the same page)
    get their section (or a number) added, so that their bars never stack in one panel."""
    titles = {s: _panel(s, bool(x), lang) for s, x in zip(sources, synthetic)}
    for title in set(titles.values()):
        same = sorted(s for s, t in titles.items() if t == title)
        if len(same) < 2:
            continue
        for i, source in enumerate(same, 1):
            words = source.removeprefix("figures: ").split()
            section = words[0] if words else ""
            titles[source] = f"{title} {section}" if section else f"{title} ({i})"
        if len({titles[s] for s in same}) < len(same):
            for i, source in enumerate(same, 1):
                titles[source] = f"{title} ({i})"
    return [titles[s] for s in sources]


def dispatch_rows(series: pd.DataFrame, *, synthetic_sources: set, lang: str = "ja"
                  ) -> pd.DataFrame:
    """Chart rows of the ``dispatches`` series, one panel per source.

    Parameters
    ----------
    series : pandas.DataFrame
        ``graph.time.report_series`` (``metric, period, category, value, unit, source``).
    synthetic_sources : set of str
        Sources (as in ``series``) whose figures are synthetic.
    lang : {"ja", "en"}

    Returns
    -------
    pandas.DataFrame
        ``panel`` (short title), ``source`` (as printed), ``group`` (``report`` for the
        report's printed figures, ``reference`` for synthetic figures and counts from the
        records), ``period``, ``category`` (translated), ``bar`` (内訳 for the stacked
        地縁型 + テーマ型, 合計 for a printed total, a bar of its own), ``value``.

    Examples
    --------
    >>> series = pd.DataFrame({"metric": ["dispatches"], "period": ["FY2019"],
    ...     "category": ["thematic"], "value": [4.0], "unit": ["件"],
    ...     "source": ["figures: synthetic:city:seed=2019"]})
    >>> dispatch_rows(series, synthetic_sources={"figures: synthetic:city:seed=2019"},
    ...               lang="en")[["panel", "group", "bar"]].values.tolist()
    [['Synthetic (seed 2019)', 'reference', 'Breakdown']]
    """
    rows = series[series["metric"] == "dispatches"]
    columns = ["panel", "source", "group", "period", "category", "bar", "value"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    sources = rows["source"].astype(str)
    synthetic = sources.isin(synthetic_sources)
    reference = synthetic | sources.str.startswith("records:")
    category = rows["category"].astype(str)
    out = pd.DataFrame({
        "panel": _panels(sources, synthetic, lang),
        "source": sources.str.removeprefix("figures: ").to_numpy(),
        "group": ["reference" if r else "report" for r in reference],
        "period": rows["period"].astype(str).to_numpy(),
        "category": [_pick(_CATEGORY.get(c, (c, c)), lang) for c in category],
        "bar": [_pick(_BAR["total" if c == "total" else "breakdown"], lang) for c in category],
        "value": rows["value"].astype(float).to_numpy()})
    return out[columns].sort_values(["group", "panel", "period"], kind="stable",
                                    ignore_index=True)


def dispatch_chart(rows: pd.DataFrame, *, lang: str = "ja", fy_title: str = "FY",
                   count_title: str = "Count") -> alt.FacetChart:
    """Panels of stacked 地縁型 + テーマ型 bars with the printed 合計 beside them.

    Two panels a row (``facet(columns=2)``), short titles that never overlap, the legend
    below the panels.

    Examples
    --------
    >>> series = pd.DataFrame({"metric": ["dispatches"] * 2, "period": ["FY2018"] * 2,
    ...     "category": ["territorial", "total"], "value": [35.0, 43.0], "unit": ["件"] * 2,
    ...     "source": ["figures: (p.11)"] * 2})
    >>> spec = dispatch_chart(dispatch_rows(series, synthetic_sources=set())).to_dict()
    >>> spec["columns"], spec["spec"]["encoding"]["xOffset"]["field"]
    (2, 'bar')
    """
    order = [_pick(_CATEGORY[c], lang) for c in ("territorial", "thematic", "unknown", "total")]
    colours = ["#2b83ba", "#fdae61", "#bababa", "#555555"]
    return alt.Chart(rows).mark_bar().encode(
        x=alt.X("period:N", title=fy_title),
        xOffset=alt.XOffset("bar:N", sort=[_pick(_BAR["breakdown"], lang),
                                           _pick(_BAR["total"], lang)]),
        y=alt.Y("value:Q", title=count_title, stack="zero"),
        color=alt.Color("category:N", title=None, scale=alt.Scale(domain=order, range=colours),
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        order=alt.Order("category:N"),
        tooltip=["panel:N", "source:N", "period:N", "bar:N", "category:N", "value:Q"],
    ).properties(width=PANEL_WIDTH, height=180).facet(
        facet=alt.Facet("panel:N", title=None,
                        header=alt.Header(labelFontSize=12, labelLimit=PANEL_WIDTH,
                                          labelOrient="top")),
        columns=2,
    )
