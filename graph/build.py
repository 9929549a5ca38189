"""Build graphs from a :class:`~ingest.schemas.Dataset`.

Three views of one dataset:

``ecosystem_graph(dataset)``
    Everything, typed: a :class:`networkx.MultiDiGraph` whose nodes are organisations
    (``node_type`` ``"organization"``, or ``"council"`` for kind ``council``), events, talents,
    resources, award programmes and wards, and whose edges are the records (``relation``
    ``participated``, ``organised``, ``collaborated``, ``member_of``, ``dispatched_to``,
    ``offered``, ``awarded``, ``located_in``), each with ``evidence`` and ``date``.
``tie_graph(dataset, ...)``
    The organisation tie graph used by every analysis: one node per organisation in scope
    (isolates included), one weighted undirected edge per pair of organisations with any
    evidence of working together (see :func:`tie_graph` for the weighting).
``bipartite_graph(dataset, ...)``
    Organisations (``bipartite=0``) and the events they took part in (``bipartite=1``).

:func:`restrict` cuts a dataset to a date, a fiscal year, some wards or the real records only;
the graph builders take the same keyword arguments and call it first.

Time semantics (shared by every function here):

* A record's date is its *start*: event ``date``, collaboration ``start_date``, membership
  ``since``, dispatch ``start_date``, resource ``offered_on``, talent ``registered_on``,
  organisation ``founded``, and 1 April of an award's fiscal year.
* Restricting to ``as_of`` keeps records dated on or before ``as_of``; undated records are
  always kept (they count as always present). The view is cumulative: a collaboration that
  ended, or a membership with an ``until`` before ``as_of``, is still evidence of a tie.
* A tie's ``first_date`` is its earliest evidence date, or ``None`` when some evidence is
  undated (the tie is then present in every snapshot); ``last_date`` is its latest evidence
  date (``None`` when nothing is dated). So a tie is in the snapshot ``as_of=d`` exactly when
  ``first_date is None or first_date <= d`` (its weight may differ: group sizes change).

Examples
--------
>>> ds = example_dataset()
>>> T = tie_graph(ds)
>>> sorted(T.edges(data="weight"))
[('A', 'B', 3.5), ('A', 'C', 0.5), ('A', 'K', 1.0), ('B', 'C', 0.5), ('B', 'K', 1.0)]
>>> T.edges["A", "B"]["evidence"]
('collaborations:C1', 'events:E1', 'events:E2', 'memberships:K')
>>> sorted(tie_graph(ds, as_of="2019-05-31").edges(data="weight"))
[('A', 'B', 2.0), ('A', 'K', 1.0), ('B', 'K', 1.0)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import networkx as nx
import numpy as np
import pandas as pd

from graph.errors import GraphError
from ingest.schemas import TABLES, Dataset

__all__ = [
    "TIE_PARTS",
    "DEFAULT_TIE_WEIGHTS",
    "EcosystemGraph",
    "ecosystem_node_id",
    "ecosystem_graph",
    "restrict",
    "tie_graph",
    "bipartite_graph",
    "example_dataset",
    "tie_weights",
    "organisation_attributes",
]

#: The sources of an organisation tie, in the order of the edge attributes.
TIE_PARTS: tuple[str, ...] = ("collaboration", "co_participation", "co_membership", "shared_dispatch")

#: Default multiplier of each tie source (read-only; pass ``weights={...}`` to change some).
#: Equal weights are the neutral choice: the 1/(n−1) normalisation already gives every
#: organisation at most 1 unit of tie strength per shared event, council or talent, the same
#: as one two-party collaboration.
DEFAULT_TIE_WEIGHTS: Mapping[str, float] = MappingProxyType({part: 1.0 for part in TIE_PARTS})

_NODE_PREFIX = {
    "organization": "org",
    "council": "org",
    "event": "event",
    "talent": "talent",
    "resource": "resource",
    "program": "program",
    "ward": "ward",
}
_NAT = np.iinfo(np.int64).min  # datetime64 NaT viewed as int64: the smallest value
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


# --- small helpers ----------------------------------------------------------------------------

def _check_dataset(dataset) -> None:
    if not isinstance(dataset, Dataset):
        raise GraphError(f"expected an ingest.schemas.Dataset, got {type(dataset).__name__}")
    orgs = dataset.table("organizations")
    for column in ("id", "name", "kind"):
        if column not in orgs.columns:
            raise GraphError(f"organizations: missing column {column!r}")
    ids = orgs["id"].astype(str)
    if ids.duplicated().any():
        dup = sorted(ids[ids.duplicated()].unique())[:5]
        raise GraphError(f"organizations: duplicate ids {', '.join(dup)}")


def _as_date(value, what: str) -> dt.date:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise GraphError(f"{what}: not a date: {value!r}") from exc
    if pd.isna(stamp):
        raise GraphError(f"{what}: not a date: {value!r}")
    return stamp.date()


def _last_day(as_of, fiscal_year) -> dt.date | None:
    """The last day kept, from ``as_of`` and/or ``fiscal_year`` (the earlier wins)."""
    days = []
    if as_of is not None:
        days.append(_as_date(as_of, "as_of"))
    if fiscal_year is not None:
        if isinstance(fiscal_year, bool) or not isinstance(fiscal_year, (int, np.integer)):
            raise GraphError(f"fiscal_year: expected an int such as 2019, got {fiscal_year!r}")
        days.append(dt.date(int(fiscal_year) + 1, 3, 31))  # FY runs 1 April – 31 March
    return min(days) if days else None


def _fiscal_year_of(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame[column], errors="coerce")


def _str_col(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as Python strings (object dtype), ``None`` where missing or absent."""
    if column not in frame.columns:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    col = frame[column]
    out = col.astype(str).astype(object)
    return out.where(col.notna().to_numpy(), None)


