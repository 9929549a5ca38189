"""Read the national registries into organisation records: NTA 法人番号 and Cabinet Office NPO.

Two bulk files staff already hold become an ``organizations`` table of the record format, with
``kind``, ``ward`` (from the address), ``fields`` (from the NPO file's activity-field flags),
``founded`` and an extra ``corporate_number`` column (法人番号, 13 digits) that joins the two and
that name resolution uses before names (``ingest.resolve.NameIndex``).

``read_corporate_numbers`` — 国税庁 法人番号公表サイト「基本3情報ダウンロード」の全件/差分データ
    (CSV, no header row, 30 columns in the order of ``NTA_COLUMNS``, Shift_JIS or Unicode),
    layout of the agency's リソース定義書 as used by its ダウンロードデータ and Web-API Ver.4
    (``docs/data-format.md`` says which version). Only current records (``latest`` = 1) of
    corporations not closed and not deleted (``process`` 99) are kept.
``read_npo_registry`` — 内閣府NPOホームページ (NPO法人ポータルサイト) の全NPO法人データ
    (CSV with a header row, CP932 or UTF-8, ~60 columns: 法人名称 … 活動分野１ … 活動分野２０ …
    法人番号 …). A flag cell counts as set when it is not empty, 0, ×, - or なし.

Both keep Osaka City's records by default (``city="大阪市"``; ``city=None`` keeps everything)
and raise ``ingest.validate.IngestError`` naming file, row and column for a malformed file.

Examples
--------
>>> row = ["1", "4120001000001", "01", "0", "2015-11-02", "2015-10-05", "株式会社なにわ", "",
...        "301", "大阪府", "大阪市北区", "中之島1-3-20", "", "27", "127", "5300005", "", "",
...        "", "", "", "", "2015-10-05", "1", "", "", "", "", "ナニワ", "0"]
>>> orgs = corporate_frame([row], file="nta.csv")
>>> orgs[["id", "kind", "ward", "corporate_number"]].values.tolist()
[['CN4120001000001', 'company', '北区', '4120001000001']]
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import pandas as pd

from ingest.normalise import parse_date
from ingest.readers import detect_encoding
from ingest.schemas import WARDS
from ingest.validate import Failures, IngestError

__all__ = [
    "NPO_FLAG_COLUMNS",
    "NPO_REQUIRED",
    "NTA_COLUMNS",
    "NTA_KINDS",
    "ORG_COLUMNS",
    "corporate_frame",
    "decode_registry",
    "in_city",
    "read_corporate_numbers",
    "read_npo_registry",
    "registry_rows",
    "ward_of",
]

NTA_COLUMNS: tuple[str, ...] = (
    "sequenceNumber", "corporateNumber", "process", "correct", "updateDate", "changeDate",
    "name", "nameImageId", "kind", "prefectureName", "cityName", "streetNumber",
    "addressImageId", "prefectureCode", "cityCode", "postCode", "addressOutside",
    "addressOutsideImageId", "closeDate", "closeCause", "successorCorporateNumber",
    "changeCause", "assignmentDate", "latest", "enName", "enPrefectureName", "enCityName",
    "enAddressOutside", "furigana", "hihyoji",
)
# 法人種別 (kind) codes of the リソース定義書 → our organisation kinds.
NTA_KINDS: dict[str, tuple[str, str]] = {
    "101": ("国の機関", "public_agency"), "201": ("地方公共団体", "public_agency"),
    "301": ("株式会社", "company"), "302": ("有限会社", "company"), "303": ("合名会社", "company"),
    "304": ("合資会社", "company"), "305": ("合同会社", "company"),
    "399": ("その他の設立登記法人", "other"), "401": ("外国会社等", "company"),
    "499": ("その他", "other"),
}
# Legal forms inside 399 / 499 that name a kind of ours.
_NAME_KINDS = (("特定非営利活動法人", "npo"), ("ＮＰＯ法人", "npo"), ("NPO法人", "npo"),
               ("社会福祉協議会", "public_agency"), ("学校法人", "school"),
               ("宗教法人", "religious"), ("神社", "religious"))
# A temple's name ends with 寺 (浄土寺); 寺 inside a name is often a place (天王寺区).
_TEMPLE_ENDINGS = ("寺", "寺院")
NPO_FLAG_COLUMNS: tuple[str, ...] = tuple(f"活動分野{n}" for n in range(1, 21))
NPO_REQUIRED: tuple[str, ...] = ("法人名称", "主たる事務所の所在地") + NPO_FLAG_COLUMNS
ORG_COLUMNS: tuple[str, ...] = ("id", "name", "kind", "ward", "orientation", "fields",
                                "founded", "corporate_number", "address", "source")
_UNSET = {"", "0", "×", "-", "なし", "無", "false", "no"}
_WARD_RE = re.compile(r"大阪市\s*(?P<ward>[^\s市区町村]{1,4}区)")


def decode_registry(data: bytes, file: str) -> str:
    """The text of a registry file: UTF-8 (with or without BOM), UTF-16 with BOM, or CP932.

    >>> decode_registry("法人".encode("cp932"), "x.csv"), decode_registry(b"\\xff\\xfe\\xd5l", "x")
    ('法人', '法')
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    encoding = detect_encoding(data)
    if encoding is None:
        raise IngestError(Failures([{"file": file, "sheet": "", "row": None, "column": "",
                                     "code": "wrong_encoding",
                                     "message": "wrong encoding: not UTF-8, UTF-16 or CP932 "
                                                "(Shift_JIS)"}]).frame(), path=file)
    return data.decode(encoding)


