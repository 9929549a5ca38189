"""Dates and fiscal years as Japanese records write them, read into one form.

Eras (平成30年9月, R元), kanji, slashes, weekdays and digits only are read by ``parse_date``
and ``parse_fiscal_year``; ``to_era`` and ``fiscal_year_label`` write them back.
"""

from __future__ import annotations

import datetime as dt
import re

from ingest.fiscal import fiscal_year_bounds
from ingest.normalise.text import nfkc

__all__ = ["ERAS", "parse_date", "to_era", "parse_fiscal_year", "fiscal_year_label"]

# (kanji, letter, first day). Each era runs until the day before the next one starts.
ERAS: tuple[tuple[str, str, dt.date], ...] = (
    ("明治", "M", dt.date(1868, 10, 23)),
    ("大正", "T", dt.date(1912, 7, 30)),
    ("昭和", "S", dt.date(1926, 12, 25)),
    ("平成", "H", dt.date(1989, 1, 8)),
    ("令和", "R", dt.date(2019, 5, 1)),
)
_ERA_BY_NAME = {name: i for i, (kanji, letter, _) in enumerate(ERAS) for name in (kanji, letter)}


def _era_index(name: str) -> int:
    return _ERA_BY_NAME[name.upper() if len(name) == 1 else name]


def _era_end(index: int) -> dt.date:
    if index + 1 < len(ERAS):
        return ERAS[index + 1][2] - dt.timedelta(days=1)
    return dt.date.max


def _era_year(index: int, year_text: str) -> int:
    year = 1 if year_text == "元" else int(year_text)
    if year < 1:
        raise ValueError(f"era year must be 1 or more, got {year_text}")
    return ERAS[index][2].year + year - 1


_ERA_NAMES = "|".join(sorted(_ERA_BY_NAME, key=len, reverse=True))
_ERA_RE = re.compile(
    rf"^(?P<era>{_ERA_NAMES})\s*(?P<y>元|\d{{1,2}})\s*(?:年|\.|/|-)?\s*"
    rf"(?:(?P<m>\d{{1,2}})\s*(?:月|\.|/|-)?\s*(?:(?P<d>\d{{1,2}})\s*日?)?)?$",
    re.IGNORECASE,
)
_WESTERN_RE = re.compile(
    r"^(?P<y>\d{4})\s*(?:年|\.|/|-)?\s*"
    r"(?:(?P<m>\d{1,2})\s*(?:月|\.|/|-)?\s*(?:(?P<d>\d{1,2})\s*日?)?)?$"
)
# A time of day after an ISO date, with an optional UTC offset (``Z``, ``+09:00``): the
# date is kept as written, the time and the offset are dropped.
_ISO_TIME_RE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?$",
    re.IGNORECASE)
# A day of the week after a date, as Japanese documents print it: ``2019年8月1日(木)``,
# ``2019/8/1 (木曜日)``, ``2019-08-01 (Thu)``. It is checked against the date.
_WEEKDAYS_JA = "月火水木金土日"
_WEEKDAYS_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_RE = re.compile(
    rf"^(?P<date>.*?)\s*\(\s*(?:(?P<ja>[{_WEEKDAYS_JA}])(?:曜日?)?|"
    r"(?P<en>mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?)\s*\)$",
    re.IGNORECASE)
# Digits only: 2019 (year), 201908 (month), 20190801 (day). Other lengths are refused, and
# a five-digit number is most likely an Excel date serial (43678 = 2019-08-01) that lost
# its date format.
_DIGITS_RE = re.compile(r"^\d+$")


