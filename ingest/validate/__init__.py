"""Typing and checking raw tables, collecting every problem at once.

Each table read by ``ingest.readers`` is typed column by column (dates, numbers, enums,
wards, NPO fields, fiscal years) with vectorised pandas operations; only the rows that fail
are visited one by one to write their messages. Every failure is a row of a table with the
columns ``file, sheet, row, column, code, message`` (``FAILURE_COLUMNS``); rows are
spreadsheet rows (the header is row 1, the first record row 2) and ``column`` is the header
as written in the file.

Failure codes (``FAILURE_CODES``): reading problems from ``ingest.readers`` plus
``missing_table``, ``missing_column``, ``empty_value``, ``unknown_kind``,
``unknown_orientation``, ``unknown_field``, ``unknown_ward``, ``bad_date``, ``future_date``,
``date_order``, ``bad_number``, ``bad_bool``, ``bad_fiscal_year``, ``negative_value``,
``duplicate_id``, ``unknown_reference``, ``too_few_orgs``, ``alias_cycle``,
``not_pseudonymous``, ``unknown_topic``, ``unknown_status``.

What lives where:

* :mod:`ingest.validate.failures` — :class:`Failures`, :class:`IngestError`,
  :data:`FAILURE_COLUMNS`, :data:`FAILURE_CODES`, :func:`format_failures`,
  :func:`write_report`;
* :mod:`ingest.validate.tables` — :func:`check_tables` (:class:`Checked`),
  :data:`KIND_ALIASES`, :data:`ORIENTATION_ALIASES`;
* :mod:`ingest.validate.date_columns` — :func:`parse_date_column`;
* :mod:`ingest.validate.record_checks` — :func:`check_duplicates`,
  :func:`check_collaborations` (after name resolution);
* :mod:`ingest.validate.extra_columns` — :func:`pack_attrs`, :func:`attrs_json`.

Examples
--------
>>> failures = Failures()
>>> failures.add("organizations.csv", "", 3, "種別", "unknown_kind", "'xyz' is not a kind")
>>> err = IngestError(failures.frame())
>>> print(err)
1 problem:
  organizations.csv row 3, column 種別: unknown_kind: 'xyz' is not a kind
"""

from ingest.validate.date_columns import parse_date_column
from ingest.validate.extra_columns import attrs_json, pack_attrs
from ingest.validate.failures import (
    FAILURE_CODES,
    FAILURE_COLUMNS,
    Failures,
    IngestError,
    format_failures,
    write_report,
)
from ingest.validate.record_checks import check_collaborations, check_duplicates
from ingest.validate.tables import KIND_ALIASES, ORIENTATION_ALIASES, Checked, check_tables

__all__ = [
    "FAILURE_COLUMNS",
    "FAILURE_CODES",
    "KIND_ALIASES",
    "ORIENTATION_ALIASES",
    "IngestError",
    "Failures",
    "Checked",
    "format_failures",
    "write_report",
    "parse_date_column",
    "check_tables",
    "check_collaborations",
    "check_duplicates",
    "pack_attrs",
    "attrs_json",
]
