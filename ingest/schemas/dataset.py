"""The in-memory dataset: ``Dataset`` (one frame per table) and ``empty_frame``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from ingest.schemas.tables import TABLES

__all__ = ["empty_frame", "Dataset"]

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