def _fail(file: str, row, column: str, code: str, message: str) -> IngestError:
    return IngestError(Failures([{"file": file, "sheet": "", "row": row, "column": column,
                                  "code": code, "message": message}]).frame(), path=file)


def registry_rows(text: str, file: str) -> list[tuple[int, list[str]]]:
    """The non-blank records of a registry CSV text, each with the file line it starts on.

    Line numbers count blank lines and line breaks inside quoted cells, so an error names the
    line a person sees in an editor. Raises ``IngestError`` (code ``bad_csv``) for an empty
    file or an unterminated quoted cell.

    >>> registry_rows('a,b\\n\\n"x\\ny",z\\nlast,1\\n', "f.csv")
    [(1, ['a', 'b']), (3, ['x\\ny', 'z']), (5, ['last', '1'])]
    >>> try:
    ...     registry_rows('a,"b', "f.csv")
    ... except IngestError as err:
    ...     err.failures[["row", "code"]].values.tolist()
    [[1, 'bad_csv']]
    """
    reader = csv.reader(io.StringIO(text), strict=True)
    rows, start = [], 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error:
        raise _fail(file, start, "", "bad_csv",
                    'unterminated quoted cell (a " without its closing ")') from None
    if not rows:
        raise _fail(file, None, "", "bad_csv", "the file is empty: no records to import")
    return rows


def ward_of(address: str) -> str:
    """The Osaka ward named in an address ("" when none).

    >>> ward_of("大阪府大阪市西淀川区御幣島1-2-10"), ward_of("大阪市 北区"), ward_of("堺市堺区")
    ('西淀川区', '北区', '')
    """
    found = _WARD_RE.search(unicodedata.normalize("NFKC", address or ""))
    if not found:
        return ""
    ward = found.group("ward")
    return ward if ward in WARDS else ""


_PREFECTURE = re.compile(r"^(?:東京都|北海道|(?:京都|大阪)府|\S{2,3}県)")


def in_city(address: str, city: str) -> bool:
    """Whether an address lies in ``city``: the city right after the prefecture, so that
    東大阪市 is not 大阪市.

    >>> in_city("大阪府大阪市北区中之島1-3-20", "大阪市"), in_city("大阪府東大阪市荒本北1-1-1", "大阪市")
    (True, False)
    >>> in_city("大阪市西淀川区御幣島1-2-10", "大阪市")
    True
    """
    address = unicodedata.normalize("NFKC", address or "").strip()
    return _PREFECTURE.sub("", address).lstrip().startswith(city)


def _kind(code: str, name: str) -> str:
    kind = NTA_KINDS.get(code, ("", "other"))[1]
    if kind == "other":
        for form, named in _NAME_KINDS:
            if form in name:
                return named
        if name.endswith(_TEMPLE_ENDINGS):
            return "religious"
    return kind


