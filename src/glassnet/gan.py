r"""A generative adversarial network (Goodfellow et al., 2014) on two-dimensional toy data.

Two networks play a game. The *generator* $G$ turns noise $z \sim \mathcal{N}(0, I)$
into points; the *discriminator* $D$ outputs a logit saying how real a point looks.
Each step trains $D$ to tell real from generated points, then $G$ to fool it:

$$ L_D = -\ln \sigma(D(x)) - \ln\bigl(1 - \sigma(D(G(z)))\bigr), \qquad
   L_G = -\ln \sigma(D(G(z))) $$

$L_G$ is the "non-saturating" generator loss: it gives the generator strong gradients
early on, when $D$ easily rejects its samples. ``generator_loss="saturating"`` trains $G$ on
the minimax objective's own term instead, minimising $\ln(1 - \sigma(D(G(z))))$, whose
gradient vanishes exactly then; it is there to be compared. Both are binary cross-entropies on
logits, so the code reuses ``glassnet.losses.BinaryCrossEntropy``. The generator's
gradient is the discriminator's input gradient, passed on with ``G.backward``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from glassnet._checks import as_float_array, check_positive_int
from glassnet.layers.activation import LeakyReLU
from glassnet.losses import BinaryCrossEntropy
from glassnet.model import Sequential
from glassnet.networks import mlp
from glassnet.optimizers import Adam


def _leaky_mlp(sizes: list[int], seed=None) -> Sequential:
    """Dense layers of the given sizes with LeakyReLU(0.2) between them, linear output."""
    return mlp(sizes, lambda: LeakyReLU(0.2), "he_normal", output_init="he_normal", seed=seed)


def make_generator(noise_dim: int = 2, hidden: int = 64, n_hidden_layers: int = 2,
                   out_dim: int = 2, seed=None) -> Sequential:
    """MLP from noise ``(batch, noise_dim)`` to points ``(batch, out_dim)``."""
    return _leaky_mlp([noise_dim, *[hidden] * n_hidden_layers, out_dim], seed)


def make_discriminator(in_dim: int = 2, hidden: int = 64, n_hidden_layers: int = 2,
                       seed=None) -> Sequential:
    """MLP from points ``(batch, in_dim)`` to one real-versus-fake logit ``(batch, 1)``."""
    return _leaky_mlp([in_dim, *[hidden] * n_hidden_layers, 1], seed)


@dataclass
class GANHistory:
    """Losses of every step and generated snapshots ``(step, samples (n, 2))``."""

    d_loss: list[float] = field(default_factory=list)
    g_loss: list[float] = field(default_factory=list)
    snapshots: list[tuple[int, np.ndarray]] = field(default_factory=list)


class GAN:
    r"""A generator and a discriminator trained against each other with Adam.

    Parameters
    ----------
    generator : Sequential
        From ``make_generator`` (or any compatible MLP): noise to points.
    discriminator : Sequential
        From ``make_discriminator`` (or any compatible MLP): points to one logit.
    noise_dim : int
        Size of the noise vector fed to the generator.
    lr : float
        Adam's learning rate, for both players.
    beta1 : float
        Adam's first-moment decay, for both players; 0.5 is the usual choice for GANs
        (Adam's own default is 0.9).
    instance_noise : float
        Standard deviation of Gaussian noise added to every point the discriminator sees,
        real or generated (Sønderby et al., 2017). It blurs both distributions so that they
        overlap, which keeps the discriminator's gradients informative. 0 gives the plain
        GAN.
    seed : int or None
        Draws the noise and the mini-batches.
    generator_loss : {"non_saturating", "saturating"}
        What the generator minimises: $-\ln \sigma(D(G(z)))$ (the default) or the
        minimax term $\ln(1 - \sigma(D(G(z))))$. Both are averaged over the batch.
    """

    GENERATOR_LOSSES = ("non_saturating", "saturating")

    def __init__(self, generator: Sequential, discriminator: Sequential, noise_dim: int = 2,
                 lr: float = 1e-3, beta1: float = 0.5, instance_noise: float = 0.0,
                 seed=None, generator_loss: str = "non_saturating") -> None:
        self.G, self.D = generator, discriminator
        self.noise_dim = check_positive_int(noise_dim, "noise_dim", "GAN")
        self.g_opt, self.d_opt = Adam(lr, beta1=beta1), Adam(lr, beta1=beta1)
        self.bce = BinaryCrossEntropy(from_logits=True)
        if not instance_noise >= 0:
            raise ValueError(f"GAN: expected instance_noise >= 0, got {instance_noise!r}")
        self.instance_noise = float(instance_noise)
        if generator_loss not in self.GENERATOR_LOSSES:
            raise ValueError(f"GAN: expected generator_loss in {self.GENERATOR_LOSSES}, "
                             f"got {generator_loss!r}")
        self.generator_loss = generator_loss
        self.rng = np.random.default_rng(seed)

    def noise(self, n: int) -> np.ndarray:
        """Standard normal noise ``(n, noise_dim)``."""
        return self.rng.standard_normal((n, self.noise_dim))

    def sample(self, n: int) -> np.ndarray:
        """``n`` generated points ``(n, out_dim)``."""
        return self.G.forward(self.noise(n))

    def _d_loss_and_backward(self, X, label: float) -> float:
        """Add the discriminator's gradient for a batch that should be called ``label``."""
        if self.instance_noise:
            X = X + self.instance_noise * self.rng.standard_normal(X.shape)
        logits = self.D.forward(X, training=True)
        loss = self.bce.forward(logits, np.full((X.shape[0], 1), label))
        return loss, self.D.backward(self.bce.backward())

    def _generator_loss_and_grad(self, fake: np.ndarray) -> tuple[float, np.ndarray]:
        """The generator's loss on ``fake`` and its gradient with respect to ``fake``."""
        if self.generator_loss == "saturating":
            # ln(1 - sigma(l)) is minus the cross-entropy of the label 0.
            loss, grad = self._d_loss_and_backward(fake, 0.0)
            return -loss, -grad
        return self._d_loss_and_backward(fake, 1.0)

    def generator_push(self, points) -> np.ndarray:
        """The direction the generator's loss asks each of ``points`` ``(n, 2)`` to move:
        minus the gradient of its loss at that point, ``(n, 2)``, for one sample (not divided
        by ``n``). The generator moves its samples only through its shared weights, so a
        sample need not move this way.

        It is minus ``n`` times the signal that ``train_step`` passes to ``G.backward`` (that
        signal is the gradient of the batch's mean loss, so divided by ``n``), computed
        without instance noise; the discriminator's parameter gradients it leaves behind are
        discarded by the next ``zero_grad``.
        """
        points = as_float_array(points, "GAN.generator_push", ndim=2)
        noise, self.instance_noise = self.instance_noise, 0.0
        try:
            _, grad = self._generator_loss_and_grad(points)
        finally:
            self.instance_noise = noise
        self.D.zero_grad()
        return -grad * points.shape[0]

    def train_step(self, X_real: np.ndarray) -> tuple[float, float]:
        """One discriminator step and one generator step; returns ``(d_loss, g_loss)``."""
        fake = self.G.forward(self.noise(X_real.shape[0]), training=True)
        self.D.zero_grad()
        d_real, _ = self._d_loss_and_backward(X_real, 1.0)
        d_fake, _ = self._d_loss_and_backward(fake, 0.0)
        self.d_opt.step(self.D.layers)
        # The generator wants its samples called real; D's gradients from this pass are
        # discarded (zeroed at the next step), only its input gradient reaches G.
        self.G.zero_grad()
        g_loss, dfake = self._generator_loss_and_grad(fake)
        self.G.backward(dfake)
        self.g_opt.step(self.G.layers)
        return d_real + d_fake, g_loss

    def fit(self, X, steps: int = 2000, batch_size: int = 128, record_every: int = 100,
            n_record: int = 500) -> GANHistory:
        """Train for ``steps`` steps on random batches of the real data ``X`` ``(n, 2)``.

        Every ``record_every`` steps (and after the last) the generator's output for one
        fixed noise batch of ``n_record`` points is stored, so a figure can show the same
        points moving towards the data.
        """
        X = as_float_array(X, "GAN.fit", ndim=2)
        steps = check_positive_int(steps, "steps", "GAN.fit")
        z_fixed, history = self.noise(n_record), GANHistory()
        for step in range(1, steps + 1):
            batch = X[self.rng.integers(0, X.shape[0], size=batch_size)]
            d_loss, g_loss = self.train_step(batch)
            history.d_loss.append(d_loss)
            history.g_loss.append(g_loss)
            if step % record_every == 0 or step == steps:
                history.snapshots.append((step, self.G.forward(z_fixed)))
        return history
