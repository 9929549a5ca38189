"""Failure messages in Japanese and English, from the catalogue keyed by failure code.

The validators write every failure's ``message`` in English (``ingest.validate``); this
module gives it in the reader's language without touching them: each message is matched
against the English templates of its code (``ingest.message_catalogue.CATALOGUE``), and
the values found are filled into the Japanese template. A message no template matches
(a new wording) is shown as the code's Japanese explanation with the quoted value, never
in English. ``format_failures`` is the report the CLI prints, in either language.

Examples
--------
>>> failure_message("future_date", "ja", form="after_today", value="2099-01-01",
...                 today="2026-12-02")
'「2099-01-01」は今日（2026-12-02）より後の日付です'
>>> localise_message("unknown_ward", "'梅田区' is not one of Osaka City's 24 wards", "ja")
'「梅田区」は大阪市の24区のいずれでもありません'
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from ingest.message_catalogue import CATALOGUE, TERMS

__all__ = [
    "LANGS",
    "explain_code",
    "failure_message",
    "format_failures",
    "language_from_env",
    "localise_failures",
    "localise_message",
]

LANGS = ("ja", "en")
_FIELD = re.compile(r"\{(\w+)\}")
_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def _check_lang(lang: str) -> int:
    if lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}, got {lang!r}")
    return LANGS.index(lang)


def failure_message(code: str, lang: str, *, form: str | None = None, **values) -> str:
    """The message of ``code`` in ``lang``, its template (``form``, default the first)
    filled with ``values``.

    >>> failure_message("bad_number", "en", form="whole", value="3.5")
    "'3.5' is not a whole number"
    >>> failure_message("bad_number", "ja", form="whole", value="3.5")
    '「3.5」は整数ではありません'
    """
    forms = CATALOGUE[code]["forms"]
    english, japanese = forms[form] if form is not None else next(iter(forms.values()))
    template = japanese if _check_lang(lang) == 0 else english
    return template.format(**values)


def explain_code(code: str, lang: str) -> str:
    """A short explanation of a failure code (the code itself when the catalogue lacks it).

    >>> explain_code("unknown_ward", "ja"), explain_code("unknown_ward", "en")
    ('大阪市の区ではありません', 'Not a ward of the city')
    """
    entry = CATALOGUE.get(code)
    if entry is None:
        return code
    return entry["explain"][_check_lang(lang)]


@cache
def _pattern(english: str) -> re.Pattern:
    """The regular expression of an English template: literal text, each ``{name}`` any
    text (the same text again where a name repeats)."""
    parts, seen, last = [], set(), 0
    for match in _FIELD.finditer(english):
        parts.append(re.escape(english[last:match.start()]))
        name = match.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
        seen.add(name)
        last = match.end()
    parts.append(re.escape(english[last:]))
    return re.compile("".join(parts), re.DOTALL)


def _japanese_value(name: str, value: str) -> str:
    if name == "label":
        return TERMS.get(value, value)
    if name == "detail" and value in TERMS:
        return TERMS[value]
    if name == "ignored":
        for english, japanese in TERMS.items():
            value = value.replace(english, japanese)
    return value


def message_form(code: str, message: str) -> str | None:
    """The name of the catalogue form ``message`` is written in, or None.

    >>> message_form("bad_number", "'3.5' is not a whole number")
    'whole'
    """
    for form, (english, _) in CATALOGUE.get(code, {}).get("forms", {}).items():
        if _pattern(english).fullmatch(message):
            return form
    return None


def _match(code: str, message: str) -> str | None:
    form = message_form(code, message)
    if form is None:
        return None
    english, japanese = CATALOGUE[code]["forms"][form]
    found = _pattern(english).fullmatch(message)
    values = {k: _japanese_value(k, v) for k, v in found.groupdict().items()}
    return japanese.format(**values)


def localise_message(code: str, message: str, lang: str) -> str:
    """``message`` (as a validator wrote it, in English) in ``lang``.

    Several reasons joined with ``"; "`` (one per value of a list cell) are translated one
    by one. Unknown codes and codes without templates keep their message.

    >>> localise_message("unknown_reference", "'A' is not an organisation id in this "
    ...                  "dataset; 'B' is not an organisation id in this dataset", "ja")
    '「A」はこのデータセットの団体IDではありません；「B」はこのデータセットの団体IDではありません'
    >>> localise_message("bad_date", "a new wording about 'x'", "ja")
    '日付として読めません：「x」'
    """
    if _check_lang(lang) == 1 or not CATALOGUE.get(code, {}).get("forms"):
        return message
    parts = [_match(code, part) for part in message.split("; ")]
    if len(parts) > 1 and all(p is not None for p in parts):
        return "；".join(parts)
    whole = _match(code, message)
    if whole is not None:
        return whole
    quoted = [a or b for a, b in _QUOTED.findall(message)]
    detail = "：" + "、".join(f"「{q}」" for q in quoted) if quoted else ""
    return explain_code(code, "ja") + detail


def localise_failures(failures: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The failure table with ``message`` in ``lang`` and an ``explanation`` of each code
    after ``code``; each distinct message is translated once.

    >>> frame = pd.DataFrame([{"file": "o.csv", "sheet": "", "row": 3, "column": "区",
    ...     "code": "unknown_ward", "message": "'梅田区' is not one of Osaka City's 24 wards"}])
    >>> localise_failures(frame, "ja").loc[0, ["explanation", "message"]].tolist()
    ['大阪市の区ではありません', '「梅田区」は大阪市の24区のいずれでもありません']
    """
    out = failures.copy()
    pairs = out[["code", "message"]].astype(str).drop_duplicates()
    texts = {(c, m): localise_message(c, m, lang) for c, m in pairs.itertuples(index=False)}
    out["message"] = [texts[(str(c), str(m))] for c, m in zip(out["code"], out["message"])]
    explanations = [explain_code(str(c), lang) for c in out["code"]]
    out.insert(list(out.columns).index("code") + 1, "explanation", explanations)
    return out


