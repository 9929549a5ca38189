"""What an event's series and a resource offer's topic are, read from their names.

The activity signals of introductions (``graph.introductions.signals``) group events into
series (にしよどリンク, every session) and read which NPO fields a resource offer is about.

* :func:`series_name` — an event's name without brackets, session numbers and dates;
* :func:`resource_topics` — whether an offer is local (space, or no field) and its fields;
* :data:`OFFER_TOPIC_WORDS`, :data:`OFFER_SPACE_WORDS` — the keywords behind them.

Examples
--------
>>> series_name("MAIDOにしよど 2019")
'MAIDOにしよど'
"""

from __future__ import annotations

import re

from ingest.normalise import nfkc

__all__ = ["OFFER_SPACE_WORDS", "OFFER_TOPIC_WORDS", "resource_topics", "series_name"]

OFFER_SPACE_WORDS = ("space", "venue", "room", "hall", "スペース", "会場", "会議室", "場所", "施設",
               "ホール", "集会所", "教室")
# keyword → NPO field, to read the topic of a resource offer from its title and kind.
OFFER_TOPIC_WORDS: tuple[tuple[str, int], ...] = (
    ("福祉", 1), ("介護", 1), ("医療", 1), ("健康", 1), ("看護", 1), ("welfare", 1),
    ("health", 1), ("学習", 2), ("教育", 2), ("講座", 2), ("education", 2),
    ("まちづくり", 3), ("まち", 3), ("観光", 4), ("農", 5), ("文化", 6), ("芸術", 6),
    ("スポーツ", 6), ("音楽", 6), ("sport", 6), ("art", 6), ("環境", 7), ("清掃", 7),
    ("緑化", 7), ("environment", 7), ("防災", 8), ("災害", 8), ("disaster", 8), ("防犯", 9),
    ("見守り", 9), ("安全", 9), ("safety", 9), ("人権", 10), ("平和", 10), ("国際", 11),
    ("多文化", 11), ("外国", 11), ("international", 11), ("男女", 12), ("女性", 12),
    ("子ども", 13), ("子育て", 13), ("児童", 13), ("青少年", 13), ("遊び場", 13),
    ("child", 13), ("it", 14), ("ict", 14), ("情報", 14), ("パソコン", 14), ("科学", 15),
    ("技術", 15), ("経済", 16), ("商店", 16), ("起業", 16), ("就労", 17), ("雇用", 17),
    ("職業", 17), ("消費者", 18), ("運営", 19), ("会計", 19), ("助言", 19), ("広報", 19),
    ("accounting", 19), ("management", 19), ("fundraising", 19), ("pr", 19),
)

# what is not part of a series' name: brackets, fiscal years, session numbers, era years, dates
_SERIES_NOISE = tuple(re.compile(p) for p in (
    r"[(\[【][^)\]】]*[)\]】]", r"FY\s*\d{4}(-\d+)?", r"第\s*\d+\s*回",
    r"(令和|平成|R|H)?\s*(\d+|元)\s*年度?", r"\d+\s*月\s*(\d+\s*日)?",
    r"\d{4}[-/.]\d{1,2}([-/.]\d{1,2})?", r"[\s\-#]*\d+$"))
_SPACES = re.compile(r"\s+")


def series_name(name: object) -> str:
    """The series an event belongs to: its name without brackets, session numbers and dates.

    >>> series_name("にしよどリンク 第12回"), series_name("（合成）西淀川区第9地域まつり FY2024")
    ('にしよどリンク', '西淀川区第9地域まつり')
    """
    text = nfkc(name)
    for pattern in _SERIES_NOISE:
        text = pattern.sub(" ", text)
    text = _SPACES.sub(" ", text).strip(" -–・:")
    return text or nfkc(name)


def resource_topics(title: object, kind: object) -> tuple[bool, frozenset[int]]:
    """(local, fields): the NPO fields a resource offer is about, read from keywords; an offer
    of space, or one naming no field, is *local* (useful to groups nearby).

    >>> resource_topics("子ども食堂への食材提供", "goods"), resource_topics("講師の派遣", "lecturer")
    ((False, frozenset({13})), (True, frozenset()))
    """
    text = f"{nfkc(title)} {nfkc(kind)}".lower()
    words = set(re.split(r"[\s/・,、;]+", text))
    topics = frozenset(f for word, f in OFFER_TOPIC_WORDS
                       if (word in words if word.isascii() else word in text))
    space = any(w in text for w in OFFER_SPACE_WORDS) or not topics
    return space, topics
