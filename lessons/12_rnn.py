# %% [markdown]
# # Lesson 12: recurrent networks
#
# **You will learn** how a recurrent network (RNN) reads a sequence one step at a time
# through a hidden state, why its gradient fades over long distances in time, and how the
# LSTM's gated cell keeps information for longer. You will write both cells from scratch,
# check them against glassnet, and race them on a task that needs memory.
#
# **You need** backpropagation and vanishing gradients ([lesson 10](10_vanishing_gradients.ipynb))
# and training with glassnet ([lesson 7](07_first_network.ipynb)).

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
# We write the RNN and LSTM forward passes from scratch; glassnet's `RNN` and `LSTM`
# layers, which also know how to backpropagate through time, check them and do the
# training.

# %%
import matplotlib.pyplot as plt
import numpy as np

from glassnet import Sequential, layers, optimizers
from glassnet.activations import sigmoid
from glassnet.data import make_memory_task

SEED = 0
HIDDEN = 16
NOISE = 2.0

# %% [markdown]
# ## A network with a memory
#
# A sequence arrives as `x` of shape `(batch, time, features)`. A recurrent layer keeps a
# hidden state $h_t$ and updates it at every step from the new input and the previous
# state, with the *same* weights at every step:
#
# $$h_t = \tanh(x_t W_x + h_{t-1} W_h + b), \qquad h_0 = 0.$$
#
# The final state $h_T$ summarises the whole sequence; a dense layer on top turns it into a
# prediction. Written as a loop:

# %%
# --8<-- [start:rnn_forward]
def rnn_forward(x, W_x, W_h, b):
    """Hidden states (batch, time, H) of a tanh RNN over x (batch, time, n_in)."""
    h = np.zeros((x.shape[0], W_h.shape[0]))
    states = []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ W_x + h @ W_h + b)     # the same weights at every step
        states.append(h)
    return np.stack(states, axis=1)
# --8<-- [end:rnn_forward]


rng = np.random.default_rng(SEED)
x = rng.normal(size=(4, 7, 3))
rnn = layers.RNN(3, 5, return_sequences=True, rng=rng)
ours = rnn_forward(x, rnn.params["W_x"], rnn.params["W_h"], rnn.params["b"])
assert np.allclose(ours, rnn.forward(x), rtol=0, atol=1e-12)
print("our RNN loop agrees with glassnet's RNN:", ours.shape)

# %% [markdown]
# ## The LSTM cell
#
# Training an RNN means backpropagating through every step (*backpropagation through
# time*). The gradient that reaches step $t$ from the end has been multiplied by $W_h^\top$
# and by $\tanh'$ once per step in between, so, as in a deep sigmoid network, it tends to
# vanish over long distances.
#
# The LSTM (Hochreiter and Schmidhuber, 1997, with the forget gate that Gers, Schmidhuber
# and Cummins added in 2000) adds a second state, the *cell* $c_t$, that is updated by
# addition rather than by a squashing matrix product. Three gates, each a
# sigmoid between 0 and 1, decide what to write, keep and show:
#
# $$\begin{aligned}
# [z^i_t, z^f_t, z^g_t, z^o_t] &= x_t W_x + h_{t-1} W_h + b \\
# i_t = \sigma(z^i_t), \quad f_t &= \sigma(z^f_t), \quad o_t = \sigma(z^o_t),
# \quad g_t = \tanh(z^g_t) \\
# c_t &= f_t \odot c_{t-1} + i_t \odot g_t \\
# h_t &= o_t \odot \tanh(c_t).
# \end{aligned}$$
#
# The candidate $g_t$ is not a gate: it is the value that may be written, so there are
# three gates and four blocks of weights. Along the cell,
# $\partial c_t / \partial c_{t-1} = \operatorname{diag}(f_t)$: when the forget gate $f_t$
# stays near 1, the gradient flows back along the cell almost unchanged, like the skip path
# of a residual connection. The content itself is kept, $c_t \approx c_{t-1}$, only when the
# input gate also stays near 0, so that $i_t \odot g_t \approx 0$. Glassnet stores the four
# blocks of weights ($i, f, g, o$) side by side, so `W_x` is `(n_in, 4H)`.

