"""The state layer's core: the store, its versions, the shared scope and the cached analysis.

Pages never touch the store, networkx or ``graph/`` internals directly: they call one cached
loader and render what it returns. The loaders live in one module per page or concern, all
built on this one: ``_state_tables`` (overview, connectors, gaps), ``_state_network``
(drawing, cards, stability), ``_state_intro`` (introductions and outcomes), ``_state_growth``,
``_state_map``, ``_state_webgl``, ``_state_cases`` and ``_state_data`` (upload, export).
Drawings and downloads are built from the loaded data by modules of their own
(``_network_view``, ``_growth_view``, ``_webgl``, ``_ward_map_view``, ``_downloads``). Each
loader calls one ``graph``/``ingest`` function (or selects rows of its result); no network
measure is computed in the state layer.

Caching rules
-------------
* The store is a DuckDB file that one process at a time may hold. Loaders open it, read and
  close it (``ingest.store`` functions do exactly that), so ``tsunagari ingest`` in a terminal
  works while the dashboard runs.
* Every loader takes the store path and the *records version* (:func:`data_status`: made
  from the record counts and batches, looked up once per ``ingest.store.store_version``,
  which changes with every write) as its first arguments: after an ingest the next rerun sees
  a new version and recomputes, with no restart. Saving an introduction outcome changes the
  store version but not the records version, so the analysis is not recomputed; only the
  outcome loaders (``outcomes``, ``conversions``, ``store_status``) follow the store version.
* The first computation of the analysis and the stability check show a progress bar
  (stages / Louvain runs); a cache hit draws none.
* Objects that hold graphs (the dataset, the :class:`graph.analysis_result.Analysis` with its tie
  graph) live in ``st.cache_resource`` and are treated as read-only; tables, figures and HTML
  strings live in ``st.cache_data``.

Scope
-----
The fiscal year and "real records only" scope the *records*: ``graph.analysis.analyze`` runs
on the records up to the end of that fiscal year (one cached analysis per choice). Wards,
kinds and fields then select the organisations *shown*: the tie graph induced on them and the
rows of every table, while each organisation keeps the measures it has in the whole network
(a ward's connectors are ranked by how they connect the city, not only their ward). A filter
change therefore never recomputes the analysis; see docs/dashboard.md.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import NamedTuple

import networkx as nx
import streamlit as st

from dashboards._i18n import t
from ingest.normalise import fiscal_year
from ingest.schemas import NPO_FIELDS, ORG_KINDS, WARDS

__all__ = [
    "SCOPE_KEYS",
    "Scope",
    "Progress",
    "store_path",
    "data_status",
    "write_version",
    "require_data",
    "current_scope",
    "dataset",
    "scope_options",
    "analysis",
    "scoped_analysis",
    "filtered",
    "view_nodes",
    "view_graph",
    "membership",
    "page_start",
]

#: Session-state keys of the sidebar scope widgets (shared by every page).
SCOPE_KEYS = {
    "wards": "scope_wards",
    "kinds": "scope_kinds",
    "fields": "scope_fields",
    "fiscal_year": "scope_fiscal_year",
    "real_only": "scope_real_only",
}

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
    """``(store path, version)`` when the store holds organisations, else ``None``.

    When another process holds the store beyond the bounded wait (a long ``tsunagari
    ingest``), the page says the store is busy and stops, instead of claiming there is no
    data; the answer is not cached, so a reload once the store is free shows the data.
    """
    from ingest.store import StoreBusyError, store_version

    path = store_path()
    version = str(store_version(path))
    if version == "missing":
        return None
    try:
        records = _records_version(str(path), version)
    except StoreBusyError:
        st.warning(t("store_busy"))
        st.stop()
    if records is None:
        return None
    return path, records


@st.cache_data(show_spinner=False, max_entries=8)
def _records_version(path: str, version: str) -> str | None:
    """A key of the store's *records* (``None`` without organisations).

    Made from the record counts per table and the batches (``ingest.store.status``), so it
    changes with every ingest or removal of records but not when an introduction outcome is
    saved: the analysis and every loader keyed on it survive an outcome write.
    """
    import hashlib
    import json

    from ingest.store import StoreBusyError, StoreError, status

    try:
        info = status(Path(path))
    except StoreBusyError:
        raise  # not an answer to cache: the store is there, only held for now
    except StoreError:
        return None
    if info["tables"].get("organizations", {}).get("records", 0) == 0:
        return None
    text = json.dumps([info["tables"], info["batches"]], sort_keys=True, default=str)
    return "records-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def write_version(path: Path) -> str:
    """The store version itself (changes with every write, outcomes included)."""
    from ingest.store import store_version

    return str(store_version(path))


class Progress:
    """A progress bar drawn while a cached computation runs (never replayed from the cache).

    Called as ``progress(done, total, step)``; the bar appears at the first call, so a cache
    hit draws nothing, and :meth:`close` removes it.
    """

    def __init__(self, text: str):
        self.text = text
        self.bar = None

    def __call__(self, done: int, total: int, step: str = "") -> None:
        label = f"{self.text} — {step} ({done}/{total})" if step else f"{self.text} ({done}/{total})"
        with _live():
            if self.bar is None:
                self.bar = st.progress(0.0, text=label)
            self.bar.progress(min(done / max(total, 1), 1.0), text=label)

    def close(self) -> None:
        if self.bar is not None:
            with _live():
                self.bar.empty()
            self.bar = None


@contextlib.contextmanager
def _live():
    """Draw as a live update, not as part of an enclosing cached function's result (so a
    cache hit does not replay a finished progress bar)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import in_cached_function

    token = in_cached_function.set(False)
    try:
        yield
    finally:
        in_cached_function.reset(token)


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
    # any ward the store holds: another city's wards (dataset.json) are kept as written
    wards = tuple(w for w in state.get(SCOPE_KEYS["wards"], ()) if isinstance(w, str) and w)
    kinds = tuple(k for k in state.get(SCOPE_KEYS["kinds"], ()) if k in ORG_KINDS)
    fields = tuple(int(f) for f in state.get(SCOPE_KEYS["fields"], ()) if int(f) in NPO_FIELDS)
    fy = state.get(SCOPE_KEYS["fiscal_year"])  # 0 (or nothing) = all years
    return Scope(wards, kinds, fields, int(fy) if fy else None,
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
        "wards": [w for w in WARDS if w in present_wards]
        + sorted(str(w) for w in present_wards - set(WARDS) if w),
        "kinds": [k for k in ORG_KINDS if k in present_kinds],
        "fields": [f for f in NPO_FIELDS if f in present_fields],
        "fiscal_years": sorted(years),
    }


