"""GEXF and GraphML exports validate against their published schemas (offline copies).

The schemas are the official XSDs vendored under ``tests/fixtures/xsd/`` (sources and licences
in its README): GEXF 1.2draft (``gexf.xsd`` with ``viz.xsd``, ``data.xsd`` and the rest it
includes) and GraphML 1.1 (``graphml.xsd`` with ``graphml-structure.xsd``, its extensions and
``xlink.xsd``). The schemas name each other by URL; a resolver maps every URL to the vendored
file and the parser never touches the network.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from graph.build import ecosystem_graph, example_dataset, tie_graph
from graph.io import decode_token, encode_token, is_token, write_graph

XSD = Path(__file__).resolve().parents[1] / "fixtures" / "xsd"
FOLDERS = {"gexf": XSD / "gexf-1.2draft", "graphml": XSD / "graphml-1.1"}


class _Vendored(etree.Resolver):
    """Every schema URL (``http://graphml.graphdrawing.org/xmlns/1.1/xlink.xsd``, or a
    relative ``viz.xsd``) resolved to the vendored copy of that file."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder

    def resolve(self, url, pubid, context):
        local = self.folder / url.rsplit("/", 1)[-1]
        if not local.is_file():
            raise AssertionError(f"schema wants {url}, which is not vendored")
        return self.resolve_filename(str(local), context)


def _schema(fmt: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Vendored(FOLDERS[fmt]))
    main = {"gexf": "gexf.xsd", "graphml": "graphml.xsd"}[fmt]
    return etree.XMLSchema(etree.parse(str(FOLDERS[fmt] / main), parser))


SCHEMAS = {fmt: _schema(fmt) for fmt in FOLDERS}


def _errors(path: Path, fmt: str) -> list[str]:
    schema = SCHEMAS[fmt]
    document = etree.parse(str(path), etree.XMLParser(no_network=True, huge_tree=True))
    return [] if schema.validate(document) else [e.message for e in schema.error_log][:5]


def _hostile_ids() -> nx.MultiDiGraph:
    """Organisation ids the record format accepts but an XML name token is not."""
    ids = ["NPO 12", "A&B", "<x>", "a\"b", "", "  ", "（株）大阪", "_x0020_", "1st", "#5",
           "tab\tid", "emoji🎉", "slash/ward", "semi;colon", 42, ("t", 1)]
    G = nx.MultiDiGraph(name="名前 & <name>")
    for i, n in enumerate(ids):
        G.add_node(n, name=f"org {i}", kind="npo")
    for a, b in zip(ids, ids[1:]):
        G.add_edge(a, b, key=0, relation="collaborated", date=dt.date(2020, 1, 1))
        G.add_edge(a, b, key=1, relation="participated")
    return G


def _example_graphs() -> dict:
    return {"ties": tie_graph(example_dataset()),
            "full": ecosystem_graph(example_dataset()).graph,
            "hostile_ids": _hostile_ids(),
            "hostile_ids_simple": nx.Graph(_hostile_ids()),
            "empty": nx.Graph(), "string_keys": nx.MultiGraph([("a", "b", "k1"), ("a", "b", "k2")])}


GRAPHS = _example_graphs()


def test_the_vendored_schemas_reject_what_the_issue_found(tmp_path):
    # the former writers' two faults, checked on hand-written documents: the schemas bite
    gexf = tmp_path / "named.gexf"
    gexf.write_text('<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2"><graph '
                    'defaultedgetype="undirected" name="x"><nodes/><edges/></graph></gexf>')
    assert any("name" in e for e in _errors(gexf, "gexf"))
    graphml = tmp_path / "repeated.graphml"
    graphml.write_text('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph '
                       'edgedefault="directed"><node id="a"/><node id="b"/>'
                       '<edge id="0" source="a" target="b"/><edge id="0" source="b" '
                       'target="a"/></graph></graphml>')
    assert any("edge_id_unique" in e for e in _errors(graphml, "graphml"))
    spaced = tmp_path / "spaced.graphml"
    spaced.write_text('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph '
                      'edgedefault="directed"><node id="NPO 12"/></graph></graphml>')
    assert _errors(spaced, "graphml")


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
@pytest.mark.parametrize("name", list(GRAPHS))
def test_exports_validate_against_the_published_schema(tmp_path, name, fmt):
    (path,) = write_graph(GRAPHS[name], tmp_path / f"g.{fmt}")
    assert _errors(path, fmt) == []


def test_gexf_keeps_the_graph_name_in_meta(tmp_path):
    (path,) = write_graph(GRAPHS["hostile_ids"], tmp_path / "g.gexf")
    root = etree.parse(str(path)).getroot()
    ns = {"g": "http://www.gexf.net/1.2draft"}
    assert root.find("g:meta/g:description", ns).text == "名前 & <name>"
    assert "name" not in root.find("g:graph", ns).attrib


def test_graphml_edge_ids_are_unique_and_keys_survive(tmp_path):
    G = GRAPHS["full"]
    (path,) = write_graph(G, tmp_path / "full.graphml")
    ids = [e.get("id") for e in etree.parse(str(path)).iter(
        "{http://graphml.graphdrawing.org/xmlns}edge")]
    assert len(ids) == G.number_of_edges() == len(set(ids))
    R = nx.read_graphml(path)
    assert R.number_of_edges() == G.number_of_edges()
    assert sorted(int(d["networkx_key"]) for *_, d in R.edges(data=True)) == sorted(
        k for _, _, k in G.edges(keys=True))


def test_graphml_ids_decode_to_the_organisation_ids(tmp_path):
    G = GRAPHS["hostile_ids"]
    (path,) = write_graph(G, tmp_path / "g.graphml")
    R = nx.read_graphml(path)
    assert all(is_token(n) for n in R)
    assert [decode_token(n) for n in R] == [str(n) for n in G]
    assert sorted((decode_token(u), decode_token(v)) for u, v in R.edges()) == sorted(
        (str(u), str(v)) for u, v in G.edges())


@pytest.mark.parametrize("text", ["plain", "NPO 12", "", "_x", "_x0020_", "a_x005F_b",
                                  "\U0001F389", "日本語 テキスト", "x" * 3 + "_", ":-."])
def test_token_encoding_round_trips(text):
    token = encode_token(text)
    assert is_token(token) and decode_token(token) == text


_TOKEN_DOC = ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault='
              '"directed"><node id="{}"/></graph></graphml>')


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12))
def test_any_text_encodes_to_a_token_the_schema_accepts(text):
    token = encode_token(text)
    assert decode_token(token) == text
    document = etree.fromstring(_TOKEN_DOC.format(token).encode())
    assert SCHEMAS["graphml"].validate(document), (text, token)