def _id_list(value) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return [str(part) for part in value]


def _fields(value) -> tuple[int, ...]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ()
    if isinstance(value, str):
        return tuple(int(part) for part in value.split(";") if part.strip())
    return tuple(int(part) for part in value)


def _text(value) -> str | None:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    text = str(value)
    return text if text else None


def _date_or_none(value) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _synthetic(frame: pd.DataFrame) -> pd.Series:
    if "synthetic" not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame["synthetic"].fillna(False).astype(bool)


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


def tie_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """The tie multipliers: ``weights`` merged over :data:`DEFAULT_TIE_WEIGHTS`, checked.

    Raises
    ------
    GraphError
        For an unknown part or a weight that is not a finite number ≥ 0.

    Examples
    --------
    >>> tie_weights({"collaboration": 2})["collaboration"], tie_weights()["co_membership"]
    (2.0, 1.0)
    """
    return _tie_weights(weights)


def _tie_weights(weights) -> dict[str, float]:
    merged = dict(DEFAULT_TIE_WEIGHTS)
    if weights is None:
        return merged
    if not isinstance(weights, Mapping):
        raise GraphError(f"weights: expected a mapping part → number, got {type(weights).__name__}")
    for part, value in weights.items():
        if part not in merged:
            raise GraphError(f"weights: unknown part {part!r}; parts are {', '.join(TIE_PARTS)}")
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) \
                or not np.isfinite(value) or value < 0:
            raise GraphError(f"weights[{part!r}]: expected a finite number ≥ 0, got {value!r}")
        merged[part] = float(value)
    return merged


def ecosystem_node_id(node_type: str, record_id: object) -> str:
    """The node key of a record in the :func:`ecosystem_graph`: ``"<prefix>:<id>"``.

    Organisations and councils share the prefix ``org``; the others are ``event``,
    ``talent``, ``resource``, ``program`` (award programme, keyed by its name) and ``ward``
    (keyed by the ward name).

    >>> ecosystem_node_id("council", "R-O010"), ecosystem_node_id("ward", "西淀川区")
    ('org:R-O010', 'ward:西淀川区')
    """
    try:
        prefix = _NODE_PREFIX[node_type]
    except KeyError:
        raise GraphError(
            f"node_type: unknown {node_type!r}; types are {', '.join(_NODE_PREFIX)}") from None
    return f"{prefix}:{record_id}"


