"""The progress bar of reading and writing a dataset (on a terminal only)."""

from __future__ import annotations

import sys

__all__ = ["progress"]


def progress(iterable=None, *, total=None, desc="", enabled=None, unit="step"):
    """A tqdm progress bar on stderr when stderr is a terminal, silent otherwise.

    ``unit`` other than ``"step"`` (``"B"``, ``"row"``) scales the counts (k, M).

    >>> list(progress([1, 2], desc="demo", enabled=False))
    [1, 2]
    """
    from tqdm import tqdm

    if enabled is None:
        enabled = bool(getattr(sys.stderr, "isatty", lambda: False)())
    return tqdm(iterable, total=total, desc=desc, disable=not enabled, file=sys.stderr,
                leave=False, unit=unit, unit_scale=unit != "step")
