"""Cached loaders of the Cases page: the real collaborations and meetups, and their drawings.

>>> _day(None), _day(pd.Timestamp("2024-04-01"))
('', '2024-04-01')
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboards._network_view import case_drawing
from dashboards._state import analysis, dataset

__all__ = ["cases", "case_view"]


@st.cache_data(show_spinner=False, max_entries=4)
def cases(path: Path, version: str) -> list[dict]:
    """The real (non-synthetic) collaborations, then real meetups with participants, as cards."""
    ds = dataset(path, version)
    names = dict(zip(ds.table("organizations")["id"], ds.table("organizations")["name"]))
    cards = []
    collabs = ds.table("collaborations")
    for row in collabs[~collabs["synthetic"].fillna(False).astype(bool)].itertuples(index=False):
        cards.append({"id": row.id, "kind": "collaboration", "title": row.title,
                      "partners": [(o, names.get(o, o)) for o in row.org_ids],
                      "start": _day(row.start_date), "end": _day(row.end_date),
                      "description": row.description if isinstance(row.description, str) else "",
                      "source": row.source if isinstance(row.source, str) else ""})
    events = ds.table("events")
    joined = ds.table("participations").groupby("event_id")["org_id"].apply(list)
    real = events[~events["synthetic"].fillna(False).astype(bool) & events["id"].isin(joined.index)]
    for row in real.itertuples(index=False):
        cards.append({"id": row.id, "kind": "event", "title": row.name,
                      "partners": [(o, names.get(o, o)) for o in joined[row.id]],
                      "start": _day(row.date), "end": _day(row.end_date), "description": "",
                      "source": row.source if isinstance(row.source, str) else ""})
    return cards


def _day(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


@st.cache_data(show_spinner=False, max_entries=32)
def case_view(path: Path, version: str, partners: tuple[str, ...], lang: str) -> dict:
    """A case's partners and their direct partners in the all-records tie graph, drawn
    (``_network_view.case_drawing``)."""
    return case_drawing(analysis(path, version, None, False).ties, partners, lang=lang)
