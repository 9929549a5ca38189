"""The sources of an organisation tie and their multipliers.

:data:`TIE_PARTS` names the four sources of a tie (its edge attributes in
:func:`graph.build.tie_graph`), :data:`DEFAULT_TIE_WEIGHTS` gives each the multiplier 1 and
:func:`tie_weights` merges a caller's multipliers over them, checked.

Examples
--------
>>> TIE_PARTS[0], DEFAULT_TIE_WEIGHTS["shared_dispatch"]
('collaboration', 1.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

from graph.errors import GraphError

__all__ = ["TIE_PARTS", "DEFAULT_TIE_WEIGHTS", "tie_weights"]

#: The sources of an organisation tie, in the order of the edge attributes.
TIE_PARTS: tuple[str, ...] = ("collaboration", "co_participation", "co_membership", "shared_dispatch")

#: Default multiplier of each tie source (read-only; pass ``weights={...}`` to change some).
#: Equal weights are the neutral choice: the 1/(n−1) normalisation already gives every
#: organisation at most 1 unit of tie strength per shared event, council or talent, the same
#: as one two-party collaboration.
DEFAULT_TIE_WEIGHTS: Mapping[str, float] = MappingProxyType({part: 1.0 for part in TIE_PARTS})


def tie_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """The tie multipliers: ``weights`` merged over :data:`DEFAULT_TIE_WEIGHTS`, checked.

    Raises
    ------
    GraphError
        For an unknown part or a weight that is not a finite number ≥ 0.

    Examples
    --------
    >>> tie_weights({"collaboration": 2})["collaboration"], tie_weights()["co_membership"]
    (2.0, 1.0)
    """
    return _tie_weights(weights)


def _tie_weights(weights) -> dict[str, float]:
    merged = dict(DEFAULT_TIE_WEIGHTS)
    if weights is None:
        return merged
    if not isinstance(weights, Mapping):
        raise GraphError(f"weights: expected a mapping part → number, got {type(weights).__name__}")
    for part, value in weights.items():
        if part not in merged:
            raise GraphError(f"weights: unknown part {part!r}; parts are {', '.join(TIE_PARTS)}")
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) \
                or not np.isfinite(value) or value < 0:
            raise GraphError(f"weights[{part!r}]: expected a finite number ≥ 0, got {value!r}")
        merged[part] = float(value)
    return merged
