"""When an organisation enters the network: at ``founded``, else at its first record.

The evaluation of introductions (``graph.introductions.evaluate``) ranks, at a cut-off T, the
organisations *present* at T. An organisation is present from its **entry date**:

* its ``founded`` date when the record has one;
* otherwise the date of its first record: the earliest of the collaborations it is part of
  (``start_date``), the events it attended or organised (``date``), its memberships, as
  member or as council (``since``), dispatches to it (``start_date``), resources it offers
  (``offered_on``) and its awards (1 April of the fiscal year);
* ``None`` (present in every snapshot) when it has an undated record, or no record at all:
  nothing says when it started.

Counting an organisation without ``founded`` as present before its first record makes it a
candidate it could not yet be, which lowers every AUC; :func:`entry_warning` says when most
organisations lack ``founded``.

Examples
--------
>>> from graph.build import example_dataset
>>> entry = entry_dates(example_dataset())
>>> entry["C"], entry["A"], entry["D"]   # A: an undated membership; D: no record
(datetime.date(2019, 6, 1), None, None)
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pandas as pd

from ingest.schemas import Dataset

__all__ = ["entry_dates", "graph_entry_dates", "entry_warning", "present_at"]

# table → (organisation column(s), date column); awards are dated by fiscal year
_RECORDS = (
    ("events", ("organizer_id",), "date"),
    ("memberships", ("org_id", "council_id"), "since"),
    ("dispatches", ("org_id",), "start_date"),
    ("resources", ("provider_id",), "offered_on"),
)


def _pairs(dataset: Dataset) -> pd.DataFrame:
    """Every (org, date) of a record naming the organisation; date ``NaT`` when undated."""
    frames = []
    collabs = dataset.table("collaborations")
    if len(collabs):
        exploded = collabs[["org_ids", "start_date"]].explode("org_ids")
        frames.append(pd.DataFrame({"org": exploded["org_ids"], "day": exploded["start_date"]}))
    part, events = dataset.table("participations"), dataset.table("events")
    if len(part):
        day = part["event_id"].astype(str).map(
            pd.Series(pd.to_datetime(events["date"]).to_numpy(), index=events["id"].astype(str)))
        frames.append(pd.DataFrame({"org": part["org_id"], "day": day}))
    for table, columns, date in _RECORDS:
        frame = dataset.table(table)
        for column in columns:
            if len(frame) and column in frame.columns:
                frames.append(pd.DataFrame({"org": frame[column], "day": frame[date]}))
    awards = dataset.table("awards")
    if len(awards):
        fy = pd.to_numeric(awards["fiscal_year"], errors="coerce")
        day = pd.to_datetime(fy.astype("Int64").astype(str) + "-04-01", errors="coerce")
        frames.append(pd.DataFrame({"org": awards["org_id"], "day": day}))
    if not frames:
        return pd.DataFrame({"org": pd.Series(dtype=str), "day": pd.Series(dtype="datetime64[ns]")})
    out = pd.concat(frames, ignore_index=True).dropna(subset=["org"])
    out["org"] = out["org"].astype(str)
    out["day"] = pd.to_datetime(out["day"])
    return out


def entry_dates(dataset: Dataset) -> dict[str, dt.date | None]:
    """Each organisation's entry date (see the module notes).

    Parameters
    ----------
    dataset : Dataset
        All records (not modified).

    Returns
    -------
    dict
        Organisation id → ``datetime.date``, or ``None`` when it is present throughout.

    Examples
    --------
    >>> from graph.build import example_dataset
    >>> {org: str(day) for org, day in entry_dates(example_dataset()).items()}
    {'A': 'None', 'B': 'None', 'C': '2019-06-01', 'D': 'None', 'K': 'None'}
    """
    orgs = dataset.table("organizations")
    ids = orgs["id"].astype(str)
    founded = pd.to_datetime(orgs["founded"]) if "founded" in orgs.columns else pd.Series(
        pd.NaT, index=orgs.index)
    pairs = _pairs(dataset)
    undated = set(pairs.loc[pairs["day"].isna(), "org"])
    first = pairs.dropna(subset=["day"]).groupby("org")["day"].min()
    out: dict[str, dt.date | None] = {}
    for org, day in zip(ids, founded):
        if not pd.isna(day):
            out[org] = pd.Timestamp(day).date()
        elif org in first.index and org not in undated:
            out[org] = first[org].date()
        else:
            out[org] = None
    return out


def graph_entry_dates(G: nx.Graph) -> dict[object, dt.date | None]:
    """Entry dates of a graph's nodes: the node's ``founded`` attribute, else the earliest
    ``first_date`` of its edges (``None`` with an undated edge or no edge).

    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", first_date=dt.date(2020, 1, 5))
    >>> G.add_edge("b", "c", first_date=dt.date(2019, 3, 1))
    >>> G.add_node("d", founded=dt.date(2018, 1, 1))
    >>> graph_entry_dates(G)
    {'a': datetime.date(2020, 1, 5), 'b': datetime.date(2019, 3, 1), 'c': datetime.date(2019, 3, 1), 'd': datetime.date(2018, 1, 1)}
    """
    out = {}
    for u, data in G.nodes(data=True):
        founded = data.get("founded")
        if founded is not None and not pd.isna(founded):
            out[u] = pd.Timestamp(founded).date()
            continue
        days = [d for _, _, d in G.edges(u, data="first_date")]
        out[u] = None if not days or any(d is None for d in days) else min(days)
    return out


def present_at(entry: dict, day: dt.date) -> set:
    """The organisations present on ``day``: entered on or before it, or always present.

    >>> present_at({"a": dt.date(2020, 1, 1), "b": None, "c": dt.date(2021, 1, 1)},
    ...            dt.date(2020, 6, 1)) == {"a", "b"}
    True
    """
    return {u for u, d in entry.items() if d is None or d <= day}


def entry_warning(dataset: Dataset) -> str:
    """A warning when most organisations have no ``founded`` date ("" otherwise).

    >>> from graph.build import example_dataset
    >>> entry_warning(example_dataset())[:44]
    '5 of 5 organisations have no founded date: e'
    """
    orgs = dataset.table("organizations")
    if len(orgs) == 0:
        return ""
    missing = int(pd.to_datetime(orgs["founded"]).isna().sum()) if "founded" in orgs.columns \
        else len(orgs)
    if 2 * missing <= len(orgs):
        return ""
    return (f"{missing} of {len(orgs)} organisations have no founded date: each enters the "
            "network at its first record (those without a dated record count as present "
            "throughout); add `founded` to organizations.csv for exact entry times")
