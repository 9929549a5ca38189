"""The Growth page's replay drawings (pyvis), built from the saved growth tables.

Colours at city scale: with hundreds of communities a palette colour each cannot be told apart,
so only the :data:`REPLAY_COLOURED` largest communities (by their largest size in any fiscal
year) get a colour of their own, the same in every year; every other community is grey
(:data:`OTHER`). The legend lists the coloured ones. See docs/dashboard-city.md.

>>> nodes = pd.DataFrame({"period": ["FY1", "FY2", "FY2"], "community": [1, 1, 2],
...                       "size": [3, 5, 40]})
>>> colours = ranked_colours(peak_sizes(nodes), limit=1)
>>> colours[2] != OTHER, colours[1] == OTHER
(True, True)
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import pandas as pd

from dashboards import _viz
from dashboards._i18n import t
from dashboards._network_view import EDGE_LIMIT

__all__ = ["REPLAY_COLOURED", "OTHER", "REPLAY_HEIGHT", "REPLAY_SPAN", "peak_sizes",
           "ranked_colours", "spread", "community_replay", "organisation_replay"]

#: How many of the largest communities get a colour of their own in a replay.
REPLAY_COLOURED = 10
#: The colour of every other community (and of organisations without one).
OTHER = "#cfcfcf"
#: Height of the replay drawing (pixels).
REPLAY_HEIGHT = 520
#: Pixels from the centre to the edge of the replay: the middle half of the communities fill
#: the inner half, the rest are clipped at 1.15 times it.
REPLAY_SPAN = 420.0
# Tableau's colours without its greys, which would read as "other".
_DISTINCT = tuple(c for c in _viz.PALETTE if c not in ("#bab0ac", "#79706e"))
_EDGE_COLUMNS = ["source", "target", "width", "title"]


def peak_sizes(rows: pd.DataFrame) -> dict[int, int]:
    """Community → its largest ``size`` in any period (``period, community, size`` rows).

    >>> peak_sizes(pd.DataFrame({"period": ["a", "b"], "community": [7, 7], "size": [2, 9]}))
    {7: 9}
    """
    if rows.empty:
        return {}
    peaks = rows.groupby("community")["size"].max()
    return {int(c): int(n) for c, n in peaks.items()}


def ranked_colours(sizes: Mapping[int, int], *, limit: int = REPLAY_COLOURED) -> dict[int, str]:
    """Community → colour: the ``limit`` largest (ties: lower id first) distinct, the rest grey.

    >>> ranked_colours({1: 5, 2: 50, 3: 5}, limit=2)
    {2: '#4e79a7', 1: '#f28e2b', 3: '#cfcfcf'}
    """
    order = sorted(sizes, key=lambda c: (-sizes[c], c))
    shown = min(limit, len(_DISTINCT))
    return {c: (_DISTINCT[i] if i < shown else OTHER) for i, c in enumerate(order)}


def spread(x: pd.Series, y: pd.Series, *, span: float = REPLAY_SPAN) -> tuple[list, list]:
    """Positions rescaled so the middle half of them (the quartile box) fills ``±span / 2``
    pixels (the same factor on both axes) and the rest are clipped to ``±1.15 × span``: the
    seeded layout flings small communities far out, which would otherwise shrink the large
    ones into one dot. Pass every year's positions at once and a community keeps its place
    while the slider moves.

    >>> xs, _ = spread(pd.Series([*range(101), 10_000.0]), pd.Series([0.0] * 102), span=10)
    >>> xs[0], xs[50], xs[-1]  # the far one clipped to 11.5; the others keep their spread
    (-10.0, -0.1, 11.5)
    """
    if x.empty:
        return [], []
    cx, cy = float(x.median()), float(y.median())
    half = max(float(x.quantile(0.75) - x.quantile(0.25)),
               float(y.quantile(0.75) - y.quantile(0.25)), 1e-9) / 2
    limit = 1.15 * span
    scale = span / 2 / half
    return ([round(min(max((v - cx) * scale, -limit), limit), 2) for v in x],
            [round(min(max((v - cy) * scale, -limit), limit), 2) for v in y])


def _legend(colours: Mapping[int, str], labels: Mapping[int, str], lang: str) -> dict[str, str]:
    legend = {(t("replay_legend_labelled", lang=lang, c=c, label=labels[c]) if labels.get(c)
               else t("replay_legend_community", lang=lang, c=c)): colour
              for c, colour in colours.items() if colour != OTHER}
    if any(colour == OTHER for colour in colours.values()):
        legend[t("replay_legend_other", lang=lang)] = OTHER
    return legend


def community_replay(replay_nodes: pd.DataFrame, replay_links: pd.DataFrame, period: str, *,
                     lang: str) -> dict:
    """One circle per tracked community at the end of ``period`` (``graph.time.growth_cache``'s
    ``replay_nodes`` / ``replay_links``), at the positions saved for it.

    Returns ``mode`` ("communities"), ``nodes`` (organisations), ``edges`` (ties),
    ``communities``, ``legend`` (label → colour) and ``html``.
    """
    colours = ranked_colours(peak_sizes(replay_nodes))
    last = replay_nodes.drop_duplicates("community", keep="last")
    labels = {int(c): str(lab) for c, lab in zip(last["community"], last["label"])}
    xs, ys = spread(replay_nodes["x"], replay_nodes["y"])
    placed = replay_nodes.assign(x=xs, y=ys)
    nodes = placed[placed["period"] == period]
    links = replay_links[replay_links["period"] == period]
    sizes = _viz.node_sizes(dict(zip(nodes["community"], nodes["size"].astype(float))),
                            smallest=6.0, largest=40.0)
    drawn = pd.DataFrame({
        "id": nodes["community"].astype(str),
        "label": nodes["label"].astype(str),
        "title": [t("replay_community_title", lang=lang, c=c, label=lab, n=f"{n:,}", m=f"{m:,}")
                  for c, lab, n, m in zip(nodes["community"], nodes["label"], nodes["size"],
                                          nodes["inside_ties"])],
        "color": [colours.get(int(c), OTHER) for c in nodes["community"]],
        "size": [sizes[c] for c in nodes["community"]],
        "x": nodes["x"], "y": nodes["y"]})
    strongest = links.sort_values("ties", ascending=False).head(EDGE_LIMIT)
    top = float(strongest["ties"].max()) if len(strongest) else 1.0
    edges = pd.DataFrame({
        "source": strongest["a"].astype(str), "target": strongest["b"].astype(str),
        "width": 0.5 + 6.0 * strongest["ties"] / top,
        "title": [t("replay_link_title", lang=lang, n=f"{n:,}") for n in strongest["ties"]]},
        columns=_EDGE_COLUMNS)
    return {"mode": "communities", "nodes": int(nodes["size"].sum()),
            "edges": int(links["ties"].sum()), "communities": len(nodes),
            "legend": _legend(colours, labels, lang),
            "html": _viz.network_html(drawn, edges, height=REPLAY_HEIGHT - 20)}


def organisation_replay(S: nx.Graph, *, positions: Mapping, member: Mapping[str, int],
                        trajectories: pd.DataFrame, lang: str) -> dict:
    """Every organisation of the snapshot ``S`` at its fixed position, coloured by community.

    ``member``: organisation → tracked community in this period (-1: none); ``trajectories``
    (every period) ranks the communities for :func:`ranked_colours`.
    """
    counted = (trajectories.dropna(subset=["community"])
               .groupby(["period", "community"]).size().rename("size").reset_index())
    colours = ranked_colours(peak_sizes(counted))
    nodes = pd.DataFrame([{"id": v, "label": S.nodes[v].get("name") or v,
                           "title": str(S.nodes[v].get("name") or v),
                           "color": colours.get(member.get(v, -1), OTHER), "size": 10,
                           "x": positions.get(v, (0.0, 0.0))[0],
                           "y": positions.get(v, (0.0, 0.0))[1]} for v in S],
                         columns=["id", "label", "title", "color", "size", "x", "y"])
    edges = pd.DataFrame([{"source": u, "target": v, "width": 1.0, "title": ""}
                          for u, v in _viz.strongest_edges(S, limit=EDGE_LIMIT)],
                         columns=_EDGE_COLUMNS)
    return {"mode": "organisations", "nodes": S.number_of_nodes(), "edges": S.number_of_edges(),
            "communities": len({c for c in member.values() if c >= 0}),
            "legend": _legend(colours, {}, lang),
            "html": _viz.network_html(nodes, edges, height=REPLAY_HEIGHT - 20)}
