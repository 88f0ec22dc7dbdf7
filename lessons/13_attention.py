# %% [markdown]
# # Lesson 13: attention and Transformers
#
# **You will learn** how self-attention lets every position of a sequence look at every
# other one, by writing scaled dot-product attention and its multi-head version from
# scratch and checking them against glassnet's `MultiHeadAttention`; then you will train a
# small Transformer to reverse sequences and read its attention map.
#
# **You need** matrix products and softmax ([lesson 4](04_losses.ipynb)), residual
# connections and normalisation ([lesson 10](10_vanishing_gradients.ipynb)), and the idea
# of a sequence model ([lesson 12](12_rnn.ipynb)).

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
# We write attention from scratch; glassnet provides the layers it is checked against,
# the embeddings, positional encodings and Transformer block, and the optimizer.

# %%
import matplotlib.pyplot as plt
import numpy as np

from glassnet import layers, optimizers
from glassnet.activations import softmax
from glassnet.losses import softmax_cross_entropy
from glassnet.sequence import SequenceCrossEntropy

SEED = 0
VOCAB = 10        # tokens 0..9
SEQ_LEN = 10
DIM = 16          # model width
HEADS = 2

# %% [markdown]
# ## Attention as a soft lookup
#
# A recurrent network passes information along the sequence one step at a time. Attention
# connects every position to every other directly. Each position $t$ emits three vectors,
# all linear maps of its input $x_t$:
#
# - a **query** $q_t = x_t W_q$: what it is looking for;
# - a **key** $k_s = x_s W_k$: what each position offers;
# - a **value** $v_s = x_s W_v$: what each position hands over when chosen.
#
# Position $t$ scores every position $s$ by the dot product $q_t \cdot k_s$, turns the
# scores into weights with a softmax, and outputs the weighted average of the values.
# For a whole sequence, with the rows of $Q$, $K$, $V$ holding the positions:
#
# $$\operatorname{Attention}(Q, K, V)
# = \operatorname{softmax}\!\Bigl(\frac{Q K^\top}{\sqrt{d_k}}\Bigr) V.$$
#
# Dividing by $\sqrt{d_k}$, where $d_k$ is the number of features of a key, keeps the scores' spread
# independent of $d_k$, so the softmax does not saturate (exercise 3). Each row of the
# softmax, the *attention weights* $A_{t,:}$, is a probability distribution over positions.

# %%
# --8<-- [start:attention]
def attention(q, k, v):
    """Scaled dot-product attention; q, k, v (..., T, d_k). Returns (output, weights)."""
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])   # (..., T, T)
    A = softmax(scores, axis=-1)                                   # each row sums to 1
    return A @ v, A
# --8<-- [end:attention]


rng = np.random.default_rng(SEED)
q, k, v = rng.normal(size=(3, 5, 4))                              # 5 positions, d_k = 4
out, A = attention(q, k, v)
print("attention weights (rows: queries, columns: keys):")
print(np.round(A, 2))
assert np.allclose(A.sum(axis=-1), 1.0)

# %% [markdown]
# ## Several heads
#
# One softmax picks one blend of positions. *Multi-head* attention runs $h$ attentions
# side by side. It projects $x$ to $Q$, $K$, $V$ as before and splits their $d$ columns
# into $h$ slices of $d_k = d / h$, one per head (each head still reads every input
# feature, through its own columns of the projections), so that one head can
# track, say, the previous token while another tracks the matching bracket. The heads'
# outputs are concatenated and mixed by a last matrix $W_o$:
#
# $$\operatorname{MHA}(x) = [\operatorname{head}_1, \dots, \operatorname{head}_h]\, W_o,
# \qquad \operatorname{head}_i = \operatorname{Attention}(Q_i, K_i, V_i).$$
#
# The split is a reshape: `(batch, T, d)` becomes `(batch, h, T, d_k)`, and `attention`
# above works on all heads at once because it only uses the last two axes. We run it on a
# random batch with the weights of glassnet's layer and compare outputs and weights.

