"""Drawing helpers: graph → node/edge frames → a self-contained, offline pyvis HTML string.

Two concerns live here and nowhere else (the layout, positions computed once in Python, lives
in ``_layout``):

* **Safety.** Every organisation name, title and description is user-supplied. vis-network 9
  shows a *string* tooltip as text (``innerText``), but pyvis 0.3.2 switches every tooltip to
  ``innerHTML`` as soon as one node title contains the substring ``href``; the component
  iframe is same-origin with the app, so that would run a hostile name's script in the whole
  dashboard. :func:`safe_text` breaks every ``href`` with an invisible word joiner, and
  :func:`network_html` refuses to return HTML whose template switched to the link popup.
  pyvis serialises node data with Jinja's ``tojson``, which escapes ``<``, ``>`` and ``&``,
  so ``</script>`` in a name cannot end the script block.
* **Offline.** ``cdn_resources="in_line"`` inlines vis-network, but the pyvis template still
  links Bootstrap from a CDN; :func:`network_html` removes those tags and refuses to return
  HTML that still loads anything over the network.

pyvis's ``add_node``/``add_edge`` check membership in Python lists (quadratic: minutes for
10⁴ edges), so :func:`network_html` fills the node and edge dicts of ``pyvis.network.Network``
directly, in the same shape ``add_node`` would produce.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Hashable, Mapping

import networkx as nx
import pandas as pd
from pyvis.network import Network

__all__ = [
    "PALETTE",
    "OTHER_COLOUR",
    "FONT_FACE",
    "safe_text",
    "colour_map",
    "node_sizes",
    "network_html",
    "legend_html",
    "ego_nodes",
    "community_graph",
    "alluvial_bands",
    "strongest_edges",
    "OfflineViolation",
]

# Tableau 20: distinguishable categorical colours.
PALETTE: tuple[str, ...] = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#a0cbe8", "#ffbe7d", "#ff9d9a", "#86bcb6", "#8cd17d", "#f1ce63",
    "#d4a6c8", "#fabfd2", "#d7b5a6", "#79706e",
)
OTHER_COLOUR = "#c8c8c8"
FONT_FACE = "Noto Sans CJK JP, Noto Sans JP, sans-serif"

_WORD_JOINER = "\u2060"
_HREF = re.compile("(h)(ref)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
_BOOTSTRAP_TAG = re.compile(
    r"<link\b[^>]*bootstrap[^>]*>|<script\b[^>]*bootstrap[^>]*>\s*</script>", re.IGNORECASE)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>")


class OfflineViolation(RuntimeError):
    """Generated HTML would load something from the network or render tooltips as HTML."""


def safe_text(value: object, *, limit: int = 400) -> str:
    """Text that is safe to hand to pyvis as a label or tooltip.

    Control characters are dropped, the text is cut to ``limit`` characters, and every
    ``href`` gets an invisible word joiner so pyvis never switches tooltips to ``innerHTML``.
    The text is *not* HTML-escaped: vis-network shows string tooltips with ``innerText``.

    >>> safe_text("<a href=x>hi</a>")
    '<a h\\u2060ref=x>hi</a>'
    >>> "href" in safe_text("HREF href Href").lower()
    False
    >>> safe_text(None)
    ''
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = _CONTROL.sub("", str(value))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _HREF.sub(lambda m: m.group(1) + _WORD_JOINER + m.group(2), text)


def colour_map(categories, *, order=None) -> dict[str, str]:
    """One palette colour per category (in ``order`` when given, else sorted by frequency).

    Categories beyond the palette share a neutral grey.

    >>> colour_map(["b", "a", "b"])
    {'b': '#4e79a7', 'a': '#f28e2b'}
    """
    if order is None:
        order = pd.Series(list(categories), dtype="object").value_counts(sort=True).index.tolist()
    return {c: (PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR) for i, c in enumerate(order)}


def node_sizes(values: Mapping[Hashable, float], *, smallest: float = 6.0,
               largest: float = 28.0) -> dict[Hashable, float]:
    """Map a per-node measure to circle sizes (area grows with the value).

    >>> node_sizes({"a": 0.0, "b": 4.0})
    {'a': 6.0, 'b': 28.0}
    """
    clean = {n: (float(v) if v is not None and not pd.isna(v) else 0.0) for n, v in values.items()}
    top = max((v for v in clean.values()), default=0.0)
    low = min((v for v in clean.values()), default=0.0)
    span = top - low
    if span <= 0:
        return {n: (smallest + largest) / 4 for n in clean}
    return {n: smallest + (largest - smallest) * math.sqrt((v - low) / span)
            for n, v in clean.items()}

