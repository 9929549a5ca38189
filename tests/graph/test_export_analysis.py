"""Exports carry what the analysis computed: measures, communities, a layout, tie spells.

Checked on the Davis Southern Women fixture (the published two-mode network in the record
format) and the example dataset: the values in the files are the analysis' own, the layout is
deterministic, GEXF and GraphML stay valid against their published schemas.

One note on the GEXF schema: the 1.2draft primer, Gephi and networkx write node positions as
``<viz:position>`` in the viz namespace (``http://www.gexf.net/1.2draft/viz``), as the
normative RELAX NG source (``gexf.rnc``: ``include "viz.rnc" inherit = viz``) says; the
published ``gexf.xsd``, generated from it by trang, declares ``position`` in the core
namespace instead. The test therefore validates the file as written with the viz elements
moved into the core namespace, which is where the XSD checks their attributes (``x``, ``y``,
``z`` as ``xs:float``).
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from cli.main import main
from graph.analysis import analyze
from graph.build import example_dataset
from graph.errors import GraphError
from graph.io import EXPORT_COLUMNS, analysis_graph, layout_positions, write_graph

sys.path.insert(0, str(Path(__file__).parent))
from test_export_schemas import SCHEMAS  # noqa: E402  (the vendored XSDs, loaded once)

GEXF, VIZ = "http://www.gexf.net/1.2draft", "http://www.gexf.net/1.2draft/viz"
DAVIS = Path(__file__).resolve().parents[1] / "fixtures" / "davis"


@pytest.fixture(scope="module")
def davis():
    from ingest.load import load_dataset

    return analyze(load_dataset(DAVIS))


def _valid_gexf(path: Path) -> list[str]:
    tree = etree.parse(str(path))
    for element in tree.iter(f"{{{VIZ}}}position"):
        element.tag = f"{{{GEXF}}}position"
    schema = SCHEMAS["gexf"]
    return [] if schema.validate(tree) else [e.message for e in schema.error_log][:5]


def test_organisations_carry_the_analysis_values(tmp_path, davis):
    G = analysis_graph(davis.ties, davis.measures)
    (path,) = write_graph(G, tmp_path / "davis.graphml")
    R = nx.read_graphml(path)
    for node, row in davis.measures.iterrows():
        back = R.nodes[node]
        assert back["community"] == row["community"] and back["role"] == row["role"]
        assert back["community_label"] == row["community_label"]
        for column in ("pagerank", "betweenness", "strength", "participation_coefficient"):
            assert back[column] == pytest.approx(row[column], rel=1e-12)
        if isinstance(row["constraint"], float) and math.isnan(row["constraint"]):
            assert "constraint" not in back  # missing stays absent, not "nan"
    assert set(EXPORT_COLUMNS) - {"isolated_reason"} <= set(R.nodes["DW01"])
    assert R.number_of_edges() == davis.ties.number_of_edges()


def test_gexf_with_layout_and_spells_is_valid_and_reads_back(tmp_path, davis):
    G = analysis_graph(davis.ties, davis.measures)
    positions = layout_positions(G, davis.measures["community"].to_dict())
    (path,) = write_graph(G, tmp_path / "davis.gexf", positions=positions, spells=True)
    assert _valid_gexf(path) == []
    root = etree.parse(str(path)).getroot()
    graph = root.find(f"{{{GEXF}}}graph")
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    R = nx.read_gexf(path)
    for node, (x, y) in positions.items():
        assert R.nodes[node]["viz"]["position"]["x"] == pytest.approx(x, rel=1e-6)
        assert R.nodes[node]["viz"]["position"]["y"] == pytest.approx(y, rel=1e-6)
    spells = {(e.get("source"), e.get("target")): [(s.get("start"), s.get("end"))
                                                   for s in e.iter(f"{{{GEXF}}}spell")]
              for e in root.iter(f"{{{GEXF}}}edge")}
    for u, v, d in G.edges(data=True):
        got = spells.get((u, v)) or spells[(v, u)]
        first, last = d.get("first_date"), d.get("last_date")
        assert got == ([] if first is None and last is None else
                       [(first and first.isoformat(), last and last.isoformat())])
    assert any(spells.values())  # Davis' events are dated


def test_the_other_formats_get_x_and_y(tmp_path, davis):
    G = analysis_graph(davis.ties, davis.measures)
    positions = layout_positions(G, seed=3)
    (path,) = write_graph(G, tmp_path / "d.graphml", positions=positions)
    assert SCHEMAS["graphml"].validate(etree.parse(str(path)))
    R = nx.read_graphml(path)
    assert {n: (d["x"], d["y"]) for n, d in R.nodes(data=True)} == positions
    nodes_csv, _ = write_graph(G, tmp_path / "d.csv", positions=positions)
    assert nodes_csv.read_text(encoding="utf-8-sig").splitlines()[0].endswith('"x","y"')
    assert "x" not in G.nodes["DW01"]  # the graph itself is left alone


def test_layout_is_deterministic_and_seeded():
    G = nx.les_miserables_graph()
    a, b = layout_positions(G, seed=7), layout_positions(G, seed=7)
    assert a == b and a != layout_positions(G, seed=8)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in a.values())
    # weighted attraction: strongly tied characters end up nearer than the average pair
    near = math.dist(a["Valjean"], a["Cosette"])
    mean = sum(math.dist(a["Valjean"], p) for p in a.values()) / len(a)
    assert near < mean


def test_community_layout_keeps_each_community_in_its_disc():
    G = nx.les_miserables_graph()
    communities = nx.community.louvain_communities(G, seed=1)
    of = {n: i for i, c in enumerate(communities) for n in c}
    positions = layout_positions(G, of, method="communities")
    assert positions == layout_positions(G, of, method="communities")
    for c in communities:
        points = [positions[n] for n in c]
        centre = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
        strongest = max(c, key=lambda n: (G.degree(n, weight="weight"), str(n)))
        assert all(math.dist(p, centre) <= 2 * math.sqrt(len(c)) + 1e-9 for p in points)
        assert math.dist(positions[strongest], centre) <= math.sqrt(len(c))
    # auto switches to the community layout above the size limit
    assert layout_positions(G, of, max_organisations=10) == positions


def test_layout_refuses_what_it_cannot_do():
    with pytest.raises(GraphError, match="unknown"):
        layout_positions(nx.path_graph(3), method="spring")
    with pytest.raises(GraphError, match="communities"):
        layout_positions(nx.path_graph(3), method="communities")
    assert layout_positions(nx.Graph()) == {}


def test_cli_export_with_analysis(tmp_path, capsys):
    out = tmp_path / "davis.gexf"
    assert main(["export", "--dataset", str(DAVIS), "--analysis", "--out", str(out)]) == 0
    assert _valid_gexf(out) == []
    R = nx.read_gexf(out)
    assert {"community", "role", "pagerank"} <= set(R.nodes["DW01"])
    assert "viz" in R.nodes["DW01"]
    plain = tmp_path / "plain.gexf"
    assert main(["export", "--dataset", str(DAVIS), "--analysis", "--layout", "none",
                 "--out", str(plain)]) == 0
    assert "viz" not in nx.read_gexf(plain).nodes["DW01"]
    assert main(["export", "--dataset", str(DAVIS), "--analysis", "--view", "full",
                 "--out", str(tmp_path / "x.gexf")]) == 2
    assert "ties view" in capsys.readouterr().err


def test_example_dataset_spell_with_an_undated_start(tmp_path):
    result = analyze(example_dataset())
    G = analysis_graph(result.ties, result.measures)
    assert G.edges["A", "B"]["first_date"] is None
    assert G.edges["A", "B"]["last_date"] == dt.date(2019, 7, 1)
    (path,) = write_graph(G, tmp_path / "e.gexf", spells=True)
    assert _valid_gexf(path) == []
    spell = next(e for e in etree.parse(str(path)).iter(f"{{{GEXF}}}edge")
                 if {e.get("source"), e.get("target")} == {"A", "B"}).find(f".//{{{GEXF}}}spell")
    assert spell.attrib == {"end": "2019-07-01"}
