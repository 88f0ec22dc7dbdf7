# %% [markdown]
# # Lesson 11: convolutional networks
#
# **You will learn** what a convolution computes, by writing one with plain loops and
# checking it against glassnet's `Conv2D`; how stride and padding set the output size; what
# max pooling does; and how a small convolutional network (CNN) classifies the digits with
# a fraction of an MLP's parameters. Then you will look inside it: its learned filters and
# the feature maps they produce.
#
# **You need** the digits and the training workflow of [lesson 8](08_digits.ipynb), and
# NumPy indexing on arrays with four axes.

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
# We write convolution and max pooling from scratch; glassnet's `Conv2D`, `MaxPool2D` and
# `Sequential` check them and train the network.

# %%
import matplotlib.pyplot as plt
import numpy as np

from glassnet import Sequential, layers, mlp, optimizers
from glassnet.data import load_digits, train_test_split
from glassnet.layers.conv import conv_output_size

SEED = 0
NUM_FILTERS = 8

# %% [markdown]
# ## Convolution, with loops
#
# A convolutional layer slides small learned *kernels* (filters) over the image. At each
# position it multiplies the kernel with the patch of pixels under it and sums: a dot
# product between the kernel and the patch. With input channels $c$, kernel rows and
# columns $i, j$, stride $s$ and the input zero-padded into $\tilde{x}$, output channel $f$
# at row $r$ and column $q$ is
#
# $$z_{f,r,q} = b_f + \sum_{c,i,j} W_{f,c,i,j}\; \tilde{x}_{c,\,rs+i,\,qs+j}.$$
#
# Every output position uses the *same* weights: that sharing is why a CNN needs so few
# parameters, and why a pattern is detected wherever it appears. (Strictly this is a
# cross-correlation, since the kernel is not flipped; every deep-learning library computes
# it and calls it convolution.)
#
# Images are stored as `(batch, channels, height, width)`, "NCHW". Here is the formula
# as four nested loops: slow, but each line is one piece of the equation.

# %%
# --8<-- [start:conv2d_naive]
def conv2d_naive(x, W, b, stride=1, padding=0):
    """Convolve x (batch, C, H, W) with kernels W (F, C, kh, kw) and biases b (F,)."""
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    n, _, h, w = x.shape
    num_f, _, kh, kw = W.shape
    h_out, w_out = (h - kh) // stride + 1, (w - kw) // stride + 1
    z = np.zeros((n, num_f, h_out, w_out))
    for img in range(n):
        for f in range(num_f):
            for r in range(h_out):
                for q in range(w_out):
                    patch = x[img, :, r * stride:r * stride + kh, q * stride:q * stride + kw]
                    z[img, f, r, q] = np.sum(patch * W[f]) + b[f]
    return z
# --8<-- [end:conv2d_naive]


# %% [markdown]
# Glassnet's `Conv2D` computes the same thing without a loop over pixels: it copies every
# patch into a column of a matrix (*im2col*) and does one matrix product. Give both the
# same weights, a batch of random images with three channels, stride 2 and padding 1:

# %%
rng = np.random.default_rng(SEED)
x = rng.normal(size=(2, 3, 7, 7))
conv = layers.Conv2D(3, 4, kernel_size=3, stride=2, padding=1, rng=rng)
ours = conv2d_naive(x, conv.params["W"], conv.params["b"], stride=2, padding=1)
theirs = conv.forward(x)
print("output shape:", ours.shape)
assert np.allclose(ours, theirs, rtol=0, atol=1e-12)
print("our loops and glassnet's Conv2D agree")

# %% [markdown]
# ## Output size: stride and padding
#
# A kernel of size $k$ fits $n - k + 1$ times along an axis of length $n$. Padding by $p$
# zeros on each side adds $2p$; a stride $s$ keeps every $s$-th position:
#
# $$n_\text{out} = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1.$$
#
# With $k = 3$, $p = 1$, $s = 1$ the size is kept ("same" padding); $s = 2$ halves it.

# %%
for n, k, s, p in [(8, 3, 1, 0), (8, 3, 1, 1), (7, 3, 2, 1), (28, 5, 1, 0)]:
    ours = (n + 2 * p - k) // s + 1
    assert ours == conv_output_size(n, k, s, p)
    print(f"n = {n:>2}, k = {k}, stride {s}, padding {p}: output {ours}")

# %% [markdown]
# ## A hand-made filter
#
# Before learning any filter, set one by hand. In the digits a high value is ink, which
# the plots draw dark. The Sobel kernel below responds positively where the ink increases
# from left to right (the left edge of a stroke) and negatively where it decreases (the
# right edge): it finds vertical edges. Applied to a digit, it marks the left and right
# sides of each stroke with opposite signs.

# %%
X_images, y_all = load_digits(flatten=False)                  # (1797, 8, 8)
sobel = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
digit = X_images[0][None, None]                                # (1, 1, 8, 8)
edges = conv2d_naive(digit, sobel[None, None], np.zeros(1), padding=1)[0, 0]

