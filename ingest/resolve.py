"""Name resolution: one organisation, one id, however its name is spelled.

References to organisations (``participations.org_id``, ``collaborations.org_ids``,
``events.organizer_id`` …) may give an id or a name. A value that is not an id is looked up
by its name key (``ingest.normalise.name_key``: width, spaces, honorifics, legal forms), so
「特定非営利活動法人 ReBORN」, 「ReBORNさん」 and 「ＲｅＢＯＲＮ」 all resolve to the same id.

Reviewed merges come from the dataset's ``aliases.csv`` (``alias,org_id``): an alias that is
another organisation's id, or matches another organisation's name key, merges that record
into ``org_id`` and re-points every reference. Near-duplicates that nobody reviewed yet are
only reported (``merge_candidates``), never merged silently.

Examples
--------
>>> orgs = pd.DataFrame({"id": ["R-O1", "R-O2"], "name": ["特定非営利活動法人 ReBORN", "FC大阪"]})
>>> index = NameIndex.from_orgs(orgs)
>>> resolved, reasons = index.resolve(pd.Series(["ReBORNさん", "R-O2", "誰か"]))
>>> resolved.tolist(), reasons.tolist()[2]
(['R-O1', 'R-O2', ''], "'誰か' is neither an organisation id nor a known organisation name")
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow.compute as pc

import ingest.normalise as _normalise
from ingest.normalise import name_key
from ingest.readers import arrow_strings
from ingest.schemas import TABLES

__all__ = [
    "isin",
    "name_keys",
    "compare_key",
    "NameIndex",
    "apply_aliases",
    "resolve_references",
    "merge_candidates",
    "MERGE_COLUMNS",
    "CANDIDATE_COLUMNS",
]

MERGE_COLUMNS = ("merged_id", "merged_name", "into_id", "alias", "file", "sheet", "row")
CANDIDATE_COLUMNS = ("org_a", "name_a", "org_b", "name_b", "score", "reason")
_SPLIT = re.compile(r"\s*[;,、|]\s*")
_NUMBERS = re.compile(r"\d+")


# Keys starting with a legal form, or ending with a legal form or an honorific, may lose it
# in ``name_key``; they take the exact (slow) path. ``name_key`` strips only at the two ends,
# so a form inside a name (（合成）NPO法人…の会) leaves the key as the arrow kernels give it.
_FORMS = tuple(dict.fromkeys(m.lower() for m in _normalise._LEGAL_FORMS))
_ENDINGS = tuple(dict.fromkeys(_FORMS + tuple(m.lower() for m in _normalise._HONORIFICS)))
_SLOW_RE = ("^(?:" + "|".join(re.escape(m) for m in _FORMS) + ")|(?:"
            + "|".join(re.escape(m) for m in _ENDINGS) + ")$")
# Characters on which arrow's NFKC/lower and Python's agree: printable ASCII, full-width
# ASCII, the ideographic space, kanji, kana and the usual Japanese marks.
_SAFE_RE = r"^[\x{20}-\x{7E}\x{3000}\x{FF01}-\x{FF5E}\p{Han}\p{Hiragana}\p{Katakana}ー・々〆ヶ]*$"
_STRIP_RE = r"[\s\"'「」『』【】“”‘’]"


# For scoring merge candidates only (never for resolving a reference): katakana read as
# hiragana, and spellings of one word unified, so that アオゾラ会 and あおぞら会, or
# 子供食堂 and 子ども食堂, score as the same name.
_KANA_FOLD = str.maketrans({chr(c): chr(c - 0x60) for c in range(0x30A1, 0x30F7)})
_SPELLINGS = (("子供", "こども"), ("子ども", "こども"))


def compare_key(key: str) -> str:
    """A name key as merge candidates compare it: kana folded, spelling variants unified.

    >>> compare_key("にしよど子供食堂") == compare_key("ニシヨド子ども食堂")
    True
    """
    key = key.translate(_KANA_FOLD)
    for variant, common in _SPELLINGS:
        key = key.replace(variant, common)
    return key


def isin(values: pd.Series, pool) -> np.ndarray:
    """Vectorised membership test of string values in ``pool`` (a hash set in C++).

    >>> isin(pd.Series(["a", "b", ""]), ["b", "c"]).tolist()
    [False, True, False]
    """
    arr = arrow_strings(values)
    if isinstance(pool, (set, dict)):
        pool = list(pool)
    members = arrow_strings(pd.Series(pool, dtype="str")).cast(arr.type)
    return pc.is_in(arr, value_set=members).to_numpy(zero_copy_only=False).astype(bool)


def name_keys(values: pd.Series) -> pd.Series:
    """``ingest.normalise.name_key`` of each value, vectorised.

    Plain names (no legal form or honorific, common Japanese and ASCII characters) are keyed
    with arrow kernels; the rest go through ``name_key`` once per unique value, so the
    result always equals ``values.map(name_key)``.

    >>> name_keys(pd.Series(["株式会社 FC大阪", "FC大阪様", "ＦＣ　大阪"])).tolist()
    ['fc大阪', 'fc大阪', 'fc大阪']
    """
    values = values.astype("str")
    if len(values) == 0:
        return values
    arr = arrow_strings(values)
    lowered = pc.utf8_lower(pc.utf8_normalize(arr, form="NFKC"))
    fast = pc.replace_substring_regex(lowered, pattern=_STRIP_RE, replacement="")
    plain = pc.and_(pc.match_substring_regex(arr, _SAFE_RE),
                    pc.invert(pc.match_substring_regex(fast, _SLOW_RE)))
    keys = pd.Series(pd.array(fast, dtype="str"), index=values.index)
    slow = ~plain.to_numpy(zero_copy_only=False).astype(bool)
    if slow.any():
        subset = values[slow]
        keys[slow] = subset.map({v: name_key(v) for v in pd.unique(subset)}).to_numpy()
    return keys


@dataclass
class NameIndex:
    """Ids and name keys of one table, to resolve references given as ids or names."""

    ids: pd.Index
    keys: pd.Series | None = None
    by_key: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    label: str = "organisation"

    @classmethod
    def from_orgs(cls, frame: pd.DataFrame, *, name_column: str = "name",
                  label: str = "organisation") -> NameIndex:
        """Index a frame with ``id`` and a name column.

        A ``corporate_number`` column (法人番号, 13 digits; from ``tsunagari import``) makes
        each number resolve to its organisation, before any name.

        >>> NameIndex.from_orgs(pd.DataFrame({"id": ["a"], "name": ["X様"]})).by_key
        {'x': 'a'}
        >>> index = NameIndex.from_orgs(pd.DataFrame({"id": ["a"], "name": ["X"],
        ...                                           "corporate_number": ["1234567890123"]}))
        >>> index.lookup("1234567890123")
        ('a', '')
        """
        ids = pd.Index(frame["id"].astype("str"))
        keys = name_keys(frame[name_column]) if len(frame) else pd.Series([], dtype="str")
        by_key: dict[str, str] = {}
        ambiguous: dict[str, list[str]] = {}
        for key, ident in zip(keys.to_numpy(), ids.to_numpy()):
            if not key:
                continue
            if key in ambiguous:
                ambiguous[key].append(ident)
            elif key in by_key and by_key[key] != ident:
                ambiguous[key] = [by_key.pop(key), ident]
            else:
                by_key[key] = ident
        numbers = {}
        if "corporate_number" in frame.columns:
            for number, ident in zip(frame["corporate_number"].astype("str"), ids.to_numpy()):
                number = unicodedata.normalize("NFKC", number).strip()
                if len(number) == 13 and number.isdigit():
                    numbers[number] = ident
        return cls(ids=ids, keys=keys, by_key=by_key, ambiguous=ambiguous, aliases=numbers,
                   label=label)

    def add_name(self, key: str, ident: str) -> None:
        """Let the name key ``key`` resolve to ``ident`` too (ambiguous when it already
        names another id).

        >>> index = NameIndex.from_orgs(pd.DataFrame({"id": ["a"], "name": ["X"]}))
        >>> index.add_name("y", "a"); index.add_name("x", "b")
        >>> index.lookup("Y")[0], index.ambiguous
        ('a', {'x': ['a', 'b']})
        """
        if not key:
            return
        if key in self.ambiguous:
            if ident not in self.ambiguous[key]:
                self.ambiguous[key].append(ident)
        elif key in self.by_key and self.by_key[key] != ident:
            self.ambiguous[key] = [self.by_key.pop(key), ident]
        else:
            self.by_key[key] = ident

    def lookup(self, value: str) -> tuple[str, str]:
        """Resolve one value; returns ``(id, "")`` or ``("", reason)``."""
        if value in self.redirects:
            return self.redirects[value], ""
        if value in self.ids:
            return value, ""
        if value in self.aliases:
            return self.aliases[value], ""
        key = name_key(value)
        if key in self.aliases:
            return self.aliases[key], ""
        if key in self.by_key:
            ident = self.by_key[key]
            return self.redirects.get(ident, ident), ""
        if key in self.ambiguous:
            return "", (f"'{value}' matches several {self.label}s by name "
                        f"({', '.join(self.ambiguous[key])}); give the id")
        return "", f"'{value}' is neither an {self.label} id nor a known {self.label} name"

    def resolve(self, values: pd.Series, *, codes: list | None = None
                ) -> tuple[pd.Series, pd.Series]:
        """Resolve a column: ``(ids, reasons)``; "" in ``ids`` where ``reasons`` says why.

        Values that are ids are matched in bulk (one hash look-up per value); the rest once
        per unique value. When ``codes`` is a list, an int64 array is appended to it: the
        position in ``ids`` of each resolved id (``len(ids)`` for ""), so a duplicate check
        can use the look-up already made instead of hashing the strings again.

        >>> index = NameIndex.from_orgs(pd.DataFrame({"id": ["a", "b"], "name": ["X", "Y"]}))
        >>> found = []
        >>> index.resolve(pd.Series(["b", "X様", "?"]), codes=found)[0].tolist(), found[0].tolist()
        (['b', 'a', ''], [1, 0, 2])
        """
        values = values.astype("str")
        arr = arrow_strings(values)
        members = arrow_strings(pd.Series(self.ids, dtype="str")).cast(arr.type)
        positions = pc.index_in(arr, value_set=members)
        direct = positions.is_valid().to_numpy(zero_copy_only=False)
        if self.redirects:
            direct &= ~isin(values, self.redirects)
        resolved = values.copy()
        reasons = pd.Series("", index=values.index, dtype=object)
        rest = ~direct & (values != "").to_numpy()
        if rest.any():
            subset = pd.Series(pd.unique(values[rest]), dtype="str")
            keys = name_keys(subset).to_numpy(dtype=object)
            answers = {}
            for value, key in zip(subset.to_numpy(dtype=object), keys):
                if value in self.redirects or value in self.aliases or key in self.aliases \
                        or key not in self.by_key:
                    answers[value] = self.lookup(value)
                else:
                    ident = self.by_key[key]
                    answers[value] = (self.redirects.get(ident, ident), "")
            chosen = values[rest]
            resolved[rest] = chosen.map({v: a[0] for v, a in answers.items()}).to_numpy()
            reasons[rest] = chosen.map({v: a[1] for v, a in answers.items()}).to_numpy()
        if codes is not None:
            found = pc.fill_null(positions, -1).to_numpy(zero_copy_only=False).astype(np.int64)
            other = ~direct
            if other.any():  # redirected, resolved by name, unresolved or empty
                again = pc.index_in(arrow_strings(resolved[other]), value_set=members)
                found[other] = pc.fill_null(again, -1).to_numpy(zero_copy_only=False)
            found[found < 0] = len(self.ids)
            codes.append(found)
        return resolved.astype("str"), reasons


def apply_aliases(orgs: pd.DataFrame, aliases: pd.DataFrame | None, failures,
                  headers=None) -> tuple[pd.DataFrame, NameIndex, pd.DataFrame]:
    """Apply reviewed merges from ``aliases.csv`` (``alias,org_id``).

    Returns the organisations without the merged-away records, the name index (with the
    aliases and redirects from merged ids) and a table of the merges made (``MERGE_COLUMNS``).
    ``aliases`` carries ``_file``, ``_sheet``, ``_row`` for failure messages.

    >>> from ingest.validate import Failures
    >>> orgs = pd.DataFrame({"id": ["R-O1", "R-O9"], "name": ["ReBORN", "リボーン"],
    ...                      "_file": "o.csv", "_sheet": "", "_row": [2, 3]})
    >>> aliases = pd.DataFrame({"alias": ["リボーン"], "org_id": ["R-O1"],
    ...                         "_file": "aliases.csv", "_sheet": "", "_row": [2]})
    >>> kept, index, merges = apply_aliases(orgs, aliases, Failures())
    >>> kept["id"].tolist(), index.lookup("R-O9"), merges.loc[0, "merged_id"]
    (['R-O1'], ('R-O1', ''), 'R-O9')
    """
    index = NameIndex.from_orgs(orgs)
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in MERGE_COLUMNS})
    if aliases is None or aliases.empty:
        return orgs, index, empty
    for column in ("alias", "org_id"):
        if column not in aliases.columns:
            failures.add(str(aliases["_file"].iloc[0]), str(aliases["_sheet"].iloc[0]), 1,
                         column, "missing_column",
                         f"aliases need the columns alias,org_id; {column!r} is missing")
            return orgs, index, empty
    alias_values = aliases["alias"].astype("str")
    targets = aliases["org_id"].astype("str")
    unknown = ~targets.isin(index.ids).to_numpy() & (targets != "").to_numpy()
    failures.add_rows(aliases, unknown, "org_id", "unknown_reference",
                      "'" + targets + "' is not an organisation id in this dataset", headers)
    for column, values in (("alias", alias_values), ("org_id", targets)):
        failures.add_rows(aliases, (values == "").to_numpy(), column, "empty_value",
                          f"required value {column!r} is empty", headers)
    keys = name_keys(orgs["name"]) if len(orgs) else pd.Series([], dtype="str")
    ids = orgs["id"].astype("str").to_numpy()
    names = orgs["name"].astype("str").to_numpy()
    merges = []
    merged_ids: set[str] = set()
    valid = ~unknown & (alias_values != "").to_numpy() & (targets != "").to_numpy()
    for alias, target, file, sheet, row in zip(alias_values[valid], targets[valid],
                                               aliases["_file"][valid], aliases["_sheet"][valid],
                                               aliases["_row"][valid]):
        key = name_key(alias)
        index.aliases[alias] = target
        if key:
            index.aliases[key] = target
        hit = (ids == alias) | (keys.to_numpy() == key)
        for ident, name in zip(ids[hit], names[hit]):
            if ident == target or ident in merged_ids:
                continue
            merged_ids.add(ident)
            merges.append({"merged_id": ident, "merged_name": name, "into_id": target,
                           "alias": alias, "file": file, "sheet": sheet, "row": row})
    if not merges:
        return orgs, index, empty
    merged = pd.DataFrame(merges, columns=list(MERGE_COLUMNS))
    redirects = dict(zip(merged["merged_id"], merged["into_id"]))
    # Follow chains (a -> b, b -> c) to their end.
    for source in list(redirects):
        seen = {source}
        while redirects[source] in redirects and redirects[source] not in seen:
            seen.add(redirects[source])
            redirects[source] = redirects[redirects[source]]
    # A chain that ends on an organisation merged away itself is a cycle (a -> b, b -> a):
    # it would drop every organisation in it.
    cycle = merged["merged_id"].map(lambda ident: redirects[ident] in redirects).to_numpy()
    if cycle.any():
        for record in merged.loc[cycle].to_dict("records"):
            failures.add(record["file"], record["sheet"], record["row"],
                         _display_header(headers, record["file"], record["sheet"], "org_id"),
                         "alias_cycle",
                         f"merging {record['merged_id']} into {record['into_id']} closes a "
                         "cycle of aliases (each organisation merged into another); keep one "
                         "of them as the target")
        return orgs, index, empty
    kept = orgs.loc[~orgs["id"].astype("str").isin(list(redirects))].reset_index(drop=True)
    index = NameIndex.from_orgs(kept)
    # The names of merged-away organisations still name them: they resolve to the target.
    for ident, name in zip(merged["merged_id"], merged["merged_name"]):
        index.add_name(name_key(name), redirects[ident])
    index.aliases = {k: redirects.get(v, v) for k, v in
                     {**{a: t for a, t in zip(alias_values[valid], targets[valid])},
                      **{name_key(a): t for a, t in zip(alias_values[valid], targets[valid])
                         if name_key(a)}}.items()}
    index.redirects = redirects
    return kept, index, merged


def _display_header(headers, file, sheet, column) -> str:
    """The header a file used for ``column`` (``column`` itself when unknown)."""
    return (headers or {}).get((file, sheet), {}).get(column, column)


def _missing_table(tables, table, column, target, failures, headers, header_rows=None):
    frame = tables[table]
    for (file, sheet) in frame[["_file", "_sheet"]].drop_duplicates().itertuples(index=False):
        shown = headers.get((file, sheet), {}).get(column, column) if headers else column
        row = (header_rows or {}).get((file, sheet), 1)
        failures.add(file, sheet, row, shown, "missing_table",
                     f"{table}.{column} refers to {target}, but the dataset has no {target} "
                     f"table (add {target}.csv or a sheet named {target})")


def resolve_references(tables: dict[str, pd.DataFrame], org_index: NameIndex | None,
                       failures, headers=None, *, codes: dict | None = None,
                       header_rows: dict | None = None, unreadable=()
                       ) -> dict[str, pd.DataFrame]:
    """Resolve every reference column to ids; unknown or ambiguous ones become failures.

    ``header_rows`` maps ``(file, sheet)`` to its header row (default 1), where a missing
    referred-to table is reported. A referred-to table in ``unreadable`` (its file could not
    be read, which is reported already) is not reported missing again.

    With ``codes`` (a dict), ``codes[(table, column)]`` receives the integer code of each
    resolved id (see ``NameIndex.resolve``) for ``ingest.validate.check_duplicates``.

    ``org_index`` is ``None`` when the organizations table is missing or unreadable (that is
    reported once elsewhere); organisation references are then left unchecked.

    ``collaborations.org_ids`` is split on ``;`` ``,`` ``、`` ``|`` into a list of ids.
    Returns new frames (inputs are not modified).

    >>> from ingest.validate import Failures
    >>> orgs = pd.DataFrame({"id": ["R-O1", "R-O2"], "name": ["ReBORN", "FC大阪"]})
    >>> collabs = pd.DataFrame({"org_ids": ["ReBORNさん;R-O2"], "_file": "c.csv",
    ...                         "_sheet": "", "_row": [2]})
    >>> out = resolve_references({"organizations": orgs, "collaborations": collabs},
    ...                          NameIndex.from_orgs(orgs), Failures())
    >>> out["collaborations"].loc[0, "org_ids"]
    ['R-O1', 'R-O2']
    """
    out = dict(tables)
    indexes = {"organizations": org_index}
    if "events" in tables:
        indexes["events"] = NameIndex.from_orgs(tables["events"], label="event")
    for table, frame in tables.items():
        spec = TABLES.get(table)
        if spec is None:
            continue
        frame = frame.copy(deep=False)  # columns are replaced, never written in place
        for column in spec.columns:
            if column.ref is None or column.name not in frame.columns:
                continue
            index = indexes.get(column.ref)
            if index is None:
                if len(frame) and column.ref != "organizations" and \
                        column.ref not in unreadable:
                    _missing_table(tables, table, column.name, column.ref, failures, headers,
                                   header_rows)
                continue
            if column.type == "ids":
                frame[column.name] = _resolve_lists(frame, column.name, index, failures,
                                                    headers)
                continue
            values = frame[column.name]
            found: list = []
            resolved, reasons = index.resolve(values, codes=found)
            if codes is not None:
                codes[(table, column.name)] = found[0]
            # A reason is given exactly for the non-empty values left unresolved; comparing
            # the arrow-backed strings is much cheaper than the million-row object column.
            bad = ((resolved == "") & (values.astype("str") != "")).to_numpy()
            failures.add_rows(frame, bad, column.name, "unknown_reference", reasons, headers)
            frame[column.name] = resolved
        out[table] = frame
    return out


def _resolve_lists(frame, column, index, failures, headers) -> pd.Series:
    values = frame[column].astype("str")
    if not len(values):
        return pd.Series([], index=frame.index, dtype=object)
    parts = values.map(lambda v: [p for p in _SPLIT.split(v) if p] if v else [])
    exploded = parts.explode()
    present = exploded.notna().to_numpy()
    tokens = exploded[present].astype("str")
    resolved, reasons = index.resolve(tokens)
    bad_tokens = reasons[reasons != ""]
    if len(bad_tokens):
        per_row = bad_tokens.groupby(level=0).agg("; ".join)
        bad = frame.index.isin(per_row.index)
        failures.add_rows(frame, bad, column, "unknown_reference",
                          per_row.reindex(frame.index).fillna(""), headers)
    # Tokens come out of ``explode`` in row order (an empty list gives one missing token), so
    # each row's resolved tokens are one slice of the kept tokens: no per-group pandas work.
    rows = np.repeat(np.arange(len(parts)), np.maximum(parts.map(len).to_numpy(), 1))[present]
    keep = (reasons == "").to_numpy()
    kept, good = rows[keep], resolved.to_numpy(dtype=object)[keep]
    bounds = np.searchsorted(kept, np.arange(len(parts) + 1))
    return pd.Series([good[a:b].tolist() for a, b in zip(bounds[:-1], bounds[1:])],
                     index=frame.index, dtype=object)


def merge_candidates(orgs: pd.DataFrame, *, threshold: float = 90.0,
                     exhaustive_limit: int = 3000, window: int = 2,
                     keys: pd.Series | None = None) -> pd.DataFrame:
    """Pairs of organisations whose names look like one organisation, for a person to review.

    Scores are ``rapidfuzz.fuzz.ratio`` of the name keys (100 = same key), compared with
    katakana read as hiragana and 子供 / 子ども written alike (``compare_key``). Up to
    ``exhaustive_limit`` organisations every pair is compared; above it, each name is
    compared with its ``window`` neighbours in key order and in reversed-key order (the
    sorted-neighbourhood method), so the cost stays linear. Pairs in two different known
    wards are left out (西淀川区… and 東淀川区… councils are different organisations), and so
    are pairs whose numbers differ (第1町会 and 第10町会, 1丁目 and 2丁目).

    ``keys`` may pass the name keys already computed (aligned with ``orgs``).
    Returns a frame with ``CANDIDATE_COLUMNS``, best score first.

    >>> orgs = pd.DataFrame({"id": ["a", "b", "c"], "ward": ["", "", ""],
    ...                      "name": ["にしよどにこネット", "NPO法人 にしよど にこネット", "FC大阪"]})
    >>> merge_candidates(orgs)[["org_a", "org_b", "score"]].values.tolist()
    [['a', 'b', 100.0]]
    """
    from rapidfuzz import fuzz, process

    columns = {c: pd.Series(dtype=object) for c in CANDIDATE_COLUMNS}
    if len(orgs) < 2:
        return pd.DataFrame(columns).astype({"score": "float64"})
    keys = name_keys(orgs["name"]) if keys is None or len(keys) != len(orgs) else keys
    exact = keys.to_numpy(dtype=object)
    keys = exact.copy()
    # Only keys with katakana or 子 can change under ``compare_key``: found with arrow.
    folds = pc.match_substring_regex(arrow_strings(pd.Series(exact, dtype="str")),
                                     "[\u30a1-\u30f6]|子").to_numpy(zero_copy_only=False)
    changing = np.flatnonzero(folds)
    if len(changing):
        # One ``compare_key`` over the keys joined by newlines (keys hold no whitespace, and
        # no replaced spelling spans a newline), split back: the same keys, no Python loop.
        keys[changing] = compare_key("\n".join(exact[changing].tolist())).split("\n")
    key_strings = arrow_strings(pd.Series(keys, dtype="str"))
    # Ids, names and wards of the pairs found: plain arrays, as a file of look-alike names
    # (団体1, 団体2, …) can give a million pairs to look up.
    ids = orgs["id"].astype("str").to_numpy(dtype=object)
    names = orgs["name"].astype("str").to_numpy(dtype=object)
    wards = (orgs["ward"].astype("str").to_numpy(dtype=object)
             if "ward" in orgs.columns else np.full(len(orgs), "", dtype=object))
    if len(orgs) <= exhaustive_limit:
        matrix = process.cdist(list(keys), list(keys), scorer=fuzz.ratio,
                               score_cutoff=threshold, dtype=np.uint8, workers=1)
        first, second = np.nonzero(np.triu(matrix, k=1))
        scores = np.array([float(fuzz.ratio(keys[i], keys[j]))
                           for i, j in zip(first.tolist(), second.tolist())], dtype=float)
    else:
        found_first, found_second, found_scores = [], [], []
        for order_keys in (key_strings, pc.utf8_reverse(key_strings)):
            order = pc.array_sort_indices(order_keys).to_numpy()
            for offset in range(1, min(window, len(order) - 1) + 1):
                left, right = order[:-offset], order[offset:]
                scored = process.cpdist(keys[left], keys[right], scorer=fuzz.ratio,
                                        score_cutoff=threshold, workers=1)
                hits = np.flatnonzero(scored)
                found_first.append(np.minimum(left[hits], right[hits]))
                found_second.append(np.maximum(left[hits], right[hits]))
                found_scores.append(np.asarray(scored[hits], dtype=float))
        first, second = np.concatenate(found_first), np.concatenate(found_second)
        # A pair found twice (both orders) counted once, in the order first found; its
        # score does not depend on the order (fuzz.ratio is symmetric).
        _, where = np.unique(first.astype(np.int64) * len(keys) + second, return_index=True)
        where.sort()
        first, second = first[where], second[where]
        scores = np.concatenate(found_scores)[where]
    records = []
    if len(first):
        # The filters on plain arrays (one Python pass over the few pairs that survive them).
        keep = (keys[first] != "") & (ids[first] != ids[second])
        keep &= ~((wards[first] != "") & (wards[second] != "")
                  & (wards[first] != wards[second]))
        numbers = np.empty(len(keys), dtype=object)
        involved = np.unique(np.concatenate([first[keep], second[keep]]))
        numbers[involved] = [" ".join(_NUMBERS.findall(keys[p])) for p in involved.tolist()]
        keep &= numbers[first] == numbers[second]
        for i, j, score in zip(first[keep].tolist(), second[keep].tolist(),
                               scores[keep].tolist()):
            reason = ("same name key" if exact[i] == exact[j] else
                      "same name in other kana or spelling" if keys[i] == keys[j] else
                      "similar names")
            records.append({"org_a": ids[i], "name_a": names[i], "org_b": ids[j],
                            "name_b": names[j], "score": round(score, 1), "reason": reason})
    if not records:
        return pd.DataFrame(columns).astype({"score": "float64"})
    frame = pd.DataFrame(records, columns=list(CANDIDATE_COLUMNS))
    return frame.sort_values(["score", "org_a", "org_b"], ascending=[False, True, True],
                             kind="stable").reset_index(drop=True)
