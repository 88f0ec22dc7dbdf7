r"""Learning-rate schedules: the learning rate as a function of the training step.

A Transformer trained with a large learning rate from the first step can diverge while its
parameters are still random; a short linear warm-up avoids that. Later, a smaller learning
rate settles into a minimum that large steps keep jumping over; a cosine decay lowers it
smoothly to ``lr_min`` (cosine decay: Loshchilov and Hutter, 2017; warm-up then cosine decay:
GPT, Radford et al., 2018, and many language models since).

Use one with ``Sequential.fit`` through the callback that sets ``optimizer.lr`` before every
batch::

    schedule = WarmupCosine(lr_max=3e-3, warmup_steps=100, total_steps=2000)
    model.fit(X, y, callbacks=[LearningRateScheduler(schedule)])
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["WarmupCosine"]


# --8<-- [start:warmup_cosine]
@dataclass(frozen=True)
class WarmupCosine:
    r"""Linear warm-up to ``lr_max`` over ``warmup_steps``, then cosine decay to ``lr_min``
    at ``total_steps``; ``lr_min`` after that.

    $$ \eta(s) = \begin{cases}
       \eta_{\max}\, s / n_{\text{warm}} & s < n_{\text{warm}} \\
       \eta_{\min} + \tfrac12 (\eta_{\max} - \eta_{\min})
       \bigl(1 + \cos(\pi\, \tfrac{s - n_{\text{warm}}}{n_{\text{total}} - n_{\text{warm}}})\bigr)
         & n_{\text{warm}} \le s \le n_{\text{total}} \\
       \eta_{\min} & s > n_{\text{total}} \end{cases} $$

    with step $s$ counted from 0, $n_{\text{warm}}$ = ``warmup_steps`` and
    $n_{\text{total}}$ = ``total_steps``.
    ``schedule(s)`` returns $\eta(s)$.
    """

    lr_max: float
    warmup_steps: int
    total_steps: int
    lr_min: float = 0.0

    def __post_init__(self) -> None:
        if not 0 <= self.lr_min <= self.lr_max or self.lr_max <= 0:
            raise ValueError(f"WarmupCosine: expected 0 <= lr_min <= lr_max and lr_max > 0, "
                             f"got lr_min={self.lr_min!r}, lr_max={self.lr_max!r}")
        if not 0 <= self.warmup_steps < self.total_steps:
            raise ValueError(f"WarmupCosine: expected 0 <= warmup_steps < total_steps, got "
                             f"warmup_steps={self.warmup_steps!r}, "
                             f"total_steps={self.total_steps!r}")

    def __call__(self, step: int) -> float:
        if step < self.warmup_steps:
            return self.lr_max * step / self.warmup_steps
        progress = min(1.0, (step - self.warmup_steps) / (self.total_steps - self.warmup_steps))
        cosine = 0.5 * (1.0 + math.cos(math.pi * progress))   # from 1 down to 0
        return self.lr_min + (self.lr_max - self.lr_min) * cosine
# --8<-- [end:warmup_cosine]
