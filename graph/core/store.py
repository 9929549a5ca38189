"""A tie core straight from the DuckDB store: scoping and weighting in SQL, no pandas records.

``ingest.store.read_dataset`` turns every record into Python objects (7.45 M participations at
nation size); :func:`core_from_store` instead attaches the store read-only to a private
in-memory DuckDB, copies the scoped records there as int-coded relations (those of
:mod:`graph.core.sql`) and builds the ties with the same SQL as for a ``Dataset``. The
meaning is that of ``read_dataset`` followed by ``graph.build.restrict``: the latest batch
wins for a repeated key, ``real_only`` drops synthetic rows of every table, ``as_of`` /
``fiscal_year`` keep records dated on or before the cut-off (undated ones always) and drop
organisations founded later, ``wards`` keeps the organisations of those wards and the
records among them.

Examples
--------
>>> import tempfile, pathlib
>>> from ingest.store import ingest_dataset
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "organizations.csv").write_text("id,name,kind\\nA,a,npo\\nB,b,npo\\n")
>>> _ = (folder / "collaborations.csv").write_text("id,title,org_ids\\nC1,t,A;B\\n")
>>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
>>> core = core_from_store(folder / "s.duckdb")
>>> core.ids.tolist(), core.weight.tolist()
(['A', 'B'], [1.0])
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from graph.build import tie_weights
from graph.core.sources import RecordSource, core_from_source
from graph.core.ties import NO_DAY, TieCore, days_to_dates
from graph.errors import GraphError
from ingest.schemas import TABLES

__all__ = ["StoreSource", "core_from_store", "store_activity", "store_wards", "attach_read_only"]


def _cutoff(as_of, fiscal_year) -> dt.date | None:
    days = []
    if as_of is not None:
        try:
            stamp = pd.Timestamp(as_of)
        except (TypeError, ValueError) as exc:
            raise GraphError(f"as_of: not a date: {as_of!r}") from exc
        if pd.isna(stamp):
            raise GraphError(f"as_of: not a date: {as_of!r}")
        days.append(stamp.date())
    if fiscal_year is not None:
        if isinstance(fiscal_year, bool) or not isinstance(fiscal_year, (int, np.integer)):
            raise GraphError(f"fiscal_year: expected an int such as 2019, got {fiscal_year!r}")
        days.append(dt.date(int(fiscal_year) + 1, 3, 31))
    return min(days) if days else None


class StoreSource(RecordSource):
    """The scoped records of a store, copied as int-coded relations into a private DuckDB."""

    def __init__(self, store, weights: Mapping[str, float], *, as_of=None, fiscal_year=None,
                 wards=None, real_only: bool = False, timeout: float | None = None):
        super().__init__(weights)
        self.cutoff = _cutoff(as_of, fiscal_year)
        self.real_only = real_only
        con = self.con
        attach_read_only(con, Path(store), timeout)
        present = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'store'"
        ).fetchall()}
        self.present = present
        self.city = ""
        if "batches" in present:
            row = con.execute("SELECT city FROM store.batches WHERE coalesce(city, '') <> '' "
                              "ORDER BY batch_id DESC LIMIT 1").fetchone()
            self.city = row[0] if row else ""
        ward_list = None if wards is None else ([wards] if isinstance(wards, str)
                                                else [str(w) for w in wards])
        self._scope_tables(ward_list)
        con.execute("DETACH store")
        self.ids = np.asarray(con.execute("SELECT id FROM c_orgs ORDER BY code").fetchnumpy()[
            "id"], dtype=object)

    def latest(self, table: str, where: str = "true") -> str:
        """SQL of the latest version of each record of ``table`` in scope (``where`` extra)."""
        if table not in self.present:
            return None
        key = ", ".join(f'"{k}"' for k in TABLES[table].key)
        real = "NOT coalesce(synthetic, false)" if self.real_only else "true"
        return (f'(SELECT * FROM (SELECT * FROM store."{table}" QUALIFY row_number() OVER ('
                f"PARTITION BY {key} ORDER BY _batch DESC, _row) = 1) WHERE {real} AND ({where}))")

    def dated(self, column: str) -> str:
        if self.cutoff is None:
            return "true"
        return f"({column} IS NULL OR {column} <= DATE '{self.cutoff.isoformat()}')"

    def _scope_tables(self, wards) -> None:
        con = self.con
        ward = "true" if wards is None else "ward IN (" + ", ".join(
            f"'{_quote(w)}'" for w in wards) + ")"
        orgs = self.latest("organizations", f"{self.dated('founded')} AND {ward}")
        if orgs is None:
            raise GraphError("the store holds no organizations")
        con.execute(f"""CREATE TEMP TABLE c_orgs AS SELECT
            (row_number() OVER (ORDER BY _batch, _file, _sheet, _row) - 1)::INTEGER AS code,
            id, name, kind, ward, orientation, fields, coalesce(synthetic, false) AS synthetic
            FROM {orgs}""")
        day = "(({c}) - DATE '1970-01-01')::INTEGER"
        events = self.latest("events", self.dated("date"))
        con.execute("CREATE TEMP TABLE c_events AS " + (
            f"SELECT (row_number() OVER (ORDER BY id) - 1)::INTEGER AS g, id, "
            f"{day.format(c='date')} AS day, "
            f"{day.format(c='coalesce(end_date, date)')} AS active, organizer_id FROM {events}"
            if events else "SELECT 0 AS g, '' AS id, 0 AS day, 0 AS active, '' AS organizer_id "
            "WHERE false"))
        part = self.latest("participations")
        con.execute("CREATE TEMP TABLE c_part AS " + (
            f"SELECT DISTINCT e.g, o.code AS m FROM {part} p JOIN c_events e ON e.id = p.event_id "
            "JOIN c_orgs o ON o.id = p.org_id" if part else
            "SELECT 0 AS g, 0 AS m WHERE false"))
        collab = self.latest("collaborations", self.dated("start_date"))
        con.execute("CREATE TEMP TABLE c_collab AS " + (
            f"""SELECT DISTINCT c.g, c.id, o.code AS m, c.day, c.active FROM (
                SELECT g, id, day, active, unnest(org_ids) AS org FROM (
                    SELECT (row_number() OVER (ORDER BY _batch, _file, _sheet, _row))::INTEGER AS g,
                    id, org_ids, {day.format(c='start_date')} AS day,
                    {day.format(c='coalesce(end_date, start_date)')} AS active FROM {collab})) c
                JOIN c_orgs o ON o.id = c.org""" if collab else
            "SELECT 0 AS g, '' AS id, 0 AS m, 0 AS day, 0 AS active WHERE false"))
        memb = self.latest("memberships", self.dated("since"))
        con.execute("CREATE TEMP TABLE c_memb AS " + (
            f"SELECT k.code AS g, o.code AS m, {day.format(c='x.since')} AS day FROM {memb} x "
            "JOIN c_orgs o ON o.id = x.org_id JOIN c_orgs k ON k.id = x.council_id "
            "WHERE k.code <> o.code" if memb else "SELECT 0 AS g, 0 AS m, 0 AS day WHERE false"))
        disp = self.latest("dispatches", self.dated("start_date"))
        con.execute("CREATE TEMP TABLE c_disp AS " + (
            f"SELECT dense_rank() OVER (ORDER BY x.talent_id)::INTEGER AS t, o.code AS m, x.id, "
            f"{day.format(c='x.start_date')} AS day, "
            f"{day.format(c='coalesce(x.end_date, x.start_date)')} AS active FROM {disp} x "
            "JOIN c_orgs o ON o.id = x.org_id" if disp else
            "SELECT 0 AS t, 0 AS m, '' AS id, 0 AS day, 0 AS active WHERE false"))
        res = self.latest("resources", self.dated("offered_on"))
        con.execute("CREATE TEMP TABLE c_res AS " + (
            f"SELECT o.code AS m, {day.format(c='x.offered_on')} AS active FROM {res} x "
            "JOIN c_orgs o ON o.id = x.provider_id" if res else
            "SELECT 0 AS m, 0 AS active WHERE false"))

    def nodes(self) -> pd.DataFrame:
        """The organisation attributes (as ``graph.build.organisation_attributes``)."""
        raw = self.con.execute("SELECT id, name, kind, ward, orientation, fields, synthetic "
                               "FROM c_orgs ORDER BY code").df()

        def text(values):
            values = values.to_numpy(dtype=object, na_value=None)  # not per-item Arrow reads
            return pd.Series([x if isinstance(x, str) and x else None for x in values],
                             dtype=object)

        frame = pd.DataFrame({c: text(raw[c]) for c in ("name", "kind", "ward", "orientation")})
        frame["fields"] = pd.Series([tuple(x.tolist()) if x is not None and len(x) else ()
                                     for x in raw["fields"]], dtype=object)
        frame["synthetic"] = pd.Series([bool(x) for x in raw["synthetic"]], dtype=object)
        frame.index = pd.Index(raw["id"].astype(str).to_numpy(dtype=object), name="id")
        return frame

    def activity(self) -> dict:
        """``graph.findings.last_activity`` of the scoped records: id → latest date."""
        rows = self.con.execute(f"""SELECT m, coalesce(max(active), {NO_DAY}) AS day FROM (
                SELECT p.m, e.active FROM c_part p JOIN c_events e ON e.g = p.g
                UNION ALL SELECT o.code, e.active FROM c_events e JOIN c_orgs o
                    ON o.id = e.organizer_id
                UNION ALL SELECT m, active FROM c_collab
                UNION ALL SELECT m, active FROM c_disp
                UNION ALL SELECT m, active FROM c_res) GROUP BY m ORDER BY m""").fetchnumpy()
        codes = np.asarray(rows["m"], dtype=np.int64)
        return dict(zip(self.ids[codes].tolist(), days_to_dates(np.asarray(rows["day"]))))


def _quote(text: str) -> str:
    return text.replace("'", "''")


def attach_read_only(con, path: Path, timeout: float | None) -> None:
    """Attach the store read-only as ``store``, waiting up to ``timeout`` s while it is busy.

    >>> import duckdb
    >>> attach_read_only(duckdb.connect(), Path("/nonexistent.duckdb"), 0)
    Traceback (most recent call last):
    ...
    ingest.store.StoreNotFoundError: no store at /nonexistent.duckdb; load data first with `tsunagari ingest PATH --store /nonexistent.duckdb`
    """
    from ingest.store import StoreBusyError, StoreError, StoreNotFoundError

    if not path.exists():
        raise StoreNotFoundError(f"no store at {path}; load data first with "
                                 f"`tsunagari ingest PATH --store {path}`")
    deadline = time.monotonic() + (10.0 if timeout is None else float(timeout))
    while True:
        try:
            con.execute(f"ATTACH '{_quote(str(path))}' AS store (READ_ONLY)")
            return
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise StoreError(f"{path}: cannot open the store ({exc})") from exc
            if time.monotonic() >= deadline:
                raise StoreBusyError(f"{path}: another process is using the store") from exc
            time.sleep(0.2)
        except duckdb.Error as exc:
            raise StoreError(f"{path}: cannot open the store ({exc})") from exc


def core_from_store(store, *, weights: Mapping[str, float] | None = None, as_of=None,
                    fiscal_year=None, wards=None, real_only: bool = False,
                    timeout: float | None = None) -> TieCore:
    """The tie core of a DuckDB store, as ``core_from_dataset(read_dataset(store), …)``.

    Parameters
    ----------
    store : path
        The store file (opened read-only, closed before returning).
    weights, as_of, fiscal_year, wards, real_only
        As in ``graph.core.core_from_dataset``.
    timeout : float, optional
        Seconds to wait while another process holds the store (default 10).

    Returns
    -------
    TieCore
        Its ``source`` (a :class:`StoreSource`) keeps the scoped records in memory for
        evidence and :func:`store_activity`.

    Raises
    ------
    ingest.store.StoreError
        For a missing (``StoreNotFoundError``), busy or unreadable store.
    GraphError
        For a bad weight or scope.
    """
    source = StoreSource(store, tie_weights(weights), as_of=as_of, fiscal_year=fiscal_year,
                         wards=wards, real_only=real_only, timeout=timeout)
    return core_from_source(source, source.nodes(), source.city)


def store_activity(core: TieCore) -> dict:
    """Latest activity per organisation of a core built by :func:`core_from_store`.

    >>> import tempfile, pathlib
    >>> from ingest.store import ingest_dataset
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text("id,name,kind\\nA,a,npo\\n")
    >>> _ = (folder / "resources.csv").write_text("id,provider_id,title,offered_on\\nR,A,r,2020-05-01\\n")
    >>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
    >>> store_activity(core_from_store(folder / "s.duckdb"))
    {'A': datetime.date(2020, 5, 1)}
    """
    if not isinstance(core.source, StoreSource):
        raise GraphError("store_activity needs a core built by core_from_store")
    return core.source.activity()


def store_wards(store) -> list[str]:
    """The distinct wards of the store's organisations (for checking ``--ward``).

    >>> store_wards("/nonexistent.duckdb")
    Traceback (most recent call last):
    ...
    ingest.store.StoreNotFoundError: no store at /nonexistent.duckdb; load data first with `tsunagari ingest PATH --store /nonexistent.duckdb`
    """
    path = Path(store)
    con = duckdb.connect()
    try:
        attach_read_only(con, path, None)
        rows = con.execute("SELECT DISTINCT ward FROM store.organizations WHERE "
                           "coalesce(ward, '') <> ''").fetchall()
    except duckdb.Error as exc:
        raise GraphError(f"store {path}: cannot read its organisations ({exc})") from exc
    finally:
        con.close()
    return sorted(r[0] for r in rows)
