"""Pictures of a ward report (PNG bytes, drawn with matplotlib in the report's CJK font).

>>> import networkx as nx
>>> png = network_png(nx.path_graph(4), {0: 0, 1: 0, 2: 1, 3: 1})
>>> png[:4] == b"\\x89PNG"
True
"""

from __future__ import annotations

import io

import networkx as nx
import pandas as pd

__all__ = ["network_png", "growth_png", "DRAW_LIMIT"]

#: Most organisations drawn in the network picture (the best connected first).
DRAW_LIMIT = 1500
_PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    from graph.report.fonts import cjk_font

    path = str(cjk_font())
    font_manager.fontManager.addfont(path)
    plt.rcParams["font.family"] = font_manager.FontProperties(fname=path).get_name()
    return plt


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=130, bbox_inches="tight")
    return buffer.getvalue()


def network_png(G: nx.Graph, membership: dict) -> bytes:
    """The ward's organisations (dots, colour = community) and the ties among them."""
    plt = _pyplot()
    if G.number_of_nodes() > DRAW_LIMIT:
        keep = sorted(G, key=lambda v: (-G.degree(v), str(v)))[:DRAW_LIMIT]
        G = G.subgraph(keep)
    positions = nx.spring_layout(G, seed=0, iterations=40) if len(G) else {}
    big = pd.Series(membership).value_counts().index[:len(_PALETTE)].tolist()
    colours = [_PALETTE[big.index(membership.get(v))] if membership.get(v) in big else "#c8c8c8"
               for v in G]
    fig, ax = plt.subplots(figsize=(7.5, 5.2))
    try:
        nx.draw_networkx_edges(G, positions, ax=ax, width=0.3, alpha=0.25, edge_color="#7f7f7f")
        nx.draw_networkx_nodes(G, positions, ax=ax, node_size=12, node_color=colours,
                               linewidths=0)
        ax.set_axis_off()
        return _png(fig)
    finally:
        plt.close(fig)


def growth_png(snapshots: pd.DataFrame, lang: str) -> bytes:
    """Organisations and ties per fiscal year, one titled panel each."""
    plt = _pyplot()
    titles = {"organisations": ("団体数", "Organisations"), "ties": ("つながり数", "Ties")}
    fig, axes = plt.subplots(1, 2, figsize=(8, 3))
    try:
        for ax, (column, names) in zip(axes, titles.items()):
            ax.plot(snapshots["period"], snapshots[column], marker="o", color="#4e79a7")
            ax.set_title(names[0] if lang == "ja" else names[1], loc="left", fontsize=11)
            ax.tick_params(axis="x", labelrotation=45, labelsize=8)
            ax.grid(alpha=0.3)
        fig.tight_layout()
        return _png(fig)
    finally:
        plt.close(fig)
