"""The pyvis drawings of the Network and Cases pages, built from loaded data (no caching here).

The state layer (``_state_network``, ``_state_cases``) loads the graph, the analysis and the
layout and caches what these functions return: an HTML string for ``st.iframe`` with what was
drawn. Text shown in a drawing (names, record titles) is escaped by ``_viz.network_html``.

>>> import networkx as nx
>>> G = nx.Graph([("a", "b")])
>>> nx.set_node_attributes(G, {"a": "会A", "b": "会B"}, "name")
>>> drawn = case_drawing(G, ("a",), lang="en")
>>> drawn["nodes"], drawn["edges"], drawn["html"].startswith("<")
(2, 1, True)
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import pandas as pd

from dashboards import _layout, _viz
from dashboards._i18n import kind_label, orientation_label, role_label, t, ward_label

__all__ = ["DRAW_LIMIT", "EDGE_LIMIT", "CASE_DRAW_LIMIT", "CASE_HEIGHT", "SIZE_MEASURES",
           "COLOUR_BY", "WEBGL_EDGE_LIMIT", "WEBGL_HEIGHT", "org_title", "colour_keys",
           "organisation_drawing", "community_drawing", "webgl_drawing", "case_drawing"]

#: Most organisations drawn at once. Measured in headless chromium by scripts/bench_dashboard.py
#: (docs/benchmarks/dashboard.md): 2,000 nodes first draw in about 1.5 s, 5,000 in about 4.7 s.
DRAW_LIMIT = 1500
#: Most ties drawn at once: each organisation's strongest tie, then the strongest others.
EDGE_LIMIT = 3000
#: Most organisations drawn around one case, and the height of its drawing (pixels).
CASE_DRAW_LIMIT = 150
CASE_HEIGHT = 380
#: Measures offered for node size (columns of ``Analysis.measures``).
SIZE_MEASURES = ("degree", "strength", "betweenness", "pagerank", "connector_score",
                 "effective_size")
#: Node colourings offered on the Network page.
COLOUR_BY = ("community", "kind", "ward", "orientation")
#: Most ties sent to the browser by the WebGL view (it draws them all at once).
WEBGL_EDGE_LIMIT = 20_000
#: Height of the WebGL drawing (pixels).
WEBGL_HEIGHT = 680
_EDGE_COLUMNS = ["source", "target", "width", "title"]


def org_title(data: dict, row: Mapping | None, community_label: str, lang: str) -> str:
    """An organisation's hover text: name, kind, ward, community (role and degree with ``row``).

    >>> org_title({"name": "会", "kind": "npo", "ward": "北区"}, None, "北区の会", "en").splitlines()[0]
    '会'
    """
    lines = [str(data.get("name") or ""),
             f"{t('col_kind', lang=lang)}: {kind_label(str(data.get('kind') or ''), lang=lang)}",
             f"{t('col_ward', lang=lang)}: {ward_label(data.get('ward'), lang=lang)}",
             f"{t('community', lang=lang)}: {community_label}"]
    if row is not None:
        lines.append(f"{t('role', lang=lang)}: {role_label(row['role'], lang=lang)}")
        lines.append(f"{t('col_degree', lang=lang)}: {int(row['degree'])}")
    return "\n".join(lines)


def colour_keys(G: nx.Graph, colour_by: str, member: dict, labels: dict, lang: str) -> dict:
    """Node → the legend entry it is coloured by (community label, kind, ward or orientation).

    >>> G = nx.Graph(); G.add_node("a", ward="北区")
    >>> colour_keys(G, "ward", {"a": 0}, {}, "en")
    {'a': 'Kita'}
    """
    if colour_by == "community":
        return {v: labels.get(member[v], f"#{member[v]}") for v in G}
    if colour_by == "kind":
        return {v: kind_label(G.nodes[v].get("kind"), lang=lang) for v in G}
    if colour_by == "ward":
        return {v: ward_label(G.nodes[v].get("ward"), lang=lang) for v in G}
    return {v: orientation_label(G.nodes[v].get("orientation"), lang=lang) for v in G}


def organisation_drawing(H: nx.Graph, *, positions: dict, measures: pd.DataFrame, member: dict,
                         labels: dict, colour_by: str, size_by: str, focus: str | None,
                         titles: dict[str, str], lang: str) -> dict:
    """Every organisation of ``H`` at ``positions``, its :data:`EDGE_LIMIT` strongest ties.

    Returns ``html``, ``legend`` (entry → colour), ``nodes``, ``edges`` and ``edges_drawn``;
    a tie's hover text lists up to five of the records behind it (``titles``: evidence code →
    readable line).
    """
    keys = colour_keys(H, colour_by, member, labels, lang)
    colours = _viz.colour_map(keys.values())
    sizes = _viz.node_sizes(measures.loc[list(H), size_by].to_dict())
    node_rows = []
    for v in H:
        data = H.nodes[v]
        node_rows.append({
            "id": v, "label": data.get("name") or v,
            "title": org_title(data, measures.loc[v], labels.get(member[v], ""), lang),
            "color": colours[keys[v]], "size": sizes[v] + (10 if v == focus else 0),
            "border": "#222222" if v == focus else None,
            "x": positions[v][0], "y": positions[v][1]})
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
    html = _viz.network_html(pd.DataFrame(node_rows), pd.DataFrame(edge_rows,
                                                                   columns=_EDGE_COLUMNS))
    return {"html": html, "legend": colours, "nodes": H.number_of_nodes(),
            "edges": H.number_of_edges(), "edges_drawn": len(edge_rows)}


def community_drawing(G: nx.Graph, member: dict, labels: dict, lang: str) -> dict:
    """The community-level drawing: one circle per community, edge width = ties between.

    Communities of one organisation are left out (counted in ``singletons``).
    """
    C = _viz.community_graph(G, member)
    alone = [c for c, size in C.nodes(data="size") if size < 2]
    C = C.subgraph([c for c in C if c not in set(alone)])
    positions = _layout.layout_positions(C, None, spring_limit=max(400, C.number_of_nodes()))
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
        edge_rows, columns=_EDGE_COLUMNS), highlight_neighbours=False)
    return {"html": html, "legend": {}, "nodes": C.number_of_nodes(),
            "edges": C.number_of_edges(), "edges_drawn": C.number_of_edges(),
            "organisations": G.number_of_nodes(), "singletons": len(alone)}


def webgl_drawing(G: nx.Graph, *, positions: dict, measures: pd.DataFrame, member: dict,
                  labels: dict, lang: str) -> dict:
    """Every organisation of ``G`` for the WebGL view (``dashboards._webgl``): one colour per
    node for each :data:`COLOUR_BY`, one size for each :data:`SIZE_MEASURES`, a card each,
    and the :data:`WEBGL_EDGE_LIMIT` strongest ties (each organisation's strongest first).

    Returns ``html``, ``nodes``, ``edges`` (ties in ``G``) and ``edges_drawn``.
    """
    from dashboards._i18n import measure_label
    from dashboards._webgl import webgl_html

    order = list(G)
    measures = measures.loc[order]
    colours = {}
    for choice in COLOUR_BY:
        keys = colour_keys(G, choice, member, labels, lang)
        palette = _viz.colour_map(keys.values())
        colours[choice] = [palette[keys[v]] for v in order]
    sizes = {}
    for m in SIZE_MEASURES:
        scaled = _viz.node_sizes(measures[m].to_dict(), smallest=2.0, largest=14.0)
        sizes[m] = [scaled[v] for v in order]
    rows = measures[["role", "degree"]].to_dict("index")
    nodes = pd.DataFrame({
        "id": order, "label": [str(G.nodes[v].get("name") or v) for v in order],
        "x": [positions[v][0] for v in order], "y": [positions[v][1] for v in order],
        "card": [org_title(G.nodes[v], rows[v], labels.get(member[v], ""), lang)
                 for v in order]})
    edges = pd.DataFrame(_viz.strongest_edges(G, limit=WEBGL_EDGE_LIMIT),
                         columns=["source", "target"])
    words = {"search": t("search_placeholder", lang=lang), "find": t("webgl_find", lang=lang),
             "clear": t("webgl_clear", lang=lang), "colour": t("color_by", lang=lang),
             "size": t("size_by", lang=lang), "hint": t("webgl_hint", lang=lang),
             **{c: t(f"by_{c}", lang=lang) for c in COLOUR_BY},
             **{m: measure_label(m, lang=lang) for m in SIZE_MEASURES}}
    html = webgl_html(nodes, edges, colours=colours, sizes=sizes, labels=words,
                      height=WEBGL_HEIGHT - 60)
    return {"html": html, "nodes": len(order), "edges": G.number_of_edges(),
            "edges_drawn": len(edges)}


def case_drawing(G: nx.Graph, partners: tuple[str, ...], *, lang: str) -> dict:
    """A case's partners (large, outlined) and their direct partners in ``G``, by kind.

    At most :data:`CASE_DRAW_LIMIT` organisations; ``html`` is ``None`` when no partner is in
    ``G``.
    """
    present = [p for p in partners if p in G]
    around: dict[str, None] = dict.fromkeys(present)
    for p in present:
        for v in _viz.ego_nodes(G, p, depth=1, limit=CASE_DRAW_LIMIT):
            if len(around) >= CASE_DRAW_LIMIT:
                break
            around.setdefault(v)
    H = G.subgraph(around)
    positions = _layout.layout_positions(H)
    kinds = {v: kind_label(H.nodes[v].get("kind"), lang=lang) for v in H}
    colours = _viz.colour_map(kinds.values())
    nodes = pd.DataFrame([{
        "id": v, "label": H.nodes[v].get("name") or v,
        "title": f"{H.nodes[v].get('name') or v}\n{kinds[v]}",
        "color": colours[kinds[v]],
        "size": 22 if v in present else 10, "border": "#222222" if v in present else None,
        "x": positions[v][0], "y": positions[v][1]} for v in H])
    edges = pd.DataFrame([{"source": u, "target": v, "width": 1.0 + min(d.get("weight", 1), 5),
                           "title": f"{H.nodes[u].get('name')} – {H.nodes[v].get('name')}"}
                          for u, v, d in H.edges(data=True)], columns=_EDGE_COLUMNS)
    return {"html": _viz.network_html(nodes, edges, height=CASE_HEIGHT - 20)
            if len(nodes) else None,
            "legend": colours, "nodes": H.number_of_nodes(), "edges": H.number_of_edges()}
