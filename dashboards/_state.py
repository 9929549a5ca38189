"""Every cached loader of the dashboard, and the shared scope.

Pages never touch the store, networkx or ``graph/`` internals directly: they call one loader
here and render what it returns. Each loader calls one ``graph``/``ingest`` function (or
selects rows of its result); no network measure is computed here.

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
* Objects that hold graphs (the dataset, the :class:`graph.analysis.Analysis` with its tie
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
import math
import os
from pathlib import Path
from typing import NamedTuple

import networkx as nx
import pandas as pd
import streamlit as st

from dashboards import _viz
from dashboards._i18n import t
from graph.brokerage import ISOLATION_KINDS
from graph.communities import FIRM_THRESHOLD as STABILITY_THRESHOLD
from ingest.normalise import fiscal_year
from ingest.schemas import NPO_FIELDS, ORG_KINDS, WARDS

__all__ = [
    "SCOPE_KEYS",
    "DRAW_LIMIT",
    "EDGE_LIMIT",
    "SIZE_MEASURES",
    "COLOUR_BY",
    "ROLE_MAP_LIMIT",
    "INTRO_GROUP_LIMIT",
    "CASE_DRAW_LIMIT",
    "CASE_HEIGHT",
    "UPLOAD_LIMIT_MB",
    "UPLOAD_TYPES",
    "EXPORT_FORMATS",
    "Scope",
    "store_path",
    "data_status",
    "require_data",
    "current_scope",
    "dataset",
    "scope_options",
    "analysis",
    "scoped_analysis",
    "view_nodes",
    "view_graph",
    "membership",
    "overview",
    "measures_table",
    "org_options",
    "connectors",
    "isolated",
    "gap_tables",
    "record_titles",
    "layout",
    "network_view",
    "org_card",
    "community_choices",
    "STABILITY_SEEDS",
    "STABILITY_THRESHOLD",
    "LEAST_FIRM_LIMIT",
    "community_stability",
    "role_map",
    "scoped_records",
    "signals",
    "suggestions",
    "talents_for",
    "outcomes",
    "save_outcome",
    "conversions",
    "spreadsheet_safe",
    "xlsx_bytes",
    "report_series",
    "cases",
    "case_view",
    "UploadCheck",
    "upload_folder",
    "gap_downloads",
    "write_upload",
    "check_upload",
    "ingest_upload",
    "store_status",
    "export_bytes",
]

#: Session-state keys of the sidebar scope widgets (shared by every page).
SCOPE_KEYS = {
    "wards": "scope_wards",
    "kinds": "scope_kinds",
    "fields": "scope_fields",
    "fiscal_year": "scope_fiscal_year",
    "real_only": "scope_real_only",
}

#: Most organisations drawn at once. Measured in headless chromium by scripts/bench_dashboard.py
#: (docs/benchmarks/dashboard.md): 2,000 nodes first draw in about 1.5 s, 5,000 in about 4.7 s.
DRAW_LIMIT = 1500
#: Most ties drawn at once: each organisation's strongest tie, then the strongest others.
EDGE_LIMIT = 3000


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


def _write_version(path: Path) -> str:
    """The store version itself (changes with every write, outcomes included)."""
    from ingest.store import store_version

    return str(store_version(path))


class _Progress:
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
    progress = _Progress(t("computing_analysis"))
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


def _filtered(scope: Scope) -> bool:
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
    if not _filtered(scope):
        return G
    return G.subgraph(view_nodes(path, version, scope))


def membership(path: Path, version: str, scope: Scope) -> dict:
    """Organisation → community index of the scope's analysis."""
    return scoped_analysis(path, version, scope).partition.membership()


@st.cache_data(show_spinner=False, max_entries=32)
def overview(path: Path, version: str, scope: Scope) -> dict:
    """KPIs and chart tables of the Overview page.

    KPIs: ``graph.temporal.snapshot_metrics`` of the tie graph in view (with the analysis'
    communities), plus the communities, the organisations with no tie (``isolated``) and the
    organisations of each kind of ``graph.brokerage.ISOLATION_KINDS`` (``isolated_by_kind``)
    among the organisations in view.
    """
    from graph.temporal import snapshot_metrics

    result = scoped_analysis(path, version, scope)
    nodes = view_nodes(path, version, scope)
    G = view_graph(path, version, scope)
    member = membership(path, version, scope)
    metrics = snapshot_metrics(G, partition={v: member[v] for v in G})
    measures = result.measures.loc[nodes]
    metrics["communities"] = int(measures["community"].nunique())
    metrics["isolated"] = int((measures["isolation"] == "no_ties").sum())
    metrics["isolated_by_kind"] = {kind: int((measures["isolation"] == kind).sum())
                                   for kind in ISOLATION_KINDS}
    parts = ("collaboration", "co_participation", "co_membership", "shared_dispatch")
    counts = dict.fromkeys(parts, 0)
    for _, _, data in G.edges(data=True):
        for part in parts:
            counts[part] += data.get(part, 0.0) > 0
    by_kind = measures["kind"].fillna("other").value_counts().rename("organisations")
    by_ward = (measures.assign(isolated=measures["isolation"] == "no_ties")
               .groupby(measures["ward"].fillna(""))
               .agg(organisations=("kind", "size"), isolated=("isolated", "sum"))
               .rename_axis("ward").reset_index())
    return {"metrics": metrics, "by_kind": by_kind.rename_axis("kind").reset_index(),
            "by_ward": by_ward,
            "tie_parts": pd.DataFrame({"part": list(counts), "ties": list(counts.values())})}


