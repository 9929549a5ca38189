"""Organisations' trajectories across periods: rising connectors and the newly isolated.

Both read ``TimelineAnalysis.trajectories`` (one row per organisation and period, periods in
time order): :func:`rising_connectors` ranks the largest gains of a measure between two
periods, :func:`newly_isolated` lists organisations that lost all their ties.

Examples
--------
>>> t = pd.DataFrame({"period": ["P1", "P2"], "id": ["a", "a"], "name": ["A", "A"],
...                   "degree": [2, 0], "betweenness": [0.0, 0.0]})
>>> newly_isolated(t)["id"].tolist(), rising_connectors(t).empty
(['a'], True)
"""

from __future__ import annotations

import pandas as pd

from graph.errors import GraphError

__all__ = ["rising_connectors", "newly_isolated"]


def _period_order(trajectories: pd.DataFrame) -> list:
    return list(dict.fromkeys(trajectories["period"]))


def rising_connectors(trajectories: pd.DataFrame, *, measure: str = "betweenness",
                      start: str | None = None, end: str | None = None,
                      top: int = 10) -> pd.DataFrame:
    """Organisations whose brokerage grew most between two periods.

    Parameters
    ----------
    trajectories : pandas.DataFrame
        ``TimelineAnalysis.trajectories`` (periods in time order).
    measure : str, keyword-only
        A numeric column, e.g. ``"betweenness"`` or ``"effective_size"``.
    start, end : str, optional, keyword-only
        Period labels; default the first and the last. An organisation absent at ``start``
        (or with NaN) counts as 0 there.
    top : int, keyword-only
        Number of rows.

    Returns
    -------
    pandas.DataFrame
        ``id, name, start, end, gain`` sorted by gain (then id), only positive gains.

    Raises
    ------
    GraphError
        For an unknown measure or period.

    Examples
    --------
    >>> t = pd.DataFrame({"period": ["P1", "P1", "P2", "P2"], "id": ["a", "b", "a", "b"],
    ...                   "name": ["A", "B", "A", "B"], "betweenness": [0.5, 0.0, 0.1, 0.4]})
    >>> rising_connectors(t)[["id", "gain"]].values.tolist()
    [['b', 0.4]]
    """
    if measure not in trajectories:
        raise GraphError(f"measure: no column {measure!r} in the trajectories")
    order = _period_order(trajectories)
    start = order[0] if start is None else start
    end = order[-1] if end is None else end
    for p in (start, end):
        if p not in order:
            raise GraphError(f"period {p!r} not in the trajectories ({', '.join(order)})")
    at_end = trajectories[trajectories["period"] == end].set_index("id")
    at_start = trajectories[trajectories["period"] == start].set_index("id")[measure]
    before = at_start.reindex(at_end.index).fillna(0.0).astype(float)
    after = at_end[measure].fillna(0.0).astype(float)
    out = pd.DataFrame({"id": at_end.index, "name": at_end["name"].to_numpy(),
                        "start": before.to_numpy(), "end": after.to_numpy()})
    out["gain"] = out["end"] - out["start"]
    out = out[out["gain"] > 0].sort_values(["gain", "id"], ascending=[False, True])
    return out.head(top).reset_index(drop=True)


def newly_isolated(trajectories: pd.DataFrame, *, period: str | None = None) -> pd.DataFrame:
    """Organisations with no tie in a period that had at least one in the period before.

    Parameters
    ----------
    trajectories : pandas.DataFrame
        ``TimelineAnalysis.trajectories`` (periods in time order).
    period : str, optional, keyword-only
        One period label; default every period.

    Returns
    -------
    pandas.DataFrame
        ``period, id, name, previous_degree``.

    Examples
    --------
    >>> t = pd.DataFrame({"period": ["P1", "P1", "P2", "P2"], "id": ["a", "b", "a", "b"],
    ...                   "name": ["A", "B", "A", "B"], "degree": [1, 1, 0, 2]})
    >>> newly_isolated(t).values.tolist()
    [['P2', 'a', 'A', 1]]
    """
    order = _period_order(trajectories)
    rows = []
    for prev, cur in zip(order, order[1:]):
        if period is not None and cur != period:
            continue
        before = trajectories[trajectories["period"] == prev].set_index("id")["degree"]
        now = trajectories[trajectories["period"] == cur].set_index("id")
        lost = now[(now["degree"] == 0) & (before.reindex(now.index).fillna(0) > 0)]
        rows.extend((cur, i, n, int(before[i])) for i, n in zip(lost.index, lost["name"]))
    return pd.DataFrame(rows, columns=["period", "id", "name", "previous_degree"])
