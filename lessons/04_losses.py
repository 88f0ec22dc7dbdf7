# %% [markdown]
# # Lesson 4: loss functions
#
# **You will learn** how a loss turns predictions into one number to minimise, when to use
# mean squared error and when cross-entropy, why the textbook formulas for softmax and
# $\log$ overflow or return infinity, and how to compute them stably from logits.
#
# **You need** [lesson 3](03_forward_pass.ipynb) (a network outputs logits and
# probabilities), logarithms and exponentials, and NumPy.

# %% [markdown]
# On Colab, the next cell installs glassnet from its repository; anywhere else it does
# nothing.

# %%
import subprocess
import sys

if "google.colab" in sys.modules:  # On Colab only: install glassnet from its repository.
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "glassnet @ git+https://github.com/glassnet/glassnet"], check=True)

# %%
import matplotlib.pyplot as plt
import numpy as np

from glassnet import Sequential, gradcheck, layers, losses
from glassnet import activations as act
from glassnet.data import load_digits

SEED = 0

# %% [markdown]
# ## Mean squared error, for numbers
#
# For a regression target $y$ and prediction $\hat{y}$, the mean squared error averages
# the squared differences over the batch (and over the outputs):
#
# $$L = \frac{1}{N n_{\text{out}}} \sum_{n, j} (\hat{y}_{nj} - y_{nj})^2, \qquad
# \frac{\partial L}{\partial \hat{y}_{nj}} = \frac{2}{N n_{\text{out}}}(\hat{y}_{nj} - y_{nj}),$$
#
# with $N$ examples of $n_{\text{out}}$ outputs each (`diff.size` of them in the code).
#
# The gradient is what training needs: it says which way, and how hard, to push each
# prediction. A glassnet loss returns the value from `forward` and this gradient from
# `backward`.

# %%
def mse(y_hat, y):
    diff = y_hat - y
    return np.mean(diff**2), 2 * diff / diff.size


y = np.array([[1.0], [2.0], [3.0]])
y_hat = np.array([[1.5], [1.0], [3.0]])
value, grad = mse(y_hat, y)
loss = losses.MSE()
print(f"MSE = {value:.4f}; glassnet: {loss.forward(y_hat, y):.4f}")
print("gradient:", grad.ravel(), " glassnet:", loss.backward().ravel())
assert np.isclose(value, loss.forward(y_hat, y)) and np.allclose(grad, loss.backward())

# %% [markdown]
# ## Cross-entropy, for classes
#
# A classifier outputs a probability $p$ for "class 1". Cross-entropy charges
# $-\ln p$ when the answer is 1 and $-\ln(1 - p)$ when it is 0:
#
# $$L = -\frac{1}{N} \sum_n \bigl(y_n \ln p_n + (1 - y_n) \ln(1 - p_n)\bigr).$$
#
# It is the negative log-likelihood of the labels, and it punishes a confident mistake
# without limit, where the squared error of a probability can never exceed 1. The plot
# compares the two for an example whose true class is 1, and the push each gives the logit
# $z$ behind $p = \sigma(z)$, the gradient that training uses: $|\partial L/\partial z| = 1 - p$
# for cross-entropy and $2p(1 - p)^2$ for squared error, whose chain rule multiplies by the
# sigmoid's slope $p(1 - p)$ (exercise 3 works these out).

# %%
p = np.linspace(0.001, 0.999, 300)
fig, (ax_l, ax_g) = plt.subplots(1, 2, figsize=(9, 3.5))
ax_l.plot(p, -np.log(p), label=r"cross-entropy $-\ln p$")
ax_l.plot(p, (1 - p) ** 2, "--", label=r"squared error $(1 - p)^2$")
ax_g.plot(p, 1 - p, label="cross-entropy")
ax_g.plot(p, 2 * p * (1 - p) ** 2, "--", label="squared error")
ax_l.set(title="Loss when the true class is 1", xlabel="predicted probability $p$")
ax_g.set(title=r"Its push on the logit, $|\partial L / \partial z|$",
         xlabel="predicted probability $p$")
