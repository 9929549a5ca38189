"""Synthetic consultations at the ward desks (相談窓口), calibrated to the seed report.

Seed report 1(1)イ① (p.10): the desks opened in the 24 ward offices in December 2017 (平成29年
12月) for individuals, groups, companies and schools; they took 168 consultations in FY2018
(平成30年度・24区計) and 72 in FY2019 to the end of August (令和元年度8月末現在). Groups asked
about publicity methods and grants and about working with other groups (広報の手法や助成金に
関すること、他団体との連携に関すること等); companies about working with the area through
corporate social contribution (企業の社会貢献活動による地域との連携).

Calibration, figure by figure (``docs/synthetic-data.md``):

* months before December 2017: none; FY2017 (December–March) and FY2018 at FY2018's monthly
  rate (168 / 12 = 14); April–August 2019 exactly 72; from September 2019 on FY2019's rate
  (72 / 5 = 14.4 a month, ASSUMED to continue). Counts are scaled by ``Region.city_share``.
* ASSUMED (the report gives no shares): 20 % of consultations from individuals or groups not
  registered yet (empty ``org_id``), 15 % from companies, the rest from groups; group topics
  weighted in the report's order (広報 0.30, 助成金 0.25, 連携 0.20, then 人材, 場所, 資金,
  運営), 30 % name a second topic; a company's is always 企業の社会貢献, half also 連携.
* ASSUMED: a consultation is answered (80 %) or closed (20 %) once 60 days old; younger ones
  are open half of the time.

Examples
--------
>>> from synth.population import Region, build_population
>>> rng = np.random.default_rng(0)
>>> pop = build_population(rng, Region.osaka(), first_fy=2018, last_fy=2019, seed=0)
>>> rec = simulate_consultations(np.random.default_rng(1), pop, Region.osaka(),
...                              first_fy=2018, last_fy=2019)
>>> fy2018 = (rec["date"] >= fy_start(2018)) & (rec["date"] <= fy_end(2018))
>>> to_august = (rec["date"] >= fy_start(2019)) & (rec["date"] <= np.datetime64("2019-08-31"))
>>> int(fy2018.sum()), int(to_august.sum())
(168, 72)
"""

from __future__ import annotations

import numpy as np

from ingest.consultations import TOPIC_LABELS
from ingest.schemas import WARDS
from synth.population import KIND, Population, Region, fy_end, fy_start, random_dates

__all__ = [
    "CONSULTATIONS_FY2018",
    "CONSULTATIONS_FY2019_TO_AUGUST",
    "DESK_OPENED",
    "GROUP_TOPIC_WEIGHTS",
    "monthly_targets",
    "simulate_consultations",
]

# 1(1)イ① 概要: 平成29年12月に … 24区役所において開設
DESK_OPENED = np.datetime64("2017-12-01", "D")
# 1(1)イ① 実績: 相談件数 (平成30年度・24区計) 168件, (令和元年度8月末現在・24区計) 72件
CONSULTATIONS_FY2018 = 168
CONSULTATIONS_FY2019_TO_AUGUST = 72

# ASSUMED shares (see the module docstring).
GROUP_TOPIC_WEIGHTS = {"publicity": 0.30, "grants": 0.25, "partnership": 0.20, "people": 0.08,
                       "venue": 0.07, "funding": 0.05, "management": 0.05}
_INDIVIDUAL_SHARE, _COMPANY_SHARE, _SECOND_TOPIC = 0.20, 0.15, 0.30
_ANSWERED_AFTER_DAYS, _ANSWERED_SHARE = 60, 0.8
_COMPANY_KINDS = (KIND["company"],)
_GROUP_KINDS = (KIND["citizen_group"], KIND["npo"], KIND["neighbourhood_association"],
                KIND["council"], KIND["school"], KIND["religious"])
_DESCRIPTIONS = {
    "publicity": "活動の広報の手法について", "grants": "助成金の探し方・申請について",
    "partnership": "他団体との連携について", "people": "担い手・ボランティアの確保について",
    "venue": "活動場所の確保について", "funding": "活動資金の調達について",
    "management": "団体の運営について",
    "corporate_contribution": "企業の社会貢献活動による地域との連携について",
}


def monthly_targets(first_fy: int, last_fy: int) -> list[tuple[np.datetime64, np.datetime64, int]]:
    """City-wide consultation counts per stretch of months: ``(first day, last day, count)``.

    >>> [(str(a), str(b), n) for a, b, n in monthly_targets(2017, 2019)]
    [('2017-12-01', '2018-03-31', 56), ('2018-04-01', '2019-03-31', 168), ('2019-04-01', '2019-08-31', 72), ('2019-09-01', '2020-03-31', 101)]
    """
    rate_2018 = CONSULTATIONS_FY2018 / 12
    rate_2019 = CONSULTATIONS_FY2019_TO_AUGUST / 5
    out = []
    for fy in range(first_fy, last_fy + 1):
        lo, hi = fy_start(fy), fy_end(fy)
        if hi < DESK_OPENED:
            continue
        if fy < 2018:
            start = max(lo, DESK_OPENED)
            months = (hi.astype("datetime64[M]") - start.astype("datetime64[M]")).astype(int) + 1
            out.append((start, hi, round(rate_2018 * months)))
        elif fy == 2018:
            out.append((lo, hi, CONSULTATIONS_FY2018))
        elif fy == 2019:
            august = np.datetime64("2019-08-31", "D")
            out.append((lo, august, CONSULTATIONS_FY2019_TO_AUGUST))
            out.append((august + 1, hi, round(rate_2019 * 7)))
        else:
            out.append((lo, hi, round(rate_2019 * 12)))
    return out


