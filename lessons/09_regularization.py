# %% [markdown]
# # Lesson 9: overfitting and regularisation
#
# **You will learn** what overfitting looks like in the learning curves and in a decision
# boundary, and three ways to fight it: an L2 penalty on the weights (weight decay),
# dropout, and early stopping. You will write the L2 gradient and a dropout mask yourself
# and check both against glassnet.
#
# **You need** [lesson 7](07_first_network.ipynb) (training an MLP with `fit`) and the
# idea of a held-out set from [lesson 8](08_digits.ipynb).

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
# We write the L2 penalty, the dropout mask and (in an exercise) early stopping ourselves;
# the networks, optimizers and callbacks come from glassnet.

# %%
import matplotlib.pyplot as plt
import numpy as np

from glassnet import callbacks, layers, mlp, optimizers
from glassnet.data import make_moons

SEED = 0
# Class 0 as blue circles, class 1 as orange squares: the site's figures use the same.
CLASS_STYLE = ((0, "o", "#0072B2"), (1, "s", "#D55E00"))
NOISE = 0.35

# %% [markdown]
# ## A network with too much room
#
# Overfitting needs little data and a big model. We draw 60 noisy two-moons points for
# training, 300 more for *validation* (to watch during training and to choose when to
# stop) and 1,000 for a final *test*. The moons overlap at this noise level, so no
# boundary can be perfect: a network that gets every training point right has learned
# the noise.
#
# The model is an MLP with two hidden layers of 64 ReLU units: thousands of parameters
# for 60 points. One function builds it, with optional dropout after each hidden layer.

# %%
X_train, y_train = make_moons(60, noise=NOISE, seed=SEED)
X_val, y_val = make_moons(300, noise=NOISE, seed=SEED + 1)
X_test, y_test = make_moons(1000, noise=NOISE, seed=SEED + 2)


def build_mlp(p_drop=0.0, n_hidden=64, seed=SEED):
    """2 -> n_hidden -> n_hidden -> 2 ReLU MLP, with Dropout(p_drop) after each hidden layer."""
    return mlp([2, n_hidden, n_hidden, 2], layers.ReLU, "he_normal", dropout=p_drop, seed=seed)


def train(model, X, y, weight_decay=0.0, num_epochs=300, cbs=(), validation=None):
    """Full-batch Adam on (X, y), watching the validation set (X_val, y_val unless another
    is given); returns the History."""
    model.compile(optimizers.Adam(lr=0.01, weight_decay=weight_decay), loss="cross_entropy")
    return model.fit(X, y, epochs=num_epochs, batch_size=len(X),
                     validation_data=validation or (X_val, y_val), callbacks=list(cbs),
                     verbose=0)


plain = build_mlp()
history_plain = train(plain, X_train, y_train)
print(f"parameters: {plain.num_params():,} for {len(X_train)} training points")

# %% [markdown]
# The learning curves tell the story. The training loss keeps falling towards zero. The
# validation loss falls for a short while (the lowest point is printed below), then
# climbs: from there on, fitting the training points better mostly fits new points worse.

# %%
val_loss = np.array(history_plain.history["val_loss"])
best_epoch = int(np.argmin(val_loss))
print(f"validation loss: lowest {val_loss[best_epoch]:.3f} at epoch {best_epoch + 1}, "
      f"final {val_loss[-1]:.3f}")
assert val_loss[-1] > 2 * val_loss[best_epoch]

fig, ax = plt.subplots(figsize=(6, 3.4))
epochs = np.arange(1, len(val_loss) + 1)
ax.plot(epochs, history_plain.history["loss"], label="training loss")
ax.plot(epochs, val_loss, "--", label="validation loss")
ax.axvline(best_epoch + 1, color="gray", lw=0.8, ls=":")
ax.set(xlabel="epoch", ylabel="cross-entropy", yscale="log", title="Overfitting, as it happens")
ax.legend()
fig.tight_layout()

