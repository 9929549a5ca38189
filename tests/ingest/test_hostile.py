"""Hostile inputs (issue 17): each ends in a clear error with the file (and part) named and
exit 2, before anything expands, and the store is left as it was."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cli.main import main
from ingest.store import ingest_dataset

from .conftest import GOOD, TODAY, snapshot, write_dataset

ORGS = [["id", "name", "kind"], ["R-O1", "ReBORN", "npo"], ["R-O2", "FC大阪", "company"]]


def _workbook() -> dict[str, bytes]:
    """The parts of a small valid workbook with an organizations sheet (name → bytes)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "organizations"
    for row in ORGS:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _xlsx(path: Path, parts: dict[str, bytes], **replace: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {**parts, **{k.replace("__", "/"): v for k, v in replace.items()}
                           }.items():
            archive.writestr(name, data)
    return path


def _sheet_part(parts):
    return next(n for n in parts if n.startswith("xl/worksheets/sheet"))


def _with_shared_strings(parts, strings_xml: bytes, sheet_xml: bytes) -> dict[str, bytes]:
    """Parts with ``xl/sharedStrings.xml`` and the first sheet replaced (and declared)."""
    parts = dict(parts)
    parts["xl/sharedStrings.xml"] = strings_xml
    parts[_sheet_part(parts)] = sheet_xml
    types = parts["[Content_Types].xml"].decode()
    if "sharedStrings" not in types:
        types = types.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" '
                              'ContentType="application/vnd.openxmlformats-officedocument.'
                              'spreadsheetml.sharedStrings+xml"/></Types>')
    parts["[Content_Types].xml"] = types.encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    if "sharedStrings" not in rels:
        rels = rels.replace("</Relationships>", '<Relationship Id="rIdS" Type="http://schemas.'
                            'openxmlformats.org/officeDocument/2006/relationships/'
                            'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    return parts


NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet_xml(rows: str, dimension: str = "A1:C3") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><dimension '
            f'ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>').encode()


def _shared_sheet(count: int) -> bytes:
    """Sheet rows: the header (shared strings 0–2), then ``count`` rows whose name cell is
    shared string 3."""
    head = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
            '<c r="C1" t="s"><v>2</v></c></row>')
    body = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>R-O{i}</t></is></c>'
                   f'<c r="B{i}" t="s"><v>3</v></c><c r="C{i}" t="inlineStr"><is><t>npo</t>'
                   f'</is></c></row>' for i in range(2, count + 2))
    return _sheet_xml(head + body, f"A1:C{count + 1}")


def _strings(last: str, dtd: str = "") -> bytes:
    items = "".join(f"<si><t>{s}</t></si>" for s in ("id", "name", "kind", last))
    return (f'<?xml version="1.0" encoding="UTF-8"?>{dtd}<sst {NS} count="4" '
            f'uniqueCount="4">{items}</sst>').encode()


