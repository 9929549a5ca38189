"""The extra columns of a record (not in the record format), kept as its ``attrs``."""

from __future__ import annotations

import json

import pandas as pd

__all__ = ["pack_attrs", "attrs_json"]


def pack_attrs(frame: pd.DataFrame, extras: list[str]) -> list[dict]:
    """The extra columns of each row as a dict (empty values left out)."""
    if not extras:
        return [{} for _ in range(len(frame))]
    columns = [frame[c].to_numpy() for c in extras]
    return [{k: v for k, v in zip(extras, values) if v != ""} for values in zip(*columns)]


def attrs_json(frame: pd.DataFrame, extras: list[str]) -> pd.Series:
    """The extra columns of each row as a JSON object string (``"{}"`` when none), keys
    sorted so that one record's attributes give one string whatever the column order."""
    if not extras:
        return pd.Series("{}", index=frame.index, dtype="str")
    return pd.Series([json.dumps(d, ensure_ascii=False, sort_keys=True)
                      for d in pack_attrs(frame, extras)], index=frame.index, dtype="str")
