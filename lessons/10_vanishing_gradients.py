# %% [markdown]
# # Lesson 10: vanishing gradients
#
# **You will learn** why the gradient shrinks layer by layer in a deep sigmoid network
# until the first layers stop learning, and three remedies that made deep learning work:
# ReLU with He initialisation, batch normalisation, and residual connections. You will
# measure the signal and the gradient at every layer, write He initialisation, batch
# normalisation and a residual connection yourself, and check them against glassnet.
#
# **You need** backpropagation ([lesson 5](05_backprop.ipynb)), the activation functions
# and their derivatives ([lesson 2](02_activations.ipynb)) and the digits of
# [lesson 8](08_digits.ipynb).

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
# We write the forward loop, He initialisation, batch normalisation and the residual
# connection from scratch; glassnet provides the layers we compare them with and trains
# the networks.

# %%
import matplotlib.pyplot as plt
import numpy as np

from glassnet import Sequential, init, layers, optimizers
from glassnet.activations import relu, sigmoid, sigmoid_grad
from glassnet.data import load_digits, standardize, train_test_split

SEED = 0
DEPTH = 10     # hidden layers
WIDTH = 32     # units per hidden layer

# %% [markdown]
# ## Why the gradient vanishes
#
# Backpropagation carries the gradient from layer $\ell$ to layer $\ell - 1$ by multiplying
# by the activation's derivative and by the transposed weights:
#
# $$\frac{\partial L}{\partial A_{\ell-1}} = \Bigl(\frac{\partial L}{\partial A_\ell}
# \odot f'(Z_\ell)\Bigr)\, W_\ell^\top.$$
#
# Through $D$ layers that is $D$ such products. The sigmoid's derivative is at most
# $\sigma'(0) = 1/4$, so unless the weights make up for it, each layer divides the gradient
# by four or more, and after ten layers little is left.

# %%
print("sigmoid'(0) =", sigmoid_grad(np.array(0.0)))
print(f"(1/4)^{DEPTH} = {0.25 ** DEPTH:.1e}")

# %% [markdown]
# ## Four deep networks
#
# All four have ten hidden layers of 32 units between the 64 pixels and the 10 digit
# scores:
#
# 1. **sigmoid**: Dense + sigmoid, Glorot initialisation (the default);
# 2. **ReLU + He**: Dense + ReLU, He initialisation;
# 3. **sigmoid + BatchNorm**: Dense + BatchNorm + sigmoid;
# 4. **sigmoid + residual**: after a first Dense layer, each hidden layer adds its output to
#    its input, $A_\ell = A_{\ell-1} + \sigma(A_{\ell-1})\, W_\ell + b_\ell$. The sigmoid
#    comes first inside the block, so what is added can be negative as well as positive;
#    the page's residual figure puts it last, and its always-positive outputs make the
#    signal grow from block to block.

# %%
def deep_mlp(kind, depth=DEPTH, width=WIDTH, n_in=64, seed=SEED):
    """A deep MLP of one of the four kinds: sigmoid, relu_he, batchnorm, residual."""
    stack = []
    for i in range(depth):
        fan_in = n_in if i == 0 else width
        if kind == "sigmoid":
            stack += [layers.Dense(fan_in, width), layers.Sigmoid()]
        elif kind == "relu_he":
            stack += [layers.Dense(fan_in, width, init="he_normal"), layers.ReLU()]
        elif kind == "batchnorm":
            stack += [layers.Dense(fan_in, width), layers.BatchNorm(width), layers.Sigmoid()]
        elif kind == "residual" and i == 0:
            stack += [layers.Dense(fan_in, width)]
        elif kind == "residual":
            stack += [layers.Residual([layers.Sigmoid(), layers.Dense(width, width)])]
    return Sequential([*stack, layers.Dense(width, 10)], seed=seed)


KINDS = {"sigmoid": "sigmoid", "relu_he": "ReLU + He", "batchnorm": "sigmoid + BatchNorm",
         "residual": "sigmoid + residual"}

X, y = load_digits()
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=SEED,
                                                    stratify=True)
X_train, mean, std = standardize(X_train)
X_test, _, _ = standardize(X_test, mean, std)
print(deep_mlp("residual"))

# %% [markdown]
# ## The signal, layer by layer
#
# Before any gradient, look at the forward pass. A layer can only pass on information
# about the input if its outputs differ from image to image. For every hidden layer we
# measure that spread: the standard deviation of each unit's output across a batch of 256
# images, averaged over the units. First, a check that our own loop,
# $A_\ell = \sigma(A_{\ell-1} W_\ell + b_\ell)$, computes exactly what glassnet's
# `Sequential.forward` computes for the sigmoid network.

