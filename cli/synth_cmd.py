"""`tsunagari synth`: write a deterministic synthetic dataset (ward, city or nation scale).

Exit status: 0 success, 2 bad input (unknown scale, unreadable fiscal year, a folder that
holds non-synthetic data).

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="tsunagari"); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["synth", "--scale", "ward", "--seed", "3", "--out", "x"])
>>> args.scale, args.seed, args.first, args.last
('ward', 3, 'FY2014', 'FY2024')
"""

from __future__ import annotations

import json
import sys
import time

__all__ = ["register", "cmd_synth"]

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def register(sub) -> None:
    """Add the ``synth`` subcommand."""
    from synth.generator import SCALES

    p = sub.add_parser(
        "synth", help="generate a synthetic dataset calibrated to Osaka's report",
        description="Write a synthetic dataset folder (UTF-8 CSVs + dataset.json). Every record "
                    "is marked synthetic and every id starts with S-. Same seed → same bytes.")
    p.add_argument("--scale", choices=SCALES, default="city",
                   help="ward (~10³ organisations), city (~10⁴), nation (~10⁶, streamed)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--from", dest="first", default="FY2014", metavar="FY",
                   help="first fiscal year, e.g. FY2014 or 平成26年度 (default FY2014)")
    p.add_argument("--to", dest="last", default="FY2024", metavar="FY",
                   help="last fiscal year (default FY2024)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write")
    p.add_argument("--fraction", type=float, default=1.0,
                   help="nation scale only: generate this fraction of the municipalities")
    p.add_argument("--count-ties", action="store_true",
                   help="also count distinct org–org ties (slower)")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.set_defaults(func=cmd_synth)


def cmd_synth(args) -> int:
    """Run ``tsunagari synth``; returns the exit status."""
    from ingest.normalise import parse_fiscal_year
    from synth.generator import generate

    try:
        first, last = parse_fiscal_year(args.first), parse_fiscal_year(args.last)
    except ValueError as exc:
        print(f"synth: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    start = time.perf_counter()
    try:
        counts = generate(args.out, scale=args.scale, seed=args.seed, first_fy=first,
                          last_fy=last, progress=True, fraction=args.fraction,
                          count_ties=args.count_ties)
    except ValueError as exc:
        print(f"synth: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    elapsed = time.perf_counter() - start
    if args.json:
        print(json.dumps({"out": str(args.out), "seconds": round(elapsed, 2), **counts},
                         ensure_ascii=False))
        return EXIT_OK
    print(f"synthetic {args.scale} dataset, seed {args.seed}, FY{first}–FY{last} → {args.out} "
          f"({elapsed:.1f} s)")
    for table, n in counts.items():
        print(f"  {table:<15} {n:>12,}")
    return EXIT_OK
