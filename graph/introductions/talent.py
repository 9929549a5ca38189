"""Talent matching: which public community talents (地域公共人材) to dispatch to a group.

As the city's talent bank does: a group asks for skills (ファシリテーション, 広報 …); rank
the registered talents (``talents``: pseudonymous ``id`` and ``skills``) by

================== ===========================================================================
``skill``          requested skills the talent lists (Japanese and English names match:
                   ファシリテーション = facilitation; see ``SKILL_SYNONYMS``)
``purpose``        log(1 + past dispatches whose purpose names a requested skill)
``experience``     log(1 + past dispatches)
``similar_groups`` log(1 + past dispatches to groups of the requester's orientation
                   (地縁型 / テーマ型) or ward)
``familiar``       1 when the talent was dispatched to this group before
================== ===========================================================================

A talent is suggested only with a reason that cites records (``talents:<id>``,
``dispatches:<id>``); when skills are requested, only talents matching one of them by skill
or past purpose. Only pseudonymous ids are handled: the talents table carries no names.

Examples
--------
>>> ds = example_talent_dataset()
>>> [m.talent_id for m in match_talents(ds, skills=["ファシリテーション"], org="G1")]
['T2', 'T1']
>>> match_talents(ds, skills=["広報"], org="G1")[0].reasons[0].ja
'スキル一致: PR'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import pandas as pd

from graph.errors import GraphError
from graph.introductions.reasons import Reason
from ingest.normalise import nfkc
from ingest.schemas import Dataset

__all__ = ["TALENT_WEIGHTS", "SKILL_SYNONYMS", "TalentMatch", "skill_key", "skill_names_ja", "match_talents",
           "example_talent_dataset"]

TALENT_WEIGHTS: Mapping[str, float] = {
    "skill": 1.0, "purpose": 0.5, "experience": 0.25, "similar_groups": 0.25, "familiar": 0.5,
}

# Canonical skill key → spellings (Japanese and English) that mean it.
SKILL_SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "facilitation": ("facilitation", "ファシリテーション", "ファシリテーター", "話し合い", "会議進行"),
    "coordination": ("coordination", "コーディネート", "コーディネーション", "調整", "連携"),
    "design": ("design", "デザイン", "ロゴ", "チラシ"),
    "pr": ("pr", "広報", "情報発信", "発信", "sns"),
    "accounting": ("accounting", "会計", "経理", "決算"),
    "it": ("it", "ict", "情報化", "パソコン", "ウェブ", "web", "ホームページ"),
    "fundraising": ("fundraising", "資金調達", "ファンドレイジング", "助成金", "寄付"),
    "management": ("management", "組織運営", "運営", "マネジメント", "経営", "中小企業診断"),
    "legal": ("legal", "法律", "法務", "規約", "法人化"),
    "disaster-prevention": ("disaster-prevention", "防災", "減災", "避難"),
}


class TalentMatch(NamedTuple):
    """A talent suggested for a request: score, its parts and cited reasons."""

    talent_id: str
    score: float
    parts: Mapping[str, float]
    matched_skills: tuple[str, ...]
    dispatches: int
    reasons: tuple[Reason, ...]


def skill_key(text: object) -> str:
    """The canonical key of a skill name (Japanese or English), or its normalised text.

    Examples
    --------
    >>> skill_key("ファシリテーション"), skill_key(" PR "), skill_key("書道")
    ('facilitation', 'pr', '書道')
    """
    value = nfkc(text).lower()
    for key, spellings in SKILL_SYNONYMS.items():
        if value in spellings:
            return key
    return value


def _skills_in(text: object) -> set[str]:
    """Canonical skills named anywhere in a free text (a dispatch purpose, a skills cell)."""
    value = nfkc(text).lower()
    found = {skill_key(part) for part in re.split(r"[;；,、/・\s]+", value) if part}
    for key, spellings in SKILL_SYNONYMS.items():
        if any((s in value) if not s.isascii() else re.search(rf"\b{re.escape(s)}\b", value)
               for s in spellings):
            found.add(key)
    return found


def match_talents(dataset: Dataset, *, skills: Iterable[str] = (), org: str | None = None,
                  top: int = 5, weights: Mapping[str, float] | None = None) -> list[TalentMatch]:
    """Rank talents for a group's request.

    Parameters
    ----------
    dataset : Dataset
        Needs ``talents``; ``dispatches`` and ``organizations`` add history. Not modified.
    skills : iterable of str
        Skills needed (any spelling in ``SKILL_SYNONYMS``, or free text).
    org : str, optional
        The requesting organisation's id (for similar-group and familiarity signals).
    top : int
        Talents to return.
    weights : mapping, optional
        Overrides of ``TALENT_WEIGHTS``.

    Returns
    -------
    list of TalentMatch
        Best first (ties by id); every match has at least one reason.

    Raises
    ------
    GraphError
        Unknown organisation or weight, ``top`` < 1, or neither skills nor org given.

    Examples
    --------
    >>> m = match_talents(example_talent_dataset(), skills=["facilitation"], org="G1")[0]
    >>> m.talent_id, m.matched_skills, [r.code for r in m.reasons]
    ('T2', ('facilitation',), ['skill', 'familiar', 'purpose', 'similar_groups'])
    """
    if int(top) < 1:
        raise GraphError("top must be at least 1")
    w = dict(TALENT_WEIGHTS)
    for key, value in (weights or {}).items():
        if key not in w:
            raise GraphError(f"unknown talent signal {key!r}; signals are {', '.join(w)}")
        w[key] = float(value)
    wanted = {skill_key(s) for s in skills if nfkc(s)}
    orgs = dataset.table("organizations").set_index("id", drop=False)
    if org is not None and org not in orgs.index:
        raise GraphError(f"organisation {org!r} is not in the dataset")
    if not wanted and org is None:
        raise GraphError("give the skills needed, the requesting organisation, or both")
    me = orgs.loc[org] if org is not None else None
    dispatches = dataset.table("dispatches")
    history: dict[str, list] = {}
    for rec in dispatches.itertuples(index=False):
        history.setdefault(str(rec.talent_id), []).append(rec)

    out = []
    for talent in dataset.table("talents").itertuples(index=False):
        tid = str(talent.id)
        own = _skills_in(talent.skills) if not pd.isna(talent.skills) else set()
        past = sorted(history.get(tid, []), key=lambda r: str(r.id))
        matched = tuple(sorted(own & wanted))
        by_purpose = [r for r in past if _skills_in(r.purpose) & wanted] if wanted else []
        similar = []
        if me is not None:
            for r in past:
                if r.org_id in orgs.index and r.org_id != org:
                    other = orgs.loc[r.org_id]
                    if ((_text(other.get("orientation")) and
                         _text(other.get("orientation")) == _text(me.get("orientation")))
                            or (_text(other.get("ward")) and
                                _text(other.get("ward")) == _text(me.get("ward")))):
                        similar.append(r)
        familiar = [r for r in past if org is not None and r.org_id == org]
        parts = {
            "skill": w["skill"] * len(matched),
            "purpose": w["purpose"] * math.log1p(len(by_purpose)),
            "experience": w["experience"] * math.log1p(len(past)),
            "similar_groups": w["similar_groups"] * math.log1p(len(similar)),
            "familiar": w["familiar"] * (1.0 if familiar else 0.0),
        }
        if wanted and not (matched or by_purpose):
            continue
        reasons = []
        if matched:
            label = "、".join(matched)
            reasons.append(Reason("skill", f"スキル一致: {skill_names_ja(matched)}",
                                  f"Skills match: {label.replace('、', ', ')}",
                                  (f"talents:{tid}",), parts["skill"]))
        if by_purpose:
            reasons.append(Reason("purpose", f"同じ目的で{len(by_purpose)}回派遣（{by_purpose[0].purpose}）",
                                  f"Dispatched {len(by_purpose)} time(s) for this purpose "
                                  f"({by_purpose[0].purpose})",
                                  tuple(f"dispatches:{r.id}" for r in by_purpose[:3]),
                                  parts["purpose"]))
        if familiar:
            reasons.append(Reason("familiar", f"この団体へ{len(familiar)}回の派遣実績",
                                  f"Dispatched to this group {len(familiar)} time(s) before",
                                  tuple(f"dispatches:{r.id}" for r in familiar[:3]),
                                  parts["familiar"]))
        if similar:
            reasons.append(Reason("similar_groups", f"似た団体へ{len(similar)}回の派遣実績",
                                  f"Dispatched {len(similar)} time(s) to similar groups "
                                  "(same orientation or ward)",
                                  tuple(f"dispatches:{r.id}" for r in similar[:3]),
                                  parts["similar_groups"]))
        reasons = [r for r in reasons if r.contribution > 0]
        if not reasons:
            continue
        reasons.sort(key=lambda r: -r.contribution)
        out.append(TalentMatch(tid, float(sum(parts.values())),
                               {k: v for k, v in parts.items() if v}, matched, len(past),
                               tuple(reasons)))
    out.sort(key=lambda m: (-m.score, m.talent_id))
    return out[: int(top)]


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


_JA_NAMES = {"facilitation": "ファシリテーション", "coordination": "コーディネート",
             "design": "デザイン", "pr": "PR", "accounting": "会計", "it": "IT",
             "fundraising": "資金調達", "management": "組織運営", "legal": "法務",
             "disaster-prevention": "防災"}


def skill_names_ja(skills: Iterable[str]) -> str:
    """Skill keys as Japanese readers say them, joined with 、 (unknown keys as written).

    >>> skill_names_ja(["facilitation", "pr", "書道"])
    'ファシリテーション、PR、書道'
    """
    return "、".join(_JA_NAMES.get(s, s) for s in skills)


def example_talent_dataset() -> Dataset:
    """Three talents, two groups and four dispatches, for examples and tests.

    Examples
    --------
    >>> example_talent_dataset().table("talents")["id"].tolist()
    ['T1', 'T2', 'T3']
    """
    from ingest.schemas import empty_frame

    orgs = pd.DataFrame({"id": ["G1", "G2", "G3"], "name": ["御幣島町会", "姫島町会", "にこネット"],
                         "kind": ["neighbourhood_association", "neighbourhood_association", "npo"],
                         "ward": ["西淀川区", "西淀川区", "此花区"],
                         "orientation": ["territorial", "territorial", "thematic"]})
    talents = pd.DataFrame({"id": ["T1", "T2", "T3"],
                            "skills": ["facilitation;design", "ファシリテーション;PR", "accounting"]})
    dispatches = pd.DataFrame({
        "id": ["D1", "D2", "D3", "D4"], "org_id": ["G1", "G2", "G3", "G3"],
        "talent_id": ["T2", "T2", "T1", "T3"],
        "start_date": pd.to_datetime(["2018-05-01", "2018-09-01", "2019-01-10", "2019-02-01"]),
        "purpose": ["話し合いのファシリテーション", "役員会の進行", "チラシのデザイン", "会計の助言"]})
    return Dataset({"organizations": pd.concat([empty_frame("organizations"), orgs]),
                    "talents": pd.concat([empty_frame("talents"), talents]),
                    "dispatches": pd.concat([empty_frame("dispatches"), dispatches])})
