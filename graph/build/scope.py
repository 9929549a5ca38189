"""Scoping a dataset: :func:`restrict` to a date, a fiscal year, some wards or real records.

Every graph builder of ``graph.build`` calls :func:`restrict` first with its ``as_of``,
``fiscal_year``, ``wards`` and ``real_only`` arguments; it checks the dataset (organisation
columns and unique ids) and the scope before cutting anything. The time semantics (a
record's date is its start; the view is cumulative; undated records are always kept) are
those of the ``graph.build`` package notes.

Examples
--------
>>> from graph.build import example_dataset
>>> restrict(example_dataset(), as_of="2019-05-31").table("events")["id"].tolist()
['E1']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from graph.build.values import id_list, synthetic_flags
from graph.errors import GraphError
from ingest.schemas import TABLES, Dataset

__all__ = ["restrict"]


def _check_dataset(dataset) -> None:
    if not isinstance(dataset, Dataset):
        raise GraphError(f"expected an ingest.schemas.Dataset, got {type(dataset).__name__}")
    orgs = dataset.table("organizations")
    for column in ("id", "name", "kind"):
        if column not in orgs.columns:
            raise GraphError(f"organizations: missing column {column!r}")
    ids = orgs["id"].astype(str)
    if ids.duplicated().any():
        dup = sorted(ids[ids.duplicated()].unique())[:5]
        raise GraphError(f"organizations: duplicate ids {', '.join(dup)}")


def _as_date(value, what: str) -> dt.date:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise GraphError(f"{what}: not a date: {value!r}") from exc
    if pd.isna(stamp):
        raise GraphError(f"{what}: not a date: {value!r}")
    return stamp.date()


def _last_day(as_of, fiscal_year) -> dt.date | None:
    """The last day kept, from ``as_of`` and/or ``fiscal_year`` (the earlier wins)."""
    days = []
    if as_of is not None:
        days.append(_as_date(as_of, "as_of"))
    if fiscal_year is not None:
        if isinstance(fiscal_year, bool) or not isinstance(fiscal_year, (int, np.integer)):
            raise GraphError(f"fiscal_year: expected an int such as 2019, got {fiscal_year!r}")
        days.append(dt.date(int(fiscal_year) + 1, 3, 31))  # FY runs 1 April – 31 March
    return min(days) if days else None


def _fiscal_year_of(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame[column], errors="coerce")


def _str_col(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as Python strings (object dtype), ``None`` where missing or absent."""
    if column not in frame.columns:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    col = frame[column]
    out = col.astype(str).astype(object)
    return out.where(col.notna().to_numpy(), None)


_DATE_OF = {  # the column holding each table's (start) date
    "organizations": "founded",
    "events": "date",
    "collaborations": "start_date",
    "memberships": "since",
    "dispatches": "start_date",
    "resources": "offered_on",
    "talents": "registered_on",
}


