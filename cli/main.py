"""Entry point of the `tsunagari` command.

Each subcommand lives in its own module under ``cli/`` and exposes ``register(subparsers)``,
which adds its parser(s) with ``set_defaults(func=...)``; ``func(args)`` returns the exit
status. Exit status 2 means bad input (the message says which file, row and column).

>>> parser = build_parser()
>>> parser.prog
'tsunagari'
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from cli.common import add_lang_argument

__all__ = ["build_parser", "main", "COMMAND_MODULES"]

# Order is the order of `tsunagari --help`.
COMMAND_MODULES: tuple[str, ...] = (
    "cli.data_cmds",      # validate, ingest, status, conflicts
    "cli.bootstrap_cmd",  # bootstrap (load the bundled data once)
    "cli.synth_cmd",      # synth
    "cli.analyze_cmd",    # analyze
    "cli.export_cmd",     # export
    "cli.suggest_cmd",    # suggest
    "cli.evaluate_cmd",   # evaluate
    "cli.outcome_cmd",    # outcome, conversions
    "cli.talents_cmd",    # talents
    "cli.timeline_cmd",   # timeline
    "cli.bench",          # bench ingest|analyze|suggest|timeline|synth|export|evaluate|scale|spark
    "cli.match_cmd",      # match, match-outcome
    "cli.import_cmd",     # import npo-registry | corporate-number
    "cli.store_cmds",     # batches, remove-batch, backup, restore, export-store, import-store
    "cli.serve_cmd",      # set-editor, serve
    "cli.report_cmd",     # report (a ward's PDF/XLSX/HTML report)
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="tsunagari",
        description="Map a city's civic partnership ecosystem as a network.",
    )
    add_lang_argument(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader closed the pipe (`tsunagari … | head`): stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
