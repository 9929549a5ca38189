"""Name resolution: one organisation, one id, however its name is spelled.

References to organisations (``participations.org_id``, ``collaborations.org_ids``,
``events.organizer_id`` …) may give an id or a name. A value that is not an id is looked up
by its name key (``ingest.normalise.name_key``: width, spaces, honorifics, legal forms), so
「特定非営利活動法人 ReBORN」, 「ReBORNさん」 and 「ＲｅＢＯＲＮ」 all resolve to the same id.

Reviewed merges come from the dataset's ``aliases.csv`` (``alias,org_id``): an alias that is
another organisation's id, or matches another organisation's name key, merges that record
into ``org_id`` and re-points every reference. Near-duplicates that nobody reviewed yet are
only reported (``merge_candidates``), never merged silently.

What lives where:

* :mod:`ingest.resolve.name_index` — :class:`NameIndex`, :func:`name_keys`, :func:`isin`;
* :mod:`ingest.resolve.references` — :func:`apply_aliases`, :func:`resolve_references`,
  :data:`MERGE_COLUMNS`;
* :mod:`ingest.resolve.candidates` — :func:`merge_candidates`, :func:`compare_key`,
  :data:`CANDIDATE_COLUMNS`.

Examples
--------
>>> import pandas as pd
>>> orgs = pd.DataFrame({"id": ["R-O1", "R-O2"], "name": ["特定非営利活動法人 ReBORN", "FC大阪"]})
>>> index = NameIndex.from_orgs(orgs)
>>> resolved, reasons = index.resolve(pd.Series(["ReBORNさん", "R-O2", "誰か"]))
>>> resolved.tolist(), reasons.tolist()[2]
(['R-O1', 'R-O2', ''], "'誰か' is neither an organisation id nor a known organisation name")
"""

from ingest.resolve.candidates import CANDIDATE_COLUMNS, compare_key, merge_candidates
from ingest.resolve.name_index import NameIndex, isin, name_keys
from ingest.resolve.references import MERGE_COLUMNS, apply_aliases, resolve_references

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
