"""Community profiles: :func:`community_profiles`, who is in each community, with a label.

One row per community: wards, sectors, orientations, fields, connectors and a label such as
「西淀川区・福祉・企業3」 (Japanese) / "Nishiyodogawa, welfare, 3 companies" (English), made
from the dominant ward, the most distinctive NPO field (:data:`FIELD_SHORT`) and the most
over-represented kind (:data:`KIND_SHORT`).

Examples
--------
>>> FIELD_SHORT[13], KIND_SHORT["npo"][0]
(('子ども', 'children'), 'NPO')
"""

from __future__ import annotations

import heapq
import math
from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd

from graph.communities.detection import check_graph
from graph.core.view import node_values
from graph.errors import GraphError
from graph.types import Partition
from ingest.normalise import ward_in_english

__all__ = ["FIELD_SHORT", "KIND_SHORT", "FIELD_MIN_LIFT", "FIELD_MIN_SUPPORT",
           "community_profiles"]

#: Short names of the 20 NPO fields for labels: number → (ja, en).
FIELD_SHORT: dict[int, tuple[str, str]] = {
    1: ("福祉", "welfare"), 2: ("社会教育", "education"), 3: ("まちづくり", "community"),
    4: ("観光", "tourism"), 5: ("農山漁村", "rural"), 6: ("文化・スポーツ", "culture & sport"),
    7: ("環境", "environment"), 8: ("災害救援", "disaster relief"), 9: ("地域安全", "safety"),
    10: ("人権・平和", "rights & peace"), 11: ("国際協力", "international"),
    12: ("男女共同参画", "gender equality"), 13: ("子ども", "children"), 14: ("情報化", "IT"),
    15: ("科学技術", "science"), 16: ("経済活性化", "economy"), 17: ("雇用", "employment"),
    18: ("消費者保護", "consumers"), 19: ("中間支援", "support"), 20: ("条例指定", "by-law"),
}

#: Short names of organisation kinds for labels: kind → (ja, en singular, en plural).
KIND_SHORT: dict[str, tuple[str, str, str]] = {
    "neighbourhood_association": ("町会", "association", "associations"),
    "council": ("地活協", "council", "councils"),
    "citizen_group": ("市民団体", "citizen group", "citizen groups"),
    "npo": ("NPO", "NPO", "NPOs"),
    "company": ("企業", "company", "companies"),
    "public_agency": ("公的機関", "agency", "agencies"),
    "intermediary": ("中間支援", "intermediary", "intermediaries"),
    "school": ("学校", "school", "schools"),
    "religious": ("寺社", "religious body", "religious bodies"),
    "other": ("その他", "other", "others"),
}


_PROFILE_COLUMNS = [
    "community", "size", "label", "label_en", "dominant_ward", "dominant_ward_share", "wards",
    "kinds", "orientations", "fields", "connectors", "bridges", "internal_weight",
    "external_weight", "members",
]


def _shares(counter: Counter, total: int, top: int) -> tuple[tuple[object, float], ...]:
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top]
    return tuple((key, round(count / total, 4)) for key, count in ranked)


#: A field names a community when it is this many times more common there than in the city.
FIELD_MIN_LIFT = 1.2
#: …and held by at least this share of the members of the community's most common field.
FIELD_MIN_SUPPORT = 0.25


def _distinctive_field(fields: Counter, size: int, overall: Counter, n_all: int, *,
                       singleton: bool = False):
    """The field that sets a community apart: the highest lift over the city's base rate.

    ``size`` and ``n_all`` count the organisations with any field (in the community, in the
    city), so a community is not set apart merely by holding many NPOs:
    ``lift = (members with the field / size) / (organisations with it / n_all)``,
    among fields held by at least 2 members (1 in a ``singleton`` community) and by at least
    :data:`FIELD_MIN_SUPPORT` × the count of the most common field; ``None`` when no field
    reaches :data:`FIELD_MIN_LIFT` (the community's fields are the city's).

    >>> from collections import Counter
    >>> city = Counter({3: 500, 13: 100, 1: 300})
    >>> _distinctive_field(Counter({3: 40, 13: 30, 1: 5}), 60, city, 1000)
    13
    >>> _distinctive_field(Counter({3: 30, 1: 18}), 60, city, 1000) is None
    True
    """
    if not fields or not n_all or not size:
        return None
    floor = max(1 if singleton else 2, FIELD_MIN_SUPPORT * max(fields.values()))
    lifts = {f: (count / size) / (overall[f] / n_all) for f, count in fields.items()
             if count >= floor and overall[f]}
    ranked = sorted(lifts, key=lambda f: (-lifts[f], -fields[f], f))
    return ranked[0] if ranked and lifts[ranked[0]] >= FIELD_MIN_LIFT else None