def _number_ok(number: str) -> bool:
    return len(number) == 13 and number.isdigit()


def corporate_frame(rows: list, *, file: str, city: str | None = "大阪市") -> pd.DataFrame:
    """Organisations from NTA rows: lists of 30 cells, or ``(file row, cells)`` pairs
    (:func:`registry_rows`; plain lists are numbered from row 1). Raises ``IngestError`` for a
    row with another number of cells or a 法人番号 that is not 13 digits.

    >>> try:
    ...     corporate_frame([(4, ["1", "412000100000X"] + [""] * 28)], file="nta.csv")
    ... except IngestError as err:
    ...     err.failures[["row", "column", "code"]].values.tolist()
    [[4, 'corporateNumber (column 2)', 'bad_number']]
    """
    failures = Failures()
    records = []
    numbered = [r if isinstance(r, tuple) else (i, r) for i, r in enumerate(rows, 1)]
    for row, cells in numbered:
        if len(cells) != len(NTA_COLUMNS):
            failures.add(file, "", row, "", "bad_csv",
                         f"{len(cells)} columns; the 基本3情報 layout has {len(NTA_COLUMNS)}")
            continue
        rec = dict(zip(NTA_COLUMNS, (unicodedata.normalize("NFKC", c).strip() for c in cells)))
        if not _number_ok(rec["corporateNumber"]):
            failures.add(file, "", row, "corporateNumber (column 2)", "bad_number",
                         f"'{rec['corporateNumber']}' is not a 13-digit 法人番号")
            continue
        if rec["latest"] != "1" or rec["process"] == "99" or rec["closeDate"]:
            continue
        if city is not None and not rec["cityName"].startswith(city):
            continue
        address = rec["prefectureName"] + rec["cityName"] + rec["streetNumber"]
        records.append({
            "id": f"CN{rec['corporateNumber']}", "name": rec["name"],
            "kind": _kind(rec["kind"], rec["name"]), "ward": ward_of(rec["cityName"]),
            "orientation": "", "fields": "", "founded": "",
            "corporate_number": rec["corporateNumber"], "address": address,
            "source": f"国税庁法人番号公表サイト 基本3情報 {Path(file).name} row {row}"})
    if len(failures):
        raise IngestError(failures.frame(), path=file)
    return pd.DataFrame(records, columns=list(ORG_COLUMNS))


def read_corporate_numbers(path, *, city: str | None = "大阪市") -> pd.DataFrame:
    """Organisations from an NTA 基本3情報 CSV file (no header row).

    Parameters
    ----------
    path : str or Path
    city : str or None
        Keep only corporations whose ``cityName`` starts with it (``None``: all).

    Returns
    -------
    DataFrame
        Columns ``ORG_COLUMNS``.

    Raises
    ------
    IngestError
        Unreadable file, a wrong number of columns or a bad 法人番号 (file, row, column).

    Examples
    --------
    >>> import tempfile
    >>> cells = dict.fromkeys(NTA_COLUMNS, "")
    >>> cells.update(sequenceNumber="1", corporateNumber="4120001000001", process="01",
    ...              name="株式会社なにわ", kind="301", cityName="大阪市北区", latest="1")
    >>> path = Path(tempfile.mkdtemp()) / "27_osaka_all.csv"
    >>> _ = path.write_bytes(",".join(cells[c] for c in NTA_COLUMNS).encode("cp932"))
    >>> read_corporate_numbers(path)[["id", "name", "ward"]].values.tolist()
    [['CN4120001000001', '株式会社なにわ', '北区']]
    """
    path = Path(path)
    text = decode_registry(path.read_bytes(), path.name)
    rows = registry_rows(text, path.name)
    first, cells = rows[0]
    if not cells[0].strip().isdigit():
        raise _fail(path.name, first, "", "bad_csv", "the first row is a header; "
                    "the 基本3情報 file has none (is this the NPO file?)")
    return corporate_frame(rows, file=path.name, city=city)


def _flag(value: str) -> bool:
    return unicodedata.normalize("NFKC", value).strip().lower() not in _UNSET


