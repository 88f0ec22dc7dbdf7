"""The site's own JavaScript is linted (ESLint) and formatted (Prettier), from the lock file."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / "node_modules" / ".bin"
SOURCES = ["docs/assets/javascripts", "docs/hooks/katex_render.cjs"]
# Prettier also formats the site's own stylesheets.
FORMATTED = [*SOURCES, "docs/assets/stylesheets"]


def _run(tool: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    if not (BIN / tool).exists():
        pytest.fail(f"{tool} is missing: run `npm ci` (make test does it)", pytrace=False)
    return subprocess.run([str(BIN / tool), *args], cwd=ROOT, capture_output=True, text=True,
                          input=stdin)


def test_javascript_passes_eslint():
    proc = _run("eslint", "--max-warnings", "0", *SOURCES)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_eslint_catches_an_unused_variable():
    # A negative control: the configuration really applies to the page modules.
    proc = _run("eslint", "--stdin", "--stdin-filename", "docs/assets/javascripts/probe.js",
                stdin="const unused = 1;\n")
    assert proc.returncode == 1 and "no-unused-vars" in proc.stdout


def test_javascript_and_css_are_formatted_by_prettier():
    proc = _run("prettier", "--check", *FORMATTED)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_prettier_catches_unformatted_code():
    # A negative control: the configuration (.prettierrc.json) applies to the page modules.
    proc = _run("prettier", "--check", "--stdin-filepath", "docs/assets/javascripts/probe.js",
                stdin="const  a = {b:1}\n")
    assert proc.returncode != 0
