r"""Optimizers: turn gradients into parameter updates, in place.

The update rules are those documented for ``torch.optim`` (SGD, RMSprop, Adam, AdamW), so a
reader can compare numbers with PyTorch. Weight decay in SGD, RMSProp and Adam is L2
regularisation added to the gradient, $g \leftarrow g + \lambda \theta$, as PyTorch
does; AdamW decays the weights directly instead.

Two ways to call an optimizer:

* ``opt.step(layers)`` updates every ``layer.params`` from ``layer.grads`` (what
  ``Sequential.fit`` does);
* ``opt.update(params, grads)`` works on plain dicts of arrays, e.g. ``{"w": w}``, to trace a
  trajectory on a two-dimensional loss surface.

Each optimizer keeps its state (momentum buffers, moment estimates) per parameter, so use one
optimizer per model. ``clipnorm`` rescales all gradients together when their global norm
exceeds it, which stops one exploding gradient from throwing the weights far away (it
caps the step; it does not stop gradients from exploding).
"""

from __future__ import annotations

import numpy as np


class Optimizer:
    """Base class: gradient clipping, weight decay bookkeeping and per-parameter state."""

    def __init__(self, lr: float, weight_decay: float = 0.0, clipnorm: float | None = None):
        if not lr > 0:
            raise ValueError(f"{type(self).__name__}: expected lr > 0, got {lr!r}")
        if weight_decay < 0:
            raise ValueError(f"{type(self).__name__}: expected weight_decay >= 0, "
                             f"got {weight_decay!r}")
        self.lr = float(lr)
        self.weight_decay = float(weight_decay)
        self.clipnorm = None if clipnorm is None else float(clipnorm)
        self.state: dict = {}

    def step(self, layers) -> None:
        """Update the parameters of every trainable layer in ``layers`` from its gradients.

        A frozen layer (``layer.trainable`` is ``False``) is skipped: its parameters stay
        bit-identical, and its gradients count neither in clipping nor in weight decay.
        """
        triples = [((i, key), layer.params[key], layer.grads[key])
                   for i, layer in enumerate(layers) if getattr(layer, "trainable", True)
                   for key in layer.params]
        self._apply(triples)

    def update(self, params: dict, grads: dict) -> None:
        """Update the arrays in ``params`` in place from ``grads`` (dicts with the same keys)."""
        self._apply([(key, params[key], grads[key]) for key in params])

    # --8<-- [start:clip_and_decay]
    def _apply(self, triples) -> None:
        scale = self._clip_scale([g for _, _, g in triples])
        for key, p, g in triples:
            if scale != 1.0:
                g = g * scale
            if self.weight_decay:
                g = g + self.weight_decay * p
            self.update_param(p, g, self.state.setdefault(key, {}))

    def _clip_scale(self, grads) -> float:
        r"""Factor $\min(1, c / \lVert g \rVert)$, $\lVert g \rVert$ the global norm."""
        if self.clipnorm is None:
            return 1.0
        norm = float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads)))
        return min(1.0, self.clipnorm / norm) if norm > 0 else 1.0
    # --8<-- [end:clip_and_decay]

    def update_param(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        raise NotImplementedError


# --8<-- [start:sgd]
class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with (Nesterov) momentum.

    $$ b_t = \mu\, b_{t-1} + g_t, \qquad
       \theta_t = \theta_{t-1} - \eta\, \begin{cases} g_t & \mu = 0 \\ b_t & \text{momentum}
       \\ g_t + \mu\, b_t & \text{Nesterov} \end{cases} $$

    with $b_0 = 0$, learning rate $\eta$ (``lr``) and momentum $\mu$.
    """

    def __init__(self, lr: float = 0.01, momentum: float = 0.0, nesterov: bool = False,
                 weight_decay: float = 0.0, clipnorm: float | None = None):
        super().__init__(lr, weight_decay, clipnorm)
        if nesterov and momentum <= 0:
            raise ValueError("SGD: nesterov=True needs momentum > 0")
        self.momentum, self.nesterov = float(momentum), bool(nesterov)

    def update_param(self, p, g, state) -> None:
        if self.momentum:
            b = state.setdefault("b", np.zeros_like(p))
            b *= self.momentum
            b += g
            g = g + self.momentum * b if self.nesterov else b
        p -= self.lr * g
# --8<-- [end:sgd]


# --8<-- [start:rmsprop]
class RMSProp(Optimizer):
    r"""RMSProp: divide each step by a running root mean square of the gradient.

    $$ v_t = \alpha\, v_{t-1} + (1 - \alpha)\, g_t^2, \qquad
       \theta_t = \theta_{t-1} - \eta\, \frac{g_t}{\sqrt{v_t} + \epsilon} $$

    With ``momentum`` $\mu > 0$ the step goes through a buffer,
    $b_t = \mu b_{t-1} + g_t / (\sqrt{v_t} + \epsilon)$, $\theta_t = \theta_{t-1} -
    \eta b_t$, as in PyTorch's ``RMSprop``.
    """

    def __init__(self, lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8,
                 momentum: float = 0.0, weight_decay: float = 0.0,
                 clipnorm: float | None = None):
        super().__init__(lr, weight_decay, clipnorm)
        self.alpha, self.eps, self.momentum = float(alpha), float(eps), float(momentum)

    def update_param(self, p, g, state) -> None:
        v = state.setdefault("v", np.zeros_like(p))
        v *= self.alpha
        v += (1.0 - self.alpha) * g * g
        step = g / (np.sqrt(v) + self.eps)
        if self.momentum:
            b = state.setdefault("b", np.zeros_like(p))
            b *= self.momentum
            b += step
            step = b
        p -= self.lr * step
# --8<-- [end:rmsprop]


# --8<-- [start:adam]
class Adam(Optimizer):
    r"""Adam: momentum on the gradient and on its square, with bias correction.

    $$ m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t, \qquad
       v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 $$

    $$ \hat{m}_t = \frac{m_t}{1 - \beta_1^t}, \qquad \hat{v}_t = \frac{v_t}{1 - \beta_2^t},
       \qquad \theta_t = \theta_{t-1} - \eta\, \frac{\hat{m}_t}{\sqrt{\hat{v}_t} + \epsilon} $$
    """

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8, weight_decay: float = 0.0, clipnorm: float | None = None):
        super().__init__(lr, weight_decay, clipnorm)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)

    def update_param(self, p, g, state) -> None:
        m = state.setdefault("m", np.zeros_like(p))
        v = state.setdefault("v", np.zeros_like(p))
        t = state["t"] = state.get("t", 0) + 1
        m *= self.beta1
        m += (1.0 - self.beta1) * g
        v *= self.beta2
        v += (1.0 - self.beta2) * g * g
        m_hat_scale = self.lr / (1.0 - self.beta1**t)  # Folds the bias correction into lr.
        denom = np.sqrt(v / (1.0 - self.beta2**t))
        denom += self.eps
        p -= m_hat_scale * m / denom
# --8<-- [end:adam]


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov and Hutter, 2019).

    Before the Adam step the weights shrink, $\theta \leftarrow \theta (1 - \eta
    \lambda)$, instead of adding $\lambda\theta$ to the gradient. Default
    $\lambda = 0.01$, as in PyTorch. The decay is scaled by the learning rate $\eta$, as in
    PyTorch; the paper scales it by the schedule's multiplier only, so its $\lambda$ values
    are not directly comparable.
    """

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8, weight_decay: float = 0.01, clipnorm: float | None = None):
        super().__init__(lr, beta1, beta2, eps, 0.0, clipnorm)
        self.decoupled_decay = float(weight_decay)

    def update_param(self, p, g, state) -> None:
        p *= 1.0 - self.lr * self.decoupled_decay
        super().update_param(p, g, state)


OPTIMIZERS = {"sgd": SGD, "rmsprop": RMSProp, "adam": Adam, "adamw": AdamW}


def get(optimizer) -> Optimizer:
    """Return ``optimizer`` if it is an ``Optimizer``, else build one with default
    settings by name (``"sgd"``, ``"rmsprop"``, ``"adam"``, ``"adamw"``)."""
    if isinstance(optimizer, Optimizer):
        return optimizer
    if isinstance(optimizer, str) and optimizer.lower() in OPTIMIZERS:
        return OPTIMIZERS[optimizer.lower()]()
    raise ValueError(f"optimizers.get: expected an Optimizer or one of "
                     f"{', '.join(OPTIMIZERS)}, got {optimizer!r}")
