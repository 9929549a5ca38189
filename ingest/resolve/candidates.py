"""Merge candidates: pairs of names that look like one organisation, for a person to review.

Nothing here merges anything: reviewed merges go through ``aliases.csv``
(``ingest.resolve.references.apply_aliases``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ingest.readers import arrow_strings
from ingest.resolve.name_index import name_keys

__all__ = ["CANDIDATE_COLUMNS", "compare_key", "merge_candidates"]

CANDIDATE_COLUMNS = ("org_a", "name_a", "org_b", "name_b", "score", "reason")
_NUMBERS = re.compile(r"\d+")


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
