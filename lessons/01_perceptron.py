# %% [markdown]
# # Lesson 1: the perceptron
#
# **You will learn** how a perceptron turns inputs into a yes-or-no answer, how the
# perceptron learning rule moves its decision line after every mistake, why it always
# succeeds when a straight line can separate the classes, and why it can never learn XOR.
#
# **You need** Python and NumPy (arrays, `@` for matrix products). No calculus yet.

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
# We build the perceptron from scratch with NumPy, and use glassnet for the datasets and,
# at the end of each section, to check that what we built agrees with the library.

# %%
import matplotlib.pyplot as plt
import numpy as np

from glassnet import Sequential, layers
from glassnet.data import make_blobs, make_xor

SEED = 1
# Class 0 as blue circles, class 1 as orange squares: the site's figures use the same.
CLASS_STYLE = ((0, "o", "#0072B2"), (1, "s", "#D55E00"))

# %% [markdown]
# ## A neuron that answers yes or no
#
# A perceptron weighs its inputs $x_1, \dots, x_n$, adds a bias $b$ and fires when the
# total is positive:
#
# $$\hat{y} = \operatorname{step}(z), \qquad z = x \cdot w + b = \sum_i w_i x_i + b,
# \qquad \operatorname{step}(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}$$
#
# With two inputs, the points where $z = 0$ form a straight line, the *decision boundary*:
# the perceptron answers 1 on one side and 0 on the other. With the rows of `X` as
# examples (shape `(N, 2)` for $N$ examples), one matrix product scores them all.

# %%
# --8<-- [start:perceptron_predict]
def perceptron_predict(X, w, b):
    """Predicted class, 0 or 1, for each row of X (n, n_in), given weights w (n_in,)."""
    z = X @ w + b                 # (n,)
    return (z > 0).astype(int)    # The step function.
# --8<-- [end:perceptron_predict]


# %% [markdown]
# An AND gate is one perceptron: with $w = (1, 1)$ and $b = -1.5$ the sum only clears zero
# when both inputs are 1.

# %%
X_gate = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y_and = np.array([0, 0, 0, 1])
print("AND with w = (1, 1), b = -1.5:", perceptron_predict(X_gate, np.array([1.0, 1.0]), -1.5))
assert np.array_equal(perceptron_predict(X_gate, np.array([1.0, 1.0]), -1.5), y_and)

# %% [markdown]
# ## The perceptron learning rule
#
# Choosing the weights by hand does not scale. Rosenblatt's rule (1958) learns them from
# examples: go through the data one example at a time and, whenever the prediction is
# wrong, move the weights towards the right answer,
#
# $$w \leftarrow w + \eta\,(y - \hat{y})\,x, \qquad b \leftarrow b + \eta\,(y - \hat{y}).$$
#
# When the prediction is right, $y - \hat{y} = 0$ and nothing changes. When the perceptron
# said 0 but the answer is 1, $x$ is added to $w$, which raises $z$ for that input next
# time; the opposite mistake subtracts it. $\eta$ is the learning rate (`lr`). We record
# the number of mistakes in each epoch (one pass over the data) and stop after an epoch
# without any.

# %%
# --8<-- [start:perceptron_train]
def perceptron_train(X, y, lr=1.0, num_epochs=50):
    """Train with the perceptron rule from zero weights; return w, b and mistakes per epoch."""
    w, b = np.zeros(X.shape[1]), 0.0
    mistakes = []
    for _ in range(num_epochs):
        count = 0
        for x_i, y_i in zip(X, y, strict=True):
            error = y_i - perceptron_predict(x_i[None, :], w, b)[0]   # -1, 0 or +1
            w, b = w + lr * error * x_i, b + lr * error
            count += error != 0
        mistakes.append(int(count))
        if count == 0:        # A whole epoch without a mistake: the data is separated.
            break
    return w, b, mistakes
# --8<-- [end:perceptron_train]


# %% [markdown]
# Train it on the AND gate and read off what it learned.

# %%
w_and, b_and, mistakes_and = perceptron_train(X_gate, y_and)
print("learned w =", w_and, " b =", b_and)
print("mistakes per epoch:", mistakes_and)
assert np.array_equal(perceptron_predict(X_gate, w_and, b_and), y_and)

# %% [markdown]
# ## Learning a line between two clouds of points
#
# Now a dataset: 100 points in two Gaussian clusters that a straight line can separate
# (the data is *linearly separable*: the run below ends with every point on its side).

# %%
X, y = make_blobs(100, centers=[[-1.0, -0.6], [1.0, 0.6]], std=0.7, seed=SEED)
w_blobs, b_blobs, mistakes_blobs = perceptron_train(X, y, lr=0.1)
accuracy = np.mean(perceptron_predict(X, w_blobs, b_blobs) == y)
print(f"epochs: {len(mistakes_blobs)}, mistakes per epoch: {mistakes_blobs}")
print(f"training accuracy: {accuracy:.0%}")
assert accuracy == 1.0

# %% [markdown]
# To draw the boundary, solve $w_1 x_1 + w_2 x_2 + b = 0$ for $x_2$. Training again for
# a fixed number of epochs shows the line after the first epoch, the second, and the end.

