"""`tsunagari match | match-outcome`: who can help with a consultation, and what came of it.

``match CONSULTATION_ID``   rank offers, talents and organisations for one consultation
``match --org ORG``         … for an organisation's open consultations
``match --evaluate``        hit rate on a later period against baselines (``--split DATE``)
``match-outcome``           record the outcome of a match (like ``tsunagari outcome``)

>>> import argparse
>>> sub = argparse.ArgumentParser().add_subparsers()
>>> register(sub)
>>> sorted(sub.choices)
['match', 'match-outcome']
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from cli.common import EXIT_OK, add_input_arguments, load_input

__all__ = ["cmd_match", "cmd_match_outcome", "match_json", "register"]


def register(sub) -> None:
    """Add `match` and `match-outcome`."""
    p = sub.add_parser("match", help="who can help with a consultation (offers, talents, groups)",
                       description="Rank resource offers, public community talents and "
                                   "organisations whose records show they dealt with the same "
                                   "need, with reasons, network distance and ward proximity.")
    p.add_argument("consultation", nargs="?", metavar="CONSULTATION_ID")
    p.add_argument("--org", metavar="ORG", help="an organisation's open consultations instead")
    p.add_argument("--top", type=int, default=10, help="matches to show (10)")
    p.add_argument("--as-of", metavar="DATE",
                   help="use only records up to DATE (default: every record, as of today)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--evaluate", action="store_true",
                   help="score matching against baselines on the period after --split")
    p.add_argument("--split", metavar="DATE", help="with --evaluate: rank with records to DATE")
    p.add_argument("--until", metavar="DATE", help="with --evaluate: end of the later period")
    p.add_argument("--k", type=int, default=3, help="with --evaluate: top k that count (3)")
    p.add_argument("--seed", type=int, default=0, help="with --evaluate: baseline order (0)")
    add_input_arguments(p)
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("match-outcome", help="record what came of a match",
                       description="Record the outcome of a match in the store (an outcome "
                                   "with goal match:<consultation>:<kind>:<helper>).")
    p.add_argument("consultation", metavar="CONSULTATION_ID")
    p.add_argument("kind", choices=("offer", "talent", "organisation"))
    p.add_argument("helper", metavar="HELPER_ID", help="offer, talent or organisation id")
    p.add_argument("--status", required=True,
                   choices=("proposed", "introduced", "declined", "partnered"))
    p.add_argument("--on", metavar="DATE", help="date of the outcome (default today)")
    p.add_argument("--note", default="", help="free text")
    p.add_argument("--store", metavar="FILE", help="DuckDB store")
    p.add_argument("--timeout", type=float, default=None, help="seconds to wait for the store")
    p.set_defaults(func=cmd_match_outcome)


def match_json(need, matches) -> dict:
    """The need and its matches as plain JSON-ready data.

    >>> from graph.introductions import consultation_need, example_match_dataset, match
    >>> ds = example_match_dataset()
    >>> need = consultation_need(ds, "K1")
    >>> out = match_json(need, match(ds, need, top=1))
    >>> out["need"]["topics"], out["matches"][0]["id"], out["matches"][0]["reasons"][0]["code"]
    (['publicity'], 'R1', 'offer_fits')
    """
    return {"need": {"topics": list(need.topics), "ward": need.ward, "org": need.org,
                     "on": None if need.on is None else str(need.on.date()),
                     "consultations": list(need.consultations)},
            "matches": [{"rank": i + 1, "kind": m.kind, "id": m.id, "org": m.org,
                         "label": m.label, "score": m.score, "distance": m.distance,
                         "proximity": m.proximity,
                         "reasons": [{"code": r.code, "ja": r.ja, "en": r.en,
                                      "evidence": list(r.evidence),
                                      "contribution": r.contribution} for r in m.reasons]}
                        for i, m in enumerate(matches)]}


def _run(body, args) -> int:
    """``cli.intro_common.run_reporting`` (one way to report bad input and store problems), with
    this command's own refusals (``ValueError``: a missing id, an unknown helper) as bad input."""
    from cli.intro_common import BadInput, run_reporting
    from graph.errors import GraphError
    from ingest.validate import IngestError

    def checked(a):
        try:
            return body(a)
        except (IngestError, GraphError):
            raise                                    # reported by run_reporting itself
        except ValueError as exc:
            raise BadInput(str(exc)) from exc

    return run_reporting(checked, args)


