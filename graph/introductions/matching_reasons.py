"""The reasons of a match, one small function per reason code, and their scale.

*Fit* reasons (a helper is proposed only with one): ``offer_fits`` (a resource offer whose kind
or title names the topic, ``TOPIC_WORDS``), ``solved_before``, ``grant_experience``,
``support_field``, ``company_experience`` and a talent's reasons (``talent_reason``). *Context*
reasons then add to the score (``context_reasons``): ``same_ward`` / ``neighbour_ward``,
``shared_partners`` and ``near_in_network``. Each returns a ``graph.introductions.Reason`` or
``None``.

Examples
--------
>>> offer_fits({"id": "R1", "kind": "skills", "title": "広報チラシ作成支援"}, "publicity").ja
'「広報チラシ作成支援」を提供（広報）'
>>> _near_in_network(2).en
'2 steps away in the network'
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import networkx as nx

from graph.introductions.reasons import Reason
from graph.introductions.signals import ward_adjacency
from ingest.consultations import topic_label
from ingest.normalise import nfkc

if TYPE_CHECKING:
    from graph.introductions.matching import Need

__all__ = ["TOPIC_WORDS", "offer_fits", "solved_before", "grant_experience", "support_field",
           "company_experience", "talent_reason", "context_reasons", "ranked_reasons"]

# Words in a resource offer's kind or title that show it fits a topic (NFKC, lower case).
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "publicity": ("広報", "チラシ", "pr", "デザイン", "情報発信", "sns", "ホームページ", "印刷"),
    "grants": ("助成", "補助", "資金", "寄付", "募金"),
    "funding": ("資金", "寄付", "募金", "助成", "ファンド"),
    "partnership": ("連携", "交流", "マッチング", "コーディネート", "協働", "ネットワーク"),
    "people": ("人材", "講師", "lecturer", "ボランティア", "派遣"),
    "venue": ("space", "スペース", "会議室", "場所", "会場", "貸出", "施設"),
    "management": ("運営", "会計", "ノウハウ", "skills", "スキル", "法人", "相談"),
    "corporate_contribution": ("社会貢献", "企業", "csr", "連携", "交流"),
}
_adjacency = functools.lru_cache(maxsize=1)(ward_adjacency)
_SUPPORT_FIELD = 19   # 団体の運営・活動への連絡・助言・援助


def offer_fits(row, topic: str) -> Reason | None:
    text = f"{nfkc(row['kind'])} {nfkc(row['title'])}".lower()
    if not any(word in text for word in TOPIC_WORDS.get(topic, ())):
        return None
    return Reason("offer_fits", f"「{row['title']}」を提供（{topic_label(topic)}）",
                  f"offers “{row['title']}” ({topic_label(topic, lang='en')})",
                  (f"resources:{row['id']}",), 1.0)


def solved_before(org: str, topic: str, solved: dict) -> Reason | None:
    ids = solved.get((org, topic))
    if not ids:
        return None
    n = len(ids)
    return Reason("solved_before", f"{topic_label(topic)}の相談を{n}件解決済み",
                  f"had {n} consultation(s) on {topic_label(topic, lang='en')} answered",
                  tuple(f"consultations:{i}" for i in ids), 0.8)


def grant_experience(org: str, topic: str, grants: dict) -> Reason | None:
    if topic not in ("grants", "funding") or org not in grants:
        return None
    programs = grants[org]
    return Reason("grant_experience",
                  f"助成・顕彰の受給実績あり（{programs[0]} ほか{len(programs)}件）",
                  f"received {len(programs)} grant(s) or award(s), e.g. {programs[0]}",
                  tuple(f"awards:{org}:{p}" for p in programs), 0.6)


def support_field(data: dict, topic: str) -> Reason | None:
    if topic == "venue":
        return None
    if data.get("kind") == "intermediary":
        return Reason("support_field", "中間支援組織として団体の活動を支援",
                      "an intermediary that supports groups", (), 0.4)
    if _SUPPORT_FIELD in (data.get("fields") or ()):
        return Reason("support_field", "活動分野「団体の運営・活動への連絡・助言・援助」",
                      "works in field 19: advice and support to other groups", (), 0.4)
    return None


def company_experience(org: str, topic: str, company_ties: dict) -> Reason | None:
    if topic != "corporate_contribution" or org not in company_ties:
        return None
    ids = company_ties[org]
    return Reason("company_experience", f"企業との連携実績{len(ids)}件",
                  f"worked with a company in {len(ids)} collaboration(s)",
                  tuple(f"collaborations:{i}" for i in ids), 0.6)


def talent_reason(reason: Reason, topics: int) -> Reason:
    """A ``graph.introductions.talent`` reason on the scale of the others: the skill match counts
    like an offer's fit (at most 1 per topic asked: two skills for one topic are one fit); its history
    signals (purpose, experience, similar groups) count half, as context does for offers, so
    that talents do not crowd offers out of the list."""
    if reason.code == "skill":
        return reason._replace(contribution=min(reason.contribution, float(topics)))
    return reason._replace(contribution=round(reason.contribution * 0.5, 4))


def _ward_reason(need_ward: str, ward: str | None) -> Reason | None:
    if not need_ward or not ward:
        return None
    if ward == need_ward:
        return Reason("same_ward", f"同じ区（{ward}）", f"in the same ward ({ward})", (), 0.5)
    if frozenset((ward, need_ward)) in _adjacency():
        return Reason("neighbour_ward", f"隣の区（{ward}）", f"in a neighbouring ward ({ward})",
                      (), 0.25)
    return None


def _shared_partners(G: nx.Graph, asker: str, org: str) -> Reason | None:
    if not asker or asker not in G or org not in G or asker == org:
        return None
    common = sorted(set(G[asker]) & set(G[org]))
    if not common:
        return None
    n = len(common)
    return Reason("shared_partners", f"あなたの連携先のうち{n}団体と活動実績あり",
                  f"worked with {n} of your partners", tuple(f"organizations:{c}" for c in common),
                  round(0.3 * n / (n + 1), 4))


def _near_in_network(distance: int | None) -> Reason | None:
    if distance is None or distance < 1:
        return None
    if distance == 1:
        return Reason("near_in_network", "すでにつながりがある", "already tied to you", (), 0.3)
    return Reason("near_in_network", f"ネットワーク上で{distance}ステップ先",
                  f"{distance} steps away in the network", (), round(0.3 / distance, 4))


def context_reasons(G, need: Need, org: str, distances: dict) -> tuple[list[Reason], int | None, str]:
    ward = G.nodes[org].get("ward") if org in G else None
    distance = distances.get(org)
    proximity = "" if not (need.ward and ward) else \
        "same" if ward == need.ward else \
        "neighbour" if frozenset((ward, need.ward)) in _adjacency() else "other"
    found = [_ward_reason(need.ward, ward), _shared_partners(G, need.org, org),
             _near_in_network(distance)]
    return [r for r in found if r is not None], distance, proximity


def ranked_reasons(reasons: list[Reason]) -> tuple[tuple[Reason, ...], float]:
    ordered = tuple(sorted(reasons, key=lambda r: -r.contribution))
    return ordered, round(sum(r.contribution for r in ordered), 4)
