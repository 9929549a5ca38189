"""The city's programmes, each fiscal year: talent dispatches, resource offers, grants and awards."""

from __future__ import annotations

import numpy as np

from ingest.schemas import NPO_FIELDS, WARDS
from synth import calibration as cal
from synth.activity.draws import draw, topk
from synth.activity.state import ActivityState
from synth.population import KIND, TERRITORIAL, THEMATIC, fy_end, fy_start, random_dates

__all__ = ["simulate_dispatches", "simulate_resources", "simulate_awards"]

_PURPOSE = {
    "facilitation": "話し合いのファシリテーション", "coordination": "事業のコーディネート",
    "design": "ロゴ・広報物のデザイン", "PR": "広報力の向上", "accounting": "会計・組織運営",
    "IT": "ICT活用", "fundraising": "資金調達", "management": "組織運営の強化",
    "legal": "規約・法務の整理", "disaster-prevention": "防災の取組",
}
_RESOURCE_KINDS = ("space", "lecturer", "skills")
_RESOURCE_TITLES = {"space": "会議室・活動スペースの提供", "lecturer": "講師の派遣",
                    "skills": "スキル・ノウハウの提供"}


def _thin(rng, n: int, share: float) -> int:
    return int(n) if share >= 1.0 else int(rng.binomial(int(n), share))


def simulate_dispatches(rng, st: ActivityState, fy: int) -> None:
    """1(1)イ② talent dispatches: exact 地縁型/テーマ型 counts per fiscal year (city scale).

    >>> from synth.population import Region, build_population
    >>> rng = np.random.default_rng(0)
    >>> pop = build_population(rng, Region.osaka(), first_fy=2019, last_fy=2019)
    >>> st = ActivityState(pop, Region.osaka(), 2019, 2019)
    >>> st.active = (pop.dormant_fy > 2019) & (pop.soc > 0)
    >>> simulate_dispatches(rng, st, 2019)
    >>> sorted({o for d in st.out["dispatches"] for o in d["orientation"]})
    ['territorial', 'thematic']
    """
    pop = st.pop
    target = cal.dispatch_targets(fy)
    if fy in cal.DISPATCH_TABLE:
        terr_part, them_part = cal.DISPATCH_TABLE[fy]
    else:
        terr_part, them_part = target["territorial"], target["thematic"]
    table_to = np.datetime64(cal.DISPATCH_TABLE_TO, "D")
    windows = [(fy_start(fy), min(fy_end(fy), table_to) if fy == 2019 else fy_end(fy),
                terr_part, them_part)]
    if fy == 2019:
        windows.append((table_to + 1, fy_end(fy), target["territorial"] - terr_part,
                        target["thematic"] - them_part))
    terr_w = np.where(pop.kind == KIND["council"], 3.0, 0.3) * (pop.orientation == TERRITORIAL)
    terr_w = terr_w * np.sqrt(pop.soc) * st.active
    them_w = (pop.orientation == THEMATIC) * np.sqrt(pop.soc) * st.active
    last_day = fy_end(st.last_fy)
    for lo, hi, n_terr, n_them in windows:
        for orient, n, w in (("territorial", n_terr, terr_w), ("thematic", n_them, them_w)):
            n = _thin(rng, n, st.region.city_share)
            if n == 0:
                continue
            orgs = draw(rng, w, n)
            if len(orgs) < n:
                continue
            start = random_dates(rng, lo, hi, n)
            start = np.maximum(start, pop.founded[orgs] + 1)
            start = np.minimum(start, hi)
            sessions = rng.choice(np.arange(1, cal.MAX_DISPATCH_SESSIONS + 1), size=n,
                                  p=[0.1, 0.15, 0.2, 0.25, 0.3])
            gap = rng.integers(14, 35, n)
            end = np.minimum(start + ((sessions - 1) * gap).astype("timedelta64[D]"), last_day)
            talents = np.empty(n, dtype=np.int64)
            for i in range(n):
                ok = np.flatnonzero(pop.talent_registered <= start[i])
                if len(ok) == 0:
                    ok = np.array([int(np.argmin(pop.talent_registered))])
                    start[i] = max(start[i], pop.talent_registered[ok[0]])
                    end[i] = max(end[i], start[i])
                talents[i] = ok[draw(rng, pop.talent_activity[ok], 1)[0]]
            purpose = [_PURPOSE[pop.talent_skills[t][0]] if pop.talent_skills[t] else "活動支援"
                       for t in talents]
            st.out["dispatches"].append(dict(org=orgs, talent=talents, start=start, end=end,
                                              sessions=sessions, purpose=np.array(purpose, dtype=object),
                                              orientation=np.full(n, orient, dtype=object)))
            for t, o in zip(talents.tolist(), orgs.tolist()):
                prev = st.talent_orgs.setdefault(t, [])
                new_pairs = [(min(p, o), max(p, o)) for p in prev if p != o]
                if new_pairs:
                    st.talent_pairs = np.vstack([st.talent_pairs, np.array(new_pairs, dtype=np.int64)])
                prev.append(o)