@st.cache_data(show_spinner=False, max_entries=32)
def measures_table(path: Path, version: str, scope: Scope) -> pd.DataFrame:
    """The analysis' per-organisation measures, rows limited to the organisations in view."""
    result = scoped_analysis(path, version, scope)
    return result.measures.loc[view_nodes(path, version, scope)].copy()


@st.cache_data(show_spinner=False, max_entries=32)
def org_options(path: Path, version: str, scope: Scope) -> dict[str, str]:
    """Organisation id → "name（ward）" for the search box, names in alphabetical order."""
    G = scoped_analysis(path, version, scope).ties
    nodes = view_nodes(path, version, scope)
    labels = {v: f"{G.nodes[v].get('name') or v}（{G.nodes[v].get('ward') or '—'}）" for v in nodes}
    return dict(sorted(labels.items(), key=lambda item: item[1]))


@st.cache_data(show_spinner=False, max_entries=32)
def connectors(path: Path, version: str, scope: Scope) -> pd.DataFrame:
    """``graph.brokerage.connectors`` ranking (from the analysis), organisations in view only."""
    ranked = scoped_analysis(path, version, scope).connectors
    keep = set(view_nodes(path, version, scope))
    return ranked.loc[[v for v in ranked.index if v in keep]].copy()


@st.cache_data(show_spinner=False, max_entries=32)
def isolated(path: Path, version: str, scope: Scope) -> pd.DataFrame:
    """``graph.brokerage.isolated`` (from the analysis), organisations in view only."""
    lonely = scoped_analysis(path, version, scope).isolated
    keep = set(view_nodes(path, version, scope))
    return lonely.loc[[v for v in lonely.index if v in keep]].copy()


@st.cache_data(show_spinner=False, max_entries=32)
def gap_tables(path: Path, version: str, scope: Scope) -> dict[str, pd.DataFrame]:
    """``graph.gaps.gap_tables`` of the tie graph in view (the analysis' own when unfiltered)."""
    from graph.gaps import gap_tables as tables

    result = scoped_analysis(path, version, scope)
    if not _filtered(scope):
        return {name: frame.copy() for name, frame in result.gaps.items()}
    G = view_graph(path, version, scope)
    member = membership(path, version, scope)
    labels = result.communities["label"].to_dict()
    return tables(G, {v: member[v] for v in G}, labels=labels)


# --- network drawing --------------------------------------------------------------------------

#: Measures offered for node size (columns of ``Analysis.measures``).
SIZE_MEASURES = ("degree", "strength", "betweenness", "pagerank", "connector_score",
                 "effective_size")
#: Node colourings offered on the Network page.
COLOUR_BY = ("community", "kind", "ward", "orientation")


@st.cache_data(show_spinner=False, max_entries=4)
def record_titles(path: Path, version: str) -> dict[str, str]:
    """``"table:id"`` evidence code → a readable line (title, date, source) for edge evidence."""
    ds = dataset(path, version)
    titles: dict[str, str] = {}

    def add(table: str, id_column: str, title_column: str, date_column: str | None) -> None:
        frame = ds.table(table)
        for row in frame.itertuples(index=False):
            rid = getattr(row, id_column)
            title = getattr(row, title_column)
            day = getattr(row, date_column) if date_column else None
            dated = isinstance(day, pd.Timestamp) and not pd.isna(day)
            when = f" {day.date().isoformat()}" if dated else ""
            source = getattr(row, "source", None)
            cite = f" [{source}]" if isinstance(source, str) and source else ""
            titles[f"{table}:{rid}"] = f"{title}{when}{cite}"

    add("events", "id", "name", "date")
    add("collaborations", "id", "title", "start_date")
    add("dispatches", "id", "purpose", "start_date")
    orgs = ds.table("organizations")
    for rid, name in zip(orgs["id"], orgs["name"]):
        titles[f"memberships:{rid}"] = f"{name}"
    return titles


