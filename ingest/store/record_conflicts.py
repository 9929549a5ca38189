"""Conflicts: one record key with different values across batches or sources."""

from __future__ import annotations

import json

import pandas as pd

from ingest.schemas import TABLES
from ingest.store.connection import connect, has_table

__all__ = ["CONFLICT_COLUMNS", "conflicts", "conflict_rows"]

CONFLICT_COLUMNS = ("table", "key", "differs", "batch", "file", "sheet", "row", "source",
                    "values")


def _conflict_key(table: str) -> list[str]:
    return [k for k in TABLES[table].key if k != "source"]


def _value_columns(table: str) -> list[str]:
    """The columns whose values two versions of one record are compared on: every column
    but the key and ``source``, and the extra columns (``attrs``)."""
    key = set(TABLES[table].key)
    return [c.name for c in TABLES[table].columns
            if c.name not in key and c.name != "source"] + ["attrs"]


def _canonical_attrs(text) -> str:
    """``attrs`` JSON with its keys sorted, so that key order never makes a conflict.

    >>> _canonical_attrs('{"note": "n1", "memo": "m1"}'), _canonical_attrs(None)
    ('{"memo": "m1", "note": "n1"}', '{}')
    """
    if not text or text == "{}":
        return "{}"
    return json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True)


def conflict_rows(con) -> pd.DataFrame:
    """``conflicts`` of the open store ``con``: one row per record involved.

    >>> import tempfile, pathlib
    >>> with connect(pathlib.Path(tempfile.mkdtemp()) / "s.duckdb", write=True) as con:
    ...     len(conflict_rows(con))
    0
    """
    parts = []
    for table in TABLES:
        if not has_table(con, table):
            continue
        key = _conflict_key(table)
        values = _value_columns(table)
        key_sql = ", ".join(f'"{k}"' for k in key)
        pack = ", ".join(f'"{v}" := "{v}"' for v in values)
        frame = con.execute(f"""
            WITH groups AS (
                SELECT {key_sql} FROM "{table}" GROUP BY {key_sql}
                HAVING count(DISTINCT md5(CAST(struct_pack({pack}) AS VARCHAR))) > 1)
            SELECT t.* FROM "{table}" t JOIN groups USING ({key_sql})
            ORDER BY {", ".join(f't."{k}"' for k in key)}, _batch, _file, _sheet, _row
            """).df()
        if frame.empty:
            continue
        # Extra columns compare as values, not as JSON text: a store written before keys
        # were sorted holds {"note": …, "memo": …} where a new batch writes {"memo": …, …}.
        frame["attrs"] = [_canonical_attrs(v) for v in frame["attrs"]]
        frame["_key"] = frame[key].astype(str).agg(lambda r: ", ".join(
            f"{k}={v}" for k, v in zip(key, r)), axis=1)
        for label, group in frame.groupby("_key", sort=False):
            texts = {v: group[v].astype(str) for v in values}
            differs = [v for v in values if texts[v].nunique(dropna=False) > 1]
            if not differs:
                continue
            for position in range(len(group)):
                record = group.iloc[position]
                parts.append({
                    "table": table, "key": label, "differs": ", ".join(differs),
                    "batch": int(record["_batch"]), "file": record["_file"],
                    "sheet": record["_sheet"] or "", "row": int(record["_row"]),
                    "source": record["source"] or "",
                    "values": ", ".join(f"{v}={texts[v].iloc[position]}" for v in differs)})
    if has_table(con, "figures"):
        parts += _figure_conflicts(con)
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CONFLICT_COLUMNS})
    return pd.DataFrame(parts, columns=list(CONFLICT_COLUMNS))


def _figure_conflicts(con) -> list[dict]:
    """A stated total against its own table, one figure with two periods
    (``ingest.figure_checks``): one row per record involved."""
    from ingest.figure_checks import figure_conflicts

    figures = con.execute('SELECT * FROM figures ORDER BY _batch, _file, _sheet, _row').df()
    parts = []
    for found in figure_conflicts(figures).itertuples(index=False):
        for position in found.rows:
            record = figures.iloc[position]
            parts.append({
                "table": "figures", "key": found.key, "differs": found.differs,
                "batch": int(record["_batch"]), "file": record["_file"],
                "sheet": record["_sheet"] or "", "row": int(record["_row"]),
                "source": record["source"] or "",
                "values": f"period={record['period']}, value={float(record['value']):g}"})
    return parts


def conflicts(store=None, *, timeout: float | None = None) -> pd.DataFrame:
    """Records with one key but different values, each with its source and provenance.

    The key is the table's key without ``source`` (for ``figures``: metric, period,
    category), so two sources reporting different figures show up, as do two batches giving
    one organisation id different values. Figures are also checked against themselves
    (``ingest.figure_checks.figure_conflicts``): a stated total that differs from the sum
    of its own table, and one figure printed with two periods. Columns:
    ``CONFLICT_COLUMNS``; one conflict is one (``table``, ``key``).

    >>> import tempfile, pathlib
    >>> from ingest.store import ingest_dataset
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text("id,name,kind\\nR-O1,A,npo\\n")
    >>> _ = (folder / "figures.csv").write_text(
    ...     "metric,period,category,value,source\\ndispatches,FY2015,thematic,7,seed p.11\\n"
    ...     "dispatches,FY2015,thematic,12,seed p.32\\n")
    >>> _ = ingest_dataset(folder, store=folder / "s.duckdb")
    >>> conflicts(folder / "s.duckdb")[["table", "source", "values"]].values.tolist()
    [['figures', 'seed p.11', 'value=7.0'], ['figures', 'seed p.32', 'value=12.0']]
    """
    with connect(store, write=False, timeout=timeout) as con:
        return conflict_rows(con)
