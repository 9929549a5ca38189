"""Name keys of whole columns and the ``NameIndex`` that resolves ids and names to ids.

``name_keys`` is ``ingest.normalise.name_key`` vectorised with arrow kernels (the exact
path only for names that may lose a legal form or an honorific); ``NameIndex`` holds one
table's ids and name keys, the reviewed aliases and the redirects of merged ids.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ingest.normalise import name_key
from ingest.normalise.names import HONORIFICS, LEGAL_FORMS
from ingest.readers import arrow_strings

__all__ = ["isin", "name_keys", "NameIndex"]

# Keys starting with a legal form, or ending with a legal form or an honorific, may lose it
# in ``name_key``; they take the exact (slow) path. ``name_key`` strips only at the two ends,
# so a form inside a name (（合成）NPO法人…の会) leaves the key as the arrow kernels give it.
_FORMS = tuple(dict.fromkeys(m.lower() for m in LEGAL_FORMS))
_ENDINGS = tuple(dict.fromkeys(_FORMS + tuple(m.lower() for m in HONORIFICS)))
_SLOW_RE = ("^(?:" + "|".join(re.escape(m) for m in _FORMS) + ")|(?:"
            + "|".join(re.escape(m) for m in _ENDINGS) + ")$")
# Characters on which arrow's NFKC/lower and Python's agree: printable ASCII, full-width
# ASCII, the ideographic space, kanji, kana and the usual Japanese marks.
_SAFE_RE = r"^[\x{20}-\x{7E}\x{3000}\x{FF01}-\x{FF5E}\p{Han}\p{Hiragana}\p{Katakana}ー・々〆ヶ]*$"
_STRIP_RE = r"[\s\"'「」『』【】“”‘’]"


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