def _org_title(data: dict, row: pd.Series | None, community_label: str, lang: str) -> str:
    from dashboards._i18n import kind_label, role_label, ward_label

    lines = [str(data.get("name") or ""),
             f"{t('col_kind', lang=lang)}: {kind_label(data.get('kind'), lang=lang)}",
             f"{t('col_ward', lang=lang)}: {ward_label(data.get('ward'), lang=lang)}",
             f"{t('community', lang=lang)}: {community_label}"]
    if row is not None:
        lines.append(f"{t('role', lang=lang)}: {role_label(row['role'], lang=lang)}")
        lines.append(f"{t('col_degree', lang=lang)}: {int(row['degree'])}")
    return "\n".join(lines)


def _colour_keys(G: nx.Graph, colour_by: str, member: dict, labels: dict, lang: str) -> dict:
    from dashboards._i18n import kind_label, orientation_label, ward_label

    if colour_by == "community":
        return {v: labels.get(member[v], f"#{member[v]}") for v in G}
    if colour_by == "kind":
        return {v: kind_label(G.nodes[v].get("kind"), lang=lang) for v in G}
    if colour_by == "ward":
        return {v: ward_label(G.nodes[v].get("ward"), lang=lang) for v in G}
    return {v: orientation_label(G.nodes[v].get("orientation"), lang=lang) for v in G}


@st.cache_data(show_spinner=False, max_entries=16)
def layout(path: Path, version: str, scope: Scope, nodes: tuple[str, ...] | None) -> dict:
    """Cached pixel positions of the tie graph in view (or of ``nodes`` of it)."""
    G = view_graph(path, version, scope)
    H = G if nodes is None else G.subgraph(nodes)
    return _viz.layout_positions(H, membership(path, version, scope))


@st.cache_data(show_spinner=False, max_entries=32)
def network_view(path: Path, version: str, scope: Scope, *, focus: str | None, depth: int,
                 community: int | None, colour_by: str, size_by: str, lang: str) -> dict:
    """The Network page's drawing: HTML, legend and what was drawn.

    ``mode`` is ``"ego"`` (``focus`` and its neighbours up to ``depth``), ``"community"`` (the
    members of ``community``), ``"all"`` (the whole view when it has at most
    :data:`DRAW_LIMIT` organisations) or ``"communities"`` (one circle per community).
    """
    result = scoped_analysis(path, version, scope)
    G = view_graph(path, version, scope)
    member = membership(path, version, scope)
    labels = result.communities["label"].to_dict()
    if focus is not None and focus in G:
        mode, nodes = "ego", tuple(_viz.ego_nodes(G, focus, depth=depth, limit=DRAW_LIMIT))
    elif community is not None:
        members = [v for v in G if member[v] == community]
        members.sort(key=lambda v: -G.degree(v, weight="weight"))
        mode, nodes = "community", tuple(members[:DRAW_LIMIT])
    elif G.number_of_nodes() <= DRAW_LIMIT:
        mode, nodes = "all", None
    else:
        return _community_level(G, member, labels, lang) | {"mode": "communities"}
    H = G if nodes is None else G.subgraph(nodes)
    positions = layout(path, version, scope, nodes)
    measures = result.measures
    keys = _colour_keys(H, colour_by, member, labels, lang)
    colours = _viz.colour_map(keys.values())
    sizes = _viz.node_sizes(measures.loc[list(H), size_by].to_dict())
    node_rows = []
    for v in H:
        data = H.nodes[v]
        node_rows.append({
            "id": v, "label": data.get("name") or v,
            "title": _org_title(data, measures.loc[v], labels.get(member[v], ""), lang),
            "color": colours[keys[v]], "size": sizes[v] + (10 if v == focus else 0),
            "border": "#222222" if v == focus else None,
            "x": positions[v][0], "y": positions[v][1]})
    titles = record_titles(path, version)
    edge_rows = []
    for u, v in _viz.strongest_edges(H, limit=EDGE_LIMIT):
        data = H.edges[u, v]
        evidence = data.get("evidence", ())
        lines = [f"{H.nodes[u].get('name')} – {H.nodes[v].get('name')}",
                 f"{t('weight', lang=lang)}: {data.get('weight', 0):.2f}"]
        lines += [titles.get(code, code) for code in evidence[:5]]
        if len(evidence) > 5:
            lines.append(f"… +{len(evidence) - 5}")
        edge_rows.append({"source": u, "target": v,
                          "width": min(1.0 + float(data.get("weight", 1.0)), 8.0),
                          "title": "\n".join(lines)})
    html = _viz.network_html(pd.DataFrame(node_rows), pd.DataFrame(
        edge_rows, columns=["source", "target", "width", "title"]))
    return {"mode": mode, "html": html, "legend": colours, "nodes": H.number_of_nodes(),
            "edges": H.number_of_edges(), "edges_drawn": len(edge_rows)}


