"""What the organisations of a region do, fiscal year by fiscal year.

Each fiscal year, in this order: events and who attends them; talent dispatches; resource
offers; grants and awards; collaborations. Collaborations are drawn from candidate pairs
(organisations that met at events in *earlier* years, that share a ward or a neighbouring
ward, company–thematic and council–thematic pairs, pairs that had the same talent) and kept
with a probability that grows with the pair's features (same ward, neighbouring ward, shared
NPO fields, territorial↔thematic complementarity, earlier co-attendance, shared talent,
resource match, company–NPO, sociability), so an introduction model trained up to fiscal
year T has signal to find the ties that first appear after T.

What lives where:

* :mod:`synth.activity.state` — :func:`org_classes` (behaviour classes ``C_ASSOC`` …
  ``C_INTER``) and :class:`ActivityState`, everything the yearly steps share;
* :mod:`synth.activity.draws` — weighted draws of organisations (``topk``, ``draw``,
  ``WardSampler``);
* :mod:`synth.activity.events` — :data:`EVENT_KINDS`, ``simulate_events`` and the
  co-attendance counts (``update_co_attendance``);
* :mod:`synth.activity.programmes` — talent dispatches, resource offers, grants and awards;
* :mod:`synth.activity.collaborations` — :data:`COLLAB_WEIGHTS`, ``simulate_collaborations``;
* :mod:`synth.activity.simulation` — :func:`simulate`, the yearly loop and its records.

Helpers the submodules share with each other (``ActivityState``, ``topk``,
``simulate_events`` …) are public in their submodule but not re-exported here.

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

from synth.activity.collaborations import COLLAB_WEIGHTS
from synth.activity.events import EVENT_KINDS
from synth.activity.simulation import simulate
from synth.activity.state import org_classes

__all__ = ["EVENT_KINDS", "COLLAB_WEIGHTS", "org_classes", "simulate"]
