"""A WebGL network drawing for large graphs: sigma.js + graphology, inlined, works offline.

:func:`webgl_html` returns one self-contained HTML page (for ``st.iframe``) drawing every
organisation at positions computed in Python, with:

- **click-to-card**: a click on an organisation shows its card (name, kind, ward, community,
  measures) in a panel — written with ``textContent``, so a name is never read as HTML;
- **search**: type part of a name, Enter (or the button) focuses the first match;
- **focus / ego**: a focused organisation and its neighbours stay in colour, the rest greys out;
- **colour by** community, kind or ward and **size by** any measure given, switched in the page.

The data travel as JSON inside a ``<script type="application/json">`` block with ``<``, ``>``,
``&`` and the line separators escaped, so no text can close the script. The vendored
libraries are in ``dashboards/static/vendor`` (MIT; see its README).

>>> import pandas as pd
>>> nodes = pd.DataFrame({"id": ["a", "b"], "label": ["A", "</script><b>"], "x": [0.0, 1.0],
...                       "y": [0.0, 1.0], "card": ["A", "B"]})
>>> page = webgl_html(nodes, pd.DataFrame({"source": ["a"], "target": ["b"]}),
...                   colours={"kind": ["#111111", "#222222"]}, sizes={"degree": [3.0, 5.0]})
>>> "</script><b>" in page, "\\\\u003c/script\\\\u003e" in page, "http" in page.split("<script>")[0]
(False, True, False)
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from dashboards._viz import _REMOTE, FONT_FACE, OfflineViolation

__all__ = ["VENDOR", "webgl_html"]

VENDOR = Path(__file__).resolve().parent / "static" / "vendor"


def _script_json(data) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, safe in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                      ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, safe)
    return text


def webgl_html(nodes: pd.DataFrame, edges: pd.DataFrame, *, colours: dict[str, list[str]],
               sizes: dict[str, list[float]], labels: dict[str, str] | None = None,
               height: int = 640) -> str:
    """The page drawing ``nodes`` (``id, label, x, y, card``) and ``edges`` (``source, target``).

    ``colours`` maps a colour-by choice to one colour per node (in ``nodes`` order); ``sizes``
    a size-by choice to one size per node; ``labels`` the on-page words (``search``, ``find``,
    ``colour``, ``size``, ``clear``, ``hint``, and each choice's name).
    """
    labels = labels or {}
    index = {v: i for i, v in enumerate(nodes["id"].astype(str))}
    pairs = [(index[str(u)], index[str(v)]) for u, v in zip(edges["source"], edges["target"])
             if str(u) in index and str(v) in index]
    data = {"ids": list(index), "labels": [str(v) for v in nodes["label"]],
            "x": [round(float(v), 2) for v in nodes["x"]],
            "y": [round(float(v), 2) for v in nodes["y"]],
            "cards": [str(v) for v in nodes["card"]], "edges": pairs,
            "colours": colours, "sizes": {k: [round(float(s), 2) for s in v]
                                         for k, v in sizes.items()},
            "words": labels}
    libraries = "\n".join((VENDOR / name).read_text(encoding="utf-8")
                          for name in ("graphology.umd.min.js", "sigma.min.js"))
    page = (_PAGE.replace("%HEIGHT%", str(int(height))).replace("%FONT%", FONT_FACE)
            .replace("%DATA%", _script_json(data)))
    head, tail = page.split("%LIBRARIES%")
    if _REMOTE.search(head + tail):
        raise OfflineViolation("the WebGL page would load a remote resource")
    return head + libraries.replace("</script", "<\\/script") + tail


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;font-family:%FONT%;font-size:13px}
#bar{display:flex;gap:6px;align-items:center;padding:4px;flex-wrap:wrap}
#graph{position:relative;width:100%;height:%HEIGHT%px;border:1px solid #ddd}
#card{position:absolute;right:8px;top:44px;max-width:320px;background:#fffffff0;z-index:5;
 border:1px solid #bbb;padding:6px 8px;white-space:pre-wrap;display:none}
</style></head><body>
<div id="bar"><input id="q" size="28"><button id="find"></button>
<button id="clear"></button><label id="colourLabel"></label><select id="colour"></select>
<label id="sizeLabel"></label><select id="size"></select><span id="hint"></span></div>
<div id="graph"></div><div id="card"></div>
<script type="application/json" id="data">%DATA%</script>
<script>%LIBRARIES%</script>
<script>
(function () {
  const D = JSON.parse(document.getElementById("data").textContent);
  const W = D.words || {};
  const say = (id, key, fallback) => { document.getElementById(id).textContent = W[key] || fallback; };
  say("find", "find", "Find"); say("clear", "clear", "Clear"); say("hint", "hint", "");
  say("colourLabel", "colour", "Colour"); say("sizeLabel", "size", "Size");
  document.getElementById("q").placeholder = W.search || "Search";
  const fill = (id, keys) => { const el = document.getElementById(id);
    keys.forEach(k => { const o = document.createElement("option"); o.value = k;
      o.textContent = W[k] || k; el.appendChild(o); }); return el; };
  const colourSel = fill("colour", Object.keys(D.colours));
  const sizeSel = fill("size", Object.keys(D.sizes));
  const graph = new graphology.Graph({type: "undirected", multi: false, allowSelfLoops: false});
  const firstColour = colourSel.value, firstSize = sizeSel.value;
  D.ids.forEach((id, i) => graph.addNode(id, {x: D.x[i], y: -D.y[i], label: D.labels[i],
    size: D.sizes[firstSize][i], color: D.colours[firstColour][i], i: i}));
  D.edges.forEach(([a, b]) => { const u = D.ids[a], v = D.ids[b];
    if (u !== v && !graph.hasEdge(u, v)) graph.addEdge(u, v, {color: "#c9ced6", size: 0.5}); });
  let focus = null, neighbours = new Set();
  const renderer = new Sigma(graph, document.getElementById("graph"), {
    labelRenderedSizeThreshold: 9, labelFont: "%FONT%", hideEdgesOnMove: graph.size > 20000,
    nodeReducer: (node, attrs) => {
      if (focus === null || node === focus || neighbours.has(node)) return attrs;
      return {...attrs, color: "#e3e3e3", label: "", zIndex: 0};
    },
    edgeReducer: (edge, attrs) => {
      if (focus === null) return attrs;
      const [u, v] = graph.extremities(edge);
      return (u === focus || v === focus) ? {...attrs, color: "#555", size: 1} : {...attrs, hidden: true};
    }});
  window.tsunagariSigma = renderer;
  const card = document.getElementById("card");
  function setFocus(node) {
    focus = node; neighbours = new Set(node === null ? [] : graph.neighbors(node));
    if (node === null) { card.style.display = "none"; }
    else { card.textContent = D.cards[graph.getNodeAttribute(node, "i")]; card.style.display = "block";
      const p = renderer.getNodeDisplayData(node);
      renderer.getCamera().animate({x: p.x, y: p.y, ratio: 0.15}, {duration: 400}); }
    renderer.refresh();
  }
  window.tsunagariFocus = setFocus;
  renderer.on("clickNode", ({node}) => setFocus(node));
  renderer.on("clickStage", () => setFocus(null));
  function find() { const q = document.getElementById("q").value.trim().toLowerCase(); if (!q) return;
    const i = D.labels.findIndex(l => l.toLowerCase().includes(q)); if (i >= 0) setFocus(D.ids[i]); }
  document.getElementById("find").addEventListener("click", find);
  document.getElementById("q").addEventListener("keydown", e => { if (e.key === "Enter") find(); });
  document.getElementById("clear").addEventListener("click", () => setFocus(null));
  colourSel.addEventListener("change", () => { const c = D.colours[colourSel.value];
    graph.forEachNode((n, a) => graph.setNodeAttribute(n, "color", c[a.i])); });
  sizeSel.addEventListener("change", () => { const s = D.sizes[sizeSel.value];
    graph.forEachNode((n, a) => graph.setNodeAttribute(n, "size", s[a.i])); });
  renderer.once("afterRender", () => { document.body.dataset.drawn = String(graph.order);
    document.body.dataset.ms = String(Math.round(performance.now())); });
  renderer.refresh();
})();
</script></body></html>"""
