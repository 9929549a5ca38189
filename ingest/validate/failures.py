"""The failure table: every problem of a dataset as a row naming file, sheet, row, column.

``Failures`` collects the rows, ``IngestError`` carries them to the caller,
``format_failures`` prints them and ``write_report`` saves them as CSV.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ingest.cells import escape_spreadsheet_cell
from ingest.readers import READ_FAILURE_CODES

__all__ = [
    "FAILURE_COLUMNS",
    "FAILURE_CODES",
    "IngestError",
    "Failures",
    "format_failures",
    "write_report",
]

FAILURE_COLUMNS: tuple[str, ...] = ("file", "sheet", "row", "column", "code", "message")

FAILURE_CODES: tuple[str, ...] = READ_FAILURE_CODES + (
    "missing_table", "missing_column", "empty_value", "unknown_kind", "unknown_orientation",
    "unknown_field", "unknown_ward", "bad_date", "future_date", "date_order", "bad_number",
    "bad_bool", "bad_fiscal_year", "negative_value", "duplicate_id", "unknown_reference",
    "too_few_orgs", "alias_cycle", "not_pseudonymous", "unknown_topic", "unknown_status",
)


class IngestError(ValueError):
    """A dataset failed to read or validate; ``failures`` lists every problem.

    ``failures`` is a DataFrame with the columns ``FAILURE_COLUMNS``.
    """

    __module__ = "ingest.validate"  # the name callers import, shown in tracebacks

    def __init__(self, failures: pd.DataFrame, *, path: str | Path | None = None):
        self.failures = failures
        self.path = None if path is None else str(path)
        super().__init__(format_failures(failures))

    def __str__(self) -> str:
        return format_failures(self.failures)


def _location(record) -> str:
    parts = [str(record["file"])]
    if record["sheet"]:
        parts.append(f"sheet {record['sheet']}")
    if not pd.isna(record["row"]):
        parts.append(f"row {int(record['row'])}")
    where = ", ".join(parts[1:])
    text = parts[0] + (" " + where if where else "")
    if record["column"]:
        text += f", column {record['column']}"
    return text


def format_failures(failures: pd.DataFrame, *, limit: int | None = None) -> str:
    """A readable report: one line per problem naming file, sheet, row and column.

    >>> frame = pd.DataFrame([{"file": "events.csv", "sheet": "", "row": 4, "column": "date",
    ...                        "code": "bad_date", "message": "'x' is not a date"}])
    >>> print(format_failures(frame))
    1 problem:
      events.csv row 4, column date: bad_date: 'x' is not a date
    """
    count = len(failures)
    lines = [f"{count} problem{'s' if count != 1 else ''}:"]
    shown = failures if limit is None else failures.head(limit)
    for record in shown.to_dict("records"):
        lines.append(f"  {_location(record)}: {record['code']}: {record['message']}")
    if limit is not None and count > limit:
        lines.append(f"  … and {count - limit} more (write them all with --report FILE.csv)")
    return "\n".join(lines)


def write_report(failures: pd.DataFrame, path: str | Path) -> Path:
    """Write the failure table as UTF-8 (with BOM, for Excel) CSV, formula cells escaped.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.csv"
    >>> frame = pd.DataFrame([{"file": "a.csv", "sheet": "", "row": 2, "column": "name",
    ...                        "code": "empty_value", "message": "=cmd"}])
    >>> _ = write_report(frame, out)
    >>> out.read_text(encoding="utf-8-sig").splitlines()[1]
    "a.csv,,2,name,empty_value,'=cmd"
    """
    path = Path(path)
    safe = failures.loc[:, list(FAILURE_COLUMNS)].copy()
    for column in ("file", "sheet", "column", "code", "message"):
        safe[column] = safe[column].astype(object).map(escape_spreadsheet_cell)
    safe.to_csv(path, index=False, encoding="utf-8-sig")
    return path


class Failures:
    """Collects failure rows; ``frame()`` gives them as a sorted DataFrame.

    >>> f = Failures(); f.add("a.csv", "", 2, "id", "empty_value", "id is empty")
    >>> len(f), f.frame().loc[0, "code"]
    (1, 'empty_value')
    """

    def __init__(self, records: list[dict] | None = None):
        self._records: list[dict] = list(records or [])
        self._frames: list[pd.DataFrame] = []

    def add(self, file, sheet, row, column, code, message) -> None:
        """Add one failure."""
        self._records.append({"file": file, "sheet": sheet, "row": row, "column": column,
                              "code": code, "message": message})

    def add_rows(self, frame: pd.DataFrame, mask, column: str, code: str, messages,
                 headers: dict | None = None) -> None:
        """Add one failure per row of ``frame[mask]`` (provenance from ``_file/_sheet/_row``).

        ``messages`` is a string or a Series aligned with ``frame``; ``column`` is the
        canonical column, shown as the header the file used (``headers[(file, sheet)]``).
        """
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        failed = frame.loc[mask, ["_file", "_sheet", "_row"]]
        if isinstance(messages, pd.Series):
            texts = messages[mask].astype(object).to_numpy()
        else:
            texts = np.full(len(failed), messages, dtype=object)
        shown = [_display(headers, f, s, column) for f, s in
                 zip(failed["_file"].to_numpy(), failed["_sheet"].to_numpy())]
        self._frames.append(pd.DataFrame({
            "file": failed["_file"].astype(object).to_numpy(),
            "sheet": failed["_sheet"].astype(object).to_numpy(),
            "row": failed["_row"].to_numpy(), "column": shown, "code": code,
            "message": texts,
        }))

    def __len__(self) -> int:
        return len(self._records) + sum(len(f) for f in self._frames)

    def frame(self) -> pd.DataFrame:
        """All failures, sorted by file, sheet, row (table-level problems first)."""
        parts = [pd.DataFrame(self._records, columns=list(FAILURE_COLUMNS))] + self._frames
        parts = [p for p in parts if len(p)]
        if not parts:
            out = pd.DataFrame({c: pd.Series(dtype=object) for c in FAILURE_COLUMNS})
            out["row"] = out["row"].astype("Int64")
            return out
        out = pd.concat(parts, ignore_index=True)
        out["row"] = pd.array(pd.to_numeric(out["row"], errors="coerce"), dtype="Int64")
        for column in ("file", "sheet", "column", "code", "message"):
            out[column] = out[column].fillna("").astype(object)
        out["_order"] = np.arange(len(out))
        out = out.sort_values(["file", "sheet", "row", "_order"], na_position="first",
                              kind="stable")
        return out.drop(columns="_order").reset_index(drop=True)


def _display(headers, file, sheet, column) -> str:
    if headers is None:
        return column
    return headers.get((file, sheet), {}).get(column, column)
