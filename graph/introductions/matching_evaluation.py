"""Did matched helpers become ties? Matching scored on a later period against baselines.

For every consultation of a registered organisation dated on or before ``split``, the
helpers' organisations (offer providers and organisations; talents have none) are ranked with
the records up to ``split`` (``graph.introductions.match``), leaving out organisations already
tied to the asker. A consultation is a *hit* at ``k`` when one of the top ``k`` organisations
forms a new tie with the asker in ``(split, until]`` (``graph.introductions.new_ties``).
Baselines rank the same untied organisations by: ``same_ward`` (organisations of the asker's ward, in random
order), ``most_active`` (highest degree before the split) and ``random``.

Examples
--------
>>> ev = evaluate_matches(example_later_dataset(), split="2019-06-30", k=1)
>>> ev.table.loc["match", ["consultations", "hits"]].tolist(), ev.positives
([2, 1], 1)
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import numpy as np
import pandas as pd

from graph.build import tie_graph
from graph.errors import GraphError
from graph.introductions.history import new_ties, parse_cutoff
from graph.introductions.matching import consultation_need, example_match_dataset, match
from ingest.schemas import Dataset

__all__ = ["MATCH_METHODS", "MatchEvaluation", "evaluate_matches", "example_later_dataset"]

MATCH_METHODS = ("match", "same_ward", "most_active", "random")


class MatchEvaluation(NamedTuple):
    """``table``: per method ``consultations, hits, hit_rate``; ``positives``: consultations
    whose asker formed any new tie in the later period (the best any method can do)."""

    split: dt.date
    until: dt.date | None
    k: int
    table: pd.DataFrame
    positives: int


def _baselines(G, asker: str, candidates: list[str], k: int, rng) -> dict[str, list[str]]:
    ward = G.nodes[asker].get("ward")
    same = [c for c in candidates if ward and G.nodes[c].get("ward") == ward]
    active = sorted(candidates, key=lambda c: (-G.degree(c), c))
    return {"same_ward": list(rng.permutation(same))[:k] if same else [],
            "most_active": active[:k],
            "random": list(rng.permutation(candidates))[:k] if candidates else []}


def evaluate_matches(dataset: Dataset, *, split, until=None, k: int = 3, seed: int = 0
                     ) -> MatchEvaluation:
    """Hit rate at ``k`` of matching and of three baselines on the period after ``split``.

    Parameters
    ----------
    dataset : Dataset
        Needs ``consultations`` and the records ties are built from; not modified.
    split : date or str
        Consultations and records up to this day are used to rank.
    until : date or str, optional
        End of the later period (default: every later record).
    k : int
        Top organisations per consultation that count.
    seed : int
        Order of the random baselines.

    Returns
    -------
    MatchEvaluation

    Raises
    ------
    GraphError
        ``k`` < 1 or ``until`` before ``split``.

    Examples
    --------
    >>> ev = evaluate_matches(example_later_dataset(), split="2019-06-30", k=1)
    >>> ev.table["hits"].to_dict()["match"], ev.positives
    (1, 1)
    """
    if int(k) < 1:
        raise GraphError("k must be at least 1")
    split_day = parse_cutoff(split)
    until_day = None if until is None else parse_cutoff(until)
    if until_day is not None and until_day < split_day:
        raise GraphError(f"until ({until_day}) is before split ({split_day})")
    before = tie_graph(dataset, as_of=split_day)
    after = tie_graph(dataset, as_of=until_day)
    later: dict[str, set[str]] = {}
    for u, v in new_ties(before, after):
        later.setdefault(u, set()).add(v)
        later.setdefault(v, set()).add(u)
    table = dataset.table("consultations")
    dates = pd.to_datetime(table["date"])
    asked = table.loc[(table["org_id"].astype(str) != "") & (dates <= pd.Timestamp(split_day))]
    asked = asked.loc[asked["org_id"].astype(str).isin(set(before.nodes))]
    rng = np.random.default_rng(seed)
    hits = {m: 0 for m in MATCH_METHODS}
    counted = positives = 0
    for cid, asker in zip(asked["id"].astype(str), asked["org_id"].astype(str)):
        need = consultation_need(dataset, cid)
        if not need.topics:
            continue
        untied = [c for c in before.nodes if c != asker and not before.has_edge(asker, c)]
        ranked: list[str] = []
        for m in match(dataset, need, top=10 * k + 10, graph=before, as_of=split_day,
                       kinds=("offer", "organisation")):
            if m.org and m.org != asker and not before.has_edge(asker, m.org) and \
                    m.org not in ranked:
                ranked.append(m.org)
        picks = {"match": ranked[:k], **_baselines(before, asker, untied, k, rng)}
        counted += 1
        formed = later.get(asker, set())
        positives += bool(formed)
        for method, chosen in picks.items():
            hits[method] += bool(formed & set(chosen))
    rows = [{"method": m, "consultations": counted, "hits": hits[m],
             "hit_rate": round(hits[m] / counted, 4) if counted else 0.0} for m in MATCH_METHODS]
    return MatchEvaluation(split_day, until_day, int(k), pd.DataFrame(rows).set_index("method"),
                           positives)


def example_later_dataset() -> Dataset:
    """``graph.introductions.example_match_dataset`` plus a later collaboration: G1 and P1 (the
    provider of the 広報 offer matched to K1) work together on 2019-09-01.

    >>> example_later_dataset().table("collaborations")["id"].tolist()
    ['C1', 'C2', 'C3']
    """
    ds = example_match_dataset()
    tables = dict(ds.tables)
    later = pd.DataFrame({"id": ["C3"], "title": ["チラシ作り"],
                          "start_date": pd.to_datetime(["2019-09-01"]),
                          "org_ids": [["G1", "P1"]], "synthetic": [False]})
    tables["collaborations"] = pd.concat([tables["collaborations"], later], ignore_index=True)
    return Dataset(tables)
