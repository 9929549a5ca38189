"""What the introduction commands share: loading records, resolving names, reporting errors.

Used by ``cli.suggest_cmd``, ``cli.evaluate_cmd``, ``cli.outcome_cmd``, ``cli.talents_cmd`` and
``cli.match_cmd``. Data come from the store (``--store``, default ``data/tsunagari.duckdb``) or
straight from a dataset folder / workbook (``--dataset``). :func:`run_reporting` runs a command
body and turns its refusals into the exit status: 0 success, 1 store unusable, 2 bad input
(unknown organisation, bad date …).
"""

from __future__ import annotations

import sys
from pathlib import Path

from cli.common import EXIT_BAD_INPUT, EXIT_STORE

__all__ = ["BadInput", "StoreProblem", "run_reporting", "store_path", "load_records",
           "resolve_org"]


class BadInput(Exception):
    """Input the user must fix (printed, exit 2)."""


class StoreProblem(Exception):
    """The store cannot be used (printed, exit 1)."""


def run_reporting(body, args) -> int:
    """``body(args)``, with bad input (exit 2) and store problems (exit 1) printed."""
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
    except (BadInput, GraphError) as exc:
        print(f"{args.command}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except FileNotFoundError as exc:
        hint = "" if getattr(args, "dataset", None) else (
            " (load data first: `tsunagari bootstrap` or `tsunagari ingest PATH`, "
            "or pass --dataset PATH)")
        print(f"not found: {exc}{hint}", file=sys.stderr)
        return EXIT_BAD_INPUT if getattr(args, "dataset", None) else EXIT_STORE
    except (StoreProblem, StoreError) as exc:
        print(f"store: {exc}", file=sys.stderr)
        return EXIT_STORE


def store_path(args) -> Path:
    """The store of ``--store``, else ``TSUNAGARI_STORE`` or ``data/tsunagari.duckdb``."""
    from ingest.store import default_store_path

    return Path(args.store) if args.store else default_store_path()


def load_records(args):
    """The records of ``--dataset``, else of the store (``FileNotFoundError`` when missing)."""
    if getattr(args, "dataset", None):
        from ingest.load import load_dataset

        return load_dataset(args.dataset)
    store = store_path(args)
    if not store.exists():
        raise FileNotFoundError(str(store))
    from ingest.store import read_dataset

    return read_dataset(store, timeout=args.timeout)


def resolve_org(dataset, text: str) -> str:
    """An organisation id from an id or a name (matched with ``ingest.normalise.name_key``).

    Raises ``BadInput`` listing the closest names (rapidfuzz) when nothing matches.

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
        raise BadInput(f"{text!r} names several organisations: {listed}; give the id")
    from rapidfuzz import process

    close = process.extract(key, keys, limit=5)
    listed = "; ".join(f"{names[i]} ({ids[i]})" for _, _, i in close)
    raise BadInput(f"unknown organisation {text!r}. Closest: {listed}")