def parse_date(value: object) -> dt.date:
    """Parse a date written in any of the forms Japanese records use.

    Accepts ISO (``2019-08-01``), slashes and dots (``2019/8/1``, ``2019.8.1``), kanji
    (``2019年8月1日``), month precision (``2019年8月`` → the 1st), year precision (``2019``,
    ``H26`` → 1 January, or the era's first day), Japanese eras in kanji or letters with
    ``元`` for year 1 (``平成30年9月``, ``令和元年8月1日``, ``H26.4.1``, ``R元``), full-width digits,
    and ``datetime``/``date`` objects. An ISO date with a time (``2019-08-01T10:00+09:00``)
    keeps the date as written; a day of the week after the date (``2019年8月1日(木)``) must
    match it. Era dates outside their era are refused (``平成31年5月1日`` does not exist:
    令和 began on 2019-05-01). Digits only must be ``2019``, ``201908`` or ``20190801``.

    Raises
    ------
    ValueError
        When the value is empty, not a date, or an impossible date.

    Examples
    --------
    >>> parse_date("2019/8/1"), parse_date("２０１９年８月")
    (datetime.date(2019, 8, 1), datetime.date(2019, 8, 1))
    >>> parse_date("平成31年4月30日"), parse_date("R元.5.1")
    (datetime.date(2019, 4, 30), datetime.date(2019, 5, 1))
    >>> parse_date("平成31年5月1日")
    Traceback (most recent call last):
    ...
    ValueError: 平成31年5月1日 is not in 平成 (1989-01-08 – 2019-04-30)
    >>> parse_date("2019年8月1日（木）"), parse_date("2019-08-01T00:00:00Z")
    (datetime.date(2019, 8, 1), datetime.date(2019, 8, 1))
    >>> parse_date("2019年8月1日(金)")
    Traceback (most recent call last):
    ...
    ValueError: '2019年8月1日(金)': 2019-08-01 is a 木曜日 (Thu), not 金曜日
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = nfkc(value)
    if not text:
        raise ValueError("empty date")
    weekday = _WEEKDAY_RE.match(text)
    if weekday:
        day, has_day = _parse_date_text(weekday.group("date"))
        _check_weekday(text, day, has_day, weekday.group("ja"), weekday.group("en"))
        return day
    return _parse_date_text(text)[0]


def _parse_date_text(text: str) -> tuple[dt.date, bool]:
    """``parse_date`` of NFKC-normalised text without a day of the week; also says whether
    the text gave the day (``2019年8月1日``) or only the month or year."""
    iso_time = _ISO_TIME_RE.match(text)
    if iso_time:
        text = iso_time.group(1)
    if _DIGITS_RE.match(text) and len(text) not in (4, 6, 8):
        hint = (" (it looks like an Excel date serial number: format the cell as a date)"
                if len(text) == 5 else "")
        raise ValueError(f"{text!r} is not a date{hint}; use 2019-08-01, 2019年8月1日 or "
                         "令和元年8月1日")
    era = _ERA_RE.match(text)
    if era:
        index = _era_index(era.group("era"))
        year = _era_year(index, era.group("y"))
        day = _checked_date(text, year, era.group("m"), era.group("d"), era_index=index)
        return day, era.group("d") is not None
    western = _WESTERN_RE.match(text)
    if western:
        day = _checked_date(text, int(western.group("y")), western.group("m"),
                            western.group("d"))
        return day, western.group("d") is not None
    raise ValueError(f"{text!r} is not a date (use 2019-08-01, 2019年8月1日 or 令和元年8月1日)")


def _check_weekday(text: str, day: dt.date, has_day: bool, ja: str | None,
                   en: str | None) -> None:
    """Refuse a day of the week that does not match the date, or that follows a month."""
    given = _WEEKDAYS_JA.index(ja) if ja else _WEEKDAYS_EN.index(en[:3].lower())
    if not has_day:
        raise ValueError(f"{text!r}: a day of the week needs a full date (year, month, day)")
    if day.weekday() != given:
        raise ValueError(f"{text!r}: {day.isoformat()} is a {_WEEKDAYS_JA[day.weekday()]}曜日 "
                         f"({_WEEKDAYS_EN[day.weekday()].capitalize()}), not "
                         f"{_WEEKDAYS_JA[given]}曜日")


def _checked_date(text, year, month, day, era_index=None) -> dt.date:
    try:
        if month is None:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        elif day is None:
            start = dt.date(year, int(month), 1)
            end = (dt.date(year + int(month) // 12, int(month) % 12 + 1, 1) - dt.timedelta(days=1))
        else:
            start = end = dt.date(year, int(month), int(day))
    except ValueError as exc:
        raise ValueError(f"{text!r} is an impossible date ({exc})") from None
    if era_index is None:
        return start
    era_start, era_end = ERAS[era_index][2], _era_end(era_index)
    if end < era_start or start > era_end:
        kanji = ERAS[era_index][0]
        last = "" if era_end == dt.date.max else f" – {era_end.isoformat()}"
        raise ValueError(f"{text} is not in {kanji} ({era_start.isoformat()}{last})")
    return max(start, era_start)


def to_era(day: dt.date) -> str:
    """Write a date in the Japanese era it falls in, as ``令和元年8月1日``.

    >>> to_era(dt.date(2019, 4, 30)), to_era(dt.date(2019, 5, 1))
    ('平成31年4月30日', '令和元年5月1日')
    >>> parse_date(to_era(dt.date(1989, 1, 8)))
    datetime.date(1989, 1, 8)
    """
    for index in range(len(ERAS) - 1, -1, -1):
        kanji, _, start = ERAS[index]
        if day >= start:
            year = day.year - start.year + 1
            year_text = "元" if year == 1 else str(year)
            return f"{kanji}{year_text}年{day.month}月{day.day}日"
    raise ValueError(f"{day.isoformat()} is before 明治")


_FY_RE = re.compile(r"^(?:fy\s*)?(?P<y>\d{4})\s*(?:年度)?$", re.IGNORECASE)
_ERA_FY_RE = re.compile(rf"^(?P<era>{_ERA_NAMES})\s*(?P<y>元|\d{{1,2}})\s*(?:年度|年)?$", re.IGNORECASE)


def parse_fiscal_year(value: object) -> int:
    """Parse a fiscal year: ``FY2019``, ``2019``, ``2019年度``, ``令和元年度``, ``平成31年度``, ``R元``, ``H30``.

    平成31年度 and 令和元年度 name the same fiscal year (2019).

    >>> parse_fiscal_year("令和元年度"), parse_fiscal_year("平成31年度"), parse_fiscal_year("FY2019")
    (2019, 2019, 2019)
    >>> parse_fiscal_year("H26")
    2014

    An era fiscal year must overlap its era: 平成31年度 (April 2019 – March 2020) began in
    平成, but 平成32年度 never existed.

    >>> parse_fiscal_year("平成32年度")
    Traceback (most recent call last):
    ...
    ValueError: '平成32年度' does not exist: FY2020 (2020-04-01 – 2021-03-31) is not in 平成; write it as 令和2年度
    """
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = nfkc(value)
    match = _FY_RE.match(text)
    if match:
        return int(match.group("y"))
    match = _ERA_FY_RE.match(text)
    if match:
        index = _era_index(match.group("era"))
        fy = _era_year(index, match.group("y"))
        first, last = fiscal_year_bounds(fy)
        if last < ERAS[index][2] or first > _era_end(index):
            kanji = ERAS[index][0]
            raise ValueError(f"{text!r} does not exist: FY{fy} ({first.isoformat()} – "
                             f"{last.isoformat()}) is not in {kanji}; write it as "
                             f"{fiscal_year_label(fy)}")
        return fy
    raise ValueError(f"{text!r} is not a fiscal year (use FY2019, 2019年度 or 令和元年度)")


def fiscal_year_label(fy: int, *, lang: str = "ja") -> str:
    """A fiscal year as people write it: ``令和元年度`` (ja) or ``FY2019`` (en).

    >>> fiscal_year_label(2019), fiscal_year_label(2018), fiscal_year_label(2019, lang="en")
    ('令和元年度', '平成30年度', 'FY2019')
    """
    if lang != "ja":
        return f"FY{fy}"
    era = to_era(dt.date(fy, 12, 31))  # the era in force that December: 令和元年度 = FY2019
    return era.split("年")[0] + "年度"
