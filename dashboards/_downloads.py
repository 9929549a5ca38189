"""Downloads built from loaded tables: formula-escaped CSV cells, XLSX workbooks, flat gap tables.

>>> spreadsheet_safe(pd.DataFrame({"a": ["=1+1", "会"]}))["a"].tolist()
["'=1+1", '会']
"""

from __future__ import annotations

import pandas as pd

__all__ = ["spreadsheet_safe", "gap_downloads", "xlsx_bytes"]


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell that a spreadsheet would run as a formula, prefixed with ``'``."""
    from ingest.cells import escape_spreadsheet_cell

    return frame.map(escape_spreadsheet_cell)


def gap_downloads(gaps: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The gap tables as flat frames for download (tuples and lists become text).

    >>> gap_downloads({"t": pd.DataFrame({"a": [(1, 2)], "b": [3]})})["t"].values.tolist()
    [['1, 2', 3]]
    """
    def flat(value):
        if isinstance(value, (list, tuple, set, frozenset)):
            return ", ".join(str(v) for v in value)
        return value

    return {name: frame.map(flat) for name, frame in gaps.items() if isinstance(frame, pd.DataFrame)}


def xlsx_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook (one sheet per frame), formula-escaped, as bytes for a download button."""
    import io

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False,
                                                   "strings_to_urls": False}}) as writer:
        for name, frame in frames.items():
            spreadsheet_safe(frame).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()
