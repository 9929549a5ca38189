"""Disagreements inside a report's own figures that no shared key reveals.

Two sources giving one metric, period and category different values are found by key
(``ingest.store.conflicts``, ``graph.time.series_conflicts``). Two more kinds are not:

``total_vs_table``
    A stated total over a span (metric ``X_cumulative``, e.g. 派遣件数 140件 for
    2014-04-01/2019-12-31) that differs from the sum of the table of ``X`` by period printed
    with it: rows of metric ``X`` and the same category from one source whose periods tile
    the span exactly, and which shares a page (``p.11``) with the total (any such table
    when none shares a page).
``two_periods``
    One figure (metric, category, value) printed with two different periods that overlap —
    the same 843 portal postings for 2018-09/2019-08 on p.3 and for 2017-08/2019-08 on p.51.

Periods are read by :func:`period_span`; a period it cannot read (``report``, an open
``FY2016-``) takes part in neither check.

Examples
--------
>>> fig = pd.DataFrame({
...     "metric": ["d", "d", "d_cumulative", "posts", "posts"],
...     "period": ["FY2014", "FY2015", "2014-04-01/2016-03-31", "2018-09/2019-08",
...                "2017-08/2019-08"],
...     "category": ["合計"] * 5, "value": [12, 12, 30, 843, 843],
...     "source": ["t (p.11)", "t (p.11)", "s (p.11)", "a (p.3)", "b (p.51)"]})
>>> figure_conflicts(fig)[["kind", "rows"]].values.tolist()
[['total_vs_table', [2, 0, 1]], ['two_periods', [3, 4]]]
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

__all__ = ["FIGURE_CONFLICT_COLUMNS", "period_span", "figure_conflicts"]

FIGURE_CONFLICT_COLUMNS = ("kind", "metric", "category", "key", "differs", "values", "rows")
_CUMULATIVE = "_cumulative"


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def _point(text: str, end: bool) -> dt.date | None:
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", text.strip())
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return None
    if m.group(3):
        try:
            return dt.date(year, month, int(m.group(3)))
        except ValueError:
            return None
    return _month_end(year, month) if end else dt.date(year, month, 1)


def period_span(period) -> tuple[dt.date, dt.date] | None:
    """First and last day of a figure's period, or ``None`` when it cannot be read.

    Reads ``FY2014`` (1 April – 31 March), ``FY2019(-2019-12)`` (cut at the month's end),
    ``2014-04-01/2019-12-31``, ``2018-09/2019-08``, ``2019-08-31`` and ``2017-12``.

    >>> period_span("FY2019(-2019-12)")
    (datetime.date(2019, 4, 1), datetime.date(2019, 12, 31))
    >>> period_span("2018-09/2019-08")
    (datetime.date(2018, 9, 1), datetime.date(2019, 8, 31))
    >>> period_span("report") is None, period_span("FY2016-") is None
    (True, True)
    """
    text = str(period).strip()
    m = re.fullmatch(r"FY(\d{4})(?:\(-(\d{4}-\d{1,2}(?:-\d{1,2})?)\))?", text)
    if m:
        start = dt.date(int(m.group(1)), 4, 1)
        end = _point(m.group(2), True) if m.group(2) else dt.date(int(m.group(1)) + 1, 3, 31)
        return (start, end) if end and end >= start else None
    parts = text.split("/")
    if len(parts) == 2:
        start, end = _point(parts[0], False), _point(parts[1], True)
    elif len(parts) == 1:
        start, end = _point(text, False), _point(text, True)
    else:
        return None
    return (start, end) if start and end and end >= start else None


def _pages(source) -> set[str]:
    return set(re.findall(r"p\.\s*(\d+)", str(source or "")))


def _tiles(spans: list[tuple[dt.date, dt.date]], start: dt.date, end: dt.date) -> bool:
    """The spans, in order, cover ``start``–``end`` exactly without gap or overlap."""
    spans = sorted(spans)
    if not spans or spans[0][0] != start or spans[-1][1] != end:
        return False
    return all(b[0] == a[1] + dt.timedelta(days=1) for a, b in zip(spans, spans[1:]))


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def figure_conflicts(figures: pd.DataFrame) -> pd.DataFrame:
    """Stated totals that disagree with their table, and figures printed with two periods.

    Parameters
    ----------
    figures : pandas.DataFrame
        The ``figures`` table: ``metric, period, category, value, source`` (other columns
        are ignored). Not modified.

    Returns
    -------
    pandas.DataFrame
        One row per conflict: ``kind`` (``total_vs_table`` or ``two_periods``), ``metric``,
        ``category``, ``key`` (a label of the conflict), ``differs`` (``value`` or
        ``period``), ``values`` (what disagrees, readable) and ``rows`` (positions in
        ``figures`` of the records involved, the total first).

    Examples
    --------
    >>> fig = pd.DataFrame({"metric": ["d", "d_cumulative"], "period": ["FY2014", "FY2014"],
    ...                     "category": ["合計", "合計"], "value": [12, 12], "source": ["a", "a"]})
    >>> figure_conflicts(fig).empty
    True
    """
    rows = []
    if figures is None or len(figures) == 0:
        return pd.DataFrame(columns=list(FIGURE_CONFLICT_COLUMNS))
    fig = figures.reset_index(drop=True)
    metric = fig["metric"].map(lambda m: _text(m).strip())
    category = fig["category"].map(lambda c: _text(c).strip()) if "category" in fig \
        else pd.Series("", index=fig.index)
    source = fig["source"].map(_text) if "source" in fig else pd.Series("", index=fig.index)
    value = pd.to_numeric(fig["value"], errors="coerce")
    span = fig["period"].map(period_span)

    for i in fig.index[metric.str.endswith(_CUMULATIVE)]:
        if span[i] is None or pd.isna(value[i]):
            continue
        base = metric[i][: -len(_CUMULATIVE)]
        start, end = span[i]
        inside = [j for j in fig.index if metric[j] == base and category[j] == category[i]
                  and span[j] is not None and start <= span[j][0] and span[j][1] <= end
                  and not pd.isna(value[j])]
        tables = {}
        for j in inside:
            tables.setdefault(source[j], []).append(j)
        tables = {s: js for s, js in tables.items() if _tiles([span[j] for j in js], start, end)}
        own = {s: js for s, js in tables.items() if _pages(s) & _pages(source[i])} or tables
        for table_source, js in own.items():
            total = float(value[js].sum())
            if abs(total - float(value[i])) > 1e-9:
                rows.append({
                    "kind": "total_vs_table", "metric": metric[i], "category": category[i],
                    "key": (f"metric={metric[i]}, period={fig['period'][i]}, "
                            f"category={category[i]} vs the sum of its table ({table_source})"),
                    "differs": "value",
                    "values": f"stated {float(value[i]):g}; table sums to {total:g}",
                    "rows": [int(i), *sorted(int(j) for j in js)]})

    spans = fig.index[span.notna() & value.notna()]
    groups: dict[tuple, list[int]] = {}
    for i in spans:
        groups.setdefault((metric[i], category[i], float(value[i])), []).append(int(i))
    for (m, c, v), members in groups.items():
        distinct = {}
        for i in members:
            distinct.setdefault(span[i], []).append(i)
        if len(distinct) < 2:
            continue
        keys = sorted(distinct)
        overlapping = [k for k in keys if any(o != k and o[0] <= k[1] and k[0] <= o[1]
                                              for o in keys)]
        if len(overlapping) < 2:
            continue
        involved = sorted(i for k in overlapping for i in distinct[k])
        rows.append({
            "kind": "two_periods", "metric": m, "category": c,
            "key": f"metric={m}, category={c}, value={v:g} printed with two periods",
            "differs": "period",
            "values": "; ".join(f"{fig['period'][i]} ({source[i]})" for i in involved),
            "rows": involved})
    return pd.DataFrame(rows, columns=list(FIGURE_CONFLICT_COLUMNS))
