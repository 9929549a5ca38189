"""Proof that introductions work: calibrate on the past, score against a later year.

**Evaluation** (``evaluate`` / ``evaluate_graph``). Build the tie graph from the records up
to ``train_until`` (T). The organisations present at T are the nodes of that graph;
*candidates* are the pairs of them with no tie at T. *New ties* are the candidate pairs tied
in the graph up to ``test_until`` (T2) — pairs whose first tie appears in (T, T2].

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
figures are reproducible for a seed.

Methods: ``model`` (the weighted signals of ``graph.suggest``, with weights from
:func:`calibrate`), ``random``, ``common_neighbours``, ``preferential_attachment``,
``adamic_adar``, ``resource_allocation`` and ``jaccard`` alone (on the unweighted tie graph
at T).

**Entry** (``graph.entry``). Only organisations present at a cut-off are nodes of its
snapshot: an organisation enters at ``founded``, else at its first record; ``evaluate``
warns when most organisations lack ``founded``.

**Calibration** (``calibrate``). Which signals predict new ties differs between networks, so
weights are fitted on the data's own history, inside the training period. The folds
(``graph.calibration_folds.time_folds``) are the fiscal years before T when the ties span at
least three, else they start at quantiles of the tie dates (a network of 193 days is
calibrated on its own time scale); each fold's graph is scored against the ties first
appearing before the next fold. Fiscal-year folds are added, most recent first, until
``ENOUGH_ORGANISATIONS`` organisations have a new tie (the whole city: the latest year
alone). At most ``max_orgs`` organisations per fold (seeded sample) take part; for each, its
new partners are positives and ``negatives`` random untied organisations negatives. Three
kinds of weightings compete:

1. a conditional logit (softmax over each organisation's sample, non-negative weights, L2,
   scipy L-BFGS-B) on standardised signals,
2. a coordinate search that maximises MAP + precision@k directly over the organisations'
   rankings (its grid includes tiny weights, so one signal can break another's ties),
   started from the better of (1) and the best single signal,
3. every signal alone.

With several folds the most recent is held out: (1) and (2) are fitted on the earlier ones
and must beat every signal alone on it by ``graph.calibration_folds.GUARD_MARGIN``; the
better fit is then refitted on every fold, else the model is the signal alone with the best
mean over every fold. With one fold, (1) and (2) are fitted on half the organisations and
scored on the other half, and vice versa, under the same guard. A degenerate result (all
weights zero, or only on signals that do not vary) is never returned
(``graph.calibration_folds.is_degenerate``). ``Calibration`` records the method, the folds,
the held-out scores and the reason. The rankings scored during calibration keep every new
partner and a seeded sample of ``HELD_SAMPLE`` other candidates per organisation; a sampled
candidate ranked above a new partner counts for (candidates ÷ sampled) of them, so MAP is
exact on networks of up to ``HELD_SAMPLE`` organisations and estimated beyond. The
evaluation itself (``ranking_metrics``) always ranks all candidates.

**Conversions** (``conversion_report``). An introduction recorded in the store converts when
the pair has a tie whose latest evidence is dated on or after the outcome date.

Examples
--------
>>> import networkx as nx
>>> G = dated_karate(seed=1)
>>> ev = evaluate_graph(G, train_until="2019-03-31", test_until="2020-03-31", k=5)
>>> ev.new_ties > 0, sorted(ev.methods)[:2]
(True, ['adamic_adar', 'common_neighbours'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import networkx as nx
import numpy as np
import pandas as pd
from scipy.optimize import minimize

from graph.calibration_folds import guard, is_degenerate, time_folds
from graph.entry import entry_dates, entry_warning, graph_entry_dates, present_at
from graph.errors import GraphError
from graph.suggest import (
    DEFAULT_WEIGHTS,
    FEATURES,
    Signals,
    _feature_pairs,
    _feature_rows,
    _row_jitter,
    build_signals,
)
from ingest.schemas import Dataset

__all__ = [
    "BASELINES",
    "CALIBRATION_VERSION",
    "MethodScores",
    "Calibration",
    "Evaluation",
    "ConversionReport",
    "parse_cutoff",
    "one_year_before",
    "new_ties",
    "ranking_metrics",
    "calibrate",
    "calibrate_history",
    "evaluate",
    "evaluate_graph",
    "conversion_report",
    "dated_karate",
]

# Not a model signal: |N(u) ∩ N(v)| / |N(u) ∪ N(v)|, a baseline only.
JACCARD = "jaccard"
BASELINES: Mapping[str, Mapping[str, float] | None] = {
    "random": None,
    "common_neighbours": {"common_neighbours": 1.0},
    "preferential_attachment": {"preferential_attachment": 1.0},
    "adamic_adar": {"adamic_adar": 1.0},
    "resource_allocation": {"resource_allocation": 1.0},
    "jaccard": {JACCARD: 1.0},
}
MIN_POSITIVES = 5
CALIBRATION_YEARS = 3
# Bumped whenever calibration changes, so weights cached by an older version are refitted.
CALIBRATION_VERSION = 4
# Calibration windows are added, most recent first, until this many organisations have a new
# tie (at city scale the latest year alone has thousands; a ward needs all three years).
ENOUGH_ORGANISATIONS = 600
# Held-out rankings keep every new partner and this many other candidates (seeded sample).
HELD_SAMPLE = 1000


class MethodScores(NamedTuple):
    """Ranking quality of one method, averaged over the organisations evaluated."""

    precision_at_k: float
    recall_at_k: float
    map: float
    auc: float


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
        (``graph.suggest.check_weights``)."""
        from graph.suggest import check_weights

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


