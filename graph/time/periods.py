"""Periods: fiscal years (1 April – 31 March), calendar years and quarters.

A :class:`Period` is a fiscal year (``"fy"``: 1 April – 31 March, labelled ``FY2019``), a
calendar year (``"year"``) or a calendar quarter (``"quarter"``, ``2019Q2``): the unit every
snapshot of ``graph.time.snapshots`` is taken at the end of.

Examples
--------
>>> fiscal_period(2019).label, period_of(dt.date(2019, 3, 31)).label
('FY2019', 'FY2018')
>>> [p.label for p in make_periods(dt.date(2019, 1, 1), dt.date(2019, 6, 30), freq="quarter")]
['2019Q1', '2019Q2']
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pandas as pd

from graph.errors import GraphError
from ingest.fiscal import fiscal_year, fiscal_year_bounds

__all__ = ["FREQUENCIES", "Period", "fiscal_period", "period_of", "make_periods"]

#: Period kinds accepted by :func:`make_periods`.
FREQUENCIES: tuple[str, ...] = ("fy", "year", "quarter")


class Period(NamedTuple):
    """A labelled closed date interval ``[start, end]``."""

    label: str
    start: dt.date
    end: dt.date


def fiscal_period(fy: int) -> Period:
    """The Japanese fiscal year ``fy`` (年度) as a :class:`Period`, 1 April – 31 March.

    Parameters
    ----------
    fy : int
        Fiscal year; 2019 = 令和元年度 = 平成31年度.

    Returns
    -------
    Period

    Examples
    --------
    >>> fiscal_period(2019)
    Period(label='FY2019', start=datetime.date(2019, 4, 1), end=datetime.date(2020, 3, 31))
    """
    return Period(f"FY{int(fy)}", *fiscal_year_bounds(int(fy)))


def _check_freq(freq: str) -> None:
    if freq not in FREQUENCIES:
        raise GraphError(f"freq: unknown period kind {freq!r}; use one of {', '.join(FREQUENCIES)}")


def period_of(day: dt.date, *, freq: str = "fy") -> Period:
    """The period of kind ``freq`` that contains ``day``.

    Parameters
    ----------
    day : datetime.date
    freq : {"fy", "year", "quarter"}, keyword-only
        Fiscal year (1 April – 31 March), calendar year, or calendar quarter.

    Returns
    -------
    Period

    Raises
    ------
    GraphError
        For an unknown ``freq``.

    Examples
    --------
    >>> period_of(dt.date(2019, 3, 31)).label, period_of(dt.date(2019, 4, 1)).label
    ('FY2018', 'FY2019')
    >>> period_of(dt.date(2019, 5, 1), freq="quarter")
    Period(label='2019Q2', start=datetime.date(2019, 4, 1), end=datetime.date(2019, 6, 30))
    """
    _check_freq(freq)
    if isinstance(day, pd.Timestamp):
        day = day.date()
    if freq == "fy":
        return fiscal_period(fiscal_year(day))
    if freq == "year":
        return Period(str(day.year), dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
    q = (day.month - 1) // 3
    start = dt.date(day.year, 3 * q + 1, 1)
    nxt = dt.date(day.year + 1, 1, 1) if q == 3 else dt.date(day.year, 3 * q + 4, 1)
    return Period(f"{day.year}Q{q + 1}", start, nxt - dt.timedelta(days=1))


def make_periods(first: dt.date, last: dt.date, *, freq: str = "fy") -> tuple[Period, ...]:
    """Consecutive periods of kind ``freq`` covering ``first`` … ``last``.

    Parameters
    ----------
    first, last : datetime.date
        First and last day to cover (inclusive).
    freq : {"fy", "year", "quarter"}, keyword-only

    Returns
    -------
    tuple of Period
        In time order, the first containing ``first`` and the last containing ``last``.

    Raises
    ------
    GraphError
        When ``last`` is before ``first`` or ``freq`` is unknown.

    Examples
    --------
    >>> [p.label for p in make_periods(dt.date(2019, 3, 31), dt.date(2020, 4, 1))]
    ['FY2018', 'FY2019', 'FY2020']
    """
    _check_freq(freq)
    if last < first:
        raise GraphError(f"period range ends ({last}) before it starts ({first})")
    out = [period_of(first, freq=freq)]
    while out[-1].end < last:
        out.append(period_of(out[-1].end + dt.timedelta(days=1), freq=freq))
    return tuple(out)
