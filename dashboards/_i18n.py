"""Screen labels in Japanese (default) and English.

Every visible string of the dashboard comes from :data:`LABELS` through :func:`t`, so the
language switch in the sidebar changes every page at once. The language lives in
``st.session_state["lang"]`` (``"ja"`` or ``"en"``).

Code values (organisation kinds, orientations, wards, NPO fields, outcome statuses) are
translated by :func:`kind_label`, :func:`orientation_label`, :func:`ward_label`,
:func:`field_label` and :func:`status_label`.

>>> t("nav_overview", lang="en")
'Overview'
>>> kind_label("company", lang="ja")
'企業'
>>> ward_label("西淀川区", lang="en")
'Nishiyodogawa'
"""

from __future__ import annotations

from contextvars import ContextVar

import streamlit as st

from dashboards._labels_analysis import ANALYSIS_LABELS
from dashboards._labels_dash import DASH_LABELS
from dashboards._labels_work import WORK_LABELS
from ingest.normalise import ward_in_english
from ingest.schemas import NPO_FIELDS, TABLE_ALIASES
from ingest.vocabulary import NPO_FIELDS_EN

__all__ = [
    "LABELS",
    "LANGS",
    "current_lang",
    "t",
    "kind_label",
    "orientation_label",
    "ward_label",
    "field_label",
    "status_label",
    "role_label",
    "measure_label",
    "sector_label",
    "keyed",
    "in_language",
    "isolation_label",
    "isolation_help",
    "event_kind_label",
    "community_event_label",
    "category_label",
    "table_label",
    "consultation_status_label",
    "resource_kind_label",
]

LANGS = ("ja", "en")

# Set while a widget's format_func runs (see ``keyed``), so labels keep the language the
# widget was drawn in even when Streamlit formats a value later, outside the script run.
_FORCED_LANG: ContextVar[str | None] = ContextVar("tsunagari_lang", default=None)

LABELS: dict[str, tuple[str, str]] = {
    # app, navigation and sidebar
    "nav_overview": ("概要", "Overview"),
    "nav_network": ("ネットワーク", "Network"),
    "nav_connectors": ("つなぎ役と孤立", "Connectors & isolated"),
    "nav_gaps": ("ギャップ", "Gaps"),
    "nav_introductions": ("紹介提案", "Introductions"),
    "nav_growth": ("推移", "Growth"),
    "nav_cases": ("事例", "Collaboration cases"),
    "nav_data": ("データ", "Data"),
    "english": ("English", "English"),
    "scope": ("表示範囲", "Scope"),
    "wards": ("区", "Wards"),
    "kinds": ("団体種別", "Kinds"),
    "fields": ("活動分野", "Fields"),
    "fiscal_year": ("年度", "Fiscal year"),
    "all_years": ("全期間", "All years"),
    "up_to_fy": ("{fy}末までの記録", "Records up to the end of {fy}"),
    "real_only": ("実データのみ（報告書の記録）", "Real records only (from the report)"),
    "all_wards_hint": ("未選択 = すべて", "Empty = all"),
    "store_label": ("データ: {path}（版 {version}）", "Data: {path} (version {version})"),
    "store_missing": (
        "データがまだありません。`tsunagari bootstrap` を実行するか、データのページで取り込んでください。",
        "No data yet. Run `tsunagari bootstrap` or ingest a dataset on the Data page.",
    ),
    "ingest_store_error": (
        "取り込めませんでした（データストアには何も書き込まれていません）: {message}",
        "Nothing was ingested (the store is unchanged): {message}",
    ),
    "store_busy": (
        "データストアが他の処理で使用中です。少し待ってから再読み込みしてください。",
        "The store is busy with another process. Wait a moment and reload.",
    ),
    "computing": ("ネットワークを計算しています（範囲ごとに初回のみ時間がかかります）…",
                  "Computing the network (only the first time for each scope)…"),
    "scope_empty": ("この範囲には団体がありません。表示範囲を広げてください。",
                    "No organisations in this scope. Widen the scope in the sidebar."),
}

_KINDS = {
    "neighbourhood_association": ("町会・自治会", "Neighbourhood association"),
    "council": ("地域活動協議会", "Neighbourhood council"),
    "citizen_group": ("市民活動団体", "Citizen group"),
    "npo": ("NPO法人", "NPO"),
    "company": ("企業", "Company"),
    "public_agency": ("公的機関", "Public agency"),
    "intermediary": ("中間支援組織", "Intermediary"),
    "school": ("学校", "School"),
    "religious": ("社寺・教会", "Religious body"),
    "other": ("その他", "Other"),
}


_ORIENTATIONS = {
    "territorial": ("地縁型", "Territorial"),
    "thematic": ("テーマ型", "Thematic"),
    "": ("未分類", "Unclassified"),
}

_STATUSES = {
    "proposed": ("提案のみ", "Proposed"),
    "introduced": ("紹介した", "Introduced"),
    "declined": ("見送り", "Declined"),
    "partnered": ("連携が始まった", "Partnered"),
}