# %%
# --8<-- [start:multi_head]
def multi_head_attention(x, W_q, W_k, W_v, W_o, num_heads):
    """Self-attention of x (batch, T, d) with num_heads heads; returns (y, weights)."""
    batch, T, d = x.shape

    def split(z):                                  # (batch, T, d) -> (batch, h, T, d / h)
        return z.reshape(batch, T, num_heads, d // num_heads).transpose(0, 2, 1, 3)

    heads, A = attention(split(x @ W_q), split(x @ W_k), split(x @ W_v))
    merged = heads.transpose(0, 2, 1, 3).reshape(batch, T, d)   # concatenate the heads
    return merged @ W_o, A
# --8<-- [end:multi_head]


mha = layers.MultiHeadAttention(DIM, HEADS, rng=rng)
x = rng.normal(size=(3, 6, DIM))
p = mha.params
ours, ours_A = multi_head_attention(x, p["W_q"], p["W_k"], p["W_v"], p["W_o"], HEADS)
assert np.allclose(ours, mha.forward(x), rtol=0, atol=1e-12)
assert np.allclose(ours_A, mha.attention_weights, rtol=0, atol=1e-12)
print("our multi-head attention agrees with glassnet's:", ours.shape, "weights", ours_A.shape)

# %% [markdown]
# ## Order, and where it comes from
#
# Attention treats its input as a set: shuffle the positions and the outputs are shuffled
# the same way, nothing else changes (exercise 2). Word order matters, so a Transformer
# adds a *positional encoding* to each token's embedding before the first block: a
# distinct vector per position, here the sinusoids of Vaswani et al. (2017), each pair of
# columns a clock ticking at its own frequency.

# %%
table = layers.PositionalEncoding(SEQ_LEN, DIM).table             # (SEQ_LEN, DIM)
fig, ax = plt.subplots(figsize=(6, 2.8))
image = ax.imshow(table, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
ax.set(xlabel="feature", ylabel="position", title="Sinusoidal positional encoding")
fig.colorbar(image, ax=ax)
fig.tight_layout()

# %% [markdown]
# ## A small Transformer that reverses sequences
#
# The model: token embeddings plus positional encodings, one pre-norm Transformer block
# (multi-head attention and a small MLP, each wrapped in a residual connection with layer
# normalisation in front), and a dense layer that scores the ten tokens at every position.
#
# The task: given ten random tokens, output them in reverse order. Position $t$ must copy
# the token at position $T - 1 - t$, so it has to *find* it: exactly what attention is for.
#
# Each example has ten labels, one per position. `Sequential.fit` can train on those with
# the loss `glassnet.sequence.SequenceCrossEntropy`, the fused softmax cross-entropy
# averaged over all `batch × T` positions. Here we write the training step ourselves, to
# see the four things `fit` does for every batch (forward through the layers, the loss,
# backward through the layers, one Adam step) and to draw a fresh batch of random
# sequences at every step; a check after training confirms that our loss is glassnet's.

# %%
def build_reverser(seed=SEED):
    """Embedding, positional encoding, one Transformer block and a readout to VOCAB scores."""
    rng = np.random.default_rng(seed)
    return [layers.Embedding(VOCAB, DIM, rng=rng),
            layers.PositionalEncoding(SEQ_LEN, DIM),
            layers.TransformerBlock(DIM, HEADS, 2 * DIM, rng=rng),
            layers.Dense(DIM, VOCAB, rng=rng)]


def run(stack, x, training=False):
    """Forward pass of a list of layers."""
    for layer in stack:
        x = layer.forward(x, training=training)
    return x


# --8<-- [start:train_step]
def train_step(stack, optimizer, x, target):
    """One Adam step on token batch x (batch, T) with target tokens (batch, T); the loss."""
    for layer in stack:
        layer.zero_grad()
    logits = run(stack, x, training=True)                       # (batch, T, VOCAB)
    loss, dlogits = softmax_cross_entropy(logits.reshape(-1, VOCAB), target.reshape(-1))
    dout = dlogits.reshape(logits.shape)
    for layer in reversed(stack):
        dout = layer.backward(dout)
    optimizer.step(stack)
    return loss
# --8<-- [end:train_step]


rng = np.random.default_rng(SEED)
reverser, adam = build_reverser(), optimizers.Adam(lr=0.01)
losses = []
for _ in range(120):
    x = rng.integers(0, VOCAB, size=(64, SEQ_LEN))
    losses.append(train_step(reverser, adam, x, x[:, ::-1]))

x_test = rng.integers(0, VOCAB, size=(1000, SEQ_LEN))
accuracy = np.mean(run(reverser, x_test).argmax(axis=-1) == x_test[:, ::-1])
print(f"{sum(layer.num_params() for layer in reverser):,} parameters; "
      f"loss {losses[0]:.2f} -> {losses[-1]:.4f}; token accuracy on new sequences {accuracy:.1%}")
assert accuracy > 0.99

# Our loss over every position is the one Sequential would use with SequenceCrossEntropy.
logits = run(reverser, x_test[:64])                               # (64, T, VOCAB)
ours, _ = softmax_cross_entropy(logits.reshape(-1, VOCAB), x_test[:64, ::-1].reshape(-1))
assert np.isclose(ours, SequenceCrossEntropy().forward(logits, x_test[:64, ::-1]))

fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(losses)
ax.axhline(np.log(VOCAB), color="gray", lw=0.8)
ax.text(len(losses), np.log(VOCAB), "chance: ln 10", ha="right", va="bottom", fontsize=8)
ax.set(xlabel="training step", ylabel="cross-entropy", yscale="log",
       title="Learning to reverse")
fig.tight_layout()

# %% [markdown]
# ## The attention map
#
# Run one test sequence through the trained model and read the block's attention weights:
# row $t$ shows where position $t$ looked. To reverse, position $t$ should look at
# position $T - 1 - t$, the anti-diagonal.

# %%
example = x_test[:1]
run(reverser, example)
A = reverser[2].attention_weights[0]                             # (HEADS, T, T)
anti_diagonal = A.sum(axis=0)[np.arange(SEQ_LEN), SEQ_LEN - 1 - np.arange(SEQ_LEN)] / HEADS
print("input:   ", example[0])
print("output:  ", run(reverser, example).argmax(axis=-1)[0])
print(f"mean attention on the anti-diagonal, over both heads: {anti_diagonal.mean():.2f}")
assert anti_diagonal.mean() > 0.4

fig, axes = plt.subplots(1, HEADS, figsize=(8, 3.8))
for h, ax in enumerate(axes):
    ax.imshow(A[h], cmap="viridis", vmin=0, vmax=1)
    ax.set(title=f"head {h + 1}", xlabel="key position (looked at)",
           ylabel="query position (looking)", xticks=range(SEQ_LEN), yticks=range(SEQ_LEN))
fig.tight_layout()

# %% [markdown]
# The heads concentrate on the anti-diagonal: each output position has learned where its
# answer sits. Nothing told the model about positions except the positional encoding;
# attention learned to read it.
#
# ## Exercises
#
# Try each one before opening its solution. Every solution is a function that the test
# suite runs and checks.
#
# ### Exercise 1: a causal mask
#
# A language model predicts the next token, so position $t$ must not see positions after
# it. Add a mask to `attention`: set the scores above the diagonal to $-\infty$ before the
# softmax, so their weights become exactly 0. Check your function, for single-head inputs
# `q, k, v` of shape `(T, d_k)`, against `layers.MultiHeadAttention(d, 1, causal=True)`.

# %% tags=["solution"]
def solution_1(q, k, v):
    """Causal scaled dot-product attention of q, k, v (T, d_k): (output, weights)."""
    T = q.shape[0]
    scores = q @ k.T / np.sqrt(q.shape[-1])
    allowed = np.tril(np.ones((T, T), dtype=bool))               # s <= t
    A = softmax(np.where(allowed, scores, -np.inf), axis=-1)     # exp(-inf) = 0
    return A @ v, A


x = np.random.default_rng(SEED).normal(size=(1, 5, 4))
causal = layers.MultiHeadAttention(4, 1, causal=True, rng=np.random.default_rng(SEED))
p = causal.params
out, A = solution_1(x[0] @ p["W_q"], x[0] @ p["W_k"], x[0] @ p["W_v"])
print("matches glassnet:", np.allclose(out @ p["W_o"], causal.forward(x)[0]))
print(np.round(A, 2))

# %% [markdown]
# ### Exercise 2: attention ignores order
#
# Show that self-attention without positional encoding is *permutation equivariant*:
# for a random permutation `perm` of the positions, `mha(x[:, perm]) == mha(x)[:, perm]`.
# Return the largest absolute difference; then do the same with a `PositionalEncoding`
# in front and see the difference become large.

# %% tags=["solution"]
def solution_2(with_positions=False, seed=SEED):
    """Max |f(x[:, perm]) - f(x)[:, perm]| for f = attention (after positions if asked)."""
    rng = np.random.default_rng(seed)
    mha = layers.MultiHeadAttention(DIM, HEADS, rng=rng)
    pe = layers.PositionalEncoding(SEQ_LEN, DIM)

    def f(x):
        return mha.forward(pe.forward(x) if with_positions else x)

    x = rng.normal(size=(2, SEQ_LEN, DIM))
    perm = rng.permutation(SEQ_LEN)
    return float(np.abs(f(x[:, perm]) - f(x)[:, perm]).max())


print(f"without positions: {solution_2():.1e}; with positions: {solution_2(True):.2f}")

# %% [markdown]
# ### Exercise 3: why divide by $\sqrt{d_k}$?
#
# Draw queries and keys with independent standard normal entries for $d_k = 64$ and 16
# positions. Compute the attention weights with and without the division by
# $\sqrt{d_k}$ and return the average, over queries, of each row's largest weight. What
# happens to the softmax without the scaling? To see what that does to learning, measure
# how much gradient each query's row passes back to the raw scores $S = QK^\top$ (the
# scores that $W_q$ and $W_k$ produce): the size (Frobenius norm) of the row's Jacobian
# $\partial a / \partial S$, which is $\operatorname{diag}(a) - a a^\top$ unscaled and that
# matrix divided by $\sqrt{d_k}$ scaled (the chain rule through $S/\sqrt{d_k}$). Return its
# mean over rows, the weakest row's norm as a fraction of the strongest row's, and the
# share of rows that get less than a tenth of the strongest row's gradient.

# %% tags=["solution"]
def softmax_jacobian_norms(weights):
    """Frobenius norm of diag(a) - a a^T for every row a of `weights` (T, T): shape (T,)."""
    jacobians = np.einsum("ij,jk->ijk", weights, np.eye(weights.shape[1])) \
        - weights[:, :, None] * weights[:, None, :]          # (T, T, T): one per row
    return np.linalg.norm(jacobians, axis=(1, 2))


def solution_3(d_k=64, T=16, seed=SEED):
    """Attention weights and their gradient to the raw scores, with and without scaling."""
    rng = np.random.default_rng(seed)
    q, k = rng.normal(size=(2, T, d_k))
    S = q @ k.T                               # raw scores: each entry has variance d_k
    weights = {"scaled": softmax(S / np.sqrt(d_k)), "unscaled": softmax(S)}
    chain = {"scaled": 1 / np.sqrt(d_k), "unscaled": 1.0}   # d(softmax input)/dS
    result = {}
    for name, a in weights.items():
        norms = softmax_jacobian_norms(a) * chain[name]     # one per query row
        result[name] = {"largest": float(a.max(axis=-1).mean()),
                        "jacobian": float(norms.mean()),
                        "weakest": float(norms.min() / norms.max()),
                        "starved": float(np.mean(norms < 0.1 * norms.max()))}
    return result


print(solution_3())

# %% [markdown]
# Unscaled, the scores have standard deviation $\sqrt{64} = 8$ and the softmax is nearly
# one-hot: many queries see a single key. A one-hot row $a$ makes
# $\operatorname{diag}(a) - a a^\top$ zero, so those rows pass almost no gradient back to
# their scores, and those queries stop learning where to look. On average the unscaled rows
# pass *more* gradient per unit of raw score (nothing divides it by 8), but it is spread
# very unevenly: the weakest row gets a tiny fraction of the strongest row's, and a good
# share of rows get less than a tenth. Scaled, the scores have unit variance, the weights
# stay soft and every row passes a comparable gradient. The average size alone is not the
# problem (a learning rate can rescale it); the saturated rows are, because no single
# learning rate suits both them and the rest.
#
# ## Summary
#
# - Attention is a soft lookup: $\operatorname{softmax}(QK^\top/\sqrt{d_k})\,V$, each row a
#   distribution over positions; the $\sqrt{d_k}$ keeps the softmax out of saturation.
# - Multi-head attention runs several attentions on slices of the features and mixes them
#   with $W_o$; a causal mask hides the future.
# - Attention ignores order, so Transformers add positional encodings.
# - A Transformer block wraps attention and an MLP in residual connections with layer
#   normalisation; one block learns to reverse sequences, and its attention map shows how.
