"""Cache keys shared by the build hooks: what a generated file depends on.

Each figure, fact, lesson and part of the interactive data is cached on its own inputs
(``key``): its own code, the modules of ``glassnet`` and ``glassnet_site`` it imports,
directly or through other modules (``closure``, found by parsing the imports with ``ast``,
never by importing anything), the data files beside those modules, the Python version and
the versions of the libraries in ``VERSIONED``. A change to one library module re-renders
only what imports it.

How the import closure is followed:

* ``import a.b.c`` and ``from a.b import c`` (``c`` a module) follow module ``a.b.c`` whole:
  every import it makes, at module level or inside its functions.
* ``from a.b import name`` (``name`` not a module) looks at how package ``a.b`` binds the
  name: a package that re-exports ``name`` from a submodule leads to that submodule only, so
  ``from glassnet import Sequential`` depends on ``glassnet.model`` and what it imports, not
  on every module ``glassnet/__init__.py`` imports. A name the package defines itself, or a
  name imported from a plain module, follows that module whole.
* The ``__init__.py`` of every enclosing package is part of the key as a file (Python runs
  it), but its imports are followed only as above.
* ``NOT_FOLLOWED`` lists the few functions whose imports gather modules for a listing and do
  not feed the output: ``registry._modules`` imports every figure module, and a figure's key
  follows only its own.

A module's data files are the files that are not Python source in its directory and in the
subdirectories that are not packages (``glassnet/data/digits.npz`` for ``glassnet.data.digits``).
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache"
# Libraries whose versions change what figures and lessons produce.
VERSIONED = ("numpy", "matplotlib", "jupytext", "nbconvert", "ipykernel")


# The packages whose code produces the generated files: the library and the site's own.
PACKAGES = ("glassnet", "glassnet_site")

# Functions whose imports are not followed: they import modules to list them, not to use them.
NOT_FOLLOWED = {"glassnet_site.figures.registry": frozenset({"_modules"})}

# Names of unfinished work in a cache directory, left alone by ``evict_stale`` unless older
# than a day (no build runs that long: one left by a build that was killed).
UNFINISHED = ("rendering-", "computing-")
ABANDONED_S = 24 * 3600


def package_dir(name: str = "glassnet") -> Path:
    """Directory of an installed package (``src/NAME`` in an editable install)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"{name} is not installed: run `make serve` or `pip install -e .`")
    return Path(spec.origin).parent


def library_hash() -> str:
    """Hash of every source and data file of glassnet and glassnet_site, the Python version
    and the key libraries: changes with any edit in ``src/`` (the figure listing's quick check
    that nothing changed since its last run)."""
    digest = _base_digest()
    for package in PACKAGES:
        root = package_dir(package)
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{package}/{path.relative_to(root)}".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _base_digest():
    digest = hashlib.sha256(sys.version.encode())
    for name in VERSIONED:
        digest.update(f"{name}={importlib.metadata.version(name)}".encode())
    return digest


# --- where modules live ------------------------------------------------------------------

def _roots() -> dict[str, Path]:
    return {package: package_dir(package) for package in PACKAGES}


def module_file(name: str, roots: dict[str, Path] | None = None) -> Path | None:
    """The source file of module ``name`` of glassnet or glassnet_site, or ``None`` for a
    module of any other package (or one that does not exist)."""
    roots = _roots() if roots is None else roots
    top, *rest = name.split(".")
    if top not in roots:
        return None
    base = roots[top].joinpath(*rest)
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    if rest and base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return None


@lru_cache(maxsize=1024)
def _parse(path: Path, mtime_ns: int, size: int) -> ast.Module:
    return ast.parse(path.read_bytes(), filename=str(path))


def _tree(path: Path) -> ast.Module:
    stat = path.stat()
    return _parse(path, stat.st_mtime_ns, stat.st_size)


