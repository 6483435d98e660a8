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


@pytest.fixture
def visit(browser, host):
    """Open a page of the site in a fresh browser context; records errors and every request."""
    contexts = []

    def open_(path, *, viewport=None, color_scheme="light"):
        context = browser.new_context(viewport=viewport or DESKTOP, color_scheme=color_scheme)
        contexts.append(context)
        page = context.new_page()
        page.console_errors, page.requests, page.failed = [], [], []
        page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
        page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
        page.on("request", lambda request: page.requests.append(request))
        page.on("requestfailed", lambda request: page.failed.append(request.url))
        page.response = page.goto(host + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_function("() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)")
        page.evaluate("() => window.MathJax && MathJax.startup.promise")
        return page

    yield open_
    for context in contexts:
        context.close()
