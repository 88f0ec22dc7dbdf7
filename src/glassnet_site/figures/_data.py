"""Helpers that shape the numbers behind a figure into the columns of its CSV.

A figure's ``data`` function returns equal-length 1-D columns ``{"name": array}`` (see
``registry.data_csv``). Figures with several kinds of rows (points and lines, or two
panels) stack small tables with ``stack``, which names the kind of each row and leaves
a cell empty where a column does not apply. Column names avoid commas, so the CSV header
needs no quoting.
"""

from __future__ import annotations

import numpy as np


def points(X, y, **predicted) -> dict[str, np.ndarray]:
    """Two-dimensional points ``X (n, 2)`` with their labels ``y (n,)`` and any predictions.

    Each keyword is one more column, e.g. ``predicted=model_classes``.
    """
    X = np.asarray(X)
    columns = {"x1": X[:, 0], "x2": X[:, 1], "label": np.asarray(y).reshape(-1)}
    columns.update({name: np.asarray(v).reshape(-1) for name, v in predicted.items()})
    return columns


def heatmap(M, row: str = "row", column: str = "column", value: str = "value",
            row_labels=None, column_labels=None) -> dict[str, np.ndarray]:
    """A matrix ``(rows, columns)`` in long format: one CSV row per cell."""
    M = np.asarray(M)
    r, c = np.indices(M.shape)
    rows = np.asarray(row_labels if row_labels is not None else np.arange(M.shape[0]))
    cols = np.asarray(column_labels if column_labels is not None else np.arange(M.shape[1]))
    return {row: rows[r.ravel()], column: cols[c.ravel()], value: M.ravel()}


def curves(series: dict, x: str, y: str, key: str = "series") -> dict[str, np.ndarray]:
    """Several curves ``{name: (xs, ys)}`` in long format: ``key, x, y`` per point."""
    names, xs, ys = [], [], []
    for name, (a, b) in series.items():
        names += [name] * len(a)
        xs.append(np.asarray(a, dtype=float))
        ys.append(np.asarray(b, dtype=float))
    return {key: np.array(names, dtype=object), x: np.concatenate(xs), y: np.concatenate(ys)}


def stack(tables: dict[str, dict], key: str = "kind") -> dict[str, np.ndarray]:
    """Tables ``{kind: columns}`` one under the other, with a first column naming the kind.

    A column missing from a table is left empty in its rows.
    """
    names = [key] + list(dict.fromkeys(n for t in tables.values() for n in t))
    out = {name: [] for name in names}
    for kind, table in tables.items():
        n = len(next(iter(table.values())))
        out[key] += [kind] * n
        for name in names[1:]:
            out[name] += list(table[name]) if name in table else [""] * n
    return {name: np.array(values, dtype=object) for name, values in out.items()}


def thin(n: int, most: int) -> np.ndarray:
    """Indices of at most ``most`` evenly spread samples of ``n``, first and last kept."""
    if n <= most:
        return np.arange(n)
    return np.unique(np.round(np.linspace(0, n - 1, most)).astype(int))
