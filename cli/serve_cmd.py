"""`tsunagari set-editor NAME` and `tsunagari serve`: editor sign-in and the dashboard server.

``set-editor`` prompts for a password (twice, on a terminal; one line on standard input
otherwise) and stores its scrypt hash in ``editors.json`` beside the store (see
``dashboards/_auth.py``). ``serve`` runs ``streamlit run app.py`` from the repository with
the address, port and store given; on any address other than loopback it refuses to start
(exit 2) unless editor credentials are configured (a password editor or an OIDC ``[auth]``
section in ``.streamlit/secrets.toml``), so a server on the office network is never
editable by anyone who can reach it.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="tsunagari"); sub = parser.add_subparsers()
>>> register(sub)
>>> parser.parse_args(["serve"]).host
'127.0.0.1'
"""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from pathlib import Path

__all__ = ["register", "cmd_set_editor", "cmd_serve", "streamlit_command"]

ROOT = Path(__file__).resolve().parents[1]
EXIT_OK, EXIT_PROBLEM, EXIT_REFUSED = 0, 1, 2


def register(sub) -> None:
    """Add the set-editor and serve subcommands."""
    p = sub.add_parser("set-editor", help="add an editor (or change their password)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--store", metavar="FILE",
                   help="the store whose editors these are (editors.json sits beside it)")
    p.set_defaults(func=cmd_set_editor)

    p = sub.add_parser("serve", help="run the dashboard (streamlit run app.py)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--store", metavar="FILE", help="DuckDB store (default $TSUNAGARI_STORE "
                   "or data/tsunagari.duckdb)")
    p.set_defaults(func=cmd_serve)


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise ValueError("the two passwords differ")
    return first


def cmd_set_editor(args) -> int:
    """Store an editor's password hash beside the store."""
    from dashboards._auth import editors_file, set_editor

    try:
        file = set_editor(args.name, _read_password(), editors_file(args.store))
    except ValueError as err:
        print(f"refused: {err}; nothing was changed", file=sys.stderr)
        return EXIT_REFUSED
    except OSError as err:
        print(f"error: cannot write the editors file: {err}", file=sys.stderr)
        return EXIT_PROBLEM
    print(f"editor {args.name.strip()!r} saved in {file} (password stored as an scrypt hash)")
    return EXIT_OK


def streamlit_command(host: str, port: int) -> list[str]:
    """The ``streamlit run`` command line ``serve`` runs.

    >>> streamlit_command("0.0.0.0", 8080)[3:9]
    ['run', 'app.py', '--server.address', '0.0.0.0', '--server.port', '8080']
    """
    return [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", host,
            "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false"]


def cmd_serve(args) -> int:
    """Start the dashboard; refused on a non-loopback address without editor credentials."""
    from dashboards._auth import credentials_configured, is_loopback
    from ingest.store import default_store_path

    store = Path(args.store) if args.store else default_store_path()
    if not is_loopback(args.host) and not credentials_configured(store):
        print(f"refused: --host {args.host} lets other machines reach the dashboard, and no "
              "editor sign-in is configured, so anyone could change the store. Add an editor "
              "with `tsunagari set-editor NAME"
              + (f" --store {args.store}" if args.store else "") + "` or configure OIDC in "
              ".streamlit/secrets.toml (docs/office.md), or serve on 127.0.0.1.",
              file=sys.stderr)
        return EXIT_REFUSED
    env = dict(os.environ, TSUNAGARI_STORE=str(store.resolve()))
    print(f"serving {store} on http://{args.host}:{args.port} (Ctrl-C stops)", flush=True)
    return subprocess.call(streamlit_command(args.host, args.port), cwd=ROOT, env=env)
