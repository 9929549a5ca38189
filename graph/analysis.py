"""One call from records to every network finding: the function the dashboard and CLI use.

:func:`analyze` scopes a dataset (date, fiscal year, wards, real records only), builds the
organisation tie graph, finds communities (Louvain, seeded), computes every
per-organisation measure, ranks the connectors, lists the isolated and tabulates the gaps.
The :class:`~graph.analysis_result.Analysis` it returns remembers the parameters it was made
with in ``summary``.

Examples
--------
>>> from graph.build import example_dataset
>>> result = analyze(example_dataset())
>>> result.summary["organisations"], result.summary["ties"], result.summary["components"]
(5, 5, 2)
>>> result.isolated["reason"].to_dict()
{'D': 'no_ties'}
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Callable

import networkx as nx
import pandas as pd

from graph.analysis_result import Analysis, community_frame, network_summary
from graph.communities import community_profiles
from graph.errors import GraphError
from graph.findings import connectors as rank_connectors
from graph.findings import isolated as find_isolated
from graph.findings import last_activity
from graph.measures import organisation_measures
from graph.memory import return_freed_memory

__all__ = ["STAGES", "analyze", "analyze_core", "analyze_store"]

#: The stages of :func:`analyze`, in order (keys of ``summary["timings"]``).
STAGES: tuple[str, ...] = ("scope", "ties", "communities", "measures", "profiles",
                           "connectors", "isolated", "gaps")


def _reference_date(as_of, fiscal_year, activity: Mapping) -> dt.date | None:
    days = []
    if as_of is not None:
        try:
            days.append(pd.Timestamp(as_of).date())
        except (TypeError, ValueError) as exc:
            raise GraphError(f"as_of: cannot read {as_of!r} as a date") from exc
    if fiscal_year is not None:
        try:
            days.append(dt.date(int(fiscal_year) + 1, 3, 31))
        except (TypeError, ValueError) as exc:
            raise GraphError(f"fiscal_year: expected a year such as 2019, got "
                             f"{fiscal_year!r}") from exc
    if days:
        return min(days)
    dated = [d for d in activity.values() if d is not None]
    return max(dated) if dated else None


def _labels(profiles: pd.DataFrame | None, partition, G: nx.Graph, column: str) -> dict:
    """Community → label from the profiles' ``column``, else ``#i 区・分野``."""
    from graph.findings import fallback_labels

    labels = {}
    if profiles is not None and column in profiles.columns:
        ids = profiles["community"] if "community" in profiles.columns else profiles.index
        labels = {c: text for c, text in zip(ids, profiles[column])
                  if isinstance(text, str) and text}
    if len(labels) < len(partition.communities):  # the fallback only where profiles gave none
        labels = {**fallback_labels(G, partition.membership()), **labels}
    return labels


def analyze(dataset, *, as_of=None, fiscal_year=None, wards=None, real_only: bool = False,
            weights: Mapping[str, float] | None = None, seed: int = 0,
            resolution: float = 1.0, progress: bool = False, inactive_years: int = 2,
            exact_threshold: int = 2000, k: int = 256,
            community_method: str = "leiden",
            on_stage: Callable[[str, int, int], None] | None = None) -> Analysis:
    """Scope, build, measure, rank and tabulate the gaps of one dataset.

    Parameters
    ----------
    dataset : ingest.schemas.Dataset
        The records; not modified.
    as_of, fiscal_year, wards, real_only
        Scope, as in ``graph.build.restrict`` (cumulative up to the date / fiscal year end).
    weights : mapping, optional
        Tie weights per source (``graph.build.DEFAULT_TIE_WEIGHTS``).
    seed : int, keyword-only
        Seed of Louvain and of the betweenness pivot sample.
    resolution : float, keyword-only
        Louvain resolution (higher → more, smaller communities).
    community_method : {"leiden", "python-louvain", "igraph", "auto"}, keyword-only
        Community implementation (``graph.core.communities``): Leiden (networkit) by default
        at every size; ``"python-louvain"`` the reference Louvain; ``"igraph"`` igraph's C
        Louvain; ``"auto"`` the former default (python-louvain up to 2,000 organisations,
        igraph's Louvain above). ``summary["community_method"]`` records which ran.
    progress : bool, keyword-only
        Show a tqdm progress bar (stderr) over the stages.
    inactive_years : int, keyword-only
        Fiscal years without activity that make an organisation ``inactive``; the reference
        date is ``as_of`` / the end of ``fiscal_year``, else the latest activity recorded.
    exact_threshold, k : int, keyword-only
        Betweenness is exact up to ``exact_threshold`` organisations, else sampled from ``k``
        pivots (``summary["betweenness"]`` says which).
    on_stage : callable, optional
        Called as ``on_stage(stage, done, total)`` after each stage of :data:`STAGES` (for a
        progress bar in the dashboard).

    Returns
    -------
    Analysis

    Raises
    ------
    GraphError
        For a bad scope, weight or parameter (from ``graph.build`` and below).

    Examples
    --------
    >>> from graph.build import example_dataset
    >>> a = analyze(example_dataset(), fiscal_year=2018)
    >>> a.summary["ties"], a.summary["reference_date"]
    (3, '2019-03-31')
    """
    from graph.build import restrict
    from graph.core import core_from_dataset

    if resolution <= 0:
        raise GraphError(f"resolution must be positive, got {resolution}")
    params = dict(as_of=as_of, fiscal_year=fiscal_year, wards=wards, real_only=real_only,
                  weights=weights, seed=seed, resolution=resolution,
                  inactive_years=inactive_years, exact_threshold=exact_threshold, k=k,
                  community_method=community_method)
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}
    with _stage_clock(timings, cpu, progress=progress, total=len(STAGES),
                      on_stage=on_stage) as stage:
        t = time.perf_counter()
        scoped = restrict(dataset, as_of=as_of, fiscal_year=fiscal_year, wards=wards,
                          real_only=real_only)
        activity = last_activity(scoped)
        stage("scope", t)

        t = time.perf_counter()
        core = core_from_dataset(scoped, weights=weights)
        stage("ties", t)
        return _analyze_core(core, activity, stage, timings, cpu, params)


