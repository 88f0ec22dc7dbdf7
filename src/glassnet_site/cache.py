"""Cache keys shared by the build hooks: what a generated file depends on."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache"
# Libraries whose versions change what figures and lessons produce.
VERSIONED = ("numpy", "matplotlib", "jupytext", "nbconvert", "ipykernel")


# The packages whose code produces the generated files: the library and the site's own.
PACKAGES = ("glassnet", "glassnet_site")


def package_dir(name: str = "glassnet") -> Path:
    """Directory of an installed package (``src/NAME`` in an editable install)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"{name} is not installed: run `make serve` or `pip install -e .`")
    return Path(spec.origin).parent


def library_hash() -> str:
    """Hash of every source and data file of glassnet and glassnet_site, the Python version
    and the key libraries."""
    digest = hashlib.sha256(sys.version.encode())
    for name in VERSIONED:
        digest.update(f"{name}={importlib.metadata.version(name)}".encode())
    for package in PACKAGES:
        root = package_dir(package)
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{package}/{path.relative_to(root)}".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def evict_stale(root: Path, keep: int = 4) -> None:
    """Remove all but the ``keep`` most recent finished caches under ``root``.

    A few are kept for other versions of the library (branches, concurrent builds); the
    names of unfinished work start with ``rendering-`` or ``computing-`` and are left alone.
    """
    done = [p for p in root.iterdir()
            if p.is_dir() and not p.name.startswith(("rendering-", "computing-"))]
    for stale in sorted(done, key=lambda p: p.stat().st_mtime)[:-keep]:
        shutil.rmtree(stale, ignore_errors=True)