for ax in (ax_l, ax_g):
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
fig.tight_layout()

# %% [markdown]
# ## Where the naive formula breaks: $\ln 0$
#
# The probability usually comes from a sigmoid, $p = \sigma(z)$. In float64 the sigmoid of
# 40 rounds to exactly 1.0, and then $\ln(1 - p) = \ln 0 = -\infty$: one confident
# mistake makes the whole batch's loss infinite.

# %%
z = np.array([40.0])                    # A confident logit ...
label = np.array([0.0])                 # ... for the wrong class.
p_40 = act.sigmoid(z)
print("sigmoid(40) == 1.0:", p_40[0] == 1.0)
with np.errstate(divide="ignore"):      # Silence the warning: we want to see the result.
    naive = -(label * np.log(p_40) + (1 - label) * np.log(1 - p_40))
print("naive binary cross-entropy:", naive[0])
assert np.isinf(naive[0])

# %% [markdown]
# The fix is never to form $p$. Substituting $p = \sigma(z)$ and simplifying gives the loss
# straight from the logit:
#
# $$L = \ln(1 + e^{z}) - y z = \max(z, 0) - y z + \ln(1 + e^{-|z|}),$$
#
# which cannot overflow, and whose gradient is simply $\sigma(z) - y$. This is what
# `BinaryCrossEntropy(from_logits=True)` computes (and Keras' `from_logits=True`, and
# PyTorch's `BCEWithLogitsLoss`).

# %%
# --8<-- [start:bce_from_logits]
def bce_from_logits(z, y):
    return np.mean(np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z))))
# --8<-- [end:bce_from_logits]


stable = bce_from_logits(z, label)
print(f"stable binary cross-entropy: {stable:.6f}")
bce = losses.BinaryCrossEntropy(from_logits=True)
assert np.isclose(stable, bce.forward(z, label), rtol=1e-12)
assert np.isclose(stable, 40.0, rtol=1e-12)

# %% [markdown]
# glassnet's loss on probabilities, `BinaryCrossEntropy()`, clips them to
# $[10^{-7}, 1 - 10^{-7}]$ as Keras does, so it stays finite but reports $-\ln 10^{-7}
# \approx 16.1$ instead of the true 40. Worse, the gradient that reaches the logit through
# the saturated sigmoid is 0 instead of 1, so the mistake is never corrected: prefer logits.

# %%
sigmoid_layer, clipped = layers.Sigmoid(), losses.BinaryCrossEntropy()
clipped_loss = clipped.forward(sigmoid_layer.forward(z[:, None]), label[:, None])
clipped_push = sigmoid_layer.backward(clipped.backward())[0, 0]
bce.forward(z[:, None], label[:, None])
logit_push = bce.backward()[0, 0]
print(f"on probabilities (clipped): loss {clipped_loss:.2f}, dL/dz {clipped_push:.3g}")
print(f"from the logit:             loss {stable:.2f}, dL/dz {logit_push:.3g}")
assert abs(clipped_push) < 1e-6 and np.isclose(logit_push, 1.0)

# %% [markdown]
# ## Softmax overflows too
#
# With more than two classes, softmax turns a row of logits into probabilities,
# $p_k = e^{z_k} / \sum_j e^{z_j}$. Written like that, a logit of 1000 overflows: $e^{1000}$
# is infinite and $\infty / \infty$ is NaN.

# %%
# --8<-- [start:softmax_naive]
def softmax_naive(z):
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
# --8<-- [end:softmax_naive]


logits = np.array([[1000.0, 999.0, 990.0]])
with np.errstate(over="ignore", invalid="ignore"):   # Silence the warnings, show the result.
    naive_probs = softmax_naive(logits)
print("naive softmax:", naive_probs)
assert np.isnan(naive_probs).any()

# %% [markdown]
# Multiplying top and bottom by $e^{-m}$ changes nothing mathematically, so subtract the
# row's maximum $m$ first: every exponent is then at most 0, and the largest term is
# exactly 1. The same trick gives a stable $\ln \sum_j e^{z_j}$ (log-sum-exp), and with it
# the cross-entropy straight from logits, $L = \operatorname{LSE}(z) - z_c$ for the true
# class $c$.

