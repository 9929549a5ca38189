"""graph.report: a ward report of the real records in PDF (Japanese text, embedded font), XLSX, HTML."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from graph.errors import GraphError
from graph.report.render import to_html, to_pdf, to_xlsx, write_report
from graph.report.ward import make_ward_report

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '=HYPERLINK("http://x")<script>alert(1)</script>'


@pytest.fixture(scope="module")
def dataset():
    from ingest.load import load_dataset

    ds = load_dataset(ROOT / "data" / "osaka" / "real")
    orgs = ds.table("organizations")
    first = orgs.index[orgs["ward"] == "西淀川区"][0]
    orgs.loc[first, "name"] = HOSTILE  # a user's name is data, whatever it holds
    return ds


@pytest.fixture(scope="module")
def report(dataset):
    return make_ward_report(dataset, "西淀川区", store="city.duckdb", version="v-test")


def needs(tool: str):
    if shutil.which(tool) is None:
        problem = f"{tool} missing (poppler-utils: scripts/ensure_browser.sh installs it)"
        if os.environ.get("CI"):
            pytest.fail(problem)  # make test installs it: under CI a missing tool is a failure
        pytest.skip(problem)


def test_sections_in_order_with_reasons(report):
    keys = [s.key for s in report.sections]
    assert keys == ["network", "connectors", "isolated", "gaps", "introductions", "growth",
                    "figures", "sources"]
    connectors = report.sections[1].tables[0][1]
    assert list(connectors.columns) == ["団体名", "種別", "スコア", "理由"]
    assert connectors["理由"].str.len().gt(0).all()
    gaps = report.sections[3].tables[0][1]
    assert {"実際", "期待", "比"} <= set(gaps.columns) and len(gaps) > 0


def test_pdf_has_pages_japanese_text_and_the_font_embedded(report, tmp_path):
    needs("pdftotext")
    out = write_report(report, tmp_path / "西淀川区.pdf")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    for phrase in ("西淀川区 つながりレポート", "つなぎ役", "孤立", "ギャップ", "紹介の提案",
                   "推移", "報告書の数値", "v-test"):
        assert phrase in text, phrase
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert int(next(line.split()[-1] for line in info.splitlines()
                    if line.startswith("Pages:"))) >= 3
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "IPAexGothic" in fonts and " yes yes " in fonts  # embedded as a subset


def test_english_report(dataset, tmp_path):
    needs("pdftotext")
    english = make_ward_report(dataset, "西淀川区", store="s", version="v", lang="en",
                               pictures=False)
    out = write_report(english, tmp_path / "r.pdf")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "partnership network report" in text and "Top connectors" in text


def test_xlsx_has_every_table_and_neutralised_formulas(report):
    book = pd.read_excel(io.BytesIO(to_xlsx(report)), sheet_name=None)
    assert {"contents", "network", "connectors", "isolated", "gaps", "introductions",
            "growth", "figures", "sources"} - {"network"} <= set(book)
    cells = [str(v) for frame in book.values() for v in frame.to_numpy().ravel()]
    assert not any(c.startswith("=") for c in cells)
    assert "'" + HOSTILE in cells  # the hostile connector's name, neutralised
    growth = book["growth"]
    assert growth["年度"].is_monotonic_increasing


def test_html_escapes_every_name(report):
    page = to_html(report).decode("utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "=HYPERLINK(&quot;http://x&quot;)&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<section") == len(report.sections)
    assert 'src="data:image/png;base64,' in page  # pictures inlined: works offline


def test_pdf_name_stays_text(report):
    assert to_pdf(report)[:5] == b"%PDF-"


def test_unknown_ward_or_format(dataset, report, tmp_path):
    with pytest.raises(GraphError, match="梅田区"):
        make_ward_report(dataset, "梅田区", store="s", version="v", pictures=False)
    with pytest.raises(ValueError, match=r"\.pdf, \.xlsx or \.html"):
        write_report(report, tmp_path / "r.docx")