def _founded(value: str) -> str:
    value = unicodedata.normalize("NFKC", value or "").strip()
    if not value:
        return ""
    return parse_date(value).isoformat()


def read_npo_registry(path, *, city: str | None = "大阪市") -> pd.DataFrame:
    """Organisations (kind ``npo``) from the Cabinet Office NPO portal's bulk CSV.

    Headers are read NFKC-normalised (活動分野１ = 活動分野1); ``法人番号`` and
    ``設立年月日`` (else ``法人設立認証年月日``) are used when present.

    Parameters
    ----------
    path : str or Path
    city : str or None
        Keep only NPOs whose 主たる事務所の所在地 names this city (``None``: all).

    Returns
    -------
    DataFrame
        Columns ``ORG_COLUMNS``; ``id`` is ``CN<法人番号>``, or ``NPO-<row>`` without one.

    Raises
    ------
    IngestError
        Unreadable file, missing columns, a bad 法人番号 or date (file, row, column).

    Examples
    --------
    >>> import tempfile
    >>> header = ["法人名称", "主たる事務所の所在地", "設立年月日", "法人番号"]
    >>> header += [f"活動分野{n}" for n in range(1, 21)]
    >>> row = ["にこネット", "大阪府大阪市西淀川区姫島1-1", "平成27年4月1日", ""]
    >>> row += ["○" if n in (1, 13) else "" for n in range(1, 21)]
    >>> path = Path(tempfile.mkdtemp()) / "npo.csv"
    >>> _ = path.write_bytes(("\\n".join([",".join(header), ",".join(row)])).encode("cp932"))
    >>> read_npo_registry(path)[["id", "ward", "fields", "founded"]].values.tolist()
    [['NPO-2', '西淀川区', '1;13', '2015-04-01']]
    """
    path = Path(path)
    text = decode_registry(path.read_bytes(), path.name)
    (header_row, header), *rows = registry_rows(text, path.name)
    header = [unicodedata.normalize("NFKC", c).strip() for c in header]
    if header[0].isdigit():
        raise _fail(path.name, header_row, "", "bad_csv", "the first row is data, not the "
                    "header the NPO file has (is this the 法人番号 file?)")
    failures = Failures()
    for column in NPO_REQUIRED:
        if column not in header:
            failures.add(path.name, "", header_row, column, "missing_column",
                         f"required column {column!r} is missing (the NPO portal's CSV)")
    if len(failures):
        raise IngestError(failures.frame(), path=path)
    records = []
    for row, cells in rows:
        if len(cells) != len(header):
            failures.add(path.name, "", row, "", "bad_csv",
                         f"{len(cells)} columns; the header row has {len(header)}")
            continue
        rec = {k: unicodedata.normalize("NFKC", v).strip() for k, v in zip(header, cells)}
        if not rec["法人名称"]:
            failures.add(path.name, "", row, "法人名称", "empty_value", "法人名称 is empty")
            continue
        address = rec["主たる事務所の所在地"]
        if city is not None and not in_city(address, city):
            continue
        number = rec.get("法人番号", "")
        if number and not _number_ok(number):
            failures.add(path.name, "", row, "法人番号", "bad_number",
                         f"'{number}' is not a 13-digit 法人番号")
            continue
        founded_column = "設立年月日" if rec.get("設立年月日") else "法人設立認証年月日"
        try:
            founded = _founded(rec.get(founded_column, ""))
        except ValueError as exc:
            failures.add(path.name, "", row, founded_column, "bad_date", str(exc))
            continue
        fields = [n for n, column in enumerate(NPO_FLAG_COLUMNS, 1) if _flag(rec[column])]
        records.append({
            "id": f"CN{number}" if number else f"NPO-{row}", "name": rec["法人名称"],
            "kind": "npo", "ward": ward_of(address), "orientation": "thematic",
            "fields": ";".join(str(f) for f in fields), "founded": founded,
            "corporate_number": number, "address": address,
            "source": f"内閣府NPOホームページ 全NPO法人データ {path.name} row {row}"})
    if len(failures):
        raise IngestError(failures.frame(), path=path)
    return pd.DataFrame(records, columns=list(ORG_COLUMNS))
