"""What the organisations of a region do, fiscal year by fiscal year.

Each fiscal year, in this order: events and who attends them; talent dispatches; resource
offers; grants and awards; collaborations. Collaborations are drawn from candidate pairs
(organisations that met at events in *earlier* years, that share a ward or a neighbouring
ward, company–thematic and council–thematic pairs, pairs that had the same talent) and kept
with a probability that grows with the pair's features (same ward, neighbouring ward, shared
NPO fields, territorial↔thematic complementarity, earlier co-attendance, shared talent,
resource match, company–NPO, sociability), so an introduction model trained up to fiscal
year T has signal to find the ties that first appear after T.

Examples
--------
>>> import numpy as np
>>> from synth.population import Region, build_population
>>> rng = np.random.default_rng(0)
>>> pop = build_population(rng, Region.ward(), first_fy=2014, last_fy=2016)
>>> rec = simulate(rng, pop, Region.ward(), first_fy=2014, last_fy=2016)
>>> sorted(rec)
['awards', 'collaborations', 'dispatches', 'events', 'participations', 'resources']
>>> bool((rec["collaborations"]["n_orgs"] >= 2).all())
True
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ingest.fiscal import calendar_year
from ingest.schemas import NPO_FIELDS, WARDS
from synth import calibration as cal
from synth.population import (
    KIND,
    NO_ORIENTATION,
    TERRITORIAL,
    THEMATIC,
    Population,
    Region,
    fy_end,
    fy_start,
    random_dates,
)

__all__ = ["EVENT_KINDS", "COLLAB_WEIGHTS", "org_classes", "simulate"]

EVENT_KINDS = ("meetup", "festival", "cleanup", "local_festival", "forum", "exchange_live")

# Organisation classes used by the behaviour tables below.
C_ASSOC, C_TERR, C_COUNCIL, C_THEM, C_COMPANY, C_PUBLIC, C_INTER = range(7)

# ASSUMED affinity of each class for each kind of event (the seed describes who comes:
# 区内外の企業やNPO、ボランティア活動者 for にしよどリンク/MAIDO, 地域活動協議会の活動者 for the forum,
# anyone for the 浪速区 clean-up).
_AFFINITY = {
    "meetup": np.array([0.03, 0.10, 0.5, 1.0, 0.8, 0.6, 1.0]),
    "festival": np.array([0.20, 0.30, 0.8, 1.0, 1.0, 1.0, 1.0]),
    "cleanup": np.array([1.00, 0.60, 0.5, 0.4, 0.8, 0.5, 0.2]),
    "exchange_live": np.array([0.0, 0.05, 0.3, 1.0, 1.0, 0.3, 1.0]),
}
_NEIGHBOUR_VISIT = 0.12   # weight of a full neighbouring ward's organisation at a ward event
_THEME_BOOST = 8.0        # weight of a group working in an event's theme field (2(3)ア②)

# Collaboration model: log-odds contributions of the pair features (ASSUMED, documented in
# docs/synthetic-data.md). Sampling is proportional to exp(score) among the candidates.
COLLAB_WEIGHTS = {
    "same_ward": 1.3,
    "neighbour_ward": 0.6,
    "shared_fields": 0.8,      # per shared NPO field, up to 3
    "complementary": 0.9,      # territorial ↔ thematic
    "co_attendance": 0.9,      # × log(1 + events attended together in earlier years)
    "shared_talent": 1.2,
    "resource_match": 0.8,     # one offered a resource in the other's field, or space nearby
    "company_npo": 0.8,
    "sociability": 0.5,        # × (log soc_a + log soc_b)
    "repeat": -1.2,            # the pair already collaborated
    "association": -0.8,       # per neighbourhood association in the pair
}
COLLAB_RATE = 0.2             # collaborations a year per active core organisation
_CLASS_COLLAB = np.array([0.15, 0.25, 1.0, 1.0, 0.8, 0.6, 0.8])
_CANDIDATES_PER_TIE = 10
_SOURCE_SHARES = {"co_attendance": 0.4, "same_ward": 0.3, "neighbour_ward": 0.1,
                  "company_thematic": 0.08, "council_thematic": 0.05, "shared_talent": 0.04,
                  "resource": 0.03}

_PURPOSE = {
    "facilitation": "話し合いのファシリテーション", "coordination": "事業のコーディネート",
    "design": "ロゴ・広報物のデザイン", "PR": "広報力の向上", "accounting": "会計・組織運営",
    "IT": "ICT活用", "fundraising": "資金調達", "management": "組織運営の強化",
    "legal": "規約・法務の整理", "disaster-prevention": "防災の取組",
}
_RESOURCE_KINDS = ("space", "lecturer", "skills")
_RESOURCE_TITLES = {"space": "会議室・活動スペースの提供", "lecturer": "講師の派遣",
                    "skills": "スキル・ノウハウの提供"}


def org_classes(pop: Population) -> np.ndarray:
    """Behaviour class of each organisation (association, other territorial, council,
    thematic, company, public agency, intermediary).

    >>> from synth.population import Region, build_population
    >>> pop = build_population(np.random.default_rng(0), Region.ward(), first_fy=2014, last_fy=2014)
    >>> sorted(set(org_classes(pop).tolist()))
    [0, 1, 2, 3, 4, 5, 6]
    """
    k = pop.kind
    cls = np.full(pop.size, C_TERR, dtype=np.int8)
    cls[k == KIND["neighbourhood_association"]] = C_ASSOC
    cls[k == KIND["council"]] = C_COUNCIL
    cls[pop.orientation == THEMATIC] = C_THEM
    cls[k == KIND["company"]] = C_COMPANY
    cls[k == KIND["public_agency"]] = C_PUBLIC
    cls[k == KIND["intermediary"]] = C_INTER
    return cls


def _topk(rng, idx: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """Draw ``n`` of ``idx`` without replacement, in proportion to ``weights`` (Gumbel top-k)."""
    pos = weights > 0
    idx, weights = idx[pos], weights[pos]
    n = int(min(n, len(idx)))
    if n <= 0:
        return np.empty(0, dtype=np.int64)
    keys = np.log(weights) + rng.gumbel(size=len(weights))
    if n < len(keys):
        keys_top = np.argpartition(-keys, n - 1)[:n]
        return np.sort(idx[keys_top])
    return np.sort(idx)


class _WardSampler:
    """Draws an organisation of a given ward in proportion to a weight vector."""

    def __init__(self, ward: np.ndarray, weights: np.ndarray):
        cand = np.flatnonzero(weights > 0)
        order = cand[np.argsort(ward[cand], kind="stable")]
        self.order = order
        self.cum = np.cumsum(weights[order])
        w_of = ward[order]
        n_w = len(WARDS)
        self.start = np.searchsorted(w_of, np.arange(n_w), side="left")
        self.stop = np.searchsorted(w_of, np.arange(n_w), side="right")
        base = np.concatenate([[0.0], self.cum])
        self.lo = base[self.start]
        self.total = base[self.stop] - self.lo

    def draw(self, rng, wards: np.ndarray) -> np.ndarray:
        """One organisation per entry of ``wards``; -1 where that ward has none."""
        wards = np.asarray(wards, dtype=np.int64)
        tot = self.total[wards]
        u = self.lo[wards] + rng.random(len(wards)) * tot
        pos = np.searchsorted(self.cum, u, side="right")
        pos = np.clip(pos, self.start[wards], np.maximum(self.stop[wards] - 1, 0))
        out = self.order[np.minimum(pos, len(self.order) - 1)] if len(self.order) else np.full(len(wards), -1)
        return np.where(tot > 0, out, -1)


def _draw(rng, weights: np.ndarray, size: int) -> np.ndarray:
    total = weights.sum()
    if total <= 0 or size <= 0:
        return np.empty(0, dtype=np.int64)
    cum = np.cumsum(weights)
    return np.minimum(np.searchsorted(cum, rng.random(size) * total, side="right"), len(cum) - 1)


class _State:
    """Everything the yearly steps share."""

    def __init__(self, pop: Population, region: Region, first_fy: int, last_fy: int):
        self.pop = pop
        self.region = region
        self.first_fy, self.last_fy = first_fy, last_fy
        self.n = pop.size
        self.cls = org_classes(pop)
        self.ward_local = {WARDS.index(w): i for i, w in enumerate(region.wards)}
        self.full_wards = [WARDS.index(w) for w, f in zip(region.wards, region.full) if f]
        adj = np.zeros((len(WARDS), len(WARDS)), dtype=bool)
        for w in WARDS:
            for v in cal.neighbours(w):
                adj[WARDS.index(w), WARDS.index(v)] = True
        self.adj = adj
        self.region_nbrs = {w: np.array([v for v in np.flatnonzero(adj[w]) if v in self.ward_local])
                            for w in self.ward_local}
        is_partial = np.zeros(len(WARDS), dtype=bool)
        for w, f in zip(region.wards, region.full):
            is_partial[WARDS.index(w)] = not f
        partial = is_partial[pop.ward]
        self.pools = {}
        for w in self.full_wards:
            own = pop.ward == w
            nbr = adj[w][pop.ward]
            factor = np.where(own, 1.0, np.where(nbr & partial, 1.0, np.where(nbr, _NEIGHBOUR_VISIT, 0.0)))
            idx = np.flatnonzero(factor > 0)
            self.pools[w] = (idx, factor[idx])
        self.by_kind = {k: np.flatnonzero(pop.kind == v) for k, v in KIND.items()}
        self.office = {int(pop.ward[i]): int(i) for i in self.by_kind["public_agency"]
                       if pop.name[i].endswith("区役所")}
        self.shakyo = {int(pop.ward[i]): int(i) for i in self.by_kind["public_agency"]
                       if pop.name[i].endswith("社会福祉協議会")}
        self.centre = {int(pop.ward[i]): int(i) for i in self.by_kind["intermediary"]
                       if pop.name[i].endswith("まちづくりセンター")}
        self.city_inter = [int(i) for i in self.by_kind["intermediary"] if int(i) not in self.centre.values()]
        order = np.argsort(pop.m_council, kind="stable")
        self.m_order = order
        mc = pop.m_council[order]
        self.m_slices = {int(c): (int(np.searchsorted(mc, c, "left")), int(np.searchsorted(mc, c, "right")))
                         for c in pop.councils}
        self.co = sp.csr_matrix((self.n, self.n), dtype=np.int32)
        self.talent_orgs: dict[int, list[int]] = {}
        self.talent_pairs = np.empty((0, 2), dtype=np.int64)
        self.offer_space = np.zeros(self.n, dtype=bool)
        self.offer_fields = np.zeros(self.n, dtype=np.uint32)
        self.collab_keys = np.empty(0, dtype=np.int64)
        self.last_grantees: dict[int, int] = {}
        self.active = np.zeros(self.n, dtype=bool)
        self.scratch = np.zeros(self.n, dtype=bool)
        self.events: list[dict] = []
        self.parts_ev: list[np.ndarray] = []
        self.parts_org: list[np.ndarray] = []
        self.parts_role: list[np.ndarray] = []
        self.out = {k: [] for k in ("collaborations", "dispatches", "resources", "awards")}


def simulate(rng: np.random.Generator, pop: Population, region: Region, *, first_fy: int,
             last_fy: int, on_year=None) -> dict:
    """Run the yearly steps for ``region`` and return the records as column arrays.

    Parameters
    ----------
    rng : numpy.random.Generator
    pop : Population
        From :func:`synth.population.build_population` with the same region and years.
    region : Region
    first_fy, last_fy : int
    on_year : callable, optional
        Called with the fiscal year after each year is done (progress bars).

    Returns
    -------
    dict
        Table name → dict of numpy column arrays. Organisation references are local
        organisation numbers; ``collaborations`` has ``org_a``, ``org_b``, ``org_c`` (-1 when
        only two) and ``n_orgs``; ``participations`` has ``event`` (local event number).
    """
    st = _State(pop, region, first_fy, last_fy)
    series_start = {w: first_fy + (0 if region.wards[0] == WARDS[w] or w == WARDS.index("西淀川区")
                                   else int(rng.integers(0, 4)))
                    for w in st.full_wards}
    for fy in range(first_fy, last_fy + 1):
        st.active = (pop.dormant_fy > fy) & (pop.soc > 0) & (pop.founded <= fy_end(fy))
        first_event = len(st.events)
        _events(rng, st, fy, series_start)
        _dispatches(rng, st, fy)
        _resources(rng, st, fy)
        _awards(rng, st, fy)
        _collaborations(rng, st, fy)
        _update_co_attendance(st, first_event)
        if on_year is not None:
            on_year(fy)
    return _records(st)


# --- events -----------------------------------------------------------------------------------

def _event_date(rng, fy: int, months: tuple[int, ...]) -> np.datetime64:
    month = int(months[rng.integers(0, len(months))])
    year = calendar_year(fy, month)
    return np.datetime64(f"{year}-{month:02d}-01", "D") + int(rng.integers(0, 28))


def _add_event(st: _State, *, kind, name, ward, date, organizer, orgs, attendance):
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
    orgs = _topk(rng, idx, weights, n)
    people = len(orgs) + int(rng.lognormal(np.log(1.5 * max(len(orgs), 1)), 0.6))
    _add_event(st, kind=kind, name=name, ward=st.region.display(WARDS[w]), date=date,
               organizer=organizer, orgs=orgs, attendance=people)


def _events(rng, st: _State, fy: int, series_start: dict) -> None:
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
        orgs = _topk(rng, idx, weights, n)
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
    orgs = _topk(rng, councils, pop.soc[councils] * st.active[councils], k)
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
        orgs = _topk(rng, idx, weights, n)
        _add_event(st, kind="exchange_live", name=f"（合成）{region.label}異次元交流ライブ FY{fy}-{k + 1}",
                   ward=venue, date=date, organizer=st.city_inter[0], orgs=orgs,
                   attendance=len(orgs) + int(rng.lognormal(np.log(40), 0.4)))


def _update_co_attendance(st: _State, first_event: int) -> None:
    """Add this year's events to the co-attendance counts used by later years."""
    ev = np.concatenate(st.parts_ev[first_event:]) if len(st.parts_ev) > first_event else np.empty(0, np.int64)
    if len(ev) == 0:
        return
    org = np.concatenate(st.parts_org[first_event:])
    inc = sp.csr_matrix((np.ones(len(ev), dtype=np.int32), (ev - first_event, org)),
                        shape=(len(st.events) - first_event, st.n))
    st.co = (st.co + (inc.T @ inc)).tocsr()


