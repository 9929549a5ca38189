"""The record format: tables, columns, value sets and Japanese header aliases.

This package is the single source of truth for what a Tsunagari dataset looks like. Readers,
validation, the store, the synthetic generator and the graph builder all read these specs;
``docs/data-format.md`` documents them for people.

A dataset is a folder of CSV files (``organizations.csv``, ``events.csv``, ...) or one XLSX
workbook with one sheet per table. Only ``organizations`` is required.

What lives where:

* :mod:`ingest.schemas.value_sets` — :data:`ORG_KINDS`, :data:`ORIENTATIONS`,
  :data:`OUTCOME_STATUSES`, :data:`WARDS`, :data:`NPO_FIELDS`;
* :mod:`ingest.schemas.tables` — :class:`Column`, :class:`TableSpec`, :data:`TABLES`,
  :data:`TABLE_ORDER`;
* :mod:`ingest.schemas.headers` — :data:`COLUMN_ALIASES`, :data:`TABLE_COLUMN_ALIASES`,
  :data:`TABLE_ALIASES`, :func:`canonical_column`, :func:`header_priority`,
  :func:`canonical_table`;
* :mod:`ingest.schemas.dataset` — :class:`Dataset`, :func:`empty_frame`.

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

from ingest.schemas.dataset import Dataset, empty_frame
from ingest.schemas.headers import (
    COLUMN_ALIASES,
    TABLE_ALIASES,
    TABLE_COLUMN_ALIASES,
    canonical_column,
    canonical_table,
    header_priority,
)
from ingest.schemas.tables import TABLE_ORDER, TABLES, Column, TableSpec
from ingest.schemas.value_sets import NPO_FIELDS, ORG_KINDS, ORIENTATIONS, OUTCOME_STATUSES, WARDS

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
