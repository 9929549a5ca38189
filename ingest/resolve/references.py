"""Reviewed merges (``aliases.csv``) and references resolved to ids, failures for the rest.

``apply_aliases`` merges the records ``aliases.csv`` names into their ``org_id``;
``resolve_references`` turns every reference column (an id or a name) into ids, and
reports the unknown and ambiguous ones as ``unknown_reference`` failures.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ingest.normalise import name_key
from ingest.resolve.name_index import NameIndex, name_keys
from ingest.schemas import TABLES

__all__ = ["MERGE_COLUMNS", "apply_aliases", "resolve_references"]

MERGE_COLUMNS = ("merged_id", "merged_name", "into_id", "alias", "file", "sheet", "row")
_SPLIT = re.compile(r"\s*[;,、|]\s*")


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
