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

from typing import Any, Mapping

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from graph.centrality import SECTOR_LABELS_JA, _Matrix, _membership, sector_of
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


def _block_gaps(G, row_labels, row_order, col_labels, col_order, *, weight, expectation,
                samples, seed, symmetric=False):
    if expectation not in EXPECTATIONS:
        raise GraphError(f"expectation must be one of {', '.join(EXPECTATIONS)}, "
                         f"got {expectation!r}")
    m = _Matrix(G, weight)
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
    wards = [G.nodes[v].get("ward") for v in G]
    sectors = [sector_of(G.nodes[v].get("kind")) for v in G]
    ward_order = _present(wards, WARDS)
    sector_order = _present(sectors, list(SECTOR_LABELS_JA))
    frame = _block_gaps(G, wards, ward_order, sectors, sector_order, weight=weight,
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
    fields = [tuple(G.nodes[v].get("fields") or ()) for v in G]
    order = _present([f for fs in fields for f in fs], list(NPO_FIELDS))
    frame = _block_gaps(G, fields, order, fields, order, weight=weight,
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
    membership = _membership(G, partition)
    m = _Matrix(G, None)
    ids = sorted({membership[v] for v in m.nodes}, key=lambda c: (str(type(c)), c))
    position = {c: i for i, c in enumerate(ids)}
    C = _indicator(m, [membership[v] for v in m.nodes], ids)
    sizes = np.asarray(C.sum(axis=0)).ravel()
    observed = _observed(m.A, C, C)
    K = C.T @ m.degree
    two_m = m.degree.sum()
    rows = []
    for a in ids:
        for b in ids:
            i, j = position[a], position[b]
            if j <= i or sizes[i] < min_size or sizes[j] < min_size:
                continue
            e = K[i] * K[j] / two_m if two_m else 0.0
            o = observed[i, j]
            rows.append((a, b, int(sizes[i]), int(sizes[j]), int(round(o)), float(e)))
    frame = pd.DataFrame(rows, columns=["community_a", "community_b", "size_a", "size_b",
                                        "bridges", "expected"])
    frame["difference"] = frame["bridges"] - frame["expected"]
    frame["ratio"] = np.where(frame["expected"] > 0,
                              frame["bridges"] / frame["expected"].where(frame["expected"] > 0,
                                                                         1.0), np.nan)
    frame["bridge_density"] = frame["bridges"] / (frame["size_a"] * frame["size_b"])
    labels = labels or {}
    frame.insert(2, "label_a", frame["community_a"].map(lambda c: labels.get(c, f"#{c}")))
    frame.insert(3, "label_b", frame["community_b"].map(lambda c: labels.get(c, f"#{c}")))
    frame["_none"] = frame["bridges"] > 0
    frame = frame.sort_values(["_none", "difference", "community_a", "community_b"],
                              kind="stable").drop(columns="_none")
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
    orient = {v: G.nodes[v].get("orientation") for v in G}
    ward = {v: G.nodes[v].get("ward") for v in G}
    oriented = {v for v, o in orient.items() if o in ("territorial", "thematic")}
    k = dict.fromkeys(oriented, 0)
    for u, v in G.edges:
        if u != v and u in oriented and v in oriented:
            k[u] += 1
            k[v] += 1
    K = {"territorial": 0, "thematic": 0}
    for v in oriented:
        K[orient[v]] += k[v]
    two_m = K["territorial"] + K["thematic"]
    wards = _present(list(ward.values()), WARDS)
    stats = {w: dict(territorial=0, thematic=0, oriented_ties=0, bridging_ties=0,
                     weighted=0.0, stubs=0, bridging_orgs=set()) for w in wards}
    for v in oriented:
        if ward[v] in stats:
            s = stats[ward[v]]
            s[orient[v]] += 1
            s["stubs"] += k[v]
            opposite = "thematic" if orient[v] == "territorial" else "territorial"
            s["weighted"] += k[v] * (K[opposite] / two_m if two_m else 0.0)
    for u, v in G.edges:
        if u == v or u not in oriented or v not in oriented:
            continue
        cross = orient[u] != orient[v]
        for end in {ward[u], ward[v]} - {None}:
            if end not in stats:
                continue
            s = stats[end]
            s["oriented_ties"] += 1
            s["bridging_ties"] += cross
        if cross:
            for x in (u, v):
                if ward[x] in stats:
                    stats[ward[x]]["bridging_orgs"].add(x)
    rows = []
    for w in wards:
        s = stats[w]
        ties = s["oriented_ties"]
        rows.append((w, s["territorial"], s["thematic"], float(ties), float(s["bridging_ties"]),
                     s["bridging_ties"] / ties if ties else np.nan,
                     s["weighted"] / s["stubs"] if s["stubs"] else np.nan,
                     len(s["bridging_orgs"])))
    frame = pd.DataFrame(rows, columns=["ward", "territorial", "thematic", "oriented_ties",
                                        "bridging_ties", "share", "expected_share",
                                        "bridging_orgs"])
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
    kind = {v: G.nodes[v].get("kind") for v in G}
    ward = {v: G.nodes[v].get("ward") for v in G}
    fields = {v: tuple(G.nodes[v].get("fields") or ()) for v in G}
    partnered = {}
    for v in G:
        if kind[v] == "company":
            continue
        partnered[v] = sum(1 for u in G[v] if u != v and kind[u] == "company")

    def block(dimension, keys, members_of, label):
        rows = []
        for key in keys:
            members = [v for v in G if members_of(v, key)]
            orgs = [v for v in members if kind[v] != "company"]
            with_partner = sum(1 for v in orgs if partnered[v] > 0)
            rows.append((dimension, key, label(key), len(orgs),
                         sum(1 for v in members if kind[v] == "company"), with_partner,
                         sum(partnered[v] for v in orgs), with_partner == 0))
        return rows

    ward_keys = _present([ward[v] for v in G if kind[v] != "company"], WARDS)
    field_keys = _present([f for v in G if kind[v] != "company" for f in fields[v]],
                          list(NPO_FIELDS))
    rows = block("ward", ward_keys, lambda v, k: ward[v] == k, lambda k: k)
    rows += block("field", field_keys, lambda v, k: k in fields[v],
                  lambda k: NPO_FIELDS.get(k, str(k)))
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
    tables = {
        "ward_sector": ward_sector_gaps(G, expectation=expectation, seed=seed),
        "field_field": field_gaps(G, expectation=expectation, seed=seed),
        "orientation_bridging": orientation_bridging(G).reset_index(),
        "company_gaps": company_gaps(G),
    }
    if partition is not None:
        tables["community_holes"] = community_holes(G, partition, labels=labels)
    return tables
