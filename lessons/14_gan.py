# %% [markdown]
# # Lesson 14: a generative adversarial network
#
# **You will learn** how two networks trained against each other, a *generator* that
# makes points and a *discriminator* that tells them from real ones, end up with a
# generator that draws new samples from the data's distribution. You will write the two
# losses from scratch, check them against glassnet, train a GAN on a ring of eight
# clusters, and measure which clusters it found.
#
# **You need** binary cross-entropy on logits ([lesson 4](04_losses.ipynb)), backpropagation
# ([lesson 5](05_backprop.ipynb)) and Adam ([lesson 6](06_gradient_descent.ipynb)).

# %% [markdown]
# On Colab, the next cell installs glassnet from its repository; anywhere else it does
# nothing.

# %%
import subprocess
import sys

if "google.colab" in sys.modules:  # On Colab only: install glassnet from its repository.
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "glassnet @ git+https://github.com/glassnet/glassnet"], check=True)

# %% [markdown]
# We write the GAN losses and the mode-coverage measure from scratch; `glassnet.gan`
# builds the two networks and runs the game.

# %%
import matplotlib.pyplot as plt
import numpy as np

from glassnet.activations import sigmoid
from glassnet.data import make_moons, make_ring
from glassnet.gan import GAN, make_discriminator, make_generator
from glassnet.losses import BinaryCrossEntropy

SEED = 0
MODES = 8         # clusters on the ring
RADIUS = 2.0
STD = 0.05        # of each cluster

# %% [markdown]
# ## The game
#
# The generator $G$ turns random noise $z \sim \mathcal{N}(0, I)$ into a point $G(z)$. The
# discriminator $D$ looks at a point and outputs a logit $s$: $\sigma(s)$ is its belief
# that the point is real. They take turns:
#
# - **the discriminator** is a binary classifier, real (label 1) against generated
#   (label 0), trained with binary cross-entropy:
#   $$L_D = -\ln \sigma\bigl(D(x)\bigr) - \ln\Bigl(1 - \sigma\bigl(D(G(z))\bigr)\Bigr);$$
# - **the generator** wants its points called real:
#   $$L_G = -\ln \sigma\bigl(D(G(z))\bigr).$$
#
# The generator never sees the data. Its only teacher is the discriminator's gradient with
# respect to the input point, $\partial L_G / \partial G(z)$, passed back through $G$.
#
# Both losses are cross-entropies on logits. Written with $\ln \sigma(s) = -\ln(1 + e^{-s})$
# and `np.logaddexp` (which computes $\ln(e^a + e^b)$ without overflow), they must match
# glassnet's `BinaryCrossEntropy(from_logits=True)`.

# %%
# --8<-- [start:gan_losses]
def d_loss(real_logits, fake_logits):
    """Discriminator loss: mean of -ln sigma(s_real) plus mean of -ln(1 - sigma(s_fake))."""
    # -ln sigma(s) = ln(1 + e^{-s}) and -ln(1 - sigma(s)) = ln(1 + e^{s}).
    return np.mean(np.logaddexp(0.0, -real_logits)) + np.mean(np.logaddexp(0.0, fake_logits))


def g_loss(fake_logits):
    """Generator loss (non-saturating): mean of -ln sigma(s_fake)."""
    return np.mean(np.logaddexp(0.0, -fake_logits))
# --8<-- [end:gan_losses]


rng = np.random.default_rng(SEED)
real_logits, fake_logits = rng.normal(2, 3, size=(64, 1)), rng.normal(-1, 3, size=(64, 1))
bce = BinaryCrossEntropy(from_logits=True)
expected_d = bce.forward(real_logits, np.ones((64, 1))) + bce.forward(fake_logits,
                                                                      np.zeros((64, 1)))
assert np.isclose(d_loss(real_logits, fake_logits), expected_d, rtol=1e-12)
assert np.isclose(g_loss(fake_logits), bce.forward(fake_logits, np.ones((64, 1))), rtol=1e-12)
print(f"L_D = {d_loss(real_logits, fake_logits):.4f}, L_G = {g_loss(fake_logits):.4f}; "
      "both agree with glassnet")