# %% [markdown]
# ## L2 regularisation (weight decay)
#
# Overfitted boundaries twist around single points, and twisting takes large weights. L2
# regularisation adds the squared size of the weights to the loss,
#
# $$L_\text{total} = L + \frac{\lambda}{2} \sum_{W} \lVert W \rVert^2,
# \qquad \frac{\partial L_\text{total}}{\partial W} = \frac{\partial L}{\partial W} + \lambda W,$$
#
# so with plain SGD every step also shrinks each weight by the factor $1 - \eta\lambda$,
# hence the other name, *weight decay* (with Adam that is no longer literally true, as
# below). $\lambda$ sets the trade-off. In code, the penalty only adds
# $\lambda W$ to each gradient. We write one SGD step with it and check that glassnet's
# optimizers, given `weight_decay=λ`, take exactly the same step.

# %%
# --8<-- [start:l2_step]
def sgd_step_with_l2(W, dW, lr, lam):
    """One SGD step on the loss plus (lam / 2) ||W||^2: the gradient gains lam * W."""
    return W - lr * (dW + lam * W)
# --8<-- [end:l2_step]


rng = np.random.default_rng(SEED)
W, dW = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
expected = sgd_step_with_l2(W, dW, lr=0.1, lam=0.01)
params = {"W": W.copy()}
optimizers.SGD(lr=0.1, weight_decay=0.01).update(params, {"W": dW})
assert np.allclose(params["W"], expected, rtol=0, atol=1e-15)
print("our L2 step and glassnet's SGD(weight_decay=0.01) agree")

# %% [markdown]
# Glassnet applies the decay to every parameter, biases included, as PyTorch's
# `weight_decay` does. (With Adam the decayed gradient is then rescaled like any other;
# `optimizers.AdamW` decays the weights directly instead.) Train the same network with
# $\lambda = 0.01$:

# %%
l2 = build_mlp()
history_l2 = train(l2, X_train, y_train, weight_decay=0.01)
print(f"final validation loss: plain {history_plain.history['val_loss'][-1]:.3f}, "
      f"L2 {history_l2.history['val_loss'][-1]:.3f}")

# %% [markdown]
# ## Dropout
#
# Dropout silences each hidden unit at random, with probability $p$, at every training
# step, so no unit can rely on a particular other unit being there: the network must spread
# what it knows. The survivors are divided by $1 - p$ ("inverted" dropout), which keeps the
# expected value of every activation unchanged, so at test time the layer does nothing:
#
# $$y = \frac{m \odot x}{1 - p}, \qquad m_i \sim \operatorname{Bernoulli}(1 - p).$$
#
# We draw the mask the way glassnet's `Dropout` does (one uniform number per unit, kept when
# it is at least $p$) from the same seed, and compare.

# %%
# --8<-- [start:dropout]
def dropout_forward(x, p, rng):
    """Inverted dropout in training mode: zero each entry with probability p, rescale."""
    mask = (rng.random(x.shape) >= p) / (1.0 - p)   # 0 or 1 / (1 - p), shape of x
    return x * mask
# --8<-- [end:dropout]


x = np.ones((1000, 50))
ours = dropout_forward(x, 0.5, np.random.default_rng(SEED))
theirs = layers.Dropout(0.5, rng=np.random.default_rng(SEED)).forward(x, training=True)
assert np.array_equal(ours, theirs)
print(f"fraction zeroed {np.mean(ours == 0):.3f}, mean activation {ours.mean():.3f} (was 1)")
assert abs(ours.mean() - 1.0) < 0.02
assert np.array_equal(layers.Dropout(0.5).forward(x, training=False), x)

# %%
dropped = build_mlp(p_drop=0.5)
history_dropout = train(dropped, X_train, y_train)

# %% [markdown]
# ## Early stopping
#
# The simplest regulariser of all: stop when the validation loss stops improving, and keep
# the weights of the best epoch. `EarlyStopping` waits `patience` epochs without a new best
# before it stops; `restore_best_weights=True` then puts the best weights back. Its best
# epoch is the minimum of the validation curve, as the check below confirms.

# %%
early = build_mlp()
stopper = callbacks.EarlyStopping("val_loss", patience=20, restore_best_weights=True)
history_early = train(early, X_train, y_train, cbs=[stopper])
print(f"stopped after epoch {stopper.stopped_epoch + 1}; best epoch {stopper.best_epoch + 1}")
assert stopper.best_epoch == int(np.argmin(history_early.history["val_loss"]))

