"""Write registry organisations as a dataset folder to review, matched to the store first.

``match_registry`` finds, for each registry organisation, the store organisation it already is:
by 法人番号 first (the store's ``corporate_number`` column, kept in ``attrs``), then by name key
(``ingest.normalise.name_key``: the same name in another width or legal-form spelling), and
lists similar names (``ingest.resolve.merge_candidates``) as merge candidates for a person to
review — never merged silently. ``write_registry_dataset`` writes ``organizations.csv`` (ids of
matched organisations replaced by the store's), ``merge_candidates.csv`` and ``dataset.json``
into a fresh folder, all or nothing.

Examples
--------
>>> store = pd.DataFrame({"id": ["R-O1", "R-O2"], "name": ["にこネット", "にしよど子供食堂"],
...                       "ward": ["西淀川区", "西淀川区"], "attrs": [{}, {}]})
>>> incoming = pd.DataFrame({"id": ["CN1", "CN2"], "ward": ["西淀川区", "西淀川区"],
...                          "name": ["特定非営利活動法人 にこネット", "にしよど子ども食堂"],
...                          "corporate_number": ["1", "2"]})
>>> match_registry(incoming, store)[["registry_id", "store_id", "how"]].values.tolist()
[['CN1', 'R-O1', 'name'], ['CN2', 'R-O2', 'similar']]
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from ingest.cells import escape_spreadsheet_cell as escape_cell
from ingest.normalise import name_key
from ingest.resolve import merge_candidates

__all__ = ["MATCH_COLUMNS", "match_registry", "write_registry_dataset"]

MATCH_COLUMNS = ("registry_id", "registry_name", "corporate_number", "store_id", "store_name",
                 "how", "score")


def _store_numbers(existing: pd.DataFrame) -> pd.Series:
    if "corporate_number" in existing.columns:
        return existing["corporate_number"].fillna("").astype(str)
    attrs = existing["attrs"] if "attrs" in existing.columns else pd.Series([{}] * len(existing))
    return pd.Series([str((a or {}).get("corporate_number", "")) for a in attrs],
                     index=existing.index)


def match_registry(incoming: pd.DataFrame, existing: pd.DataFrame, *,
                   threshold: float = 90.0) -> pd.DataFrame:
    """Registry organisations already in the store: by 法人番号, by name, or similar names.

    Parameters
    ----------
    incoming : DataFrame
        ``id, name, ward, corporate_number`` (``ingest.registries``).
    existing : DataFrame
        The store's organisations (``id, name, ward`` and ``attrs`` or ``corporate_number``).
    threshold : float
        Name similarity (0–100) from which a pair is a merge candidate.

    Returns
    -------
    DataFrame
        ``MATCH_COLUMNS``; ``how`` is ``corporate_number``, ``name`` (matched: the registry
        record takes the store's id) or ``similar`` (a merge candidate to review).

    Examples
    --------
    >>> store = pd.DataFrame({"id": ["R-O2"], "name": ["尼崎信用金庫"], "ward": ["西淀川区"],
    ...                       "corporate_number": ["1120005000001"]})
    >>> incoming = pd.DataFrame({"id": ["CN1120005000001"], "name": ["尼信"],
    ...                          "ward": ["西淀川区"], "corporate_number": ["1120005000001"]})
    >>> match_registry(incoming, store)[["store_id", "how"]].values.tolist()
    [['R-O2', 'corporate_number']]
    """
    rows = []
    numbers = _store_numbers(existing)
    by_number = {n: i for n, i in zip(numbers, existing["id"].astype(str)) if n}
    names = dict(zip(existing["id"].astype(str), existing["name"].astype(str)))
    by_key: dict[str, list[str]] = {}
    for ident, name in names.items():
        by_key.setdefault(name_key(name), []).append(ident)
    matched = set()
    for rec in incoming.to_dict("records"):
        number = str(rec.get("corporate_number") or "")
        hit, how = by_number.get(number) if number else None, "corporate_number"
        if hit is None:
            same = by_key.get(name_key(rec["name"]), [])
            hit, how = (same[0], "name") if len(same) == 1 else (None, "")
        if hit is not None:
            matched.add(rec["id"])
            rows.append((rec["id"], rec["name"], number, hit, names[hit], how, 100.0))
    rest = incoming.loc[~incoming["id"].isin(matched)]
    if len(rest) and len(existing):
        both = pd.concat([rest[["id", "name", "ward"]].assign(_side="registry"),
                          existing[["id", "name", "ward"]].assign(_side="store")],
                         ignore_index=True)
        both["ward"] = both["ward"].fillna("").astype(str)
        side = dict(zip(both["id"].astype(str), both["_side"]))
        for pair in merge_candidates(both, threshold=threshold).to_dict("records"):
            a, b = str(pair["org_a"]), str(pair["org_b"])
            if side.get(a) == side.get(b):
                continue
            reg, sto = (a, b) if side.get(a) == "registry" else (b, a)
            number = str(rest.loc[rest["id"] == reg, "corporate_number"].iloc[0] or "")
            rows.append((reg, both.loc[both["id"] == reg, "name"].iloc[0], number, sto,
                         names[sto], "similar", float(pair["score"])))
    return pd.DataFrame(rows, columns=list(MATCH_COLUMNS))


def _write_csv(frame: pd.DataFrame, path: Path, *, escape: bool) -> None:
    """UTF-8 with BOM (Excel reads the Japanese). ``escape``: text cells escaped against
    formulas (a report to read); without it the cells are written as they are, because the
    file is a table ``tsunagari ingest`` reads back and an escape would change the names."""
    cells = frame.astype(object).where(frame.notna(), "")
    (cells.map(escape_cell) if escape else cells).to_csv(path, index=False, encoding="utf-8-sig")


def _refuse_existing(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ValueError(f"{out} exists and is not empty; choose a new folder (nothing written)")


def write_registry_dataset(orgs: pd.DataFrame, out_dir, *, registry: str, source_file: str,
                           existing: pd.DataFrame | None = None,
                           threshold: float = 90.0) -> dict:
    """Write the registry organisations as a dataset folder for review; returns counts.

    Organisations matched to the store (``match_registry``: by 法人番号 or name) take the
    store's id, so ingesting the folder adds their 法人番号 to the records already there;
    similar names go to ``merge_candidates.csv`` (copy the accepted ones into an
    ``aliases.csv`` as ``alias,org_id``). Everything is written into a temporary folder that
    is renamed into place at the end: a failure leaves no half-written folder.

    Raises
    ------
    ValueError
        When ``out_dir`` exists and is not empty.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "npo"
    >>> orgs = pd.DataFrame({"id": ["CN1"], "name": ["A"], "kind": ["npo"], "ward": ["北区"],
    ...                      "corporate_number": ["1"]})
    >>> write_registry_dataset(orgs, out, registry="npo-registry", source_file="x.csv")
    {'organizations': 1, 'matched': 0, 'merge_candidates': 0}
    >>> sorted(p.name for p in out.iterdir())
    ['dataset.json', 'merge_candidates.csv', 'organizations.csv']
    """
    out = Path(out_dir)
    _refuse_existing(out)
    matches = match_registry(orgs, existing, threshold=threshold) if existing is not None \
        and len(existing) else pd.DataFrame(columns=list(MATCH_COLUMNS))
    same = matches.loc[matches["how"] != "similar"]
    renamed = dict(zip(same["registry_id"], same["store_id"]))
    table = orgs.copy()
    table["id"] = table["id"].map(lambda i: renamed.get(i, i))
    table = table.drop_duplicates("id", keep="first")
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        _write_csv(table, work / "organizations.csv", escape=False)
        _write_csv(matches.loc[matches["how"] == "similar"], work / "merge_candidates.csv",
                   escape=True)
        meta = {"name": f"{registry}-{Path(source_file).stem}", "city": "大阪市",
                "source": f"{registry}: {Path(source_file).name}",
                "matched_to_store": {k: int(v) for k, v in same["how"].value_counts().items()}}
        (work / "dataset.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                                           encoding="utf-8")
        if out.exists():
            out.rmdir()
        os.replace(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return {"organizations": len(table), "matched": len(same),
            "merge_candidates": int((matches["how"] == "similar").sum())}
