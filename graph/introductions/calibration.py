"""Calibration of introductions: signal weights fitted on the data's own history.

Which signals predict new ties differs between networks, so weights are fitted on the data's
own history, inside the training period. The folds (``graph.introductions.folds.time_folds``)
are the fiscal years before T when the ties span at least three, else they start at quantiles
of the tie dates (a network of 193 days is calibrated on its own time scale); each fold's graph
is scored against the ties first appearing before the next fold. Fiscal-year folds are added,
most recent first, until ``ENOUGH_ORGANISATIONS`` organisations have a new tie (the whole city:
the latest year alone). At most ``max_orgs`` organisations per fold (seeded sample) take part;
for each, its new partners are positives and ``negatives`` random untied organisations
negatives. The weightings of ``graph.introductions.fitting`` then compete under the guard of
``graph.introductions.folds`` (``graph.introductions.selection``). ``Calibration`` records the
method, the folds, the held-out scores and the reason.

Examples
--------
>>> from graph.introductions.history import dated_karate
>>> cal = calibrate(dated_karate(seed=0), [])
>>> cal.method, cal.reason
('default', 'only 0 new ties to learn from; default weights')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from graph.introductions.folds import time_folds
from graph.introductions.history import (
    Snapshot,
    dataset_snapshots,
    new_ties,
    parse_cutoff,
    positive_rows,
)
from graph.introductions.scoring import DEFAULT_WEIGHTS, check_weights
from graph.introductions.selection import calibrate_windows
from graph.introductions.signals import Signals, build_signals
from ingest.schemas import Dataset

__all__ = ["MIN_POSITIVES", "CALIBRATION_YEARS", "CALIBRATION_VERSION", "ENOUGH_ORGANISATIONS",
           "Calibration", "calibrate", "calibrate_history", "calibrate_snapshots"]

MIN_POSITIVES = 5
CALIBRATION_YEARS = 3
# Bumped whenever calibration changes, so weights cached by an older version are refitted.
CALIBRATION_VERSION = 4
# Calibration windows are added, most recent first, until this many organisations have a new
# tie (at city scale the latest year alone has thousands; a ward needs all three years).
ENOUGH_ORGANISATIONS = 600


@dataclass(frozen=True)
class Calibration:
    """Weights fitted on the data's history, and how.

    ``method`` is ``"search"`` (coordinate search on MAP), ``"logistic"``,
    ``"single:<signal>"``, ``"given"`` or ``"default"`` (too little history:
    ``DEFAULT_WEIGHTS``). ``validation_map`` gives the organisation-halves MAP of every
    candidate weighting that competed; ``scheme`` how the folds were cut (``fiscal_years``,
    ``date_quantiles``), ``folds`` each fold (graph at, labels until, new ties, role),
    ``held_out`` the held-out MAP + precision@k of the weightings the guard compared and
    ``reason`` why the returned weighting was kept.
    """

    weights: Mapping[str, float]
    method: str
    fit_until: dt.date | None = None
    label_until: dt.date | None = None
    new_ties: int = 0
    sampled_pairs: int = 0
    validation_map: Mapping[str, float] = field(default_factory=dict)
    note: str = ""
    scheme: str = ""
    folds: tuple = ()
    held_out: Mapping[str, float] = field(default_factory=dict)
    reason: str = ""

    def to_dict(self) -> dict:
        """A JSON-ready form (dates as ISO strings); :meth:`from_dict` reads it back.

        >>> cal = Calibration(dict(DEFAULT_WEIGHTS), "default", dt.date(2020, 3, 31))
        >>> Calibration.from_dict(cal.to_dict()) == cal
        True
        """
        return {"weights": {f: float(w) for f, w in self.weights.items()},
                "method": self.method,
                "fit_until": self.fit_until.isoformat() if self.fit_until else None,
                "label_until": self.label_until.isoformat() if self.label_until else None,
                "new_ties": int(self.new_ties), "sampled_pairs": int(self.sampled_pairs),
                "validation_map": {k: float(v) for k, v in self.validation_map.items()},
                "note": self.note, "scheme": self.scheme,
                "folds": [dict(f) for f in self.folds],
                "held_out": {k: float(v) for k, v in self.held_out.items()},
                "reason": self.reason}

    @classmethod
    def from_dict(cls, data: Mapping) -> Calibration:
        """The calibration :meth:`to_dict` wrote; weights are checked
        (``graph.introductions.check_weights``)."""

        def day(value):
            return dt.date.fromisoformat(value) if value else None

        return cls(check_weights(dict(data["weights"])), str(data["method"]),
                   day(data.get("fit_until")), day(data.get("label_until")),
                   int(data.get("new_ties", 0)), int(data.get("sampled_pairs", 0)),
                   {str(k): float(v) for k, v in (data.get("validation_map") or {}).items()},
                   str(data.get("note", "")), str(data.get("scheme", "")),
                   tuple(dict(f) for f in data.get("folds") or ()),
                   {str(k): float(v) for k, v in (data.get("held_out") or {}).items()},
                   str(data.get("reason", "")))


def calibrate(G: nx.Graph, later_ties: Iterable[tuple[str, str]], *,
              dataset: Dataset | None = None, signals: Signals | None = None,
              negatives: int = 100, max_orgs: int = 300, seed: int = 0,
              fit_until: dt.date | None = None, label_until: dt.date | None = None,
              earlier: Iterable[tuple[Signals, Iterable[tuple[str, str]]]] = (),
              k: int = 10, scheme: str = "", folds: tuple = ()) -> Calibration:
    """Fit signal weights that predict ``later_ties`` from the graph ``G``.

    For every organisation with a later tie, its new partners and ``negatives`` random other
    untied organisations are sampled; a conditional logit (softmax over each organisation's
    sample, non-negative weights, L2) is fitted on standardised signals, and a coordinate
    search on MAP + precision@k starts from it. The fit, the search and every signal alone
    compete on MAP + precision@k over the same organisations (fit and search scored by
    two-fold cross-validation over organisations). With ``earlier`` windows, this window
    (the latest) is the held-out fold instead: the weighting chosen on the earlier windows
    must beat every signal alone on it. A model that does not beat the best signal alone, or
    is degenerate, is replaced by that signal (``graph.introductions.folds.guard``). Weights are
    scaled so the largest is 1.

    Parameters
    ----------
    G : networkx.Graph
        Tie graph at the earlier date (not modified).
    later_ties : iterable of pairs
        Pairs untied in ``G`` that became tied later (the labels).
    dataset : Dataset, optional
        Records behind ``G`` (restricted to the same date), for the activity signals.
    negatives : int
        Random untied partners sampled per organisation with a new tie.
    max_orgs : int
        At most this many organisations per window (seeded sample) take part.
    seed : int
        Seeds sampling, the fold split and tie-breaking.
    earlier : iterable of (Signals, pairs)
        More windows (earlier folds), most recent first.
    k : int
        The search and the choice between weightings maximise held-out MAP + precision@k.
    scheme, folds
        How the windows were cut (recorded in the result).

    Returns
    -------
    Calibration
        ``method="default"`` with ``DEFAULT_WEIGHTS`` when fewer than 5 new ties in all or no
        signal varies.

    Examples
    --------
    >>> from graph.introductions import FEATURES, dated_karate
    >>> G = dated_karate(seed=0)
    >>> before = nx.Graph([(u, v) for u, v, d in G.edges(data=True)
    ...                    if d["first_date"] <= dt.date(2018, 3, 31)])
    >>> before.add_nodes_from(G)
    >>> cal = calibrate(before, new_ties(before, G))
    >>> cal.method in ("search", "logistic", *(f"single:{f}" for f in FEATURES))
    True
    >>> max(cal.weights.values()), bool(cal.reason)
    (1.0, True)
    """
    sig = signals if signals is not None else build_signals(G, dataset)
    windows = []
    count = 0
    for s, ties in [(sig, later_ties), *earlier]:
        pairs = [(u, v) for u, v in ties if u in s.index and v in s.index]
        count += len(pairs)
        if pairs:
            windows.append((s, positive_rows(s, pairs)))
    if count < MIN_POSITIVES:
        reason = f"only {count} new ties to learn from; default weights"
        return Calibration(dict(DEFAULT_WEIGHTS), "default", fit_until, label_until, count,
                           note=reason, scheme=scheme, folds=folds, reason=reason)
    weights, method, validation, held, reason, sampled = calibrate_windows(
        windows, negatives=negatives, max_orgs=max_orgs, seed=seed, k=k)
    if weights is None:
        return Calibration(dict(DEFAULT_WEIGHTS), "default", fit_until, label_until, count,
                           sampled, note=reason, scheme=scheme, folds=folds, reason=reason)
    unit = "fiscal-year" if scheme == "fiscal_years" else "date-quantile" if scheme else "given"
    return Calibration(weights, method, fit_until, label_until, count, sampled, validation,
                       note=f"{len(windows)} {unit} fold(s)", scheme=scheme, folds=folds,
                       held_out=held, reason=reason)


def calibrate_history(dataset: Dataset, *, until=None, seed: int = 0,
                      years: int = CALIBRATION_YEARS, k: int = 10) -> Calibration:
    """Calibrate on a dataset's own history before ``until``.

    The folds (``graph.introductions.folds.time_folds``) are the fiscal years before ``until``
    when the ties before it span at least three, else they start at quantiles of the tie
    dates; each fold's graph is scored against the ties first appearing in the next. Only
    organisations present at a fold's start take part (``graph.entry``). ``until`` defaults
    to the latest first-tie date in the data.

    Examples
    --------
    >>> from graph.build import example_dataset
    >>> calibrate_history(example_dataset()).method
    'default'
    """
    from graph.build import tie_graph

    if until is None:
        dates = [d for _, _, d in tie_graph(dataset).edges(data="first_date") if d is not None]
        if not dates:
            return Calibration(dict(DEFAULT_WEIGHTS), "default", note="no dated ties; default weights",
                               reason="no dated ties; default weights")
        until = max(dates)
    return calibrate_snapshots(dataset_snapshots(dataset), parse_cutoff(until), seed, years, k)


def calibrate_snapshots(snap: Snapshot, until: dt.date, seed: int,
                         years: int = CALIBRATION_YEARS, k: int = 10) -> Calibration:
    """The folds before ``until`` (most recent first), until ``ENOUGH_ORGANISATIONS``
    organisations have a new tie (fiscal years) or every fold is taken; then
    :func:`calibrate`."""
    dates = [d for _, _, d in snap(until)[0].edges(data="first_date") if d is not None]
    folds = time_folds(dates, until, years)
    windows, organisations, used = [], 0, []
    for start, end in folds.windows:
        G0, ds0 = snap(start)
        if G0.number_of_edges() == 0:
            break
        ties = new_ties(G0, snap(end)[0])
        if not ties:
            continue
        windows.append((build_signals(G0, ds0), ties))
        used.append({"graph_at": start.isoformat(), "labels_until": end.isoformat(),
                     "new_ties": len(ties), "role": "held_out" if not used else "train"})
        organisations += len({x for pair in ties for x in pair})
        if organisations >= ENOUGH_ORGANISATIONS and folds.scheme == "fiscal_years":
            break
    if len(used) == 1:
        used[0]["role"] = "train_and_held_out_by_organisation_halves"
    if not windows:
        first = folds.windows[0][0] if folds.windows else None
        reason = "no ties before the calibration folds; default weights"
        return Calibration(dict(DEFAULT_WEIGHTS), "default", first, until, note=reason,
                           scheme=folds.scheme, reason=reason)
    (sig, ties), earlier = windows[0], windows[1:]
    return calibrate(sig.graph, ties, signals=sig, seed=seed,
                     fit_until=dt.date.fromisoformat(used[0]["graph_at"]), label_until=until,
                     earlier=earlier, k=k, scheme=folds.scheme, folds=tuple(used))
