"""Ranking metrics of introductions: precision@k, recall@k, MAP and AUC per organisation.

Metrics are **per organisation, averaged**: every organisation with at least one new tie in
the test window gets its own ranking of all its candidates (everyone present at T except
itself and its partners at T), and

* precision@k = new partners in its top k / k,
* recall@k = new partners in its top k / its new partners,
* AP = mean over its new partners, in rank order, of (hits so far / rank) over the whole
  ranking; **MAP** is the mean AP,
* AUC = probability that one of its new partners outranks one of its other candidates (ties
  count ½),

each averaged over those organisations (a pair counts once for each of its two ends). Equal
scores are ordered by a seeded random jitter below 1e-9, the same for every method, so the

Examples
--------
>>> from graph.introductions.signals import build_signals, example_graph
>>> sig = build_signals(example_graph())
>>> ranking_metrics(sig, {0: np.array([3])}, {"random": None}, k=4)["random"].recall_at_k
1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from graph.errors import GraphError
from graph.introductions.scoring import feature_rows, row_jitter
from graph.introductions.signals import Signals

__all__ = ["JACCARD", "MethodScores", "ranking_metrics"]

# Not a model signal: |N(u) ∩ N(v)| / |N(u) ∪ N(v)|, a baseline only.
JACCARD = "jaccard"


class MethodScores(NamedTuple):
    """Ranking quality of one method, averaged over the organisations evaluated."""

    precision_at_k: float
    recall_at_k: float
    map: float
    auc: float


def _row_metrics(scores: np.ndarray, candidates: np.ndarray, positives: np.ndarray, k: int):
    """(hits@k, |P|, AP, AUC) of one ranking."""
    cand_scores = np.sort(scores[candidates])
    pos_scores = scores[positives]
    below = np.searchsorted(cand_scores, pos_scores, side="left")
    up_to = np.searchsorted(cand_scores, pos_scores, side="right")
    higher = len(cand_scores) - up_to
    equal = up_to - below - 1
    ranks = np.sort(1 + higher)
    hits = int((ranks <= k).sum())
    ap = float(np.mean(np.arange(1, len(ranks) + 1) / ranks))
    n_neg = len(candidates) - len(positives)
    if n_neg > 0:
        pos_higher = (pos_scores[None, :] > pos_scores[:, None]).sum(axis=1)
        pos_equal = (pos_scores[None, :] == pos_scores[:, None]).sum(axis=1) - 1
        neg_lower = n_neg - (higher - pos_higher) - (equal - pos_equal)
        auc = float(np.mean((neg_lower + 0.5 * (equal - pos_equal)) / n_neg))
    else:
        auc = 0.5
    return hits, len(positives), ap, auc


def ranking_metrics(sig: Signals, positives: Mapping[int, np.ndarray],
                    methods: Mapping[str, Mapping[str, float] | None], *, k: int = 10,
                    seed: int = 0, block: int = 256) -> dict[str, MethodScores]:
    """Score several weightings on the same per-organisation rankings.

    Parameters
    ----------
    sig : Signals
        The graph at the cut-off (``graph.introductions.build_signals``).
    positives : mapping
        Row position → positions of its new partners (all candidates: untied, not itself).
    methods : mapping
        Name → signal weights, or ``None`` for a seeded random ranking.
    k : int
        Cut-off of precision and recall.
    seed : int
        Seeds the random method and the tie-breaking jitter.

    Returns
    -------
    dict
        Name → :class:`MethodScores`, averaged over the rows of ``positives``.

    Examples
    --------
    >>> from graph.introductions.signals import build_signals, example_graph
    >>> sig = build_signals(example_graph())
    >>> pos = {0: np.array([3])}          # A's new partner is D
    >>> ranking_metrics(sig, pos, {"cn": {"common_neighbours": 1.0}}, k=1)["cn"]
    MethodScores(precision_at_k=1.0, recall_at_k=1.0, map=1.0, auc=1.0)
    """
    if k < 1:
        raise GraphError("k must be at least 1")
    rows = np.array(sorted(positives), dtype=int)
    n = len(sig.nodes)
    totals = {name: np.zeros(4) for name in methods}
    needed = sorted({f for w in methods.values() if w for f, x in w.items() if x})
    for start in range(0, len(rows), block):
        chunk = rows[start:start + block]
        values = {f: (_jaccard_rows(sig, chunk) if f == JACCARD else feature_rows(sig, chunk, f))
                  for f in needed}
        candidate = sig.adjacency[chunk].toarray() == 0
        candidate[np.arange(len(chunk)), chunk] = False
        jitter = np.vstack([row_jitter(seed, int(r), n) for r in chunk])
        columns = [np.flatnonzero(candidate[r]) for r in range(len(chunk))]
        for name, weights in methods.items():
            if weights is None:
                scores = np.vstack([np.random.default_rng((seed, int(r), 7)).random(n)
                                    for r in chunk])
            else:
                scores = np.zeros((len(chunk), n))
                for f, x in weights.items():
                    if x:
                        scores += x * values[f]
            scores += jitter
            for r, row in enumerate(chunk):
                hits, n_pos, ap, auc = _row_metrics(scores[r], columns[r],
                                                    positives[int(row)], k)
                totals[name] += (hits / k, hits / n_pos, ap, auc)
    count = max(len(rows), 1)
    return {name: MethodScores(*(float(x) for x in total / count))
            for name, total in totals.items()}


def _jaccard_rows(sig: Signals, rows: np.ndarray) -> np.ndarray:
    """Jaccard similarity of ``rows`` against everyone: shared partners / partners of either."""
    common = (sig.adjacency[rows] @ sig.adjacency.T).toarray()
    union = sig.degree[rows][:, None] + sig.degree[None, :] - common
    return np.divide(common, union, out=np.zeros_like(common), where=union > 0)
