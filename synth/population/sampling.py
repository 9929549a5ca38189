"""Fiscal-year bounds and the random draws the population and activity steps share.

Dates are ``datetime64[D]``; NPO field sets are bit masks (bit ``f`` set = field ``f``).
"""

from __future__ import annotations

import numpy as np

from ingest.fiscal import fiscal_year_end, fiscal_year_start

__all__ = ["fy_start", "fy_end", "random_dates", "sample_fields"]


def fy_start(fy: int) -> np.datetime64:
    """First day of fiscal year ``fy`` (1 April) as ``datetime64[D]``.

    >>> str(fy_start(2019)), str(fy_end(2019))
    ('2019-04-01', '2020-03-31')
    """
    return np.datetime64(fiscal_year_start(fy), "D")


def fy_end(fy: int) -> np.datetime64:
    """Last day of fiscal year ``fy`` (31 March of the next year) as ``datetime64[D]``."""
    return np.datetime64(fiscal_year_end(fy), "D")


def random_dates(rng: np.random.Generator, lo, hi, size: int) -> np.ndarray:
    """``size`` uniform random dates in ``[lo, hi]`` (inclusive) as ``datetime64[D]``.

    ``lo`` and ``hi`` are dates, ``datetime64[D]`` scalars or arrays of them.

    >>> d = random_dates(np.random.default_rng(1), fy_start(2020), fy_end(2020), 1000)
    >>> bool((d >= fy_start(2020)).all() and (d <= fy_end(2020)).all())
    True
    """
    lo = np.asarray(lo, dtype="datetime64[D]")
    hi = np.asarray(hi, dtype="datetime64[D]")
    span = np.maximum((hi - lo).astype(np.int64) + 1, 1)
    return lo + (rng.random(size) * span).astype(np.int64).astype("timedelta64[D]")


def sample_fields(rng: np.random.Generator, n: int, weights: dict[int, float],
                  mean_extra: float = 1.0, max_fields: int = 4) -> np.ndarray:
    """Draw NPO field sets as bit masks (bit ``f`` set = field ``f``), ``n`` rows.

    Each row gets ``1 + Binomial(max_fields-1, mean_extra/(max_fields-1))`` distinct fields,
    drawn without replacement in proportion to ``weights``.

    >>> masks = sample_fields(np.random.default_rng(0), 5, {13: 1.0, 1: 1.0}, max_fields=2)
    >>> sorted({int(m) for m in masks} - {2, 8192, 8194})
    []
    """
    fields = np.array(sorted(weights), dtype=np.int64)
    logw = np.log(np.array([weights[f] for f in fields], dtype=float))
    max_fields = min(max_fields, len(fields))
    if max_fields > 1:
        k = 1 + rng.binomial(max_fields - 1, min(1.0, mean_extra / (max_fields - 1)), size=n)
    else:
        k = np.ones(n, dtype=np.int64)
    keys = logw[None, :] + rng.gumbel(size=(n, len(fields)))
    rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
    chosen = rank < k[:, None]
    bits = (np.uint32(1) << fields.astype(np.uint32))[None, :]
    return (chosen * bits).sum(axis=1).astype(np.uint32)
