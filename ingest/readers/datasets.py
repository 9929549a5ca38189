"""Reading a whole dataset path: a folder of CSV files, one CSV file or one workbook.

``read_dataset_files`` is the entry point of reading; ``dataset_files`` names what a path
holds, ``dataset_hash`` fingerprints its content, ``ignored_note`` lists what was not
read as a table.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ingest import guard
from ingest.normalise import nfkc
from ingest.readers.csv_files import read_csv_table
from ingest.readers.progress_bar import progress
from ingest.readers.raw import META_SHEETS, RawDataset, read_failure
from ingest.readers.workbooks import read_xlsx_tables
from ingest.schemas import canonical_table

__all__ = ["dataset_files", "dataset_hash", "read_dataset_files", "ignored_note"]


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


def _read_dataset_json(path: Path, display: str, failures: list) -> dict:
    meta, refused = guard.check_json(path, display)  # size, syntax and nesting depth
    if refused:
        failures.extend(refused)
        return {}
    if not isinstance(meta, dict):
        failures.append(read_failure(display, code="bad_metadata",
                                 message="dataset.json must hold one object, e.g. "
                                         '{"name": "...", "city": "大阪市"}'))
        return {}
    meta = {str(k).lower(): v for k, v in meta.items()}
    for key in ("name", "city"):
        value = meta.get(key)
        if isinstance(value, (list, dict, bool)):
            failures.append(read_failure(display, column=key, code="bad_metadata",
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
    if META_SHEETS.get(stem.lower()) == "aliases":
        table_raw, failures = read_csv_table(file, "aliases", advance=advance)
        raw.failures.extend(failures)
        raw.aliases = table_raw
        return
    table = canonical_table(stem)
    if table is None:
        if kind == "csv":
            raw.failures.append(read_failure(file.name, code="no_tables",
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
        raw.failures.append(read_failure(str(path), code="path_not_found", message=str(exc)))
        return raw
    except ValueError as exc:
        raw = RawDataset(root=path, kind="unknown")
        raw.failures.append(read_failure(path.name, code="not_csv", message=str(exc)))
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
        raw.failures.append(read_failure(path.name, code="no_tables",
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
