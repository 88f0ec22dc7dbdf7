# %% [markdown]
# # Lesson 5: backpropagation by hand
#
# **You will learn** how the chain rule gives the gradient of the loss with respect to
# every weight of a two-layer network, how to write that backward pass in a dozen lines
# of NumPy, how to prove it right with a numerical gradient check, and how to train with it.
#
# **You need** [lesson 3](03_forward_pass.ipynb) (the forward pass and its shapes),
# [lesson 4](04_losses.ipynb) (softmax cross-entropy and its gradient $p - y$) and the
# chain rule of calculus.

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
from glassnet.data import make_moons

SEED = 0

# %% [markdown]
# ## The chain rule on one neuron
#
# Take one input $x$, one weight $w$, a bias $b$, a sigmoid and a squared error:
#
# $$z = w x + b, \qquad a = \sigma(z), \qquad L = (a - y)^2.$$
#
# $L$ depends on $w$ only through $z$ and $a$, so its derivative is the product of the
# local derivatives along that path:
#
# $$\frac{\partial L}{\partial w} = \frac{\partial L}{\partial a}\,
# \frac{\partial a}{\partial z}\,\frac{\partial z}{\partial w}
# = 2(a - y)\cdot \sigma(z)\bigl(1 - \sigma(z)\bigr) \cdot x.$$
#
# Backpropagation computes these products from the loss backwards, reusing each one for
# everything below it. We check the result by nudging $w$ by $\pm 10^{-6}$ and comparing
# the two with `gradcheck.relative_error`, against glassnet's pass mark `gradcheck.THRESHOLD`.

# %%
x, y, w, b = 1.5, 1.0, 0.8, -0.2


def neuron_loss(w):
    a = 1 / (1 + np.exp(-(w * x + b)))
    return (a - y) ** 2


z = w * x + b
a = 1 / (1 + np.exp(-z))
dL_da = 2 * (a - y)
da_dz = a * (1 - a)
dz_dw = x
dL_dw = dL_da * da_dz * dz_dw
numeric = (neuron_loss(w + 1e-6) - neuron_loss(w - 1e-6)) / 2e-6
print(f"chain rule: {dL_dw:.10f}\nnumerical:  {numeric:.10f}")
assert gradcheck.relative_error(dL_dw, numeric) < gradcheck.THRESHOLD

# %% [markdown]
# ## A two-layer network
#
# Now the real thing: inputs $X$ of shape `(N, 2)`, a hidden layer of $H$ tanh units and a
# softmax output over $C$ classes, trained with cross-entropy:
#
# $$Z_1 = X W_1 + b_1, \quad A_1 = \tanh Z_1, \quad Z_2 = A_1 W_2 + b_2, \quad
# L = \operatorname{CE}(\operatorname{softmax}(Z_2), Y).$$
#
# Capitals are batches, one example per row (the code calls them `z1`, `a1` and `z2`).
# The forward pass keeps what the backward pass will need (its *cache*).

# %%
def init_params(n_in, n_hidden, n_out, rng):
    return {"W1": rng.normal(0, 1 / np.sqrt(n_in), (n_in, n_hidden)), "b1": np.zeros(n_hidden),
            "W2": rng.normal(0, 1 / np.sqrt(n_hidden), (n_hidden, n_out)), "b2": np.zeros(n_out)}


def forward(X, params):
    z1 = X @ params["W1"] + params["b1"]              # (N, H)
    a1 = np.tanh(z1)                                  # (N, H)
    z2 = a1 @ params["W2"] + params["b2"]             # (N, C): the logits
    return z2, {"X": X, "a1": a1}


def loss_and_dlogits(z2, labels):
    """Mean softmax cross-entropy of integer labels, and its gradient (p - y) / N."""
    shifted = z2 - z2.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    N = len(labels)
    dz2 = np.exp(log_p)
    dz2[np.arange(N), labels] -= 1.0
    return -log_p[np.arange(N), labels].mean(), dz2 / N


