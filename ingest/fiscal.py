"""The fiscal-year calendar (年度): the one place its rule is written.

A Japanese fiscal year runs from 1 April to 31 March; fiscal year 2019 (令和元年度) is
1 April 2019 – 31 March 2020. Every module that turns dates into fiscal years, or fiscal years
into dates, calls these functions (scalars) or :func:`fiscal_years` (arrays).

Examples
--------
>>> fiscal_year(dt.date(2020, 3, 31)), fiscal_year_bounds(2019)
(2019, (datetime.date(2019, 4, 1), datetime.date(2020, 3, 31)))
"""

from __future__ import annotations

import datetime as dt

import numpy as np

__all__ = ["FISCAL_YEAR_START_MONTH", "fiscal_year", "fiscal_year_bounds", "fiscal_year_end",
           "fiscal_year_start", "fiscal_years", "calendar_year"]

#: The month a fiscal year starts in (April).
FISCAL_YEAR_START_MONTH = 4


def fiscal_year(day: dt.date) -> int:
    """The fiscal year ``day`` falls in.

    >>> fiscal_year(dt.date(2019, 3, 31)), fiscal_year(dt.date(2019, 4, 1))
    (2018, 2019)
    """
    return day.year if day.month >= FISCAL_YEAR_START_MONTH else day.year - 1


def fiscal_year_start(fy: int) -> dt.date:
    """First day of fiscal year ``fy`` (1 April).

    >>> fiscal_year_start(2019)
    datetime.date(2019, 4, 1)
    """
    return dt.date(int(fy), FISCAL_YEAR_START_MONTH, 1)


def fiscal_year_end(fy: int) -> dt.date:
    """Last day of fiscal year ``fy`` (31 March of the next calendar year).

    >>> fiscal_year_end(2019)
    datetime.date(2020, 3, 31)
    """
    return fiscal_year_start(int(fy) + 1) - dt.timedelta(days=1)


def fiscal_year_bounds(fy: int) -> tuple[dt.date, dt.date]:
    """First and last day of fiscal year ``fy``.

    >>> fiscal_year_bounds(2019)
    (datetime.date(2019, 4, 1), datetime.date(2020, 3, 31))
    """
    return fiscal_year_start(fy), fiscal_year_end(fy)


def fiscal_years(days) -> np.ndarray:
    """The fiscal year of each date of an array (``datetime64``, pandas datetimes or
    ``datetime.date`` objects); int64.

    >>> fiscal_years(np.array(["2019-03-31", "2019-04-01"], dtype="datetime64[D]")).tolist()
    [2018, 2019]
    """
    months = np.asarray(days, dtype="datetime64[M]")
    years = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    return np.where(month >= FISCAL_YEAR_START_MONTH, years, years - 1)


def calendar_year(fy: int, month: int) -> int:
    """The calendar year of ``month`` (1–12) within fiscal year ``fy``.

    >>> calendar_year(2019, 4), calendar_year(2019, 3)
    (2019, 2020)
    """
    return fy if month >= FISCAL_YEAR_START_MONTH else fy + 1
