"""Sectors: the organisation kinds grouped into the unit of "cross-sector" ties.

Examples
--------
>>> sector_of("council"), SECTOR_LABELS_JA[sector_of("council")]
('community', '地域団体')
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["SECTORS", "SECTOR_LABELS_JA", "SECTOR_LABELS_EN", "sector_of"]

#: Organisation kind → sector, the unit of "cross-sector" ties and of the ward × sector matrix.
SECTORS: Mapping[str, str] = {
    "neighbourhood_association": "community",
    "council": "community",
    "citizen_group": "civic",
    "npo": "civic",
    "company": "business",
    "public_agency": "public",
    "intermediary": "intermediary",
    "school": "education",
    "religious": "religious",
    "other": "other",
}

#: Japanese label of each sector.
SECTOR_LABELS_JA: Mapping[str, str] = {
    "community": "地域団体",
    "civic": "市民活動団体・NPO",
    "business": "企業",
    "public": "行政・公的機関",
    "intermediary": "中間支援組織",
    "education": "学校",
    "religious": "宗教法人",
    "other": "その他",
}

#: Sector → plural English label (used in the connectors' reasons).
SECTOR_LABELS_EN: Mapping[str, str] = {
    "community": "neighbourhood groups",
    "civic": "NPOs and citizen groups",
    "business": "companies",
    "public": "public agencies",
    "intermediary": "intermediaries",
    "education": "schools",
    "religious": "religious bodies",
    "other": "other organisations",
}


def sector_of(kind: str | None) -> str:
    """The sector of an organisation kind (see :data:`SECTORS`); ``"other"`` when unknown.

    Examples
    --------
    >>> sector_of("npo"), sector_of("company"), sector_of(None)
    ('civic', 'business', 'other')
    """
    return SECTORS.get(kind or "other", "other")
