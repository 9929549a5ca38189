"""`tsunagari import npo-registry | corporate-number FILE --out DIR`: registries as a dataset.

Reads the Cabinet Office NPO portal's bulk CSV or the National Tax Agency's 法人番号 bulk CSV
(``ingest.registries``) and writes a dataset folder in the record format for review
(``ingest.registry_export``): ``organizations.csv`` with a ``corporate_number`` column,
``merge_candidates.csv`` (registry organisations that look like ones already in the store
under another spelling) and ``dataset.json``. Then: review, and ``tsunagari ingest DIR``.

>>> import argparse
>>> sub = argparse.ArgumentParser().add_subparsers()
>>> register(sub)
>>> sorted(sub.choices["import"]._subparsers._group_actions[0].choices)
['corporate-number', 'npo-registry']
"""

from __future__ import annotations

import sys
from pathlib import Path

from cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_STORE

__all__ = ["cmd_import", "register"]

_READERS = {"npo-registry": "read_npo_registry", "corporate-number": "read_corporate_numbers"}


def register(sub) -> None:
    """Add `import` with its two registries."""
    p = sub.add_parser("import", help="turn a national registry file into a dataset folder",
                       description="Write organisations from a registry bulk file as a dataset "
                                   "folder to review, then ingest.")
    kinds = p.add_subparsers(dest="registry", metavar="REGISTRY")
    helps = {"npo-registry": "内閣府NPOホームページ 全NPO法人データ (CSV with header, CP932/UTF-8)",
             "corporate-number": "国税庁 法人番号 基本3情報 (CSV without header, Shift_JIS/Unicode)"}
    for name, text in helps.items():
        q = kinds.add_parser(name, help=text, description=text)
        q.add_argument("file", metavar="FILE")
        q.add_argument("--out", required=True, metavar="DIR", help="new folder to write")
        q.add_argument("--all-cities", action="store_true",
                       help="keep every record, not only Osaka City's")
        q.add_argument("--store", metavar="FILE",
                       help="match against this store (default: the default store if it exists)")
        q.add_argument("--threshold", type=float, default=90.0,
                       help="name similarity for merge candidates (90)")
        q.add_argument("--timeout", type=float, default=None, help="seconds to wait for the store")
        q.set_defaults(func=cmd_import)


def cmd_import(args) -> int:
    """Run `tsunagari import REGISTRY FILE --out DIR`."""
    from cli.common import cli_lang, say
    from ingest import registries
    from ingest.messages import format_failures
    from ingest.registry_export import write_registry_dataset
    from ingest.store import StoreError, default_store_path, read_dataset
    from ingest.validate import IngestError

    try:
        if not Path(args.file).is_file():
            raise FileNotFoundError(args.file)
        read = getattr(registries, _READERS[args.registry])
        orgs = read(args.file, city=None if args.all_cities else "大阪市")
        if orgs.empty:
            raise ValueError(f"{args.file}: no current record "
                             + ("" if args.all_cities else "in 大阪市 (--all-cities keeps every "
                                                          "city) ")
                             + "— nothing was written")
        store = Path(args.store) if args.store else default_store_path()
        existing = None
        if store.exists():
            existing = read_dataset(store, timeout=args.timeout).table("organizations")
        elif args.store:
            raise FileNotFoundError(f"no store at {store}")
        counts = write_registry_dataset(orgs, args.out, registry=args.registry,
                                        source_file=args.file, existing=existing,
                                        threshold=args.threshold)
    except IngestError as err:
        print(say("not_read", cli_lang(args), path=args.file), file=sys.stderr)
        print(format_failures(err.failures, cli_lang(args), limit=50), file=sys.stderr)
        return EXIT_BAD_INPUT
    except (ValueError, FileNotFoundError) as exc:
        print(f"import: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except StoreError as exc:
        print(f"store: {exc}", file=sys.stderr)
        return EXIT_STORE
    print(f"wrote {counts['organizations']} organisations to {args.out} "
          f"({counts['matched']} already in the store by 法人番号 or name, "
          f"{counts['merge_candidates']} merge candidates in merge_candidates.csv to review); "
          f"next: tsunagari ingest {args.out}")
    return EXIT_OK
