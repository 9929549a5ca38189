"""Cached loaders of the portal directory and the consultations (相談) view.

Like ``dashboards._state`` (whose ``dataset`` and analysis loaders these build on): tables in
``st.cache_data`` keyed by store version and scope, nothing mutated. Scope: the sidebar's wards,
kinds and fields select organisations (events by their organiser or ward, offers by their
provider, consultations by the desk's ward); its fiscal year keeps records up to that year's
end; "real only" leaves out synthetic records.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboards import _state
from dashboards._state import Scope
from ingest.consultations import topic_label
from ingest.schemas import NPO_FIELDS

__all__ = [
    "consultation_figures",
    "consultation_matches",
    "consultations",
    "events",
    "groups",
    "offers",
    "org_names",
    "save_match_outcome",
]


def _fy_end(scope: Scope) -> pd.Timestamp | None:
    return None if scope.fiscal_year is None else pd.Timestamp(scope.fiscal_year + 1, 3, 31)


def _real(frame: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    if scope.real_only and "synthetic" in frame.columns:
        return frame.loc[~frame["synthetic"].fillna(False).astype(bool)]
    return frame


def _upto(frame: pd.DataFrame, column: str, scope: Scope) -> pd.DataFrame:
    end = _fy_end(scope)
    if end is None or frame.empty:
        return frame
    days = pd.to_datetime(frame[column])
    return frame.loc[days.isna() | (days <= end)]


def _matches(text: pd.Series, query: str) -> pd.Series:
    return text.fillna("").astype(str).str.contains(query, case=False, regex=False)


@st.cache_data(show_spinner=False, max_entries=16)
def _scoped_orgs(path: Path, version: str, scope: Scope) -> pd.DataFrame:
    orgs = _real(_state.dataset(path, version).table("organizations"), scope)
    keep = pd.Series(True, index=orgs.index)
    if scope.wards:
        keep &= orgs["ward"].isin(scope.wards)
    if scope.kinds:
        keep &= orgs["kind"].isin(scope.kinds)
    if scope.fields:
        wanted = set(scope.fields)
        keep &= orgs["fields"].map(lambda fs: bool(wanted & set(fs or ())))
    return _upto(orgs.loc[keep], "founded", scope)


@st.cache_data(show_spinner=False, max_entries=8)
def org_names(path: Path, version: str) -> dict[str, str]:
    """Organisation id → name, for every organisation in the store."""
    orgs = _state.dataset(path, version).table("organizations")
    return dict(zip(orgs["id"].astype(str), orgs["name"].astype(str)))


@st.cache_data(show_spinner=False, max_entries=32)
def groups(path: Path, version: str, scope: Scope, query: str) -> pd.DataFrame:
    """Groups of the scope matching ``query`` (name, ward or field): id, name, kind, ward,
    fields (names), founded, source."""
    orgs = _scoped_orgs(path, version, scope)
    fields = orgs["fields"].map(lambda fs: "、".join(NPO_FIELDS[int(f)] for f in (fs or ())))
    table = pd.DataFrame({"id": orgs["id"].astype(str), "name": orgs["name"].astype(str),
                          "kind": orgs["kind"].fillna(""), "ward": orgs["ward"].fillna(""),
                          "fields": fields,
                          "founded": pd.to_datetime(orgs["founded"]).dt.date,
                          "source": orgs["source"]})
    if query:
        hit = _matches(table["name"], query) | _matches(table["ward"], query) | \
            _matches(table["fields"], query)
        table = table.loc[hit]
    return table.sort_values(["ward", "name"]).reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=32)
def events(path: Path, version: str, scope: Scope, start: dt.date | None, end: dt.date | None,
           query: str) -> pd.DataFrame:
    """Events of the scope between ``start`` and ``end`` (inclusive), newest first: id, date,
    name, kind, ward, organiser (id and name), attendance, source."""
    ds = _state.dataset(path, version)
    table = _upto(_real(ds.table("events"), scope), "date", scope)
    if scope.wards or scope.kinds or scope.fields:
        orgs = set(_scoped_orgs(path, version, scope)["id"])
        in_ward = table["ward"].isin(scope.wards) if scope.wards else False
        table = table.loc[table["organizer_id"].isin(orgs) | in_ward]
    days = pd.to_datetime(table["date"])
    if start is not None:
        table = table.loc[days >= pd.Timestamp(start)]
    if end is not None:
        table = table.loc[pd.to_datetime(table["date"]) <= pd.Timestamp(end)]
    names = org_names(path, version)
    out = pd.DataFrame({"id": table["id"].astype(str), "date": pd.to_datetime(table["date"]).dt.date,
                        "name": table["name"].astype(str), "kind": table["kind"].fillna(""),
                        "ward": table["ward"].fillna(""), "organizer_id": table["organizer_id"].fillna(""),
                        "organizer": table["organizer_id"].map(lambda i: names.get(str(i), "")),
                        "attendance": table["attendance"], "source": table["source"]})
    if query:
        out = out.loc[_matches(out["name"], query) | _matches(out["organizer"], query)
                      | _matches(out["ward"], query)]
    return out.sort_values("date", ascending=False).reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=32)
def offers(path: Path, version: str, scope: Scope, query: str) -> pd.DataFrame:
    """Resource offers (rooms, equipment, skills) of providers in scope: id, title, kind,
    provider (id, name, ward), offered_on, source."""
    ds = _state.dataset(path, version)
    orgs = _scoped_orgs(path, version, scope)
    table = _upto(_real(ds.table("resources"), scope), "offered_on", scope)
    table = table.loc[table["provider_id"].isin(set(orgs["id"]))]
    ward = dict(zip(orgs["id"], orgs["ward"]))
    names = org_names(path, version)
    out = pd.DataFrame({"id": table["id"].astype(str), "title": table["title"].astype(str),
                        "kind": table["kind"], "provider_id": table["provider_id"].astype(str),
                        "provider": table["provider_id"].map(lambda i: names.get(str(i), "")),
                        "ward": table["provider_id"].map(ward).fillna(""),
                        "offered_on": pd.to_datetime(table["offered_on"]).dt.date,
                        "source": table["source"]})
    if query:
        out = out.loc[_matches(out["title"], query) | _matches(out["provider"], query)
                      | _matches(out["kind"], query)]
    return out.reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=8)
def consultation_figures(path: Path, version: str) -> pd.DataFrame:
    """The consultation figures the sources report (real records first), with the source."""
    figures = _state.dataset(path, version).table("figures")
    rows = figures.loc[figures["metric"].isin(["consultations", "consultation_desks"])]
    rows = rows.assign(_synthetic=rows["synthetic"].fillna(False).astype(bool))
    rows = rows.sort_values(["_synthetic", "metric", "period"])
    return rows[["metric", "period", "category", "value", "unit", "source"]].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=16)
def consultations(path: Path, version: str, scope: Scope, lang: str) -> pd.DataFrame:
    """Consultations whose desk is in scope, newest first: id, date, ward, org, topics
    (labels), status, description."""
    table = _upto(_real(_state.dataset(path, version).table("consultations"), scope), "date",
                  scope)
    if scope.wards:
        table = table.loc[table["ward"].isin(scope.wards)]
    names = org_names(path, version)
    out = pd.DataFrame({
        "id": table["id"].astype(str), "date": pd.to_datetime(table["date"]).dt.date,
        "ward": table["ward"].fillna(""), "org_id": table["org_id"].fillna("").astype(str),
        "org": table["org_id"].map(lambda i: names.get(str(i), "")),
        "topics": table["topics"].map(lambda ts: "、".join(topic_label(x, lang=lang)
                                                          for x in (ts or ()))),
        "status": table["status"].fillna(""), "description": table["description"]})
    return out.sort_values(["date", "id"], ascending=False).reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=64)
def consultation_matches(path: Path, version: str, scope: Scope, consultation: str,
                         top: int) -> pd.DataFrame:
    """Helpers for one consultation (``graph.introductions.match``): rank, kind, id, org, label,
    score, distance, proximity, reasons (ja, en), evidence."""
    from graph.introductions import consultation_need, match

    ds = _state.dataset(path, version)
    graph = _state.scoped_analysis(path, version, scope).ties
    need = consultation_need(ds, consultation)
    # the records of the scope's fiscal year, else every record (an open consultation sees
    # offers made after it was received)
    found = match(ds, need, top=top, graph=graph, as_of=_fy_end(scope) or pd.Timestamp.today())
    names = org_names(path, version)
    return pd.DataFrame([{
        "rank": i + 1, "kind": m.kind, "id": m.id, "org_id": m.org,
        "org": names.get(m.org, ""), "label": m.label, "score": m.score,
        "distance": m.distance, "proximity": m.proximity,
        "reasons_ja": " / ".join(r.ja for r in m.reasons),
        "reasons_en": " / ".join(r.en for r in m.reasons),
        "evidence": ", ".join(e for r in m.reasons for e in r.evidence[:3])}
        for i, m in enumerate(found)],
        columns=["rank", "kind", "id", "org_id", "org", "label", "score", "distance",
                 "proximity", "reasons_ja", "reasons_en", "evidence"])


def save_match_outcome(path: Path, *, consultation: str, asker: str, match: pd.Series,
                       status: str, on, note: str) -> int:
    """Record what came of a match (``ingest.match_outcomes``); returns the outcome id."""
    from ingest.match_outcomes import record_match_outcome

    return record_match_outcome(path, consultation=consultation, kind=match["kind"],
                                helper=match["id"], status=status, asker=asker,
                                helper_org=match["org_id"] if match["kind"] == "offer" else "",
                                on=on, score=float(match["score"]), note=note)
