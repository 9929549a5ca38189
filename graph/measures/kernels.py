"""Compiled loops of the path and Burt measures (numba, ``nogil``: they run on threads).

* :func:`brandes_pass` — Brandes' algorithm from a set of sources: one breadth-first search
  per source that keeps the shortest-path DAG, then the dependencies pulled back along the
  DAG only, so a source costs its component's ties once (the sparse × dense form of earlier
  versions multiplied the whole adjacency once per breadth-first level);
* :func:`burt_ties` — Burt's constraint and redundancy read from the 2-paths that close on
  each tie, once per tie, without building the 2-path product;
* :func:`forward_triangles` — the triangles through each node, each triangle found once
  from its lowest-ranked corner (the "forward" algorithm of Schank and Wagner, 2005).

They take a CSR matrix's arrays (``indptr``, ``indices``, ``data``; C-contiguous, the two
index arrays both int32 or both int64, as scipy makes them) without self-ties: symmetric for
the first two, each tie once (its forward half) for the triangles. The signatures are
given, so the kernels are compiled, or loaded from the cache next to this file
(``cache=True``), when this module is imported: compiling takes a few seconds once per
machine, loading ≈ 0.4 s per process; a run never pays either inside an analysis.

Examples
--------
>>> import numpy as np
>>> indptr, indices = np.array([0, 1, 3, 4]), np.array([1, 0, 2, 1])  # the path 0 – 1 – 2
>>> dependency, _, inverse, _ = brandes_pass(indptr, indices, np.arange(3))
>>> dependency.tolist(), inverse.tolist()
([0.0, 2.0, 0.0], [1.5, 2.0, 1.5])
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["brandes_pass", "burt_ties", "forward_triangles", "index_arrays"]

_INDEX_TYPES = (numba.int32, numba.int64)
_BRANDES_SIGNATURES = [(index[::1], index[::1], numba.int64[::1]) for index in _INDEX_TYPES]
_BURT_SIGNATURES = [(index[::1], index[::1], numba.float64[::1], numba.float64[::1],
                     numba.float64[::1], numba.int64, numba.int64) for index in _INDEX_TYPES]
_TRIANGLE_SIGNATURES = [(index[::1], index[::1]) for index in _INDEX_TYPES]


def index_arrays(matrix) -> tuple[np.ndarray, np.ndarray]:
    """A CSR matrix's ``indptr`` and ``indices`` in one index dtype, C-contiguous (no copy
    when they already are).

    >>> import scipy.sparse as sp
    >>> [a.dtype.name for a in index_arrays(sp.csr_array(np.eye(2)))]
    ['int32', 'int32']
    """
    dtype = np.result_type(matrix.indptr, matrix.indices)
    return (np.ascontiguousarray(matrix.indptr, dtype=dtype),
            np.ascontiguousarray(matrix.indices, dtype=dtype))


@numba.njit(_BRANDES_SIGNATURES, nogil=True, cache=True)
def brandes_pass(indptr, indices, sources):
    """Per node v, the sums over ``sources`` s ≠ v of δ_s(v), δ_s(v)², 1/d(s, v) and
    1/d(s, v)² (hop distances; 0 when v is unreachable from s), as four float64 arrays.

    >>> import numpy as np
    >>> star = (np.array([0, 2, 3, 4]), np.array([1, 2, 0, 0]))  # 0 is the hub of 1 and 2
    >>> [x.tolist() for x in brandes_pass(*star, np.array([1]))]
    [[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 0.0, 0.5], [1.0, 0.0, 0.25]]
    """
    n = len(indptr) - 1
    dependency = np.zeros(n)
    dependency_sq = np.zeros(n)
    inverse = np.zeros(n)
    inverse_sq = np.zeros(n)
    distance = np.full(n, -1, dtype=np.int32)
    sigma = np.zeros(n)
    delta = np.zeros(n)
    order = np.empty(n, dtype=np.int32)  # breadth-first order of the search
    first = np.empty(n + 1, dtype=np.int64)  # order[t]'s successors: first[t] … first[t+1]−1
    successors = np.empty(len(indices), dtype=indices.dtype)
    for s in sources:
        distance[s] = 0
        sigma[s] = 1.0
        order[0] = s
        head, tail, count = 0, 1, 0
        while head < tail:  # breadth first, counting shortest paths, keeping the path DAG
            v = order[head]
            first[head] = count
            head += 1
            step = distance[v] + 1
            for p in range(indptr[v], indptr[v + 1]):
                w = indices[p]
                if distance[w] < 0:
                    distance[w] = step
                    order[tail] = w
                    tail += 1
                if distance[w] == step:
                    sigma[w] += sigma[v]
                    successors[count] = w
                    count += 1
        first[tail] = count
        for t in range(tail - 1, -1, -1):  # farthest first: a successor's δ is complete
            v = order[t]
            pulled = 0.0
            for e in range(first[t], first[t + 1]):
                w = successors[e]
                pulled += (1.0 + delta[w]) / sigma[w]
            delta[v] = sigma[v] * pulled
            if t > 0:
                d = distance[v]
                inverse[v] += 1.0 / d
                inverse_sq[v] += 1.0 / (d * d)
                dependency[v] += delta[v]
                dependency_sq[v] += delta[v] * delta[v]
        for t in range(tail):  # reset only what this search touched
            w = order[t]
            distance[w] = -1
            sigma[w] = 0.0
            delta[w] = 0.0
    return dependency, dependency_sq, inverse, inverse_sq


@numba.njit(_BURT_SIGNATURES, nogil=True, cache=True)
def burt_ties(indptr, indices, weights, inv_strength, inv_max, start, stop):
    """Burt's constraint and redundancy terms of the ties i – j with i in ``start … stop − 1``
    and j > i, added to both ends: two float64 arrays over all nodes (rows ``indices``
    sorted).

    With w the tie weights, s the strengths and m each organisation's largest tie weight
    (``inv_strength`` = 1/s, ``inv_max`` = 1/m, 0 where undefined), for i and each partner j:

    * constraint(i) = Σ_j ((w_ij + Σ_q w_iq w_qj / s_q) / s_i)²;
    * redundancy(i) = Σ_j (Σ_q w_iq w_qj) / (s_i m_j), so effective size = degree − redundancy;

    q running over the partners i and j share. Both inner sums are symmetric in i and j, so
    each is found once per tie, from its smaller end: i's partners are marked, then every
    2-path i – q – j with j > i ending on a mark adds to j's two sums (q's row read from its
    end down to i).

    >>> import numpy as np
    >>> triangle = (np.array([0, 2, 4, 6]), np.array([1, 2, 0, 2, 0, 1]), np.ones(6))
    >>> half = np.full(3, 0.5)
    >>> [x.tolist() for x in burt_ties(*triangle, half, np.ones(3), 0, 3)]
    [[1.125, 1.125, 1.125], [1.0, 1.0, 1.0]]
    """
    n = len(indptr) - 1
    constraint = np.zeros(n)
    redundancy = np.zeros(n)
    marked = np.zeros(n, dtype=np.bool_)
    via_strength = np.zeros(n)
    via = np.zeros(n)
    for i in range(start, stop):
        first, last = indptr[i], indptr[i + 1]
        for p in range(first, last):
            marked[indices[p]] = True
        for p in range(first, last):
            q = indices[p]
            w_iq = weights[p]
            for r in range(indptr[q + 1] - 1, indptr[q] - 1, -1):
                j = indices[r]
                if j <= i:
                    break
                if marked[j]:
                    product = w_iq * weights[r]
                    via_strength[j] += product * inv_strength[q]
                    via[j] += product
        for p in range(first, last):
            j = indices[p]
            marked[j] = False
            if j > i:
                closed = weights[p] + via_strength[j]
                x = closed * inv_strength[i]
                y = closed * inv_strength[j]
                constraint[i] += x * x
                constraint[j] += y * y
                redundancy[i] += via[j] * inv_strength[i] * inv_max[j]
                redundancy[j] += via[j] * inv_strength[j] * inv_max[i]
                via_strength[j] = 0.0
                via[j] = 0.0
    return constraint, redundancy


@numba.njit(_TRIANGLE_SIGNATURES, nogil=True, cache=True)
def forward_triangles(indptr, indices):
    """Triangles through each node of a graph given as its *forward* CSR: row a holds the
    partners of a ranked after it (each tie once, from its lower-ranked end; rank by degree
    keeps hubs' rows short). Returns float64 counts over the rows.

    Each triangle a < b < c is found once, from a: a's row is marked, and every b of it
    whose row holds a marked c closes one; all three corners are credited. The cost is
    Σ over ties (a, b) of b's forward degree, O(m^1.5) with the degree ranking.

    >>> import numpy as np
    >>> forward_triangles(np.array([0, 2, 3, 3]), np.array([1, 2, 2]))  # one triangle
    array([1., 1., 1.])
    """
    n = len(indptr) - 1
    triangles = np.zeros(n)
    marked = np.zeros(n, dtype=np.bool_)
    for a in range(n):
        first, last = indptr[a], indptr[a + 1]
        for p in range(first, last):
            marked[indices[p]] = True
        for p in range(first, last):
            b = indices[p]
            for r in range(indptr[b], indptr[b + 1]):
                c = indices[r]
                if marked[c]:
                    triangles[a] += 1.0
                    triangles[b] += 1.0
                    triangles[c] += 1.0
        for p in range(first, last):
            marked[indices[p]] = False
    return triangles
