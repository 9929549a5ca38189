"""`tsunagari bench baseline`: the core against a pure networkx + python-louvain pipeline.

Small graphs only: the figures themselves come from the real run (docs/benchmarks/baseline.md).
"""

from __future__ import annotations

import pytest

from cli.bench import baseline as bench_baseline
from cli.bench.baseline import NX_STAGES, extrapolate, format_markdown


def _row(effective: dict) -> dict:
    """A made-up result: every networkx stage 1 s, but ``effective_size`` as given."""
    stages = {name: {"seconds": 1.0, "cpu": 1.0, "done": None, "total": None}
              for name in NX_STAGES}
    stages["effective_size"] = effective
    kernel = {"seconds": 0.5, "cpu": 0.25}
    return {
        "store": "s.duckdb", "load_before": "0.1 / 0.1 / 0.1", "load_after": "0.2 / 0.1 / 0.1",
        "core": {"seconds": 4.0, "cpu": 5.0, "peak_kib": 2 ** 20, "ties": 1000,
                 "organisations": 100, "modularity": 0.61, "method": "networkit-leiden",
                 "communities": 7, "betweenness": {"exact": False, "k": 256},
                 "timings": {"communities": 0.1, "measures": 1.9},
                 "cpu_timings": {"communities": 0.2, "measures": 2.8},
                 "kernels": {name: kernel for name in ("degree_strength", "pagerank", "paths",
                                                       "burt")}},
        "networkx": {"stages": stages, "build": {"seconds": 3.0, "cpu": 3.0},
                     "peak_kib": 2 ** 20, "louvain_modularity": 0.58, "louvain_communities": 9,
                     "core_modularity_on_G": 0.60,
                     "burt_sample": {"degree_cap": 40, "work_all": 1000, "work_sample": 10,
                                     "mean_degree_sample": 9.0, "mean_degree_all": 20.0,
                                     "dense_bytes": 2 ** 34, "available_bytes": 2 ** 33}},
    }


def test_extrapolation_is_linear_in_the_items_done():
    assert extrapolate(2.0, 50, 1000) == 40.0
    assert extrapolate(2.0, 1000, 1000) == 2.0
    assert extrapolate(2.0, None, None) == 2.0
    assert extrapolate(1.5, 3, 4) == 2.0


def test_the_sums_use_the_extrapolated_seconds():
    text = format_markdown(_row({"seconds": 2.0, "cpu": 1.0, "done": 10, "total": 1000}))
    # effective size: 2 s on 10 of 1,000 nodes → 200 s; six other stages of 1 s each → Σ 206 s
    assert ("| Burt effective size (`nx.effective_size`, weighted) | 200.00 | 100.00 | "
            "extrapolated from 10 of 1,000 nodes (its per-node path") in text
    assert "two dense n × n arrays, 16.0 GiB, with 8.0 GiB available)" in text
    assert "| Burt constraint (`nx.constraint`, weighted) | 1.00 | 1.00 | all (networkx's " \
           "sparse all-nodes path) |" in text
    assert "| **full analyze** | 206.00 | 106.00 | Σ of the rows above | whole `analyze_store` " \
           "| 4.00 | 5.00 | **51.5×** | **21.2×** |" in text
    # constraint + effective size against the one Burt kernel: (1 + 200) / 0.5
    assert "`burt_values` (one pass: constraint + effective size) | 0.50 | 0.25 | 402.0×" in text
    assert "as free, networkx takes 6.00 s wall / 6.00 s CPU: 1.5× wall, 1.2× CPU" in text
    assert "≈ 200 s wall." in text  # work-scaled: 2 s × 1000 / 10
    assert "Extrapolated linearly: Burt effective size (10 of 1,000)." in text


def test_the_communities_line_gives_both_modularities_on_the_same_graph():
    text = format_markdown(_row({"seconds": 1.0, "cpu": 1.0, "done": None, "total": None}))
    assert "modularity **0.5800**" in text and "modularity **0.6000**" in text
    assert "**10.0×** wall, **5.0×** CPU" in text  # python-louvain 1 s vs the stage's 0.1 s
    assert "Extrapolated linearly: none." in text and "scaled by networkx's work" not in text
    assert "| Burt effective size (`nx.effective_size`, weighted) | 1.00 | 1.00 | all |" in text


def test_the_command_parses():
    from cli.main import build_parser

    args = build_parser().parse_args(["bench", "baseline", "--store", "s.duckdb",
                                      "--burt-sample", "5", "--pivot-sample", "16"])
    assert (args.store, args.burt_sample, args.pivot_sample, args.k) == ("s.duckdb", 5, 16, 256)
    assert args.func is bench_baseline._cmd


@pytest.mark.slow
def test_the_pipeline_runs_end_to_end_on_a_tiny_store(tmp_path):
    from cli.main import main
    from ingest.store import ingest_dataset

    folder = tmp_path / "data"
    folder.mkdir()
    orgs = "".join(f"O{i},o{i},npo\n" for i in range(8))
    (folder / "organizations.csv").write_text("id,name,kind\n" + orgs)
    groups = ["O0;O1;O2", "O2;O3", "O3;O4;O5", "O5;O6", "O6;O7;O0", "O1;O4"]
    (folder / "collaborations.csv").write_text(
        "id,title,org_ids\n" + "".join(f"C{i},t,{g}\n" for i, g in enumerate(groups)))
    ingest_dataset(folder, store=tmp_path / "s.duckdb")
    out = tmp_path / "baseline.md"
    assert main(["bench", "baseline", "--store", str(tmp_path / "s.duckdb"), "--burt-sample",
                 "3", "--write", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("## `tsunagari bench baseline`")
    assert "8 organisations" in text
    for label, _ in NX_STAGES.values():
        assert f"| {label} |" in text
    assert "extrapolated from 3 of 8 nodes" in text and "| **full analyze** |" in text
    assert "Core betweenness and closeness: exact (every node a source)." in text
