"""Speed of glassnet's Conv2D against PyTorch (CPU), when installed.

One training step of two convolutions, forward and backward, on a batch of 64 images of
28x28: 1 -> 8 -> 16 channels, 3x3 kernels, padding 1, float32, the input gradient included
(as ``requires_grad=True`` does in PyTorch). Both libraries use the same number of threads.
Prints the best-of-N times and the median over interleaved rounds of the ratio
glassnet/PyTorch; the target is a ratio <= 3.

Run: ``python benchmarks/bench_conv.py [--threads N]`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import statistics
import timeit

import numpy as np

from glassnet.layers import Conv2D

BATCH, SIZE, CHANNELS, KERNEL = 64, 28, (1, 8, 16), 3
TARGET = 3.0


def best_ms(step, repeat: int = 7, number: int = 5) -> float:
    """Best time of one call in milliseconds, after a warm-up call."""
    step()
    return min(timeit.repeat(step, number=number, repeat=repeat)) / number * 1e3


def interleaved_ms(a, b, rounds: int = 11, number: int = 5) -> tuple[list, list]:
    """Times of ``a`` and ``b`` per round, measured in alternation, so that on a shared
    machine both see the same load, rather than one measured in a quiet minute and one in a
    busy one."""
    times_a, times_b = [], []
    for _ in range(rounds):
        times_a.append(best_ms(a, repeat=1, number=number))
        times_b.append(best_ms(b, repeat=1, number=number))
    return times_a, times_b


def glassnet_step():
    rng = np.random.default_rng(0)
    convs = [Conv2D(a, b, KERNEL, padding=1, rng=rng).astype(np.float32)
             for a, b in zip(CHANNELS[:-1], CHANNELS[1:], strict=True)]
    x = rng.normal(size=(BATCH, CHANNELS[0], SIZE, SIZE)).astype(np.float32)

    def step():
        out = x
        for conv in convs:
            out = conv.forward(out, training=True)
        dout = np.ones_like(out)
        for conv in reversed(convs):
            dout = conv.backward(dout)
    return step


def torch_step(torch):
    convs = [torch.nn.Conv2d(a, b, KERNEL, padding=1)
             for a, b in zip(CHANNELS[:-1], CHANNELS[1:], strict=True)]
    x = torch.randn(BATCH, CHANNELS[0], SIZE, SIZE, requires_grad=True)

    def step():
        out = x
        for conv in convs:
            out = conv(out)
        out.backward(torch.ones_like(out))
    return step


def compare(label: str, ours_step, torch_step_factory, target: float) -> None:
    """Time one step in glassnet and, when installed, in PyTorch with the same thread count
    (``--threads``, default 1), and print the ratio against ``target``."""
    parser = argparse.ArgumentParser(description=label)
    parser.add_argument("--threads", type=int, default=1, help="threads for both libraries")
    args = parser.parse_args()
    limit_threads(args.threads)
    try:
        import torch
    except ImportError:
        print(f"{label}: glassnet {best_ms(ours_step()):.2f} ms")
        print("PyTorch not installed: no reference time")
        return
    torch.set_num_threads(args.threads)
    ours, ref = interleaved_ms(ours_step(), torch_step_factory(torch))
    # The ratio of each round's two times, whose median a busy minute moves least: the
    # best times of the two may come from different minutes of a shared machine's load.
    ratio = statistics.median(a / b for a, b in zip(ours, ref, strict=True))
    print(f"{label}: glassnet {min(ours):.2f} ms")
    print(f"PyTorch {min(ref):.2f} ms (best of {len(ours)} rounds each); ratio glassnet/PyTorch "
          f"{ratio:.2f}, the median over the rounds "
          f"({'within' if ratio <= target else 'MISSES'} the target {target:g}x)")


def main() -> None:
    compare(f"conv step (batch {BATCH}, {'->'.join(map(str, CHANNELS))} channels, "
            f"{SIZE}x{SIZE}, {KERNEL}x{KERNEL})", glassnet_step, torch_step, TARGET)


def limit_threads(n: int) -> None:
    """Limit NumPy's BLAS threads with threadpoolctl when it is installed."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        print("threadpoolctl not installed: NumPy uses its default number of threads")
        return
    threadpool_limits(n)


if __name__ == "__main__":
    main()
