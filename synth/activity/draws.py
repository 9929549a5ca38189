"""Weighted random draws of organisations, used by every yearly step."""

from __future__ import annotations

import numpy as np

from ingest.schemas import WARDS

__all__ = ["topk", "WardSampler", "draw"]


def topk(rng, idx: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """Draw ``n`` of ``idx`` without replacement, in proportion to ``weights`` (Gumbel top-k).

    >>> topk(np.random.default_rng(0), np.arange(5), np.array([0.0, 1.0, 1.0, 1.0, 1.0]), 9).tolist()
    [1, 2, 3, 4]
    """
    pos = weights > 0
    idx, weights = idx[pos], weights[pos]
    n = int(min(n, len(idx)))
    if n <= 0:
        return np.empty(0, dtype=np.int64)
    keys = np.log(weights) + rng.gumbel(size=len(weights))
    if n < len(keys):
        keys_top = np.argpartition(-keys, n - 1)[:n]
        return np.sort(idx[keys_top])
    return np.sort(idx)


class WardSampler:
    """Draws an organisation of a given ward in proportion to a weight vector.

    >>> sampler = WardSampler(np.array([0, 0, 1]), np.array([1.0, 1.0, 0.0]))
    >>> int(sampler.draw(np.random.default_rng(0), np.array([1]))[0])
    -1
    """

    def __init__(self, ward: np.ndarray, weights: np.ndarray):
        cand = np.flatnonzero(weights > 0)
        order = cand[np.argsort(ward[cand], kind="stable")]
        self.order = order
        self.cum = np.cumsum(weights[order])
        w_of = ward[order]
        n_w = len(WARDS)
        self.start = np.searchsorted(w_of, np.arange(n_w), side="left")
        self.stop = np.searchsorted(w_of, np.arange(n_w), side="right")
        base = np.concatenate([[0.0], self.cum])
        self.lo = base[self.start]
        self.total = base[self.stop] - self.lo

    def draw(self, rng, wards: np.ndarray) -> np.ndarray:
        """One organisation per entry of ``wards``; -1 where that ward has none."""
        wards = np.asarray(wards, dtype=np.int64)
        tot = self.total[wards]
        u = self.lo[wards] + rng.random(len(wards)) * tot
        pos = np.searchsorted(self.cum, u, side="right")
        pos = np.clip(pos, self.start[wards], np.maximum(self.stop[wards] - 1, 0))
        out = self.order[np.minimum(pos, len(self.order) - 1)] if len(self.order) else np.full(len(wards), -1)
        return np.where(tot > 0, out, -1)


def draw(rng, weights: np.ndarray, size: int) -> np.ndarray:
    """``size`` positions of ``weights`` drawn with replacement, in proportion to the weights.

    >>> sorted(set(draw(np.random.default_rng(0), np.array([0.0, 1.0, 3.0]), 50).tolist()))
    [1, 2]
    """
    total = weights.sum()
    if total <= 0 or size <= 0:
        return np.empty(0, dtype=np.int64)
    cum = np.cumsum(weights)
    return np.minimum(np.searchsorted(cum, rng.random(size) * total, side="right"), len(cum) - 1)
