"""The organisations, council memberships and talents of one synthetic region.

A *region* is a set of wards generated together in memory: one ward and a few of its
neighbours (``ward`` scale), the 24 wards of Osaka (``city``), or one synthetic municipality
shaped like Osaka (one chunk of ``nation``). Everything here is numpy arrays indexed by a
region-local organisation number; the writer turns them into ``S-`` ids.

What lives where:

* :mod:`synth.population.sampling` — :func:`fy_start`, :func:`fy_end` (fiscal-year bounds as
  dates), :func:`random_dates`, :func:`sample_fields` (NPO field sets as bit masks);
* :mod:`synth.population.regions` — :class:`Region`, the wards generated together;
* :mod:`synth.population.organisations` — the codes :data:`KIND`, :data:`TERRITORIAL`,
  :data:`THEMATIC`, :data:`NO_ORIENTATION`, and the blocks of thematic groups and companies;
* :mod:`synth.population.build` — :class:`Population`, :func:`council_allocation`,
  :func:`build_population` (councils, their members, talents).

Helpers the submodules share with each other (``OrgBuilder``, ``add_thematic_groups``,
``field_mask`` …) are public in their submodule but not re-exported here.

Examples
--------
>>> import numpy as np
>>> region = Region.osaka()
>>> pop = build_population(np.random.default_rng(0), region, first_fy=2014, last_fy=2016)
>>> int((pop.kind == KIND["council"]).sum())
326
"""

from synth.population.build import Population, build_population, council_allocation
from synth.population.organisations import KIND, NO_ORIENTATION, TERRITORIAL, THEMATIC
from synth.population.regions import Region
from synth.population.sampling import fy_end, fy_start, random_dates, sample_fields

__all__ = [
    "KIND",
    "TERRITORIAL",
    "THEMATIC",
    "NO_ORIENTATION",
    "Region",
    "Population",
    "council_allocation",
    "build_population",
    "fy_start",
    "fy_end",
    "random_dates",
    "sample_fields",
]
