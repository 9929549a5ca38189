"""Matching needs to offers: who can help with a consultation or an organisation's open needs.

A *need* is the topics of a consultation (or of an organisation's open consultations), the
ward of the desk and, when known, the asking organisation. Three kinds of helper are ranked:

* ``offer``: a resource offer (``resources``) whose kind or title fits a topic;
* ``talent``: a public community talent (地域公共人材) whose skills fit
  (``graph.introductions.talent``);
* ``organisation``: a group whose records show it has dealt with the same need — it asked
  about the topic before and was answered, it received a grant (for 助成金 / 資金), it
  supports other groups (field 19 or an intermediary), or it has worked with a company (for
  企業の社会貢献).

A helper is proposed only with at least one *fit* reason; ward proximity (same or
neighbouring ward), shared partners ("worked with 3 of your partners") and network distance
then add to the score. Every reason is a ``graph.introductions.Reason`` (Japanese and English
text a coordinator can say out loud, the records behind it, its part of the score), made by one
small function per reason code (``graph.introductions.matching_reasons``).

Examples
--------
>>> ds = example_match_dataset()
>>> need = consultation_need(ds, "K1")
>>> need.topics, need.org
(('publicity',), 'G1')
>>> best = match(ds, need)[0]
>>> best.kind, best.id, [r.code for r in best.reasons]
('offer', 'R1', ['offer_fits', 'same_ward', 'shared_partners', 'near_in_network'])
>>> best.reasons[0].ja
'「広報チラシ作成支援」を提供（広報）'
"""

from __future__ import annotations

from typing import NamedTuple

import networkx as nx
import pandas as pd

from graph.build import tie_graph
from graph.errors import GraphError
from graph.introductions.matching_reasons import (
    company_experience,
    context_reasons,
    grant_experience,
    offer_fits,
    ranked_reasons,
    solved_before,
    support_field,
    talent_reason,
)
from graph.introductions.reasons import Reason
from graph.introductions.talent import match_talents, skill_names_ja
from ingest.normalise import nfkc
from ingest.schemas import Dataset

__all__ = [
    "TOPIC_SKILLS",
    "Match",
    "Need",
    "consultation_need",
    "example_match_dataset",
    "match",
    "open_needs",
]

# Talent skills (``graph.introductions.SKILL_SYNONYMS`` keys) that answer a topic.
TOPIC_SKILLS: dict[str, tuple[str, ...]] = {
    "publicity": ("pr", "design"), "grants": ("fundraising",),
    "funding": ("fundraising", "accounting"), "partnership": ("coordination", "facilitation"),
    "people": ("facilitation", "coordination"), "management": ("management", "accounting", "legal"),
    "corporate_contribution": ("coordination",), "venue": (),
}
_DONE = ("answered", "closed")


class Need(NamedTuple):
    """What is asked: topics, the desk's ward, the asking organisation ("" when none), the
    day (records after it are not used) and the consultations it comes from."""

    topics: tuple[str, ...]
    ward: str
    org: str
    on: pd.Timestamp | None
    consultations: tuple[str, ...]


class Match(NamedTuple):
    """A helper for a need: ``kind`` is ``offer``, ``talent`` or ``organisation``; ``org``
    the organisation behind it ("" for a talent); ``distance`` the hops from the asking
    organisation in the tie graph (``None``: not connected or nobody asking); ``proximity``
    ``same``, ``neighbour``, ``other`` or ""."""

    kind: str
    id: str
    org: str
    label: str
    score: float
    distance: int | None
    proximity: str
    reasons: tuple[Reason, ...]


def _day(value) -> pd.Timestamp | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value)


def consultation_need(dataset: Dataset, consultation_id: str) -> Need:
    """The need of one consultation; its ward is the desk's, else the asking organisation's.

    >>> consultation_need(example_match_dataset(), "K9")
    Traceback (most recent call last):
    ...
    graph.errors.GraphError: no consultation with id 'K9'
    """
    table = dataset.table("consultations")
    rows = table.loc[table["id"].astype(str) == str(consultation_id)]
    if rows.empty:
        raise GraphError(f"no consultation with id {consultation_id!r}")
    row = rows.iloc[-1]
    org = nfkc(row["org_id"])
    return Need(tuple(row["topics"] or ()), _need_ward(dataset, row["ward"], org), org,
                _day(row["date"]), (str(row["id"]),))


def _need_ward(dataset: Dataset, desk_ward, org: str) -> str:
    """The desk's ward, else (not written down) the asking organisation's ward."""
    ward = nfkc(desk_ward)
    if ward or not org:
        return ward
    orgs = dataset.table("organizations")
    found = orgs.loc[orgs["id"].astype(str) == org, "ward"]
    return nfkc(found.iloc[0]) if len(found) else ""


