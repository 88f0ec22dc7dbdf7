"""Every lesson runs as a plain script, quickly and without errors."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.py"))
TIME_LIMIT_S = 60  # generous on a loaded 2-core machine; the target is under 20 s


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_as_a_script(lesson):
    env = {**os.environ, "MPLBACKEND": "Agg"}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(lesson)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=TIME_LIMIT_S)
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    print(f"{lesson.name}: {elapsed:.1f} s")
