"""Osaka City's 24 wards: reading a ward however it is written, and writing it in English."""

from __future__ import annotations

import re
import unicodedata

from ingest.normalise.text import nfkc
from ingest.schemas import WARDS

__all__ = ["WARD_ROMAJI", "is_osaka", "normalise_ward", "ward_in_english"]

# Romaji of the 24 wards (without -ku), used to read and to write wards in English.
WARD_ROMAJI = {
    "kita": "北区", "miyakojima": "都島区", "fukushima": "福島区", "konohana": "此花区",
    "chuo": "中央区", "nishi": "西区", "minato": "港区", "taisho": "大正区",
    "tennoji": "天王寺区", "naniwa": "浪速区", "nishiyodogawa": "西淀川区", "yodogawa": "淀川区",
    "higashiyodogawa": "東淀川区", "higashinari": "東成区", "ikuno": "生野区", "asahi": "旭区",
    "joto": "城東区", "tsurumi": "鶴見区", "abeno": "阿倍野区", "suminoe": "住之江区",
    "sumiyoshi": "住吉区", "higashisumiyoshi": "東住吉区", "hirano": "平野区", "nishinari": "西成区",
}


def is_osaka(city: object) -> bool:
    """Whether a dataset's declared city (``dataset.json``) is Osaka City; none declared is.

    Osaka's 24 wards, their grid and their borders apply only to an Osaka dataset; another
    city keeps its wards as written.

    Spaces, hyphens, accents and a prefecture prefix do not matter: 大阪府大阪市,
    ``Osaka-fu Osaka-shi`` and ``Ōsaka City`` are Osaka City too.

    >>> is_osaka(""), is_osaka("大阪市"), is_osaka(" Osaka City "), is_osaka("堺市")
    (True, True, True, False)
    >>> is_osaka("大阪府 大阪市"), is_osaka("Ōsaka-shi"), is_osaka("大阪府")
    (True, True, False)
    """
    text = nfkc(city or "").lower()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = unicodedata.normalize("NFKC", re.sub(r"[\s\-_.,・]", "", text))
    for prefix in ("大阪府", "osakafu", "osakaprefecture"):
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix):]
    return text in ("", "大阪市", "大阪", "osaka", "osakacity", "osakashi", "cityofosaka")


def normalise_ward(value: object) -> str:
    """Map a ward name to one of Osaka City's 24 wards.

    Accepts the name with or without 区 or a 大阪市 prefix, full-width forms and romaji
    (``Nishiyodogawa-ku``, ``Chūō-ku``, ``Higashi-Yodogawa``, ``Tennouji``).

    >>> normalise_ward("大阪市 西淀川区"), normalise_ward("Naniwa-ku"), normalise_ward("浪速")
    ('西淀川区', '浪速区', '浪速区')
    >>> normalise_ward("Chūō-ku"), normalise_ward("Higashi-Yodogawa Ward")
    ('中央区', '東淀川区')
    >>> normalise_ward("渋谷区")
    Traceback (most recent call last):
    ...
    ValueError: '渋谷区' is not one of Osaka City's 24 wards
    """
    text = nfkc(value).replace(" ", "")
    if not text:
        raise ValueError("empty ward")
    for prefix in ("大阪府", "大阪市"):
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix):]
    if text in WARDS:
        return text
    if text + "区" in WARDS:
        return text + "区"
    roman = _romaji_key(text)
    if roman in WARD_ROMAJI:
        return WARD_ROMAJI[roman]
    raise ValueError(f"{nfkc(value)!r} is not one of Osaka City's 24 wards")


_WARD_ENGLISH = {ward: romaji.title() for romaji, ward in WARD_ROMAJI.items()}


def ward_in_english(ward: object) -> str:
    """An Osaka ward's name in English (its romaji); any other ward as written.

    >>> ward_in_english("西淀川区"), ward_in_english("東住吉区"), ward_in_english("灘区")
    ('Nishiyodogawa', 'Higashisumiyoshi', '灘区')
    """
    text = "" if ward is None else str(ward)
    return _WARD_ENGLISH.get(text, text)


def _romaji_key(text: str) -> str:
    """A ward written in romaji, reduced to the spelling of ``WARD_ROMAJI``.

    Macrons and other accents go (``Chūō`` → ``chuo``), as do hyphens, spaces and dots
    (``Higashi-Yodogawa``), an ``Osaka(-shi/ City/-fu)`` prefix and a ``-ku`` / ``Ward``
    suffix; long vowels written out (``Tennouji``, ``Chuuou``) are shortened. None of the
    24 names has ``uu``, ``ou`` or ``oo``, so the shortening cannot make one from another.

    >>> _romaji_key("Chūō-ku"), _romaji_key("Osaka-shi Higashi-Yodogawa Ward")
    ('chuo', 'higashiyodogawa')
    >>> _romaji_key("TENNOUJI")
    'tennoji'
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", text)
                    if not unicodedata.combining(c))
    key = re.sub(r"[^a-z]", "", plain.lower())
    for prefix in ("osakafu", "osakashi", "osakacity", "osaka"):
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix):]
            break
    key = re.sub(r"(ku|ward)$", "", key)
    return key.replace("uu", "u").replace("ou", "o").replace("oo", "o")
