"""Helpers for tests of the built site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def build_env() -> dict[str, str]:
    """Environment for a reproducible build (dated files use a fixed time)."""
    return {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "315532800"),
            "NO_MKDOCS_2_WARNING": "1"}


def mkdocs_build(config: Path, site_dir: Path, cwd: Path | None = None):
    """Run ``mkdocs build --strict``; return the completed process (never raises)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
         "--site-dir", str(site_dir)],
        capture_output=True, text=True, cwd=cwd or ROOT, env=build_env(), timeout=1800)


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring the Python tags some extensions use."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def load_mkdocs_config() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)


def nav_paths(nav) -> list[str]:
    """Every source path named in a nav tree."""
    paths = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            paths += nav_paths(value)
        elif not str(value).startswith(("http://", "https://")):
            paths.append(value)
    return paths


def page_html(site: Path, src: str) -> Path:
    """The built HTML file of a nav source path (with directory URLs)."""
    stem = src.rsplit(".", 1)[0]
    if stem == "index":
        return site / "index.html"
    if stem.endswith("/index"):
        return site / stem[: -len("index")] / "index.html"
    return site / stem / "index.html"
