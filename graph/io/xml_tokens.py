"""Any text as an XML name token (``xs:NMTOKEN``), and back.

GraphML's schema types node ids, edge ids, edge ends, key ids and ``attr.name`` as
``xs:NMTOKEN``: one or more XML name characters (letters, digits, ``.``, ``-``, ``_``,
``:``, ...; kana and kanji are letters, fullwidth punctuation is not). An organisation id
such as ``"NPO 12"`` or ``"A&B"`` is accepted by the record format but is no name token, so
:func:`encode_token` writes each character that is not a name character as ``_xHHHH_``
(its code point in hexadecimal, eight digits above U+FFFF), the convention of .NET's
``XmlConvert.EncodeNmToken``; an ``_`` that starts ``_x`` is itself written ``_x005F_`` so
that :func:`decode_token` is exact, and the empty text is ``_x_``. Text that already is a
name token and holds no ``_x`` is returned unchanged, so ordinary ids (``R-O001``,
``org:北区``) keep their spelling.

Examples
--------
>>> encode_token("NPO 12"), encode_token("A&B"), encode_token("org:北区")
('NPO_x0020_12', 'A_x0026_B', 'org:北区')
>>> decode_token(encode_token("a_x0020_ b")) == "a_x0020_ b"
True
"""

from __future__ import annotations

import re

__all__ = ["encode_token", "decode_token", "is_token"]

# Name characters every validator accepts: XML 1.0 (fourth edition) NameChar, which libxml2
# (lxml, xmllint) applies to xs:NMTOKEN, narrowed to ASCII, Latin-1 letters, kana, the CJK
# ideographs U+4E00-U+9FA5 and the Japanese extenders and combining marks. Anything else
# (fullwidth forms, for one: U+FF08 "（" is no name character there) is escaped: always safe.
_NAME_CHAR = ("\\-.0-9:A-Z_a-z\u00b7\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff"
              "\u3005\u3007\u3021-\u302f\u3031-\u3035\u3041-\u3094\u3099\u309a"
              "\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe\u4e00-\u9fa5")
_TOKEN = re.compile(f"[{_NAME_CHAR}]+")
_NOT_NAME_CHAR = re.compile(f"[^{_NAME_CHAR}]|_(?=x)")
_ESCAPE = re.compile("_x([0-9A-F]{8}|[0-9A-F]{4})_")
_EMPTY = "_x_"


def is_token(text: str) -> bool:
    """Whether ``text`` is an ``xs:NMTOKEN`` (non-empty, name characters only).

    >>> is_token("R-O001"), is_token("a b"), is_token("")
    (True, False, False)
    """
    return _TOKEN.fullmatch(text) is not None


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"_x{code:04X}_" if code <= 0xFFFF else f"_x{code:08X}_"


def encode_token(text: str) -> str:
    """``text`` as an XML name token; unchanged when it is one and holds no ``_x``.

    Parameters
    ----------
    text : str
        Any text (an id, an attribute name).

    Returns
    -------
    str
        A non-empty ``xs:NMTOKEN``; :func:`decode_token` gives ``text`` back.

    Examples
    --------
    >>> encode_token("('t', 1)"), encode_token(""), encode_token("_x")
    ('_x0028__x0027_t_x0027__x002C__x0020_1_x0029_', '_x_', '_x005F_x')
    """
    if "_x" not in text and _TOKEN.fullmatch(text):
        return text
    if not text:
        return _EMPTY
    return _NOT_NAME_CHAR.sub(_escape, text)


def decode_token(token: str) -> str:
    """The text :func:`encode_token` made ``token`` from.

    >>> decode_token("NPO_x0020_12"), decode_token("_x_"), decode_token("plain")
    ('NPO 12', '', 'plain')
    """
    if token == _EMPTY:
        return ""
    if "_x" not in token:
        return token
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), token)
