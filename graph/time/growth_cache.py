"""Growth of a scope computed once per store version and kept on disk beside the store.

:func:`compute_growth` runs the timeline (``graph.time``) of a scope —
the whole city or some wards — and returns plain tables: every fiscal year's metrics, community
events (births, merges, splits, deaths …) and their counts per year, the alluvial flows, the
organisations' trajectories, rising connectors, newly isolated organisations and a
community-level replay (``graph.time.growth_replay``). :func:`save_growth` writes them as Parquet
files in a folder named after the store version and the scope, next to the store
(``<store>.growth/``), and :func:`load_growth` reads them back: the first visit after an
ingest computes, every later one — after a restart too — only reads.

A folder is written under a temporary name and renamed when complete, so a reader never sees a
half-written result; folders of older store versions are removed when a new one is saved.

Examples
--------
>>> import datetime as dt, tempfile, networkx as nx
>>> from pathlib import Path
>>> from graph.time import timeline_from_graph
>>> G = nx.Graph()
>>> for u, v, day in [("a", "b", "2017-05-01"), ("b", "c", "2018-05-01"), ("c", "a", "2018-06-01")]:
...     d = dt.date.fromisoformat(day)
...     G.add_edge(u, v, weight=1.0, first_date=d, last_date=d)
>>> frames = compute_growth(timeline_from_graph(G))
>>> frames["snapshots"][["period", "organisations", "ties"]].values.tolist()
[['FY2017', 2, 1], ['FY2018', 3, 3]]
>>> store = Path(tempfile.mkdtemp()) / "x.duckdb"
>>> folder = growth_folder(store, "v1", wards=(), real_only=False)
>>> save_growth(folder, frames)
>>> load_growth(folder)["snapshots"]["ties"].tolist()
[1, 3]
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from graph.time.growth_replay import community_replay
from graph.time.timeline import Timeline
from graph.time.timeline_analysis import analyze_timeline
from graph.time.trajectories import newly_isolated, rising_connectors

__all__ = ["FORMAT", "TABLES", "compute_growth", "restrict_timeline", "growth_folder",
           "save_growth", "load_growth"]

#: Bumped whenever the tables change, so an old cache is recomputed rather than misread.
FORMAT = 1
#: The tables :func:`compute_growth` returns (each saved as ``<name>.parquet``).
TABLES = ("snapshots", "events", "event_counts", "alluvial", "trajectories", "rising",
          "newly_isolated", "replay_nodes", "replay_links")
#: Community events counted per year (``event_counts``), in this order.
EVENT_KINDS = ("birth", "merge", "split", "death", "growth", "contraction")
#: Rows of the rising-connector table.
RISING_TOP = 20


def restrict_timeline(timeline: Timeline, wards: Iterable[str]) -> Timeline:
    """The part of a timeline inside some wards: their organisations and the ties among them.

    >>> import datetime as dt, networkx as nx
    >>> from graph.time import timeline_from_graph
    >>> G = nx.Graph()
    >>> G.add_node("a", ward="北区"); G.add_node("b", ward="北区"); G.add_node("c", ward="西区")
    >>> d = dt.date(2019, 5, 1)
    >>> G.add_edges_from([("a", "b"), ("b", "c")], weight=1.0, first_date=d, last_date=d)
    >>> part = restrict_timeline(timeline_from_graph(G), ["北区"])
    >>> sorted(part.orgs.index), len(part.ties)
    (['a', 'b'], 1)
    """
    chosen = set(wards)
    orgs = timeline.orgs[timeline.orgs["ward"].isin(chosen)]
    keep = set(orgs.index)
    ties = timeline.ties[timeline.ties["u"].isin(keep) & timeline.ties["v"].isin(keep)]
    return Timeline(orgs=orgs, ties=ties.reset_index(drop=True))


def compute_growth(timeline: Timeline, *, seed: int = 0,
                   progress: Callable[[int, int], None] | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the Growth page for one timeline.

    Parameters
    ----------
    timeline : graph.time.Timeline
    seed : int, keyword-only
        Louvain, betweenness-pivot and layout seed.
    progress : callable, optional, keyword-only
        Called as ``progress(done, total)`` after each fiscal year is analysed.

    Returns
    -------
    dict of str to pandas.DataFrame
        The :data:`TABLES`. ``event_counts`` has ``period`` and one column per
        :data:`EVENT_KINDS`; ``rising`` is ``graph.time.rising_connectors`` by
        betweenness from the first to the last year; ``replay_nodes`` / ``replay_links``
        come from ``graph.time.community_replay``.
    """
    result = analyze_timeline(timeline, seed=seed, roles=False,
                              progress=_reporting(progress) if progress else None)
    snapshots = result.snapshots.copy()
    trajectories = result.trajectories.drop(columns=["role"], errors="ignore").copy()
    trajectories["community"] = trajectories["community"].astype("Int64")
    events = result.community_events.copy()
    events["related"] = events["related"].astype(str)
    labels = [p.label for p in result.periods]
    counts = (events[events["event"].isin(EVENT_KINDS)]
              .pivot_table(index="period", columns="event", values="community", aggfunc="count")
              .reindex(index=labels, columns=list(EVENT_KINDS)).fillna(0).astype(int))
    counts = counts.rename_axis(columns=None).reset_index().rename(columns={"index": "period"})
    has_periods = bool(labels) and not trajectories.empty
    rising = (rising_connectors(trajectories, measure="betweenness", top=RISING_TOP)
              if has_periods else pd.DataFrame(columns=["id", "name", "start", "end", "gain"]))
    lonely = (newly_isolated(trajectories) if has_periods
              else pd.DataFrame(columns=["period", "id", "name", "previous_degree"]))
    ends = {p.label: p.end for p in result.periods}
    nodes, links = community_replay(timeline, trajectories, ends, seed=seed)
    return {"snapshots": snapshots, "events": events, "event_counts": counts,
            "alluvial": result.alluvial.copy(), "trajectories": trajectories,
            "rising": rising, "newly_isolated": lonely, "replay_nodes": nodes,
            "replay_links": links}


