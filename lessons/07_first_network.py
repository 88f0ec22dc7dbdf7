# %% [markdown]
# # Lesson 7: your first network
#
# **You will learn** the whole workflow of training a neural network with glassnet: make
# and split a dataset, stack layers in a `Sequential` model, `compile` it with a loss and
# an optimizer, `fit` it, `evaluate` it on held-out data, and watch its decision boundary
# take shape over training. You will also see the same model written in Keras.
#
# **You need** lessons [3](03_forward_pass.ipynb) (layers and the forward pass),
# [4](04_losses.ipynb) (cross-entropy from logits), [5](05_backprop.ipynb)
# (backpropagation) and [6](06_gradient_descent.ipynb) (Adam). Everything those lessons
# built by hand now happens inside `fit`.

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

from glassnet import Sequential, callbacks, layers, losses, optimizers
from glassnet.data import make_moons, make_spirals, train_test_split

SEED = 0
# Class 0 as blue circles, class 1 as orange squares: the site's figures use the same.
CLASS_STYLE = ((0, "o", "#0072B2"), (1, "s", "#D55E00"))

# %% [markdown]
# ## The data: two moons
#
# Two interleaving half-circles with noise: no straight line separates them, so a
# perceptron or a linear model cannot do well, but a small network can. We hold out a
# quarter of the points as a test set: the model never trains on them, so its accuracy
# there estimates how it does on new data.

# %%
X, y = make_moons(400, noise=0.15, seed=SEED)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=SEED)
print("train:", X_train.shape, y_train.shape, " test:", X_test.shape, y_test.shape)

fig, ax = plt.subplots(figsize=(5, 3.5))
for cls, marker, colour in CLASS_STYLE:
    ax.scatter(*X_train[y_train == cls].T, marker=marker, color=colour, s=14, label=f"class {cls}")
ax.set(xlabel="$x_1$", ylabel="$x_2$", title="Training data")
ax.legend(fontsize=8)
fig.tight_layout()

# %% [markdown]
# ## The model
#
# Two hidden layers of 16 ReLU units and one output, a logit: the model answers class 1
# when the logit is positive. `seed=SEED` draws the initial weights (and later shuffles
# the batches) from one generator, so every run is the same. The layers keep `Dense`'s
# default Glorot initialisation. He initialisation is ReLU's usual partner: Glorot weights
# are smaller (for a square layer, half He's variance), so the signal shrinks at every
# ReLU layer. Over two hidden layers that does no harm, as the run below shows;
# [lesson 10](10_vanishing_gradients.ipynb) shows what it becomes over ten layers.

# %%
# --8<-- [start:moons_model]
model = Sequential([
    layers.Dense(2, 16), layers.ReLU(),
    layers.Dense(16, 16), layers.ReLU(),
    layers.Dense(16, 1),
], seed=SEED)
model.compile(optimizer=optimizers.Adam(lr=0.01),
              loss=losses.BinaryCrossEntropy(from_logits=True),
              metrics=["accuracy"])
# --8<-- [end:moons_model]
model.summary(input_shape=(2,))

# %% [markdown]
# ## Training
#
# `fit` runs the loop of lessons 5 and 6 for us: shuffle, cut into mini-batches of 32,
# forward, loss, backward, Adam step, for 100 epochs. `validation_split=0.2` holds out the
# last fifth of the training points as a validation set, to watch a held-out loss alongside
# (the model never trains on them); the test set stays unseen until the very end, as
# [Data](../../training/data/) explains. A `Snapshot` callback records the model's output
# on a grid of points after every epoch, for the pictures below. The labels go in as a
# column, shape `(n, 1)`, like the output.

# %%
xx, yy = np.meshgrid(np.linspace(-1.6, 2.6, 90), np.linspace(-1.2, 1.7, 70))
grid = np.c_[xx.ravel(), yy.ravel()]                       # (6300, 2)
snapshot = callbacks.Snapshot(lambda m: m.predict(grid).reshape(xx.shape), every=1)

# --8<-- [start:moons_fit]
history = model.fit(X_train, y_train[:, None], epochs=100, batch_size=32,
                    validation_split=0.2, callbacks=[snapshot])
test = model.evaluate(X_test, y_test[:, None])
# --8<-- [end:moons_fit]
print(f"test accuracy: {test['accuracy']:.1%}")
assert test["accuracy"] >= 0.95

# %% [markdown]
# ## Learning curves
#
# `fit` returns a `History` whose `history` dict holds one value per epoch for each
# metric, as in Keras. Training and validation loss fall together: the model is not
# memorising the training points.

# %%
assert history.history["val_loss"][-1] < 2 * history.history["loss"][-1] + 0.01   # no gap opens
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(9, 3.3))
for key, style in (("loss", "-"), ("val_loss", "--")):
    ax_loss.plot(history.history[key], style, label=key)
for key, style in (("accuracy", "-"), ("val_accuracy", "--")):
    ax_acc.plot(history.history[key], style, label=key)
