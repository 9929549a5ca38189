"""The compiled pair kernels against scipy's sparse products (the code they replace)."""

import numpy as np
import pytest
import scipy.sparse as sp

from graph.introductions.pair_kernels import common_first, row_dots, sorted_arrays


def _random(n, m, density, seed, index_dtype=np.int32):
    M = sp.random(n, m, density=density, random_state=seed, format="csr")
    M.indices = M.indices.astype(index_dtype)
    M.indptr = M.indptr.astype(index_dtype)
    return M


@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_row_dots_are_the_bits_of_the_matrix_product_scores_use(seed, index_dtype):
    """``score_block`` ranks by ``L[rows] @ Rᵀ``: a pair's signal is the same number there."""
    rng = np.random.default_rng(seed)
    L, R = _random(300, 80, 0.1, seed, index_dtype), _random(250, 80, 0.15, seed + 7, index_dtype)
    us, vs = rng.integers(0, 300, 2000), rng.integers(0, 250, 2000)
    expected = (L[us] @ R.T.tocsr()).toarray()[np.arange(len(us)), vs]
    assert np.allclose(expected, np.asarray(L[us].multiply(R[vs]).sum(axis=1)).ravel())
    got = row_dots(*sorted_arrays(L), *sorted_arrays(R), us.astype(np.int64), vs.astype(np.int64))
    assert np.array_equal(got, expected)
    assert (got != 0).sum() > 100  # the pairs do overlap


def test_sorted_arrays_sort_a_matrix_with_unsorted_rows_without_changing_it():
    M = sp.csr_matrix((np.array([2.0, 1.0, 3.0]), np.array([2, 0, 1]), np.array([0, 2, 3])),
                      shape=(2, 3))
    M.has_sorted_indices = False
    indptr, indices, data = sorted_arrays(M)
    assert indices.tolist() == [0, 2, 1] and data.tolist() == [1.0, 2.0, 3.0]
    assert M.indices.tolist() == [2, 0, 1]
    assert row_dots(indptr, indices, data, indptr, indices, data,
                    np.array([0]), np.array([0])).tolist() == [5.0]


@pytest.mark.parametrize("seed", [0, 3])
def test_common_first_counts_and_names_the_three_of_smallest_rank(seed):
    rng = np.random.default_rng(seed)
    A = _random(200, 200, 0.08, seed)
    A = ((A + A.T) > 0).astype(float).tocsr()
    rank = rng.permutation(200).astype(np.int64)
    us, vs = rng.integers(0, 200, 3000), rng.integers(0, 200, 3000)
    counts, first = common_first(*sorted_arrays(A)[:2], us.astype(np.int64), vs.astype(np.int64),
                                 rank)
    for i in range(len(us)):
        shared = np.intersect1d(A[[us[i]]].indices, A[[vs[i]]].indices)
        assert counts[i] == len(shared)
        named = shared[np.argsort(rank[shared])][:3].tolist()
        assert first[i].tolist() == named + [-1] * (3 - len(named))
    assert counts.max() > 3  # the cap of three is exercised


def _numpy_splitmix_jitter(seed, rows, cols):
    """The numpy arithmetic ``pair_jitter`` used before the ufunc: the oracle of its bits."""
    with np.errstate(over="ignore"):
        z = (np.uint64(seed & 0xFFFFFFFF) * np.uint64(0x9E3779B97F4A7C15)
             + np.asarray(rows, dtype=np.uint64) * np.uint64(0xBF58476D1CE4E5B9)
             + np.asarray(cols, dtype=np.uint64) * np.uint64(0x94D049BB133111EB))
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (2.0 ** -53 * 1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2019, 2 ** 32 + 5])
def test_pair_jitter_is_the_bits_of_the_numpy_hash(seed):
    from graph.introductions.scoring import pair_jitter

    rng = np.random.default_rng(seed)
    rows = rng.integers(0, 2 ** 31, 500)
    cols = rng.integers(0, 2 ** 31, 700)
    expected = _numpy_splitmix_jitter(seed, rows[:, None], cols[None, :])
    got = pair_jitter(seed, rows[:, None], cols[None, :])
    assert got.shape == (500, 700) and np.array_equal(got, expected)
    assert pair_jitter(seed, int(rows[3]), int(cols[4])) == expected[3, 4]
    assert len(np.unique(got)) > 0.99 * got.size  # a tie-breaker: (nearly) all distinct


@pytest.mark.parametrize("left_dtype", [np.int32, np.int64])
@pytest.mark.parametrize("right_dtype", [np.int32, np.int64])
def test_block_products_are_the_bits_of_scipys_products(left_dtype, right_dtype):
    """``score_block`` once summed ``P = L[rows] @ T`` (log1p of the stored values, times the
    weight) signal by signal into a dense block: the kernel gives the same bits."""
    from graph.introductions.pair_kernels import add_block_product, csr_arrays

    rng = np.random.default_rng(3)
    rows = rng.integers(0, 300, 60)
    expected, got = np.zeros((60, 500)), np.zeros((60, 500))
    for seed, log in ((0, True), (1, False), (2, True)):
        L = _random(300, 40, 0.2, seed, left_dtype)
        T = _random(40, 500, 0.3, seed + 9, right_dtype)
        weight = rng.uniform(0.1, 2.0)
        product = L[rows] @ T
        product.data = (np.log1p(product.data) if log else product.data) * weight
        expected += product.toarray()
        add_block_product(got, rows.astype(np.int64), *csr_arrays(L), *csr_arrays(T), weight, log)
    assert np.array_equal(got, expected) and np.count_nonzero(got) > 10000
