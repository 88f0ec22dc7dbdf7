"""Speed of glassnet's LSTM against PyTorch (CPU), when installed.

One training step, forward and backward through time, of an LSTM layer: batch 64, 50 steps,
32 input features, 64 hidden units, float32, loss on the last hidden state, the input
gradient included. Both libraries use the same number of threads. Prints the best-of-N times
and the median over interleaved rounds of the ratio glassnet/PyTorch; the target is a ratio
<= 1.5.

Run: ``python benchmarks/bench_lstm.py [--threads N]`` (or ``make bench``).
"""

from __future__ import annotations

import numpy as np
from bench_conv import compare

from glassnet.layers import LSTM

BATCH, STEPS, N_IN, HIDDEN = 64, 50, 32, 64
TARGET = 1.5


def glassnet_step():
    rng = np.random.default_rng(0)
    lstm = LSTM(N_IN, HIDDEN, rng=rng).astype(np.float32)
    x = rng.normal(size=(BATCH, STEPS, N_IN)).astype(np.float32)

    def step():
        h = lstm.forward(x, training=True)
        lstm.backward(np.ones_like(h))
    return step


def torch_step(torch):
    lstm = torch.nn.LSTM(N_IN, HIDDEN, batch_first=True)
    x = torch.randn(BATCH, STEPS, N_IN, requires_grad=True)

    def step():
        out, _ = lstm(x)
        out[:, -1].sum().backward()
    return step


def main() -> None:
    compare(f"LSTM step (batch {BATCH}, {STEPS} steps, {N_IN} in, {HIDDEN} hidden)",
            glassnet_step, torch_step, TARGET)


if __name__ == "__main__":
    main()
