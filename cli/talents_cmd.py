"""`tsunagari talents`: public community talents (地域公共人材) for a group's skill request.

Talents are pseudonymous ids, ranked by skills and past dispatches
(``graph.introductions.match_talents``). Data, names and exit status: ``cli.intro_common``.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="tsunagari"); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["talents", "--skills", "デザイン;広報"])
>>> args.top, args.func.__name__
(5, 'cmd_talents')
"""

from __future__ import annotations

import json

from cli.common import EXIT_OK, add_input_arguments
from cli.intro_common import load_records, resolve_org, run_reporting

__all__ = ["register", "cmd_talents"]


def register(sub) -> None:
    """Add `talents`."""
    p = sub.add_parser("talents", help="public community talents for a group's request",
                       description="Rank 地域公共人材 (pseudonymous ids) by skills and past "
                                   "dispatches.")
    p.add_argument("--org", help="requesting organisation (id or name)")
    p.add_argument("--skills", default="", help="skills needed, separated by ; or ,")
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--json", action="store_true", help="print JSON")
    add_input_arguments(p)
    p.set_defaults(func=cmd_talents)


def cmd_talents(args) -> int:
    """Run `tsunagari talents`."""
    return run_reporting(_talents, args)


def _talents(args) -> int:
    import re

    from graph.introductions import match_talents

    dataset = load_records(args)
    org = resolve_org(dataset, args.org) if args.org else None
    skills = [s.strip() for s in re.split(r"[;,、]", args.skills) if s.strip()]
    matches = match_talents(dataset, skills=skills, org=org, top=args.top)
    if args.json:
        print(json.dumps({"org": org, "skills": skills, "talents": [
            {"talent_id": m.talent_id, "score": round(m.score, 6), "matched_skills": list(m.matched_skills),
             "dispatches": m.dispatches, "parts": {k: round(v, 6) for k, v in m.parts.items()},
             "reasons": [{"code": r.code, "ja": r.ja, "en": r.en, "evidence": list(r.evidence)}
                         for r in m.reasons]} for m in matches]}, ensure_ascii=False, indent=1))
        return EXIT_OK
    if not matches:
        print("no talent matches the request")
    for i, m in enumerate(matches, 1):
        print(f"#{i} {m.talent_id}  score {m.score:.3f}  ({m.dispatches} past dispatches)")
        for r in m.reasons:
            print(f"    {r.ja} / {r.en}  [{', '.join(r.evidence)}]")
    return EXIT_OK
