"""Candidates of introductions: for each organisation, the partners worth scoring exactly.

Scoring every organisation against every other costs n² pairs (1.2 × 10¹⁰ at 1/10 of Japan).
:func:`ranked_heads` finds the same best partners from far fewer, exactly:

* **strengthen, an organisation with ties**: only its own community is in scope, so the
  organisations of one community are scored, a block at a time, against that community's
  members only (``score_block(…, cols=members)``: the same bits as against everyone).
* **bridge, an organisation with ties**: its scope is everyone outside its groups, and its
  best partners depend on its own degree, activity and partners: it is scored against
  everyone, a block at a time (as before; one organisation at a time this is fast);
* **an organisation without ties** (either goal) — a *wide* row, whose scope is nearly
  everyone, but whose signals are few: a pair's score is the sum of
  *support* signals, non-zero only for a few pairs (shared partners, events, series, ward,
  resources, talents: sparse products), and *attribute* signals, functions of the two
  organisations' own vectors (degree, orientation, activity, event kinds, fields). Outside
  its support a row's score is the attribute part alone, which depends on the row only
  through its *signature* (orientation, activity, event kinds, fields): it is computed once
  per signature for everyone, and the row's candidates are its support plus the
  organisations whose attribute part reaches the ``take``-th best one in scope (minus a
  margin far above rounding and the tie-breaking jitter). The best ``take`` partners are
  among them, so scoring the candidates exactly gives the exact head. A row where that list
  is not enough (very many equal attribute parts) is scored against everyone.

The head holds ``take`` partners; ``exhaustive`` says whether ``cols`` is the row's whole
scope (else ``graph.introductions.ranking`` widens the row with :func:`full_candidates` when
it needs partners past the head, because some lack a reason).

Examples
--------
>>> from graph.introductions.signals import build_signals, example_graph
>>> from graph.introductions.scoring import check_weights
>>> sig = build_signals(example_graph())
>>> codes = [np.array([0, 0, 0, 0, 1])]  # A–D one community, E alone
>>> [(row, sig.nodes[cols[order[0]]]) for row, cols, order, _, _ in
...  ranked_heads(sig, np.arange(5), check_weights(None), "strengthen", codes, take=1)]
[(0, 'D'), (3, 'A'), (4, 'A')]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

from graph.introductions.scoring import column_operands, pair_jitter, score_block
from graph.introductions.signals import Signals

__all__ = ["ATTRIBUTE_FEATURES", "allowed_mask", "full_candidates", "ranked_heads"]

#: Signals that are functions of the two organisations' own vectors (dense for every pair).
ATTRIBUTE_FEATURES: tuple[str, ...] = ("preferential_attachment", "complementary",
                                       "event_activity", "event_kinds", "shared_fields")
# relative to the largest attribute part: ≫ the rounding of a sum of 14 terms (and the 1e-9
# jitter) for weights up to ≈ 1e9; a larger margin only adds candidates
_MARGIN = 1e-6
_MIN_LIST = 512
#: Members of small communities scored together under ``strengthen`` (see _community_blocks).
_PACKED_MEMBERS = 1024


def allowed_mask(sig: Signals, rows: np.ndarray, cols: np.ndarray, goal: str,
                 codes: list[np.ndarray], scores: np.ndarray) -> np.ndarray:
    """True where ``cols[j]`` may be suggested to ``rows[i]``: in the goal's scope, not tied,
    not itself, and with a positive score.

    >>> from graph.introductions.signals import build_signals, example_graph
    >>> sig = build_signals(example_graph())
    >>> allowed_mask(sig, np.array([0]), np.arange(5), "strengthen", [np.zeros(5, int)],
    ...              np.ones((1, 5))).astype(int).tolist()
    [[0, 0, 0, 1, 1]]
    """
    if goal == "strengthen":
        comm = codes[0]
        allowed = comm[rows][:, None] == comm[cols][None, :]
        allowed |= (sig.degree[rows] == 0)[:, None]  # no ties, no community: anyone
    else:
        allowed = np.ones((len(rows), len(cols)), dtype=bool)
        for values in codes:
            allowed &= values[rows][:, None] != values[cols][None, :]
    allowed &= ~_tied(sig, rows, cols)
    allowed &= rows[:, None] != cols[None, :]
    allowed &= scores > 1e-12
    return allowed


def _tied(sig: Signals, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``len(rows) × len(cols)`` booleans: is ``rows[i]`` tied to ``cols[j]``."""
    where = np.full(len(sig.nodes), -1)
    where[cols] = np.arange(len(cols))
    ties = sig.adjacency[rows]
    r = np.repeat(np.arange(len(rows)), np.diff(ties.indptr))
    c = where[ties.indices]
    out = np.zeros((len(rows), len(cols)), dtype=bool)
    out[r[c >= 0], c[c >= 0]] = True
    return out


