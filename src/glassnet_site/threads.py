"""One BLAS thread for the small models the site trains.

Small matrix products gain nothing from threads, and on a two-core machine the BLAS threads
of concurrent processes (figures, lessons and the playground train side by side) spin
against each other: a product of two small matrices can take a hundred times longer.
"""

from __future__ import annotations

import contextlib
import os

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def single_threaded_env() -> dict[str, str]:
    """This process's environment with one BLAS thread, for the subprocesses it starts."""
    return {**os.environ, **dict.fromkeys(BLAS_THREAD_VARIABLES, "1")}


def one_thread():
    """A context in which NumPy's BLAS uses one thread (``threadpoolctl``, when installed)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1)