# %%
# --8<-- [start:softmax_stable]
def softmax_stable(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))     # Every exponent <= 0.
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy_from_logits(z, labels):
    """Mean cross-entropy of integer labels (N,) for logits z (N, C), and dL/dz."""
    m = z.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(z - m).sum(axis=1, keepdims=True))   # (N, 1)
    rows = np.arange(len(labels))
    loss = np.mean(lse[:, 0] - z[rows, labels])
    grad = softmax_stable(z)
    grad[rows, labels] -= 1.0                         # p - y, with y one-hot
    return loss, grad / len(labels)
# --8<-- [end:softmax_stable]


print("stable softmax:", softmax_stable(logits).round(6))
assert np.allclose(softmax_stable(logits), act.softmax(logits), rtol=1e-12)

ce, ce_grad = cross_entropy_from_logits(logits, np.array([2]))
ref, ref_grad = losses.softmax_cross_entropy(logits, np.array([2]))
print(f"cross-entropy for the least likely class: {ce:.4f} (glassnet {ref:.4f})")
assert np.isclose(ce, ref, rtol=1e-12) and np.allclose(ce_grad, ref_grad, atol=1e-15)

# %% [markdown]
# ## Checking the gradient
#
# The gradient of softmax cross-entropy, $(p - y)/N$, is simple enough to trust, but we
# check it anyway with centred finite differences on random logits. A relative error below
# `gradcheck.THRESHOLD`, glassnet's pass mark, means the formula is right.

# %%
rng = np.random.default_rng(SEED)
z_rand = rng.standard_normal((5, 4))
labels = rng.integers(0, 4, size=5)
numeric = gradcheck.numerical_gradient(lambda v: cross_entropy_from_logits(v, labels)[0], z_rand)
error = gradcheck.relative_error(cross_entropy_from_logits(z_rand, labels)[1], numeric)
print(f"relative error of dL/dz: {error:.1e} (pass mark {gradcheck.THRESHOLD:.0e})")
assert error < gradcheck.THRESHOLD

# %% [markdown]
# ## A sanity check for every classifier
#
# Equal logits give each of $C$ classes probability $1/C$, and a loss of exactly $\ln C$.
# Nearly equal logits give nearly that:

# %%
for C in (2, 10, 100):
    small_logits = 0.01 * rng.standard_normal((1000, C))
    first_loss, _ = losses.softmax_cross_entropy(small_logits, rng.integers(0, C, 1000))
    print(f"C = {C:>3}: loss of nearly equal logits {first_loss:.3f}, ln C = {np.log(C):.3f}")
    assert abs(first_loss - np.log(C)) < 0.01

# %% [markdown]
# A real untrained network's logits are only roughly equal, so its first loss lands near
# $\ln C$, usually above it: averaged over the $C$ labels, unequal logits never give less
# than $\ln C$. Here is the losses page's network on the ten classes of the UCI digits, for
# three seeds: each lands between just under $\ln 10$ and half a unit above. A first loss of
# that size is normal; one several times $\ln C$ means something is wrong before training
# has even begun.

# %%
X_digits, y_digits = load_digits()
for seed in range(3):
    untrained = Sequential([layers.Dense(64, 32, init="he_normal"), layers.ReLU(),
                            layers.Dense(32, 10, init="glorot_uniform")], seed=seed)
    first_loss = losses.CrossEntropy().forward(untrained.predict(X_digits), y_digits)
    print(f"seed {seed}: first loss {first_loss:.3f}, ln 10 = {np.log(10):.3f}")
    assert np.log(10) - 0.05 < first_loss < np.log(10) + 0.5

# %% [markdown]
# ## Exercises
#
# Try each one before opening its solution. Every solution is a function that the test
# suite runs and checks.
#
# ### Exercise 1: softmax ignores a shift
#
# Show that adding the same number $c$ to every logit of a row leaves the softmax
# unchanged, for $c$ = -1000, 0 and 1000, using `softmax_stable`. Why does the naive
# version fail for two of them? Return the results of both versions.

