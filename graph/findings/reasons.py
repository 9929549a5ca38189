"""Reasons worth saying for a bridge introduction: what the two sides share or complement.

A bridge joins organisations of different communities, so they rarely have partners in
common; ranking still favours well-connected partners (preferential attachment), but "X is a
hub tied to 1,274 organisations" says nothing about why *these two* should meet.
:func:`bridge_reasons` completes the reasons of ``graph.introductions`` for a bridge pair with
what the records show the two sides share or complement, and drops the pair when popularity is
all there is:

``partners_in_field``  one side's partners work in a field the other side works in
                       (尼崎信用金庫's partners in 子どもの健全育成 ↔ a children's NPO)
``partners_in_ward``   one side already works with organisations in the other's ward
``common_partners``, ``same_field``, ``same_ward``, ``neighbouring_ward``, ``complementary``,
``resource`` (a need one side's offer meets), ``shared_talent``, ``met_at`` …
                       the reasons ``graph.introductions`` already gives

The ``hub`` reason (popularity) is kept only after another reason, never alone. Each reason
cites the records behind it (the ties' evidence, the organisation records).

Examples
--------
>>> from graph.introductions import build_signals, example_graph
>>> G = example_graph()
>>> G.nodes["B"]["fields"] = (13,)
>>> sig = build_signals(G)
>>> [r.ja for r in bridge_reasons(sig, "E", "D", [])]
['姫島地域活動協議会の連携先（御幣島町会）が此花こども広場と同じ分野（子どもの健全育成）で活動']
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from graph.introductions import (
    Reason,
    Signals,
    order_ranks,
    partner_positions,
    prefetch_tie_evidence,
    tie_evidence,
)
from ingest.normalise import ward_in_english
from ingest.schemas import NPO_FIELDS
from ingest.vocabulary import field_name_en

__all__ = ["POPULARITY_CODES", "bridge_cited_ties", "bridge_reasons"]

#: Reason codes that only say a partner is well connected.
POPULARITY_CODES = frozenset({"hub"})
_SHOWN = 2  # partners named in a reason


def _memo(sig: Signals, kind: str, org: str, compute):
    key = ("bridge", kind, org)
    if key not in sig.memo:
        sig.memo[key] = compute(org)
    return sig.memo[key]


def _node_columns(sig: Signals) -> tuple[list, list]:
    """Once per ``sig``: each position's fields and ward."""
    if ("bridge", "columns") not in sig.memo:
        G = sig.graph
        sig.memo[("bridge", "columns")] = ([tuple(G.nodes[u].get("fields") or ()) for u in sig.nodes],
                                           [G.nodes[u].get("ward") for u in sig.nodes])
    return sig.memo[("bridge", "columns")]


def _partners_by(sig: Signals, org: str, attribute: str) -> dict:
    """Field (or ward) → the organisation's partners with it, best connected first."""
    fields, wards = _node_columns(sig)
    partners = partner_positions(sig, org)
    found: dict = {}
    for j in partners[np.argsort(order_ranks(sig)[partners], kind="stable")].tolist():
        for value in (fields[j] if attribute == "fields" else (wards[j],)):
            if value:
                found.setdefault(value, []).append(sig.nodes[j])
    return found


def _tie_evidence(sig: Signals, a: str, partners: Iterable[str]) -> tuple[str, ...]:
    partners = list(partners)
    prefetch_tie_evidence(sig, [(a, w) for w in partners])
    return tuple(dict.fromkeys(e for w in partners for e in tie_evidence(sig, a, w)))


def _field_partners(sig: Signals, side: str, other: str):
    """``(field, partners named, how many)``: ``side``'s partners in the field of ``other``
    that most of them work in, or ``None``."""
    fields = set(sig.graph.nodes[other].get("fields") or ())
    if not fields:
        return None
    by_field = _memo(sig, "fields", side, lambda x: _partners_by(sig, x, "fields"))
    shared = sorted((f for f in fields if f in by_field), key=lambda f: (-len(by_field[f]), f))
    if not shared:
        return None
    f = shared[0]
    return f, by_field[f][:_SHOWN], len(by_field[f])


