"""`ActivityState`: everything the yearly steps share, and the organisations' behaviour classes."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ingest.schemas import WARDS
from synth import calibration as cal
from synth.population import KIND, THEMATIC, Population, Region

__all__ = ["C_ASSOC", "C_TERR", "C_COUNCIL", "C_THEM", "C_COMPANY", "C_PUBLIC", "C_INTER",
           "org_classes", "ActivityState"]

# Organisation classes, the index of the behaviour tables of events, programmes and collaborations.
C_ASSOC, C_TERR, C_COUNCIL, C_THEM, C_COMPANY, C_PUBLIC, C_INTER = range(7)
_NEIGHBOUR_VISIT = 0.12   # weight of a full neighbouring ward's organisation at a ward event


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


class ActivityState:
    """Everything the yearly steps share.

    >>> from synth.population import Region, build_population
    >>> pop = build_population(np.random.default_rng(0), Region.ward(), first_fy=2019, last_fy=2019)
    >>> st = ActivityState(pop, Region.ward(), 2019, 2019)
    >>> st.n == pop.size, [st.region.wards[0]]
    (True, ['西淀川区'])
    """

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
