"""Scores of pairs: weighted sums of the signals, as a few sparse products per block.

A pair's score is ``Σ weights[f] · f(u, v)``; its parts are the terms. ``DEFAULT_WEIGHTS``
are used unless weights are given (``tsunagari suggest`` uses them unless ``--calibrate``, so a
single query answers in seconds); ``graph.introductions.calibrate_history`` fits the weights
on the data's own history (see there; ``tsunagari suggest --calibrate`` caches them per store
version). Count signals are taken as ``log1p``. :func:`row_jitter` breaks ties between equal
scores the same way for the ranking and its evaluation.

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
from graph.introductions.signals import FEATURES, Signals, build_signals
from ingest.schemas import Dataset

__all__ = ["DEFAULT_WEIGHTS", "check_weights", "feature_rows", "feature_pairs", "row_jitter",
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


def feature_rows(sig: Signals, rows: np.ndarray, feature: str) -> np.ndarray:
    """Dense ``len(rows) × n`` values of one feature, every row against every organisation."""
    n = len(sig.nodes)
    if feature == "preferential_attachment":
        return np.log1p(sig.degree[rows])[:, None] + np.log1p(sig.degree)[None, :]
    if feature == "complementary":
        return (np.outer(sig.orientation[rows], sig.orientation) < 0).astype(float)
    if feature not in sig.bilinear:
        return np.zeros((len(rows), n))
    L, _, RT = sig.bilinear[feature]
    product = L[rows] @ RT
    if feature in _LOG1P:  # log1p(0) = 0: transform the stored values only
        product.data = np.log1p(product.data)
    return product.toarray()


def feature_pairs(sig: Signals, us: np.ndarray, vs: np.ndarray, feature: str) -> np.ndarray:
    """Values of one feature for the pairs ``(us[i], vs[i])``."""
    if feature == "preferential_attachment":
        return np.log1p(sig.degree[us]) + np.log1p(sig.degree[vs])
    if feature == "complementary":
        return (sig.orientation[us] * sig.orientation[vs] < 0).astype(float)
    if feature not in sig.bilinear or len(us) == 0:
        return np.zeros(len(us))
    L, R, _ = sig.bilinear[feature]
    values = np.asarray(L[us].multiply(R[vs]).sum(axis=1)).ravel()
    return _transform(feature, values)


def score_block(sig: Signals, rows: np.ndarray, weights: Mapping[str, float]) -> np.ndarray:
    """Scores of ``rows`` (node positions) against every organisation, as a dense array.

    Ties, self-pairs and goals are not masked here; :func:`suggest` and
    ``graph.introductions.evaluation`` do that.

    Examples
    --------
    >>> from graph.introductions.signals import example_graph
    >>> sig = build_signals(example_graph())
    >>> score_block(sig, [0], {"common_neighbours": 1.0}).round(2).tolist()
    [[1.1, 0.69, 0.69, 1.1, 0.0]]
    """
    rows = np.asarray(rows, dtype=int)
    out = np.zeros((len(rows), len(sig.nodes)))
    sparse_sum = None
    for feature, weight in weights.items():
        if not weight:
            continue
        if feature in sig.bilinear:  # sparse: sum the sparse products, densify once
            L, _, RT = sig.bilinear[feature]
            product = L[rows] @ RT
            if feature in _LOG1P:
                product.data = np.log1p(product.data)
            product.data *= weight
            sparse_sum = product if sparse_sum is None else sparse_sum + product
        elif feature in ("preferential_attachment", "complementary"):
            out += weight * feature_rows(sig, rows, feature)
    if sparse_sum is not None:
        out += sparse_sum.toarray()
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


def row_jitter(seed: int, row: int, n: int) -> np.ndarray:
    """Seeded per-row tie-breaker below 1e-9, the same whichever rows are scored together."""
    return np.random.default_rng((seed, row)).random(n) * 1e-9