_FIELDS_EN = NPO_FIELDS_EN  # ingest.vocabulary: one English name per field


def current_lang() -> str:
    """The current language: ``"en"`` when the sidebar switch is on, else ``"ja"``."""
    forced = _FORCED_LANG.get()
    if forced is not None:
        return forced
    try:
        return "en" if st.session_state.get("lang") == "en" else "ja"
    except Exception:  # outside a Streamlit session (doctests, scripts)
        return "ja"


def _pick(pair: tuple[str, str], language: str | None) -> str:
    return pair[1] if (language or current_lang()) == "en" else pair[0]


def t(key: str, *, lang: str | None = None, **values) -> str:
    """The label ``key`` in the current (or given) language, formatted with ``values``.

    >>> t("nodes_drawn", lang="en", n=3, m=2)
    'Showing 3 organisations and 2 ties'
    """
    text = _pick(LABELS[key], lang)
    return text.format(**values) if values else text


def kind_label(kind: str, *, lang: str | None = None) -> str:
    """An organisation kind (``ORG_KINDS``) as people say it; missing → ``—``."""
    if not isinstance(kind, str) or not kind:
        return "—"
    return _pick(_KINDS.get(kind, (str(kind), str(kind))), lang)


def orientation_label(orientation: str | None, *, lang: str | None = None) -> str:
    """``territorial`` → 地縁型 / Territorial; empty → 未分類 / Unclassified."""
    return _pick(_ORIENTATIONS.get(orientation or "", (str(orientation), str(orientation))), lang)


def ward_label(ward: str | None, *, lang: str | None = None) -> str:
    """A ward name; romanised in English (``西淀川区`` → ``Nishiyodogawa``); missing → ``—``.

    >>> ward_label(float("nan"), lang="en"), ward_label(None, lang="ja")
    ('—', '—')
    """
    if not isinstance(ward, str) or not ward:
        return "—"
    if (lang or current_lang()) == "en":
        return ward_in_english(ward)
    return ward


def field_label(number: int, *, lang: str | None = None) -> str:
    """An NPO field number (1–20) with its name.

    >>> field_label(13, lang="ja")
    '13 子どもの健全育成'
    """
    number = int(number)
    name = _FIELDS_EN.get(number) if (lang or current_lang()) == "en" else NPO_FIELDS.get(number)
    return f"{number} {name or ''}".strip()


def status_label(status: str, *, lang: str | None = None) -> str:
    """An introduction outcome status (``OUTCOME_STATUSES``)."""
    return _pick(_STATUSES.get(status, (status, status)), lang)


def role_label(role: str, *, lang: str | None = None) -> str:
    """A Guimerà–Amaral role code (R1–R7) with its name (``graph.measures`` names).

    >>> role_label("R6", lang="en")
    'R6 connector hub'
    """
    from graph.measures import ROLE_NAMES, ROLE_NAMES_JA

    names = ROLE_NAMES if (lang or current_lang()) == "en" else ROLE_NAMES_JA
    return f"{role} {names[role]}" if role in names else str(role or "—")


def measure_label(name: str, *, lang: str | None = None) -> str:
    """A measure column (``degree``, ``betweenness``, …) as shown on screen.

    >>> measure_label("betweenness", lang="ja")
    '媒介中心性'
    """
    key = f"col_{name}"
    return t(key, lang=lang) if key in LABELS else name


def sector_label(sector: str, *, lang: str | None = None) -> str:
    """A sector (``graph.measures.SECTORS`` values) in the current language.

    >>> sector_label("business", lang="ja"), sector_label("business", lang="en")
    ('企業', 'Companies')
    """
    from graph.measures import SECTOR_LABELS_EN, SECTOR_LABELS_JA

    if (lang or current_lang()) == "en":
        text = SECTOR_LABELS_EN.get(sector, str(sector))
        return text[:1].upper() + text[1:]
    return SECTOR_LABELS_JA.get(sector, str(sector))


def keyed(widget, name: str, *args, **kwargs):
    """Call a Streamlit ``widget`` whose option labels depend on the language, keeping its value.

    The widget's key is ``"{name}__{lang}"`` (a widget whose labels changed is a new widget to
    Streamlit); its value is mirrored in ``st.session_state[name]`` and restored when the
    language changes, so switching language keeps every choice. Returns the widget's value.
    """
    language = current_lang()
    key = f"{name}__{language}"
    if "format_func" in kwargs:
        kwargs["format_func"] = in_language(kwargs["format_func"], language)
    if key not in st.session_state and name in st.session_state:
        st.session_state[key] = st.session_state[name]
    if key in st.session_state:
        for default in ("index", "default", "value"):
            kwargs.pop(default, None)
    value = widget(*args, key=key, **kwargs)
    st.session_state[name] = value
    return value


def in_language(func, language: str):
    """``func`` (a label function of one value) always answering in ``language``.

    >>> in_language(kind_label, "en")("company")
    'Company'
    """
    def label(value):
        token = _FORCED_LANG.set(language)
        try:
            return func(value)
        finally:
            _FORCED_LANG.reset(token)

    return label


