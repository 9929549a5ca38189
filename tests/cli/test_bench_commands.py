"""The benchmark functions run end to end on tiny inputs (slow: they time child processes).

Their docstring examples are not run as doctests (a benchmark is no doctest); these tests run
the same calls and check the figures' shape.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import bench_export, bench_ingest

DAVIS = Path(__file__).resolve().parents[1] / "fixtures" / "davis"


@pytest.mark.slow
def test_bench_ingest_runs_and_formats():
    figures = bench_ingest.run_benchmark(300)
    assert figures["participations"] == 300 and figures["ingest"]["rows"] == 350
    assert "| DuckDB write (one transaction, close) |" in bench_ingest.format_markdown(figures)


@pytest.mark.slow
def test_bench_export_runs_on_davis():
    figures = bench_export.run_benchmark(DAVIS, kind="dataset", formats=["csv"])
    assert figures["baseline"]["organisations"] == 18 and sorted(figures["formats"]) == ["csv"]