def _reporting(progress: Callable[[int, int], None]):
    def wrap(periods):
        periods = list(periods)
        for done, period in enumerate(periods):
            yield period
            progress(done + 1, len(periods))
    return wrap


def growth_folder(store: str | os.PathLike, version: str, *, wards: Iterable[str],
                  real_only: bool) -> Path:
    """Where the growth of one scope of one store version is kept (beside the store).

    >>> growth_folder("/d/city.duckdb", "v1", wards=(), real_only=False).parent.name
    'city.duckdb.growth'
    """
    key = json.dumps({"format": FORMAT, "version": version, "wards": sorted(wards),
                      "real_only": bool(real_only)}, ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    root = Path(str(store) + ".growth")
    return root / f"{_version_tag(version)}-{digest}"


def _version_tag(version: str) -> str:
    return hashlib.sha256(version.encode("utf-8")).hexdigest()[:12]


def save_growth(folder: Path, frames: dict[str, pd.DataFrame]) -> None:
    """Write the tables into ``folder`` atomically; drop folders of other store versions."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=folder.parent))
    try:
        for name in TABLES:
            frames[name].to_parquet(work / f"{name}.parquet", index=False)
        (work / "meta.json").write_text(json.dumps({"format": FORMAT}), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
        os.replace(work, folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    tag = folder.name.split("-")[0]
    for other in folder.parent.iterdir():
        if other.is_dir() and not other.name.startswith(".") and other.name.split("-")[0] != tag:
            shutil.rmtree(other, ignore_errors=True)


def load_growth(folder: Path) -> dict[str, pd.DataFrame]:
    """The tables saved by :func:`save_growth`.

    Raises
    ------
    FileNotFoundError
        When nothing (or an older format) is saved there.
    """
    folder = Path(folder)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FileNotFoundError(f"no saved growth in {folder}") from exc
    if meta.get("format") != FORMAT:
        raise FileNotFoundError(f"saved growth in {folder} has an older format")
    return {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
