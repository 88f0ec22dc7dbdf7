# %% [markdown]
# # Lesson 6: gradient descent, momentum and Adam
#
# **You will learn** how gradient descent walks downhill on a loss surface, why a learning
# rate that is too large makes it diverge (and exactly how large is too large), how
# momentum speeds it up along a narrow valley, and what Adam does differently. You will
# write each update rule from scratch and check it against `glassnet.optimizers`.
#
# **You need** [lesson 5](05_backprop.ipynb) (backpropagation gives the gradient) and the
# idea of a gradient as the direction of steepest ascent.

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

from glassnet import optimizers

START = (-4.0, 1.5)

# %% [markdown]
# ## A loss surface you can see
#
# A network's loss depends on thousands of weights, but the geometry that matters shows
# up already with two. Take
#
# $$L(w) = \tfrac{1}{2}\bigl(w_1^2 + 20\, w_2^2\bigr), \qquad
# \nabla L(w) = (w_1,\ 20\, w_2).$$
#
# It curves twenty times more sharply across ($w_2$) than along ($w_1$), so its contours are
# ellipses $\sqrt{20} \approx 4.5$ times longer than they are wide: a long, narrow valley,
# the typical shape of a loss near a minimum. The minimum is at $(0, 0)$.

# %%
def loss_fn(w):
    return 0.5 * (w[0] ** 2 + 20.0 * w[1] ** 2)


def grad_fn(w):
    return np.array([w[0], 20.0 * w[1]])


# %% [markdown]
# ## Gradient descent
#
# Step against the gradient, scaled by the learning rate $\eta$ (`lr`):
#
# $$w \leftarrow w - \eta\, \nabla L(w).$$
#
# We record the path. glassnet's `optimizers.SGD` does the same through
# `update(params, grads)`, which changes the arrays in `params` in place; we check that
# both paths are identical.

# %%
# --8<-- [start:gradient_descent]
def gradient_descent(lr, num_steps, start=START):
    w = np.array(start)
    path = [w.copy()]
    for _ in range(num_steps):
        w = w - lr * grad_fn(w)
        path.append(w.copy())
    return np.array(path)                              # (num_steps + 1, 2)
# --8<-- [end:gradient_descent]


def optimizer_path(optimizer, num_steps, start=START):
    """The same walk driven by a glassnet optimizer."""
    params = {"w": np.array(start)}
    path = [params["w"].copy()]
    for _ in range(num_steps):
        optimizer.update(params, {"w": grad_fn(params["w"])})
        path.append(params["w"].copy())
    return np.array(path)


path_gd = gradient_descent(lr=0.05, num_steps=100)
assert np.allclose(path_gd, optimizer_path(optimizers.SGD(lr=0.05), 100), rtol=1e-12, atol=0)
print(f"after 100 steps: w = {path_gd[-1].round(5)}, loss {loss_fn(path_gd[-1]):.2e}")

# %% [markdown]
# ## How large may the learning rate be?
#
# Along each axis the update multiplies the coordinate by a constant: $w_2 \leftarrow
# (1 - 20\eta)\, w_2$ and $w_1 \leftarrow (1 - \eta)\, w_1$. If $|1 - 20\eta| > 1$, that
# is $\eta > 2/20 = 0.1$, $w_2$ grows at every step and descent diverges. The steepest
# direction sets the limit: $\eta < 2/c$, with $c$ the curvature of that direction (the
# second derivative of the loss along it, here $c = 20$), and the flattest direction then
# crawls along at $(1 - \eta)$ per step.

# %%
for lr in (0.01, 0.05, 0.09, 0.11):
    final = loss_fn(gradient_descent(lr, 100)[-1])
    print(f"lr = {lr:<5} loss after 100 steps: {final:.3g}")
assert loss_fn(gradient_descent(0.11, 100)[-1]) > loss_fn(np.array(START))
assert loss_fn(gradient_descent(0.09, 100)[-1]) < 1e-3

