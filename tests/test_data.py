"""Tests of glassnet.data: generators, preprocessing, the shipped digits and the IDX reader."""

from __future__ import annotations

import gzip
import hashlib
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from glassnet.data import (
    digits_split,
    load_digits,
    load_mnist,
    make_blobs,
    make_circles,
    make_memory_task,
    make_moons,
    make_regression_1d,
    make_ring,
    make_spirals,
    make_xor,
    one_hot,
    read_idx,
    standardize,
    train_test_split,
)

CLASSIFIERS = [make_xor, make_blobs, make_moons, make_circles, make_spirals, make_ring]
GENERATORS = CLASSIFIERS + [make_regression_1d]
ATOL = 1e-12

# ---------------------------------------------------------------- synthetic generators


@pytest.mark.parametrize("make", CLASSIFIERS)
@pytest.mark.parametrize("n", [1, 7, 200])
def test_generator_shapes_dtypes_and_balance(make, n):
    X, y = make(n, seed=0)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1
    assert np.isfinite(X).all()


@pytest.mark.parametrize("n", [1, 50])
def test_make_regression_1d_shapes_and_dtypes(n):
    X, y = make_regression_1d(n, seed=0)
    assert X.shape == (n, 1) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.float64


@pytest.mark.parametrize("make", GENERATORS)
def test_generator_same_seed_gives_same_data(make):
    X1, y1 = make(50, seed=3)
    X2, y2 = make(50, seed=np.random.default_rng(3))
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


@pytest.mark.parametrize("make", GENERATORS)
def test_generator_different_seed_gives_different_data(make):
    X1, _ = make(50, seed=3)
    X2, _ = make(50, seed=4)
    assert not np.allclose(X1, X2)


@pytest.mark.parametrize("make", GENERATORS)
def test_generator_advances_a_shared_generator(make):
    rng = np.random.default_rng(0)
    X1, _ = make(50, seed=rng)
    X2, _ = make(50, seed=rng)
    assert not np.allclose(X1, X2)


@pytest.mark.parametrize("make", CLASSIFIERS)
def test_generator_shuffle_false_cycles_through_classes(make):
    _, y = make(12, seed=0, shuffle=False)
    k = y.max() + 1
    np.testing.assert_array_equal(y, np.arange(12) % k if make is not make_xor
                                  else [0, 1, 1, 0] * 3)


def test_make_xor_noise_zero_is_the_truth_table():
    X, y = make_xor(4, noise=0, shuffle=False)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])


@pytest.mark.parametrize("seed", [0, 1])
def test_make_moons_noise_zero_lies_on_two_half_circles(seed):
    X, y = make_moons(300, noise=0, seed=seed)
    upper, lower = X[y == 0], X[y == 1] - [1.0, 0.5]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0, atol=ATOL)
    np.testing.assert_allclose(np.hypot(*lower.T), 1.0, atol=ATOL)
    assert (upper[:, 1] >= 0).all() and (lower[:, 1] <= ATOL).all()


@pytest.mark.parametrize("factor", [0.2, 0.5, 0.9])
def test_make_circles_noise_zero_has_the_two_radii(factor):
    X, y = make_circles(200, noise=0, factor=factor, seed=0)
    radius = np.hypot(*X.T)
    np.testing.assert_allclose(radius[y == 0], 1.0, atol=ATOL)
    np.testing.assert_allclose(radius[y == 1], factor, atol=ATOL)


@pytest.mark.parametrize(("n_classes", "turns"), [(2, 1.0), (3, 0.7), (5, 2.0)])
def test_make_spirals_noise_zero_follows_the_arm_equation(n_classes, turns):
    X, y = make_spirals(300, n_classes=n_classes, noise=0, turns=turns, seed=0)
    t = np.hypot(*X.T)
    theta = 2 * np.pi * y / n_classes + 2 * np.pi * turns * t
    np.testing.assert_allclose(X, t[:, None] * np.c_[np.cos(theta), np.sin(theta)], atol=ATOL)
    assert t.max() <= 1.0


