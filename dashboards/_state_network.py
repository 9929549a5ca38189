"""Cached loaders of the Network page: the drawing, an organisation's card, community stability.

The drawings themselves are built by ``dashboards._network_view`` (pyvis) and
``dashboards._state_webgl`` (WebGL, large scopes) from what these loaders cache: the records'
titles behind each tie and the seeded layout of the tie graph in view.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboards import _layout, _viz
from dashboards._i18n import t
from dashboards._network_view import (
    DRAW_LIMIT,
    SIZE_MEASURES,
    community_drawing,
    organisation_drawing,
)
from dashboards._state import (
    Progress,
    Scope,
    analysis,
    dataset,
    membership,
    scoped_analysis,
    view_graph,
    view_nodes,
)
from graph.communities import FIRM_THRESHOLD as STABILITY_THRESHOLD

__all__ = ["STABILITY_SEEDS", "STABILITY_THRESHOLD",
           "LEAST_FIRM_LIMIT", "record_titles", "layout", "network_view", "org_card",
           "community_stability"]



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
            when = (f" {day.date().isoformat()}"
                    if isinstance(day, pd.Timestamp) and not pd.isna(day) else "")
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


@st.cache_data(show_spinner=False, max_entries=16)
def layout(path: Path, version: str, scope: Scope, nodes: tuple[str, ...] | None) -> dict:
    """Cached pixel positions of the tie graph in view (or of ``nodes`` of it)."""
    G = view_graph(path, version, scope)
    H = G if nodes is None else G.subgraph(nodes)
    return _layout.layout_positions(H, membership(path, version, scope))


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
        return community_drawing(G, member, labels, lang) | {"mode": "communities"}
    H = G if nodes is None else G.subgraph(nodes)
    drawn = organisation_drawing(H, positions=layout(path, version, scope, nodes),
                                 measures=result.measures, member=member, labels=labels,
                                 colour_by=colour_by, size_by=size_by, focus=focus,
                                 titles=record_titles(path, version), lang=lang)
    return drawn | {"mode": mode}


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
    """``graph.findings.isolated``'s kind and reasons for ``org`` in both languages (empty
    when none), e.g. 「活動が途絶えた（2023-04-01以降の活動記録がない…）」."""
    from dashboards._i18n import isolation_label

    if org not in lonely.index:
        return {"ja": "", "en": ""}
    kind = lonely.at[org, "isolation"]
    return {"ja": f"{isolation_label(kind, lang='ja')}（{lonely.at[org, 'why_ja']}）",
            "en": f"{isolation_label(kind, lang='en')} ({lonely.at[org, 'why_en']})"}


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
    progress = Progress(t("stability_progress"))
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

        found = _state_network.community_stability(path, version, scope)
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