def _community_level(G: nx.Graph, member: dict, labels: dict, lang: str) -> dict:
    """The community-level drawing: one circle per community, edge width = ties between."""
    C = _viz.community_graph(G, member)
    alone = [c for c, size in C.nodes(data="size") if size < 2]
    C = C.subgraph([c for c in C if c not in set(alone)])
    positions = _viz.layout_positions(C, None, spring_limit=max(400, C.number_of_nodes()))
    colours = _viz.colour_map([labels.get(c, f"#{c}") for c in C],
                              order=[labels.get(c, f"#{c}") for c in sorted(C)])
    sizes = _viz.node_sizes(dict(C.nodes(data="size")), smallest=8, largest=60)
    node_rows = [{"id": str(c), "label": labels.get(c, f"#{c}"),
                  "title": f"{labels.get(c, f'#{c}')}\n{t('col_size', lang=lang)}: {size}",
                  "color": colours[labels.get(c, f"#{c}")], "size": sizes[c],
                  "x": positions[c][0], "y": positions[c][1]} for c, size in C.nodes(data="size")]
    top = max((w for _, _, w in C.edges(data="weight")), default=1)
    edge_rows = [{"source": str(a), "target": str(b), "width": 1 + 9 * w / top,
                  "title": f"{labels.get(a, a)} – {labels.get(b, b)}\n"
                           f"{t('kpi_ties', lang=lang)}: {w}"}
                 for a, b, w in C.edges(data="weight")]
    html = _viz.network_html(pd.DataFrame(node_rows), pd.DataFrame(
        edge_rows, columns=["source", "target", "width", "title"]), highlight_neighbours=False)
    return {"html": html, "legend": {}, "nodes": C.number_of_nodes(),
            "edges": C.number_of_edges(), "edges_drawn": C.number_of_edges(),
            "organisations": G.number_of_nodes(), "singletons": len(alone)}


@st.cache_data(show_spinner=False, max_entries=64)
def org_card(path: Path, version: str, scope: Scope, org: str) -> dict:
    """An organisation's card: attributes, community, role, measures, records behind its ties."""
    result = scoped_analysis(path, version, scope)
    G = result.ties
    data = dict(G.nodes[org])
    row = result.measures.loc[org]
    titles = record_titles(path, version)
    ties = []
    for partner, edge in G[org].items():
        evidence = edge.get("evidence", ())
        ties.append({"partner": G.nodes[partner].get("name") or partner, "partner_id": partner,
                     "weight": round(float(edge.get("weight", 0.0)), 3),
                     "records": " / ".join(titles.get(code, code) for code in evidence),
                     "evidence": ";".join(evidence),
                     "first_date": edge.get("first_date"), "last_date": edge.get("last_date")})
    frame = pd.DataFrame(ties, columns=["partner", "partner_id", "weight", "records", "evidence",
                                        "first_date", "last_date"])
    frame = frame.sort_values("weight", ascending=False, ignore_index=True)
    orgs = dataset(path, version).table("organizations").set_index("id")
    source = orgs["source"].get(org) if "source" in orgs.columns else None
    return {"id": org, "name": data.get("name") or org, "kind": data.get("kind"),
            "ward": data.get("ward"), "orientation": data.get("orientation"),
            "fields": list(data.get("fields") or ()), "synthetic": bool(data.get("synthetic")),
            "community": int(row["community"]), "community_label": row["community_label"],
            "role": row["role"], "source": source if isinstance(source, str) else "",
            "measures": {m: float(row[m]) for m in SIZE_MEASURES + (
                "constraint", "participation_coefficient", "within_module_z")},
            "isolated_why": _isolated_why(result.isolated, org), "ties": frame}


def _isolated_why(lonely: pd.DataFrame, org: str) -> dict[str, str]:
    """``graph.brokerage.isolated``'s kind and reasons for ``org`` in both languages (empty
    when none), e.g. 「活動が途絶えた（2023-04-01以降の活動記録がない…）」."""
    from dashboards._i18n import isolation_label

    if org not in lonely.index:
        return {"ja": "", "en": ""}
    kind = lonely.at[org, "isolation"]
    return {"ja": f"{isolation_label(kind, lang='ja')}（{lonely.at[org, 'why_ja']}）",
            "en": f"{isolation_label(kind, lang='en')} ({lonely.at[org, 'why_en']})"}


def community_choices(path: Path, version: str, scope: Scope) -> dict[int, str]:
    """Community index → "label (size)" for the communities with members in view, largest first."""
    result = scoped_analysis(path, version, scope)
    member = membership(path, version, scope)
    counts = pd.Series([member[v] for v in view_nodes(path, version, scope)]).value_counts()
    labels = result.communities["label"].to_dict()
    return {int(c): f"{labels.get(c, f'#{c}')}（{n}）" for c, n in counts.items()}


#: Louvain runs (seeds 0, 1, …) behind the community-stability section of the Network page.
#: Measured on the bundled city (12,335 organisations, igraph): 10 runs take about 4 s.
STABILITY_SEEDS = 10
#: How many of the least firm organisations the stability section lists.
LEAST_FIRM_LIMIT = 50


