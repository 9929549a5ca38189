"""Scores of pairs: weighted sums of the signals, as a few sparse products per block.

A pair's score is ``Σ weights[f] · f(u, v)``; its parts are the terms. ``DEFAULT_WEIGHTS``
are used unless weights are given (``tsunagari suggest`` uses them unless ``--calibrate``, so a
single query answers in seconds); ``graph.introductions.calibrate_history`` fits the weights
on the data's own history (see there; ``tsunagari suggest --calibrate`` caches them per store
version). Count signals are taken as ``log1p``. :func:`pair_jitter` breaks ties between equal
scores in ``suggest``; :func:`row_jitter` in the evaluation's rankings.

Examples
--------
>>> from graph.introductions.signals import build_signals, example_graph
>>> sig = build_signals(example_graph())
>>> feature_pairs(sig, np.array([0]), np.array([3]), "common_neighbours").round(2).tolist()
[1.1]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from graph.errors import GraphError
from graph.introductions.pair_kernels import (
    add_block_product,
    csr_arrays,
    row_dots,
    sorted_arrays,
    splitmix_jitter,
)
from graph.introductions.signals import FEATURES, Signals, build_signals
from ingest.schemas import Dataset

__all__ = ["DEFAULT_WEIGHTS", "check_weights", "column_operands", "feature_rows",
           "feature_pairs", "pair_jitter", "row_jitter",
           "score_block", "pair_features"]

# Used when the data has no dated history to calibrate on. Structural evidence first (a shared
# partner is the strongest hint), then shared activity, then attributes.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "common_neighbours": 1.0,
    "adamic_adar": 0.5,
    "resource_allocation": 0.5,
    "preferential_attachment": 0.1,
    "shared_events": 1.0,
    "event_series": 1.0,
    "event_activity": 0.2,
    "event_kinds": 0.3,
    "shared_fields": 0.5,
    "same_ward": 0.5,
    "neighbouring_ward": 0.25,
    "complementary": 0.25,
    "resource_match": 0.5,
    "shared_talent": 0.5,
}
_LOG1P = frozenset({"common_neighbours", "shared_events", "resource_match", "shared_talent",
                    "event_activity"})


def check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Validate a weight mapping; missing features get weight 0, ``None`` gives the defaults.

    Examples
    --------
    >>> check_weights({"common_neighbours": 2})["common_neighbours"], check_weights({})["same_ward"]
    (2.0, 0.0)
    >>> check_weights({"gossip": 1})
    Traceback (most recent call last):
    ...
    graph.errors.GraphError: unknown signal 'gossip'; signals are common_neighbours, ...
    """
    if weights is None:
        return dict(DEFAULT_WEIGHTS)
    unknown = [f for f in weights if f not in FEATURES]
    if unknown:
        raise GraphError(f"unknown signal {unknown[0]!r}; signals are {', '.join(FEATURES)}")
    out = {f: float(weights.get(f, 0.0)) for f in FEATURES}
    if not all(np.isfinite(list(out.values()))):
        raise GraphError("weights must be finite numbers")
    return out


def _transform(feature: str, values: np.ndarray) -> np.ndarray:
    return np.log1p(values) if feature in _LOG1P else values


def column_operands(sig: Signals, weights: Mapping[str, float], cols: np.ndarray) -> dict:
    """``R[cols]ᵀ`` (CSR) of each weighted bilinear signal: the right-hand sides of
    :func:`score_block` against the columns ``cols``, to build once for many blocks of rows.

    >>> from graph.introductions.signals import build_signals, example_graph
    >>> ops = column_operands(build_signals(example_graph()), {"same_ward": 1.0}, np.array([3, 4]))
    >>> sorted(ops), ops["same_ward"].shape[1]
    (['same_ward'], 2)
    """
    return {f: sig.bilinear[f][1][cols].T.tocsr() for f, w in weights.items()
            if w and f in sig.bilinear}


def _columns_product(sig: Signals, feature: str, rows: np.ndarray, cols: np.ndarray | None):
    """``L[rows] · R[cols]ᵀ`` of a bilinear feature (sparse; every column when ``cols`` is
    None). The values are the same bits either way: each sum runs over ``L``'s row in order."""
    L, R, RT = sig.bilinear[feature]
    if cols is None:
        return L[rows] @ RT
    return L[rows] @ R[cols].T.tocsr()


def feature_rows(sig: Signals, rows: np.ndarray, feature: str,
                 cols: np.ndarray | None = None) -> np.ndarray:
    """Dense ``len(rows) × len(cols)`` values of one feature (every organisation when ``cols``
    is None)."""
    cols_ = np.arange(len(sig.nodes)) if cols is None else np.asarray(cols, dtype=int)
    if feature == "preferential_attachment":
        return np.log1p(sig.degree[rows])[:, None] + np.log1p(sig.degree[cols_])[None, :]
    if feature == "complementary":
        return (np.outer(sig.orientation[rows], sig.orientation[cols_]) < 0).astype(float)
    if feature not in sig.bilinear:
        return np.zeros((len(rows), len(cols_)))
    product = _columns_product(sig, feature, rows, cols)
    if feature in _LOG1P:  # log1p(0) = 0: transform the stored values only
        product.data = np.log1p(product.data)
    return product.toarray()


