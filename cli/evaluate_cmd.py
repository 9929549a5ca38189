"""`tsunagari evaluate`: how well introductions predict the ties that came later.

Train on records up to T, score against ties new by T2: precision@k, recall@k, MAP, AUC for the
model and the baselines (``--json``). ``evaluate`` always calibrates inside its training period
(never cached). Data and exit status: ``cli.intro_common``.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="tsunagari"); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["evaluate", "--train-until", "FY2018", "--test-until", "FY2019"])
>>> args.k, args.train_until, args.func.__name__
(10, 'FY2018', 'cmd_evaluate')
"""

from __future__ import annotations

import json

from cli.common import EXIT_OK, add_input_arguments
from cli.intro_common import load_records, run_reporting

__all__ = ["register", "cmd_evaluate", "calibration_note"]


def register(sub) -> None:
    """Add `evaluate`."""
    p = sub.add_parser("evaluate", help="precision@k, recall@k, MAP, AUC on a later period",
                       description="Build the graph up to --train-until, suggest, and score "
                                   "against ties first appearing up to --test-until.")
    p.add_argument("--train-until", required=True, metavar="T", help="date or FY2018")
    p.add_argument("--test-until", required=True, metavar="T2", help="date or FY2019")
    p.add_argument("--k", type=int, default=10, help="cut-off of precision and recall (10)")
    p.add_argument("--seed", type=int, default=0, help="seed (0)")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_input_arguments(p)
    p.set_defaults(func=cmd_evaluate)


def calibration_note(calibration) -> str:
    """How the model was calibrated, for the CLI: method, folds, weights and the reason.

    >>> from graph.introductions import Calibration
    >>> print(calibration_note(Calibration({"adamic_adar": 1.0}, "single:adamic_adar",
    ...       scheme="date_quantiles", folds=({"graph_at": "2004-05-24",
    ...       "labels_until": "2004-05-31", "new_ties": 12, "role": "held_out"},),
    ...       reason="the fitted model does not beat adamic_adar alone")))
    calibration: single:adamic_adar on date_quantiles folds: 2004-05-24→2004-05-31 (12 new ties, held_out)
      weights: adamic_adar=1.00
      why: the fitted model does not beat adamic_adar alone
    """
    folds = ", ".join(f"{f.get('graph_at')}→{f.get('labels_until')} ({f.get('new_ties')} new "
                      f"ties, {f.get('role')})" for f in calibration.folds)
    head = f"calibration: {calibration.method}"
    if calibration.scheme:
        head += f" on {calibration.scheme} folds" + (f": {folds}" if folds else "")
    weights = ", ".join(f"{k}={v:.2f}" for k, v in calibration.weights.items() if v)
    lines = [head, f"  weights: {weights or 'none'}"]
    if calibration.reason or calibration.note:
        lines.append(f"  why: {calibration.reason or calibration.note}")
    return "\n".join(lines)


def cmd_evaluate(args) -> int:
    """Run `tsunagari evaluate`."""
    return run_reporting(_evaluate, args)


def _evaluate(args) -> int:
    from graph.introductions import evaluate

    dataset = load_records(args)
    ev = evaluate(dataset, train_until=args.train_until, test_until=args.test_until, k=args.k,
                  seed=args.seed)
    if args.json:
        print(json.dumps(ev.to_dict(), ensure_ascii=False))
        return EXIT_OK
    print(f"train ≤ {ev.train_until}, test ({ev.train_until}, {ev.test_until}]: "
          f"{ev.new_ties} new ties, {ev.organisations} organisations ranked; "
          f"model weights: {ev.calibration.method}")
    print(calibration_note(ev.calibration))
    for warning in ev.warnings:
        print(f"warning: {warning}")
    if not ev.new_ties:
        print("no new tie first appears in the test period (or its records are undated): "
              "nothing to score, the figures below are zeros")
    print(ev.table().round(4).to_string())
    return EXIT_OK
