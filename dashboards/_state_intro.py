"""Cached loaders of the Introductions page: suggestions, talents, recorded outcomes.

Suggestions follow the records version (``_state.data_status``); the outcome loaders follow the
store's own version (``_state.write_version``), so a saved outcome shows at once without
recomputing the analysis.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboards._state import Scope, analysis, dataset, scoped_analysis, view_nodes, write_version

__all__ = ["INTRO_GROUP_LIMIT", "scoped_records", "signals", "suggestions",
           "suggestion_calibration", "talents_for", "outcomes", "save_outcome", "conversions"]

#: Organisations a ward or community request is expanded to (the best-connected first).
INTRO_GROUP_LIMIT = 40


@st.cache_resource(show_spinner=False, max_entries=8)
def scoped_records(path: Path, version: str, fiscal_year: int | None, real_only: bool):
    """``graph.build.restrict`` of the store to the fiscal year / real records (read-only)."""
    from graph.build import restrict

    return restrict(dataset(path, version), fiscal_year=fiscal_year, real_only=real_only)


@st.cache_resource(show_spinner=False, max_entries=8)
def signals(path: Path, version: str, fiscal_year: int | None, real_only: bool):
    """``graph.introductions.build_signals`` for the scope's tie graph and records (read-only)."""
    from graph.introductions import build_signals

    G = analysis(path, version, fiscal_year, real_only).ties
    return build_signals(G, scoped_records(path, version, fiscal_year, real_only))


@st.cache_data(show_spinner=False, max_entries=64)
def suggestions(path: Path, version: str, scope: Scope, *, target: str, value, goal: str,
                top: int, weights: tuple | None = None) -> pd.DataFrame:
    """``graph.introductions.suggest`` as a work list (``graph.introductions.work_list``).

    ``target`` is ``"org"`` (``value`` an id), ``"ward"`` (a ward name) or ``"community"``
    (an index); a ward or community is expanded with ``graph.introductions.select_orgs`` to its
    :data:`INTRO_GROUP_LIMIT` best-connected organisations in view. ``weights``: signal
    weights as sorted ``(signal, weight)`` pairs (:func:`suggestion_calibration`), or the
    defaults.
    """
    from graph.introductions import select_orgs, suggest, work_list

    result = scoped_analysis(path, version, scope)
    G = result.ties
    if target == "org":
        orgs = [value]
    else:
        chosen = select_orgs(G, ward=value if target == "ward" else None,
                             community=value if target == "community" else None,
                             partition=result.partition)
        keep = set(view_nodes(path, version, scope))
        orgs = sorted((v for v in chosen if v in keep),
                      key=lambda v: -float(result.measures.at[v, "strength"]))[:INTRO_GROUP_LIMIT]
    if not orgs:
        return work_list([])
    found = suggest(G, dataset=scoped_records(path, version, scope.fiscal_year, scope.real_only),
                    orgs=orgs, goal=goal, top=top, partition=result.partition,
                    signals=signals(path, version, scope.fiscal_year, scope.real_only),
                    weights=None if weights is None else dict(weights))
    return work_list(found)


def suggestion_calibration(path: Path, version: str):
    """The weights ``tsunagari suggest --calibrate`` fitted and cached for this store version
    (seed 0) as a ``graph.introductions.Calibration``, or ``None`` (the default weights rank).
    ``version`` is the page's records version; the CLI caches by the store's own version."""
    from cli.suggest_cmd import read_cached_calibration
    from ingest.store import store_version

    return read_cached_calibration(path, store_version(path), 0)


@st.cache_data(show_spinner=False, max_entries=32)
def talents_for(path: Path, version: str, scope: Scope, org: str, top: int = 5) -> pd.DataFrame:
    """``graph.introductions.match_talents`` for an organisation: talent, score, skills, reasons."""
    from graph.errors import GraphError
    from graph.introductions import match_talents

    records = scoped_records(path, version, scope.fiscal_year, scope.real_only)
    try:
        matches = match_talents(records, org=org, top=top)
    except GraphError:
        return pd.DataFrame(columns=["talent_id", "score", "skills", "dispatches",
                                     "reasons_ja", "reasons_en"])
    return pd.DataFrame([{
        "talent_id": m.talent_id, "score": round(m.score, 3),
        "skills": ", ".join(m.matched_skills), "dispatches": m.dispatches,
        "reasons_ja": " / ".join(r.ja for r in m.reasons),
        "reasons_en": " / ".join(r.en for r in m.reasons)} for m in matches],
        columns=["talent_id", "score", "skills", "dispatches", "reasons_ja", "reasons_en"])


def outcomes(path: Path, version: str) -> pd.DataFrame:
    """Recorded outcomes (``ingest.store.read_outcomes``), newest first.

    Read again after every write of the store (outcomes included), whatever ``version``.
    """
    return _outcomes(str(path), write_version(path)).copy()


@st.cache_data(show_spinner=False, max_entries=8)
def _outcomes(path: str, version: str) -> pd.DataFrame:
    from ingest.store import read_outcomes

    return read_outcomes(Path(path)).sort_values("id", ascending=False, ignore_index=True)


def save_outcome(path: Path, *, org_a: str, org_b: str, status: str, on, goal: str,
                 score: float | None, note: str, by: str | None = None) -> int:
    """``ingest.store.record_outcome`` (opens the store for one short write, then closes it);
    ``by`` is the signed-in editor."""
    from ingest.store import record_outcome

    return record_outcome(path, org_a=org_a, org_b=org_b, status=status, on=on, goal=goal,
                          score=score, note=note, by=by)


def conversions(path: Path, version: str, scope: Scope) -> dict[str, pd.DataFrame]:
    """How many recorded introductions became ties (``graph.introductions.conversion_report``).

    The recorded outcomes are compared with the tie graph of the record scope (fiscal year,
    real only); ward, kind and field filters do not hide outcomes. Returns ``summary`` (per
    status, then ``all``: ``status, introductions, converted, rate``) and ``pairs`` (one row
    per pair with its latest outcome: ``org_a, name_a, org_b, name_b, status, on, tied,
    tie_last_date, converted``); both empty when nothing was recorded.

    Example (in a page)::

        report = _state_intro.conversions(path, version, scope)
        report["summary"].set_index("status").loc["all", "rate"]
    """
    return _conversions(path, version, write_version(path), scope.fiscal_year,
                        scope.real_only)


@st.cache_data(show_spinner=False, max_entries=16)
def _conversions(path: Path, version: str, written: str, fiscal_year: int | None,
                 real_only: bool) -> dict[str, pd.DataFrame]:
    from graph.introductions import conversion_report

    recorded = _outcomes(str(path), written)
    columns = ["org_a", "name_a", "org_b", "name_b", "status", "on", "tied", "tie_last_date",
               "converted"]
    if recorded.empty:
        summary = pd.DataFrame(columns=["status", "introductions", "converted", "rate"])
        return {"summary": summary, "pairs": pd.DataFrame(columns=columns)}
    oldest_first = recorded.sort_values("id", ignore_index=True)  # same day: recording order
    G = analysis(path, version, fiscal_year, real_only).ties
    report = conversion_report(oldest_first, G)
    orgs = dataset(path, version).table("organizations")
    names = dict(zip(orgs["id"], orgs["name"]))
    pairs = report.pairs.assign(name_a=lambda f: [names.get(o, o) for o in f["org_a"]],
                                name_b=lambda f: [names.get(o, o) for o in f["org_b"]])
    return {"summary": report.summary.reset_index(), "pairs": pairs[columns]}
