"""Domain terms in English, and the rules that read them: one place for both.

The Japanese names of the 20 NPO fields are the law's (``ingest.schemas.NPO_FIELDS``); their
English names are here, used by the dashboard and by the reasons of introductions alike (the
reasons write them in lower case mid-sentence). :func:`orientation_of` is the one rule for an
organisation's orientation: its recorded ``orientation``, else what its kind implies
(neighbourhood associations and councils are territorial 地縁型, NPOs and citizen groups
thematic テーマ型), else unknown.

Examples
--------
>>> NPO_FIELDS_EN[13], field_name_en(13, lower=True)
('Children and youth', 'children and youth')
>>> orientation_of("council", None), orientation_of("npo", "territorial"), orientation_of("company")
('territorial', 'territorial', None)
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["NPO_FIELDS_EN", "TERRITORIAL_KINDS", "THEMATIC_KINDS", "field_name_en",
           "orientation_of"]

#: English names of the NPO fields (特定非営利活動の20分野), keyed like ``NPO_FIELDS``.
NPO_FIELDS_EN: Mapping[int, str] = {
    1: "Health, medical care, welfare", 2: "Social education", 3: "Community development",
    4: "Tourism", 5: "Rural and mountain areas", 6: "Culture, arts, sports", 7: "Environment",
    8: "Disaster relief", 9: "Community safety", 10: "Human rights, peace",
    11: "International cooperation", 12: "Gender equality", 13: "Children and youth",
    14: "Information society", 15: "Science and technology", 16: "Economic activity",
    17: "Job skills and employment", 18: "Consumer protection", 19: "Support for civic groups",
    20: "Activities set by ordinance",
}

#: Kinds that are territorial (地縁型) when no orientation is recorded.
TERRITORIAL_KINDS = frozenset({"neighbourhood_association", "council"})
#: Kinds that are thematic (テーマ型) when no orientation is recorded.
THEMATIC_KINDS = frozenset({"npo", "citizen_group"})


def field_name_en(number: int, *, lower: bool = False) -> str | None:
    """The English name of NPO field ``number`` (``None`` for an unknown number); ``lower``
    for use inside a sentence.

    >>> field_name_en(1), field_name_en(99)
    ('Health, medical care, welfare', None)
    """
    name = NPO_FIELDS_EN.get(number)
    return name.lower() if name is not None and lower else name


def orientation_of(kind: str | None, orientation: str | None = None) -> str | None:
    """``"territorial"``, ``"thematic"`` or ``None``: the recorded orientation, else the one
    the kind implies.

    >>> orientation_of("neighbourhood_association"), orientation_of("npo", ""), orientation_of(None)
    ('territorial', 'thematic', None)
    """
    if orientation:
        return orientation
    if kind in TERRITORIAL_KINDS:
        return "territorial"
    if kind in THEMATIC_KINDS:
        return "thematic"
    return None