@pytest.mark.parametrize("centers", [3, [[0.0, 0.0], [5.0, 5.0]], [[-2.0, 1.0]]])
def test_make_blobs_cluster_means_match_the_centres(centers):
    X, y = make_blobs(3000, centers=centers, std=0.5, seed=0)
    mu = np.array(centers) if not isinstance(centers, int) else \
        4.0 * np.c_[np.cos(2 * np.pi * np.arange(3) / 3), np.sin(2 * np.pi * np.arange(3) / 3)]
    means = np.array([X[y == k].mean(axis=0) for k in range(len(mu))])
    # Each mean averages about 1,000 points of std 0.5, so it sits within 0.1 of its centre.
    np.testing.assert_allclose(means, mu, atol=0.1)
    np.testing.assert_allclose(X[y == 0].std(axis=0), 0.5, rtol=0.1)


@pytest.mark.parametrize(("n_modes", "radius"), [(8, 2.0), (5, 1.0)])
def test_make_ring_modes_sit_evenly_on_the_circle(n_modes, radius):
    X, y = make_ring(2000, n_modes=n_modes, radius=radius, std=0.02, seed=0)
    angle = 2 * np.pi * np.arange(n_modes) / n_modes
    mu = radius * np.c_[np.cos(angle), np.sin(angle)]
    # A point lies more than 6 standard deviations from its mode with probability ~1e-8.
    assert np.abs(X - mu[y]).max() < 6 * 0.02


def test_make_regression_1d_noise_zero_is_the_sine():
    X, y = make_regression_1d(100, noise=0, seed=0)
    np.testing.assert_allclose(y, np.sin(np.pi * X[:, 0]), atol=ATOL)
    assert X.min() >= -1 and X.max() <= 1


@pytest.mark.parametrize("noise", [0.05, 0.3])
def test_make_regression_1d_noise_is_the_residual_std(noise):
    X, y = make_regression_1d(20000, noise=noise, seed=0)
    assert np.std(y - np.sin(np.pi * X[:, 0])) == pytest.approx(noise, rel=0.05)


@pytest.mark.parametrize(("make", "kwargs", "message"), [
    (make_xor, {"n": 0}, r"make_xor: expected n to be an integer >= 1, got 0"),
    (make_moons, {"n": 2.5}, r"make_moons: expected n to be an integer >= 1, got 2.5"),
    (make_circles, {"noise": -0.1}, r"make_circles: expected noise .* >= 0, got -0.1"),
    (make_spirals, {"noise": float("nan")}, r"make_spirals: expected noise .*got nan"),
    (make_regression_1d, {"noise": -1}, r"make_regression_1d: expected noise .*got -1"),
    (make_moons, {"seed": -1}, r"make_moons: expected seed .*got -1"),
    (make_xor, {"seed": "a"}, r"make_xor: expected seed .*got 'a'"),
    (make_circles, {"factor": 1.5}, r"make_circles: expected factor .*got 1.5"),
    (make_circles, {"factor": 0}, r"make_circles: expected factor .*got 0"),
    (make_blobs, {"std": 0}, r"make_blobs: expected std .* > 0, got 0"),
    (make_blobs, {"centers": 0}, r"make_blobs: expected centers .*got 0"),
    (make_blobs, {"centers": np.zeros((3, 3))}, r"make_blobs: expected centers .*\(3, 3\)"),
    (make_spirals, {"n_classes": 0}, r"make_spirals: expected n_classes .*got 0"),
    (make_spirals, {"turns": 0}, r"make_spirals: expected turns .*got 0"),
    (make_ring, {"n_modes": 0}, r"make_ring: expected n_modes .*got 0"),
    (make_ring, {"radius": -2.0}, r"make_ring: expected radius .*got -2.0"),
])
def test_generator_bad_input_raises_a_named_error(make, kwargs, message):
    with pytest.raises(ValueError, match=message):
        make(**kwargs)


# ---------------------------------------------------------------- train_test_split


@pytest.mark.parametrize(("n", "test_size", "n_test"),
                         [(10, 0.2, 2), (11, 0.2, 3), (100, 0.25, 25), (5, 1, 1), (50, 10, 10)])