# --- dispatches, resources, awards ------------------------------------------------------------

def _thin(rng, n: int, share: float) -> int:
    return int(n) if share >= 1.0 else int(rng.binomial(int(n), share))


def _dispatches(rng, st: _State, fy: int) -> None:
    """1(1)イ② talent dispatches: exact 地縁型/テーマ型 counts per fiscal year (city scale)."""
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
            orgs = _draw(rng, w, n)
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
                talents[i] = ok[_draw(rng, pop.talent_activity[ok], 1)[0]]
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


def _resources(rng, st: _State, fy: int) -> None:
    """2(3)ア③ resource offers: about 28 a year (space, lecturers, skills and know-how)."""
    pop = st.pop
    n = rng.poisson(cal.RESOURCE_OFFERS_PER_YEAR * st.region.city_share)
    cls_w = np.array([0.0, 0.0, 0.3, 1.0, 3.0, 2.0, 3.0])[st.cls]
    cls_w = cls_w * np.where(pop.kind == KIND["npo"], 1.5, 1.0)
    w = cls_w * np.sqrt(pop.soc) * st.active
    providers = _draw(rng, w, n)
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


def _awards(rng, st: _State, fy: int) -> None:
    """2(4)ア② grants (count and total per year) and 2(4)ア① one CSO award a year."""
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
        fresh = _topk(rng, np.arange(st.n), w, n - len(chosen))
        chosen.extend(int(x) for x in rng.permutation(fresh))
        st.last_grantees = {o: st.last_grantees.get(o, 0) + 1 for o in chosen}
        rows_org += chosen
        rows_prog += [cal.GRANT_PROGRAM] * len(chosen)
        rows_amt += [int(a) for a in amounts[: len(chosen)]]
    else:
        st.last_grantees = {}
    if fy >= cal.AWARD_FIRST_FY and _thin(rng, 1, share):
        winner = _topk(rng, np.arange(st.n), pop.soc ** 2 * them, 1)
        if len(winner):
            rows_org.append(int(winner[0]))
            rows_prog.append(cal.AWARD_PROGRAM)
            rows_amt.append(-1)
    if rows_org:
        st.out["awards"].append(dict(org=np.array(rows_org, dtype=np.int64),
                                     program=np.array(rows_prog, dtype=object),
                                     fiscal_year=np.full(len(rows_org), fy, dtype=np.int64),
                                     amount=np.array(rows_amt, dtype=np.int64)))


