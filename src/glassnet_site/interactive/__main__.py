"""Command line: ``python -m glassnet_site.interactive --out DIR [--jobs N] [--only PART]``.

Writes ``DIR/playground/manifest.json`` and one ``DIR/playground/KEY.bin`` per run, and
``DIR/neuron.json``, ``DIR/activations.json``, ``DIR/descent.json``, ``DIR/backprop.json``,
``DIR/gan.json``, ``DIR/digits.json`` and ``DIR/attention.json`` for the explorers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from glassnet_site.interactive import attention, backprop, digits, explorers, gan
from glassnet_site.interactive.playground import (
    DEFAULT,
    Grid,
    all_combos,
    dataset,
    encode,
    train_combo,
    unique_combos,
)

GRID = Grid()  # the playground's grid (the library's defaults)

EXPLORERS = {"neuron": explorers.neuron_data, "activations": explorers.activation_curves,
             "descent": explorers.descent_data, "backprop": backprop.stepper_data,
             "gan": gan.gan_data, "digits": digits.digit_explorer_data,
             "attention": attention.attention_data}


def write_run(combo, out: Path, grid: Grid = GRID) -> int:
    """Train one combination and write its file; returns the file's size in bytes."""
    blob = encode(*train_combo(combo, grid), grid)
    (out / f"{combo.key}.bin").write_bytes(blob)
    return len(blob)


def write_playground(out: Path, jobs: int, grid: Grid = GRID) -> dict:
    """Every run of the playground, in ``jobs`` processes, and the manifest that lists them."""
    out.mkdir(parents=True, exist_ok=True)
    combos = unique_combos()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        sizes = list(pool.map(write_run, combos, [out] * len(combos), chunksize=8))
    (out / "manifest.json").write_text(json.dumps(manifest(grid), separators=(",", ":")))
    return {"runs": len(combos), "bytes": sum(sizes), "largest": max(sizes)}


def manifest(grid: Grid = GRID) -> dict:
    """What the page's script reads: the grid, the choices, the runs, the data.

    ``shared`` maps each combination that shares another's run (``Combo.canonical``) to that
    run's key, so the script never re-implements which combinations coincide.
    """
    shared = {c.key: c.canonical().key for c in all_combos() if c.canonical() != c}
    default = {"data": DEFAULT.dataset, "net": DEFAULT.network, "act": DEFAULT.activation,
               "lr": f"{DEFAULT.lr:g}", "reg": DEFAULT.reg}
    return {**grid.spec(), "runs": [c.key for c in unique_combos()], "shared": shared,
            "default": default,
            "data": {name: _points(name, grid) for name in grid.spec()["datasets"]}}


def _points(name: str, grid: Grid) -> dict:
    X, y, X_val, y_val, half = dataset(name, grid)
    return {"half": half, "X": X.round(3).tolist(), "y": y[:, 0].astype(int).tolist(),
            "X_val": X_val.round(3).tolist(), "y_val": y_val[:, 0].astype(int).tolist()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m glassnet_site.interactive",
                                     description="Compute the data of the interactive figures.")
    parser.add_argument("--out", type=Path, required=True, help="directory to write into")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes that train the playground (default: every core)")
    parser.add_argument("--only", choices=["playground", "explorers"],
                        help="write only this part")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.only != "playground":
        for name, fn in EXPLORERS.items():
            start = time.perf_counter()
            text = json.dumps(fn(), separators=(",", ":"))
            (args.out / f"{name}.json").write_text(text)
            print(f"{name}.json: {len(text) / 1e3:.0f} KB in {time.perf_counter() - start:.1f} s",
                  file=sys.stderr)
    if args.only != "explorers":
        start = time.perf_counter()
        stats = write_playground(args.out / "playground", max(1, args.jobs))
        print(f"playground: {stats['runs']} runs, {stats['bytes'] / 1e6:.1f} MB (largest "
              f"{stats['largest'] / 1e3:.0f} KB) in {time.perf_counter() - start:.1f} s",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
