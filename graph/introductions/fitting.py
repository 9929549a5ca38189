"""The fitters of calibration: sampled pairs, a conditional logit, held-out rankings, a search.

* :func:`sample_pairs` — per organisation, its new partners and random other candidates;
* :func:`fit_weights` — a conditional logit (softmax over each organisation's sample,
  non-negative weights, L2, scipy L-BFGS-B) on standardised signals;
* :func:`hold` / :func:`ap_sum` — rankings kept for scoring many weightings fast: every new
  partner and a seeded sample of ``HELD_SAMPLE`` other candidates per organisation (a sampled
  candidate ranked above a new partner counts for candidates ÷ sampled of them, so MAP is
  exact on networks of up to ``HELD_SAMPLE`` organisations and estimated beyond);
* :func:`coordinate_search` — maximises MAP + precision@k directly over those rankings (its
  grid includes tiny weights, so one signal can break another's ties).

``graph.introductions.selection`` makes them compete.

Examples
--------
>>> from graph.introductions.signals import build_signals, example_graph
>>> sig = build_signals(example_graph())
>>> held = hold(sig, {0: np.array([3])}, [0], seed=0)
>>> ap_sum(held, np.eye(len(FEATURES))[0])
1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
from scipy.optimize import minimize

from graph.introductions.scoring import feature_rows, row_jitter
from graph.introductions.signals import FEATURES, Signals

__all__ = ["HELD_SAMPLE", "Held", "sample_pairs", "fit_weights", "hold", "ap_sum",
           "coordinate_search"]

# Held-out rankings keep every new partner and this many other candidates (seeded sample).
HELD_SAMPLE = 1000


def sample_pairs(sig: Signals, positives: Mapping[int, np.ndarray], negatives: int,
                  rng: np.random.Generator):
    """Per organisation: its new partners (y=1) and random other candidates (y=0)."""
    us, vs, ys = [], [], []
    n = len(sig.nodes)
    A = sig.adjacency
    for row, pos in positives.items():
        taken = set(A[row].indices.tolist()) | set(pos.tolist()) | {row}
        draw = rng.choice(n, size=min(n, 3 * negatives + 10), replace=False)
        neg = [int(j) for j in draw if int(j) not in taken][:negatives]
        us += [row] * (len(pos) + len(neg))
        vs += pos.tolist() + neg
        ys += [1.0] * len(pos) + [0.0] * len(neg)
    return np.array(us, dtype=int), np.array(vs, dtype=int), np.array(ys)


def _fit_ranking(X: np.ndarray, y: np.ndarray, starts: np.ndarray, l2: float = 1e-2) -> np.ndarray:
    """Conditional logit with non-negative weights: each group (one organisation's sampled
    candidates, rows ``starts[g]:starts[g+1]``) is a softmax over its candidates, and the loss
    is the negative log-likelihood of its new partners. Columns are standardised."""
    n, m = X.shape
    sizes = np.diff(np.append(starts, n))
    group = np.repeat(np.arange(len(starts)), sizes)
    n_pos = np.add.reduceat(y, starts)
    total = max(n_pos.sum(), 1.0)

    def loss(w):
        z = X @ w
        zmax = np.maximum.reduceat(z, starts)
        expz = np.exp(z - zmax[group])
        denom = np.add.reduceat(expz, starts)
        value = (np.sum(n_pos * (np.log(denom) + zmax)) - z @ y) / total + 0.5 * l2 * w @ w
        grad_z = (n_pos[group] * expz / denom[group] - y) / total
        return value, X.T @ grad_z + l2 * w

    result = minimize(loss, np.zeros(m), jac=True, method="L-BFGS-B", bounds=[(0.0, None)] * m)
    return result.x


def fit_weights(X: np.ndarray, y: np.ndarray, starts: np.ndarray) -> dict[str, float]:
    """Signal weights (largest = 1) from the sampled pairs' raw signals ``X``."""
    sd = X.std(axis=0)
    usable = sd > 1e-12
    weights = dict.fromkeys(FEATURES, 0.0)
    if usable.any() and 0 < y.sum() < len(y):
        fitted = _fit_ranking(X[:, usable] / sd[usable], y, starts)
        for f, w, s in zip(np.array(FEATURES)[usable], fitted, sd[usable]):
            weights[str(f)] = float(w / s)
    top = max(weights.values())
    return {f: (w / top if top > 0 else 0.0) for f, w in weights.items()}


class Held(NamedTuple):
    """Signals of some organisations against their new partners and a seeded sample of their
    other candidates, to score many weightings fast."""

    X: np.ndarray          # rows × width × features (float32)
    valid: np.ndarray      # rows × width bool: a real column (not padding)
    positive: np.ndarray   # rows × width bool: a new partner
    jitter: np.ndarray     # rows × width
    factor: np.ndarray     # per row: its other candidates / those sampled (1 when all kept)
    pos_weight: np.ndarray  # per positive column (row-major order): 1 / (the row's new partners)