@st.cache_data(show_spinner=False, max_entries=8)
def _stability(path: Path, version: str, fiscal_year: int | None, real_only: bool,
               seeds: int) -> dict:
    """``graph.communities.stability`` of the analysis' tie graph, one row per organisation.

    Computed on the whole tie graph of the record scope (the graph the analysis' communities
    come from); consensus communities are labelled with ``graph.communities.community_profiles``.
    """
    from graph.communities import community_profiles, stability

    G = analysis(path, version, fiscal_year, real_only).ties
    progress = _Progress(t("stability_progress"))
    try:
        result = stability(G, seeds=range(seeds), on_run=progress)
    finally:
        progress.close()
    member = result.partition.membership()
    profiles = community_profiles(G, result.partition).set_index("community")
    nodes = list(G)
    frame = pd.DataFrame({
        "name": [str(G.nodes[v].get("name") or v) for v in nodes],
        "ward": [G.nodes[v].get("ward") for v in nodes],
        "kind": [G.nodes[v].get("kind") for v in nodes],
        "community": [member[v] for v in nodes],
        "frequency": [float(result.frequency[v]) for v in nodes],
        "firm": [bool(result.firm[v]) for v in nodes]}, index=pd.Index(nodes, name="id"))
    return {"nodes": frame, "labels": profiles["label"].to_dict(),
            "labels_en": profiles["label_en"].to_dict(), "seeds": len(result.seeds),
            "threshold": float(result.threshold), "run_modularity": result.run_modularity}


@st.cache_data(show_spinner=False, max_entries=32)
def community_stability(path: Path, version: str, scope: Scope) -> dict:
    """How firmly the organisations in view sit in their communities, over several Louvain runs.

    Runs ``graph.communities.stability`` with :data:`STABILITY_SEEDS` seeds on the tie graph
    of the record scope (fiscal year, real only; cached), then keeps the organisations in view
    (wards, kinds, fields). Returns ``seeds``, ``threshold`` (0.8), ``modularity_range``
    (lowest and highest modularity of the runs; ``None`` when undefined, as without ties),
    ``firm_share`` (share of organisations in view with ``firm``), ``communities`` (one row per
    consensus community with members in view, largest first: ``community``, ``label``,
    ``label_en``, ``size`` = members in view, ``firm_share``, ``mean_frequency``) and
    ``least_firm`` (the :data:`LEAST_FIRM_LIMIT` organisations with the lowest
    ``frequency``: ``id, name, ward, kind, community, label, label_en, frequency``).
    Community sizes add up to the number of organisations in view.

    Example (in a page)::

        found = _state.community_stability(path, version, scope)
        st.metric("firm", f"{found['firm_share']:.0%}")
    """
    whole = _stability(path, version, scope.fiscal_year, scope.real_only, STABILITY_SEEDS)
    nodes = whole["nodes"].loc[view_nodes(path, version, scope)]
    nodes = nodes.assign(label=nodes["community"].map(whole["labels"]),
                         label_en=nodes["community"].map(whole["labels_en"]))
    communities = (nodes.groupby(["community", "label", "label_en"], dropna=False)
                   .agg(size=("firm", "size"), firm_share=("firm", "mean"),
                        mean_frequency=("frequency", "mean"))
                   .reset_index()
                   .sort_values(["size", "community"], ascending=[False, True],
                                ignore_index=True))
    least = (nodes.reset_index().sort_values(["frequency", "name"], ignore_index=True)
             .head(LEAST_FIRM_LIMIT)
             [["id", "name", "ward", "kind", "community", "label", "label_en", "frequency"]])
    finite = [m for m in whole["run_modularity"] if math.isfinite(m)]  # NaN without ties
    return {"seeds": whole["seeds"], "threshold": whole["threshold"],
            "modularity_range": (min(finite), max(finite)) if finite else None,
            "firm_share": float(nodes["firm"].mean()) if len(nodes) else 0.0,
            "communities": communities, "least_firm": least}


#: Most points on the role map (the best connectors and the largest hubs come first).
ROLE_MAP_LIMIT = 5000


@st.cache_data(show_spinner=False, max_entries=32)
def role_map(path: Path, version: str, scope: Scope, lang: str) -> pd.DataFrame:
    """Guimerà–Amaral coordinates (``graph.centrality``, via the analysis) of organisations in view."""
    from dashboards._i18n import role_label

    frame = measures_table(path, version, scope)
    frame = frame[frame["degree"] > 0]
    frame = frame.sort_values(["connector_score", "degree"], ascending=False).head(ROLE_MAP_LIMIT)
    return pd.DataFrame({
        "name": frame["name"].astype(str), "degree": frame["degree"],
        "participation_coefficient": frame["participation_coefficient"],
        "within_module_z": frame["within_module_z"],
        "role_label": [role_label(r, lang=lang) for r in frame["role"]]})


