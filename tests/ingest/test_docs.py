"""The examples in docs/data-format.md are a valid dataset (the page stays true)."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.load import load_dataset
from ingest.schemas import TABLES
from ingest.store import conflicts, ingest_dataset

from .conftest import TODAY

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-format.md"


def _examples() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    found = re.findall(r"Example `(\w+)\.csv`:\n\n```csv\n(.*?)```", text, flags=re.S)
    return {name: body for name, body in found}


def test_every_table_has_an_example_and_they_load(tmp_path):
    examples = _examples()
    assert set(examples) == set(TABLES)
    folder = tmp_path / "doc"
    folder.mkdir()
    for name, body in examples.items():
        (folder / f"{name}.csv").write_text(body, encoding="utf-8")
    ds = load_dataset(folder, today=TODAY)
    assert ds.table("participations")["org_id"].tolist() == ["R-O004", "R-O004"]
    assert ds.table("events").loc[1, "organizer_id"] == "R-O004"
    assert ds.table("dispatches").loc[0, "sessions"] == 5
    store = tmp_path / "doc.duckdb"
    ingest_dataset(folder, store=store, today=TODAY)
    assert conflicts(store)["values"].tolist() == ["value=12.0", "value=7.0"]
