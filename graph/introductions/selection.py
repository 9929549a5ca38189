"""Which weighting calibration returns: the fits and every signal alone compete, guarded.

Three kinds of weightings compete (``graph.introductions.fitting``): the conditional logit,
the coordinate search started from the better of the logit and the best single signal, and
every signal alone. With several folds the most recent is held out: the logit and the search
are fitted on the earlier ones and must beat every signal alone on it by
``graph.introductions.folds.GUARD_MARGIN``; the better fit is then refitted on every fold, else
the model is the signal alone with the best mean over every fold. With one fold, they are
fitted on half the organisations and scored on the other half, and vice versa, under the same
guard. A degenerate result (all weights zero, or only on signals that do not vary) is never
returned (``graph.introductions.folds.is_degenerate``). :func:`calibrate_windows` is the entry
point; ``graph.introductions.calibration`` builds the windows.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from graph.introductions.fitting import (
    HELD_SAMPLE,
    ap_sum,
    coordinate_search,
    fit_weights,
    hold,
    sample_pairs,
)
from graph.introductions.folds import guard, is_degenerate
from graph.introductions.scoring import feature_pairs
from graph.introductions.signals import FEATURES, Signals

__all__ = ["calibrate_windows"]


def _prepare_windows(windows: list[tuple[Signals, dict[int, np.ndarray]]], *, negatives: int,
                     max_orgs: int, seed: int) -> list:
    """Per window (at most ``max_orgs`` organisations): sampled pairs and their signals for
    the fit, the two organisation halves and their held-out rankings."""
    rng = np.random.default_rng(seed)
    prepared = []
    for sig, positives in windows:
        rows = np.array(sorted(positives), dtype=int)
        width = min(len(sig.nodes), HELD_SAMPLE + 50)
        budget = max(20, int(2e7 // max(width * len(FEATURES), 1)))
        cap = min(max_orgs, budget)
        if len(rows) > cap:
            rows = np.sort(rng.choice(rows, size=cap, replace=False))
        positives = {int(r): positives[int(r)] for r in rows}
        order = rng.permutation(rows)
        halves = [np.sort(order[: len(order) // 2]), np.sort(order[len(order) // 2:])]
        us, vs, ys = sample_pairs(sig, positives, negatives, rng)
        X = np.column_stack([feature_pairs(sig, us, vs, f) for f in FEATURES])
        helds = [hold(sig, positives, h, seed) for h in halves]
        prepared.append((us, X, ys, halves, helds))
    return prepared


def _spread(prepared: list) -> np.ndarray:
    """Standard deviation of each signal over the sampled pairs (0: the signal is constant)."""
    return np.vstack([p[1] for p in prepared]).std(axis=0)


def _singles(spread: np.ndarray) -> dict[str, np.ndarray]:
    return {f"single:{f}": np.eye(len(FEATURES))[j] for j, f in enumerate(FEATURES)
            if spread[j] > 0}


def _fit(prepared: list, keep: list) -> np.ndarray:
    """The conditional logit on the sampled pairs of ``prepared`` kept by ``keep``."""
    Xs, Ys, starts, offset = [], [], [], 0
    for (us, X, ys, _, _), mask in zip(prepared, keep):
        u = us[mask]
        if len(u):
            starts.append(np.flatnonzero(np.r_[True, u[1:] != u[:-1]]) + offset)
            offset += len(u)
            Xs.append(X[mask])
            Ys.append(ys[mask])
    if not Xs:
        return np.zeros(len(FEATURES))
    weights = fit_weights(np.vstack(Xs), np.concatenate(Ys), np.concatenate(starts))
    return np.array([weights[f] for f in FEATURES])


def _trained(prepared: list, keep: list, helds: list, singles: Mapping[str, np.ndarray],
             scale: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """The logit and the coordinate search (started from the better of the logit and each
    signal alone on ``helds``) trained on ``keep`` / ``helds``."""
    logistic = _fit(prepared, keep)
    starts = {"logistic": logistic, **singles}
    start = max(starts.values(), key=lambda w: sum(ap_sum(h, w, k) for h in helds))
    return {"logistic": logistic, "search": coordinate_search(helds, start, scale, k)}


def _everyone(prepared: list) -> tuple[list, list]:
    """``keep`` and ``helds`` of every organisation of ``prepared``."""
    return ([np.ones(len(p[0]), dtype=bool) for p in prepared],
            [h for p in prepared for h in p[4]])


def _select(prepared: list, *, k: int = 10, method: str | None = None):
    """Fit (conditional logit, then coordinate search on MAP + precision@k) on half the
    organisations of the pooled windows, score on the other half and vice versa; the fit and
    the search compete with each signal alone on that held-out MAP + precision@k (MAP alone is
    reported), and :func:`graph.introductions.folds.guard` keeps the fitted model only when it
    beats the best signal alone and is not degenerate. The winner is refitted on everyone.

    With ``method`` (``"search"`` or ``"logistic"``) that weighting is refitted on everyone
    without a competition (degenerate: the best signal alone instead).

    Returns ``(vector, name, validation MAP per weighting, held-out score per weighting,
    reason)``; ``vector`` is ``None`` when no signal varies."""
    scale = _spread(prepared)
    singles = _singles(scale)
    if not singles:
        return None, "default", {}, {}, "no signal varies in the calibration folds"

    def trained(keep, helds):
        return _trained(prepared, keep, helds, singles, scale, k)

    everyone = _everyone(prepared)
    if method in ("search", "logistic"):
        vector = trained(*everyone)[method]
        if not is_degenerate(vector, scale):
            return vector, method, {}, {}, f"{method} refitted on every fold"
        best = max(singles, key=lambda name: sum(ap_sum(h, singles[name], k)
                                                 for h in everyone[1]))
        return singles[best], best, {}, {}, (f"{method} refitted on every fold is degenerate; "
                                             f"{best.split(':', 1)[1]} alone instead")
    totals: dict[str, float] = {}
    both: dict[str, float] = {}
    for fold in (0, 1):
        keep = [~np.isin(p[0], p[3][fold]) for p in prepared]
        train_helds = [p[4][1 - fold] for p in prepared]
        test_helds = [p[4][fold] for p in prepared]
        methods = {**singles, **trained(keep, train_helds)}
        for name, w in methods.items():
            totals[name] = totals.get(name, 0.0) + sum(ap_sum(h, w) for h in test_helds)
            both[name] = both.get(name, 0.0) + sum(ap_sum(h, w, k) for h in test_helds)
    n_rows = max(sum(len(p[3][0]) + len(p[3][1]) for p in prepared), 1)
    validation = {name: total / n_rows for name, total in totals.items()}
    scores = {name: total / n_rows for name, total in both.items()}
    fitted = max(("search", "logistic"), key=lambda name: (round(scores[name], 12),
                                                           name == "search"))
    best, reason = guard(fitted, scores, False)
    if best != fitted:
        return singles[best], best, validation, scores, reason + " (organisation halves)"
    vector = trained(*everyone)[fitted]
    if is_degenerate(vector, scale):
        best, reason = guard(fitted, scores, True)
        return singles[best], best, validation, scores, reason + " (organisation halves)"
    return vector, fitted, validation, scores, reason + " (organisation halves)"


def _held_out_scores(prepared_fold, vectors: Mapping[str, np.ndarray], k: int) -> dict:
    """MAP + precision@k per organisation of each weighting on one prepared fold."""
    helds = prepared_fold[4]
    rows = max(sum(len(h) for h in prepared_fold[3]), 1)
    return {name: sum(ap_sum(h, w, k) for h in helds) / rows for name, w in vectors.items()}


def _scaled(vector: np.ndarray) -> dict[str, float]:
    top = float(np.max(vector))
    return {f: float(x / top) for f, x in zip(FEATURES, vector)}


def calibrate_windows(windows: list[tuple[Signals, dict[int, np.ndarray]]], *, negatives: int,
                       max_orgs: int, seed: int, k: int = 10):
    """Weights from the windows (most recent first), guarded.

    One window: :func:`_select` (organisation halves are the held-out fold). Several: the
    most recent is the held-out fold; the logit and the search fitted on the earlier ones
    compete there with every signal alone (:func:`graph.introductions.folds.guard`); the better
    fit is kept, and refitted on every window, only if it beats every signal alone, else the
    signal with the best mean over every window is returned.

    Returns ``(weights, method, validation, held-out scores, reason, sampled pairs)``;
    ``weights`` is ``None`` when no signal varies."""
    prepared = _prepare_windows(windows, negatives=negatives, max_orgs=max_orgs, seed=seed)
    sampled = sum(len(p[0]) for p in prepared)
    if len(prepared) == 1:
        vector, method, validation, scores, reason = _select(prepared, k=k)
        return (None if vector is None else _scaled(vector)), method, validation, scores, \
            reason, sampled
    earlier = prepared[1:]
    spread, earlier_spread = _spread(prepared), _spread(earlier)
    singles = _singles(spread)
    if not singles or not _singles(earlier_spread):
        return None, "default", {}, {}, "no signal varies in the calibration folds", sampled
    fits = _trained(earlier, *_everyone(earlier), _singles(earlier_spread), earlier_spread, k)
    scores = _held_out_scores(prepared[0], {**fits, **singles}, k)
    validation = _held_out_scores(prepared[0], {**fits, **singles}, 0)
    fitted = max(fits, key=lambda name: (round(scores[name], 12), name == "search"))
    folds = [_held_out_scores(p, singles, k) for p in prepared]
    overall = {name: float(np.mean([f[name] for f in folds])) for name in singles}
    best, reason = guard(fitted, scores, is_degenerate(fits[fitted], spread), overall)
    reason = f"{reason} (the latest fold; fitted on the {len(earlier)} earlier)"
    if best != fitted:
        return _scaled(singles[best]), best, validation, scores, reason, sampled
    final, method, _, _, refit = _select(prepared, k=k, method=fitted)
    return _scaled(final), method, validation, scores, f"{reason}; {refit}", sampled