# %% [markdown]
# ## The backward pass
#
# Walk the forward pass in reverse. Each line is one local derivative, and the shape of
# every gradient equals the shape of what it is the gradient of ($P$ holds the softmax
# probabilities and $Y$ the labels one-hot, one row per example):
#
# | step | gradient | shape |
# |---|---|---|
# | output | $\delta_2 = \partial L / \partial Z_2 = (P - Y)/N$ | `(N, C)` |
# | second layer | $\partial L / \partial W_2 = A_1^\top \delta_2$ | `(H, C)` |
# | | $\partial L / \partial b_2 = \sum_n \delta_2$ | `(C,)` |
# | into the hidden layer | $\partial L / \partial A_1 = \delta_2 W_2^\top$ | `(N, H)` |
# | through tanh | $\delta_1 = \partial L / \partial A_1 \odot (1 - A_1^2)$ | `(N, H)` |
# | first layer | $\partial L / \partial W_1 = X^\top \delta_1$ | `(2, H)` |
# | | $\partial L / \partial b_1 = \sum_n \delta_1$ | `(H,)` |
#
# The weight gradient of a dense layer is always *input transposed times the gradient of
# its output*; the gradient passed down is *the gradient of the output times the weights
# transposed*.

# %%
# --8<-- [start:backward_by_hand]
def backward(dz2, cache, params):
    """Gradients of the loss for every parameter, from dz2 = dL/dz2 (N, C)."""
    dW2 = cache["a1"].T @ dz2                        # (H, C)
    db2 = dz2.sum(axis=0)                            # (C,)
    da1 = dz2 @ params["W2"].T                       # (N, H)
    dz1 = da1 * (1 - cache["a1"] ** 2)               # tanh'(z1) = 1 - tanh(z1)^2
    dW1 = cache["X"].T @ dz1                         # (n_in, H)
    db1 = dz1.sum(axis=0)                            # (H,)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
# --8<-- [end:backward_by_hand]


# %% [markdown]
# ## Checking it: a gradient check
#
# For each parameter, `gradcheck.numerical_gradient` nudges every entry by
# $\pm\varepsilon$ and measures how the loss moves; `relative_error` compares the result
# with our analytic gradient. In float64, a correct gradient's error stays below
# `gradcheck.THRESHOLD`, the pass mark of glassnet's own tests (printed below). A wrong one
# scores at least $d / (2B + d)$, where $d$ is its largest mistake and $B$ the correct
# gradient's largest entry, so a slip that touches the large entries lands far above the
# threshold.

# %%
rng = np.random.default_rng(SEED)
X_small = rng.standard_normal((8, 2))
labels_small = rng.integers(0, 3, size=8)
params = init_params(2, 5, 3, rng)
print(f"pass mark: relative error below {gradcheck.THRESHOLD:.0e}")


def total_loss(_):
    return loss_and_dlogits(forward(X_small, params)[0], labels_small)[0]


z2, cache = forward(X_small, params)
grads = backward(loss_and_dlogits(z2, labels_small)[1], cache, params)
for name in params:
    numeric = gradcheck.numerical_gradient(total_loss, params[name])
    error = gradcheck.relative_error(grads[name], numeric)
    print(f"{name}: shape {str(params[name].shape):>7}, relative error {error:.1e}")
    assert error < gradcheck.THRESHOLD

# %% [markdown]
# A check is only worth something if it can fail. Forget the tanh derivative (a classic
# slip) and the check catches it at once.

# %%
def backward_forgetting_tanh(dz2, cache, params):
    grads = backward(dz2, cache, params)
    dz1 = dz2 @ params["W2"].T                       # Wrong: no (1 - a1^2) factor.
    grads["W1"] = cache["X"].T @ dz1
    return grads


wrong = backward_forgetting_tanh(loss_and_dlogits(z2, labels_small)[1], cache, params)
wrong_error = gradcheck.relative_error(
    wrong["W1"], gradcheck.numerical_gradient(total_loss, params["W1"]))
