"""Small named datasets with hand-worked answers, and the Davis Southern Women fixture.

Datasets are built in the documented in-memory frame format (see docs/CONTRACTS.md): dates as
``datetime64[ns]``, ``fields`` as ``list[int]``, ``org_ids`` as ``list[str]``, ``synthetic``
as bool.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ingest.schemas import TABLES, Dataset, empty_frame

DAVIS_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "davis"


def build_dataset(**tables: list[dict]) -> Dataset:
    """A Dataset from lists of row dicts per table, typed like ``ingest.load`` output."""
    frames = {}
    for name, rows in tables.items():
        spec = TABLES[name]
        frame = pd.DataFrame(rows)
        base = empty_frame(name)
        for column in spec.columns:
            if column.name not in frame.columns:
                frame[column.name] = base[column.name].reindex(frame.index)
            if column.type == "date":
                frame[column.name] = pd.to_datetime(frame[column.name])
            elif column.type in ("fields", "ids"):
                frame[column.name] = [list(v) if isinstance(v, (list, tuple)) else []
                                      for v in frame[column.name]]
            elif column.type == "bool":
                frame[column.name] = frame[column.name].fillna(False).astype(bool)
        frames[name] = frame
    return Dataset(frames)


def org(id, kind="citizen_group", ward="北区", **extra):
    return {"id": id, "name": f"団体{id}", "kind": kind, "ward": ward, **extra}


@pytest.fixture
def make_dataset():
    """Factory: ``make_dataset(organizations=[...], events=[...], ...)`` → Dataset."""
    return build_dataset


@pytest.fixture
def org_row():
    """Factory for one organisation row: ``org_row("A", kind="npo", ward="西区")``."""
    return org


@pytest.fixture
def three_at_an_event():
    """A, B, C attend E1 (2019-06-01); D attends nothing. Each pair of A, B, C gets 1/2."""
    return build_dataset(
        organizations=[org("A"), org("B"), org("C", ward="西区"), org("D", ward="西区")],
        events=[{"id": "E1", "name": "交流会", "date": "2019-06-01"}],
        participations=[{"event_id": "E1", "org_id": o} for o in "ABC"],
    )


@pytest.fixture
def fiscal_boundary():
    """E-MAR on 2019-03-31 (FY2018: A–B) and E-APR on 2019-04-01 (FY2019: B–C)."""
    return build_dataset(
        organizations=[org("A"), org("B"), org("C")],
        events=[{"id": "E-MAR", "name": "年度末", "date": "2019-03-31"},
                {"id": "E-APR", "name": "年度初め", "date": "2019-04-01"}],
        participations=[{"event_id": "E-MAR", "org_id": "A"},
                        {"event_id": "E-MAR", "org_id": "B"},
                        {"event_id": "E-APR", "org_id": "B"},
                        {"event_id": "E-APR", "org_id": "C"}],
    )


@pytest.fixture
def davis_dataset():
    """Davis Southern Women, loaded through the record format as a user would."""
    from ingest.load import load_dataset

    return load_dataset(DAVIS_DIR)
