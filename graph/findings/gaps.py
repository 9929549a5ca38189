"""Partnership gaps: where ties are fewer than the network's own degrees would lead one to expect.

Observed tie counts between blocks of organisations (wards × sectors, NPO fields, communities)
are set against the expectation of :mod:`graph.findings.null_model` (configuration model by
default, or degree-preserving rewiring).

Each result is a long DataFrame (one row per block pair) with ``observed``, ``expected``,
``difference = observed − expected`` and ``ratio = observed / expected``, sorted with the
biggest shortfall first; :func:`shortfalls` picks the top rows worth reading.

Examples
--------
>>> import networkx as nx
>>> G = nx.Graph([("a", "b"), ("c", "d"), ("a", "c")])
>>> kinds = {"a": "npo", "b": "company", "c": "npo", "d": "company"}
>>> nx.set_node_attributes(G, kinds, "kind")
>>> nx.set_node_attributes(G, {"a": "北区", "b": "北区", "c": "西区", "d": "西区"}, "ward")
>>> gaps = ward_sector_gaps(G)
>>> gaps[["ward", "sector", "observed"]].head(2).values.tolist()
[['北区', 'business', 1.0], ['西区', 'business', 1.0]]
>>> round(float(gaps.loc[0, "expected"]), 3)  # (K_北 K_business − k_b²) / 2m = (3·2 − 1) / 6
0.833
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from graph.core.view import node_values
from graph.errors import GraphError
from graph.findings.coverage import company_frame, orientation_frame
from graph.findings.null_model import (
    block_gaps,
    check_expectation,
    indicator,
    observed_counts,
    present_in_order,
)
from graph.measures import SECTOR_LABELS_JA, TieMatrix, community_membership, sector_of
from ingest.schemas import NPO_FIELDS, WARDS

__all__ = ["ward_sector_gaps", "field_gaps", "community_holes", "shortfalls", "gap_tables"]


def ward_sector_gaps(G: nx.Graph, *, weight: str | None = None,
                     expectation: str = "configuration", samples: int = 20,
                     seed: int | None = 0) -> pd.DataFrame:
    """Ties between the organisations of each ward and each sector, against expectation.

    ``observed`` for (ward w, sector s) counts ties with one end located in w and the other
    end of sector s (:data:`graph.measures.SECTORS`); a tie inside w between two sectors
    counts in both cells. A strong shortfall says "few organisations of w work with s".

    Parameters
    ----------
    G : nx.Graph
        Tie graph with node attributes ``ward`` and ``kind``; not modified.
    weight : str or None, keyword-only
        None (default) counts ties; a name sums tie weights.
    expectation : {"configuration", "rewiring"}, keyword-only
        Expectation model (module notes).
    samples, seed : keyword-only
        Rewired copies and their seed (``expectation="rewiring"`` only).

    Returns
    -------
    pandas.DataFrame
        ``ward, sector, sector_ja, observed, expected, difference, ratio``; biggest
        shortfall first. Wards in the city's order among equal differences.

    Raises
    ------
    GraphError
        For an unknown expectation or an invalid graph.

    Examples
    --------
    >>> G = nx.Graph([("a", "b")])
    >>> nx.set_node_attributes(G, {"a": {"kind": "npo", "ward": "北区"},
    ...                            "b": {"kind": "company", "ward": "西区"}})
    >>> ward_sector_gaps(G)[["ward", "sector", "observed"]].values.tolist()
    [['北区', 'civic', 0.0], ['西区', 'business', 0.0], ['北区', 'business', 1.0], ['西区', 'civic', 1.0]]
    """
    check_expectation(expectation)
    return _ward_sector(G, TieMatrix(G, weight), weight=weight, expectation=expectation,
                        samples=samples, seed=seed)


def _ward_sector(G, m, *, weight, expectation, samples, seed):
    wards = node_values(G, m.nodes, "ward")
    sectors = [sector_of(kind) for kind in node_values(G, m.nodes, "kind")]
    ward_order = present_in_order(wards, WARDS)
    sector_order = present_in_order(sectors, list(SECTOR_LABELS_JA))
    frame = block_gaps(G, m, wards, ward_order, sectors, sector_order, weight=weight,
                        expectation=expectation, samples=samples, seed=seed)
    frame = frame.rename(columns={"row": "ward", "col": "sector"})
    frame.insert(2, "sector_ja", frame["sector"].map(SECTOR_LABELS_JA))
    return frame


def field_gaps(G: nx.Graph, *, weight: str | None = None, expectation: str = "configuration",
               samples: int = 20, seed: int | None = 0) -> pd.DataFrame:
    """Ties between organisations of each pair of NPO activity fields, against expectation.

    An organisation with several ``fields`` belongs to each of them; each unordered pair of
    fields (and each field with itself) appears once.

    Parameters
    ----------
    G : nx.Graph
        Tie graph with node attribute ``fields`` (iterable of field numbers); not modified.
    weight, expectation, samples, seed : keyword-only
        As in :func:`ward_sector_gaps`.

    Returns
    -------
    pandas.DataFrame
        ``field_a, field_b, label_a, label_b, observed, expected, difference, ratio``;
        biggest shortfall first.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": (1,), "b": (1, 13), "c": (13,)}, "fields")
    >>> gaps = field_gaps(G)
    >>> gaps[["field_a", "field_b"]].values.tolist(), gaps["observed"].tolist()
    ([[1, 1], [13, 13], [1, 13]], [1.0, 1.0, 2.0])
    """
    check_expectation(expectation)
    return _field_field(G, TieMatrix(G, weight), weight=weight, expectation=expectation,
                        samples=samples, seed=seed)


def _field_field(G, m, *, weight, expectation, samples, seed):
    fields = [tuple(f or ()) for f in node_values(G, m.nodes, "fields")]
    order = present_in_order([f for fs in fields for f in fs], list(NPO_FIELDS))
    frame = block_gaps(G, m, fields, order, fields, order, weight=weight,
                        expectation=expectation, samples=samples, seed=seed, symmetric=True)
    frame = frame.rename(columns={"row": "field_a", "col": "field_b"})
    frame.insert(2, "label_a", frame["field_a"].map(lambda f: NPO_FIELDS.get(f, str(f))))
    frame.insert(3, "label_b", frame["field_b"].map(lambda f: NPO_FIELDS.get(f, str(f))))
    return frame


def community_holes(G: nx.Graph, partition: Any, *, min_size: int = 3,
                    labels: Mapping[Any, str] | None = None) -> pd.DataFrame:
    """Structural holes: community pairs with fewer bridging ties than their degrees imply.

    For communities a ≠ b, ``bridges`` counts ties between them and ``expected`` is the
    configuration-model count K_a K_b / 2m; ``bridge_density`` is bridges / (n_a n_b).

    Parameters
    ----------
    G : nx.Graph
        Tie graph; not modified.
    partition : Partition, dict or iterable of sets
        Communities covering every node.
    min_size : int, keyword-only
        Only communities with at least this many members are paired.
    labels : mapping, optional
        Community index → readable label (e.g. from ``community_profiles``).

    Returns
    -------
    pandas.DataFrame
        ``community_a, community_b, label_a, label_b, size_a, size_b, bridges, expected,
        difference, ratio, bridge_density``; pairs with no bridge first, then biggest
        shortfall.

    Raises
    ------
    GraphError
        If a node has no community.

    Examples
    --------
    >>> G = nx.barbell_graph(4, 0)
    >>> G.add_edges_from([(10, 11), (11, 12), (10, 12)])
    >>> holes = community_holes(G, [set(range(4)), set(range(4, 8)), {10, 11, 12}])
    >>> holes[["community_a", "community_b", "bridges"]].values.tolist()
    [[0, 2, 0], [1, 2, 0], [0, 1, 1]]
    """
    return _holes(G, TieMatrix(G, None), partition, min_size=min_size, labels=labels)


def _holes(G, m, partition, *, min_size, labels):
    membership = community_membership(G, partition)
    ids = sorted({membership[v] for v in m.nodes}, key=lambda c: (str(type(c)), c))
    C = indicator(m, [membership[v] for v in m.nodes], ids)
    sizes = np.asarray(C.sum(axis=0)).ravel()
    big = np.flatnonzero(sizes >= min_size)
    Cb = sp.csr_array(C[:, big]) if len(big) else sp.csr_array((m.n, 0))
    observed = observed_counts(m.A, Cb, Cb)
    K = Cb.T @ m.degree
    two_m = m.degree.sum()
    i, j = np.triu_indices(len(big), k=1)
    bridges = np.rint(observed[i, j]).astype(int)
    expected = K[i] * K[j] / two_m if two_m else np.zeros(len(i))
    ids_arr = np.array(ids, dtype=object)
    frame = pd.DataFrame({
        "community_a": ids_arr[big[i]] if len(i) else np.array([], dtype=object),
        "community_b": ids_arr[big[j]] if len(i) else np.array([], dtype=object),
        "size_a": sizes[big[i]].astype(int), "size_b": sizes[big[j]].astype(int),
        "bridges": bridges, "expected": expected.astype(float)})
    frame["difference"] = frame["bridges"] - frame["expected"]
    frame["ratio"] = np.where(frame["expected"] > 0,
                              frame["bridges"] / frame["expected"].where(frame["expected"] > 0,
                                                                         1.0), np.nan)
    frame["bridge_density"] = frame["bridges"] / (frame["size_a"] * frame["size_b"])
    labels = labels or {}
    frame.insert(2, "label_a", [labels.get(c, f"#{c}") for c in frame["community_a"]])
    frame.insert(3, "label_b", [labels.get(c, f"#{c}") for c in frame["community_b"]])
    frame["_none"] = frame["bridges"] > 0
    frame["_i"], frame["_j"] = i, j
    frame = frame.sort_values(["_none", "difference", "_i", "_j"],
                              kind="stable").drop(columns=["_none", "_i", "_j"])
    return frame.reset_index(drop=True)


def shortfalls(gaps: pd.DataFrame, *, top: int = 10, min_expected: float = 1.0) -> pd.DataFrame:
    """The biggest shortfalls of a gap table: observed below expected, expected large enough.

    Parameters
    ----------
    gaps : pandas.DataFrame
        A frame from :func:`ward_sector_gaps`, :func:`field_gaps` (``observed``) or
        :func:`community_holes` (``bridges``).
    top : int, keyword-only
        Number of rows returned.
    min_expected : float, keyword-only
        Ignore cells expected to hold fewer ties (too small to call a gap).

    Returns
    -------
    pandas.DataFrame
        At most ``top`` rows, most negative ``difference`` first.

    Raises
    ------
    GraphError
        If the frame has no ``expected``/``difference`` columns.

    Examples
    --------
    >>> df = pd.DataFrame({"observed": [0.0, 5.0, 1.0], "expected": [4.0, 3.0, 0.5]})
    >>> df["difference"] = df["observed"] - df["expected"]
    >>> shortfalls(df).index.tolist()
    [0]
    """
    if not {"expected", "difference"} <= set(gaps.columns):
        raise GraphError("shortfalls: expected a gap table with 'expected' and 'difference'")
    keep = gaps[(gaps["difference"] < 0) & (gaps["expected"] >= min_expected)]
    return keep.sort_values("difference", kind="stable").head(top)


def gap_tables(G: nx.Graph, partition: Any = None, *, labels: Mapping[Any, str] | None = None,
               expectation: str = "configuration", seed: int | None = 0) -> dict[str, pd.DataFrame]:
    """Every gap table at once, keyed by the file stem the CLI writes.

    Parameters
    ----------
    G : nx.Graph
        Tie graph; not modified.
    partition : Partition, dict or iterable of sets, optional
        Communities; without it ``community_holes`` is left out.
    labels : mapping, optional
        Community labels for ``community_holes``.
    expectation, seed : keyword-only
        As in :func:`ward_sector_gaps`.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``ward_sector``, ``field_field``, ``community_holes``, ``orientation_bridging``
        (ward as a column), ``company_gaps``.

    Examples
    --------
    >>> sorted(gap_tables(nx.path_graph(3), [{0, 1, 2}]))
    ['community_holes', 'company_gaps', 'field_field', 'orientation_bridging', 'ward_sector']
    """
    check_expectation(expectation)
    m = TieMatrix(G, None)
    options = dict(weight=None, expectation=expectation, samples=20, seed=seed)
    tables = {
        "ward_sector": _ward_sector(G, m, **options),
        "field_field": _field_field(G, m, **options),
        "orientation_bridging": orientation_frame(G, m).reset_index(),
        "company_gaps": company_frame(G, m),
    }
    if partition is not None:
        tables["community_holes"] = _holes(G, m, partition, min_size=3, labels=labels)
    return tables