def _feature_arrays(sig: Signals, feature: str) -> tuple[tuple, tuple]:
    """The arrays of a bilinear feature's ``L`` and ``R``, each row's indices sorted, built
    once per ``sig``: the kernels of the ranking and of the pairs read the same ones, so a
    pair's sums run in one order in both."""
    key = ("feature_arrays", feature)
    if key not in sig.memo:
        L, R, _ = sig.bilinear[feature]
        sig.memo[key] = sorted_arrays(L), sorted_arrays(R)
    return sig.memo[key]


def feature_pairs(sig: Signals, us: np.ndarray, vs: np.ndarray, feature: str) -> np.ndarray:
    """Values of one feature for the pairs ``(us[i], vs[i])``."""
    if feature == "preferential_attachment":
        return np.log1p(sig.degree[us]) + np.log1p(sig.degree[vs])
    if feature == "complementary":
        return (sig.orientation[us] * sig.orientation[vs] < 0).astype(float)
    if feature not in sig.bilinear or len(us) == 0:
        return np.zeros(len(us))
    (l_indptr, l_indices, l_data), (r_indptr, r_indices, r_data) = _feature_arrays(sig, feature)
    values = row_dots(l_indptr, l_indices, l_data, r_indptr, r_indices, r_data,
                      np.asarray(us, dtype=np.int64), np.asarray(vs, dtype=np.int64))
    return _transform(feature, values)


def score_block(sig: Signals, rows: np.ndarray, weights: Mapping[str, float],
                cols: np.ndarray | None = None, operands: Mapping | None = None) -> np.ndarray:
    """Scores of ``rows`` (node positions) against every organisation (or the positions
    ``cols``, with their :func:`column_operands` when given), as a dense array; a pair scores
    the same bits whichever columns are asked.

    Ties, self-pairs and goals are not masked here; :func:`suggest` and
    ``graph.introductions.evaluation`` do that.

    Examples
    --------
    >>> from graph.introductions.signals import example_graph
    >>> sig = build_signals(example_graph())
    >>> score_block(sig, [0], {"common_neighbours": 1.0}).round(2).tolist()
    [[1.1, 0.69, 0.69, 1.1, 0.0]]
    """
    rows = np.asarray(rows, dtype=np.int64)
    out = np.zeros((len(rows), len(sig.nodes) if cols is None else len(cols)))
    products = None  # the bilinear signals, summed in order, then added to the others
    for feature, weight in weights.items():
        if not weight:
            continue
        if feature in sig.bilinear:
            if products is None:
                products = np.zeros_like(out)
            _, R, RT = sig.bilinear[feature]
            right = RT if cols is None else (operands[feature] if operands else R[cols].T.tocsr())
            l_indptr, l_indices, l_data = _feature_arrays(sig, feature)[0]
            t_indptr, t_indices, t_data = csr_arrays(right)
            add_block_product(products, rows, l_indptr, l_indices, l_data,
                              t_indptr, t_indices, t_data, float(weight), feature in _LOG1P)
        elif feature in ("preferential_attachment", "complementary"):
            out += weight * feature_rows(sig, rows, feature, cols)
    if products is not None:
        out += products
    return out


def pair_features(G: nx.Graph, pairs: Iterable[tuple[str, str]], *,
                  dataset: Dataset | None = None, signals: Signals | None = None) -> pd.DataFrame:
    """The raw (transformed, unweighted) signals of some pairs, one row per pair.

    Examples
    --------
    >>> from graph.introductions.signals import example_graph
    >>> pair_features(example_graph(), [("A", "D")])[["org", "partner", "same_ward"]]
      org partner  same_ward
    0   A       D        1.0
    """
    sig = signals if signals is not None else build_signals(G, dataset)
    pairs = list(pairs)
    for pair_ in pairs:
        for u in pair_:
            if u not in sig.index:
                raise GraphError(f"organisation {u!r} is not in the graph")
    us = np.array([sig.index[u] for u, _ in pairs], dtype=int)
    vs = np.array([sig.index[v] for _, v in pairs], dtype=int)
    frame = pd.DataFrame({"org": [u for u, _ in pairs], "partner": [v for _, v in pairs]})
    for feature in FEATURES:
        frame[feature] = feature_pairs(sig, us, vs, feature)
    return frame


def pair_jitter(seed: int, rows, cols) -> np.ndarray:
    """Seeded tie-breaker below 1e-9 for the pairs ``(rows, cols)`` (broadcast): a hash
    (splitmix64) of ``(seed, row, col)``, so a pair gets the same value whichever other
    pairs are scored with it, without drawing a number for every pair of the graph
    (``graph.introductions.pair_kernels.splitmix_jitter``, compiled).

    >>> a = pair_jitter(0, np.array([[3]]), np.array([5, 9]))
    >>> bool((a >= 0).all() and (a < 1e-9).all()), bool(a[0, 1] == pair_jitter(0, 3, 9))
    (True, True)
    """
    return splitmix_jitter(np.uint64(seed & 0xFFFFFFFF), np.asarray(rows, dtype=np.uint64),
                           np.asarray(cols, dtype=np.uint64))


def row_jitter(seed: int, row: int, n: int) -> np.ndarray:
    """Seeded per-row tie-breaker below 1e-9 of the evaluation and calibration rankings
    (``graph.introductions.metrics``, ``fitting``): one draw per organisation against all
    ``n``, the same whichever rows are ranked together. ``suggest`` breaks ties with
    :func:`pair_jitter` instead, which needs no draw for pairs it never scores; the two differ
    only in the order of exactly equal scores.

    >>> v = row_jitter(1, 4, 10); bool((v >= 0).all() and (v < 1e-9).all())
    True
    """
    return np.random.default_rng((seed, row)).random(n) * 1e-9