# --- introductions ----------------------------------------------------------------------------

#: Organisations a ward or community request is expanded to (the best-connected first).
INTRO_GROUP_LIMIT = 40


@st.cache_resource(show_spinner=False, max_entries=8)
def scoped_records(path: Path, version: str, fiscal_year: int | None, real_only: bool):
    """``graph.build.restrict`` of the store to the fiscal year / real records (read-only)."""
    from graph.build import restrict

    return restrict(dataset(path, version), fiscal_year=fiscal_year, real_only=real_only)


@st.cache_resource(show_spinner=False, max_entries=8)
def signals(path: Path, version: str, fiscal_year: int | None, real_only: bool):
    """``graph.suggest.build_signals`` for the scope's tie graph and records (read-only)."""
    from graph.suggest import build_signals

    G = analysis(path, version, fiscal_year, real_only).ties
    return build_signals(G, scoped_records(path, version, fiscal_year, real_only))


@st.cache_data(show_spinner=False, max_entries=64)
def suggestions(path: Path, version: str, scope: Scope, *, target: str, value, goal: str,
                top: int, weights: tuple | None = None) -> pd.DataFrame:
    """``graph.suggest.suggest`` as a work list (``graph.suggest.work_list``).

    ``target`` is ``"org"`` (``value`` an id), ``"ward"`` (a ward name) or ``"community"``
    (an index); a ward or community is expanded with ``graph.suggest.select_orgs`` to its
    :data:`INTRO_GROUP_LIMIT` best-connected organisations in view. ``weights``: signal
    weights as sorted ``(signal, weight)`` pairs (:func:`suggestion_calibration`), or the
    defaults.
    """
    from graph.suggest import select_orgs, suggest, work_list

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
    (seed 0) as a ``graph.evaluate.Calibration``, or ``None`` (the default weights rank).
    ``version`` is the page's records version; the CLI caches by the store's own version."""
    from cli.suggest_cmd import read_cached_calibration
    from ingest.store import store_version

    return read_cached_calibration(path, store_version(path), 0)


@st.cache_data(show_spinner=False, max_entries=32)
def talents_for(path: Path, version: str, scope: Scope, org: str, top: int = 5) -> pd.DataFrame:
    """``graph.talent.match_talents`` for an organisation: talent, score, skills, reasons."""
    from graph.errors import GraphError
    from graph.talent import match_talents

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
    return _outcomes(str(path), _write_version(path)).copy()


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
    """How many recorded introductions became ties (``graph.evaluate.conversion_report``).

    The recorded outcomes are compared with the tie graph of the record scope (fiscal year,
    real only); ward, kind and field filters do not hide outcomes. Returns ``summary`` (per
    status, then ``all``: ``status, introductions, converted, rate``) and ``pairs`` (one row
    per pair with its latest outcome: ``org_a, name_a, org_b, name_b, status, on, tied,
    tie_last_date, converted``); both empty when nothing was recorded.

    Example (in a page)::

        report = _state.conversions(path, version, scope)
        report["summary"].set_index("status").loc["all", "rate"]
    """
    return _conversions(path, version, _write_version(path), scope.fiscal_year,
                        scope.real_only)


@st.cache_data(show_spinner=False, max_entries=16)
def _conversions(path: Path, version: str, written: str, fiscal_year: int | None,
                 real_only: bool) -> dict[str, pd.DataFrame]:
    from graph.evaluate import conversion_report

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


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell that a spreadsheet would run as a formula, prefixed with ``'``."""
    from ingest.cells import escape_spreadsheet_cell

    return frame.map(escape_spreadsheet_cell)


def gap_downloads(gaps: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The gap tables as flat frames for download (tuples and lists become text).

    >>> gap_downloads({"t": pd.DataFrame({"a": [(1, 2)], "b": [3]})})["t"].values.tolist()
    [['1, 2', 3]]
    """
    def flat(value):
        if isinstance(value, (list, tuple, set, frozenset)):
            return ", ".join(str(v) for v in value)
        return value

    return {name: frame.map(flat) for name, frame in gaps.items() if isinstance(frame, pd.DataFrame)}


def xlsx_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook (one sheet per frame), formula-escaped, as bytes for a download button."""
    import io

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False,
                                                   "strings_to_urls": False}}) as writer:
        for name, frame in frames.items():
            spreadsheet_safe(frame).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()


# --- growth -----------------------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=8)
def report_series(path: Path, version: str) -> dict:
    """``graph.temporal.report_series`` of the store and its ``series_conflicts``.

    Also ``synthetic_sources`` (the sources of synthetic ``figures`` rows, as ``series``
    names them) and ``report_conflicts`` (the conflicts among the report's printed figures
    only: no synthetic figures, no counts from the records).
    """
    from graph.temporal import report_series as series
    from graph.temporal import series_conflicts

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