def network_html(nodes: pd.DataFrame, edges: pd.DataFrame, *, height: int = 640,
                 highlight_neighbours: bool = True) -> str:
    """A self-contained HTML page drawing ``nodes`` and ``edges`` with vis-network (via pyvis).

    ``nodes`` columns: ``id, label, title, color, size, x, y`` (optional ``border`` colour);
    ``edges`` columns: ``source, target, width, title`` (optional ``color``). Labels and titles
    pass through :func:`safe_text` here, whatever the caller did. Physics is off: positions
    are used as given.

    Raises
    ------
    OfflineViolation
        When the generated page would load a remote resource or render tooltips as HTML.

    Examples
    --------
    >>> nodes = pd.DataFrame({"id": ["a", "b"], "label": ["A", "<b>"], "title": ["A", "href"],
    ...                       "color": ["#4e79a7"] * 2, "size": [10, 10], "x": [0, 50],
    ...                       "y": [0, 0]})
    >>> edges = pd.DataFrame({"source": ["a"], "target": ["b"], "width": [1.0], "title": ["t"]})
    >>> page = network_html(nodes, edges)
    >>> _REMOTE.search(page) is None and "bootstrap" not in page.lower()
    True
    """
    net = Network(height=f"{height}px", width="100%", cdn_resources="in_line",
                  neighborhood_highlight=highlight_neighbours)
    many = len(nodes) > 1500
    for row in nodes.itertuples(index=False):
        node_id = str(row.id)
        node = {
            "id": node_id,
            "label": safe_text(row.label, limit=40),
            "title": safe_text(row.title, limit=1500),
            "shape": "dot",
            "color": {"background": row.color,
                      "border": getattr(row, "border", None) or row.color,
                      "highlight": {"background": row.color, "border": "#222222"}},
            "size": float(row.size),
            "x": float(row.x),
            "y": float(row.y),
            "font": {"color": "#222222"},
        }
        net.nodes.append(node)
        net.node_ids.append(node_id)
        net.node_map[node_id] = node
    for row in edges.itertuples(index=False):
        edge = {"from": str(row.source), "to": str(row.target), "width": float(row.width),
                "title": safe_text(row.title, limit=1500)}
        colour = getattr(row, "color", None)
        if colour:
            edge["color"] = {"color": colour, "opacity": 0.6}
        net.edges.append(edge)
    net.options = {
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": many,
                        "hideEdgesOnZoom": many, "navigationButtons": False},
        "nodes": {"font": {"face": FONT_FACE, "size": 14}, "borderWidth": 1},
        "edges": {"smooth": False, "color": {"color": "#9aa5b1", "opacity": 0.5},
                  "selectionWidth": 2},
        "layout": {"improvedLayout": False},
    }
    page = net.generate_html()
    page = page.replace("drawGraph();",
                        "drawGraph();\n              network.fit({animation: false});", 1)
    page = _BOOTSTRAP_TAG.sub("", page)
    page = _EMPTY_HEADING.sub("", page)
    page = page.replace(
        "</head>",
        "<style>body{margin:0;font-family:" + FONT_FACE + "}"
        "#mynetwork{float:none;border:none}"
        "div.vis-tooltip{font-family:" + FONT_FACE + ";white-space:pre-wrap;max-width:420px}"
        "</style></head>", 1)
    if _REMOTE.search(page):
        raise OfflineViolation("the network page would load a remote resource")
    if "popup.innerHTML" in page:
        raise OfflineViolation("pyvis switched tooltips to innerHTML")
    return page


def legend_html(colours: Mapping[str, str]) -> str:
    """A row of coloured chips with escaped labels, for ``st.html``.

    >>> legend_html({"<b>": "#4e79a7"}).count("&lt;b&gt;")
    1
    """
    chips = "".join(
        f'<span style="display:inline-block;margin:2px 10px 2px 0;white-space:nowrap">'
        f'<span style="display:inline-block;width:12px;height:12px;border-radius:6px;'
        f'background:{html.escape(colour)};margin-right:4px;vertical-align:middle"></span>'
        f'{html.escape(str(label))}</span>'
        for label, colour in colours.items())
    return f'<div style="font-size:0.85rem;line-height:1.6">{chips}</div>'


def ego_nodes(G: nx.Graph, centre: Hashable, *, depth: int = 1, limit: int = 1500) -> list:
    """``centre`` and the organisations within ``depth`` ties of it (closest first, ≤ ``limit``).

    >>> ego_nodes(nx.path_graph(5), 0, depth=2)
    [0, 1, 2]
    """
    distance = nx.single_source_shortest_path_length(G, centre, cutoff=depth)
    ranked = sorted(distance, key=lambda v: (distance[v], -G.degree(v, weight="weight"), str(v)))
    return ranked[:limit]


def community_graph(G: nx.Graph, membership: Mapping[Hashable, int]) -> nx.Graph:
    """One node per community (attribute ``size``), edge ``weight`` = ties between two communities.

    A drawing reduction for scopes too large to draw node by node. Does not modify ``G``.

    >>> C = community_graph(nx.barbell_graph(3, 0), {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1})
    >>> dict(C.nodes(data="size")), list(C.edges(data="weight"))
    ({0: 3, 1: 3}, [(0, 1, 1)])
    """
    C = nx.Graph()
    for v in G:
        c = membership[v]
        if c in C:
            C.nodes[c]["size"] += 1
        else:
            C.add_node(c, size=1)
    for u, v in G.edges():
        cu, cv = membership[u], membership[v]
        if cu != cv:
            if C.has_edge(cu, cv):
                C.edges[cu, cv]["weight"] += 1
            else:
                C.add_edge(cu, cv, weight=1)
    return C


