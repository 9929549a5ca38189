"""Typing the columns of every raw table, with a failure for each value that is refused.

``check_tables`` types each table column by column with vectorised operations (dates,
numbers, enums, wards, NPO fields, fiscal years, pseudonymous ids) and checks the date
pairs of ``TableSpec.date_ranges``; only the rows that fail are visited one by one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ingest.consultations import STATUS_ALIASES, parse_topics
from ingest.normalise import fiscal_year, is_osaka, normalise_ward, parse_fields, parse_fiscal_year
from ingest.readers import RawDataset, RawTable, arrow_strings
from ingest.schemas import ORG_KINDS, ORIENTATIONS, TABLES, Column
from ingest.validate.date_columns import parse_date_column
from ingest.validate.failures import Failures

__all__ = ["KIND_ALIASES", "ORIENTATION_ALIASES", "Checked", "check_tables"]

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


# A pseudonymous id for a person (``Column.pseudonym``): ASCII letters and digits with
# - _ . inside, no spaces; a name in kanji or kana, or "Taro Yamada", is refused.
_PSEUDONYM = r"[A-Za-z0-9][A-Za-z0-9_.\-]*"

# The largest number a numeric column takes (every whole number up to it is exact).
_LARGEST = 2.0 ** 53

# Numbers as people type them: thousands separators (1,234), a yen sign (¥300,000; ￥ is ¥
# after NFKC) and a unit after the number (300,000円, 200人, 5回, 3件, 2名) are dropped.
_NUMBER_DECOR = r"[,¥円人名回件]"
_NUMBER_STRIP = r"^¥ ?|,| ?(?:円|人|名|回|件)$"


@dataclass
class Checked:
    """Typed tables (canonical columns + extras + ``_file/_sheet/_row``), their headers and
    the row each ``(file, sheet)`` has its header on."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    extras: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    header_rows: dict[tuple[str, str], int] = field(default_factory=dict)


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
