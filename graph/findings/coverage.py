"""Per-ward reach across two divides: territorial ↔ thematic ties, and company partners.

:func:`orientation_bridging` gives, per ward, the share of ties linking 地縁型 and テーマ型
groups against the share a random placement would give; :func:`company_gaps` the wards and
NPO fields whose organisations have no company partner. ``orientation_frame`` and
``company_frame`` compute them on a :class:`~graph.measures.TieMatrix` already built (as
:func:`graph.findings.gaps.gap_tables` does).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from graph.core.view import node_values
from graph.findings.null_model import indicator, present_in_order
from graph.measures import TieMatrix, edge_positions
from ingest.schemas import NPO_FIELDS, WARDS

__all__ = ["orientation_bridging", "company_gaps", "orientation_frame", "company_frame"]


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
    return orientation_frame(G, TieMatrix(G, None))


def orientation_frame(G, m) -> pd.DataFrame:
    nodes = m.nodes
    orient = np.array(node_values(G, nodes, "orientation"), dtype=object)
    ward_values = [w or None for w in node_values(G, nodes, "ward")]
    wards = present_in_order(ward_values, WARDS)
    # each organisation's ward as a bin of np.bincount: 0 for none, i + 1 for wards[i]
    slot = pd.Series(ward_values, dtype=object).map({w: i + 1 for i, w in enumerate(wards)})
    slot = slot.fillna(0).astype(np.int32).to_numpy()
    nw = len(wards)
    terr = orient == "territorial"
    them = orient == "thematic"
    oriented = terr | them
    # each tie once, i < j (a tie core's own int32 arrays, not a COO copy of the whole matrix)
    u, v = edge_positions(G, nodes)
    both = oriented[u] & oriented[v]
    u, v = u[both], v[both]
    del both
    cross = terr[u] != terr[v]
    k = np.bincount(u, minlength=m.n) + np.bincount(v, minlength=m.n)
    k = k.astype(float)
    K_terr, K_them = k[terr].sum(), k[them].sum()
    two_m = K_terr + K_them

    def per_ward(idx, weights=None):
        return np.bincount(slot[idx], weights=weights, minlength=nw + 1)[1:nw + 1]

    # a tie counts for the ward of each end, once when both ends share the ward
    other = slot[u] != slot[v]
    oriented_ties = per_ward(u) + per_ward(v[other])
    bridging_ties = per_ward(u[cross]) + per_ward(v[cross & other])
    bridging_nodes = np.zeros(m.n, dtype=bool)
    bridging_nodes[u[cross]] = True
    bridging_nodes[v[cross]] = True
    opposite = np.where(terr, K_them, K_terr) / two_m if two_m else np.zeros(m.n)
    stubs = per_ward(np.flatnonzero(oriented), k[oriented])
    weighted = per_ward(np.flatnonzero(oriented), (k * opposite)[oriented])
    with np.errstate(divide="ignore", invalid="ignore"):
        frame = pd.DataFrame({
            "ward": wards,
            "territorial": per_ward(np.flatnonzero(terr)).astype(int),
            "thematic": per_ward(np.flatnonzero(them)).astype(int),
            "oriented_ties": oriented_ties.astype(float),
            "bridging_ties": bridging_ties.astype(float),
            "share": np.where(oriented_ties > 0, bridging_ties / np.maximum(oriented_ties, 1),
                              np.nan),
            "expected_share": np.where(stubs > 0, weighted / np.maximum(stubs, 1e-300),
                                       np.nan),
            "bridging_orgs": per_ward(np.flatnonzero(bridging_nodes)).astype(int),
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
    return company_frame(G, TieMatrix(G, None))


def company_frame(G, m) -> pd.DataFrame:
    nodes = m.nodes
    company = np.array([k == "company" for k in node_values(G, nodes, "kind")], dtype=bool)
    wards = [w or None for w in node_values(G, nodes, "ward")]
    fields = [tuple(f or ()) for f in node_values(G, nodes, "fields")]
    partners = m.A @ company.astype(float)  # company partners of each organisation
    other = ~company
    ward_keys = present_in_order([w for w, c in zip(wards, company) if not c], WARDS)
    field_keys = present_in_order([f for fs, c in zip(fields, company) if not c for f in fs],
                          list(NPO_FIELDS))
    rows = []
    for dimension, labels_of, keys, label in (
            ("ward", wards, ward_keys, lambda key: key),
            ("field", fields, field_keys, lambda key: NPO_FIELDS.get(key, str(key)))):
        X = indicator(m, labels_of, keys)  # n × keys
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