def isolation_label(kind: str, *, lang: str | None = None) -> str:
    """An isolation kind (``graph.findings.ISOLATION_KINDS``) by name.

    >>> isolation_label("single_partner", lang="ja"), isolation_label("no_ties", lang="en")
    ('相手が1団体だけ', 'No ties')
    """
    from graph.findings import ISOLATION_KINDS

    found = ISOLATION_KINDS.get(kind)
    return _pick((found[1], found[0]), lang) if found else str(kind or "—")


def isolation_help(kind: str, *, lang: str | None = None) -> str:
    """The definition of an isolation kind, for help text.

    >>> isolation_help("no_ties", lang="en")
    'no tie to any organisation in the scope'
    """
    from graph.findings import ISOLATION_KINDS

    found = ISOLATION_KINDS.get(kind)
    return _pick((found[3], found[2]), lang) if found else ""


def event_kind_label(kind: str | None, *, lang: str | None = None) -> str:
    """An event kind (``local_festival``, ``meetup``, …) as people say it.

    >>> event_kind_label("local_festival", lang="ja")
    '地域のまつり'
    """
    from graph.introductions import EVENT_KIND_LABELS

    if not isinstance(kind, str) or not kind:
        return "—"
    return _pick(EVENT_KIND_LABELS.get(kind, (kind, kind)), lang)


_COMMUNITY_EVENTS = {
    "birth": ("誕生", "Birth"), "continuation": ("継続", "Continuation"),
    "growth": ("拡大", "Growth"), "contraction": ("縮小", "Contraction"),
    "merge": ("合流", "Merge"), "split": ("分裂", "Split"), "death": ("消滅", "Death"),
    "resurgence": ("再出現", "Resurgence"),
}


def community_event_label(event: str | None, *, lang: str | None = None) -> str:
    """A community event of ``graph.time`` (``birth``, ``merge``, …) in words.

    >>> community_event_label("birth", lang="ja"), community_event_label("split", lang="en")
    ('誕生', 'Split')
    """
    if not isinstance(event, str) or not event:
        return "—"
    return _pick(_COMMUNITY_EVENTS.get(event, (event, event)), lang)


_CATEGORIES = {"territorial": ("地縁型", "Territorial"), "thematic": ("テーマ型", "Thematic"),
               "total": ("合計", "Total"), "unknown": ("不明", "Unknown"),
               "dispatches": ("人材派遣件数", "Dispatches"),
               "consultations": ("相談件数", "Consultations"),
               "consultation_desks": ("相談窓口の数", "Consultation desks")}


def category_label(code: str | None, *, lang: str | None = None) -> str:
    """A report-series category or metric code (``territorial``, ``total``, …) in words.

    >>> category_label("thematic", lang="ja")
    'テーマ型'
    """
    if not isinstance(code, str) or not code:
        return "—"
    return _pick(_CATEGORIES.get(code, (code, code)), lang)


def table_label(table: str, *, lang: str | None = None) -> str:
    """A table of the record format: its Japanese name (the first Japanese file or sheet
    name it is read under) with the file name, or the file name in English.

    >>> table_label("organizations", lang="ja"), table_label("awards", lang="en")
    ('団体（organizations）', 'awards')
    """
    if (lang or current_lang()) == "en":
        return str(table)
    japanese = next((alias for alias, name in TABLE_ALIASES.items()
                     if name == table and not alias.isascii()), None)
    return f"{japanese}（{table}）" if japanese else str(table)


_CONSULTATION_STATUSES = {"open": ("受付中", "Open"), "answered": ("回答済み", "Answered"),
                          "closed": ("終了", "Closed"), "": ("受付中", "Open")}


def consultation_status_label(status: str | None, *, lang: str | None = None) -> str:
    """A consultation's status (``open``, ``answered``, ``closed``; empty = open) in words.

    >>> consultation_status_label("answered", lang="ja"), consultation_status_label("", lang="en")
    ('回答済み', 'Open')
    """
    if not isinstance(status, str):
        status = ""
    return _pick(_CONSULTATION_STATUSES.get(status, (status, status)), lang)


_RESOURCE_KINDS = {"space": ("場所・スペース", "Space"), "lecturer": ("講師", "Lecturer"),
                   "skills": ("スキル・ノウハウ", "Skills"), "equipment": ("備品・機材", "Equipment")}


def resource_kind_label(kind: str | None, *, lang: str | None = None) -> str:
    """A resource offer's kind (``space``, ``lecturer``, ``skills``, or the records' own words
    such as 情報) as people say it.

    >>> resource_kind_label("space", lang="ja"), resource_kind_label("情報", lang="ja")
    ('場所・スペース', '情報')
    """
    if not isinstance(kind, str) or not kind:
        return "—"
    return _pick(_RESOURCE_KINDS.get(kind, (kind, kind)), lang)


# Page labels live beside this module, one dictionary per group of pages.
LABELS.update(ANALYSIS_LABELS)
LABELS.update(WORK_LABELS)
LABELS.update(DASH_LABELS)
