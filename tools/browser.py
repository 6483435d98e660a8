"""Debian's chromium through async Playwright, and what a page of the site weighs on load.

Usage: python -m tools.browser [SITE]      (prints the page weights as JSON; `make bench` runs it)

The tests' browser audit and `make bench` both measure a page's weight here, on the site served
the way GitHub Pages serves it (`tools.site`): the bytes on the wire (gzip for text) and raw.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from tools.site import SITE, serving
from tools.toc import toc_files

CHROMIUM = "/usr/bin/chromium"
# flags for a closed network: without them chromium keeps trying to reach Google's hosts
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: how many pages the audit keeps open at once: enough to overlap the waits on two cores
POOL = 3
DESKTOP = {"width": 1280, "height": 900}
#: pages that are not in the table of contents but every site has
EXTRA_PAGES = ["search.html", "genindex.html", "404.html"]


def site_pages() -> list[str]:
    """Every page of the site a reader can reach: the table of contents, then search, index and 404."""
    return [f"{name}.html" for name in toc_files()] + EXTRA_PAGES


def missing_chromium() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)"
    return None


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator:
    """One headless chromium for the whole run."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def settle(page) -> None:
    """Wait for the network to go quiet and MathJax (which typesets asynchronously) to finish."""
    await page.wait_for_load_state("networkidle")
    await page.wait_for_function("() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)")
    await page.evaluate("() => window.MathJax && MathJax.startup.promise")
    await page.wait_for_load_state("networkidle")


async def weight(finished: list) -> dict:
    """Requests, bytes on the wire and raw bytes of the finished requests a page made."""

    async def sizes(request) -> tuple[int, int]:
        response = await request.response()
        if response is None:
            return 0, 0
        return (await request.sizes())["responseBodySize"], len(await response.body())

    # asked all at once: one at a time, a chapter's ~100 requests cost seconds of round trips
    measured = await asyncio.gather(*(sizes(request) for request in finished))
    return {
        "requests": len(finished),
        "gzip_bytes": sum(wire for wire, _ in measured),
        "raw_bytes": sum(raw for _, raw in measured),
    }


async def kept_tab(browser, **options):
    """A page in a context of its own (`options`: Playwright's context options) whose HTTP cache is off, for
    opening pages one after another: each loads as on a first visit (its weight is the whole page's), and
    each after the first reuses the tab's renderer (starting one costs about a second of CPU here, as
    much as a small page itself)."""
    context = await browser.new_context(**{"viewport": DESKTOP, **options})
    page = await context.new_page()
    await (await context.new_cdp_session(page)).send("Network.setCacheDisabled", {"cacheDisabled": True})
    return page


async def _blank(page) -> None:
    """The tab as `kept_tab` made it, for the next page: nothing a page stored, at the desktop size, light."""
    if page.url.startswith("http"):
        await page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    await page.goto("about:blank")
    await page.set_viewport_size(DESKTOP)
    await page.emulate_media(color_scheme="light")


async def each_page(browser, paths: list[str], visit: Callable[..., Awaitable[dict]], pool: int = POOL,
                    errors: bool = False, **options) -> dict:  # fmt: skip
    """`visit(page, path)` for every path, in `pool` kept tabs (`kept_tab(browser, **options)`); results by path,
    in order. A visit that raises leaves a new tab for the next; with `errors`, its result is `{"error": ...}`
    (one page's trouble is that page's), else the exception."""
    tabs = asyncio.Queue()
    for _ in range(pool):
        tabs.put_nowait(await kept_tab(browser, **options))

    async def one(path):
        page = await tabs.get()
        try:
            result = await visit(page, path)
            await _blank(page)
            return result
        except Exception as error:
            await page.context.close()
            page = await kept_tab(browser, **options)
            if not errors:
                raise
            return {"error": f"{type(error).__name__}: {error}"}
        finally:
            tabs.put_nowait(page)

    return dict(zip(paths, await asyncio.gather(*(one(p) for p in paths)), strict=True))


async def page_weights(site: Path = SITE) -> list[dict]:
    """What loading each page fetches, on the wire (gzip) and raw."""
    with serving(site) as host:

        async def visit(page, path):
            finished = []

            def listener(request):  # a function of its own: Playwright marks it to remove it later
                finished.append(request)

            page.on("requestfinished", listener)
            await page.goto(host + path)
            await settle(page)
            page.remove_listener("requestfinished", listener)
            return {"page": path, **await weight(finished)}

        async with chromium() as browser:
            return list((await each_page(browser, site_pages(), visit)).values())


def main(argv: list[str]) -> int:
    problem = missing_chromium()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    print(json.dumps(asyncio.run(page_weights(Path(argv[0]) if argv else SITE))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