# %%
def boundary_x2(x1, w, b):
    """The x2 where the perceptron's z = 0, for each x1 (a straight line)."""
    return -(w[0] * x1 + b) / w[1]


x1 = np.linspace(X[:, 0].min() - 0.5, X[:, 0].max() + 0.5, 2)
fig, ax = plt.subplots(figsize=(5.5, 4.5))
for label, marker, colour in CLASS_STYLE:
    ax.scatter(*X[y == label].T, marker=marker, color=colour, s=22, label=f"class {label}")
for epochs, style in ((1, ":"), (2, "--"), (len(mistakes_blobs), "-")):
    w_e, b_e, _ = perceptron_train(X, y, lr=0.1, num_epochs=epochs)
    ax.plot(x1, boundary_x2(x1, w_e, b_e), "k" + style, label=f"after epoch {epochs}")
ax.set(xlabel="$x_1$", ylabel="$x_2$", ylim=(X[:, 1].min() - 1, X[:, 1].max() + 1),
       title="The perceptron's decision boundary")
ax.legend(loc="lower right", fontsize=8)
fig.tight_layout()

# %% [markdown]
# ## Checking against glassnet
#
# A perceptron is a dense layer with one output followed by a step activation. Loading
# our learned weights into `glassnet.layers.Dense(2, 1)` and `glassnet.layers.Step()`
# must give the same predictions. `Dense` stores `W` as a column, shape `(n_in, n_out)`.

# %%
model = Sequential([layers.Dense(2, 1), layers.Step()])
model.set_weights([w_blobs.reshape(2, 1), np.array([b_blobs])])
glassnet_pred = model.predict(X)[:, 0].astype(int)
assert np.array_equal(glassnet_pred, perceptron_predict(X, w_blobs, b_blobs))
print("our perceptron and glassnet's Dense + Step agree on all", len(X), "points")

# %% [markdown]
# The perceptron convergence theorem (Novikoff, 1962) guarantees this success: on linearly
# separable data, starting from zero weights, the rule stops after finitely many mistakes,
# at most $(R/\gamma)^2$. Because the rule also learns a bias, both numbers are measured on
# the inputs with a 1 appended, $(x_1, x_2, 1)$: $R$ is the largest norm of such a vector,
# and $\gamma$ the largest margin by which a unit-length $(w_1, w_2, b)$ separates them.
# The bias is just a weight on that constant input, which is how the proof covers it.
# It says nothing about data that no line can separate.

# %% [markdown]
# ## Where it fails: XOR
#
# Exclusive or is 1 when exactly one input is 1. Plot the four corners and you see the
# problem: the two 1s sit on one diagonal, the two 0s on the other, and no single line puts
# both 1s on one side and both 0s on the other.
#
# The algebra agrees. Output 0 at $(0,0)$ needs $b \le 0$; output 1 at $(1,0)$ and
# $(0,1)$ needs $w_1 + b > 0$ and $w_2 + b > 0$. Adding the last two gives
# $w_1 + w_2 + b > -b \ge 0$, so the perceptron must answer 1 at $(1,1)$, where XOR is 0.
#
# Run the rule anyway: it never finishes an epoch without a mistake.

# %%
y_xor = np.array([0, 1, 1, 0])
w_xor, b_xor, mistakes_xor = perceptron_train(X_gate, y_xor, num_epochs=20)
print("mistakes per epoch on XOR:", mistakes_xor)
assert len(mistakes_xor) == 20 and min(mistakes_xor) > 0

# %% [markdown]
# The rule cycling is not bad luck. Try every weight and bias on a grid (68,921
# combinations, scored all at once with broadcasting): no line gets more than three of the
# four corners right.

# %%
grid = np.linspace(-2, 2, 41)
W1, W2, B = np.meshgrid(grid, grid, grid, indexing="ij")
params = np.stack([W1.ravel(), W2.ravel()], axis=1)               # (68921, 2)
z = params @ X_gate.T + B.ravel()[:, None]                         # (68921, 4)
best = np.max(np.mean((z > 0).astype(int) == y_xor, axis=1))
print(f"{len(params):,} lines tried; best accuracy on XOR: {best:.0%}")
assert best == 0.75

# %% [markdown]
# ## Two layers solve it
#
# XOR is "OR but not AND". One perceptron computes OR, a second computes NAND (not AND),
# and a third ANDs their answers. Stacking them gives a network with a hidden layer of two
# units: each hidden unit draws one line, and the output combines the two half-planes into
# the band between the lines. Here are the weights, set by hand, in a glassnet model.

# %%
xor_net = Sequential([layers.Dense(2, 2), layers.Step(), layers.Dense(2, 1), layers.Step()])
xor_net.set_weights([
    np.array([[1.0, -1.0], [1.0, -1.0]]), np.array([-0.5, 1.5]),   # hidden: OR, NAND
    np.array([[1.0], [1.0]]), np.array([-1.5]),                      # output: AND
])
print("two-layer network on the XOR table:", xor_net.predict(X_gate)[:, 0].astype(int))
assert np.array_equal(xor_net.predict(X_gate)[:, 0], y_xor)

