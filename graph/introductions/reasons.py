"""Reasons for an introduction, each citing the records behind it, in Japanese and English.

:func:`pair_reasons` turns the parts of a pair's score into :class:`Reason` s (shared partners,
events, fields, wards, resources, talents); for a ``bridge`` pair
``graph.findings.reasons.bridge_reasons`` adds what the two sides share or complement.

Examples
--------
>>> from graph.introductions.signals import build_signals, example_graph
>>> [r.code for r in pair_reasons(build_signals(example_graph()), "A", "D",
...                               {"common_neighbours": 1.1, "same_ward": 0.5})]
['common_partners', 'same_ward']
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from graph.introductions.pair_kernels import common_first, sorted_arrays
from graph.introductions.partners import (
    order_ranks,
    partner_positions,
    prefetch_tie_records,
    records_of_ties,
    tie_evidence,
)
from graph.introductions.signals import GROUP_KINDS, STRUCTURAL_FEATURES, Signals, ward_adjacency
from ingest.normalise import ward_in_english
from ingest.schemas import NPO_FIELDS
from ingest.vocabulary import NPO_FIELDS_EN, field_name_en

__all__ = ["FIELDS_EN", "EVENT_KIND_LABELS", "Reason", "cited_ties", "hub_partners", "pair_reasons",
           "prefetch_cited_records", "remember_shared_partners", "shared_partners"]

FIELDS_EN = {f: field_name_en(f, lower=True) for f in NPO_FIELDS_EN}  # in sentences


#: Event kind → (Japanese, English) words used in reasons (other kinds are shown as written).
EVENT_KIND_LABELS: Mapping[str, tuple[str, str]] = {
    "local_festival": ("地域のまつり", "local festivals"), "festival": ("まつり", "festivals"),
    "meetup": ("交流会", "meetups"), "meetup_series": ("交流会（シリーズ）", "meetup series"),
    "cleanup": ("清掃活動", "clean-ups"), "forum": ("フォーラム", "forums"),
    "exchange_live": ("交流ライブ", "exchange live events"), "training": ("研修", "training"),
    "lecture": ("講座", "lectures"), "web_board": ("ウェブ掲示板", "web boards"),
    "broadcast_series": ("放送シリーズ", "broadcast series"),
}


class Reason(NamedTuple):
    """One reason for a suggestion: what the records show, in Japanese and English.

    ``evidence`` lists the records behind it as ``"table:id"`` strings; ``contribution`` is
    the part of the score the reason explains.
    """

    code: str
    ja: str
    en: str
    evidence: tuple[str, ...]
    contribution: float


def _id_ranks(sig: Signals) -> np.ndarray:
    """Per position, its rank by id (the partners a ``hub`` reason cites), built once."""
    if "id_ranks" not in sig.memo:
        ranks = np.empty(len(sig.nodes), dtype=np.int64)
        ranks[np.argsort(np.array(sig.nodes, dtype=object), kind="stable")] = np.arange(len(sig.nodes))
        sig.memo["id_ranks"] = ranks
    return sig.memo["id_ranks"]


def _first_three(sig: Signals, positions: np.ndarray, rank: np.ndarray) -> list[str]:
    keys = rank[positions]
    if len(positions) > 3:
        keep = np.argpartition(keys, 2)[:3]
        positions, keys = positions[keep], keys[keep]
    return [sig.nodes[j] for j in positions[np.argsort(keys)].tolist()]


def shared_partners(sig: Signals, u: str, v: str) -> tuple[int, list[str]]:
    """How many partners ``u`` and ``v`` have in common, and the three a reason names (the
    least connected first: they say most about the pair).

    >>> from graph.introductions.signals import build_signals, example_graph
    >>> shared_partners(build_signals(example_graph()), "A", "D")
    (2, ['B', 'C'])
    """
    remembered = sig.memo.get(("shared", threading.get_ident()))
    if remembered is not None:
        where, counts, first = remembered
        k = where.get(sig.index[u] * len(sig.nodes) + sig.index[v])
        if k is not None:
            nodes = sig.nodes
            return counts[k], [nodes[j] for j in first[k] if j >= 0]
    theirs = partner_positions(sig, v)
    common = theirs[_marked_partners(sig, u)[theirs]]
    return len(common), _first_three(sig, common, order_ranks(sig))


def remember_shared_partners(sig: Signals, us: np.ndarray, vs: np.ndarray) -> np.ndarray:
    """What :func:`shared_partners` gives for each pair of positions ``(us[i], vs[i])``,
    found for all of them at once (one compiled merge of each pair's sorted partner rows,
    ``graph.introductions.pair_kernels.common_first``) and remembered until the next call of
    the same thread (a dashboard shares ``sig``): the suggestions of a whole block read it
    instead of intersecting their partners pair by pair.

    Returns the positions of the partners each pair's reason names (``len(us) × 3``, ``-1``
    pads), for :func:`prefetch_cited_records`.

    >>> from graph.introductions.signals import build_signals, example_graph
    >>> sig = build_signals(example_graph())
    >>> remember_shared_partners(sig, np.array([0]), np.array([3])).tolist()
    [[1, 2, -1]]
    >>> shared_partners(sig, "A", "D")
    (2, ['B', 'C'])
    """
    us, vs = np.asarray(us, dtype=np.int64), np.asarray(vs, dtype=np.int64)
    if "adjacency_arrays" not in sig.memo:
        sig.memo["adjacency_arrays"] = sorted_arrays(sig.adjacency)[:2]
    counts, first = common_first(*sig.memo["adjacency_arrays"], us, vs, order_ranks(sig))
    codes = (us * len(sig.nodes) + vs).tolist()  # pair → its row; names made when asked
    sig.memo[("shared", threading.get_ident())] = (
        dict(zip(codes, range(len(codes)))), counts.tolist(), first.tolist())
    return first


def prefetch_cited_records(sig: Signals, us: np.ndarray, vs: np.ndarray, named: np.ndarray,
                           goal: str = "strengthen") -> None:
    """Fetch, in one query, the records the reasons of the pairs ``(us[i], vs[i])`` may cite
    (:func:`cited_ties` of every pair, found as arrays): the ties of both sides to their
    ``named`` shared partners (from :func:`remember_shared_partners`), the ties of each
    partner not yet cited as a hub, and for ``bridge`` ``graph.findings.bridge_cited_ties``.

    >>> from graph.introductions.signals import build_signals, example_graph
    >>> sig = build_signals(example_graph())
    >>> us, vs = np.array([0]), np.array([3])
    >>> prefetch_cited_records(sig, us, vs, remember_shared_partners(sig, us, vs))
    >>> len(sig.memo["first_records"])  # A–B, A–C, D–B, D–C (D's hub ties among them)
    4
    """
    us, vs = np.asarray(us, dtype=np.int64), np.asarray(vs, dtype=np.int64)
    named = np.asarray(named, dtype=np.int64).reshape(len(us), 3)
    cited = named >= 0
    a = [np.repeat(side[:, None], 3, axis=1)[cited] for side in (us, vs)]
    b = [named[cited]] * 2
    index, nodes = sig.index, sig.nodes
    for v in np.unique(vs).tolist():
        if ("hub", nodes[v]) not in sig.memo:
            partners = [index[w] for w in hub_partners(sig, nodes[v])]
            a.append(np.full(len(partners), v, dtype=np.int64))
            b.append(np.array(partners, dtype=np.int64))
    if goal == "bridge":
        from graph.findings import bridge_cited_ties

        pairs = [(index[x], index[w]) for u, v in zip(us.tolist(), vs.tolist())
                 for x, w in bridge_cited_ties(sig, nodes[u], nodes[v])]
        if pairs:
            a.append(np.array([x for x, _ in pairs], dtype=np.int64))
            b.append(np.array([w for _, w in pairs], dtype=np.int64))
    prefetch_tie_records(sig, np.concatenate(a), np.concatenate(b))


def _marked_partners(sig: Signals, u: str) -> np.ndarray:
    """A boolean array true at ``u``'s partners. The reasons of one organisation are built
    one after the other, so one array (per thread: a dashboard shares ``sig``) is kept and
    re-marked when the organisation changes."""
    key = ("marks", threading.get_ident())
    owner, marks = sig.memo.get(key, (None, None))
    if owner != u:
        if marks is None:
            marks = np.zeros(len(sig.nodes), dtype=bool)
        else:
            marks[partner_positions(sig, owner)] = False
        marks[partner_positions(sig, u)] = True
        sig.memo[key] = (u, marks)
    return marks


def hub_partners(sig: Signals, x: str) -> list[str]:
    """The three partners whose ties a ``hub`` reason for ``x`` cites (the smallest ids).

    >>> from graph.introductions.signals import build_signals, example_graph
    >>> hub_partners(build_signals(example_graph()), "B")
    ['A', 'C', 'D']
    """
    key = ("hub_partners", x)
    if key not in sig.memo:
        sig.memo[key] = _first_three(sig, partner_positions(sig, x), _id_ranks(sig))
    return sig.memo[key]


def cited_ties(sig: Signals, u: str, v: str, goal: str = "strengthen") -> list[tuple[str, str]]:
    """The ties whose records the reasons of the pair ``(u, v)`` may cite (shared partners,
    the partner as a hub; for ``bridge`` also ``graph.findings.bridge_cited_ties``), to fetch
    them with many other pairs' in one query
    (``graph.introductions.partners.prefetch_tie_evidence``).

    >>> from graph.introductions.signals import build_signals, example_graph
    >>> cited_ties(build_signals(example_graph()), "A", "D")
    [('A', 'B'), ('D', 'B'), ('A', 'C'), ('D', 'C'), ('D', 'B'), ('D', 'C')]
    """
    common = shared_partners(sig, u, v)[1]
    hub = [] if ("hub", v) in sig.memo else [(v, w) for w in hub_partners(sig, v)]
    out = [(x, w) for w in common for x in (u, v)] + hub
    if goal == "bridge":
        from graph.findings import bridge_cited_ties

        out += bridge_cited_ties(sig, u, v)
    return out


def pair_reasons(sig: Signals, u: str, v: str, parts: Mapping[str, float],
             goal: str = "strengthen") -> tuple[Reason, ...]:
    """Reasons, each citing records, to introduce ``v`` (the partner) to ``u`` (who asks).

    For ``bridge``, ``graph.findings.reasons.bridge_reasons`` adds what the two sides share or
    complement and never lets popularity (``hub``) stand alone."""
    G = sig.graph
    out: list[Reason] = []
    org_names, index, degree = sig.names, sig.index, sig.degree

    def _name(_, w):
        return org_names[w]
    du, dv = G.nodes[u], G.nodes[v]
    orgs = (f"organizations:{u}", f"organizations:{v}")

    common_neighbours, adamic_adar, resource_allocation = STRUCTURAL_FEATURES[:3]
    structural = (parts.get(common_neighbours, 0.0) + parts.get(adamic_adar, 0.0)
                  + parts.get(resource_allocation, 0.0))
    if structural > 0:
        n_shared, common = shared_partners(sig, u, v)
        evidence = records_of_ties(sig, (index[u], index[v]), common[:3])
        if evidence:
            names = "、".join([org_names[w] for w in common[:3]])
            more = f"（他{n_shared - 3}団体）" if n_shared > 3 else ""
            more_en = f" and {n_shared - 3} more" if n_shared > 3 else ""
            out.append(Reason("common_partners", f"共通の連携先が{n_shared}団体: {names}{more}",
                              f"{n_shared} partners in common: {names.replace('、', ', ')}{more_en}",
                              evidence, structural))
    if parts.get("preferential_attachment", 0.0) > 0 and degree[index[v]]:
        hub = v  # the reason is about the partner being introduced, never the one asking
        d = int(degree[index[hub]])
        evidence = _memo(sig, "hub", hub, lambda x: tuple(dict.fromkeys(
            e for w in hub_partners(sig, x) for e in tie_evidence(sig, x, w))))
        if evidence:
            out.append(Reason("hub", f"{_name(G, hub)}は{d}団体とつながる地域のハブ",
                              f"{_name(G, hub)} is a hub tied to {d} organisation{'s' if d != 1 else ''}",
                              evidence, parts["preferential_attachment"]))
    if parts.get("shared_events", 0.0) > 0:
        shared = sorted(sig.org_events.get(u, frozenset()) & sig.org_events.get(v, frozenset()))
        by_series: dict[str, list[str]] = {}
        for e in shared:
            by_series.setdefault(sig.events[e][1], []).append(e)
        ranked = sorted(by_series.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:2]
        for series, ids in ranked:
            out.append(Reason("met_at", f"{series}で{len(ids)}回同席",
                              f"Met {len(ids)} time{'s' if len(ids) > 1 else ''} at {series}",
                              tuple(f"events:{e}" for e in ids[:5]),
                              parts["shared_events"] * len(ids) / len(shared)))
    if parts.get("event_series", 0.0) > 0:
        def by_series(x):  # series → the organisation's events in it, sorted
            events: dict[str, list[str]] = {}
            for e in sorted(sig.org_events.get(x, ())):
                events.setdefault(sig.events[e][1], []).append(e)
            return events

        su, sv = _memo(sig, "series", u, by_series), _memo(sig, "series", v, by_series)
        common = sorted(su.keys() & sv.keys())[:2]
        for series in common:
            a, b = su[series], sv[series]
            out.append(Reason("same_series", f"両団体とも{series}に参加（{len(a)}回・{len(b)}回）",
                              f"Both take part in {series} ({len(a)} and {len(b)} times)",
                              tuple(dict.fromkeys(f"events:{e}" for e in a[:2] + b[:2])),
                              parts["event_series"] / len(common)))
    if parts.get("event_activity", 0.0) > 0 and sig.recent_since is not None:
        ru, rv = (_memo(sig, "recent", x, lambda x: [
            e for e in sorted(sig.org_events.get(x, ()))
            if sig.events[e][2] is not None and sig.events[e][2] > sig.recent_since]) for x in (u, v))
        if ru and rv:
            out.append(Reason("active", f"両団体とも直近1年に交流の場へ参加（{len(ru)}回・{len(rv)}回）",
                              f"Both took part in events in the last year ({len(ru)} and {len(rv)})",
                              tuple(f"events:{e}" for e in ru[-2:] + rv[-2:]),
                              parts["event_activity"]))
    if parts.get("event_kinds", 0.0) > 0:
        def by_kind(x):
            store: dict[str, list[str]] = {}
            for e in sorted(sig.org_events.get(x, ())):
                store.setdefault(sig.events[e][3], []).append(e)
            return store

        ku, kv = _memo(sig, "kinds", u, by_kind), _memo(sig, "kinds", v, by_kind)
        common = sorted(set(ku) & set(kv), key=lambda k: (-len(ku[k]) - len(kv[k]), k))[:2]
        if common:
            words = [EVENT_KIND_LABELS.get(k, (k, k)) if k else ("（種別なし）", "(no kind)")
                     for k in common]
            label = "、".join(ja for ja, _ in words)
            out.append(Reason("event_kinds", f"同じ種類の交流の場に参加: {label}",
                              "Take part in the same kinds of events: "
                              + ", ".join(en for _, en in words),
                              tuple(f"events:{e}" for k in common for e in ku[k][-1:] + kv[k][-1:]),
                              parts["event_kinds"]))
    if parts.get("shared_fields", 0.0) > 0:
        fields = sorted(set(du.get("fields") or ()) & set(dv.get("fields") or ()))
        if fields:
            out.append(Reason("same_field",
                              "同じ活動分野: " + "、".join(NPO_FIELDS[f] for f in fields),
                              "Same field of activity: " + ", ".join(
                                  f"{NPO_FIELDS[f]} ({FIELDS_EN[f]})" for f in fields),
                              orgs, parts["shared_fields"]))
    if parts.get("same_ward", 0.0) > 0 and du.get("ward") == dv.get("ward"):
        w = du["ward"]
        out.append(Reason("same_ward", f"同じ区: {w}", f"Same ward: {w} ({ward_in_english(w)})",
                          orgs, parts["same_ward"]))
    if parts.get("neighbouring_ward", 0.0) > 0:
        a, b = du.get("ward"), dv.get("ward")
        out.append(Reason("neighbouring_ward", f"隣接する区: {a}と{b}",
                          f"Neighbouring wards: {a} ({ward_in_english(a)}) and {b} "
                          f"({ward_in_english(b)})", orgs, parts["neighbouring_ward"]))
    if parts.get("complementary", 0.0) > 0:
        terr, them = (u, v) if sig.orientation[sig.index[u]] > 0 else (v, u)
        out.append(Reason("complementary",
                          f"地縁型（{_name(G, terr)}）とテーマ型（{_name(G, them)}）が補い合う",
                          f"Territorial ({_name(G, terr)}) and thematic ({_name(G, them)}) "
                          "groups complement each other", orgs, parts["complementary"]))
    if parts.get("resource_match", 0.0) > 0:
        found = []
        for provider, receiver in ((u, v), (v, u)):
            rdata = G.nodes[receiver]
            fields = set(rdata.get("fields") or ())
            pw, rw = G.nodes[provider].get("ward"), rdata.get("ward")
            nearby = pw and rw and (pw == rw or frozenset((pw, rw)) in ward_adjacency())
            offers = _offers(sig).get(provider, ())
            for rid, (_provider, title, space, topics) in offers:
                if (topics & fields) or (space and nearby and rdata.get("kind") in GROUP_KINDS):
                    found.append((rid, provider, title))
        for rid, provider, title in found[:2]:
            out.append(Reason("resource", f"{_name(G, provider)}が{title}を提供",
                              f"{_name(G, provider)} offers {title}", (f"resources:{rid}",),
                              parts["resource_match"] / min(len(found), 2)))
    if parts.get("shared_talent", 0.0) > 0:
        tu, tv = sig.org_talents.get(u, {}), sig.org_talents.get(v, {})
        for talent in sorted(set(tu) & set(tv))[:2]:
            out.append(Reason("shared_talent", f"同じ地域公共人材（{talent}）が両団体に派遣",
                              f"The same public talent ({talent}) was dispatched to both",
                              tuple(f"dispatches:{d}" for d in tu[talent][:2] + tv[talent][:2]),
                              parts["shared_talent"]))
    out.sort(key=lambda r: -r.contribution)
    if goal == "bridge":
        from graph.findings import bridge_reasons

        return bridge_reasons(sig, u, v, out)
    return tuple(out)


def _offers(sig: Signals) -> dict[str, list]:
    """Provider → its resource offers ``(id, record)``, sorted, indexed once per ``sig``."""
    if "offers" not in sig.memo:
        offers: dict[str, list] = {}
        for rid, record in sorted(sig.resources.items()):
            offers.setdefault(record[0], []).append((rid, record))
        sig.memo["offers"] = offers
    return sig.memo["offers"]


def _memo(sig: Signals, kind: str, org: str, compute):
    key = (kind, org)
    if key not in sig.memo:
        sig.memo[key] = compute(org)
    return sig.memo[key]

