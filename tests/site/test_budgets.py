"""Size budgets of the built site: what a reader downloads before the first word shows.

The bytes a whole first view transfers (figures, fonts, scripts) are measured in the browser
(test_browser.py); here, each page's own HTML, compressed as a host sends it.
"""

from __future__ import annotations

import gzip

HTML_BUDGET = 30 * 1024  # bytes, gzipped
LESSON_HTML_BUDGET = 50 * 1024  # lessons carry their code and printed output


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def test_budget_every_page_html_is_small_gzipped(site):
    over = {}
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        budget = LESSON_HTML_BUDGET if rel.startswith("lessons/") else HTML_BUDGET
        size = gzipped_size(page.read_bytes())
        if size > budget:
            over[rel] = f"{size / 1024:.1f} KB gzipped, budget {budget // 1024} KB"
    assert over == {}
