# %% [markdown]
# # Lesson 2: activation functions
#
# **You will learn** what an activation function does to a neuron's weighted sum $z$, how
# to write the common ones and their derivatives, why the naive sigmoid overflows, how the
# derivative decides how much gradient flows back through a layer, and, by experiment, why
# a network without activations collapses to a single linear map.
#
# **You need** [lesson 1](01_perceptron.ipynb) (a neuron computes $z = x \cdot w + b$),
# NumPy, and the idea of a derivative as a slope.

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
# We write each activation from scratch, then check it against `glassnet.activations`,
# where every function `f` comes with its derivative `f_grad`.

# %%
import matplotlib.pyplot as plt
import numpy as np

from glassnet import Sequential, gradcheck, layers, losses, optimizers
from glassnet import activations as act
from glassnet.data import make_circles

SEED = 0
# Class 0 as blue circles, class 1 as orange squares: the site's figures use the same.
CLASS_STYLE = ((0, "o", "#0072B2"), (1, "s", "#D55E00"))

# %% [markdown]
# ## Sigmoid, written from scratch
#
# The step function of lesson 1 jumps from 0 to 1, so its slope is zero everywhere (and
# undefined at the jump): a small change of a weight either leaves the output as it is or
# makes it jump, so the slope gives no signal to learn from. The sigmoid is a smooth step
# that squashes any real number into $(0, 1)$:
#
# $$\sigma(z) = \frac{1}{1 + e^{-z}}.$$

# %%
# --8<-- [start:sigmoid_naive]
def sigmoid_naive(z):
    return 1.0 / (1.0 + np.exp(-z))
# --8<-- [end:sigmoid_naive]


z = np.linspace(-6, 6, 13)
assert np.allclose(sigmoid_naive(z), act.sigmoid(z), rtol=1e-12, atol=0)
print("from scratch and glassnet agree on", z.size, "points from -6 to 6")

# %% [markdown]
# ## When the formula overflows
#
# For a large negative $z$, $e^{-z}$ is larger than the biggest float64 (about
# $1.8 \times 10^{308}$, so $e^{710}$ is already too big). NumPy returns infinity and warns;
# the answer, $1 / \infty = 0$, happens to be right, but the same overflow breaks other
# formulas, and a warning in the middle of training hides real problems. We capture the
# warning to show it.

# %%
with np.errstate(over="raise"):
    try:
        sigmoid_naive(np.array([-1000.0]))
    except FloatingPointError as error:
        print("naive sigmoid at z = -1000:", error)

# %% [markdown]
# The fix never exponentiates a positive number. For $z \ge 0$ use the formula as it is;
# for $z < 0$ multiply top and bottom by $e^{z}$:
#
# $$\sigma(z) = \frac{e^{z}}{1 + e^{z}} \quad (z < 0).$$
#
# Both branches are computed from $e^{-|z|} \in (0, 1]$, which cannot overflow.

# %%
# --8<-- [start:sigmoid_stable]
def sigmoid_stable(z):
    e = np.exp(-np.abs(z))                     # In (0, 1] for every z.
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
# --8<-- [end:sigmoid_stable]


extreme = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
with np.errstate(over="raise"):               # Any overflow would now raise.
    print(sigmoid_stable(extreme))
assert np.array_equal(sigmoid_stable(extreme), act.sigmoid(extreme))

# %% [markdown]
# ## The other activations
#
# - **tanh** is a sigmoid stretched to $(-1, 1)$ and centred on zero;
# - **ReLU**, $\max(0, z)$, passes positive values unchanged and zeroes the rest;
# - **leaky ReLU** keeps a small slope $\alpha$ (0.01 here) for negative $z$;
# - **GELU**, used in Transformers, is a smooth ReLU that dips slightly below zero.
#
# ReLU and leaky ReLU are one line each; we check them, and NumPy's tanh, against glassnet.

# %%
def relu(z):
    return np.maximum(z, 0.0)


def leaky_relu(z, alpha=0.01):
    return np.where(z > 0, z, alpha * z)


z = np.linspace(-5, 5, 101)
assert np.array_equal(relu(z), act.relu(z))
assert np.array_equal(leaky_relu(z), act.leaky_relu(z))
assert np.allclose(np.tanh(z), act.tanh(z), rtol=1e-15, atol=0)
print("relu, leaky_relu and tanh agree with glassnet")

# %% [markdown]
# ## Derivatives: where learning happens
#
# Backpropagation ([lesson 5](05_backprop.ipynb)) multiplies the gradient by $f'(z)$ at
# every activation. The derivatives have short closed forms:
#
# $$\sigma'(z) = \sigma(z)\bigl(1 - \sigma(z)\bigr), \qquad
# \tanh'(z) = 1 - \tanh^2(z), \qquad
# \operatorname{ReLU}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}$$
#
# A formula for a derivative is easy to get wrong, so we compare each glassnet pair with
# a centred finite difference, $\bigl(f(z + \varepsilon) - f(z - \varepsilon)\bigr) /
# 2\varepsilon$, at random points (away from ReLU's kink at 0). `gradcheck.check_function`
# returns the relative error. Below `gradcheck.THRESHOLD`, the pass mark that glassnet's own
# tests use (printed below), the formula is right. The loop also checks three activations
# this lesson does not derive: ELU ($z$ for $z > 0$, $e^z - 1$ below), GELU (met on the
# activations page) and softplus ($\ln(1 + e^z)$, exercise 1).

