"""The vocabulary of consultations (相談): topics and statuses, with their Japanese aliases.

The 24 ward consultation desks opened in December 2017 take questions "on publicity methods
and grants, on working with other groups …, and from companies on working with the area
through corporate social contribution" (seed report 1(1)イ①: 広報の手法や助成金に関すること、
他団体との連携に関すること等、また企業からは、企業の社会貢献活動による地域との連携). A
consultation's ``topics`` are ``;``-separated terms of ``TOPICS`` (English code or a Japanese
alias); a topic outside the vocabulary is kept as free text when written ``その他:…`` /
``other:…`` and is refused otherwise (``unknown_topic``), so a typo never becomes a topic.

Examples
--------
>>> parse_topics("広報; 助成金・補助金")
['publicity', 'grants']
>>> parse_topics("その他：空き家の活用")
['other:空き家の活用']
>>> STATUS_ALIASES["回答済み"], TOPIC_LABELS["corporate_contribution"]
('answered', '企業の社会貢献')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from ingest.normalise import nfkc

__all__ = [
    "CONSULTATION_STATUSES",
    "OTHER_TOPIC",
    "STATUS_ALIASES",
    "TOPICS",
    "TOPIC_ALIASES",
    "TOPIC_LABELS",
    "parse_topics",
    "topic_label",
]

# Canonical topic → its Japanese label (the report's own words where it has them).
TOPIC_LABELS: Mapping[str, str] = {
    "publicity": "広報",
    "grants": "助成金",
    "partnership": "連携",
    "people": "人材",
    "venue": "場所",
    "funding": "資金",
    "management": "運営",
    "corporate_contribution": "企業の社会貢献",
    "other": "その他",
}
TOPICS: tuple[str, ...] = tuple(TOPIC_LABELS)
OTHER_TOPIC = "other"

# Keys are NFKC-normalised, lower-cased, spaces removed.
TOPIC_ALIASES: Mapping[str, str] = {
    **{t: t for t in TOPICS}, **{label: t for t, label in TOPIC_LABELS.items()},
    "pr": "publicity", "広報の手法": "publicity", "情報発信": "publicity", "周知": "publicity",
    "広報・pr": "publicity", "チラシ": "publicity",
    "助成": "grants", "補助金": "grants", "助成金・補助金": "grants", "助成金に関すること": "grants",
    "grant": "grants",
    "他団体との連携": "partnership", "協働": "partnership", "連携協働": "partnership",
    "連携・協働": "partnership", "ネットワーク": "partnership",
    "担い手": "people", "人材確保": "people", "ボランティア募集": "people", "講師": "people",
    "活動場所": "venue", "会場": "venue", "スペース": "venue", "拠点": "venue",
    "資金調達": "funding", "寄付": "funding", "財源": "funding", "fundraising": "funding",
    "団体運営": "management", "組織運営": "management", "法人化": "management",
    "会計": "management",
    "社会貢献": "corporate_contribution", "企業の社会貢献活動": "corporate_contribution",
    "csr": "corporate_contribution", "地域貢献": "corporate_contribution",
    "corporate contribution": "corporate_contribution",
}

CONSULTATION_STATUSES: tuple[str, ...] = ("open", "answered", "closed")
STATUS_ALIASES: Mapping[str, str] = {
    **{s: s for s in CONSULTATION_STATUSES},
    "受付": "open", "受付中": "open", "対応中": "open", "未対応": "open", "継続": "open",
    "未完了": "open",
    "回答済": "answered", "回答済み": "answered", "対応済": "answered", "対応済み": "answered",
    "回答": "answered",
    "終了": "closed", "完了": "closed", "解決": "closed", "クローズ": "closed",
}

_SPLIT = re.compile(r"[;；|]")
_SECONDARY = re.compile(r"[,、/]")
_FREE_START = re.compile(r"(?<![a-z])(?:その他|other)\s*[:：(（]", re.IGNORECASE)
_OTHER = re.compile(r"^(?:その他|other)\s*[:：]\s*(?P<text>.+)$", re.IGNORECASE)
_OTHER_BRACKET = re.compile(r"^(?:その他|other)\s*[(（](?P<text>.+)[)）]$", re.IGNORECASE)


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def parse_topics(value: object) -> list[str]:
    """Parse a ``;``-separated topics cell into canonical topics, in written order.

    Each term is a ``TOPICS`` code or a Japanese alias (``TOPIC_ALIASES``), or several joined
    by ``、`` ``,`` or ``/`` (like the fields column; ``；`` counts as ``;``); free text is kept
    as ``other:<text>`` when written ``その他:…``, ``その他（…）`` or ``other:…``. Duplicates are
    dropped; an empty cell gives ``[]``.

    Parameters
    ----------
    value : object
        The cell (a string; a list of terms is accepted too).

    Returns
    -------
    list of str

    Raises
    ------
    ValueError
        For a term outside the vocabulary (the message lists the vocabulary).

    Examples
    --------
    >>> parse_topics("企業の社会貢献;連携"), parse_topics("")
    (['corporate_contribution', 'partnership'], [])
    >>> parse_topics("その他（防災マップ）; PR")
    ['other:防災マップ', 'publicity']
    >>> parse_topics("広報、助成金；その他：空き家、空き店舗の活用")
    ['publicity', 'grants', 'other:空き家、空き店舗の活用']
    >>> parse_topics("こうほう")
    Traceback (most recent call last):
    ...
    ValueError: 'こうほう' is not a consultation topic (one of 広報, 助成金, 連携, 人材, 場所, 資金, 運営, 企業の社会貢献, その他; free text as その他:…)
    """
    terms = value if isinstance(value, (list, tuple)) else _SPLIT.split(nfkc(value))
    found: list[str] = []
    for term in (nfkc(t) for t in terms):
        for topic in _term_topics(term):
            if topic not in found:
                found.append(topic)
    return found


def _one_topic(term: str) -> str | None:
    other = _OTHER.match(term) or _OTHER_BRACKET.match(term)
    if other:
        return f"{OTHER_TOPIC}:{other.group('text').strip()}"
    return TOPIC_ALIASES.get(_key(term))


def _term_topics(term: str) -> list[str]:
    """The topics of one ``;``-separated term; a term that is no topic as a whole may list
    several with ``、`` ``,`` or ``/`` (as the fields column may), free text never split."""
    if not term:
        return []
    whole = _one_topic(term)
    if whole is not None:
        return [whole]
    free = _FREE_START.search(term)
    listed, rest = (term[:free.start()], [term[free.start():]]) if free else (term, [])
    topics = []
    for part in [nfkc(p) for p in _SECONDARY.split(listed) if nfkc(p)] + rest or [term]:
        topic = _one_topic(part)
        if topic is None:
            raise ValueError(
                f"'{part}' is not a consultation topic (one of "
                f"{', '.join(TOPIC_LABELS.values())}; free text as その他:…)")
        topics.append(topic)
    return topics


def topic_label(topic: str, *, lang: str = "ja") -> str:
    """A topic as a person reads it: the Japanese label (or the code in English).

    >>> topic_label("grants"), topic_label("grants", lang="en"), topic_label("other:空き家")
    ('助成金', 'grants', '空き家')
    """
    if topic.startswith(OTHER_TOPIC + ":"):
        return topic.split(":", 1)[1]
    if lang == "ja":
        return TOPIC_LABELS.get(topic, topic)
    return topic.replace("_", " ")
