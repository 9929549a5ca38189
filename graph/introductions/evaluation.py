"""Proof that introductions work: calibrate on the past, score against a later year.

**Evaluation** (``evaluate`` / ``evaluate_graph``). Build the tie graph from the records up
to ``train_until`` (T). The organisations present at T are the nodes of that graph;
*candidates* are the pairs of them with no tie at T. *New ties* are the candidate pairs tied
in the graph up to ``test_until`` (T2) — pairs whose first tie appears in (T, T2]. Every
organisation with a new tie gets its own ranking of all its candidates, scored by
``graph.introductions.metrics`` (precision@k, recall@k, MAP, AUC, averaged over them).

Methods: ``model`` (the weighted signals of ``graph.introductions.scoring``, with weights from
``graph.introductions.calibrate``), ``random``, ``common_neighbours``,
``preferential_attachment``, ``adamic_adar``, ``resource_allocation`` and ``jaccard`` alone
(on the unweighted tie graph at T).

**Entry** (``graph.entry``). Only organisations present at a cut-off are nodes of its
snapshot: an organisation enters at ``founded``, else at its first record; ``evaluate``
warns when most organisations lack ``founded``.

The rankings scored during calibration keep a sample of the candidates
(``graph.introductions.fitting``); the evaluation itself (``ranking_metrics``) always ranks
all candidates.

Examples
--------
>>> from graph.introductions.history import dated_karate
>>> G = dated_karate(seed=1)
>>> ev = evaluate_graph(G, train_until="2019-03-31", test_until="2020-03-31", k=5)
>>> ev.new_ties > 0, sorted(ev.methods)[:2]
(True, ['adamic_adar', 'common_neighbours'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from graph.entry import entry_warning
from graph.errors import GraphError
from graph.introductions.calibration import Calibration, calibrate_snapshots
from graph.introductions.history import (
    Snapshot,
    dataset_snapshots,
    graph_snapshots,
    new_ties,
    parse_cutoff,
    positive_rows,
)
from graph.introductions.metrics import JACCARD, MethodScores, ranking_metrics
from graph.introductions.scoring import check_weights
from graph.introductions.signals import build_signals
from ingest.schemas import Dataset

__all__ = ["BASELINES", "Evaluation", "evaluate", "evaluate_graph"]

BASELINES: Mapping[str, Mapping[str, float] | None] = {
    "random": None,
    "common_neighbours": {"common_neighbours": 1.0},
    "preferential_attachment": {"preferential_attachment": 1.0},
    "adamic_adar": {"adamic_adar": 1.0},
    "resource_allocation": {"resource_allocation": 1.0},
    "jaccard": {JACCARD: 1.0},
}


@dataclass(frozen=True)
class Evaluation:
    """Precision@k, recall@k, MAP and AUC of the model and the baselines on one split."""

    k: int
    train_until: dt.date
    test_until: dt.date
    new_ties: int
    organisations: int
    methods: Mapping[str, MethodScores]
    calibration: Calibration
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The JSON form printed by ``tsunagari evaluate --json``: the scores, how the model
        was calibrated (method, folds, weights, reason) and warnings."""
        return {
            "k": self.k,
            "train_until": self.train_until.isoformat(),
            "test_until": self.test_until.isoformat(),
            "new_ties": self.new_ties,
            "organisations": self.organisations,
            "methods": {name: {key: round(float(value), 6) for key, value in s._asdict().items()}
                        for name, s in self.methods.items()},
            "calibration": self.calibration.to_dict(),
            "warnings": list(self.warnings),
        }

    def table(self) -> pd.DataFrame:
        """One row per method (model first), one column per metric."""
        return pd.DataFrame({name: s._asdict() for name, s in self.methods.items()}).T


def _evaluate(snap: Snapshot, train_until, test_until, k: int, seed: int,
              weights: Mapping[str, float] | None, warnings: tuple[str, ...] = ()) -> Evaluation:
    T, T2 = parse_cutoff(train_until), parse_cutoff(test_until)
    if T2 <= T:
        raise GraphError(f"test_until ({T2}) must come after train_until ({T})")
    if int(k) < 1:
        raise GraphError("k must be at least 1")
    G_T, ds_T = snap(T)
    G_T2, _ = snap(T2)
    pairs = new_ties(G_T, G_T2)
    if weights is None:
        calibration = calibrate_snapshots(snap, T, seed, k=int(k))
    else:
        calibration = Calibration(check_weights(weights), "given",
                                  reason="weights given by the caller")
    sig = build_signals(G_T, ds_T)
    positives = positive_rows(sig, pairs)
    methods = {"model": calibration.weights, **BASELINES}
    scores = ranking_metrics(sig, positives, methods, k=int(k), seed=seed)
    return Evaluation(int(k), T, T2, len(pairs), len(positives), scores, calibration,
                      tuple(w for w in warnings if w))


def evaluate(dataset: Dataset, *, train_until, test_until, k: int = 10, seed: int = 0,
             weights: Mapping[str, float] | None = None) -> Evaluation:
    """Train on records up to ``train_until``, score against ties new by ``test_until``.

    Parameters
    ----------
    dataset : Dataset
        All records (not modified); snapshots come from ``graph.build.tie_graph(as_of=...)``.
    train_until, test_until : date, str
        Cut-offs: dates or fiscal years (``FY2018`` = up to 2019-03-31).
    k : int
        Cut-off of precision@k and recall@k.
    seed : int
        Seeds calibration sampling, the random baseline and tie-breaking.
    weights : mapping, optional
        Fixed model weights; by default they are calibrated (``graph.introductions.calibrate_history`` at
        ``train_until``).

    Returns
    -------
    Evaluation

    Raises
    ------
    GraphError
        Unreadable cut-offs, ``test_until`` not after ``train_until``, ``k`` < 1.

    Examples
    --------
    >>> from graph.build import example_dataset
    >>> ev = evaluate(example_dataset(), train_until="2019-05-31", test_until="FY2019", k=2)
    >>> ev.new_ties    # C enters with its first record (2019-06-01): not present at T
    0
    >>> ev.warnings[0][:41]
    '5 of 5 organisations have no founded date'
    >>> evaluate(example_dataset(), train_until="2019-06-15", test_until="FY2019").new_ties
    0
    """
    return _evaluate(dataset_snapshots(dataset), train_until, test_until, k, seed, weights,
                     (entry_warning(dataset),))


def evaluate_graph(G: nx.Graph, *, train_until, test_until, k: int = 10, seed: int = 0,
                   weights: Mapping[str, float] | None = None) -> Evaluation:
    """:func:`evaluate` for a graph whose edges carry ``first_date`` (no dataset needed).

    The snapshot at a day keeps every node and the edges with ``first_date`` on or before it
    (undated edges always). Used for structure-only networks such as ``graph.introductions.dated_karate``.

    Examples
    --------
    >>> from graph.introductions.history import dated_karate
    >>> ev = evaluate_graph(dated_karate(seed=0), train_until="2019-03-31",
    ...                     test_until="2020-03-31", k=5)
    >>> 0.0 <= ev.methods["model"].map <= 1.0
    True
    """
    return _evaluate(graph_snapshots(G), train_until, test_until, k, seed, weights)