# %% [markdown]
# ## Comparing the four
#
# Now the test set, which none of the four has seen. Every regulariser should beat the
# plain network on test loss, because the plain network ends up confidently wrong on many
# test points; and the plain one should have the best *training* accuracy, the mark of
# overfitting.

# %%
models = {"no regularisation": plain, "L2, λ = 0.01": l2, "dropout, p = 0.5": dropped,
          "early stopping": early}
scores = {}
for name, model in models.items():
    train_acc = model.evaluate(X_train, y_train)["accuracy"]
    scores[name] = model.evaluate(X_test, y_test)
    print(f"{name:>18}: train accuracy {train_acc:.0%}, "
          f"test accuracy {scores[name]['accuracy']:.1%}, test loss {scores[name]['loss']:.3f}")
for name in list(models)[1:]:
    assert scores[name]["loss"] < scores["no regularisation"]["loss"]
for name in ("L2, λ = 0.01", "dropout, p = 0.5"):
    assert scores[name]["accuracy"] > scores["no regularisation"]["accuracy"]
assert plain.evaluate(X_train, y_train)["accuracy"] == 1.0

# %% [markdown]
# Accuracy tells a less tidy story than the loss. With full-batch Adam one epoch is one
# step, and the validation loss bottoms out at the best epoch printed above, while the boundary
# is still almost straight: early stopping keeps a network that underfits, so it may not
# beat the plain network on accuracy, but its predictions are far less overconfident, and
# that is what the loss measures. L2 and dropout win on both. The comparison of test loss
# and accuracy is not luck of the initial weights: the test suite repeats it from three more
# seeds of them (with the same 60 training points).
#
# The decision boundaries show the difference. The plain network's boundary bends around
# individual training points; L2 and dropout draw smoother curves that follow the moons;
# early stopping's is nearly a straight line.

# %%
xx, yy = np.meshgrid(np.linspace(-1.8, 2.8, 120), np.linspace(-1.5, 2.0, 100))
grid = np.c_[xx.ravel(), yy.ravel()]
fig, axes = plt.subplots(2, 2, figsize=(8, 6.2), sharex=True, sharey=True)
for ax, (name, model) in zip(axes.ravel(), models.items(), strict=True):
    region = np.argmax(model.predict(grid), axis=1).reshape(xx.shape)
    ax.contourf(xx, yy, region, levels=[-0.5, 0.5, 1.5], colors=["#dde6f5", "#f8e0cc"])
    for label, marker, colour in CLASS_STYLE:
        ax.scatter(*X_train[y_train == label].T, marker=marker, color=colour, s=18,
                   edgecolor="k", lw=0.4)
    ax.set_title(f"{name}: test {scores[name]['accuracy']:.0%}", fontsize=10)
fig.tight_layout()

# %% [markdown]
# ## Exercises
#
# Try each one before opening its solution. Every solution is a function that the test
# suite runs and checks.
#
# ### Exercise 1: how strong should L2 be?
#
# Train `build_mlp()` with `weight_decay` 0, 0.01 and 0.1 on the 60 training points and
# report the training and test accuracy of each. What happens when $\lambda$ is too large?

# %% tags=["solution"]
def solution_1(lams=(0.0, 0.01, 0.1), seed=SEED):
    """Training and test accuracy of the MLP for each L2 strength: {lam: (train, test)}."""
    X_tr, y_tr = make_moons(60, noise=NOISE, seed=seed)
    X_te, y_te = make_moons(1000, noise=NOISE, seed=seed + 2)
    results = {}
    for lam in lams:
        model = build_mlp(seed=seed)
        model.compile(optimizers.Adam(lr=0.01, weight_decay=lam), loss="cross_entropy")
        model.fit(X_tr, y_tr, epochs=300, batch_size=len(X_tr), verbose=0)
        results[lam] = (model.evaluate(X_tr, y_tr)["accuracy"],
                        model.evaluate(X_te, y_te)["accuracy"])
    return results


for lam, (train_acc, test_acc) in solution_1().items():
    print(f"lambda = {lam:<5} train accuracy {train_acc:.0%}, test accuracy {test_acc:.1%}")