ax_loss.set(xlabel="epoch", title="Loss", yscale="log")
ax_acc.set(xlabel="epoch", title="Accuracy", ylim=(0.5, 1.0))
for ax in (ax_loss, ax_acc):
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
fig.tight_layout()

# %% [markdown]
# ## The decision boundary over training
#
# Each panel colours the plane by the class the model predicts, after 0, 1, 3, 10, 30
# and 100 epochs. The untrained network's boundary is a random cut with a kink. Within a
# few epochs it separates the bulk of the moons with a bent line made of straight pieces
# (ReLU units draw piecewise-linear boundaries), and the remaining epochs bend it into the
# gaps between the tips.

# %%
fig, axes = plt.subplots(2, 3, figsize=(10, 5.6), sharex=True, sharey=True)
for ax, epoch in zip(axes.flat, (0, 1, 3, 10, 30, 100), strict=True):
    logits = snapshot.values[snapshot.epochs.index(epoch)]
    ax.contourf(xx, yy, logits > 0, levels=[-0.5, 0.5, 1.5], colors=["#dde6f5", "#f8e0cc"])
    ax.contour(xx, yy, logits, levels=[0], colors="k", linewidths=1)
    for cls, marker, colour in CLASS_STYLE:
        ax.scatter(*X_train[y_train == cls].T, marker=marker, color=colour, s=6)
    ax.set_title(f"after {epoch} epoch{'' if epoch == 1 else 's'}", fontsize=10)
fig.tight_layout()

# %% [markdown]
# ## A harder problem: spirals
#
# Two spiral arms winding one and a half turns around each other need a boundary that
# curls. We use the same recipe with wider layers (32 units), two output logits with
# `CrossEntropy` (the multi-class loss, which also covers two classes) and integer labels.

# %%
Xs, ys = make_spirals(400, n_classes=2, noise=0.05, turns=1.5, seed=SEED)
Xs_train, Xs_test, ys_train, ys_test = train_test_split(Xs, ys, test_size=0.25, seed=SEED)
spiral_model = Sequential([layers.Dense(2, 32), layers.ReLU(),
                           layers.Dense(32, 32), layers.ReLU(),
                           layers.Dense(32, 2)], seed=SEED)
spiral_model.compile(optimizers.Adam(lr=0.01), losses.CrossEntropy(from_logits=True))
spiral_model.fit(Xs_train, ys_train, epochs=200, batch_size=32, verbose=0)
spiral_test = spiral_model.evaluate(Xs_test, ys_test)
print(f"spirals, test accuracy: {spiral_test['accuracy']:.1%}")
assert spiral_test["accuracy"] >= 0.9

# %% [markdown]
# The boundary follows the arms. Where the arms meet at the centre, the points of the two
# classes are closest together, and that is where the boundary is hardest to place.

# %%
sx, sy = np.meshgrid(np.linspace(-1.2, 1.2, 120), np.linspace(-1.2, 1.2, 120))
classes = spiral_model.predict(np.c_[sx.ravel(), sy.ravel()]).argmax(axis=1)
fig, ax = plt.subplots(figsize=(4.6, 4.4))
ax.contourf(sx, sy, classes.reshape(sx.shape), levels=[-0.5, 0.5, 1.5],
            colors=["#dde6f5", "#f8e0cc"])
for cls, marker, colour in CLASS_STYLE:
    ax.scatter(*Xs_train[ys_train == cls].T, marker=marker, color=colour, s=8, label=f"class {cls}")
ax.set(aspect="equal", title="Two spirals, 2-32-32-2 ReLU network")
ax.legend(fontsize=8, loc="lower right")
fig.tight_layout()

# %% [markdown]
# ## The same model in Keras
#
# glassnet follows the Keras workflow on purpose, so moving to a production library is a
# change of names, not of ideas. Below is the moons model in Keras 3 (TensorFlow, JAX or
# PyTorch backend).
#
# **Reference only: this block is not run** by this lesson or its tests, because Keras is
# not installed here. Its numbers will differ from glassnet's (different random
# initialisation and shuffling), though the accuracy should be similar.
#
# ```python
# import keras
#
# model = keras.Sequential([
#     keras.Input(shape=(2,)),
#     keras.layers.Dense(16, activation="relu"),
#     keras.layers.Dense(16, activation="relu"),
#     keras.layers.Dense(1),                      # a logit, as in glassnet
# ])
# model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
#               loss=keras.losses.BinaryCrossentropy(from_logits=True),
#               metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)])
# history = model.fit(X_train, y_train, epochs=100, batch_size=32,
#                     validation_split=0.2)
# test_loss, test_accuracy = model.evaluate(X_test, y_test)
# ```
#
# Three differences to notice: Keras infers each layer's input size from the previous
# layer (`Dense(16)` instead of `Dense(2, 16)`); it folds the activation into the layer
# (`activation="relu"`); and because the output is a logit, its accuracy metric needs
# `threshold=0.0` (glassnet picks that threshold from the loss).