# %%
print(f"pass mark: relative error below {gradcheck.THRESHOLD:.0e}")
rng = np.random.default_rng(SEED)
z_check = rng.uniform(-4, 4, size=50)
z_check = z_check[np.abs(z_check) > 0.01]      # Keep clear of the kink at z = 0.
for name in ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "softplus"):
    error = gradcheck.check_function(getattr(act, name), getattr(act, name + "_grad"), z_check)
    print(f"{name:>10}: relative error {error:.1e}")
    assert error < gradcheck.THRESHOLD

# %% [markdown]
# ## Plot every activation and its derivative
#
# On the left the functions, on the right their slopes. Notice the sigmoid's slope never
# exceeds 0.25 and dies out in both tails (the neuron *saturates*), while ReLU's slope is
# exactly 1 for every positive input.

# %%
grid = np.linspace(-4, 4, 201)
names = ("sigmoid", "tanh", "relu", "leaky_relu", "gelu")
styles = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)))
fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(9, 3.6))
for name, style in zip(names, styles, strict=True):
    ax_f.plot(grid, getattr(act, name)(grid), linestyle=style, label=name)
    ax_d.plot(grid, getattr(act, name + "_grad")(grid), linestyle=style, label=name)
ax_f.set(title="$f(z)$", xlabel="$z$", ylim=(-1.5, 4))
ax_d.set(title="$f'(z)$", xlabel="$z$", ylim=(-0.1, 1.2))
ax_f.legend(fontsize=8)
for ax in (ax_f, ax_d):
    ax.grid(alpha=0.3)
fig.tight_layout()

# %% [markdown]
# The largest slope of each function, measured on the grid, confirms the picture:

# %%
for name in names:
    print(f"{name:>10}: max f'(z) = {np.max(getattr(act, name + '_grad')(grid)):.3f}")
assert np.isclose(np.max(act.sigmoid_grad(grid)), 0.25)

# %% [markdown]
# A gradient on its way back through ten sigmoid layers is multiplied by ten such slopes
# (and by the weight matrices between them). The slopes alone multiply to at most
# $0.25^{10}$, about $10^{-6}$; unless the weights are large enough to make up for it, the
# layers near the input barely learn. This is the *vanishing gradient* problem, and the
# main reason hidden layers use ReLU-like activations today.

# %%
print(f"0.25 ** 10 = {0.25 ** 10:.2e}")

# %% [markdown]
# ## The linear-collapse experiment
#
# Why not skip the activation? Two dense layers without one compute
#
# $$(x W_1 + b_1) W_2 + b_2 = x\,(W_1 W_2) + (b_1 W_2 + b_2),$$
#
# which is again one dense layer, with weights $W_1 W_2$ and bias $b_1 W_2 + b_2$. However
# many layers you stack, the network can only draw a straight line between classes.
#
# Test it on two concentric circles, where no straight line can work. We train the same
# architecture, three dense layers (two hidden layers of 16 units and one output unit),
# twice: once with nothing between the layers, once with ReLU.

# %%
X, y = make_circles(300, noise=0.08, seed=SEED)


def circles_model(activation):
    """Dense(2, 16) -> Dense(16, 16) -> Dense(16, 1), with `activation` after each hidden layer."""
    hidden = [] if activation is None else [activation()]
    stack = [layers.Dense(2, 16), *hidden, layers.Dense(16, 16), *hidden, layers.Dense(16, 1)]
    model = Sequential(stack, seed=SEED)
    model.compile(optimizers.Adam(lr=0.02), losses.BinaryCrossEntropy(from_logits=True))
    return model


models = {}
for label, activation in (("linear", None), ("ReLU", layers.ReLU)):
    models[label] = circles_model(activation)
    models[label].fit(X, y[:, None], epochs=150, batch_size=32, verbose=0)
    accuracy = models[label].evaluate(X, y[:, None])["accuracy"]
    print(f"{label:>6} network: training accuracy {accuracy:.0%}")

linear_accuracy = models["linear"].evaluate(X, y[:, None])["accuracy"]
relu_accuracy = models["ReLU"].evaluate(X, y[:, None])["accuracy"]
print(f"points per class: {np.bincount(y)}")
assert np.bincount(y)[0] == np.bincount(y)[1]   # Equal classes: guessing gets 50%.
assert linear_accuracy < 0.6 and relu_accuracy > 0.95

# %% [markdown]
# The pictures show why: the linear network's decision boundary is a straight line (it
# does little better than chance, which is 50% since the two classes are the same size),
# while the ReLU network bends its boundary around the inner circle.