# --- cases ------------------------------------------------------------------------------------

#: Most organisations drawn around one case, and the height of its drawing (pixels).
CASE_DRAW_LIMIT = 150
CASE_HEIGHT = 380


@st.cache_data(show_spinner=False, max_entries=4)
def cases(path: Path, version: str) -> list[dict]:
    """The real (non-synthetic) collaborations, then real meetups with participants, as cards."""
    ds = dataset(path, version)
    names = dict(zip(ds.table("organizations")["id"], ds.table("organizations")["name"]))
    cards = []
    collabs = ds.table("collaborations")
    for row in collabs[~collabs["synthetic"].fillna(False).astype(bool)].itertuples(index=False):
        cards.append({"id": row.id, "kind": "collaboration", "title": row.title,
                      "partners": [(o, names.get(o, o)) for o in row.org_ids],
                      "start": _day(row.start_date), "end": _day(row.end_date),
                      "description": row.description if isinstance(row.description, str) else "",
                      "source": row.source if isinstance(row.source, str) else ""})
    events = ds.table("events")
    joined = ds.table("participations").groupby("event_id")["org_id"].apply(list)
    real = events[~events["synthetic"].fillna(False).astype(bool) & events["id"].isin(joined.index)]
    for row in real.itertuples(index=False):
        cards.append({"id": row.id, "kind": "event", "title": row.name,
                      "partners": [(o, names.get(o, o)) for o in joined[row.id]],
                      "start": _day(row.date), "end": _day(row.end_date), "description": "",
                      "source": row.source if isinstance(row.source, str) else ""})
    return cards


