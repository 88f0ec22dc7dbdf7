"""The GitHub Actions workflows pass zizmor's offline audit and the workflow schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def test_workflows_exist():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "pages.yml"}


def test_workflows_have_no_zizmor_findings():
    proc = subprocess.run([str(BIN / "zizmor"), "--offline", "--no-progress",
                           str(ROOT / ".github/workflows")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workflows_match_the_github_schema():
    proc = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema",
                           "vendor.github-workflows", *map(str, WORKFLOWS)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pages_workflow_has_least_privilege():
    text = (ROOT / ".github/workflows/pages.yml").read_text()
    assert "permissions: {}" in text
    assert text.count("id-token: write") == 1 and text.count("pages: write") == 1
    assert "persist-credentials: false" in text
    for line in text.splitlines():
        if "uses:" in line:
            ref = line.split("@", 1)[1].split()[0]
            assert len(ref) == 40, f"action not pinned to a commit: {line.strip()}"
