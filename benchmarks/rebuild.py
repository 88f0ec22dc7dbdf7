"""Profile one rebuild as ``mkdocs serve`` runs it: ``python benchmarks/rebuild.py``.

Builds the site once in this process (caches warm: run ``make build`` first), appends a line
to a page, builds again the way ``mkdocs serve`` does after an edit
(``glassnet_site.rebuild.ServeBuilds``) and prints the time of each build and, with
``--profile``, the functions that took longest in the last rebuild (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="docs/foundations/perceptron.md")
    parser.add_argument("--module", default=None,
                        help="also append a comment to this file before the last rebuild")
    parser.add_argument("--rebuilds", type=int, default=2)
    parser.add_argument("--profile", metavar="FILE", help="write the last rebuild's profile")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.chdir(ROOT)
    from glassnet_site import memo
    from glassnet_site.rebuild import ServeBuilds

    page = ROOT / args.page
    module = ROOT / args.module if args.module else None
    original_page = page.read_text()
    original_module = module.read_text() if module else None
    with tempfile.TemporaryDirectory() as site:
        builds = ServeBuilds(ROOT / "mkdocs.yml", site, serve_url="http://127.0.0.1:8000/glassnet/")
        try:
            start = time.perf_counter()
            builds.build()
            print(f"first build: {time.perf_counter() - start:.1f} s", flush=True)
            for run in range(args.rebuilds):
                page.write_text(original_page + f"\nRebuild marker {run}-{time.time_ns()}.\n")
                last = run == args.rebuilds - 1
                if last and module:
                    module.write_text(original_module + f"\n# Rebuild marker {time.time_ns()}.\n")
                profiler = cProfile.Profile() if last and args.profile else None
                start = time.perf_counter()
                if profiler:
                    profiler.enable()
                builds.build()
                if profiler:
                    profiler.disable()
                print(f"rebuild {run + 1}{' (library edit)' if last and module else ''}: "
                      f"{time.perf_counter() - start:.1f} s; memo {memo.stats}", flush=True)
                for name in memo.stats:
                    memo.stats[name] = 0
            if args.profile:
                profiler.dump_stats(args.profile)
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
                print(out.getvalue())
        finally:
            page.write_text(original_page)
            if module:
                module.write_text(original_module)
    return 0


if __name__ == "__main__":
    sys.exit(main())