# %%
sigmoid_net = deep_mlp("sigmoid")
a = X_train[:256]
for dense in sigmoid_net.layers[:-1:2]:                       # the Dense layers
    a = sigmoid(a @ dense.params["W"] + dense.params["b"])
ours = a @ sigmoid_net.layers[-1].params["W"] + sigmoid_net.layers[-1].params["b"]
assert np.allclose(ours, sigmoid_net.forward(X_train[:256]), rtol=0, atol=1e-12)


def spread_per_layer(model, X):
    """Mean over units of the std across the batch, after every hidden layer."""
    spreads, a = [], X
    for layer in model.layers:
        a = layer.forward(a, training=True)               # BatchNorm uses batch statistics
        if isinstance(layer, (layers.Sigmoid, layers.ReLU, layers.Residual)):
            spreads.append(float(a.std(axis=0).mean()))
    return spreads


spreads = {kind: spread_per_layer(deep_mlp(kind), X_train[:256]) for kind in KINDS}
for kind, label in KINDS.items():
    print(f"{label:>20}: {' '.join(f'{s:.0e}' for s in spreads[kind])}")
assert spreads["sigmoid"][-1] < 1e-3 * spreads["sigmoid"][0]
# For the batch normalisation section below: after a BatchNorm every sigmoid keeps a spread
# of about 0.2, while each plain sigmoid keeps about a fourth of the one before.
assert all(0.15 < s < 0.25 for s in spreads["batchnorm"])
ratios = np.array(spreads["sigmoid"][1:]) / spreads["sigmoid"][:-1]
assert np.all((ratios > 0.15) & (ratios < 0.35))

fig, ax = plt.subplots(figsize=(6.5, 3.6))
for (kind, label), marker in zip(KINDS.items(), "osD^", strict=True):
    first = DEPTH - len(spreads[kind]) + 1                 # residual: from layer 2
    ax.plot(np.arange(first, DEPTH + 1), spreads[kind], marker=marker, label=label)
ax.set(xlabel="hidden layer", ylabel="spread across images", yscale="log",
       title="How much each layer's output depends on the input")
ax.legend(fontsize=8)
fig.tight_layout()

# %% [markdown]
# In the sigmoid network the spread collapses: each layer squeezes the differences
# between images by the sigmoid's slope, and a few layers in, every image produces nearly
# the same activations. The other three keep the images apart.
#
# ## He initialisation, from scratch
#
# Why He? A ReLU zeroes half of its inputs, which halves the mean square of the signal.
# With $n_\text{in}$ inputs of mean square $q$, a unit's weighted sum has variance
# $n_\text{in}\,\operatorname{Var}(W)\,q$, so choosing
#
# $$W_{ij} \sim \mathcal{N}\!\left(0, \frac{2}{n_\text{in}}\right)$$
#
# makes the factor $n_\text{in} \cdot \frac{2}{n_\text{in}} \cdot \frac12 = 1$: the signal
# keeps its size through any number of layers (He et al., 2015). Glorot's rule, with
# $2/(n_\text{in} + n_\text{out})$, plays the same role for tanh. From the same seed, our
# draw must equal `glassnet.init.he_normal`.

# %%
# --8<-- [start:he_normal]
def he_normal_scratch(fan_in, fan_out, rng):
    """Weights (fan_in, fan_out) from N(0, 2 / fan_in): keeps ReLU activations' scale."""
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
# --8<-- [end:he_normal]


ours = he_normal_scratch(64, 32, np.random.default_rng(SEED))
theirs = init.he_normal((64, 32), np.random.default_rng(SEED))
assert np.array_equal(ours, theirs)

a = np.random.default_rng(SEED).normal(size=(1000, 256))
ms_in = np.mean(a ** 2)
rng = np.random.default_rng(SEED)
for _ in range(20):
    a = relu(a @ he_normal_scratch(256, 256, rng))
print(f"mean square after 20 ReLU layers with He weights: {np.mean(a ** 2):.2f} "
      f"(was {ms_in:.2f})")
assert 0.5 < np.mean(a ** 2) / ms_in < 2.0

# %% [markdown]
# ## The gradient, layer by layer
#
# Now the backward pass. For one batch we compute the loss gradient with glassnet and
# measure the size (Frobenius norm) of every weight matrix's gradient, from the first
# layer to the last.

