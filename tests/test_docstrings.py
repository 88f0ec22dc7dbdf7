"""The API reference renders the library's docstrings as Markdown: keep them renderable.

mkdocstrings reads numpydoc sections and renders the text as Markdown. A parameter line that
names two parameters (``stride, padding : int``) makes it copy the first one's default into
the second's row, and a Sphinx role such as ``:math:`` is printed as it stands.
"""

import inspect
import pkgutil
import re

import pytest

import glassnet

PARAMETER_LINE = re.compile(r"^\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)+)\s+:\s")
SPHINX_ROLE = re.compile(r":(?:math|func|class|meth|mod|attr|data|ref):`")
# A numpydoc parameter line, ``name : type``, at the docstring's own indentation: mkdocstrings
# puts the type in a column of its own, where backticks are printed as they stand.
TYPED_PARAMETER = re.compile(r"^([A-Za-z_]\w*) : (?P<type>.*)$")
SECTION = re.compile(r"^\s*(Parameters|Returns|Notes|Raises|Attributes)\n\s*-{3,}", re.M)


def _modules():
    yield glassnet
    for info in pkgutil.walk_packages(glassnet.__path__, "glassnet."):
        yield __import__(info.name, fromlist=["_"])


def _documented():
    """(qualified name, docstring) of every module, class, function and method."""
    for module in _modules():
        yield module.__name__, inspect.getdoc(module) or ""
        for name, obj in vars(module).items():
            if getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isclass(obj) or inspect.isfunction(obj):
                yield f"{module.__name__}.{name}", inspect.getdoc(obj) or ""
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if inspect.isfunction(member):
                        yield f"{module.__name__}.{name}.{attr}", inspect.getdoc(member) or ""


DOCUMENTED = dict(_documented())


@pytest.mark.parametrize("name", sorted(n for n, d in DOCUMENTED.items() if SECTION.search(d)))
def test_docstring_names_one_parameter_per_line(name):
    combined = [m[1] for m in map(PARAMETER_LINE.match, DOCUMENTED[name].splitlines()) if m]
    assert not combined, f"{name} documents several parameters on one line: {combined}"


def test_docstrings_use_no_sphinx_roles():
    found = {name: SPHINX_ROLE.findall(doc) for name, doc in DOCUMENTED.items()
             if SPHINX_ROLE.search(doc)}
    assert not found, f"Sphinx roles, printed as they stand on the API pages: {found}"


def test_docstring_type_fields_hold_no_backticks():
    found = {name: line for name, doc in DOCUMENTED.items() for line in doc.splitlines()
             if (m := TYPED_PARAMETER.match(line)) and "`" in m["type"]}
    assert not found, f"backticks in a type field, printed as they stand: {found}"


def test_the_checks_see_the_docstrings_they_claim_to_check():
    # A negative control: the pattern finds a combined line, and the walk reaches methods.
    assert PARAMETER_LINE.match("    stride, padding : int")
    assert "`" in TYPED_PARAMETER.match("model : object with ``predict(X)``")["type"]
    assert "glassnet.layers.conv.Conv2D.__init__" in DOCUMENTED or \
        "glassnet.layers.conv.Conv2D" in DOCUMENTED
    assert len(DOCUMENTED) > 150