# %% [markdown]
# The original paper (Goodfellow et al., 2014) wrote the generator's goal as *minimising*
# $\ln(1 - \sigma(D(G(z))))$: the term of the discriminator's loss on generated points, the
# only one that depends on $G$, with the sign flipped. Early in
# training the discriminator easily rejects the generator's points, $\sigma(s) \approx 0$,
# and there that loss is flat: its gradient vanishes exactly when the generator most
# needs it. $L_G$ above has the same goal but a steep slope there (exercise 2).
#
# ## The data: a ring of eight clusters
#
# The target is a classic test for GANs: eight small Gaussian clusters on a circle of
# radius 2. A generator that lazily covers only some of them has *mode collapse*, the
# commonest failure of GANs, and this data makes it easy to see.

# %%
X, cluster = make_ring(2000, n_modes=MODES, radius=RADIUS, std=STD, seed=SEED)
print("data:", X.shape, " points per cluster:", np.bincount(cluster))

# %% [markdown]
# ## Training
#
# `make_generator` and `make_discriminator` build two small MLPs (two hidden layers of 32
# LeakyReLU units). `GAN` trains them with Adam ($\beta_1 = 0.5$, as is usual for GANs):
# each step draws 64 real points and 64 noise vectors, takes one discriminator step, then
# one generator step. A little *instance noise*, Gaussian noise added to every point the
# discriminator sees, blurs real and generated points alike so the two distributions
# overlap and the discriminator's gradient stays informative. `fit` also records where one
# fixed batch of noise lands every 100 steps.

# %%
# --8<-- [start:train_gan]
G = make_generator(noise_dim=2, hidden=32, seed=SEED)             # noise (n, 2) -> points
D = make_discriminator(hidden=32, seed=SEED + 100)                # points -> one logit
gan = GAN(G, D, noise_dim=2, lr=2e-3, instance_noise=0.1, seed=SEED)
history = gan.fit(X, steps=1500, batch_size=64, record_every=100, n_record=500)
# --8<-- [end:train_gan]
print(f"{len(history.d_loss)} steps; {len(history.snapshots)} snapshots")

# %% [markdown]
# The same 500 noise vectors, mapped by the generator at four moments of training (the
# data in grey): a scattered cloud at first, then spread over the plane, and finally
# gathered onto the ring and its clusters.

# %%
fig, axes = plt.subplots(1, 4, figsize=(10, 2.9), sharex=True, sharey=True)
for ax, index in zip(axes, (0, 2, 6, -1), strict=True):
    step, points = history.snapshots[index]
    ax.scatter(*X.T, s=2, color="0.75")
    ax.scatter(*points.T, s=3)
    ax.set(title=f"step {step}", aspect="equal", xlim=(-3, 3), ylim=(-3, 3))
fig.tight_layout()

# %% [markdown]
# ## Reading the losses
#
# GAN losses do not fall to zero: each player's progress raises the other's loss. A useful
# reference is the balance point, where the discriminator can do no better than $\sigma =
# 1/2$ everywhere: then $L_D = 2 \ln 2 \approx 1.39$ and $L_G = \ln 2 \approx 0.69$
# (exercise 1). The curves below are smoothed over 50 steps. $L_D$ starts at its line and
# drifts slowly below it; $L_G$ starts a little above its line and drifts further up (the
# numbers are printed below the plot). The discriminator pulls ahead, even while the
# samples get better. A falling
# discriminator loss is therefore no sign by itself that training is going well, nor that it
# is failing.

# %%
def smooth(values, width=50):
    """Moving average over `width` steps."""
    return np.convolve(values, np.ones(width) / width, mode="valid")


fig, ax = plt.subplots(figsize=(6.5, 3.2))
ax.plot(smooth(history.d_loss), label="discriminator $L_D$")
ax.plot(smooth(history.g_loss), "--", label="generator $L_G$")
for level in (2 * np.log(2), np.log(2)):
    ax.axhline(level, color="gray", lw=0.8, ls=":")