# --- restrict ---------------------------------------------------------------------------------

_DATE_OF = {  # the column holding each table's (start) date
    "organizations": "founded",
    "events": "date",
    "collaborations": "start_date",
    "memberships": "since",
    "dispatches": "start_date",
    "resources": "offered_on",
    "talents": "registered_on",
}


def restrict(dataset: Dataset, *, as_of=None, fiscal_year=None, wards=None,
             real_only: bool = False) -> Dataset:
    """A consistent sub-dataset: records up to a date, in some wards, or real ones only.

    Parameters
    ----------
    dataset : Dataset
        The records; not modified.
    as_of : date-like, optional
        Keep records dated on or before this day (``datetime.date``, ``Timestamp`` or
        ``"2019-03-31"``); undated records are kept (see the module notes for each table's
        date). Organisations founded after ``as_of`` are dropped, and awards of a later
        fiscal year.
    fiscal_year : int, optional
        Cumulative: keep records up to the end of this fiscal year (31 March of
        ``fiscal_year + 1``). With ``as_of`` too, the earlier cut-off wins.
    wards : str or iterable of str, optional
        Keep the organisations located in these wards and the records touching them: their
        participations, memberships among them, dispatches, resources and awards, the
        collaborations they are part of, and events held in the wards or organised or
        attended by them.
    real_only : bool, default False
        Drop synthetic rows (``synthetic`` true) of every table.

    Returns
    -------
    Dataset
        A new dataset with the tables of ``dataset`` (frames that needed no cut are shared
        with ``dataset``: treat them as read-only). It is consistent: rows whose event or
        organisation was dropped are dropped too; a collaboration keeps only its remaining
        organisations in ``org_ids`` (and is dropped when none remain); an event whose
        organiser was dropped keeps ``organizer_id`` missing. ``figures`` is filtered by
        ``real_only`` only (its periods are free text).

    Raises
    ------
    GraphError
        If ``dataset`` is not a Dataset, organisation ids repeat, or a date or fiscal year
        cannot be read.

    Examples
    --------
    >>> ds = example_dataset()
    >>> restrict(ds, fiscal_year=2018).table("events")["id"].tolist()
    ['E1']
    >>> restrict(ds, wards="北区").table("organizations")["id"].tolist()
    ['A', 'B', 'K']
    >>> restrict(ds, wards="北区").table("participations")["org_id"].tolist()
    ['A', 'B', 'A', 'B']
    """
    _check_dataset(dataset)
    last = _last_day(as_of, fiscal_year)
    if wards is None:
        ward_set = None
    elif isinstance(wards, str):
        ward_set = {wards}
    elif isinstance(wards, Iterable):
        ward_set = {str(w) for w in wards}
    else:
        raise GraphError(f"wards: expected a ward name or a list of them, got {wards!r}")

    # only the tables present (absent ones read as empty); frames are copied only when cut
    t = {name: frame for name, frame in dataset.tables.items() if name in TABLES}

    def get(name: str) -> pd.DataFrame:
        return t[name] if name in t else dataset.table(name)

    def keep(name: str, mask) -> None:
        mask = np.asarray(mask, dtype=bool)
        if name in t and not mask.all():
            t[name] = t[name].loc[mask]

    def live(name: str) -> bool:
        return name in t and len(t[name]) > 0

    if real_only:
        for name in list(t):
            keep(name, ~_synthetic(t[name]))
    if last is not None:
        limit = pd.Timestamp(last) + pd.Timedelta(days=1)
        for name, column in _DATE_OF.items():
            if live(name):
                day = _dates(t[name], column)
                keep(name, day.isna() | (day < limit))
        if live("awards"):
            fy = pd.to_numeric(t["awards"]["fiscal_year"], errors="coerce")
            keep("awards", fy.isna() | (fy <= _fiscal_year_of(last)))

    if ward_set is not None and live("organizations"):
        keep("organizations", _str_col(t["organizations"], "ward").isin(ward_set))
    org_ids = set(get("organizations")["id"].astype(str))

    def known(frame: pd.DataFrame, column: str) -> np.ndarray:
        return _str_col(frame, column).isin(org_ids).to_numpy()

    if ward_set is not None and live("events"):
        part, events = get("participations"), t["events"]
        attended = set(_str_col(part, "event_id")[known(part, "org_id")])
        keep("events", _str_col(events, "ward").isin(ward_set).to_numpy()
             | known(events, "organizer_id")
             | _str_col(events, "id").isin(attended).to_numpy())
    if live("events") and "organizer_id" in t["events"].columns:
        organizer = _str_col(t["events"], "organizer_id")
        valid = organizer.isin(org_ids)
        if not (valid | organizer.isna()).all() or (organizer.isna() != t["events"][
                "organizer_id"].isna()).any():
            t["events"] = t["events"].assign(organizer_id=organizer.where(valid, None))
    event_ids = set(get("events")["id"].astype(str))

    if live("participations"):
        part = t["participations"]
        keep("participations", known(part, "org_id")
             & _str_col(part, "event_id").isin(event_ids).to_numpy())
    if live("memberships"):
        keep("memberships", known(t["memberships"], "org_id")
             & known(t["memberships"], "council_id"))
    for name, column in (("dispatches", "org_id"), ("resources", "provider_id"),
                         ("awards", "org_id")):
        if live(name):
            keep(name, known(t[name], column))

    if live("collaborations"):
        collabs = t["collaborations"]
        members = collabs["org_ids"].map(lambda v: [o for o in _id_list(v) if o in org_ids])
        if (members.map(len) != collabs["org_ids"].map(lambda v: len(_id_list(v)))).any():
            collabs = collabs.assign(org_ids=members)
            t["collaborations"] = collabs.loc[members.map(len).to_numpy() > 0]

    if ward_set is not None and live("talents"):
        dispatched = set(_str_col(get("dispatches"), "talent_id").dropna())
        keep("talents", _str_col(t["talents"], "id").isin(dispatched))

    tables = {name: t.get(name, frame) for name, frame in dataset.tables.items()}
    return Dataset(tables, city=dataset.city)


