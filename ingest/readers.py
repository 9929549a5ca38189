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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ingest import guard
from ingest.normalise import nfkc
from ingest.schemas import canonical_column, canonical_table, header_priority

__all__ = [
    "RawTable",
    "RawDataset",
    "READ_FAILURE_CODES",
    "RESERVED_COLUMNS",
    "dataset_files",
    "dataset_hash",
    "detect_encoding",
    "cp932_problem",
    "arrow_strings",
    "normalise_text",
    "read_csv_table",
    "read_xlsx_tables",
    "read_dataset_files",
    "ignored_note",
    "progress",
]

READ_FAILURE_CODES: tuple[str, ...] = (
    "path_not_found", "not_csv", "not_xlsx", "empty_file", "wrong_encoding", "bad_csv",
    "duplicate_column", "bad_metadata", "no_tables", "too_large", "bad_file_name",
)

# Sheet names (and, for aliases, file stems) of the dataset's metadata and reviewed merges.
_META_SHEETS = {"dataset": "dataset", "aliases": "aliases", "別名": "aliases", "名寄せ": "aliases"}
# Provenance columns every stored record gets: a file may not use their names.
RESERVED_COLUMNS = ("_file", "_sheet", "_row", "_batch", "_ingested_at")
_BINARY_SNIFF = 8192


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
    if suffix in _OTHER_SHEETS:
        raise ValueError(f"{path}: {_OTHER_SHEETS[suffix]} files are not read; save it as "
                         "an Excel workbook (.xlsx) or as CSV UTF-8")
    raise ValueError(f"{path}: not a dataset (a folder of CSV files, a .csv or a .xlsx file)")


# Spreadsheet files that are not read, with what to tell the person who gave one.
_OTHER_SHEETS = {".xls": "Excel 97-2003 (.xls)", ".ods": "OpenDocument (.ods)",
                 ".tsv": "tab-separated (.tsv)", ".numbers": "Numbers (.numbers)"}


def _spreadsheets_in(folder: Path) -> list[str]:
    """Workbooks and other spreadsheets in a folder, which a folder dataset does not read
    (only its CSV files): named in the notes so that nobody wonders where they went."""
    suffixes = set(_OTHER_SHEETS) | {".xlsx", ".xlsm"}
    return sorted(p.name for p in folder.iterdir() if p.is_file()
                  and p.suffix.lower() in suffixes and not p.name.startswith(("~$", ".")))


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
        digest.update(file.name.encode("utf-8", "surrogateescape") + b"\0")
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


# What Python's cp932 codec gives for the bytes Shift_JIS leaves undefined (0x80, 0xA0,
# 0xFD-0xFF): text holding one of these was written in another encoding.
_CP932_UNDEFINED = ("\x80", "\uf8f0", "\uf8f1", "\uf8f2", "\uf8f3")
_VOICED = set("ｳｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎﾜｦ")   # half-width kana that take ﾞ
_SEMI_VOICED = set("ﾊﾋﾌﾍﾎ")                 # and ﾟ
_KANA = {chr(c) for c in range(0xFF66, 0xFFA0)}  # ｦ … ﾝ, ﾞ, ﾟ


def _row_at(text: str, position: int) -> int:
    """The line (1-based) a character position of ``text`` falls on."""
    return text.count("\n", 0, position) + 1


def _utf8_line(data: bytes) -> int | None:
    """The byte offset of the first line of ``data`` that is valid UTF-8 and holds a
    character of three bytes (kana, kanji), or ``None``.

    Called on a file that is not UTF-8 as a whole: in a real CP932 file no such line
    exists (its kana and kanji bytes are not valid UTF-8 over a whole line). Candidate
    three-byte sequences are found with numpy; only their lines are decoded.
    """
    codes = np.frombuffer(data, dtype=np.uint8)
    if len(codes) < 3:
        return None
    hits = np.flatnonzero(((codes[:-2] & 0xF0) == 0xE0) & ((codes[1:-1] & 0xC0) == 0x80)
                          & ((codes[2:] & 0xC0) == 0x80))
    if not len(hits):
        return None
    newlines = np.flatnonzero(codes == 0x0A)
    for line in np.unique(np.searchsorted(newlines, hits)).tolist():
        start = int(newlines[line - 1]) + 1 if line else 0
        end = int(newlines[line]) if line < len(newlines) else len(data)
        try:
            data[start:end].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return start
    return None