def analyze_store(store, *, as_of=None, fiscal_year=None, wards=None, real_only: bool = False,
                  weights: Mapping[str, float] | None = None, seed: int = 0,
                  resolution: float = 1.0, progress: bool = False, inactive_years: int = 2,
                  exact_threshold: int = 2000, k: int = 256,
                  community_method: str = "leiden", timeout: float | None = None) -> Analysis:
    """:func:`analyze` of a DuckDB store, read and scoped in SQL (``graph.core.store``).

    The same findings as ``analyze(ingest.store.read_dataset(store), …)`` without turning
    the records into pandas objects: what lets a nation-sized store be analysed. Parameters
    are those of :func:`analyze`; ``timeout`` is the wait for a busy store.

    Raises
    ------
    ingest.store.StoreError
        For a missing, busy or unreadable store.
    GraphError
        For a bad scope, weight or parameter.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ingest.store import ingest_dataset
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text("id,name,kind\\nA,a,npo\\nB,b,npo\\n")
    >>> _ = (folder / "collaborations.csv").write_text("id,title,org_ids\\nC1,t,A;B\\n")
    >>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
    >>> analyze_store(folder / "s.duckdb").summary["ties"]
    1
    """
    from graph.core.sources import core_from_source
    from graph.core.store import StoreSource

    params = dict(as_of=as_of, fiscal_year=fiscal_year, wards=wards, real_only=real_only,
                  weights=weights, seed=seed, resolution=resolution,
                  inactive_years=inactive_years, exact_threshold=exact_threshold, k=k,
                  community_method=community_method)
    from graph.build import tie_weights

    started, cpu_started = time.perf_counter(), time.process_time()
    source = StoreSource(store, tie_weights(weights), as_of=as_of, fiscal_year=fiscal_year,
                         wards=wards, real_only=real_only, timeout=timeout)
    activity = source.activity()
    timings = {"scope": round(time.perf_counter() - started, 4)}
    cpu = {"scope": round(time.process_time() - cpu_started, 4)}
    started, cpu_started = time.perf_counter(), time.process_time()
    core = core_from_source(source, source.nodes(), source.city)
    timings["ties"] = round(time.perf_counter() - started, 4)
    cpu["ties"] = round(time.process_time() - cpu_started, 4)
    return analyze_core(core, activity=activity, as_of=as_of, fiscal_year=fiscal_year,
                        seed=seed, resolution=resolution, inactive_years=inactive_years,
                        exact_threshold=exact_threshold, k=k, community_method=community_method,
                        progress=progress, parameters=params, timings=timings,
                        cpu_timings=cpu)


