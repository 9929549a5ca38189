"""Read, normalise, validate and resolve a dataset in one call (no store involved).

``prepare`` runs the whole pipeline and returns a ``Prepared`` dataset (typed frames with
provenance, merges applied, merge candidates, metadata) or raises
``ingest.validate.IngestError`` listing every problem at once. ``load_dataset`` gives the
result as an ``ingest.schemas.Dataset`` (the in-memory format in ``docs/CONTRACTS.md``);
``ingest.store.ingest_dataset`` writes a ``Prepared`` dataset into the store.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "organizations.csv").write_text(
...     "id,name,kind,ward\\nR-O1,ReBORN,npo,西淀川区\\nR-O2,FC大阪,company,東淀川\\n")
>>> _ = (folder / "participations.csv").write_text("event_id,org_id\\nE1,ReBORNさん\\n")
>>> _ = (folder / "events.csv").write_text("id,name,date\\nE1,MAIDOにしよど,2019-11-03\\n")
>>> ds = load_dataset(folder)
>>> ds.table("participations")["org_id"].tolist(), ds.table("organizations")["ward"].tolist()
(['R-O1'], ['西淀川区', '東淀川区'])
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ingest.readers import RawDataset, dataset_hash, ignored_note, progress, read_dataset_files
from ingest.resolve import MERGE_COLUMNS, apply_aliases, merge_candidates, resolve_references
from ingest.schemas import TABLES, Dataset, canonical_table
from ingest.validate import (
    Failures,
    IngestError,
    check_collaborations,
    check_duplicates,
    check_tables,
    pack_attrs,
)

__all__ = ["Prepared", "prepare", "load_dataset", "to_dataset"]


@dataclass
class Prepared:
    """A dataset that passed validation, ready for the store or for analysis.

    ``tables`` hold canonical columns, extra columns (named in ``extras``) and provenance
    ``_file``, ``_sheet``, ``_row``; ``merges`` lists the reviewed alias merges applied and
    ``candidates`` the near-duplicate names for review; ``content_hash`` identifies the
    files' content.
    """

    path: Path
    tables: dict[str, pd.DataFrame]
    extras: dict[str, list[str]]
    meta: dict
    merges: pd.DataFrame
    candidates: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    content_hash: str = ""

    @property
    def counts(self) -> dict[str, int]:
        """Number of records per table present."""
        return {name: len(frame) for name, frame in self.tables.items()}


def _aliases_frame(raw: RawDataset) -> pd.DataFrame | None:
    if raw.aliases is None:
        return None
    frame = raw.aliases.frame.copy()
    frame["_file"] = raw.aliases.file
    frame["_sheet"] = raw.aliases.sheet
    frame["_row"] = raw.aliases.rows
    return frame


def prepare(path: str | Path, *, today: dt.date | None = None, threshold: float = 90.0,
            show_progress: bool | None = None, content_hash: str | None = None) -> Prepared:
    """Read, type, check and resolve the dataset at ``path``.

    Parameters
    ----------
    path : str or Path
        A folder of CSV files, one CSV file named after a table, or one XLSX workbook.
    today : datetime.date, optional
        Dates after this day are refused (default: the real today).
    threshold : float
        Similarity (0–100) above which two organisation names are merge candidates.
    show_progress : bool, optional
        Force the progress bar on or off (default: on when stderr is a terminal).
    content_hash : str, optional
        ``ingest.readers.dataset_hash(path)`` when the caller computed it already.

    Returns
    -------
    Prepared

    Raises
    ------
    IngestError
        With every problem found (``.failures``), when anything is wrong.

    Examples
    --------
    >>> prepare("/no/such/folder")
    Traceback (most recent call last):
    ...
    ingest.validate.IngestError: 1 problem:
      /no/such/folder: path_not_found: /no/such/folder: no such file or folder
    """
    path = Path(path)
    steps = progress(total=5, desc=f"checking {path.name}", enabled=show_progress)
    try:
        raw = read_dataset_files(path, show_progress=show_progress)
        steps.set_postfix_str(f"{sum(len(t.frame) for ts in raw.tables.values() for t in ts):,}"
                              " rows", refresh=False)
        steps.update()
        failures = Failures(raw.failures)
        if raw.kind in ("missing", "unknown"):
            raise IngestError(failures.frame(), path=path)
        # Tables whose file or sheet could not be read (reported already): not "missing".
        unreadable = {canonical_table(f["sheet"] or Path(f["file"]).stem) for f in raw.failures}
        if raw.tables and "organizations" not in raw.tables and \
                "organizations" not in unreadable:
            failures.add(path.name, "", None, "", "missing_table",
                         "the organizations table is required (organizations.csv or a sheet "
                         "named organizations / 団体)" + ignored_note(raw))
        org_parts = raw.tables.get("organizations") or []
        if org_parts and all(len(part.frame) == 0 for part in org_parts):
            part = org_parts[0]
            failures.add(part.file, part.sheet, part.header_row + 1, "", "missing_table",
                         "the organizations table has a header but no records; "
                         "at least one organisation is needed")
        if raw.aliases is not None:
            for column in ("alias", "org_id"):
                if column not in raw.aliases.frame.columns:
                    failures.add(raw.aliases.file, raw.aliases.sheet, raw.aliases.header_row,
                                 column,
                                 "missing_column",
                                 f"aliases need the columns alias,org_id; {column!r} is "
                                 "missing")
        checked = check_tables(raw, failures, today=today)
        steps.update()
        orgs = checked.tables.get("organizations")
        tables = dict(checked.tables)
        merges = pd.DataFrame({c: pd.Series(dtype=object) for c in MERGE_COLUMNS})
        index = None
        if orgs is not None:
            aliases = _aliases_frame(raw)
            if aliases is not None and not {"alias", "org_id"} <= set(aliases.columns):
                aliases = None  # reported above
            orgs, index, merges = apply_aliases(orgs, aliases, failures,
                                                checked.headers)
            tables["organizations"] = orgs
        codes: dict = {}
        tables = resolve_references(tables, index, failures, checked.headers, codes=codes,
                                    header_rows=checked.header_rows, unreadable=unreadable)
        steps.update()
        for table, frame in tables.items():
            known = {column: found for (name, column), found in codes.items() if name == table}
            check_duplicates(table, frame, failures, checked.headers, codes=known)
        if "collaborations" in tables:
            check_collaborations(tables["collaborations"], failures, checked.headers)
        if len(failures):
            raise IngestError(failures.frame(), path=path)
        kept = tables.get("organizations")
        candidates = merge_candidates(
            kept if kept is not None else pd.DataFrame({"id": [], "name": []}),
            threshold=threshold, keys=None if index is None else index.keys)
        steps.update()
        content = content_hash or dataset_hash(path)
        steps.update()
    finally:
        steps.close()
    return Prepared(path=path, tables=tables, extras=checked.extras, meta=dict(raw.meta),
                    merges=merges, candidates=candidates, notes=list(raw.notes),
                    content_hash=content)


def to_dataset(prepared: Prepared) -> Dataset:
    """The in-memory ``Dataset`` of a prepared dataset (extras packed into ``attrs``).

    String columns are ``object`` dtype, like ``ingest.schemas.empty_frame``.
    """
    frames = {}
    for table, frame in prepared.tables.items():
        frames[table] = _canonical_frame(table, frame, prepared.extras.get(table, []))
    return Dataset(frames, city=str(prepared.meta.get("city", "") or ""))


def _canonical_frame(table: str, frame: pd.DataFrame, extras: list[str]) -> pd.DataFrame:
    spec = TABLES[table]
    out = {}
    for column in spec.columns:
        values = frame[column.name]
        if column.type in ("str", "enum", "ward"):
            values = values.astype(object)
        out[column.name] = values
    result = pd.DataFrame(out, index=frame.index)
    result["attrs"] = pack_attrs(frame, extras)
    result["_file"] = frame["_file"].astype(object)
    result["_sheet"] = frame["_sheet"].astype(object)
    result["_row"] = frame["_row"].astype("int64")
    return result.reset_index(drop=True)


def load_dataset(path: str | Path, *, today: dt.date | None = None,
                 show_progress: bool | None = None) -> Dataset:
    """Read, normalise, validate and resolve a dataset: the ``Dataset``, or ``IngestError``.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text("id,name,kind\\nR-O1,ReBORN,unknown\\n")
    >>> try:
    ...     load_dataset(folder)
    ... except IngestError as err:
    ...     err.failures[["file", "row", "column", "code"]].values.tolist()
    [['organizations.csv', 2, 'kind', 'unknown_kind']]
    """
    return to_dataset(prepare(path, today=today, show_progress=show_progress))
