"""Shared fixtures: the built site, served on loopback like GitHub Pages, and Debian's chromium.

The pages are audited concurrently in one browser (`audit`, `tests/audit.py`); the few tests
that click through a page (launch menu, 404) get a page of their own from `visit`.
"""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

import pytest
from hypothesis import settings

from tools.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, missing_chromium
from tools.site import SITE, serving

ROOT = Path(__file__).resolve().parent.parent

# the same generated examples on every run: a property test either passes or names its example,
# and CI can't meet a never-seen case (one once sent sympy into an endless expansion)
settings.register_profile("nudge", derandomize=True, print_blob=True)
settings.load_profile("nudge")


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail("no built site in _build/html: run `make book` first (`make test` does)")
    return SITE


@pytest.fixture(scope="session")
def host(site):
    """The site at http://127.0.0.1:<port>/nudge/ (the prefix from `html.baseurl`)."""
    with serving(site) as url:
        yield url


def run_async(coroutine):
    """Run a coroutine to the end in a thread of its own, away from the sync Playwright's loop."""
    outcome = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


#: test files run by one test process together under `pytest -n --dist loadfile`: those that read the graded
#: class, which one process grades while another, given the other file, would wait for it
GROUPED = {"test_autograde.py": "graded_class", "test_instructors_workflow.py": "graded_class"}


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile`, a file's tests to one process, with the files `GROUPED` names as one file.

    (xdist's own grouping, `--dist loadgroup`, groups nothing under pytest 9.2: pytest-xdist#1386.)"""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class Grouped(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return GROUPED.get(scope.rsplit("/", 1)[-1], scope)

    return Grouped(config, log)


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory) -> dict:
    """Chapter 1's simulated class, graded by instructors.md's blocks in a fresh clone (`graded_class.py`):
    once per run, shared by the test processes (`pytest -n`; their temporary folders share a parent)."""
    import graded_class

    if "PYTEST_XDIST_WORKER" in os.environ:
        return graded_class.share(tmp_path_factory.getbasetemp().parent / "graded-class")
    return graded_class.share(tmp_path_factory.mktemp("graded-class"))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    problem = missing_chromium()
    if problem:
        pytest.fail(problem)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Tab:
    """The page a test process opens the site's pages in, one test after another, with the HTTP cache off (each
    page loads as on a first visit). Starting a page's renderer costs about a second of CPU here, as much as the
    page itself: a context per test made it the largest part of these tests' time."""

    def __init__(self, browser):
        self.browser, self._page = browser, None

    def page(self):
        if self._page is None or self._page.is_closed():
            context = self.browser.new_context(viewport=DESKTOP)
            self._page = context.new_page()
            context.new_cdp_session(self._page).send("Network.setCacheDisabled", {"cacheDisabled": True})
        return self._page

    def reset(self) -> None:
        """As `page()` made it for the next test: nothing the reader stored, at a blank page; else a new one."""
        try:
            if self._page.url.startswith("http"):
                self._page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
            self._page.goto("about:blank")
        except Exception:  # a test left it unusable: the next one gets a new tab
            self._page.context.close()
            self._page = None


@pytest.fixture(scope="session")
def tab(browser):
    shared = Tab(browser)
    yield shared
    if shared._page is not None:
        shared._page.context.close()


@pytest.fixture
def visit(browser, host, tab):
    """Open a page of the site: the test's first in the shared tab (`Tab`), any other in a fresh context of its
    own; records errors and every request while the test runs."""
    contexts, listened = [], []

    def open_(path, *, viewport=None, color_scheme="light"):
        if listened:
            context = browser.new_context(viewport=viewport or DESKTOP, color_scheme=color_scheme)
            contexts.append(context)
            page = context.new_page()
        else:
            page = tab.page()
            page.set_viewport_size(viewport or DESKTOP)
            page.emulate_media(color_scheme=color_scheme)
        page.console_errors, page.requests, page.failed = [], [], []
        listeners = {
            "console": lambda msg: msg.type == "error" and page.console_errors.append(msg.text),
            "pageerror": lambda exc: page.console_errors.append(str(exc)),
            "request": lambda request: page.requests.append(request),
            "requestfailed": lambda request: page.failed.append(request.url),
        }
        for event, listener in listeners.items():
            page.on(event, listener)
        listened.append((page, listeners))
        page.response = page.goto(host + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_function("() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)")
        page.evaluate("() => window.MathJax && MathJax.startup.promise")
        return page

    yield open_
    for page, listeners in listened:
        for event, listener in listeners.items():
            page.remove_listener(event, listener)
    if listened:
        tab.reset()
    for context in contexts:
        context.close()