# --- the typed ecosystem graph ---------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class EcosystemGraph:
    """The whole dataset as one typed, dated multigraph.

    Attributes
    ----------
    graph : networkx.MultiDiGraph
        Nodes keyed by :func:`ecosystem_node_id`, with ``node_type``, ``id`` (the record id),
        ``label`` and the record's attributes. Edges carry ``relation``, ``evidence`` (tuple
        of ``"table:id"``) and ``date`` (``datetime.date`` or ``None``). Read-only by
        convention: copy before changing it.
    dataset : Dataset
        The records the graph was built from.
    """

    graph: nx.MultiDiGraph
    dataset: Dataset


def ecosystem_graph(dataset: Dataset) -> EcosystemGraph:
    """Every record of ``dataset`` as typed nodes and dated, sourced edges.

    Edges and their direction:

    ========================  =====================  ======================================
    relation                  from → to              evidence, date
    ========================  =====================  ======================================
    ``participated``          org → event            ``events:<id>``, event date, ``role``
    ``organised``             org → event            ``events:<id>``, event date
    ``collaborated``          org → org              ``collaborations:<id>``, start date;
                                                     once per pair, first-listed org first
    ``member_of``             org → council          ``memberships:<council id>``, since,
                                                     ``until``
    ``dispatched_to``         talent → org           ``dispatches:<id>``, start, ``sessions``
    ``offered``               org → resource         ``resources:<id>``, offered_on
    ``awarded``               program → org          ``awards:<org>/<program>/<FY>``,
                                                     1 April of the FY, ``fiscal_year``,
                                                     ``amount_yen``
    ``located_in``            org or event → ward    ``organizations:<id>`` or ``events:<id>``,
                                                     no date
    ========================  =====================  ======================================

    Parameters
    ----------
    dataset : Dataset
        The records (made consistent with :func:`restrict` first); not modified.

    Returns
    -------
    EcosystemGraph

    Raises
    ------
    GraphError
        If ``dataset`` is not a Dataset or organisation ids repeat.

    Examples
    --------
    >>> eg = ecosystem_graph(example_dataset())
    >>> G = eg.graph
    >>> G.nodes["org:K"]["node_type"], G.nodes["event:E1"]["node_type"]
    ('council', 'event')
    >>> sorted({d["relation"] for _, _, d in G.edges(data=True)})
    ['collaborated', 'located_in', 'member_of', 'organised', 'participated']
    >>> [(u, v) for u, v, d in G.edges(data=True) if d["relation"] == "member_of"]
    [('org:A', 'org:K'), ('org:B', 'org:K')]
    """
    ds = restrict(dataset)
    G = nx.MultiDiGraph()
    key = ecosystem_node_id

    def ward_edge(node, ward, evidence):
        if ward is None:
            return
        G.add_node(key("ward", ward), node_type="ward", id=ward, label=ward)
        G.add_edge(node, key("ward", ward), relation="located_in", evidence=(evidence,),
                   date=None)

    orgs = ds.table("organizations")
    for row in orgs.to_dict("records"):
        node_type = "council" if row.get("kind") == "council" else "organization"
        node = key(node_type, row["id"])
        G.add_node(node, node_type=node_type, id=str(row["id"]), label=_text(row.get("name")),
                   name=_text(row.get("name")), kind=_text(row.get("kind")),
                   ward=_text(row.get("ward")), orientation=_text(row.get("orientation")),
                   fields=_fields(row.get("fields")), founded=_date_or_none(row.get("founded")),
                   synthetic=bool(row.get("synthetic") or False))
        ward_edge(node, _text(row.get("ward")), f"organizations:{row['id']}")

    events = ds.table("events")
    event_date = {}
    for row in events.to_dict("records"):
        node = key("event", row["id"])
        day = _date_or_none(row.get("date"))
        event_date[str(row["id"])] = day
        G.add_node(node, node_type="event", id=str(row["id"]), label=_text(row.get("name")),
                   name=_text(row.get("name")), kind=_text(row.get("kind")),
                   ward=_text(row.get("ward")), date=day,
                   end_date=_date_or_none(row.get("end_date")),
                   attendance=None if pd.isna(row.get("attendance")) else int(row["attendance"]),
                   synthetic=bool(row.get("synthetic") or False))
        ward_edge(node, _text(row.get("ward")), f"events:{row['id']}")
        organizer = _text(row.get("organizer_id"))
        if organizer is not None:
            G.add_edge(key("organization", organizer), node, relation="organised",
                       evidence=(f"events:{row['id']}",), date=day)

    for row in ds.table("participations").to_dict("records"):
        G.add_edge(key("organization", row["org_id"]), key("event", row["event_id"]),
                   relation="participated", evidence=(f"events:{row['event_id']}",),
                   date=event_date.get(str(row["event_id"])), role=_text(row.get("role")))

    for row in ds.table("collaborations").to_dict("records"):
        members = list(dict.fromkeys(_id_list(row.get("org_ids"))))
        day = _date_or_none(row.get("start_date"))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                G.add_edge(key("organization", a), key("organization", b),
                           relation="collaborated", evidence=(f"collaborations:{row['id']}",),
                           date=day, title=_text(row.get("title")))

    for row in ds.table("memberships").to_dict("records"):
        G.add_edge(key("organization", row["org_id"]), key("council", row["council_id"]),
                   relation="member_of", evidence=(f"memberships:{row['council_id']}",),
                   date=_date_or_none(row.get("since")), until=_date_or_none(row.get("until")))

    talents = ds.table("talents")
    for row in talents.to_dict("records"):
        G.add_node(key("talent", row["id"]), node_type="talent", id=str(row["id"]),
                   label=str(row["id"]), skills=_text(row.get("skills")),
                   registered_on=_date_or_none(row.get("registered_on")),
                   synthetic=bool(row.get("synthetic") or False))
    for row in ds.table("dispatches").to_dict("records"):
        talent = key("talent", row["talent_id"])
        if talent not in G:
            G.add_node(talent, node_type="talent", id=str(row["talent_id"]),
                       label=str(row["talent_id"]), skills=None, registered_on=None,
                       synthetic=bool(row.get("synthetic") or False))
        G.add_edge(talent, key("organization", row["org_id"]), relation="dispatched_to",
                   evidence=(f"dispatches:{row['id']}",),
                   date=_date_or_none(row.get("start_date")),
                   sessions=None if pd.isna(row.get("sessions")) else int(row["sessions"]),
                   purpose=_text(row.get("purpose")))

    for row in ds.table("resources").to_dict("records"):
        node = key("resource", row["id"])
        day = _date_or_none(row.get("offered_on"))
        G.add_node(node, node_type="resource", id=str(row["id"]), label=_text(row.get("title")),
                   title=_text(row.get("title")), kind=_text(row.get("kind")), date=day,
                   synthetic=bool(row.get("synthetic") or False))
        G.add_edge(key("organization", row["provider_id"]), node, relation="offered",
                   evidence=(f"resources:{row['id']}",), date=day)

    for row in ds.table("awards").to_dict("records"):
        program = str(row["program"])
        node = key("program", program)
        G.add_node(node, node_type="program", id=program, label=program)
        fy = None if pd.isna(row.get("fiscal_year")) else int(row["fiscal_year"])
        G.add_edge(node, key("organization", row["org_id"]), relation="awarded",
                   evidence=(f"awards:{row['org_id']}/{program}/{fy}",),
                   date=None if fy is None else dt.date(fy, 4, 1), fiscal_year=fy,
                   amount_yen=None if pd.isna(row.get("amount_yen")) else int(row["amount_yen"]))
    return EcosystemGraph(graph=G, dataset=ds)


