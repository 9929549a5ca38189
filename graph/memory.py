"""Handing freed memory back to the system between the big steps of an analysis.

Examples
--------
>>> return_freed_memory()
"""

from __future__ import annotations

import ctypes

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
    ``malloc_trim``; nothing happens where there is no such function).

    networkit keeps a graph's adjacency in many small C++ vectors. Once the graph is freed,
    glibc keeps those pages in the process — ≈ 1 GiB after the nation's Leiden, 230 MiB at
    1/10 nation — where numpy's large arrays, mapped separately, cannot reuse them.
    Called after each stage of ``graph.analysis`` and after a Leiden run.

    >>> return_freed_memory()
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