@dataclass(frozen=True)
class ConversionReport:
    """Which recorded introductions became ties: one row per pair, and a summary by status."""

    pairs: pd.DataFrame
    summary: pd.DataFrame


# --- dates ------------------------------------------------------------------------------------

def parse_cutoff(value) -> dt.date:
    """A cut-off day from a date or a fiscal year (``FY2018`` → 2019-03-31).

    Examples
    --------
    >>> parse_cutoff("FY2018"), parse_cutoff("2019-06-30"), parse_cutoff("令和元年度")
    (datetime.date(2019, 3, 31), datetime.date(2019, 6, 30), datetime.date(2020, 3, 31))
    >>> parse_cutoff("soon")
    Traceback (most recent call last):
    ...
    graph.errors.GraphError: cannot read 'soon' as a date or a fiscal year (e.g. 2019-03-31, FY2018)
    """
    from ingest.normalise import fiscal_year_bounds, parse_date, parse_fiscal_year

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    text = str(value).strip()
    if text.upper().startswith("FY") or "年度" in text:
        try:
            return fiscal_year_bounds(parse_fiscal_year(text))[1]
        except ValueError:
            pass
    try:
        return parse_date(text)
    except ValueError:
        pass
    raise GraphError(f"cannot read {text!r} as a date or a fiscal year (e.g. 2019-03-31, FY2018)")


