"""Japanese (and other) header and sheet-name aliases, and the look-ups that use them.

A header is mapped to its canonical column (``canonical_column``), a file stem or sheet
name to its table (``canonical_table``); keys are NFKC-normalised and lower-cased.
"""

from __future__ import annotations

import unicodedata

from ingest.schemas.tables import TABLES

__all__ = [
    "COLUMN_ALIASES",
    "TABLE_COLUMN_ALIASES",
    "TABLE_ALIASES",
    "canonical_column",
    "header_priority",
    "canonical_table",
]

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
