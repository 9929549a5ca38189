"""`build_population`: the organisations, council memberships and talents of one region."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ingest.schemas import WARDS
from synth import calibration as cal
from synth.population.organisations import (
    KIND,
    NEVER_DORMANT,
    NO_ORIENTATION,
    TERRITORIAL,
    OrgBuilder,
    add_companies,
    add_thematic_groups,
    field_mask,
    fiscal_year_of,
)
from synth.population.regions import Region
from synth.population.sampling import fy_end, fy_start, random_dates, sample_fields

__all__ = ["Population", "council_allocation", "build_population"]

# ASSUMED stocks (the seed gives none): thematic groups and companies already active when the
# data start, for the whole city; chosen so the city has ~10⁴ organisations.
INITIAL_THEMATIC = 1200
INITIAL_COMPANIES = 400
NEW_COMPANIES_PER_YEAR = 15
MIN_MEMBERS = 8            # smallest council
# Composition of council members (構成団体): ASSUMED shares, the seed names 町会・自治会 only.
MEMBER_MIX = (
    ("neighbourhood_association", 0.62, "町会"),
    ("citizen_group", 0.24, "地域団体"),
    ("school", 0.05, "小学校PTA"),
    ("religious", 0.03, "神社"),
    ("other", 0.02, "商店会"),
    ("thematic", 0.04, ""),   # an existing thematic group of the ward joins the council
)
_TERR_GROUP_LABELS = ("子ども会", "老人クラブ", "女性会", "地域社会福祉協議会", "防災リーダー会", "青少年指導員会")


@dataclass
class Population:
    """Organisations (parallel arrays), council memberships and talents of a region."""

    kind: np.ndarray          # int8 code into ORG_KINDS
    ward: np.ndarray          # int16 index into WARDS
    orientation: np.ndarray   # int8: TERRITORIAL, THEMATIC, NO_ORIENTATION
    fields: np.ndarray        # uint32 bit mask
    founded: np.ndarray       # datetime64[D]
    dormant_fy: np.ndarray    # int32: first fiscal year it no longer appears
    soc: np.ndarray           # float64 sociability (0 = never appears anywhere)
    name: list
    councils: np.ndarray      # org numbers of the councils
    council_members: list     # per council: org numbers of its members
    m_org: np.ndarray         # memberships: member org number
    m_council: np.ndarray     # memberships: council org number
    m_since: np.ndarray
    m_until: np.ndarray       # NaT when still a member
    talent_skills: list       # per talent: tuple of skills
    talent_registered: np.ndarray
    talent_activity: np.ndarray

    @property
    def size(self) -> int:
        """Number of organisations."""
        return len(self.kind)


def council_allocation(seed: int, alloc_key: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Councils per ward, members per council (on 2019-08-31) and thematic weight per ward.

    326 councils are spread over the 24 wards (largest remainder on Dirichlet weights) and
    ``round(326 × 23.7)`` members over the councils (at least 8 each), so the city-wide mean
    is exactly 23.7 (1(1)イ③). Depends only on ``seed`` and ``alloc_key``, never on the scale.

    Returns
    -------
    (councils_per_ward, members_per_council, thematic_weight_per_ward)

    Examples
    --------
    >>> per_ward, members, weight = council_allocation(0)
    >>> int(per_ward.sum()), int(members.sum()), round(float(weight.sum()), 6)
    (326, 7726, 1.0)
    """
    rng = np.random.default_rng([seed, 1_000_003, alloc_key])
    n_w = len(WARDS)
    w = rng.dirichlet(np.full(n_w, 12.0))
    raw = w * cal.N_COUNCILS
    per_ward = np.floor(raw).astype(np.int64)
    rest = cal.N_COUNCILS - per_ward.sum()
    per_ward[np.argsort(-(raw - per_ward), kind="stable")[:rest]] += 1
    total_members = round(cal.N_COUNCILS * cal.MEMBERS_PER_COUNCIL)
    p = rng.dirichlet(np.full(cal.N_COUNCILS, 4.0))
    members = MIN_MEMBERS + rng.multinomial(total_members - MIN_MEMBERS * cal.N_COUNCILS, p)
    thematic_weight = rng.dirichlet(np.full(n_w, 6.0))
    return per_ward, members, thematic_weight