def _label(size, ward, ward_share, field, notable, kind_counts) -> tuple[str, str]:
    if ward is None:
        ward_ja, ward_en = "区不明", "ward unknown"
    elif ward_share < 0.5:
        ward_ja, ward_en = f"{ward}ほか", f"{ward_in_english(ward)} and others"
    else:
        ward_ja, ward_en = ward, ward_in_english(ward)
    parts_ja, parts_en = [ward_ja], [ward_en]
    if field is not None:
        ja, en = FIELD_SHORT.get(field, (str(field), str(field)))
        parts_ja.append(ja)
        parts_en.append(en)
    if notable is not None:
        ja, one, many = KIND_SHORT.get(notable, (str(notable),) * 3)
        if size == 1:
            parts_ja.append(ja)
            parts_en.append(one)
        elif kind_counts[notable] >= 2:
            parts_ja.append(f"{ja}{kind_counts[notable]}")
            parts_en.append(f"{kind_counts[notable]} {many}")
    if size == 1:
        parts_ja.append("単独")
        parts_en.append("alone")
    return "・".join(parts_ja), ", ".join(parts_en)


def _core_inside_outside(core, membership: dict, weight) -> tuple[dict, dict]:
    """Per node, the tie weight inside / outside its community, from a tie core's arrays."""
    labels = np.array([membership[v] for v in core.ids.tolist()], dtype=np.int64)
    w = core.values(weight)
    same = labels[core.u] == labels[core.v]
    sums = []
    for mask in (same, ~same):
        part = np.bincount(core.u, weights=np.where(mask, w, 0.0), minlength=core.n) \
            + np.bincount(core.v, weights=np.where(mask, w, 0.0), minlength=core.n)
        sums.append(dict(zip(core.ids.tolist(), part.tolist())))
    return sums[0], sums[1]


