"""Cached tables of the analysis for the organisations in view: Overview, Connectors, Gaps.

Each loader selects the rows of the cached ``graph.analysis_result.Analysis``
(``_state.analysis``) for the organisations the sidebar's wards, kinds and fields keep; only a
filtered scope's gap tables and KPIs are computed again, on the tie graph in view.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboards._state import (
    Scope,
    filtered,
    membership,
    scoped_analysis,
    view_graph,
    view_nodes,
)
from graph.findings import ISOLATION_KINDS

__all__ = ["ROLE_MAP_LIMIT", "overview", "measures_table", "org_options", "connectors",
           "isolated", "gap_tables", "community_choices", "role_map"]

#: Most points on the role map (the best connectors and the largest hubs come first).
ROLE_MAP_LIMIT = 5000


@st.cache_data(show_spinner=False, max_entries=32)
def overview(path: Path, version: str, scope: Scope) -> dict:
    """KPIs and chart tables of the Overview page.

    KPIs: ``graph.time.snapshot_metrics`` of the tie graph in view (with the analysis'
    communities), plus the communities, the organisations with no tie (``isolated``) and the
    organisations of each kind of ``graph.findings.ISOLATION_KINDS`` (``isolated_by_kind``)
    among the organisations in view.
    """
    from graph.time import snapshot_metrics

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
    """``graph.findings.connectors`` ranking (from the analysis), organisations in view only."""
    ranked = scoped_analysis(path, version, scope).connectors
    keep = set(view_nodes(path, version, scope))
    return ranked.loc[[v for v in ranked.index if v in keep]].copy()


@st.cache_data(show_spinner=False, max_entries=32)
def isolated(path: Path, version: str, scope: Scope) -> pd.DataFrame:
    """``graph.findings.isolated`` (from the analysis), organisations in view only."""
    lonely = scoped_analysis(path, version, scope).isolated
    keep = set(view_nodes(path, version, scope))
    return lonely.loc[[v for v in lonely.index if v in keep]].copy()


@st.cache_data(show_spinner=False, max_entries=32)
def gap_tables(path: Path, version: str, scope: Scope) -> dict[str, pd.DataFrame]:
    """``graph.findings.gap_tables`` of the tie graph in view (the analysis' own when unfiltered)."""
    from graph.findings import gap_tables as tables

    result = scoped_analysis(path, version, scope)
    if not filtered(scope):
        return {name: frame.copy() for name, frame in result.gaps.items()}
    G = view_graph(path, version, scope)
    member = membership(path, version, scope)
    labels = result.communities["label"].to_dict()
    return tables(G, {v: member[v] for v in G}, labels=labels)


@st.cache_data(show_spinner=False, max_entries=32)
def community_choices(path: Path, version: str, scope: Scope) -> dict[int, str]:
    """Community index → "label (size)" for the communities with members in view, largest first."""
    result = scoped_analysis(path, version, scope)
    member = membership(path, version, scope)
    counts = pd.Series([member[v] for v in view_nodes(path, version, scope)]).value_counts()
    labels = result.communities["label"].to_dict()
    return {int(c): f"{labels.get(c, f'#{c}')}（{n}）" for c, n in counts.items()}


@st.cache_data(show_spinner=False, max_entries=32)
def role_map(path: Path, version: str, scope: Scope, lang: str) -> pd.DataFrame:
    """Guimerà–Amaral coordinates (``graph.measures``, via the analysis) of organisations in view."""
    from dashboards._i18n import role_label

    frame = measures_table(path, version, scope)
    frame = frame[frame["degree"] > 0]
    frame = frame.sort_values(["connector_score", "degree"], ascending=False).head(ROLE_MAP_LIMIT)
    return pd.DataFrame({
        "name": frame["name"].astype(str), "degree": frame["degree"],
        "participation_coefficient": frame["participation_coefficient"],
        "within_module_z": frame["within_module_z"],
        "role_label": [role_label(r, lang=lang) for r in frame["role"]]})
