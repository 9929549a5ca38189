"""A ward report (``graph.report.content.Report``) as PDF, XLSX or HTML bytes.

- **PDF** (fpdf2): A4, the Japanese TrueType font of ``graph.report.fonts`` embedded as a
  subset, so the file reads the same on any machine. Text is drawn as text (no markup is
  interpreted), so a name can never become markup.
- **XLSX** (xlsxwriter): one sheet per table, every text cell passed through
  ``graph.io.escape_spreadsheet_cell`` and formula/URL conversion off.
- **HTML**: one self-contained page (pictures inlined as ``data:`` PNG), every text escaped.

>>> import pandas as pd
>>> from graph.report.content import Report, Section
>>> r = Report("北区 <b>", "sub", "ja", "北区",
...            [Section("x", "見出し", "本文", [("", pd.DataFrame({"名前": ["=1+1", "<i>"]}))])])
>>> page = to_html(r).decode()
>>> "&lt;b&gt;" in page and "&lt;i&gt;" in page and "<i>" not in page
True
>>> to_pdf(r)[:5]
b'%PDF-'
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import pandas as pd

from graph.report.content import Report

__all__ = ["FORMATS", "to_pdf", "to_xlsx", "to_html", "render", "write_report"]

#: File suffix → renderer name.
FORMATS = {".pdf": "pdf", ".xlsx": "xlsx", ".html": "html"}
#: Most rows of one table printed in the PDF and HTML (the XLSX has every row).
PRINT_ROWS = 60


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _widths(table: pd.DataFrame) -> tuple[float, ...]:
    """Column widths in proportion to their typical text length (between 4 and 40 characters).

    >>> _widths(pd.DataFrame({"a": ["x"], "b": ["y" * 80]}))
    (4.0, 40.0)
    """
    shown = table.head(PRINT_ROWS)
    return tuple(float(min(max(max([len(str(c))] + [len(_cell(v)) for v in shown[c]]), 4), 40))
                 for c in shown.columns)


def to_pdf(report: Report) -> bytes:
    """The report as an A4 PDF with the CJK font embedded."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    from graph.report.fonts import cjk_font

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.add_font("cjk", "", str(cjk_font()))
    pdf.set_title(report.title)
    pdf.set_creator("Tsunagari")
    pdf.set_lang(report.lang)
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.multi_cell(0, 10, report.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=9)
    pdf.multi_cell(0, 5, report.subtitle, align="L", new_x="LMARGIN", new_y="NEXT")
    heading = FontFace(emphasis=None, fill_color=(230, 236, 245))
    for section in report.sections:
        pdf.ln(3)
        pdf.set_font("cjk", size=14)
        pdf.multi_cell(0, 8, section.heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=9.5)
        if section.text:
            pdf.multi_cell(0, 5.2, section.text, align="L", new_x="LMARGIN", new_y="NEXT")
        for picture in section.images:
            pdf.image(io.BytesIO(picture), w=min(170, pdf.epw))
        for caption, table in section.tables:
            if caption:
                pdf.set_font("cjk", size=11)
                pdf.multi_cell(0, 6, caption, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("cjk", size=8)
            if table.empty:
                pdf.multi_cell(0, 5, "—", new_x="LMARGIN", new_y="NEXT")
                continue
            with pdf.table(headings_style=heading, line_height=4.6, padding=1,
                           text_align="LEFT", first_row_as_headings=True,
                           col_widths=_widths(table)) as grid:
                grid.row([str(c) for c in table.columns])
                for values in table.head(PRINT_ROWS).itertuples(index=False):
                    grid.row([_cell(v)[:300] for v in values])
            pdf.ln(2)
    return bytes(pdf.output())


def to_xlsx(report: Report) -> bytes:
    """The report's tables as a workbook: a contents sheet, then one sheet per table."""
    from graph.io import escape_spreadsheet_cell

    buffer = io.BytesIO()
    contents = pd.DataFrame({"": [report.title, report.subtitle]
                             + [f"{s.heading}: {s.text}" for s in report.sections]})
    sheets: list[tuple[str, pd.DataFrame]] = [("contents", contents)]
    for section in report.sections:
        for number, (_, table) in enumerate(section.tables, 1):
            sheets.append((f"{section.key}{number if number > 1 else ''}", table))
    with pd.ExcelWriter(buffer, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False,
                                                   "strings_to_urls": False}}) as writer:
        for name, table in sheets:
            safe = table.copy()
            safe.columns = [escape_spreadsheet_cell(str(c)) for c in safe.columns]
            for column in safe.columns:
                safe[column] = [escape_spreadsheet_cell(v) for v in safe[column]]
            safe.to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()


def to_html(report: Report) -> bytes:
    """One self-contained, escaped HTML page."""
    e = html.escape
    parts = [f'<!doctype html><html lang="{e(report.lang)}"><head><meta charset="utf-8">'
             f"<title>{e(report.title)}</title><style>"
             "body{font-family:'Noto Sans CJK JP','IPAexGothic',sans-serif;max-width:60em;"
             "margin:2em auto;padding:0 1em;color:#222}table{border-collapse:collapse;"
             "margin:.5em 0 1em;font-size:.85em}th,td{border:1px solid #ccc;padding:.2em .4em;"
             "text-align:left;vertical-align:top}th{background:#e6ecf5}img{max-width:100%}"
             "</style></head><body>",
             f"<h1>{e(report.title)}</h1><p><small>{e(report.subtitle)}</small></p>"]
    for section in report.sections:
        parts.append(f'<section id="{e(section.key)}"><h2>{e(section.heading)}</h2>')
        if section.text:
            parts.append(f"<p>{e(section.text)}</p>")
        for picture in section.images:
            data = base64.b64encode(picture).decode("ascii")
            parts.append(f'<img alt="{e(section.heading)}" src="data:image/png;base64,{data}">')
        for caption, table in section.tables:
            if caption:
                parts.append(f"<h3>{e(caption)}</h3>")
            if table.empty:
                parts.append("<p>—</p>")
                continue
            head = "".join(f"<th>{e(str(c))}</th>" for c in table.columns)
            body = "".join("<tr>" + "".join(f"<td>{e(_cell(v))}</td>" for v in row) + "</tr>"
                           for row in table.head(PRINT_ROWS).itertuples(index=False))
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts).encode("utf-8")


def render(report: Report, fmt: str) -> bytes:
    """The report in ``fmt`` (``pdf``, ``xlsx`` or ``html``)."""
    renderers = {"pdf": to_pdf, "xlsx": to_xlsx, "html": to_html}
    if fmt not in renderers:
        raise ValueError(f"unknown report format {fmt!r}; use pdf, xlsx or html")
    return renderers[fmt](report)


def write_report(report: Report, out: str | Path) -> Path:
    """Write the report to ``out``, its format taken from the suffix (.pdf, .xlsx, .html).

    The file is written under a temporary name and renamed, so a half-written report never
    replaces an older one.
    """
    out = Path(out)
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise ValueError(f"{out}: the report file must end in .pdf, .xlsx or .html")
    data = render(report, fmt)
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(data)
    partial.replace(out)
    return out
