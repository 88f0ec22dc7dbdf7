r"""Learning-rate schedules: the learning rate as a function of the training step.

A post-norm Transformer trained with a large learning rate from its first step can diverge
(Xiong et al., 2020), and in Adam's first steps the estimate of the gradient's second
moment rests on a few batches, so the size of each step varies widely (Liu et al., 2020,
who trace warm-up's benefit to this); a short linear warm-up (Vaswani et al., 2017) keeps
those first steps small.
Later, a smaller learning rate settles into a minimum that large steps keep jumping over; a
cosine decay (Loshchilov and Hutter, 2017) lowers it smoothly to ``lr_min``. Warm-up then
cosine decay is the schedule of GPT (Radford et al., 2018, decay to 0) and GPT-3 (Brown et
al., 2020, decay to 10% of the peak).

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
       \eta_{\max}\, (s + 1) / n_{\text{warm}} & s < n_{\text{warm}} \\
       \eta_{\min} + \tfrac12 (\eta_{\max} - \eta_{\min})
       \bigl(1 + \cos(\pi\, \tfrac{s - n_{\text{warm}}}{n_{\text{total}} - n_{\text{warm}}})\bigr)
         & n_{\text{warm}} \le s \le n_{\text{total}} \\
       \eta_{\min} & s > n_{\text{total}} \end{cases} $$

    with step $s$ counted from 0, $n_{\text{warm}}$ = ``warmup_steps`` and
    $n_{\text{total}}$ = ``total_steps``. The first step already moves
    ($\eta(0) = \eta_{\max} / n_{\text{warm}}$): a rate of 0 would still update Adam's
    moments while leaving the parameters where they are.
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
            return self.lr_max * (step + 1) / self.warmup_steps
        progress = min(1.0, (step - self.warmup_steps) / (self.total_steps - self.warmup_steps))
        cosine = 0.5 * (1.0 + math.cos(math.pi * progress))   # from 1 down to 0
        return self.lr_min + (self.lr_max - self.lr_min) * cosine
# --8<-- [end:warmup_cosine]