# %%
xx, yy = np.meshgrid(np.linspace(-1.5, 1.5, 150), np.linspace(-1.5, 1.5, 150))
fig, axes = plt.subplots(1, 2, figsize=(8.5, 4))
for ax, (label, model) in zip(axes, models.items(), strict=True):
    logits = model.predict(np.c_[xx.ravel(), yy.ravel()]).reshape(xx.shape)
    ax.contourf(xx, yy, logits > 0, levels=[-0.5, 0.5, 1.5], colors=["#dde6f5", "#f8e0cc"])
    for cls, marker, colour in CLASS_STYLE:
        ax.scatter(*X[y == cls].T, marker=marker, color=colour, s=10, label=f"class {cls}")
    ax.set(title=f"{label} network", xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
axes[0].legend(loc="lower left", fontsize=8)
fig.tight_layout()

# %% [markdown]
# ## Exercises
#
# Try each one before opening its solution. Every solution is a function that the test
# suite runs and checks.
#
# ### Exercise 1: softplus and its derivative
#
# Softplus, $\ln(1 + e^{z})$, is a smooth ReLU. Write it so that it cannot overflow
# (*hint:* $\ln(1 + e^{z}) = \max(z, 0) + \ln(1 + e^{-|z|})$, and `np.log1p`), show that
# its derivative is the sigmoid, and compare both with `glassnet.activations`.

# %% tags=["solution"]
def solution_1():
    def softplus(z):
        return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))

    z = np.linspace(-1000, 1000, 2001)
    eps = 1e-6
    slope = (softplus(z + eps) - softplus(z - eps)) / (2 * eps)   # d/dz ln(1 + e^z)
    # d/dz ln(1 + e^z) = e^z / (1 + e^z) = 1 / (1 + e^-z): exactly the sigmoid.
    return softplus, z, slope


softplus, z_sp, slope = solution_1()
print("largest |softplus - glassnet|:", np.max(np.abs(softplus(z_sp) - act.softplus(z_sp))))
print("largest |slope - sigmoid|:    ", np.max(np.abs(slope - act.sigmoid(z_sp))))

# %% [markdown]
# ### Exercise 2: tanh is a rescaled sigmoid
#
# Show numerically that $\tanh(z) = 2\sigma(2z) - 1$ and, by differentiating both sides,
# that $\tanh'(0) = 4\sigma'(0) = 1$. Return the largest difference on $[-10, 10]$ and the
# two slopes at zero.

# %% tags=["solution"]
def solution_2():
    z = np.linspace(-10, 10, 2001)
    gap = np.max(np.abs(act.tanh(z) - (2 * act.sigmoid(2 * z) - 1)))
    # Chain rule: d/dz [2 sigma(2z) - 1] = 4 sigma'(2z); at z = 0 that is 4 * 0.25 = 1.
    return gap, float(act.tanh_grad(0.0)), float(4 * act.sigmoid_grad(0.0))


gap, tanh_slope, sigmoid_slope = solution_2()
print(f"largest gap {gap:.1e}; tanh'(0) = {tanh_slope}, 4 sigma'(0) = {sigmoid_slope}")

# %% [markdown]
# ### Exercise 3: collapse a linear network by hand
#
# Take a list of `Dense` layers with nothing between them and compute the single weight
# matrix `W` and bias `b` of the equivalent layer. Check on random inputs that `x @ W + b`
# equals the stacked network's output.

# %% tags=["solution"]
def solution_3(dense_layers):
    W = np.eye(dense_layers[0].n_in)
    b = np.zeros(dense_layers[0].n_in)
    for layer in dense_layers:           # (x W + b) W_k + b_k = x (W W_k) + (b W_k + b_k)
        W, b = W @ layer.params["W"], b @ layer.params["W"] + layer.params["b"]
    return W, b


stack = [layers.Dense(2, 16), layers.Dense(16, 16), layers.Dense(16, 1)]
deep_linear = Sequential(stack, seed=SEED)
for layer in stack:   # New layers start with zero biases; random ones test the bias formula.
    layer.params["b"][:] = np.random.default_rng(SEED).standard_normal(layer.params["b"].shape)
W, b = solution_3(stack)
x_test = np.random.default_rng(SEED).standard_normal((5, 2))
print("one layer:", (x_test @ W + b)[:, 0].round(6))
print("stacked:  ", deep_linear.predict(x_test)[:, 0].round(6))

# %% [markdown]
# ## Summary
#
# - An activation $f$ turns a neuron's weighted sum $z$ into its output $a = f(z)$. Without
#   one, any stack of dense layers is a single affine map $xW + b$, as exercise 3 showed,
#   and draws a straight boundary, as the circles experiment showed.
# - Compute the sigmoid from $e^{-|z|}$: the textbook formula overflows for large negative $z$.
# - The derivative $f'(z)$ scales the gradient flowing back. The sigmoid's is at most 0.25
#   and vanishes in the tails; ReLU's is 1 for every positive input, which helps deep
#   networks train (together with a good initialisation, lesson 10).
# - A finite-difference check catches a wrong derivative formula at once.