# %%
# --8<-- [start:gradient_norms]
def weight_gradient_norms(model, X, y):
    """Norm of dL/dW for every weight matrix, input side first, after one backward pass."""
    model.compile(optimizers.SGD(lr=0.01), loss="cross_entropy")
    model.zero_grad()
    model.loss.forward(model.forward(X, training=True), y)
    model.backward(model.loss.backward())
    return [float(np.linalg.norm(g)) for layer in model.layers
            for key, g in layer.grads.items() if key.endswith("W")]
# --8<-- [end:gradient_norms]


norms = {kind: weight_gradient_norms(deep_mlp(kind), X_train[:256], y_train[:256])
         for kind in KINDS}
ratio = norms["sigmoid"][0] / norms["sigmoid"][-1]
print(f"sigmoid network: first-layer gradient / last-layer gradient = {ratio:.1e}")
assert ratio < 1e-5                         # hundreds of thousands of times smaller

fig, ax = plt.subplots(figsize=(6.5, 3.6))
for (kind, label), marker in zip(KINDS.items(), "osD^", strict=True):
    ax.plot(np.arange(1, len(norms[kind]) + 1), norms[kind], marker=marker, label=label)
ax.set(xlabel="layer (1 = next to the input)", ylabel="norm of dL/dW", yscale="log",
       title="Gradient size at every layer, at initialisation")
ax.legend(fontsize=8)
fig.tight_layout()

# %% [markdown]
# The sigmoid network's first layers receive gradients hundreds of thousands of times smaller
# than its last layer: with one learning rate for all, they barely move. The other three
# keep every layer's gradient within a small factor.
#
# ## Batch normalisation, from scratch
#
# Batch normalisation (Ioffe and Szegedy, 2015) standardizes every unit over the batch,
# then lets the network rescale and shift it with learned $\gamma$ and $\beta$:
#
# $$\hat{x} = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}, \qquad y = \gamma\,\hat{x} + \beta.$$
#
# Placed before the sigmoid, it does not raise the sigmoid's slope: the plain network's
# sigmoids already sit near their steep middle. It rescales each sigmoid's input to unit
# spread across the batch, so each sigmoid's output keeps a spread of about 0.2 instead of
# losing a factor of about four per layer (the spread plot above), and its backward pass
# scales the gradient back up by the same factor. In training mode $\mu_B$ and
# $\sigma_B^2$ are the batch's own statistics; at test time the layer uses running averages
# collected during training.

# %%
# --8<-- [start:batchnorm]
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    """Training-mode batch normalisation of x (batch, features) with the batch's statistics."""
    x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)
    return gamma * x_hat + beta
# --8<-- [end:batchnorm]


rng = np.random.default_rng(SEED)
x = rng.normal(3.0, 2.0, size=(64, 5))
bn = layers.BatchNorm(5)
bn.params["gamma"][:] = rng.uniform(0.5, 2.0, size=5)
bn.params["beta"][:] = rng.normal(size=5)
ours = batchnorm_forward(x, bn.params["gamma"], bn.params["beta"])
assert np.allclose(ours, bn.forward(x, training=True), rtol=0, atol=1e-12)
print("our batch normalisation agrees with glassnet's BatchNorm")

# %% [markdown]
# ## Residual connections, from scratch
#
# A residual connection adds a block's input to its output,
# $A_\ell = A_{\ell-1} + F_\ell(A_{\ell-1})$ (the code below calls the block `f`, its input
# `x` and the incoming gradient `dout`). The backward pass then has two paths,
#
# $$\frac{\partial L}{\partial A_{\ell-1}} = \frac{\partial L}{\partial A_\ell}
# + \frac{\partial L}{\partial A_\ell}\, \frac{\partial F_\ell}{\partial A_{\ell-1}},$$
#
# and the first, $\partial L / \partial A_\ell$ itself, reaches the input unchanged however
# many layers are stacked. Residual learning (He, Zhang, Ren and Sun, "Deep residual
# learning for image recognition", 2016) trained networks of 152 layers on ImageNet; this
# identity-path argument is that of their follow-up ("Identity mappings in deep residual
# networks", 2016), which trained a residual network of over a thousand layers.
# Transformers stack dozens of such blocks. We write both passes with a glassnet block as
# `f` and compare them with `layers.Residual`.

# %%
# --8<-- [start:residual]
def residual_forward(f, x):
    """y = x + f(x): f's output must have x's shape."""
    return x + f.forward(x, training=True)


def residual_backward(f, dout):
    """dL/dx = dout (the skip path) + f's own backward pass of dout."""
    return dout + f.backward(dout)
# --8<-- [end:residual]


