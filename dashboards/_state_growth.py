"""Cached loaders of the Growth page: any scope, the whole city included.

The tables come from ``graph.time.growth_cache``: computed once per store version and scope, saved
beside the store and read back on every later visit — after a restart too. The first visit
after an ingest shows a progress bar while the fiscal years are analysed. Organisation-level
replay drawings (small scopes) use the scope's timeline, built on demand.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboards import _growth_charts, _layout
from dashboards._growth_view import community_replay, organisation_replay
from dashboards._i18n import t
from dashboards._network_view import DRAW_LIMIT
from dashboards._state import dataset

__all__ = ["growth", "scope_timeline", "replay_view", "growth_view", "metric_spec",
           "report_series"]


@st.cache_resource(show_spinner=False, max_entries=2)
def _city_timeline(path: Path, version: str, real_only: bool):
    """The whole store's timeline from the array core, read in SQL (no pandas records;
    ``graph.time.timeline_from_store`` gives what ``timeline_from_dataset`` gives, tested)."""
    from graph.time import timeline_from_store

    return timeline_from_store(path, real_only=real_only)[0]


@st.cache_resource(show_spinner=False, max_entries=8)
def scope_timeline(path: Path, version: str, wards: tuple[str, ...], real_only: bool):
    """The ``graph.time.Timeline`` of the chosen wards (the whole city when empty)."""
    from graph.time import restrict_timeline

    line = _city_timeline(path, version, real_only)
    return restrict_timeline(line, wards) if wards else line


@st.cache_resource(show_spinner=False, max_entries=16)
def _load(folder: str) -> dict[str, pd.DataFrame]:
    from graph.time import load_growth

    return load_growth(Path(folder))  # FileNotFoundError is not cached


def growth(path: Path, version: str, wards: tuple[str, ...], real_only: bool) -> dict:
    """The Growth tables of a scope (``graph.time.growth_cache.TABLES``), computing them once.

    When nothing is saved for this store version and scope, computes with a progress bar
    (one step per fiscal year), saves beside the store and says how long it took.
    """
    from graph.time import compute_growth, growth_folder, save_growth

    folder = growth_folder(path, version, wards=wards, real_only=real_only)
    try:
        return _load(str(folder))
    except FileNotFoundError:
        pass
    started = time.perf_counter()
    with st.status(t("growth_first_visit"), expanded=True) as box:
        bar = st.progress(0.0, text=t("growth_step_timeline"))
        line = scope_timeline(path, version, wards, real_only)
        frames = compute_growth(line, progress=lambda done, total: bar.progress(
            min(done / max(total, 1), 1.0) * 0.95,
            text=t("growth_step_year", done=done, total=total)))
        bar.progress(0.97, text=t("growth_step_saving"))
        save_growth(folder, frames)
        bar.progress(1.0)
        box.update(label=t("growth_ready", seconds=f"{time.perf_counter() - started:.0f}"),
                   state="complete", expanded=False)
    return _load(str(folder))


def _folder(path: Path, version: str, wards: tuple[str, ...], real_only: bool) -> str:
    from graph.time import growth_folder

    return str(growth_folder(path, version, wards=wards, real_only=real_only))


def growth_view(path: Path, version: str, wards: tuple[str, ...], real_only: bool,
                lang: str) -> dict:
    """What the Growth page draws from the saved tables (after :func:`growth` ran).

    ``{"events_spec", "alluvial_spec" (None without bands), "events_table", "rising",
    "newly_isolated", "names"}``: Vega-Lite specs as plain dicts and display frames headed in
    ``lang``. Built once per saved growth and language, shared by every session (building and
    validating the altair charts and the 140,000-row name lookup took 0.3–0.5 s a visit).
    """
    return _growth_view_of(_folder(path, version, wards, real_only), lang)


@st.cache_data(show_spinner=False, max_entries=16)
def _growth_view_of(folder: str, lang: str) -> dict:
    data = _load(folder)
    bands = _growth_charts.bands(data["alluvial"])
    return {
        "events_spec": _growth_charts.event_bars(data["event_counts"], lang=lang).to_dict(),
        "alluvial_spec": None if bands.empty
        else _growth_charts.alluvial(bands, lang=lang).to_dict(),
        "events_table": _growth_charts.events_table(data["events"], lang=lang),
        "rising": _growth_charts.rising_table(data["rising"], lang=lang),
        "newly_isolated": _growth_charts.isolated_table(data["newly_isolated"], lang=lang),
        "names": _growth_charts.trajectory_names(data["trajectories"]),
    }


def metric_spec(path: Path, version: str, wards: tuple[str, ...], real_only: bool,
                metrics: tuple[str, ...], lang: str) -> dict:
    """The per-year metric grid of ``metrics`` as a Vega-Lite spec (cached per choice)."""
    return _metric_spec(_folder(path, version, wards, real_only), metrics, lang)


@st.cache_data(show_spinner=False, max_entries=64)
def _metric_spec(folder: str, metrics: tuple[str, ...], lang: str) -> dict:
    snapshots = _load(folder)["snapshots"]
    return _growth_charts.metric_grid(snapshots, list(metrics), lang=lang).to_dict()


def replay_view(path: Path, version: str, wards: tuple[str, ...], real_only: bool,
                period: str, lang: str) -> dict:
    """The drawing of the network at the end of ``period`` (after :func:`growth` ran).

    ``{"mode": "organisations" | "communities", "html", "nodes", "edges", "communities"}``:
    organisations when the scope's last snapshot has at most ``DRAW_LIMIT`` of them,
    else one circle per tracked community (``replay_nodes``) at stable positions.
    """
    from graph.time import growth_folder

    folder = str(growth_folder(path, version, wards=wards, real_only=real_only))
    snapshots = _load(folder)["snapshots"]
    last = int(snapshots["organisations"].iloc[-1]) if len(snapshots) else 0
    if last <= DRAW_LIMIT:
        return _organisation_replay(path, version, wards, real_only, folder, period, lang)
    return _community_replay(folder, period, lang)


@st.cache_data(show_spinner=False, max_entries=32)
def _community_replay(folder: str, period: str, lang: str) -> dict:
    data = _load(folder)
    return community_replay(data["replay_nodes"], data["replay_links"], period, lang=lang)


def _membership(trajectories: pd.DataFrame, period: str) -> dict:
    rows = trajectories[trajectories["period"] == period]
    return {v: (int(c) if pd.notna(c) else -1) for v, c in zip(rows["id"], rows["community"])}


@st.cache_data(show_spinner=False, max_entries=32)
def _organisation_replay(path: Path, version: str, wards: tuple[str, ...], real_only: bool,
                         folder: str, period: str, lang: str) -> dict:
    from graph.time import snapshot

    data = _load(folder)
    line = scope_timeline(path, version, wards, real_only)
    end = data["snapshots"].set_index("period").loc[period, "end"]
    return organisation_replay(
        snapshot(line, pd.Timestamp(end).date()),
        positions=_organisation_layout(path, version, wards, real_only, folder),
        member=_membership(data["trajectories"], period), trajectories=data["trajectories"],
        lang=lang)


@st.cache_data(show_spinner=False, max_entries=8)
def _organisation_layout(path: Path, version: str, wards: tuple[str, ...], real_only: bool,
                         folder: str) -> dict:
    """Positions in the scope's last snapshot, so organisations stay in place every year."""
    from graph.time import snapshot

    data = _load(folder)
    if data["snapshots"].empty:
        return {}
    last = data["snapshots"].iloc[-1]
    S = snapshot(scope_timeline(path, version, wards, real_only), pd.Timestamp(last["end"]).date())
    return _layout.layout_positions(S, _membership(data["trajectories"], last["period"]))


@st.cache_data(show_spinner=False, max_entries=8)
def report_series(path: Path, version: str) -> dict:
    """``graph.time.report_series`` of the store and its ``series_conflicts``.

    Also ``synthetic_sources`` (the sources of synthetic ``figures`` rows, as ``series``
    names them) and ``report_conflicts`` (the conflicts among the report's printed figures
    only: no synthetic figures, no counts from the records).
    """
    from graph.time import report_series as series
    from graph.time import series_conflicts

    records = dataset(path, version)
    frame = series(records)
    figures = records.table("figures")
    synthetic = set()
    if len(figures) and "synthetic" in figures.columns:
        flagged = figures.loc[figures["synthetic"].fillna(False).astype(bool), "source"]
        synthetic = {"figures: " + str(x) if pd.notna(x) and str(x) else "figures"
                     for x in flagged}
    printed = frame[~frame["source"].isin(synthetic)
                    & frame["source"].astype(str).str.startswith("figures")]
    return {"series": frame, "conflicts": series_conflicts(frame, figures),
            "synthetic_sources": synthetic,
            "report_conflicts": series_conflicts(printed, figures)}