def _day(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


@st.cache_data(show_spinner=False, max_entries=32)
def case_view(path: Path, version: str, partners: tuple[str, ...], lang: str) -> dict:
    """A case's partners and their direct partners in the all-records tie graph, drawn."""
    G = analysis(path, version, None, False).ties
    present = [p for p in partners if p in G]
    around: dict[str, None] = dict.fromkeys(present)
    for p in present:
        for v in _viz.ego_nodes(G, p, depth=1, limit=CASE_DRAW_LIMIT):
            if len(around) >= CASE_DRAW_LIMIT:
                break
            around.setdefault(v)
    H = G.subgraph(around)
    positions = _viz.layout_positions(H)
    from dashboards._i18n import kind_label

    colours = _viz.colour_map([kind_label(H.nodes[v].get("kind"), lang=lang) for v in H])
    nodes = pd.DataFrame([{
        "id": v, "label": H.nodes[v].get("name") or v,
        "title": f"{H.nodes[v].get('name') or v}\n{kind_label(H.nodes[v].get('kind'), lang=lang)}",
        "color": colours[kind_label(H.nodes[v].get("kind"), lang=lang)],
        "size": 22 if v in present else 10, "border": "#222222" if v in present else None,
        "x": positions[v][0], "y": positions[v][1]} for v in H])
    edges = pd.DataFrame([{"source": u, "target": v, "width": 1.0 + min(d.get("weight", 1), 5),
                           "title": f"{H.nodes[u].get('name')} – {H.nodes[v].get('name')}"}
                          for u, v, d in H.edges(data=True)],
                         columns=["source", "target", "width", "title"])
    return {"html": _viz.network_html(nodes, edges, height=CASE_HEIGHT - 20)
            if len(nodes) else None,
            "legend": colours, "nodes": H.number_of_nodes(), "edges": H.number_of_edges()}


# --- data -------------------------------------------------------------------------------------

#: Largest upload accepted (each file), in megabytes.
UPLOAD_LIMIT_MB = 20
UPLOAD_TYPES = ("csv", "xlsx")


class UploadCheck(NamedTuple):
    """The outcome of checking an upload: ``failures`` (file/row/column/reason) or ``counts``."""

    ok: bool
    failures: pd.DataFrame
    counts: dict


def _failure(file: str, code: str, message: str) -> pd.DataFrame:
    from ingest.validate import FAILURE_COLUMNS

    row = dict.fromkeys(FAILURE_COLUMNS, "")
    row.update({"file": file, "code": code, "message": message})
    return pd.DataFrame([row], columns=list(FAILURE_COLUMNS))


def write_upload(files: list, folder: Path) -> pd.DataFrame | None:
    """Save uploaded files (name, bytes) into ``folder``; a failure table when one is refused.

    Refuses a file over :data:`UPLOAD_LIMIT_MB`, a type other than CSV/XLSX, and an XLSX
    mixed with other files. Only the base name of each file is used.
    """
    problems = []
    for name, content in files:
        base = Path(str(name)).name
        suffix = base.rsplit(".", 1)[-1].lower() if "." in base else ""
        size_mb = len(content) / 1e6
        if suffix not in UPLOAD_TYPES:
            problems.append(_failure(base, "wrong_type", t("wrong_type", name=base)))
        elif size_mb > UPLOAD_LIMIT_MB:
            problems.append(_failure(base, "too_big", t("too_big", size=f"{size_mb:.1f}",
                                                           mb=UPLOAD_LIMIT_MB)))
        else:
            (folder / base).write_bytes(content)
    if problems:
        return pd.concat(problems, ignore_index=True)
    return None


def check_upload(files: list, folder: Path) -> UploadCheck:
    """Validate uploaded files with ``ingest.load.prepare`` (nothing is written to the store)."""
    from ingest.load import prepare
    from ingest.validate import IngestError

    folder = upload_folder(files, folder)
    refused = write_upload(files, folder)
    if refused is not None:
        return UploadCheck(False, refused, {})
    try:
        prepared = prepare(_upload_target(files, folder))
    except IngestError as error:
        return UploadCheck(False, error.failures, {})
    except Exception as error:  # unreadable bytes, broken workbook: report, never a traceback
        return UploadCheck(False, _failure(", ".join(Path(str(n)).name for n, _ in files),
                                           "unreadable", t("unreadable", reason=str(error)[:300])),
                           {})
    return UploadCheck(True, _failure("", "", "").iloc[0:0], prepared.counts)


def ingest_upload(files: list, folder: Path, path: Path, by: str | None = None):
    """``ingest.store.ingest_dataset`` of the uploaded files into the store (one batch, named
    after the uploaded files: see :func:`upload_folder`); ``by`` is the signed-in editor."""
    from ingest.store import ingest_dataset

    folder = upload_folder(files, folder)
    refused = write_upload(files, folder)
    if refused is not None:
        raise ValueError("upload refused")
    return ingest_dataset(_upload_target(files, folder), store=path, by=by)


def remove_batch(path: Path, batch: int, by: str) -> dict:
    """``ingest.batches.remove_batch`` (one transaction; refused when others depend on it)."""
    from ingest.batches import remove_batch as remove

    return remove(path, batch, by=by)


def upload_folder(files: list, folder: Path) -> Path:
    """A folder inside ``folder`` named after the uploaded files (the batch's name).

    ``organizations.csv`` and ``events.csv`` → ``folder/organizations+events``; more than
    four files → the first four and ``+N``. Created when missing.

    >>> import tempfile
    >>> upload_folder([("organizations.csv", b""), ("events.csv", b"")], Path(tempfile.mkdtemp())).name
    'organizations+events'
    """
    stems = [Path(str(name)).name.rsplit(".", 1)[0].replace(".", "_") or "upload"
             for name, _ in files] or ["upload"]
    name = "+".join(stems[:4]) + (f"+{len(stems) - 4}" if len(stems) > 4 else "")
    target = folder / name[:120]
    target.mkdir(parents=True, exist_ok=True)
    return target


def _upload_target(files: list, folder: Path) -> Path:
    """The folder of uploaded CSVs, or the one uploaded workbook."""
    names = [Path(str(name)).name for name, _ in files]
    if len(names) == 1 and names[0].lower().endswith(".xlsx"):
        return folder / names[0]
    return folder


def store_status(path: Path, version: str) -> dict:
    """``ingest.store.status`` (counts per table, batches), ``ingest.store.conflicts`` and
    ``ingest.store.merge_candidates`` of the latest batch (name pairs for editors to review)."""
    return _store_status(path, _write_version(path))


@st.cache_data(show_spinner=False, max_entries=4)
def _store_status(path: Path, written: str) -> dict:
    from ingest.store import conflicts, merge_candidates, status

    return {"status": status(path), "conflicts": conflicts(path),
            "merge_candidates": merge_candidates(path)}


#: Download formats of the Data page (``graph.export.FORMATS`` names).
EXPORT_FORMATS = ("gexf", "graphml", "csv", "xlsx")
_MIME = {"gexf": "application/xml", "graphml": "application/xml", "csv": "application/zip",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@st.cache_data(show_spinner=False, max_entries=8)
def export_bytes(path: Path, version: str, scope: Scope, fmt: str) -> tuple[str, bytes, str]:
    """The tie graph in view written by ``graph.export.write_graph``: (file name, bytes, mime).

    CSV is two files (nodes, edges), delivered as one zip.
    """
    import io
    import tempfile
    import zipfile

    from graph.export import write_graph

    G = view_graph(path, version, scope)
    with tempfile.TemporaryDirectory() as folder:
        written = write_graph(G, Path(folder) / f"tsunagari.{fmt}", format=fmt)
        if len(written) == 1:
            return written[0].name, written[0].read_bytes(), _MIME[fmt]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in written:
                archive.write(file, file.name)
        return "tsunagari-csv.zip", buffer.getvalue(), _MIME[fmt]