def community_profiles(G: nx.Graph, partition: Partition, *, weight: str | None = "weight",
                       top: int = 3) -> pd.DataFrame:
    """One row per community describing who is in it, in words a coordinator can use.

    Parameters
    ----------
    G : networkx.Graph
        The graph the partition is of (node attributes ``ward``, ``kind``, ``orientation``,
        ``fields``, ``name`` as in :func:`graph.build.tie_graph`; missing ones are skipped);
        not modified.
    partition : Partition
        Must cover exactly the nodes of ``G``.
    weight : str or None, default "weight"
        Edge attribute used for tie strength (``None``: each edge counts 1).
    top : int, default 3
        How many wards, fields, connectors and bridges to list.

    Returns
    -------
    pandas.DataFrame
        Columns ``community`` (index in ``partition.communities``), ``size``, ``label``
        (e.g. 「西淀川区・福祉・企業3」), ``label_en``, ``dominant_ward``,
        ``dominant_ward_share``, ``wards`` (tuple of (ward, share)), ``kinds`` and
        ``orientations`` (dict value → count), ``fields`` (tuple of (field number, count)),
        ``connectors`` (members with the greatest tie strength inside the community),
        ``bridges`` (members with the greatest tie strength to other communities),
        ``internal_weight``, ``external_weight`` (summed tie strength inside / leaving) and
        ``members`` (sorted tuple).

        The label joins the dominant ward (「…ほか」 when it holds under half the
        members, 「区不明」 when unknown), the field most over-represented compared with the
        whole graph (highest lift over the city's base rate, see
        :func:`_distinctive_field`; left out when the community's fields are the city's)
        and the kind most over-represented compared with the whole graph, with its count
        when at least 2
        (a singleton gets its kind and 「単独」); labels are made unique with a 「(2)」
        suffix. ``label_en`` says the same in English.

    Raises
    ------
    GraphError
        If the partition does not cover exactly the nodes of ``G``, or ``top`` < 1.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_nodes_from(["a", "b", "c"], ward="西淀川区", kind="company", fields=(1,))
    >>> G.add_nodes_from(["x", "y"], ward="北区", kind="npo", fields=(13,))
    >>> G.add_edges_from([("a", "b"), ("b", "c"), ("x", "y"), ("c", "x")], weight=1.0)
    >>> from graph.communities import louvain
    >>> df = community_profiles(G, louvain(G))
    >>> df[["size", "label", "label_en"]].values.tolist()
    [[3, '西淀川区・福祉・企業3', 'Nishiyodogawa, welfare, 3 companies'], [2, '北区・子ども・NPO2', 'Kita, children, 2 NPOs']]
    >>> df.loc[0, "connectors"], df.loc[0, "bridges"]
    (('b', 'a', 'c'), ('c',))
    """
    if getattr(G, "tie_core", None) is None:  # a graph.core.view.CoreGraph is fine too
        check_graph(G)
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise GraphError(f"top: expected an int ≥ 1, got {top!r}")
    membership = partition.membership()
    if set(membership) != set(G.nodes) or sum(map(len, partition.communities)) != len(G):
        missing = [n for n in G if n not in membership][:3]
        extra = [n for n in membership if n not in G][:3]
        raise GraphError(f"partition does not match the graph's nodes (missing {missing}, "
                         f"unknown {extra})")
    inside: dict = {node: 0.0 for node in G}
    outside: dict = {node: 0.0 for node in G}
    core = getattr(G, "tie_core", None)
    if core is not None:  # the arrays of a graph.core view: one vectorised pass
        inside, outside = _core_inside_outside(core, membership, weight)
    for u, v, w in (() if core is not None else G.edges(data=weight, default=1.0)):
        w = 1.0 if weight is None else float(w)
        if u == v:
            continue
        target = inside if membership[u] == membership[v] else outside
        target[u] += w
        target[v] += w

    nodes = list(G)
    position = {node: i for i, node in enumerate(nodes)}
    ward_of, kind_of, orientation_of, fields_of = (
        node_values(G, nodes, key) for key in ("ward", "kind", "orientation", "fields"))
    overall_kinds = Counter(k for k in kind_of if k)
    overall_fields = Counter(f for found in fields_of for f in (found or ()))
    n_with_fields = sum(1 for found in fields_of if found)
    n_all = len(G)
    rows = []
    seen_labels: Counter = Counter()
    for index, members in enumerate(partition.communities):
        size = len(members)
        at = [position[n] for n in members]
        wards = Counter(w for w in (ward_of[i] for i in at) if w)
        kinds = Counter(k for k in (kind_of[i] for i in at) if k)
        orientations = Counter(o for o in (orientation_of[i] for i in at) if o)
        member_fields = [fields_of[i] for i in at]
        fields = Counter(f for found in member_fields for f in (found or ()))
        ward, ward_share = None, 0.0
        if wards:
            ward, count = sorted(wards.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]
            ward_share = count / size
        field = _distinctive_field(fields, sum(1 for found in member_fields if found),
                                   overall_fields, n_with_fields, singleton=size == 1)
        notable = None
        if kinds:
            notable = sorted(kinds, key=lambda k: (-(kinds[k] / size) / (overall_kinds[k] / n_all),
                                                   -kinds[k], k))[0]
        label, label_en = _label(size, ward, ward_share, field, notable, kinds)
        seen_labels[label] += 1
        repeat = seen_labels[label]
        if repeat > 1:
            label, label_en = f"{label}({repeat})", f"{label_en} ({repeat})"
        by_inside = heapq.nsmallest(top, members, key=lambda n: (-inside[n], str(n)))
        by_outside = heapq.nsmallest(top, (n for n in members if outside[n] > 0),
                                     key=lambda n: (-outside[n], str(n)))
        rows.append({
            "community": index,
            "size": size,
            "label": label,
            "label_en": label_en,
            "dominant_ward": ward,
            "dominant_ward_share": round(ward_share, 4),
            "wards": _shares(wards, size, top),
            "kinds": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
            "orientations": dict(sorted(orientations.items(), key=lambda kv: (-kv[1], kv[0]))),
            "fields": tuple(sorted(fields.items(), key=lambda kv: (-kv[1], kv[0]))[:top]),
            "connectors": tuple(by_inside[:top]),
            "bridges": tuple(by_outside[:top]),
            "internal_weight": math.fsum(inside[n] for n in members) / 2,  # order-free
            "external_weight": math.fsum(outside[n] for n in members),
            "members": tuple(sorted(members, key=str)),
        })
    return pd.DataFrame(rows, columns=_PROFILE_COLUMNS)
