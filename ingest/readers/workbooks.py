"""Reading an XLSX workbook: one sheet per table, plus the ``aliases`` and ``dataset`` sheets.

Sheets are read in openpyxl's read-only mode after ``ingest.guard.check_xlsx`` has
checked the file (zip bombs, DTDs, damaged parts, caps). Empty rows above the header are
skipped (rows keep their spreadsheet numbers) and vertically merged cells are filled down.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ingest import guard
from ingest.normalise import nfkc
from ingest.readers.raw import META_SHEETS, RawDataset, finish_frame, read_failure
from ingest.schemas import canonical_table

__all__ = ["read_xlsx_tables"]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _column_number(letters: bytes) -> int:
    """``b"A"`` → 1, ``b"AB"`` → 28."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _merged_ranges(sheet) -> set[tuple[int, int, int, int]]:
    """``(first_row, first_column, last_row, last_column)`` of each merged range of a
    read-only sheet, found in the sheet's XML (read-only sheets do not parse them)."""
    opener = getattr(sheet, "_get_source", None)
    if opener is None:
        return set()
    found: set[tuple[int, int, int, int]] = set()
    tail = b""
    with opener() as source:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            data = tail + chunk
            for match in _MERGE_RE.finditer(data):
                c1, r1, c2, r2 = match.groups()
                found.add((int(r1), _column_number(c1), int(r2), _column_number(c2)))
            tail = data[-256:]
    return found


def _fill_merged(rows: list, ranges) -> None:
    """Give every row a vertically merged range spans the value of its first row.

    Excel shows one value down the whole range (one kind for three organisations), but
    stores it in the first cell only. The value belongs to the range's first column;
    cells to its right inside the range stay empty (a title merged across columns is one
    value, not one per column). ``rows`` holds lists of text, row 1 first."""
    for first_row, column, last_row, _ in sorted(ranges):
        if first_row > len(rows) or column > len(rows[first_row - 1]):
            continue
        value = rows[first_row - 1][column - 1]
        for row in rows[first_row:min(last_row, len(rows))]:
            row.extend([""] * (column - len(row)))
            if row[column - 1] == "":
                row[column - 1] = value


def _extent(row) -> int:
    """How many cells of ``row`` count: up to its last non-empty one."""
    width = len(row)
    while width and row[width - 1] == "":
        width -= 1
    return width


def _sheet_frame(sheet) -> tuple[pd.DataFrame, np.ndarray, int] | None:
    """A sheet as a frame of text, its records' rows and its header row.

    The header is the first row with a value (empty rows above it are skipped; rows keep
    their spreadsheet numbers). Vertically merged cells are filled down (``_fill_merged``).
    Columns run to the last one holding a header or a value; a column with values but no
    header is kept (as ``_colN``, an extra attribute) rather than dropped. ``None`` when
    the sheet holds nothing."""
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    start = next((i for i, row in enumerate(rows) if _extent(row)), None)
    if start is None:
        return None
    ranges = _merged_ranges(sheet)
    if ranges:
        _fill_merged(rows, ranges)
    header, body = rows[start], rows[start + 1:]
    width = max([_extent(header)] + [_extent(row) for row in body])
    names = header[:width] + [""] * (width - len(header))
    body = [tuple(row[:width]) + ("",) * (width - len(row)) for row in body]
    frame = pd.DataFrame(body, columns=names, dtype="str") if body else \
        pd.DataFrame({n: pd.Series(dtype="str") for n in names})
    first = start + 2
    return frame, np.arange(first, first + len(frame), dtype=np.int64), start + 1


def read_xlsx_tables(path: str | Path, *, display: str | None = None) -> RawDataset:
    """Read every sheet of a workbook; sheets are matched to tables by name.

    >>> import tempfile, pathlib, openpyxl
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "osaka.xlsx"
    >>> book = openpyxl.Workbook(); sheet = book.active; sheet.title = "団体"
    >>> sheet.append(["id", "団体名", "種別"]); sheet.append(["R-O1", "ReBORN", "npo"])
    >>> book.save(file)
    >>> raw = read_xlsx_tables(file)
    >>> raw.tables["organizations"][0].sheet, raw.tables["organizations"][0].rows.tolist()
    ('団体', [2])
    """
    import openpyxl

    path = Path(path)
    display = display or path.name
    raw = RawDataset(root=path, kind="xlsx")
    refused = guard.check_xlsx(path, display)  # zip bombs, DTDs, damaged parts, caps
    if refused:
        raw.failures.extend(refused)
        return raw
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any parse error of an untrusted file
        raw.failures.append(read_failure(display, code="not_xlsx",
                                     message="not a readable XLSX workbook (its structure or "
                                             f"styles cannot be read: {type(exc).__name__}: "
                                             f"{str(exc)[:200]})"))
        return raw
    try:
        _read_sheets(book, raw, display)
    finally:
        book.close()
    return raw


def _read_sheets(book, raw: RawDataset, display: str) -> None:
    """Read every sheet of an open read-only workbook into ``raw``."""
    for sheet in book.worksheets:
        try:
            _read_sheet(sheet, raw, display)
        except Exception as exc:  # noqa: BLE001 - any parse error of an untrusted file
            raw.failures.append(read_failure(display, sheet.title, code="not_xlsx",
                                         message=f"sheet {sheet.title!r} cannot be read "
                                                 f"({type(exc).__name__}: {str(exc)[:200]})"))


def _read_sheet(sheet, raw: RawDataset, display: str) -> None:
    """Read one sheet (a table, the aliases or the dataset metadata) into ``raw``."""
    name = sheet.title.strip()  # as written, for messages and provenance
    meta = META_SHEETS.get(nfkc(name).lower())
    table = canonical_table(name)
    if meta is None and table is None:
        raw.notes.append(f"{display}: sheet {name!r} is not a table; ignored")
        raw.ignored.append(f"sheet {name!r} (not a table name)")
        return
    # The dimension a file declares is not trusted: a claimed A1:XFD1048576 would make
    # openpyxl pad every row to 16,384 cells. Rows and cells are read as they are stored.
    sheet.reset_dimensions()
    read = _sheet_frame(sheet)
    if read is None:
        if table is not None:
            raw.failures.append(read_failure(display, name, None, "", "empty_file",
                                         f"sheet {name!r} is empty: no header row"))
        return
    frame, rows, header_row = read
    if meta == "dataset":
        raw.meta.update(_key_value_meta(frame, display, name, raw.failures))
        return
    target = "aliases" if meta == "aliases" else table
    table_raw = finish_frame(target, display, name, frame, rows, "xlsx", raw.failures,
                              header_row=header_row)
    if table_raw is None:
        return
    if meta == "aliases":
        raw.aliases = table_raw
    else:
        raw.tables.setdefault(table, []).append(table_raw)


def _key_value_meta(frame: pd.DataFrame, file: str, sheet: str, failures: list) -> dict:
    """Key/value rows of a ``dataset`` sheet (the header row counts as one pair too); a key
    without a value (a sheet one column wide) has the value ""."""
    rows = [tuple(frame.columns)] + [tuple(r) for r in frame.itertuples(index=False)]
    pairs = [(tuple(row) + ("", ""))[:2] for row in rows]
    meta = {}
    for key, value in pairs:
        key = nfkc(key).lower()
        if key and len(str(key)) and not key.startswith("unnamed"):
            meta[key] = nfkc(value)
    return meta
