"""Fixtures for tests of the built site: one strict build per test session."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from _browser import (
    INSTALL_HINT,
    Inspector,
    chromium_flags,
    find_chromium,
    new_context,
    site_pages,
    watch,
)
from _serve import serve
from _site import ROOT, load_mkdocs_config, mkdocs_build


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site, built once with ``mkdocs build --strict`` into a temporary directory.

    ``GLASSNET_SITE=DIR`` tests a site built beforehand instead (a shortcut while working on
    the tests themselves; ``make test`` always builds).
    """
    if os.environ.get("GLASSNET_SITE"):
        return Path(os.environ["GLASSNET_SITE"])
    out = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(ROOT / "mkdocs.yml", out)
    assert proc.returncode == 0, f"strict build failed:\n{proc.stdout}\n{proc.stderr}"
    return out


@pytest.fixture(scope="session")
def mkdocs_config() -> dict:
    return load_mkdocs_config()


@pytest.fixture(scope="session")
def served(site, mkdocs_config):
    """The built site on a free port of 127.0.0.1, under the path of ``site_url``, gzipped."""
    prefix = urlsplit(mkdocs_config.get("site_url") or "/").path or "/"
    with serve(site, prefix) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (the system's), one per session; fails loudly when none is found."""
    if os.environ.get("GLASSNET_SKIP_BROWSER") == "1":
        pytest.skip("browser tests skipped on request (GLASSNET_SKIP_BROWSER=1)")
    executable = find_chromium()
    if executable is None or not os.path.exists(executable):
        pytest.fail(INSTALL_HINT, pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: run `make test`, which installs the "
                    "test extras (`pip install -e '.[test]'`).", pytrace=False)
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, headless=True,
                                                  args=chromium_flags())
        except Exception as exc:  # a broken install: say what to do, not only what failed
            pytest.fail(f"Chromium at {executable} did not start ({exc}).\n{INSTALL_HINT}",
                        pytrace=False)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def page_reports(site, served, browser) -> dict:
    """Every page of the site opened once as a first visit, with what the tests check.

    Pages are shared among one worker per core (up to four): each worker is a thread with its
    own Playwright, Chromium and server, so the bytes each server counts belong to one page.
    """
    pages = site_pages(site)
    workers = max(1, min(4, os.cpu_count() or 1, len(pages)))
    with ThreadPoolExecutor(workers) as pool:
        parts = pool.map(lambda i: _inspect_all(site, served.prefix, pages[i::workers]),
                         range(workers))
        reports = {r.path: r for part in parts for r in part}
    return {path: reports[path] for path in pages}


def _inspect_all(site: Path, prefix: str, pages: list[str]) -> list:
    from playwright.sync_api import sync_playwright

    with serve(site, prefix) as server, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=find_chromium(), headless=True,
                                              args=chromium_flags())
        inspector = Inspector(chromium, server)
        try:
            return [inspector.inspect(path) for path in pages]
        finally:
            inspector.close()
            chromium.close()


@pytest.fixture
def tab(browser, served):
    """A fresh desktop tab (own cache and storage), its events recorded in ``tab.report``."""
    context = new_context(browser, served)
    page = context.new_page()
    page.report = type("Events", (), {})()
    for name in ("console_errors", "failed_requests", "outside_requests", "requests"):
        setattr(page.report, name, [])
    watch(page, served.origin, lambda: page.report)
    yield page
    context.close()
