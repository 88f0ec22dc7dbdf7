"""Helpers for tests of the lessons: find them and load their solution functions cheaply.

A lesson is a script whose cells train models and draw plots. To call its exercise
solutions without running all of that, :func:`solutions` executes only the lesson's
top-level imports, function and class definitions and UPPER_CASE constants whose value is
a literal. Solution functions must therefore build what they need inside themselves (they
may call the lesson's functions and use its constants, never its other global variables).
"""

from __future__ import annotations

import ast
import functools
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.py"))
SOLUTION_NAME = re.compile(r"^solution_(\d+)$")
CELL_HEADER = re.compile(r"^# %%.*$", re.MULTILINE)


def lesson_path(stem: str) -> Path:
    return ROOT / "lessons" / f"{stem}.py"


def _is_definition(node: ast.stmt) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)):
        return True
    if not (isinstance(node, ast.Assign)
            and all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets)):
        return False
    try:  # A constant such as SEED = 0, not an array such as X = rng.normal(...).
        ast.literal_eval(node.value)
    except ValueError:
        return False
    return True


@functools.cache
def solutions(stem: str) -> dict:
    """The namespace of a lesson's definitions: ``solutions("01_perceptron")["solution_1"]``."""
    path = lesson_path(stem)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    tree.body = [node for node in tree.body if _is_definition(node)]
    os.environ.setdefault("MPLBACKEND", "Agg")
    namespace = {"__name__": f"lesson_{stem}", "__file__": str(path)}
    exec(compile(tree, str(path), "exec"), namespace)
    return namespace


def solution_numbers(path: Path) -> list[int]:
    """Numbers ``k`` of the ``solution_k`` functions a lesson defines, in file order."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [int(m[1]) for node in tree.body if isinstance(node, ast.FunctionDef)
            and (m := SOLUTION_NAME.match(node.name))]


def cell_header_of(path: Path, name: str) -> str:
    """The ``# %%`` line of the cell in which ``def name(`` appears."""
    text = path.read_text(encoding="utf-8")
    position = text.index(f"\ndef {name}(")
    headers = [m for m in CELL_HEADER.finditer(text) if m.start() < position]
    return headers[-1][0] if headers else ""
