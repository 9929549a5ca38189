"""Graph attributes flattened to the scalars GEXF and GraphML hold, column by column.

GEXF and GraphML hold scalar attributes only: :func:`flatten_graph` turns tuples, lists and
sets into ``;``-joined text, dates into ISO text, dicts into JSON, and leaves out missing
values (``None``, NaN) so they read back as absent, not as the text "None". An attribute
holding mixed kinds of values is written as text throughout, so each key has one type.
Attribute names GEXF reserves (``id``, ``pid``, ``start``, ``end``, ``viz``, ... and
``type`` on edges) are renamed ``record_id`` / ``attr_<name>``; nodes get a ``label``
(their ``name``) when they have none.

The writers do not build the flattened copy: each attribute is flattened once for all nodes
or all edges (type checks hoisted out of the loop) into a :class:`Table`
(:func:`attribute_table`), which they render from (``graph.io.rows``).

Examples
--------
>>> G = nx.Graph([("a", "b", {"fields": (1, 13)})])
>>> flatten_graph(G).edges["a", "b"]["fields"]
'1;13'
>>> attribute_table([{"n": 1}, {"n": 2.5}], {}).columns
{'n': [1.0, 2.5]}
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter

import networkx as nx
import numpy as np
import pandas as pd

__all__ = [
    "RESERVED_NODE",
    "RESERVED_EDGE",
    "NONE_TYPE",
    "SCALARS",
    "DATES",
    "Table",
    "flatten_value",
    "flatten_column",
    "isoformat_all",
    "unify_column",
    "flat_mapping",
    "key_groups",
    "attribute_table",
    "edge_list",
    "node_attribute_table",
    "flatten_graph",
]


#: Node attribute names GEXF reserves, and the names they are written under.
RESERVED_NODE = {"id": "record_id", "pid": "attr_pid", "start": "attr_start",
                 "end": "attr_end", "viz": "attr_viz", "parents": "attr_parents",
                 "slices": "attr_slices", "spells": "attr_spells"}
#: Edge attribute names GEXF reserves, and the names they are written under.
RESERVED_EDGE = {"id": "record_id", "type": "attr_type", "start": "attr_start",
                 "end": "attr_end", "slices": "attr_slices", "spells": "attr_spells"}
#: The type of ``None`` (a missing value in a flattened column).
NONE_TYPE = type(None)
#: Value types a flattened column holds as they are.
SCALARS = frozenset({str, int, bool, float, NONE_TYPE})
#: Value types written as ISO dates.
DATES = frozenset({dt.date, dt.datetime, NONE_TYPE})


def flatten_value(value):
    """One attribute value as a scalar GEXF/GraphML can hold; ``None`` when missing.

    >>> flatten_value((1, 13)), flatten_value(dt.date(2019, 4, 1)), flatten_value(None)
    ('1;13', '2019-04-01', None)
    >>> flatten_value({"b": 1}), flatten_value(np.int64(3)), flatten_value(float("nan"))
    ('{"b": 1}', 3, None)
    """
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date().isoformat() if value == value.normalize() \
            else value.isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return json.dumps(dict(value), ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, (tuple, list, set, frozenset, np.ndarray)):
        items = list(value)
        if isinstance(value, (set, frozenset)):
            items = sorted(items, key=str)
        return ";".join("" if x is None else str(flatten_value(x)) for x in items)
    if value is pd.NaT:
        return None
    return str(value)


def flatten_column(values: list) -> list:
    """:func:`flatten_value` of every value of one attribute (``None`` where missing), with the
    type checks done once for the column: text, numbers, dates and tuples of text or integers
    take one comprehension; anything else goes value by value."""
    kinds = set(map(type, values))
    if kinds <= SCALARS:
        # NaN is the one value unequal to itself
        return [None if v != v else v for v in values] if float in kinds else values  # noqa: PLR0124
    if kinds <= DATES:
        return isoformat_all(values)
    if kinds <= {tuple, list, NONE_TYPE}:
        items = set(map(type, chain.from_iterable(v for v in values if v is not None)))
        if items <= {str}:
            return [None if v is None else ";".join(v) for v in values]
        if items <= {str, int}:
            return [None if v is None else ";".join(map(str, v)) for v in values]
    return [flatten_value(v) for v in values]


def isoformat_all(values: list, quote: str = "") -> list:
    """``quote + v.isoformat() + quote`` of dates and datetimes (each distinct value once)."""
    texts = {v: quote + v.isoformat() + quote for v in set(values) if v is not None}
    texts[None] = None
    return list(map(texts.__getitem__, values))


def unify_column(values: list) -> tuple[list, type]:
    """One type for an attribute: mixed numbers become floats, other mixtures text. Returns
    the column and its type."""
    kinds = set(map(type, values))
    kinds.discard(NONE_TYPE)
    if len(kinds) <= 1:
        return values, kinds.pop() if kinds else str
    target = float if kinds <= {int, float} else str
    return [None if v is None else target(v) for v in values], target


def flat_mapping(attrs: Mapping, reserved: Mapping[str, str]) -> dict:
    """The flattened attributes of one mapping (``G.graph``), missing values left out, names
    renamed by ``reserved``."""
    out = {}
    for key, value in attrs.items():
        value = flatten_value(value)
        if value is not None:
            out[reserved.get(str(key), str(key))] = value
    return out


_LABEL = object()  # the label flatten_graph adds to a node that has a text name and no label


@dataclass(frozen=True)
class Table:
    """The flattened attributes of a list of records (the nodes or the edges of a graph).

    ``columns[name][i]`` is record ``i``'s value (``None`` when it has none), of type
    ``kinds[name]``; record ``i`` holds the names ``layouts[layout_of[i]]`` in that order;
    ``first[j]`` is the first record with layout ``j`` (layouts are numbered in order of first
    appearance).
    """

    size: int
    columns: dict
    kinds: dict
    layouts: list
    layout_of: np.ndarray
    first: list

    def names(self, layouts=None) -> list:
        """Attribute names in the order a record-by-record scan first meets them."""
        return list(dict.fromkeys(chain.from_iterable(self.layouts if layouts is None
                                                      else layouts)))

    def records(self) -> list[dict]:
        """One flattened attribute dict per record."""
        columns, layouts = self.columns, self.layouts
        return [{name: columns[name][i] for name in layouts[j]}
                for i, j in enumerate(self.layout_of.tolist())]


def key_groups(records: list) -> tuple[dict[tuple, int], list[int]]:
    """The distinct key orders of ``records`` (numbered in order of first appearance) and the
    number of each record's."""
    key_orders = list(map(tuple, records))
    groups = {keys: i for i, keys in enumerate(dict.fromkeys(key_orders))}
    return groups, [0] * len(records) if len(groups) == 1 else [groups[k] for k in key_orders]