_REPORT = {
    "count": ("{n} 件の問題：", "{n} problem{s}:"),
    "sheet": ("シート {sheet}", "sheet {sheet}"),
    "row": ("{row} 行目", "row {row}"),
    "column": ("列 {column}", "column {column}"),
    "more": ("…ほか {n} 件（すべて書き出すには --report FILE.csv）",
             "… and {n} more (write them all with --report FILE.csv)"),
}


def _location(record, lang: str) -> str:
    pick = _check_lang(lang)
    where = []
    if record["sheet"]:
        where.append(_REPORT["sheet"][pick].format(sheet=record["sheet"]))
    if not pd.isna(record["row"]):
        where.append(_REPORT["row"][pick].format(row=int(record["row"])))
    separator = "、" if pick == 0 else ", "
    text = str(record["file"]) + (" " + separator.join(where) if where else "")
    if record["column"]:
        text += separator + _REPORT["column"][pick].format(column=record["column"])
    return text


def format_failures(failures: pd.DataFrame, lang: str, *, limit: int | None = None) -> str:
    """A readable report in ``lang``: one line per problem naming file, sheet, row, column.

    >>> frame = pd.DataFrame([{"file": "events.csv", "sheet": "", "row": 4, "column": "date",
    ...     "code": "bad_date", "message": "'x' is not a date (use 2019-08-01, 2019年8月1日 "
    ...     "or 令和元年8月1日)"}])
    >>> print(format_failures(frame, "ja"))
    1 件の問題：
      events.csv 4 行目、列 date：bad_date：「x」は日付ではありません（2019-08-01、2019年8月1日、令和元年8月1日 のように書いてください）
    >>> print(format_failures(frame, "en").splitlines()[1][:41])
      events.csv row 4, column date: bad_date
    """
    pick = _check_lang(lang)
    count = len(failures)
    lines = [_REPORT["count"][pick].format(n=count, s="s" if count != 1 else "")]
    shown = failures if limit is None else failures.head(limit)
    colon = "：" if pick == 0 else ": "
    for record in shown.to_dict("records"):
        message = localise_message(str(record["code"]), str(record["message"]), lang)
        lines.append(f"  {_location(record, lang)}{colon}{record['code']}{colon}{message}")
    if limit is not None and count > limit:
        lines.append("  " + _REPORT["more"][pick].format(n=count - limit))
    return "\n".join(lines)


def language_from_env(environ) -> str:
    """``"ja"`` when the locale (``LC_ALL``, else ``LC_MESSAGES``, else ``LANG``) is
    Japanese, else ``"en"``.

    >>> language_from_env({"LANG": "ja_JP.UTF-8"}), language_from_env({"LANG": "C.UTF-8"})
    ('ja', 'en')
    >>> language_from_env({"LC_ALL": "en_US.UTF-8", "LANG": "ja_JP.UTF-8"})
    'en'
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"