def test_train_test_split_sizes_and_partition(n, test_size, n_test):
    X, y = np.arange(2 * n).reshape(n, 2), np.arange(n)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size, seed=0)
    assert (len(X_test), len(y_test), len(X_train)) == (n_test, n_test, n - n_test)
    np.testing.assert_array_equal(np.sort(np.r_[y_train, y_test]), y)
    np.testing.assert_array_equal(X_train[:, 0] // 2, y_train)  # rows stay with their labels
    np.testing.assert_array_equal(X_test[:, 0] // 2, y_test)


def test_train_test_split_is_seeded():
    X, y = make_moons(100, seed=0)
    first, again = train_test_split(X, y, seed=5), train_test_split(X, y, seed=5)
    other = train_test_split(X, y, seed=6)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[3], other[3])


@pytest.mark.parametrize(("counts", "test_size"),
                         [([50, 30, 20], 0.2), ([7, 5, 3, 1], 0.3), ([90, 10], 0.25)])
def test_train_test_split_stratify_keeps_class_shares(counts, test_size):
    y = np.repeat(np.arange(len(counts)), counts)
    rng = np.random.default_rng(0)
    y = rng.permutation(y)
    X = rng.normal(size=(len(y), 3))
    _, X_test, _, y_test = train_test_split(X, y, test_size, seed=1, stratify=True)
    ideal = test_size * np.array(counts)
    assert len(y_test) == int(np.ceil(test_size * len(y)))
    assert np.abs(np.bincount(y_test, minlength=len(counts)) - ideal).max() < 1


@pytest.mark.parametrize(("args", "kwargs", "error", "message"), [
    ((np.zeros((5, 2)), np.zeros(4)), {}, ValueError, r"train_test_split: .*\(5, 2\) and \(4,\)"),
    ((np.zeros((5, 2)), np.zeros(5)), {"test_size": 0.0}, ValueError, r"test_size .*got 0.0"),
    ((np.zeros((5, 2)), np.zeros(5)), {"test_size": 5}, ValueError, r"at least one .*got 5"),
    ((np.zeros((5, 2)), np.zeros(5)), {"test_size": True}, ValueError, r"test_size .*True"),
    ((np.zeros((1, 2)), np.zeros(1)), {}, ValueError, r"train_test_split: .*1 samples"),
    ((np.zeros((5, 2)), np.zeros(5)), {"stratify": True}, TypeError,
     r"train_test_split: expected integer class labels, got dtype float64"),
])
def test_train_test_split_bad_input_raises_a_named_error(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        train_test_split(*args, **kwargs)


# ---------------------------------------------------------------- one_hot


@given(st.lists(st.integers(0, 9), min_size=1, max_size=40), st.integers(0, 3))
def test_one_hot_rows_are_unit_vectors_at_the_label(labels, extra):
    y = np.array(labels)
    Y = one_hot(y, num_classes=y.max() + 1 + extra)
    assert Y.shape == (len(y), y.max() + 1 + extra) and Y.dtype == np.float64
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    np.testing.assert_array_equal(Y.argmax(axis=1), y)


def test_one_hot_infers_the_number_of_classes():
    np.testing.assert_array_equal(one_hot([2, 0]), [[0, 0, 1], [1, 0, 0]])


@pytest.mark.parametrize(("y", "num_classes", "error", "message"), [
    ([0, 3], 3, ValueError, r"one_hot: expected labels in \[0, 3\), got 3"),
    ([0, -1], None, ValueError, r"one_hot: expected labels >= 0, got -1"),
    ([0.0, 1.0], None, TypeError, r"one_hot: expected integer class labels, got dtype float64"),
    ([[0, 1]], None, ValueError, r"one_hot: expected labels of shape \(n,\), got shape \(1, 2\)"),
    ([0, 1], 0, ValueError, r"one_hot: expected num_classes .*got 0"),
    (np.array([], dtype=int), None, ValueError, r"one_hot: expected at least one label"),
])
def test_one_hot_bad_input_raises_a_named_error(y, num_classes, error, message):
    with pytest.raises(error, match=message):
        one_hot(y, num_classes)


# ---------------------------------------------------------------- standardize

FEATURES = hnp.arrays(np.float64, st.tuples(st.integers(2, 30), st.integers(1, 5)),
                      elements=st.floats(-1e3, 1e3, allow_nan=False).map(lambda v: round(v, 3)))


@settings(max_examples=60, deadline=None)
@given(FEATURES)
def test_standardize_gives_zero_mean_unit_std(X):
    Xs, mean, std = standardize(X)
    constant = np.ptp(X, axis=0) == 0
    np.testing.assert_array_equal(Xs[:, constant], 0.0)
    np.testing.assert_allclose(Xs.mean(axis=0), 0.0, atol=1e-9)
    np.testing.assert_allclose(Xs[:, ~constant].std(axis=0), 1.0, rtol=1e-9)
    np.testing.assert_allclose(Xs * std + mean, X, atol=1e-9)


@pytest.mark.parametrize("value", [0.1, 1e-3, -7.3])
def test_standardize_constant_column_becomes_exactly_zero(value):
    # The mean of ten copies of 0.1 is not exactly 0.1, so a naive std is tiny but not zero.
    X = np.c_[np.full(10, value), np.arange(10.0)]
    Xs, _, std = standardize(X)
    np.testing.assert_array_equal(Xs[:, 0], 0.0)
    assert std[0] == 1.0


def test_standardize_reuses_given_statistics():
    X_train, X_test = np.random.default_rng(0).normal(3.0, 2.0, size=(2, 50, 4))
    _, mean, std = standardize(X_train)
    X_test_s, mean2, std2 = standardize(X_test, mean, std)
    np.testing.assert_allclose(X_test_s, (X_test - mean) / std, atol=ATOL)
    np.testing.assert_array_equal(mean2, mean)
    np.testing.assert_array_equal(std2, std)


@pytest.mark.parametrize(("X", "kwargs", "message"), [
    (np.zeros(5), {}, r"standardize: expected an array with 2 dimensions, got shape \(5,\)"),
    (np.array([[1.0, np.nan]]), {}, r"standardize: input contains NaN"),
    (np.zeros((0, 3)), {}, r"standardize: expected at least one sample, got shape \(0, 3\)"),
    (np.zeros((4, 3)), {"mean": np.zeros(2), "std": np.ones(3)},
     r"standardize: expected mean of shape \(3,\), got shape \(2,\)"),
    (np.zeros((4, 2)), {"mean": np.zeros(2), "std": np.array([1.0, 0.0])},
     r"standardize: expected std > 0 everywhere"),
])
def test_standardize_bad_input_raises_a_named_error(X, kwargs, message):
    with pytest.raises(ValueError, match=message):
        standardize(X, **kwargs)


# ---------------------------------------------------------------- load_digits

DIGITS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
# SHA-256 of the uint8 arrays as converted from scikit-learn 1.9.1 by make_digits_npz.py.
IMAGES_SHA256 = "8f26b2bd9d135c256808f68f14fdabddde6d9c7f869ae419704b051f0f14b3b3"
LABELS_SHA256 = "8ba4f891220f5e4c9c819638d1602d74b83618f167043c6da52a2a247841ddf0"


def test_load_digits_shapes_range_and_class_counts():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    np.testing.assert_array_equal(X * 16, np.round(X * 16))  # whole pixel counts over 16
    np.testing.assert_array_equal(np.bincount(y), DIGITS_COUNTS)


def test_load_digits_matches_the_recorded_checksum():
    X, y, images = load_digits(flatten=False, return_images=True)
    assert images.dtype == np.uint8 and images.shape == (1797, 8, 8)
    assert hashlib.sha256(images.tobytes()).hexdigest() == IMAGES_SHA256
    assert hashlib.sha256(y.astype(np.uint8).tobytes()).hexdigest() == LABELS_SHA256
    np.testing.assert_array_equal(X * 16, images)


def test_load_digits_returns_fresh_arrays():
    X, _ = load_digits()
    X[:] = -1
    assert load_digits()[0].min() == 0.0


@pytest.mark.parametrize("name", ["digits.npz", "DIGITS_LICENSE.md"])
def test_load_digits_ships_its_data_and_licence(name):
    item = resources.files("glassnet.data").joinpath(name)
    assert item.is_file()
    assert name != "digits.npz" or len(item.read_bytes()) < 100_000
    assert name != "DIGITS_LICENSE.md" or "CC BY 4.0" in item.read_text()


# ---------------------------------------------------------------- IDX files and load_mnist

IDX_CODES = {np.dtype(np.uint8): 0x08, np.dtype(np.int8): 0x09, np.dtype(np.int16): 0x0B,
             np.dtype(np.int32): 0x0C, np.dtype(np.float32): 0x0D, np.dtype(np.float64): 0x0E}


def idx_bytes(arr: np.ndarray) -> bytes:
    """Encode ``arr`` in the IDX format, independently of the reader under test."""
    header = bytes([0, 0, IDX_CODES[arr.dtype], arr.ndim])
    dims = np.array(arr.shape, dtype=">u4").tobytes()
    return header + dims + arr.astype(arr.dtype.newbyteorder(">")).tobytes()


def write_idx(path, arr: np.ndarray, gz: bool = False):
    data = idx_bytes(arr)
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
    return path


def write_mnist(folder, kind="train", n=5, gz=False, sep="-"):
    """Write a tiny MNIST-shaped pair of files: ``n`` images of 4x4 pixels and their labels."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(n, 4, 4), dtype=np.uint8)
    labels = (np.arange(n) % 10).astype(np.uint8)
    prefix = {"train": "train", "test": "t10k"}[kind]
    suffix = ".gz" if gz else ""
    write_idx(folder / f"{prefix}-images{sep}idx3-ubyte{suffix}", images, gz)
    write_idx(folder / f"{prefix}-labels{sep}idx1-ubyte{suffix}", labels, gz)
    return images, labels


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize(("dtype", "shape"), [(np.uint8, (3, 4, 5)), (np.int16, (7,)),
                                              (np.float32, (2, 3)), (np.float64, (1, 1, 1, 2))])
def test_read_idx_round_trips(tmp_path, gz, dtype, shape):
    arr = (np.arange(np.prod(shape)) * 3 - 4).astype(dtype).reshape(shape)
    out = read_idx(write_idx(tmp_path / "a.idx", arr, gz))
    assert out.dtype == arr.dtype and out.dtype.isnative
    np.testing.assert_array_equal(out, arr)


@pytest.mark.parametrize(("kind", "gz", "sep"),
                         [("train", False, "-"), ("test", True, "-"), ("train", True, ".")])
def test_load_mnist_reads_plain_and_gzipped_files(tmp_path, kind, gz, sep):
    images, labels = write_mnist(tmp_path, kind, gz=gz, sep=sep)
    X, y = load_mnist(tmp_path, kind=kind)
    assert X.shape == (5, 16) and X.dtype == np.float64 and y.dtype == np.int64
    np.testing.assert_allclose(X, images.reshape(5, 16) / 255, atol=ATOL)
    np.testing.assert_array_equal(y, labels)


def test_load_mnist_keeps_images_and_dtype_on_request(tmp_path):
    images, _ = write_mnist(tmp_path)
    X, _ = load_mnist(str(tmp_path), flatten=False, dtype=np.float32)
    assert X.shape == (5, 4, 4) and X.dtype == np.float32
    np.testing.assert_allclose(X, images / 255, rtol=1e-6)


@pytest.mark.parametrize(("data", "message"), [
    (b"\x01\x00\x08\x01" + b"\x00\x00\x00\x01" + b"\x07", r"not an IDX file: .*01 00 08 01"),
    (b"\x00\x00\x07\x01" + b"\x00\x00\x00\x01" + b"\x07", r"not an IDX file: .*00 00 07 01"),
    (b"", r"not an IDX file: .*an empty file"),
    (b"\x00\x00\x08\x03\x00\x00", r"truncated: expected a header of 16 bytes .*got 6"),
    (idx_bytes(np.zeros((3, 4), np.uint8))[:-1], r"truncated: expected 24 bytes .*got 23"),
    (idx_bytes(np.zeros((3, 4), np.uint8)) + b"\x00", r"longer than its header says"),
    (gzip.compress(idx_bytes(np.zeros((30, 4), np.uint8)))[:-9], r"damaged or truncated gzip"),
])
def test_read_idx_bad_file_raises_a_named_error(tmp_path, data, message):
    path = tmp_path / "bad-idx"
    path.write_bytes(data)
    with pytest.raises(ValueError, match=r"read_idx: .*" + message):
        read_idx(path)


@pytest.mark.parametrize(("missing", "kind"), [("images", "train"), ("labels", "test")])
def test_load_mnist_missing_file_names_it_and_where_to_get_it(tmp_path, missing, kind):
    write_mnist(tmp_path, kind)
    prefix = {"train": "train", "test": "t10k"}[kind]
    name = f"{prefix}-{missing}-idx{3 if missing == 'images' else 1}-ubyte"
    (tmp_path / name).unlink()
    with pytest.raises(FileNotFoundError, match=rf"load_mnist: expected {name} or {name}.gz"
                                                rf" in .*Download .*mnist"):
        load_mnist(tmp_path, kind)


def test_load_mnist_missing_folder_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"load_mnist: .*not a folder"):
        load_mnist(tmp_path / "nowhere")


@pytest.mark.parametrize(("images", "labels", "message"), [
    (np.zeros((5, 4, 4), np.uint8), np.zeros(4, np.uint8), r"4 labels for 5 images"),
    (np.zeros((2, 4, 4), np.uint8), np.array([1, 10], np.uint8), r"labels in \[0, 9\], got 10"),
    (np.zeros((2, 16), np.uint8), np.zeros(2, np.uint8), r"images .*shape \(2, 16\)"),
    (np.zeros((2, 4, 4), np.float32), np.zeros(2, np.uint8), r"images .*float32"),
])
def test_load_mnist_inconsistent_files_raise_a_named_error(tmp_path, images, labels, message):
    write_idx(tmp_path / "train-images-idx3-ubyte", images)
    write_idx(tmp_path / "train-labels-idx1-ubyte", labels)
    with pytest.raises(ValueError, match=r"load_mnist: .*" + message):
        load_mnist(tmp_path)


def test_load_mnist_unknown_kind_raises(tmp_path):
    with pytest.raises(ValueError, match=r"load_mnist: expected kind 'train' or 'test', got 'va"):
        load_mnist(tmp_path, kind="val")


# ---------------------------------------------------------------- the digits, split


@pytest.mark.parametrize("images", [False, True])
def test_digits_split_is_60_20_20_disjoint_and_stratified(images):
    X_train, X_val, X_test, y_train, y_val, y_test = digits_split(images=images)
    assert (len(y_train), len(y_val), len(y_test)) == (1077, 360, 360)
    assert X_train.shape[1:] == ((1, 8, 8) if images else (64,))
    # The three sets together are the whole dataset, each example once: a partition.
    parts = np.concatenate([X.reshape(len(X), -1) for X in (X_train, X_val, X_test)])
    labels = np.concatenate([y_train, y_val, y_test])
    X_all, y_all = load_digits()
    together = np.column_stack([parts, labels])
    whole = np.column_stack([X_all, y_all])
    np.testing.assert_array_equal(together[np.lexsort(together.T)], whole[np.lexsort(whole.T)])
    for y in (y_train, y_val, y_test):  # every digit keeps its share, within one example
        share = np.bincount(y, minlength=10) / len(y)
        np.testing.assert_allclose(share, np.array(DIGITS_COUNTS) / 1797, atol=1.5 / len(y))


def test_digits_split_images_and_rows_hold_the_same_examples():
    flat, images = digits_split(), digits_split(images=True)
    for a, b in zip(flat, images, strict=True):
        np.testing.assert_array_equal(a.reshape(len(a), -1), b.reshape(len(b), -1))


# ---------------------------------------------------------------- sequence tasks


def test_make_memory_task_label_is_the_sign_of_the_first_step():
    X, y = make_memory_task(500, distance=7, noise=2.0, seed=0)
    assert X.shape == (500, 7, 2) and y.shape == (500,) and y.dtype == np.int64
    np.testing.assert_array_equal(np.abs(X[:, 0, 0]), 1.0)
    np.testing.assert_array_equal(y, (X[:, 0, 0] > 0).astype(int))
    np.testing.assert_array_equal(X[:, :, 1], np.eye(7)[0][None].repeat(500, axis=0))
    assert 0.4 < y.mean() < 0.6
    assert X[:, 1:, 0].std() == pytest.approx(2.0, rel=0.05)  # the noise after the signal


def test_make_memory_task_draws_fresh_batches_from_a_shared_generator():
    rng = np.random.default_rng(3)
    first, second = make_memory_task(4, 5, seed=rng), make_memory_task(4, 5, seed=rng)
    assert not np.array_equal(first[0], second[0])
    np.testing.assert_array_equal(make_memory_task(4, 5, seed=3)[0],
                                  make_memory_task(4, 5, seed=3)[0])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n": 0, "distance": 3}, "n"), ({"n": 2, "distance": 0}, "distance"),
    ({"n": 2, "distance": 3, "noise": -1.0}, "noise"),
])
def test_make_memory_task_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_memory_task(**kwargs)