rng = np.random.default_rng(SEED)
x, dout = rng.normal(size=(8, WIDTH)), rng.normal(size=(8, WIDTH))
res = layers.Residual([layers.Sigmoid(), layers.Dense(WIDTH, WIDTH, rng=rng)])
f = Sequential(list(res.layers.values()))                 # the same sublayers, no skip
assert np.allclose(residual_forward(f, x), res.forward(x, training=True), atol=1e-12)
assert np.allclose(residual_backward(f, dout), res.backward(dout), atol=1e-12)
print("our residual connection agrees with glassnet's Residual, forward and backward")

# %% [markdown]
# ## Training the four
#
# The proof is in training. All four get the same optimizer (SGD with momentum 0.9,
# learning rate 0.02) for 20 epochs on the digits. The plain sigmoid network stays at
# chance, one digit in ten; the other three learn. That holds from other seeds too: the test
# suite tries two more.

# %%
histories, accuracies = {}, {}
for kind in KINDS:
    model = deep_mlp(kind)
    model.compile(optimizers.SGD(lr=0.02, momentum=0.9), loss="cross_entropy")
    histories[kind] = model.fit(X_train, y_train, epochs=20, batch_size=64, verbose=0)
    accuracies[kind] = model.evaluate(X_test, y_test)["accuracy"]
    print(f"{KINDS[kind]:>20}: test accuracy {accuracies[kind]:.1%}")
assert accuracies["sigmoid"] < 0.2
assert min(accuracies[k] for k in ("relu_he", "batchnorm", "residual")) > 0.8

fig, ax = plt.subplots(figsize=(6.5, 3.6))
for (kind, label), style in zip(KINDS.items(), ["-", "--", "-.", ":"], strict=True):
    ax.plot(np.arange(1, 21), histories[kind].history["loss"], style, label=label)
ax.axhline(np.log(10), color="gray", lw=0.8)
ax.text(20, np.log(10), "chance: ln 10", ha="right", va="bottom", fontsize=8)
ax.set(xlabel="epoch", ylabel="training loss", title=f"Training {DEPTH}-layer networks")
ax.legend(fontsize=8)
fig.tight_layout()

# %% [markdown]
# An adaptive optimizer such as Adam divides each parameter's step by the typical size of
# that parameter's recent gradients, $|g|$, plus a small $\epsilon$, which enlarges the
# early layers' steps. In the sigmoid network the first layer's gradients are so small that
# they are of the order of Adam's $\epsilon = 10^{-8}$ itself, so even Adam's first step
# there, $|g| / (|g| + \epsilon)$ of full size, falls well short of a full step (though it is
# still millions of times the step plain SGD would take there):

# %%
sigmoid_model = deep_mlp("sigmoid")
weight_gradient_norms(sigmoid_model, X_train[:256], y_train[:256])  # fills the gradients
g_first = np.abs(sigmoid_model.layers[0].grads["W"])
eps = optimizers.Adam().eps
first_step = np.median(g_first / (g_first + eps))
print(f"first layer: median |gradient| {np.median(g_first):.1e}, Adam's eps {eps:.0e}; "
      f"Adam's first step there is {first_step:.0%} of full size (median)")
assert np.median(g_first) < 10 * eps and first_step < 0.6
assert first_step > 1e6 * np.median(g_first)  # Adam vs plain SGD, both at the same eta

# %% [markdown]
# Adam can soften the problem but does not touch its cause: on the way back every sigmoid
# layer still shrinks the gradient, so the early layers' gradients stay tiny, and on the
# way forward every layer shrinks the differences between inputs, so the deep layers'
# activations barely change from one digit to the next and carry little about the input.
#
# ## Exercises
#
# Try each one before opening its solution. Every solution is a function that the test
# suite runs and checks.
#
# ### Exercise 1: tanh instead of sigmoid
#
# $\tanh'(0) = 1$, four times the sigmoid's best. Build the ten-layer network with tanh
# (and Glorot weights) and compare the ratio of the first layer's gradient norm to the
# last layer's with the sigmoid network's.

# %% tags=["solution"]
def solution_1(seed=SEED):
    """First-to-last gradient norm ratios {"sigmoid": r, "tanh": r} of 10-layer networks."""
    X, y = load_digits()
    X = standardize(X)[0][:256]
    ratios = {}
    for name, act in (("sigmoid", layers.Sigmoid), ("tanh", layers.Tanh)):
        stack = []
        for i in range(DEPTH):
            stack += [layers.Dense(64 if i == 0 else WIDTH, WIDTH), act()]
        model = Sequential([*stack, layers.Dense(WIDTH, 10)], seed=seed)
        norms = weight_gradient_norms(model, X, y[:256])
        ratios[name] = norms[0] / norms[-1]
    return ratios


