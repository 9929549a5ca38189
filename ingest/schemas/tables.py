"""The tables of the record format: ``Column``, ``TableSpec`` and ``TABLES``."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.schemas.value_sets import ORG_KINDS, ORIENTATIONS

__all__ = ["Column", "TableSpec", "TABLES", "TABLE_ORDER"]


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
