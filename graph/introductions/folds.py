"""Calibration folds at the data's own time scale, and the guard on what calibration returns.

``graph.introductions.calibrate_history`` fits the introduction model on windows inside the
training period: the graph at a fold's start is scored against the ties that first appear
before its end.

**Folds** (:func:`time_folds`). When the dated ties before the cut-off ``until`` span at least
three fiscal years, the folds are the fiscal years before it (``until`` − 1 year, − 2 years …,
as before). With fewer — a network observed over 193 days (CollegeMsg) or over one or two
years — whole years would leave nothing to learn from, so the folds start at **quantiles of
the tie dates** before ``until`` (by default 40 %, 60 % and 80 %): each fold's graph holds that
share of the ties and it is labelled with the ties of the next fold. Folds are listed most
recent first; the most recent is the **held-out fold**.

**Guard** (:func:`guard`). The fitted model competes with every signal alone on the held-out
fold (MAP + precision@k of each organisation's ranking). A model that does not beat the best
single signal there by at least ``GUARD_MARGIN`` (1 %) of its score is replaced by a signal alone: the one with the
best mean over every fold (a signal alone fits nothing, so every fold is held out for it;
one fold favours short-horizon signals, several are steadier); a degenerate model —
no positive weight on a signal that varies in the data, or a weight that is not finite — is
never returned (:func:`is_degenerate`).

Examples
--------
>>> import datetime as dt
>>> days = [dt.date(2004, 4, 15) + dt.timedelta(days=i) for i in range(100)]
>>> folds = time_folds(days, dt.date(2004, 7, 31))
>>> folds.scheme, [str(a) for a, _ in folds.windows]
('date_quantiles', ['2004-07-03', '2004-06-13', '2004-05-24'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import numpy as np

__all__ = ["MIN_FISCAL_YEARS", "QUANTILES", "GUARD_MARGIN", "Folds", "time_folds", "is_degenerate", "guard"]

# Fewer fiscal years than this in training: folds by quantiles of tie dates.
MIN_FISCAL_YEARS = 3
QUANTILES: tuple[float, ...] = (0.8, 0.6, 0.4)
# A fitted model must beat the best signal alone by this share of its score: a smaller lead
# is within the sampling noise of the held-out estimate (sampled candidates, 300
# organisations a fold).
GUARD_MARGIN = 0.01


class Folds(NamedTuple):
    """``scheme`` (``"fiscal_years"`` or ``"date_quantiles"``) and ``windows``: (graph at,
    labels until) pairs, most recent first."""

    scheme: str
    windows: tuple[tuple[dt.date, dt.date], ...]


def _fiscal_year(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def time_folds(tie_dates: Iterable[dt.date], until: dt.date, years: int = 3,
               quantiles: tuple[float, ...] = QUANTILES) -> Folds:
    """The calibration folds before ``until``.

    Parameters
    ----------
    tie_dates : iterable of date
        First dates of the ties (later ones are ignored).
    until : date
        End of the training period.
    years : int
        Yearly folds when the ties span at least ``MIN_FISCAL_YEARS`` fiscal years.
    quantiles : tuple of float
        Fold starts (descending) as quantiles of the tie dates otherwise.

    Returns
    -------
    Folds
        Empty ``windows`` when there are no dated ties before ``until``.

    Examples
    --------
    >>> days = [dt.date(y, 6, 1) for y in range(2015, 2020)]
    >>> time_folds(days, dt.date(2020, 3, 31), years=2)
    Folds(scheme='fiscal_years', windows=((datetime.date(2019, 3, 31), datetime.date(2020, 3, 31)), (datetime.date(2018, 3, 31), datetime.date(2019, 3, 31))))
    >>> time_folds([], dt.date(2020, 3, 31)).windows
    ()
    """
    days = sorted(d for d in tie_dates if d is not None and d <= until)
    if not days:
        return Folds("date_quantiles", ())
    if len({_fiscal_year(d) for d in days}) >= MIN_FISCAL_YEARS:
        ends = [until]
        for _ in range(max(int(years), 1)):
            ends.append(_year_before(ends[-1]))
        return Folds("fiscal_years", tuple(zip(ends[1:], ends[:-1])))
    ordinals = np.array([d.toordinal() for d in days])
    starts: list[dt.date] = []
    for q in quantiles:
        day = dt.date.fromordinal(int(np.floor(np.quantile(ordinals, q))))
        if day < until and (not starts or day < starts[-1]):
            starts.append(day)
    ends = [until, *starts[:-1]]
    return Folds("date_quantiles", tuple(zip(starts, ends)))


def is_degenerate(vector: np.ndarray, spread: np.ndarray) -> bool:
    """True when the weights cannot rank: a weight not finite or negative, or no positive
    weight on a signal that varies (``spread`` > 0).

    >>> is_degenerate(np.zeros(3), np.ones(3)), is_degenerate(np.array([0, 1.0]), np.array([1, 0]))
    (True, True)
    >>> is_degenerate(np.array([0.5, 0.0]), np.array([1.0, 1.0]))
    False
    """
    vector = np.asarray(vector, dtype=float)
    if not np.all(np.isfinite(vector)) or np.any(vector < 0):
        return True
    return not bool(np.any((vector > 0) & (np.asarray(spread) > 0)))


def guard(fitted: str, scores: Mapping[str, float], degenerate: bool,
          overall: Mapping[str, float] | None = None,
          margin: float = GUARD_MARGIN) -> tuple[str, str]:
    """The weighting to return and why, from held-out scores.

    Parameters
    ----------
    fitted : str
        Name of the fitted model (``"search"``, ``"logistic"``) among ``scores``.
    scores : mapping
        Held-out score (MAP + precision@k) of the fitted model and of each
        ``"single:<signal>"`` on the held-out fold.
    degenerate : bool
        Whether the fitted weights are degenerate (:func:`is_degenerate`).
    overall : mapping, optional
        Each single signal's mean score over every fold (a signal alone fits nothing, so
        every fold is held out for it); the replacement is the best of these. Default: the
        best on the held-out fold.
    margin : float
        The fitted model must score above (1 + ``margin``) × the best signal alone.

    Returns
    -------
    (str, str)
        The name kept (``fitted`` or a single signal) and the reason, in English. The fitted
        model is kept only when it beats every signal alone on the held-out fold by the
        margin (ties go to the signal) and is not degenerate.

    Examples
    --------
    >>> guard("search", {"search": 0.30, "single:adamic_adar": 0.25}, False)[0]
    'search'
    >>> guard("search", {"search": 0.2510, "single:adamic_adar": 0.2500}, False)[0]
    'single:adamic_adar'
    >>> guard("search", {"search": 0.25, "single:adamic_adar": 0.25}, False)
    ('single:adamic_adar', 'the fitted model (search, 0.2500) does not beat adamic_adar alone (0.2500) by 1% on the held-out fold; adamic_adar alone instead')
    >>> guard("logistic", {"logistic": 0.9, "single:same_ward": 0.1}, True)[0]
    'single:same_ward'
    >>> guard("search", {"search": 0.2, "single:a": 0.3, "single:b": 0.1}, False,
    ...       overall={"single:a": 0.2, "single:b": 0.4})[0]
    'single:b'
    """
    singles = {name: s for name, s in scores.items() if name.startswith("single:")}
    if not singles:
        return fitted, "no signal varies: nothing to compare with"

    def top(values: Mapping[str, float]) -> str:
        return max(values, key=lambda name: (round(values[name], 12), name))

    rival = top(singles)
    pool = {n: v for n, v in (overall or {}).items() if n in singles}
    best = top(pool) if pool else rival
    signal, rival_signal = best.split(":", 1)[1], rival.split(":", 1)[1]
    instead = f"{signal} alone instead" + (" (best over every fold)" if best != rival else "")
    if degenerate:
        return best, (f"the fitted model ({fitted}) is degenerate (no weight on a signal that "
                      f"varies); {instead}")
    mine = round(float(scores.get(fitted, -np.inf)), 12)
    if mine > round(singles[rival] * (1.0 + margin), 12):
        return fitted, (f"the fitted model ({fitted}, {mine:.4f}) beats the best single "
                        f"signal, {rival_signal} ({singles[rival]:.4f}), on the held-out fold")
    return best, (f"the fitted model ({fitted}, {mine:.4f}) does not beat {rival_signal} alone "
                  f"({singles[rival]:.4f}) by {margin:.0%} on the held-out fold; {instead}")
