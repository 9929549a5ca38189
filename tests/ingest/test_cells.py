"""One spreadsheet escape for every CSV/XLSX that leaves the program, full-width forms too."""

from __future__ import annotations

import networkx as nx
import openpyxl
import pandas as pd
import pytest

from ingest.cells import escape_spreadsheet_cell

HOSTILE = ["=1+1", "＝1+1", "＋SUM(A1)", "－2", "＠A1", "\t=x", "ok", "-3"]
SAFE = ["'=1+1", "'＝1+1", "'＋SUM(A1)", "'－2", "'＠A1", "'\t=x", "ok", "'-3"]


def test_escape_function():
    assert [escape_spreadsheet_cell(v) for v in HOSTILE] == SAFE
    assert escape_spreadsheet_cell(3) == 3 and escape_spreadsheet_cell(None) is None


def test_write_csv_table_and_work_lists(tmp_path):
    from cli.suggest_cmd import write_table
    from graph.io import write_csv_table

    frame = pd.DataFrame({"name": HOSTILE, "n": range(len(HOSTILE))})
    written = pd.read_csv(write_csv_table(frame, tmp_path / "t.csv"), encoding="utf-8-sig",
                          keep_default_na=False)
    assert written["name"].tolist() == SAFE
    for suffix in (".csv", ".xlsx"):
        path = write_table(frame, tmp_path / f"work{suffix}")
        read = (pd.read_excel(path) if suffix == ".xlsx"
                else pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False))
        assert read["name"].tolist() == SAFE, suffix


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_graph_exports(tmp_path, fmt):
    from graph.io import write_graph

    G = nx.Graph()
    G.add_node("R-O1", name="＝HYPERLINK(\"http://x\")")
    G.add_node("R-O2", name="＠cmd")
    G.add_edge("R-O1", "R-O2", weight=1)
    paths = write_graph(G, tmp_path / f"g.{fmt}", format=fmt)
    if fmt == "csv":
        text = "".join(p.read_text(encoding="utf-8-sig") for p in paths)
    else:
        book = openpyxl.load_workbook(paths[0])
        text = "".join(str(c.value) for s in book.worksheets for r in s.iter_rows()
                       for c in r)
    assert "'＝HYPERLINK" in text and "'＠cmd" in text


def test_dashboard_downloads():
    from dashboards._downloads import spreadsheet_safe, xlsx_bytes

    frame = pd.DataFrame({"name": HOSTILE})
    assert spreadsheet_safe(frame)["name"].tolist() == SAFE
    import io
    assert pd.read_excel(io.BytesIO(xlsx_bytes({"t": frame})))["name"].tolist() == SAFE