# %% [markdown]
# ## Momentum
#
# With a learning rate safe for the steep direction, progress along the valley is slow.
# Momentum keeps a running sum of past gradients, a velocity $b$, and steps along it:
#
# $$b \leftarrow \mu\, b + \nabla L(w), \qquad w \leftarrow w - \eta\, b.$$
#
# Along the valley consecutive gradients agree and add up in $b$, so the step grows up to
# $1/(1 - \mu)$ times. Across it they alternate in sign and partly cancel, but $b$ also
# carries the speed of the last swing, so momentum keeps swinging across the floor for
# longer than plain descent does. That is the trade. We keep gradient descent's learning
# rate, 0.05, and take $\mu = 0.6$, which allows up to 2.5 times longer steps along the
# valley. This is PyTorch's form, and glassnet's `SGD(momentum=0.6)`.

# %%
# --8<-- [start:momentum]
def momentum_descent(lr, mu, num_steps, start=START):
    w, b = np.array(start), np.zeros(2)
    path = [w.copy()]
    for _ in range(num_steps):
        b = mu * b + grad_fn(w)
        w = w - lr * b
        path.append(w.copy())
    return np.array(path)
# --8<-- [end:momentum]


path_momentum = momentum_descent(lr=0.05, mu=0.6, num_steps=100)
reference = optimizer_path(optimizers.SGD(lr=0.05, momentum=0.6), 100)
assert np.allclose(path_momentum, reference, rtol=1e-12, atol=1e-15)
print("momentum from scratch == glassnet SGD(momentum=0.6)")

# %% [markdown]
# How fast does each direction settle? For one coordinate with curvature $c$ ($1$ along the
# valley, $20$ across), one step maps $(w, b)$ to $b' = \mu b + c w$ and $w' = w - \eta b'$:
# a fixed $2 \times 2$ matrix. In the long run the distance to the floor shrinks each step by
# the largest size of that matrix's eigenvalues, its *spectral radius*. Plain descent is
# $\mu = 0$.

# %%
def shrink_per_step(lr, mu, curvature):
    """Spectral radius of one coordinate's momentum update: its long-run factor per step."""
    step = np.array([[1 - lr * curvature, -lr * mu], [curvature, mu]])
    return np.max(np.abs(np.linalg.eigvals(step)))


shrink = {mu: (shrink_per_step(0.05, mu, 1.0), shrink_per_step(0.05, mu, 20.0))
          for mu in (0.0, 0.6, 0.9)}
for mu, (along, across) in shrink.items():
    print(f"mu = {mu}: along the valley x{along:.3f} per step, across it x{across:.3f}")
assert shrink[0.0][1] < 1e-12 and path_gd[1][1] == 0.0       # plain descent: one step across
assert shrink[0.6][1] > 0.7 and shrink[0.6][0] < shrink[0.0][0] - 0.1
assert abs(shrink[0.9][0] - shrink[0.0][0]) < 0.01          # mu = 0.9: no faster along

# %% [markdown]
# With $\eta = 0.05$ the steep direction has $1 - 20\eta = 0$, so plain descent lands on the
# floor ($w_2 = 0$) in a single step and then only has to crawl along it, by a factor
# $0.95$ per step. Momentum with $\mu = 0.6$ swings across for many steps instead (its
# distance from the floor shrinking by about $\sqrt{0.6} \approx 0.77$ per step), but runs
# along the valley at $0.8$ per step, so
# it wins where the distance is. With the common default $\mu = 0.9$ both directions shrink
# by only $\sqrt{0.9} \approx 0.95$ per step, hardly faster than plain descent along the floor:
# the step counts below show it barely beats plain descent on this valley.

# %% [markdown]
# ## Adam
#
# Adam keeps two running averages per weight: of the gradient, $m$ (momentum), and of its
# square, $v$. It divides the step by $\sqrt{v}$, so every weight moves at a similar pace
# whatever the scale of its gradient. Both averages start at zero, so early on they are
# too small; dividing by $1 - \beta^t$ corrects that:
#
# $$m \leftarrow \beta_1 m + (1 - \beta_1) g, \quad v \leftarrow \beta_2 v + (1 - \beta_2)
# g^2, \quad w \leftarrow w - \eta\, \frac{m / (1 - \beta_1^t)}{\sqrt{v / (1 - \beta_2^t)}
# + \epsilon}.$$

