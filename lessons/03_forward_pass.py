# %% [markdown]
# # Lesson 3: the forward pass
#
# **You will learn** how a layer of neurons becomes one matrix product, how to follow the
# shapes of every array through a network, how to count its parameters, and how the same
# network is written with glassnet's `Sequential`.
#
# **You need** [lesson 1](01_perceptron.ipynb) (a neuron computes $z = x \cdot w + b$),
# [lesson 2](02_activations.ipynb) (activations) and NumPy matrix products.

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

from glassnet import Sequential, layers
from glassnet import activations as act

SEED = 0

# %% [markdown]
# ## One neuron, by hand
#
# A neuron with three inputs multiplies each by its weight, adds them up with a bias, and
# applies its activation. With small whole numbers you can check every step on paper.

# %%
x = np.array([1.0, 2.0, -1.0])
w = np.array([0.5, -1.0, 2.0])
b = 0.5
z = 0.0
for x_i, w_i in zip(x, w, strict=True):
    z += w_i * x_i
z += b
print(f"z = 0.5*1 + (-1)*2 + 2*(-1) + 0.5 = {z}")
print(f"ReLU(z) = {act.relu(z)}, sigmoid(z) = {act.sigmoid(z):.4f}")
assert z == x @ w + b == -3.0

# %% [markdown]
# ## A layer is a matrix product
#
# A layer of $n_{out}$ neurons is $n_{out}$ such sums over the same inputs. Put each
# neuron's weights in a column of a matrix $W$ of shape `(n_in, n_out)` and the biases in
# a vector $b$ of shape `(n_out,)`; then all the neurons at once are
#
# $$z = x W + b.$$
#
# Stack a batch of examples as the rows of $X$, shape `(batch, n_in)`, and the same line
# computes every neuron for every example: `X @ W` has shape `(batch, n_out)`, and NumPy
# adds $b$ to each row (broadcasting). Glassnet and Keras use this layout, rows for
# examples and $W$ of shape `(n_in, n_out)`. PyTorch also puts examples in rows, but stores
# a layer's weight as `(n_out, n_in)` and computes $x W^\top + b$.

# %%
rng = np.random.default_rng(SEED)
X = rng.standard_normal((4, 3))                  # 4 examples, 3 features
W = rng.standard_normal((3, 5))                  # 3 inputs -> 5 neurons
b = rng.standard_normal(5)

Z = X @ W + b
print("X", X.shape, "@ W", W.shape, "+ b", b.shape, "-> Z", Z.shape)

# The same numbers, one neuron and one example at a time.
Z_loop = np.array([[X[n] @ W[:, j] + b[j] for j in range(5)] for n in range(4)])
assert np.allclose(Z, Z_loop, rtol=1e-12, atol=1e-12)

# %% [markdown]
# ## A whole network, from scratch
#
# A network is layers in sequence: each layer's output is the next layer's input. Here is
# a classifier with 2 inputs, a hidden layer of 8 ReLU units and 3 outputs turned into
# probabilities by softmax:
#
# $$a_1 = \operatorname{ReLU}(x W_1 + b_1), \qquad
# \hat{y} = \operatorname{softmax}(a_1 W_2 + b_2).$$
#
# The function prints the shape of every intermediate array, the first thing to check when
# a network misbehaves.

# %%
# --8<-- [start:forward_by_hand]
def forward(X, params, verbose=False):
    """Two-layer classifier: ReLU hidden layer, softmax output. X (batch, n_in)."""
    z1 = X @ params["W1"] + params["b1"]          # (batch, n_hidden)
    a1 = np.maximum(z1, 0.0)                      # ReLU, same shape
    z2 = a1 @ params["W2"] + params["b2"]         # (batch, n_out): the logits
    e = np.exp(z2 - z2.max(axis=1, keepdims=True))
    y_hat = e / e.sum(axis=1, keepdims=True)      # softmax: each row sums to 1
    if verbose:
        for name, arr in (("X", X), ("z1", z1), ("a1", a1), ("z2", z2), ("y_hat", y_hat)):
            print(f"{name:>6}: {arr.shape}")
    return y_hat
