"""The raw tables read from a dataset, before any typing: ``RawTable``, ``RawDataset``.

``finish_frame`` turns a parsed frame of text (from a CSV file or a sheet) into a
``RawTable``: canonical headers, all-empty records dropped, every cell normalised
(``ingest.readers.text.normalise_text``). ``read_failure`` is the failure row every reader
reports a problem with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ingest.normalise import nfkc
from ingest.readers.text import arrow_strings, normalise_text
from ingest.schemas import canonical_column, header_priority

__all__ = [
    "RawTable",
    "RawDataset",
    "READ_FAILURE_CODES",
    "RESERVED_COLUMNS",
    "META_SHEETS",
    "read_failure",
    "finish_frame",
]

READ_FAILURE_CODES: tuple[str, ...] = (
    "path_not_found", "not_csv", "not_xlsx", "empty_file", "wrong_encoding", "bad_csv",
    "duplicate_column", "bad_metadata", "no_tables", "too_large", "bad_file_name",
)

# Sheet names (and, for aliases, file stems) of the dataset's metadata and reviewed merges.
META_SHEETS = {"dataset": "dataset", "aliases": "aliases", "別名": "aliases", "名寄せ": "aliases"}
# Provenance columns every stored record gets: a file may not use their names.
RESERVED_COLUMNS = ("_file", "_sheet", "_row", "_batch", "_ingested_at")


@dataclass
class RawTable:
    """One table as read from one CSV file or one XLSX sheet.

    ``frame`` holds normalised strings under canonical column names (unknown headers are kept,
    NFKC-normalised); ``headers`` maps each canonical name to the header as written;
    ``rows`` holds the spreadsheet row of each record; ``header_row`` is the row of the
    header (1, or later when the file starts with empty rows).
    """

    table: str
    file: str
    sheet: str
    frame: pd.DataFrame
    headers: dict[str, str]
    rows: np.ndarray
    encoding: str = ""
    header_row: int = 1


@dataclass
class RawDataset:
    """Everything read from one dataset path."""

    root: Path
    kind: str
    tables: dict[str, list[RawTable]] = field(default_factory=dict)
    aliases: RawTable | None = None
    meta: dict = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # files and sheets not named as tables


def read_failure(file, sheet="", row=None, column="", code="", message=""):
    """One failure row (``file, sheet, row, column, code, message``) of a reading problem.

    >>> read_failure("a.csv", code="empty_file", message="empty file")["code"]
    'empty_file'
    """
    return {"file": file, "sheet": sheet, "row": row, "column": column, "code": code,
            "message": message}


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty (no bytes): first the first column's empty cells,
    then only those rows in the other columns."""
    candidates = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        lengths = pc.fill_null(pc.binary_length(arrow_strings(frame[column])), 0)
        candidates &= lengths.to_numpy(zero_copy_only=False) == 0
        if not candidates.any():
            break
    return candidates


def finish_frame(table, file, sheet, frame, rows, encoding, failures,
                  advance=None, header_row: int = 1) -> RawTable | None:
    """Canonical headers, drop all-empty records, normalise every cell.

    ``source`` citations are only trimmed (no NFKC: ② stays ②). A column without a header
    is kept as ``_colN`` (N its position) when it holds any value. ``advance(fraction)`` is
    called after each column with the share of the columns done so far.

    >>> frame = pd.DataFrame({"団体名": ["ＡＢ "], "": [""]})
    >>> raw = finish_frame("organizations", "o.csv", "", frame, np.array([2]), "utf-8", [])
    >>> raw.frame.columns.tolist(), raw.frame["name"].tolist(), raw.headers
    (['name'], ['AB'], {'name': '団体名'})
    """
    headers: dict[str, str] = {}
    columns = []
    originals = [nfkc(h) for h in frame.columns]
    originals = ["" if not o or o.startswith("Unnamed:") else o for o in originals]
    mapped = [canonical_column(o, table) if o else f"_col{i + 1}"
              for i, o in enumerate(originals)]
    for position, header in enumerate(frame.columns):
        original = originals[position]
        # Messages show the header as written (whitespace collapsed, widths untouched), so
        # that a person finds it in the file.
        written = " ".join(str(header).split()) if original else ""
        canonical = mapped[position]
        rivals = [header_priority(originals[i], canonical)
                  for i, other in enumerate(mapped) if other == canonical and i != position]
        if rivals and header_priority(original, canonical) == 2 and min(rivals) < 2:
            canonical = original  # 団体名 beside org_id / 団体ID: the names stay an attribute
        if canonical in RESERVED_COLUMNS:
            failures.append(read_failure(file, sheet, header_row, written, "duplicate_column",
                                     f"column {written!r} has the name of a column Tsunagari "
                                     f"adds ({', '.join(RESERVED_COLUMNS)}); rename it"))
            return None
        if canonical in headers:
            failures.append(read_failure(file, sheet, header_row, written, "duplicate_column",
                                     f"columns {headers[canonical]!r} and {written!r} both "
                                     f"mean {canonical!r}; keep one of them"))
            return None
        headers[canonical] = written
        columns.append(canonical)
    frame = frame.copy(deep=False)
    frame.columns = columns
    frame = frame.drop(columns=[c for c in columns if c.startswith("_col")
                                and (frame[c].astype("str") == "").all()])
    headers = {c: h for c, h in headers.items() if c in frame.columns}
    for position, column in enumerate(frame.columns):
        frame[column] = normalise_text(frame[column], nfkc_form=column != "source")
        if advance is not None:
            advance((position + 1) / len(frame.columns))
    if len(frame.columns):
        blank = _blank_rows(frame)
        if blank.any():
            frame = frame.loc[~blank]
            rows = rows[~blank]
    frame = frame.reset_index(drop=True)
    return RawTable(table, file, sheet, frame, headers, np.asarray(rows, dtype=np.int64),
                    encoding, header_row)
