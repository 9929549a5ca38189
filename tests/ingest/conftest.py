"""Shared helpers for the ingest tests: small hand-built datasets and a store snapshot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

TODAY = dt.date(2026, 1, 1)

GOOD = {
    "organizations.csv": (
        "id,name,kind,ward,orientation,fields,founded,source\n"
        "R-O001,特定非営利活動法人 ReBORN,npo,西淀川区,thematic,13;1,2015-04-01,seed\n"
        "R-O002,尼崎信用金庫,company,西淀川区,,,,seed\n"
        "R-O003,西淀川区社会福祉協議会,public_agency,西淀川区,,,,seed\n"
        "R-O004,FC大阪,company,東淀川区,,,,seed\n"
    ),
    "events.csv": (
        "id,name,date,end_date,attendance,ward,organizer_id\n"
        "R-E001,MAIDOにしよど,2019-11-03,,500,西淀川区,R-O003\n"
        "R-E002,地活協フォーラム,2019-02-17,2019-02-17,204,,\n"
    ),
    "participations.csv": (
        "event_id,org_id,role\n"
        "R-E001,R-O001,出展\n"
        "R-E001,R-O002,\n"
        "R-E002,R-O004,\n"
    ),
    "collaborations.csv": (
        "id,title,org_ids,start_date\n"
        "R-C001,冒険遊び場の見守り,R-O002;R-O003,2019-06-01\n"
    ),
    "awards.csv": (
        "org_id,program,fiscal_year,amount_yen\n"
        "R-O001,市民活動推進助成,令和元年度,100000\n"
    ),
}


def write_dataset(folder: Path, files: dict[str, str | bytes], encoding: str = "utf-8") -> Path:
    """Write ``files`` (name → text or bytes) into ``folder``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode(encoding))
    return folder


def snapshot(store: Path) -> dict:
    """Every row of every table in the store, read with plain DuckDB (sorted)."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY table_name").fetchall()]
        return {name: con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()
                for name in names}
    finally:
        con.close()


@pytest.fixture
def good_folder(tmp_path) -> Path:
    return write_dataset(tmp_path / "good", GOOD)
