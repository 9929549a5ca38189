"""Introductions: who should meet whom, why, and how well the suggestions predict new ties.

Suggesting introductions (``tsunagari suggest``, the 紹介提案 page):

* :mod:`graph.introductions.signals` — the pair signals (``FEATURES``) as sparse matrices of a
  tie graph (:func:`build_signals`), the ward borders, :func:`example_graph`;
  below it :mod:`~graph.introductions.topics` (event series and resource topics, read from
  their names) and :mod:`~graph.introductions.partners` (partners, :func:`partner_positions`,
  :func:`order_ranks`, and the first record of a tie, fetched from the store on the array
  core: :func:`tie_evidence`, :func:`prefetch_tie_evidence`);
* :mod:`graph.introductions.scoring` — weighted sums of the signals (``DEFAULT_WEIGHTS``,
  :func:`score_block`, :func:`pair_features`);
* :mod:`graph.introductions.candidates` — the exact best candidates of each organisation
  without scoring every pair (``ranked_heads``);
* :mod:`graph.introductions.reasons` — the reasons a coordinator can say out loud
  (:class:`Reason`), each citing records;
* :mod:`graph.introductions.ranking` — :func:`suggest` (goals ``strengthen`` / ``bridge``),
  :func:`select_orgs`, :func:`work_list`.

Evaluating and calibrating them (``tsunagari evaluate``, ``docs/evaluation.md``):

* :mod:`graph.introductions.history` — cut-offs, snapshots at a day, :func:`new_ties`,
  :func:`dated_karate`;
* :mod:`graph.introductions.metrics` — precision@k, recall@k, MAP, AUC
  (:func:`ranking_metrics`);
* :mod:`graph.introductions.evaluation` — :func:`evaluate` / :func:`evaluate_graph` against
  the baselines;
* :mod:`graph.introductions.calibration` — :class:`Calibration`, :func:`calibrate`,
  :func:`calibrate_history`; below it :mod:`~graph.introductions.folds` (time folds and the
  guard), :mod:`~graph.introductions.fitting` (conditional logit, held-out rankings, coordinate
  search) and :mod:`~graph.introductions.selection` (which weighting wins);
* :mod:`graph.introductions.conversions` — which recorded introductions became ties.

Talents and consultations (``tsunagari talents``, ``tsunagari match``):

* :mod:`graph.introductions.talent` — public community talents (地域公共人材) for a group;
* :mod:`graph.introductions.matching` — helpers for a consultation's need, with
  :mod:`~graph.introductions.matching_reasons`; scored on a later period by
  :mod:`~graph.introductions.matching_evaluation`.

Import from the package (``from graph.introductions import suggest``); the submodules are where
the code lives, not an interface.
"""

from graph.introductions.calibration import (
    CALIBRATION_VERSION,
    Calibration,
    calibrate,
    calibrate_history,
)
from graph.introductions.conversions import ConversionReport, conversion_report
from graph.introductions.evaluation import BASELINES, Evaluation, evaluate, evaluate_graph
from graph.introductions.folds import (
    GUARD_MARGIN,
    MIN_FISCAL_YEARS,
    QUANTILES,
    Folds,
    guard,
    is_degenerate,
    time_folds,
)
from graph.introductions.history import dated_karate, new_ties, one_year_before, parse_cutoff
from graph.introductions.matching import (
    TOPIC_SKILLS,
    Match,
    Need,
    consultation_need,
    example_match_dataset,
    match,
    open_needs,
)
from graph.introductions.matching_evaluation import (
    MATCH_METHODS,
    MatchEvaluation,
    evaluate_matches,
    example_later_dataset,
)
from graph.introductions.matching_reasons import TOPIC_WORDS
from graph.introductions.metrics import MethodScores, ranking_metrics
from graph.introductions.partners import (
    order_ranks,
    partner_positions,
    prefetch_tie_evidence,
    tie_evidence,
)
from graph.introductions.ranking import GOALS, Suggestion, select_orgs, suggest, work_list
from graph.introductions.reasons import EVENT_KIND_LABELS, FIELDS_EN, Reason
from graph.introductions.scoring import DEFAULT_WEIGHTS, check_weights, pair_features, score_block
from graph.introductions.signals import (
    FEATURES,
    STRUCTURAL_FEATURES,
    Signals,
    build_signals,
    example_graph,
    orientation_sign,
    ward_adjacency,
)
from graph.introductions.talent import (
    SKILL_SYNONYMS,
    TALENT_WEIGHTS,
    TalentMatch,
    example_talent_dataset,
    match_talents,
    skill_key,
    skill_names_ja,
)

__all__ = [
    # suggesting
    "FEATURES", "STRUCTURAL_FEATURES", "DEFAULT_WEIGHTS", "GOALS", "EVENT_KIND_LABELS",
    "FIELDS_EN", "Reason", "Suggestion", "Signals", "ward_adjacency", "orientation_sign",
    "build_signals", "check_weights", "pair_features", "score_block", "select_orgs", "suggest",
    "work_list", "example_graph", "tie_evidence", "prefetch_tie_evidence",
    "partner_positions", "order_ranks",
    # evaluating and calibrating
    "BASELINES", "CALIBRATION_VERSION", "MethodScores", "Calibration", "Evaluation",
    "ConversionReport", "parse_cutoff", "one_year_before", "new_ties", "ranking_metrics",
    "calibrate", "calibrate_history", "evaluate", "evaluate_graph", "conversion_report",
    "dated_karate", "MIN_FISCAL_YEARS", "QUANTILES", "GUARD_MARGIN", "Folds", "time_folds",
    "is_degenerate", "guard",
    # talents and consultations
    "TALENT_WEIGHTS", "SKILL_SYNONYMS", "TalentMatch", "skill_key", "skill_names_ja",
    "match_talents", "example_talent_dataset", "TOPIC_SKILLS", "TOPIC_WORDS", "Match", "Need",
    "consultation_need", "open_needs", "match", "example_match_dataset", "MATCH_METHODS",
    "MatchEvaluation", "evaluate_matches", "example_later_dataset",
]
