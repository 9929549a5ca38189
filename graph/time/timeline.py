"""The dated tie list: one row per organisation and one per tie, each with an activity interval.

The organisation tie graph (``graph.build.tie_graph``) carries, on every tie, the dates of its
first and last evidence. :func:`timeline_from_graph` (or :func:`timeline_from_dataset`, from
the array core) turns it **once** into a :class:`Timeline`; ``graph.time.snapshots`` then
slices that table per period with vectorised comparisons instead of rebuilding graphs from
the records. :func:`org_activity` gives each organisation's first and last dated record.

Examples
--------
>>> G = nx.Graph()
>>> G.add_edge("a", "b", weight=1.0, first_date=dt.date(2018, 5, 1), last_date=dt.date(2018, 5, 1))
>>> G.add_edge("b", "c", weight=1.0, first_date=dt.date(2019, 4, 1), last_date=dt.date(2019, 6, 1))
>>> tl = timeline_from_graph(G)
>>> [p.label for p in timeline_periods(tl)], len(tl.ties)
(['FY2018', 'FY2019'], 2)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from graph.errors import GraphError
from graph.measures import sector_of
from graph.time.periods import Period, make_periods

__all__ = ["Timeline", "timeline_periods", "org_activity", "timeline_from_graph",
           "timeline_from_dataset"]

_ORG_COLUMNS = ("name", "kind", "ward", "orientation", "sector", "synthetic",
                "first_date", "last_date")
_TIE_COLUMNS = ("u", "v", "weight", "first_date", "last_date")


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
        when not given (``graph.time.core_timeline`` passes the core's codes).
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
    ``graph.build.tie_graph``, as arrays) through ``graph.time.core_timeline.timeline_from_core``;
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
    from graph.time.core_timeline import timeline_from_core

    scoped = restrict(dataset, real_only=True) if real_only else dataset
    core = core_from_dataset(scoped, weights=weights)
    return timeline_from_core(core, activity=org_activity(scoped))
