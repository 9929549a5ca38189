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

What lives where:

* :mod:`ingest.readers.datasets` — :func:`read_dataset_files` (the entry point),
  :func:`dataset_files`, :func:`dataset_hash`, :func:`ignored_note`;
* :mod:`ingest.readers.csv_files` — :func:`read_csv_table` (one CSV file);
* :mod:`ingest.readers.workbooks` — :func:`read_xlsx_tables` (one XLSX workbook);
* :mod:`ingest.readers.encodings` — :func:`detect_encoding`, :func:`cp932_problem`;
* :mod:`ingest.readers.text` — :func:`normalise_text`, :func:`arrow_strings`;
* :mod:`ingest.readers.raw` — :class:`RawTable`, :class:`RawDataset`,
  :data:`READ_FAILURE_CODES`, :data:`RESERVED_COLUMNS` (and ``finish_frame``, which makes a
  ``RawTable`` of a parsed frame);
* :mod:`ingest.readers.progress_bar` — :func:`progress`.

Helpers the submodules share with each other (``read_failure``, ``finish_frame``,
``META_SHEETS``, ``first_bad_row``) are public in their submodule but not re-exported here.

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

from ingest.readers.csv_files import read_csv_table
from ingest.readers.datasets import dataset_files, dataset_hash, ignored_note, read_dataset_files
from ingest.readers.encodings import cp932_problem, detect_encoding
from ingest.readers.progress_bar import progress
from ingest.readers.raw import READ_FAILURE_CODES, RESERVED_COLUMNS, RawDataset, RawTable
from ingest.readers.text import arrow_strings, normalise_text
from ingest.readers.workbooks import read_xlsx_tables

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
