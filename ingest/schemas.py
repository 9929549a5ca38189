"""The record format: tables, columns, value sets and Japanese header aliases.

This module is the single source of truth for what a Tsunagari dataset looks like. Readers,
validation, the store, the synthetic generator and the graph builder all read these specs;
``docs/data-format.md`` documents them for people.

A dataset is a folder of CSV files (``organizations.csv``, ``events.csv``, ...) or one XLSX
workbook with one sheet per table. Only ``organizations`` is required.

Examples
--------
>>> TABLES["organizations"].required
('id', 'name', 'kind')
>>> canonical_column("団体名")
'name'
>>> canonical_table("参加")
'participations'
>>> empty_frame("participations").columns.tolist()
['event_id', 'org_id', 'role', 'source', 'synthetic']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

__all__ = [
    "Column",
    "TableSpec",
    "TABLES",
    "TABLE_ORDER",
    "ORG_KINDS",
    "ORIENTATIONS",
    "OUTCOME_STATUSES",
    "WARDS",
    "NPO_FIELDS",
    "COLUMN_ALIASES",
    "TABLE_COLUMN_ALIASES",
    "header_priority",
    "TABLE_ALIASES",
    "canonical_column",
    "canonical_table",
    "empty_frame",
    "Dataset",
]

# --- value sets -------------------------------------------------------------------------------

ORG_KINDS: tuple[str, ...] = (
    "neighbourhood_association",  # 町会・自治会
    "council",                    # 地域活動協議会
    "citizen_group",              # 市民活動団体・ボランティアグループ
    "npo",                        # NPO法人
    "company",                    # 企業
    "public_agency",              # 区役所・社協など公的機関
    "intermediary",               # 中間支援組織・まちづくりセンター
    "school",                     # 学校
    "religious",                  # 神社・寺院・教会
    "other",
)

ORIENTATIONS: tuple[str, ...] = ("territorial", "thematic")  # 地縁型, テーマ型; may be empty

OUTCOME_STATUSES: tuple[str, ...] = ("proposed", "introduced", "declined", "partnered")

# The 24 wards of Osaka City, in the city's official order.
WARDS: tuple[str, ...] = (
    "北区", "都島区", "福島区", "此花区", "中央区", "西区", "港区", "大正区", "天王寺区", "浪速区",
    "西淀川区", "淀川区", "東淀川区", "東成区", "生野区", "旭区", "城東区", "鶴見区", "阿倍野区",
    "住之江区", "住吉区", "東住吉区", "平野区", "西成区",
)

# The 20 fields of NPO activity (特定非営利活動促進法 別表), numbered 1-20.
NPO_FIELDS: Mapping[int, str] = {
    1: "保健・医療・福祉",
    2: "社会教育",
    3: "まちづくり",
    4: "観光",
    5: "農山漁村・中山間地域",
    6: "学術・文化・芸術・スポーツ",
    7: "環境の保全",
    8: "災害救援",
    9: "地域安全",
    10: "人権擁護・平和",
    11: "国際協力",
    12: "男女共同参画",
    13: "子どもの健全育成",
    14: "情報化社会",
    15: "科学技術",
    16: "経済活動の活性化",
    17: "職業能力・雇用機会",
    18: "消費者保護",
    19: "団体の運営・活動への連絡・助言・援助",
    20: "条例で定める活動",
}


# --- table specs ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``type`` is one of ``str``, ``int``, ``float``, ``date``, ``bool``, ``fields`` (a
    ``;``-separated list of NPO field numbers or names, read back as ``list[int]``), ``ids``
    (a ``;``-separated list of organisation ids, read back as ``list[str]``), ``enum``
    (one of ``choices``) or ``fiscal_year`` (``FY2019``, ``2019``, ``令和元年度``; read back as
    the int 2019) or ``topics`` (a ``;``-separated list of consultation topics, read back
    as ``list[str]``; see ``ingest.consultations``). ``ref`` names the table whose ``id`` the value must exist in.
    ``pseudonym`` marks an id that stands for a person (a public community talent): it must
    look like an id (``T-001``: letters, digits, ``-``, ``_``, ``.``), never like a name.
    """

    name: str
    type: str = "str"
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str | None = None
    nonnegative: bool = False
    pseudonym: bool = False


