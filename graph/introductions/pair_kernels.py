"""Compiled loops over pairs of sparse rows (numba, ``nogil``): the signals and shared partners
of many ``(u, v)`` pairs without building a sparse matrix per pair block.

* :func:`row_dots` — ``L[u] · R[v]`` for each pair: the two sorted rows merged once, the
  products summed in column order — the order of the matrix product ``L[rows] @ Rᵀ`` that
  ranks the pairs (``graph.introductions.scoring.score_block``), so a pair's signal is the
  same number in its ranking and in its reasons;
* :func:`common_first` — how many columns the rows ``A[u]`` and ``A[v]`` share, and the three
  shared columns of smallest ``rank`` (the partners a reason names).

They take a CSR matrix's arrays (``indptr``, ``indices``, ``data``; C-contiguous, indices
sorted within each row, both index arrays int32 or both int64 — :func:`sorted_arrays` gives
them) and int64 pair positions. As in ``graph.measures.kernels`` the signatures are given, so
they are compiled or loaded from the cache when this module is imported.

Examples
--------
>>> import scipy.sparse as sp
>>> A = sp.csr_matrix(np.array([[0, 1, 1, 0], [1, 0, 1, 1], [1, 1, 0, 0], [0, 1, 0, 0.]]))
>>> arrays = sorted_arrays(A)
>>> row_dots(*arrays, *arrays, np.array([0, 2]), np.array([1, 3])).tolist()
[1.0, 1.0]
>>> counts, first = common_first(*arrays[:2], np.array([0]), np.array([1]), np.arange(4))
>>> counts.tolist(), first.tolist()
([1], [[2, -1, -1]])
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["common_first", "row_dots", "sorted_arrays"]

_INDEX_TYPES = (numba.int32, numba.int64)
_PAIRS = numba.int64[::1]
_DOT_SIGNATURES = [(index[::1], index[::1], numba.float64[::1],
                    index[::1], index[::1], numba.float64[::1], _PAIRS, _PAIRS)
                   for index in _INDEX_TYPES]
_COMMON_SIGNATURES = [(index[::1], index[::1], _PAIRS, _PAIRS, numba.int64[::1])
                      for index in _INDEX_TYPES]


def sorted_arrays(matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(indptr, indices, data)`` of a CSR matrix with each row's indices sorted, one index
    dtype, float64 data, C-contiguous (the matrix itself is left as it is).

    >>> import scipy.sparse as sp
    >>> [a.dtype.name for a in sorted_arrays(sp.csr_matrix(np.eye(2)))]
    ['int32', 'int32', 'float64']
    """
    if not matrix.has_sorted_indices:
        matrix = matrix.copy()
        matrix.sort_indices()
    dtype = np.result_type(matrix.indptr, matrix.indices)
    return (np.ascontiguousarray(matrix.indptr, dtype=dtype),
            np.ascontiguousarray(matrix.indices, dtype=dtype),
            np.ascontiguousarray(matrix.data, dtype=np.float64))


@numba.njit(_DOT_SIGNATURES, nogil=True, cache=True)
def row_dots(l_indptr, l_indices, l_data, r_indptr, r_indices, r_data, us, vs):
    """``Σ_c L[us[i], c] · R[vs[i], c]`` for each pair ``i`` (float64).

    >>> import scipy.sparse as sp
    >>> arrays = sorted_arrays(sp.csr_matrix(np.array([[1.0, 2.0], [0.0, 3.0]])))
    >>> row_dots(*arrays, *arrays, np.array([0]), np.array([1])).tolist()
    [6.0]
    """
    out = np.zeros(len(us))
    for i in range(len(us)):
        a, a_end = l_indptr[us[i]], l_indptr[us[i] + 1]
        b, b_end = r_indptr[vs[i]], r_indptr[vs[i] + 1]
        total = 0.0
        while a < a_end and b < b_end:
            ca, cb = l_indices[a], r_indices[b]
            if ca == cb:
                total += l_data[a] * r_data[b]
                a += 1
                b += 1
            elif ca < cb:
                a += 1
            else:
                b += 1
        out[i] = total
    return out


@numba.njit(_COMMON_SIGNATURES, nogil=True, cache=True)
def common_first(indptr, indices, us, vs, rank):
    """Per pair ``i``: the number of columns rows ``us[i]`` and ``vs[i]`` share, and the (up
    to) three shared columns of smallest ``rank``, in rank order (``-1`` pads).

    >>> counts, first = common_first(np.array([0, 2, 4]), np.array([0, 1, 0, 1]),
    ...                              np.array([0]), np.array([1]), np.array([5, 4]))
    >>> counts.tolist(), first.tolist()
    ([2], [[1, 0, -1]])
    """
    counts = np.zeros(len(us), dtype=np.int64)
    first = np.full((len(us), 3), -1, dtype=np.int64)
    for i in range(len(us)):
        a, a_end = indptr[us[i]], indptr[us[i] + 1]
        b, b_end = indptr[vs[i]], indptr[vs[i] + 1]
        found = 0
        while a < a_end and b < b_end:
            ca, cb = indices[a], indices[b]
            if ca == cb:
                found += 1
                slot = min(found, 3) - 1  # insert ca by rank among the kept (at most 3)
                if found <= 3 or rank[ca] < rank[first[i, 2]]:
                    while slot > 0 and rank[first[i, slot - 1]] > rank[ca]:
                        first[i, slot] = first[i, slot - 1]
                        slot -= 1
                    first[i, slot] = ca
                a += 1
                b += 1
            elif ca < cb:
                a += 1
            else:
                b += 1
        counts[i] = found
    return counts, first