def open_needs(dataset: Dataset, org: str) -> Need:
    """The needs of an organisation: the topics of its open consultations (status ``open``
    or empty), the ward of the latest, dated by the latest.

    >>> open_needs(example_match_dataset(), "G1").consultations
    ('K1',)
    >>> open_needs(example_match_dataset(), "G2")
    Traceback (most recent call last):
    ...
    graph.errors.GraphError: organisation 'G2' has no open consultation (status open or empty)
    """
    table = dataset.table("consultations")
    mine = table.loc[(table["org_id"].astype(str) == str(org)) &
                     ~table["status"].fillna("").isin(_DONE)].sort_values("date")
    if mine.empty:
        raise GraphError(f"organisation {org!r} has no open consultation (status open or empty)")
    topics = tuple(dict.fromkeys(t for ts in mine["topics"] for t in (ts or ())))
    last = mine.iloc[-1]
    return Need(topics, _need_ward(dataset, last["ward"], str(org)), str(org), _day(last["date"]),
                tuple(mine["id"].astype(str)))


# --- ranking ----------------------------------------------------------------------------------

def _upto(frame: pd.DataFrame, column: str, on) -> pd.DataFrame:
    if on is None or frame.empty:
        return frame
    days = pd.to_datetime(frame[column])
    return frame.loc[days.isna() | (days <= on)]


def _company_ties(dataset: Dataset, G: nx.Graph, on) -> dict[str, list[str]]:
    collabs = _upto(dataset.table("collaborations"), "start_date", on)
    out: dict[str, list[str]] = {}
    for cid, ids in zip(collabs["id"], collabs["org_ids"]):
        ids = [str(i) for i in (ids or ())]
        if any(G.nodes[i].get("kind") == "company" for i in ids if i in G):
            for i in ids:
                if i in G and G.nodes[i].get("kind") != "company":
                    out.setdefault(i, []).append(str(cid))
    return out


