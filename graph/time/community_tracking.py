"""Community evolution: dynamic communities matched across periods, their events and flows.

Community evolution follows Greene, Doyle & Cunningham (2010, *Tracking the evolution of
communities in dynamic social networks*, ASONAM): each period's communities (the *step*
communities, at least ``min_size`` members) are matched to the *fronts* of the dynamic
communities (their latest step community) when the Jaccard overlap |C ∩ F| / |C ∪ F| is at
least θ (default 0.3, the value Greene et al. found robust). Events:

============  ==================================================================
birth         a step community matching no front starts a new dynamic community
death         a dynamic community unmatched for ``max_gap`` consecutive periods
growth        one-to-one continuation, size up by more than ``size_tol`` (10 %)
contraction   one-to-one continuation, size down by more than ``size_tol``
continuation  one-to-one continuation, size within ``size_tol``
merge         several fronts match one step community best: the best-matching
              (then the larger, then the older) keeps its id, the others end
split         a front matches several step communities: its best match keeps the id,
              each other one starts a new dynamic community
============  ==================================================================

Dynamic community ids are stable across periods, so they label the alluvial chart's flows.

Examples
--------
>>> steps = [("FY2018", [{1, 2, 3, 4}, {5, 6, 7}]), ("FY2019", [{1, 2, 3, 4, 5, 6, 7}])]
>>> tr = track_communities(steps)
>>> tr.events[["period", "event", "community", "related"]].values.tolist()
[['FY2018', 'birth', 0, ''], ['FY2018', 'birth', 1, ''], ['FY2019', 'merge', 0, '1']]
>>> tr.alluvial.values.tolist()
[['FY2018', 0, 'FY2019', 0, 4], ['FY2018', 1, 'FY2019', 0, 3]]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import pandas as pd

from graph.errors import GraphError

__all__ = ["EVENTS", "CommunityTracking", "track_communities"]

#: Community events, in the order they are reported within a period.
EVENTS: tuple[str, ...] = ("birth", "continuation", "growth", "contraction", "merge", "split",
                           "death")

_EVENT_COLUMNS = ["period", "event", "community", "size", "previous_size", "related", "jaccard"]
_FLOW_COLUMNS = ["from_period", "from_id", "to_period", "to_id", "size"]


class CommunityTracking(NamedTuple):
    """Dynamic communities across periods.

    Attributes
    ----------
    events : pandas.DataFrame
        ``period, event, community, size, previous_size, related`` (other dynamic ids,
        ``;``-joined), ``jaccard`` (overlap with the matched front).
    alluvial : pandas.DataFrame
        ``from_period, from_id, to_period, to_id, size``: organisations in dynamic community
        ``from_id`` at one period and ``to_id`` at the next.
    membership : dict
        Period label → {node: dynamic community id}.
    """

    events: pd.DataFrame
    alluvial: pd.DataFrame
    membership: dict


def _matches(comms: list[frozenset], fronts: dict[int, frozenset],
             theta: float) -> dict[tuple[int, int], float]:
    """(step index, front id) → Jaccard overlap, for the pairs with overlap ≥ ``theta``.

    Only pairs sharing a member can reach θ > 0, so they are found through the members
    (an index member → fronts) instead of trying every pair of communities: at 1/10 nation
    that is thousands × thousands Jaccard overlaps per period.

    >>> _matches([frozenset({1, 2}), frozenset({7, 8})], {0: frozenset({1, 2, 3})}, 0.3)
    {(0, 0): 0.6666666666666666}
    """
    holders: dict = {}
    for f, members in fronts.items():
        for x in members:
            holders.setdefault(x, []).append(f)
    matched = {}
    for j, c in enumerate(comms):
        shared: dict[int, int] = {}
        for x in c:
            for f in holders.get(x, ()):
                shared[f] = shared.get(f, 0) + 1
        for f, inter in shared.items():
            s = inter / (len(c) + len(fronts[f]) - inter)
            if s >= theta:
                matched[(j, f)] = s
    return matched


def _sort_key(members: frozenset):
    return (-len(members), min(repr(x) for x in members))


def track_communities(steps: Sequence[tuple[str, Iterable[Iterable]]], *, theta: float = 0.3,
                      min_size: int = 2, size_tol: float = 0.1,
                      max_gap: int = 1) -> CommunityTracking:
    """Match communities across consecutive periods (Greene, Doyle & Cunningham 2010).

    Parameters
    ----------
    steps : sequence of (label, communities)
        In time order; each ``communities`` is an iterable of node sets (a Partition's
        ``communities`` works). Communities smaller than ``min_size`` are ignored.
    theta : float, keyword-only
        Jaccard threshold in (0, 1]: a community continues a front when their overlap is at
        least θ.
    min_size : int, keyword-only
        Smallest community tracked.
    size_tol : float, keyword-only
        Relative size change below which a continuation is neither growth nor contraction.
    max_gap : int, keyword-only
        Consecutive unmatched periods after which a dynamic community dies (1: the first
        period it is missing).

    Returns
    -------
    CommunityTracking

    Raises
    ------
    GraphError
        For θ outside (0, 1], ``min_size`` < 1, ``size_tol`` < 0 or ``max_gap`` < 1.

    Examples
    --------
    >>> steps = [("P1", [{1, 2, 3, 4, 5, 6}]), ("P2", [{1, 2, 3}, {4, 5, 6}]), ("P3", [{1, 2, 3}])]
    >>> track_communities(steps).events[["period", "event", "community", "related"]].values.tolist()
    [['P1', 'birth', 0, ''], ['P2', 'contraction', 0, ''], ['P2', 'split', 1, '0'],
     ['P3', 'continuation', 0, ''], ['P3', 'death', 1, '']]
    """
    if not 0 < theta <= 1:
        raise GraphError(f"theta: expected a Jaccard threshold in (0, 1], got {theta}")
    if min_size < 1 or size_tol < 0 or max_gap < 1:
        raise GraphError("min_size and max_gap must be at least 1 and size_tol at least 0")
    fronts: dict[int, frozenset] = {}   # live dynamic communities → latest members
    missing: dict[int, int] = {}        # live id → consecutive periods unmatched
    events: list[tuple] = []
    flows: list[tuple] = []
    membership: dict[str, dict] = {}
    next_id = 0
    prev_label, prev_members = None, {}
    for label, communities in steps:
        comms = sorted((frozenset(c) for c in communities if len(frozenset(c)) >= min_size),
                       key=_sort_key)
        matched = _matches(comms, fronts, theta)
        by_front: dict[int, list[tuple[float, int]]] = {}
        by_step: dict[int, list[int]] = {}
        for (j, f), s in matched.items():
            by_front.setdefault(f, []).append((s, -j))
            by_step.setdefault(j, []).append(f)
        # each front continues into its best-matching step community
        best_of_front = {f: -max(by_front[f])[1] for f in sorted(by_front)}
        children: dict[int, list[int]] = {}
        for f, j in best_of_front.items():
            children.setdefault(j, []).append(f)
        rows: list[tuple] = []
        assigned: dict[int, int] = {}
        new_fronts: dict[int, frozenset] = {}
        absorbed: set[int] = set()  # fronts merged into another; they end without a death
        for j, c in enumerate(comms):
            parents = children.get(j, [])
            if parents:
                parents.sort(key=lambda f: (-matched[(j, f)], -len(fronts[f]), f))
                keep, others = parents[0], parents[1:]
                prev_size = len(fronts[keep])
                if others:
                    event = "merge"
                elif len(c) > prev_size * (1 + size_tol):
                    event = "growth"
                elif len(c) < prev_size * (1 - size_tol):
                    event = "contraction"
                else:
                    event = "continuation"
                assigned[j] = keep
                new_fronts[keep] = c
                rows.append((label, event, keep, len(c), prev_size,
                             ";".join(str(o) for o in sorted(others)), matched[(j, keep)]))
                absorbed.update(others)
        for j, c in enumerate(comms):
            if j in assigned:
                continue
            sources = sorted(by_step.get(j, ()), key=lambda f: (-matched[(j, f)], f))
            assigned[j] = next_id
            new_fronts[next_id] = c
            if sources:
                rows.append((label, "split", next_id, len(c), len(fronts[sources[0]]),
                             ";".join(str(f) for f in sources), matched[(j, sources[0])]))
            else:
                rows.append((label, "birth", next_id, len(c), 0, "", float("nan")))
            next_id += 1
        for f in sorted(fronts):
            if f in new_fronts or f in absorbed:
                missing.pop(f, None)
                continue
            missing[f] = missing.get(f, 0) + 1
            if missing[f] >= max_gap:
                rows.append((label, "death", f, 0, len(fronts[f]), "", float("nan")))
                missing.pop(f)
            else:
                new_fronts[f] = fronts[f]
        fronts = new_fronts
        order = {e: i for i, e in enumerate(EVENTS)}
        events.extend(sorted(rows, key=lambda r: (order[r[1]], r[2])))
        members = {x: assigned[j] for j, c in enumerate(comms) for x in c}
        if prev_label is not None:
            pairs: dict[tuple[int, int], int] = {}
            for x, a in prev_members.items():
                b = members.get(x)
                if b is not None:
                    pairs[(a, b)] = pairs.get((a, b), 0) + 1
            flows.extend((prev_label, a, label, b, n) for (a, b), n in sorted(pairs.items()))
        membership[label] = members
        prev_label, prev_members = label, members
    ev = pd.DataFrame(events, columns=_EVENT_COLUMNS)
    ev[["community", "size", "previous_size"]] = ev[["community", "size",
                                                     "previous_size"]].astype(int)
    al = pd.DataFrame(flows, columns=_FLOW_COLUMNS)
    al[["from_id", "to_id", "size"]] = al[["from_id", "to_id", "size"]].astype(int)
    return CommunityTracking(ev, al, membership)
