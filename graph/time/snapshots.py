"""Snapshots of a timeline: which organisations and ties are present at the end of a period.

- **cumulative** (``window=None``): everything whose first evidence is on or before the end of
  the period;
- **windowed** (``window=N`` years): ties *active* at some time in the last N years, where a tie
  is active from its first evidence to its last evidence plus ``decay_days``. An organisation
  is active from its first dated record to its last one (plus the same decay).

Dates follow ``graph.build``: a record's date is its start; a tie's ``first_date`` is None
when some of its evidence is undated. Such a tie, and an organisation without any dated
record, cannot be placed in time: ``undated="include"`` (default) puts them in every
snapshot — so each cumulative fiscal-year snapshot has the ties of
``tie_graph(dataset, fiscal_year=…)`` and the last one is the whole tie graph — and
``undated="exclude"`` dates a partly undated tie by its dated evidence and leaves wholly
undated records out. An organisation enters at its first dated record (founding or any
activity), which is what makes "new organisations" countable. Snapshot tie weights are the
tie's whole-record weight; only the presence of a tie is dated.

Examples
--------
>>> from graph.time import fiscal_period, timeline_from_graph
>>> G = nx.Graph()
>>> G.add_edge("a", "b", weight=1.0, first_date=dt.date(2018, 5, 1), last_date=dt.date(2018, 5, 1))
>>> G.add_edge("b", "c", weight=1.0, first_date=dt.date(2019, 4, 1), last_date=dt.date(2019, 6, 1))
>>> sorted(snapshot(timeline_from_graph(G), fiscal_period(2018)).edges())
[('a', 'b')]
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
import numpy as np
import pandas as pd

from graph.errors import GraphError
from graph.time.periods import Period
from graph.time.timeline import Timeline

__all__ = ["snapshot_masks", "snapshot"]


def _check_undated(undated: str) -> None:
    if undated not in ("include", "exclude"):
        raise GraphError(f"undated: expected 'include' or 'exclude', got {undated!r}")


def _present(first: pd.Series, last: pd.Series, end: pd.Timestamp,
             window_start: pd.Timestamp | None, decay: pd.Timedelta, include_undated: bool):
    f = first.to_numpy(dtype="datetime64[ns]")
    lst = last.to_numpy(dtype="datetime64[ns]")
    lst = np.where(np.isnat(lst), f, lst)
    if include_undated:   # an undated start means "present from the beginning"
        start = np.where(np.isnat(f), np.datetime64("1678-01-01", "ns"), f)
        undated = np.isnat(f) & np.isnat(lst)
    else:                 # only dated evidence counts: a tie dated only by its last evidence
        start = np.where(np.isnat(f), lst, f)
        undated = np.zeros(len(f), dtype=bool)
    with np.errstate(invalid="ignore"):
        mask = ~np.isnat(start) & (start <= np.datetime64(end))
        if window_start is not None:
            mask &= undated | ((lst + np.timedelta64(decay)) >= np.datetime64(window_start))
    return mask | undated


def _window_start(period_end: dt.date, window: float | None) -> pd.Timestamp | None:
    if window is None:
        return None
    if window <= 0:
        raise GraphError(f"window: expected a positive number of years, got {window}")
    whole = int(window)
    start = pd.Timestamp(period_end) + pd.Timedelta(days=1) - pd.DateOffset(years=whole)
    frac = window - whole
    if frac:
        start -= pd.Timedelta(days=round(365.25 * frac))
    return pd.Timestamp(start)


def snapshot_masks(timeline: Timeline, period: Period | dt.date, *, window: float | None = None,
                   decay_days: int = 0, undated: str = "include") -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks over ``timeline.orgs`` and ``timeline.ties`` selecting one snapshot.

    Parameters
    ----------
    timeline : Timeline
    period : Period or datetime.date
        The snapshot is taken at the period's end (or at the date).
    window : float, optional, keyword-only
        None: cumulative. N: ties active at some time in the last N years up to the end.
    decay_days : int, keyword-only
        Days a tie (and an organisation) stays active after its last evidence.
    undated : {"include", "exclude"}, keyword-only
        Whether undated organisations and ties are in every snapshot or in none.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Organisation mask and tie mask. Every endpoint of a selected tie is selected.

    Raises
    ------
    GraphError
        For a bad ``window``, ``decay_days`` or ``undated``.

    Examples
    --------
    >>> from graph.time import fiscal_period, timeline_from_graph
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", first_date=dt.date(2015, 4, 1), last_date=dt.date(2015, 4, 1))
    >>> tl = timeline_from_graph(G)
    >>> snapshot_masks(tl, fiscal_period(2017))[1].tolist()
    [True]
    >>> snapshot_masks(tl, fiscal_period(2017), window=2)[1].tolist()
    [False]
    >>> snapshot_masks(tl, fiscal_period(2017), window=2, decay_days=366)[1].tolist()
    [True]
    """
    _check_undated(undated)
    if decay_days < 0:
        raise GraphError(f"decay_days: expected 0 or more, got {decay_days}")
    end_day = period.end if isinstance(period, Period) else period
    end = pd.Timestamp(end_day)
    start = _window_start(end_day, window)
    decay = pd.Timedelta(days=int(decay_days))
    include = undated == "include"
    tie_mask = _present(timeline.ties["first_date"], timeline.ties["last_date"], end, start,
                        decay, include)
    org_mask = _present(timeline.orgs["first_date"], timeline.orgs["last_date"], end, start,
                        decay, include)
    if tie_mask.any():
        u, v = timeline.ends
        org_mask[u[tie_mask]] = True
        org_mask[v[tie_mask]] = True
    return org_mask, tie_mask


def snapshot(timeline: Timeline, period: Period | dt.date, *, window: float | None = None,
             decay_days: int = 0, undated: str = "include") -> nx.Graph:
    """The tie graph of one snapshot (a new graph; the timeline is not modified).

    Parameters
    ----------
    timeline : Timeline
    period : Period or datetime.date
    window, decay_days, undated : keyword-only
        See :func:`snapshot_masks`.

    Returns
    -------
    nx.Graph
        Nodes with ``name, kind, ward, orientation, sector, synthetic``; edges with
        ``weight, first_date, last_date``. Graph attribute ``period`` holds the label.

    Examples
    --------
    >>> from graph.time import fiscal_period, timeline_from_graph
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", first_date=dt.date(2019, 3, 31), last_date=dt.date(2019, 3, 31))
    >>> G.add_edge("b", "c", first_date=dt.date(2019, 4, 1), last_date=dt.date(2019, 4, 1))
    >>> sorted(snapshot(timeline_from_graph(G), fiscal_period(2018)))
    ['a', 'b']
    """
    org_mask, tie_mask = snapshot_masks(timeline, period, window=window, decay_days=decay_days,
                                        undated=undated)
    H = nx.Graph(period=period.label if isinstance(period, Period) else str(period))
    orgs = timeline.orgs[org_mask]
    cols = ["name", "kind", "ward", "orientation", "sector", "synthetic"]
    H.add_nodes_from((v, dict(zip(cols, row))) for v, row in
                     zip(orgs.index, orgs[cols].itertuples(index=False, name=None)))
    ties = timeline.ties[tie_mask]
    for u, v, w, f, last in ties.itertuples(index=False, name=None):
        H.add_edge(u, v, weight=w, first_date=None if pd.isna(f) else f.date(),
                   last_date=None if pd.isna(last) else last.date())
    return H
