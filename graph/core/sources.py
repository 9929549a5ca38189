"""Where a core's records come from: a ``Dataset`` in memory, or the DuckDB store on disk.

Either source puts the scoped records into a private in-memory DuckDB database as the
relations of :mod:`graph.core.sql` (int codes, days as ints), builds the ties with one SQL
group-by and answers evidence queries for given pairs later. The store source never reads
the records into pandas: scoping (``as_of``, ``fiscal_year``, ``wards``, ``real_only``, the
latest batch winning for a repeated key) is SQL too, with the meaning of
``graph.build.restrict``.

Examples
--------
>>> from graph.build import example_dataset
>>> core = core_from_dataset(example_dataset(), as_of="2019-05-31")
>>> [(core.ids[a], core.ids[b]) for a, b in zip(core.u, core.v)]
[('A', 'B'), ('A', 'K'), ('B', 'K')]
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from graph.build import organisation_attributes, restrict, tie_weights
from graph.core.sql import evidence_sql, fetch_ties
from graph.core.ties import TieCore
from graph.errors import GraphError
from ingest.schemas import Dataset

__all__ = ["DatasetSource", "core_from_dataset", "core_from_source", "release_buffers"]

_NAT = np.iinfo(np.int64).min

#: DuckDB's memory cap while building ties, from ``TSUNAGARI_DUCKDB_MEMORY`` (e.g. ``4GB``);
#: unset: DuckDB's default (80 % of RAM). Too low a cap fails with DuckDB's out-of-memory
#: error: the sorted result itself needs ~48 bytes per tie.
DUCKDB_MEMORY_LIMIT = os.environ.get("TSUNAGARI_DUCKDB_MEMORY", "")


def _days(series: pd.Series) -> pd.array:
    """Dates as nullable int32 days since 1970-01-01."""
    days = pd.to_datetime(series, errors="coerce").to_numpy("datetime64[ns]").astype(
        "datetime64[D]").view(np.int64)
    return pd.arrays.IntegerArray(np.where(days == _NAT, 0, days).astype(np.int32),
                                  days == _NAT)


def _str(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].astype(str) if column in frame.columns else pd.Series(
        [""] * len(frame), index=frame.index, dtype=object)


def release_buffers(con) -> None:
    """Make DuckDB return the memory it keeps cached after a big query.

    DuckDB's buffer manager keeps freed blocks for reuse up to its memory limit (by default
    80 % of the machine), so after the tie build of a nation (gigabytes of hash tables) the
    process would stay that large through the whole analysis. Lowering the limit makes it
    free what no table holds (twice the memory the tables use, so no table data has to be
    evicted or spilled); the limit is then restored. The scoped records (temporary tables)
    stay.

    >>> con = duckdb.connect()
    >>> release_buffers(con)
    >>> con.execute("SELECT 1").fetchall()
    [(1,)]
    """
    limit = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    used = con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchall()[0][0]
    con.execute(f"SET memory_limit = '{max(2 * int(used or 0) >> 20, 64)}MB'")
    con.execute(f"SET memory_limit = '{limit}'")


class RecordSource:
    """Scoped records as the relations of :mod:`graph.core.sql` in a private DuckDB."""

    def __init__(self, weights: Mapping[str, float]):
        self.weights = dict(weights)
        self.con = duckdb.connect()
        self.con.execute("SET enable_progress_bar = false")  # a library prints nothing
        self.con.execute("SET preserve_insertion_order = false")
        if DUCKDB_MEMORY_LIMIT:  # beyond it the group-by spills to a temporary folder
            self.con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
            spill = Path(tempfile.gettempdir()) / "tsunagari-duckdb"
            self.con.execute(f"SET temp_directory = '{str(spill).replace(chr(39), chr(39) * 2)}'")
        self.lock = threading.Lock()
        self.ids: np.ndarray = np.empty(0, dtype=object)

    def ties(self) -> dict[str, np.ndarray]:
        """The tie arrays (see ``graph.core.sql.fetch_ties``); afterwards DuckDB hands back
        the buffers the group-by used (:func:`release_buffers`)."""
        with self.lock:
            arrays = fetch_ties(self.con, self.weights)
            release_buffers(self.con)
            return arrays

    def evidence(self, pairs: list[tuple[str, str]], *,
                 first: bool = False) -> list[tuple[str, ...]]:
        """Sorted evidence codes of each (id, id) pair; ``()`` for a pair without ties.
        With ``first``, only the smallest code of each (a 1-tuple), found by the query."""
        index = pd.Index(self.ids)
        a = index.get_indexer([p[0] for p in pairs])
        b = index.get_indexer([p[1] for p in pairs])
        known = (a >= 0) & (b >= 0)
        frame = pd.DataFrame({"i": np.flatnonzero(known).astype(np.int64),
                              "a": a[known].astype(np.int32), "b": b[known].astype(np.int32)})
        out: list[tuple[str, ...]] = [()] * len(pairs)
        if not len(frame):
            return out
        with self.lock:
            self.con.register("c_pairs_frame", frame)
            self.con.execute("CREATE OR REPLACE TEMP TABLE c_pairs AS SELECT * FROM c_pairs_frame")
            self.con.unregister("c_pairs_frame")
            codes = "min(code)" if first else "list(code)"  # UTF-8 bytes sort as code points
            rows = self.con.execute(f"SELECT i, {codes} FROM ({evidence_sql(self.weights)}) "
                                    "GROUP BY i").fetchall()
        for i, found in rows:
            out[i] = (found,) if first else tuple(sorted(set(found)))
        return out


class DatasetSource(RecordSource):
    """The records of a (restricted) ``Dataset``, registered from pandas frames."""

    def __init__(self, dataset: Dataset, weights: Mapping[str, float]):
        super().__init__(weights)
        self.dataset = dataset
        orgs = dataset.table("organizations")
        self.ids = orgs["id"].astype(str).to_numpy(dtype=object)
        index = pd.Index(self.ids)
        events = dataset.table("events")
        event_index = pd.Index(_str(events, "id"))
        part = dataset.table("participations")
        collabs = dataset.table("collaborations")
        members = dataset.table("memberships")
        disp = dataset.table("dispatches")

        def code(frame, column):
            return index.get_indexer(_str(frame, column)).astype(np.int32)

        from graph.build.values import id_list

        exploded = pd.DataFrame({
            "g": np.arange(len(collabs), dtype=np.int32),
            "id": _str(collabs, "id").to_numpy(dtype=object),
            "day": _days(collabs["start_date"]) if "start_date" in collabs else pd.array(
                [pd.NA] * len(collabs), dtype="Int32"),
            "org": collabs["org_ids"].map(id_list).to_numpy() if len(collabs) else [],
        }).explode("org").dropna(subset=["org"])
        relations = {
            "c_orgs": pd.DataFrame({"code": np.arange(len(self.ids), dtype=np.int32),
                                    "id": self.ids}),
            "c_events": pd.DataFrame({"g": np.arange(len(events), dtype=np.int32),
                                      "id": event_index.to_numpy(dtype=object),
                                      "day": _days(events["date"]) if "date" in events
                                      else pd.array([pd.NA] * len(events), dtype="Int32")}),
            "c_part": pd.DataFrame({"g": event_index.get_indexer(_str(part, "event_id")),
                                    "m": code(part, "org_id")}).astype(np.int32),
            "c_collab": pd.DataFrame({"g": exploded["g"].astype(np.int32),
                                      "id": exploded["id"].astype(object),
                                      "m": index.get_indexer(exploded["org"].astype(str)),
                                      "day": exploded["day"].astype("Int32")}),
            "c_memb": pd.DataFrame({"g": code(members, "council_id"),
                                    "m": code(members, "org_id"),
                                    "day": _days(members["since"]) if "since" in members
                                    else pd.array([pd.NA] * len(members), dtype="Int32")}),
            "c_disp": pd.DataFrame({"t": pd.factorize(_str(disp, "talent_id"))[0],
                                    "m": code(disp, "org_id"), "id": _str(disp, "id"),
                                    "day": _days(disp["start_date"]) if "start_date" in disp
                                    else pd.array([pd.NA] * len(disp), dtype="Int32")}),
        }
        for name, frame in relations.items():
            keep = np.ones(len(frame), dtype=bool)
            for column in ("g", "m"):
                if column in frame.columns and name not in ("c_events",):
                    keep &= frame[column].to_numpy() >= 0
            if name == "c_memb":
                keep &= frame["g"].to_numpy() != frame["m"].to_numpy()
            frame = frame.loc[keep].reset_index(drop=True)
            if name == "c_part":
                frame = frame.drop_duplicates()
            self.con.register(f"{name}_frame", frame)
            self.con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_frame")
            self.con.unregister(f"{name}_frame")


def core_from_source(source: RecordSource, nodes: pd.DataFrame, city: str) -> TieCore:
    """The tie core of a source's scoped records, with ``nodes`` (the organisation
    attributes in code order) and the ``city`` they belong to; the core keeps the source to
    fetch evidence for the pairs a person looks at.

    >>> from graph.build import example_dataset, organisation_attributes, tie_weights
    >>> dataset = example_dataset()
    >>> source = DatasetSource(dataset, tie_weights(None))
    >>> nodes = organisation_attributes(dataset.table("organizations"))
    >>> core_from_source(source, nodes, dataset.city).n_ties
    5
    """
    arrays = source.ties()
    parts = {p: arrays[p] for p in ("collaboration", "co_participation", "co_membership",
                                    "shared_dispatch")}
    return TieCore(ids=source.ids, nodes=nodes, u=arrays["u"], v=arrays["v"], parts=parts,
                   weight=arrays["weight"], first_day=arrays["first_day"],
                   last_day=arrays["last_day"], city=city, source=source)


def core_from_dataset(dataset: Dataset, *, weights: Mapping[str, float] | None = None,
                      as_of=None, fiscal_year=None, wards=None,
                      real_only: bool = False) -> TieCore:
    """The tie core of a dataset, weighted and scoped as ``graph.build.tie_graph``.

    Parameters
    ----------
    dataset : Dataset
        The records; not modified.
    weights : mapping, optional
        Multipliers per tie part (``graph.build.DEFAULT_TIE_WEIGHTS``).
    as_of, fiscal_year, wards, real_only
        Scope, as in ``graph.build.restrict``.

    Returns
    -------
    TieCore

    Raises
    ------
    GraphError
        For a bad weight or scope (as ``tie_graph``).

    Examples
    --------
    >>> from graph.build import example_dataset
    >>> core = core_from_dataset(example_dataset(), weights={"collaboration": 0})
    >>> float(core.weight[0]), core.parts["co_membership"].tolist()
    (2.5, [1.0, 0.0, 1.0, 0.0, 1.0])
    """
    w = tie_weights(weights)
    ds = restrict(dataset, as_of=as_of, fiscal_year=fiscal_year, wards=wards,
                  real_only=real_only)
    source = DatasetSource(ds, w)
    nodes = organisation_attributes(ds.table("organizations"))
    if not nodes.index.equals(pd.Index(source.ids)):
        raise GraphError("organizations: ids changed while building the core")
    return core_from_source(source, nodes, dataset.city)
