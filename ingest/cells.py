"""The one spreadsheet-escape function for every CSV and XLSX that leaves the program.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run
as a formula by Excel and LibreOffice (CSV injection); Japanese Excel also runs the
full-width ``＝``, ``＋``, ``－`` and ``＠``. Such text gets a leading single quote, which the
spreadsheet shows as text. Used by ``graph.io`` (CSV and XLSX exports), the work lists
of ``tsunagari suggest``, the validation reports and the dashboard downloads.

>>> escape_spreadsheet_cell("＝cmd|' /C calc'!A0"), escape_spreadsheet_cell("-1")
("'＝cmd|' /C calc'!A0", "'-1")
>>> escape_spreadsheet_cell("ReBORN"), escape_spreadsheet_cell(-1)
('ReBORN', -1)
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_START", "FORMULA_SCAN", "escape_spreadsheet_cell",
           "escape_spreadsheet_texts"]

#: The first characters that make a spreadsheet read text as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
#: Finds a cell needing the escape in ``"\x00" + "\x00".join(texts)`` with one scan.
FORMULA_SCAN = re.compile("\x00[=+\\-@\t\r＝＋－＠]")


def escape_spreadsheet_cell(value):
    """A value safe to put in a spreadsheet cell: formula-like text gets a leading ``'``.

    Parameters
    ----------
    value : object
        Any cell value; only ``str`` is ever changed.

    Returns
    -------
    object

    Examples
    --------
    >>> escape_spreadsheet_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> escape_spreadsheet_cell("＠SUM(A1)"), escape_spreadsheet_cell("<script>")
    ("'＠SUM(A1)", '<script>')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def escape_spreadsheet_texts(texts):
    """:func:`escape_spreadsheet_cell` over a pandas Series of text (missing values kept),
    in one vectorised pass: what a column of a million names needs.

    Examples
    --------
    >>> import pandas as pd
    >>> escape_spreadsheet_texts(pd.Series(["=1+1", None, "ok", "＋x"], dtype=object)).tolist()
    ["'=1+1", None, 'ok', "'＋x"]
    """
    texts = texts.astype(object)
    formula = texts.str.startswith(FORMULA_START, na=False)
    return texts.where(~formula, "'" + texts.where(formula, ""))
