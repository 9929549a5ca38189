"""The column-wise writers of graph.io give the files the per-value writers gave.

``_reference_write`` below is the former ``write_graph`` (per-value
``flatten_value``, a flattened copy of the graph, networkx's ``write_gexf`` /
``write_graphml_xml``, ``node_link_data`` + ``json.dumps``, ``DataFrame(list of dicts)`` +
``to_csv`` / ``to_excel``), kept here as the oracle. Every graph below, hostile ones
included, must give the same bytes in every format (GEXF: but for its date stamp; XLSX: the
same workbook members but for the creation time), and the files must read back through
networkx, json, pandas and openpyxl to the same nodes, edges and attributes.

Two changes of the files are intended (issue 11: valid against the published schemas) and
written into the oracle: GEXF puts the graph's name in ``<meta>`` (:func:`_reference_gexf`),
GraphML writes node ids as XML name tokens and multigraph edges with unique ids
(:func:`_reference_graphml_ready`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import numpy as np
import openpyxl
import pandas as pd
import pytest

from graph.build import ecosystem_graph, example_dataset, tie_graph
from graph.io import (
    encode_token,
    escape_spreadsheet_cell,
    flatten_graph,
    flatten_value,
    graph_frames,
    write_graph,
)
from graph.io.flatten import RESERVED_EDGE, RESERVED_NODE

FORMATS = ("gexf", "graphml", "csv", "json", "xlsx")


# --- the reference: the writers as they were before the column-wise ones ----------------------

def _reference_unify(records: list[dict]) -> None:
    kinds: dict[str, set] = {}
    for attrs in records:
        for key, value in attrs.items():
            kinds.setdefault(key, set()).add(type(value))
    for key, types in kinds.items():
        if len(types) <= 1:
            continue
        target = float if types <= {int, float} else str
        for attrs in records:
            if key in attrs:
                attrs[key] = target(attrs[key])


def _reference_flatten_graph(G):
    def flat(attrs: Mapping, reserved: Mapping[str, str]) -> dict:
        out = {}
        for key, value in attrs.items():
            value = flatten_value(value)
            if value is not None:
                out[reserved.get(str(key), str(key))] = value
        return out

    nodes = []
    for node, attrs in G.nodes(data=True):
        record = flat(attrs, RESERVED_NODE)
        if "label" not in record and isinstance(record.get("name"), str):
            record["label"] = record["name"]
        nodes.append((node, record))
    if G.is_multigraph():
        edges = [(u, v, k, flat(d, RESERVED_EDGE)) for u, v, k, d in G.edges(keys=True, data=True)]
    else:
        edges = [(u, v, flat(d, RESERVED_EDGE)) for u, v, d in G.edges(data=True)]
    _reference_unify([attrs for _, attrs in nodes])
    _reference_unify([e[-1] for e in edges])
    F = G.__class__()
    F.graph.update(flat(G.graph, {}))
    F.add_nodes_from(nodes)
    F.add_edges_from(edges)
    return F


def _reference_graph_frames(G):
    F = _reference_flatten_graph(G)
    node_rows = [{"id": str(n), **{k: v for k, v in d.items() if k != "label" or
                                   v != d.get("name")}} for n, d in F.nodes(data=True)]
    if F.is_multigraph():
        edge_rows = [{"source": str(u), "target": str(v), "key": str(k), **d}
                     for u, v, k, d in F.edges(keys=True, data=True)]
        lead = ["source", "target", "key"]
    else:
        edge_rows = [{"source": str(u), "target": str(v), **d} for u, v, d in F.edges(data=True)]
        lead = ["source", "target"]
    nodes = pd.DataFrame(node_rows) if node_rows else pd.DataFrame(columns=["id"])
    edges = pd.DataFrame(edge_rows) if edge_rows else pd.DataFrame(columns=lead)
    return nodes, edges


def _reference_escaped(frame):
    out = frame.copy()
    out.columns = [escape_spreadsheet_cell(str(c)) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].astype(object).map(escape_spreadsheet_cell)
    return out


def _reference_json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _reference_graphml_ready(G):
    """What GraphML's schema needs (an intended change of the files, issue 11): node ids as
    XML name tokens, and in a multigraph unique edge ids e0, e1, ... with the networkx key kept
    as the edge attribute ``networkx_key`` (networkx writes the key as the edge id, which
    repeated across pairs, so Gephi and yEd dropped edges)."""
    ids = {n: encode_token(str(n)) for n in G}
    F = G.__class__()
    F.graph.update(G.graph)
    F.add_nodes_from((ids[n], d) for n, d in G.nodes(data=True))
    if G.is_multigraph():
        F.add_edges_from((ids[u], ids[v], f"e{i}", {**d, "networkx_key": k})
                         for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True)))
    else:
        F.add_edges_from((ids[u], ids[v], d) for u, v, d in G.edges(data=True))
    return F


def _reference_gexf(F, path: Path) -> None:
    """``nx.write_gexf`` with the graph's name moved from ``<graph name=…>`` (which GEXF
    1.2draft does not allow: an intended change, issue 11) to ``<meta><description>``."""
    writer = nx.readwrite.gexf.GEXFWriter()
    writer.add_graph(F)
    name = writer.graph_element.attrib.pop("name", "")
    if name:
        ElementTree.SubElement(writer.xml.find("meta"), "description").text = name
    with open(path, "wb") as out:
        writer.write(out)


def _reference_write(G, path: Path, fmt: str) -> list[Path]:
    if fmt == "gexf":
        _reference_gexf(_reference_flatten_graph(G), path)
        return [path]
    if fmt == "graphml":
        # the ElementTree writer: nx.write_graphml is the lxml writer when lxml is installed
        nx.write_graphml_xml(_reference_flatten_graph(_reference_graphml_ready(G)), path)
        return [path]
    if fmt == "json":
        data = nx.node_link_data(G, edges="edges")
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1,
                                   default=_reference_json_default), encoding="utf-8")
        return [path]
    nodes, edges = _reference_graph_frames(G)
    if fmt == "csv":
        stem = path.with_suffix("")
        written = [stem.parent / f"{stem.name}-nodes.csv", stem.parent / f"{stem.name}-edges.csv"]
        for frame, target in zip((nodes, edges), written):
            _reference_escaped(frame).to_csv(target, index=False, encoding="utf-8-sig",
                                             quoting=csv.QUOTE_NONNUMERIC)
        return written
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": options}) as xl:
        _reference_escaped(nodes).to_excel(xl, sheet_name="nodes", index=False)
        _reference_escaped(edges).to_excel(xl, sheet_name="edges", index=False)
    return [path]


# --- graphs --------------------------------------------------------------------------------

class _Odd:
    def __str__(self):
        return "odd<&>\"'"


NAMES = ["=cmd|'/c calc'!A1", "+81-6", "-2", "@SUM(A1)", "\ttab", "\rcr", "line\nbreak",
         "<script>alert('x')</script>", "a & b < c > d \"q\" 'a'", "西淀川区 にしよどリンク", "",
         "  spaced  ", "comma, semi; colon:", "emoji 🎉", "]]>cdata", "100%s %d"]


def hostile_graph(cls=nx.Graph, *, control: bool = True):
    """Every kind of value flatten_value knows, hostile text, reserved and colliding names."""
    G = cls(city="", name="hostile", note=None, tags=("a", "b"), when=dt.date(2020, 1, 2))
    names = NAMES + (["\x01ctl"] if control else [])
    for i, name in enumerate(names):
        G.add_node(f"N{i}", name=name, kind="npo" if i % 2 else None,
                   fields=tuple(range(i % 4)), score=float(i) if i % 3 else math.nan,
                   mixed=i if i % 2 else f"t{i}", intfloat=i if i % 2 else i + 0.5,
                   flag=bool(i % 2), npint=np.int64(i), npfloat=np.float64(i / 3),
                   tagset={"z", "a", str(i)} if i % 5 else frozenset(),
                   when=dt.date(2019, 1, 1 + i) if i % 4 else None,
                   stamp=pd.Timestamp(2019, 2, 1 + i) if i % 3 else pd.Timestamp(2019, 2, 1, 12, i),
                   nat=pd.NaT if i % 2 else dt.datetime(2019, 3, 1, 10, 30),
                   info={"b": i, "a": [1, 2], "c": None} if i % 4 == 0 else None,
                   arr=np.array([i, i + 1]), odd=_Odd(), lst=[None, 1.5, "x", dt.date(2020, 1, 1)],
                   nested=((1, 2), (3,)))
    G.nodes["N3"]["id"] = "rec-3"
    G.nodes["N3"]["record_id"] = "also-3"  # collides with the renamed "id"
    G.nodes["N4"]["label"] = "=given label"
    G.nodes["N5"]["start"] = "2019"
    G.nodes["N6"]["name"] = 42  # a non-text name: no label
    G.nodes["N7"]["boolint"] = True
    G.nodes["N8"]["boolint"] = 3
    G.nodes["N9"]["boolfloat"] = False
    G.nodes["N10"]["boolfloat"] = 2.5
    G.nodes["N11"]["inf"] = math.inf
    G.nodes["N12"]["big"] = 2 ** 40
    G.nodes["N12"]["huge"] = 2 ** 70  # beyond int64: pandas keeps it as an object
    G.nodes["N13"][7] = "int key"
    G.nodes["N14"]["key"] = "a node attribute called key"
    G.add_node(17, name="int node")
    G.add_node(("t", 1), name="tuple node")
    G.add_node("iso")  # no attributes at all
    for i in range(len(names) - 1):
        G.add_edge(f"N{i}", f"N{i + 1}", weight=float(i) / 7,
                   evidence=tuple(f"events:E{j}" for j in range(i % 4)),
                   first_date=dt.date(2019, 1 + i % 12, 1) if i % 3 else None,
                   last_date=dt.date(2020, 1, 1), type="=typed" if i % 2 else "<t>",
                   id=f"e{i}", label=names[i], mixed=i if i % 2 else "x", nan=math.nan,
                   note=names[(i * 5) % len(names)], start=i)
    G.add_edge("N0", 17, weight=1, source="=src")  # an attribute called "source"
    G.add_edge(17, ("t", 1), weight=np.float32(0.1), evidence=["=x", "y"], flag=np.bool_(True))
    G.add_edge("N2", "N2", weight=2.0, note="self loop")
    return G


def _graphs(*, control: bool = True) -> dict:
    viz = nx.Graph([("a", "b", {"viz": 0, "w": 1.5})])  # a falsy edge "viz": networkx's path
    return {
        "example_ties": tie_graph(example_dataset()),
        "example_full": ecosystem_graph(example_dataset()).graph,
        "hostile": hostile_graph(nx.Graph, control=control),
        "hostile_di": hostile_graph(nx.DiGraph, control=control),
        "hostile_multi": hostile_graph(nx.MultiGraph, control=control),
        "hostile_multidi": hostile_graph(nx.MultiDiGraph, control=control),
        "empty": nx.Graph(),
        "loop": nx.Graph([(1, 1)]),
        "edge_viz": viz,
        "string_keys": nx.MultiGraph([("a", "b", "k1"), ("a", "b", "k2")]),
    }


GRAPHS = _graphs()


def _normalised(path: Path) -> object:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return {name: re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*<", b"<T><",
                                 book.read(name)) for name in book.namelist()}
    data = path.read_bytes()
    if path.suffix == ".gexf":
        data = re.sub(rb'lastmodifieddate="[0-9-]+"', b"", data, count=1)
    return data


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(GRAPHS))
def test_same_files_as_the_per_value_writers(tmp_path, name, fmt):
    G = GRAPHS[name]
    new = write_graph(G, tmp_path / f"new.{fmt}")
    old = _reference_write(G, tmp_path / f"old.{fmt}", fmt)
    assert [p.name.replace("new", "") for p in new] == [p.name.replace("old", "") for p in old]
    for a, b in zip(new, old):
        assert _normalised(a) == _normalised(b), (name, a.name)


READABLE = _graphs(control=False)  # an XML parser refuses a raw control character


def _read(path: Path, fmt: str):
    if fmt == "gexf":
        return nx.read_gexf(path)
    if fmt == "graphml":
        return nx.read_graphml(path)
    if fmt == "json":
        return json.loads(path.read_text(encoding="utf-8"))
    if fmt == "csv":
        return [pd.read_csv(p, encoding="utf-8-sig", dtype=str, keep_default_na=False)
                for p in sorted(path.parent.glob(f"{path.stem}-*.csv"))]
    book = openpyxl.load_workbook(path)
    return {sheet.title: [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
            for sheet in book.worksheets}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(READABLE))
def test_files_read_back_to_the_same_graph(tmp_path, name, fmt):
    G = READABLE[name]
    (tmp_path / "new").mkdir()
    (tmp_path / "old").mkdir()
    write_graph(G, tmp_path / "new" / f"g.{fmt}")
    _reference_write(G, tmp_path / "old" / f"g.{fmt}", fmt)
    new, old = _read(tmp_path / "new" / f"g.{fmt}", fmt), _read(tmp_path / "old" / f"g.{fmt}", fmt)
    if fmt in ("gexf", "graphml"):
        assert type(new) is type(old) and new.graph == old.graph
        assert list(new.nodes(data=True)) == list(old.nodes(data=True))
        keys = {"keys": True} if new.is_multigraph() else {}
        assert list(new.edges(data=True, **keys)) == list(old.edges(data=True, **keys))
        assert new.number_of_nodes() == G.number_of_nodes()
        assert new.number_of_edges() == G.number_of_edges()
    elif fmt == "csv":
        for a, b in zip(new, old, strict=True):
            pd.testing.assert_frame_equal(a, b)
    else:
        assert new == old


@pytest.mark.parametrize("name", list(GRAPHS))
def test_flatten_graph_and_graph_frames_match_the_reference(name):
    G = GRAPHS[name]
    F, R = flatten_graph(G), _reference_flatten_graph(G)
    assert type(F) is type(R) and F.graph == R.graph
    assert list(F.nodes(data=True)) == list(R.nodes(data=True))
    assert [list(d.items()) for *_, d in F.edges(data=True)] == [
        list(d.items()) for *_, d in R.edges(data=True)]  # same keys, same order
    for F_attrs, R_attrs in zip(F.nodes.values(), R.nodes.values()):
        assert [type(v) for v in F_attrs.values()] == [type(v) for v in R_attrs.values()]
    for new, old in zip(graph_frames(G), _reference_graph_frames(G)):
        pd.testing.assert_frame_equal(new, old)


def test_the_tie_graph_round_trips_with_its_meaning(tmp_path):
    T = tie_graph(example_dataset())
    (path,) = write_graph(T, tmp_path / "t.graphml")
    R = nx.read_graphml(path)
    for u, v, d in T.edges(data=True):
        back = R.edges[u, v]
        assert back["weight"] == d["weight"] and back["evidence"] == ";".join(d["evidence"])
        assert back.get("first_date") == (d["first_date"].isoformat() if d["first_date"]
                                          else None)
    for n, d in T.nodes(data=True):
        assert R.nodes[n]["name"] == d["name"] and R.nodes[n]["synthetic"] == d["synthetic"]
