"""Partnership gaps: where ties are fewer than the network's own degrees would lead one to expect.

Observed tie counts between blocks of organisations (wards, sectors, NPO fields, communities)
are set against an expectation that keeps every organisation's number of ties but places
them at random:

configuration model (default, exact and fast)
    Two organisations i ≠ j are expected to share k_i k_j / 2m ties (k = degree, m = ties),
    so the expected count between blocks L and R is
    E[L, R] = (K_L K_R − Σ_{i ∈ L ∩ R} k_i²) / 2m with K_L the degree sum of L.
    Observed O[L, R] = Σ_{i ∈ L, j ∈ R} A_ij counts a tie once per (end in L, end in R).
degree-preserving rewiring (``expectation="rewiring"``)
    The mean of O over ``samples`` copies of the graph rewired by double-edge swaps
    (``nx.double_edge_swap``, ``m`` swaps each, seeded). Slower; it excludes the multi-ties
    and self-ties the configuration formula allows, so it is closer for dense blocks.

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

from graph.centrality import SECTOR_LABELS_JA, _Matrix, _membership, sector_of
from graph.core.view import node_values
from graph.errors import GraphError
from ingest.schemas import NPO_FIELDS, WARDS

__all__ = [
    "EXPECTATIONS",
    "ward_sector_gaps",
    "field_gaps",
    "community_holes",
    "orientation_bridging",
    "company_gaps",
    "shortfalls",
    "gap_tables",
]

#: The expectation models understood by the block functions.
EXPECTATIONS: tuple[str, ...] = ("configuration", "rewiring")

_GAP_COLUMNS = ["observed", "expected", "difference", "ratio"]


def _indicator(m: _Matrix, labels: list, order: list) -> sp.csr_array:
    """n × len(order) 0/1 matrix; ``labels[i]`` is one label, an iterable of labels or None."""
    position = {label: j for j, label in enumerate(order)}
    rows, cols = [], []
    for i, value in enumerate(labels):
        values = value if isinstance(value, (list, tuple, set, frozenset)) else (value,)
        for label in values:
            if label in position:
                rows.append(i)
                cols.append(position[label])
    return sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(m.n, len(order)))


def _observed(M: sp.csr_array, L: sp.csr_array, R: sp.csr_array) -> np.ndarray:
    return sp.csr_array(L.T @ (M @ R)).toarray()


def _configuration(m: _Matrix, k: np.ndarray, L, R) -> np.ndarray:
    two_m = k.sum()
    if two_m == 0:
        return np.zeros((L.shape[1], R.shape[1]))
    KL = L.T @ k
    KR = R.T @ k
    same = sp.csr_array(L.T @ (sp.diags_array(k ** 2) @ R)).toarray()
    return (np.outer(KL, KR) - same) / two_m


def _rewired(G: nx.Graph, m: _Matrix, L, R, weighted: bool, weight, samples: int, seed):
    if G.number_of_edges() < 2:
        return _observed(m.W if weighted else m.A, L, R)
    rng = np.random.default_rng(seed)
    total = np.zeros((L.shape[1], R.shape[1]))
    simple = nx.Graph()
    simple.add_nodes_from(G)
    simple.add_edges_from((u, v, {"weight": w}) for u, v, w in
                          G.edges(data=weight if weighted else None, default=1.0) if u != v)
    for _ in range(samples):
        H = simple.copy()
        swaps = H.number_of_edges()
        try:
            nx.double_edge_swap(H, nswap=swaps, max_tries=swaps * 100,
                                seed=int(rng.integers(2**31)))
        except nx.NetworkXAlgorithmError:
            pass  # too few admissible swaps (tiny or complete graph): use what was swapped
        mh = _Matrix(H, "weight" if weighted else None)
        total += _observed(mh.W if weighted else mh.A, L, R)
    return total / samples


def _check_expectation(expectation: str) -> None:
    if expectation not in EXPECTATIONS:
        raise GraphError(f"expectation must be one of {', '.join(EXPECTATIONS)}, "
                         f"got {expectation!r}")


def _block_gaps(G, m, row_labels, row_order, col_labels, col_order, *, weight, expectation,
                samples, seed, symmetric=False):
    _check_expectation(expectation)
    M = m.W if weight is not None else m.A
    k = m.strength if weight is not None else m.degree
    L = _indicator(m, row_labels, row_order)
    R = _indicator(m, col_labels, col_order)
    observed = _observed(M, L, R)
    if expectation == "configuration":
        expected = _configuration(m, k, L, R)
    else:
        expected = _rewired(G, m, L, R, weight is not None, weight, samples, seed)
    rows = []
    for a, ra in enumerate(row_order):
        for b, cb in enumerate(col_order):
            if symmetric and b < a:
                continue
            o, e = observed[a, b], expected[a, b]
            if symmetric and a == b:
                o, e = o / 2, e / 2
            rows.append((ra, cb, float(o), float(e), a, b))
    frame = pd.DataFrame(rows, columns=["row", "col", "observed", "expected", "_a", "_b"])
    frame = frame.astype({"observed": float, "expected": float})
    frame["difference"] = frame["observed"] - frame["expected"]
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["ratio"] = np.where(frame["expected"] > 0,
                                  frame["observed"] / frame["expected"].where(
                                      frame["expected"] > 0, 1.0), np.nan)
    frame = frame.sort_values(["difference", "_a", "_b"], kind="stable")
    return frame.drop(columns=["_a", "_b"]).reset_index(drop=True)


def _present(values, reference) -> list:
    seen = {v for v in values if v is not None and v == v}
    ordered = [r for r in reference if r in seen]
    return ordered + sorted(seen - set(ordered), key=str)


def ward_sector_gaps(G: nx.Graph, *, weight: str | None = None,
                     expectation: str = "configuration", samples: int = 20,
                     seed: int | None = 0) -> pd.DataFrame:
    """Ties between the organisations of each ward and each sector, against expectation.

    ``observed`` for (ward w, sector s) counts ties with one end located in w and the other
    end of sector s (:data:`graph.centrality.SECTORS`); a tie inside w between two sectors
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
    _check_expectation(expectation)
    return _ward_sector(G, _Matrix(G, weight), weight=weight, expectation=expectation,
                        samples=samples, seed=seed)