# --- collaborations ---------------------------------------------------------------------------

def _collaborations(rng, st: _State, fy: int) -> None:
    pop = st.pop
    act = st.active
    core = act & np.isin(st.cls, (C_COUNCIL, C_THEM, C_COMPANY, C_PUBLIC, C_INTER))
    k_ties = int(rng.poisson(COLLAB_RATE * core.sum()))
    if k_ties == 0:
        return
    m = _CANDIDATES_PER_TIE * k_ties
    w = np.where(act, pop.soc * _CLASS_COLLAB[st.cls], 0.0)
    sampler = _WardSampler(pop.ward, w)
    them_sampler = _WardSampler(pop.ward, w * (st.cls == C_THEM))
    a_list, b_list = [], []

    def take(share):
        return int(round(m * share))

    # earlier co-attendance
    upper = sp.triu(st.co, k=1).tocoo()
    if upper.nnz:
        keep = act[upper.row] & act[upper.col]
        rows, cols, data = upper.row[keep], upper.col[keep], upper.data[keep].astype(float)
        if len(rows):
            pick = _draw(rng, data, take(_SOURCE_SHARES["co_attendance"]))
            a_list.append(rows[pick])
            b_list.append(cols[pick])
    # same ward
    a = _draw(rng, w, take(_SOURCE_SHARES["same_ward"]))
    a_list.append(a)
    b_list.append(sampler.draw(rng, pop.ward[a]))
    # neighbouring ward (inside the region)
    a = _draw(rng, w, take(_SOURCE_SHARES["neighbour_ward"]))
    nb = np.full(len(a), -1, dtype=np.int64)
    for wd in np.unique(pop.ward[a]):
        sel = np.flatnonzero(pop.ward[a] == wd)
        opts = st.region_nbrs.get(int(wd), np.empty(0))
        if len(opts):
            nb[sel] = opts[rng.integers(0, len(opts), len(sel))]
    ok = nb >= 0
    a_list.append(a[ok])
    b_list.append(sampler.draw(rng, nb[ok]))
    # company – thematic anywhere; council – thematic in the same ward
    a = _draw(rng, w * (st.cls == C_COMPANY), take(_SOURCE_SHARES["company_thematic"]))
    b = _draw(rng, w * (st.cls == C_THEM), len(a))
    n_ab = min(len(a), len(b))
    a_list.append(a[:n_ab])
    b_list.append(b[:n_ab])
    a = _draw(rng, w * (st.cls == C_COUNCIL), take(_SOURCE_SHARES["council_thematic"]))
    a_list.append(a)
    b_list.append(them_sampler.draw(rng, pop.ward[a]))
    # a resource provider and a group of its ward
    providers = np.flatnonzero((st.offer_space | (st.offer_fields > 0)) & act)
    if len(providers):
        a = providers[rng.integers(0, len(providers), take(_SOURCE_SHARES["resource"]))]
        a_list.append(a)
        b_list.append(sampler.draw(rng, pop.ward[a]))
    # the same talent was dispatched to both
    if len(st.talent_pairs):
        tp = st.talent_pairs[act[st.talent_pairs[:, 0]] & act[st.talent_pairs[:, 1]]]
        if len(tp):
            pick = rng.integers(0, len(tp), take(_SOURCE_SHARES["shared_talent"]))
            a_list.append(tp[pick, 0])
            b_list.append(tp[pick, 1])

    a = np.concatenate(a_list).astype(np.int64)
    b = np.concatenate(b_list).astype(np.int64)
    ok = (a >= 0) & (b >= 0) & (a != b)
    a, b = np.minimum(a[ok], b[ok]), np.maximum(a[ok], b[ok])
    keys = np.unique(a * st.n + b)
    a, b = keys // st.n, keys % st.n
    if len(a) == 0:
        return
    score = _pair_scores(st, a, b, keys)
    chosen = np.sort(np.argsort(-(score + rng.gumbel(size=len(score))), kind="stable")[:k_ties])
    a, b = a[chosen], b[chosen]
    n = len(a)
    c = sampler.draw(rng, pop.ward[a])
    third = (rng.random(n) < 0.2) & (c >= 0) & (c != a) & (c != b)
    c = np.where(third, c, -1)
    latest = np.maximum(pop.founded[a], pop.founded[b])
    latest = np.where(third, np.maximum(latest, pop.founded[np.maximum(c, 0)]), latest)
    start = np.maximum(random_dates(rng, fy_start(fy), fy_end(fy), n), latest + 1)
    start = np.minimum(start, fy_end(fy))
    end = np.minimum(start + rng.integers(30, 400, n).astype("timedelta64[D]"), fy_end(st.last_fy))
    end[rng.random(n) < 0.15] = np.datetime64("NaT")
    shared = pop.fields[a] & pop.fields[b]
    topic = np.where(shared > 0, shared, pop.fields[a])
    low = topic.astype(np.int64) & -topic.astype(np.int64)
    field_no = np.maximum(np.log2(np.maximum(low, 1)).astype(np.int64), 1)
    st.out["collaborations"].append(dict(
        org_a=a, org_b=b, org_c=c, n_orgs=2 + third.astype(np.int64), start=start, end=end,
        field=field_no))
    st.collab_keys = np.union1d(st.collab_keys, a * st.n + b)


