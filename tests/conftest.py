"""Fixtures shared by the whole test suite."""

import os

from glassnet_site.threads import BLAS_THREAD_VARIABLES

# One BLAS thread, set before NumPy loads and inherited by the lessons and builds the tests
# start: the suite trains many small models, and on two shared cores BLAS threads only fight.
for _name in BLAS_THREAD_VARIABLES:
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def rng():
    """A freshly seeded generator, so every test draws the same numbers on every run."""
    return np.random.default_rng(0)
