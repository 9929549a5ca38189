"""JSON for code: networkx node-link data, dates as ISO text, tuples as lists.

:func:`write_json` writes the bytes ``json.dumps(nx.node_link_data(G, edges="edges"),
indent=1)`` gives, streamed: each attribute's JSON text is made once for all nodes or all
edges, then the records are rendered and written in blocks (``graph.io.rows``).

Examples
--------
>>> import json, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.json"
>>> write_json(nx.Graph([("a", "b", {"since": dt.date(2019, 4, 1)})]), path)
>>> json.loads(path.read_text(encoding="utf-8"))["edges"]
[{'since': '2019-04-01', 'source': 'a', 'target': 'b'}]
"""

from __future__ import annotations

import datetime as dt
import json
import math
from itertools import chain
from json.encoder import encode_basestring
from operator import itemgetter
from pathlib import Path

import networkx as nx
import numpy as np

from graph.io.flatten import DATES, SCALARS, Table, edge_list, isoformat_all, key_groups
from graph.io.rows import template_literal, write_rows

__all__ = ["write_json"]


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _json_any(value, indent: str) -> str:
    """``json.dumps(value, indent=1)`` as it reads nested in a document at ``indent``."""
    return json.dumps(value, ensure_ascii=False, indent=1,
                      default=_json_default).replace("\n", "\n" + indent)


def _json_float(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _json_scalar(value) -> str:
    if type(value) is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is float:
        return _json_float(value)
    return int.__repr__(value)


def _json_column(values: list, indent: str) -> list[str]:
    """The JSON text of each value of one attribute, as nested at ``indent``."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return list(map(encode_basestring, values))
    if kinds <= {float} and np.isfinite(np.asarray(values, dtype=float)).all():
        return list(map(float.__repr__, values))
    if kinds <= SCALARS:
        return list(map(_json_scalar, values))
    if kinds <= DATES:
        return ["null" if v is None else v for v in isoformat_all(values, '"')]
    if kinds <= {tuple, list}:
        items = set(map(type, chain.from_iterable(values)))
        encode = (encode_basestring if items <= {str} else int.__repr__ if items <= {int}
                  else None)
        if encode is not None:
            inner = "\n" + indent + " "
            return ["[]" if not v else "[" + inner + ("," + inner).join(map(encode, v))
                    + "\n" + indent + "]" for v in values]
    return [_json_any(v, indent) for v in values]


def _json_key(key) -> str:
    """A dict key as ``json`` writes it (non-text keys become text)."""
    if isinstance(key, str):
        return encode_basestring(key)
    if isinstance(key, float):
        return encode_basestring(_json_float(key))
    if key is True or key is False or key is None:
        return encode_basestring({True: "true", False: "false", None: "null"}[key])
    if isinstance(key, int):
        return encode_basestring(int.__repr__(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _write_json_records(out, records: list, lead: dict[str, list]) -> None:
    """Write ``[{**record, **lead}, ...]`` as ``json.dumps(indent=1)`` nests it at depth 1."""
    if not records:
        out.write("[]")
        return
    groups, group_of = key_groups(records)
    keys = list(dict.fromkeys(chain.from_iterable(groups)))
    fragments = {}
    for k in keys:
        if k not in lead:
            raw = (list(map(itemgetter(k), records)) if len(groups) == 1
                   else [d.get(k) for d in records])
            fragments[k] = _json_column(raw, "   ")
    fragments.update((k, _json_column(values, "   ")) for k, values in lead.items())
    layouts = [keys + tuple(k for k in lead if k not in keys) for keys in groups]
    table = Table(len(records), {}, {}, layouts, np.asarray(group_of, dtype=np.intp), [])

    def template(layout: tuple) -> tuple:
        entries = ",\n   ".join(template_literal(_json_key(k)) + ": %s" for k in layout)
        return "{\n   " + entries + "\n  }", layout

    out.write("[\n  ")
    write_rows(out, table, [], fragments, template, separator=",\n  ")
    out.write("\n ]")


def write_json(G: nx.Graph, path: Path) -> None:
    """``json.dumps(nx.node_link_data(G, edges="edges"), indent=1, ...)``, streamed."""
    edges = edge_list(G)
    lead = {"source": [e[0] for e in edges], "target": [e[1] for e in edges]}
    if G.is_multigraph():
        lead["key"] = [e[2] for e in edges]
    with open(path, "w", encoding="utf-8") as out:
        out.write(f'{{\n "directed": {_json_scalar(G.is_directed())},\n '
                  f'"multigraph": {_json_scalar(G.is_multigraph())},\n '
                  f'"graph": {_json_any(G.graph, " ")},\n "nodes": ')
        _write_json_records(out, [d for _, d in G.nodes(data=True)], {"id": list(G)})
        out.write(',\n "edges": ')
        _write_json_records(out, [e[-1] for e in edges], lead)
        out.write("\n}")