def _ward_sector(G, m, *, weight, expectation, samples, seed):
    wards = node_values(G, m.nodes, "ward")
    sectors = [sector_of(kind) for kind in node_values(G, m.nodes, "kind")]
    ward_order = _present(wards, WARDS)
    sector_order = _present(sectors, list(SECTOR_LABELS_JA))
    frame = _block_gaps(G, m, wards, ward_order, sectors, sector_order, weight=weight,
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
    _check_expectation(expectation)
    return _field_field(G, _Matrix(G, weight), weight=weight, expectation=expectation,
                        samples=samples, seed=seed)


def _field_field(G, m, *, weight, expectation, samples, seed):
    fields = [tuple(f or ()) for f in node_values(G, m.nodes, "fields")]
    order = _present([f for fs in fields for f in fs], list(NPO_FIELDS))
    frame = _block_gaps(G, m, fields, order, fields, order, weight=weight,
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
    return _holes(G, _Matrix(G, None), partition, min_size=min_size, labels=labels)


def _holes(G, m, partition, *, min_size, labels):
    membership = _membership(G, partition)
    ids = sorted({membership[v] for v in m.nodes}, key=lambda c: (str(type(c)), c))
    C = _indicator(m, [membership[v] for v in m.nodes], ids)
    sizes = np.asarray(C.sum(axis=0)).ravel()
    big = np.flatnonzero(sizes >= min_size)
    Cb = sp.csr_array(C[:, big]) if len(big) else sp.csr_array((m.n, 0))
    observed = _observed(m.A, Cb, Cb)
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


def orientation_bridging(G: nx.Graph) -> pd.DataFrame:
    """Per ward, the share of ties linking territorial (地縁型) and thematic (テーマ型) groups.

    Ties are counted for the ward of each end whose both ends carry an ``orientation``; a tie
    between two wards counts in both. ``expected_share`` is the share a random placement of
    the same ties (configuration model) would give:
    Σ_i k_i · K_opposite(i) / (2m_o) / Σ_i k_i over the ward's oriented organisations, with
    degrees counted on oriented–oriented ties only.

    Parameters
    ----------
    G : nx.Graph
        Tie graph with node attributes ``ward`` and ``orientation``; not modified.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``ward`` (city order): ``territorial, thematic`` (organisation counts),
        ``oriented_ties, bridging_ties, share, expected_share, bridging_orgs``.

    Examples
    --------
    >>> G = nx.Graph([("t1", "h1"), ("t1", "t2")])
    >>> nx.set_node_attributes(G, {"t1": "territorial", "t2": "territorial",
    ...                            "h1": "thematic"}, "orientation")
    >>> nx.set_node_attributes(G, "北区", "ward")
    >>> orientation_bridging(G).loc["北区", ["oriented_ties", "bridging_ties", "share"]].tolist()
    [2.0, 1.0, 0.5]
    """
    return _orientation(G, _Matrix(G, None))


def _orientation(G, m) -> pd.DataFrame:
    nodes = m.nodes
    orient = np.array(node_values(G, nodes, "orientation"), dtype=object)
    ward_values = [w or None for w in node_values(G, nodes, "ward")]
    wards = _present(ward_values, WARDS)
    code = pd.Series(ward_values, dtype=object).map({w: i for i, w in enumerate(wards)})
    code = code.fillna(-1).astype(int).to_numpy()
    nw = len(wards)
    terr = orient == "territorial"
    them = orient == "thematic"
    oriented = terr | them
    A = m.A
    upper = sp.triu(A, k=1).tocoo()
    u, v = upper.row, upper.col
    both = oriented[u] & oriented[v]
    u, v = u[both], v[both]
    cross = terr[u] != terr[v]
    k = np.bincount(np.concatenate([u, v]), minlength=m.n).astype(float)
    K_terr, K_them = k[terr].sum(), k[them].sum()
    two_m = K_terr + K_them

    def per_ward(idx, weights=None):
        ok = code[idx] >= 0
        return np.bincount(code[idx][ok], weights=None if weights is None else weights[ok],
                           minlength=nw)[:nw] if nw else np.zeros(0)

    # a tie counts for the ward of each end, once when both ends share the ward
    same = code[u] == code[v]
    ends_u = np.arange(len(u))
    ends_v = np.flatnonzero(~same)
    oriented_ties = per_ward(u[ends_u]) + per_ward(v[ends_v])
    bridging_ties = (per_ward(u[ends_u], cross.astype(float))
                     + per_ward(v[ends_v], cross[ends_v].astype(float)))
    bridging_nodes = np.zeros(m.n, dtype=bool)
    bridging_nodes[u[cross]] = True
    bridging_nodes[v[cross]] = True
    opposite = np.where(terr, K_them, K_terr) / two_m if two_m else np.zeros(m.n)
    all_nodes = np.arange(m.n)
    stubs = per_ward(all_nodes[oriented], k[oriented])
    weighted = per_ward(all_nodes[oriented], (k * opposite)[oriented])
    with np.errstate(divide="ignore", invalid="ignore"):
        frame = pd.DataFrame({
            "ward": wards,
            "territorial": per_ward(all_nodes[terr]).astype(int),
            "thematic": per_ward(all_nodes[them]).astype(int),
            "oriented_ties": oriented_ties.astype(float),
            "bridging_ties": bridging_ties.astype(float),
            "share": np.where(oriented_ties > 0, bridging_ties / np.maximum(oriented_ties, 1),
                              np.nan),
            "expected_share": np.where(stubs > 0, weighted / np.maximum(stubs, 1e-300),
                                       np.nan),
            "bridging_orgs": per_ward(all_nodes[bridging_nodes]).astype(int),
        })
    return frame.set_index("ward")


def company_gaps(G: nx.Graph) -> pd.DataFrame:
    """Wards and NPO fields whose organisations have no company (企業) partner.

    Parameters
    ----------
    G : nx.Graph
        Tie graph with node attributes ``kind``, ``ward``, ``fields``; not modified.

    Returns
    -------
    pandas.DataFrame
        One row per ward, then per field present: ``dimension`` (``"ward"``/``"field"``),
        ``key``, ``label``, ``organisations`` (non-company), ``companies`` (located in the
        ward / working in the field), ``with_company_partner`` (non-company organisations
        tied to at least one company), ``company_ties``, ``no_company_partner`` (bool).
        Rows without a company partner first.

    Examples
    --------
    >>> G = nx.Graph([("a", "c")]); G.add_node("b")
    >>> nx.set_node_attributes(G, {"a": {"kind": "npo", "ward": "北区", "fields": (1,)},
    ...     "b": {"kind": "npo", "ward": "西区", "fields": (13,)},
    ...     "c": {"kind": "company", "ward": "北区", "fields": ()}})
    >>> company_gaps(G)[["key", "no_company_partner"]].values.tolist()
    [['西区', True], [13, True], ['北区', False], [1, False]]
    """
    return _company(G, _Matrix(G, None))


def _company(G, m) -> pd.DataFrame:
    nodes = m.nodes
    company = np.array([k == "company" for k in node_values(G, nodes, "kind")], dtype=bool)
    wards = [w or None for w in node_values(G, nodes, "ward")]
    fields = [tuple(f or ()) for f in node_values(G, nodes, "fields")]
    partners = m.A @ company.astype(float)  # company partners of each organisation
    other = ~company
    ward_keys = _present([w for w, c in zip(wards, company) if not c], WARDS)
    field_keys = _present([f for fs, c in zip(fields, company) if not c for f in fs],
                          list(NPO_FIELDS))
    rows = []
    for dimension, labels_of, keys, label in (
            ("ward", wards, ward_keys, lambda key: key),
            ("field", fields, field_keys, lambda key: NPO_FIELDS.get(key, str(key)))):
        X = _indicator(m, labels_of, keys)  # n × keys
        orgs = X.T @ other.astype(float)
        companies = X.T @ company.astype(float)
        with_partner = X.T @ (other & (partners > 0)).astype(float)
        ties = X.T @ np.where(other, partners, 0.0)
        for i, key in enumerate(keys):
            rows.append((dimension, key, label(key), int(orgs[i]), int(companies[i]),
                         int(with_partner[i]), int(round(ties[i])), bool(with_partner[i] == 0)))
    frame = pd.DataFrame(rows, columns=["dimension", "key", "label", "organisations",
                                        "companies", "with_company_partner", "company_ties",
                                        "no_company_partner"])
    frame["_order"] = ~frame["no_company_partner"]
    frame = frame.sort_values("_order", kind="stable").drop(columns="_order")
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
    _check_expectation(expectation)
    m = _Matrix(G, None)
    options = dict(weight=None, expectation=expectation, samples=20, seed=seed)
    tables = {
        "ward_sector": _ward_sector(G, m, **options),
        "field_field": _field_field(G, m, **options),
        "orientation_bridging": _orientation(G, m).reset_index(),
        "company_gaps": _company(G, m),
    }
    if partition is not None:
        tables["community_holes"] = _holes(G, m, partition, min_size=3, labels=labels)
    return tables
