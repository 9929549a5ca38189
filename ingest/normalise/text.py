"""NFKC, trimmed, whitespace collapsed: the first step of every value."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["nfkc"]


def nfkc(text: object) -> str:
    """NFKC-normalise, trim, and collapse runs of whitespace to one space.

    >>> nfkc("　平成 ３０ 年\\t9 月 ")
    '平成 30 年 9 月'
    """
    if text is None:
        return ""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(text))).strip()
