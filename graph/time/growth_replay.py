"""Community-level replay of a timeline: one circle per dynamic community and fiscal year.

A whole city (12,000 organisations) is too many to draw once per fiscal year, so the Growth
page replays it at community level: for every period, each tracked dynamic community
(``graph.time.track_communities`` ids, stable across periods) becomes one node sized by its
members, and the ties between two communities in that period's snapshot become one weighted
link. Node positions come from one seeded spring layout of the union of every period's
community graph, so a community stays in place from year to year.

Examples
--------
>>> import datetime as dt, networkx as nx
>>> from graph.time import timeline_from_graph
>>> G = nx.Graph()
>>> d = dt.date(2019, 5, 1)
>>> G.add_edges_from([("a", "b"), ("b", "c"), ("c", "d")], weight=1.0, first_date=d, last_date=d)
>>> line = timeline_from_graph(G)
>>> traj = pd.DataFrame({"period": ["FY2019"] * 4, "id": list("abcd"), "name": list("ABCD"),
...                      "degree": [1, 2, 2, 1], "community": [0, 0, 1, 1]})
>>> nodes, links = community_replay(line, traj, {"FY2019": dt.date(2020, 3, 31)})
>>> nodes[["period", "community", "size", "inside_ties"]].values.tolist()
[['FY2019', 0, 2, 1], ['FY2019', 1, 2, 1]]
>>> links[["period", "a", "b", "ties"]].values.tolist()
[['FY2019', 0, 1, 1]]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd

from graph.time.snapshots import snapshot_masks
from graph.time.timeline import Timeline

__all__ = ["community_replay"]

NODE_COLUMNS = ["period", "community", "size", "inside_ties", "label", "x", "y"]
LINK_COLUMNS = ["period", "a", "b", "ties"]


def community_replay(timeline: Timeline, trajectories: pd.DataFrame,
                     period_ends: Mapping[str, dt.date], *, seed: int = 0,
                     scale: float = 1000.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-period community nodes and inter-community links, with stable positions.

    Parameters
    ----------
    timeline : graph.time.Timeline
        The timeline the trajectories were computed from.
    trajectories : pandas.DataFrame
        ``TimelineAnalysis.trajectories``: ``period, id, name, degree, community`` (dynamic
        community id, NA for an organisation in no tracked community).
    period_ends : mapping of str to datetime.date
        Each period label to the day its (cumulative) snapshot is taken, in time order.
    seed : int, keyword-only
        Seed of the spring layout.
    scale : float, keyword-only
        Half-width of the layout (positions lie in [-scale, scale]).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Nodes ``period, community, size, inside_ties, label`` (the name of the member with
        the most ties), ``x, y``; links ``period, a, b, ties`` with ``a < b``.
    """
    index = pd.Index(timeline.orgs.index.to_numpy(dtype=object))
    u_pos, v_pos = timeline.ends
    node_rows, link_rows = [], []
    for label, end in period_ends.items():
        rows = trajectories[(trajectories["period"] == label) & trajectories["community"].notna()]
        if rows.empty:
            continue
        code = np.full(len(index), -1, dtype=np.int64)
        code[index.get_indexer(rows["id"].to_numpy(dtype=object))] = rows["community"].astype(
            np.int64).to_numpy()
        _, tie_mask = snapshot_masks(timeline, end)
        cu, cv = code[u_pos[tie_mask]], code[v_pos[tie_mask]]
        both = (cu >= 0) & (cv >= 0)
        cu, cv = cu[both], cv[both]
        inside = pd.Series(cu[cu == cv]).value_counts()
        cross = pd.DataFrame({"a": np.minimum(cu, cv), "b": np.maximum(cu, cv)})[cu != cv]
        for (a, b), ties in cross.groupby(["a", "b"]).size().items():
            link_rows.append((label, int(a), int(b), int(ties)))
        best = rows.sort_values(["degree", "id"], ascending=[False, True]).drop_duplicates(
            "community")
        names = dict(zip(best["community"].astype(np.int64), best["name"].astype(str)))
        for community, size in rows["community"].astype(np.int64).value_counts().sort_index().items():
            node_rows.append((label, int(community), int(size), int(inside.get(community, 0)),
                              names[community]))
    nodes = pd.DataFrame(node_rows, columns=NODE_COLUMNS[:-2])
    links = pd.DataFrame(link_rows, columns=LINK_COLUMNS)
    positions = _positions(nodes, links, seed=seed, scale=scale)
    nodes["x"] = [positions[c][0] for c in nodes["community"]]
    nodes["y"] = [positions[c][1] for c in nodes["community"]]
    return nodes.sort_values(["period", "community"]).reset_index(drop=True), links


def _positions(nodes: pd.DataFrame, links: pd.DataFrame, *, seed: int,
               scale: float) -> dict[int, tuple[float, float]]:
    """One seeded spring layout of every period's community graph taken together."""
    H = nx.Graph()
    H.add_nodes_from(int(c) for c in nodes["community"].unique())
    for (a, b), ties in links.groupby(["a", "b"])["ties"].max().items():
        H.add_edge(int(a), int(b), weight=float(np.log1p(ties)))
    if H.number_of_nodes() == 0:
        return {}
    if H.number_of_nodes() == 1:
        return {next(iter(H)): (0.0, 0.0)}
    spread = 1.5 / np.sqrt(H.number_of_nodes())
    found = nx.spring_layout(H, weight="weight", seed=seed, k=spread, iterations=60, scale=scale)
    return {c: (float(x), float(y)) for c, (x, y) in found.items()}