def alluvial_bands(flows: pd.DataFrame, *, keep: int = 12, gap: float = 0.04) -> pd.DataFrame:
    """Band polygons of an alluvial chart, for an altair ``mark_area`` (x, y, y2, detail=band).

    ``flows`` has ``from_period, from_id, to_period, to_id, size`` (``graph.time``
    ``TimelineAnalysis.alluvial``). Only the ``keep`` largest dynamic communities are drawn.
    Communities are stacked per period in id order; each band leaves its source's stack and
    enters its target's stack in the same order, so bands of one community stay together.

    >>> f = pd.DataFrame({"from_period": ["FY1", "FY1"], "from_id": [0, 1],
    ...                   "to_period": ["FY2", "FY2"], "to_id": [0, 0], "size": [4, 3]})
    >>> alluvial_bands(f)[["x", "y", "y2"]].round(2).values.tolist()
    [[0.0, 0.0, 4.0], [1.0, 0.0, 4.0], [0.0, 4.28, 7.28], [1.0, 4.0, 7.0]]
    """
    if flows.empty:
        return pd.DataFrame(columns=["band", "community", "period", "x", "y", "y2", "size"])
    totals = (pd.concat([flows[["from_id", "size"]].rename(columns={"from_id": "id"}),
                         flows[["to_id", "size"]].rename(columns={"to_id": "id"})])
              .groupby("id")["size"].max().sort_values(ascending=False))
    top = set(totals.index[:keep])
    flows = flows[flows["from_id"].isin(top) & flows["to_id"].isin(top)].reset_index(drop=True)
    periods = list(dict.fromkeys(list(flows["from_period"]) + list(flows["to_period"])))
    periods.sort()
    x_of = {p: i for i, p in enumerate(periods)}
    height: dict[tuple, float] = {}
    for p, c, s in zip(flows["from_period"], flows["from_id"], flows["size"]):
        height[(p, c)] = height.get((p, c), 0) + s
    incoming: dict[tuple, float] = {}
    for p, c, s in zip(flows["to_period"], flows["to_id"], flows["size"]):
        incoming[(p, c)] = incoming.get((p, c), 0) + s
    for key, s in incoming.items():
        height[key] = max(height.get(key, 0), s)
    span = max((sum(h for (p, _), h in height.items() if p == q) for q in periods), default=1)
    base: dict[tuple, float] = {}
    for q in periods:
        y = 0.0
        for (p, c) in sorted(k for k in height if k[0] == q):
            base[(p, c)] = y
            y += height[(p, c)] + gap * span
    out_used = dict.fromkeys(height, 0.0)
    in_used = dict.fromkeys(height, 0.0)
    rows = []
    order = flows.sort_values(["from_period", "from_id", "to_id"]).itertuples(index=False)
    for band, f in enumerate(order):
        a, b = (f.from_period, f.from_id), (f.to_period, f.to_id)
        y_from = base[a] + out_used[a]
        y_to = base[b] + in_used[b]
        out_used[a] += f.size
        in_used[b] += f.size
        for x, y in ((x_of[f.from_period], y_from), (x_of[f.to_period], y_to)):
            rows.append({"band": band, "community": int(f.from_id),
                         "period": periods[x], "x": x, "y": y, "y2": y + f.size,
                         "size": int(f.size)})
    return pd.DataFrame(rows)


def strongest_edges(G: nx.Graph, *, limit: int = 3000) -> list[tuple]:
    """The edges worth drawing: each node's strongest tie, then the strongest others, ≤ ``limit``.

    Thousands of edges cost the browser more than thousands of nodes; keeping every node's
    strongest tie keeps every non-isolated node attached. Does not modify ``G``.

    >>> G = nx.Graph([("a", "b", {"weight": 3}), ("b", "c", {"weight": 1}),
    ...               ("a", "c", {"weight": 2})])
    >>> sorted(tuple(sorted(e)) for e in strongest_edges(G, limit=2))
    [('a', 'b'), ('a', 'c')]
    """
    if G.number_of_edges() <= limit:
        return list(G.edges())
    keep: dict[frozenset, tuple] = {}
    for v in G:
        best = max(G[v].items(), key=lambda item: item[1].get("weight", 1.0), default=None)
        if best is not None:
            keep.setdefault(frozenset((v, best[0])), (v, best[0]))
    ranked = sorted(G.edges(data="weight", default=1.0), key=lambda e: -e[2])
    for u, v, _ in ranked:
        if len(keep) >= limit:
            break
        keep.setdefault(frozenset((u, v)), (u, v))
    return list(keep.values())