def _pools(pop: Population, wards: np.ndarray) -> dict:
    """Per (ward, company?) the organisations that may ask: companies, or groups."""
    out = {}
    for w in wards:
        here = pop.ward == w
        out[(int(w), True)] = np.flatnonzero(here & np.isin(pop.kind, _COMPANY_KINDS))
        out[(int(w), False)] = np.flatnonzero(here & np.isin(pop.kind, _GROUP_KINDS))
    return out


def _requester(rng, pop: Population, pool: np.ndarray, day: np.datetime64) -> int:
    """One organisation of ``pool`` existing and not dormant on ``day`` (-1 when none)."""
    month = int(day.astype("datetime64[M]").astype(int)) % 12 + 1
    fy = int(day.astype("datetime64[Y]").astype(int)) + 1970 - (1 if month < 4 else 0)
    alive = pool[(pop.founded[pool] <= day) & (pop.dormant_fy[pool] > fy)]
    if len(alive) == 0:
        return -1
    return int(alive[rng.integers(0, len(alive))])


def _topics(rng, company: bool) -> tuple[str, list[str]]:
    if company:
        chosen = ["corporate_contribution"] + (["partnership"] if rng.random() < 0.5 else [])
    else:
        names = list(GROUP_TOPIC_WEIGHTS)
        p = np.array(list(GROUP_TOPIC_WEIGHTS.values()))
        k = 2 if rng.random() < _SECOND_TOPIC else 1
        chosen = [names[i] for i in rng.choice(len(names), size=k, replace=False, p=p / p.sum())]
    return ";".join(TOPIC_LABELS[t] for t in chosen), chosen


def simulate_consultations(rng: np.random.Generator, pop: Population, region: Region, *,
                           first_fy: int, last_fy: int) -> dict:
    """The region's consultations as column arrays (local organisation numbers, -1 = none).

    Parameters
    ----------
    rng : numpy.random.Generator
        Its own stream, so that the other tables do not change.
    pop : Population
    region : Region
        Only the full wards have desks in the region; counts scale with ``city_share``.
    first_fy, last_fy : int

    Returns
    -------
    dict
        ``org`` (int64, -1 for an individual), ``ward`` (index into ``WARDS``), ``date``
        (datetime64[D]), ``topics`` (Japanese labels, ``;``-separated), ``description`` and
        ``status`` (object arrays), sorted by date.
    """
    wards = np.array([WARDS.index(w) for w, full in zip(region.wards, region.full) if full])
    weight = np.array([max(int((pop.ward == w).sum()), 1) for w in wards], dtype=float)
    data_end = fy_end(last_fy)
    pools = _pools(pop, wards)
    parts = {k: [] for k in ("org", "ward", "date", "topics", "description", "status")}
    for lo, hi, count in monthly_targets(first_fy, last_fy):
        n = round(count * region.city_share)
        if n == 0 or len(wards) == 0:
            continue
        dates = np.sort(random_dates(rng, lo, hi, n))
        desk = wards[rng.choice(len(wards), size=n, p=weight / weight.sum())]
        who = rng.random(n)
        for day, ward, u in zip(dates, desk, who):
            company = u < _COMPANY_SHARE
            individual = not company and u < _COMPANY_SHARE + _INDIVIDUAL_SHARE
            org = -1 if individual else _requester(rng, pop, pools[(int(ward), company)], day)
            text, chosen = _topics(rng, company)
            age = int((data_end - day).astype(int))
            if age < _ANSWERED_AFTER_DAYS and rng.random() < 0.5:
                status = "open"
            else:
                status = "answered" if rng.random() < _ANSWERED_SHARE else "closed"
            parts["org"].append(org)
            parts["ward"].append(int(ward))
            parts["date"].append(day)
            parts["topics"].append(text)
            parts["description"].append("（合成）" + "、".join(_DESCRIPTIONS[t] for t in chosen))
            parts["status"].append(status)
    return {
        "org": np.array(parts["org"], dtype=np.int64),
        "ward": np.array(parts["ward"], dtype=np.int64),
        "date": np.array(parts["date"], dtype="datetime64[D]"),
        "topics": np.array(parts["topics"], dtype=object),
        "description": np.array(parts["description"], dtype=object),
        "status": np.array(parts["status"], dtype=object),
    }


def consultation_figures(rec: dict, prefix: str, first_fy: int, last_fy: int) -> list[tuple]:
    """The generator's realised counts beside the report's: one row per fiscal year (and
    FY2019 to the end of August), as ``(metric, period, category, value, unit)``.

    >>> rec = {"date": np.array(["2018-05-01", "2019-06-01", "2019-10-01"], "datetime64[D]")}
    >>> consultation_figures(rec, "", 2018, 2019)
    [('consultations', 'FY2018', 'all', 1.0, 'consultations'), ('consultations', 'FY2019', 'all', 2.0, 'consultations'), ('consultations', 'FY2019(-2019-08)', 'all', 1.0, 'consultations')]
    """
    rows = []
    dates = rec["date"]
    for fy in range(max(first_fy, 2017), last_fy + 1):
        n = ((dates >= fy_start(fy)) & (dates <= fy_end(fy))).sum()
        rows.append(("consultations", f"FY{fy}", f"{prefix}all", float(n), "consultations"))
        if fy == 2019:
            n = ((dates >= fy_start(fy)) & (dates <= np.datetime64("2019-08-31"))).sum()
            rows.append(("consultations", "FY2019(-2019-08)", f"{prefix}all", float(n),
                         "consultations"))
    return rows