# %% tags=["solution"]
def solution_1():
    z = np.array([[2.0, 1.0, -1.0, 0.5]])
    # e^(z + c) / sum e^(z + c) = e^c e^z / (e^c sum e^z): the factor e^c cancels. The naive
    # version computes e^(z + c), which overflows to inf for c = 1000 (inf / inf) and
    # underflows to 0 for c = -1000 (0 / 0): both give NaN.
    stable = {c: softmax_stable(z + c) for c in (-1000.0, 0.0, 1000.0)}
    with np.errstate(over="ignore", invalid="ignore"):
        naive = {c: softmax_naive(z + c) for c in (-1000.0, 0.0, 1000.0)}
    return stable, naive


stable_shifted, naive_shifted = solution_1()
for c, probs in stable_shifted.items():
    print(f"c = {c:>7}: stable {probs.round(6)}, naive {naive_shifted[c].round(6)}")

# %% [markdown]
# ### Exercise 2: log-softmax
#
# Classifiers often need $\ln p$ rather than $p$. Write a stable `log_softmax(z)` that
# never takes the log of a number that might be 0, and compare it with
# `z - glassnet.losses.logsumexp(z)`. What does `np.log(softmax_stable(z))` give for the
# logits `[[0, -800]]`?

# %% tags=["solution"]
def solution_2(z):
    def log_softmax(z):
        shifted = z - z.max(axis=1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))

    with np.errstate(divide="ignore"):
        naive = np.log(softmax_stable(z))       # e^-800 underflows to 0, so ln gives -inf
    return log_softmax(z), z - losses.logsumexp(z), naive


ours, reference, naive = solution_2(np.array([[0.0, -800.0]]))
print("log_softmax:", ours, " glassnet:", reference, " log of softmax:", naive)

# %% [markdown]
# ### Exercise 3: squared error on a saturated sigmoid
#
# For a sigmoid output, compare the gradient of each loss with respect to the *logit* $z$
# (not $p$) when the true class is 1: with cross-entropy it is $\sigma(z) - 1$; with squared
# error it is $2(\sigma(z) - 1)\,\sigma'(z)$. Evaluate both at $z = -10$, a confident
# mistake. How many times weaker is the squared-error push?

# %% tags=["solution"]
def solution_3():
    z = np.array([-10.0, 0.0, 10.0])
    ce = act.sigmoid(z) - 1.0
    se = 2 * (act.sigmoid(z) - 1.0) * act.sigmoid_grad(z)
    # At z = -10 the sigmoid is saturated: sigma'(z) is about 4.5e-5, so squared error
    # gives almost no gradient, while cross-entropy still pushes with nearly full force.
    return z, ce, se


z_ex, ce_grad_z, se_grad_z = solution_3()
for zi, g_ce, g_se in zip(z_ex, ce_grad_z, se_grad_z, strict=True):
    print(f"z = {zi:>5}: cross-entropy {g_ce:+.5f}   squared error {g_se:+.7f}")
print(f"at z = -10 the squared-error push is {ce_grad_z[0] / se_grad_z[0]:,.0f} times weaker")

# %% [markdown]
# ## Summary
#
# - A loss returns one number for the batch and its gradient with respect to the
#   predictions; training follows the gradient.
# - Use mean squared error for numbers, cross-entropy for classes: it is the negative
#   log-likelihood and keeps pushing on confident mistakes.
# - Never compute $\ln \sigma(z)$ or $\ln \operatorname{softmax}(z)$ from probabilities:
#   work from logits, with the binary cross-entropy $\max(z, 0) - yz + \ln(1 + e^{-|z|})$
#   and log-sum-exp, whose largest exponent is 0. glassnet's `from_logits=True` losses do
#   exactly this. Clipped probabilities keep the loss finite but give a saturated output
#   almost no gradient.
# - An untrained classifier's loss should start near $\ln C$, at it or up to a few tenths
#   above.
