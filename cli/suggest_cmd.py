"""`tsunagari suggest`: introductions for an organisation, a ward, a field, a community or all.

``suggest`` ranks introductions for one organisation (id or name), a ward, a field, a
community or everyone; reasons in Japanese and English with the records behind them;
``--out list.csv|list.xlsx`` writes a coordinator's work list. Data, names and exit status:
``cli.intro_common``.

Weights of ``suggest``: the documented ``graph.introductions.DEFAULT_WEIGHTS``, so a coordinator's
single query answers in seconds; ``--weights K=V,...`` fixes them; ``--calibrate`` fits them
on the data's own history (``graph.introductions.calibrate_history``, about 10–30 s for the whole
city). Calibrated weights of a store are cached in ``<store>.suggest-weights.json`` (written
atomically: temporary file + ``os.replace``), keyed by ``ingest.store.store_version``, the
seed and ``graph.introductions.CALIBRATION_VERSION``: the next ``--calibrate`` on an unchanged store
reads them back instead of refitting; any ingest or outcome invalidates them. ``evaluate``
always calibrates inside its training period (never cached).

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="tsunagari"); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["suggest", "尼崎信用金庫", "--goal", "bridge"])
>>> args.top, args.goal, args.func.__name__
(10, 'bridge', 'cmd_suggest')
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

from cli.common import EXIT_OK, add_input_arguments
from cli.intro_common import BadInput, load_records, resolve_org, run_reporting, store_path
from graph.io import write_csv_table

__all__ = ["register", "cmd_suggest", "write_table", "parse_weights", "weights_cache_path",
           "read_cached_calibration", "write_cached_calibration"]


def register(sub) -> None:
    """Add `suggest`."""
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
            raise BadInput(f"--weights: expected NAME=VALUE, got {item.strip()!r}")
        name, value = item.split("=", 1)
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise BadInput(f"--weights: {value.strip()!r} is not a number") from None
    return out


def weights_cache_path(store) -> Path:
    """Where calibrated weights of a store are cached: next to it.

    >>> weights_cache_path("data/tsunagari.duckdb").name
    'tsunagari.duckdb.suggest-weights.json'
    """
    store = Path(store)
    return store.with_name(store.name + ".suggest-weights.json")


def _cache_key(version: str, seed: int) -> dict:
    from graph.introductions import CALIBRATION_VERSION

    return {"store_version": version, "seed": int(seed),
            "calibration_version": CALIBRATION_VERSION}


def read_cached_calibration(store, version: str, seed: int):
    """The calibration cached for ``store`` at ``version`` with ``seed``, or ``None`` (no
    cache, another version or seed, an older calibration, or an unreadable file).

    >>> read_cached_calibration("/no/such/store.duckdb", "missing", 0) is None
    True
    """
    from graph.errors import GraphError
    from graph.introductions import Calibration

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
    >>> from graph.introductions import Calibration
    >>> from graph.introductions import DEFAULT_WEIGHTS
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
    from graph.introductions import DEFAULT_WEIGHTS, Calibration, calibrate_history, check_weights

    weights = parse_weights(args.weights)
    if weights is not None:
        if args.calibrate:
            raise BadInput("give either --weights or --calibrate")
        return Calibration(check_weights(weights), "given")
    if not args.calibrate:
        return Calibration(dict(DEFAULT_WEIGHTS), "default")
    if version is None:
        return calibrate_history(dataset, seed=args.seed)
    from ingest.store import store_version

    store = store_path(args)
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
        raise BadInput(f"{path}: write .csv or .xlsx")
    return path


def _suggestion_json(s) -> dict:
    return {"org": s.org, "org_name": s.org_name, "partner": s.partner,
            "partner_name": s.partner_name, "rank": s.rank, "goal": s.goal,
            "score": round(s.score, 6), "parts": {k: round(v, 6) for k, v in s.parts.items()},
            "reasons": [{"code": r.code, "ja": r.ja, "en": r.en, "evidence": list(r.evidence)}
                        for r in s.reasons]}

def cmd_suggest(args) -> int:
    """Run `tsunagari suggest`."""
    return run_reporting(_suggest, args)


def _tie_view(args, dataset):
    """The tie graph as the array core's view (``graph.core.view.CoreGraph``): built straight
    from the store (or from ``--dataset``), records fetched only for the ties a reason cites."""
    from graph.core import core_from_dataset
    from graph.core.store import core_from_store
    from graph.core.view import CoreGraph

    if getattr(args, "dataset", None):
        return CoreGraph(core_from_dataset(dataset))
    return CoreGraph(core_from_store(store_path(args), timeout=args.timeout))


def _suggest(args) -> int:
    from graph.core.communities import core_communities
    from graph.introductions import build_signals, select_orgs, suggest

    scopes = [args.org is not None, args.ward is not None, args.field is not None,
              args.community is not None, args.all]
    if sum(scopes) == 0:
        raise BadInput("name an organisation, or give --ward, --field, --community or --all")
    if args.top < 1:
        raise BadInput("--top must be at least 1")
    version = None
    if args.calibrate and not getattr(args, "dataset", None):
        from ingest.store import store_version

        version = store_version(store_path(args))  # taken before reading: the cache key
    dataset = load_records(args)
    G = _tie_view(args, dataset)
    calibration = _calibration(args, dataset, version)
    partition = core_communities(G.tie_core, seed=args.seed)  # analyze's and the dashboard's
    if args.org is not None:
        orgs = [resolve_org(dataset, args.org)]
    elif args.all:
        orgs = None
    else:
        orgs = select_orgs(G, ward=args.ward, field=args.field, community=args.community,
                           partition=partition)
        if not orgs:
            raise BadInput("no organisation in that scope")
    across = tuple(a.strip() for a in args.across.split(",") if a.strip())
    result = suggest(G, dataset=dataset, orgs=orgs, goal=args.goal, top=args.top,
                     weights=calibration.weights, partition=partition, across=across,
                     seed=args.seed, signals=build_signals(G, dataset))
    if args.out:
        from graph.introductions import work_list

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
