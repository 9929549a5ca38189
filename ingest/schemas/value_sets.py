"""The value sets of the record format: organisation kinds, orientations, outcome
statuses, Osaka City's 24 wards and the 20 NPO fields."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["ORG_KINDS", "ORIENTATIONS", "OUTCOME_STATUSES", "WARDS", "NPO_FIELDS"]

ORG_KINDS: tuple[str, ...] = (
    "neighbourhood_association",  # 町会・自治会
    "council",                    # 地域活動協議会
    "citizen_group",              # 市民活動団体・ボランティアグループ
    "npo",                        # NPO法人
    "company",                    # 企業
    "public_agency",              # 区役所・社協など公的機関
    "intermediary",               # 中間支援組織・まちづくりセンター
    "school",                     # 学校
    "religious",                  # 神社・寺院・教会
    "other",
)

ORIENTATIONS: tuple[str, ...] = ("territorial", "thematic")  # 地縁型, テーマ型; may be empty

OUTCOME_STATUSES: tuple[str, ...] = ("proposed", "introduced", "declined", "partnered")

# The 24 wards of Osaka City, in the city's official order.
WARDS: tuple[str, ...] = (
    "北区", "都島区", "福島区", "此花区", "中央区", "西区", "港区", "大正区", "天王寺区", "浪速区",
    "西淀川区", "淀川区", "東淀川区", "東成区", "生野区", "旭区", "城東区", "鶴見区", "阿倍野区",
    "住之江区", "住吉区", "東住吉区", "平野区", "西成区",
)

# The 20 fields of NPO activity (特定非営利活動促進法 別表), numbered 1-20.
NPO_FIELDS: Mapping[int, str] = {
    1: "保健・医療・福祉",
    2: "社会教育",
    3: "まちづくり",
    4: "観光",
    5: "農山漁村・中山間地域",
    6: "学術・文化・芸術・スポーツ",
    7: "環境の保全",
    8: "災害救援",
    9: "地域安全",
    10: "人権擁護・平和",
    11: "国際協力",
    12: "男女共同参画",
    13: "子どもの健全育成",
    14: "情報化社会",
    15: "科学技術",
    16: "経済活動の活性化",
    17: "職業能力・雇用機会",
    18: "消費者保護",
    19: "団体の運営・活動への連絡・助言・援助",
    20: "条例で定める活動",
}