def attribute_table(records: list, reserved: Mapping[str, str], *, labels: bool = False) -> Table:
    """Flatten the attribute dicts ``records`` column by column (see :func:`flatten_graph`)."""
    n = len(records)
    groups, group_of = key_groups(records)
    keys = list(dict.fromkeys(chain.from_iterable(groups)))
    name_of = {k: reserved.get(str(k), str(k)) for k in keys}
    flat = {}
    for k in keys:
        raw = (list(map(itemgetter(k), records)) if len(groups) == 1
               else [d.get(k) for d in records])
        flat[k] = flatten_column(raw)
    orders = [list(g) for g in groups]

    def merged(name: str) -> list:
        sources = [k for k in keys if name_of[k] == name]
        if len(sources) == 1:
            return flat[sources[0]]
        if not sources:
            return [None] * n
        # several keys flatten to one name ("id" and "record_id"): the last one present wins
        out = [None] * n
        order = [[k for k in ks if name_of.get(k) == name] for ks in orders]
        for i in range(n):
            for k in order[group_of[i]]:
                if flat[k][i] is not None:
                    out[i] = flat[k][i]
        return out

    if labels and n:
        given = merged("label")
        added = [v if label is None and isinstance(v, str) else None
                 for v, label in zip(merged("name"), given)]
        if any(v is not None for v in added):
            keys.append(_LABEL)
            name_of[_LABEL] = "label"
            flat[_LABEL] = added
            for order in orders:
                order.append(_LABEL)
    columns, kinds = {}, {}
    for name in dict.fromkeys(name_of.values()):
        columns[name], kinds[name] = unify_column(merged(name))

    partial = [k for k in keys if None in flat[k]]
    if n == 0:
        layout_of, first = np.zeros(0, dtype=np.intp), []
    elif len(groups) == 1 and not partial:
        layout_of, first = np.zeros(n, dtype=np.intp), [0]
    else:
        present = [np.asarray(group_of, dtype=np.int64)]
        present += [np.array([v is not None for v in flat[k]]) for k in partial]
        _, starts, inverse = np.unique(np.column_stack(present), axis=0, return_index=True,
                                       return_inverse=True)
        rank = np.empty(len(starts), dtype=np.intp)
        rank[np.argsort(starts)] = np.arange(len(starts))
        layout_of = rank[inverse.reshape(-1)]
        first = np.sort(starts).tolist()
    layouts = []
    for i in first:
        names: dict[str, None] = {}
        for k in orders[group_of[i]]:
            if flat[k][i] is not None:
                names.setdefault(name_of[k])
        layouts.append(tuple(names))
    held = set(chain.from_iterable(layouts))  # not the names that are always missing
    columns = {name: values for name, values in columns.items() if name in held}
    return Table(n, columns, {name: kinds[name] for name in columns}, layouts, layout_of, first)


def edge_list(G: nx.Graph) -> list[tuple]:
    """The edges of ``G`` as tuples ending with their data (keys included in a multigraph)."""
    return list(G.edges(keys=True, data=True) if G.is_multigraph() else G.edges(data=True))


def node_attribute_table(G: nx.Graph) -> Table:
    """The flattened node attributes of ``G`` as a :class:`Table` (labels added)."""
    return attribute_table([d for _, d in G.nodes(data=True)], RESERVED_NODE, labels=True)


def flatten_graph(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` whose graph, node and edge attributes are all scalars.

    Parameters
    ----------
    G : networkx graph
        Any graph class (multigraph keys are kept); not modified.

    Returns
    -------
    networkx graph
        Same class and structure; attributes flattened with :func:`flatten_value`, missing
        values left out, one type per attribute name, GEXF-reserved names renamed, and a
        ``label`` (the ``name``) on nodes that have none.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", name="A会", fields=(1, 3), ward=None)
    >>> G.add_edge("a", "b", evidence=("events:E1",), first_date=dt.date(2019, 6, 1))
    >>> F = flatten_graph(G)
    >>> F.nodes["a"], F.edges["a", "b"]["first_date"]
    ({'name': 'A会', 'fields': '1;3', 'label': 'A会'}, '2019-06-01')
    >>> G.nodes["a"]["fields"]
    (1, 3)
    """
    edges = edge_list(G)
    edge_attrs = attribute_table([e[-1] for e in edges], RESERVED_EDGE).records()
    F = G.__class__()
    F.graph.update(flat_mapping(G.graph, {}))
    F.add_nodes_from(zip(G.nodes, node_attribute_table(G).records()))
    F.add_edges_from(e[:-1] + (attrs,) for e, attrs in zip(edges, edge_attrs))
    return F
