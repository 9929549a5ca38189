"""Organisation name keys: one key for every spelling of one name (``name_key``)."""

from __future__ import annotations

import re
import unicodedata

from ingest.normalise.text import nfkc

__all__ = ["LEGAL_FORMS", "HONORIFICS", "name_key"]

# Legal forms stripped from either end of a name (the longest first).
LEGAL_FORMS = (
    "認定特定非営利活動法人", "特定非営利活動法人", "認定npo法人", "npo法人", "一般社団法人",
    "一般財団法人", "公益社団法人", "公益財団法人", "社会福祉法人", "学校法人", "宗教法人",
    "株式会社", "有限会社", "合同会社", "(株)", "(有)", "(一社)", "(一財)", "(公社)", "(公財)",
    "(社福)", "(特非)",
    # In (half-width) katakana, as bank and payment records print them: ｶﾌﾞｼｷｶﾞｲｼｬ,
    # (ｶ) (株式会社), (ﾕ) (有限会社), (ﾄｸﾋ) (特定非営利活動法人). Only whole words or
    # bracketed forms: a bare カ) would also cut (アメリカ) short.
    "カブシキガイシャ", "ユウゲンガイシャ", "ゴウドウガイシャ", "(カ)", "(ユ)", "(トクヒ)",
)
# Honorifics stripped from the end of a name.
HONORIFICS = ("さん", "様", "さま", "殿", "御中", "ちゃん")
_STRIP_CHARS = re.compile(r"[\s\"'「」『』【】“”‘’]")


def name_key(value: object) -> str:
    """A key under which spellings of one organisation's name coincide.

    NFKC (width), lower case, no spaces or quotes, no legal-form prefix or suffix
    (特定非営利活動法人, NPO法人, 一般社団法人, 株式会社, (株) …) and no honorific
    (さん, 様 …). Idempotent: ``name_key(name_key(x)) == name_key(x)``.

    >>> name_key("株式会社 尼崎信用金庫様") == name_key("尼崎信用金庫")
    True
    >>> name_key("NPO法人にしよどにこネット")
    'にしよどにこネット'
    >>> name_key("ｶﾌﾞｼｷｶﾞｲｼｬ ﾃｽﾄ") == name_key("ﾃｽﾄ(ｶ)") == name_key("(株)テスト")
    True
    """
    key = _STRIP_CHARS.sub("", nfkc(value).lower())
    while True:
        before = key
        for form in LEGAL_FORMS:
            if key.startswith(form) and len(key) > len(form):
                key = key[len(form):]
            if key.endswith(form) and len(key) > len(form):
                key = key[: -len(form)]
        for honorific in HONORIFICS:
            if key.endswith(honorific) and len(key) > len(honorific):
                key = key[: -len(honorific)]
        key = _STRIP_CHARS.sub("", unicodedata.normalize("NFKC", key).lower())
        if key == before:
            return key
