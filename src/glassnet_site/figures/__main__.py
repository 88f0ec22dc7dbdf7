"""Command line: ``python -m glassnet_site.figures --out DIR [--only NAME ...] [--list]``.

``--cache DIR --index FILE`` is what the build runs: each figure and each fact is kept under
``DIR`` on its own key (``glassnet_site.cache.key``: the module that defines it and what that
imports), only the missing ones are rendered or computed, and ``FILE`` lists them all.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from glassnet_site import cache
from glassnet_site.images import css_size

from .registry import ENLARGE, _modules, all_facts, all_figures, render

# What turns any figure function into its files, besides the figure's own module: the
# registry's file (its own imports list every figure module, see cache.NOT_FOLLOWED), this
# command, and the sizes ``glassnet_site.figure_pages`` reads.
RENDERER = ("glassnet_site.figures.registry", "glassnet_site.figures.__main__",
            "glassnet_site.images")


def _listing(specs) -> list[dict]:
    """The registry as JSON-ready rows: name, format, title and drawing function."""
    return [{"name": s.name, "fmt": s.fmt, "title": s.title, "data": s.data is not None,
             "narrow": "narrow" in s.layouts, "enlarge": s.name in ENLARGE,
             "function": f"{s.fn.__module__}.{s.fn.__qualname__}"} for s in specs.values()]


def _defined_in(fn) -> set[str]:
    """The module that defines ``fn`` (the function a ``functools.partial`` wraps)."""
    fn = getattr(fn, "func", fn)
    return {fn.__module__} if getattr(fn, "__module__", None) else set()


def _registered(attribute: str):
    """``(modules, spec)`` for each figure or fact: the modules its output depends on are
    the module that registers it and those that define its functions."""
    for module in _modules():
        for spec in getattr(module, attribute, ()):
            functions = (spec.fn, getattr(spec, "data", None))
            found = {module.__name__}.union(*(_defined_in(f) for f in functions if f))
            yield tuple(sorted(found)), spec


def _key(modules: tuple[str, ...], salt: str, keys: dict) -> str:
    if (modules, salt) not in keys:
        keys[modules, salt] = cache.key(modules=(*modules, *RENDERER), salt=salt)[:16]
    return keys[modules, salt]


def _figure_entry(spec, directory: Path) -> dict:
    """The manifest row of a rendered figure, with the CSS size of its files."""
    entry = _listing({spec.name: spec})[0]
    entry["size"] = css_size((directory / spec.filename("light")).read_bytes(), spec.fmt)
    if entry["narrow"]:
        entry["narrow_size"] = css_size(
            (directory / spec.filename("light", "narrow")).read_bytes(), spec.fmt)
    return entry


def build_cache(root: Path, index: Path) -> dict:
    """Render every figure and compute every fact missing from ``root`` (each in its own
    ``NAME-KEY`` entry, written under a ``rendering-`` or ``computing-`` name and renamed when
    complete), then write ``index``: the manifest rows (with each figure's directory) and
    the facts. Returns how many of each were made."""
    keys: dict = {}
    made = {"figures": 0, "facts": 0}
    figures_dir, facts_dir = root / "figure", root / "fact"
    figures_dir.mkdir(parents=True, exist_ok=True)
    facts_dir.mkdir(parents=True, exist_ok=True)
    all_figures(), all_facts()  # a name registered twice is an error
    manifest = []
    for modules, spec in _registered("FIGURES"):
        out = figures_dir / f"{spec.name}-{_key(modules, spec.name, keys)}"
        if not (out / "entry.json").exists():
            start = time.perf_counter()
            with cache.entry_dir(out) as tmp:
                render(spec, tmp)
                (tmp / "entry.json").write_text(json.dumps(_figure_entry(spec, tmp), indent=1))
            made["figures"] += 1
            print(f"{spec.name}: {time.perf_counter() - start:.2f} s", file=sys.stderr)
        cache.touch(out)
        manifest.append({**json.loads((out / "entry.json").read_text()),
                         "dir": out.relative_to(root).as_posix()})
    facts = {}
    for modules, fact in _registered("FACTS"):
        name = fact.name
        path = facts_dir / f"{name}-{_key(modules, name, keys)}.json"
        if not path.exists():
            cache.write_atomic(path, json.dumps(str(fact.fn())))
            made["facts"] += 1
        cache.touch(path)
        facts[name] = json.loads(path.read_text())
    cache.write_atomic(index, json.dumps({"figures": manifest,
                                          "facts": dict(sorted(facts.items()))}, indent=1))
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m glassnet_site.figures",
                                     description="Render the site's figures, light and dark.")
    parser.add_argument("--out", type=Path, help="directory to write the files into")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="render only this figure (repeatable)")
    parser.add_argument("--facts", action="store_true",
                        help="also compute every fact and write DIR/facts.json")
    parser.add_argument("--list", action="store_true",
                        help="print the registry as JSON (name, format, title) and exit")
    parser.add_argument("--cache", type=Path, metavar="DIR",
                        help="render what is missing from the per-figure cache DIR")
    parser.add_argument("--index", type=Path, metavar="FILE",
                        help="with --cache: where to list the cached figures and facts")
    args = parser.parse_args(argv)

    if args.cache is not None:
        if args.index is None:
            parser.error("--cache DIR needs --index FILE")
        made = build_cache(args.cache, args.index)
        print(f"rendered {made['figures']} figures, computed {made['facts']} facts",
              file=sys.stderr)
        return 0
    specs = all_figures()
    if args.list:
        json.dump(_listing(specs), sys.stdout, indent=1)
        print()
        return 0
    if args.out is None:
        parser.error("--out DIR is required unless --list is given")
    unknown = sorted(set(args.only or ()) - set(specs))
    if unknown:
        parser.error(f"no figure named {', '.join(unknown)}; known: {', '.join(specs)}")
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.only or specs:
        start = time.perf_counter()
        render(specs[name], args.out)
        print(f"{name}: {time.perf_counter() - start:.2f} s", file=sys.stderr)
    if args.facts:
        facts = {name: str(fact.fn()) for name, fact in all_facts().items()}
        (args.out / "facts.json").write_text(json.dumps(facts, indent=1, sort_keys=True))
    if not args.only:
        (args.out / "manifest.json").write_text(json.dumps(_listing(specs), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
