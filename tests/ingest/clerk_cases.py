"""Helpers of the clerk-and-researcher regression tests (test_dates_in_records.py and its
siblings): small datasets and the ingest-must-fail-and-change-nothing check."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from cli.main import main
from ingest.load import load_dataset
from ingest.validate import IngestError

from .conftest import GOOD, TODAY, snapshot, write_dataset

ORGS = "id,name,kind,ward\nO1,あおぞらネット,npo,北区\nO2,みなと商事,company,港区\n"
EVENTS = "id,name,date\nE1,夏祭り,2019-08-01\n"


def _failures(folder) -> pd.DataFrame:
    with pytest.raises(IngestError) as caught:
        load_dataset(folder, today=TODAY)
    return caught.value.failures


def _ingest_fails(tmp_path, path, capsys) -> pd.DataFrame:
    """Ingest GOOD, then ``path``: exit 2, store unchanged, no traceback; the report."""
    store = tmp_path / "x.duckdb"
    assert main(["ingest", str(write_dataset(tmp_path / "good", GOOD)),
                 "--store", str(store)]) == 0
    before = snapshot(store)
    report = tmp_path / "report.csv"
    assert main(["ingest", str(path), "--store", str(store), "--report", str(report)]) == 2
    assert snapshot(store) == before
    assert "Traceback" not in capsys.readouterr().err
    return pd.read_csv(report, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _book(path, sheets: dict[str, list[list]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path
