"""The array core of the analysis: organisations as int32 codes, ties as sparse arrays.

* :mod:`graph.core.ties` — :class:`TieCore`, the arrays, ``to_networkx``;
* :mod:`graph.core.sql` — the tie weighting as DuckDB group-bys;
* :mod:`graph.core.sources` — building a core from a ``Dataset``;
* :mod:`graph.core.store` — building a core straight from the DuckDB store.

See ``docs/core.md`` for the design and the measurements behind it.
"""

from graph.core.sources import core_from_dataset
from graph.core.ties import NO_DAY, TIE_PARTS, TieCore, day_to_date, days_to_dates

__all__ = ["NO_DAY", "TIE_PARTS", "TieCore", "core_from_dataset", "day_to_date",
           "days_to_dates"]