ax.set(xlabel="step", ylabel="loss (smoothed)", title="Two players, no finish line")
ax.legend()
fig.tight_layout()

d_start, d_end = smooth(history.d_loss)[[0, -1]]
g_start, g_end = smooth(history.g_loss)[[0, -1]]
print(f"L_D: {d_start:.2f} -> {d_end:.2f}; L_G: {g_start:.2f} -> {g_end:.2f}")
assert d_end < d_start and g_end > g_start     # the drift the text describes

# %% [markdown]
# ## Which clusters did it find?
#
# Judging a generator needs a measure of what it produces. For this data we can count
# directly: a sample is *on* a cluster when it lies within 0.25 (five standard deviations)
# of its centre, and a cluster is *found* when at least 2% of the samples sit on it.

# %%
# --8<-- [start:mode_coverage]
def ring_centres(modes=MODES, radius=RADIUS):
    """Centres (modes, 2) of the clusters, evenly spaced on the circle."""
    angles = 2 * np.pi * np.arange(modes) / modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def mode_coverage(samples, centres, near=0.25, min_share=0.02):
    """(clusters found, share of samples on a cluster) for samples (n, 2)."""
    dist = np.linalg.norm(samples[:, None] - centres[None], axis=2)   # (n, modes)
    on_cluster = dist.min(axis=1) < near
    counts = np.bincount(dist.argmin(axis=1)[on_cluster], minlength=len(centres))
    return int(np.sum(counts >= min_share * len(samples))), float(on_cluster.mean())
# --8<-- [end:mode_coverage]


assert mode_coverage(X, ring_centres()) == (MODES, 1.0)           # the data itself
samples = gan.sample(2000)
found, share = mode_coverage(samples, ring_centres())
print(f"clusters found: {found} of {MODES}; samples on a cluster: {share:.0%}")
assert found >= 6

# %% [markdown]
# Most of the clusters are found, though not all equally, and the samples not counted as
# on a cluster above still sit between them. The discriminator's view explains the
# generator's moves: below, $\sigma(D(x))$ over the plane, light where $D$ believes
# points are real. The generator climbs towards the light.

# %%
xx, yy = np.meshgrid(np.linspace(-3, 3, 120), np.linspace(-3, 3, 120))
belief = sigmoid(D.predict(np.c_[xx.ravel(), yy.ravel()])).reshape(xx.shape)
fig, ax = plt.subplots(figsize=(5, 4.2))
image = ax.imshow(belief, extent=(-3, 3, -3, 3), origin="lower", cmap="viridis",
                  vmin=0, vmax=1)
ax.scatter(*samples[:400].T, s=3, color="white", edgecolor="black", lw=0.2,
           label="generated")
ax.set(aspect="equal", title="Discriminator: probability that x is real")
fig.colorbar(image, ax=ax)
ax.legend(loc="upper right", fontsize=8)
fig.tight_layout()

# %% [markdown]
# ## Exercises
#
# Try each one before opening its solution. Every solution is a function that the test
# suite runs and checks.
#
# ### Exercise 1: the balance point
#
# Suppose the generator is perfect and the discriminator, unable to tell, outputs logit 0
# ($\sigma = 1/2$) for every point. Compute $L_D$ and $L_G$ with your `d_loss` and
# `g_loss` and compare with $2\ln 2$ and $\ln 2$.

# %% tags=["solution"]
def solution_1(n=64):
    """(L_D, L_G) when the discriminator outputs logit 0 for every point."""
    zeros = np.zeros((n, 1))
    return float(d_loss(zeros, zeros)), float(g_loss(zeros))


L_D, L_G = solution_1()
print(f"L_D = {L_D:.4f} (2 ln 2 = {2 * np.log(2):.4f}), L_G = {L_G:.4f} (ln 2 = {np.log(2):.4f})")