# %%
# --8<-- [start:lstm_step]
def lstm_step(x_t, h, c, W_x, W_h, b):
    """One LSTM step: new (h, c), each (batch, H), from x_t (batch, n_in) and old (h, c)."""
    H = h.shape[1]
    z = x_t @ W_x + h @ W_h + b                       # (batch, 4H): i, f, g, o side by side
    i, f, o = sigmoid(z[:, :H]), sigmoid(z[:, H:2 * H]), sigmoid(z[:, 3 * H:])
    g = np.tanh(z[:, 2 * H:3 * H])
    c = f * c + i * g                                 # forget some, write some
    return o * np.tanh(c), c
# --8<-- [end:lstm_step]


lstm = layers.LSTM(3, 5, return_sequences=True, rng=rng)
h, c = np.zeros((4, 5)), np.zeros((4, 5))
states = []
for t in range(x.shape[1]):
    h, c = lstm_step(x[:, t], h, c, lstm.params["W_x"], lstm.params["W_h"], lstm.params["b"])
    states.append(h)
assert np.allclose(np.stack(states, axis=1), lstm.forward(x), rtol=0, atol=1e-12)
print("our LSTM step agrees with glassnet's LSTM")

# %% [markdown]
# ## A task that needs memory
#
# Each sequence has two features. The first step carries the signal, $-1$ or $+1$, with a
# marker in the second feature; every later step carries Gaussian noise with standard
# deviation 2, larger than the signal itself. The label is the sign of the first step. To
# answer after the last step, the network must store one bit for `distance` steps and
# ignore everything that comes after. `glassnet.data.make_memory_task` builds such
# sequences; every call draws a fresh batch from the generator it is given.

# %%
def memory_task(n, distance, rng):
    """X (n, distance, 2) and labels y (n,): y is 1 when the first step's signal is +1."""
    return make_memory_task(n, distance, noise=NOISE, seed=rng)


X_demo, y_demo = memory_task(3, 8, np.random.default_rng(SEED))
print("labels:", y_demo)
print("first feature of the first sequence:", np.round(X_demo[0, :, 0], 2))

# %% [markdown]
# ## How far back does the gradient reach?
#
# Before training, push a batch of 30-step sequences through each cell and a dense layer,
# backpropagate the loss, and measure the gradient with respect to each step's input,
# $\lVert \partial L / \partial x_t \rVert$. Step 0, where the answer sits, is the one that
# matters.

# %%
def build(cell, seed=SEED):
    """`cell` ("RNN" or "LSTM") with HIDDEN units, then a dense layer to two logits."""
    return Sequential([getattr(layers, cell)(2, HIDDEN), layers.Dense(HIDDEN, 2)], seed=seed)


def input_gradient_per_step(model, X, y):
    """Norm of dL/dx_t over the batch, for every step t: shape (time,)."""
    model.compile(optimizers.SGD(lr=0.01), loss="cross_entropy")
    model.zero_grad()
    model.loss.forward(model.forward(X, training=True), y)
    dx = model.backward(model.loss.backward())     # (batch, time, 2)
    return np.linalg.norm(dx, axis=(0, 2))


X30, y30 = memory_task(256, 30, np.random.default_rng(SEED))
reach = {cell: input_gradient_per_step(build(cell), X30, y30) for cell in ("RNN", "LSTM")}
for cell, g in reach.items():
    print(f"{cell:>4}: gradient at step 0 / at the last step = {g[0] / g[-1]:.1e}")
assert reach["LSTM"][0] / reach["LSTM"][-1] > 10 * reach["RNN"][0] / reach["RNN"][-1]

fig, ax = plt.subplots(figsize=(6.5, 3.4))
for (cell, g), marker in zip(reach.items(), "os", strict=True):
    ax.plot(np.arange(30), g, marker=marker, ms=4, label=cell)
ax.set(xlabel="step t (0 holds the answer)", ylabel="norm of dL/dx_t", yscale="log",
       title="How much each step's input can change the loss")
ax.legend()
fig.tight_layout()