@dataclass(frozen=True)
class TableSpec:
    """A table of the record format: its columns, key and the date pairs that must be ordered."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ("id",)
    date_ranges: tuple[tuple[str, str], ...] = ()
    description: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# Every table may also carry `source` (citation / origin) and `synthetic` (true for generated
# records). Both are appended to each spec below.
_COMMON = (Column("source"), Column("synthetic", "bool"))


def _spec(name, columns, key=("id",), date_ranges=(), description=""):
    return TableSpec(name, tuple(columns) + _COMMON, key, date_ranges, description)


TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        _spec("organizations", [
            Column("id", required=True),
            Column("name", required=True),
            Column("kind", "enum", required=True, choices=ORG_KINDS),
            Column("ward", "ward"),
            Column("orientation", "enum", choices=ORIENTATIONS),
            Column("fields", "fields"),
            Column("founded", "date"),
        ], description="Organisations: councils, associations, NPOs, companies, agencies …"),
        _spec("events", [
            Column("id", required=True),
            Column("name", required=True),
            Column("kind"),
            Column("ward", "ward"),
            Column("date", "date", required=True),
            Column("end_date", "date"),
            Column("organizer_id", ref="organizations"),
            Column("attendance", "int", nonnegative=True),
        ], date_ranges=(("date", "end_date"),),
            description="Meetups, forums, festivals, clean-ups, lectures, broadcasts."),
        _spec("participations", [
            Column("event_id", required=True, ref="events"),
            Column("org_id", required=True, ref="organizations"),
            Column("role"),
        ], key=("event_id", "org_id"), description="Which organisation took part in which event."),
        _spec("collaborations", [
            Column("id", required=True),
            Column("title", required=True),
            Column("start_date", "date"),
            Column("end_date", "date"),
            Column("org_ids", "ids", required=True, ref="organizations"),
            Column("description"),
        ], date_ranges=(("start_date", "end_date"),),
            description="Joint work of two or more organisations (連携協働)."),
        _spec("memberships", [
            Column("org_id", required=True, ref="organizations"),
            Column("council_id", required=True, ref="organizations"),
            Column("since", "date"),
            Column("until", "date"),
        ], key=("org_id", "council_id"), date_ranges=(("since", "until"),),
            description="Membership of a neighbourhood council (構成団体)."),
        _spec("dispatches", [
            Column("id", required=True),
            Column("org_id", required=True, ref="organizations"),
            Column("talent_id", required=True, pseudonym=True),
            Column("start_date", "date"),
            Column("end_date", "date"),
            Column("sessions", "int", nonnegative=True),
            Column("purpose"),
        ], date_ranges=(("start_date", "end_date"),),
            description="Dispatch of a public community talent (pseudonymous id) to a group."),
        _spec("resources", [
            Column("id", required=True),
            Column("provider_id", required=True, ref="organizations"),
            Column("kind"),
            Column("title", required=True),
            Column("offered_on", "date"),
        ], description="Resources offered: space, lecturers, skills and know-how."),
        _spec("awards", [
            Column("org_id", required=True, ref="organizations"),
            Column("program", required=True),
            Column("fiscal_year", "fiscal_year", required=True),
            Column("amount_yen", "int", nonnegative=True),
        ], key=("org_id", "program", "fiscal_year"), description="Grants and awards."),
        _spec("talents", [
            Column("id", required=True, pseudonym=True),
            Column("skills"),
            Column("registered_on", "date"),
        ], description="Public community talents (地域公共人材), pseudonymous ids and skills only."),
        _spec("consultations", [
            Column("id", required=True),
            Column("org_id", ref="organizations"),
            Column("ward", "ward"),
            Column("date", "date", required=True),
            Column("topics", "topics"),
            Column("description"),
            Column("status", "enum", choices=("open", "answered", "closed")),
        ], description="Consultations at the ward desks (相談窓口): who asked, when, about what."),
        _spec("figures", [
            Column("metric", required=True),
            Column("period", required=True),
            Column("category"),
            Column("value", "float", required=True),
            Column("unit"),
        ], key=("metric", "period", "category", "source"),
            description="Aggregate figures a source reports (counts per fiscal year, totals)."),
    )
}

TABLE_ORDER: tuple[str, ...] = tuple(TABLES)

# --- Japanese (and other) header aliases ------------------------------------------------------

# Table-independent column aliases. Keys are NFKC-normalised, lower-cased.
COLUMN_ALIASES: dict[str, str] = {
    "id": "id", "ｉｄ": "id", "番号": "id", "団体id": "id", "団体番号": "id", "イベントid": "id",
    "name": "name", "団体名": "name", "名称": "name", "イベント名": "name", "行事名": "name",
    "kind": "kind", "種別": "kind", "団体種別": "kind", "区分": "kind", "種類": "kind",
    "ward": "ward", "区": "ward", "所在区": "ward", "行政区": "ward", "開催区": "ward",
    "orientation": "orientation", "類型": "orientation", "団体類型": "orientation",
    "fields": "fields", "活動分野": "fields", "分野": "fields",
    "founded": "founded", "設立日": "founded", "設立": "founded", "設立年月日": "founded",
    "source": "source", "出典": "source", "出所": "source",
    "synthetic": "synthetic", "合成": "synthetic",
    "date": "date", "開催日": "date", "日付": "date", "実施日": "date",
    "end_date": "end_date", "終了日": "end_date",
    "organizer_id": "organizer_id", "主催団体id": "organizer_id", "主催": "organizer_id",
    "attendance": "attendance", "参加者数": "attendance", "参加人数": "attendance",
    "event_id": "event_id", "イベント": "event_id", "行事id": "event_id",
    "org_id": "org_id", "団体": "org_id", "参加団体": "org_id",
    "role": "role", "役割": "role",
    "title": "title", "件名": "title", "タイトル": "title", "事業名": "title",
    "start_date": "start_date", "開始日": "start_date",
    "org_ids": "org_ids", "連携団体": "org_ids", "連携団体id": "org_ids", "参加団体id": "org_ids",
    "description": "description", "内容": "description", "概要": "description",
    "council_id": "council_id", "地活協id": "council_id", "地域活動協議会": "council_id",
    "since": "since", "加入日": "since",
    "until": "until", "脱退日": "until",
    "talent_id": "talent_id", "人材id": "talent_id",
    "sessions": "sessions", "派遣回数": "sessions", "回数": "sessions",
    "purpose": "purpose", "目的": "purpose",
    "provider_id": "provider_id", "提供団体id": "provider_id", "提供団体": "provider_id",
    "offered_on": "offered_on", "掲載日": "offered_on", "提供日": "offered_on",
    "program": "program", "制度": "program", "表彰・助成名": "program",
    "fiscal_year": "fiscal_year", "年度": "fiscal_year",
    "amount_yen": "amount_yen", "金額": "amount_yen", "助成額": "amount_yen",
    "skills": "skills", "得意分野": "skills", "スキル": "skills",
    "registered_on": "registered_on", "登録日": "registered_on",
    "metric": "metric", "指標": "metric",
    "period": "period", "期間": "period",
    "category": "category", "内訳": "category",
    "value": "value", "値": "value", "件数": "value",
    "unit": "unit", "単位": "unit",
    "topics": "topics", "相談項目": "topics", "相談分野": "topics", "相談内容の分類": "topics",
    "トピック": "topics",
    "status": "status", "対応状況": "status", "状況": "status", "ステータス": "status",
}

# Header aliases that depend on the table, tried before ``COLUMN_ALIASES``. In a table
# that refers to organisations or events, 団体ID / 団体名 name the referring column (a
# participation's organisation), not the table's own ``id`` / ``name``: a participations
# sheet headed イベントID, 団体ID (or イベント名, 団体名) reads as event_id, org_id.
_ORG_REF_HEADERS = ("団体id", "団体名", "団体番号", "団体")
TABLE_COLUMN_ALIASES: dict[str, dict[str, str]] = {
    "events": {"主催団体": "organizer_id", "主催団体名": "organizer_id"},
    "participations": {
        **{h: "org_id" for h in _ORG_REF_HEADERS}, "参加団体名": "org_id",
        "イベントid": "event_id", "イベント名": "event_id", "行事名": "event_id",
        "行事": "event_id"},
    "collaborations": {
        **{h: "org_ids" for h in _ORG_REF_HEADERS}, "連携団体名": "org_ids",
        "名称": "title", "連携名": "title"},
    "memberships": {
        **{h: "org_id" for h in _ORG_REF_HEADERS}, "構成団体": "org_id",
        "構成団体名": "org_id", "地活協": "council_id", "地活協名": "council_id",
        "地域活動協議会名": "council_id"},
    "dispatches": {**{h: "org_id" for h in _ORG_REF_HEADERS}, "派遣先": "org_id",
                   "派遣先団体": "org_id"},
    "resources": {**{h: "provider_id" for h in _ORG_REF_HEADERS},
                  "提供団体名": "provider_id", "名称": "title", "資源名": "title"},
    "awards": {**{h: "org_id" for h in _ORG_REF_HEADERS}, "受賞団体": "org_id",
               "助成団体": "org_id"},
    "talents": {"人材id": "id"},
    "consultations": {**{h: "org_id" for h in _ORG_REF_HEADERS}, "相談団体": "org_id",
                      "相談者": "org_id", "相談日": "date", "受付日": "date",
                      "相談番号": "id", "相談id": "id", "相談窓口": "ward", "受付区": "ward",
                      "相談内容": "description"},
    # aliases.csv (reviewed merges) is not a table of the format, but its headers are read
    # the same way.
    "aliases": {"別名": "alias", "表記": "alias", "名寄せ元": "alias", "団体id": "org_id",
                "団体番号": "org_id", "統合先": "org_id", "統合先id": "org_id"},
}

# Table aliases: file stems or sheet names, NFKC-normalised and lower-cased.
TABLE_ALIASES: dict[str, str] = {
    **{t: t for t in TABLES},
    "団体": "organizations", "団体一覧": "organizations", "organisations": "organizations",
    "イベント": "events", "行事": "events", "交流の場": "events",
    "参加": "participations", "参加記録": "participations",
    "連携": "collaborations", "連携協働": "collaborations", "コラボ": "collaborations",
    "構成団体": "memberships", "会員": "memberships",
    "派遣": "dispatches", "人材派遣": "dispatches",
    "資源": "resources", "資源の提供": "resources",
    "助成・顕彰": "awards", "助成": "awards", "表彰": "awards",
    "人材": "talents", "地域公共人材": "talents",
    "統計": "figures", "集計": "figures",
    "相談": "consultations", "相談記録": "consultations", "相談窓口": "consultations",
}


def _keys(text: str) -> tuple[str, str]:
    """The look-up keys of a header or sheet name: NFKC, lower case, inner whitespace as
    ``_`` (``end date`` = ``end_date``), then with inner whitespace removed (Japanese
    headers spaced out for the eye, ``名　称``, or broken over two lines in Excel)."""
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return "_".join(text.split()), "".join(text.split())


def canonical_column(header: str, table: str | None = None) -> str:
    """Map a column header (English or Japanese alias) to its canonical name.

    With ``table``, that table's own aliases (``TABLE_COLUMN_ALIASES``) are tried first.
    Unknown headers are returned NFKC-normalised and stripped, and are kept as extra attributes.

    >>> canonical_column(" 開催日 ")
    'date'
    >>> canonical_column("ＩＤ"), canonical_column("名　称"), canonical_column("設立\\n年月日")
    ('id', 'name', 'founded')
    >>> canonical_column("団体ID"), canonical_column("団体ID", "participations")
    ('id', 'org_id')
    >>> canonical_column("担当者メモ")
    '担当者メモ'
    """
    specific = TABLE_COLUMN_ALIASES.get(table or "", {})
    for key in _keys(header):
        if key in specific:
            return specific[key]
        if key in COLUMN_ALIASES:
            return COLUMN_ALIASES[key]
    return unicodedata.normalize("NFKC", str(header)).strip()


def header_priority(header: str, canonical: str) -> int:
    """How directly a header names its canonical column, when two headers map to one.

    0: the canonical name itself (``org_id``); 1: an id or number alias (``団体ID``,
    ``団体番号``); 2: a name alias (``団体名``). A participations sheet headed ``org_id, 団体名``
    or ``団体ID, 団体名`` takes the id column as the reference and keeps the names as an extra
    attribute (``ingest.readers``); any other pair (``ID, 番号``) is a ``duplicate_column``.

    >>> header_priority("org_id", "org_id"), header_priority("団体ID", "org_id")
    (0, 1)
    >>> header_priority("団体名", "org_id"), header_priority("イベントＩＤ", "event_id")
    (2, 1)
    """
    key = _keys(header)[1]
    if key == canonical:
        return 0
    if key.endswith(("id", "番号", "コード")):
        return 1
    return 2


def canonical_table(name: str) -> str | None:
    """Map a file stem or sheet name to a table name, or ``None`` when it names no table.

    >>> canonical_table("Organizations")
    'organizations'
    >>> canonical_table("派遣"), canonical_table("団体 一覧")
    ('dispatches', 'organizations')
    >>> canonical_table("notes") is None
    True
    """
    for key in _keys(name):
        if key in TABLE_ALIASES:
            return TABLE_ALIASES[key]
    return None


_DTYPES = {"str": "object", "int": "Int64", "float": "float64", "date": "datetime64[ns]",
           "bool": "bool", "fields": "object", "ids": "object", "enum": "object",
           "fiscal_year": "Int64", "ward": "object", "topics": "object"}


def empty_frame(table: str) -> pd.DataFrame:
    """A 0-row frame with the canonical columns and dtypes of ``table``.

    >>> empty_frame("events").dtypes["date"]
    dtype('<M8[ns]')
    """
    spec = TABLES[table]
    return pd.DataFrame({c.name: pd.Series(dtype=_DTYPES[c.type]) for c in spec.columns})


@dataclass(frozen=True)
class Dataset:
    """A loaded dataset: one normalised DataFrame per table.

    Frames hold the canonical columns (dates as ``datetime64[ns]``, missing as ``NaT``;
    ``fields`` as ``list[int]``; ``org_ids`` as ``list[str]``; ``synthetic`` as bool;
    ``fiscal_year`` as int) plus ``attrs`` (dict of extra columns) and provenance columns
    ``_file``, ``_sheet``, ``_row`` (and ``_batch`` when read from the store). ``city`` is
    the city the dataset declares in ``dataset.json`` ("" = none declared, read as Osaka
    City; see ``ingest.normalise.is_osaka``).

    >>> ds = Dataset({"organizations": empty_frame("organizations")})
    >>> ds.table("events").empty, ds.city
    (True, '')
    """

    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    city: str = ""

    def table(self, name: str) -> pd.DataFrame:
        """The frame for ``name``; an empty frame with the canonical columns when absent."""
        if name not in TABLES:
            raise KeyError(f"unknown table {name!r}; tables are {', '.join(TABLES)}")
        frame = self.tables.get(name)
        return empty_frame(name) if frame is None else frame