def _import_nodes(body: list[ast.stmt], skipped: frozenset[str] = frozenset()):
    """The import statements in ``body`` and in every block nested in it (imports are
    statements, so expressions are never visited), except in the top-level functions named
    in ``skipped``."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
            continue
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in skipped:
            continue
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            block = getattr(node, field, None)
            if isinstance(block, list):
                yield from _import_nodes(block)


def _absolute(node: ast.ImportFrom, module: str | None, is_package: bool) -> str:
    """The absolute name of the module a ``from ... import`` statement imports from."""
    if node.level == 0:
        return node.module or ""
    if module is None:
        raise ValueError(f"relative import 'from {'.' * node.level}{node.module or ''} "
                         "import ...' outside a package")
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[:len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


def _imports(path: Path, module: str | None, roots: dict[str, Path]
             ) -> list[tuple[str, str | None]]:
    """What the file imports from the two packages: ``(module, None)`` for a module used
    whole, ``(package_or_module, name)`` for a name taken from it."""
    skipped = NOT_FOLLOWED.get(module or "", frozenset())
    is_package = path.name == "__init__.py"
    found: list[tuple[str, str | None]] = []
    for node in _import_nodes(_tree(path).body, skipped):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node, module, is_package)
            for alias in node.names:
                if alias.name == "*":
                    found.append((source, None))
                elif module_file(f"{source}.{alias.name}", roots) is not None:
                    found.append((f"{source}.{alias.name}", None))
                else:
                    found.append((source, alias.name))
    return [(name, attr) for name, attr in found if name.split(".")[0] in roots]


def _binding(init: Path, package: str, name: str, roots: dict[str, Path]
             ) -> list[tuple[str, str | None]] | None:
    """How a package's ``__init__.py`` binds ``name`` by importing it, or ``None`` when the
    package defines the name itself (or binds it some other way)."""
    for node in _tree(init).body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    source = _absolute(node, package, True)
                    if module_file(f"{source}.{alias.name}", roots) is not None:
                        return [(f"{source}.{alias.name}", None)]
                    return [(source, alias.name)]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname == name:
                    return [(alias.name, None)]
    return None


def closure(modules: Iterable[str] = (), scripts: Iterable[Path] = (),
            roots: dict[str, Path] | None = None) -> set[str]:
    """The modules of glassnet and glassnet_site that ``modules`` and the files ``scripts``
    (a lesson, a ``__main__``) import, directly or transitively, with every package that
    encloses them. Modules of other packages are left out (their versions are in the key).
    """
    roots = _roots() if roots is None else roots
    whole: set[str] = set()   # modules whose every import is followed
    named: set[tuple[str, str]] = set()
    found: set[str] = set()
    todo: list[tuple[str, str | None]] = []
    for script in scripts:
        todo += _imports(Path(script), None, roots)
    todo += [(module, None) for module in modules]
    while todo:
        module, name = todo.pop()
        path = module_file(module, roots)
        if path is None:
            continue
        parts = module.split(".")
        found.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        if name is not None and path.name == "__init__.py":
            if (module, name) in named:
                continue
            named.add((module, name))
            binding = _binding(path, module, name, roots)
            if binding is not None:
                todo += binding
                continue
        if module in whole:
            continue
        whole.add(module)
        todo += _imports(path, module, roots)
    return found


def _data_files(directory: Path) -> list[Path]:
    """The files in ``directory`` that are not Python, and in its subdirectories that are not
    packages."""
    files = []
    for path in directory.iterdir():
        if path.name == "__pycache__" or path.name.startswith("."):
            continue
        if path.is_file() and path.suffix not in (".py", ".pyc"):
            files.append(path)
        elif path.is_dir() and not (path / "__init__.py").exists():
            files += [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return files


def inputs(modules: Iterable[str] = (), scripts: Iterable[Path] = (),
           roots: dict[str, Path] | None = None) -> dict[str, Path]:
    """Every file a result depends on, by a name that is the same in every checkout:
    the source of each module in the closure and the data files beside it."""
    roots = _roots() if roots is None else roots
    files: dict[str, Path] = {}
    for module in closure(modules, scripts, roots):
        path = module_file(module, roots)
        top = module.split(".")[0]
        files[f"{top}/{path.relative_to(roots[top]).as_posix()}"] = path
        for data in _data_files(path.parent):
            files[f"{top}/{data.relative_to(roots[top]).as_posix()}"] = data
    return dict(sorted(files.items()))


def key(modules: Iterable[str] = (), scripts: Iterable[Path] = (), files: Iterable[Path] = (),
        salt: str = "", roots: dict[str, Path] | None = None) -> str:
    """The cache key of a result computed by ``modules`` and ``scripts`` (and everything they
    import), also reading ``files``: a hex digest of those files' names and bytes, the Python
    version and the versions of ``VERSIONED``. ``salt`` tells apart results of the same
    code (a figure's name)."""
    scripts = list(scripts)
    digest = _base_digest()
    digest.update(salt.encode())
    named = inputs(modules, scripts, roots)
    for path in [*scripts, *files]:
        path = Path(path).resolve()
        try:
            named[path.relative_to(ROOT).as_posix()] = path
        except ValueError:
            named[path.name] = path
    for name in sorted(named):
        digest.update(b"\0" + name.encode() + b"\0")
        digest.update(named[name].read_bytes())
    return digest.hexdigest()


def lesson_key(lesson: Path) -> str:
    """The key of an executed lesson: the lesson, the library modules it imports (and their
    data), and ``glassnet_site.lessons``, which tidies the notebook it writes."""
    return key(modules=("glassnet_site.lessons",), scripts=(lesson,))


# The interactive data, in two parts computed by ``python -m glassnet_site.interactive
# --only PART``: the module behind each, besides that command itself.
INTERACTIVE = {"playground": ("glassnet_site.interactive.playground",),
               "explorers": ("glassnet_site.interactive.explorers",
                             "glassnet_site.interactive.backprop",
                             "glassnet_site.interactive.gan",
                             "glassnet_site.interactive.digits",
                             "glassnet_site.interactive.attention")}


def interactive_key(part: str) -> str:
    """The key of one part of the interactive data (``INTERACTIVE``)."""
    command = module_file("glassnet_site.interactive.__main__")
    return key(modules=INTERACTIVE[part], files=(command,), salt=part)


# --- the caches themselves ---------------------------------------------------------------

def entry_name(path: Path) -> str:
    """What a cache entry holds: ``NAME`` of ``NAME-KEY`` (``NAME-KEY.json``); entries
    named by a key alone belong to the layout before per-result keys."""
    stem = path.name.split(".")[0]
    return stem.rsplit("-", 1)[0] if "-" in stem else ""


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` under a private ``computing-`` name, then rename it into
    place: a concurrent build reads the old file or the whole new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"computing-{os.getpid()}-{threading.get_ident()}-{path.name}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def entry_dir(out: Path, prefix: str = "rendering-") -> Iterator[Path]:
    """A private directory beside ``out`` to fill, renamed to ``out`` when the block ends
    without an error: a concurrent build never reads a half-made entry. If another build
    made ``out`` first (it holds files), the private one is dropped; after an error nothing
    is left."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=prefix))
    try:
        yield tmp
        try:
            tmp.rename(out)
        except OSError:
            if not (out.is_dir() and any(out.iterdir())):
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def touch(path: Path) -> None:
    """Mark a cache entry as just used, so ``evict_stale`` keeps it."""
    try:
        os.utime(path)
    except OSError:
        pass


def evict_stale(root: Path, keep: int = 4) -> None:
    """Remove all but the ``keep`` most recently used finished entries of each result under
    ``root`` (``NAME-KEY`` directories or files, grouped by ``NAME``).

    A few are kept for other versions of the library (branches, concurrent builds). The
    names of unfinished work start with ``rendering-`` or ``computing-``: they are left
    alone, unless older than ``ABANDONED_S`` (a build killed before it could clean up).
    """
    groups: dict[str, list[Path]] = {}
    abandoned = time.time() - ABANDONED_S
    for path in root.iterdir():
        if not path.name.startswith(UNFINISHED):
            groups.setdefault(entry_name(path), []).append(path)
        elif _mtime(path) < abandoned:
            _remove(path)
    for entries in groups.values():
        for stale in sorted(entries, key=_mtime)[:-keep]:
            _remove(stale)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
