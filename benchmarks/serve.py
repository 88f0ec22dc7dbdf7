"""How long an author waits: ``python benchmarks/serve.py`` (caches warm: run ``make build`` first).

Measured side by side in one run, on this machine:

1. **Stock Material**: the same Markdown pages (``docs/**/*.md``, no lessons, no API
   reference) built by Material with search and the same Markdown extensions, without
   Glassnet's hooks and plugins. This is what any MkDocs-Material site of this size costs.
2. **Serve**: ``mkdocs serve`` as ``make serve`` runs it, the time until it answers.
3. **Markdown edit**: a paragraph appended to one page, the time until the served page shows
   it (the rebuild plus the server's poll of the files); median of ``--runs``.
4. **Library edit**: a comment appended to one library module (``--module``; by default one
   that no figure, fact, lesson or interactive part imports, so nothing is re-rendered and
   the time is the rebuild's own), the time until the served page shows a change to the
   page; the page and module are put back afterwards.

The targets: an edit shows within 2 s or 1.5x the stock build; a library change that
touches no figure within 20 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = [sys.executable, "-m", "mkdocs"]
# The project's Markdown extensions, without Glassnet's own formula renderer.
STOCK_CONFIG = """\
site_name: Stock
docs_dir: {docs}
site_dir: {site}
theme:
  name: material
  features: [navigation.instant, content.code.copy]
plugins: [search]
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc: {{permalink: true}}
  - pymdownx.arithmatex: {{generic: true}}
  - pymdownx.details
  - pymdownx.highlight: {{anchor_linenums: true, line_spans: __span, pygments_lang_class: true}}
  - pymdownx.inlinehilite
  - pymdownx.snippets: {{base_path: ["{root}"], check_paths: false, dedent_subsections: true}}
  - pymdownx.superfences
  - pymdownx.tabbed: {{alternate_style: true}}
  - pymdownx.blocks.caption
"""


def stock_build_seconds(runs: int) -> float:
    """Median time of Material building the site's Markdown pages with nothing of ours."""
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        for page in (ROOT / "docs").rglob("*.md"):
            relative = page.relative_to(ROOT / "docs")
            if relative.parts[0] in ("lessons", "api"):
                continue
            (docs / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(page, docs / relative)
        config = Path(tmp) / "mkdocs.yml"
        config.write_text(STOCK_CONFIG.format(docs=docs, site=Path(tmp) / "site", root=ROOT))
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([*MKDOCS, "build", "-q", "-f", str(config)], check=True, cwd=tmp,
                           capture_output=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return None


def wait_for(url: str, test, timeout: float) -> float:
    """Seconds until the page at url passes test (polled every 50 ms)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        text = fetch(url)
        if text is not None and test(text):
            return time.perf_counter() - start
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not change within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="docs/foundations/perceptron.md")
    parser.add_argument("--module", default="src/glassnet/data/make_digits_npz.py")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    page, module = ROOT / args.page, ROOT / args.module
    url_path = Path(args.page).relative_to("docs").with_suffix("").as_posix() + "/"

    stock = stock_build_seconds(args.runs)
    print(f"stock Material build of the same Markdown pages: {stock:.1f} s (median of "
          f"{args.runs})", flush=True)

    port = free_port()
    # mkdocs serve serves the site under the path of site_url (/glassnet/).
    config = (ROOT / "mkdocs.yml").read_text()
    site_url = re.search(r"^site_url:\s*(\S+)", config, flags=re.MULTILINE)
    prefix = urllib.parse.urlsplit(site_url[1]).path if site_url else "/"
    url = f"http://127.0.0.1:{port}{prefix.rstrip('/')}/{url_path}"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    original_page, original_module = page.read_text(), module.read_text()
    server = subprocess.Popen([*MKDOCS, "serve", "--livereload", "--dev-addr",
                               f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        start = time.perf_counter()
        wait_for(url, lambda text: True, timeout=1800)
        print(f"make serve answers after: {time.perf_counter() - start:.1f} s", flush=True)
        edits = []
        for run in range(args.runs):
            marker = f"Benchmark marker {run}-{time.time_ns()}."
            page.write_text(original_page + f"\n{marker}\n")
            edits.append(wait_for(url, lambda text, m=marker: m in text, timeout=600))
            time.sleep(1)
        page.write_text(original_page)
        wait_for(url, lambda text: "Benchmark marker" not in text, timeout=600)
        edit = statistics.median(edits)
        print(f"Markdown edit shows after: {edit:.1f} s (median of {args.runs}; "
              f"{edit / stock:.2f}x the stock build)", flush=True)
        marker = f"Library marker {time.time_ns()}."
        module.write_text(original_module + f"\n# {marker}\n")
        page.write_text(original_page + f"\n{marker}\n")  # so that the rebuild is visible
        library = wait_for(url, lambda text: marker in text, timeout=1800)
        print(f"library edit ({args.module}) shows after: {library:.1f} s", flush=True)
    finally:
        page.write_text(original_page)
        module.write_text(original_module)
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
