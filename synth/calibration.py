"""Calibration targets of the synthetic city, each traced to the seed report.

The seed is Osaka City's report on its support for civic activity
(``seed/000_83f3e8e3413a2fe0.txt``, 大阪市における市民活動支援の取組報告). Every constant below
either quotes a figure of that report (the comment names the section, e.g. ``1(1)イ②``) or is
marked ``ASSUMED`` with the reason; ``docs/synthetic-data.md`` lists them figure by figure.

Examples
--------
>>> dispatch_targets(2018)
{'territorial': 35, 'thematic': 8}
>>> grant_targets(2019)
(8, 5500000)
>>> N_COUNCILS, MEMBERS_PER_COUNCIL, N_TALENTS
(326, 23.7, 131)
"""

from __future__ import annotations

import datetime as _dt

from ingest.schemas import WARDS

__all__ = [
    "N_COUNCILS",
    "MEMBERS_PER_COUNCIL",
    "COUNCIL_FIGURE_DATE",
    "NEW_THEMATIC_PER_YEAR",
    "N_TALENTS",
    "TALENT_FIGURE_DATE",
    "TALENT_BANK_START",
    "DISPATCH_TABLE",
    "DISPATCH_TABLE_TO",
    "RESOURCE_OFFERS_PER_YEAR",
    "FORUM_ATTENDANCE",
    "FORUM_DATE",
    "MEETUPS_PER_YEAR",
    "MAX_DISPATCH_SESSIONS",
    "GRANT_TABLE",
    "GRANT_MAX_YEN",
    "GRANT_PROGRAM",
    "AWARD_PROGRAM",
    "AWARD_FIRST_FY",
    "BORDERLESS_MEETUP_FROM",
    "WARD_NEIGHBOURS",
    "NPO_FIELD_WEIGHTS",
    "TALENT_SKILLS",
    "dispatch_targets",
    "grant_targets",
    "neighbours",
]

# --- 1(1)イ③ まちづくりセンター等による支援 (repeated in 1(2)ア⑤, 2(3)ア⑥, 2(5)ア②) ----------------
# 【令和元年8月末時点】 1 地域活動協議会の形成数 326 / 2 構成団体数 1団体あたり 23.7
N_COUNCILS = 326
MEMBERS_PER_COUNCIL = 23.7
COUNCIL_FIGURE_DATE = _dt.date(2019, 8, 31)

# --- 1(2)ア① 市民活動団体の活動内容の発信に向けた支援 (repeated in 2(1)ア③) --------------------------
# 【平成30年9月～令和元年8月】 新規登録団体数 143件 (portal registrations in one year)
NEW_THEMATIC_PER_YEAR = 143

# --- 1(1)イ② 地域公共人材派遣による支援 ---------------------------------------------------------------
# 取組のポイント: 令和元年8月末現在の地域公共人材バンク登録者数は131名
N_TALENTS = 131
TALENT_FIGURE_DATE = _dt.date(2019, 8, 31)
# 派遣件数 140件（平成26.4.1～令和元.12.31時点）: the bank starts on 2014-04-01.
TALENT_BANK_START = _dt.date(2014, 4, 1)
# 派遣回数は概ね5回まで
MAX_DISPATCH_SESSIONS = 5
# 年度別派遣件数 (the 地縁型/テーマ型 table of 1(1)イ② 実績; the seed prints other figures for
# the same years in 1(1)ア⑤ and 2(2)ア③, see the glossary). FY2019 counts run to December.
DISPATCH_TABLE: dict[int, tuple[int, int]] = {
    2014: (10, 2),   # H26
    2015: (5, 7),    # H27
    2016: (9, 4),    # H28
    2017: (18, 2),   # H29
    2018: (35, 8),   # H30
    2019: (17, 4),   # R元 (12月末)
}
DISPATCH_TABLE_TO = _dt.date(2019, 12, 31)