fig, (ax_in, ax_out) = plt.subplots(1, 2, figsize=(6, 3))
ax_in.imshow(digit[0, 0], cmap="gray_r")
ax_in.set_title(f"a {y_all[0]}")
limit = np.abs(edges).max()
ax_out.imshow(edges, cmap="RdBu_r", vmin=-limit, vmax=limit)
ax_out.set_title("after the vertical-edge filter")
for ax in (ax_in, ax_out):
    ax.axis("off")
fig.tight_layout()

# %% [markdown]
# ## Max pooling
#
# A pooling layer shrinks each feature map by summarising small windows. Max pooling with a
# 2×2 window and stride 2 keeps the largest value of each window, halving height and width:
# the network keeps *whether* a feature was found nearby and forgets exactly where, which
# also makes it a little tolerant of small shifts. With non-overlapping windows it is one
# reshape and one `max`.

# %%
# --8<-- [start:maxpool]
def maxpool2x2(x):
    """2x2 max pooling with stride 2 of x (batch, C, H, W), H and W even."""
    n, c, h, w = x.shape
    windows = x.reshape(n, c, h // 2, 2, w // 2, 2)   # split each axis into (blocks, 2)
    return windows.max(axis=(3, 5))
# --8<-- [end:maxpool]


x = np.random.default_rng(SEED).normal(size=(2, 3, 8, 8))
assert np.array_equal(maxpool2x2(x), layers.MaxPool2D(2).forward(x))
print("our max pooling agrees with glassnet's MaxPool2D:", x.shape, "->", maxpool2x2(x).shape)

# %% [markdown]
# ## A CNN for the digits
#
# The network: eight 3×3 filters with "same" padding (8 feature maps of 8×8), ReLU, 2×2
# max pooling (8 maps of 4×4), then `Flatten` into 128 numbers and one dense layer to the
# ten digit scores. The images go in with one channel, shape `(n, 1, 8, 8)`. We split the
# data as in lesson 8 and train with Adam for 15 epochs.

# %%
X_train, X_test, y_train, y_test = train_test_split(X_images[:, None], y_all, test_size=0.25,
                                                    seed=SEED, stratify=True)

# --8<-- [start:cnn]
cnn = Sequential([
    layers.Conv2D(1, NUM_FILTERS, kernel_size=3, padding=1),   # (n, 8, 8, 8)
    layers.ReLU(),
    layers.MaxPool2D(2),                                        # (n, 8, 4, 4)
    layers.Flatten(),                                           # (n, 128)
    layers.Dense(NUM_FILTERS * 4 * 4, 10),
], seed=SEED)
cnn.compile(optimizers.Adam(lr=3e-3), loss="cross_entropy")
history = cnn.fit(X_train, y_train, epochs=15, batch_size=32, verbose=0)
# --8<-- [end:cnn]
cnn.summary()
test = cnn.evaluate(X_test, y_test)
lesson_8_mlp = mlp([64, 256, 10])                                # the network of lesson 8
print(f"test accuracy {test['accuracy']:.1%} with {cnn.num_params():,} parameters; "
      f"lesson 8's MLP has {lesson_8_mlp.num_params():,}")
assert test["accuracy"] >= 0.94
assert cnn.num_params() < lesson_8_mlp.num_params() / 10

# %% [markdown]
# Lesson 8's MLP reached 97% or more on the same split; this CNN comes within a few points
# with less than a tenth of the parameters of that MLP (256 hidden units), because its
# filters are shared across the image. (The CNN page compares the same architecture with a
# smaller dense network, on another split and with other training settings.)
#
# ## The learned filters
#
# Each filter is a 3×3 grid of weights. Red weights add the pixel under them, blue ones
# subtract it. A few of the learned filters look like rough edge detectors, the same kind
# as the Sobel kernel above, found by gradient descent alone; others have no clear
# direction.

# %%
kernels = cnn.layers[0].params["W"][:, 0]                     # (8, 3, 3)
limit = np.abs(kernels).max()
fig, axes = plt.subplots(1, NUM_FILTERS, figsize=(9, 1.6))
for f, ax in enumerate(axes):
    ax.imshow(kernels[f], cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_title(f"filter {f + 1}", fontsize=9)
    ax.axis("off")
fig.tight_layout()

# %% [markdown]
# ## Feature maps
#
# Running one test digit through the first two layers (convolution and ReLU) shows what
# each filter sees in it: eight maps of 8×8, bright where the filter's pattern occurs.

# %%
image = X_test[:1]                                             # (1, 1, 8, 8)
maps = cnn.layers[1].forward(cnn.layers[0].forward(image))[0]  # (8, 8, 8) after ReLU
fig, axes = plt.subplots(1, NUM_FILTERS + 1, figsize=(9.5, 1.7))
axes[0].imshow(image[0, 0], cmap="gray_r")
axes[0].set_title(f"input: {y_test[0]}", fontsize=9)
for f, ax in enumerate(axes[1:]):
    ax.imshow(maps[f], cmap="viridis")
    ax.set_title(f"map {f + 1}", fontsize=9)
for ax in axes:
    ax.axis("off")
fig.tight_layout()

# %% [markdown]
# ## Exercises
#
# Try each one before opening its solution. Every solution is a function that the test
# suite runs and checks.
#
# ### Exercise 1: convolution as one matrix product
#
# Rewrite `conv2d_naive` (stride 1, no padding) so that the only loops run over the kernel
# offsets $i, j$: gather, for every offset, the shifted slice of the image into an array
# `cols` of shape `(batch, C, kh, kw, H_out, W_out)`, then contract it with `W` in one
# `np.einsum` or `np.tensordot`. Check it against `Conv2D`.

# %% tags=["solution"]
def solution_1(x, W, b):
    """Stride-1, unpadded convolution of x (n, C, H, W) with W (F, C, kh, kw), b (F,)."""
    n, c, h, w = x.shape
    _, _, kh, kw = W.shape
    h_out, w_out = h - kh + 1, w - kw + 1
    cols = np.empty((n, c, kh, kw, h_out, w_out))
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = x[:, :, i:i + h_out, j:j + w_out]   # every patch's (i, j) pixel
    return np.einsum("ncijrq,fcij->nfrq", cols, W) + b[:, None, None]


x = np.random.default_rng(SEED).normal(size=(2, 3, 6, 6))
conv = layers.Conv2D(3, 4, kernel_size=3, rng=np.random.default_rng(SEED))
print("matches Conv2D:", np.allclose(solution_1(x, conv.params["W"], conv.params["b"]),
                                     conv.forward(x)))

# %% [markdown]
# ### Exercise 2: shift the input, shift the output
#
# Convolution is *translation equivariant*: shifting the image shifts the feature maps by
# the same amount. Shift the test digit one pixel to the right (`np.roll` along the last
# axis, then zero the first column), compute the ReLU feature maps of both images with the
# trained `Conv2D`, and measure the largest difference between the shifted maps of the
# original and the maps of the shifted image, away from the borders. Write the solution so
# that it takes the convolution layer and the image as arguments.

# %% tags=["solution"]
def solution_2(conv_layer, image):
    """Max |maps(shift(image)) - shift(maps(image))| over columns 2..W-2 (borders excluded)."""
    shifted = np.roll(image, 1, axis=-1)
    shifted[..., 0] = 0.0                                     # what rolled in is not image
    maps = np.maximum(conv_layer.forward(image), 0.0)
    maps_of_shifted = np.maximum(conv_layer.forward(shifted), 0.0)
    shifted_maps = np.roll(maps, 1, axis=-1)
    return float(np.abs(maps_of_shifted - shifted_maps)[..., 2:-1].max())


print(f"largest difference inside the image: {solution_2(cnn.layers[0], X_test[:1]):.1e}")

# %% [markdown]
# Pooling is equivariant only to shifts by multiples of its stride (a 2-pixel shift moves
# the pooled map by one cell; a 1-pixel shift does not move it cleanly), and the final
# dense layer not at all, which is why a CNN is only somewhat tolerant of shifts; data
# augmentation (training on shifted copies) helps.
#
# ### Exercise 3: the weight gradient
#
# For stride 1 and no padding, the gradient of the loss with respect to a kernel weight is
# a sum over the output positions that weight touched:
#
# $$\frac{\partial L}{\partial W_{f,c,i,j}} = \sum_{n,r,q} \delta_{n,f,r,q}\; x_{n,c,r+i,q+j},$$
#
# with $\delta = \partial L / \partial z$. It is itself a convolution: of the input with
# $\delta$. Write it with loops over $i, j$ and check it against `Conv2D.backward`.

# %% tags=["solution"]
def solution_3(x, dout, kh, kw):
    """dL/dW (F, C, kh, kw) for a stride-1, unpadded convolution, from x and dout."""
    _, _, h_out, w_out = dout.shape
    dW = np.zeros((dout.shape[1], x.shape[1], kh, kw))
    for i in range(kh):
        for j in range(kw):
            patch = x[:, :, i:i + h_out, j:j + w_out]            # (n, C, h_out, w_out)
            dW[:, :, i, j] = np.einsum("nfrq,ncrq->fc", dout, patch)
    return dW


rng = np.random.default_rng(SEED)
x, dout = rng.normal(size=(2, 3, 6, 6)), rng.normal(size=(2, 4, 4, 4))
conv = layers.Conv2D(3, 4, kernel_size=3, rng=rng)
conv.forward(x)
conv.backward(dout)
print("matches Conv2D's dW:", np.allclose(solution_3(x, dout, 3, 3), conv.grads["W"]))

# %% [markdown]
# ## Summary
#
# - A convolution slides shared kernels over the image: each output is the dot product of
#   a kernel with a patch, plus a bias. Output size: $\lfloor (n + 2p - k)/s \rfloor + 1$.
# - Sharing weights across positions makes CNNs small and translation equivariant.
# - Max pooling keeps the strongest response in each window and shrinks the maps.
# - Our CNN with one convolution stage reached 94% or more on this split of the 8×8 digits
#   with a tenth of lesson 8's MLP's parameters; a few of its filters look like edge
#   detectors.
