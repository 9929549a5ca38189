"""Compiled loops over pairs of sparse rows (numba, ``nogil``): the signals and shared partners
of many ``(u, v)`` pairs without building a sparse matrix per pair block.

* :func:`row_dots` — ``L[u] · R[v]`` for each pair: the two sorted rows merged once, the
  products summed in column order — the order of the matrix product ``L[rows] @ Rᵀ`` that
  ranks the pairs (``graph.introductions.scoring.score_block``), so a pair's signal is the
  same number in its ranking and in its reasons;
* :func:`common_first` — how many columns the rows ``A[u]`` and ``A[v]`` share, and the three
  shared columns of smallest ``rank`` (the partners a reason names);
* :func:`splitmix_jitter` — the seeded tie-breaker of a pair (a ufunc: broadcasts), one pass
  instead of the dozen temporary arrays of the same arithmetic in numpy;
* :func:`add_block_product` — add one weighted signal of a block of rows against some columns,
  ``L[rows] @ T``, into a dense block: the sums of scipy's sparse product, in its order (so
  the same bits), without building the product.

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

from graph.measures.kernels import index_arrays

__all__ = ["add_block_product", "common_first", "csr_arrays", "row_dots", "sorted_arrays",
           "splitmix_jitter"]

_INDEX_TYPES = (numba.int32, numba.int64)
_PAIRS = numba.int64[::1]
_DOT_SIGNATURES = [(index[::1], index[::1], numba.float64[::1],
                    index[::1], index[::1], numba.float64[::1], _PAIRS, _PAIRS)
                   for index in _INDEX_TYPES]
_COMMON_SIGNATURES = [(index[::1], index[::1], _PAIRS, _PAIRS, numba.int64[::1])
                      for index in _INDEX_TYPES]
_BLOCK_SIGNATURES = [(numba.float64[:, ::1], _PAIRS, left[::1], left[::1], numba.float64[::1],
                      right[::1], right[::1], numba.float64[::1], numba.float64, numba.boolean)
                     for left in _INDEX_TYPES for right in _INDEX_TYPES]


def csr_arrays(matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(indptr, indices, data)`` of a CSR matrix as the kernels take them:
    ``graph.measures.kernels.index_arrays`` and float64 data, C-contiguous (copies only where
    the matrix's own arrays are not).

    >>> import scipy.sparse as sp
    >>> [a.dtype.name for a in csr_arrays(sp.csr_matrix(np.eye(2)))]
    ['int32', 'int32', 'float64']
    """
    indptr, indices = index_arrays(matrix)
    return indptr, indices, np.ascontiguousarray(matrix.data, dtype=np.float64)


def sorted_arrays(matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`csr_arrays` with each row's indices sorted (the matrix itself is left as it is).

    >>> import scipy.sparse as sp
    >>> sorted_arrays(sp.csr_matrix(np.eye(2)))[1].tolist()
    [0, 1]
    """
    if not matrix.has_sorted_indices:
        matrix = matrix.copy()
        matrix.sort_indices()
    return csr_arrays(matrix)


@numba.njit(nogil=True, cache=True)
def _next_common(left, a, a_end, right, b, b_end):
    """From positions ``a`` and ``b`` of two sorted index runs, the positions of their next
    common column (``a_end, b_end`` when there is none)."""
    while a < a_end and b < b_end:
        if left[a] == right[b]:
            return a, b
        if left[a] < right[b]:
            a += 1
        else:
            b += 1
    return a_end, b_end


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
        a_end, b_end = l_indptr[us[i] + 1], r_indptr[vs[i] + 1]
        a, b = _next_common(l_indices, l_indptr[us[i]], a_end, r_indices, r_indptr[vs[i]], b_end)
        total = 0.0
        while a < a_end:
            total += l_data[a] * r_data[b]
            a, b = _next_common(l_indices, a + 1, a_end, r_indices, b + 1, b_end)
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
        a_end, b_end = indptr[us[i] + 1], indptr[vs[i] + 1]
        a, b = _next_common(indices, indptr[us[i]], a_end, indices, indptr[vs[i]], b_end)
        found = 0
        while a < a_end:
            column = indices[a]
            found += 1
            slot = min(found, 3) - 1  # insert the column by rank among the kept (at most 3)
            if found <= 3 or rank[column] < rank[first[i, 2]]:
                while slot > 0 and rank[first[i, slot - 1]] > rank[column]:
                    first[i, slot] = first[i, slot - 1]
                    slot -= 1
                first[i, slot] = column
            a, b = _next_common(indices, a + 1, a_end, indices, b + 1, b_end)
        counts[i] = found
    return counts, first


_GOLDEN, _MIX1, _MIX2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), \
    np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_JITTER_SCALE = 2.0 ** -53 * 1e-9


@numba.vectorize([numba.float64(numba.uint64, numba.uint64, numba.uint64)], cache=True)
def splitmix_jitter(seed, row, col):
    """A value in ``[0, 1e-9)`` from a splitmix64 hash of ``(seed, row, col)`` (uint64,
    arithmetic modulo 2⁶⁴) — ``graph.introductions.scoring.pair_jitter`` computes it.

    >>> v = splitmix_jitter(np.uint64(0), np.uint64(3), np.array([5, 9], dtype=np.uint64))
    >>> bool((v >= 0).all() and (v < 1e-9).all() and v[0] != v[1])
    True
    """
    z = seed * _GOLDEN + row * _MIX1 + col * _MIX2
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    z = z ^ (z >> _S31)
    return numba.float64(z >> _S11) * _JITTER_SCALE



@numba.njit(_BLOCK_SIGNATURES, nogil=True, cache=True)
def add_block_product(out, rows, l_indptr, l_indices, l_data, t_indptr, t_indices, t_data,
                      weight, log):
    """``out[r, k] += weight · f(Σ_j L[rows[r], j] · T[j, k])`` wherever the sum has a term,
    ``f`` = ``log1p`` if ``log`` else the identity: the same bits as scipy's
    ``P = L[rows] @ T; P.data = f(P.data) * weight; out += P.toarray()``, because each sum
    runs over ``L``'s row in its stored order from 0, as scipy's product does.

    >>> out = np.zeros((1, 2))
    >>> arrays = (np.array([0, 2]), np.array([0, 1]), np.array([1.0, 2.0]))
    >>> add_block_product(out, np.array([0]), *arrays, np.array([0, 1, 2]), np.array([1, 0]),
    ...                   np.array([3.0, 4.0]), 0.5, False)
    >>> out.tolist()
    [[4.0, 1.5]]
    """
    width = out.shape[1]
    sums = np.zeros(width)
    seen = np.zeros(width, dtype=np.bool_)
    touched = np.empty(width, dtype=np.int64)
    for r in range(len(rows)):
        count = 0
        for a in range(l_indptr[rows[r]], l_indptr[rows[r] + 1]):
            j, value = l_indices[a], l_data[a]
            for b in range(t_indptr[j], t_indptr[j + 1]):
                k = t_indices[b]
                if not seen[k]:
                    seen[k] = True
                    touched[count] = k
                    count += 1
                sums[k] += value * t_data[b]
        for t in range(count):
            k = touched[t]
            total = np.log1p(sums[k]) if log else sums[k]
            out[r, k] += total * weight
            sums[k] = 0.0
            seen[k] = False