# --- the organisation tie graph ---------------------------------------------------------------

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
    >>> organisation_attributes(example_dataset().table("organizations")).loc["C"].tolist()
    ['NPO法人C', 'npo', '西区', 'thematic', (1, 13), False]
    """
    def column(name, convert):
        values = orgs[name].tolist() if name in orgs.columns else [None] * len(orgs)
        return pd.Series([convert(x) for x in values], dtype=object)

    frame = pd.DataFrame({
        "name": column("name", _text), "kind": column("kind", _text),
        "ward": column("ward", _text), "orientation": column("orientation", _text),
        "fields": column("fields", _fields),
        "synthetic": pd.Series([bool(x) for x in _synthetic(orgs).tolist()], dtype=object),
    })
    frame.index = pd.Index(orgs["id"].astype(str).to_numpy(dtype=object), name="id")
    return frame


def _org_nodes(orgs: pd.DataFrame):
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
    >>> ds = example_dataset()
    >>> T = tie_graph(ds)
    >>> T.edges["A", "C"]["co_participation"], T.edges["A", "C"]["first_date"]
    (0.5, datetime.date(2019, 6, 1))
    >>> tie_graph(ds, weights={"collaboration": 0}).edges["A", "B"]["weight"]
    2.5
    >>> T.edges["A", "K"]["co_membership"], T.degree("D")
    (1.0, 0)
    """
    w = _tie_weights(weights)
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
                                 "m": collabs["org_ids"].map(_id_list).to_numpy()}).explode("m")
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
    T.add_nodes_from(_org_nodes(orgs))
    T.add_edges_from(ties.edges(ids))
    return T