def _first_bad_row(data: bytes) -> int:
    """The row (line, 1-based) of the first byte that is not UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data.count(b"\n", 0, exc.start) + 1
    return 1


def _first_bad_utf8_line(data: bytes) -> int:
    """The byte offset of the first line of ``data`` that is not valid UTF-8."""
    start = 0
    for line in data.split(b"\n"):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return start
        start += len(line) + 1
    return 0


def _plausible_halfwidth(text: str) -> bool:
    """Whether the non-ASCII characters of ``text`` read as half-width katakana words.

    The only CP932 text that is also valid EUC-JP is ASCII with half-width katakana (and
    rare kanji): hiragana, full-width katakana and common kanji all use bytes that EUC-JP
    does not. Real half-width katakana puts ﾞ/ﾟ after a kana that takes them and ｰ or a
    small kana after a kana, and has no ､/｡ just before a kana; EUC-JP read as CP932
    (each kana or kanji becomes two half-width characters) breaks these at once.

    >>> _plausible_halfwidth("id,name\\n1,ｶﾌﾞｼｷｶﾞｲｼｬ ﾃｽﾄ"), _plausible_halfwidth("ｿﾈ､ﾎｶ")
    (True, False)
    """
    previous = ""
    for char in text:
        if char > "\x7f":
            if not "\uff61" <= char <= "\uff9f":
                return False
            if char == "ﾞ" and previous not in _VOICED or \
                    char == "ﾟ" and previous not in _SEMI_VOICED or \
                    char in "ｰｧｨｩｪｫｬｭｮｯ" and previous not in _KANA or \
                    char in _KANA and previous in "､｡":
                return False
        previous = char
    return True


def cp932_problem(data: bytes, text: str) -> tuple[int | None, str] | None:
    """Why bytes that decode as CP932 are still not a CP932 file, or ``None``.

    ``text`` is ``data`` decoded as CP932. Returns ``(row, message)`` when the bytes hold a
    byte CP932 does not define, when some lines are UTF-8 and others not (two files of
    different encodings pasted together), or when the file reads as EUC-JP and not as
    plausible CP932 text (see ``_plausible_halfwidth``).

    >>> cp932_problem("団体".encode("cp932"), "団体") is None
    True
    >>> text = "id,団体名\\n1,あおぞら\\n".encode("utf-8") + "2,みなと\\n".encode("cp932")
    >>> cp932_problem(text, text.decode("cp932"))
    (3, 'wrong encoding: the file mixes encodings (row 1 is UTF-8, row 3 is not); save the whole file as CSV UTF-8')
    >>> euc = "1,組織運営の強化\\n".encode("euc_jp")
    >>> cp932_problem(euc, euc.decode("cp932"))[1][:40]
    'wrong encoding: the file looks like EUC-'
    """
    found = [p for p in (text.find(char) for char in _CP932_UNDEFINED) if p >= 0]
    if found:
        position = min(found)
        byte = text[position].encode("cp932").hex().upper()
        message = (f"wrong encoding: byte 0x{byte} is not a character in UTF-8 or "
                   "CP932/Shift_JIS; save the file as CSV UTF-8")
        return _row_at(text, position), message
    line = _utf8_line(data)
    if line is not None:
        good = data.count(b"\n", 0, line) + 1
        bad = data.count(b"\n", 0, _first_bad_utf8_line(data)) + 1
        message = (f"wrong encoding: the file mixes encodings (row {good} is UTF-8, row {bad} "
                   "is not); save the whole file as CSV UTF-8")
        return bad, message
    try:
        data.decode("euc_jp")
    except UnicodeDecodeError:
        return None
    if _plausible_halfwidth(text):
        return None
    first = next(i for i, byte in enumerate(data) if byte > 0x7F)
    message = ("wrong encoding: the file looks like EUC-JP, which Tsunagari does not read; "
               "save it as CSV UTF-8 (or CSV Shift_JIS)")
    return data.count(b"\n", 0, first) + 1, message


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
                  advance=None, header_row: int = 1) -> RawTable | None:
    """Canonical headers, drop all-empty records, normalise every cell.

    ``source`` citations are only trimmed (no NFKC: ② stays ②). A column without a header
    is kept as ``_colN`` (N its position) when it holds any value. ``advance(fraction)`` is
    called after each column with the share of the columns done so far."""
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
            failures.append(_failure(file, sheet, header_row, written, "duplicate_column",
                                     f"column {written!r} has the name of a column Tsunagari "
                                     f"adds ({', '.join(RESERVED_COLUMNS)}); rename it"))
            return None
        if canonical in headers:
            failures.append(_failure(file, sheet, header_row, written, "duplicate_column",
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
        return None, [_failure(display, code="path_not_found", message=f"cannot read: {exc}")]
    too_large = guard.check_csv(path, data, display)
    if too_large:
        return None, too_large
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text" is UTF-16
        return None, [_failure(display, code="wrong_encoding",
                               message="wrong encoding: the file is UTF-16 (Excel's "
                                       "\"Unicode text\"); save it as CSV UTF-8")]
    if b"\0" in data[:_BINARY_SNIFF]:
        return None, [_failure(display, code="not_csv",
                               message="not a CSV file: the file holds binary data")]
    encoding = detect_encoding(data)
    if encoding is None:
        return None, [_failure(display, row=_first_bad_row(data), code="wrong_encoding",
                               message="wrong encoding: the file is neither UTF-8 (with or "
                                       "without BOM) nor CP932/Shift_JIS; save it as UTF-8")]
    if encoding == "utf-8-sig":
        data = data[3:]
    elif encoding == "cp932":
        text = data.decode("cp932")
        problem = cp932_problem(data, text)
        if problem is not None:
            return None, [_failure(display, row=problem[0], code="wrong_encoding",
                                   message=problem[1])]
        data = text.encode("utf-8")
    if b"\r" in data and b"\n" not in data:  # old Mac line endings (Excel "CSV (Macintosh)")
        data = data.replace(b"\r", b"\n")
    skipped, data = _skip_empty_lines(data)
    if not data or data.isspace():
        return None, [_failure(display, code="empty_file",
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
        return None, [_failure(display, row=row, code="bad_csv",
                               message=f"not a readable CSV file: {message}")]
    long_cell = _long_cell(frame, len(data), skipped)
    if long_cell is not None:
        return None, [_failure(display, row=long_cell[1], column=long_cell[0],
                               code="too_large",
                               message=f"a cell of {long_cell[2]:,} characters; at most "
                                       f"{guard.MAX_CSV_CELL_CHARS:,} are read")]
    separator = _other_separator(frame)
    if separator:
        return None, [_failure(display, row=skipped + 1, code="bad_csv",
                               message=f"not a comma-separated file: the header is separated "
                                       f"by {separator}; save it as CSV (comma-separated)")]
    if advance is not None:
        advance(_PARSED)
    rows = np.arange(skipped + 2, skipped + len(frame) + 2, dtype=np.int64)
    step = None if advance is None else (lambda done: advance(_PARSED + (1 - _PARSED) * done))
    raw = _finish_frame(table, display, "", frame, rows, encoding, failures, step,
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
        raw.failures.append(_failure(display, code="not_xlsx",
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
            raw.failures.append(_failure(display, sheet.title, code="not_xlsx",
                                         message=f"sheet {sheet.title!r} cannot be read "
                                                 f"({type(exc).__name__}: {str(exc)[:200]})"))


def _read_sheet(sheet, raw: RawDataset, display: str) -> None:
    """Read one sheet (a table, the aliases or the dataset metadata) into ``raw``."""
    name = sheet.title.strip()  # as written, for messages and provenance
    meta = _META_SHEETS.get(nfkc(name).lower())
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
            raw.failures.append(_failure(display, name, None, "", "empty_file",
                                         f"sheet {name!r} is empty: no header row"))
        return
    frame, rows, header_row = read
    if meta == "dataset":
        raw.meta.update(_key_value_meta(frame, display, name, raw.failures))
        return
    target = "aliases" if meta == "aliases" else table
    table_raw = _finish_frame(target, display, name, frame, rows, "xlsx", raw.failures,
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


def _read_dataset_json(path: Path, display: str, failures: list) -> dict:
    meta, refused = guard.check_json(path, display)  # size, syntax and nesting depth
    if refused:
        failures.extend(refused)
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
    if _META_SHEETS.get(stem.lower()) == "aliases":
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
            raw.ignored.append(f"{file.name} (not a table name)")
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
    named = [(f, guard.file_name_problem(f)) for f in files]
    bad_names = [problem for _, problem in named if problem is not None]
    if bad_names:  # a name that is not UTF-8: reported, the file not read
        files = [f for f, problem in named if problem is None]
        if kind != "folder":
            raw = RawDataset(root=path, kind=kind)
            raw.failures.extend(bad_names)
            return raw
    if kind == "xlsx":
        raw = read_xlsx_tables(path)
    else:
        raw = RawDataset(root=path, kind=kind)
        if kind == "folder":
            for name in _spreadsheets_in(path):
                raw.notes.append(f"{name}: a folder dataset reads its CSV files only; ignored "
                                 f"(give a workbook itself as the path: {path / name})")
                raw.ignored.append(f"{name} (a workbook: give it itself as the path)")
        bar = progress(total=sum(_size(f) for f in files), desc="reading",
                       enabled=show_progress, unit="B")
        try:
            _read_folder_files(raw, kind, files, bar)
        finally:
            bar.close()
        raw.failures.extend(bad_names)
    if not raw.tables and not raw.failures:
        raw.failures.append(_failure(path.name, code="no_tables",
                                     message="no tables found (expected organizations.csv or "
                                             "a sheet named organizations / 団体)"
                                             + ignored_note(raw)))
    return raw


def ignored_note(raw: RawDataset) -> str:
    """``"; ignored: a.csv, sheet 'メモ'"``: the files and sheets not read as tables, for a
    message saying a table is missing (the user's file may just be misnamed)."""
    if not raw.ignored:
        return ""
    return f"; ignored: {', '.join(raw.ignored)}"
