"""Typing and checking raw tables, collecting every problem at once.

Each table read by ``ingest.readers`` is typed column by column (dates, numbers, enums,
wards, NPO fields, fiscal years) with vectorised pandas operations; only the rows that fail
are visited one by one to write their messages. Every failure is a row of a table with the
columns ``file, sheet, row, column, code, message`` (``FAILURE_COLUMNS``); rows are
spreadsheet rows (the header is row 1, the first record row 2) and ``column`` is the header
as written in the file.

Failure codes (``FAILURE_CODES``): reading problems from ``ingest.readers`` plus
``missing_table``, ``missing_column``, ``empty_value``, ``unknown_kind``,
``unknown_orientation``, ``unknown_field``, ``unknown_ward``, ``bad_date``, ``future_date``,
``date_order``, ``bad_number``, ``bad_bool``, ``bad_fiscal_year``, ``negative_value``,
``duplicate_id``, ``unknown_reference``, ``too_few_orgs``, ``alias_cycle``,
``not_pseudonymous``, ``unknown_topic``, ``unknown_status``.

Examples
--------
>>> failures = Failures()
>>> failures.add("organizations.csv", "", 3, "種別", "unknown_kind", "'xyz' is not a kind")
>>> err = IngestError(failures.frame())
>>> print(err)
1 problem:
  organizations.csv row 3, column 種別: unknown_kind: 'xyz' is not a kind
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ingest.cells import escape_spreadsheet_cell
from ingest.consultations import STATUS_ALIASES, parse_topics
from ingest.normalise import (
    fiscal_year,
    is_osaka,
    normalise_ward,
    parse_date,
    parse_fields,
    parse_fiscal_year,
)
from ingest.readers import READ_FAILURE_CODES, RawDataset, RawTable, arrow_strings
from ingest.schemas import ORG_KINDS, ORIENTATIONS, TABLES, Column

__all__ = [
    "FAILURE_COLUMNS",
    "FAILURE_CODES",
    "KIND_ALIASES",
    "ORIENTATION_ALIASES",
    "IngestError",
    "Failures",
    "Checked",
    "format_failures",
    "write_report",
    "parse_date_column",
    "check_tables",
    "check_collaborations",
    "check_duplicates",
    "pack_attrs",
    "attrs_json",
]

FAILURE_COLUMNS: tuple[str, ...] = ("file", "sheet", "row", "column", "code", "message")

FAILURE_CODES: tuple[str, ...] = READ_FAILURE_CODES + (
    "missing_table", "missing_column", "empty_value", "unknown_kind", "unknown_orientation",
    "unknown_field", "unknown_ward", "bad_date", "future_date", "date_order", "bad_number",
    "bad_bool", "bad_fiscal_year", "negative_value", "duplicate_id", "unknown_reference",
    "too_few_orgs", "alias_cycle", "not_pseudonymous", "unknown_topic", "unknown_status",
)

# Japanese (and loose English) spellings of the organisation kinds and orientations; keys are
# NFKC-normalised and lower-cased.
KIND_ALIASES: dict[str, str] = {
    **{k: k for k in ORG_KINDS},
    "町会": "neighbourhood_association", "自治会": "neighbourhood_association",
    "町会・自治会": "neighbourhood_association", "町内会": "neighbourhood_association",
    "地域活動協議会": "council", "地活協": "council",
    "市民活動団体": "citizen_group", "ボランティアグループ": "citizen_group",
    "ボランティア団体": "citizen_group", "任意団体": "citizen_group",
    "npo法人": "npo", "特定非営利活動法人": "npo", "認定npo法人": "npo",
    "企業": "company", "会社": "company", "株式会社": "company",
    "区役所": "public_agency", "公的機関": "public_agency", "行政": "public_agency",
    "社会福祉協議会": "public_agency", "社協": "public_agency",
    "中間支援組織": "intermediary", "まちづくりセンター": "intermediary",
    "学校": "school", "神社": "religious", "寺院": "religious", "教会": "religious",
    "その他": "other",
}
ORIENTATION_ALIASES: dict[str, str] = {
    **{o: o for o in ORIENTATIONS},
    "地縁型": "territorial", "地縁": "territorial", "地縁型団体": "territorial",
    "地縁団体": "territorial", "テーマ型": "thematic", "テーマ": "thematic",
    "テーマ型団体": "thematic",
}
_ENUM_ALIASES = {"kind": KIND_ALIASES, "orientation": ORIENTATION_ALIASES,
                 "status": STATUS_ALIASES}

_BOOLS = {"": False, "true": True, "false": False, "1": True, "0": False, "yes": True,
          "no": False, "y": True, "n": False, "t": True, "f": False, "はい": True,
          "いいえ": False, "○": True, "〇": True, "×": False, "合成": True}

_NS_MIN, _NS_MAX = pd.Timestamp.min.date(), pd.Timestamp.max.date()

# A pseudonymous id for a person (``Column.pseudonym``): ASCII letters and digits with
# - _ . inside, no spaces; a name in kanji or kana, or "Taro Yamada", is refused.
_PSEUDONYM = r"[A-Za-z0-9][A-Za-z0-9_.\-]*"

# The largest number a numeric column takes (every whole number up to it is exact).
_LARGEST = 2.0 ** 53

# Numbers as people type them: thousands separators (1,234), a yen sign (¥300,000; ￥ is ¥
# after NFKC) and a unit after the number (300,000円, 200人, 5回, 3件, 2名) are dropped.
_NUMBER_DECOR = r"[,¥円人名回件]"
_NUMBER_STRIP = r"^¥ ?|,| ?(?:円|人|名|回|件)$"


class IngestError(ValueError):
    """A dataset failed to read or validate; ``failures`` lists every problem.

    ``failures`` is a DataFrame with the columns ``FAILURE_COLUMNS``.
    """

    def __init__(self, failures: pd.DataFrame, *, path: str | Path | None = None):
        self.failures = failures
        self.path = None if path is None else str(path)
        super().__init__(format_failures(failures))

    def __str__(self) -> str:
        return format_failures(self.failures)


def _location(record) -> str:
    parts = [str(record["file"])]
    if record["sheet"]:
        parts.append(f"sheet {record['sheet']}")
    if not pd.isna(record["row"]):
        parts.append(f"row {int(record['row'])}")
    where = ", ".join(parts[1:])
    text = parts[0] + (" " + where if where else "")
    if record["column"]:
        text += f", column {record['column']}"
    return text


def format_failures(failures: pd.DataFrame, *, limit: int | None = None) -> str:
    """A readable report: one line per problem naming file, sheet, row and column.

    >>> frame = pd.DataFrame([{"file": "events.csv", "sheet": "", "row": 4, "column": "date",
    ...                        "code": "bad_date", "message": "'x' is not a date"}])
    >>> print(format_failures(frame))
    1 problem:
      events.csv row 4, column date: bad_date: 'x' is not a date
    """
    count = len(failures)
    lines = [f"{count} problem{'s' if count != 1 else ''}:"]
    shown = failures if limit is None else failures.head(limit)
    for record in shown.to_dict("records"):
        lines.append(f"  {_location(record)}: {record['code']}: {record['message']}")
    if limit is not None and count > limit:
        lines.append(f"  … and {count - limit} more (write them all with --report FILE.csv)")
    return "\n".join(lines)


def write_report(failures: pd.DataFrame, path: str | Path) -> Path:
    """Write the failure table as UTF-8 (with BOM, for Excel) CSV, formula cells escaped.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.csv"
    >>> frame = pd.DataFrame([{"file": "a.csv", "sheet": "", "row": 2, "column": "name",
    ...                        "code": "empty_value", "message": "=cmd"}])
    >>> _ = write_report(frame, out)
    >>> out.read_text(encoding="utf-8-sig").splitlines()[1]
    "a.csv,,2,name,empty_value,'=cmd"
    """
    path = Path(path)
    safe = failures.loc[:, list(FAILURE_COLUMNS)].copy()
    for column in ("file", "sheet", "column", "code", "message"):
        safe[column] = safe[column].astype(object).map(escape_spreadsheet_cell)
    safe.to_csv(path, index=False, encoding="utf-8-sig")
    return path


class Failures:
    """Collects failure rows; ``frame()`` gives them as a sorted DataFrame.

    >>> f = Failures(); f.add("a.csv", "", 2, "id", "empty_value", "id is empty")
    >>> len(f), f.frame().loc[0, "code"]
    (1, 'empty_value')
    """

    def __init__(self, records: list[dict] | None = None):
        self._records: list[dict] = list(records or [])
        self._frames: list[pd.DataFrame] = []

    def add(self, file, sheet, row, column, code, message) -> None:
        """Add one failure."""
        self._records.append({"file": file, "sheet": sheet, "row": row, "column": column,
                              "code": code, "message": message})

    def add_rows(self, frame: pd.DataFrame, mask, column: str, code: str, messages,
                 headers: dict | None = None) -> None:
        """Add one failure per row of ``frame[mask]`` (provenance from ``_file/_sheet/_row``).

        ``messages`` is a string or a Series aligned with ``frame``; ``column`` is the
        canonical column, shown as the header the file used (``headers[(file, sheet)]``).
        """
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        failed = frame.loc[mask, ["_file", "_sheet", "_row"]]
        if isinstance(messages, pd.Series):
            texts = messages[mask].astype(object).to_numpy()
        else:
            texts = np.full(len(failed), messages, dtype=object)
        shown = [_display(headers, f, s, column) for f, s in
                 zip(failed["_file"].to_numpy(), failed["_sheet"].to_numpy())]
        self._frames.append(pd.DataFrame({
            "file": failed["_file"].astype(object).to_numpy(),
            "sheet": failed["_sheet"].astype(object).to_numpy(),
            "row": failed["_row"].to_numpy(), "column": shown, "code": code,
            "message": texts,
        }))

    def __len__(self) -> int:
        return len(self._records) + sum(len(f) for f in self._frames)

    def frame(self) -> pd.DataFrame:
        """All failures, sorted by file, sheet, row (table-level problems first)."""
        parts = [pd.DataFrame(self._records, columns=list(FAILURE_COLUMNS))] + self._frames
        parts = [p for p in parts if len(p)]
        if not parts:
            out = pd.DataFrame({c: pd.Series(dtype=object) for c in FAILURE_COLUMNS})
            out["row"] = out["row"].astype("Int64")
            return out
        out = pd.concat(parts, ignore_index=True)
        out["row"] = pd.array(pd.to_numeric(out["row"], errors="coerce"), dtype="Int64")
        for column in ("file", "sheet", "column", "code", "message"):
            out[column] = out[column].fillna("").astype(object)
        out["_order"] = np.arange(len(out))
        out = out.sort_values(["file", "sheet", "row", "_order"], na_position="first",
                              kind="stable")
        return out.drop(columns="_order").reset_index(drop=True)


def _display(headers, file, sheet, column) -> str:
    if headers is None:
        return column
    return headers.get((file, sheet), {}).get(column, column)


@dataclass
class Checked:
    """Typed tables (canonical columns + extras + ``_file/_sheet/_row``), their headers and
    the row each ``(file, sheet)`` has its header on."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    extras: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    header_rows: dict[tuple[str, str], int] = field(default_factory=dict)