def simulate_resources(rng, st: ActivityState, fy: int) -> None:
    """2(3)ア③ resource offers: about 28 a year (space, lecturers, skills and know-how).

    >>> from synth.population import Region, build_population
    >>> rng = np.random.default_rng(0)
    >>> pop = build_population(rng, Region.osaka(), first_fy=2019, last_fy=2019)
    >>> st = ActivityState(pop, Region.osaka(), 2019, 2019)
    >>> st.active = (pop.dormant_fy > 2019) & (pop.soc > 0)
    >>> simulate_resources(rng, st, 2019)
    >>> {k for r in st.out["resources"] for k in r["kind"]} <= {"space", "lecturer", "skills"}
    True
    """
    pop = st.pop
    n = rng.poisson(cal.RESOURCE_OFFERS_PER_YEAR * st.region.city_share)
    cls_w = np.array([0.0, 0.0, 0.3, 1.0, 3.0, 2.0, 3.0])[st.cls]
    cls_w = cls_w * np.where(pop.kind == KIND["npo"], 1.5, 1.0)
    w = cls_w * np.sqrt(pop.soc) * st.active
    providers = draw(rng, w, n)
    if len(providers) == 0:
        return
    kinds = np.array(_RESOURCE_KINDS, dtype=object)[rng.choice(3, size=len(providers), p=[0.35, 0.35, 0.3])]
    offered = np.maximum(random_dates(rng, fy_start(fy), fy_end(fy), len(providers)),
                         pop.founded[providers] + 1)
    offered = np.minimum(offered, fy_end(fy))
    titles = []
    for k, p in zip(kinds, providers):
        ward = WARDS[pop.ward[p]]
        if k == "space":
            st.offer_space[p] = True
            titles.append(f"（合成）{_RESOURCE_TITLES[k]}（{ward}）")
            continue
        # a lecturer or know-how offer is about one of the provider's fields
        options = [f for f in range(1, 21) if int(pop.fields[p]) >> f & 1] or [19]
        topic = options[int(rng.integers(0, len(options)))]
        st.offer_fields[p] |= np.uint32(1 << topic)
        titles.append(f"（合成）{_RESOURCE_TITLES[k]}：{NPO_FIELDS[topic]}（{ward}）")
    st.out["resources"].append(dict(provider=providers, kind=kinds, title=np.array(titles, dtype=object),
                                    offered=offered))


def simulate_awards(rng, st: ActivityState, fy: int) -> None:
    """2(4)ア② grants (count and total per year) and 2(4)ア① one CSO award a year.

    >>> from synth.population import Region, build_population
    >>> rng = np.random.default_rng(0)
    >>> pop = build_population(rng, Region.osaka(), first_fy=2019, last_fy=2019)
    >>> st = ActivityState(pop, Region.osaka(), 2019, 2019)
    >>> st.active = (pop.dormant_fy > 2019) & (pop.soc > 0)
    >>> simulate_awards(rng, st, 2019)
    >>> str(st.out["awards"][0]["program"][-1]), int(st.out["awards"][0]["fiscal_year"][-1])
    ('CSOアワード大阪市長賞', 2019)
    """
    pop = st.pop
    share = st.region.city_share
    them = (pop.orientation == THEMATIC) & st.active
    n_city, total = cal.grant_targets(fy)
    n = _thin(rng, n_city, share)
    rows_org, rows_prog, rows_amt = [], [], []
    if n > 0:
        amounts = np.floor(np.minimum(total * rng.dirichlet(np.full(n_city, 3.0)), cal.GRANT_MAX_YEN) / 1000) * 1000
        chosen: list[int] = []
        if fy >= 2016:  # 28年度からは3年を限度に継続した申請を可能 (2(4)ア②)
            for org, streak in sorted(st.last_grantees.items()):
                if len(chosen) < n and streak < 3 and them[org] and rng.random() < 0.4:
                    chosen.append(org)
        w = np.sqrt(pop.soc) * them
        w[chosen] = 0
        fresh = topk(rng, np.arange(st.n), w, n - len(chosen))
        chosen.extend(int(x) for x in rng.permutation(fresh))
        st.last_grantees = {o: st.last_grantees.get(o, 0) + 1 for o in chosen}
        rows_org += chosen
        rows_prog += [cal.GRANT_PROGRAM] * len(chosen)
        rows_amt += [int(a) for a in amounts[: len(chosen)]]
    else:
        st.last_grantees = {}
    if fy >= cal.AWARD_FIRST_FY and _thin(rng, 1, share):
        winner = topk(rng, np.arange(st.n), pop.soc ** 2 * them, 1)
        if len(winner):
            rows_org.append(int(winner[0]))
            rows_prog.append(cal.AWARD_PROGRAM)
            rows_amt.append(-1)
    if rows_org:
        st.out["awards"].append(dict(org=np.array(rows_org, dtype=np.int64),
                                     program=np.array(rows_prog, dtype=object),
                                     fiscal_year=np.full(len(rows_org), fy, dtype=np.int64),
                                     amount=np.array(rows_amt, dtype=np.int64)))