def _solved(earlier: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """(organisation, topic) → ids of its answered or closed consultations on the topic."""
    done = earlier.loc[earlier["status"].isin(_DONE) & (earlier["org_id"].astype(str) != "")]
    out: dict[tuple[str, str], list[str]] = {}
    for cid, org, topics in zip(done["id"], done["org_id"], done["topics"]):
        for topic in topics or ():
            out.setdefault((str(org), topic), []).append(str(cid))
    return out


def _grants(awards: pd.DataFrame, on) -> dict[str, list[str]]:
    if on is not None and len(awards):
        awards = awards.loc[awards["fiscal_year"].fillna(0).astype(int) <=
                            (on.year if on.month >= 4 else on.year - 1)]
    out: dict[str, list[str]] = {}
    for org, program in zip(awards["org_id"], awards["program"]):
        out.setdefault(str(org), []).append(str(program))
    return out


def match(dataset: Dataset, need: Need, *, top: int = 10, graph: nx.Graph | None = None,
          as_of=None, kinds: tuple[str, ...] = ("offer", "talent", "organisation")
          ) -> list[Match]:
    """Rank who can help with ``need``.

    Parameters
    ----------
    dataset : Dataset
        The records; not modified.
    need : Need
        From :func:`consultation_need` or :func:`open_needs`.
    top : int
        Matches to return.
    graph : networkx.Graph, optional
        The tie graph (``graph.build.tie_graph``) when the caller has it; not modified.
    as_of : date, optional
        Use only records up to this day (default: the need's day when the graph is built
        here; every record otherwise).
    kinds : tuple of str
        The helper kinds to rank.

    Returns
    -------
    list of Match
        Best first (ties by kind and id); each has at least one fit reason.

    Raises
    ------
    GraphError
        When the need has no topic, or ``top`` < 1.

    Examples
    --------
    >>> ds = example_match_dataset()
    >>> [(m.kind, m.id) for m in match(ds, open_needs(ds, "G1"), top=3)]
    [('offer', 'R1'), ('organisation', 'G3'), ('talent', 'T1')]
    """
    if int(top) < 1:
        raise GraphError("top must be at least 1")
    if not need.topics:
        raise GraphError("the need has no topic; give the consultation's topics (広報, 助成金 …)")
    on = _day(as_of) if as_of is not None else need.on
    G = graph if graph is not None else tie_graph(dataset, as_of=on)
    distances = {}
    if need.org and need.org in G:
        distances = nx.single_source_shortest_path_length(G, need.org, cutoff=4)
    topics = [t for t in need.topics if not t.startswith("other:")]
    out: list[Match] = []
    if "offer" in kinds:
        offers = _upto(dataset.table("resources"), "offered_on", on)
        for row in offers.to_dict("records"):
            provider = str(row["provider_id"])
            fits = [r for r in (offer_fits(row, t) for t in topics) if r is not None]
            if not fits or provider == need.org:
                continue
            extra, distance, proximity = context_reasons(G, need, provider, distances)
            reasons, score = ranked_reasons(fits + extra)
            out.append(Match("offer", str(row["id"]), provider, str(row["title"]), score,
                             distance, proximity, reasons))
    if "talent" in kinds and len(dataset.table("talents")):
        skills = sorted({s for t in topics for s in TOPIC_SKILLS.get(t, ())})
        if skills:
            org = need.org if need.org in G else None
            for m in match_talents(dataset, skills=skills, org=org, top=5):
                reasons, score = ranked_reasons([talent_reason(r, len(topics)) for r in m.reasons])
                out.append(Match("talent", m.talent_id, "", skill_names_ja(m.matched_skills), score,
                                 None, "", reasons))
    if "organisation" in kinds:
        earlier = _upto(dataset.table("consultations"), "date", on)
        earlier = earlier.loc[~earlier["id"].astype(str).isin(need.consultations)]
        solved, grants = _solved(earlier), _grants(dataset.table("awards"), on)
        company = _company_ties(dataset, G, on)
        for org, data in G.nodes(data=True):
            if org == need.org:
                continue
            fits = []
            for t in topics:
                fits += [r for r in (solved_before(org, t, solved),
                                     grant_experience(org, t, grants), support_field(data, t),
                                     company_experience(org, t, company)) if r is not None]
            if not fits:
                continue
            extra, distance, proximity = context_reasons(G, need, org, distances)
            reasons, score = ranked_reasons(fits + extra)
            out.append(Match("organisation", org, org, str(data.get("name") or org), score,
                             distance, proximity, reasons))
    out.sort(key=lambda m: (-m.score, m.kind, m.id))
    return out[:int(top)]


def example_match_dataset() -> Dataset:
    """A hand-checkable case: G1 (西淀川区) asks about 広報 (K1, open).

    R1 offers 広報チラシ作成支援 from P1 in 西淀川区, and P1 shares partner G3 with G1; R2
    offers a room (not 広報) in 西淀川区; talent T1 lists 広報; G3 had its own 広報
    consultation answered (K0); G2 (北区) has nothing to do with 広報.

    >>> sorted(example_match_dataset().tables)
    ['collaborations', 'consultations', 'organizations', 'resources', 'talents']
    """
    orgs = pd.DataFrame({
        "id": ["G1", "G2", "G3", "P1"], "name": ["にしよど子ども食堂", "北の会", "ReBORN", "尼崎信用金庫"],
        "kind": ["citizen_group", "citizen_group", "npo", "company"],
        "ward": ["西淀川区", "北区", "此花区", "西淀川区"],
        "orientation": ["thematic", "thematic", "thematic", None],
        "fields": [[13], [1], [13], [16]], "founded": pd.to_datetime([None] * 4),
        "synthetic": [False] * 4})
    collabs = pd.DataFrame({"id": ["C1", "C2"], "title": ["食堂", "見守り"],
                            "start_date": pd.to_datetime(["2019-01-01", "2019-02-01"]),
                            "org_ids": [["G1", "G3"], ["G3", "P1"]], "synthetic": [False] * 2})
    resources = pd.DataFrame({"id": ["R1", "R2"], "provider_id": ["P1", "P1"],
                              "kind": ["skills", "space"],
                              "title": ["広報チラシ作成支援", "会議室の貸出"],
                              "offered_on": pd.to_datetime(["2019-04-01", "2019-04-01"]),
                              "synthetic": [False] * 2})
    consultations = pd.DataFrame({
        "id": ["K0", "K1"], "org_id": ["G3", "G1"], "ward": ["此花区", "西淀川区"],
        "date": pd.to_datetime(["2018-06-01", "2019-06-01"]),
        "topics": [["publicity"], ["publicity"]], "description": ["", "チラシを作りたい"],
        "status": ["answered", "open"], "synthetic": [False] * 2})
    talents = pd.DataFrame({"id": ["T1"], "skills": ["広報"], "synthetic": [False]})
    return Dataset({"organizations": orgs, "collaborations": collabs, "resources": resources,
                    "consultations": consultations, "talents": talents})