# %% [markdown]
# Too much decay squeezes the weights so hard that the network can no longer fit all the
# training points: it *underfits*, and both accuracies drop.
#
# ### Exercise 2: more data
#
# More data is the remedy that needs no hyperparameter. Train the plain network (no
# dropout, no decay) on 600 training points instead of 60 and compare its training and
# test accuracy, and its test loss, with the 60-point run.

# %% tags=["solution"]
def solution_2(sizes=(60, 600), seed=SEED):
    """Unregularised MLP per training-set size: {n: (train accuracy, test accuracy, test loss)}."""
    X_te, y_te = make_moons(1000, noise=NOISE, seed=seed + 2)
    results = {}
    for n in sizes:
        X_tr, y_tr = make_moons(n, noise=NOISE, seed=seed)
        model = build_mlp(seed=seed)
        model.compile(optimizers.Adam(lr=0.01), loss="cross_entropy")
        model.fit(X_tr, y_tr, epochs=300, batch_size=n, verbose=0)
        test = model.evaluate(X_te, y_te)
        results[n] = (model.evaluate(X_tr, y_tr)["accuracy"], test["accuracy"], test["loss"])
    return results


for n, (train_acc, test_acc, test_loss) in solution_2().items():
    print(f"{n:>4} points: train accuracy {train_acc:.1%}, test accuracy {test_acc:.1%}, "
          f"test loss {test_loss:.3f}")

# %% [markdown]
# Ten times more data can no longer be memorised: the gap between training and test
# accuracy shrinks, and the test loss falls several-fold, because the network is no longer
# confidently wrong. Test accuracy rises less than you might hope: trained the same way for
# 300 full-batch epochs, the 600-point network still overfits a little, and on accuracy it
# does about as well as L2 or dropout on 60 points. More data is not a free win; it is the
# remedy that works without a hyperparameter to tune.
#
# ### Exercise 3: early stopping, written by you
#
# Write a callback (a subclass of `callbacks.Callback`) that watches `val_loss` and sets
# `self.model.stop_training = True` once it has not improved for `patience` epochs in a
# row. Train `build_mlp()` with it and check that it stops at the same epoch as glassnet's
# `EarlyStopping`.

# %% tags=["solution"]
class PatientStopper(callbacks.Callback):
    """Stop training when val_loss has not improved for `patience` epochs."""

    def __init__(self, patience):
        self.patience = patience

    def on_train_begin(self, logs=None):
        self.best, self.waited, self.stopped_epoch = np.inf, 0, None

    def on_epoch_end(self, epoch, logs):
        if logs["val_loss"] < self.best:
            self.best, self.waited = logs["val_loss"], 0
            return
        self.waited += 1
        if self.waited >= self.patience:
            self.stopped_epoch, self.model.stop_training = epoch, True


def solution_3(patience=20):
    """Epochs run with PatientStopper and with glassnet's EarlyStopping, as a pair."""
    X_tr, y_tr = make_moons(60, noise=NOISE, seed=SEED)
    X_va, y_va = make_moons(300, noise=NOISE, seed=SEED + 1)
    runs = []
    for stopper in (PatientStopper(patience), callbacks.EarlyStopping(patience=patience)):
        model = build_mlp()
        model.compile(optimizers.Adam(lr=0.01), loss="cross_entropy")
        history = model.fit(X_tr, y_tr, epochs=300, batch_size=len(X_tr), verbose=0,
                            validation_data=(X_va, y_va), callbacks=[stopper])
        runs.append(len(history.epoch))
    return tuple(runs)


print("epochs run (ours, glassnet's):", solution_3())

# %% [markdown]
# ## Summary
#
# - Overfitting shows as a validation loss that turns upwards while the training loss keeps
#   falling, and as a boundary that bends around single points.
# - L2 regularisation adds $\frac{\lambda}{2}\lVert W\rVert^2$ to the loss, that is
#   $\lambda W$ to every gradient (`weight_decay`); too large a $\lambda$ underfits.
# - Dropout zeroes units at random while training and rescales the rest by $1/(1-p)$, so
#   nothing changes at test time.
# - Early stopping keeps the weights of the epoch with the lowest validation loss.
# - Choose with a validation set, report on a test set. More data narrows the gap between
#   training and test without a hyperparameter to tune, though it is no free win on accuracy.
