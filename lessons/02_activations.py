# %% [markdown]
# # Lesson 2: activation functions
#
# **You will learn** what an activation function does to a neuron's weighted sum $z$, how
# its derivative $f'(z)$ decides how much gradient flows back, and why a network without
# one collapses to a single linear map.
#
# **You need** Python, NumPy and the idea of a neuron's weighted sum
# $z = \sum_i w_i x_i + b$.

# %%
import numpy as np

from glassnet import activations as act

# %% [markdown]
# ## Sigmoid, written from scratch
#
# The sigmoid squashes any real number into $(0, 1)$:
#
# $$\sigma(z) = \frac{1}{1 + e^{-z}}, \qquad \sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr).$$
#
# The naive formula overflows for large negative $z$, because $e^{-z}$ becomes infinite.
# We write it the naive way first, then compare with glassnet's stable version.

# %%
# --8<-- [start:sigmoid_naive]
def sigmoid_naive(z):
    return 1.0 / (1.0 + np.exp(-z))
# --8<-- [end:sigmoid_naive]


z = np.linspace(-6, 6, 13)
assert np.allclose(sigmoid_naive(z), act.sigmoid(z))
print("from scratch and glassnet agree on", z.size, "points")

# %% [markdown]
# ## The derivative is where learning happens
#
# Backpropagation multiplies gradients by $f'(z)$ at every layer. The sigmoid's derivative
# is at most $0.25$, and it is nearly zero once $|z|$ is large: the neuron *saturates*.

# %%
for value in (0.0, 2.0, 5.0, 10.0):
    print(f"z = {value:5.1f}   sigmoid'(z) = {act.sigmoid_grad(np.array(value)):.6f}")

# %% [markdown]
# ## Plot every activation and its derivative

# %%
import matplotlib.pyplot as plt

grid = np.linspace(-4, 4, 200)
fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(9, 3.5))
for name in ("sigmoid", "tanh", "relu", "gelu"):
    ax_f.plot(grid, getattr(act, name)(grid), label=name)
    ax_d.plot(grid, getattr(act, name + "_grad")(grid), label=name)
ax_f.set_title("f(z)")
ax_d.set_title("f'(z)")
ax_f.legend()
fig.tight_layout()

# %% [markdown]
# ## Summary
#
# - An activation bends the weighted sum; without it, stacked layers stay linear.
# - Its derivative scales the gradient; sigmoid and tanh saturate, ReLU does not for $z > 0$.