# %% [markdown]
# ### Exercise 2: saturating against non-saturating
#
# Differentiate both generator losses with respect to the logit $s = D(G(z))$: the
# original $\ln(1 - \sigma(s))$ (which the generator would minimise) and $-\ln \sigma(s)$.
# Evaluate both derivatives at $s = -5$, where the discriminator is sure the point is fake,
# and at $s = 0$. Check your formulas with centred differences.
#
# *Hint:* $\sigma'(s) = \sigma(s)(1 - \sigma(s))$.

# %% tags=["solution"]
def solution_2(s):
    """Derivatives w.r.t. s of ln(1 - sigma(s)) and of -ln sigma(s), as a pair of arrays."""
    s = np.asarray(s, dtype=float)
    saturating = -sigmoid(s)                  # d/ds ln(1 - sigma(s))
    non_saturating = -(1.0 - sigmoid(s))      # d/ds -ln sigma(s)
    return saturating, non_saturating


s = np.array([-5.0, 0.0])
eps = 1e-6
sat, non_sat = solution_2(s)
numeric_sat = (np.log(1 - sigmoid(s + eps)) - np.log(1 - sigmoid(s - eps))) / (2 * eps)
numeric_non = (-np.log(sigmoid(s + eps)) + np.log(sigmoid(s - eps))) / (2 * eps)
assert np.allclose(sat, numeric_sat, atol=1e-8) and np.allclose(non_sat, numeric_non, atol=1e-8)
print(f"at s = -5: saturating {sat[0]:.4f}, non-saturating {non_sat[0]:.4f}, "
      f"ratio {non_sat[0] / sat[0]:.0f}")

# %% [markdown]
# At $s = -5$ the original loss gives the generator a gradient about 150 times weaker
# (the ratio printed above is $(1 - \sigma(s)) / \sigma(s) = e^{-s} = e^5 \approx 148$):
# just when its samples are worst, it would barely learn.
#
# ### Exercise 3: a GAN on the two moons
#
# Train the same kind of GAN on 1,000 points of `make_moons(noise=0.05)` for 2,000 steps
# (hidden width 32, learning rate 0.002, instance noise 0.05, batches of 64). Measure two
# things with 500 samples: the share of samples within 0.15 of some data
# point (are the samples realistic?) and the share of data points within 0.15 of some
# sample (is the data covered?).

# %% tags=["solution"]
def solution_3(steps=2000, seed=SEED):
    """(share of samples near the data, share of data near a sample) after training."""
    X_moons, _ = make_moons(1000, noise=0.05, seed=seed)
    gan = GAN(make_generator(hidden=32, seed=seed), make_discriminator(hidden=32, seed=seed + 100),
              lr=2e-3, instance_noise=0.05, seed=seed)
    gan.fit(X_moons, steps=steps, batch_size=64)
    samples = gan.sample(500)
    dist = np.linalg.norm(samples[:, None] - X_moons[None], axis=2)       # (500, 1000)
    return float(np.mean(dist.min(axis=1) < 0.15)), float(np.mean(dist.min(axis=0) < 0.15))


realistic, covered = solution_3()
print(f"samples near the data: {realistic:.0%}; data near a sample: {covered:.0%}")

# %% [markdown]
# The two numbers are the generative model's version of precision and recall: a generator
# that collapsed onto one moon could score high on the first and low on the second.
#
# ## Summary
#
# - A GAN trains a generator against a discriminator: $D$ learns to tell real from
#   generated, and $G$ learns from $D$'s input gradient to make points $D$ calls real.
# - Both losses are binary cross-entropies on logits; the non-saturating generator loss
#   $-\ln \sigma(D(G(z)))$ keeps the gradient strong when $D$ wins easily.
# - The losses do not fall together: here they start close to the balance point
#   ($2\ln 2$, $\ln 2$) and drift slowly away from it while the samples improve, so judge
#   a GAN by its samples: here, by counting the clusters it found.
# - Mode collapse, covering only part of the data, is the typical failure; instance noise
#   helps against it.
