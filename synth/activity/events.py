"""Events and who attends them, each fiscal year: ward meetups, exchanges and clean-ups,
council festivals, the city-wide forum and the cross-sector exchanges; then the co-attendance
counts later years' collaborations read.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ingest.fiscal import calendar_year
from ingest.schemas import WARDS
from synth import calibration as cal
from synth.activity.draws import topk
from synth.activity.state import C_COMPANY, C_THEM, ActivityState

__all__ = ["EVENT_KINDS", "simulate_events", "update_co_attendance"]

EVENT_KINDS = ("meetup", "festival", "cleanup", "local_festival", "forum", "exchange_live")

# ASSUMED affinity of each class for each kind of event (the seed describes who comes:
# 区内外の企業やNPO、ボランティア活動者 for にしよどリンク/MAIDO, 地域活動協議会の活動者 for the forum,
# anyone for the 浪速区 clean-up).
_AFFINITY = {
    "meetup": np.array([0.03, 0.10, 0.5, 1.0, 0.8, 0.6, 1.0]),
    "festival": np.array([0.20, 0.30, 0.8, 1.0, 1.0, 1.0, 1.0]),
    "cleanup": np.array([1.00, 0.60, 0.5, 0.4, 0.8, 0.5, 0.2]),
    "exchange_live": np.array([0.0, 0.05, 0.3, 1.0, 1.0, 0.3, 1.0]),
}
_THEME_BOOST = 8.0        # weight of a group working in an event's theme field (2(3)ア②)


def _event_date(rng, fy: int, months: tuple[int, ...]) -> np.datetime64:
    month = int(months[rng.integers(0, len(months))])
    year = calendar_year(fy, month)
    return np.datetime64(f"{year}-{month:02d}-01", "D") + int(rng.integers(0, 28))


def _add_event(st: ActivityState, *, kind, name, ward, date, organizer, orgs, attendance):
    orgs = np.unique(np.asarray(orgs, dtype=np.int64))
    if organizer is not None and organizer >= 0 and organizer not in orgs:
        orgs = np.sort(np.append(orgs, organizer))
    role = np.where(orgs == (organizer if organizer is not None else -1), "organizer", "participant")
    e = len(st.events)
    st.events.append(dict(kind=kind, name=name, ward=ward, date=date,
                          organizer=-1 if organizer is None else int(organizer),
                          attendance=int(max(attendance, len(orgs)))))
    st.parts_ev.append(np.full(len(orgs), e, dtype=np.int64))
    st.parts_org.append(orgs)
    st.parts_role.append(role)


_THEME_FIELDS = np.array(sorted(cal.NPO_FIELD_WEIGHTS))
_THEME_CUM = np.cumsum([cal.NPO_FIELD_WEIGHTS[f] for f in _THEME_FIELDS]) / sum(cal.NPO_FIELD_WEIGHTS.values())


def _theme_mask(rng) -> np.uint32:
    """A theme field for a meetup (2(3)ア②: テーマごとの交流会), drawn like groups' fields."""
    pos = min(int(np.searchsorted(_THEME_CUM, rng.random(), side="right")), len(_THEME_FIELDS) - 1)
    return np.uint32(1 << int(_THEME_FIELDS[pos]))


def _ward_event(rng, st, fy, w, kind, date, n, organizer, name):
    pop = st.pop
    idx, factor = st.pools[w]
    weights = _AFFINITY[kind][st.cls[idx]] * pop.soc[idx] * factor
    weights = weights * (st.active[idx] & (pop.founded[idx] <= date))
    if kind == "cleanup":   # environment and まちづくり groups like clean-ups
        theme = np.uint32((1 << 7) | (1 << 3))
    else:                   # each meetup has a theme; groups working in it come more
        theme = _theme_mask(rng)
    weights = weights * np.where(pop.fields[idx] & theme, _THEME_BOOST, 1.0)
    orgs = topk(rng, idx, weights, n)
    people = len(orgs) + int(rng.lognormal(np.log(1.5 * max(len(orgs), 1)), 0.6))
    _add_event(st, kind=kind, name=name, ward=st.region.display(WARDS[w]), date=date,
               organizer=organizer, orgs=orgs, attendance=people)