# --- analysis ---------------------------------------------------------------------------------

def analysis(path: Path, version: str, fiscal_year: int | None, real_only: bool):
    """``graph.analysis.analyze`` of the records up to ``fiscal_year`` (read-only result).

    Cached per records version; the first computation shows a progress bar over the stages.
    """
    progress = Progress(t("computing_analysis"))
    try:
        return _analysis(path, version, fiscal_year, real_only, _progress=progress)
    finally:
        progress.close()


@st.cache_resource(show_spinner=False, max_entries=8)
def _analysis(path: Path, version: str, fiscal_year: int | None, real_only: bool, *,
              _progress=None):
    from graph.analysis import analyze

    records = dataset(path, version)
    on_stage = None if _progress is None else (lambda name, done, total: _progress(
        done, total, t(f"stage_{name}")))
    return analyze(records, fiscal_year=fiscal_year, real_only=real_only, on_stage=on_stage)


def scoped_analysis(path: Path, version: str, scope: Scope):
    """The :func:`analysis` for the record part of ``scope`` (fiscal year, real only)."""
    return analysis(path, version, scope.fiscal_year, scope.real_only)


def filtered(scope: Scope) -> bool:
    """Whether ``scope`` selects organisations (wards, kinds or fields), not the whole network.

    >>> filtered(Scope()), filtered(Scope(wards=("北区",)))
    (False, True)
    """
    return bool(scope.wards or scope.kinds or scope.fields)


@st.cache_data(show_spinner=False, max_entries=32)
def view_nodes(path: Path, version: str, scope: Scope) -> list[str]:
    """Organisation ids shown: those of the chosen wards, kinds and fields (all when empty)."""
    G = scoped_analysis(path, version, scope).ties
    wards, kinds, fields = set(scope.wards), set(scope.kinds), set(scope.fields)
    return [v for v, data in G.nodes(data=True)
            if (not wards or data.get("ward") in wards)
            and (not kinds or data.get("kind") in kinds)
            and (not fields or fields.intersection(data.get("fields") or ()))]


def view_graph(path: Path, version: str, scope: Scope) -> nx.Graph:
    """The tie graph induced on :func:`view_nodes` (a read-only view, not a copy)."""
    G = scoped_analysis(path, version, scope).ties
    if not filtered(scope):
        return G
    return G.subgraph(view_nodes(path, version, scope))


def membership(path: Path, version: str, scope: Scope) -> dict:
    """Organisation → community index of the scope's analysis."""
    return scoped_analysis(path, version, scope).partition.membership()


def page_start(title: str, intro: str | None = None, *,
               intro_as_text: bool = False) -> tuple[Path, str, Scope]:
    """The top of a page that shows records: its title, its intro (a caption, or body text
    with ``intro_as_text``), then ``(store path, records version, scope)``.

    Stops the page with an explanation when the store holds no records
    (:func:`require_data`). ``title`` and ``intro`` are label keys of ``dashboards._i18n``.

    Example (in a page)::

        path, version, scope = _state.page_start("gaps_title", "gaps_intro")
    """
    st.title(t(title))
    if intro is not None:
        (st.markdown if intro_as_text else st.caption)(t(intro))
    path, version = require_data()
    return path, version, current_scope()
