"""A tiny hand-checkable dataset for the examples and tests: :func:`example_dataset`.

Examples
--------
>>> len(example_dataset().table("participations"))
5
"""

from __future__ import annotations

import pandas as pd

from ingest.schemas import Dataset

__all__ = ["example_dataset"]


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
