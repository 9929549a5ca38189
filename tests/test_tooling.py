"""ruff and mypy, as configured in pyproject.toml, find nothing: ``make test`` enforces them.

ruff: pycodestyle, pyflakes, import order, bugbear and pyupgrade rules (``[tool.ruff]``);
mypy: the packages ``graph``, ``ingest``, ``synth``, ``cli`` and ``dashboards``, leniently
(``[tool.mypy]``). Both run as subprocesses from the repository root (mypy keeps its cache in
``.mypy_cache``, which git ignores).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_ruff_finds_nothing():
    result = _run("ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_would_catch_a_fault(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n\n\ndef f(x=[]):\n    return undefined_name\n")
    result = _run("ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"),
                  str(bad))
    assert result.returncode == 1
    for code in ("F401", "B006", "F821"):  # unused import, mutable default, undefined name
        assert code in result.stdout


@pytest.mark.slow
def test_mypy_finds_nothing():
    result = _run("mypy")  # cache in .mypy_cache (ignored by git): a minute cold, seconds warm
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout


def conflict_markers(root: Path) -> list[str]:
    """``"path:line"`` of every merge-conflict marker left in the code and docs under ``root``."""
    found = []
    for pattern in ("*.py", "*.md", "*.toml", "*.cfg", "*.yml", "*.yaml"):
        for path in sorted(root.rglob(pattern)):
            if any(part.startswith(".") for part in path.relative_to(root).parts):
                continue  # .venv, .git, caches
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            found += [f"{path.relative_to(root)}:{i}" for i, line in enumerate(lines, 1)
                      if line.startswith(("<<<<<<< ", ">>>>>>> "))]
    return found


def test_no_merge_conflict_markers_are_committed():
    assert conflict_markers(ROOT) == []


def test_the_marker_check_finds_a_left_over_conflict(tmp_path):
    (tmp_path / "a.md").write_text("x\n<<<<<<< HEAD\ny\n=======\nz\n>>>>>>> branch\n")
    assert conflict_markers(tmp_path) == ["a.md:2", "a.md:6"]
