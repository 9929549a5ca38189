"""The Data page's state: checking and ingesting uploads, removing a batch, store status, exports.

Uploads are written to a folder named after the files (:func:`upload_folder`) and validated
with ``ingest.load.prepare`` before anything reaches the store; a refused file gives a failure
table (file, row, column, reason), never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd
import streamlit as st

from dashboards._i18n import t
from dashboards._state import Scope, view_graph, write_version

__all__ = ["UPLOAD_LIMIT_MB", "UPLOAD_TYPES", "EXPORT_FORMATS", "UploadCheck", "write_upload",
           "check_upload", "ingest_upload", "remove_batch", "upload_folder", "store_status",
           "export_bytes"]


#: Largest upload accepted (each file), in megabytes.
UPLOAD_LIMIT_MB = 20
UPLOAD_TYPES = ("csv", "xlsx")


class UploadCheck(NamedTuple):
    """The outcome of checking an upload: ``failures`` (file/row/column/reason) or ``counts``."""

    ok: bool
    failures: pd.DataFrame
    counts: dict


def _failure(file: str, code: str, message: str) -> pd.DataFrame:
    from ingest.validate import FAILURE_COLUMNS

    row = dict.fromkeys(FAILURE_COLUMNS, "")
    row.update({"file": file, "code": code, "message": message})
    return pd.DataFrame([row], columns=list(FAILURE_COLUMNS))


def write_upload(files: list, folder: Path) -> pd.DataFrame | None:
    """Save uploaded files (name, bytes) into ``folder``; a failure table when one is refused.

    Refuses a file over :data:`UPLOAD_LIMIT_MB`, a type other than CSV/XLSX, and an XLSX
    mixed with other files. Only the base name of each file is used.
    """
    problems = []
    for name, content in files:
        base = Path(str(name)).name
        suffix = base.rsplit(".", 1)[-1].lower() if "." in base else ""
        size_mb = len(content) / 1e6
        if suffix not in UPLOAD_TYPES:
            problems.append(_failure(base, "wrong_type", t("wrong_type", name=base)))
        elif size_mb > UPLOAD_LIMIT_MB:
            problems.append(_failure(base, "too_big", t("too_big", size=f"{size_mb:.1f}",
                                                           mb=UPLOAD_LIMIT_MB)))
        else:
            (folder / base).write_bytes(content)
    if problems:
        return pd.concat(problems, ignore_index=True)
    return None


def check_upload(files: list, folder: Path) -> UploadCheck:
    """Validate uploaded files with ``ingest.load.prepare`` (nothing is written to the store)."""
    from ingest.load import prepare
    from ingest.validate import IngestError

    folder = upload_folder(files, folder)
    refused = write_upload(files, folder)
    if refused is not None:
        return UploadCheck(False, refused, {})
    try:
        prepared = prepare(_upload_target(files, folder))
    except IngestError as error:
        return UploadCheck(False, error.failures, {})
    except Exception as error:  # unreadable bytes, broken workbook: report, never a traceback
        return UploadCheck(False, _failure(", ".join(Path(str(n)).name for n, _ in files),
                                           "unreadable", t("unreadable", reason=str(error)[:300])),
                           {})
    return UploadCheck(True, _failure("", "", "").iloc[0:0], prepared.counts)


def ingest_upload(files: list, folder: Path, path: Path, by: str | None = None):
    """``ingest.store.ingest_dataset`` of the uploaded files into the store (one batch, named
    after the uploaded files: see :func:`upload_folder`); ``by`` is the signed-in editor."""
    from ingest.store import ingest_dataset

    folder = upload_folder(files, folder)
    refused = write_upload(files, folder)
    if refused is not None:
        raise ValueError("upload refused")
    return ingest_dataset(_upload_target(files, folder), store=path, by=by)


def remove_batch(path: Path, batch: int, by: str) -> dict:
    """``ingest.batches.remove_batch`` (one transaction; refused when others depend on it)."""
    from ingest.batches import remove_batch as remove

    return remove(path, batch, by=by)


def upload_folder(files: list, folder: Path) -> Path:
    """A folder inside ``folder`` named after the uploaded files (the batch's name).

    ``organizations.csv`` and ``events.csv`` → ``folder/organizations+events``; more than
    four files → the first four and ``+N``. Created when missing.

    >>> import tempfile
    >>> upload_folder([("organizations.csv", b""), ("events.csv", b"")], Path(tempfile.mkdtemp())).name
    'organizations+events'
    """
    stems = [Path(str(name)).name.rsplit(".", 1)[0].replace(".", "_") or "upload"
             for name, _ in files] or ["upload"]
    name = "+".join(stems[:4]) + (f"+{len(stems) - 4}" if len(stems) > 4 else "")
    target = folder / name[:120]
    target.mkdir(parents=True, exist_ok=True)
    return target


def _upload_target(files: list, folder: Path) -> Path:
    """The folder of uploaded CSVs, or the one uploaded workbook."""
    names = [Path(str(name)).name for name, _ in files]
    if len(names) == 1 and names[0].lower().endswith(".xlsx"):
        return folder / names[0]
    return folder


def store_status(path: Path, version: str) -> dict:
    """``ingest.store.status`` (counts per table, batches), ``ingest.store.conflicts`` and
    ``ingest.store.merge_candidates`` of the latest batch (name pairs for editors to review)."""
    return _store_status(path, write_version(path))


@st.cache_data(show_spinner=False, max_entries=4)
def _store_status(path: Path, written: str) -> dict:
    from ingest.store import conflicts, merge_candidates, status

    return {"status": status(path), "conflicts": conflicts(path),
            "merge_candidates": merge_candidates(path)}


#: Download formats of the Data page (``graph.io.FORMATS`` names).
EXPORT_FORMATS = ("gexf", "graphml", "csv", "xlsx")
_MIME = {"gexf": "application/xml", "graphml": "application/xml", "csv": "application/zip",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@st.cache_data(show_spinner=False, max_entries=8)
def export_bytes(path: Path, version: str, scope: Scope, fmt: str) -> tuple[str, bytes, str]:
    """The tie graph in view written by ``graph.io.write_graph``: (file name, bytes, mime).

    CSV is two files (nodes, edges), delivered as one zip.
    """
    import io
    import tempfile
    import zipfile

    from graph.io import write_graph

    G = view_graph(path, version, scope)
    with tempfile.TemporaryDirectory() as folder:
        written = write_graph(G, Path(folder) / f"tsunagari.{fmt}", format=fmt)
        if len(written) == 1:
            return written[0].name, written[0].read_bytes(), _MIME[fmt]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in written:
                archive.write(file, file.name)
        return "tsunagari-csv.zip", buffer.getvalue(), _MIME[fmt]