# --- the bipartite organisation–event graph -------------------------------------------------

def bipartite_graph(dataset: Dataset, *, as_of=None, fiscal_year=None, wards=None,
                    real_only: bool = False) -> nx.Graph:
    """Organisations and events, linked by participation.

    Parameters
    ----------
    dataset : Dataset
        The records; not modified.
    as_of, fiscal_year, wards, real_only
        Scope, as in :func:`restrict`.

    Returns
    -------
    networkx.Graph
        Organisation nodes (``bipartite=0``, ``node_type="organization"``, the tie-graph
        attributes) and event nodes (``bipartite=1``, ``node_type="event"``, ``name, kind,
        ward, date, attendance, synthetic``), keyed by their ids; one edge per participation
        with ``role``, ``date`` and ``evidence`` (``("events:<id>",)``). Events nobody took
        part in stay as isolated nodes. Projecting onto the organisations with networkx's
        ``collaboration_weighted_projected_graph`` gives the ``co_participation`` part of
        :func:`tie_graph`.

    Raises
    ------
    GraphError
        If an event id equals an organisation id, or any error of :func:`restrict`.

    Examples
    --------
    >>> B = bipartite_graph(example_dataset())
    >>> sorted(n for n, d in B.nodes(data="bipartite") if d == 1)
    ['E1', 'E2']
    >>> sorted(B["E2"])
    ['A', 'B', 'C']
    """
    ds = restrict(dataset, as_of=as_of, fiscal_year=fiscal_year, wards=wards,
                  real_only=real_only)
    B = nx.Graph()
    for node, attrs in _org_nodes(ds.table("organizations")):
        B.add_node(node, bipartite=0, node_type="organization", **attrs)
    events = ds.table("events")
    clash = set(events["id"].astype(str)) & set(B)
    if clash:
        raise GraphError(f"bipartite_graph: ids used by both an event and an organisation: "
                         f"{', '.join(sorted(clash)[:5])}")
    event_date = {}
    for row in events.to_dict("records"):
        day = _date_or_none(row.get("date"))
        event_date[str(row["id"])] = day
        B.add_node(str(row["id"]), bipartite=1, node_type="event", name=_text(row.get("name")),
                   kind=_text(row.get("kind")), ward=_text(row.get("ward")), date=day,
                   attendance=None if pd.isna(row.get("attendance")) else int(row["attendance"]),
                   synthetic=bool(row.get("synthetic") or False))
    for row in ds.table("participations").to_dict("records"):
        event = str(row["event_id"])
        B.add_edge(str(row["org_id"]), event, role=_text(row.get("role")),
                   date=event_date[event], evidence=(f"events:{event}",))
    return B


