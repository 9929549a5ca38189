"""`simulate`: run the yearly steps for a region and return the records as column arrays."""

from __future__ import annotations

import numpy as np

from ingest.schemas import WARDS
from synth.activity.collaborations import simulate_collaborations
from synth.activity.events import simulate_events, update_co_attendance
from synth.activity.programmes import simulate_awards, simulate_dispatches, simulate_resources
from synth.activity.state import ActivityState
from synth.population import Population, Region, fy_end

__all__ = ["simulate"]


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
    st = ActivityState(pop, region, first_fy, last_fy)
    series_start = {w: first_fy + (0 if region.wards[0] == WARDS[w] or w == WARDS.index("西淀川区")
                                   else int(rng.integers(0, 4)))
                    for w in st.full_wards}
    for fy in range(first_fy, last_fy + 1):
        st.active = (pop.dormant_fy > fy) & (pop.soc > 0) & (pop.founded <= fy_end(fy))
        first_event = len(st.events)
        simulate_events(rng, st, fy, series_start)
        simulate_dispatches(rng, st, fy)
        simulate_resources(rng, st, fy)
        simulate_awards(rng, st, fy)
        simulate_collaborations(rng, st, fy)
        update_co_attendance(st, first_event)
        if on_year is not None:
            on_year(fy)
    return _records(st)


def _stack(parts: list[dict], keys: tuple[str, ...]) -> dict:
    if not parts:
        return {k: np.empty(0) for k in keys}
    return {k: np.concatenate([p[k] for p in parts]) for k in keys}


def _records(st: ActivityState) -> dict:
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