# %% [markdown]
# On noisy XOR data the picture is clear: the hidden units' two lines cut the plane into a
# band (class 1) and two outer regions (class 0).

# %%
X_noisy, y_noisy = make_xor(200, noise=0.15, seed=SEED)
xx, yy = np.meshgrid(np.linspace(-0.6, 1.6, 200), np.linspace(-0.6, 1.6, 200))
region = xor_net.predict(np.c_[xx.ravel(), yy.ravel()]).reshape(xx.shape)
noisy_accuracy = np.mean(xor_net.predict(X_noisy)[:, 0] == y_noisy)
print(f"hand-built network on 200 noisy XOR points: {noisy_accuracy:.0%} correct")
assert noisy_accuracy >= 0.9

fig, ax = plt.subplots(figsize=(5, 4.5))
ax.contourf(xx, yy, region, levels=[-0.5, 0.5, 1.5], colors=["#dde6f5", "#f8e0cc"])
for label, marker, colour in CLASS_STYLE:
    ax.scatter(*X_noisy[y_noisy == label].T, marker=marker, color=colour, s=16,
               label=f"XOR = {label}")
ax.set(xlabel="$x_1$", ylabel="$x_2$", title="Two lines from the hidden layer solve XOR")
ax.legend(loc="upper right", fontsize=8)
fig.tight_layout()

# %% [markdown]
# The catch: the step function is flat, so its derivative is zero almost everywhere and
# there is no signal to tell the hidden weights how to change. That is why networks use
# activations with a useful slope ([lesson 2](02_activations.ipynb)) and learn every layer
# at once with backpropagation ([lesson 5](05_backprop.ipynb)).

# %% [markdown]
# ## Exercises
#
# Try each one before opening its solution. Every solution is a function that the test
# suite runs and checks.
#
# ### Exercise 1: OR and NAND
#
# Train `perceptron_train` on the OR and NAND truth tables. Return, for each gate, the
# learned `(w, b)` and the number of epochs, and check that the predictions match.

# %% tags=["solution"]
def solution_1():
    X_table = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    results = {}
    for gate, y_gate in (("OR", np.array([0, 1, 1, 1])), ("NAND", np.array([1, 1, 1, 0]))):
        w, b, mistakes = perceptron_train(X_table, y_gate)
        assert np.array_equal(perceptron_predict(X_table, w, b), y_gate)
        results[gate] = (w, b, len(mistakes))
    return results


for gate, (w, b, epochs) in solution_1().items():
    print(f"{gate:>4}: w = {w}, b = {b:+.1f}, learned in {epochs} epochs")

# %% [markdown]
# ### Exercise 2: does the learning rate matter?
#
# Starting from zero weights, train on the blobs with `lr` equal to 0.01, 0.1 and 1.
# Compare the mistakes per epoch and the learned weights. Explain what you see.
#
# *Hint:* every update adds a multiple of `lr`, so what happens to $w$, $b$ and the sign of
# $z$ if you multiply `lr` by ten?

# %% tags=["solution"]
def solution_2():
    X, y = make_blobs(100, centers=[[-1.0, -0.6], [1.0, 0.6]], std=0.7, seed=SEED)
    runs = {lr: perceptron_train(X, y, lr=lr) for lr in (0.01, 0.1, 1.0)}
    # From zero, w and b are sums of lr * (+-x_i): lr scales them but never flips the sign
    # of z, so every run makes the same mistakes and ends with proportional weights.
    return runs


runs = solution_2()
for lr, (w, b, mistakes) in runs.items():
    print(f"lr = {lr:<5} mistakes per epoch {mistakes}   w / lr = {w / lr}   b / lr = {b / lr:.2f}")

# %% [markdown]
# ### Exercise 3: rescue XOR with a feature
#
# Give the perceptron a third input, the product $x_1 x_2$. Train it on the XOR truth table
# with these three inputs: does it now succeed? Return the learned weights and bias.

# %% tags=["solution"]
def solution_3():
    X_table = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    X_lifted = np.c_[X_table, X_table[:, 0] * X_table[:, 1]]   # (4, 3): x1, x2, x1 * x2
    w, b, mistakes = perceptron_train(X_lifted, np.array([0, 1, 1, 0]))
    # In three dimensions the corner (1, 1, 1) is lifted away from the others, and a plane
    # separates the classes: z = x1 + x2 - 2 x1 x2 - 0.5 is one such plane.
    return w, b, mistakes


w3, b3, mistakes3 = solution_3()
print(f"w = {w3}, b = {b3}, mistakes per epoch {mistakes3}")

# %% [markdown]
# ## Summary
#
# - A perceptron computes $\operatorname{step}(x \cdot w + b)$: a straight line (a plane,
#   in more dimensions) splits the inputs into two classes.
# - The perceptron rule adds $\eta (y - \hat{y}) x$ to the weights after each mistake, and
#   on linearly separable data it stops after finitely many mistakes.
# - No single line separates XOR; a hidden layer of two perceptrons does, but the step
#   function gives no gradient to learn the hidden weights. Smooth activations and
#   backpropagation, in the next lessons, fix that.