def cmd_match(args) -> int:
    """Run `tsunagari match`."""
    return _run(_match, args)


def _match(args) -> int:
    from graph.introductions import consultation_need, match, open_needs

    if args.evaluate:
        return _evaluate(args)
    if bool(args.consultation) == bool(args.org):
        raise ValueError("give a CONSULTATION_ID or --org ORG (one of them)")
    dataset = load_input(args)
    if args.org:
        from cli.intro_common import resolve_org

        need = open_needs(dataset, resolve_org(dataset, args.org))
    else:
        need = consultation_need(dataset, args.consultation)
    from graph.introductions import parse_cutoff

    as_of = parse_cutoff(args.as_of) if args.as_of else dt.date.today()
    matches = match(dataset, need, top=args.top, as_of=as_of)
    if args.json:
        print(json.dumps(match_json(need, matches), ensure_ascii=False, indent=1))
        return EXIT_OK
    from ingest.consultations import topic_label

    print(f"need: {', '.join(topic_label(t) for t in need.topics)} (ward {need.ward or '—'}, "
          f"asked by {need.org or 'an individual'}; consultations {', '.join(need.consultations)})")
    if not matches:
        print("no offer, talent or organisation fits these topics in the records")
    for i, m in enumerate(matches, 1):
        hops = "—" if m.distance is None else str(m.distance)
        print(f"#{i} {m.kind} {m.id} {m.label}  score {m.score:.3f}  distance {hops}"
              f"  ward {m.proximity or '—'}")
        for r in m.reasons:
            more = f" … +{len(r.evidence) - 5}" if len(r.evidence) > 5 else ""
            print(f"    {r.ja} / {r.en}  [{', '.join(r.evidence[:5])}{more}]")
    return EXIT_OK


def _evaluate(args) -> int:
    from graph.introductions import evaluate_matches

    if not args.split:
        raise ValueError("--evaluate needs --split DATE (rank with the records up to DATE)")
    ev = evaluate_matches(load_input(args), split=args.split, until=args.until, k=args.k,
                          seed=args.seed)
    if args.json:
        print(json.dumps({"split": str(ev.split), "until": None if ev.until is None else
                          str(ev.until), "k": ev.k, "positives": ev.positives,
                          "methods": ev.table.reset_index().to_dict("records")},
                         ensure_ascii=False))
        return EXIT_OK
    print(f"consultations ≤ {ev.split}; new ties in ({ev.split}, {ev.until or 'end'}]; "
          f"hit = one of the top {ev.k} became a tie; {ev.positives} askers formed any new tie")
    print(ev.table.to_string())
    return EXIT_OK


def cmd_match_outcome(args) -> int:
    """Run `tsunagari match-outcome`."""
    return _run(_match_outcome, args)


def _match_outcome(args) -> int:
    from ingest.match_outcomes import record_match_outcome
    from ingest.store import default_store_path, read_dataset

    store = Path(args.store) if args.store else default_store_path()
    if not store.exists():     # else a new, empty store would hold an outcome of nothing
        raise ValueError(f"no store at {store}; ingest the consultations first "
                         "(tsunagari ingest PATH)")
    asker = helper_org = ""
    ds = read_dataset(store, timeout=args.timeout)
    rows = ds.table("consultations")
    rows = rows.loc[rows["id"].astype(str) == args.consultation]
    if len(rows):
        asker = str(rows.iloc[-1]["org_id"] or "")
    if args.kind == "offer":
        offers = ds.table("resources")
        found = offers.loc[offers["id"].astype(str) == args.helper]
        helper_org = str(found.iloc[-1]["provider_id"]) if len(found) else ""
    outcome = record_match_outcome(store, consultation=args.consultation, kind=args.kind,
                                   helper=args.helper, status=args.status, asker=asker,
                                   helper_org=helper_org, on=args.on, note=args.note,
                                   timeout=args.timeout)
    print(f"outcome {outcome}: match {args.consultation} → {args.kind} {args.helper} "
          f"{args.status} recorded in {store}")
    return EXIT_OK
