"""Speed of glassnet's dense layers against PyTorch (CPU) and scikit-learn, when installed.

Trains the same MLP (784-256-128-10, ReLU, cross-entropy on logits, batch 128, float32, SGD)
for one epoch over 60,000 random samples in glassnet and in PyTorch with the same number of
threads, and reports the time ratio glassnet/PyTorch and the achieved GFLOP/s against the
measured float32 matrix-multiply peak of NumPy on this machine. Then compares accuracy and
time with scikit-learn's MLPClassifier on the digits.

Run: ``python benchmarks/bench_mlp.py`` (or ``make bench``). Targets: ratio <= 1.0 and at
least 40% of the matmul peak.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import glassnet as gn
from glassnet.layers import Dense, ReLU

SIZES = (784, 256, 128, 10)
N_SAMPLES, BATCH, LR = 60_000, 128, 0.01


def blas_threads() -> int:
    """Threads NumPy's BLAS uses (threadpoolctl when installed, else the CPU count)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return os.cpu_count() or 1
    blas = [p["num_threads"] for p in threadpool_info() if p.get("user_api") == "blas"]
    return blas[0] if blas else os.cpu_count() or 1


def matmul_peak(n: int = 1024, repeats: int = 10) -> float:
    """Best GFLOP/s of a float32 ``(n, n) @ (n, n)`` product in NumPy."""
    rng = np.random.default_rng(0)
    a, b = rng.random((n, n), np.float32), rng.random((n, n), np.float32)
    a @ b  # Warm up the BLAS threads.
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * n**3 / best / 1e9


def train_flops(n_samples: int) -> float:
    """Matrix-multiply FLOPs of one epoch: forward x W, backward dW, and dx except layer 1."""
    weights = [a * b for a, b in zip(SIZES[:-1], SIZES[1:], strict=False)]
    per_sample = 2 * sum(weights) * 3 - 2 * weights[0]  # No dx for the input layer.
    return per_sample * n_samples


def random_data(seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.random((N_SAMPLES, SIZES[0]), dtype=np.float32)
    y = rng.integers(0, SIZES[-1], N_SAMPLES)
    return X, y


def glassnet_epoch(X, y) -> float:
    layers = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:], strict=False):
        layers += [Dense(n_in, n_out, init="he_uniform"), ReLU()]
    model = gn.Sequential(layers[:-1], seed=0, dtype=np.float32)
    model.compile(gn.optimizers.SGD(LR), gn.losses.CrossEntropy(), metrics=["accuracy"])
    model.fit(X[:1024], y[:1024], epochs=1, batch_size=BATCH, verbose=0)  # Warm-up.
    return _timed(lambda: model.fit(X, y, epochs=1, batch_size=BATCH, verbose=0))


def torch_epoch(X, y, threads: int) -> float | None:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    mods = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:], strict=False):
        mods += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU()]
    model = torch.nn.Sequential(*mods[:-1])
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def epoch(n=N_SAMPLES):
        order = torch.randperm(n)
        for start in range(0, n, BATCH):  # Batch by batch, as glassnet's fit gathers them.
            idx = order[start:start + BATCH]
            opt.zero_grad()
            loss = loss_fn(model(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()

    epoch(1024)  # Warm-up.
    return _timed(epoch)


def sklearn_digits() -> None:
    """Accuracy and time on the digits: scikit-learn's MLPClassifier against glassnet."""
    from glassnet.data import load_digits, train_test_split
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=0)
    model = gn.Sequential([Dense(64, 64), ReLU(), Dense(64, 10)], seed=0)
    model.compile(gn.optimizers.Adam(3e-3), gn.losses.CrossEntropy())
    t = _timed(lambda: model.fit(X_train, y_train, epochs=40, batch_size=32, verbose=0))
    acc = model.evaluate(X_test, y_test)["accuracy"]
    print(f"digits, glassnet 64-64-10 Adam, 40 epochs: accuracy {acc:.4f}, {t:.2f} s")
    try:
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        print("digits, scikit-learn: not installed")
        return
    clf = MLPClassifier(hidden_layer_sizes=(64,), batch_size=32, learning_rate_init=3e-3,
                        max_iter=40, random_state=0)
    t = _timed(lambda: clf.fit(X_train, y_train))
    acc = clf.score(X_test, y_test)
    print(f"digits, scikit-learn MLPClassifier(64), 40 epochs: accuracy {acc:.4f}, {t:.2f} s")


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="epochs timed; best is kept")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads for NumPy's BLAS and PyTorch (default: BLAS default)")
    args = parser.parse_args()
    if args.threads:
        from threadpoolctl import threadpool_limits
        threadpool_limits(args.threads)
    import warnings
    warnings.filterwarnings("ignore", message=".*Stochastic Optimizer.*")  # sklearn max_iter.
    threads = blas_threads()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    if load > 0.5 * (os.cpu_count() or 1):
        print(f"warning: load average {load:.1f} on {os.cpu_count()} cores; other processes "
              "compete for the CPU, so the timings below are unreliable")
    X, y = random_data()
    peak = matmul_peak()
    flops = train_flops(N_SAMPLES)
    ours = min(glassnet_epoch(X, y) for _ in range(args.repeats))
    print(f"MLP {'-'.join(map(str, SIZES))}, batch {BATCH}, float32, {N_SAMPLES:,} samples, "
          f"{threads} thread(s)")
    print(f"numpy float32 matmul peak: {peak:.1f} GFLOP/s")
    print(f"glassnet: {ours:.3f} s/epoch, {flops / ours / 1e9:.1f} GFLOP/s "
          f"({flops / ours / 1e9 / peak:.0%} of peak)")
    theirs = torch_epoch(X, y, threads)
    if theirs is None:
        print("pytorch: not installed")
    else:
        theirs = min([theirs] + [torch_epoch(X, y, threads) for _ in range(args.repeats - 1)])
        print(f"pytorch:  {theirs:.3f} s/epoch, {flops / theirs / 1e9:.1f} GFLOP/s")
        print(f"ratio glassnet/pytorch: {ours / theirs:.2f} (target <= 1.0)")
    sklearn_digits()


if __name__ == "__main__":
    main()