def simulate_events(rng, st: ActivityState, fy: int, series_start: dict) -> None:
    """Add fiscal year ``fy``'s events and their participants to ``st`` (ward series from
    ``series_start[ward]``).

    >>> from synth.population import Region, build_population
    >>> rng = np.random.default_rng(0)
    >>> pop = build_population(rng, Region.ward(), first_fy=2019, last_fy=2019)
    >>> st = ActivityState(pop, Region.ward(), 2019, 2019)
    >>> st.active = (pop.dormant_fy > 2019) & (pop.soc > 0)
    >>> simulate_events(rng, st, 2019, {w: 2019 for w in st.full_wards})
    >>> sorted({e["kind"] for e in st.events})
    ['cleanup', 'exchange_live', 'forum', 'local_festival', 'meetup']
    """
    pop, region = st.pop, st.region
    for w in st.full_wards:
        wname = WARDS[w][:-1]
        organizer = st.shakyo.get(w, -1)
        if fy >= series_start[w]:
            # 1(1)ア④: にしよどリンク-like meetups every two months
            for k, month in enumerate((4, 6, 8, 10, 12, 2)):
                date = _event_date(rng, fy, (month,))
                n = 3 + int(rng.lognormal(np.log(8), 0.5))
                _ward_event(rng, st, fy, w, "meetup", date, n, organizer,
                            f"（合成）{region.label}{wname}つながりリンク FY{fy}-{k + 1}")
        if fy >= series_start[w] + 1:
            # 1(1)ア④: MAIDOにしよど-like yearly large exchange, the meetups' 拡大版
            n = 8 + int(rng.lognormal(np.log(15), 0.5))
            _ward_event(rng, st, fy, w, "festival", _event_date(rng, fy, (10, 11)), n, organizer,
                        f"（合成）MAIDO{region.label}{wname} FY{fy}")
        for k in range(3):
            # 1(1)ア③: clean-ups anyone can join (浪速区); three a year ASSUMED
            n = 2 + int(rng.lognormal(np.log(5), 0.6))
            _ward_event(rng, st, fy, w, "cleanup", _event_date(rng, fy, (5, 6, 9, 11, 3)), n,
                        st.office.get(w, -1), f"（合成）{region.label}{wname}クリーンアップ FY{fy}-{k + 1}")
    # local festivals: one per council a year, members plus a few guests of the ward
    guests_of = {}
    for w in st.full_wards:
        pool = st.pools[w][0]
        guests_of[w] = pool[((st.cls[pool] == C_THEM) | (st.cls[pool] == C_COMPANY)) & st.active[pool]]
    is_member = st.scratch
    for c in pop.councils:
        w = int(pop.ward[c])
        date = _event_date(rng, fy, (7, 8, 10, 11))
        if pop.founded[c] > date:   # the council is not formed yet (data before FY2013)
            continue
        lo, hi = st.m_slices[int(c)]
        sel = st.m_order[lo:hi]
        since, until, morg = pop.m_since[sel], pop.m_until[sel], pop.m_org[sel]
        current = (since <= date) & (np.isnat(until) | (until > date))
        members = morg[current]
        is_member[members] = True
        guests = guests_of[w]
        guests = guests[~is_member[guests]]
        is_member[members] = False
        idx = np.concatenate([members, guests])
        weights = np.concatenate([1.0 + pop.soc[members], 0.001 * pop.soc[guests]])
        weights = weights * (pop.founded[idx] <= date)
        n = int(round(len(members) * rng.uniform(0.3, 0.7))) + int(rng.poisson(2))
        orgs = topk(rng, idx, weights, n)
        people = len(orgs) + int(rng.lognormal(np.log(8 * max(len(orgs), 1)), 0.7))
        _add_event(st, kind="local_festival", name=f"{pop.name[c].replace('活動協議会', '')}まつり FY{fy}",
                   ward=region.display(WARDS[w]), date=date, organizer=int(c), orgs=orgs,
                   attendance=people)
    if not st.full_wards:
        return
    venue = region.display("中央区")
    # 2(2)ア①: the city-wide 地活協フォーラム (FY2018: 2019-02-17, 204 participants)
    forum_date = (np.datetime64(cal.FORUM_DATE, "D") if fy == cal.FORUM_DATE.year - 1
                  else _event_date(rng, fy, (2,)))
    councils = pop.councils
    k = rng.binomial(len(councils), 0.15)
    orgs = topk(rng, councils, pop.soc[councils] * st.active[councils], k)
    centres = np.array(sorted(st.centre.values()), dtype=np.int64)
    if len(centres):
        orgs = np.union1d(orgs, centres[rng.random(len(centres)) < 0.5])
    people = (cal.FORUM_ATTENDANCE if fy == cal.FORUM_DATE.year - 1
              else int(round(cal.FORUM_ATTENDANCE * rng.lognormal(0.0, 0.12))))
    _add_event(st, kind="forum", name=f"（合成）{region.label}地活協フォーラム FY{fy}", ward=venue,
               date=forum_date, organizer=st.city_inter[-1], orgs=orgs, attendance=people)
    # 1(1)ア②: 異次元交流ライブ, cross-sector exchanges from August 2019 (two a year ASSUMED)
    first_live = np.datetime64(cal.BORDERLESS_MEETUP_FROM, "D")
    for k, month in enumerate((8, 2)):
        date = _event_date(rng, fy, (month,))
        if date < first_live:
            continue
        idx = np.arange(st.n)
        weights = _AFFINITY["exchange_live"][st.cls] * pop.soc * st.active * (pop.founded <= date)
        n = int(round((10 + rng.lognormal(np.log(20), 0.4)) * max(region.city_share, 0.15)))
        orgs = topk(rng, idx, weights, n)
        _add_event(st, kind="exchange_live", name=f"（合成）{region.label}異次元交流ライブ FY{fy}-{k + 1}",
                   ward=venue, date=date, organizer=st.city_inter[0], orgs=orgs,
                   attendance=len(orgs) + int(rng.lognormal(np.log(40), 0.4)))


def update_co_attendance(st: ActivityState, first_event: int) -> None:
    """Add this year's events to the co-attendance counts used by later years.

    >>> from synth.population import Region, build_population
    >>> rng = np.random.default_rng(0)
    >>> pop = build_population(rng, Region.ward(), first_fy=2019, last_fy=2019)
    >>> st = ActivityState(pop, Region.ward(), 2019, 2019)
    >>> st.active = (pop.dormant_fy > 2019) & (pop.soc > 0)
    >>> simulate_events(rng, st, 2019, {w: 2019 for w in st.full_wards})
    >>> update_co_attendance(st, 0)
    >>> st.co.nnz > 0
    True
    """
    ev = np.concatenate(st.parts_ev[first_event:]) if len(st.parts_ev) > first_event else np.empty(0, np.int64)
    if len(ev) == 0:
        return
    org = np.concatenate(st.parts_org[first_event:])
    inc = sp.csr_matrix((np.ones(len(ev), dtype=np.int32), (ev - first_event, org)),
                        shape=(len(st.events) - first_event, st.n))
    st.co = (st.co + (inc.T @ inc)).tocsr()