def restrict(dataset: Dataset, *, as_of=None, fiscal_year=None, wards=None,
             real_only: bool = False) -> Dataset:
    """A consistent sub-dataset: records up to a date, in some wards, or real ones only.

    Parameters
    ----------
    dataset : Dataset
        The records; not modified.
    as_of : date-like, optional
        Keep records dated on or before this day (``datetime.date``, ``Timestamp`` or
        ``"2019-03-31"``); undated records are kept (see the module notes for each table's
        date). Organisations founded after ``as_of`` are dropped, and awards of a later
        fiscal year.
    fiscal_year : int, optional
        Cumulative: keep records up to the end of this fiscal year (31 March of
        ``fiscal_year + 1``). With ``as_of`` too, the earlier cut-off wins.
    wards : str or iterable of str, optional
        Keep the organisations located in these wards and the records touching them: their
        participations, memberships among them, dispatches, resources and awards, the
        collaborations they are part of, and events held in the wards or organised or
        attended by them.
    real_only : bool, default False
        Drop synthetic rows (``synthetic`` true) of every table.

    Returns
    -------
    Dataset
        A new dataset with the tables of ``dataset`` (frames that needed no cut are shared
        with ``dataset``: treat them as read-only). It is consistent: rows whose event or
        organisation was dropped are dropped too; a collaboration keeps only its remaining
        organisations in ``org_ids`` (and is dropped when none remain); an event whose
        organiser was dropped keeps ``organizer_id`` missing. ``figures`` is filtered by
        ``real_only`` only (its periods are free text).

    Raises
    ------
    GraphError
        If ``dataset`` is not a Dataset, organisation ids repeat, or a date or fiscal year
        cannot be read.

    Examples
    --------
    >>> from graph.build import example_dataset
    >>> ds = example_dataset()
    >>> restrict(ds, fiscal_year=2018).table("events")["id"].tolist()
    ['E1']
    >>> restrict(ds, wards="北区").table("organizations")["id"].tolist()
    ['A', 'B', 'K']
    >>> restrict(ds, wards="北区").table("participations")["org_id"].tolist()
    ['A', 'B', 'A', 'B']
    """
    _check_dataset(dataset)
    last = _last_day(as_of, fiscal_year)
    if wards is None:
        ward_set = None
    elif isinstance(wards, str):
        ward_set = {wards}
    elif isinstance(wards, Iterable):
        ward_set = {str(w) for w in wards}
    else:
        raise GraphError(f"wards: expected a ward name or a list of them, got {wards!r}")

    # only the tables present (absent ones read as empty); frames are copied only when cut
    t = {name: frame for name, frame in dataset.tables.items() if name in TABLES}

    def get(name: str) -> pd.DataFrame:
        return t[name] if name in t else dataset.table(name)

    def keep(name: str, mask) -> None:
        mask = np.asarray(mask, dtype=bool)
        if name in t and not mask.all():
            t[name] = t[name].loc[mask]

    def live(name: str) -> bool:
        return name in t and len(t[name]) > 0

    if real_only:
        for name in list(t):
            keep(name, ~synthetic_flags(t[name]))
    if last is not None:
        limit = pd.Timestamp(last) + pd.Timedelta(days=1)
        for name, column in _DATE_OF.items():
            if live(name):
                day = _dates(t[name], column)
                keep(name, day.isna() | (day < limit))
        if live("awards"):
            fy = pd.to_numeric(t["awards"]["fiscal_year"], errors="coerce")
            keep("awards", fy.isna() | (fy <= _fiscal_year_of(last)))

    if ward_set is not None and live("organizations"):
        keep("organizations", _str_col(t["organizations"], "ward").isin(ward_set))
    org_ids = set(get("organizations")["id"].astype(str))

    def known(frame: pd.DataFrame, column: str) -> np.ndarray:
        return _str_col(frame, column).isin(org_ids).to_numpy()

    if ward_set is not None and live("events"):
        part, events = get("participations"), t["events"]
        attended = set(_str_col(part, "event_id")[known(part, "org_id")])
        keep("events", _str_col(events, "ward").isin(ward_set).to_numpy()
             | known(events, "organizer_id")
             | _str_col(events, "id").isin(attended).to_numpy())
    if live("events") and "organizer_id" in t["events"].columns:
        organizer = _str_col(t["events"], "organizer_id")
        valid = organizer.isin(org_ids)
        if not (valid | organizer.isna()).all() or (organizer.isna() != t["events"][
                "organizer_id"].isna()).any():
            t["events"] = t["events"].assign(organizer_id=organizer.where(valid, None))
    event_ids = set(get("events")["id"].astype(str))

    if live("participations"):
        part = t["participations"]
        keep("participations", known(part, "org_id")
             & _str_col(part, "event_id").isin(event_ids).to_numpy())
    if live("memberships"):
        keep("memberships", known(t["memberships"], "org_id")
             & known(t["memberships"], "council_id"))
    for name, column in (("dispatches", "org_id"), ("resources", "provider_id"),
                         ("awards", "org_id")):
        if live(name):
            keep(name, known(t[name], column))

    if live("collaborations"):
        collabs = t["collaborations"]
        members = collabs["org_ids"].map(lambda v: [o for o in id_list(v) if o in org_ids])
        if (members.map(len) != collabs["org_ids"].map(lambda v: len(id_list(v)))).any():
            collabs = collabs.assign(org_ids=members)
            t["collaborations"] = collabs.loc[members.map(len).to_numpy() > 0]

    if ward_set is not None and live("talents"):
        dispatched = set(_str_col(get("dispatches"), "talent_id").dropna())
        keep("talents", _str_col(t["talents"], "id").isin(dispatched))

    tables = {name: t.get(name, frame) for name, frame in dataset.tables.items()}
    return Dataset(tables, city=dataset.city)
