"""Cleaning columns of text: NFKC, trimmed, whitespace collapsed, with arrow kernels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["arrow_strings", "normalise_text"]


def arrow_strings(series: pd.Series) -> pa.Array:
    """The values of a string Series as one contiguous arrow array (no copy when possible).

    >>> arrow_strings(pd.Series(["a", "b"])).to_pylist()
    ['a', 'b']
    """
    arr = pa.array(series.astype("str"))
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr


# What Python's ``str.isspace`` calls whitespace, as an RE2 class (RE2's ``\s`` is ASCII).
_SPACE = r"\s\x{0B}\x{1C}-\x{1F}\x{85}\p{Z}"
_SPACE_RUN = rf"[{_SPACE}]+"
# A value needs its whitespace fixed when it starts or ends with whitespace, holds two in a
# row, or holds any whitespace character other than the plain space.
_SPACE_ODD = rf"^[{_SPACE}]|[{_SPACE}]$|[{_SPACE}]{{2}}|[\x{{09}}-\x{{0D}}\x{{1C}}-\x{{1F}}\x{{85}}]|[^\x{{20}}\PZ]"


def _rows_may_change(arr: pa.Array) -> np.ndarray:
    """A mask of the values that may change: non-ASCII values and values holding a byte
    at or below 0x20 (whitespace and other control characters).

    Non-ASCII values come from arrow's ``string_is_ascii`` kernel; low bytes (rare) are
    found in one vectorised pass over the data buffer and mapped to their values through
    the offsets, so no string is looked at in Python.
    """
    mask = np.zeros(len(arr), dtype=bool)
    _, offsets_buffer, data = arr.buffers()[:3]
    if data is None or len(arr) == 0:
        return mask
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=width)[arr.offset:arr.offset + len(arr) + 1]
    first, last = int(offsets[0]), int(offsets[-1])
    ascii_only = pc.fill_null(pc.string_is_ascii(arr), True)
    if not pc.all(ascii_only).as_py():
        mask |= ~ascii_only.to_numpy(zero_copy_only=False)
    low = np.flatnonzero(np.frombuffer(data, dtype=np.uint8)[first:last] <= 0x20)
    if len(low):
        mask[np.searchsorted(offsets, low + first, side="right") - 1] = True
    return mask


def _clean_strings(arr: pa.Array, *, nfkc_form: bool = True) -> pa.Array:
    if nfkc_form:
        wide = pc.invert(pc.string_is_ascii(arr))
        if pc.any(wide).as_py():
            arr = pc.replace_with_mask(arr, wide,
                                       pc.utf8_normalize(pc.filter(arr, wide), form="NFKC"))
    if pc.any(pc.match_substring_regex(arr, _SPACE_ODD)).as_py():
        arr = pc.utf8_trim(pc.replace_substring_regex(arr, _SPACE_RUN, " "), characters=" ")
    return arr


def normalise_text(series: pd.Series, *, nfkc_form: bool = True) -> pd.Series:
    """NFKC-normalise a column of strings, trim it and collapse runs of whitespace.

    One pass over the column's bytes finds the values that may change (non-ASCII, or a
    byte at or below 0x20); a column with none is returned as it is. Those values are
    dictionary-encoded, their distinct values cleaned with pyarrow compute kernels, and the
    column is rebuilt only when some value changed. With ``nfkc_form=False`` only the
    whitespace is trimmed and collapsed (for ``source`` citations, where ② must stay ②).

    >>> normalise_text(pd.Series(["ＲｅＢＯＲＮ", "  a\t b ", "x", "平成　30年"])).tolist()
    ['ReBORN', 'a b', 'x', '平成 30年']
    >>> normalise_text(pd.Series([" seed 2(1)③　実績 "]), nfkc_form=False).tolist()
    ['seed 2(1)③ 実績']
    """
    s = series.astype("str")
    if len(s) == 0:
        return s
    arr = arrow_strings(s)
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    rows = _rows_may_change(arr)
    if not rows.any():
        return s
    every = bool(rows.mean() > 0.25)  # past a quarter, filtering costs more than it saves
    subset = arr if every else arr.filter(pa.array(rows))
    encoded = pc.dictionary_encode(subset)
    distinct = encoded.dictionary
    cleaned = _clean_strings(distinct, nfkc_form=nfkc_form)
    if cleaned.equals(distinct):
        return s
    changed = pc.take(cleaned, encoded.indices)
    out = changed if every else pc.replace_with_mask(arr, pa.array(rows), changed)
    return pd.Series(pd.array(out, dtype="str"), index=s.index)
