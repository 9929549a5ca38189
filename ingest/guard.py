"""Limits on what a dataset file may be, checked before it is parsed.

An input is refused with a clear failure (file, part, code) instead of a traceback or an
unbounded parse when it is hostile or broken:

- ``bad_file_name``: a file name that is not valid UTF-8 (a CP932 name from a Windows zip).
- ``bad_metadata``: ``dataset.json`` over :data:`MAX_JSON_BYTES`, not JSON, or nested deeper
  than :data:`MAX_JSON_DEPTH`.
- ``too_large``: a CSV over :data:`MAX_CSV_BYTES`, :data:`MAX_ROWS_CSV` lines or
  :data:`MAX_COLUMNS` header cells; an XLSX whose zip members are too many, too big, or
  compressed suspiciously well (a zip bomb), whose sheets have more rows or columns than the
  caps, a cell longer than :data:`MAX_CELL_CHARS` (a CSV cell: :data:`MAX_CSV_CELL_CHARS`),
  or more text in all than
  :data:`MAX_XLSX_TEXT_CHARS` (a shared-strings bomb: one long string used in every cell).
- ``not_xlsx``: not a zip file, a damaged zip member, an XML part that is not well-formed
  (truncated, garbage) or that declares a DTD or entities (external entities, "billion
  laughs"; an XLSX never needs either).

The XLSX check streams every XML part once through expat with a DTD refused at its first
token, counting rows, columns and text; it reads at most each member's declared size, so it
runs in time and memory bounded by the caps, whatever the file claims.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "book.xlsx").write_bytes(b"PK not really")
>>> [f["code"] for f in check_xlsx(folder / "book.xlsx", "book.xlsx")]
['not_xlsx']
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from xml.parsers import expat

__all__ = ["MAX_ROWS_XLSX", "MAX_ROWS_CSV", "MAX_COLUMNS", "MAX_CELL_CHARS",
           "MAX_CSV_CELL_CHARS", "MAX_CSV_BYTES",
           "MAX_JSON_BYTES", "MAX_JSON_DEPTH", "MAX_ZIP_MEMBERS", "MAX_MEMBER_BYTES",
           "MAX_ZIP_BYTES", "MAX_RATIO", "MAX_XLSX_TEXT_CHARS", "file_name_problem",
           "check_json", "check_csv", "check_xlsx"]

MAX_ROWS_XLSX = 1_048_576        # Excel's own sheet limit
MAX_ROWS_CSV = 20_000_000        # lines of one CSV file (the nation's 7.5 M fit)
MAX_COLUMNS = 1_000              # cells of a header (a table has about 20 columns)
MAX_CELL_CHARS = 32_767          # Excel's own cell limit (an XLSX cannot hold more)
MAX_CSV_CELL_CHARS = 8 << 20     # a CSV cell (a long memo is fine; its file's size bounds it)
MAX_CSV_BYTES = 4 << 30          # 4 GiB
MAX_JSON_BYTES = 1 << 20         # 1 MiB
MAX_JSON_DEPTH = 8
MAX_ZIP_MEMBERS = 1_000
MAX_MEMBER_BYTES = 1 << 30       # uncompressed size of one XLSX part
MAX_ZIP_BYTES = 2 << 30          # uncompressed size of all parts
MAX_RATIO = 200                  # uncompressed / compressed, for parts over 1 MiB
MAX_XLSX_TEXT_CHARS = 400_000_000  # characters of all cells once shared strings are expanded
_RATIO_FROM = 1 << 20
_CHUNK = 1 << 20


def _failure(file, sheet="", code="", message=""):
    return {"file": file, "sheet": sheet, "row": None, "column": "", "code": code,
            "message": message}


def file_name_problem(path: Path) -> dict | None:
    """A ``bad_file_name`` failure when ``path``'s name is not valid UTF-8, else ``None``.

    >>> file_name_problem(Path(b"\\x92\\x63.csv".decode("utf-8", "surrogateescape")))["code"]
    'bad_file_name'
    >>> file_name_problem(Path("団体.csv")) is None
    True
    """
    name = path.name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape")
        try:
            guess = f" (in CP932 it reads {raw.decode('cp932')!r})"
        except UnicodeDecodeError:
            guess = ""
        shown = raw.decode("utf-8", "replace")
        return _failure(shown, code="bad_file_name",
                        message=f"the file name is not UTF-8{guess}: rename the file (a zip "
                                "made on Windows keeps CP932 names; extract it with a tool "
                                "that converts them, or rename the files)")
    return None


def _depth(value) -> int:
    """Nesting depth of a JSON value (iterative: a hostile depth cannot overflow the stack)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if level > MAX_JSON_DEPTH:
                return level
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def check_json(path: Path, display: str) -> tuple[object, list[dict]]:
    """Read ``dataset.json``: ``(value, [])``, or ``(None, [a bad_metadata failure])``."""
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            return None, [_failure(display, code="bad_metadata",
                                   message=f"dataset.json is {size:,} bytes; at most "
                                           f"{MAX_JSON_BYTES:,} are read (it holds a name "
                                           "and a city)")]
        value = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, OSError) as exc:
        return None, [_failure(display, code="bad_metadata",
                               message=f"dataset.json is not valid UTF-8 JSON: {exc}")]
    except RecursionError:
        value = None
    if value is None or _depth(value) > MAX_JSON_DEPTH:
        return None, [_failure(display, code="bad_metadata",
                               message=f"dataset.json is nested more than {MAX_JSON_DEPTH} "
                                       "levels deep; it holds one object of names and "
                                       'values, e.g. {"name": "...", "city": "大阪市"}')]
    return value, []