def build_population(rng: np.random.Generator, region: Region, *, first_fy: int, last_fy: int,
                     seed: int = 0, serial0: int = 0) -> Population:
    """Create the organisations, memberships and talents of ``region``.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness for this region.
    region : Region
        Which wards, full or partial.
    first_fy, last_fy : int
        Fiscal years the data cover; thematic groups and companies are founded through them.
    seed : int
        The dataset seed, for the scale-independent council allocation.
    serial0 : int
        Offset for the serial numbers in names (keeps names unique across nation chunks).

    Returns
    -------
    Population

    Examples
    --------
    >>> pop = build_population(np.random.default_rng(0), Region.ward(), first_fy=2014, last_fy=2015)
    >>> 300 < pop.size < 1500, len(pop.talent_skills)
    (True, 131)
    """
    per_ward, members_alloc, them_weight = council_allocation(seed, region.alloc_key)
    council_offset = np.concatenate([[0], np.cumsum(per_ward)])
    b = OrgBuilder()
    councils: list[int] = []
    council_members: list[np.ndarray] = []
    m_org, m_council, m_since, m_until = [], [], [], []
    cal_date = np.datetime64(cal.COUNCIL_FIGURE_DATE, "D")
    range_start, range_end = fy_start(first_fy), fy_end(last_fy)
    serial = serial0
    n_years = last_fy - first_fy + 1
    thematic_by_ward: dict[int, np.ndarray] = {}
    # exactly 143 new thematic groups a fiscal year city-wide (1(2)ア①), spread over the wards
    new_by_fy = {fy: rng.multinomial(cal.NEW_THEMATIC_PER_YEAR, them_weight)
                 for fy in range(first_fy, last_fy + 1)}

    for w_local, ward in enumerate(region.wards):
        wi = WARDS.index(ward)
        wname = region.display(ward)
        share = region.share[w_local]
        # thematic groups and companies: initial stock, then new ones each fiscal year
        n0 = rng.poisson(INITIAL_THEMATIC * them_weight[wi] * share)
        founded0 = random_dates(rng, range_start - 365 * 15, range_start - 1, n0)
        idx = [add_thematic_groups(rng, b, wi, wname, n0, founded0, serial)]
        serial += n0
        for fy in range(first_fy, last_fy + 1):
            n_new = int(new_by_fy[fy][wi]) if share >= 1 else int(rng.binomial(new_by_fy[fy][wi], share))
            idx.append(add_thematic_groups(rng, b, wi, wname, n_new,
                                           random_dates(rng, fy_start(fy), fy_end(fy), n_new), serial))
            serial += n_new
        thematic_by_ward[w_local] = np.concatenate(idx)
        c0 = rng.poisson(INITIAL_COMPANIES * them_weight[wi] * share)
        add_companies(rng, b, wi, wname, c0, random_dates(rng, range_start - 365 * 40, range_start - 1, c0), serial)
        serial += c0
        c_new = rng.poisson(NEW_COMPANIES_PER_YEAR * them_weight[wi] * share * n_years)
        add_companies(rng, b, wi, wname, c_new, random_dates(rng, range_start, range_end, c_new), serial)
        serial += c_new
        if not region.full[w_local]:
            continue
        # one ward office, one social-welfare council, one まちづくりセンター per ward
        old = np.datetime64("1989-02-13", "D")
        b.add(kind=KIND["public_agency"], ward=wi, orientation=NO_ORIENTATION,
              fields=field_mask(3, 8, 9), founded=old, dormant_fy=NEVER_DORMANT, soc=3.0,
              names=[f"（合成）{wname}役所"])
        b.add(kind=KIND["public_agency"], ward=wi, orientation=NO_ORIENTATION,
              fields=field_mask(1, 13, 19), founded=old, dormant_fy=NEVER_DORMANT, soc=4.0,
              names=[f"（合成）{wname}社会福祉協議会"])
        b.add(kind=KIND["intermediary"], ward=wi, orientation=NO_ORIENTATION,
              fields=field_mask(3, 19), founded=np.datetime64("2012-04-01", "D"), dormant_fy=NEVER_DORMANT,
              soc=3.0, names=[f"（合成）{wname}まちづくりセンター"])
        # councils (地域活動協議会), formed FY2012–FY2013 (ASSUMED), and their members
        them_pool = thematic_by_ward[w_local]
        them_pool = them_pool[(b.column("soc")[them_pool] > 0)
                              & (b.column("founded")[them_pool] < range_start)]
        for k in range(per_ward[wi]):
            n_active = int(members_alloc[council_offset[wi] + k])
            c_founded = random_dates(rng, fy_start(2012), fy_end(2013), 1)[0]
            c_fields = sample_fields(rng, 1, {1: 3, 3: 4, 8: 2, 9: 3, 13: 3, 6: 1}, 2.0, 5)[0]
            cname = f"{wname}第{k + 1}地域"
            c_idx = int(b.add(kind=KIND["council"], ward=wi, orientation=TERRITORIAL,
                              fields=c_fields, founded=c_founded, dormant_fy=NEVER_DORMANT,
                              soc=rng.lognormal(0.4, 0.5), names=[f"（合成）{cname}活動協議会"])[0])
            councils.append(c_idx)
            n_leave = rng.poisson(0.05 * n_active)
            n_slots = n_active + n_leave
            mix = rng.choice(len(MEMBER_MIX), size=n_slots, p=[m[1] for m in MEMBER_MIX])
            mix[mix == len(MEMBER_MIX) - 1] = np.where(len(them_pool) > 0, len(MEMBER_MIX) - 1, 0)
            member_idx = np.empty(n_slots, dtype=np.int64)
            for code, (kind_name, _, label) in enumerate(MEMBER_MIX):
                slots = np.flatnonzero(mix == code)
                if len(slots) == 0:
                    continue
                if kind_name == "thematic":
                    picks = rng.choice(them_pool, size=min(len(slots), len(them_pool)), replace=False)
                    picks = np.resize(picks, len(slots))
                    member_idx[slots] = picks
                    continue
                labels = ([_TERR_GROUP_LABELS[i] for i in rng.integers(0, len(_TERR_GROUP_LABELS), len(slots))]
                          if kind_name == "citizen_group" else [label] * len(slots))
                names = [f"（合成）{cname}{lab}{j + 1}" for lab, j in zip(labels, slots)]
                fields = {"neighbourhood_association": field_mask(3, 9), "citizen_group": field_mask(3, 13),
                          "school": field_mask(2, 13), "religious": field_mask(3, 6),
                          "other": field_mask(3, 16)}[kind_name]
                member_idx[slots] = b.add(
                    kind=KIND[kind_name], ward=wi, orientation=TERRITORIAL, fields=fields,
                    founded=random_dates(rng, np.datetime64("1950-04-01"), c_founded - 1, len(slots)),
                    dormant_fy=NEVER_DORMANT, soc=rng.lognormal(-1.0, 0.8, len(slots)), names=names)
            # duplicates (a thematic group drawn twice) collapse to one membership
            member_idx, first = np.unique(member_idx, return_index=True)
            leaver = np.zeros(len(member_idx), dtype=bool)
            leaver[first >= n_active] = True
            since = np.full(len(member_idx), c_founded, dtype="datetime64[D]")
            late = rng.random(len(member_idx)) < 0.15
            since[late] = random_dates(rng, c_founded, cal_date, int(late.sum()))
            until = np.full(len(member_idx), np.datetime64("NaT"), dtype="datetime64[D]")
            until[leaver] = random_dates(rng, np.maximum(since[leaver], range_start), cal_date - 1, int(leaver.sum()))
            until[leaver] = np.maximum(until[leaver], since[leaver])
            # after the figure date: a few leave, a few join (ASSUMED 1%/yr and 1.5%/yr)
            years_after = max(0, last_fy - 2019 + 1) - 5 / 12
            if years_after > 0:
                quit_ = (~leaver) & (rng.random(len(member_idx)) < 0.01 * years_after)
                until[quit_] = random_dates(rng, cal_date + 1, range_end, int(quit_.sum()))
                n_join = rng.poisson(0.015 * n_active * years_after)
                if n_join:
                    j_since = random_dates(rng, cal_date + 1, range_end, n_join)
                    j_idx = b.add(kind=KIND["neighbourhood_association"], ward=wi,
                                  orientation=TERRITORIAL, fields=field_mask(3, 9),
                                  founded=j_since - rng.integers(0, 200, n_join).astype("timedelta64[D]"),
                                  dormant_fy=NEVER_DORMANT, soc=rng.lognormal(-1.0, 0.8, n_join),
                                  names=[f"（合成）{cname}新町会{j + 1}" for j in range(n_join)])
                    member_idx = np.concatenate([member_idx, j_idx])
                    since = np.concatenate([since, j_since])
                    until = np.concatenate([until, np.full(n_join, np.datetime64("NaT"), dtype="datetime64[D]")])
            council_members.append(member_idx)
            m_org.append(member_idx)
            m_council.append(np.full(len(member_idx), c_idx))
            m_since.append(since)
            m_until.append(until)

    # city-wide intermediaries (大阪NPOセンター / 大阪市コミュニティ協会 analogues), hosted centrally
    venue = WARDS.index("中央区")
    b.add(kind=KIND["intermediary"], ward=venue, orientation=NO_ORIENTATION, fields=field_mask(19, 3),
          founded=np.datetime64("1993-11-01", "D"), dormant_fy=NEVER_DORMANT, soc=4.0,
          names=[f"（合成）{region.label}市民活動支援センター"])
    b.add(kind=KIND["intermediary"], ward=venue, orientation=NO_ORIENTATION, fields=field_mask(3, 19),
          founded=np.datetime64("1995-04-01", "D"), dormant_fy=NEVER_DORMANT, soc=4.0,
          names=[f"（合成）{region.label}コミュニティ協会"])

    kind = b.column("kind")
    dormant = b.column("dormant_fy").copy()
    m_org_a = np.concatenate(m_org) if m_org else np.empty(0, dtype=np.int64)
    m_until_a = np.concatenate(m_until) if m_until else np.empty(0, dtype="datetime64[D]")
    # a territorial member that left its council dissolved: it stops appearing
    left = ~np.isnat(m_until_a)
    terr_left = left & (b.column("orientation")[m_org_a] == TERRITORIAL)
    if terr_left.any():
        fy_left = fiscal_year_of(m_until_a[terr_left]) + 1
        np.minimum.at(dormant, m_org_a[terr_left], fy_left)
    # members of a council stay active while members (thematic groups included)
    stay = ~left
    np.maximum.at(dormant, m_org_a[stay], NEVER_DORMANT)

    talent_skills, registered, activity = _talents(rng)
    return Population(
        kind=kind, ward=b.column("ward"), orientation=b.column("orientation"),
        fields=b.column("fields"), founded=b.column("founded"), dormant_fy=dormant,
        soc=b.column("soc").astype(float), name=b.column("name"),
        councils=np.asarray(councils, dtype=np.int64), council_members=council_members,
        m_org=m_org_a,
        m_council=np.concatenate(m_council) if m_council else np.empty(0, dtype=np.int64),
        m_since=np.concatenate(m_since) if m_since else np.empty(0, dtype="datetime64[D]"),
        m_until=m_until_a, talent_skills=talent_skills, talent_registered=registered,
        talent_activity=activity,
    )


def _talents(rng: np.random.Generator):
    """131 talents registered 2014-04-01 … 2019-08-31 (1(1)イ②); a third at the start."""
    n = cal.N_TALENTS
    start = np.datetime64(cal.TALENT_BANK_START, "D")
    figure = np.datetime64(cal.TALENT_FIGURE_DATE, "D")
    n_initial = n // 3
    registered = np.concatenate([
        random_dates(rng, start, start + 29, n_initial),
        random_dates(rng, start + 30, figure, n - n_initial),
    ])
    registered.sort()
    names = list(cal.TALENT_SKILLS)
    masks = sample_fields(rng, n, {i + 1: w for i, w in enumerate(cal.TALENT_SKILLS.values())},
                          mean_extra=0.8, max_fields=3)
    skills = [tuple(names[i] for i in range(len(names)) if int(m) >> (i + 1) & 1) for m in masks]
    activity = rng.lognormal(0.0, 0.8, n)
    return skills, registered, activity
