"""Reading record values: id lists, NPO field numbers, text, dates and the synthetic flag.

The tables of a :class:`~ingest.schemas.Dataset` hold these as read from CSV or Excel (a
``;``-joined string or a list, NaN for a missing cell); every builder of ``graph.build``
reads them through these helpers, so a missing value means the same everywhere.

Examples
--------
>>> id_list("A; B;"), field_numbers("1;13"), text_or_none(""), date_or_none(None)
(['A', 'B'], (1, 13), None, None)
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

__all__ = ["id_list", "field_numbers", "text_or_none", "date_or_none", "synthetic_flags"]


def id_list(value) -> list[str]:
    """Organisation ids of a cell: a ``;``-joined string or a list (missing: none).

    >>> id_list("A;B"), id_list(["A", 1]), id_list(float("nan"))
    (['A', 'B'], ['A', '1'], [])
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return [str(part) for part in value]


def field_numbers(value) -> tuple[int, ...]:
    """NPO field numbers of a cell: a ``;``-joined string or a list (missing: none).

    >>> field_numbers("1;13"), field_numbers([3]), field_numbers(None)
    ((1, 13), (3,), ())
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ()
    if isinstance(value, str):
        return tuple(int(part) for part in value.split(";") if part.strip())
    return tuple(int(part) for part in value)


def text_or_none(value) -> str | None:
    """A cell as text, ``None`` when missing or empty.

    >>> text_or_none("北区"), text_or_none(""), text_or_none(float("nan"))
    ('北区', None, None)
    """
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    text = str(value)
    return text if text else None


def date_or_none(value) -> dt.date | None:
    """A cell as ``datetime.date``, ``None`` when missing.

    >>> date_or_none("2019-06-01"), date_or_none(pd.NaT)
    (datetime.date(2019, 6, 1), None)
    """
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def synthetic_flags(frame: pd.DataFrame) -> pd.Series:
    """The ``synthetic`` column as bool (missing: False; no column: all False).

    >>> synthetic_flags(pd.DataFrame({"synthetic": [True, None]})).tolist()
    [True, False]
    """
    if "synthetic" not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame["synthetic"].fillna(False).astype(bool)

