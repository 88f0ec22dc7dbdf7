"""Seeded sequence tasks for recurrent networks and Transformers.

Sequences come batch first, ``X`` of shape ``(n, time, features)``, as every glassnet
sequence layer expects. ``seed`` is an int, or a ``numpy.random.Generator`` that the task
draws from and advances: a training loop passes one generator and gets a fresh batch from
every call.
"""

from __future__ import annotations

import numpy as np

from glassnet._checks import check_positive_int
from glassnet.data._validate import as_generator, check_nonneg

__all__ = ["make_memory_task"]


# --8<-- [start:memory_task]
def make_memory_task(n: int, distance: int, noise: float = 2.0, seed=0):
    """Sequences whose label is the sign of their first value, ``distance`` steps back.

    Feature 0 is the signal: the first step is -1 or +1, every later step is Gaussian noise
    (standard deviation ``noise``) that the network must ignore. Feature 1 marks the first
    step. Returns ``X`` of shape ``(n, distance, 2)`` and labels ``y`` of shape ``(n,)``:
    1 where the first step is +1, else 0.
    """
    where = "make_memory_task"
    n, distance = check_positive_int(n, "n", where), check_positive_int(distance, "distance", where)
    noise, rng = check_nonneg(noise, "noise", where), as_generator(seed, where)
    signal = rng.normal(scale=noise, size=(n, distance))
    signal[:, 0] = rng.choice([-1.0, 1.0], size=n)
    marker = np.zeros((n, distance))
    marker[:, 0] = 1.0
    return np.stack([signal, marker], axis=-1), (signal[:, 0] > 0).astype(np.int64)
# --8<-- [end:memory_task]