# %%
# --8<-- [start:adam]
def adam_descent(lr, num_steps, beta1=0.9, beta2=0.999, eps=1e-8, start=START):
    w, m, v = np.array(start), np.zeros(2), np.zeros(2)
    path = [w.copy()]
    for t in range(1, num_steps + 1):
        g = grad_fn(w)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
        path.append(w.copy())
    return np.array(path)
# --8<-- [end:adam]


path_adam = adam_descent(lr=0.3, num_steps=100)
reference = optimizer_path(optimizers.Adam(lr=0.3), 100)
assert np.allclose(path_adam, reference, rtol=1e-10, atol=1e-12)
print("Adam from scratch == glassnet Adam")

# %% [markdown]
# ## The three paths
#
# On the left, the paths over the contours of the loss; on the right, the loss after each
# step (log scale). Gradient descent creeps along the valley floor. Momentum swings
# across the valley at first, but covers its length far sooner. Adam first heads
# diagonally (it moves each coordinate at the same pace), then settles.

# %%
paths = {"gradient descent (lr 0.05)": path_gd,
         "momentum (lr 0.05, mu 0.6)": path_momentum,
         "Adam (lr 0.3)": path_adam}
w1, w2 = np.meshgrid(np.linspace(-4.5, 4.5, 200), np.linspace(-2, 2, 200))
fig, (ax_p, ax_l) = plt.subplots(1, 2, figsize=(10, 3.8), width_ratios=(1.3, 1))
ax_p.contour(w1, w2, loss_fn((w1, w2)), levels=np.geomspace(0.05, 40, 10), colors="0.75",
             linewidths=0.8)
for (label, path), style in zip(paths.items(), ("o-", "s--", "^:"), strict=True):
    ax_p.plot(path[:40, 0], path[:40, 1], style, ms=3, lw=1.2, label=label)
    ax_l.plot([loss_fn(w) for w in path], style[1:], label=label)
ax_p.plot(0, 0, "k*", ms=10)
ax_p.set(xlabel="$w_1$", ylabel="$w_2$", title="First 40 steps")
ax_l.set(xlabel="step", ylabel="loss", yscale="log", title="Loss per step")
ax_l.legend(fontsize=8)
ax_l.grid(alpha=0.3)
fig.tight_layout()

# %% [markdown]
# Counting the steps each method needs to bring the loss under $10^{-6}$ makes the
# difference concrete.

# %%
def steps_to(path, target=1e-6):
    below = [i for i, w in enumerate(path) if loss_fn(w) < target]
    return below[0] if below else None


long_runs = {"gradient descent": gradient_descent(0.05, 1000),
             "momentum": momentum_descent(0.05, 0.6, 1000),
             "momentum, mu 0.9": momentum_descent(0.05, 0.9, 1000),
             "descent, lr 2/21": gradient_descent(2 / 21, 1000),
             "Adam": adam_descent(0.3, 1000)}
counts = {label: steps_to(path) for label, path in long_runs.items()}
for label, count in counts.items():
    print(f"{label:>16}: {count} steps to reach a loss below 1e-6")
assert counts["momentum"] < counts["gradient descent"] / 2
assert 0.8 * counts["gradient descent"] < counts["momentum, mu 0.9"] < counts["gradient descent"]
assert 0.4 < counts["momentum"] / counts["descent, lr 2/21"] < 0.6

# %% [markdown]
# Plain descent was held to $\eta = 0.05$ above. Its best rate on this valley is
# $\eta = 2/21 \approx 0.095$, which makes both directions shrink by $19/21 \approx 0.905$ per
# step; even then, momentum with $\eta = 0.05$ and $\mu = 0.6$ needs about half as many
# steps (the "momentum" and "descent, lr 2/21" counts above).

# %% [markdown]
# Adam is not the fastest here, and need not be: on a smooth quadratic, momentum with a
# well-chosen $\mu$ is hard to beat. Adam's strength is robustness: one learning rate works across
# weights whose gradients differ by orders of magnitude, which is why it is the usual
# first choice for training networks.

