"""The history of a network: cut-off days, snapshots at a day, and the ties new since.

Evaluation and calibration both look at the network as it was at a cut-off: ``parse_cutoff``
reads a day or a fiscal year; a *snapshot* (``dataset_snapshots`` for records,
``graph_snapshots`` for a graph whose edges carry ``first_date``) gives the tie graph (and the
records) at a day, holding only the organisations present then (``graph.entry``);
``new_ties`` are the pairs tied later. ``dated_karate`` is Zachary's karate club with dated
ties, a structure-only network for examples and tests.

Examples
--------
>>> G = dated_karate(seed=1)
>>> before, _ = graph_snapshots(G)(parse_cutoff("FY2017"))
>>> before.number_of_nodes(), len(new_ties(before, G)) > 0
(33, True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import networkx as nx
import numpy as np
import pandas as pd

from graph.entry import entry_dates, graph_entry_dates, present_at
from graph.errors import GraphError
from graph.introductions.signals import Signals
from ingest.schemas import Dataset

__all__ = ["Snapshot", "parse_cutoff", "one_year_before", "dataset_snapshots", "graph_snapshots",
           "new_ties", "positive_rows", "dated_karate"]


def parse_cutoff(value) -> dt.date:
    """A cut-off day from a date or a fiscal year (``FY2018`` → 2019-03-31).

    Examples
    --------
    >>> parse_cutoff("FY2018"), parse_cutoff("2019-06-30"), parse_cutoff("令和元年度")
    (datetime.date(2019, 3, 31), datetime.date(2019, 6, 30), datetime.date(2020, 3, 31))
    >>> parse_cutoff("soon")
    Traceback (most recent call last):
    ...
    graph.errors.GraphError: cannot read 'soon' as a date or a fiscal year (e.g. 2019-03-31, FY2018)
    """
    from ingest.normalise import fiscal_year_bounds, parse_date, parse_fiscal_year

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    text = str(value).strip()
    if text.upper().startswith("FY") or "年度" in text:
        try:
            return fiscal_year_bounds(parse_fiscal_year(text))[1]
        except ValueError:
            pass
    try:
        return parse_date(text)
    except ValueError:
        pass
    raise GraphError(f"cannot read {text!r} as a date or a fiscal year (e.g. 2019-03-31, FY2018)")


def one_year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (29 February → 28 February).

    >>> one_year_before(dt.date(2020, 2, 29))
    datetime.date(2019, 2, 28)
    """
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


Snapshot = Callable[[dt.date], tuple[nx.Graph, Dataset | None]]


def dataset_snapshots(dataset: Dataset) -> Snapshot:
    """``tie_graph`` and ``restrict`` of a dataset at a day, memoised by day (evaluation and
    calibration both need the graph at the training cut-off)."""
    from graph.build import restrict, tie_graph

    memo: dict = {}
    entry = entry_dates(dataset)

    def snap(day: dt.date):
        if day not in memo:
            G = tie_graph(dataset, as_of=day)
            present = present_at(entry, day)
            G.remove_nodes_from([u for u in list(G) if u not in present])
            memo[day] = (G, restrict(dataset, as_of=day))
        return memo[day]

    return snap


def graph_snapshots(G: nx.Graph) -> Snapshot:
    """Snapshots of a graph whose edges carry ``first_date``: the organisations present at a
    day (``graph.entry.graph_entry_dates``) and the edges dated on or before it (undated:
    always); no records."""
    entry = graph_entry_dates(G)

    def snap(day: dt.date):
        present = present_at(entry, day)
        H = nx.Graph(**G.graph)  # the declared city (Osaka ward borders or not) included
        H.add_nodes_from((u, d) for u, d in G.nodes(data=True) if u in present)
        H.add_edges_from((u, v, d) for u, v, d in G.edges(data=True)
                         if (d.get("first_date") is None or d["first_date"] <= day)
                         and u in present and v in present)
        return H, None

    return snap


def new_ties(before: nx.Graph, after: nx.Graph) -> list[tuple[str, str]]:
    """Pairs tied in ``after`` but not in ``before``, both present in ``before``.

    Examples
    --------
    >>> a, b = nx.Graph([(1, 2)]), nx.Graph([(1, 2), (2, 3), (3, 4)])
    >>> a.add_node(3)
    >>> new_ties(a, b)
    [(2, 3)]
    """
    return sorted((u, v) for u, v in after.edges()
                  if u != v and u in before and v in before and not before.has_edge(u, v))


def positive_rows(sig: Signals, pairs: Iterable[tuple[str, str]]) -> dict[int, np.ndarray]:
    """Row position → positions of its new partners, for every organisation of ``pairs``."""
    out: dict[int, set[int]] = {}
    for u, v in pairs:
        i, j = sig.index[u], sig.index[v]
        out.setdefault(i, set()).add(j)
        out.setdefault(j, set()).add(i)
    return {i: np.array(sorted(js), dtype=int) for i, js in sorted(out.items())}


def dated_karate(*, seed: int = 0, start: dt.date = dt.date(2015, 4, 1),
                 years: int = 5) -> nx.Graph:
    """Zachary's karate club with a seeded random first date on every tie (structure only).

    Examples
    --------
    >>> G = dated_karate(seed=3)
    >>> G.number_of_edges(), min(d for _, _, d in G.edges(data="first_date")) >= dt.date(2015, 4, 1)
    (78, True)
    """
    rng = np.random.default_rng(seed)
    K = nx.karate_club_graph()
    G = nx.Graph()
    G.add_nodes_from((f"K{u:02d}", {"name": f"member {u}", "kind": "other", "ward": "",
                                    "orientation": "", "fields": (), "synthetic": True})
                     for u in K)
    days = (dt.date(start.year + years, start.month, start.day) - start).days
    for i, (u, v) in enumerate(sorted(K.edges())):
        day = start + dt.timedelta(days=int(rng.integers(days)))
        G.add_edge(f"K{u:02d}", f"K{v:02d}", weight=1.0, evidence=(f"collaborations:KC{i:03d}",),
                   first_date=day, last_date=day)
    return G