# --- a tiny dataset for examples ---------------------------------------------------------------

def example_dataset() -> Dataset:
    """A five-organisation dataset used by the examples (hand-checkable).

    A, B (北区) and C (西区) attend event E2 (2019-06-01), A and B also E1 (2019-01-10);
    A and B collaborate in C1 (2019-07-01); K organises E1; A and B are members of council K (北区, undated);
    D (西区) has no ties.

    >>> example_dataset().table("organizations")["id"].tolist()
    ['A', 'B', 'C', 'D', 'K']
    """
    orgs = pd.DataFrame({
        "id": ["A", "B", "C", "D", "K"],
        "name": ["Aの会", "B株式会社", "NPO法人C", "D町会", "K地域活動協議会"],
        "kind": ["citizen_group", "company", "npo", "neighbourhood_association", "council"],
        "ward": ["北区", "北区", "西区", "西区", "北区"],
        "orientation": ["thematic", None, "thematic", "territorial", "territorial"],
        "fields": [[1], [16], [1, 13], [3], [3]],
        "founded": pd.to_datetime([None] * 5),
        "synthetic": [False] * 5,
    })
    events = pd.DataFrame({
        "id": ["E1", "E2"], "name": ["にしよどリンク", "地活協フォーラム"], "kind": ["meetup", "forum"],
        "ward": ["北区", "西区"], "date": pd.to_datetime(["2019-01-10", "2019-06-01"]),
        "organizer_id": ["K", None], "synthetic": [False, False],
    })
    participations = pd.DataFrame({"event_id": ["E1", "E1", "E2", "E2", "E2"],
                                   "org_id": ["A", "B", "A", "B", "C"],
                                   "synthetic": [False] * 5})
    collaborations = pd.DataFrame({"id": ["C1"], "title": ["見守り"],
                                   "start_date": pd.to_datetime(["2019-07-01"]),
                                   "org_ids": [["A", "B"]], "synthetic": [False]})
    memberships = pd.DataFrame({"org_id": ["A", "B"], "council_id": ["K", "K"],
                                "since": pd.to_datetime([None, None]),
                                "synthetic": [False, False]})
    return Dataset({"organizations": orgs, "events": events, "participations": participations,
                    "collaborations": collaborations, "memberships": memberships})
