"""`tsunagari analyze` writes its files; bad input and a missing store give the right status."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cli.analyze_cmd import NODE_COLUMNS, write_analysis
from cli.main import main
from graph.analysis import analyze
from graph.build import example_dataset
from ingest.schemas import Dataset

ORGS = """id,name,kind,ward,orientation,fields,synthetic
w1,西町会,neighbourhood_association,西淀川区,territorial,3,false
w2,西二町会,neighbourhood_association,西淀川区,territorial,3,false
w3,=HYPERLINK("http://x"),neighbourhood_association,西淀川区,territorial,3,false
n1,子育てNPO,npo,北区,thematic,13,false
n2,北NPO2,npo,北区,thematic,13,false
n3,@北NPO3,npo,北区,thematic,13;1,false
bridge,つなぐNPO,npo,北区,thematic,13,false
hermit,孤高の会,company,港区,,16,false
"""

COLLABS = """id,title,start_date,org_ids,synthetic
C1,防災,2019-05-01,w1;w2;w3,false
C2,子育て,2019-05-01,n1;n2;n3,false
C3,見守り,2019-06-01,bridge;w1,false
C4,子ども食堂,2019-06-01,bridge;n1,false
"""


@pytest.fixture
def dataset(tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "organizations.csv").write_text(ORGS, encoding="utf-8")
    (folder / "collaborations.csv").write_text(COLLABS, encoding="utf-8")
    return folder


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_analyze_writes_every_file(dataset, tmp_path, capsys):
    out = tmp_path / "out"
    status = main(["analyze", "--dataset", str(dataset), "--out", str(out), "--seed", "2"])
    assert status == 0
    printed = capsys.readouterr().out
    assert "8 organisations" in printed and "betweenness exact" in printed
    # the console names the kinds apart (hermit has no tie; nobody else is listed)
    assert ("1 needing a partner (no ties 1, only one partner 0, peripheral 0, "
            "inactive since a date 0)") in printed

    nodes = _rows(out / "nodes.csv")
    assert list(nodes[0])[:len(NODE_COLUMNS)] == list(NODE_COLUMNS)
    by_id = {row["id"]: row for row in nodes}
    assert set(by_id) == {"w1", "w2", "w3", "n1", "n2", "n3", "bridge", "hermit"}
    assert by_id["hermit"]["isolated_reason"].startswith("no_ties")
    assert float(by_id["bridge"]["betweenness"]) > 0
    assert by_id["bridge"]["role"] in {"R1", "R2", "R3", "R4", "R5", "R6", "R7"}
    # spreadsheet formulas are escaped
    assert by_id["w3"]["name"] == "'=HYPERLINK(\"http://x\")"
    assert by_id["n3"]["name"] == "'@北NPO3"

    connectors = _rows(out / "connectors.csv")
    assert connectors[0]["rank"] == "1" and connectors[0]["why_ja"]
    assert {row["id"] for row in connectors[:2]} & {"bridge", "w1", "n1"}
    assert _rows(out / "communities.csv")
    isolated = {row["id"]: row for row in _rows(out / "isolated.csv")}
    assert isolated["hermit"]["reason"] == "no_ties"
    for name in ("ward_sector", "field_field", "community_holes", "orientation_bridging",
                 "company_gaps"):
        assert (out / "gaps" / f"{name}.csv").exists(), name

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["organisations"] == 8 and summary["ties"] == 3 + 3 + 1 + 1
    assert summary["components"] == 2 and summary["isolates"] == 1
    assert summary["needing_partner"] == 1 and summary["isolated_by_kind"]["no_ties"] == 1
    assert summary["betweenness"]["exact"] is True and summary["betweenness"]["k"] == 8
    assert summary["parameters"]["seed"] == 2
    assert isinstance(summary["modularity"], float)
    assert set(summary["timings"]) >= {"ties", "communities", "measures", "gaps"}


def test_csv_keeps_line_breaks_in_their_cell_and_escapes_formulas(tmp_path):
    ds = example_dataset()
    orgs = ds.table("organizations").copy()
    names = {"A": "A\rB", "B": "line\nbreak", "C": "=cmd|' /C calc'!A0",
             "D": "<script>alert(1)</script>", "K": "\rstart"}
    orgs["name"] = orgs["id"].map(names)
    write_analysis(analyze(Dataset({**ds.tables, "organizations": orgs})), tmp_path)
    text = (tmp_path / "nodes.csv").read_bytes().decode("utf-8-sig")
    assert '"A\rB"' in text and '"<script>alert(1)</script>"' in text  # text cells quoted
    rows = _rows(tmp_path / "nodes.csv")
    assert len(rows) == 5
    assert {row["id"]: row["name"] for row in rows} == {
        "A": "A\rB", "B": "line\nbreak", "C": "'=cmd|' /C calc'!A0",
        "D": "<script>alert(1)</script>", "K": "'\rstart"}
    assert float(rows[0]["degree"]) >= 0  # numbers stay numbers


def test_fiscal_year_in_japanese(dataset, tmp_path):
    out = tmp_path / "fy"
    assert main(["analyze", "--dataset", str(dataset), "--fiscal-year", "平成30年度",
                 "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["parameters"]["fiscal_year"] == 2018
    assert summary["ties"] == 0  # every collaboration starts in FY2019


def test_bad_input_exits_2(dataset, tmp_path, capsys):
    (dataset / "organizations.csv").write_text(ORGS.replace("company", "spaceship"),
                                               encoding="utf-8")
    assert main(["analyze", "--dataset", str(dataset), "--out", str(tmp_path / "x")]) == 2
    assert "kind" in capsys.readouterr().err
    assert main(["analyze", "--dataset", str(dataset), "--fiscal-year", "someday",
                 "--out", str(tmp_path / "y")]) == 2


def test_missing_store_exits_1(tmp_path, capsys):
    status = main(["analyze", "--store", str(tmp_path / "none.duckdb"),
                   "--out", str(tmp_path / "x")])
    assert status == 1
    assert "tsunagari bootstrap" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_bad_scope_exits_2(dataset, tmp_path, capsys):
    assert main(["analyze", "--dataset", str(dataset), "--as-of", "not-a-date",
                 "--out", str(tmp_path / "x")]) == 2
    assert "analyze:" in capsys.readouterr().err


@pytest.mark.slow
def test_bench_analyze_runs_on_a_small_dataset(dataset, tmp_path, capsys):
    report = tmp_path / "analyze.md"
    assert main(["bench", "analyze", "--dataset", str(dataset), "--write", str(report)]) == 0
    text = report.read_text(encoding="utf-8")
    assert "8 organisations, 8 ties" in text
    assert "baseline: bare `nx.pagerank`" in text and "**`analyze` total**" in text
    assert "betweenness exact" in text
    assert "1 organisations needing a partner" in text and "flagged as isolated" not in text
    assert "networkit-leiden" in text  # Leiden is the default at every size
    assert "before the run and" in text and "/proc/loadavg" in text
    assert text in capsys.readouterr().out
