# %% [markdown]
# # Lesson 15: a character language model
#
# **You will learn** what a language model predicts and how it is measured: you will count
# characters of *Pride and Prejudice* into a unigram and a bigram model, score them in bits
# per character, then train a small decoder-only Transformer (a tiny GPT) on the same text,
# check that it cannot peek at the future, see it beat the counts, and let it write at two
# temperatures.
#
# **You need** cross-entropy ([lesson 4](04_losses.ipynb)), Adam
# ([lesson 6](06_gradient_descent.ipynb)) and attention with its causal mask
# ([lesson 13](13_attention.ipynb)).

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
# We write the count models, the bits per character and the sampling from scratch and
# check each against glassnet; `glassnet.language_model` builds the Transformer,
# `glassnet.schedules` gives its learning rate and `glassnet.text` cuts the text into
# windows and generates.

# %%
import matplotlib.pyplot as plt
import numpy as np

from glassnet import Sequential
from glassnet.activations import softmax
from glassnet.data import load_text
from glassnet.language_model import CountModel, bits_per_char, transformer_lm
from glassnet.layers import Dense, Embedding, LayerNorm, PositionalEmbedding, TransformerBlock
from glassnet.optimizers import Adam
from glassnet.schedules import WarmupCosine
from glassnet.sequence import SequenceCrossEntropy
from glassnet.text import CharVocab, generate, next_char_windows, sample_next

SEED = 0
HELD_OUT = 20_000   # the novel's last characters, never trained on
ALPHA = 0.1         # add-alpha smoothing of the counts
CONTEXT = 16        # characters the Transformer reads
DIM = 32            # model width
HEADS = 4
STEPS = 400
BATCH = 64          # windows per step, each with CONTEXT targets
LR_MAX = 0.03       # peak learning rate
PROMPT = "Elizabeth "

# %% [markdown]
# ## Predict the next character
#
# A language model gives a probability to every possible next character, given the text so
# far. By the chain rule of probability, that is enough to give a probability to a whole
# text $x_1 \dots x_M$ of $M$ characters:
#
# $$p(x_1, \dots, x_M) = \prod_{m=1}^{M} p(x_m \mid x_1, \dots, x_{m-1}).$$
#
# To *write*, the model draws a next character from its prediction, appends it and
# predicts again. The models of this lesson differ only in how much of the past they read.
#
# A network reads integers, so each distinct character of the novel gets an id.

# %%
text = load_text()
vocab = CharVocab(text)
ids = vocab.encode(text)
train, held_out = ids[:-HELD_OUT], ids[-HELD_OUT:]
V = len(vocab)
print(f"{len(text):,} characters, {V} distinct ones: {''.join(vocab.chars)!r}")
print(f"training on {len(train):,}, holding out the last {len(held_out):,}")

# %% [markdown]
# ## Counting, and bits per character
#
# The **unigram** knows how often each character occurs; the **bigram** how often each one
# follows each other one. With $\alpha$ added to every count, so that no character gets
# probability 0,
#
# $$p(v) = \frac{c(v) + \alpha}{M + \alpha V}, \qquad
# p(v \mid u) = \frac{c(uv) + \alpha}{c(u\,\cdot) + \alpha V},$$
#
# where $c(v)$ counts the character $v$ in the $M$ characters of the training text and
# $c(uv)$ the pair $u$ then $v$.
#
# A model is scored by the average of $-\log_2 p(\text{true next character})$ over text it
# never saw: its **bits per character**. A uniform guess among $V$ characters pays
# $\log_2 V$ bits; everything below that is structure the model has found.

# %%
def count_probabilities(ids, V, order, alpha=ALPHA):
    """Add-alpha smoothed p(v) (V,) for order 1, or p(v | u) (V, V) for order 2."""
    if order == 1:
        counts = np.bincount(ids, minlength=V) + alpha
    else:
        counts = np.zeros((V, V)) + alpha
        np.add.at(counts, (ids[:-1], ids[1:]), 1)        # one count per adjacent pair (u, v)
    return counts / counts.sum(axis=-1, keepdims=True)


def bits(p_true):
    """Bits per character: the mean of -log2 of the probabilities given to the truth."""
    return float(-np.mean(np.log2(p_true)))


unigram = count_probabilities(train, V, order=1)
bigram = count_probabilities(train, V, order=2)
bpc = {"uniform": float(np.log2(V)),
       "unigram": bits(unigram[held_out[1:]]),
       "bigram": bits(bigram[held_out[:-1], held_out[1:]])}