print(f"W1 with the tanh derivative forgotten: relative error {wrong_error:.1e}")
assert wrong_error > 1e-2

# %% [markdown]
# ## The same gradients from glassnet
#
# glassnet's layers implement exactly these backward passes, one layer at a time: each
# `Dense.backward` does the two weight-gradient lines and returns the gradient for the
# layer below. Load our weights into a glassnet model, run its forward and backward
# passes, and compare the gradients it accumulates in each layer's `grads`.

# %%
model = Sequential([layers.Dense(2, 5), layers.Tanh(), layers.Dense(5, 3)])
model.compile(loss=losses.CrossEntropy(from_logits=True))
model.set_weights([params["W1"], params["b1"], params["W2"], params["b2"]])
model.zero_grad()
model.loss.forward(model.forward(X_small), labels_small)
model.backward(model.loss.backward())
theirs = {"W1": model.layers[0].grads["W"], "b1": model.layers[0].grads["b"],
          "W2": model.layers[2].grads["W"], "b2": model.layers[2].grads["b"]}
for name in params:
    assert np.allclose(grads[name], theirs[name], rtol=1e-10, atol=1e-14)
print("hand-written backward pass == glassnet's, for all four parameters")
print("glassnet's own check:", {k: f"{v:.0e}" for k, v in
                                gradcheck.check_model(model, X_small, labels_small).items()})

# %% [markdown]
# ## Training with our own gradients
#
# With the gradients in hand, learning is one line per parameter: step against the
# gradient, $\theta \leftarrow \theta - \eta\, \partial L / \partial \theta$. We train on
# the two-moons dataset with full-batch gradient descent.

# %%
X, y = make_moons(200, noise=0.1, seed=SEED)
params = init_params(2, 16, 2, np.random.default_rng(SEED))
lr, num_epochs, history = 1.0, 600, []
for _ in range(num_epochs):
    z2, cache = forward(X, params)
    loss, dz2 = loss_and_dlogits(z2, y)
    grads = backward(dz2, cache, params)
    for name in params:
        params[name] -= lr * grads[name]
    history.append(loss)

accuracy = np.mean(forward(X, params)[0].argmax(axis=1) == y)
print(f"loss {history[0]:.3f} -> {history[-1]:.3f}; training accuracy {accuracy:.1%}")
assert history[-1] < 0.1 and accuracy > 0.97

# %% [markdown]
# The loss falls fast for the first ten steps, then only slowly for a few dozen (a
# *plateau*), and falls a second time as the network bends its boundary around the two
# moons.

# %%
print(f"loss at steps 0, 10, 50, 150: {history[0]:.3f}, {history[10]:.3f}, "
      f"{history[50]:.3f}, {history[150]:.3f}")
assert history[0] - history[10] > 0.2                   # the fast first drop
assert history[10] - history[50] < 0.1 < history[50] - history[150]  # plateau, second drop

fig, ax = plt.subplots(figsize=(5.5, 3.5))
ax.plot(history)
ax.set(xlabel="epoch (one gradient step on all 200 points)", ylabel="cross-entropy",
       yscale="log", title="Training with hand-written backpropagation")
ax.grid(alpha=0.3)
fig.tight_layout()

# %% [markdown]
# ## Exercises
#
# Try each one before opening its solution. Every solution is a function that the test
# suite runs and checks.
#
# ### Exercise 1: a sigmoid hidden layer
#
# Replace tanh with the sigmoid in the hidden layer. Only one line of the backward pass
# changes: which? Write the new forward and backward passes and gradient-check them.
# Return the relative error of each parameter, the gradients, and the data and parameters
# they were computed at, so that the test can check them against its own sigmoid network.

