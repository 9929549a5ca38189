"""Reading dataset files into raw string frames, with their provenance.

A dataset is a folder of CSV files named after the tables (or their Japanese aliases, see
``ingest.schemas.TABLE_ALIASES``), a single CSV file named after a table, or one XLSX
workbook with one sheet per table. A folder may also hold ``aliases.csv`` (reviewed name
merges, columns ``alias,org_id``) and ``dataset.json`` (``{"name": ..., "city": ...}``); a
workbook may hold sheets named ``aliases`` and ``dataset`` (key/value rows).

Everything read here is text: each cell becomes a string, NFKC-normalised with whitespace
trimmed and collapsed (``normalise_text``); ``source`` citations are only trimmed and
collapsed, never NFKC-rewritten (② stays ②). Typing and checking happen in
``ingest.validate``. Reading problems (missing path, binary file, wrong encoding, empty file)
are collected as failure rows, never raised one at a time.

CSV encodings are detected from the bytes, not the file name: a UTF-8 byte-order mark, else
a strict UTF-8 decode, else a strict CP932 (Shift_JIS) decode, else a ``wrong_encoding``
failure naming the file.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "団体.csv").write_bytes("id,団体名,種別\\nR-O1,ＲｅＢＯＲＮ ,npo\\n".encode("cp932"))
>>> raw = read_dataset_files(folder)
>>> table = raw.tables["organizations"][0]
>>> table.encoding, table.frame["name"].tolist(), table.rows.tolist()
('cp932', ['ReBORN'], [2])
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ingest.normalise import nfkc
from ingest.schemas import canonical_column, canonical_table

__all__ = [
    "RawTable",
    "RawDataset",
    "READ_FAILURE_CODES",
    "dataset_files",
    "dataset_hash",
    "detect_encoding",
    "arrow_strings",
    "normalise_text",
    "read_csv_table",
    "read_xlsx_tables",
    "read_dataset_files",
    "progress",
]

READ_FAILURE_CODES: tuple[str, ...] = (
    "path_not_found", "not_csv", "not_xlsx", "empty_file", "wrong_encoding", "bad_csv",
    "duplicate_column", "bad_metadata", "no_tables",
)

_META_SHEETS = {"dataset": "dataset", "aliases": "aliases"}
_BINARY_SNIFF = 8192


@dataclass
class RawTable:
    """One table as read from one CSV file or one XLSX sheet.

    ``frame`` holds normalised strings under canonical column names (unknown headers are kept,
    NFKC-normalised); ``headers`` maps each canonical name to the header as written;
    ``rows`` holds the spreadsheet row of each record (header = row 1).
    """

    table: str
    file: str
    sheet: str
    frame: pd.DataFrame
    headers: dict[str, str]
    rows: np.ndarray
    encoding: str = ""


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


def progress(iterable=None, *, total=None, desc="", enabled=None, unit="step"):
    """A tqdm progress bar on stderr when stderr is a terminal, silent otherwise.

    ``unit`` other than ``"step"`` (``"B"``, ``"row"``) scales the counts (k, M).

    >>> list(progress([1, 2], desc="demo", enabled=False))
    [1, 2]
    """
    from tqdm import tqdm

    if enabled is None:
        enabled = bool(getattr(sys.stderr, "isatty", lambda: False)())
    return tqdm(iterable, total=total, desc=desc, disable=not enabled, file=sys.stderr,
                leave=False, unit=unit, unit_scale=unit != "step")


def _failure(file, sheet="", row=None, column="", code="", message=""):
    return {"file": file, "sheet": sheet, "row": row, "column": column, "code": code,
            "message": message}


def dataset_files(path: str | Path) -> tuple[str, list[Path]]:
    """The kind of dataset at ``path`` (``folder``, ``xlsx``, ``csv``) and the files it reads.

    Raises ``FileNotFoundError`` when the path does not exist and ``ValueError`` when it is a
    file that is neither ``.csv`` nor ``.xlsx``.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text("id,name,kind\\n")
    >>> _ = (folder / "notes.txt").write_text("ignored")
    >>> kind, files = dataset_files(folder)
    >>> kind, [f.name for f in files]
    ('folder', ['organizations.csv'])
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    if path.is_dir():
        files = sorted(p for p in path.iterdir()
                       if p.is_file() and p.suffix.lower() in (".csv", ".json"))
        return "folder", files
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx", [path]
    if suffix in (".csv", ".txt"):
        return "csv", [path]
    raise ValueError(f"{path}: not a dataset (a folder of CSV files, a .csv or a .xlsx file)")