print({name: round(value, 3) for name, value in bpc.items()})

# The same numbers from glassnet's CountModel and bits_per_char.
for order, name in ((1, "unigram"), (2, "bigram")):
    model = CountModel(V, order=order, alpha=ALPHA).fit(train)
    scores = model.predict(held_out[None, :-1])                  # (1, time, V) log-probs
    assert np.isclose(bits_per_char(scores, held_out[None, 1:]), bpc[name])
assert bpc["uniform"] > bpc["unigram"] > bpc["bigram"]

# %% [markdown]
# ## Windows and teacher forcing
#
# A sequence model trains on windows of `CONTEXT` characters. Its target at every position
# is the character that follows, so one window holds `CONTEXT` predictions, and the input
# at every position is the true text, not the model's own guess: **teacher forcing**.

# %%
X, Y = next_char_windows(train, CONTEXT)               # (windows, CONTEXT) each
print("input: ", repr(vocab.decode(X[1000])))
print("target:", repr(vocab.decode(Y[1000])))
assert np.array_equal(X[1000, 1:], Y[1000, :-1])       # the target is the input, shifted

# %% [markdown]
# ## A small GPT, and no peeking
#
# `transformer_lm` stacks token embeddings plus learned position embeddings, a pre-norm
# Transformer block with **causal** attention, a final LayerNorm and a dense layer that
# scores the $V$ characters at every position. The causal mask lets position $t$ attend to
# positions $\le t$ only. Without it, position $t$ could read character $t + 1$ and copy
# its answer.
#
# The check: change the last character of a window. The scores of every earlier position
# must stay exactly the same, and the last position's must change. Untrained, the model
# should pay about $\log_2 V$ bits: a little more, because random scores are not uniform.

# %%
gpt = transformer_lm(V, context=CONTEXT, dim=DIM, num_heads=HEADS, num_blocks=1, seed=SEED,
                     dtype=np.float32)
gpt.compile(Adam(), SequenceCrossEntropy(), metrics=[])
print([type(layer).__name__ for layer in gpt.layers], f"{gpt.num_params():,} parameters")

window = X[:1].copy()
changed = window.copy()
changed[0, -1] = (changed[0, -1] + 1) % V
before, after = gpt.predict(window), gpt.predict(changed)
assert np.array_equal(before[:, :-1], after[:, :-1])    # no earlier position saw the change
assert not np.allclose(before[:, -1], after[:, -1])
untrained = bits_per_char(gpt.predict(X[:256]), Y[:256])
print(f"untrained: {untrained:.2f} bits per character; log2 V = {np.log2(V):.2f}")
assert np.log2(V) < untrained < np.log2(V) + 1

# %% [markdown]
# ## Training
#
# The loss is the cross-entropy at every position, averaged over the batch and the
# positions: by the chain rule, minimising it maximises the probability of the training
# text (each character given at most `CONTEXT` before it). The learning rate rises linearly
# for the first tenth of the steps, then falls along a cosine to zero (`WarmupCosine`).
#
# The held-out text is scored on overlapping windows, on the second half of each, so every
# scored character comes after at least `CONTEXT // 2 + 1` characters of its window.

