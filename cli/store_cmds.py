"""`tsunagari batches | remove-batch | backup | restore | export-store | import-store`.

History, undo and backups of the store. Exit status: 0 done; 2 refused (the message says
why: a file that would be overwritten without ``--force``, a batch others depend on, no such
batch, not a store); 1 when the store cannot be used (busy, read-only, damaged). Every
refusal leaves the store as it was. Writes are recorded with the OS user as ``by``.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="tsunagari"); sub = parser.add_subparsers()
>>> register(sub)
>>> parser.parse_args(["remove-batch", "3"]).batch
3
"""

from __future__ import annotations

import json
import sys

__all__ = ["register"]

EXIT_OK, EXIT_STORE, EXIT_REFUSED = 0, 1, 2


def _store_args(parser) -> None:
    parser.add_argument("--store", metavar="FILE",
                        help="DuckDB store (default $TSUNAGARI_STORE or data/tsunagari.duckdb)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds to wait for a busy store (default 10)")


def register(sub) -> None:
    """Add the batches, remove-batch, backup, restore, export-store, import-store commands."""
    p = sub.add_parser("batches", help="list the batches: who ingested what, when")
    _store_args(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_batches)

    p = sub.add_parser("remove-batch", help="undo one ingest: remove exactly that batch")
    p.add_argument("batch", type=int, metavar="ID", help="the batch id (tsunagari batches)")
    _store_args(p)
    p.set_defaults(func=cmd_remove_batch)

    p = sub.add_parser("backup", help="copy the store to FILE (safe while others read it)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    _store_args(p)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the store by the backup FILE")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--force", action="store_true", help="replace an existing store")
    _store_args(p)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("export-store",
                       help="write every table as Parquet + manifest.json into DIR")
    p.add_argument("folder", metavar="DIR")
    _store_args(p)
    p.set_defaults(func=cmd_export_store)

    p = sub.add_parser("import-store", help="rebuild the store from an export-store DIR")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("--force", action="store_true", help="replace an existing store")
    _store_args(p)
    p.set_defaults(func=cmd_import_store)


def _run(action) -> int:
    """Run ``action()``; map refusals to exit 2 and store problems to exit 1."""
    from ingest.backup import NotAStoreError
    from ingest.batches import BatchInUseError, NoSuchBatchError
    from ingest.store import StoreError

    try:
        action()
    except (FileExistsError, IsADirectoryError, BatchInUseError, NoSuchBatchError,
            NotAStoreError) as err:
        print(f"refused: {err}", file=sys.stderr)
        return EXIT_REFUSED
    except StoreError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_STORE
    except OSError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_STORE
    return EXIT_OK


def cmd_batches(args) -> int:
    """List the batches (``--json`` for machines)."""
    from ingest.batches import list_batches

    def show():
        batches = list_batches(args.store, timeout=args.timeout)
        if args.json:
            print(json.dumps(batches, ensure_ascii=False, indent=2))
            return
        if not batches:
            print("no batches")
        for b in batches:
            counts = ", ".join(f"{t} {n}" for t, n in b["counts"].items())
            print(f"#{b['batch']} {b['ingested_at']} by {b['ingested_by'] or '?'}: "
                  f"{b['name']} — {counts}")
            print(f"    files: {', '.join(b['files']) or '—'}  ({b['path']})")
    return _run(show)


def cmd_remove_batch(args) -> int:
    """Remove one batch in one transaction (refused when others depend on it)."""
    from ingest.batches import remove_batch

    def remove():
        done = remove_batch(args.store, args.batch, timeout=args.timeout)
        counts = ", ".join(f"{t} {n}" for t, n in done["removed"].items()) or "no rows"
        print(f"batch {done['batch']} ({done['name']}) removed: {counts}")
    return _run(remove)


def cmd_backup(args) -> int:
    """Copy the store to a new file."""
    from ingest.backup import backup_store

    def backup():
        target = backup_store(args.store, args.file, force=args.force, timeout=args.timeout)
        print(f"backup written to {target}")
    return _run(backup)


def cmd_restore(args) -> int:
    """Replace the store by a backup (atomic)."""
    from ingest.backup import restore_store

    def restore():
        store = restore_store(args.file, args.store, force=args.force, timeout=args.timeout)
        print(f"store {store} restored from {args.file}")
    return _run(restore)


def cmd_export_store(args) -> int:
    """Write the store as Parquet files and a manifest."""
    from ingest.backup import export_store

    def export():
        manifest = export_store(args.store, args.folder, timeout=args.timeout)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        print(f"{len(manifest['tables'])} tables ({rows:,} rows, schema version "
              f"{manifest['schema_version']}) written to {args.folder}")
    return _run(export)


def cmd_import_store(args) -> int:
    """Rebuild the store from an export folder (atomic)."""
    from ingest.backup import import_store

    def load():
        store = import_store(args.folder, args.store, force=args.force, timeout=args.timeout)
        print(f"store {store} rebuilt from {args.folder}")
    return _run(load)
