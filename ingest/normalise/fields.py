"""The 20 NPO fields (特定非営利活動促進法 別表) given as numbers, short names or the Act's words."""

from __future__ import annotations

import re

from ingest.normalise.text import nfkc
from ingest.schemas import NPO_FIELDS

__all__ = ["parse_fields"]

# Short names people use for the 20 fields, mapped to their numbers.
_FIELD_ALIASES = {
    "福祉": 1, "保健": 1, "医療": 1, "社会教育": 2, "まちづくり": 3, "観光": 4, "農山漁村": 5,
    "中山間地域": 5, "学術": 6, "文化": 6, "芸術": 6, "スポーツ": 6, "環境": 7, "環境保全": 7,
    "災害救援": 8, "防災": 8, "災害": 8, "地域安全": 9, "防犯": 9, "人権": 10, "平和": 10,
    "国際協力": 11, "国際": 11, "男女共同参画": 12, "子ども": 13, "子育て": 13, "子どもの健全育成": 13,
    "情報化社会": 14, "情報": 14, "科学技術": 15, "経済": 16, "経済活動": 16, "雇用": 17,
    "職業能力": 17, "消費者保護": 18, "消費者": 18, "中間支援": 19, "条例": 20,
}
_FIELD_BY_NAME = {nfkc(name): number for number, name in NPO_FIELDS.items()}
# The fields as the Act's 別表 words them (and as NPO registries print them). Several hold
# 、 (also a separator), so they are replaced by their numbers before the text is split.
_FIELD_OFFICIAL = {
    "保健、医療又は福祉の増進を図る活動": 1, "社会教育の推進を図る活動": 2,
    "まちづくりの推進を図る活動": 3, "観光の振興を図る活動": 4,
    "農山漁村又は中山間地域の振興を図る活動": 5, "学術、文化、芸術又はスポーツの振興を図る活動": 6,
    "環境の保全を図る活動": 7, "災害救援活動": 8, "地域安全活動": 9,
    "人権の擁護又は平和の推進を図る活動": 10, "国際協力の活動": 11,
    "男女共同参画社会の形成の促進を図る活動": 12, "子どもの健全育成を図る活動": 13,
    "情報化社会の発展を図る活動": 14, "科学技術の振興を図る活動": 15,
    "経済活動の活性化を図る活動": 16, "職業能力の開発又は雇用機会の拡充を支援する活動": 17,
    "消費者の保護を図る活動": 18,
    "前各号に掲げる活動を行う団体の運営又は活動に関する連絡、助言又は援助の活動": 19,
    "前各号に掲げる活動に準ずる活動として都道府県又は指定都市の条例で定める活動": 20,
}
_FIELD_OFFICIAL_RE = re.compile("|".join(re.escape(name) for name in
                                         sorted(_FIELD_OFFICIAL, key=len, reverse=True)))
_FIELD_NUMBER_RE = re.compile(r"^第?(\d+)号?$")


def parse_fields(value: object) -> list[int]:
    """Parse NPO activity fields: numbers 1–20 or names, separated by ``;`` ``,`` ``、`` or ``|``.

    Returns the sorted, de-duplicated field numbers; empty input gives ``[]``. Numbers may be
    written ``第13号``; names may be the short ones of ``NPO_FIELDS``, common words
    (福祉, 子育て) or the Act's own wording (保健、医療又は福祉の増進を図る活動).

    >>> parse_fields("13;1"), parse_fields("子どもの健全育成、保健・医療・福祉"), parse_fields("")
    ([1, 13], [1, 13], [])
    >>> parse_fields("保健、医療又は福祉の増進を図る活動、まちづくりの推進を図る活動、第13号")
    [1, 3, 13]
    >>> parse_fields("21")
    Traceback (most recent call last):
    ...
    ValueError: '21' is not an NPO field (1–20 or a field name such as 子どもの健全育成)
    """
    if isinstance(value, (list, tuple)):
        tokens = [nfkc(v) for v in value]
    else:
        text = _FIELD_OFFICIAL_RE.sub(lambda m: f";{_FIELD_OFFICIAL[m.group(0)]};", nfkc(value))
        tokens = re.split(r"[;,、|/]", text)
    numbers = set()
    for token in (t.strip() for t in tokens):
        if not token:
            continue
        number = _FIELD_NUMBER_RE.match(token)
        if number and 1 <= int(number.group(1)) <= 20:
            numbers.add(int(number.group(1)))
        elif token in _FIELD_BY_NAME:
            numbers.add(_FIELD_BY_NAME[token])
        elif token in _FIELD_ALIASES:
            numbers.add(_FIELD_ALIASES[token])
        else:
            raise ValueError(
                f"{token!r} is not an NPO field (1–20 or a field name such as 子どもの健全育成)"
            )
    return sorted(numbers)
