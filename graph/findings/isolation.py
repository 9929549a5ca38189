"""The isolated: organisations that need a partner, each of one kind, and why.

:func:`isolated` lists organisations that need a partner, each of one kind (no tie, one
partner, peripheral, inactive since a date) with reason codes and text;
:func:`last_activity` dates each organisation's latest recorded activity and
:func:`isolation_cutoff` the first day that still counts as recent.

Isolation kinds (counted apart)
-------------------------------
Every organisation :func:`isolated` lists has exactly one kind, the first that applies:

``no_ties``          つながりなし — no tie at all in the scope
``single_partner``   相手が1団体だけ — exactly one partner: it hangs on a single tie
``peripheral``       周辺 — two or more partners, but all of them in a small group cut off
                     from the city's main network (``small_component``), or all of them
                     public agencies (``public_only``)
``inactive``         活動が途絶えた — two or more partners in the main network, but no
                     participation, organised event, collaboration, dispatch or resource offer
                     dated since 1 April of fiscal year FY(reference) − ``inactive_years`` + 1
                     (the ``since`` date); its ties are old, not missing

Reason codes (every one that applies, in ``reasons``): ``no_ties``, ``single_partner``,
``small_component`` (in a component of at most ``small_component`` organisations that is
not the largest one), ``public_only`` (every partner is a public agency: 区役所・社協など),
``inactive`` (as above, whatever the kind).

Examples
--------
>>> import networkx as nx
>>> isolated(nx.Graph([("a", "b")]))["isolation"].to_dict()
{'a': 'single_partner', 'b': 'single_partner'}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graph.core.view import node_values
from graph.errors import GraphError
from graph.measures import component_labels, edge_positions, organisation_measures
from ingest.fiscal import fiscal_year

__all__ = ["ISOLATION_KINDS", "ISOLATION_REASONS", "last_activity", "isolation_cutoff",
           "isolated"]

_COLUMNS = ["id", "name", "kind", "ward", "degree", "component_size", "role", "last_activity",
            "isolation", "since", "reason", "reasons", "why_en", "why_ja"]
_NO_NAME = object()  # a node without a name attribute is named by its id

#: Isolation kind → (English name, Japanese name, English definition, Japanese definition),
#: in priority order (an organisation takes the first kind that applies).
ISOLATION_KINDS: Mapping[str, tuple[str, str, str, str]] = {
    "no_ties": ("No ties", "つながりなし", "no tie to any organisation in the scope",
                "範囲内のどの団体ともつながりがない"),
    "single_partner": ("Only one partner", "相手が1団体だけ",
                       "exactly one partner: hangs on a single tie",
                       "つながっている相手が1団体だけ（1本のつながりに頼っている）"),
    "peripheral": ("Peripheral", "周辺",
                   ("two or more partners, but only in a small group cut off from the main "
                    "network, or only public agencies"),
                   ("2団体以上とつながっているが、主なネットワークから切り離された小さなまとまりの中だけ、"
                    "または公的機関とだけ")),
    "inactive": ("Inactive since a date", "活動が途絶えた",
                 ("two or more partners in the main network, but no recorded activity since "
                  "the date shown"),
                 "主なネットワークで2団体以上とつながっているが、表示の日付以降の活動記録がない"),
}

#: Isolation reason code → (English, Japanese) short description.
ISOLATION_REASONS: Mapping[str, tuple[str, str]] = {
    "no_ties": ("no ties at all", "つながりがない"),
    "single_partner": ("only one partner", "相手が1団体だけ"),
    "small_component": ("in a small group cut off from the rest", "他から切り離された小さなまとまり"),
    "public_only": ("ties only to public agencies", "公的機関とだけつながっている"),
    "inactive": ("no recent activity", "最近の活動記録がない"),
}


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame[column], errors="coerce")


def last_activity(dataset, *, as_of=None) -> dict:
    """Date of each organisation's latest participation, collaboration, dispatch or offer.

    Events an organisation took part in or organised use the event's ``end_date`` (else
    ``date``); collaborations and
    dispatches their ``end_date`` (else ``start_date``); resources ``offered_on``. Dates after
    ``as_of`` are ignored. Organisations whose records are all undated map to ``None`` (active
    at an unknown time); organisations without any such record are absent.

    Parameters
    ----------
    dataset : ingest.schemas.Dataset
        The records; not modified.
    as_of : date-like, optional
        Ignore records dated after this day.

    Returns
    -------
    dict
        Organisation id → ``datetime.date``.

    Raises
    ------
    GraphError
        If ``as_of`` cannot be read as a date.

    Examples
    --------
    >>> from graph.build import example_dataset
    >>> last_activity(example_dataset())
    {'A': datetime.date(2019, 7, 1), 'B': datetime.date(2019, 7, 1),
     'C': datetime.date(2019, 6, 1), 'K': datetime.date(2019, 1, 10)}
    """
    frames = []
    events = dataset.table("events")
    part = dataset.table("participations")
    if len(events):
        ev = events.drop_duplicates("id").set_index("id")
        end = _dates(ev, "end_date").fillna(_dates(ev, "date"))
        if len(part):
            frames.append(pd.DataFrame({"org": part["org_id"].to_numpy(),
                                        "date": part["event_id"].map(end).to_numpy()}))
        if "organizer_id" in ev.columns:
            frames.append(pd.DataFrame({"org": ev["organizer_id"].to_numpy(),
                                        "date": end.to_numpy()}))
    collab = dataset.table("collaborations")
    if len(collab):
        when = _dates(collab, "end_date").fillna(_dates(collab, "start_date"))
        ex = pd.DataFrame({"org": collab["org_ids"], "date": when}).explode("org")
        frames.append(ex)
    disp = dataset.table("dispatches")
    if len(disp):
        when = _dates(disp, "end_date").fillna(_dates(disp, "start_date"))
        frames.append(pd.DataFrame({"org": disp["org_id"], "date": when}))
    res = dataset.table("resources")
    if len(res):
        frames.append(pd.DataFrame({"org": res["provider_id"],
                                    "date": _dates(res, "offered_on")}))
    if not frames:
        return {}
    frame = pd.concat(frames, ignore_index=True)
    frame = frame[frame["org"].notna()]
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
    if as_of is not None:
        try:
            limit = pd.Timestamp(as_of)
        except (TypeError, ValueError) as exc:
            raise GraphError(f"as_of: cannot read {as_of!r} as a date") from exc
        frame = frame[frame["date"].isna() | (frame["date"] <= limit)]
    latest = frame.groupby("org", sort=True)["date"].max()
    return {org: None if pd.isna(ts) else ts.date() for org, ts in latest.items()}


def isolation_cutoff(reference: dt.date | None, inactive_years: int = 2) -> dt.date | None:
    """The first day that still counts as recent: 1 April of FY(reference) − years + 1.

    Parameters
    ----------
    reference : datetime.date or None
        The reference day (``None``: no cutoff).
    inactive_years : int
        Fiscal years of activity that count as recent (at least 1).

    Returns
    -------
    datetime.date or None

    Examples
    --------
    >>> isolation_cutoff(dt.date(2019, 12, 31), 2)
    datetime.date(2018, 4, 1)
    """
    if reference is None:
        return None
    return dt.date(fiscal_year(reference) - inactive_years + 1, 4, 1)


def isolated(G: nx.Graph, partition: Any = None, *, measures: pd.DataFrame | None = None,
             activity: Mapping[Any, dt.date] | None = None, as_of=None,
             inactive_years: int = 2, small_component: int = 3) -> pd.DataFrame:
    """Organisations with no tie, a single partner, a peripheral place or no recent activity.

    Each listed organisation has one *kind* (column ``isolation``, the first of
    :data:`ISOLATION_KINDS` that applies, so the kinds are counted apart and their counts add
    up to the rows) and every *reason* code that applies (module notes).

    Parameters
    ----------
    G : nx.Graph
        Tie graph with node attributes ``name, kind, ward``; not modified.
    partition : Partition, dict or iterable of sets, optional
        Communities, for the ``role`` column (computed when ``measures`` lack it).
    measures : pandas.DataFrame, optional
        Precomputed :func:`~graph.measures.organisation_measures`.
    activity : mapping, optional
        Organisation → date of latest activity, ``None`` when only undated activity is known
        (:func:`last_activity`); without it neither the ``inactive`` kind nor reason is used.
        Organisations absent from it have no recorded activity.
    as_of : date-like, optional
        Reference date for ``inactive``; default the latest date in ``activity``.
    inactive_years : int, keyword-only
        ``inactive`` when the latest activity is before :func:`isolation_cutoff` (1 April of
        fiscal year FY(as_of) − inactive_years + 1), or there is none.
    small_component : int, keyword-only
        Largest component size that counts as ``small_component``.

    Returns
    -------
    pandas.DataFrame
        Indexed by organisation id (only organisations of a kind): ``name, kind, ward,
        degree, component_size, role, last_activity, isolation`` (the kind), ``since`` (the
        cutoff date of ``inactive``, else ``None``), ``reason`` (first reason code),
        ``reasons`` (``;``-joined), ``why_en``, ``why_ja``. Ordered by kind (in the order of
        :data:`ISOLATION_KINDS`), then fewer ties.

    Raises
    ------
    GraphError
        For a bad ``as_of`` or ``inactive_years < 1``.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "g"), ("a", "h")])
    >>> G.add_node("f")
    >>> out = isolated(G)
    >>> out["isolation"].to_dict()
    {'f': 'no_ties', 'd': 'single_partner', 'g': 'single_partner', 'h': 'single_partner', 'e': 'peripheral'}
    >>> out.loc["e", "why_ja"]
    '3団体だけの小さなまとまりで、他とつながっていない'
    """
    if inactive_years < 1:
        raise GraphError(f"inactive_years must be at least 1, got {inactive_years}")
    if measures is None or ("role" not in measures.columns and partition is not None):
        measures = organisation_measures(G, partition)
    nodes = list(G)
    n = len(nodes)
    u, v = edge_positions(G, nodes)
    label = component_labels(G, nodes)  # a tie core's: counted once, shared with the summary
    sizes = np.bincount(label) if n else np.zeros(0, dtype=np.int64)
    comp_size = sizes[label]
    giant = label == int(np.argmax(sizes)) if n else np.zeros(0, dtype=bool)
    kinds = np.array(node_values(G, nodes, "kind"), dtype=object)
    public = kinds == "public_agency"
    degree = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    public_partners = (np.bincount(u, weights=public[v], minlength=n)
                       + np.bincount(v, weights=public[u], minlength=n))
    roles = (measures["role"].reindex(nodes).to_numpy() if "role" in measures.columns
             else np.full(n, None, dtype=object))
    reference = None
    if activity is not None:
        if as_of is not None:
            try:
                reference = pd.Timestamp(as_of).date()
            except (TypeError, ValueError) as exc:
                raise GraphError(f"as_of: cannot read {as_of!r} as a date") from exc
        elif activity:
            dated = [d for d in activity.values() if d is not None]
            reference = max(dated) if dated else None
    cutoff = isolation_cutoff(reference, inactive_years)
    no_ties = degree == 0
    single = degree == 1
    small = ~no_ties & (comp_size <= small_component) & ~giant
    public_only = ~no_ties & ~public & (public_partners == degree)
    last = [activity.get(v) for v in nodes] if activity is not None else [None] * n
    # undated activity (v in activity, date None) counts as active at an unknown time
    inactive = np.array([cutoff is not None and ((d is None and v not in activity)
                                                 or (d is not None and d < cutoff))
                         for v, d in zip(nodes, last)], dtype=bool)
    kind_of = np.select([no_ties, single, small | public_only, inactive],
                        list(ISOLATION_KINDS), default="")
    listed = np.flatnonzero(kind_of != "").tolist()
    names = node_values(G, nodes, "name", _NO_NAME)
    wards = node_values(G, nodes, "ward")
    partner = np.zeros(n, dtype=np.int64)  # the one partner of a single-partner organisation
    partner[u] = v
    partner[v] = u
    since = cutoff.isoformat() if cutoff is not None else ""

    def name_of(i: int) -> str:
        return str(nodes[i]) if names[i] is _NO_NAME else str(names[i])

    said = []
    for i in listed:
        codes, en, ja = [], [], []
        if no_ties[i]:
            codes.append("no_ties")
            en.append("no ties at all")
            ja.append("つながりがない")
        if single[i]:
            name = name_of(int(partner[i]))
            codes.append("single_partner")
            en.append(f"only one partner ({name})")
            ja.append(f"つながりは{name}の1団体だけ")
        if small[i]:
            codes.append("small_component")
            en.append(f"in a group of {comp_size[i]} organisations cut off from the rest")
            ja.append(f"{comp_size[i]}団体だけの小さなまとまりで、他とつながっていない")
        if public_only[i] and not single[i]:
            partners = "、".join(str(G.nodes[u].get("name", u)) for u in list(G[nodes[i]])[:3])
            codes.append("public_only")
            en.append(f"ties only to public agencies ({partners})")
            ja.append(f"公的機関（{partners}）とだけつながっている")
        if inactive[i]:
            codes.append("inactive")
            day = last[i]
            if day is None:
                en.append(f"no recorded activity (none since {since})")
                ja.append(f"活動の記録がない（{since}以降なし）")
            else:
                en.append(f"no activity since {since} "
                          f"(last FY{fiscal_year(day)}, {day.isoformat()})")
                ja.append(f"{since}以降の活動記録がない"
                          f"（最終 {fiscal_year(day)}年度、{day.isoformat()}）")
        said.append((codes[0], ";".join(codes), "; ".join(en), "。".join(ja)))
    kind_listed = kind_of[listed].astype(str) if listed else np.zeros(0, dtype=str)
    frame = pd.DataFrame({
        "id": [nodes[i] for i in listed],
        "name": [str(nodes[i]) if names[i] is _NO_NAME else names[i] for i in listed],
        "kind": [kinds[i] for i in listed], "ward": [wards[i] for i in listed],
        "degree": degree[listed].astype(int), "component_size": comp_size[listed].astype(int),
        "role": [roles[i] for i in listed], "last_activity": [last[i] for i in listed],
        "isolation": kind_listed.tolist(),
        "since": [cutoff if k == "inactive" else None for k in kind_listed.tolist()],
        "reason": [x[0] for x in said], "reasons": [x[1] for x in said],
        "why_en": [x[2] for x in said], "why_ja": [x[3] for x in said],
    }, columns=_COLUMNS)
    frame["_order"] = frame["isolation"].map({k: i for i, k in enumerate(ISOLATION_KINDS)})
    frame = frame.sort_values(["_order", "degree"], kind="stable")
    return frame.drop(columns=["_order"]).set_index("id")
