"""Which encoding CSV bytes are in: UTF-8 (with or without BOM) or CP932, else a reason.

Encodings are detected from the bytes, not the file name: a UTF-8 byte-order mark, else a
strict UTF-8 decode, else a strict CP932 (Shift_JIS) decode (``detect_encoding``). Bytes
that decode as CP932 are still refused when they hold a byte CP932 leaves undefined, mix
two encodings or read as EUC-JP (``cp932_problem``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["detect_encoding", "cp932_problem", "first_bad_row"]


def detect_encoding(data: bytes) -> str | None:
    """The encoding of CSV bytes: ``utf-8-sig`` (BOM), ``utf-8``, ``cp932`` or ``None``.

    Strict decodes, in that order; ``None`` when none decodes.

    >>> detect_encoding("団体".encode("utf-8")), detect_encoding("団体".encode("cp932"))
    ('utf-8', 'cp932')
    >>> detect_encoding(b"\\xef\\xbb\\xbfid"), detect_encoding(b"\\x81\\x7f\\xff")
    ('utf-8-sig', None)
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            data[3:].decode("utf-8")
            return "utf-8-sig"
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8", "cp932"):
        try:
            data.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    return None


# What Python's cp932 codec gives for the bytes Shift_JIS leaves undefined (0x80, 0xA0,
# 0xFD-0xFF): text holding one of these was written in another encoding.
_CP932_UNDEFINED = ("\x80", "\uf8f0", "\uf8f1", "\uf8f2", "\uf8f3")
_VOICED = set("ｳｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎﾜｦ")   # half-width kana that take ﾞ
_SEMI_VOICED = set("ﾊﾋﾌﾍﾎ")                 # and ﾟ
_KANA = {chr(c) for c in range(0xFF66, 0xFFA0)}  # ｦ … ﾝ, ﾞ, ﾟ


def _row_at(text: str, position: int) -> int:
    """The line (1-based) a character position of ``text`` falls on."""
    return text.count("\n", 0, position) + 1


def _utf8_line(data: bytes) -> int | None:
    """The byte offset of the first line of ``data`` that is valid UTF-8 and holds a
    character of three bytes (kana, kanji), or ``None``.

    Called on a file that is not UTF-8 as a whole: in a real CP932 file no such line
    exists (its kana and kanji bytes are not valid UTF-8 over a whole line). Candidate
    three-byte sequences are found with numpy; only their lines are decoded.
    """
    codes = np.frombuffer(data, dtype=np.uint8)
    if len(codes) < 3:
        return None
    hits = np.flatnonzero(((codes[:-2] & 0xF0) == 0xE0) & ((codes[1:-1] & 0xC0) == 0x80)
                          & ((codes[2:] & 0xC0) == 0x80))
    if not len(hits):
        return None
    newlines = np.flatnonzero(codes == 0x0A)
    for line in np.unique(np.searchsorted(newlines, hits)).tolist():
        start = int(newlines[line - 1]) + 1 if line else 0
        end = int(newlines[line]) if line < len(newlines) else len(data)
        try:
            data[start:end].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return start
    return None


def first_bad_row(data: bytes) -> int:
    """The row (line, 1-based) of the first byte that is not UTF-8.

    >>> first_bad_row(b"id\\nR-O1\\n\\xff\\n")
    3
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data.count(b"\n", 0, exc.start) + 1
    return 1


def _first_bad_utf8_line(data: bytes) -> int:
    """The byte offset of the first line of ``data`` that is not valid UTF-8."""
    start = 0
    for line in data.split(b"\n"):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return start
        start += len(line) + 1
    return 0


def _plausible_halfwidth(text: str) -> bool:
    """Whether the non-ASCII characters of ``text`` read as half-width katakana words.

    The only CP932 text that is also valid EUC-JP is ASCII with half-width katakana (and
    rare kanji): hiragana, full-width katakana and common kanji all use bytes that EUC-JP
    does not. Real half-width katakana puts ﾞ/ﾟ after a kana that takes them and ｰ or a
    small kana after a kana, and has no ､/｡ just before a kana; EUC-JP read as CP932
    (each kana or kanji becomes two half-width characters) breaks these at once.

    >>> _plausible_halfwidth("id,name\\n1,ｶﾌﾞｼｷｶﾞｲｼｬ ﾃｽﾄ"), _plausible_halfwidth("ｿﾈ､ﾎｶ")
    (True, False)
    """
    previous = ""
    for char in text:
        if char > "\x7f":
            if not "\uff61" <= char <= "\uff9f":
                return False
            if char == "ﾞ" and previous not in _VOICED or \
                    char == "ﾟ" and previous not in _SEMI_VOICED or \
                    char in "ｰｧｨｩｪｫｬｭｮｯ" and previous not in _KANA or \
                    char in _KANA and previous in "､｡":
                return False
        previous = char
    return True


def cp932_problem(data: bytes, text: str) -> tuple[int | None, str] | None:
    """Why bytes that decode as CP932 are still not a CP932 file, or ``None``.

    ``text`` is ``data`` decoded as CP932. Returns ``(row, message)`` when the bytes hold a
    byte CP932 does not define, when some lines are UTF-8 and others not (two files of
    different encodings pasted together), or when the file reads as EUC-JP and not as
    plausible CP932 text (see ``_plausible_halfwidth``).

    >>> cp932_problem("団体".encode("cp932"), "団体") is None
    True
    >>> text = "id,団体名\\n1,あおぞら\\n".encode("utf-8") + "2,みなと\\n".encode("cp932")
    >>> cp932_problem(text, text.decode("cp932"))
    (3, 'wrong encoding: the file mixes encodings (row 1 is UTF-8, row 3 is not); save the whole file as CSV UTF-8')
    >>> euc = "1,組織運営の強化\\n".encode("euc_jp")
    >>> cp932_problem(euc, euc.decode("cp932"))[1][:40]
    'wrong encoding: the file looks like EUC-'
    """
    found = [p for p in (text.find(char) for char in _CP932_UNDEFINED) if p >= 0]
    if found:
        position = min(found)
        byte = text[position].encode("cp932").hex().upper()
        message = (f"wrong encoding: byte 0x{byte} is not a character in UTF-8 or "
                   "CP932/Shift_JIS; save the file as CSV UTF-8")
        return _row_at(text, position), message
    line = _utf8_line(data)
    if line is not None:
        good = data.count(b"\n", 0, line) + 1
        bad = data.count(b"\n", 0, _first_bad_utf8_line(data)) + 1
        message = (f"wrong encoding: the file mixes encodings (row {good} is UTF-8, row {bad} "
                   "is not); save the whole file as CSV UTF-8")
        return bad, message
    try:
        data.decode("euc_jp")
    except UnicodeDecodeError:
        return None
    if _plausible_halfwidth(text):
        return None
    first = next(i for i, byte in enumerate(data) if byte > 0x7F)
    message = ("wrong encoding: the file looks like EUC-JP, which Tsunagari does not read; "
               "save it as CSV UTF-8 (or CSV Shift_JIS)")
    return data.count(b"\n", 0, first) + 1, message