def _heads(sig, rows, cols, scores, allowed, take, seed, exhaustive) -> list:
    """Per row: ``(row, its allowed cols, order of the best take, ranked values, exhaustive)``."""
    out = []
    for r, row in enumerate(rows.tolist()):
        keep = np.flatnonzero(allowed[r])
        if len(keep) == 0:
            continue
        mine = cols[keep]
        ranked = scores[r, keep] + pair_jitter(seed, row, mine)
        k = min(len(mine), take)
        order = np.argpartition(-ranked, k - 1)[:k] if k < len(mine) else np.arange(len(mine))
        order = order[np.argsort(-ranked[order], kind="stable")]
        out.append((row, mine, order, ranked, exhaustive))
    return out


def full_candidates(sig: Signals, row: int, weights: Mapping[str, float], goal: str,
                    codes: list[np.ndarray], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Every partner in the row's scope, and its ranked score (score + jitter).

    >>> from graph.introductions.signals import build_signals, example_graph
    >>> from graph.introductions.scoring import check_weights
    >>> sig = build_signals(example_graph())
    >>> full_candidates(sig, 4, check_weights(None), "strengthen", [np.zeros(5, int)], 0)[0]
    array([0, 1, 2, 3])
    """
    rows, cols = np.array([row]), np.arange(len(sig.nodes))
    scores = score_block(sig, rows, weights)  # every column: Rᵀ as stored, not re-transposed
    keep = np.flatnonzero(allowed_mask(sig, rows, cols, goal, codes, scores)[0])
    return keep, scores[0, keep] + pair_jitter(seed, row, keep)


def _attribute_vectors(sig: Signals) -> dict[str, np.ndarray]:
    """Per organisation: activity, event-kind shares and fields as dense arrays."""
    n = len(sig.nodes)

    def left(feature):  # a signal the data lacks (no events without a dataset) is all zero
        return sig.bilinear[feature][0].toarray() if feature in sig.bilinear else np.zeros((n, 1))

    return {"activity": left("event_activity")[:, 0], "kinds": left("event_kinds"),
            "fields": left("shared_fields")}


def _attribute_part(sig: Signals, vectors, w: Mapping[str, float], row: int) -> np.ndarray:
    """The attribute signals of ``row`` against everyone, weighted, without the row's own
    degree term (a constant of the row)."""
    part = np.zeros(len(sig.nodes))
    if w["preferential_attachment"]:
        part += w["preferential_attachment"] * np.log1p(sig.degree)
    if w["complementary"]:
        part += w["complementary"] * (sig.orientation[row] * sig.orientation < 0)
    # a row without activity, event kinds or fields adds zeros: skipped (the same sums)
    if w["event_activity"] and vectors["activity"][row]:
        part += w["event_activity"] * np.log1p(vectors["activity"][row] * vectors["activity"])
    for feature, key in (("event_kinds", "kinds"), ("shared_fields", "fields")):
        if w[feature] and vectors[key][row].any():
            part += w[feature] * (vectors[key] @ vectors[key][row])
    return part


def _signature(sig: Signals, vectors, row: int) -> tuple:
    return (sig.orientation[row], vectors["activity"][row], vectors["kinds"][row].tobytes(),
            vectors["fields"][row].tobytes())


def _support(sig: Signals, rows: np.ndarray, w: Mapping[str, float]):
    """CSR structure of the pairs of ``rows`` with a non-zero support signal."""
    total = None
    for feature, weight in w.items():
        if weight and feature in sig.bilinear and feature not in ATTRIBUTE_FEATURES:
            L, _, RT = sig.bilinear[feature]
            product = L[rows] @ RT
            total = product if total is None else total + product
    return total


def _wide_candidates(sig, rows, w, goal, codes, take, vectors, lists) -> tuple[np.ndarray, list]:
    """Candidate columns shared by the wide ``rows`` (see the module notes), and the rows whose
    candidates cannot be bounded (scored against everyone instead)."""
    n = len(sig.nodes)
    support = _support(sig, rows, w)
    pools, unbounded = [], []
    for r, row in enumerate(rows.tolist()):
        mine = support[[r]].indices if support is not None else np.zeros(0, int)
        key = _signature(sig, vectors, row)
        if key not in lists:
            part = _attribute_part(sig, vectors, w, row)
            size = min(n, max(_MIN_LIST, 8 * take))
            best = np.argpartition(-part, size - 1)[:size] if size < n else np.arange(n)
            best = best[np.argsort(-part[best], kind="stable")]
            lists[key] = (best, part[best], size == n, _MARGIN * (1 + np.abs(part).max()))
        best, values, complete, margin = lists[key]
        constant = w["preferential_attachment"] * np.log1p(sig.degree[row])
        in_scope = allowed_mask(sig, np.array([row]), best, goal, codes,
                                values[None, :] + constant)[0]
        in_scope[np.isin(best, mine)] = False
        kept = values[in_scope]
        if len(kept) >= take:
            threshold = kept[take - 1] - margin
            if not complete and values[-1] >= threshold:
                unbounded.append(row)
                continue
            pools.append(best[values >= threshold])
        elif complete:
            pools.append(best[in_scope])
        else:
            unbounded.append(row)
            continue
        pools.append(mine)
    pool = np.unique(np.concatenate(pools)) if pools else np.zeros(0, int)
    return pool.astype(int), unbounded


def _community_blocks(sig: Signals, weights: Mapping[str, float], comm: np.ndarray,
                      tied: np.ndarray, block: int) -> Iterator[tuple]:
    """``(rows, members, operands)`` to score under ``strengthen``: the tied organisations
    ``tied`` against the members of their communities (``comm``: a community code per node).

    A large community is scored ``block`` rows at a time against its own members. Small ones
    are packed together, up to ``block`` rows and :data:`_PACKED_MEMBERS` members, and scored
    against all their members at once: ``allowed_mask`` keeps each row to its own community,
    and a pair scores the same bits whichever columns are asked, so the heads are those of
    one community at a time (at 1/10 of Japan, ≈ 10,000 communities of ≈ 11 members: the
    cost was the fixed cost of each community's products).

    >>> from graph.introductions.signals import build_signals, example_graph
    >>> sig = build_signals(example_graph())
    >>> [(r.tolist(), m.tolist()) for r, m, _ in _community_blocks(
    ...     sig, {"same_ward": 1.0}, np.array([0, 0, 1, 1, 2]), np.arange(4), block=256)]
    [([0, 1, 2, 3], [0, 1, 2, 3])]
    """
    by_code = np.argsort(comm, kind="stable")  # each community's members, ascending
    codes, first = np.unique(comm[by_code], return_index=True)
    last = np.append(first[1:], len(by_code))
    tied = tied[np.argsort(comm[tied], kind="stable")]
    tied_codes, tied_first = np.unique(comm[tied], return_index=True)
    tied_last = np.append(tied_first[1:], len(tied))
    at = np.searchsorted(codes, tied_codes)
    rows_p: list[np.ndarray] = []
    members_p: list[np.ndarray] = []

    def packed():
        rows, members = np.concatenate(rows_p), np.concatenate(members_p)
        rows_p.clear()
        members_p.clear()
        return rows, members, column_operands(sig, weights, members)

    for i, j in enumerate(at.tolist()):
        rows_c, members = tied[tied_first[i]:tied_last[i]], by_code[first[j]:last[j]]
        if len(rows_c) > block or len(members) > _PACKED_MEMBERS:
            operands = column_operands(sig, weights, members)
            for start in range(0, len(rows_c), block):
                yield rows_c[start:start + block], members, operands
            continue
        if rows_p and (sum(map(len, rows_p)) + len(rows_c) > block
                       or sum(map(len, members_p)) + len(members) > _PACKED_MEMBERS):
            yield packed()
        rows_p.append(rows_c)
        members_p.append(members)
    if rows_p:
        yield packed()


def ranked_heads(sig: Signals, positions: np.ndarray, weights: Mapping[str, float], goal: str,
                 codes: list[np.ndarray], *, take: int, seed: int = 0,
                 block: int = 256) -> Iterator[tuple]:
    """For each of ``positions`` (once, in blocks) its best ``take`` partners, exactly.

    Yields ``(row, cols, order, ranked, exhaustive)``: the row's candidate positions ``cols``
    (allowed by the goal ``codes``, see ``graph.introductions.ranking``), ``order`` indexing
    its best ``take`` in rank order, ``ranked`` = score + jitter per candidate, and whether
    ``cols`` is the row's whole scope. Rows without any candidate are left out; the order of
    the rows follows the blocks, not ``positions``.

    Examples
    --------
    >>> from graph.introductions.signals import build_signals, example_graph
    >>> from graph.introductions.scoring import check_weights
    >>> sig = build_signals(example_graph())
    >>> row, cols, order, ranked, exhaustive = next(ranked_heads(
    ...     sig, [4], check_weights(None), "bridge", [np.array([0, 0, 0, 0, 1])], take=2))
    >>> [sig.nodes[c] for c in cols[order]], exhaustive  # E has no ties: a bounded row
    (['A', 'B'], False)
    """
    positions = np.unique(np.asarray(positions, dtype=int))
    tied = positions[sig.degree[positions] > 0]
    wide = positions[sig.degree[positions] == 0]
    if goal == "bridge":  # nearly everyone in scope, a different signature per row: all pairs
        everyone = np.arange(len(sig.nodes))
        for start in range(0, len(tied), block):
            rows = tied[start:start + block]
            scores = score_block(sig, rows, weights)
            allowed = allowed_mask(sig, rows, everyone, goal, codes, scores)
            yield from _heads(sig, rows, everyone, scores, allowed, take, seed, True)
    else:
        for rows, members, operands in _community_blocks(sig, weights, codes[0], tied, block):
            scores = score_block(sig, rows, weights, members, operands)
            allowed = allowed_mask(sig, rows, members, goal, codes, scores)
            yield from _heads(sig, rows, members, scores, allowed, take, seed, True)
    vectors = _attribute_vectors(sig) if len(wide) else {}
    lists: dict = {}
    for start in range(0, len(wide), block):
        rows = wide[start:start + block]
        pool, unbounded = _wide_candidates(sig, rows, weights, goal, codes, take, vectors, lists)
        bounded = rows[~np.isin(rows, unbounded)]
        if len(bounded) and len(pool):
            scores = score_block(sig, bounded, weights, pool)
            allowed = allowed_mask(sig, bounded, pool, goal, codes, scores)
            yield from _heads(sig, bounded, pool, scores, allowed, take, seed, False)
        for row in unbounded:
            cols, ranked = full_candidates(sig, row, weights, goal, codes, seed)
            if len(cols):
                k = min(len(cols), take)
                order = np.argsort(-ranked, kind="stable")[:k]
                yield row, cols, order, ranked, True
