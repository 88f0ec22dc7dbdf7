"""Speed of glassnet's decoder-only Transformer against PyTorch (CPU), when installed.

One training step without the optimizer update: forward, the sequence cross-entropy loss and
backward through a small GPT (``glassnet.language_model.transformer_lm``): batch 32, context
64, width 64, 4 heads, 2 pre-norm blocks with MLPs of 256, a vocabulary of 75 characters,
float32. PyTorch runs the same architecture written the usual way (``nn.Linear``,
``nn.LayerNorm``, ``scaled_dot_product_attention`` with ``is_causal=True``, tanh GELU), with
the same number of threads. Prints the best-of-N times and the median over interleaved rounds
of the ratio glassnet/PyTorch; the target is a ratio <= 1.5.

Run: ``python benchmarks/bench_transformer.py [--threads N]`` (or ``make bench``).
"""

from __future__ import annotations

import numpy as np
from bench_conv import compare

from glassnet.language_model import transformer_lm
from glassnet.sequence import SequenceCrossEntropy

BATCH, CONTEXT, DIM, HEADS, BLOCKS, VOCAB = 32, 64, 64, 4, 2, 75
TARGET = 1.5


def glassnet_step():
    rng = np.random.default_rng(0)
    model = transformer_lm(VOCAB, CONTEXT, DIM, HEADS, BLOCKS, seed=0, dtype=np.float32)
    model.compile("adam", SequenceCrossEntropy(), metrics=[])
    X = rng.integers(0, VOCAB, size=(BATCH, CONTEXT))
    y = rng.integers(0, VOCAB, size=(BATCH, CONTEXT))

    def step():
        model.zero_grad()
        model.loss.forward(model.forward(X, training=True), y)
        model.backward_params(model.loss.backward())
    return step


def torch_gpt(torch):
    """The same small GPT in PyTorch: pre-norm blocks, causal attention, a linear head."""
    nn, F = torch.nn, torch.nn.functional

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln1, self.ln2 = nn.LayerNorm(DIM), nn.LayerNorm(DIM)
            self.q, self.k, self.v, self.o = (nn.Linear(DIM, DIM, bias=False) for _ in range(4))
            self.fc1, self.fc2 = nn.Linear(DIM, 4 * DIM), nn.Linear(4 * DIM, DIM)

        def heads(self, z):
            return z.view(BATCH, -1, HEADS, DIM // HEADS).transpose(1, 2)

        def forward(self, x):
            h = self.ln1(x)
            a = F.scaled_dot_product_attention(self.heads(self.q(h)), self.heads(self.k(h)),
                                               self.heads(self.v(h)), is_causal=True)
            x = x + self.o(a.transpose(1, 2).reshape(x.shape))
            return x + self.fc2(F.gelu(self.fc1(self.ln2(x)), approximate="tanh"))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.tok, self.pos = nn.Embedding(VOCAB, DIM), nn.Parameter(torch.zeros(CONTEXT, DIM))
            self.blocks = nn.Sequential(*(Block() for _ in range(BLOCKS)))
            self.ln, self.head = nn.LayerNorm(DIM), nn.Linear(DIM, VOCAB)

        def forward(self, X):
            return self.head(self.ln(self.blocks(self.tok(X) + self.pos)))

    return GPT()


def torch_step(torch):
    model = torch_gpt(torch)
    X = torch.randint(0, VOCAB, (BATCH, CONTEXT))
    y = torch.randint(0, VOCAB, (BATCH, CONTEXT))

    def step():
        model.zero_grad()
        logits = model(X)
        torch.nn.functional.cross_entropy(logits.view(-1, VOCAB), y.view(-1)).backward()
    return step


def main() -> None:
    compare(f"Transformer step (batch {BATCH}, context {CONTEXT}, width {DIM}, {HEADS} heads, "
            f"{BLOCKS} blocks)", glassnet_step, torch_step, TARGET)


if __name__ == "__main__":
    main()
