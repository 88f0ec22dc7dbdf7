"""glassnet is the library a learner installs: it knows nothing of the site that uses it."""

import ast
import subprocess
import sys
from pathlib import Path

import glassnet

LIBRARY = Path(glassnet.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_library_never_imports_the_site_package():
    offenders = {str(path.relative_to(LIBRARY)): sorted(mods)
                 for path in sorted(LIBRARY.rglob("*.py"))
                 if (mods := {m for m in _imported_modules(path)
                              if m.split(".")[0] == "glassnet_site"})}
    assert not offenders, f"glassnet modules import glassnet_site: {offenders}"


def test_importing_every_library_module_loads_nothing_of_the_site():
    modules = sorted("glassnet." + ".".join(path.relative_to(LIBRARY).with_suffix("").parts)
                     for path in LIBRARY.rglob("*.py") if path.stem != "__init__")
    code = ("import importlib, sys\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'glassnet_site'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]", f"importing glassnet loaded {out}"


def test_library_has_no_figures_or_interactive_subpackage():
    assert not (LIBRARY / "figures").exists() and not (LIBRARY / "interactive").exists()


HOOKS = Path(__file__).resolve().parents[1] / "docs" / "hooks"
# What a build hook may import: MkDocs and Material (to register files and report errors),
# pathlib, and glassnet_site, where every piece of the build's logic lives. Parsing, processes
# and threads belong in glassnet_site's entry points, which another builder could call too.
HOOK_IMPORTS = {"__future__", "pathlib", "mkdocs", "material", "glassnet_site"}


def test_build_hooks_are_glue_over_glassnet_site():
    hooks = sorted(HOOKS.glob("*.py"))
    assert hooks
    offenders = {path.name: sorted(found) for path in hooks
                 if (found := {m.split(".")[0] for m in _imported_modules(path)} - HOOK_IMPORTS)}
    assert not offenders, f"build hooks import more than glue needs: {offenders}"