# %% [markdown]
# ## Exercises
#
# Try each one before opening its solution. Every solution is a function that the test
# suite runs and checks.
#
# ### Exercise 1: how wide must the hidden layer be?
#
# Train networks with a single hidden layer of 1, 2, 4 and 16 ReLU units on the moons
# (100 epochs, Adam with `lr=0.02`) and report each test accuracy. What does a network
# with one hidden unit amount to? If one of them scores far below the others, look at its
# hidden units: is any of them zero on every training point?

# %% tags=["solution"]
def solution_1(widths=(1, 2, 4, 16), seed=SEED):
    X, y = make_moons(400, noise=0.15, seed=SEED)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=SEED)
    results = {}
    for width in widths:
        model = Sequential([layers.Dense(2, width), layers.ReLU(), layers.Dense(width, 1)],
                           seed=seed)
        model.compile(optimizers.Adam(lr=0.02), losses.BinaryCrossEntropy(from_logits=True))
        model.fit(X_train, y_train[:, None], epochs=100, batch_size=32, verbose=0)
        # The hidden layer's output on the training set, (n_train, width): a unit whose
        # ReLU is zero on every point is dead, and it passes no gradient to learn from.
        hidden = model.layers[1].forward(model.layers[0].forward(X_train))
        classes = np.unique(model.predict(X_test)[:, 0] > 0)  # the logit's sign
        results[width] = {"accuracy": model.evaluate(X_test, y_test[:, None])["accuracy"],
                          "dead_units": int(np.sum(hidden.max(axis=0) == 0)),
                          "classes_predicted": len(classes)}
    return results


for width, result in solution_1().items():
    print(f"{width:>2} hidden units: test accuracy {result['accuracy']:.1%}, "
          f"{result['dead_units']} dead, predicts {result['classes_predicted']} class(es)")

# %% [markdown]
# With this seed the single hidden unit is dead: its ReLU is zero on every training point,
# so the output layer sees a constant, the logit is the same for every input and the model
# predicts one class everywhere. Its test accuracy is just the share of that class among
# the test points, and since a dead ReLU has zero gradient, training cannot revive it.
#
# With another seed (try `solution_1(widths=(1,), seed=1)`) the unit stays alive, and the
# network then scores about as well as logistic regression in exercise 2. That is the
# real limit of one unit: it draws one line (where $x W + b = 0$) and the output is a
# monotone function of that one number, so the boundary is at best a straight line, which
# the moons do not allow. Each extra unit adds a bend.

# %% [markdown]
# ### Exercise 2: a linear baseline
#
# Remove the hidden layers: `Sequential([layers.Dense(2, 1)])` with the same loss is
# logistic regression. How does its test accuracy on the moons compare with the network's?

# %% tags=["solution"]
def solution_2(seed=SEED):
    X, y = make_moons(400, noise=0.15, seed=SEED)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=SEED)
    model = Sequential([layers.Dense(2, 1)], seed=seed)
    model.compile(optimizers.Adam(lr=0.02), losses.BinaryCrossEntropy(from_logits=True))
    model.fit(X_train, y_train[:, None], epochs=100, batch_size=32, verbose=0)
    return model.evaluate(X_test, y_test[:, None])["accuracy"]


print(f"logistic regression on the moons: test accuracy {solution_2():.1%}")

# %% [markdown]
# ### Exercise 3: reproducibility
#
# Train the moons model twice with `seed=1` and once with `seed=2` (20 epochs each).
# Check that the two runs with the same seed end with identical weights, and that the
# run with another seed ends with different weights.

# %% tags=["solution"]
def solution_3():
    X, y = make_moons(400, noise=0.15, seed=SEED)

    def train(seed):
        model = Sequential([layers.Dense(2, 16), layers.ReLU(), layers.Dense(16, 16),
                            layers.ReLU(), layers.Dense(16, 1)], seed=seed)
        model.compile(optimizers.Adam(lr=0.01), losses.BinaryCrossEntropy(from_logits=True))
        model.fit(X, y[:, None], epochs=20, batch_size=32, verbose=0)
        return model.get_weights()

    return train(1), train(1), train(2)


first, again, other = solution_3()
same = all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
print("seed 1 twice, identical weights:", same)
print("seed 1 and seed 2, identical weights:",
      all(np.array_equal(a, b) for a, b in zip(first, other, strict=True)))

# %% [markdown]
# ## Summary
#
# - The workflow: data and a held-out split, `Sequential([...])`, `compile(optimizer,
#   loss, metrics)`, `fit` (which returns a `History`), `evaluate` on the test set.
# - A network with two small hidden layers reaches over 95% test accuracy on the moons,
#   where a linear model cannot; wider layers handle the spirals.
# - The decision boundary starts as a random cut and bends towards the data within a few
#   epochs; callbacks such as `Snapshot` let you watch it.
# - The same model in Keras differs only in names and conveniences.
#
# On the site, the [playground](../../training/playground/) replays glassnet training runs
# like these in your browser: change the data, the depth, the activation or the learning
# rate and watch the boundary form.