LAUGHS = ('<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                    for i in range(9)) + "]>")


def _hostile_xlsx(case: str, folder: Path) -> Path:
    parts = _workbook()
    sheet = _sheet_part(parts)
    target = folder / f"{case}.xlsx"
    if case == "external_entity":
        parts[sheet] = parts[sheet].replace(
            b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<worksheet", 1).replace(b"ReBORN", b"&x;")
    elif case == "billion_laughs":
        parts = _with_shared_strings(parts, _strings("&j;", LAUGHS), _shared_sheet(1))
    elif case == "truncated_shared_strings":
        strings = _strings("ReBORN")
        parts = _with_shared_strings(parts, strings[:len(strings) // 2], _shared_sheet(1))
    elif case == "truncated_sheet":
        parts[sheet] = parts[sheet][:len(parts[sheet]) // 2]
    elif case == "garbage_styles":
        parts["xl/styles.xml"] = os.urandom(4000)
    elif case == "content_types_entity":
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"<Types", b'<!DOCTYPE Types [<!ENTITY t "x">]><Types', 1)
    elif case == "shared_strings_bomb":
        # one string of 30,000 characters used by 20,000 cells: 600 M characters expanded
        parts = _with_shared_strings(parts, _strings("x" * 30_000), _shared_sheet(20_000))
    elif case == "rows_beyond_excel":
        parts[sheet] = _sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c>'
                                  '</row><row r="5000000"><c r="A5000000" t="inlineStr"><is>'
                                  '<t>R-O1</t></is></c></row>')
    elif case == "columns_beyond_cap":
        parts[sheet] = _sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c>'
                                  '<c r="ZZZ1" t="inlineStr"><is><t>x</t></is></c></row>')
    elif case == "zip_bomb_member":
        parts["xl/media/padding.xml"] = b"<a>" + b" " * (20 << 20) + b"</a>"
    elif case == "too_many_members":
        parts.update({f"customXml/item{i}.xml": b"<a/>" for i in range(1_001)})
    elif case == "not_a_zip":
        target.write_bytes(b"PK\x03\x04" + os.urandom(2000))
        return target
    return _xlsx(target, parts)


# case → (code, words the message must contain: the part named)
XLSX_CASES = {
    "external_entity": ("not_xlsx", "xl/worksheets/sheet1.xml declares a DTD"),
    "billion_laughs": ("not_xlsx", "xl/sharedStrings.xml declares a DTD"),
    "truncated_shared_strings": ("not_xlsx", "xl/sharedStrings.xml is not well-formed"),
    "truncated_sheet": ("not_xlsx", "xl/worksheets/sheet1.xml is not well-formed"),
    "garbage_styles": ("not_xlsx", "xl/styles.xml is not well-formed"),
    "content_types_entity": ("not_xlsx", "[Content_Types].xml declares a DTD"),
    "shared_strings_bomb": ("too_large", "shared-strings bomb"),
    "rows_beyond_excel": ("too_large", "more than 1,048,576 rows"),
    "columns_beyond_cap": ("too_large", "column 18,278"),
    "zip_bomb_member": ("too_large", "xl/media/padding.xml unpacks to"),
    "too_many_members": ("too_large", "parts; at most 1,000"),
    "not_a_zip": ("not_xlsx", "damaged zip"),
}


@pytest.fixture
def store(tmp_path) -> Path:
    path = tmp_path / "store.duckdb"
    ingest_dataset(write_dataset(tmp_path / "good", GOOD), store=path, today=TODAY)
    return path


def assert_refused(path: Path, store: Path, capsys, code: str, words: str, file: str) -> None:
    before = snapshot(store)
    assert main(["ingest", str(path), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert "nothing was loaded" in err and code in err and words in err, err
    assert file in err, err
    assert snapshot(store) == before


@pytest.mark.parametrize("case", list(XLSX_CASES))
def test_hostile_xlsx_is_refused_clearly(case, tmp_path, store, capsys):
    code, words = XLSX_CASES[case]
    path = _hostile_xlsx(case, tmp_path)
    assert_refused(path, store, capsys, code, words, path.name)


def test_a_huge_claimed_dimension_is_not_trusted(tmp_path, store):
    parts = _workbook()
    sheet = _sheet_part(parts)
    parts[sheet] = parts[sheet].replace(b'<dimension ref="A1:C3"/>',
                                        b'<dimension ref="A1:XFD1048576"/>')
    assert b"XFD1048576" in parts[sheet]
    path = _xlsx(tmp_path / "claims.xlsx", parts)
    result = ingest_dataset(path, store=store, today=TODAY)
    assert result.counts == {"organizations": 2}


def test_deep_dataset_json_array(tmp_path, store, capsys):
    folder = write_dataset(tmp_path / "deep", {**GOOD, "dataset.json":
                                               "[" * 100_000 + "]" * 100_000})
    assert_refused(folder, store, capsys, "bad_metadata", "nested more than 8", "dataset.json")


@pytest.mark.parametrize("depth", [50, 5_000])
def test_deep_dataset_json_object_value(tmp_path, store, capsys, depth):
    value = '{"name": "x", "extra": ' + "[" * depth + "]" * depth + "}"
    folder = write_dataset(tmp_path / "deep", {**GOOD, "dataset.json": value})
    assert_refused(folder, store, capsys, "bad_metadata", "nested more than 8", "dataset.json")


def test_huge_dataset_json(tmp_path, store, capsys):
    folder = write_dataset(tmp_path / "big", {**GOOD, "dataset.json":
                                              '{"name": "' + "x" * (2 << 20) + '"}'})
    assert_refused(folder, store, capsys, "bad_metadata", "at most 1,048,576", "dataset.json")


def test_file_name_not_utf8(tmp_path, store, capsys):
    folder = write_dataset(tmp_path / "cp932", GOOD)
    name = "団体メモ.csv".encode("cp932")
    with open(os.fsencode(folder) + b"/" + name, "wb") as handle:
        handle.write(b"id,name\n")
    assert_refused(folder, store, capsys, "bad_file_name", "in CP932 it reads '団体メモ.csv'", "")


def test_million_column_header(tmp_path, store, capsys):
    header = "id,name,kind," + ",".join(f"c{i}" for i in range(1_000_000))
    folder = write_dataset(tmp_path / "wide", {"organizations.csv":
                                               header + "\nR-O1,A,npo\n"})
    assert_refused(folder, store, capsys, "too_large", "1,000,003 cells", "organizations.csv")


@pytest.mark.slow
def test_many_look_alike_names_validate_in_bounded_time(tmp_path):
    """200,000 organisations named 団体1, 団体2, …: every neighbour pair looks alike, so the
    merge candidates look up ~500,000 pairs (80 s when each was a pandas lookup; seconds
    now). Bounded by the subprocess timeout, not timed."""
    import subprocess
    import sys

    folder = tmp_path / "alike"
    folder.mkdir()
    with open(folder / "organizations.csv", "w", encoding="utf-8") as handle:
        handle.write("id,name,kind\n")
        handle.writelines(f"O{i},団体{i},npo\n" for i in range(200_000))
    done = subprocess.run([sys.executable, "-m", "cli.main", "validate", str(folder)],
                          cwd=Path(__file__).resolve().parents[2], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "organizations 200000" in done.stdout