def hold(sig: Signals, positives: Mapping[int, np.ndarray], rows, seed: int,
          sample: int = HELD_SAMPLE) -> Held:
    """Each row keeps its new partners and at most ``sample`` of its other candidates (seeded
    per row); a sampled candidate outranking a new partner stands for ``factor`` of them."""
    rows = np.asarray(rows, dtype=int)
    n = len(sig.nodes)
    columns, factors = [], []
    for r in rows:
        candidate = sig.adjacency[int(r)].toarray().ravel() == 0
        candidate[int(r)] = False
        pos = positives[int(r)]
        candidate[pos] = False
        others = np.flatnonzero(candidate)
        if len(others) > sample:
            kept = np.sort(np.random.default_rng((seed, int(r), 11)).choice(
                others, size=sample, replace=False))
            factors.append(len(others) / sample)
        else:
            kept = others
            factors.append(1.0)
        columns.append((pos, kept))
    width = max((len(p) + len(k) for p, k in columns), default=0)
    X = np.zeros((len(rows), width, len(FEATURES)), dtype=np.float32)
    valid = np.zeros((len(rows), width), dtype=bool)
    positive = np.zeros((len(rows), width), dtype=bool)
    jitter = np.zeros((len(rows), width))
    for start in range(0, len(rows), 64):
        chunk = rows[start:start + 64]
        dense = [feature_rows(sig, chunk, f) for f in FEATURES]
        for c, r in enumerate(chunk):
            i = start + c
            pos, kept = columns[i]
            cols = np.concatenate([pos, kept]).astype(int)
            X[i, :len(cols)] = np.stack([d[c, cols] for d in dense], axis=1)
            valid[i, :len(cols)] = True
            positive[i, :len(pos)] = True
            jitter[i, :len(cols)] = row_jitter(seed, int(r), n)[cols]
    counts = positive.sum(axis=1)
    pos_weight = np.repeat(1.0 / np.maximum(counts, 1), counts)
    return Held(X, valid, positive, jitter, np.array(factors), pos_weight)


def ap_sum(held: Held, w: np.ndarray, k: int = 0) -> float:
    """Sum over the held organisations of their average precision under weights ``w``, plus
    (``k`` > 0) their precision@k.

    A new partner's rank is 1 + the new partners above it + ``factor`` × the sampled other
    candidates above it (exact when nothing was sampled away); its precision is (new
    partners at or above it) / rank; it is a hit when its rank is at most ``k``."""
    if len(held.pos_weight) == 0:
        return 0.0
    scores = held.X @ w.astype(np.float32) + held.jitter
    scores[~held.valid] = -np.inf
    pos_row, pos_col = np.nonzero(held.positive)
    p = scores[pos_row, pos_col]
    all_higher = (scores[pos_row] > p[:, None]).sum(axis=1)
    order = np.lexsort((-p, pos_row))  # by row, best first: new partners above each one
    first = np.flatnonzero(np.r_[True, pos_row[order][1:] != pos_row[order][:-1]])
    pos_higher = np.empty(len(p), dtype=int)
    pos_higher[order] = np.arange(len(p)) - np.repeat(first, np.diff(np.r_[first, len(p)]))
    ranks = 1.0 + pos_higher + held.factor[pos_row] * (all_higher - pos_higher)
    total = float(np.sum((1.0 + pos_higher) / ranks * held.pos_weight))
    return total + (float(np.sum(ranks <= k)) / k if k > 0 else 0.0)


def coordinate_search(helds: list[Held], start: np.ndarray, scale: np.ndarray, k: int,
            passes: int = 2) -> np.ndarray:
    """Coordinate search on MAP + precision@k: each weight in turn tries a grid of values (in
    units of the signal's spread) and keeps the best; ``passes`` sweeps."""
    w = start.copy()
    best = sum(ap_sum(h, w, k) for h in helds)
    grid = (0.0, 0.001, 0.01, 0.1, 0.25, 0.5, 1.0, 2.0)  # the small ones break ties
    for _ in range(passes):
        improved = False
        for j in range(len(w)):
            if scale[j] <= 0:
                continue
            top = max(float(np.max(w * scale)), 1e-12)
            for value in grid:
                trial = w.copy()
                trial[j] = value * top / scale[j]
                got = sum(ap_sum(h, trial, k) for h in helds)
                if got > best + 1e-9:
                    best, w, improved = got, trial, True
        if not improved:
            break
    return w
