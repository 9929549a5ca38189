"""The drawing and label helpers: doctests, escaping, offline HTML."""

from __future__ import annotations

import doctest
import re

import networkx as nx
import pandas as pd
import pytest

from dashboards import _i18n, _layout, _viz


@pytest.mark.parametrize("module", [_viz, _layout, _i18n])
def test_doctests(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


HOSTILE = ["<img src=x onerror=alert(1)>", "<script>alert(2)</script>",
           '<a href="javascript:alert(3)">x</a>', "HREF=1 </script><script>alert(4)</script>"]


def page_for(names):
    nodes = pd.DataFrame({"id": [f"n{i}" for i in range(len(names))], "label": names,
                          "title": names, "color": "#4e79a7", "size": 10.0,
                          "x": [float(10 * i) for i in range(len(names))], "y": 0.0})
    edges = pd.DataFrame({"source": ["n0"], "target": ["n1"], "width": [1.0],
                          "title": ["<img src=z onerror=alert(5)> href"]})
    return _viz.network_html(nodes, edges)


def test_network_html_keeps_hostile_names_inert_and_offline():
    page = page_for(HOSTILE)
    assert "popup.innerHTML" not in page  # pyvis's link template never switches on
    assert re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I) is None
    assert "bootstrap" not in page.lower()
    assert "<img src=x" not in page and "<script>alert" not in page  # JSON-escaped by tojson
    data = page[page.index("new vis.DataSet("):]
    assert "href" not in data.lower().split("vis.network(")[0]


def test_network_html_refuses_remote_resources(monkeypatch):
    from pyvis.network import Network

    original = Network.generate_html
    monkeypatch.setattr(Network, "generate_html", lambda self, *a, **k: original(self, *a, **k)
                        + '<script src="https://cdn.example/x.js"></script>')
    with pytest.raises(_viz.OfflineViolation):
        page_for(["a", "b"])


def test_legend_escapes_labels():
    assert "<script>" not in _viz.legend_html({"<script>alert(1)</script>": "#000"})


def test_layout_is_deterministic_and_covers_every_node():
    G = nx.connected_caveman_graph(30, 20)  # 600 nodes: the community-wise layout
    membership = {v: v // 20 for v in G}
    first = _layout.layout_positions(G, membership)
    assert first == _layout.layout_positions(G, membership)
    assert set(first) == set(G)


def test_strongest_edges_keep_every_node_attached():
    G = nx.barabasi_albert_graph(400, 5, seed=1)
    kept = _viz.strongest_edges(G, limit=450)
    assert len(kept) <= 450
    assert {v for e in kept for v in e} == set(G)