# --8<-- [end:forward_by_hand]


params = {"W1": rng.standard_normal((2, 8)) * 0.8, "b1": rng.standard_normal(8),
          "W2": rng.standard_normal((8, 3)) * 0.8, "b2": np.zeros(3)}
X_batch = rng.standard_normal((6, 2))
y_hat = forward(X_batch, params, verbose=True)
print("row sums:", y_hat.sum(axis=1).round(12))
assert np.allclose(y_hat.sum(axis=1), 1.0, rtol=0, atol=1e-12)

# %% [markdown]
# ## Counting parameters
#
# A dense layer from $n_{in}$ to $n_{out}$ units has $n_{in} \times n_{out}$ weights and
# $n_{out}$ biases. Our network has $2 \cdot 8 + 8 = 24$ parameters in the hidden layer and
# $8 \cdot 3 + 3 = 27$ in the output layer, 51 in total.

# %%
def count_params(sizes):
    """Parameters of a stack of dense layers with the given layer sizes, inputs first."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))


n_params = sum(p.size for p in params.values())
print("parameters:", n_params)
assert n_params == count_params([2, 8, 3]) == 51

# %% [markdown]
# ## The same network with glassnet
#
# In glassnet the network is a list of layers in a `Sequential` (the same workflow as
# Keras). `summary()` prints each layer's output shape and parameter count. We copy our
# weights in with `set_weights` (in layer order: `W1`, `b1`, `W2`, `b2`) and check that
# both forward passes give the same probabilities.

# %%
model = Sequential([layers.Dense(2, 8), layers.ReLU(), layers.Dense(8, 3), layers.Softmax()])
model.summary(input_shape=(2,))
model.set_weights([params["W1"], params["b1"], params["W2"], params["b2"]])
assert np.allclose(model.predict(X_batch), y_hat, rtol=1e-12, atol=1e-15)
assert model.num_params() == n_params
print("glassnet and the hand-written forward pass agree")

# %% [markdown]
# ## What a forward pass computes
#
# With two inputs we can run the forward pass on every point of a grid and colour the
# plane by the predicted class. Each ReLU unit switches on along a straight line, $z_j = 0$
# (dashed). Between these lines the logits are an affine function of the input, so each
# boundary between two classes, where their logits are equal, is straight inside a cell
# and can bend only where it crosses a unit's line. With random weights, a class may win
# nowhere in the window; the shares printed below the plot say whether that happened here.
# Training, in the next lessons, moves the lines and the boundaries.

# %%
grid = np.linspace(-3, 3, 200)
xx, yy = np.meshgrid(grid, grid)
probs = forward(np.c_[xx.ravel(), yy.ravel()], params)
fig, ax = plt.subplots(figsize=(5, 4.5))
ax.contourf(xx, yy, probs.argmax(axis=1).reshape(xx.shape), levels=[-0.5, 0.5, 1.5, 2.5],
            colors=["#dde6f5", "#f8e0cc", "#dcefdc"])
for j in range(8):          # Unit j of the hidden layer is zero on one side of its line.
    w1, w2 = params["W1"][:, j]
    ax.plot(grid, -(w1 * grid + params["b1"][j]) / w2, "k--", lw=0.8)
ax.set(xlim=(-3, 3), ylim=(-3, 3), xlabel="$x_1$", ylabel="$x_2$",
       title="Predicted class of an untrained 2-8-3 network")
fig.tight_layout()
shares = np.bincount(probs.argmax(axis=1), minlength=3) / len(probs)
print("share of the window each class wins:", shares.round(3))

# %% [markdown]
# ## Scaling up
#
# The forward-pass page's network for 28 by 28 images of digits flattens each image to 784
# numbers and uses hidden layers of 128, 64 and 32 units and 10 outputs. Most of its
# parameters sit in the first layer, where every pixel connects to every hidden unit.

# %%
mnist_mlp = Sequential([layers.Dense(784, 128), layers.ReLU(), layers.Dense(128, 64),
                        layers.ReLU(), layers.Dense(64, 32), layers.ReLU(),
                        layers.Dense(32, 10)], seed=SEED)
mnist_mlp.summary(input_shape=(784,))
assert mnist_mlp.num_params() == count_params([784, 128, 64, 32, 10]) == 111_146
first_share = (784 * 128 + 128) / mnist_mlp.num_params()
print(f"share of the parameters in the first layer: {first_share:.0%}")
assert first_share > 0.9

# %% [markdown]
# ## Exercises
#
# Try each one before opening its solution. Every solution is a function that the test
# suite runs and checks.
#
# ### Exercise 1: parameters of a deep network
#
# How many parameters has a network with 100 inputs, three hidden layers of 50 units and
# 5 outputs? Work it out with the formula, then build it with glassnet and compare.

# %% tags=["solution"]
def solution_1():
    sizes = [100, 50, 50, 50, 5]
    by_hand = (100 * 50 + 50) + 2 * (50 * 50 + 50) + (50 * 5 + 5)
    stack = [layers.Dense(a, b) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    return by_hand, count_params(sizes), Sequential(stack, seed=SEED).num_params()


print("by hand, by formula, by glassnet:", solution_1())

# %% [markdown]
# ### Exercise 2: a deeper forward pass
#
# Write the forward pass of a network with tanh hidden layers of sizes 4 and 4 and one
# sigmoid output, for inputs of shape `(batch, 3)`, as a loop over a list of `(W, b)`
# pairs. Check it against the same glassnet model (take its weights with `get_weights`).

# %% tags=["solution"]
def solution_2(X):
    model = Sequential([layers.Dense(3, 4), layers.Tanh(), layers.Dense(4, 4), layers.Tanh(),
                        layers.Dense(4, 1), layers.Sigmoid()], seed=SEED)
    weights = model.get_weights()                 # [W1, b1, W2, b2, W3, b3]
    a = X
    for i, (W, b) in enumerate(zip(weights[::2], weights[1::2], strict=True)):
        z = a @ W + b
        a = np.tanh(z) if i < 2 else act.sigmoid(z)
    return a, model.predict(X)


ours, theirs = solution_2(np.random.default_rng(1).standard_normal((5, 3)))
print(np.c_[ours, theirs].round(6))

# %% [markdown]
# ### Exercise 3: the column-vector convention
#
# Many textbooks write one example as a column vector and a layer as $z = W' x + b$, with
# $W'$ of shape `(n_out, n_in)`. Show that $W' = W^\top$ gives the same numbers as our
# row convention, for a whole batch stored as columns.

# %% tags=["solution"]
def solution_3():
    rng = np.random.default_rng(SEED)
    X = rng.standard_normal((6, 3))               # rows are examples
    W, b = rng.standard_normal((3, 4)), rng.standard_normal(4)
    row_convention = X @ W + b                    # (6, 4)
    column_convention = W.T @ X.T + b[:, None]    # (4, 6): one column per example
    return row_convention, column_convention


rows, columns = solution_3()
print("same numbers, transposed:", np.allclose(rows, columns.T))

# %% [markdown]
# ## Summary
#
# - A dense layer is $z = xW + b$ with $W$ of shape `(n_in, n_out)`; a batch of inputs
#   `(batch, n_in)` gives outputs `(batch, n_out)` in one matrix product.
# - A forward pass applies layer after layer; print the shapes when in doubt.
# - A dense layer has $n_{in} n_{out} + n_{out}$ parameters; `Sequential.summary()` and
#   `num_params()` count them for you.
# - Our hand-written forward pass and glassnet's agree to rounding error.