# --- 2(3)ア③ 市民活動に役立つ資源の情報提供の取組 -----------------------------------------------------
# 【平成30年9月～令和元年8月】 資源の提供情報の掲載件数 28件 (講師の派遣, スペースの提供, スキル・ノウハウ)
RESOURCE_OFFERS_PER_YEAR = 28

# --- 2(2)ア① 地活協フォーラムによる事例共有: 平成31年2月17日開催, 参加者 204人 -----------------------
FORUM_ATTENDANCE = 204
FORUM_DATE = _dt.date(2019, 2, 17)

# --- 1(1)ア④ MAIDOにしよど: にしよどリンク 2か月に1回開催, 拡大版 MAIDOにしよど 年1回 -------------
MEETUPS_PER_YEAR = 6

# --- 1(1)ア② 活動主体間の交流の場の設定: 令和元年8月 交流の場「第1回異次元交流ライブ」開催 ----------
BORDERLESS_MEETUP_FROM = _dt.date(2019, 8, 1)

# --- 2(4)ア② 市民活動推進助成事業: 交付決定 事業数 and 金額（万円）, FY2008–FY2019 -----------------
# 1事業 100万円以内（千円未満切捨て）
GRANT_TABLE: dict[int, tuple[int, int]] = {
    2008: (7, 280), 2009: (8, 250), 2010: (7, 350), 2011: (7, 317), 2012: (4, 200),
    2013: (6, 274), 2014: (4, 231), 2015: (8, 243), 2016: (6, 350), 2017: (8, 458),
    2018: (6, 539), 2019: (8, 550),
}
GRANT_MAX_YEN = 1_000_000
GRANT_PROGRAM = "市民活動推進助成"

# --- 2(4)ア① CB事業の顕彰（CSOアワード大阪市長賞）: 平成26年度から実施, one winner a year ------------
AWARD_PROGRAM = "CSOアワード大阪市長賞"
AWARD_FIRST_FY = 2014

# --- ASSUMED: ward adjacency (not in the seed). Land borders and river crossings of the 24
# wards, written from the city map; symmetric by construction in `neighbours`.
_BORDERS: dict[str, tuple[str, ...]] = {
    "北区": ("都島区", "福島区", "中央区", "西区", "淀川区", "東淀川区"),
    "都島区": ("旭区", "城東区", "中央区", "東淀川区"),
    "福島区": ("西区", "此花区", "西淀川区", "淀川区"),
    "此花区": ("西淀川区", "西区", "港区"),
    "中央区": ("城東区", "東成区", "天王寺区", "浪速区", "西区"),
    "西区": ("港区", "大正区", "浪速区"),
    "港区": ("大正区",),
    "大正区": ("浪速区", "西成区", "住之江区"),
    "天王寺区": ("東成区", "生野区", "阿倍野区", "浪速区"),
    "浪速区": ("西成区",),
    "西淀川区": ("淀川区",),
    "淀川区": ("東淀川区",),
    "東淀川区": ("旭区",),
    "東成区": ("城東区", "生野区"),
    "生野区": ("阿倍野区", "東住吉区", "平野区"),
    "旭区": ("城東区", "鶴見区"),
    "城東区": ("鶴見区",),
    "鶴見区": (),
    "阿倍野区": ("東住吉区", "住吉区", "西成区"),
    "住之江区": ("西成区", "住吉区"),
    "住吉区": ("西成区", "東住吉区"),
    "東住吉区": ("平野区",),
    "平野区": (),
    "西成区": (),
}


