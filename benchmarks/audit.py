"""Lighthouse scores for every page of the built site: ``python benchmarks/audit.py``.

``make audit`` builds the site strictly into ``site/`` and runs this. Each page is served
locally as a host would serve it (gzip, under the path of ``site_url``) and audited by
Lighthouse from the npm lock file, driving the system's Chromium headless, with Lighthouse's
mobile settings (a phone screen, simulated slow 4G and a 4x slower CPU). The table of the four
category scores per page, and the worst of each, is printed in Markdown.

Targets: accessibility, best practices and SEO 100 on every page, performance at least 95.
The exit status is 1 when a page misses one; the audits that cost it points are listed.
Performance is measured on this machine's CPU: run the audit on a quiet machine.

    python benchmarks/audit.py                      # every page of site/
    python benchmarks/audit.py --site DIR PAGE...   # some pages (paths as in the site)
    python benchmarks/audit.py --runs 5             # each page five times, the median kept

Lighthouse's own advice for a score that varies from run to run is the median of several
runs (its variability guide: five runs about halve the spread of one); ``--runs N`` keeps,
for each page, the run with the median performance score. ``make audit`` runs five.

Chromium runs with Lighthouse's own flags (those of chrome-launcher), headless, as
PageSpeed Insights and a reader's browser run it. ``--no-paint-holding`` turns Chromium's
paint holding off as well: headless Chromium then never shows a page's first frame late
(Lighthouse issue 17148), which takes the worst runs out and lifts the scores, but a
reader's browser holds paint, so the scores the audit reports are those without the option.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "site"))  # the server and browser settings the tests use

from _browser import INSTALL_HINT, find_chromium, site_pages  # noqa: E402
from _serve import serve  # noqa: E402
from _site import load_mkdocs_config  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = {"performance": "Performance", "accessibility": "Accessibility",
              "best-practices": "Best practices", "seo": "SEO"}
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


# Headless Chromium sometimes shows a page's first frame about a second after the page has
# painted it (Lighthouse issue 17148, "Observed FCP/LCP inflated by whole seconds in headless
# runs"): the page is loaded, nothing runs, and the compositor draws nothing. Lantern then
# counts every task before that frame into the largest contentful paint. Turning paint
# holding off avoids it, but a reader's browser holds paint: only --no-paint-holding does.
NO_PAINT_HOLDING = "--disable-features=PaintHolding"


def chrome_flags(paint_holding: bool = True) -> str:
    """Chromium's flags beyond Lighthouse's own: headless, no sandbox as root, and paint
    holding off if asked."""
    flags = ["--headless=new", *([] if paint_holding else [NO_PAINT_HOLDING])]
    return " ".join(flags + (["--no-sandbox"] if os.geteuid() == 0 else []))


def audit(url: str, chromium: str, paint_holding: bool = True) -> dict:
    """Run Lighthouse on one URL; return its JSON report."""
    # On an interrupt, Lighthouse is asked to stop with SIGINT, on which it closes the
    # Chromium it launched (in a group of its own, which a signal to ours would not reach).
    proc = subprocess.Popen(
        [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
         f"--only-categories={','.join(CATEGORIES)}",
         f"--chrome-flags={chrome_flags(paint_holding)}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "CHROME_PATH": chromium})
    try:
        out, err = proc.communicate(timeout=300)
    except BaseException:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
        raise
    if proc.returncode != 0 or not out.strip():
        raise RuntimeError(f"Lighthouse failed on {url}:\n{err[-2000:]}")
    return json.loads(out)


def median_run(reports: list[dict]) -> dict:
    """The report with the median performance score (the lower middle one of an even set)."""
    ranked = sorted(reports, key=lambda r: r["categories"]["performance"]["score"] or 0)
    return ranked[(len(ranked) - 1) // 2]


def scores(report: dict) -> dict[str, int]:
    return {key: round(100 * (report["categories"][key]["score"] or 0)) for key in CATEGORIES}


def losses(report: dict) -> list[str]:
    """The weighted audits that did not score full marks, with what Lighthouse measured."""
    found = []
    for key in CATEGORIES:
        for ref in report["categories"][key]["auditRefs"]:
            result = report["audits"][ref["id"]]
            if ref["weight"] > 0 and result["score"] is not None and result["score"] < 1:
                shown = f" ({result['displayValue']})" if result.get("displayValue") else ""
                found.append(f"{key}: {ref['id']} scored {result['score']:.2f}{shown}")
    return found


def table(rows: dict[str, dict[str, int]]) -> str:
    """The Markdown table of scores per page, with the worst of each category last."""
    lines = ["| Page | " + " | ".join(CATEGORIES.values()) + " |",
             "|---|" + "---:|" * len(CATEGORIES)]
    for page, row in rows.items():
        lines.append(f"| `{page or '/'}` | " + " | ".join(str(row[k]) for k in CATEGORIES) + " |")
    worst = {k: min(row[k] for row in rows.values()) for k in CATEGORIES}
    lines.append("| **worst** | " + " | ".join(f"**{worst[k]}**" for k in CATEGORIES) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", help="pages to audit (default: every page)")
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site")
    parser.add_argument("--json", type=Path, help="directory to keep every JSON report in")
    parser.add_argument("--runs", type=int, default=1,
                        help="audits per page; the one with the median performance is kept")
    parser.add_argument("--no-paint-holding", dest="paint_holding", action="store_false",
                        help="turn Chromium's paint holding off (higher scores than a "
                             "reader's browser sees; see above)")
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: run `npm ci` (make audit does).", file=sys.stderr)
        return 2
    prefix = urlsplit(load_mkdocs_config().get("site_url") or "/").path or "/"
    pages = args.pages or site_pages(args.site)
    rows, misses = {}, {}
    # Served on 127.0.0.1 itself (not the tests' proxy host), which Lighthouse counts as a
    # secure origin, like the HTTPS of the real host.
    with serve(args.site, prefix) as server:
        base = f"http://127.0.0.1:{server.server_address[1]}{server.prefix}"
        for i, page in enumerate(pages, 1):
            report = median_run([audit(base + page, chromium, args.paint_holding)
                                 for _ in range(args.runs)])
            rows[page] = scores(report)
            print(f"[{i}/{len(pages)}] {page or '/'}: {rows[page]}", file=sys.stderr, flush=True)
            if any(rows[page][k] < TARGETS[k] for k in CATEGORIES):
                misses[page] = losses(report)
            if args.json:
                args.json.mkdir(parents=True, exist_ok=True)
                name = (page.strip("/").replace("/", "_") or "index") + ".json"
                (args.json / name).write_text(json.dumps(report))
    print(table(rows))
    for page, found in misses.items():
        print(f"\n{page or '/'} misses a target:\n  " + "\n  ".join(found))
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