# %% [markdown]
# Both curves fall towards the start, but the RNN's falls much faster: the first step
# gets a far smaller share of the gradient, so learning to use it is slow.
#
# ## The race
#
# Now train each cell on distances of 5, 10 and 20 steps, three seeds each, with the same
# budget: 100 Adam steps on fresh batches of 64 sequences, with gradients clipped to a
# global norm of 1 (recurrent networks occasionally produce huge gradients, lesson 10's
# exploding case). Accuracy is measured on 500 new sequences; 50% is guessing.

# %%
def train_memory(cell, distance, seed, steps=100):
    """Test accuracy of `cell` on the memory task at `distance` after `steps` Adam steps."""
    rng = np.random.default_rng(seed)
    model = build(cell, seed)
    model.compile(optimizers.Adam(lr=0.02, clipnorm=1.0), loss="cross_entropy")
    for _ in range(steps):
        model.train_on_batch(*memory_task(64, distance, rng))
    return model.evaluate(*memory_task(500, distance, rng))["accuracy"]


DISTANCES = (5, 10, 20)
results = {cell: np.array([[train_memory(cell, d, seed) for d in DISTANCES]
                           for seed in range(3)]) for cell in ("RNN", "LSTM")}
for cell, acc in results.items():
    print(f"{cell:>4}: mean accuracy at distances {DISTANCES}: {np.round(acc.mean(axis=0), 3)};"
          f" at {DISTANCES[-1]} per seed: {acc[:, -1]}")
assert results["LSTM"][:, -1].mean() > 0.95
assert results["RNN"][:, -1].mean() < results["LSTM"][:, -1].mean() - 0.15
assert np.all(results["LSTM"][:, -1] > 0.95) and results["RNN"][:, -1].min() < 0.6

fig, ax = plt.subplots(figsize=(6, 3.4))
for (cell, acc), marker, style in zip(results.items(), "os", ["-", "--"], strict=True):
    line, = ax.plot(DISTANCES, acc.mean(axis=0), style, marker=marker, label=f"{cell}, mean")
    for row in acc:                                  # one faint point per seed
        ax.scatter(DISTANCES, row, marker=marker, s=14, alpha=0.4, color=line.get_color())
ax.axhline(0.5, color="gray", lw=0.8)
ax.set(xlabel="distance (steps to remember)", ylabel="test accuracy", ylim=(0.4, 1.03),
       xticks=DISTANCES, title="Remembering one bit: RNN against LSTM")
ax.legend()
fig.tight_layout()

# %% [markdown]
# Over short distances both succeed. At 20 steps the LSTM still gets every seed right,
# while the RNN, with the same budget, is unreliable: at least one seed stays near chance
# (the assertion above checks both). Both cells have the same hidden size, so the LSTM has
# four times the recurrent weights: the race shows that gated, larger cells learn long
# memories more easily, not which of the two matters more. LSTMs ruled sequence modelling
# until attention (lesson 13).
#
# ## Exercises
#
# Try each one before opening its solution. Every solution is a function that the test
# suite runs and checks.
#
# ### Exercise 1: counting parameters
#
# Write the number of parameters of an `RNN(n_in, H)` and of an `LSTM(n_in, H)` as
# formulas, and check them against glassnet's `num_params()` for a few sizes.

# %% tags=["solution"]
def solution_1(n_in, H):
    """Parameter counts (rnn, lstm): W_x (n_in, kH), W_h (H, kH), b (kH,) with k = 1 or 4."""
    rnn_count = n_in * H + H * H + H
    return rnn_count, 4 * rnn_count  # three gates and a candidate, each an RNN-sized block


for n_in, H in ((2, 16), (10, 32)):
    rnn_count, lstm_count = solution_1(n_in, H)
    assert rnn_count == layers.RNN(n_in, H).num_params()
    assert lstm_count == layers.LSTM(n_in, H).num_params()
    print(f"n_in = {n_in}, H = {H}: RNN {rnn_count:,} parameters, LSTM {lstm_count:,}")

