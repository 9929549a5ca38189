"""docs/metrics.md leads to code that exists: every dotted name it gives resolves."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = re.compile(r"`((?:graph|ingest|dashboards)\.[A-Za-z_][\w.]*)`")


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                target = getattr(target, attr)
        except AttributeError:
            return False
        return True
    return False


def _defined_there(dotted: str) -> bool:
    """A function or class named ``module.name`` is defined in that module (one hop), not
    re-exported from elsewhere."""
    module, _, name = dotted.rpartition(".")
    try:
        target = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return True  # an attribute path (``Analysis.measures``): checked by _resolves
    return getattr(target, "__module__", module) == module


def test_every_function_named_in_the_metrics_table_exists():
    names = sorted(set(NAME.findall((ROOT / "docs" / "metrics.md").read_text(encoding="utf-8"))))
    assert len(names) > 40
    skip_streamlit = [n for n in names if not n.startswith("dashboards.")]
    assert [n for n in skip_streamlit if not _resolves(n)] == []
    assert [n for n in skip_streamlit if not _defined_there(n)] == []
    for name in names:
        if name.startswith("dashboards._state"):  # the state layer: _state, _state_<page>
            module, function = name.split(".")[1:3]
            source = (ROOT / "dashboards" / f"{module}.py").read_text(encoding="utf-8")
            assert f"def {function}(" in source, name