def analyze_core(core, *, activity: Mapping | None = None, as_of=None, fiscal_year=None,
                 seed: int = 0, resolution: float = 1.0, inactive_years: int = 2,
                 exact_threshold: int = 2000, k: int = 256, community_method: str = "leiden",
                 progress: bool = False, parameters: Mapping | None = None,
                 timings: Mapping[str, float] | None = None,
                 cpu_timings: Mapping[str, float] | None = None) -> Analysis:
    """:func:`analyze` on a ready tie core (``graph.core``), e.g. one built from the store.

    Parameters
    ----------
    core : graph.core.TieCore
        The scoped ties (``core_from_dataset`` or ``graph.core.store.core_from_store``).
    activity : mapping, optional
        Organisation → latest activity date (``graph.findings.last_activity`` of the scoped
        records); without it the ``inactive`` reason is skipped.
    as_of, fiscal_year : optional
        The scope's cut-off, for the reference date of ``inactive``.
    seed, resolution, inactive_years, exact_threshold, k, community_method, progress
        As in :func:`analyze`.
    parameters : mapping, optional
        Recorded in ``summary["parameters"]`` (default: the arguments of this call).
    timings, cpu_timings : mapping, optional
        Stages already run (``scope``, ``ties``), recorded first in the summary.

    Returns
    -------
    Analysis

    Examples
    --------
    >>> from graph.build import example_dataset
    >>> from graph.core import core_from_dataset
    >>> a = analyze_core(core_from_dataset(example_dataset()))
    >>> a.summary["ties"], a.summary["community_method"]["method"]
    (5, 'leiden')
    """
    if resolution <= 0:
        raise GraphError(f"resolution must be positive, got {resolution}")
    params = dict(parameters) if parameters is not None else dict(
        as_of=as_of, fiscal_year=fiscal_year, seed=seed, resolution=resolution,
        inactive_years=inactive_years, exact_threshold=exact_threshold, k=k,
        community_method=community_method)
    params.setdefault("as_of", as_of)
    params.setdefault("fiscal_year", fiscal_year)
    done = {name: float(v) for name, v in (timings or {}).items()}
    done_cpu = {name: float(v) for name, v in (cpu_timings or {}).items()}
    with _stage_clock(done, done_cpu, progress=progress, total=len(STAGES) - 2) as stage:
        return _analyze_core(core, activity, stage, done, done_cpu, params)


@contextmanager
def _stage_clock(timings: dict, cpu: dict, *, progress: bool, total: int,
                 on_stage: Callable[[str, int, int], None] | None = None
                 ) -> Iterator[Callable[[str, float], None]]:
    """The ``stage(name, started)`` callback of one analysis, for a ``with`` block. After each
    stage it hands freed heap back (``graph.memory``), records the stage's wall and CPU
    seconds in ``timings`` and ``cpu``, advances the tqdm bar of ``total`` stages (when
    ``progress``) and calls ``on_stage(name, done, len(STAGES))``; the bar closes with the
    block."""
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, desc="analyze", unit="stage", leave=False)
    clock = {"cpu": time.process_time()}

    def stage(name: str, started: float) -> None:
        return_freed_memory()  # the stage's temporaries, before the next one allocates
        timings[name] = round(time.perf_counter() - started, 4)
        now = time.process_time()
        cpu[name] = round(now - clock["cpu"], 4)
        clock["cpu"] = now
        if bar is not None:
            bar.set_postfix_str(name)
            bar.update(1)
        if on_stage is not None:
            on_stage(name, len(timings), len(STAGES))

    try:
        yield stage
    finally:
        if bar is not None:
            bar.close()


def _analyze_core(core, activity, stage, timings, cpu, params) -> Analysis:
    """The stages after ``ties``, on the core and its networkx-shaped view."""
    from graph.core.communities import core_communities
    from graph.core.view import CoreGraph
    from graph.findings import gap_tables

    seed = params["seed"]
    reference = _reference_date(params.get("as_of"), params.get("fiscal_year"),
                                activity or {})
    t = time.perf_counter()
    partition = core_communities(core, method=params["community_method"],
                                 resolution=params["resolution"], seed=seed)
    stage("communities", t)

    t = time.perf_counter()
    G = CoreGraph(core)
    measures = organisation_measures(G, partition, weight="weight",
                                     exact_threshold=params["exact_threshold"],
                                     k=params["k"], seed=seed)
    stage("measures", t)

    t = time.perf_counter()
    profiles = community_profiles(G, partition)
    labels = _labels(profiles, partition, G, "label")
    labels_en = _labels(profiles, partition, G, "label_en")
    stage("profiles", t)

    t = time.perf_counter()
    ranked = rank_connectors(G, partition, measures=measures, labels=labels,
                             labels_en=labels_en, top=None)
    stage("connectors", t)

    t = time.perf_counter()
    lonely = find_isolated(G, partition, measures=measures, activity=activity,
                           as_of=reference, inactive_years=params["inactive_years"])
    stage("isolated", t)

    t = time.perf_counter()
    gaps = gap_tables(G, partition, labels=labels, seed=seed)
    stage("gaps", t)

    # the frame is extended in place: the stages above kept no reference to it, and a copy
    # would double it at nation size
    measures["community_label"] = measures["community"].map(labels)
    measures["community_label_en"] = measures["community"].map(labels_en)
    measures["connector_score"] = ranked["score"].reindex(measures.index).fillna(0.0)
    # as text even when nobody is isolated (an empty column would come back as float NaN)
    measures["isolated_reason"] = lonely["reasons"].astype(object).reindex(
        measures.index).fillna("")
    measures["isolation"] = lonely["isolation"].astype(object).reindex(
        measures.index).fillna("")
    activity = activity or {}
    measures["last_activity"] = [activity.get(v) for v in measures.index]

    communities = community_frame(profiles, partition, measures, labels)
    summary = network_summary(core, G.component_labels, partition, measures, lonely, ranked, gaps,
                              timings, cpu, params, reference)
    return Analysis(core, partition, measures, communities, ranked, lonely, gaps, summary)

