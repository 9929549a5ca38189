"""Growth over time: dated tie lists, fiscal-year snapshots, snapshot metrics and growth laws.

The organisation tie graph (``graph.build.tie_graph``) carries, on every tie, the dates of its
first and last evidence. This module turns it **once** into a :class:`Timeline` — one row per
organisation and one per tie, each with an activity interval — and then slices that table per
period with vectorised comparisons instead of rebuilding graphs from the records.

Snapshots
---------
A :class:`Period` is a fiscal year (``"fy"``: 1 April – 31 March, labelled ``FY2019``), a
calendar year (``"year"``) or a calendar quarter (``"quarter"``, ``2019Q2``).

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

Growth laws
-----------
- :func:`densification`: the exponent ``a`` of ties ∝ organisations^a (Leskovec, Kleinberg &
  Faloutsos 2005), fitted by least squares on log–log points, with a t-based confidence
  interval.
- :func:`attachment_kernel`: the measured preferential-attachment kernel (Jeong, Néda &
  Barabási 2003; Newman 2001): A(k) = new tie ends landing on organisations of degree k at the
  previous snapshot ÷ the number of such organisations, pooled over transitions, and the
  exponent α of A(k) ∝ k^α fitted on logarithmic bins (α ≈ 1: linear preferential attachment;
  α ≈ 0: no preference).
- :func:`degree_distribution`: degree counts per snapshot.

The report's own series (:func:`report_series`) put the aggregate figures a source prints
(the ``figures`` table, several sources side by side) next to the same counts recomputed from
the records, so a conflict between sources is visible rather than silently resolved.

Examples
--------
>>> import datetime as dt, networkx as nx
>>> G = nx.Graph()
>>> G.add_edge("a", "b", weight=1.0, first_date=dt.date(2018, 5, 1), last_date=dt.date(2018, 5, 1))
>>> G.add_edge("b", "c", weight=1.0, first_date=dt.date(2019, 4, 1), last_date=dt.date(2019, 6, 1))
>>> tl = timeline_from_graph(G)
>>> [p.label for p in timeline_periods(tl)]
['FY2018', 'FY2019']
>>> sorted(snapshot(tl, fiscal_period(2018)).edges())
[('a', 'b')]
>>> snapshot_metrics(snapshot(tl, fiscal_period(2019)))["ties"]
2
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats
from scipy.sparse.csgraph import connected_components

from graph.errors import GraphError
from graph.measures import sector_of
from ingest.fiscal import fiscal_year, fiscal_year_bounds, fiscal_years

__all__ = [
    "FREQUENCIES",
    "Period",
    "Timeline",
    "Densification",
    "AttachmentKernel",
    "fiscal_period",
    "period_of",
    "make_periods",
    "timeline_periods",
    "org_activity",
    "timeline_from_graph",
    "timeline_from_dataset",
    "snapshot_masks",
    "snapshot",
    "snapshot_metrics",
    "densification",
    "attachment_kernel",
    "degree_distribution",
    "report_series",
    "series_conflicts",
    "series_incomplete",
]

#: Period kinds accepted by :func:`make_periods`.
FREQUENCIES: tuple[str, ...] = ("fy", "year", "quarter")

_ORG_COLUMNS = ("name", "kind", "ward", "orientation", "sector", "synthetic",
                "first_date", "last_date")
_TIE_COLUMNS = ("u", "v", "weight", "first_date", "last_date")


# --- periods ----------------------------------------------------------------------------------


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


# --- the timeline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeline:
    """Organisations and ties with their activity intervals: the input of every snapshot.

    Attributes
    ----------
    orgs : pandas.DataFrame
        Indexed by organisation id: ``name, kind, ward, orientation, sector, synthetic,
        first_date, last_date`` (``datetime64[ns]``; both NaT when undated). The interval
        covers every incident tie.
    ties : pandas.DataFrame
        One row per tie, ``u < v`` in the order of ``orgs``: ``u, v, weight, first_date,
        last_date`` (``datetime64[ns]``; both NaT when undated).
    ends : tuple of numpy.ndarray, optional
        Integer positions in ``orgs`` of each tie's ``u`` and ``v``; looked up from the ids
        when not given (``graph.time_core`` passes the core's codes).
    """

    orgs: pd.DataFrame
    ties: pd.DataFrame
    ends: tuple = field(default=(), repr=False, compare=False)

    def __post_init__(self):
        if self.ends:
            u, v = (np.asarray(e, dtype=np.int64) for e in self.ends)
            if len(u) != len(self.ties) or len(v) != len(self.ties):
                raise GraphError("ends: one position per tie expected for u and for v")
            object.__setattr__(self, "ends", (u, v))
            return
        # integer positions of each tie's endpoints in ``orgs`` (computed once, for slicing)
        index = pd.Index(self.orgs.index.to_numpy(dtype=object))
        u = index.get_indexer(self.ties["u"].to_numpy(dtype=object))
        v = index.get_indexer(self.ties["v"].to_numpy(dtype=object))
        if len(u) and (u.min() < 0 or v.min() < 0):
            raise GraphError("every tie's endpoints must be organisations of the timeline")
        object.__setattr__(self, "ends", (u.astype(np.int64), v.astype(np.int64)))

    @property
    def span(self) -> tuple[dt.date, dt.date] | None:
        """From the first dated tie evidence to the last dated record of any kind.

        Organisation dates (founding, awards …) extend the end but not the start, so a
        council founded in 1950 does not add decades of empty snapshots; without any dated
        tie the organisations' dates give both ends. None when nothing is dated.
        """
        ties = pd.concat([self.ties["first_date"], self.ties["last_date"]]).dropna()
        orgs = pd.concat([self.orgs["first_date"], self.orgs["last_date"]]).dropna()
        if len(ties):
            end = max(ties.max(), orgs.max()) if len(orgs) else ties.max()
            return ties.min().date(), end.date()
        if len(orgs):
            return orgs.min().date(), orgs.max().date()
        return None


def _as_datetime(values) -> pd.Series:
    return pd.to_datetime(pd.Series(list(values), dtype="object"), errors="coerce")


def timeline_periods(timeline: Timeline, *, freq: str = "fy") -> tuple[Period, ...]:
    """The periods of kind ``freq`` covering the timeline's dated tie evidence.

    Parameters
    ----------
    timeline : Timeline
    freq : {"fy", "year", "quarter"}, keyword-only

    Returns
    -------
    tuple of Period
        Empty when nothing is dated.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge(1, 2, first_date=dt.date(2019, 1, 5), last_date=dt.date(2019, 4, 2))
    >>> [p.label for p in timeline_periods(timeline_from_graph(G), freq="quarter")]
    ['2019Q1', '2019Q2']
    """
    span = timeline.span
    return () if span is None else make_periods(span[0], span[1], freq=freq)


def org_activity(dataset) -> pd.DataFrame:
    """First and last dated record of each organisation in a dataset.

    Dates come from ``organizations.founded``, the events an organisation took part in
    (``date``/``end_date``), collaborations, council memberships (``since``/``until``, for the
    member and the council), dispatches, resource offers and awards (the whole fiscal year).

    Parameters
    ----------
    dataset : ingest.schemas.Dataset

    Returns
    -------
    pandas.DataFrame
        Indexed by organisation id (every organisation, undated ones with NaT): ``first_date``,
        ``last_date``.

    Examples
    --------
    >>> from ingest.schemas import Dataset
    >>> orgs = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["npo", "npo"],
    ...                      "founded": pd.to_datetime(["2015-06-01", None])})
    >>> aw = pd.DataFrame({"org_id": ["a"], "program": ["grant"], "fiscal_year": [2018]})
    >>> org_activity(Dataset({"organizations": orgs, "awards": aw})).loc["a"].dt.date.tolist()
    [datetime.date(2015, 6, 1), datetime.date(2019, 3, 31)]
    """
    orgs = dataset.table("organizations")

    def col(frame: pd.DataFrame, name: str) -> np.ndarray:
        if name in frame:
            return pd.to_datetime(frame[name], errors="coerce").to_numpy(dtype="datetime64[ns]")
        return np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[ns]")

    def rows(ids, first, last) -> pd.DataFrame:
        return pd.DataFrame({"org": np.asarray(ids, dtype=object), "first": first, "last": last})

    parts = [rows(orgs["id"], col(orgs, "founded"), col(orgs, "founded"))]
    events = dataset.table("events")
    part = dataset.table("participations")
    if len(part) and len(events):
        ev = events.drop_duplicates("id").set_index("id")
        start = pd.Series(col(ev, "date"), index=ev.index)
        end = pd.Series(col(ev, "end_date"), index=ev.index).fillna(start)
        parts.append(rows(part["org_id"], part["event_id"].map(start).to_numpy(),
                          part["event_id"].map(end).to_numpy()))
    collab = dataset.table("collaborations")
    if len(collab):
        ex = collab.explode("org_ids")
        parts.append(rows(ex["org_ids"], col(ex, "start_date"), col(ex, "end_date")))
    mem = dataset.table("memberships")
    if len(mem):
        for who in ("org_id", "council_id"):
            parts.append(rows(mem[who], col(mem, "since"), col(mem, "until")))
    disp = dataset.table("dispatches")
    if len(disp):
        parts.append(rows(disp["org_id"], col(disp, "start_date"), col(disp, "end_date")))
    res = dataset.table("resources")
    if len(res):
        parts.append(rows(res["provider_id"], col(res, "offered_on"), col(res, "offered_on")))
    aw = dataset.table("awards")
    if len(aw):
        fy = pd.to_numeric(aw["fiscal_year"], errors="coerce").astype("Int64").astype(str)
        nxt = (pd.to_numeric(aw["fiscal_year"], errors="coerce") + 1).astype("Int64").astype(str)
        parts.append(rows(aw["org_id"],
                          pd.to_datetime(fy + "-04-01", errors="coerce").to_numpy(),
                          pd.to_datetime(nxt + "-03-31", errors="coerce").to_numpy()))
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True)
    frame["first"] = pd.to_datetime(frame["first"], errors="coerce")
    frame["last"] = pd.to_datetime(frame["last"], errors="coerce")
    both = pd.concat([frame["first"], frame["last"]], axis=1)
    frame["first"], frame["last"] = both.min(axis=1), both.max(axis=1)
    grouped = frame.groupby("org", sort=False).agg(first_date=("first", "min"),
                                                  last_date=("last", "max"))
    out = grouped.reindex(pd.Index(orgs["id"], name="id"))
    return out.astype("datetime64[ns]")


def _check_undated(undated: str) -> None:
    if undated not in ("include", "exclude"):
        raise GraphError(f"undated: expected 'include' or 'exclude', got {undated!r}")


def timeline_from_graph(G: nx.Graph, *, activity: pd.DataFrame | None = None,
                        weight: str = "weight") -> Timeline:
    """The :class:`Timeline` of a tie graph whose edges carry ``first_date`` / ``last_date``.

    Parameters
    ----------
    G : nx.Graph
        Undirected tie graph (``graph.build.tie_graph``); not modified. Edge attributes
        ``first_date`` and ``last_date`` (``datetime.date`` or None) date each tie. As in
        ``graph.build``, ``first_date`` None means some evidence is undated: the tie is
        present from the beginning (until ``last_date`` plus decay in windowed snapshots).
    activity : pandas.DataFrame, optional
        ``first_date`` / ``last_date`` per organisation id (:func:`org_activity`); an
        organisation's interval is widened to cover its incident ties.
    weight : str, keyword-only
        Edge attribute holding the tie weight (1.0 when absent).

    Returns
    -------
    Timeline

    Raises
    ------
    GraphError
        For a directed or multi graph, or a tie that ends before it starts.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("x", "y", first_date=dt.date(2016, 4, 1), last_date=None)
    >>> G.add_node("z")
    >>> tl = timeline_from_graph(G)
    >>> tl.ties[["u", "v"]].values.tolist(), tl.orgs["first_date"].isna().tolist()
    ([['x', 'y']], [False, False, True])
    """
    if G.is_directed() or G.is_multigraph():
        raise GraphError(f"expected an undirected simple graph (nx.Graph), got {type(G).__name__}")
    nodes = list(G)
    order = {v: i for i, v in enumerate(nodes)}
    rows = []
    for a, b, data in G.edges(data=True):
        if a == b:
            continue
        u, v = (a, b) if order[a] < order[b] else (b, a)
        first, last = data.get("first_date"), data.get("last_date")
        last = first if last is None else last
        if first is not None and last < first:
            raise GraphError(f"tie {u!r}–{v!r} ends ({last}) before it starts ({first})")
        w = data.get(weight, 1.0)
        rows.append((u, v, 1.0 if w is None else float(w), first, last))
    ties = pd.DataFrame(rows, columns=list(_TIE_COLUMNS))
    ties["first_date"] = _as_datetime(ties["first_date"])
    ties["last_date"] = _as_datetime(ties["last_date"])
    ties["weight"] = ties["weight"].astype(float)

    attrs = {col: [G.nodes[v].get(col) for v in nodes]
             for col in ("name", "kind", "ward", "orientation")}
    orgs = pd.DataFrame(attrs, index=pd.Index(nodes, name="id", dtype=object))
    orgs["name"] = [str(v) if n is None else n for v, n in zip(nodes, orgs["name"])]
    orgs["sector"] = [sector_of(k) for k in orgs["kind"]]
    orgs["synthetic"] = [bool(G.nodes[v].get("synthetic", False)) for v in nodes]
    ends = pd.concat([
        pd.DataFrame({"id": ties["u"], "first": ties["first_date"], "last": ties["last_date"]}),
        pd.DataFrame({"id": ties["v"], "first": ties["first_date"], "last": ties["last_date"]}),
    ])
    if activity is not None:
        act = activity.reindex(columns=["first_date", "last_date"])
        ends = pd.concat([ends, pd.DataFrame({"id": act.index, "first": act["first_date"],
                                              "last": act["last_date"]})])
    ends = ends[ends["id"].isin(order)]
    span = ends.groupby("id", sort=False).agg(first_date=("first", "min"),
                                             last_date=("last", "max"))
    span = span.reindex(orgs.index)
    orgs["first_date"] = pd.to_datetime(span["first_date"]).astype("datetime64[ns]")
    orgs["last_date"] = pd.to_datetime(span["last_date"]).astype("datetime64[ns]")
    ties["first_date"] = ties["first_date"].astype("datetime64[ns]")
    ties["last_date"] = ties["last_date"].astype("datetime64[ns]")
    return Timeline(orgs=orgs[list(_ORG_COLUMNS)], ties=ties)


def timeline_from_dataset(dataset, *, weights: Mapping[str, float] | None = None,
                          real_only: bool = False) -> Timeline:
    """Build the dated tie list of a dataset once, from the array core over all time.

    The ties come from ``graph.core.core_from_dataset`` (the ties of
    ``graph.build.tie_graph``, as arrays) through ``graph.time_core.timeline_from_core``;
    ``timeline_from_graph(tie_graph(dataset), activity=org_activity(dataset))`` gives the
    same table (tested).

    Parameters
    ----------
    dataset : ingest.schemas.Dataset
    weights : mapping, optional, keyword-only
        Tie weights per part (``graph.build.DEFAULT_TIE_WEIGHTS`` when None).
    real_only : bool, keyword-only
        Leave out synthetic records.

    Returns
    -------
    Timeline

    Examples
    --------
    >>> from ingest.schemas import Dataset
    >>> orgs = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["npo", "company"],
    ...                      "founded": pd.to_datetime(["2016-05-01", "2017-01-01"])})
    >>> tl = timeline_from_dataset(Dataset({"organizations": orgs}))
    >>> len(tl.orgs), len(tl.ties), [p.label for p in timeline_periods(tl)]
    (2, 0, ['FY2016'])
    """
    from graph.build import restrict
    from graph.core import core_from_dataset
    from graph.time_core import timeline_from_core

    scoped = restrict(dataset, real_only=True) if real_only else dataset
    core = core_from_dataset(scoped, weights=weights)
    return timeline_from_core(core, activity=org_activity(scoped))


# --- slicing ----------------------------------------------------------------------------------


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


# --- snapshot metrics -------------------------------------------------------------------------


def _triangles(u: np.ndarray, v: np.ndarray, n: int) -> np.ndarray:
    """Triangles through each node, from a simple edge list (no loops, no duplicates).

    Edges are oriented from the lower- to the higher-degree end (L); each triangle
    a < b < c is found once as a two-path (L @ L masked by L: credits a) and once as a pair
    of out-neighbours of a (Lᵀ @ L masked by L: credits b by row, c by column). Hubs get only
    few out-edges, so the sparse products stay small on hub-heavy graphs.
    """
    if len(u) == 0:
        return np.zeros(n)
    deg = np.bincount(np.concatenate([u, v]), minlength=n)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), deg))] = np.arange(n)
    forward = rank[u] < rank[v]
    lo, hi = np.where(forward, u, v), np.where(forward, v, u)
    L = sp.csr_array((np.ones(len(u)), (lo, hi)), shape=(n, n))
    low = (L @ L).multiply(L)
    mid_high = L.multiply((L.T @ L).tocsr())
    return (np.asarray(low.sum(axis=1)).ravel() + np.asarray(mid_high.sum(axis=1)).ravel()
            + np.asarray(mid_high.sum(axis=0)).ravel())


def _metrics(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, sector: np.ndarray,
             orient: np.ndarray, labels: np.ndarray | None) -> tuple[dict, dict]:
    """Snapshot metrics from local edge arrays; also returns per-node arrays for reuse."""
    m = len(u)
    A = sp.csr_array((np.ones(2 * m), (np.concatenate([u, v]), np.concatenate([v, u]))),
                     shape=(n, n))
    deg = np.diff(A.indptr).astype(float)
    W = sp.csr_array((np.concatenate([w, w]), (np.concatenate([u, v]), np.concatenate([v, u]))),
                     shape=(n, n))
    strength = np.asarray(W.sum(axis=1)).ravel()
    tri = _triangles(u, v, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        clust = np.where(deg > 1, 2.0 * tri / (deg * (deg - 1.0)), 0.0)
        eff = np.where(deg > 0, deg - 2.0 * tri / deg, np.nan)
    if n:
        n_comp, comp = connected_components(A, directed=False)
        largest = np.bincount(comp).max() / n
    else:
        n_comp, largest = 0, float("nan")
    modularity = float("nan")
    if labels is not None and m:
        two_m = 2.0 * w.sum()
        inside = w[labels[u] == labels[v]].sum()
        tot = np.bincount(labels, weights=strength)
        modularity = float(inside / w.sum() - (tot ** 2).sum() / two_m ** 2)
    bridging = (orient[u] != orient[v]) & (orient[u] >= 0) & (orient[v] >= 0)
    metrics = {
        "organisations": int(n),
        "ties": int(m),
        "density": 2.0 * m / (n * (n - 1)) if n > 1 else float("nan"),
        "components": int(n_comp),
        "largest_component_share": float(largest),
        "isolated_share": float((deg == 0).mean()) if n else float("nan"),
        "modularity": modularity,
        "average_clustering": float(clust.mean()) if n else float("nan"),
        "cross_sector_share": float((sector[u] != sector[v]).mean()) if m else float("nan"),
        "territorial_thematic_share": float(bridging.mean()) if m else float("nan"),
    }
    return metrics, {"degree": deg, "strength": strength, "effective_size": eff,
                     "clustering": clust}


_ORIENT_CODE = {"territorial": 0, "thematic": 1}


def _codes(values: Iterable, mapping: dict | None = None) -> np.ndarray:
    if mapping is not None:
        return np.array([mapping.get(x, -1) for x in values], dtype=np.int64)
    return pd.factorize(pd.Series(list(values), dtype="object"))[0].astype(np.int64)


def snapshot_metrics(G: nx.Graph, *, partition: Any = None, weight: str | None = "weight",
                     seed: int = 0) -> dict:
    """Size, cohesion and bridging metrics of one snapshot graph.

    Parameters
    ----------
    G : nx.Graph
        Undirected tie graph; not modified. Node attributes ``kind`` (sector via
        ``graph.measures.SECTORS``) and ``orientation`` are used when present.
    partition : dict or iterable of sets, optional, keyword-only
        Communities for the modularity; when None, Louvain (python-louvain, ``seed``) is run.
    weight : str or None, keyword-only
        Edge attribute for modularity and Louvain; None counts ties.
    seed : int, keyword-only
        Seed of Louvain.

    Returns
    -------
    dict
        ``organisations, ties, density, components, largest_component_share,
        isolated_share, modularity, average_clustering`` (networkx's, isolates count 0),
        ``cross_sector_share`` (ties between sectors / ties) and
        ``territorial_thematic_share`` (ties joining a territorial and a thematic
        organisation / ties). Shares are NaN when undefined.

    Examples
    --------
    >>> G = nx.barbell_graph(3, 0)
    >>> r = snapshot_metrics(G, partition=[{0, 1, 2}, {3, 4, 5}])
    >>> r["ties"], r["components"], round(r["modularity"], 4), r["average_clustering"]
    (7, 1, 0.3571, 0.7777777777777778)
    """
    if G.is_directed() or G.is_multigraph():
        raise GraphError(f"expected an undirected simple graph (nx.Graph), got {type(G).__name__}")
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[a], index[b], 1.0 if weight is None else float(d.get(weight, 1.0)))
             for a, b, d in G.edges(data=True) if a != b]
    u = np.array([e[0] for e in edges], dtype=np.int64)
    v = np.array([e[1] for e in edges], dtype=np.int64)
    w = np.array([e[2] for e in edges], dtype=float)
    sector = _codes(sector_of(G.nodes[x].get("kind")) for x in nodes)
    orient = _codes((G.nodes[x].get("orientation") for x in nodes), _ORIENT_CODE)
    if partition is None:
        import community.community_louvain as community_louvain

        membership = community_louvain.best_partition(G, weight=weight or "__none__",
                                                      random_state=seed) if edges else {}
    elif isinstance(partition, Mapping):
        membership = dict(partition)
    else:
        communities = getattr(partition, "communities", partition)
        membership = {x: i for i, c in enumerate(communities) for x in c}
    missing = [x for x in nodes if x not in membership]
    if edges and missing:
        raise GraphError(f"partition does not cover node {missing[0]!r}")
    labels = _codes(membership.get(x) for x in nodes) if edges else None
    return _metrics(len(nodes), u, v, w, sector, orient, labels)[0]


# --- growth laws ------------------------------------------------------------------------------


class Densification(NamedTuple):
    """Fit of log(ties) = exponent · log(organisations) + intercept."""

    exponent: float
    low: float
    high: float
    intercept: float
    r2: float
    points: int
    confidence: float


def _loglog_fit(x: np.ndarray, y: np.ndarray, confidence: float):
    lx, ly = np.log(x), np.log(y)
    if len(lx) < 2 or np.ptp(lx) == 0:
        return float("nan"), float("nan"), float("nan"), float("nan"), float("nan")
    fit = stats.linregress(lx, ly)
    if len(lx) > 2:
        half = stats.t.ppf(0.5 + confidence / 2.0, len(lx) - 2) * fit.stderr
    else:
        half = float("nan")
    return float(fit.slope), float(fit.slope - half), float(fit.slope + half), \
        float(fit.intercept), float(fit.rvalue ** 2)


def densification(organisations: Sequence[float], ties: Sequence[float], *,
                  confidence: float = 0.95) -> Densification:
    """Densification exponent: ties ∝ organisations^a by log–log least squares.

    Points with fewer than 2 organisations or no ties are left out (log 0).

    Parameters
    ----------
    organisations, ties : sequence of numbers
        One pair per snapshot.
    confidence : float, keyword-only
        Level of the t-based interval on the slope (needs 3 or more points; NaN otherwise).

    Returns
    -------
    Densification
        ``exponent, low, high, intercept, r2, points, confidence``; NaN when fewer than 2
        usable points or all organisation counts are equal.

    Raises
    ------
    GraphError
        When the sequences differ in length or ``confidence`` is not in (0, 1).

    Examples
    --------
    >>> n = [10, 20, 40, 80]
    >>> d = densification(n, [x ** 1.5 for x in n])
    >>> round(d.exponent, 6), d.points
    (1.5, 4)
    """
    n = np.asarray(organisations, dtype=float)
    m = np.asarray(ties, dtype=float)
    if n.shape != m.shape:
        raise GraphError("densification: organisations and ties differ in length")
    if not 0 < confidence < 1:
        raise GraphError(f"confidence: expected a level in (0, 1), got {confidence}")
    keep = (n >= 2) & (m > 0) & np.isfinite(n) & np.isfinite(m)
    slope, low, high, icpt, r2 = _loglog_fit(n[keep], m[keep], confidence)
    return Densification(slope, low, high, icpt, r2, int(keep.sum()), confidence)


class AttachmentKernel(NamedTuple):
    """Measured attachment kernel and the exponent of A(k) ∝ k^α."""

    table: pd.DataFrame
    alpha: float
    low: float
    high: float
    r2: float
    bins: int
    transitions: int


def _kernel_counts(prev_degree: np.ndarray, prev_present: np.ndarray,
                   new_u: np.ndarray, new_v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(new tie ends per degree, nodes per degree) for one transition, over global indices."""
    deg = prev_degree[prev_present].astype(np.int64)
    nodes = np.bincount(deg) if len(deg) else np.zeros(1, dtype=np.int64)
    ends = np.concatenate([new_u, new_v])
    ends = ends[prev_present[ends]]
    hits = np.bincount(prev_degree[ends].astype(np.int64), minlength=len(nodes)) \
        if len(ends) else np.zeros(len(nodes), dtype=np.int64)
    size = max(len(nodes), len(hits))
    return np.pad(hits, (0, size - len(hits))), np.pad(nodes, (0, size - len(nodes)))


def _kernel_result(hits: np.ndarray, nodes: np.ndarray, transitions: int,
                   confidence: float) -> AttachmentKernel:
    k = np.arange(len(nodes))
    keep = nodes > 0
    table = pd.DataFrame({"degree": k[keep], "new_tie_ends": hits[keep],
                          "organisations": nodes[keep]})
    table["kernel"] = table["new_tie_ends"] / table["organisations"]
    pos = table[table["degree"] >= 1]
    if len(pos):
        b = np.floor(np.log2(pos["degree"].to_numpy())).astype(int)
        grouped = pd.DataFrame({"bin": b, "h": pos["new_tie_ends"].to_numpy(),
                                "n": pos["organisations"].to_numpy(),
                                "kn": (pos["degree"] * pos["organisations"]).to_numpy()}
                               ).groupby("bin").sum()
        grouped = grouped[grouped["h"] > 0]
        kx = (grouped["kn"] / grouped["n"]).to_numpy(dtype=float)
        ay = (grouped["h"] / grouped["n"]).to_numpy(dtype=float)
        alpha, low, high, _, r2 = _loglog_fit(kx, ay, confidence)
        bins = len(grouped)
    else:
        alpha = low = high = r2 = float("nan")
        bins = 0
    return AttachmentKernel(table.reset_index(drop=True), alpha, low, high, r2, bins, transitions)


def attachment_kernel(snapshots: Sequence[nx.Graph], *,
                      confidence: float = 0.95) -> AttachmentKernel:
    """Measured preferential-attachment kernel over consecutive snapshots.

    For each pair of consecutive snapshots, every tie of the later one that is absent from the
    earlier one is a *new tie*; each of its ends that already existed earlier, with degree k
    there, counts one hit for k. A(k) = hits(k) ÷ organisations of degree k, pooled over all
    transitions. α is the slope of log A(k) on log k over logarithmic bins (k = 1, 2–3, 4–7,
    …) with a t-based interval.

    Parameters
    ----------
    snapshots : sequence of nx.Graph
        In time order (e.g. cumulative fiscal-year snapshots); not modified.
    confidence : float, keyword-only
        Level of the interval on α.

    Returns
    -------
    AttachmentKernel
        ``table`` (``degree, new_tie_ends, organisations, kernel``), ``alpha, low, high, r2,
        bins, transitions``. α is NaN with fewer than 2 bins holding a hit.

    Examples
    --------
    >>> g0 = nx.star_graph(3)          # hub 0 (degree 3), leaves 1-3 (degree 1)
    >>> g1 = g0.copy(); g1.add_edges_from([(0, 4), (0, 5), (0, 6), (1, 7), (2, 8), (3, 9)])
    >>> ak = attachment_kernel([g0, g1])
    >>> ak.table.set_index("degree")["kernel"].to_dict()
    {1: 1.0, 3: 3.0}
    >>> round(ak.alpha, 3)
    1.0
    """
    order: dict = {}
    for G in snapshots:
        for v in G:
            order.setdefault(v, len(order))
    n = len(order)
    hits = np.zeros(1, dtype=np.int64)
    counts = np.zeros(1, dtype=np.int64)
    for prev, cur in zip(snapshots, snapshots[1:]):
        degree = np.zeros(n)
        present = np.zeros(n, dtype=bool)
        for v, d in prev.degree():
            degree[order[v]] = d - (2 if prev.has_edge(v, v) else 0)
            present[order[v]] = True
        new = [(order[a], order[b]) for a, b in cur.edges() if a != b and not prev.has_edge(a, b)]
        h, c = _kernel_counts(degree, present, np.array([e[0] for e in new], dtype=np.int64),
                              np.array([e[1] for e in new], dtype=np.int64))
        size = max(len(hits), len(h))
        hits = np.pad(hits, (0, size - len(hits))) + np.pad(h, (0, size - len(h)))
        counts = np.pad(counts, (0, size - len(counts))) + np.pad(c, (0, size - len(c)))
    return _kernel_result(hits, counts, max(len(snapshots) - 1, 0), confidence)


def degree_distribution(snapshots: Mapping[str, nx.Graph]) -> pd.DataFrame:
    """Degree counts of each snapshot, tidy.

    Parameters
    ----------
    snapshots : mapping
        Period label → graph (not modified).

    Returns
    -------
    pandas.DataFrame
        ``period, degree, organisations`` (degrees that occur only).

    Examples
    --------
    >>> degree_distribution({"FY2019": nx.path_graph(3)}).values.tolist()
    [['FY2019', 1, 2], ['FY2019', 2, 1]]
    """
    frames = []
    for label, G in snapshots.items():
        deg = np.array([d for _, d in G.degree()], dtype=np.int64)
        frames.append(_degree_rows(label, deg))
    if not frames:
        return pd.DataFrame(columns=["period", "degree", "organisations"])
    return pd.concat(frames, ignore_index=True)


def _degree_rows(label: str, degree: np.ndarray) -> pd.DataFrame:
    counts = np.bincount(degree.astype(np.int64)) if len(degree) else np.zeros(0, dtype=np.int64)
    k = np.flatnonzero(counts)
    return pd.DataFrame({"period": label, "degree": k.astype(int),
                         "organisations": counts[k].astype(int)})


# --- the report's own series ------------------------------------------------------------------

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
