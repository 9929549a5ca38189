"""Collaborations, each fiscal year: candidate pairs drawn from several sources, kept with a
probability that grows with the pair's features (:data:`COLLAB_WEIGHTS`).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from synth.activity.draws import WardSampler, draw
from synth.activity.state import (
    C_ASSOC,
    C_COMPANY,
    C_COUNCIL,
    C_INTER,
    C_PUBLIC,
    C_THEM,
    ActivityState,
)
from synth.population import NO_ORIENTATION, fy_end, fy_start, random_dates

__all__ = ["COLLAB_WEIGHTS", "COLLAB_RATE", "simulate_collaborations"]

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


def simulate_collaborations(rng, st: ActivityState, fy: int) -> None:
    """Add fiscal year ``fy``'s collaborations to ``st``: candidate pairs from every source,
    the ``COLLAB_RATE`` × active core organisations best-scoring kept (Gumbel noise).

    >>> from synth.population import Region, build_population
    >>> rng = np.random.default_rng(0)
    >>> pop = build_population(rng, Region.ward(), first_fy=2019, last_fy=2019)
    >>> st = ActivityState(pop, Region.ward(), 2019, 2019)
    >>> st.active = (pop.dormant_fy > 2019) & (pop.soc > 0)
    >>> simulate_collaborations(rng, st, 2019)
    >>> bool((st.out["collaborations"][0]["n_orgs"] >= 2).all())
    True
    """
    pop = st.pop
    act = st.active
    core = act & np.isin(st.cls, (C_COUNCIL, C_THEM, C_COMPANY, C_PUBLIC, C_INTER))
    k_ties = int(rng.poisson(COLLAB_RATE * core.sum()))
    if k_ties == 0:
        return
    m = _CANDIDATES_PER_TIE * k_ties
    w = np.where(act, pop.soc * _CLASS_COLLAB[st.cls], 0.0)
    sampler = WardSampler(pop.ward, w)
    them_sampler = WardSampler(pop.ward, w * (st.cls == C_THEM))
    a_list, b_list = [], []

    def take(share):
        return int(round(m * share))

    # earlier co-attendance
    upper = sp.triu(st.co, k=1).tocoo()
    if upper.nnz:
        keep = act[upper.row] & act[upper.col]
        rows, cols, data = upper.row[keep], upper.col[keep], upper.data[keep].astype(float)
        if len(rows):
            pick = draw(rng, data, take(_SOURCE_SHARES["co_attendance"]))
            a_list.append(rows[pick])
            b_list.append(cols[pick])
    # same ward
    a = draw(rng, w, take(_SOURCE_SHARES["same_ward"]))
    a_list.append(a)
    b_list.append(sampler.draw(rng, pop.ward[a]))
    # neighbouring ward (inside the region)
    a = draw(rng, w, take(_SOURCE_SHARES["neighbour_ward"]))
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
    a = draw(rng, w * (st.cls == C_COMPANY), take(_SOURCE_SHARES["company_thematic"]))
    b = draw(rng, w * (st.cls == C_THEM), len(a))
    n_ab = min(len(a), len(b))
    a_list.append(a[:n_ab])
    b_list.append(b[:n_ab])
    a = draw(rng, w * (st.cls == C_COUNCIL), take(_SOURCE_SHARES["council_thematic"]))
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


def _pair_scores(st: ActivityState, a: np.ndarray, b: np.ndarray, keys: np.ndarray) -> np.ndarray:
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
