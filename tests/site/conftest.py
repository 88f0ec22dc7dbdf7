"""Fixtures for tests of the built site: one strict build per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from _site import ROOT, load_mkdocs_config, mkdocs_build


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site, built once with ``mkdocs build --strict`` into a temporary directory."""
    out = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(ROOT / "mkdocs.yml", out)
    assert proc.returncode == 0, f"strict build failed:\n{proc.stdout}\n{proc.stderr}"
    return out


@pytest.fixture(scope="session")
def mkdocs_config() -> dict:
    return load_mkdocs_config()
