"""The `tsunagari` entry point itself."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_documented_command_is_registered():
    from cli.main import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(sub.choices) >= {"validate", "ingest", "status", "conflicts", "bootstrap", "synth",
                                "analyze", "export", "suggest", "evaluate", "outcome",
                                "conversions", "talents", "timeline", "bench"}


def test_a_reader_closing_the_pipe_is_not_a_traceback():
    # `tsunagari … | head -1`: a command printing far more than a pipe buffer, whose reader
    # goes away after a few bytes.
    code = (
        "import argparse, cli.main as m\n"
        "def parser():\n"
        "    p = argparse.ArgumentParser()\n"
        "    p.set_defaults(func=lambda a: [print('x' * 100) for _ in range(100_000)])\n"
        "    return p\n"
        "m.build_parser = parser\n"
        "raise SystemExit(m.main([]))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, bufsize=0)
    proc.stdout.read(10)
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err, err.decode()
    assert proc.returncode == 0
