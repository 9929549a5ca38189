"""The timeline's dated tie list from the array core (``graph.core.TieCore``), never per tie.

:func:`graph.time.timeline_from_graph` walks a ``networkx`` tie graph edge by edge; at
1/10 nation size (3 M ties) that graph alone takes gigabytes. :func:`timeline_from_core` turns
the core's arrays (``u < v`` int32 codes, ``weight``, ``first_day`` / ``last_day`` int32 days,
``NO_DAY`` for none) into the same :class:`graph.time.Timeline` with vectorised numpy:
the same organisations in the same order, the same ties in the same ``(u, v)`` order, the same
weights and dates. :func:`timeline_from_store` does it for a DuckDB store
(``graph.core.core_from_store``), with the organisations' first/last dated records
(:func:`store_org_activity`, the meaning of :func:`graph.time.org_activity`) computed in
SQL, so the records never become pandas objects.

Examples
--------
>>> from graph.build import example_dataset
>>> from graph.core import core_from_dataset
>>> tl = timeline_from_core(core_from_dataset(example_dataset()))
>>> tl.ties[["u", "v"]].values.tolist()[:2], len(tl.orgs)
([['A', 'B'], ['A', 'C']], 5)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from graph.core.ties import NO_DAY, TieCore
from graph.errors import GraphError
from graph.measures import sector_of
from graph.time.timeline import Timeline

__all__ = ["days_to_datetimes", "timeline_from_core", "store_org_activity",
           "timeline_from_store", "store_report_dataset"]

_BIG = np.iinfo(np.int64).max


def days_to_datetimes(days: np.ndarray) -> np.ndarray:
    """int days since 1970 (``NO_DAY`` for none) as ``datetime64[ns]`` (NaT for none).

    >>> days_to_datetimes(np.array([0, NO_DAY], dtype=np.int32)).astype(str).tolist()
    ['1970-01-01T00:00:00.000000000', 'NaT']
    """
    days = np.asarray(days, dtype=np.int64)
    out = days.astype("datetime64[D]").astype("datetime64[ns]")
    out[days == NO_DAY] = np.datetime64("NaT")
    return out


def _org_span(n: int, codes: np.ndarray, first: np.ndarray, last: np.ndarray,
              activity_first: np.ndarray | None, activity_last: np.ndarray | None):
    """Per organisation: earliest first and latest last day over its ties and records."""
    lo = np.full(n, _BIG, dtype=np.int64)
    hi = np.full(n, NO_DAY, dtype=np.int64)
    f = np.concatenate([first, first]).astype(np.int64)
    lt = np.concatenate([last, last]).astype(np.int64)
    f = np.where(f == NO_DAY, _BIG, f)
    np.minimum.at(lo, codes, f)
    np.maximum.at(hi, codes, lt)
    if activity_first is not None and activity_last is not None:
        lo = np.minimum(lo, np.where(activity_first == NO_DAY, _BIG, activity_first))
        hi = np.maximum(hi, activity_last)
    lo = np.where(lo == _BIG, NO_DAY, lo)
    return lo, hi


def _activity_days(activity: pd.DataFrame | None, ids: np.ndarray):
    if activity is None:
        return None, None
    act = activity.reindex(pd.Index(ids, dtype=object))
    out = []
    for col in ("first_date", "last_date"):
        values = pd.to_datetime(act[col]).to_numpy("datetime64[ns]")
        days = values.astype("datetime64[D]").astype(np.int64)
        out.append(np.where(np.isnat(values), NO_DAY, days))
    return out[0], out[1]


def timeline_from_core(core: TieCore, *, activity: pd.DataFrame | None = None) -> Timeline:
    """The :class:`~graph.time.Timeline` of a tie core, built from its arrays.

    The same table as ``timeline_from_graph(core.to_networkx(), activity=activity)``
    without a graph: ties keep the core's ``(u, v)`` order, a tie's ``last_date`` falls back
    to its ``first_date`` (both NaT when undated), an organisation's interval covers its
    ties and its ``activity`` row (:func:`graph.time.org_activity`).

    Parameters
    ----------
    core : TieCore
    activity : pandas.DataFrame, optional, keyword-only
        ``first_date`` / ``last_date`` per organisation id.

    Returns
    -------
    Timeline

    Raises
    ------
    GraphError
        For a tie that ends before it starts.

    Examples
    --------
    >>> from graph.build import example_dataset
    >>> from graph.core import core_from_dataset
    >>> tl = timeline_from_core(core_from_dataset(example_dataset()))
    >>> tl.ties["first_date"].isna().tolist()[:2], str(tl.ties["first_date"][1].date())
    ([True, False], '2019-06-01')
    """
    n = core.n
    ids = np.asarray(core.ids, dtype=object)
    u = np.asarray(core.u, dtype=np.int64)
    v = np.asarray(core.v, dtype=np.int64)
    first = np.asarray(core.first_day, dtype=np.int64)
    last = np.asarray(core.last_day, dtype=np.int64)
    last = np.where(last == NO_DAY, first, last)
    bad = np.flatnonzero((first != NO_DAY) & (last < first))
    if len(bad):
        i = bad[0]
        raise GraphError(f"tie {ids[u[i]]!r}–{ids[v[i]]!r} ends before it starts")
    ties = pd.DataFrame({"u": ids[u], "v": ids[v],
                         "weight": np.asarray(core.weight, dtype=np.float64),
                         "first_date": days_to_datetimes(first),
                         "last_date": days_to_datetimes(last)})
    nodes = core.nodes
    orgs = pd.DataFrame({c: nodes[c].to_numpy(dtype=object)
                         for c in ("name", "kind", "ward", "orientation")},
                        index=pd.Index(ids, name="id", dtype=object))
    orgs["name"] = [str(i) if x is None else x for i, x in zip(ids, orgs["name"])]
    orgs["sector"] = [sector_of(k) for k in orgs["kind"]]
    orgs["synthetic"] = [bool(x) for x in nodes["synthetic"]]
    act_first, act_last = _activity_days(activity, ids)
    lo, hi = _org_span(n, np.concatenate([u, v]), first, last, act_first, act_last)
    orgs["first_date"] = days_to_datetimes(lo)
    orgs["last_date"] = days_to_datetimes(hi)
    return Timeline(orgs=orgs, ties=ties, ends=(u, v))


def _union(source, parts: list[tuple[str, str, str, str]]) -> str:
    """SQL ``org, a, b`` rows of the tables present (``(table, org, first, last)`` each)."""
    rows = []
    for table, org, first, last in parts:
        sql = source.latest(table)
        if sql is not None:
            rows.append(f"SELECT {org} AS org, CAST({first} AS DATE) AS a, "
                        f"CAST({last} AS DATE) AS b FROM {sql} x")
    return " UNION ALL ".join(rows)


def _connect(store) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    path = str(Path(store)).replace("'", "''")
    try:
        con.execute(f"ATTACH '{path}' AS store (READ_ONLY)")
    except duckdb.Error as exc:
        con.close()
        from ingest.store import StoreError

        raise StoreError(f"{store}: cannot open the store ({exc})") from exc
    return con


def store_org_activity(store, core: TieCore) -> pd.DataFrame:
    """:func:`graph.time.org_activity` of a store in SQL, for the organisations of ``core``.

    ``core`` must come from ``graph.core.core_from_store(store, …)`` (its scope and
    ``real_only`` are applied: latest batch per key). Dates: founding, events taken part in,
    collaborations, memberships (member and council), dispatches, resource offers, awards
    (the whole fiscal year).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``core.ids``: ``first_date``, ``last_date`` (``datetime64[ns]``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ingest.store import ingest_dataset
    >>> from graph.core.store import core_from_store
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text("id,name,kind,founded\\nA,a,npo,2015-06-01\\n")
    >>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
    >>> act = store_org_activity(folder / "s.duckdb", core_from_store(folder / "s.duckdb"))
    >>> act.loc["A"].dt.date.tolist()
    [datetime.date(2015, 6, 1), datetime.date(2015, 6, 1)]
    """
    source = core.source
    if not hasattr(source, "latest"):
        raise GraphError("store_org_activity needs a core built by core_from_store")
    events = source.latest("events")
    parts = [("organizations", "x.id", "x.founded", "x.founded"),
             ("collaborations", "unnest(x.org_ids)", "x.start_date", "x.end_date"),
             ("memberships", "x.org_id", "x.since", "x.until"),
             ("memberships", "x.council_id", "x.since", "x.until"),
             ("dispatches", "x.org_id", "x.start_date", "x.end_date"),
             ("resources", "x.provider_id", "x.offered_on", "x.offered_on"),
             ("awards", "x.org_id", "make_date(CAST(x.fiscal_year AS BIGINT), 4, 1)",
              "make_date(CAST(x.fiscal_year AS BIGINT) + 1, 3, 31)")]
    rows = _union(source, parts)
    part = source.latest("participations")
    if part is not None and events is not None:
        rows += (f" UNION ALL SELECT p.org_id AS org, CAST(e.date AS DATE) AS a, "
                 f"CAST(coalesce(e.end_date, e.date) AS DATE) AS b FROM {part} p "
                 f"JOIN {events} e ON e.id = p.event_id")
    con = _connect(store)
    try:
        con.register("t_ids", pd.DataFrame({"id": core.ids.astype(str),
                                            "code": np.arange(core.n)}))
        frame = con.execute(f"""SELECT i.code,
                datediff('day', DATE '1970-01-01', min(least(r.a, r.b))) AS lo,
                datediff('day', DATE '1970-01-01', max(greatest(r.a, r.b))) AS hi
            FROM ({rows}) r JOIN t_ids i ON i.id = r.org GROUP BY i.code""").fetchnumpy()
    finally:
        con.close()
    first = np.full(core.n, NO_DAY, dtype=np.int64)
    last = np.full(core.n, NO_DAY, dtype=np.int64)
    codes = np.asarray(frame["code"], dtype=np.int64)
    for target, col in ((first, "lo"), (last, "hi")):
        values = np.ma.filled(np.ma.asarray(frame[col]), NO_DAY).astype(np.int64)
        target[codes] = values
    return pd.DataFrame({"first_date": days_to_datetimes(first),
                         "last_date": days_to_datetimes(last)},
                        index=pd.Index(core.ids, name="id", dtype=object))


def timeline_from_store(store, *, weights: Mapping[str, float] | None = None,
                        real_only: bool = False, timeout: float | None = None
                        ) -> tuple[Timeline, TieCore]:
    """The timeline of a DuckDB store, from ``core_from_store`` (no pandas records).

    Returns the :class:`~graph.time.Timeline` and the core it came from.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ingest.store import ingest_dataset
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text("id,name,kind\\nA,a,npo\\nB,b,npo\\n")
    >>> _ = (folder / "collaborations.csv").write_text(
    ...     "id,title,org_ids,start_date\\nC1,t,A;B,2019-05-01\\n")
    >>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
    >>> tl, _ = timeline_from_store(folder / "s.duckdb")
    >>> tl.ties[["u", "v"]].values.tolist(), str(tl.orgs["first_date"].iloc[0].date())
    ([['A', 'B']], '2019-05-01')
    """
    from graph.core.store import core_from_store

    core = core_from_store(store, weights=weights, real_only=real_only, timeout=timeout)
    return timeline_from_core(core, activity=store_org_activity(store, core)), core


def store_report_dataset(store, core: TieCore):
    """The tables ``graph.time.report_series`` reads, from the store (latest batch).

    ``figures``, ``dispatches``, ``awards`` and the organisations' ``id, orientation`` —
    small tables, read in SQL in the scope of ``core`` (from ``core_from_store``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ingest.store import ingest_dataset
    >>> from graph.core.store import core_from_store
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text("id,name,kind\\nA,a,npo\\n")
    >>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
    >>> ds = store_report_dataset(folder / "s.duckdb", core_from_store(folder / "s.duckdb"))
    >>> ds.table("organizations")["id"].tolist()
    ['A']
    """
    from ingest.schemas import Dataset

    source = core.source
    con = _connect(store)
    frames = {}
    try:
        for table in ("figures", "dispatches", "awards"):
            sql = source.latest(table)
            if sql is not None:
                frame = con.execute(f"SELECT * EXCLUDE (_batch, _file, _sheet, _row) "
                                    f"FROM {sql} ORDER BY _batch, _file, _sheet, _row").df()
                if len(frame):
                    frames[table] = frame
    finally:
        con.close()
    frames["organizations"] = pd.DataFrame({
        "id": core.ids.astype(object),
        "orientation": core.nodes["orientation"].to_numpy(dtype=object)})
    return Dataset(frames, city=core.city)
