"""Every cached loader of the dashboard, and the shared scope.

Pages never touch the store, networkx or ``graph/`` internals directly: they call one loader
here and render what it returns. Each loader calls one ``graph``/``ingest`` function (or
selects rows of its result); no network measure is computed here.

Caching rules
-------------
* The store is a DuckDB file that one process at a time may hold. Loaders open it, read and
  close it (``ingest.store`` functions do exactly that), so ``tsunagari ingest`` in a terminal
  works while the dashboard runs.
* Every loader takes the store path and the store *version* (``ingest.store.store_version``,
  which changes with every write) as its first arguments: after an ingest the next rerun sees
  a new version and recomputes, with no restart.
* Objects that hold graphs (the dataset, the :class:`graph.analysis.Analysis` with its tie
  graph) live in ``st.cache_resource`` and are treated as read-only; tables, figures and HTML
  strings live in ``st.cache_data``.

Scope
-----
Wards, fiscal year and "real records only" scope the *records* (``graph.analysis.analyze``
restricts the dataset before building the tie graph). Kinds and fields then select the
organisations shown: the tie graph induced on them, and the rows of every table.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import NamedTuple

import networkx as nx
import pandas as pd
import streamlit as st

from dashboards import _viz
from dashboards._i18n import t
from ingest.normalise import fiscal_year
from ingest.schemas import NPO_FIELDS, ORG_KINDS, WARDS

__all__ = [
    "Scope",
    "SCOPE_KEYS",
    "DRAW_LIMIT",
    "store_path",
    "current_scope",
    "data_status",
    "require_data",
    "scope_options",
    "dataset",
    "analysis",
    "view_nodes",
    "overview",
    "measures_table",
]

#: Session-state keys of the sidebar scope widgets (shared by every page).
SCOPE_KEYS = {
    "wards": "scope_wards",
    "kinds": "scope_kinds",
    "fields": "scope_fields",
    "fiscal_year": "scope_fiscal_year",
    "real_only": "scope_real_only",
}

#: Most organisations drawn at once. Measured with scripts/bench_dashboard.py-style runs of
#: headless chromium: 2,000 nodes first draw 1.5 s, 5,000 nodes 4.7 s (docs/benchmarks/dashboard.md).
DRAW_LIMIT = 1500


class Scope(NamedTuple):
    """What part of the ecosystem the pages show; hashable, so it is a cache-key component.

    Empty tuples mean "all"; ``fiscal_year`` ``None`` means every record (cumulative to date).
    """

    wards: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    fields: tuple[int, ...] = ()
    fiscal_year: int | None = None
    real_only: bool = False


# --- store ------------------------------------------------------------------------------------

def store_path() -> Path:
    """The store file: ``$TSUNAGARI_STORE`` or ``ingest.store.default_store_path()``."""
    from ingest.store import default_store_path

    env = os.environ.get("TSUNAGARI_STORE")
    return Path(env) if env else Path(default_store_path())


def data_status() -> tuple[Path, str] | None:
    """``(store path, version)`` when the store holds organisations, else ``None``."""
    from ingest.store import store_version

    path = store_path()
    version = str(store_version(path))
    if version == "missing":
        return None
    if not _has_organisations(str(path), version):
        return None
    return path, version


@st.cache_data(show_spinner=False, max_entries=8)
def _has_organisations(path: str, version: str) -> bool:
    from ingest.store import StoreError, status

    try:
        return status(Path(path))["tables"].get("organizations", {}).get("records", 0) > 0
    except StoreError:
        return False


def require_data() -> tuple[Path, str]:
    """``(store path, version)`` for a page that needs records; otherwise explain and stop."""
    found = data_status()
    if found is None:
        st.info(t("store_missing"))
        st.stop()
    return found


def current_scope() -> Scope:
    """The scope chosen in the sidebar (defaults before the sidebar has run)."""
    state = st.session_state
    wards = tuple(w for w in state.get(SCOPE_KEYS["wards"], ()) if w in WARDS)
    kinds = tuple(k for k in state.get(SCOPE_KEYS["kinds"], ()) if k in ORG_KINDS)
    fields = tuple(int(f) for f in state.get(SCOPE_KEYS["fields"], ()) if int(f) in NPO_FIELDS)
    fy = state.get(SCOPE_KEYS["fiscal_year"])
    return Scope(wards, kinds, fields, int(fy) if fy is not None else None,
                 bool(state.get(SCOPE_KEYS["real_only"], False)))


# --- records ----------------------------------------------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=2)
def dataset(path: Path, version: str):
    """The whole store as an ``ingest.schemas.Dataset`` (read-only; one per store version)."""
    from ingest.store import read_dataset

    return read_dataset(path)


_DATED = {"events": "date", "collaborations": "start_date", "memberships": "since",
          "dispatches": "start_date", "resources": "offered_on"}


@st.cache_data(show_spinner=False, max_entries=4)
def scope_options(path: Path, version: str) -> dict:
    """The wards, kinds and fields present in the store and the fiscal years of its records."""
    ds = dataset(path, version)
    orgs = ds.table("organizations")
    present_wards = set(orgs["ward"].dropna())
    present_kinds = set(orgs["kind"].dropna())
    present_fields = {int(f) for fields in orgs["fields"].dropna() for f in fields}
    years: set[int] = set()
    for table, column in _DATED.items():
        dates = ds.table(table)[column].dropna()
        years.update(fiscal_year(d.date()) for d in dates.drop_duplicates())
    return {
        "wards": [w for w in WARDS if w in present_wards],
        "kinds": [k for k in ORG_KINDS if k in present_kinds],
        "fields": [f for f in NPO_FIELDS if f in present_fields],
        "fiscal_years": sorted(years),
    }


# --- analysis ---------------------------------------------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=12)
def analysis(path: Path, version: str, wards: tuple[str, ...], fiscal_year: int | None,
             real_only: bool):
    """``graph.analysis.analyze`` of the records in scope (read-only ``Analysis``)."""
    from graph.analysis import analyze

    return analyze(dataset(path, version), wards=list(wards) or None, fiscal_year=fiscal_year,
                   real_only=real_only)


def scoped_analysis(path: Path, version: str, scope: Scope):
    """The :func:`analysis` for the record part of ``scope``."""
    return analysis(path, version, scope.wards, scope.fiscal_year, scope.real_only)


@st.cache_data(show_spinner=False, max_entries=32)
def view_nodes(path: Path, version: str, scope: Scope) -> list[str]:
    """Organisation ids in scope: the analysis' organisations of the chosen kinds and fields."""
    G = scoped_analysis(path, version, scope).ties
    kinds, fields = set(scope.kinds), set(scope.fields)
    return [v for v, data in G.nodes(data=True)
            if (not kinds or data.get("kind") in kinds)
            and (not fields or fields.intersection(data.get("fields") or ()))]


