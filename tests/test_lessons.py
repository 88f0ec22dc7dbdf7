"""Every lesson runs as a plain script, quickly and without errors."""

from __future__ import annotations

import os
import re
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


INSTALL = '"glassnet @ git+https://github.com/glassnet/glassnet"'


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_first_code_cell_installs_glassnet_only_on_colab(lesson):
    cells = [c for c in lesson.read_text().split("# %%")[1:] if not c.startswith(" [markdown]")]
    first = cells[0]
    assert 'if "google.colab" in sys.modules:' in first
    assert INSTALL in first


def test_lesson_install_cell_names_the_repository_of_the_site():
    repo_url = re.search(r"^repo_url: (\S+)$", (ROOT / "mkdocs.yml").read_text(), re.M)[1]
    assert INSTALL == f'"glassnet @ git+{repo_url}"'