def one_year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (29 February → 28 February).

    >>> one_year_before(dt.date(2020, 2, 29))
    datetime.date(2019, 2, 28)
    """
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


# --- snapshots --------------------------------------------------------------------------------

Snapshot = Callable[[dt.date], tuple[nx.Graph, Dataset | None]]


def _dataset_snapshots(dataset: Dataset) -> Snapshot:
    """``tie_graph`` and ``restrict`` of a dataset at a day, memoised by day (evaluation and
    calibration both need the graph at the training cut-off)."""
    from graph.build import restrict, tie_graph

    memo: dict = {}
    entry = entry_dates(dataset)

    def snap(day: dt.date):
        if day not in memo:
            G = tie_graph(dataset, as_of=day)
            present = present_at(entry, day)
            G.remove_nodes_from([u for u in list(G) if u not in present])
            memo[day] = (G, restrict(dataset, as_of=day))
        return memo[day]

    return snap


def _graph_snapshots(G: nx.Graph) -> Snapshot:
    entry = graph_entry_dates(G)

    def snap(day: dt.date):
        present = present_at(entry, day)
        H = nx.Graph(**G.graph)  # the declared city (Osaka ward borders or not) included
        H.add_nodes_from((u, d) for u, d in G.nodes(data=True) if u in present)
        H.add_edges_from((u, v, d) for u, v, d in G.edges(data=True)
                         if (d.get("first_date") is None or d["first_date"] <= day)
                         and u in present and v in present)
        return H, None

    return snap


def new_ties(before: nx.Graph, after: nx.Graph) -> list[tuple[str, str]]:
    """Pairs tied in ``after`` but not in ``before``, both present in ``before``.

    Examples
    --------
    >>> a, b = nx.Graph([(1, 2)]), nx.Graph([(1, 2), (2, 3), (3, 4)])
    >>> a.add_node(3)
    >>> new_ties(a, b)
    [(2, 3)]
    """
    return sorted((u, v) for u, v in after.edges()
                  if u != v and u in before and v in before and not before.has_edge(u, v))


def _positives(sig: Signals, pairs: Iterable[tuple[str, str]]) -> dict[int, np.ndarray]:
    out: dict[int, set[int]] = {}
    for u, v in pairs:
        i, j = sig.index[u], sig.index[v]
        out.setdefault(i, set()).add(j)
        out.setdefault(j, set()).add(i)
    return {i: np.array(sorted(js), dtype=int) for i, js in sorted(out.items())}


# --- metrics ----------------------------------------------------------------------------------

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
        The graph at the cut-off (``graph.suggest.build_signals``).
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
    >>> from graph.suggest import example_graph
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
        values = {f: (_jaccard_rows(sig, chunk) if f == JACCARD else _feature_rows(sig, chunk, f))
                  for f in needed}
        candidate = sig.adjacency[chunk].toarray() == 0
        candidate[np.arange(len(chunk)), chunk] = False
        jitter = np.vstack([_row_jitter(seed, int(r), n) for r in chunk])
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


# --- calibration ------------------------------------------------------------------------------

def _sample_pairs(sig: Signals, positives: Mapping[int, np.ndarray], negatives: int,
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


def _fit_weights(X: np.ndarray, y: np.ndarray, starts: np.ndarray) -> dict[str, float]:
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


class _Held(NamedTuple):
    """Signals of some organisations against their new partners and a seeded sample of their
    other candidates, to score many weightings fast."""

    X: np.ndarray          # rows × width × features (float32)
    valid: np.ndarray      # rows × width bool: a real column (not padding)
    positive: np.ndarray   # rows × width bool: a new partner
    jitter: np.ndarray     # rows × width
    factor: np.ndarray     # per row: its other candidates / those sampled (1 when all kept)
    pos_weight: np.ndarray  # per positive column (row-major order): 1 / (the row's new partners)


def _hold(sig: Signals, positives: Mapping[int, np.ndarray], rows, seed: int,
          sample: int = HELD_SAMPLE) -> _Held:
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
        dense = [_feature_rows(sig, chunk, f) for f in FEATURES]
        for c, r in enumerate(chunk):
            i = start + c
            pos, kept = columns[i]
            cols = np.concatenate([pos, kept]).astype(int)
            X[i, :len(cols)] = np.stack([d[c, cols] for d in dense], axis=1)
            valid[i, :len(cols)] = True
            positive[i, :len(pos)] = True
            jitter[i, :len(cols)] = _row_jitter(seed, int(r), n)[cols]
    counts = positive.sum(axis=1)
    pos_weight = np.repeat(1.0 / np.maximum(counts, 1), counts)
    return _Held(X, valid, positive, jitter, np.array(factors), pos_weight)


def _ap_sum(held: _Held, w: np.ndarray, k: int = 0) -> float:
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


def _search(helds: list[_Held], start: np.ndarray, scale: np.ndarray, k: int,
            passes: int = 2) -> np.ndarray:
    """Coordinate search on MAP + precision@k: each weight in turn tries a grid of values (in
    units of the signal's spread) and keeps the best; ``passes`` sweeps."""
    w = start.copy()
    best = sum(_ap_sum(h, w, k) for h in helds)
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
                got = sum(_ap_sum(h, trial, k) for h in helds)
                if got > best + 1e-9:
                    best, w, improved = got, trial, True
        if not improved:
            break
    return w


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
        us, vs, ys = _sample_pairs(sig, positives, negatives, rng)
        X = np.column_stack([_feature_pairs(sig, us, vs, f) for f in FEATURES])
        helds = [_hold(sig, positives, h, seed) for h in halves]
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
    weights = _fit_weights(np.vstack(Xs), np.concatenate(Ys), np.concatenate(starts))
    return np.array([weights[f] for f in FEATURES])


def _trained(prepared: list, keep: list, helds: list, singles: Mapping[str, np.ndarray],
             scale: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """The logit and the coordinate search (started from the better of the logit and each
    signal alone on ``helds``) trained on ``keep`` / ``helds``."""
    logistic = _fit(prepared, keep)
    starts = {"logistic": logistic, **singles}
    start = max(starts.values(), key=lambda w: sum(_ap_sum(h, w, k) for h in helds))
    return {"logistic": logistic, "search": _search(helds, start, scale, k)}


def _everyone(prepared: list) -> tuple[list, list]:
    """``keep`` and ``helds`` of every organisation of ``prepared``."""
    return ([np.ones(len(p[0]), dtype=bool) for p in prepared],
            [h for p in prepared for h in p[4]])


def _select(prepared: list, *, k: int = 10, method: str | None = None):
    """Fit (conditional logit, then coordinate search on MAP + precision@k) on half the
    organisations of the pooled windows, score on the other half and vice versa; the fit and
    the search compete with each signal alone on that held-out MAP + precision@k (MAP alone is
    reported), and :func:`graph.calibration_folds.guard` keeps the fitted model only when it
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
        best = max(singles, key=lambda name: sum(_ap_sum(h, singles[name], k)
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
            totals[name] = totals.get(name, 0.0) + sum(_ap_sum(h, w) for h in test_helds)
            both[name] = both.get(name, 0.0) + sum(_ap_sum(h, w, k) for h in test_helds)
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
    return {name: sum(_ap_sum(h, w, k) for h in helds) / rows for name, w in vectors.items()}


def _scaled(vector: np.ndarray) -> dict[str, float]:
    top = float(np.max(vector))
    return {f: float(x / top) for f, x in zip(FEATURES, vector)}


def _calibrate_windows(windows: list[tuple[Signals, dict[int, np.ndarray]]], *, negatives: int,
                       max_orgs: int, seed: int, k: int = 10):
    """Weights from the windows (most recent first), guarded.

    One window: :func:`_select` (organisation halves are the held-out fold). Several: the
    most recent is the held-out fold; the logit and the search fitted on the earlier ones
    compete there with every signal alone (:func:`graph.calibration_folds.guard`); the better
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
    is degenerate, is replaced by that signal (``graph.calibration_folds.guard``). Weights are
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
            windows.append((s, _positives(s, pairs)))
    if count < MIN_POSITIVES:
        reason = f"only {count} new ties to learn from; default weights"
        return Calibration(dict(DEFAULT_WEIGHTS), "default", fit_until, label_until, count,
                           note=reason, scheme=scheme, folds=folds, reason=reason)
    weights, method, validation, held, reason, sampled = _calibrate_windows(
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

    The folds (``graph.calibration_folds.time_folds``) are the fiscal years before ``until``
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
    return _calibrate_snapshots(_dataset_snapshots(dataset), parse_cutoff(until), seed, years, k)


def _calibrate_snapshots(snap: Snapshot, until: dt.date, seed: int,
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


# --- evaluation -------------------------------------------------------------------------------

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
        calibration = _calibrate_snapshots(snap, T, seed, k=int(k))
    else:
        from graph.suggest import check_weights

        calibration = Calibration(check_weights(weights), "given",
                                  reason="weights given by the caller")
    sig = build_signals(G_T, ds_T)
    positives = _positives(sig, pairs)
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
        Fixed model weights; by default they are calibrated (:func:`calibrate_history` at
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
    return _evaluate(_dataset_snapshots(dataset), train_until, test_until, k, seed, weights,
                     (entry_warning(dataset),))


def evaluate_graph(G: nx.Graph, *, train_until, test_until, k: int = 10, seed: int = 0,
                   weights: Mapping[str, float] | None = None) -> Evaluation:
    """:func:`evaluate` for a graph whose edges carry ``first_date`` (no dataset needed).

    The snapshot at a day keeps every node and the edges with ``first_date`` on or before it
    (undated edges always). Used for structure-only networks such as :func:`dated_karate`.

    Examples
    --------
    >>> ev = evaluate_graph(dated_karate(seed=0), train_until="2019-03-31",
    ...                     test_until="2020-03-31", k=5)
    >>> 0.0 <= ev.methods["model"].map <= 1.0
    True
    """
    return _evaluate(_graph_snapshots(G), train_until, test_until, k, seed, weights)


def dated_karate(*, seed: int = 0, start: dt.date = dt.date(2015, 4, 1),
                 years: int = 5) -> nx.Graph:
    """Zachary's karate club with a seeded random first date on every tie (structure only).

    Examples
    --------
    >>> G = dated_karate(seed=3)
    >>> G.number_of_edges(), min(d for _, _, d in G.edges(data="first_date")) >= dt.date(2015, 4, 1)
    (78, True)
    """
    rng = np.random.default_rng(seed)
    K = nx.karate_club_graph()
    G = nx.Graph()
    G.add_nodes_from((f"K{u:02d}", {"name": f"member {u}", "kind": "other", "ward": "",
                                    "orientation": "", "fields": (), "synthetic": True})
                     for u in K)
    days = (dt.date(start.year + years, start.month, start.day) - start).days
    for i, (u, v) in enumerate(sorted(K.edges())):
        day = start + dt.timedelta(days=int(rng.integers(days)))
        G.add_edge(f"K{u:02d}", f"K{v:02d}", weight=1.0, evidence=(f"collaborations:KC{i:03d}",),
                   first_date=day, last_date=day)
    return G


# --- conversions ------------------------------------------------------------------------------

def conversion_report(outcomes: pd.DataFrame, G: nx.Graph) -> ConversionReport:
    """How many recorded introductions became ties.

    Each pair counts once, with its latest outcome (by date, then by order of recording). It
    *converted* when ``G`` ties the pair and the tie's latest evidence (``last_date``) is on
    or after that outcome's date.

    Parameters
    ----------
    outcomes : DataFrame
        ``ingest.store.read_outcomes``: ``org_a, org_b, status, on`` (and ``goal``, ``note``).
    G : networkx.Graph
        The current tie graph (``graph.build.tie_graph``), not modified.

    Returns
    -------
    ConversionReport
        ``pairs``: ``org_a, org_b, status, on, tied, tie_first_date, tie_last_date,
        converted``; ``summary``: per status and ``all``: ``introductions, converted, rate``.

    Examples
    --------
    >>> from graph.suggest import example_graph
    >>> out = pd.DataFrame({"org_a": ["A", "A"], "org_b": ["D", "B"],
    ...                     "status": ["introduced", "partnered"],
    ...                     "on": [dt.date(2019, 1, 1), dt.date(2019, 1, 1)]})
    >>> report = conversion_report(out, example_graph())
    >>> report.pairs["converted"].tolist(), float(report.summary.loc["all", "rate"])
    ([False, True], 0.5)
    """
    required = {"org_a", "org_b", "status", "on"}
    missing = required - set(outcomes.columns)
    if missing:
        raise GraphError(f"outcomes: missing column(s) {', '.join(sorted(missing))}")
    frame = outcomes.copy()
    frame["on"] = pd.to_datetime(frame["on"]).dt.date
    frame["_order"] = np.arange(len(frame))
    frame["_pair"] = [tuple(sorted((str(a), str(b)))) for a, b in zip(frame["org_a"], frame["org_b"])]
    latest = frame.sort_values(["on", "_order"]).groupby("_pair", sort=True).tail(1)
    rows = []
    for rec in latest.sort_values("_order").itertuples(index=False):
        a, b = rec.org_a, rec.org_b
        tied = G.has_edge(a, b)
        first = G.edges[a, b].get("first_date") if tied else None
        last = G.edges[a, b].get("last_date") if tied else None
        rows.append({"org_a": a, "org_b": b, "status": rec.status, "on": rec.on, "tied": tied,
                     "tie_first_date": first, "tie_last_date": last,
                     "converted": bool(tied and last is not None and last >= rec.on)})
    pairs = pd.DataFrame(rows, columns=["org_a", "org_b", "status", "on", "tied",
                                        "tie_first_date", "tie_last_date", "converted"])
    groups = [(status, pairs[pairs["status"] == status]) for status in sorted(pairs["status"].unique())]
    groups.append(("all", pairs))
    summary = pd.DataFrame(
        [{"status": s, "introductions": len(p), "converted": int(p["converted"].sum()),
          "rate": round(float(p["converted"].mean()), 4) if len(p) else 0.0} for s, p in groups]
    ).set_index("status")
    return ConversionReport(pairs, summary)
