"""Normalising text, dates, fiscal years, wards, NPO fields and organisation names.

Japanese records mix full- and half-width characters, era dates (平成30年9月, R元) and many
spellings of one organisation. Every function here takes one raw value and returns the
canonical one, or raises ``ValueError`` with a reason a person can act on.

Examples
--------
>>> parse_date("令和元年8月1日")
datetime.date(2019, 8, 1)
>>> fiscal_year(parse_date("2020/3/31"))
2019
>>> normalise_ward("浪速")
'浪速区'
>>> name_key("特定非営利活動法人 ReBORNさん") == name_key("ＲｅＢＯＲＮ")
True
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ingest.fiscal import fiscal_year, fiscal_year_bounds  # the rule lives there
from ingest.schemas import NPO_FIELDS, WARDS

__all__ = [
    "ERAS",
    "nfkc",
    "parse_date",
    "to_era",
    "fiscal_year",
    "fiscal_year_bounds",
    "parse_fiscal_year",
    "fiscal_year_label",
    "normalise_ward",
    "is_osaka",
    "WARD_ROMAJI",
    "ward_in_english",
    "parse_fields",
    "name_key",
]

# (kanji, letter, first day). Each era runs until the day before the next one starts.
ERAS: tuple[tuple[str, str, dt.date], ...] = (
    ("明治", "M", dt.date(1868, 10, 23)),
    ("大正", "T", dt.date(1912, 7, 30)),
    ("昭和", "S", dt.date(1926, 12, 25)),
    ("平成", "H", dt.date(1989, 1, 8)),
    ("令和", "R", dt.date(2019, 5, 1)),
)
_ERA_BY_NAME = {name: i for i, (kanji, letter, _) in enumerate(ERAS) for name in (kanji, letter)}


def nfkc(text: object) -> str:
    """NFKC-normalise, trim, and collapse runs of whitespace to one space.

    >>> nfkc("　平成 ３０ 年\\t9 月 ")
    '平成 30 年 9 月'
    """
    if text is None:
        return ""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(text))).strip()


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


_LEGAL_FORMS = (
    "認定特定非営利活動法人", "特定非営利活動法人", "認定npo法人", "npo法人", "一般社団法人",
    "一般財団法人", "公益社団法人", "公益財団法人", "社会福祉法人", "学校法人", "宗教法人",
    "株式会社", "有限会社", "合同会社", "(株)", "(有)", "(一社)", "(一財)", "(公社)", "(公財)",
    "(社福)", "(特非)",
    # In (half-width) katakana, as bank and payment records print them: ｶﾌﾞｼｷｶﾞｲｼｬ,
    # (ｶ) (株式会社), (ﾕ) (有限会社), (ﾄｸﾋ) (特定非営利活動法人). Only whole words or
    # bracketed forms: a bare カ) would also cut (アメリカ) short.
    "カブシキガイシャ", "ユウゲンガイシャ", "ゴウドウガイシャ", "(カ)", "(ユ)", "(トクヒ)",
)
_HONORIFICS = ("さん", "様", "さま", "殿", "御中", "ちゃん")
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
        for form in _LEGAL_FORMS:
            if key.startswith(form) and len(key) > len(form):
                key = key[len(form):]
            if key.endswith(form) and len(key) > len(form):
                key = key[: -len(form)]
        for honorific in _HONORIFICS:
            if key.endswith(honorific) and len(key) > len(honorific):
                key = key[: -len(honorific)]
        key = _STRIP_CHARS.sub("", unicodedata.normalize("NFKC", key).lower())
        if key == before:
            return key