print({name: f"{r:.1e}" for name, r in solution_1().items()})

# %% [markdown]
# With tanh the gradient does not shrink here; it even grows a little: the first layer's is
# one and a half to two times the last layer's (the ratio printed above), against a few
# millionths with the sigmoid, because tanh has slope 1 at zero and the Glorot weights keep
# each layer's factor near one.
# LeCun, Bottou, Orr and Müller ("Efficient BackProp", 1998) recommended tanh over the
# sigmoid in hidden layers mainly for another reason, its outputs centred on zero, long
# before ReLU arrived.
#
# ### Exercise 2: exploding instead of vanishing
#
# The opposite failure: weights that are too large make the signal (and the gradient) grow
# at every layer. Push a batch of 256 standard-normal inputs through 10 ReLU layers of
# width 256 whose weights are drawn with standard deviation 0.2 (He would use
# $\sqrt{2/256} \approx 0.09$), and record the mean square of the signal after each layer.

# %% tags=["solution"]
def solution_2(std=0.2, depth=10, width=256, seed=SEED):
    """Mean square of the signal after each of `depth` ReLU layers with N(0, std^2) weights."""
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(256, width))
    mean_squares = []
    for _ in range(depth):
        a = relu(a @ rng.normal(0.0, std, size=(width, width)))
        mean_squares.append(float(np.mean(a ** 2)))
    return mean_squares


print(" ".join(f"{ms:.3g}" for ms in solution_2()))

# %% [markdown]
# Each layer multiplies the mean square by about $256 \cdot 0.2^2 / 2 = 5.12$, so after ten
# layers it is of the order of $10^7$ times what it was. That is far too large for a
# network to learn from, but nowhere near overflow: float64 holds numbers up to about
# $1.8 \times 10^{308}$, and at 5.12 times per layer the mean square passes that only
# after some 430 layers, as the next cell computes.

# %%
growth = 256 * 0.2**2 / 2  # the expected factor per layer: n_in * std^2 / 2 for ReLU
overflow_depth = int(np.ceil(np.log(np.finfo(np.float64).max) / np.log(growth)))
print(f"growth {growth:.2f} per layer; ten layers: x{growth**10:.2g}; "
      f"the mean square overflows float64 after {overflow_depth} layers")
# The input is standard normal, mean square 1, so the tenth value is the growth itself.
assert 1e6 < solution_2()[-1] < 1e8  # "of the order of 10^7"
assert 420 <= overflow_depth <= 440  # "some 430 layers"
#
# ### Exercise 3: find He's constant by experiment
#
# Draw ReLU weights from $\mathcal{N}(0, c^2 / n_\text{in})$ for gains $c$ from 1 to 2 in
# steps of 0.05. For each, push a batch through 30 layers of width 128 and measure how the
# mean square changed. Which $c$ keeps it closest to unchanged? Compare with $\sqrt{2}$.

# %% tags=["solution"]
def solution_3(depth=30, width=128, seed=SEED):
    """The gain c in 1, 1.05, ..., 2 whose ReLU stack best preserves the mean square."""
    gains = np.linspace(1.0, 2.0, 21)
    errors = []
    for c in gains:
        rng = np.random.default_rng(seed)
        a = rng.normal(size=(128, width))
        ms_in = np.mean(a ** 2)
        for _ in range(depth):
            a = relu(a @ rng.normal(0.0, c / np.sqrt(width), size=(width, width)))
        errors.append(abs(np.log(np.mean(a ** 2) / ms_in)))
    return float(gains[int(np.argmin(errors))])


print(f"best gain {solution_3():.2f}, sqrt(2) = {np.sqrt(2):.2f}")

# %% [markdown]
# ## Summary
#
# - Backpropagation multiplies the gradient by $f'(z)$ and $W^\top$ at every layer; with
#   the sigmoid ($f' \le 1/4$) it shrinks geometrically, so deep sigmoid networks leave
#   their first layers untrained. Too-large weights make it explode instead.
# - ReLU with He initialisation, $\mathcal{N}(0, 2/n_\text{in})$, keeps the signal's size
#   constant through depth.
# - Batch normalisation standardizes each unit over the batch, so each sigmoid's output
#   keeps its spread across the batch, and the gradient its size.
# - A residual connection $A_\ell = A_{\ell-1} + F_\ell(A_{\ell-1})$ gives the gradient a
#   path that skips every layer unchanged.
