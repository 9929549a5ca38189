"""The benchmark functions run end to end on tiny inputs (slow: they time child processes).

Their docstring examples are not run as doctests (a benchmark is no doctest); these tests run
the same calls and check the figures' shape.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.bench import export as bench_export
from cli.bench import ingest as bench_ingest
from cli.bench import ingest_run as bench_ingest_run

DAVIS = Path(__file__).resolve().parents[1] / "fixtures" / "davis"


@pytest.mark.slow
def test_bench_ingest_runs_and_formats():
    figures = bench_ingest_run.run_benchmark(300)
    assert figures["participations"] == 300 and figures["ingest"]["rows"] == 350
    assert "| DuckDB write (one transaction, close) |" in bench_ingest.format_markdown(figures)


@pytest.mark.slow
def test_bench_ingest_on_an_existing_dataset_reports_the_floor_ratio(tmp_path):
    folder = tmp_path / "data"
    bench_ingest_run.generate_dataset(folder, 200)
    figures = bench_ingest_run.run_benchmark(0, data=folder, stages=False)
    assert figures["participations"] == 200 and figures["ingest"]["rows"] == 240
    assert len(figures["load"]) == 2 and figures["stages"] == {}
    text = bench_ingest.format_dataset_section(figures)
    ratio = figures["ingest"]["seconds"] / figures["floor"]["seconds"]
    assert f"validate + ingest / store floor: **{ratio:.2f}×** wall" in text
    assert "load average" in text and "Where the time goes" not in text


@pytest.mark.slow
def test_bench_export_runs_on_davis():
    figures = bench_export.run_benchmark(DAVIS, kind="dataset", formats=["csv"])
    assert figures["baseline"]["organisations"] == 18 and sorted(figures["formats"]) == ["csv"]
