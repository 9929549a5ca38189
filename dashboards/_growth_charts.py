"""Charts and tables of the Growth page (altair specs and display frames; no Streamlit calls).

Every chart titles each of its panels separately (``alt.concat`` of titled charts, never one
faceted chart with rotated headers), so titles cannot run into each other whatever the width.

>>> import pandas as pd
>>> snaps = pd.DataFrame({"period": ["FY2018", "FY2019"], "organisations": [3, 5], "ties": [2, 6]})
>>> spec = metric_grid(snaps, ["organisations", "ties"], lang="en").to_dict()
>>> [panel["title"]["text"] for panel in spec["concat"]]
['Organisations', 'Ties']
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboards import _viz
from dashboards._i18n import LABELS, t

__all__ = ["metric_grid", "event_bars", "bands", "alluvial", "events_table", "rising_table",
           "isolated_table", "trajectory_names", "matching", "trajectory", "EVENTS"]

#: Community events shown as bars, in stacking order.
EVENTS = ("birth", "merge", "split", "death", "growth", "contraction")
_PANEL_WIDTH = 330
_PANEL_HEIGHT = 130


def _panel(frame: pd.DataFrame, value: str, title: str, *, lang: str | None) -> alt.Chart:
    return alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("period:N", title=t("fy", lang=lang), axis=alt.Axis(labelAngle=-45)),
        y=alt.Y(f"{value}:Q", title=None),
        tooltip=[alt.Tooltip("period:N", title=t("fy", lang=lang)),
                 alt.Tooltip(f"{value}:Q", title=title, format=",.3~f")],
    ).properties(title=alt.TitleParams(title, anchor="start", fontSize=13),
                 width=_PANEL_WIDTH, height=_PANEL_HEIGHT)


def metric_grid(snapshots: pd.DataFrame, metrics: list[str], *,
                lang: str | None = None) -> alt.ConcatChart:
    """One titled line chart per metric, two per row."""
    panels = [_panel(snapshots[["period", m]], m, t(f"m_{m}", lang=lang), lang=lang)
              for m in metrics]
    return alt.concat(*panels, columns=2, spacing=30).resolve_scale(y="independent")


def event_bars(counts: pd.DataFrame, *, lang: str | None = None) -> alt.Chart:
    """Stacked bars of community births, merges, splits, deaths … per fiscal year.

    >>> c = pd.DataFrame({"period": ["FY1"], "birth": [2], "merge": [1], "split": [0],
    ...                   "death": [0], "growth": [0], "contraction": [0]})
    >>> event_bars(c, lang="en").data[["period", "event", "communities"]].values.tolist()[:2]
    [['FY1', 'Birth', 2], ['FY1', 'Merge', 1]]
    """
    long = counts.melt(id_vars=["period"], value_vars=[e for e in EVENTS if e in counts],
                       var_name="kind", value_name="communities")
    long["event"] = [t(f"ev_{k}", lang=lang) for k in long["kind"]]
    long["order"] = [EVENTS.index(k) for k in long["kind"]]
    names = [t(f"ev_{k}", lang=lang) for k in EVENTS]
    return alt.Chart(long).mark_bar().encode(
        x=alt.X("period:N", title=t("fy", lang=lang), axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("communities:Q", title=t("m_communities", lang=lang)),
        color=alt.Color("event:N", title=t("event", lang=lang), sort=names,
                        scale=alt.Scale(domain=names, range=["#59a14f", "#4e79a7", "#f28e2b",
                                                             "#e15759", "#76b7b2", "#bab0ac"]),
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("period:N", title=t("fy", lang=lang)),
                 alt.Tooltip("event:N", title=t("event", lang=lang)),
                 alt.Tooltip("communities:Q", title=t("m_communities", lang=lang))],
    ).properties(height=220)


def bands(flows: pd.DataFrame) -> pd.DataFrame:
    """The alluvial band polygons of the 12 largest dynamic communities."""
    return _viz.alluvial_bands(flows)


def alluvial(frame: pd.DataFrame, *, lang: str | None = None) -> alt.Chart:
    """The alluvial chart: bands = organisations staying in a community from year to year."""
    periods = sorted(frame["period"].unique())
    return alt.Chart(frame).mark_area(opacity=0.7, interpolate="monotone").encode(
        x=alt.X("x:Q", title=t("fy", lang=lang), axis=alt.Axis(
            values=list(range(len(periods))), labelAngle=-45,
            labelExpr="[" + ",".join(f"'{p}'" for p in periods) + "][datum.value]")),
        y=alt.Y("y:Q", title=t("kpi_orgs", lang=lang), axis=None), y2="y2:Q",
        color=alt.Color("community:N", title=t("community", lang=lang),
                        legend=alt.Legend(orient="right", columns=1)),
        detail="band:N",
        tooltip=[alt.Tooltip("community:N", title=t("community", lang=lang)),
                 alt.Tooltip("period:N", title=t("fy", lang=lang)),
                 alt.Tooltip("size:Q", title=t("kpi_orgs", lang=lang))],
    ).properties(height=320)


def _headed(frame: pd.DataFrame, columns: dict[str, str], *, lang: str | None) -> pd.DataFrame:
    return frame[list(columns)].rename(columns={c: t(k, lang=lang) for c, k in columns.items()})


def events_table(events: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """Community events other than plain continuations, newest first, headed in the language."""
    shown = events[events["event"] != "continuation"].iloc[::-1].copy()
    shown["event"] = [t(f"ev_{e}", lang=lang) if f"ev_{e}" in LABELS else e for e in shown["event"]]
    return _headed(shown, {"period": "col_period", "event": "col_event",
                           "community": "community", "size": "col_size",
                           "previous_size": "col_previous_size", "related": "col_related",
                           "jaccard": "col_jaccard"}, lang=lang)


def rising_table(rising: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """Rising connectors headed in the language."""
    return _headed(rising, {"name": "col_name", "id": "col_id", "start": "col_start",
                            "end": "col_end", "gain": "col_gain"}, lang=lang)


def isolated_table(lonely: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """Newly isolated organisations, the latest year first, headed in the language."""
    shown = lonely.sort_values(["period", "name"], ascending=[False, True])
    return _headed(shown, {"period": "col_period", "name": "col_name", "id": "col_id",
                           "previous_degree": "col_previous_degree"}, lang=lang)


def trajectory_names(trajectories: pd.DataFrame) -> dict[str, str]:
    """Organisation id → name, for the trajectory search."""
    last = trajectories.drop_duplicates("id", keep="last")
    return dict(zip(last["id"], last["name"].astype(str)))


def matching(names: dict[str, str], query: str, *, limit: int = 50) -> list[str]:
    """Ids of the organisations whose name contains ``query`` (case-insensitive), by name.

    >>> matching({"a": "西淀川見守り", "b": "北区の会", "c": "見守りネット"}, "見守り")
    ['a', 'c']
    >>> matching({"a": "A"}, "")
    []
    """
    needle = query.strip().casefold()
    if not needle:
        return []
    hits = [i for i, name in names.items() if needle in name.casefold()]
    return sorted(hits, key=lambda i: (names[i], i))[:limit]


def trajectory(rows: pd.DataFrame, *, lang: str | None = None) -> alt.ConcatChart:
    """One organisation's degree and betweenness per year, one titled panel each."""
    panels = [_panel(rows[["period", m]], m, t(f"col_{m}", lang=lang), lang=lang)
              for m in ("degree", "betweenness")]
    return alt.concat(*panels, columns=2, spacing=30).resolve_scale(y="independent")