# %% [markdown]
# ## Exercises
#
# Try each one before opening its solution. Every solution is a function that the test
# suite runs and checks.
#
# ### Exercise 1: find the largest stable learning rate
#
# By bisection between 0.01 and 0.5, find the largest learning rate for which gradient
# descent on our loss does not diverge. Judge divergence by growth: a rate diverges if, after
# 200 steps, a step still makes some coordinate of $w$ larger in size. (Asking only whether
# the loss after 200 steps is below the starting loss is not enough: just above the limit,
# $w_2$ grows so slowly that 200 steps do not bring it back above the start, and the answer
# overshoots.) Compare with $2 / c = 0.1$ for the steepest direction, $c = 20$.

# %% tags=["solution"]
def grows(lr, num_steps=200):
    """Whether the last step of descent made some coordinate of w larger in size."""
    path = gradient_descent(lr, num_steps)
    return bool(np.any(np.abs(path[-1]) > np.abs(path[-2])))


def solution_1():
    low, high = 0.01, 0.5                  # low does not grow, high does
    for _ in range(40):
        mid = (low + high) / 2
        if grows(mid):
            high = mid
        else:
            low = mid
    return low


print(f"largest stable learning rate: {solution_1():.5f}")

# %% [markdown]
# ### Exercise 2: Nesterov momentum
#
# Nesterov's variant looks ahead: in PyTorch's form the step is $g + \mu b$ instead of
# $b$, after updating $b \leftarrow \mu b + g$. Write it from scratch and check it against
# `optimizers.SGD(lr=0.05, momentum=0.6, nesterov=True)` over 100 steps.

# %% tags=["solution"]
def solution_2(num_steps=100, lr=0.05, mu=0.6):
    w, b = np.array(START), np.zeros(2)
    path = [w.copy()]
    for _ in range(num_steps):
        g = grad_fn(w)
        b = mu * b + g
        w = w - lr * (g + mu * b)
        path.append(w.copy())
    reference = optimizer_path(optimizers.SGD(lr=lr, momentum=mu, nesterov=True), num_steps)
    return np.array(path), reference


ours, theirs = solution_2()
print("largest difference from glassnet:", np.max(np.abs(ours - theirs)))
print(f"loss after 100 steps: {loss_fn(ours[-1]):.2e}")

# %% [markdown]
# ### Exercise 3: why Adam corrects its bias
#
# Run one Adam step from `START` with and without the bias correction (use $m$ and $v$
# directly). How long is each first step, compared with the learning rate?

# %% tags=["solution"]
def solution_3(lr=0.3, beta1=0.9, beta2=0.999):
    g = grad_fn(np.array(START))
    m, v = (1 - beta1) * g, (1 - beta2) * g**2            # After one step from zero.
    corrected = lr * (m / (1 - beta1)) / np.sqrt(v / (1 - beta2))   # = lr * sign(g)
    uncorrected = lr * m / np.sqrt(v)                     # = lr * 0.1 / sqrt(0.001) * sign(g)
    # Both averages start too small, but v far more so (0.001 g^2 against 0.1 g): without
    # the correction the first step is 3.16 times too long, just when the estimates are
    # least reliable.
    return np.abs(corrected), np.abs(uncorrected)


corrected, uncorrected = solution_3()
print("first step with correction:   ", corrected, "(each coordinate moves by lr)")
print("first step without correction:", uncorrected.round(4), "(about 3.16 lr)")

# %% [markdown]
# ## Summary
#
# - Gradient descent steps against the gradient: $w \leftarrow w - \eta \nabla L$.
# - It diverges once $\eta > 2 / c$, with $c$ the curvature of the steepest direction;
#   below that limit it crawls along the flattest one: narrow valleys are slow.
# - Momentum accumulates gradients that agree and cancels those that alternate, reaching
#   the minimum of our valley in a fraction of the steps.
# - Adam scales each weight's step by its own gradient history; with bias correction its
#   first step moves each weight by about $\eta$.
# - glassnet's `SGD`, `SGD(momentum=...)` and `Adam` follow exactly the paths written here.