def parse_date_column(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of date strings; returns ``(dates, problems)``.

    ``dates`` is ``datetime64[ns]`` (NaT for empty or bad values); ``problems`` holds the
    reason for every bad value and "" elsewhere. ISO dates are parsed in bulk; every other
    spelling (eras, kanji) goes through ``ingest.normalise.parse_date`` once per unique value.

    >>> dates, problems = parse_date_column(pd.Series(["2019-02-17", "令和元年8月1日", "", "x"]))
    >>> [str(d.date()) if not pd.isna(d) else None for d in dates]
    ['2019-02-17', '2019-08-01', None, None]
    >>> problems.tolist()[3].startswith("'x' is not a date")
    True
    """
    values = values.astype("str")
    nonempty = (values != "").to_numpy()
    try:
        parsed = pd.to_datetime(values.where(nonempty), format="ISO8601", errors="coerce")
    except (ValueError, OverflowError):
        # The bulk parser gives up on a whole column for some mixes (UTC offsets on some
        # values only); every value then takes the exact path below.
        parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    parsed = parsed.dt.normalize()
    problems = pd.Series("", index=values.index, dtype=object)
    rest = nonempty & parsed.isna().to_numpy()
    # ISO parsing accepts dates outside the ns range and keeps them as [us]; check bounds.
    too_far = nonempty & ~rest & ((parsed < pd.Timestamp(_NS_MIN)) |
                                  (parsed > pd.Timestamp(_NS_MAX))).to_numpy()
    rest = rest | too_far
    if rest.any():
        mapping, reasons = {}, {}
        for value in pd.unique(values[rest]):
            try:
                day = parse_date(value)
            except ValueError as exc:
                reasons[value] = str(exc)
                continue
            if day > _NS_MAX:
                # Certainly after today: kept as the latest date pandas holds, so that the
                # future-date check reports it as such.
                day = _NS_MAX
            elif day < dt.date(1678, 1, 1):
                reasons[value] = f"'{value}' is too early (dates start in 1678)"
                continue
            mapping[value] = pd.Timestamp(day)
        subset = values[rest]
        parsed = parsed.astype("datetime64[ns]") if not too_far.any() else \
            parsed.where(~too_far).astype("datetime64[ns]")
        parsed[rest] = pd.to_datetime(pd.Series([mapping.get(v, pd.NaT) for v in subset],
                                                dtype=object)).astype("datetime64[ns]").to_numpy()
        problems[rest] = np.array([reasons.get(v, "") for v in subset], dtype=object)
    return parsed.astype("datetime64[ns]"), problems


def _factorize(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, uniques)`` of a column; arrow-backed strings are dictionary-encoded by
    arrow directly (one hash pass, missing values get a code of their own)."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        encoded = pc.dictionary_encode(arrow_strings(values), null_encoding="encode")
        return (encoded.indices.to_numpy(zero_copy_only=False),
                encoded.dictionary.to_numpy(zero_copy_only=False))
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, np.asarray(uniques, dtype=object)


def _unique_map(values: pd.Series, func, *, skip_empty: bool = True):
    """Apply ``func`` once per unique value (via ``pd.factorize``).

    Returns ``(mapped, bad, why)``: ``mapped`` an object array aligned with ``values``
    holding ``func(value)`` or ``None``; ``bad`` a boolean array of the values ``func``
    refused; ``why`` a function giving the refusal reasons as an aligned array. Empty
    strings are skipped (``None``, not bad) unless ``skip_empty`` is false.
    """
    codes, uniques = _factorize(values)
    mapped = np.empty(len(uniques), dtype=object)
    reasons = np.full(len(uniques), "", dtype=object)
    refused = np.zeros(len(uniques), dtype=bool)
    for position, value in enumerate(uniques):
        if value is None or (isinstance(value, float) and np.isnan(value)) or \
                (skip_empty and value == ""):
            continue
        try:
            mapped[position] = func(value)
        except ValueError as exc:
            reasons[position] = str(exc)
            refused[position] = True
    return mapped.take(codes), refused.take(codes), lambda: reasons.take(codes)


def _lookup(table: dict, describe: str):
    def find(value):
        found = table.get(value.lower())
        if found is None:
            raise ValueError(f"'{value}' is not {describe}")
        return found
    return find


class _TableChecker:
    """Types the columns of one raw table, adding failures as it goes."""

    def __init__(self, raw: RawTable, failures: Failures, headers, *, check_wards: bool,
                 today: dt.date):
        self.raw, self.failures, self.headers = raw, failures, headers
        self.check_wards, self.today = check_wards, today
        self.spec = TABLES[raw.table]
        frame = raw.frame
        constant = np.zeros(len(frame), dtype=np.int8)
        self.base = pd.DataFrame({
            "_file": pd.Categorical.from_codes(constant, categories=[raw.file]),
            "_sheet": pd.Categorical.from_codes(constant, categories=[raw.sheet]),
            "_row": raw.rows,
        }, index=frame.index)

    def fail(self, mask, column, code, messages, values=None):
        """Report the rows in ``mask``; ``messages`` may be text, an array aligned with the
        table, or a function of the failing values (only called when something failed)."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        if callable(messages) and values is None:
            messages = messages()
        elif callable(messages):
            texts = messages(values[mask].astype(object).to_numpy())
            messages = np.full(len(mask), "", dtype=object)
            messages[mask] = texts
        if isinstance(messages, np.ndarray):
            messages = pd.Series(messages, index=self.base.index)
        self.failures.add_rows(self.base, mask, column, code, messages, self.headers)

    def run(self) -> tuple[pd.DataFrame, list[str], set[str]]:
        raw, spec = self.raw, self.spec
        out = {}
        missing = set()
        for column in spec.columns:
            if column.name not in raw.frame.columns:
                if column.required:
                    missing.add(column.name)
                    self.failures.add(raw.file, raw.sheet, raw.header_row, column.name,
                                      "missing_column",
                                      f"required column {column.name!r} is missing from "
                                      f"{raw.table} (headers: {', '.join(raw.headers.values())})")
                values = pd.Series("", index=raw.frame.index, dtype="str")
            else:
                values = raw.frame[column.name]
                if column.required:
                    empty = (values == "").to_numpy()
                    self.fail(empty, column.name, "empty_value",
                              f"required value {column.name!r} is empty")
            out[column.name] = self.typed(column, values)
        frame = pd.DataFrame(out, index=raw.frame.index)
        extras = [c for c in raw.frame.columns if c not in spec.names]
        for column in extras:
            frame[column] = raw.frame[column]
        for name in ("_file", "_sheet", "_row"):
            frame[name] = self.base[name]
        return frame, extras, missing

    def typed(self, column: Column, values: pd.Series) -> pd.Series:
        kind, name = column.type, column.name
        nonempty = (values != "").to_numpy()
        if column.pseudonym:
            named = nonempty & ~values.str.fullmatch(_PSEUDONYM, na=False).to_numpy(dtype=bool)
            self.fail(named, name, "not_pseudonymous",
                      lambda v: np.array([f"'{x}' is not a pseudonymous id; {name} must never "
                                          "hold a person's name (use an id such as T-001: "
                                          "letters, digits, - _ .)" for x in v],
                                         dtype=object), values)
        if kind in ("str", "ids"):
            return values  # ids are split and resolved by ingest.resolve
        if kind == "enum":
            aliases = _ENUM_ALIASES.get(name, {c: c for c in column.choices})
            article = "an" if name[0] in "aeiou" else "a"
            describe = f"{article} {name} (one of {', '.join(column.choices)})"
            mapped, bad, why = _unique_map(values, _lookup(aliases, describe))
            self.fail(bad, name, f"unknown_{name}", why)
            return pd.Series(mapped, index=values.index, dtype="str").fillna("")
        if kind == "ward":
            if not self.check_wards:
                return values
            mapped, bad, why = _unique_map(values, normalise_ward)
            self.fail(bad, name, "unknown_ward", why)
            return pd.Series(mapped, index=values.index, dtype="str").fillna("")
        if kind == "date":
            dates, problems = parse_date_column(values)
            self.fail((problems != "").to_numpy(), name, "bad_date", problems)
            future = (dates > pd.Timestamp(self.today)).to_numpy()
            today = self.today.isoformat()
            self.fail(future, name, "future_date",
                      lambda v: np.array([f"'{x}' is after today ({today})" for x in v],
                                         dtype=object), values)
            return dates
        if kind in ("int", "float"):
            cleaned = values
            if values.str.contains(_NUMBER_DECOR, regex=True).any():
                cleaned = values.str.replace(_NUMBER_STRIP, "", regex=True)
            numbers = pd.to_numeric(cleaned.where(nonempty), errors="coerce").astype("float64")
            # inf and nan are no counts or amounts.
            bad = nonempty & ~np.isfinite(numbers.to_numpy(dtype="float64", na_value=np.nan))
            if kind == "int":
                bad |= (numbers.notna() & (numbers % 1 != 0)).to_numpy()
            what = "a whole number" if kind == "int" else "a number"
            self.fail(bad, name, "bad_number",
                      lambda v: np.array([f"'{x}' is not {what}" for x in v], dtype=object),
                      values)
            # Past 2**53 a float no longer holds every whole number exactly.
            huge = ~bad & (numbers.abs() > _LARGEST).fillna(False).to_numpy()
            self.fail(huge, name, "bad_number",
                      lambda v: np.array([f"'{x}' is too large" for x in v], dtype=object),
                      values)
            numbers = numbers.where(~(bad | huge))
            if column.nonnegative:
                negative = (numbers < 0).fillna(False).to_numpy()
                self.fail(negative, name, "negative_value",
                          lambda v: np.array([f"'{x}' is negative; {name} must be 0 or more"
                                              for x in v], dtype=object), values)
            if kind == "int":
                return numbers.round().astype("Int64")
            return numbers.astype("float64")
        if kind == "bool":
            codes, uniques = _factorize(values)
            truth = np.array([False if u is None else _BOOLS.get(str(u).lower())
                              for u in uniques], dtype=object)
            known = np.array([t is not None for t in truth], dtype=bool)
            self.fail(~known.take(codes), name, "bad_bool",
                      lambda v: np.array([f"'{x}' is not true/false (or 1/0, はい/いいえ)"
                                          for x in v], dtype=object), values)
            return pd.Series((truth == True).take(codes), index=values.index)  # noqa: E712
        if kind == "fields":
            mapped, bad, why = _unique_map(values, parse_fields)
            self.fail(bad, name, "unknown_field", why)
            return pd.Series([v if isinstance(v, list) else [] for v in mapped],
                             index=values.index, dtype=object)
        if kind == "topics":
            mapped, bad, why = _unique_map(values, parse_topics)
            self.fail(bad, name, "unknown_topic", why)
            return pd.Series([v if isinstance(v, list) else [] for v in mapped],
                             index=values.index, dtype=object)
        if kind == "fiscal_year":
            mapped, bad, why = _unique_map(values, parse_fiscal_year)
            self.fail(bad, name, "bad_fiscal_year", why)
            years = pd.Series(pd.array(list(mapped), dtype="Int64"), index=values.index)
            current = fiscal_year(self.today)
            future = (years > current).fillna(False).to_numpy(dtype=bool)
            self.fail(future, name, "future_date",
                      lambda v: np.array([f"'{x}' is a fiscal year that has not begun "
                                          f"(today is in FY{current})" for x in v],
                                         dtype=object), values)
            return years
        raise ValueError(f"unknown column type {kind!r} in the record format")


def check_tables(raw: RawDataset, failures: Failures, *, today: dt.date | None = None
                 ) -> Checked:
    """Type every raw table and check its values and date order.

    The 24-ward check applies unless ``raw.meta["city"]`` names a city other than 大阪市.
    Cross-table references are checked later by ``ingest.resolve``, duplicate keys after
    that by ``check_duplicates``.

    >>> import tempfile, pathlib
    >>> from ingest.readers import read_dataset_files
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "organizations.csv").write_text(
    ...     "id,name,kind,ward\\nR-O1,A,npo,浪速\\nR-O1,B,zzz,\\n", encoding="utf-8")
    >>> failures = Failures()
    >>> checked = check_tables(read_dataset_files(folder), failures)
    >>> checked.tables["organizations"]["ward"].tolist()
    ['浪速区', '']
    >>> sorted(failures.frame()["code"])
    ['unknown_kind']
    """
    today = today or dt.date.today()
    check_wards = is_osaka(raw.meta.get("city", ""))
    checked = Checked()
    for table in TABLES:
        parts = raw.tables.get(table, [])
        if not parts:
            continue
        frames, extras = [], []
        for part in parts:
            checked.headers[(part.file, part.sheet)] = {
                c: (h or c) for c, h in part.headers.items()}
            checked.header_rows[(part.file, part.sheet)] = part.header_row
            checker = _TableChecker(part, failures, checked.headers, check_wards=check_wards,
                                    today=today)
            frame, part_extras, _ = checker.run()
            frames.append(frame)
            extras.extend(e for e in part_extras if e not in extras)
        frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        for extra in extras:
            frame[extra] = frame[extra].fillna("").astype("str")
        frame = frame.reset_index(drop=True)
        _check_date_order(table, frame, failures, checked.headers)
        checked.tables[table] = frame
        checked.extras[table] = extras
    return checked


def _check_date_order(table, frame, failures, headers):
    for start, end in TABLES[table].date_ranges:
        bad = (frame[end] < frame[start]).fillna(False).to_numpy()
        if bad.any():
            starts = frame[start].dt.strftime("%Y-%m-%d")
            ends = frame[end].dt.strftime("%Y-%m-%d")
            failures.add_rows(frame, bad, end, "date_order",
                              end + " " + ends + " is before " + start + " " + starts, headers)


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

