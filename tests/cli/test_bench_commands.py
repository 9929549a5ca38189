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
from cli.bench import timeline as bench_timeline

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


@pytest.mark.slow
def test_bench_timeline_on_a_store_times_analyze_and_every_fiscal_year(tmp_path):
    from ingest.store import ingest_dataset

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "organizations.csv").write_text("id,name,kind\nA,a,npo\nB,b,npo\nC,c,npo\n")
    (folder / "collaborations.csv").write_text(
        "id,title,org_ids,start_date\nC1,t,A;B,2019-05-01\nC2,u,B;C,2021-06-01\n")
    ingest_dataset(folder, store=tmp_path / "s.duckdb")
    figures = bench_timeline.run_store_benchmark(tmp_path / "s.duckdb")
    assert figures["periods"] == ["FY2019", "FY2020", "FY2021"] and figures["ties"] == 2
    assert figures["timeline_cpu"] == figures["tie_list_cpu"] + figures["timeline_analysis_cpu"]
    assert figures["ratio_baseline_cpu"] == figures["timeline_cpu"] / figures["baseline_cpu"]
    text = bench_timeline.format_store_markdown(figures, label="store s.duckdb")
    assert "| **baseline**: `analyze_store(store)` |" in text and "3 periods" in text