def _view_graph(path: Path, version: str, scope: Scope) -> nx.Graph:
    """The tie graph induced on :func:`view_nodes` (a read-only view, no copy)."""
    G = scoped_analysis(path, version, scope).ties
    if not scope.kinds and not scope.fields:
        return G
    return G.subgraph(view_nodes(path, version, scope))


@st.cache_data(show_spinner=False, max_entries=32)
def overview(path: Path, version: str, scope: Scope) -> dict:
    """KPIs and chart tables of the Overview page.

    The KPIs are ``graph.temporal.snapshot_metrics`` of the tie graph in view (partition:
    the analysis' Louvain communities) plus the communities and isolated organisations that
    the analysis found among the organisations in view.
    """
    from graph.temporal import snapshot_metrics

    result = scoped_analysis(path, version, scope)
    nodes = view_nodes(path, version, scope)
    G = _view_graph(path, version, scope)
    membership = result.partition.membership()
    metrics = snapshot_metrics(G, partition={v: membership[v] for v in G})
    measures = result.measures.loc[nodes]
    metrics["communities"] = int(measures["community"].nunique())
    metrics["isolated"] = int((measures["isolated_reason"] != "").sum())
    metrics["isolates"] = int((measures["degree"] == 0).sum())
    parts = pd.DataFrame([{p: d.get(p, 0.0) > 0 for p in ("collaboration", "co_participation",
                                                          "co_membership", "shared_dispatch")}
                          for _, _, d in G.edges(data=True)])
    tie_parts = (parts.sum().rename("ties").rename_axis("part").reset_index()
                 if len(parts) else pd.DataFrame({"part": [], "ties": []}))
    by_kind = measures["kind"].fillna("other").value_counts().rename_axis("kind")
    by_ward = (measures.assign(isolated=measures["isolated_reason"] != "")
               .groupby(measures["ward"].fillna(""))
               .agg(organisations=("kind", "size"), isolated=("isolated", "sum"))
               .rename_axis("ward").reset_index())
    return {"metrics": metrics, "by_kind": by_kind.rename("organisations").reset_index(),
            "by_ward": by_ward, "tie_parts": tie_parts}


@st.cache_data(show_spinner=False, max_entries=32)
def measures_table(path: Path, version: str, scope: Scope) -> pd.DataFrame:
    """The analysis' per-organisation measures, rows limited to the organisations in view."""
    result = scoped_analysis(path, version, scope)
    return result.measures.loc[view_nodes(path, version, scope)].copy()