def dataset_hash(path: str | Path) -> str:
    """SHA-256 of a dataset's content: every file it reads, by name and bytes.

    Identical content gives the same hash wherever the folder lives.

    >>> import tempfile, pathlib
    >>> a, b = pathlib.Path(tempfile.mkdtemp()), pathlib.Path(tempfile.mkdtemp())
    >>> for folder in (a, b):
    ...     _ = (folder / "organizations.csv").write_text("id,name,kind\\n")
    >>> dataset_hash(a) == dataset_hash(b)
    True
    """
    _, files = dataset_files(path)
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode("utf-8") + b"\0")
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def detect_encoding(data: bytes) -> str | None:
    """The encoding of CSV bytes: ``utf-8-sig`` (BOM), ``utf-8``, ``cp932`` or ``None``.

    Strict decodes, in that order; ``None`` when none decodes.

    >>> detect_encoding("団体".encode("utf-8")), detect_encoding("団体".encode("cp932"))
    ('utf-8', 'cp932')
    >>> detect_encoding(b"\\xef\\xbb\\xbfid"), detect_encoding(b"\\x81\\x7f\\xff")
    ('utf-8-sig', None)
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            data[3:].decode("utf-8")
            return "utf-8-sig"
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8", "cp932"):
        try:
            data.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    return None


def arrow_strings(series: pd.Series) -> pa.Array:
    """The values of a string Series as one contiguous arrow array (no copy when possible).

    >>> arrow_strings(pd.Series(["a", "b"])).to_pylist()
    ['a', 'b']
    """
    arr = pa.array(series.astype("str"))
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr


# What Python's ``str.isspace`` calls whitespace, as an RE2 class (RE2's ``\s`` is ASCII).
_SPACE = r"\s\x{0B}\x{1C}-\x{1F}\x{85}\p{Z}"
_SPACE_RUN = rf"[{_SPACE}]+"
# A value needs its whitespace fixed when it starts or ends with whitespace, holds two in a
# row, or holds any whitespace character other than the plain space.
_SPACE_ODD = rf"^[{_SPACE}]|[{_SPACE}]$|[{_SPACE}]{{2}}|[\x{{09}}-\x{{0D}}\x{{1C}}-\x{{1F}}\x{{85}}]|[^\x{{20}}\PZ]"


def _rows_may_change(arr: pa.Array) -> np.ndarray:
    """A mask of the values that may change: non-ASCII values and values holding a byte
    at or below 0x20 (whitespace and other control characters).

    Non-ASCII values come from arrow's ``string_is_ascii`` kernel; low bytes (rare) are
    found in one vectorised pass over the data buffer and mapped to their values through
    the offsets, so no string is looked at in Python.
    """
    mask = np.zeros(len(arr), dtype=bool)
    _, offsets_buffer, data = arr.buffers()[:3]
    if data is None or len(arr) == 0:
        return mask
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=width)[arr.offset:arr.offset + len(arr) + 1]
    first, last = int(offsets[0]), int(offsets[-1])
    ascii_only = pc.fill_null(pc.string_is_ascii(arr), True)
    if not pc.all(ascii_only).as_py():
        mask |= ~ascii_only.to_numpy(zero_copy_only=False)
    low = np.flatnonzero(np.frombuffer(data, dtype=np.uint8)[first:last] <= 0x20)
    if len(low):
        mask[np.searchsorted(offsets, low + first, side="right") - 1] = True
    return mask


def _clean_strings(arr: pa.Array, *, nfkc_form: bool = True) -> pa.Array:
    if nfkc_form:
        wide = pc.invert(pc.string_is_ascii(arr))
        if pc.any(wide).as_py():
            arr = pc.replace_with_mask(arr, wide,
                                       pc.utf8_normalize(pc.filter(arr, wide), form="NFKC"))
    if pc.any(pc.match_substring_regex(arr, _SPACE_ODD)).as_py():
        arr = pc.utf8_trim(pc.replace_substring_regex(arr, _SPACE_RUN, " "), characters=" ")
    return arr


def normalise_text(series: pd.Series, *, nfkc_form: bool = True) -> pd.Series:
    """NFKC-normalise a column of strings, trim it and collapse runs of whitespace.

    One pass over the column's bytes finds the values that may change (non-ASCII, or a
    byte at or below 0x20); a column with none is returned as it is. Those values are
    dictionary-encoded, their distinct values cleaned with pyarrow compute kernels, and the
    column is rebuilt only when some value changed. With ``nfkc_form=False`` only the
    whitespace is trimmed and collapsed (for ``source`` citations, where ② must stay ②).

    >>> normalise_text(pd.Series(["ＲｅＢＯＲＮ", "  a\t b ", "x", "平成　30年"])).tolist()
    ['ReBORN', 'a b', 'x', '平成 30年']
    >>> normalise_text(pd.Series([" seed 2(1)③　実績 "]), nfkc_form=False).tolist()
    ['seed 2(1)③ 実績']
    """
    s = series.astype("str")
    if len(s) == 0:
        return s
    arr = arrow_strings(s)
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    rows = _rows_may_change(arr)
    if not rows.any():
        return s
    every = bool(rows.mean() > 0.25)  # past a quarter, filtering costs more than it saves
    subset = arr if every else arr.filter(pa.array(rows))
    encoded = pc.dictionary_encode(subset)
    distinct = encoded.dictionary
    cleaned = _clean_strings(distinct, nfkc_form=nfkc_form)
    if cleaned.equals(distinct):
        return s
    changed = pc.take(cleaned, encoded.indices)
    out = changed if every else pc.replace_with_mask(arr, pa.array(rows), changed)
    return pd.Series(pd.array(out, dtype="str"), index=s.index)


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


def _finish_frame(table, file, sheet, frame, rows, encoding, failures,
                  advance=None) -> RawTable | None:
    """Canonical headers, drop all-empty records, normalise every cell.

    ``source`` citations are only trimmed (no NFKC: ② stays ②). ``advance(fraction)`` is
    called after each column with the share of the columns done so far."""
    headers: dict[str, str] = {}
    columns = []
    for position, header in enumerate(frame.columns):
        original = nfkc(header)
        if not original or original.startswith("Unnamed:"):
            original = ""
        canonical = canonical_column(original) if original else f"_col{position + 1}"
        if canonical in headers:
            failures.append(_failure(file, sheet, 1, original, "duplicate_column",
                                     f"column {original!r} appears twice (as "
                                     f"{headers[canonical]!r} and {original!r})"))
            return None
        headers[canonical] = original
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
                    encoding)


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
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [_failure(display, code="path_not_found", message=f"cannot read: {exc}")]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text" is UTF-16
        return None, [_failure(display, code="wrong_encoding",
                               message="wrong encoding: the file is UTF-16 (Excel's "
                                       "\"Unicode text\"); save it as CSV UTF-8")]
    if b"\0" in data[:_BINARY_SNIFF]:
        return None, [_failure(display, code="not_csv",
                               message="not a CSV file: the file holds binary data")]
    encoding = detect_encoding(data)
    if encoding is None:
        return None, [_failure(display, code="wrong_encoding",
                               message="wrong encoding: the file is neither UTF-8 (with or "
                                       "without BOM) nor CP932/Shift_JIS; save it as UTF-8")]
    if encoding == "utf-8-sig":
        data = data[3:]
    elif encoding == "cp932":
        data = data.decode("cp932").encode("utf-8")
    if b"\r" in data and b"\n" not in data:  # old Mac line endings (Excel "CSV (Macintosh)")
        data = data.replace(b"\r", b"\n")
    if not data or data.isspace():
        return None, [_failure(display, code="empty_file",
                               message="empty file: no header row")]
    try:
        frame = _parse_csv(data)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
        message = nfkc(str(exc))
        row = _bad_csv_row(message)
        fields = re.search(r"Expected (\d+) fields in line \d+, saw (\d+)", message)
        if fields:
            message = (f"row {row} has {fields.group(2)} cells but the header only "
                       f"{fields.group(1)}")
        elif row is not None and "EOF inside string" in message:
            message = f"a quoted cell opened on row {row} is never closed (unbalanced quotes)"
        return None, [_failure(display, row=row, code="bad_csv",
                               message=f"not a readable CSV file: {message}")]
    if advance is not None:
        advance(_PARSED)
    rows = np.arange(2, len(frame) + 2, dtype=np.int64)
    step = None if advance is None else (lambda done: advance(_PARSED + (1 - _PARSED) * done))
    raw = _finish_frame(table, display, "", frame, rows, encoding, failures, step)
    if advance is not None:
        advance(1.0)
    return raw, failures


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


def _sheet_frame(sheet) -> tuple[pd.DataFrame, np.ndarray] | None:
    iterator = sheet.iter_rows(values_only=True)
    header = None
    for header in iterator:
        break
    if header is None:
        return None
    width = len(header)
    while width and header[width - 1] in (None, ""):
        width -= 1
    body = [tuple(_cell_text(v) for v in row[:width]) + ("",) * (width - len(row))
            for row in iterator]
    names = [_cell_text(h) for h in header[:width]]
    frame = pd.DataFrame(body, columns=names, dtype="str") if body else \
        pd.DataFrame({n: pd.Series(dtype="str") for n in names})
    return frame, np.arange(2, len(frame) + 2, dtype=np.int64)


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
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raw.failures.append(_failure(display, code="not_xlsx",
                                     message=f"not a readable XLSX workbook: {exc}"))
        return raw
    try:
        for sheet in book.worksheets:
            name = nfkc(sheet.title)
            meta = _META_SHEETS.get(name.lower())
            table = canonical_table(name)
            if meta is None and table is None:
                raw.notes.append(f"{display}: sheet {name!r} is not a table; ignored")
                continue
            read = _sheet_frame(sheet)
            if read is None:
                if table is not None:
                    raw.failures.append(_failure(display, name, None, "", "empty_file",
                                                 f"sheet {name!r} is empty: no header row"))
                continue
            frame, rows = read
            if meta == "dataset":
                raw.meta.update(_key_value_meta(frame, display, name, raw.failures))
                continue
            target = "aliases" if meta == "aliases" else table
            table_raw = _finish_frame(target, display, name, frame, rows, "xlsx", raw.failures)
            if table_raw is None:
                continue
            if meta == "aliases":
                raw.aliases = table_raw
            else:
                raw.tables.setdefault(table, []).append(table_raw)
    finally:
        book.close()
    return raw


def _key_value_meta(frame: pd.DataFrame, file: str, sheet: str, failures: list) -> dict:
    """Key/value rows of a ``dataset`` sheet (the header row counts as one pair too)."""
    pairs = [tuple(frame.columns[:2])] + [tuple(r[:2]) for r in frame.itertuples(index=False)]
    meta = {}
    for key, value in pairs:
        key = nfkc(key).lower()
        if key and len(str(key)) and not key.startswith("unnamed"):
            meta[key] = nfkc(value)
    return meta


def _read_dataset_json(path: Path, display: str, failures: list) -> dict:
    try:
        meta = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        failures.append(_failure(display, code="bad_metadata",
                                 message=f"dataset.json is not valid UTF-8 JSON: {exc}"))
        return {}
    if not isinstance(meta, dict):
        failures.append(_failure(display, code="bad_metadata",
                                 message="dataset.json must hold one object, e.g. "
                                         '{"name": "...", "city": "大阪市"}'))
        return {}
    meta = {str(k).lower(): v for k, v in meta.items()}
    for key in ("name", "city"):
        value = meta.get(key)
        if isinstance(value, (list, dict, bool)):
            failures.append(_failure(display, column=key, code="bad_metadata",
                                     message=f"dataset.json: {key!r} must be text, got "
                                             f"{json.dumps(meta[key], ensure_ascii=False)}"))
            return {}
    return {k: nfkc(v) for k, v in meta.items()}


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:
        return 0


def _read_folder_files(raw: RawDataset, kind: str, files: list[Path], bar) -> None:
    """Read the CSV and JSON files of a folder (or one CSV file) into ``raw``.

    ``bar`` advances by bytes, within each file as it is parsed and normalised."""
    for file in files:
        size, done = _size(file), [0]

        def advance(fraction, size=size, done=done):
            target = int(size * fraction)
            if target > done[0]:
                bar.update(target - done[0])
                done[0] = target

        _read_folder_file(raw, kind, file, advance)
        advance(1.0)


def _read_folder_file(raw: RawDataset, kind: str, file: Path, advance) -> None:
    stem = nfkc(file.stem)
    if file.suffix.lower() == ".json":
        if stem.lower() == "dataset":
            raw.meta.update(_read_dataset_json(file, file.name, raw.failures))
        return
    if stem.lower() == "aliases":
        table_raw, failures = read_csv_table(file, "aliases", advance=advance)
        raw.failures.extend(failures)
        raw.aliases = table_raw
        return
    table = canonical_table(stem)
    if table is None:
        if kind == "csv":
            raw.failures.append(_failure(file.name, code="no_tables",
                                         message=f"{file.name!r} does not name a "
                                                 "table (e.g. organizations.csv)"))
        else:
            raw.notes.append(f"{file.name}: not a table name; ignored")
        return
    table_raw, failures = read_csv_table(file, table, advance=advance)
    raw.failures.extend(failures)
    if table_raw is not None:
        raw.tables.setdefault(table, []).append(table_raw)


def read_dataset_files(path: str | Path, *, show_progress=None) -> RawDataset:
    """Read a dataset folder, CSV file or XLSX workbook into raw string tables.

    Never raises for bad content: every problem becomes a row of ``failures``.

    >>> read_dataset_files("/no/such/place").failures[0]["code"]
    'path_not_found'
    """
    path = Path(path)
    try:
        kind, files = dataset_files(path)
    except FileNotFoundError as exc:
        raw = RawDataset(root=path, kind="missing")
        raw.failures.append(_failure(str(path), code="path_not_found", message=str(exc)))
        return raw
    except ValueError as exc:
        raw = RawDataset(root=path, kind="unknown")
        raw.failures.append(_failure(path.name, code="not_csv", message=str(exc)))
        return raw
    if kind == "xlsx":
        raw = read_xlsx_tables(path)
    else:
        raw = RawDataset(root=path, kind=kind)
        bar = progress(total=sum(_size(f) for f in files), desc="reading",
                       enabled=show_progress, unit="B")
        try:
            _read_folder_files(raw, kind, files, bar)
        finally:
            bar.close()
    if not raw.tables and not raw.failures:
        raw.failures.append(_failure(path.name, code="no_tables",
                                     message="no tables found (expected organizations.csv or "
                                             "a sheet named organizations / 団体)"))
    return raw
