"""Parsing a whole column of dates: ISO in bulk, every other spelling once per value."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ingest.normalise import parse_date

__all__ = ["parse_date_column"]

_NS_MIN, _NS_MAX = pd.Timestamp.min.date(), pd.Timestamp.max.date()


def parse_date_column(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of date strings; returns ``(dates, problems)``.

    ``dates`` is ``datetime64[ns]`` (NaT for empty or bad values); ``problems`` holds the
    reason for every bad value and "" elsewhere. ISO dates are parsed in bulk; every other
    spelling (eras, kanji) goes through ``ingest.normalise.parse_date`` once per unique value.

    >>> dates, problems = parse_date_column(pd.Series(["2019-02-17", "令和元年8月1日", "", "x"]))
    >>> [str(d.date()) if not pd.isna(d) else None for d in dates]
    ['2019-02-17', '2019-08-01', None, None]
    >>> problems.tolist()[3].startswith("'x' is not a date")
    True
    """
    values = values.astype("str")
    nonempty = (values != "").to_numpy()
    try:
        parsed = pd.to_datetime(values.where(nonempty), format="ISO8601", errors="coerce")
    except (ValueError, OverflowError):
        # The bulk parser gives up on a whole column for some mixes (UTC offsets on some
        # values only); every value then takes the exact path below.
        parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    parsed = parsed.dt.normalize()
    problems = pd.Series("", index=values.index, dtype=object)
    rest = nonempty & parsed.isna().to_numpy()
    # ISO parsing accepts dates outside the ns range and keeps them as [us]; check bounds.
    too_far = nonempty & ~rest & ((parsed < pd.Timestamp(_NS_MIN)) |
                                  (parsed > pd.Timestamp(_NS_MAX))).to_numpy()
    rest = rest | too_far
    if rest.any():
        mapping, reasons = {}, {}
        for value in pd.unique(values[rest]):
            try:
                day = parse_date(value)
            except ValueError as exc:
                reasons[value] = str(exc)
                continue
            if day > _NS_MAX:
                # Certainly after today: kept as the latest date pandas holds, so that the
                # future-date check reports it as such.
                day = _NS_MAX
            elif day < dt.date(1678, 1, 1):
                reasons[value] = f"'{value}' is too early (dates start in 1678)"
                continue
            mapping[value] = pd.Timestamp(day)
        subset = values[rest]
        parsed = parsed.astype("datetime64[ns]") if not too_far.any() else \
            parsed.where(~too_far).astype("datetime64[ns]")
        parsed[rest] = pd.to_datetime(pd.Series([mapping.get(v, pd.NaT) for v in subset],
                                                dtype=object)).astype("datetime64[ns]").to_numpy()
        problems[rest] = np.array([reasons.get(v, "") for v in subset], dtype=object)
    return parsed.astype("datetime64[ns]"), problems
