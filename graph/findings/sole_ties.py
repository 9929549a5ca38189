"""The ties that alone join two groups, and the sectors of an organisation's partners.

Used by :func:`graph.findings.connectors` for its ``sole_bridge``, ``sole_block_tie`` and
``sectors`` reasons; both read the ties as position arrays ``u``, ``v``
(``graph.measures.edge_positions``), never as a graph walk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd

from graph.core.view import node_values
from graph.measures import SECTOR_LABELS_EN

__all__ = ["partner_sectors", "sole_ties"]


def partner_sectors(n: int, u: np.ndarray, v: np.ndarray, sectors: list,
                     rows: list) -> list[tuple]:
    """For each of ``rows`` (node positions), the sectors of its partners in the order of
    ``SECTOR_LABELS_EN``, as a tuple (ties ``u[i]``–``v[i]``).

    >>> partner_sectors(3, np.array([0, 0]), np.array([1, 2]), ["civic", "business", "civic"],
    ...                 [0, 1])
    [('civic', 'business'), ('civic',)]
    """
    order = list(SECTOR_LABELS_EN)
    # one bit per sector, in a byte: a per-tie temporary of 31 MB at nation size, not 250
    bit = np.left_shift(np.uint8(1), np.array([order.index(x) for x in sectors], dtype=np.uint8))
    mask = np.zeros(n, dtype=np.uint8)
    np.bitwise_or.at(mask, u, bit[v])
    np.bitwise_or.at(mask, v, bit[u])
    names = {}
    out = []
    for m in mask[np.asarray(rows, dtype=np.int64)].tolist():
        if m not in names:
            names[m] = tuple(x for i, x in enumerate(order) if m >> i & 1)
        out.append(names[m])
    return out


def sole_ties(G: nx.Graph, nodes: list, u: np.ndarray, v: np.ndarray, sectors: list,
               membership: Mapping):
    """Node → community pairs / ward × sector block pairs for which it holds the only tie
    (ties ``u[i]``–``v[i]``), two dicts; each node's pairs in the order of their codes.

    >>> G = nx.barbell_graph(3, 0)
    >>> u, v = np.array([0, 0, 1, 2, 3, 3, 4]), np.array([1, 2, 2, 3, 4, 5, 5])
    >>> pairs, blocks = sole_ties(G, list(G), u, v, ["civic"] * 6, {x: x // 3 for x in G})
    >>> dict(pairs), blocks
    ({2: [(0, 1)], 3: [(0, 1)]}, {})
    """
    comm_codes, comm_ids = pd.factorize(pd.Series([membership[x] for x in nodes], dtype=object))
    wards = node_values(G, nodes, "ward")
    block_codes, block_ids = pd.factorize(pd.Series(
        [(w, x) if w else None for w, x in zip(wards, sectors)], dtype=object))

    def sole(codes: np.ndarray, ids) -> dict:
        # per-tie arrays in int32, each freed as soon as the next is made (31 M ties at
        # nation size: 125 MB apiece); the pair keys of the ties between groups are counted
        # on a sorted copy, and the ties of the pairs seen once found by a search in pieces
        codes = codes.astype(np.int32)
        a, b = codes[u], codes[v]
        kept = np.flatnonzero((a != b) & (a >= 0) & (b >= 0))
        if not len(kept):
            return {}
        lo, hi = a[kept], b[kept]
        del a, b
        swap = lo > hi
        lo[swap], hi[swap] = hi[swap], lo[swap]
        del swap
        key = lo.astype(np.int64) * (len(ids) + 1) + hi
        del lo, hi
        ordered = np.sort(key)
        alone = np.ones(len(ordered), dtype=bool)
        alone[1:] = ordered[1:] != ordered[:-1]
        alone[:-1] &= ordered[1:] != ordered[:-1]
        singles = ordered[alone]
        del ordered, alone
        out: defaultdict[object, list[tuple]] = defaultdict(list)
        if not len(singles):
            return out
        pieces = []
        for start in range(0, len(key), 1 << 20):
            piece = key[start:start + (1 << 20)]
            at = np.minimum(np.searchsorted(singles, piece), len(singles) - 1)
            pieces.append(start + np.flatnonzero(singles[at] == piece))
        found = np.concatenate(pieces)
        found = found[np.argsort(key[found])]  # in the order of the pair keys, as said before
        del key
        for i in found.tolist():
            tie = kept[i]
            x, y = int(codes[u[tie]]), int(codes[v[tie]])
            pair = tuple(sorted((ids[x], ids[y]), key=str))
            out[nodes[u[tie]]].append(pair)
            out[nodes[v[tie]]].append(pair)
        return out

    return sole(comm_codes, comm_ids), sole(block_codes, block_ids)