# %%
def held_out_bpc(model, ids, context=CONTEXT):
    """Bits per character on windows starting every context // 2 characters, scored on
    their second half."""
    Xh, Yh = next_char_windows(ids, context, step=context // 2)
    half = context // 2
    return bits_per_char(model.predict(Xh, batch_size=512)[:, half:], Yh[:, half:])


schedule = WarmupCosine(lr_max=LR_MAX, warmup_steps=STEPS // 10, total_steps=STEPS)
rng = np.random.default_rng(SEED)
losses = []
for step in range(STEPS):
    gpt.optimizer.lr = schedule(step)
    batch = rng.integers(0, len(X), size=BATCH)
    losses.append(gpt.train_on_batch(X[batch], Y[batch]) / np.log(2))   # nats to bits

bpc["Transformer"] = held_out_bpc(gpt, held_out)
bigram_model = CountModel(V, order=2, alpha=ALPHA).fit(train)
bpc_bigram_same = held_out_bpc(bigram_model, held_out)   # the same characters as the GPT
margin = bpc_bigram_same - bpc["Transformer"]
print(f"held out: bigram {bpc_bigram_same:.2f}, Transformer {bpc['Transformer']:.2f} bits "
      f"per character; the Transformer is {margin:.2f} bits per character below the bigram")
assert margin > 0.5
print(f"characters predicted in training: {STEPS * BATCH * CONTEXT:,} of {len(train):,}")
assert STEPS * BATCH * CONTEXT < len(train)

fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(losses, lw=0.8, label="training batches")
ax.axhline(bpc_bigram_same, color="gray", ls=":", label="bigram, held out")
ax.axhline(bpc["Transformer"], color="black", ls="--", label="Transformer, held out")
ax.set(xlabel="training step", ylabel="bits per character", ylim=(2, 7),
       title="A small GPT learns Pride and Prejudice")
ax.legend(frameon=False)
fig.tight_layout()

# %% [markdown]
# The held-out score is what counts: the training batches are noisy, and a model can learn
# its training text by heart. This one is far from that: it has predicted fewer characters
# than the training text holds, so it has not even read all of it once.
#
# ## Writing: temperature
#
# To write, turn the scores $z$ of the last position into probabilities with a
# **temperature** $\tau$, $p = \operatorname{softmax}(z / \tau)$, draw a character, append
# it and repeat. Below 1, $\tau$ sharpens the distribution towards the likeliest
# characters; above 1 it flattens it; $\tau = 0$ always takes the likeliest.

# %%
def sample_from_scores(z, temperature, rng):
    """Draw an id from softmax(z / temperature); the argmax if temperature is 0."""
    if temperature == 0:
        return int(np.argmax(z))
    return int(rng.choice(len(z), p=softmax(z / temperature)))


z = gpt.predict(vocab.encode(PROMPT)[None])[0, -1]          # scores after the prompt
draws = [sample_from_scores(z, 0.7, np.random.default_rng(s)) for s in range(20)]
assert draws == [sample_next(z, 0.7, None, np.random.default_rng(s)) for s in range(20)]

for temperature in (0.5, 1.0):
    sample = generate(gpt, PROMPT, 80, temperature=temperature, seed=SEED, vocab=vocab)
    print(f"tau = {temperature}:", repr(sample))

# %% [markdown]
# Compare the two samples: which one keeps to the commonest words, and which one makes
# more words that do not exist? Neither is English yet: the model reads 16 characters and
# trained for seconds. [The language-model chapter](../../architectures/language-models/)
# trains a ladder of models, from the counts to an LSTM and a Transformer, for longer and
# compares them.
#
# ## Check yourself
#
# <details><summary>A model gives the true next character probability 1/8 at every
# position. What are its bits per character and its perplexity?</summary>
#
# $-\log_2(1/8) = 3$ bits per character, and a perplexity of $2^3 = 8$: it is as unsure as
# a uniform choice among eight characters.
# </details>
#
# <details><summary>Why did changing the last character leave every earlier position's
# scores exactly the same?</summary>
#
# The causal mask gives every key after the query a weight of exactly 0, and every other
# layer (embeddings, LayerNorm, the MLP, the head) works on each position alone. So
# nothing from position $t$ reaches an earlier position.
# </details>
#
# <details><summary>Why is the bigram scored again before comparing it with the
# Transformer?</summary>
#
# To compare two models, score them on the same characters. `held_out_bpc` scores only
# the second half of each window, so the bigram is scored there too.
# </details>
#
# ## Exercises
#
# Try each one before opening its solution. Every solution is a function that the test
# suite runs and checks.
#
# ### Exercise 1: hot and cold
#
# Take the bigram's log-probabilities of the character after "e" as scores $z$. For
# $\tau$ = 0.01, 1 and 100, compute $p = \operatorname{softmax}(z / \tau)$ and return its
# largest probability, its total-variation distance $\frac12 \sum_v |p_v - q_v|$ to the
# uniform distribution and to the unigram distribution. Does a very hot model write like
# the unigram?

# %% tags=["solution"]
def total_variation(p, q):
    return float(0.5 * np.abs(p - q).sum())


def solution_1(temperatures=(0.01, 1.0, 100.0)):
    """For each temperature: (largest probability, distance to uniform, to unigram)."""
    text = load_text()
    vocab = CharVocab(text)
    ids = vocab.encode(text)[:-HELD_OUT]
    V = len(vocab)
    unigram = count_probabilities(ids, V, order=1)
    z = np.log(count_probabilities(ids, V, order=2)[vocab.index["e"]])
    uniform = np.full(V, 1 / V)
    result = {}
    for tau in temperatures:
        p = softmax(z / tau)
        result[tau] = (float(p.max()), total_variation(p, uniform), total_variation(p, unigram))
    return result


for tau, (top, to_uniform, to_unigram) in solution_1().items():
    print(f"tau = {tau:>6}: largest p {top:.2f}, distance to uniform {to_uniform:.2f}, "
          f"to unigram {to_unigram:.2f}")

# %% [markdown]
# Cold, the model always writes the likeliest character. Hot, $z / \tau$ tends to 0 for
# every character, so $p$ tends to *uniform*, not to the unigram: a very hot model writes
# rare characters, digits and underscores as often as "e", worse than the unigram's noise.
#
# ### Exercise 2: the chain rule in bits
#
# With the bigram (from `count_probabilities`), compute the bits of each character of
# "Elizabeth was" given the one before it; add the unigram's bits of its first character,
# which has nothing before it. The sum is the bits of the whole phrase. Do the same with its
# characters shuffled. Which phrase does the model find more probable, and by what factor?

# %% tags=["solution"]
def solution_2(phrase="Elizabeth was", seed=SEED):
    """Bits of each character after the first and total bits of phrase and of a shuffle of
    it, under the bigram, with the unigram's bits of the first character in the total."""
    text = load_text()
    vocab = CharVocab(text)
    ids = vocab.encode(text)[:-HELD_OUT]
    unigram = count_probabilities(ids, len(vocab), order=1)
    bigram = count_probabilities(ids, len(vocab), order=2)
    shuffled = "".join(np.random.default_rng(seed).permutation(list(phrase)))
    result = {}
    for name, s in (("phrase", phrase), ("shuffled", shuffled)):
        x = vocab.encode(s)
        per_char = -np.log2(bigram[x[:-1], x[1:]])       # bits of each character given the last
        first = -np.log2(unigram[x[0]])                  # the first character has no past
        result[name] = (s, per_char, float(first + per_char.sum()))
    return result


result = solution_2()
for s, per_char, total in result.values():
    print(f"{s!r}: {total:.1f} bits in all; {np.round(per_char, 1)}")
factor = 2 ** (result["shuffled"][2] - result["phrase"][2])
print(f"the real phrase is about {factor:.0e} times more probable")

# %% [markdown]
# By the chain rule, the log-probability of a text is the sum of the log-probabilities of
# its characters given the past, so bits add up. The same letters in another order cost
# far more bits: the order is what the model has learned.
#
# ### Exercise 3: a test for peeking
#
# Write `is_causal(model, T, V)`: for every position $t$ of a random window of $T$ ids,
# change the id at $t$ and check that the scores of all positions before $t$ stay exactly
# the same. Return whether it held everywhere. Try it on `transformer_lm` and on the same
# stack with `TransformerBlock(..., causal=False)`.

# %% tags=["solution"]
def is_causal(model, T, V, seed=SEED):
    """Whether changing any token leaves every earlier position's scores unchanged."""
    x = np.random.default_rng(seed).integers(0, V, size=(2, T))
    base = model.predict(x)
    for t in range(T):
        changed = x.copy()
        changed[:, t] = (changed[:, t] + 1) % V
        if not np.array_equal(model.predict(changed)[:, :t], base[:, :t]):
            return False
    return True


def solution_3(T=8, V=11):
    """(is_causal of a causal tiny GPT, is_causal of the same stack without the mask)."""
    causal = transformer_lm(V, context=T, dim=8, num_heads=2, num_blocks=1, seed=SEED)
    rng = np.random.default_rng(SEED)
    peeking = Sequential([Embedding(V, 8, rng=rng), PositionalEmbedding(T, 8, rng=rng),
                          TransformerBlock(8, 2, 32, causal=False, rng=rng), LayerNorm(8),
                          Dense(8, V, rng=rng)])
    return is_causal(causal, T, V), is_causal(peeking, T, V)


causal, peeking = solution_3()
print(f"causal GPT passes: {causal}; without the mask: {peeking}")

# %% [markdown]
# Without the mask, every position reads the whole window, including the character it is
# asked to predict: its training loss would fall towards zero, and it would be useless
# for writing, where the next character does not exist yet.
#
# ## Summary
#
# - A language model predicts the next character; by the chain rule that gives a
#   probability to any text, and sampling one character at a time writes text.
# - Bits per character on held-out text measure it: $\log_2 V$ for a uniform guess, less
#   for every model that has learned something; perplexity is $2^{\text{bpc}}$.
# - Counts give the baselines; a small decoder-only Transformer, trained with teacher
#   forcing, a cross-entropy at every position and a warm-up then cosine decay, beats the
#   bigram after a few seconds of training.
# - The causal mask keeps every position from seeing its answer; the temperature trades
#   safe text for varied text, and at its extremes gives the argmax or uniform noise.
