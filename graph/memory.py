"""Handing freed memory back to the system between the big steps of an analysis.

Examples
--------
>>> return_freed_memory()
"""

from __future__ import annotations

import ctypes
import sys

__all__ = ["return_freed_memory"]


def _malloc_trim():
    """glibc's ``malloc_trim`` from the symbols already loaded, or None (macOS, Windows, musl)."""
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except (OSError, TypeError):
        return None


_MALLOC_TRIM = _malloc_trim()


def return_freed_memory() -> None:
    """Ask the C allocator to hand freed heap pages back to the system (glibc's
    ``malloc_trim``; nothing happens where there is no such function), and Arrow's memory
    pool to hand back what it keeps cached.

    networkit keeps a graph's adjacency in many small C++ vectors. Once the graph is freed,
    glibc keeps those pages in the process — ≈ 1 GiB after the nation's Leiden, 230 MiB at
    1/10 nation — where numpy's large arrays, mapped separately, cannot reuse them.
    Arrow's pool (mimalloc in the pyarrow wheels) keeps the buffers of freed string columns
    for reuse: ≈ 0.45 GiB after the nation's connector ranking, which takes and converts the
    text columns of a million organisations.
    Called after each stage of ``graph.analysis`` and after a Leiden run.

    >>> return_freed_memory()
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
    arrow = sys.modules.get("pyarrow")  # not loaded: it holds nothing
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
