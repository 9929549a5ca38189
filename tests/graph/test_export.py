"""graph.io and `tsunagari export`: round trips, formula escaping, markup stays text."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import networkx as nx
import openpyxl
import pandas as pd
import pytest

from cli.main import main
from graph.build import ecosystem_graph, example_dataset, tie_graph
from graph.errors import GraphError
from graph.io import (
    escape_spreadsheet_cell,
    flatten_graph,
    graph_frames,
    write_graph,
)

NASTY = ["=HYPERLINK(\"http://evil\",\"x\")", "+81-6-1234", "-2", "@SUM(A1:A9)",
         "\tpadded", "\rreturn", "<script>alert('x')</script>", "西淀川区 にしよどリンク"]


@pytest.fixture
def nasty_dataset(make_dataset, org_row):
    orgs = [org_row(f"O{i}", name=name) for i, name in enumerate(NASTY)]
    return make_dataset(
        organizations=orgs,
        events=[{"id": "E1", "name": "=1+1", "date": "2019-06-01"}],
        participations=[{"event_id": "E1", "org_id": o["id"]} for o in orgs],
    )


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("a=b", "a=b"), ("", ""), ("<b>", "<b>"), (5, 5), (None, None),
    (-1.5, -1.5),
])
def test_escape_spreadsheet_cell(value, expected):
    assert escape_spreadsheet_cell(value) == expected


def test_gexf_round_trip_of_the_tie_graph(tmp_path):
    T = tie_graph(example_dataset())
    (path,) = write_graph(T, tmp_path / "ties.gexf")
    R = nx.read_gexf(path)
    assert set(R.nodes) == set(T.nodes) and {frozenset(e) for e in R.edges} == {
        frozenset(e) for e in T.edges}
    ab = R.edges["A", "B"]
    assert float(ab["weight"]) == pytest.approx(3.5)
    assert ab["evidence"] == "collaborations:C1;events:E1;events:E2;memberships:K"
    assert ab["last_date"] == "2019-07-01" and "first_date" not in ab  # None → absent
    assert R.nodes["C"]["label"] == "NPO法人C" and R.nodes["A"]["fields"] == "1"
    assert "orientation" not in R.nodes["B"]


def test_graphml_and_gexf_of_the_full_typed_graph(tmp_path):
    G = ecosystem_graph(example_dataset()).graph
    for name in ("full.graphml", "full.gexf"):
        (path,) = write_graph(G, tmp_path / name)
        R = nx.read_graphml(path) if name.endswith("graphml") else nx.read_gexf(path)
        assert set(R.nodes) == set(G.nodes)
        assert R.number_of_edges() == G.number_of_edges()
        assert R.nodes["org:K"]["node_type"] == "council"
        assert R.nodes["org:K"]["record_id"] == "K"  # GEXF reserves `id`
        relations = sorted(d["relation"] for *_, d in R.edges(data=True))
        assert relations == sorted(d["relation"] for *_, d in G.edges(data=True))


def test_flatten_keeps_one_type_per_attribute_and_leaves_input_alone():
    G = nx.Graph()
    G.add_node("a", size=1, mixed=1, when=dt.date(2019, 4, 1))
    G.add_node("b", size=2.5, mixed="two", tags={"y", "x"})
    G.add_edge("a", "b", evidence=("events:E1", "events:E2"), note=None)
    F = flatten_graph(G)
    assert F.nodes["a"]["size"] == 1.0 and isinstance(F.nodes["a"]["size"], float)
    assert F.nodes["a"]["mixed"] == "1" and F.nodes["b"]["tags"] == "x;y"
    assert F.nodes["a"]["when"] == "2019-04-01"
    assert F.edges["a", "b"] == {"evidence": "events:E1;events:E2"}
    assert G.nodes["b"]["tags"] == {"x", "y"} and G.edges["a", "b"]["note"] is None


def test_csv_escapes_formulas_and_keeps_markup(tmp_path, nasty_dataset):
    files = write_graph(tie_graph(nasty_dataset), tmp_path / "ties.csv")
    assert [f.name for f in files] == ["ties-nodes.csv", "ties-edges.csv"]
    assert files[0].read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel
    nodes = pd.read_csv(files[0], encoding="utf-8-sig", dtype=str, keep_default_na=False)
    names = dict(zip(nodes["id"], nodes["name"]))
    for i, name in enumerate(NASTY):
        expected = "'" + name if name[0] in "=+-@\t\r" else name
        assert names[f"O{i}"] == expected
    assert names["O6"] == "<script>alert('x')</script>"
    edges = pd.read_csv(files[1], encoding="utf-8-sig")
    assert len(edges) == len(NASTY) * (len(NASTY) - 1) // 2
    assert edges["weight"].sum() == pytest.approx(len(NASTY) / 2)


def test_xlsx_cells_are_text_not_formulas(tmp_path, nasty_dataset):
    (path,) = write_graph(ecosystem_graph(nasty_dataset).graph, tmp_path / "full.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["nodes", "edges"]
    sheet = book["nodes"]
    header = [c.value for c in sheet[1]]
    name_col = header.index("name")
    cells = {row[0].value: row[name_col] for row in sheet.iter_rows(min_row=2)}
    assert all(cell.data_type != "f" for cell in cells.values())
    assert cells["org:O0"].value == "'" + NASTY[0]
    assert cells["event:E1"].value == "'=1+1"
    assert cells["org:O6"].value == "<script>alert('x')</script>"
    assert cells["org:O7"].value == "西淀川区 にしよどリンク"


def test_json_is_node_link_data(tmp_path):
    T = tie_graph(example_dataset())
    (path,) = write_graph(T, tmp_path / "ties.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    R = nx.node_link_graph(data, edges="edges")
    assert set(R.edges) == set(T.edges)
    assert R.edges["A", "C"]["first_date"] == "2019-06-01"
    assert R.edges["A", "B"]["evidence"] == list(T.edges["A", "B"]["evidence"])
    assert R.nodes["C"]["fields"] == [1, 13]


def test_graph_frames_of_a_multigraph_have_keys():
    nodes, edges = graph_frames(ecosystem_graph(example_dataset()).graph)
    assert list(edges.columns[:3]) == ["source", "target", "key"]
    assert nodes["id"].is_unique


def test_unknown_formats_are_refused(tmp_path):
    with pytest.raises(GraphError, match="cannot tell the format"):
        write_graph(nx.Graph(), tmp_path / "x.txt")
    with pytest.raises(GraphError, match="unknown 'dot'"):
        write_graph(nx.Graph(), tmp_path / "x.gexf", format="dot")


def test_empty_graph_exports(tmp_path):
    for fmt in ("gexf", "graphml", "csv", "json", "xlsx"):
        assert all(p.exists() for p in write_graph(nx.Graph(), tmp_path / f"e.{fmt}"))


# --- the command line -------------------------------------------------------------------------

DAVIS = Path(__file__).resolve().parents[1] / "fixtures" / "davis"


def test_cli_export_from_a_dataset_folder(tmp_path, capsys):
    out = tmp_path / "davis.graphml"
    assert main(["export", "--dataset", str(DAVIS), "--format", "graphml", "--out",
                 str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    R = nx.read_graphml(out)
    assert R.number_of_nodes() == 18 and R.nodes["DW01"]["name"] == "Evelyn Jefferson"


def test_cli_export_from_a_store_real_only(tmp_path):
    from ingest.store import ingest_dataset

    folder = tmp_path / "data"
    shutil.copytree(DAVIS, folder)
    orgs = pd.read_csv(folder / "organizations.csv", dtype=str)
    orgs["synthetic"] = "false"
    orgs.loc[len(orgs)] = {"id": "S-X", "name": "=合成", "kind": "npo", "source": "test",
                           "synthetic": "true"}
    orgs.to_csv(folder / "organizations.csv", index=False)
    store = tmp_path / "s.duckdb"
    ingest_dataset(folder, store=store)
    out = tmp_path / "t.csv"
    assert main(["export", "--store", str(store), "--view", "full", "--out", str(out)]) == 0
    names = pd.read_csv(tmp_path / "t-nodes.csv", encoding="utf-8-sig")["name"].tolist()
    assert "'=合成" in names
    assert main(["export", "--store", str(store), "--real-only", "--out", str(out)]) == 0
    nodes = pd.read_csv(tmp_path / "t-nodes.csv", encoding="utf-8-sig")
    assert len(nodes) == 18 and "S-X" not in set(nodes["id"])


def test_cli_export_bad_input_and_missing_store(tmp_path, capsys):
    assert main(["export", "--dataset", str(DAVIS), "--out", str(tmp_path / "x.txt")]) == 2
    assert "cannot tell the format" in capsys.readouterr().err
    assert main(["export", "--store", str(tmp_path / "none.duckdb"),
                 "--out", str(tmp_path / "x.gexf")]) == 1
    assert main(["export", "--dataset", str(DAVIS),
                 "--out", str(tmp_path / "no" / "such" / "x.gexf")]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["export", "--format", "dot", "--out", "x.dot"])
    assert exc.value.code == 2
