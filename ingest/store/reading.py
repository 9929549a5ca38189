"""Reading the store back: the dataset (latest batch wins), its status, merge candidates."""

from __future__ import annotations

import json

import pandas as pd

from ingest.schemas import TABLES, Dataset
from ingest.store.connection import connect, has_table, store_file, store_version
from ingest.store.record_conflicts import conflict_rows

__all__ = ["read_dataset", "status", "merge_candidates"]


def _latest(con, table: str) -> pd.DataFrame:
    key = ", ".join(f'"{k}"' for k in TABLES[table].key)
    return con.execute(f"""SELECT * EXCLUDE (_ingested_at) FROM "{table}"
        QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY _batch DESC, _row) = 1
        ORDER BY _batch, _file, _sheet, _row""").df()


def _to_frame(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    spec = TABLES[table]
    for column in spec.columns:
        values = frame[column.name]
        if column.type in ("str", "enum", "ward"):
            frame[column.name] = values.fillna("").astype(object)
        elif column.type == "date":
            frame[column.name] = pd.to_datetime(values).astype("datetime64[ns]")
        elif column.type == "fields":
            frame[column.name] = [[int(v) for v in x] if x is not None else [] for x in values]
        elif column.type in ("ids", "topics"):
            frame[column.name] = [[str(v) for v in x] if x is not None else [] for x in values]
        elif column.type == "bool":
            frame[column.name] = values.fillna(False).astype(bool)
        elif column.type in ("int", "fiscal_year"):
            frame[column.name] = values.astype("Int64")
        elif column.type == "float":
            frame[column.name] = values.astype("float64")
    frame["attrs"] = [json.loads(v) if v and v != "{}" else {} for v in frame["attrs"]]
    for name in ("_file", "_sheet"):
        frame[name] = frame[name].fillna("").astype(object)
    frame["_row"] = frame["_row"].astype("int64")
    frame["_batch"] = frame["_batch"].astype("int64")
    return frame.reset_index(drop=True)


def read_dataset(store=None, *, real_only: bool = False, timeout: float | None = None
                 ) -> Dataset:
    """Read the store back as a ``Dataset`` (the latest batch wins for a duplicated key).

    Conflicting versions stay in the store (see ``conflicts``). With ``real_only`` the
    records marked ``synthetic`` are left out. Tables without records are absent
    (``Dataset.table`` gives an empty frame). ``Dataset.city`` is the city declared by the
    latest batch that declared one ("" when none did: Osaka City).

    >>> import tempfile, pathlib
    >>> from ingest.store import ingest_dataset
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text(
    ...     "id,name,kind,synthetic\\nR-O1,ReBORN,npo,false\\nS-O1,Test,npo,true\\n")
    >>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
    >>> read_dataset(folder / "s.duckdb", real_only=True).table("organizations")["id"].tolist()
    ['R-O1']
    """
    frames = {}
    city = ""
    with connect(store, write=False, timeout=timeout) as con:
        if has_table(con, "batches"):
            row = con.execute("""SELECT city FROM batches WHERE coalesce(city, '') <> ''
                ORDER BY batch_id DESC LIMIT 1""").fetchone()
            city = row[0] if row else ""
        for table in TABLES:
            if not has_table(con, table):
                continue
            frame = _latest(con, table)
            if real_only and len(frame):
                frame = frame.loc[~frame["synthetic"].fillna(False).astype(bool)]
            if len(frame):
                frames[table] = _to_frame(table, frame)
    return Dataset(frames, city=city)


def status(store=None, *, timeout: float | None = None) -> dict:
    """Counts per table (current records and all stored versions) and the batches.

    >>> import tempfile, pathlib
    >>> from ingest.store import ingest_dataset
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text("id,name,kind\\nR-O1,ReBORN,npo\\n")
    >>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
    >>> info = status(folder / "s.duckdb")
    >>> info["tables"]["organizations"], len(info["batches"])
    ({'records': 1, 'stored': 1}, 1)
    """
    path = store_file(store)
    info = {"store": str(path), "version": store_version(path), "tables": {},
            "batches": [], "outcomes": 0, "conflicts": 0, "merge_candidates": 0}
    with connect(path, write=False, timeout=timeout) as con:
        for table, spec in TABLES.items():
            if not has_table(con, table):
                continue
            key = ", ".join(f'"{k}"' for k in spec.key)
            stored, current = con.execute(
                f'SELECT count(*), count(DISTINCT ({key})) FROM "{table}"').fetchone()
            info["tables"][table] = {"records": int(current), "stored": int(stored)}
        if has_table(con, "batches"):
            for row in con.execute("""SELECT batch_id, content_hash, path, name, city,
                    ingested_at, counts, ingested_by FROM batches ORDER BY batch_id""").fetchall():
                info["batches"].append({
                    "batch": row[0], "content_hash": row[1], "path": row[2], "name": row[3],
                    "city": row[4], "ingested_at": row[5].isoformat(sep=" "),
                    "counts": json.loads(row[6] or "{}"), "ingested_by": row[7] or ""})
        if has_table(con, "outcomes"):
            info["outcomes"] = int(con.execute("SELECT count(*) FROM outcomes").fetchone()[0])
        if has_table(con, "merge_candidates") and info["batches"]:
            latest = info["batches"][-1]["batch"]
            info["merge_candidates"] = int(con.execute(
                "SELECT count(*) FROM merge_candidates WHERE _batch = ?", [latest]
            ).fetchone()[0])
        frame = conflict_rows(con)
    info["conflicts"] = int(frame.groupby(["table", "key"]).ngroups) if len(frame) else 0
    return info


def merge_candidates(store=None, *, batch: int | None = None,
                     timeout: float | None = None) -> pd.DataFrame:
    """Name pairs proposed for review by a batch (default: the latest batch).

    Columns ``org_a, name_a, org_b, name_b, score, reason, _batch``.
    """
    with connect(store, write=False, timeout=timeout) as con:
        if not has_table(con, "merge_candidates"):
            return pd.DataFrame(columns=["org_a", "name_a", "org_b", "name_b", "score",
                                         "reason", "_batch"])
        if batch is None:
            row = con.execute("SELECT max(batch_id) FROM batches").fetchone()
            batch = row[0] if row and row[0] is not None else 0
        return con.execute("""SELECT org_a, name_a, org_b, name_b, score, reason, _batch
            FROM merge_candidates WHERE _batch = ? ORDER BY score DESC, org_a, org_b""",
                           [batch]).df()
