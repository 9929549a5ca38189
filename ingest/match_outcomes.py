"""Outcomes of matches (a consultation's need met by an offer, a talent or an organisation).

A match outcome is an ``outcomes`` row (``ingest.store.record_outcome``) whose ``goal`` reads
``match:<consultation id>:<helper kind>:<helper id>``; ``org_a`` is the asking organisation
(the consultation id when nobody registered asked) and ``org_b`` the helper's organisation
(the talent id for a talent). So ``tsunagari conversions`` counts a matched offer that became
a tie like any introduction, and ``read_match_outcomes`` gives the matches back.

Examples
--------
>>> import tempfile, pathlib
>>> store = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
>>> record_match_outcome(store, consultation="K1", asker="G1", kind="offer", helper="R1",
...                      helper_org="P1", status="introduced", on="2019-07-01")
1
>>> read_match_outcomes(store)[["consultation", "kind", "helper", "org_b"]].values.tolist()
[['K1', 'offer', 'R1', 'P1']]
"""

from __future__ import annotations

import pandas as pd

from ingest.store import read_dataset, read_outcomes, record_outcome

__all__ = ["HELPER_KINDS", "MATCH_GOAL", "read_match_outcomes", "record_match_outcome"]

MATCH_GOAL = "match"
HELPER_KINDS = ("offer", "talent", "organisation")
_TABLE_OF = {"offer": ("resources", "id"), "talent": ("talents", "id"),
             "organisation": ("organizations", "id")}


def record_match_outcome(store, *, consultation: str, kind: str, helper: str, status: str,
                         asker: str = "", helper_org: str = "", on=None,
                         score: float | None = None, note: str = "",
                         timeout: float | None = None) -> int:
    """Record what came of a match; returns the outcome's id.

    Parameters
    ----------
    store : path
    consultation : str
        The consultation's id.
    kind : {"offer", "talent", "organisation"}
    helper : str
        The offer's, talent's or organisation's id.
    status : str
        As for introductions: proposed, introduced, declined, partnered.
    asker, helper_org : str
        The asking organisation ("" when none) and the helper's organisation ("" for a talent).
    on, score, note, timeout
        As ``ingest.store.record_outcome``.

    Raises
    ------
    ValueError
        An unknown kind or status, or (when the store holds records) an id not found in it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> store = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> record_match_outcome(store, consultation="K1", kind="talent", helper="T1",
    ...                      status="proposed", on="2019-07-01")
    1
    >>> record_match_outcome(store, consultation="K1", kind="room", helper="R1", status="proposed")
    Traceback (most recent call last):
    ...
    ValueError: kind 'room' is not one of offer, talent, organisation
    """
    if kind not in HELPER_KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(HELPER_KINDS)}")
    consultation, helper = str(consultation).strip(), str(helper).strip()
    if not consultation or not helper:
        raise ValueError("a match outcome needs a consultation id and a helper id")
    if kind == "organisation":
        helper_org = helper
    _check_ids(store, consultation, kind, helper, asker, helper_org, timeout)
    return record_outcome(store, org_a=asker or consultation, org_b=helper_org or helper,
                          status=status, on=on, goal=f"{MATCH_GOAL}:{consultation}:{kind}:{helper}",
                          score=score, note=note, timeout=timeout, check_orgs=False)


def _check_ids(store, consultation, kind, helper, asker, helper_org, timeout) -> None:
    from pathlib import Path

    if not Path(store).exists():
        return
    ds = read_dataset(store, timeout=timeout)
    if ds.table("organizations").empty:
        return
    wanted = [("consultations", consultation), (_TABLE_OF[kind][0], helper)]
    wanted += [("organizations", o) for o in (asker, helper_org) if o]
    missing = [f"{table} {value}" for table, value in wanted
               if value not in set(ds.table(table)["id"].astype(str))]
    if missing:
        raise ValueError(f"unknown id(s): {', '.join(missing)}")


def read_match_outcomes(store, *, timeout: float | None = None) -> pd.DataFrame:
    """The match outcomes, oldest first: the outcome columns plus ``consultation``, ``kind``
    and ``helper`` read from the goal.

    >>> import tempfile, pathlib
    >>> store = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> _ = record_match_outcome(store, consultation="K2", asker="G1", kind="organisation",
    ...                          helper="G3", status="partnered", on="2019-08-01")
    >>> read_match_outcomes(store)[["org_a", "org_b", "consultation", "helper"]].values.tolist()
    [['G1', 'G3', 'K2', 'G3']]
    """
    frame = read_outcomes(store, timeout=timeout)
    frame = frame.loc[frame["goal"].fillna("").str.startswith(MATCH_GOAL + ":")].copy()
    parts = frame["goal"].str.split(":", n=3, expand=True).reindex(columns=range(4))
    frame["consultation"] = parts[1].astype(object)
    frame["kind"] = parts[2].astype(object)
    frame["helper"] = parts[3].astype(object)
    return frame.reset_index(drop=True)
