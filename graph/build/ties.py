"""The organisation tie graph: :func:`tie_graph` and the node attributes it carries.

One node per organisation in scope (isolates included), one weighted undirected edge per pair
of organisations with any evidence of working together: collaborations, co-participation in
events (Newman's 1/(n−1)), co-membership of councils and shared talent dispatches, each
weighted by its multiplier (``graph.build.weights``). The pairs are built vectorised by group
size (``_group_pairs``) and summed as integer arrays (``_Ties``) before any networkx object
exists. :func:`organisation_attributes` gives the node attributes, also used by the bipartite
graph and ``graph.core``.

Examples
--------
>>> from graph.build import example_dataset
>>> sorted(tie_graph(example_dataset(), fiscal_year=2018).edges(data="weight"))
[('A', 'B', 2.0), ('A', 'K', 1.0), ('B', 'K', 1.0)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd

from graph.build.scope import restrict
from graph.build.values import field_numbers, id_list, synthetic_flags, text_or_none
from graph.build.weights import TIE_PARTS, tie_weights
from ingest.schemas import Dataset

__all__ = ["tie_graph", "organisation_attributes", "organisation_nodes"]

_NAT = np.iinfo(np.int64).min  # datetime64 NaT viewed as int64: the smallest value
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _days(series: pd.Series) -> np.ndarray:
    """Dates as int64 days since 1970-01-01, NaT as the smallest int64."""
    return pd.to_datetime(series, errors="coerce").to_numpy("datetime64[ns]").astype(
        "datetime64[D]").view(np.int64)


def _days_to_dates(days: np.ndarray) -> list:
    """int64 day numbers (see :func:`_days`) as ``datetime.date`` objects, NaT as ``None``."""
    unique, inverse = np.unique(days, return_inverse=True)
    dates = np.array([None if d == _NAT else dt.date.fromordinal(_EPOCH_ORDINAL + int(d))
                      for d in unique.tolist()] + [None], dtype=object)
    return dates[inverse.ravel()].tolist() if len(days) else []


def _group_pairs(groups: np.ndarray, members: np.ndarray):
    """All unordered pairs of distinct members within each group, vectorised by group size.

    ``groups`` and ``members`` are int arrays of (group, member) rows without duplicates.
    Returns ``(pos_a, pos_b, size)``: row positions of the two members (``members[pos_a] <
    members[pos_b]``) and the size of their group.
    """
    empty = np.empty(0, dtype=np.int64)
    if len(groups) == 0:
        return empty, empty, empty
    order = np.lexsort((members, groups))
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    out_a, out_b, out_n = [], [], []
    for size in np.unique(sizes):
        if size < 2:
            continue
        first = starts[sizes == size]
        block = order[first[:, None] + np.arange(size)]  # (groups of this size) × size
        i, j = np.triu_indices(size, 1)
        out_a.append(block[:, i].ravel())
        out_b.append(block[:, j].ravel())
        out_n.append(np.full(len(first) * len(i), size, dtype=np.int64))
    if not out_a:
        return empty, empty, empty
    return np.concatenate(out_a), np.concatenate(out_b), np.concatenate(out_n)


class _Ties:
    """Collects tie contributions (value rows) and evidence rows as integer arrays."""

    def __init__(self, n_orgs: int):
        self.n = n_orgs
        self.values: list[tuple] = []    # (u, v, part index, value, day, evidence code)
        self.evidence: list[tuple] = []  # (u, v, evidence code)
        self.vocab: list[np.ndarray] = []
        self.vocab_size = 0

    def add_vocab(self, strings: np.ndarray) -> int:
        offset = self.vocab_size
        self.vocab.append(np.asarray(strings, dtype=object))
        self.vocab_size += len(strings)
        return offset

    def add(self, a, b, part, value, day, evidence_code) -> None:
        """Value rows for pairs ``(a, b)``; ``evidence_code`` (one per row) or ``None``."""
        u, v = np.minimum(a, b), np.maximum(a, b)
        code = np.full(len(u), -1, dtype=np.int64) if evidence_code is None else evidence_code
        self.values.append((u, v, np.full(len(u), part, dtype=np.int64),
                            np.broadcast_to(np.asarray(value, dtype=float), u.shape),
                            np.broadcast_to(np.asarray(day, dtype=np.int64), u.shape),
                            np.broadcast_to(np.asarray(code, dtype=np.int64), u.shape)))

    def add_evidence(self, a, b, code) -> None:
        """Extra evidence rows for pairs that already have value rows."""
        self.evidence.append((np.minimum(a, b), np.maximum(a, b),
                              np.broadcast_to(np.asarray(code, dtype=np.int64), np.shape(a))))

    def edges(self, ids: np.ndarray):
        """``(u, v, attrs)`` per tie, in (u, v) id-position order."""
        if not self.values or not sum(len(rows[0]) for rows in self.values):
            return iter(())
        u, v, part, value, day, code = (np.concatenate(col) for col in zip(*self.values))
        inverse, keys = pd.factorize(u * self.n + v, sort=True)
        n_keys = len(keys)
        sums = [np.bincount(inverse, weights=np.where(part == k, value, 0.0), minlength=n_keys)
                for k in range(len(TIE_PARTS))]
        span = pd.DataFrame({"k": inverse, "day": day}).groupby("k")["day"].agg(["min", "max"])
        first, last = span["min"].to_numpy(), span["max"].to_numpy()

        vocab = np.concatenate(self.vocab) if self.vocab else np.empty(0, dtype=object)
        rank = np.empty(len(vocab), dtype=np.int64)
        by_text = np.argsort(vocab.astype(str), kind="stable")
        rank[by_text] = np.arange(len(vocab))
        epos, ecode = inverse[code >= 0], code[code >= 0]
        if self.evidence:
            xu, xv, xcode = (np.concatenate(col) for col in zip(*self.evidence))
            epos = np.concatenate([epos, np.searchsorted(keys, xu * self.n + xv)])
            ecode = np.concatenate([ecode, xcode])
        # evidence rows are unique by construction (one per record and pair); sort, and
        # drop repeats defensively: by tie, then by text
        combined = np.sort(epos * max(len(vocab), 1) + rank[ecode])
        if len(combined):
            combined = combined[np.r_[True, combined[1:] != combined[:-1]]]
        tie_of = combined // max(len(vocab), 1)
        text = vocab[by_text][combined % max(len(vocab), 1)].tolist()
        bounds = np.searchsorted(tie_of, np.arange(n_keys + 1))

        evidence = [tuple(text[a:b]) for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist())]
        attrs = [  # sums are in TIE_PARTS order
            {"weight": w, "collaboration": c, "co_participation": p, "co_membership": m,
             "shared_dispatch": d, "evidence": e, "first_date": f, "last_date": la}
            for w, c, p, m, d, e, f, la in zip(
                np.sum(sums, axis=0).tolist(), *(part_sum.tolist() for part_sum in sums),
                evidence, _days_to_dates(first), _days_to_dates(last))
        ]
        return zip(ids[keys // self.n].tolist(), ids[keys % self.n].tolist(), attrs)


def organisation_attributes(orgs: pd.DataFrame) -> pd.DataFrame:
    """The tie-graph node attributes of an organizations table, one row per organisation.

    Returns a frame indexed by id (str) with ``name, kind, ward, orientation`` (str or None,
    an empty text reads as None), ``fields`` (tuple of int) and ``synthetic`` (bool).

    Examples
    --------
    >>> from graph.build import example_dataset
    >>> organisation_attributes(example_dataset().table("organizations")).loc["C"].tolist()
    ['NPO法人C', 'npo', '西区', 'thematic', (1, 13), False]
    """
    def column(name, convert):
        values = orgs[name].tolist() if name in orgs.columns else [None] * len(orgs)
        return pd.Series([convert(x) for x in values], dtype=object)

    frame = pd.DataFrame({
        "name": column("name", text_or_none), "kind": column("kind", text_or_none),
        "ward": column("ward", text_or_none), "orientation": column("orientation", text_or_none),
        "fields": column("fields", field_numbers),
        "synthetic": pd.Series([bool(x) for x in synthetic_flags(orgs).tolist()], dtype=object),
    })
    frame.index = pd.Index(orgs["id"].astype(str).to_numpy(dtype=object), name="id")
    return frame


def organisation_nodes(orgs: pd.DataFrame):
    """``(id, attributes)`` per organisation, as :func:`organisation_attributes` gives them.

    >>> from graph.build import example_dataset
    >>> next(organisation_nodes(example_dataset().table("organizations")))[1]["ward"]
    '北区'
    """
    frame = organisation_attributes(orgs)
    columns = {c: frame[c].tolist() for c in frame.columns}
    for i, node in enumerate(frame.index.tolist()):
        yield node, {c: columns[c][i] for c in columns}


def tie_graph(dataset: Dataset, *, weights: Mapping[str, float] | None = None, as_of=None,
              fiscal_year=None, wards=None, real_only: bool = False) -> nx.Graph:
    """The weighted organisation–organisation tie graph.

    Every organisation in scope is a node (isolates included). Two organisations are tied
    when any of these sources links them; each source adds to its own part of the edge and
    ``weight`` is the sum of the parts:

    ``collaboration``
        Each collaboration adds ``weights["collaboration"]`` to every pair of its
        organisations (a collaboration of 3 makes 3 ties).
    ``co_participation``
        Each event with ``n`` participating organisations adds
        ``weights["co_participation"] / (n − 1)`` to every pair of them (Newman 2001), so an
        organisation gets at most one unit per event however big the forum.
    ``co_membership``
        Each council with ``n`` member organisations adds ``weights["co_membership"] /
        (n − 1)`` to every pair of members, and ``weights["co_membership"]`` to each
        member–council pair (membership is a two-party relation: 1/(2 − 1)). Dated by the
        later ``since`` of the pair.
    ``shared_dispatch``
        Each talent dispatched to ``n`` organisations adds ``weights["shared_dispatch"] /
        (n − 1)`` to every pair of them. Dated by the later first dispatch of the pair.

    A source with weight 0 is left out entirely (adds no ties and no evidence).

    Parameters
    ----------
    dataset : Dataset
        The records; not modified.
    weights : mapping, optional
        Multipliers per source, merged over :data:`DEFAULT_TIE_WEIGHTS` (all 1.0).
    as_of, fiscal_year, wards, real_only
        Scope, as in :func:`restrict`.

    Returns
    -------
    networkx.Graph
        Nodes: organisation ids with ``name, kind, ward, orientation, fields`` (tuple of
        int), ``synthetic``. Edges: ``weight``, the four parts, ``evidence`` (sorted tuple of
        ``"events:<id>"``, ``"collaborations:<id>"``, ``"memberships:<council id>"``,
        ``"dispatches:<id>"``), ``first_date`` and ``last_date`` (``datetime.date`` or
        ``None``; see the module notes). Graph attribute ``city``: the dataset's declared
        city (``Dataset.city``).

    Raises
    ------
    GraphError
        For an unknown or negative weight, or any error of :func:`restrict`.

    Examples
    --------
    >>> from graph.build import example_dataset
    >>> ds = example_dataset()
    >>> T = tie_graph(ds)
    >>> T.edges["A", "C"]["co_participation"], T.edges["A", "C"]["first_date"]
    (0.5, datetime.date(2019, 6, 1))
    >>> tie_graph(ds, weights={"collaboration": 0}).edges["A", "B"]["weight"]
    2.5
    >>> T.edges["A", "K"]["co_membership"], T.degree("D")
    (1.0, 0)
    """
    w = tie_weights(weights)
    ds = restrict(dataset, as_of=as_of, fiscal_year=fiscal_year, wards=wards,
                  real_only=real_only)
    orgs = ds.table("organizations")
    ids = orgs["id"].astype(str).to_numpy(dtype=object)
    index = pd.Index(ids)
    ties = _Ties(len(ids))
    part_index = {p: i for i, p in enumerate(TIE_PARTS)}

    def codes(frame: pd.DataFrame, column: str) -> np.ndarray:
        return index.get_indexer(frame[column].astype(str)).astype(np.int64)

    # co-participation: pairs within each event
    part = ds.table("participations")
    events = ds.table("events")
    if w["co_participation"] > 0 and len(part) and len(events):
        event_index = pd.Index(events["id"].astype(str))
        rows = pd.DataFrame({"g": event_index.get_indexer(part["event_id"].astype(str)),
                             "m": codes(part, "org_id")}).drop_duplicates()
        rows = rows[(rows["g"] >= 0) & (rows["m"] >= 0)]
        g, m = rows["g"].to_numpy(np.int64), rows["m"].to_numpy(np.int64)
        a, b, n = _group_pairs(g, m)
        offset = ties.add_vocab(("events:" + events["id"].astype(str)).to_numpy(dtype=object))
        ties.add(m[a], m[b], part_index["co_participation"], w["co_participation"] / (n - 1),
                 _days(events["date"])[g[a]], offset + g[a])

    # collaboration: every pair of each collaboration
    collabs = ds.table("collaborations")
    if w["collaboration"] > 0 and len(collabs):
        exploded = pd.DataFrame({"g": np.arange(len(collabs)),
                                 "m": collabs["org_ids"].map(id_list).to_numpy()}).explode("m")
        exploded = exploded.dropna()
        rows = pd.DataFrame({"g": exploded["g"].to_numpy(np.int64),
                             "m": index.get_indexer(exploded["m"].astype(str))}).drop_duplicates()
        rows = rows[rows["m"] >= 0]
        g, m = rows["g"].to_numpy(np.int64), rows["m"].to_numpy(np.int64)
        a, b, _ = _group_pairs(g, m)
        offset = ties.add_vocab(
            ("collaborations:" + collabs["id"].astype(str)).to_numpy(dtype=object))
        ties.add(m[a], m[b], part_index["collaboration"], w["collaboration"],
                 _days(collabs["start_date"])[g[a]], offset + g[a])

    # co-membership: member pairs of each council, and member–council pairs
    members = ds.table("memberships")
    if w["co_membership"] > 0 and len(members):
        rows = pd.DataFrame({"g": codes(members, "council_id"), "m": codes(members, "org_id"),
                             "day": _days(members["since"])})
        rows = rows[(rows["g"] != rows["m"]) & (rows["g"] >= 0) & (rows["m"] >= 0)]
        rows = rows.groupby(["g", "m"], as_index=False)["day"].min()  # NaT (undated) wins
        g, m, day = (rows[c].to_numpy(np.int64) for c in ("g", "m", "day"))
        offset = ties.add_vocab(("memberships:" + ids).astype(object))
        a, b, n = _group_pairs(g, m)
        ties.add(m[a], m[b], part_index["co_membership"], w["co_membership"] / (n - 1),
                 np.maximum(day[a], day[b]), offset + g[a])
        ties.add(m, g, part_index["co_membership"], w["co_membership"], day, offset + g)

    # shared dispatch: pairs of organisations served by the same talent
    disp = ds.table("dispatches")
    if w["shared_dispatch"] > 0 and len(disp):
        rows = pd.DataFrame({"g": pd.factorize(disp["talent_id"].astype(str))[0],
                             "m": codes(disp, "org_id"), "day": _days(disp["start_date"]),
                             "d": np.arange(len(disp))})
        rows = rows[rows["m"] >= 0]
        served = rows.groupby(["g", "m"], as_index=False)["day"].min()
        g, m, day = (served[c].to_numpy(np.int64) for c in ("g", "m", "day"))
        a, b, n = _group_pairs(g, m)
        offset = ties.add_vocab(("dispatches:" + disp["id"].astype(str)).to_numpy(dtype=object))
        ties.add(m[a], m[b], part_index["shared_dispatch"], w["shared_dispatch"] / (n - 1),
                 np.maximum(day[a], day[b]), None)
        pairs = pd.DataFrame({"g": g[a], "a": m[a], "b": m[b]})
        for side in ("a", "b"):
            hit = pairs.merge(rows[["g", "m", "d"]], left_on=["g", side], right_on=["g", "m"])
            ties.add_evidence(hit["a"].to_numpy(np.int64), hit["b"].to_numpy(np.int64),
                              offset + hit["d"].to_numpy(np.int64))

    T = nx.Graph(city=dataset.city)
    T.add_nodes_from(organisation_nodes(orgs))
    T.add_edges_from(ties.edges(ids))
    return T
