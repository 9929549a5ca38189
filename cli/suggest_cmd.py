"""`tsunagari suggest | evaluate | outcome | conversions | talents`: introductions, proven.

``suggest``      rank introductions for one organisation (id or name), a ward, a field, a
                 community or everyone; reasons in Japanese and English with the records
                 behind them; ``--out list.csv|list.xlsx`` writes a coordinator's work list.
``evaluate``     train on records up to T, score against ties new by T2: precision@k,
                 recall@k, MAP, AUC for the model and the baselines (``--json``).
``outcome``      record what came of an introduction (proposed / introduced / declined /
                 partnered, with its date) in the store; ``--from`` reads a filled work list.
``conversions``  how many recorded introductions became ties since.
``talents``      public community talents (pseudonymous ids) for a group's skill request.

Data come from the store (``--store``, default ``data/tsunagari.duckdb``) or straight from a
dataset folder / workbook (``--dataset``).

Weights of ``suggest``: the documented ``graph.suggest.DEFAULT_WEIGHTS``, so a coordinator's
single query answers in seconds; ``--weights K=V,...`` fixes them; ``--calibrate`` fits them
on the data's own history (``graph.evaluate.calibrate_history``, about 10–30 s for the whole
city). Calibrated weights of a store are cached in ``<store>.suggest-weights.json`` (written
atomically: temporary file + ``os.replace``), keyed by ``ingest.store.store_version``, the
seed and ``graph.evaluate.CALIBRATION_VERSION``: the next ``--calibrate`` on an unchanged store
reads them back instead of refitting; any ingest or outcome invalidates them. ``evaluate``
always calibrates inside its training period (never cached).

Exit status: 0 success, 1 store unusable, 2 bad input (unknown organisation, bad date …).

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="tsunagari"); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["evaluate", "--train-until", "FY2018", "--test-until", "FY2019"])
>>> args.k, args.train_until, args.func.__name__
(10, 'FY2018', 'cmd_evaluate')
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

from cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_STORE, add_input_arguments
from graph.export import write_csv_table

__all__ = ["register", "cmd_suggest", "cmd_evaluate", "cmd_outcome", "cmd_conversions",
           "calibration_note", "cmd_talents", "resolve_org", "write_table", "parse_weights", "weights_cache_path",
           "read_cached_calibration", "write_cached_calibration"]



class _BadInput(Exception):
    """Input the user must fix (printed, exit 2)."""


class _StoreProblem(Exception):
    """The store cannot be used (printed, exit 1)."""


# --- arguments --------------------------------------------------------------------------------

def register(sub) -> None:
    """Add `suggest`, `evaluate`, `outcome`, `conversions` and `talents`."""
    p = sub.add_parser("suggest", help="suggest introductions, with reasons and evidence",
                       description="Rank organisations without a tie to ORG (or to each of a "
                                   "set) by weighted signals; every suggestion cites records. "
                                   "Weights: the documented defaults (answers in seconds), "
                                   "--weights, or --calibrate (fitted on the data's history, "
                                   "10-30 s for the city; cached next to the store per store "
                                   "version, so repeated --calibrate queries are fast).")
    p.add_argument("org", nargs="?", metavar="ORG", help="organisation id or name")
    p.add_argument("--goal", choices=("strengthen", "bridge"), default="strengthen",
                   help="strengthen: inside the community; bridge: only across communities")
    p.add_argument("--across", default="community", metavar="ATTRS",
                   help="bridge: attributes that must differ, comma-separated "
                        "(community, ward, kind, orientation; default community)")
    p.add_argument("--top", type=int, default=10, help="suggestions per organisation (10)")
    scope = p.add_argument_group("scope (instead of ORG)")
    scope.add_argument("--ward", help="every organisation of this ward")
    scope.add_argument("--field", type=int, help="every organisation with this NPO field (1-20)")
    scope.add_argument("--community", type=int, help="every organisation of this community")
    scope.add_argument("--all", action="store_true", help="every organisation")
    p.add_argument("--weights", metavar="K=V,...",
                   help="fixed signal weights, e.g. common_neighbours=1,same_ward=0.5")
    weighting = p.add_mutually_exclusive_group()
    weighting.add_argument("--calibrate", action="store_true",
                           help="fit the weights on the data's own history (cached per store "
                                "version in STORE.suggest-weights.json)")
    weighting.add_argument("--default-weights", action="store_true",
                           help="the documented default weights (the default; kept for scripts)")
    p.add_argument("--seed", type=int, default=0, help="seed of Louvain, calibration, ties (0)")
    p.add_argument("--out", metavar="FILE", help="write a work list (.csv or .xlsx)")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_input_arguments(p)
    p.set_defaults(func=cmd_suggest)

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

    p = sub.add_parser("outcome", help="record what came of an introduction",
                       description="Record the outcome of an introduction in the store.")
    p.add_argument("org_a", nargs="?", help="organisation id or name")
    p.add_argument("org_b", nargs="?", help="organisation id or name")
    p.add_argument("--status", choices=("proposed", "introduced", "declined", "partnered"))
    p.add_argument("--on", metavar="DATE", help="date of the outcome (default today)")
    p.add_argument("--goal", default="", help="strengthen or bridge")
    p.add_argument("--score", type=float, default=None)
    p.add_argument("--note", default="")
    p.add_argument("--from", dest="from_file", metavar="FILE",
                   help="a filled work list (.csv/.xlsx): one outcome per row with a status")
    add_input_arguments(p, dataset=False)
    p.set_defaults(func=cmd_outcome)

    p = sub.add_parser("conversions", help="how many introductions became ties",
                       description="Outcomes from the store against the ties in the data.")
    p.add_argument("--dataset", metavar="PATH",
                   help="take the ties from this dataset instead of the store's records")
    p.add_argument("--store", metavar="FILE", help="DuckDB store with the outcomes")
    p.add_argument("--timeout", type=float, default=None)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_conversions)

    p = sub.add_parser("talents", help="public community talents for a group's request",
                       description="Rank 地域公共人材 (pseudonymous ids) by skills and past "
                                   "dispatches.")
    p.add_argument("--org", help="requesting organisation (id or name)")
    p.add_argument("--skills", default="", help="skills needed, separated by ; or ,")
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--json", action="store_true", help="print JSON")
    add_input_arguments(p)
    p.set_defaults(func=cmd_talents)


# --- helpers ----------------------------------------------------------------------------------

def _run(body, args) -> int:
    from graph.errors import GraphError
    from ingest.store import StoreError
    from ingest.validate import IngestError

    try:
        return body(args)
    except IngestError as err:
        from cli.common import cli_lang, say
        from ingest.messages import format_failures

        path = getattr(err, "path", None) or args.dataset
        print(say("invalid_dataset", cli_lang(args), path=path), file=sys.stderr)
        print(format_failures(err.failures, cli_lang(args), limit=50), file=sys.stderr)
        return EXIT_BAD_INPUT
    except (_BadInput, GraphError) as exc:
        print(f"{args.command}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except FileNotFoundError as exc:
        hint = "" if getattr(args, "dataset", None) else (
            " (load data first: `tsunagari bootstrap` or `tsunagari ingest PATH`, "
            "or pass --dataset PATH)")
        print(f"not found: {exc}{hint}", file=sys.stderr)
        return EXIT_BAD_INPUT if getattr(args, "dataset", None) else EXIT_STORE
    except (_StoreProblem, StoreError) as exc:
        print(f"store: {exc}", file=sys.stderr)
        return EXIT_STORE


def _store(args) -> Path:
    from ingest.store import default_store_path

    return Path(args.store) if args.store else default_store_path()


def _load(args):
    if getattr(args, "dataset", None):
        from ingest.load import load_dataset

        return load_dataset(args.dataset)
    store = _store(args)
    if not store.exists():
        raise FileNotFoundError(str(store))
    from ingest.store import read_dataset

    return read_dataset(store, timeout=args.timeout)


def resolve_org(dataset, text: str) -> str:
    """An organisation id from an id or a name (matched with ``ingest.normalise.name_key``).

    Raises ``_BadInput`` listing the closest names (rapidfuzz) when nothing matches.

    >>> from graph.build import example_dataset
    >>> ds = example_dataset()
    >>> resolve_org(ds, ds.table("organizations")["name"].iloc[0]) == ds.table("organizations")["id"].iloc[0]
    True
    """
    from ingest.normalise import name_key

    orgs = dataset.table("organizations")
    ids = [str(i) for i in orgs["id"]]
    if text in ids:
        return text
    key = name_key(text)
    keys = [name_key(n) for n in orgs["name"]]
    hits = sorted({i for i, k in zip(ids, keys) if k == key})
    if len(hits) == 1:
        return hits[0]
    names = [str(n) for n in orgs["name"]]
    if len(hits) > 1:
        listed = ", ".join(f"{i} ({names[ids.index(i)]})" for i in hits[:10])
        raise _BadInput(f"{text!r} names several organisations: {listed}; give the id")
    from rapidfuzz import process

    close = process.extract(key, keys, limit=5)
    listed = "; ".join(f"{names[i]} ({ids[i]})" for _, _, i in close)
    raise _BadInput(f"unknown organisation {text!r}. Closest: {listed}")


def parse_weights(text: str | None):
    """``"common_neighbours=1,same_ward=0.5"`` → dict; ``None`` stays ``None``.

    >>> parse_weights("common_neighbours=1, same_ward=0.5")
    {'common_neighbours': 1.0, 'same_ward': 0.5}
    """
    if not text:
        return None
    out = {}
    for item in text.split(","):
        if not item.strip():
            continue
        if "=" not in item:
            raise _BadInput(f"--weights: expected NAME=VALUE, got {item.strip()!r}")
        name, value = item.split("=", 1)
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise _BadInput(f"--weights: {value.strip()!r} is not a number") from None
    return out


def weights_cache_path(store) -> Path:
    """Where calibrated weights of a store are cached: next to it.

    >>> weights_cache_path("data/tsunagari.duckdb").name
    'tsunagari.duckdb.suggest-weights.json'
    """
    store = Path(store)
    return store.with_name(store.name + ".suggest-weights.json")


def _cache_key(version: str, seed: int) -> dict:
    from graph.evaluate import CALIBRATION_VERSION

    return {"store_version": version, "seed": int(seed),
            "calibration_version": CALIBRATION_VERSION}


def read_cached_calibration(store, version: str, seed: int):
    """The calibration cached for ``store`` at ``version`` with ``seed``, or ``None`` (no
    cache, another version or seed, an older calibration, or an unreadable file).

    >>> read_cached_calibration("/no/such/store.duckdb", "missing", 0) is None
    True
    """
    from graph.errors import GraphError
    from graph.evaluate import Calibration

    try:
        data = json.loads(weights_cache_path(store).read_text(encoding="utf-8"))
        if {k: data.get(k) for k in ("store_version", "seed", "calibration_version")} \
                != _cache_key(version, seed):
            return None
        return Calibration.from_dict(data["calibration"])
    except (OSError, ValueError, KeyError, TypeError, GraphError):
        return None


def write_cached_calibration(store, version: str, seed: int, calibration) -> Path:
    """Cache ``calibration`` next to ``store`` atomically (a temporary file in the same
    folder, then ``os.replace``): readers see the old file or the new one, never half.

    >>> import tempfile
    >>> from graph.evaluate import Calibration
    >>> from graph.suggest import DEFAULT_WEIGHTS
    >>> store = Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> cal = Calibration(dict(DEFAULT_WEIGHTS), "default")
    >>> write_cached_calibration(store, "v1", 0, cal).name
    's.duckdb.suggest-weights.json'
    >>> read_cached_calibration(store, "v1", 0) == cal, read_cached_calibration(store, "v2", 0)
    (True, None)
    """
    target = weights_cache_path(store)
    payload = {**_cache_key(version, seed), "calibration": calibration.to_dict()}
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent,
                                         prefix=target.name + ".", suffix=".tmp", delete=False)
    try:
        with handle:
            json.dump(payload, handle, ensure_ascii=False, indent=1)
        os.chmod(handle.name, 0o644)  # readable like the store (mkstemp makes it private)
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return target


def _calibration(args, dataset, version: str | None):
    """The weights of `suggest`: given, default, or calibrated (cached per store ``version``,
    taken before the store was read; ``None`` for a ``--dataset``)."""
    from graph.evaluate import Calibration, calibrate_history
    from graph.suggest import DEFAULT_WEIGHTS, check_weights

    weights = parse_weights(args.weights)
    if weights is not None:
        if args.calibrate:
            raise _BadInput("give either --weights or --calibrate")
        return Calibration(check_weights(weights), "given")
    if not args.calibrate:
        return Calibration(dict(DEFAULT_WEIGHTS), "default")
    if version is None:
        return calibrate_history(dataset, seed=args.seed)
    from ingest.store import store_version

    store = _store(args)
    cached = read_cached_calibration(store, version, args.seed)
    if cached is not None:
        from dataclasses import replace

        return replace(cached, note=f"cached in {weights_cache_path(store).name}; {cached.note}")
    calibration = calibrate_history(dataset, seed=args.seed)
    if store_version(store) == version:  # nothing was written while we calibrated
        try:
            write_cached_calibration(store, version, args.seed, calibration)
        except OSError as exc:
            print(f"note: weights not cached ({exc})", file=sys.stderr)
    return calibration


def _escape(value):
    from ingest.cells import escape_spreadsheet_cell

    return escape_spreadsheet_cell(value)


def write_table(frame: pd.DataFrame, path) -> Path:
    """Write a frame as CSV (UTF-8 with BOM) or XLSX, formula-like cells escaped.

    >>> import tempfile
    >>> p = write_table(pd.DataFrame({"a": ["=1+1", "ok"]}), Path(tempfile.mkdtemp()) / "w.csv")
    >>> p.read_text(encoding="utf-8-sig").splitlines()
    ['"a"', '"\\'=1+1"', '"ok"']
    """
    path = Path(path)
    out = frame.copy()
    for column in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column])):
            out[column] = out[column].map(_escape)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        with pd.ExcelWriter(path, engine="xlsxwriter",
                            engine_kwargs={"options": {"strings_to_formulas": False,
                                                       "strings_to_urls": False}}) as writer:
            out.to_excel(writer, index=False, sheet_name="work_list")
    elif path.suffix.lower() == ".csv":
        write_csv_table(frame, path)
    else:
        raise _BadInput(f"{path}: write .csv or .xlsx")
    return path


def _suggestion_json(s) -> dict:
    return {"org": s.org, "org_name": s.org_name, "partner": s.partner,
            "partner_name": s.partner_name, "rank": s.rank, "goal": s.goal,
            "score": round(s.score, 6), "parts": {k: round(v, 6) for k, v in s.parts.items()},
            "reasons": [{"code": r.code, "ja": r.ja, "en": r.en, "evidence": list(r.evidence)}
                        for r in s.reasons]}


# --- commands ---------------------------------------------------------------------------------

def cmd_suggest(args) -> int:
    """Run `tsunagari suggest`."""
    return _run(_suggest, args)


def _suggest(args) -> int:
    from graph.build import tie_graph
    from graph.suggest import build_signals, select_orgs, suggest

    scopes = [args.org is not None, args.ward is not None, args.field is not None,
              args.community is not None, args.all]
    if sum(scopes) == 0:
        raise _BadInput("name an organisation, or give --ward, --field, --community or --all")
    if args.top < 1:
        raise _BadInput("--top must be at least 1")
    version = None
    if args.calibrate and not getattr(args, "dataset", None):
        from ingest.store import store_version

        version = store_version(_store(args))  # taken before reading: the cache key
    dataset = _load(args)
    G = tie_graph(dataset)
    calibration = _calibration(args, dataset, version)
    from graph.communities import louvain

    partition = louvain(G, seed=args.seed)
    if args.org is not None:
        orgs = [resolve_org(dataset, args.org)]
    elif args.all:
        orgs = None
    else:
        orgs = select_orgs(G, ward=args.ward, field=args.field, community=args.community,
                           partition=partition)
        if not orgs:
            raise _BadInput("no organisation in that scope")
    across = tuple(a.strip() for a in args.across.split(",") if a.strip())
    result = suggest(G, dataset=dataset, orgs=orgs, goal=args.goal, top=args.top,
                     weights=calibration.weights, partition=partition, across=across,
                     seed=args.seed, signals=build_signals(G, dataset))
    if args.out:
        from graph.suggest import work_list

        path = write_table(work_list(result), args.out)
        print(f"wrote {len(result)} suggestions to {path}", file=sys.stderr)
    if args.json:
        print(json.dumps({"goal": args.goal, "calibration": calibration.method,
                          "weights": {k: round(v, 6) for k, v in calibration.weights.items() if v},
                          "suggestions": [_suggestion_json(s) for s in result]},
                         ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"weights: {calibration.method} "
          + ", ".join(f"{k}={v:.2f}" for k, v in calibration.weights.items() if v)
          + (f" ({calibration.note})" if calibration.note else ""))
    if not result:
        print("no suggestion with a reason backed by records"
              + (" (strengthen looks inside each organisation's community; try --goal bridge)"
                 if args.goal == "strengthen" else ""))
    for s in result:
        print(f"{s.org} {s.org_name} → #{s.rank} {s.partner} {s.partner_name}  score {s.score:.3f}")
        for r in s.reasons:
            print(f"    {r.ja} / {r.en}  [{', '.join(r.evidence)}]")
    if orgs is not None and len(orgs) == 1 and 0 < len(result) < args.top:
        print(f"only {len(result)} of the {args.top} asked: no other organisation has a reason "
              "backed by records" + (" (try --goal bridge)" if args.goal == "strengthen" else ""))
    return EXIT_OK


def calibration_note(calibration) -> str:
    """How the model was calibrated, for the CLI: method, folds, weights and the reason.

    >>> from graph.evaluate import Calibration
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
    return _run(_evaluate, args)


def _evaluate(args) -> int:
    from graph.evaluate import evaluate

    dataset = _load(args)
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


def cmd_outcome(args) -> int:
    """Run `tsunagari outcome`."""
    return _run(_outcome, args)


def _read_table(path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise _BadInput(f"{path}: no such file")
    if path.suffix.lower() == ".xlsx":
        return pd.read_excel(path, dtype=str).fillna("")
    return pd.read_csv(path, dtype=str, encoding="utf-8-sig").fillna("")


def _outcome(args) -> int:
    from ingest.store import record_outcome

    store = _store(args)
    if args.from_file:
        frame = _read_table(args.from_file)
        missing = {"org_id", "partner_id", "status"} - set(frame.columns)
        if missing:
            raise _BadInput(f"{args.from_file}: missing column(s) {', '.join(sorted(missing))}")
        count = 0
        for i, row in frame.iterrows():
            status = row["status"].strip()
            if not status:
                continue
            try:
                score = float(row["score"]) if row.get("score", "").strip() else None
                record_outcome(store, org_a=row["org_id"].strip().lstrip("'"),
                               org_b=row["partner_id"].strip().lstrip("'"), status=status,
                               on=row.get("date", "").strip() or None,
                               goal=row.get("goal", ""), score=score,
                               note=row.get("note", ""), timeout=args.timeout)
            except ValueError as exc:
                raise _BadInput(f"{args.from_file}: row {i + 2}: {exc}") from None
            count += 1
        print(f"recorded {count} outcome(s) in {store}")
        return EXIT_OK
    if not (args.org_a and args.org_b and args.status):
        raise _BadInput("give ORG_A ORG_B --status STATUS, or --from FILE")
    org_a, org_b = args.org_a, args.org_b
    if store.exists():
        from ingest.store import read_dataset

        dataset = read_dataset(store, timeout=args.timeout)
        if len(dataset.table("organizations")):
            org_a, org_b = resolve_org(dataset, org_a), resolve_org(dataset, org_b)
    try:
        outcome_id = record_outcome(store, org_a=org_a, org_b=org_b, status=args.status,
                                    on=args.on, goal=args.goal, score=args.score,
                                    note=args.note, timeout=args.timeout)
    except ValueError as exc:
        raise _BadInput(str(exc)) from None
    print(f"outcome {outcome_id}: {org_a} – {org_b} {args.status} recorded in {store}")
    return EXIT_OK


def cmd_conversions(args) -> int:
    """Run `tsunagari conversions`."""
    return _run(_conversions, args)


def _conversions(args) -> int:
    from graph.build import tie_graph
    from graph.evaluate import conversion_report
    from ingest.store import read_outcomes

    store = _store(args)
    if not store.exists():
        raise FileNotFoundError(str(store))
    outcomes = read_outcomes(store, timeout=args.timeout)
    report = conversion_report(outcomes, tie_graph(_load(args)))
    if args.json:
        pairs = report.pairs.astype(object).where(report.pairs.notna(), None)
        print(json.dumps({"summary": report.summary.reset_index().to_dict(orient="records"),
                          "pairs": pairs.to_dict(orient="records")},
                         ensure_ascii=False, default=str))
        return EXIT_OK
    if report.pairs.empty:
        print("no outcomes recorded yet (tsunagari outcome ORG_A ORG_B --status introduced)")
        return EXIT_OK
    print(report.summary.to_string())
    print()
    print(report.pairs.to_string(index=False))
    return EXIT_OK


def cmd_talents(args) -> int:
    """Run `tsunagari talents`."""
    return _run(_talents, args)


def _talents(args) -> int:
    import re

    from graph.talent import match_talents

    dataset = _load(args)
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