def check_csv(path: Path, data: bytes | None, display: str) -> list[dict]:
    """``too_large`` failures of a CSV file: its size (before reading, when ``data`` is
    ``None``), or its line count and header width (``data``: its bytes)."""
    if data is None:
        try:
            size = path.stat().st_size
        except OSError:
            return []
        if size > MAX_CSV_BYTES:
            return [_failure(display, code="too_large",
                             message=f"the file is {size / 2**30:.1f} GiB; at most "
                                     f"{MAX_CSV_BYTES / 2**30:g} GiB are read per file")]
        return []
    lines = data.count(b"\n")
    if lines > MAX_ROWS_CSV:
        return [_failure(display, code="too_large",
                         message=f"the file has {lines:,} lines; at most {MAX_ROWS_CSV:,} "
                                 "rows are read per file (split it)")]
    newline = data.find(b"\n")
    header = data[:newline if newline >= 0 else len(data)]
    cells = header.count(b",") + 1
    if cells > MAX_COLUMNS:
        return [_failure(display, code="too_large",
                         message=f"the header has {cells:,} cells; at most {MAX_COLUMNS:,} "
                                 "columns are read")]
    return []


class _Refused(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


_CELL_REF = re.compile(r"([A-Z]{1,7})(\d{1,10})$")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


class _PartScan:
    """Stream one XML part through expat, refusing a DTD and counting rows, cells, text."""

    def __init__(self, name: str, shared: list[int] | None, total: list[int]):
        self.name, self.shared, self.total = name, shared, total
        self.rows = self.columns = 0
        self.text = 0            # characters of the current <t> or <v>
        self.cell_type = ""
        self.in_value = False
        self.strings: list[int] = []
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True          # one call per text node (a number never split)
        parser.buffer_size = 1 << 16
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        self.parser = parser

    def _doctype(self, *args):
        raise _Refused("not_xlsx", f"part {self.name} declares a DTD (<!DOCTYPE>), which an "
                                   "XLSX never has; refused (external entities or an entity "
                                   "bomb)")

    def _entity(self, *args):
        raise _Refused("not_xlsx", f"part {self.name} declares an entity; refused")

    def _start(self, tag, attrs):
        local = tag.rsplit(" ", 1)[-1]
        if local == "row":
            self.rows += 1
            number = attrs.get("r", "")
            if self.rows > MAX_ROWS_XLSX or (number.isdigit() and int(number) > MAX_ROWS_XLSX):
                raise _Refused("too_large", f"part {self.name} has more than "
                                            f"{MAX_ROWS_XLSX:,} rows")
        elif local == "c":
            self.cell_type = attrs.get("t", "")
            match = _CELL_REF.match(attrs.get("r", ""))
            if match:
                column = _column_number(match.group(1))
                if column > MAX_COLUMNS:
                    raise _Refused("too_large", f"part {self.name} has a cell in column "
                                                f"{column:,}; at most {MAX_COLUMNS:,} columns "
                                                "are read")
        elif local in ("t", "v"):
            self.in_value, self.text = True, 0
        elif local == "si":
            self.strings.append(0)

    def _end(self, tag):
        local = tag.rsplit(" ", 1)[-1]
        if local in ("t", "v"):
            self.in_value = False
            if local == "t" and self.strings:
                self.strings[-1] += self.text
                if self.strings[-1] > MAX_CELL_CHARS:
                    raise _Refused("too_large", f"part {self.name} has a string over "
                                                f"{MAX_CELL_CHARS:,} characters")
        elif local == "c":
            self.cell_type = ""

    def _characters(self, data):
        if not self.in_value:
            return
        self.text += len(data)
        if self.text > MAX_CELL_CHARS:
            raise _Refused("too_large", f"part {self.name} has a cell over {MAX_CELL_CHARS:,} "
                                        "characters")
        if self.cell_type == "s" and self.shared is not None:
            if data.strip().isdigit():
                index = int(data)
                length = self.shared[index] if index < len(self.shared) else 0
                self.total[0] += length
        elif self.shared is not None:
            self.total[0] += len(data)
        if self.total[0] > MAX_XLSX_TEXT_CHARS:
            raise _Refused("too_large", f"part {self.name}: the cells hold more than "
                                        f"{MAX_XLSX_TEXT_CHARS:,} characters once shared "
                                        "strings are expanded (a shared-strings bomb?)")

    def feed(self, stream) -> None:
        try:
            while block := stream.read(_CHUNK):
                self.parser.Parse(block, False)
            self.parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise _Refused("not_xlsx", f"part {self.name} is not well-formed XML "
                                       f"({expat.ErrorString(exc.code)} at line {exc.lineno}, "
                                       f"column {exc.offset}): the file is damaged or "
                                       "truncated") from None


def _members(book: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    members = book.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise _Refused("too_large", f"the workbook holds {len(members):,} parts; at most "
                                    f"{MAX_ZIP_MEMBERS:,} are read")
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES:
            raise _Refused("too_large", f"part {info.filename} unpacks to "
                                        f"{info.file_size / 2**20:,.0f} MiB; at most "
                                        f"{MAX_MEMBER_BYTES / 2**20:,.0f} MiB are read")
        if info.file_size > _RATIO_FROM and \
                info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _Refused("too_large", f"part {info.filename} unpacks to "
                                        f"{info.file_size / max(info.compress_size, 1):,.0f} "
                                        "times its packed size (a zip bomb?); refused")
    if total > MAX_ZIP_BYTES:
        raise _Refused("too_large", f"the workbook unpacks to {total / 2**20:,.0f} MiB; at "
                                    f"most {MAX_ZIP_BYTES / 2**20:,.0f} MiB are read")
    return members


def check_xlsx(path: Path, display: str) -> list[dict]:
    """Failures of the workbook at ``path`` found before parsing it (empty: it may be read)."""
    try:
        with zipfile.ZipFile(path) as book:
            members = _members(book)
            xml_parts = [m for m in members
                         if m.filename.lower().endswith((".xml", ".rels", ".vml"))]
            # shared strings first: their lengths are needed to count the sheets' text
            xml_parts.sort(key=lambda m: not m.filename.lower().endswith("sharedstrings.xml"))
            shared: list[int] = []
            total = [0]
            for info in xml_parts:
                is_sheet = "worksheets/" in info.filename.lower()
                scan = _PartScan(info.filename, shared if is_sheet else None, total)
                with book.open(info) as stream:
                    scan.feed(stream)
                if info.filename.lower().endswith("sharedstrings.xml"):
                    shared.extend(scan.strings)
    except _Refused as refused:
        return [_failure(display, code=refused.code, message=str(refused))]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, OSError, ValueError) as exc:
        return [_failure(display, code="not_xlsx",
                         message=f"not a readable XLSX workbook (damaged zip: {exc})")]
    return []
