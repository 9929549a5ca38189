"""Checks on whole records after name resolution: duplicate keys, lone collaborations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ingest.readers import arrow_strings
from ingest.schemas import TABLES
from ingest.validate.failures import Failures

__all__ = ["check_duplicates", "check_collaborations"]


def _key_codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes of a key column and how many distinct values it has (missing = one
    more value). Arrow-backed strings are dictionary-encoded by arrow (one hash pass)."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        encoded = pc.dictionary_encode(arrow_strings(values), null_encoding="encode")
        return encoded.indices.to_numpy(zero_copy_only=False), len(encoded.dictionary)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, len(uniques)


def _duplicated(frame: pd.DataFrame, key: list[str], known: dict | None = None) -> np.ndarray:
    """Rows whose key occurs more than once: the codes of the key columns are combined into
    one int64 per row; sorting those finds repeated keys (usually none) without hashing
    tuples of strings. ``known`` maps a column to codes computed already."""
    combined = np.zeros(len(frame), dtype=np.int64)
    for k in key:
        if known is not None and k in known and len(known[k]) == len(frame):
            codes = known[k]
            distinct = int(codes.max()) + 1 if len(codes) else 0
        else:
            codes, distinct = _key_codes(frame[k])
        combined = combined * (distinct + 1) + codes
    ordered = np.sort(combined)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if not len(repeated):
        return np.zeros(len(frame), dtype=bool)
    return np.isin(combined, repeated)


def check_duplicates(table: str, frame: pd.DataFrame, failures: Failures, headers=None, *,
                     codes: dict | None = None) -> None:
    """Every record whose key (``TableSpec.key``) is given more than once is a failure.

    Run after name resolution, so two spellings of one organisation count as one key.
    ``codes`` may map key columns to integer codes already computed (equal codes for
    equal values, from ``ingest.resolve.resolve_references``), which saves hashing them.

    >>> frame = pd.DataFrame({"event_id": ["E1", "E1"], "org_id": ["R-1", "R-1"],
    ...                       "_file": "p.csv", "_sheet": "", "_row": [2, 3]})
    >>> f = Failures(); check_duplicates("participations", frame, f)
    >>> f.frame()["message"].tolist()[1]
    'duplicate event_id=E1, org_id=R-1: first given on p.csv row 2'
    """
    key = [k for k in TABLES[table].key if k in frame.columns]
    if not key:
        return
    if any(TABLES[table].column(k).type in ("fields", "ids", "topics") for k in key):
        return
    dup = _duplicated(frame, key, codes)
    if not dup.any():
        return
    for k in key:
        if TABLES[table].column(k).required:
            dup = dup & (frame[k].astype("str") != "").to_numpy()
    if not dup.any():
        return
    subset = frame.loc[dup, key + ["_file", "_row"]]
    first: dict[tuple, str] = {}
    messages = []
    for record in subset.itertuples(index=False, name=None):
        values, file, row = record[:-2], record[-2], record[-1]
        label = ", ".join(f"{k}={v}" for k, v in zip(key, values))
        if values in first:
            messages.append(f"duplicate {label}: first given on {first[values]}")
        else:
            first[values] = f"{file} row {row}"
            messages.append(f"duplicate {label}: given again later")
    texts = pd.Series("", index=frame.index, dtype=object)
    texts[dup] = messages
    failures.add_rows(frame, dup, key[0], "duplicate_id", texts, headers)


def check_collaborations(frame: pd.DataFrame, failures: Failures, headers=None) -> None:
    """A collaboration must involve at least two distinct organisations (after resolution).

    >>> frame = pd.DataFrame({"org_ids": [["R-O1", "R-O1"], ["R-O1", "R-O2"]],
    ...                       "_file": "c.csv", "_sheet": "", "_row": [2, 3]})
    >>> f = Failures(); check_collaborations(frame, f); f.frame()["row"].tolist()
    [2]
    """
    if frame.empty or "org_ids" not in frame.columns:
        return
    counts = frame["org_ids"].map(lambda ids: len(set(ids)) if isinstance(ids, list) else 0)
    listed = frame["org_ids"].map(lambda ids: isinstance(ids, list) and len(ids) > 0)
    bad = (listed & (counts < 2)).to_numpy()
    messages = "a collaboration needs at least two distinct organisations, got " + \
        counts.astype(str)
    failures.add_rows(frame, bad, "org_ids", "too_few_orgs", messages, headers)
