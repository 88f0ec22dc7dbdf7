"""Run every benchmark in this folder, one after another: ``python benchmarks/run.py``.

Each ``bench_*.py`` is a standalone script that prints its own numbers and ratios against
PyTorch (CPU) or scikit-learn when those are installed. Pass names to run only some,
e.g. ``python benchmarks/run.py mlp conv``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    failed = 0
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        failed += subprocess.run([sys.executable, str(script)]).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
