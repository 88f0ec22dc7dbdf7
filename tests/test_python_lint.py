"""The repository's Python passes ruff, with the rules and line length of pyproject.toml."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _ruff(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", "check", *args], cwd=ROOT,
                          capture_output=True, text=True, input=stdin)


def test_python_passes_ruff():
    proc = _ruff(".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_checks_the_site_tests_and_skips_only_the_built_site():
    # Negative controls: tests/site/ is linted; site/ (the build output) is not.
    probe = "import os\n"
    linted = _ruff("--force-exclude", "--stdin-filename", "tests/site/probe.py", "-", stdin=probe)
    assert linted.returncode == 1 and "F401" in linted.stdout, linted.stdout + linted.stderr
    skipped = _ruff("--force-exclude", "--stdin-filename", "site/probe.py", "-", stdin=probe)
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