def _pair_scores(st: _State, a: np.ndarray, b: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Log-odds of a collaboration for each candidate pair (see COLLAB_WEIGHTS)."""
    pop, cw = st.pop, COLLAB_WEIGHTS
    wa, wb = pop.ward[a].astype(np.int64), pop.ward[b].astype(np.int64)
    same = wa == wb
    nbr = st.adj[wa, wb]
    shared = np.minimum(np.bitwise_count(pop.fields[a] & pop.fields[b]), 3)
    oa, ob = pop.orientation[a], pop.orientation[b]
    complementary = (oa != ob) & (oa != NO_ORIENTATION) & (ob != NO_ORIENTATION)
    co = np.asarray(st.co[a, b]).ravel().astype(float) if st.co.nnz else np.zeros(len(a))
    if len(st.talent_pairs):
        tkeys = st.talent_pairs[:, 0] * st.n + st.talent_pairs[:, 1]
        talent = np.isin(keys, tkeys)
    else:
        talent = np.zeros(len(a), dtype=bool)
    near = same | nbr
    resource = ((((st.offer_fields[a] & pop.fields[b]) > 0) | (st.offer_space[a] & near))
                | (((st.offer_fields[b] & pop.fields[a]) > 0) | (st.offer_space[b] & near)))
    ca, cb = st.cls[a], st.cls[b]
    company_npo = ((ca == C_COMPANY) & (cb == C_THEM)) | ((cb == C_COMPANY) & (ca == C_THEM))
    repeat = np.isin(keys, st.collab_keys)
    assoc = (ca == C_ASSOC).astype(int) + (cb == C_ASSOC).astype(int)
    return (cw["same_ward"] * same + cw["neighbour_ward"] * nbr + cw["shared_fields"] * shared
            + cw["complementary"] * complementary + cw["co_attendance"] * np.log1p(co)
            + cw["shared_talent"] * talent + cw["resource_match"] * resource
            + cw["company_npo"] * company_npo
            + cw["sociability"] * (np.log(pop.soc[a]) + np.log(pop.soc[b]))
            + cw["repeat"] * repeat + cw["association"] * assoc)


# --- records ----------------------------------------------------------------------------------

def _stack(parts: list[dict], keys: tuple[str, ...]) -> dict:
    if not parts:
        return {k: np.empty(0) for k in keys}
    return {k: np.concatenate([p[k] for p in parts]) for k in keys}


def _records(st: _State) -> dict:
    ev = st.events
    events = {
        "kind": np.array([e["kind"] for e in ev], dtype=object),
        "name": np.array([e["name"] for e in ev], dtype=object),
        "ward": np.array([e["ward"] for e in ev], dtype=object),
        "date": np.array([e["date"] for e in ev], dtype="datetime64[D]"),
        "organizer": np.array([e["organizer"] for e in ev], dtype=np.int64),
        "attendance": np.array([e["attendance"] for e in ev], dtype=np.int64),
    }
    parts = {
        "event": np.concatenate(st.parts_ev) if st.parts_ev else np.empty(0, np.int64),
        "org": np.concatenate(st.parts_org) if st.parts_org else np.empty(0, np.int64),
        "role": np.concatenate(st.parts_role) if st.parts_role else np.empty(0, object),
    }
    return {
        "events": events,
        "participations": parts,
        "collaborations": _stack(st.out["collaborations"],
                                 ("org_a", "org_b", "org_c", "n_orgs", "start", "end", "field")),
        "dispatches": _stack(st.out["dispatches"],
                             ("org", "talent", "start", "end", "sessions", "purpose", "orientation")),
        "resources": _stack(st.out["resources"], ("provider", "kind", "title", "offered")),
        "awards": _stack(st.out["awards"], ("org", "program", "fiscal_year", "amount")),
    }

