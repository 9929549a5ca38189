"""Reading one CSV file into a ``RawTable``: encoding, parsing, and every reason it fails.

``read_csv_table`` refuses UTF-16, binary data, unknown encodings, a file that is not
comma-separated, unbalanced quotes and ragged rows, each as a failure row naming the file
(and the row when there is one); it never raises for bad content.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ingest import guard
from ingest.normalise import nfkc
from ingest.readers.encodings import cp932_problem, detect_encoding, first_bad_row
from ingest.readers.raw import finish_frame, read_failure

__all__ = ["read_csv_table"]

_BINARY_SNIFF = 8192
_STR = pd.StringDtype("pyarrow", na_value=np.nan)
_PARSED = 0.5  # share of a file's progress reached once it is parsed


def _parse_csv(data: bytes) -> pd.DataFrame:
    """Parse UTF-8 CSV bytes into a frame of strings, header row taken as written.

    The fast path is pyarrow's CSV reader (every column typed as text, empty cells kept as
    ""), its chunks combined once so later arrow kernels see contiguous arrays. Files it
    cannot take (blank lines, which it would skip and so shift row numbers; ragged rows; a
    row longer than its block) go through pandas' C parser. No step copies ``data``.
    """
    newline = data.find(b"\n")
    first = (data if newline < 0 else data[:newline]).decode("utf-8")
    header = next(csv.reader([first]), [])
    quoted = data.find(b'"') >= 0
    end = len(data)
    while end and data[end - 1] in b"\r\n":
        end -= 1
    blank_lines = data.find(b"\n\n", 0, end) >= 0 or data.find(b"\n\r\n", 0, end) >= 0
    if header and not blank_lines and '"' not in first:
        names = [f"c{i}" for i in range(len(header))]
        try:
            table = pacsv.read_csv(
                io.BytesIO(data),
                # One thread: as fast per CPU second as pandas' C parser, and on a shared
                # machine (the usual case) the parse threads only wait for each other.
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1,
                                               use_threads=False),
                parse_options=pacsv.ParseOptions(newlines_in_values=quoted),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names},
                    strings_can_be_null=False, quoted_strings_can_be_null=False))
        except pa.ArrowInvalid:
            pass
        else:
            mapper = {pa.string(): _STR, pa.large_string(): _STR}.get
            frame = table.combine_chunks().to_pandas(types_mapper=mapper)
            frame.columns = header
            return frame
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8", dtype=str, na_filter=False,
                        skip_blank_lines=False, header=None)
    if frame.empty:
        raise pd.errors.EmptyDataError("no header row")
    names = [str(v) for v in frame.iloc[0].tolist()]
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = names
    return frame


def _skip_empty_lines(data: bytes) -> tuple[int, bytes]:
    """Drop the empty lines before the header: blank, or only commas (Excel writes a sheet
    whose table starts on row 3 as ``,,`` lines). Returns how many were dropped and the
    rest; ``data`` is copied only when there is something to drop.

    >>> _skip_empty_lines(b",,\\r\\n\\nid,name\\n")
    (2, b'id,name\\n')
    >>> _skip_empty_lines(b"id,name\\n")
    (0, b'id,name\\n')
    """
    skipped, start = 0, 0
    while True:
        end = data.find(b"\n", start)
        line = data[start:] if end < 0 else data[start:end]
        if end < 0 or line.strip(b" \t\r,"):
            break
        skipped, start = skipped + 1, end + 1
    return skipped, (data[start:] if start else data)


def _other_separator(frame: pd.DataFrame) -> str:
    """``"tabs"`` or ``"semicolons"`` when the header is one column split by those (a TSV
    file, or a CSV from a locale that uses ``;``), else ``""``."""
    if len(frame.columns) != 1:
        return ""
    header = str(frame.columns[0])
    for char, name in (("\t", "tabs"), (";", "semicolons")):
        if char in header:
            return name
    return ""


def _bad_csv_row(message: str) -> int | None:
    """The spreadsheet row a pandas parser error points at, when it names one.

    pandas (``header=None``, blank lines kept) counts records: "line N" is 1-based (the
    header is line 1), "row N" is 0-based (the header is row 0).

    >>> _bad_csv_row("Error tokenizing data. C error: Expected 3 fields in line 5, saw 4")
    5
    >>> _bad_csv_row("Error tokenizing data. C error: EOF inside string starting at row 1")
    2
    >>> _bad_csv_row("something else") is None
    True
    """
    match = re.search(r"\bline (\d+)\b", message)
    if match:
        return int(match.group(1))
    match = re.search(r"\bat row (\d+)\b", message)
    if match:
        return int(match.group(1)) + 1
    return None


def read_csv_table(path: str | Path, table: str, *, display: str | None = None,
                   advance=None):
    """Read one CSV file as table ``table``; returns ``(RawTable or None, failures)``.

    ``advance(fraction)``, when given, is called as the file is worked through (fraction of
    the file done, 0–1: half after parsing, the rest column by column), for progress bars.

    >>> import tempfile, pathlib
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
    >>> _ = file.write_bytes(b"\\xef\\xbb\\xbfid,name,date\\nE1, Forum ,2019-02-17\\n")
    >>> raw, failures = read_csv_table(file, "events")
    >>> raw.encoding, raw.frame.loc[0, "name"], failures
    ('utf-8-sig', 'Forum', [])
    """
    path = Path(path)
    display = display or path.name
    failures: list[dict] = []
    too_large = guard.check_csv(path, None, display)
    if too_large:
        return None, too_large
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [read_failure(display, code="path_not_found", message=f"cannot read: {exc}")]
    too_large = guard.check_csv(path, data, display)
    if too_large:
        return None, too_large
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text" is UTF-16
        return None, [read_failure(display, code="wrong_encoding",
                               message="wrong encoding: the file is UTF-16 (Excel's "
                                       "\"Unicode text\"); save it as CSV UTF-8")]
    if b"\0" in data[:_BINARY_SNIFF]:
        return None, [read_failure(display, code="not_csv",
                               message="not a CSV file: the file holds binary data")]
    encoding = detect_encoding(data)
    if encoding is None:
        return None, [read_failure(display, row=first_bad_row(data), code="wrong_encoding",
                               message="wrong encoding: the file is neither UTF-8 (with or "
                                       "without BOM) nor CP932/Shift_JIS; save it as UTF-8")]
    if encoding == "utf-8-sig":
        data = data[3:]
    elif encoding == "cp932":
        text = data.decode("cp932")
        problem = cp932_problem(data, text)
        if problem is not None:
            return None, [read_failure(display, row=problem[0], code="wrong_encoding",
                                   message=problem[1])]
        data = text.encode("utf-8")
    if b"\r" in data and b"\n" not in data:  # old Mac line endings (Excel "CSV (Macintosh)")
        data = data.replace(b"\r", b"\n")
    skipped, data = _skip_empty_lines(data)
    if not data or data.isspace():
        return None, [read_failure(display, code="empty_file",
                               message="empty file: no header row")]
    try:
        frame = _parse_csv(data)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
        message = nfkc(str(exc))
        row = _bad_csv_row(message)
        row = None if row is None else row + skipped
        fields = re.search(r"Expected (\d+) fields in line \d+, saw (\d+)", message)
        if fields:
            message = (f"row {row} has {fields.group(2)} cells but the header only "
                       f"{fields.group(1)}")
        elif row is not None and "EOF inside string" in message:
            message = f"a quoted cell opened on row {row} is never closed (unbalanced quotes)"
        return None, [read_failure(display, row=row, code="bad_csv",
                               message=f"not a readable CSV file: {message}")]
    long_cell = _long_cell(frame, len(data), skipped)
    if long_cell is not None:
        return None, [read_failure(display, row=long_cell[1], column=long_cell[0],
                               code="too_large",
                               message=f"a cell of {long_cell[2]:,} characters; at most "
                                       f"{guard.MAX_CSV_CELL_CHARS:,} are read")]
    separator = _other_separator(frame)
    if separator:
        return None, [read_failure(display, row=skipped + 1, code="bad_csv",
                               message=f"not a comma-separated file: the header is separated "
                                       f"by {separator}; save it as CSV (comma-separated)")]
    if advance is not None:
        advance(_PARSED)
    rows = np.arange(skipped + 2, skipped + len(frame) + 2, dtype=np.int64)
    step = None if advance is None else (lambda done: advance(_PARSED + (1 - _PARSED) * done))
    raw = finish_frame(table, display, "", frame, rows, encoding, failures, step,
                        header_row=skipped + 1)
    if advance is not None:
        advance(1.0)
    return raw, failures


def _long_cell(frame: pd.DataFrame, size: int, skipped: int):
    """``(column, row, length)`` of the first cell over ``guard.MAX_CSV_CELL_CHARS``, else
    None (no look at all when the whole file is shorter than that)."""
    cap = guard.MAX_CSV_CELL_CHARS
    if size <= cap:
        return None
    for column in frame.columns:
        lengths = frame[column].str.len()
        if lengths.max() > cap:
            position = int(np.argmax(lengths.to_numpy(dtype="float64", na_value=0) > cap))
            return str(column), position + skipped + 2, int(lengths.iloc[position])
    return None