# %% [markdown]
# ### Exercise 2: the forget gate's bias
#
# Glassnet starts the forget gate's bias at 1, so that
# $f_t = \sigma(1 + \text{the gate's weighted input and state})$ starts around
# $\sigma(1) \approx 0.73$ and the cell remembers by default at the start of training
# (Jozefowicz et al., 2015). Set that bias (the second block of `H` entries of `b`) to 0
# instead, train at distance 20 with seed 0 as in the race, and compare with the default.

# %% tags=["solution"]
def solution_2(distance=20, seed=0, steps=100):
    """Test accuracy of the LSTM at `distance` with forget bias 1 (default) and 0."""
    results = {}
    for forget_bias in (1.0, 0.0):
        rng = np.random.default_rng(seed)
        model = build("LSTM", seed)
        model.layers[0].params["b"][HIDDEN:2 * HIDDEN] = forget_bias
        model.compile(optimizers.Adam(lr=0.02, clipnorm=1.0), loss="cross_entropy")
        for _ in range(steps):
            model.train_on_batch(*memory_task(64, distance, rng))
        results[forget_bias] = model.evaluate(*memory_task(500, distance, rng))["accuracy"]
    return results


def forget_bias_reach(forget_bias, distance=20, seed=0):
    """Gradient at step 0 over gradient at the last step, for an untrained LSTM."""
    model = build("LSTM", seed)
    model.layers[0].params["b"][HIDDEN:2 * HIDDEN] = forget_bias
    g = input_gradient_per_step(model, *memory_task(256, distance, np.random.default_rng(seed)))
    return g[0] / g[-1]


print(solution_2())
print({bias: f"{forget_bias_reach(bias):.1e}" for bias in (1.0, 0.0)})

# %% [markdown]
# Along the cell, the gradient from the last step back to step 0 is multiplied by $f_t$ at
# each of the 19 steps between. If every $f_t$ stayed at the sigmoid of its bias, that
# would be $\sigma(1)^{19} \approx 3 \times 10^{-3}$ with the default bias and
# $\sigma(0)^{19} = 0.5^{19} \approx 2 \times 10^{-6}$ with bias 0; the noisy inputs
# spread the real $f_t$ around those values, so this is a guide, not a measurement.
# Through the whole network (the cell and the hidden path together) the first input's
# gradient, printed
# above relative to the last step's, starts roughly a hundred times weaker with bias 0,
# and within this budget the LSTM with bias 0 fails like the RNN.
#
# ### Exercise 3: gradient clipping
#
# Clipping by global norm rescales *all* gradients together when their combined norm
# $\lVert g \rVert = \sqrt{\sum_k \lVert g_k \rVert^2}$ exceeds a threshold $c$:
# $g \leftarrow g \cdot \min(1, c / \lVert g \rVert)$. It keeps the direction and caps the
# step. Write it for a dict of gradient arrays, and check that one SGD step with
# `lr=1` and `clipnorm=c` in glassnet subtracts exactly your clipped gradients.

# %% tags=["solution"]
def solution_3(grads, max_norm):
    """Gradients (a dict of arrays) rescaled so that their global norm is at most max_norm."""
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return {key: g * scale for key, g in grads.items()}


rng = np.random.default_rng(SEED)
grads = {"W": rng.normal(size=(3, 4)), "b": rng.normal(size=4)}
params = {key: np.zeros_like(g) for key, g in grads.items()}
optimizers.SGD(lr=1.0, clipnorm=1.0).update(params, grads)
clipped = solution_3(grads, 1.0)
assert all(np.allclose(-params[key], clipped[key], atol=1e-15) for key in grads)
print("global norm before", round(float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))), 3),
      "after", round(float(np.sqrt(sum(np.sum(g ** 2) for g in clipped.values()))), 3))

# %% [markdown]
# ## Summary
#
# - An RNN applies the same weights at every step, carrying a hidden state
#   $h_t = \tanh(x_t W_x + h_{t-1} W_h + b)$; it is trained by backpropagation through time.
# - The gradient reaching early steps shrinks with every step in between, so plain RNNs
#   struggle to learn long-range dependencies.
# - The LSTM's cell is updated additively, $c_t = f_t \odot c_{t-1} + i_t \odot g_t$; with the
#   forget gate near 1 the memory and its gradient survive many steps.
# - Clip gradients by global norm when training recurrent networks.
