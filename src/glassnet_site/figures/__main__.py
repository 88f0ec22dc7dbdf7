"""Command line: ``python -m glassnet_site.figures --out DIR [--only NAME ...] [--list]``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .registry import ENLARGE, all_facts, all_figures, render


def _listing(specs) -> list[dict]:
    """The registry as JSON-ready rows: name, format, title and drawing function."""
    return [{"name": s.name, "fmt": s.fmt, "title": s.title, "data": s.data is not None,
             "narrow": "narrow" in s.layouts, "enlarge": s.name in ENLARGE,
             "function": f"{s.fn.__module__}.{s.fn.__qualname__}"} for s in specs.values()]


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
    args = parser.parse_args(argv)

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