def _symmetric(borders: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {w: set() for w in WARDS}
    for ward, others in borders.items():
        for other in others:
            out[ward].add(other)
            out[other].add(ward)
    return {w: tuple(x for x in WARDS if x in out[w]) for w in WARDS}


WARD_NEIGHBOURS: dict[str, tuple[str, ...]] = _symmetric(_BORDERS)

# --- ASSUMED: relative frequency of the 20 NPO fields among thematic groups. The brief asks
# for child-rearing (13), welfare (1) and まちづくり (3) to be commonest; the seed gives no
# distribution. Field 20 (条例で定める活動) is rare.
NPO_FIELD_WEIGHTS: dict[int, float] = {
    1: 10.0, 2: 6.0, 3: 9.0, 4: 1.5, 5: 0.8, 6: 5.0, 7: 4.0, 8: 2.0, 9: 2.5, 10: 1.5,
    11: 2.0, 12: 1.5, 13: 10.0, 14: 1.2, 15: 0.6, 16: 1.5, 17: 1.5, 18: 0.6, 19: 4.0, 20: 0.3,
}

# --- 1(1)イ② 大学教授や中小企業診断士、デザイナーなど; ファシリテーションが基礎 ----------------------
# skill name → relative frequency among talents (facilitation commonest: ASSUMED weights).
TALENT_SKILLS: dict[str, float] = {
    "facilitation": 6.0, "coordination": 3.0, "design": 2.0, "PR": 2.0, "accounting": 1.5,
    "IT": 1.5, "fundraising": 1.5, "management": 1.5, "legal": 0.8, "disaster-prevention": 0.8,
}


def dispatch_targets(fy: int) -> dict[str, int]:
    """Dispatches of public community talents in fiscal year ``fy``, by orientation.

    FY2014–FY2018 are the 1(1)イ② table. FY2019 is the table's April–December count plus
    January–March extrapolated at the same monthly rate (×3/9, rounded). FY2020 and later
    (not in the seed) are the mean of the full-year counts FY2017–FY2019, rounded. Before
    FY2014 the talent bank did not exist: zero.

    Parameters
    ----------
    fy : int
        Fiscal year (2019 = 令和元年度).

    Returns
    -------
    dict
        ``{"territorial": n_地縁型, "thematic": n_テーマ型}`` for the whole fiscal year.

    Examples
    --------
    >>> dispatch_targets(2014)
    {'territorial': 10, 'thematic': 2}
    >>> dispatch_targets(2019)
    {'territorial': 23, 'thematic': 5}
    >>> dispatch_targets(2022)
    {'territorial': 25, 'thematic': 5}
    >>> dispatch_targets(2010)
    {'territorial': 0, 'thematic': 0}
    """
    def full_year(year: int) -> tuple[int, int]:
        terr, them = DISPATCH_TABLE[year]
        if year == 2019:
            terr, them = terr + round(terr * 3 / 9), them + round(them * 3 / 9)
        return terr, them

    if fy < 2014:
        terr, them = 0, 0
    elif fy <= 2019:
        terr, them = full_year(fy)
    else:
        recent = [full_year(y) for y in (2017, 2018, 2019)]
        terr = round(sum(r[0] for r in recent) / 3)
        them = round(sum(r[1] for r in recent) / 3)
    return {"territorial": int(terr), "thematic": int(them)}


def grant_targets(fy: int) -> tuple[int, int]:
    """Number of grants and total yen of 市民活動推進助成 in fiscal year ``fy``.

    FY2008–FY2019 are the 2(4)ア② table (交付決定 事業数, 金額 万円 × 10,000). Later years
    (not in the seed) are the mean of FY2017–FY2019, rounded; earlier years are zero.

    Examples
    --------
    >>> grant_targets(2014)
    (4, 2310000)
    >>> grant_targets(2023)
    (7, 5160000)
    >>> grant_targets(2000)
    (0, 0)
    """
    if fy in GRANT_TABLE:
        n, man = GRANT_TABLE[fy]
    elif fy > max(GRANT_TABLE):
        recent = [GRANT_TABLE[y] for y in (2017, 2018, 2019)]
        n = round(sum(r[0] for r in recent) / 3)
        man = round(sum(r[1] for r in recent) / 3)
    else:
        n, man = 0, 0
    return int(n), int(man) * 10_000


def neighbours(ward: str) -> tuple[str, ...]:
    """Wards bordering ``ward`` (ASSUMED adjacency, symmetric), in the city's official order.

    Examples
    --------
    >>> neighbours("西淀川区")
    ('福島区', '此花区', '淀川区')
    >>> "西淀川区" in neighbours("淀川区")
    True
    """
    return WARD_NEIGHBOURS[ward]
