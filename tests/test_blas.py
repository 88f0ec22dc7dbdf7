"""split_product and tall_product: sums of products over pieces equal the whole products."""

import numpy as np
import pytest

from glassnet._blas import ROWS, split_product, tall_product


@pytest.mark.parametrize("n", [1, ROWS - 1, ROWS, ROWS + 1, 3 * ROWS + 5])
@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_tall_product_equals_a_transposed_times_b(n, dtype, rtol):
    rng = np.random.default_rng(n)
    a, b = rng.normal(size=(n, 3)).astype(dtype), rng.normal(size=(n, 5)).astype(dtype)
    out = tall_product(a, b)
    assert out.shape == (3, 5) and out.dtype == dtype
    np.testing.assert_allclose(out, a.T @ b, rtol=rtol, atol=rtol * n)


@pytest.mark.parametrize("k", [1, ROWS, ROWS + 1, 2 * ROWS, 3 * ROWS - 7])
def test_split_product_equals_a_times_b_also_into_out(k):
    rng = np.random.default_rng(k)
    a, b = rng.normal(size=(4, k)), rng.normal(size=(k, 6))
    out = np.empty((4, 6))
    assert split_product(a, b, out=out) is out
    np.testing.assert_allclose(out, a @ b, rtol=1e-12, atol=1e-12 * k)
    np.testing.assert_allclose(split_product(a, b.T.copy().T), a @ b, rtol=1e-12, atol=1e-12 * k)
