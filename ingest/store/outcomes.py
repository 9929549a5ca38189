"""The outcomes of suggested introductions: recorded one small transaction each."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ingest.normalise import parse_date
from ingest.schemas import OUTCOME_STATUSES
from ingest.store.connection import audit, bump_version, connect, has_table, os_user, store_file

__all__ = ["OUTCOME_COLUMNS", "record_outcome", "read_outcomes"]

OUTCOME_COLUMNS = ("id", "org_a", "org_b", "status", "on", "goal", "score", "note",
                   "recorded_at", "recorded_by")


def record_outcome(store=None, *, org_a: str, org_b: str, status: str, on=None,
                   goal: str = "", score: float | None = None, note: str = "",
                   timeout: float | None = None, check_orgs: bool = True,
                   by: str | None = None) -> int:
    """Record what came of an introduction; returns the outcome's id.

    ``status`` is one of ``proposed``, ``introduced``, ``declined``, ``partnered``; ``on``
    is a date (any form ``parse_date`` reads; default today). When the store holds
    organisations, both ids must be among them, unless ``check_orgs`` is false (a match
    outcome, ``ingest.match_outcomes``, whose ids may be a consultation or a talent, checked
    by the caller). One small transaction of its own; ``by`` (default: the OS user) and the
    time are recorded with it.

    >>> import tempfile, pathlib
    >>> store = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> record_outcome(store, org_a="R-O1", org_b="R-O2", status="introduced", on="2019-08-01")
    1
    >>> read_outcomes(store)[["org_a", "status"]].values.tolist()
    [['R-O1', 'introduced']]
    """
    if status not in OUTCOME_STATUSES:
        raise ValueError(f"status {status!r} is not one of {', '.join(OUTCOME_STATUSES)}")
    org_a, org_b = str(org_a).strip(), str(org_b).strip()
    if not org_a or not org_b or org_a == org_b:
        raise ValueError("an outcome needs two different organisation ids")
    day = dt.date.today() if on is None else parse_date(on)
    if score is not None:
        score = float(score)
    with connect(store, write=True, timeout=timeout) as con:
        known = con.execute('SELECT count(*) FROM organizations').fetchone()[0]
        if known and check_orgs:
            found = {r[0] for r in con.execute(
                "SELECT DISTINCT id FROM organizations WHERE id IN (?, ?)", [org_a, org_b]
            ).fetchall()}
            missing = [o for o in (org_a, org_b) if o not in found]
            if missing:
                raise ValueError(f"unknown organisation id(s): {', '.join(missing)}")
        by = by or os_user()
        when = dt.datetime.now().replace(microsecond=0)
        con.execute("BEGIN TRANSACTION")
        row = con.execute("""INSERT INTO outcomes (org_a, org_b, status, "on", goal, score,
            note, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                          [org_a, org_b, status, day, str(goal), score, str(note),
                           when, by]).fetchone()
        audit(con, "outcome", f"outcome {row[0]}: {org_a} – {org_b} {status}", by, when)
        con.execute("COMMIT")
    bump_version(store_file(store))
    return int(row[0])


def read_outcomes(store=None, *, timeout: float | None = None) -> pd.DataFrame:
    """Every recorded outcome, oldest first; columns ``OUTCOME_COLUMNS``.

    An empty frame when no outcome was recorded yet (or the store has no outcomes table).
    """
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in OUTCOME_COLUMNS})
    with connect(store, write=False, timeout=timeout) as con:
        if not has_table(con, "outcomes"):
            frame = empty
        else:
            frame = con.execute('SELECT id, org_a, org_b, status, "on", goal, score, note, '
                                'recorded_at, recorded_by FROM outcomes ORDER BY id').df()
    frame["id"] = frame["id"].astype("int64")
    frame["on"] = pd.to_datetime(frame["on"]).astype("datetime64[ns]")
    frame["recorded_at"] = pd.to_datetime(frame["recorded_at"]).astype("datetime64[ns]")
    frame["score"] = frame["score"].astype("float64")
    for column in ("org_a", "org_b", "status", "goal", "note", "recorded_by"):
        frame[column] = frame[column].astype(object)
    frame["recorded_by"] = frame["recorded_by"].fillna("")
    return frame