# %% tags=["solution"]
def solution_1():
    rng = np.random.default_rng(SEED)
    X, labels = rng.standard_normal((6, 2)), rng.integers(0, 3, size=6)
    params = init_params(2, 4, 3, rng)

    def forward_sigmoid(X):
        a1 = 1 / (1 + np.exp(-(X @ params["W1"] + params["b1"])))
        return a1 @ params["W2"] + params["b2"], {"X": X, "a1": a1}

    z2, cache = forward_sigmoid(X)
    dz2 = loss_and_dlogits(z2, labels)[1]
    grads = backward(dz2, cache, params)
    da1 = dz2 @ params["W2"].T
    dz1 = da1 * cache["a1"] * (1 - cache["a1"])      # The one changed line: sigma' = a (1 - a).
    grads["W1"], grads["b1"] = X.T @ dz1, dz1.sum(axis=0)
    errors = {}
    for name in params:
        numeric = gradcheck.numerical_gradient(
            lambda _: loss_and_dlogits(forward_sigmoid(X)[0], labels)[0], params[name])
        errors[name] = gradcheck.relative_error(grads[name], numeric)
    return errors, grads, (X, labels, params)


print({name: f"{error:.1e}" for name, error in solution_1()[0].items()})

# %% [markdown]
# ### Exercise 2: L2 weight decay
#
# Add the penalty $\frac{\lambda}{2}(\lVert W_1 \rVert^2 + \lVert W_2 \rVert^2)$ to the
# loss, with $\lambda = 0.1$. What does it add to the gradients? Gradient-check your answer,
# and return the relative errors, the gradients and the parameters.

# %% tags=["solution"]
def solution_2(lam=0.1):
    rng = np.random.default_rng(SEED)
    X, labels = rng.standard_normal((6, 2)), rng.integers(0, 3, size=6)
    params = init_params(2, 4, 3, rng)

    def penalised_loss(_):
        penalty = 0.5 * lam * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
        return loss_and_dlogits(forward(X, params)[0], labels)[0] + penalty

    z2, cache = forward(X, params)
    grads = backward(loss_and_dlogits(z2, labels)[1], cache, params)
    grads["W1"] = grads["W1"] + lam * params["W1"]    # d/dW of (lam / 2) ||W||^2 is lam W;
    grads["W2"] = grads["W2"] + lam * params["W2"]    # the biases are not penalised.
    errors = {name: gradcheck.relative_error(
        grads[name], gradcheck.numerical_gradient(penalised_loss, params[name]))
        for name in params}
    return errors, grads, params


print({name: f"{error:.1e}" for name, error in solution_2()[0].items()})

# %% [markdown]
# ### Exercise 3: the batch gradient is an average
#
# Show that the gradient of the mean loss over a batch of $N$ examples equals the average
# of the $N$ gradients computed on one example at a time. Return both for $W_1$.

# %% tags=["solution"]
def solution_3():
    rng = np.random.default_rng(SEED)
    X, labels = rng.standard_normal((10, 2)), rng.integers(0, 3, size=10)
    params = init_params(2, 4, 3, rng)

    def grad_W1(Xb, yb):
        z2, cache = forward(Xb, params)
        return backward(loss_and_dlogits(z2, yb)[1], cache, params)["W1"]

    batch = grad_W1(X, labels)
    one_at_a_time = np.mean([grad_W1(X[i:i + 1], labels[i:i + 1]) for i in range(10)], axis=0)
    return batch, one_at_a_time


batch_grad, mean_of_single = solution_3()
print("largest difference:", np.max(np.abs(batch_grad - mean_of_single)))

# %% [markdown]
# ## Summary
#
# - Backpropagation is the chain rule applied from the loss backwards: each layer turns
#   the gradient of its output into gradients for its weights and for its input.
# - For a dense layer on a batch, $Z = XW + b$, with $\delta = \partial L/\partial Z$:
#   $\partial L/\partial W = X^\top \delta$, $\partial L/\partial b$ is $\delta$ summed over
#   the rows, $\partial L/\partial X = \delta W^\top$.
# - Through an activation, multiply elementwise by its derivative ($1 - a^2$ for tanh).
# - A numerical gradient check gives strong evidence that a backward pass is right (errors
#   below `gradcheck.THRESHOLD`) and catches a wrong one (the slip above scores over $10^{-2}$);
#   glassnet's layers pass the same check.
