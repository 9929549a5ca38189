"""The layers, enforced: the analysis and ingest packages never reach up into the interface.

``graph/`` and ``ingest/`` are libraries: they never import ``dashboards``, ``cli`` or
``streamlit`` (so the CLI, the dashboard and user code can all use them, and a run without
streamlit works). ``synth/`` never imports ``dashboards`` or ``cli``. Every import statement of
every module is read with ``ast`` (function-level and conditional imports included), so a lazy
import cannot slip past.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: package → top-level modules it must never import
FORBIDDEN = {
    "graph": {"dashboards", "cli", "streamlit", "app"},
    "ingest": {"dashboards", "cli", "streamlit", "app"},
    "synth": {"dashboards", "cli", "app"},
}


def imported_modules(path: Path, package: str) -> list[tuple[int, str]]:
    """(line, top-level module) of every import in the file; relative imports are resolved
    to ``package``, the file's own."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            top = package if node.level else (node.module or "").split(".")[0]
            found.append((node.lineno, top))
    return found


def test_the_scan_sees_every_kind_of_import(tmp_path):
    sample = tmp_path / "probe.py"
    sample.write_text("import os\nfrom . import build\n\ndef f():\n"
                      "    import streamlit as st\n    from cli.main import main\n",
                      encoding="utf-8")
    assert imported_modules(sample, "graph") == [(1, "os"), (2, "graph"), (5, "streamlit"),
                                                 (6, "cli")]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_never_imports_the_layers_above(package):
    offences = [f"{path.relative_to(ROOT)}:{line} imports {module}"
                for path in sorted((ROOT / package).rglob("*.py"))
                for line, module in imported_modules(path, package)
                if module in FORBIDDEN[package]]
    assert offences == []
