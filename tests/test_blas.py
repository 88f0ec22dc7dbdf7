"""tall_product: a.T @ b summed over pieces of rows is a.T @ b."""

import numpy as np
import pytest

from glassnet._blas import ROWS, tall_product


@pytest.mark.parametrize("n", [1, ROWS - 1, ROWS, ROWS + 1, 3 * ROWS + 5])
@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_tall_product_equals_a_transposed_times_b(n, dtype, rtol):
    rng = np.random.default_rng(n)
    a, b = rng.normal(size=(n, 3)).astype(dtype), rng.normal(size=(n, 5)).astype(dtype)
    out = tall_product(a, b)
    assert out.shape == (3, 5) and out.dtype == dtype
    np.testing.assert_allclose(out, a.T @ b, rtol=rtol, atol=rtol * n)