def _ward_partners(sig: Signals, side: str, other: str):
    """``(ward, partners named, how many)``: ``side``'s partners in the ward of ``other``
    (when it is another ward), or ``None``."""
    G = sig.graph
    ward = G.nodes[other].get("ward")
    if not ward or ward == G.nodes[side].get("ward"):
        return None
    by_ward = _memo(sig, "wards", side, lambda x: _partners_by(sig, x, "ward"))
    there = by_ward.get(ward, [])
    return (ward, there[:_SHOWN], len(there)) if there else None


def bridge_cited_ties(sig: Signals, u: str, v: str) -> list[tuple[str, str]]:
    """The ties whose records :func:`bridge_reasons` may cite for the pair ``(u, v)``.

    >>> from graph.introductions import build_signals, example_graph
    >>> G = example_graph()
    >>> G.nodes["B"]["fields"] = (13,)  # D's partner B works in field 13, like E
    >>> bridge_cited_ties(build_signals(G), "E", "D")
    [('D', 'B')]
    """
    out = []
    for side, other in ((u, v), (v, u)):
        for found in (_field_partners(sig, side, other), _ward_partners(sig, side, other)):
            if found is not None:
                out += [(side, w) for w in found[1]]
    return out


def _field_reasons(sig: Signals, u: str, v: str) -> list[Reason]:
    for side, other in ((u, v), (v, u)):
        found = _field_partners(sig, side, other)
        if found is None:
            continue
        f, partners, total = found
        evidence = _tie_evidence(sig, side, partners) + (f"organizations:{other}",)
        names = "、".join(sig.names[w] for w in partners)
        more = total - len(partners)
        ja_more = f"ほか{more}団体" if more > 0 else ""
        en_more = f" and {more} more" if more > 0 else ""
        return [Reason(
            "partners_in_field",
            f"{sig.names[side]}の連携先（{names}{'、' + ja_more if ja_more else ''}）が"
            f"{sig.names[other]}と同じ分野（{NPO_FIELDS[f]}）で活動",
            f"{sig.names[side]}'s partners ({names.replace('、', ', ')}{en_more}) work in "
            f"{field_name_en(f, lower=True)}, the field of {sig.names[other]}",
            evidence, 0.0)]
    return []


def _ward_reasons(sig: Signals, u: str, v: str) -> list[Reason]:
    for side, other in ((u, v), (v, u)):
        found = _ward_partners(sig, side, other)
        if found is None:
            continue
        ward, partners, n = found
        names = "、".join(sig.names[w] for w in partners)
        return [Reason(
            "partners_in_ward",
            f"{sig.names[side]}は{sig.names[other]}のある{ward}で{n}団体と連携（{names}）",
            f"{sig.names[side]} already works with {n} organisation{'s' if n != 1 else ''} in "
            f"{ward_in_english(ward)}, the ward of {sig.names[other]} "
            f"({names.replace('、', ', ')})",
            _tie_evidence(sig, side, partners) + (f"organizations:{other}",), 0.0)]
    return []


def bridge_reasons(sig: Signals, u: str, v: str, found: Iterable[Reason]) -> tuple[Reason, ...]:
    """The reasons for introducing ``v`` to ``u`` across communities.

    Parameters
    ----------
    sig : graph.introductions.Signals
        Signals of the tie graph.
    u, v : str
        Who asks, and the partner introduced.
    found : iterable of Reason
        The reasons ``graph.introductions`` found from the score's parts (strongest first).

    Returns
    -------
    tuple of Reason
        ``found`` without the popularity reasons, then what the two sides share or
        complement (``partners_in_field``, ``partners_in_ward``, each citing records, when not
        already said), then the popularity reasons last; empty when nothing but popularity
        is left, so the pair is not proposed.

    Examples
    --------
    >>> from graph.introductions import Reason, build_signals, example_graph
    >>> sig = build_signals(example_graph())
    >>> hub = Reason("hub", "Dは3団体とつながる地域のハブ", "D is a hub", ("collaborations:C3",), 0.2)
    >>> bridge_reasons(sig, "E", "D", [hub])
    ()
    """
    found = list(found)
    popular = [r for r in found if r.code in POPULARITY_CODES]
    said = [r for r in found if r.code not in POPULARITY_CODES]
    codes = {r.code for r in said}
    if not codes & {"same_field", "common_partners"}:
        said += _field_reasons(sig, u, v)
    if not codes & {"same_ward"}:
        said += _ward_reasons(sig, u, v)
    if not said:
        return ()
    return tuple(said + popular)
