"""How fast a static explorer answers a slider on the real site, and what the pages transfer.

Usage: .venv/bin/python -m bench.latency [--site _build/html] [--baseline-site DIR] [--json OUT]

Headless Debian chromium loads chapter 1 from a local server with a 100 ms round trip emulated
through the DevTools protocol (and again with the bandwidth throttled as well), scrolls its first
explorer into view, waits 2 s, then presses arrow keys that each show a grid point not shown
before (the first pass). Each move is timed from the input event to the new picture decoded and
the next animation frame painted. It then records, for every chapter, the bytes transferred on
load, after every explorer was scrolled into view without touching it (a reader reading on),
and after each one's first slider was focused.

Designs compared in one table: the site as built ("fetched ahead"), the same site with its
fetching ahead switched off (`window.nudgeOnDemand`, each frame fetched when first shown: the
design before), and any `--baseline-site` (e.g. a build of an older commit) as it is.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import statistics
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from tools.toc import toc_files

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FIRST_CHAPTER = "chapters/01_intuition.html"
#: network profiles: round trip (ms) and download speed (bytes/s, -1: not throttled)
PROFILES = {"100 ms RTT": (100, -1), "100 ms RTT, 5 Mbit/s": (100, 5_000_000 // 8)}
MOVES = 16
IDLE_S = 2.0
# times each `input` event on the explorer's sliders until its picture is decoded and painted;
# added after the explorer's own listener, so it sees the `src` that listener set
TIMER = """() => {
  window.__moves = [];
  const figure = document.querySelector("figure.nudge-explorer");
  const img = figure.querySelector("img.nudge-frame");
  figure.querySelectorAll("input[type=range]").forEach(input => input.addEventListener("input", event => {
    const started = event.timeStamp;
    img.decode().catch(() => null).then(() => requestAnimationFrame(() => {
      window.__moves.push(performance.now() - started);
    }));
  }));
}"""

GRIDS = """() => {
  const figures = [...document.querySelectorAll("figure.nudge-explorer")];
  const sizes = figures.map(f => [...f.querySelectorAll("input[type=range]")].reduce((n, i) => n * (+i.max + 1), 1));
  return [figures.length, sizes.reduce((a, b) => a + b, 0)];
}"""


class _Host(http.server.SimpleHTTPRequestHandler):
    """The site as a static host sends it: text gzip-compressed when the browser asks (as GitHub Pages does)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        kind = self.guess_type(str(path))
        if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", "") or kind.startswith("image/"):
            return super().send_head()
        data = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        for name, value in (("Content-Type", kind), ("Content-Encoding", "gzip"), ("Content-Length", len(data))):
            self.send_header(name, str(value))
        self.end_headers()
        return io.BytesIO(data)


@contextmanager
def serve(site: Path):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Host, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


class Tab:
    """A fresh browser context and page, its network shaped and its transfers counted (DevTools)."""

    def __init__(self, browser, *, on_demand: bool, profile: tuple[int, int] | None):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        if on_demand:
            self.context.add_init_script("window.nudgeOnDemand = true")
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        if profile:
            latency, throughput = profile
            conditions = {"offline": False, "latency": latency, "downloadThroughput": throughput}
            self.cdp.send("Network.emulateNetworkConditions", {**conditions, "uploadThroughput": -1})
        self.bytes = 0
        self.frame_bytes = 0
        self.images: set[str] = set()
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)

    def _response(self, event):
        if event["response"].get("mimeType", "").startswith("image/"):
            self.images.add(event["requestId"])

    def _finished(self, event):
        self.bytes += event["encodedDataLength"]
        if event["requestId"] in self.images:
            self.frame_bytes += event["encodedDataLength"]

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")

    def close(self) -> None:
        self.context.close()


def first_pass_keys(shape: tuple[int, ...], start: list[int], count: int) -> list[tuple[int, str]]:
    """(slider, key) presses that each reach a grid point not reached before, keeping direction when it can."""
    here, seen, keys, last = list(start), {tuple(start)}, [], (0, 1)
    moves = [(s, d) for s in range(len(shape)) for d in (1, -1)]
    for _ in range(count):
        for slider, step in [last] + [m for m in moves if m != last]:
            there = list(here)
            there[slider] += step
            if 0 <= there[slider] < shape[slider] and tuple(there) not in seen:
                keys.append((slider, "ArrowRight" if step > 0 else "ArrowLeft"))
                here, last = there, (slider, step)
                seen.add(tuple(here))
                break
        else:
            break
    return keys


def latency(browser, url: str, *, on_demand: bool, profile) -> dict:
    tab = Tab(browser, on_demand=on_demand, profile=profile)
    try:
        tab.open(url)
        figure = tab.page.locator("figure.nudge-explorer").first
        figure.scroll_into_view_if_needed()
        tab.page.wait_for_timeout(IDLE_S * 1000)
        tab.page.evaluate(TIMER)
        sliders = figure.locator("input[type=range]")
        start = [int(sliders.nth(i).input_value()) for i in range(sliders.count())]
        shape = [int(sliders.nth(i).get_attribute("max")) + 1 for i in range(sliders.count())]
        for n, (slider, key) in enumerate(first_pass_keys(shape, start, MOVES), start=1):
            sliders.nth(slider).focus()
            tab.page.keyboard.press(key)
            tab.page.wait_for_function(f"window.__moves.length >= {n}", timeout=30_000)
        times = sorted(tab.page.evaluate("window.__moves"))
        return {
            "moves": len(times),
            "median_ms": statistics.median(times),
            "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
            "max_ms": times[-1],
        }
    finally:
        tab.close()


def settle(tab: Tab) -> None:
    """Wait until nothing more has arrived for 2 s.

    Frames are fetched a few at a time, each decoded before the next is asked for: the network
    may rest between them, longer than `networkidle` waits.
    """
    seen = -1
    while seen != tab.bytes:
        seen = tab.bytes
        tab.page.wait_for_timeout(2000)
        tab.page.wait_for_load_state("networkidle")


def weights(browser, url: str, *, on_demand: bool) -> dict:
    """Bytes on load, after scrolling past every explorer untouched, then after touching each."""
    tab = Tab(browser, on_demand=on_demand, profile=None)
    try:
        tab.open(url)
        out = {"load_bytes": tab.bytes, "load_frame_bytes": tab.frame_bytes}
        # explorers and their grid points, from the sliders (the same in every design)
        out["explorers"], out["frames"] = tab.page.evaluate(GRIDS)
        figures = tab.page.locator("figure.nudge-explorer")
        for i in range(figures.count()):  # a reader scrolling through the page, reading
            figures.nth(i).scroll_into_view_if_needed()
            settle(tab)
        out.update(scrolled_bytes=tab.bytes, scrolled_frame_bytes=tab.frame_bytes)
        for i in range(figures.count()):
            figures.nth(i).scroll_into_view_if_needed()
            figures.nth(i).locator("input[type=range]").first.focus()
        settle(tab)
        return {**out, "visited_bytes": tab.bytes, "visited_frame_bytes": tab.frame_bytes}
    finally:
        tab.close()


def measure(designs: list[tuple[str, Path, bool]]) -> dict:
    from playwright.sync_api import sync_playwright

    chapters = [f"{name}.html" for name in toc_files(ROOT / "_toc.yml") if name.startswith("chapters/")]
    results = {"latency": [], "pages": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for label, site, on_demand in designs:
                with serve(site) as host:
                    for profile_name, profile in PROFILES.items():
                        row = latency(browser, host + FIRST_CHAPTER, on_demand=on_demand, profile=profile)
                        results["latency"].append({"design": label, "network": profile_name, **row})
                        print(f"  {label}, {profile_name}: median {row['median_ms']:.1f} ms", file=sys.stderr)
                    for page in chapters:
                        if not (site / page).is_file():
                            continue
                        row = weights(browser, host + page, on_demand=on_demand)
                        results["pages"].append({"design": label, "page": page, **row})
        finally:
            browser.close()
    return results


def print_tables(results: dict) -> None:
    print(f"\n== explorer latency, chapter 1's first explorer, first pass ({MOVES} moves, input -> painted) ==")
    print(f"{'design':<44}{'network':<24}{'median ms':>10}{'p95 ms':>8}{'max ms':>8}")
    for r in results["latency"]:
        print(f"{r['design']:<44}{r['network']:<24}{r['median_ms']:>10.1f}{r['p95_ms']:>8.1f}{r['max_ms']:>8.1f}")
    print(
        "\n== bytes per chapter (MB; frames in brackets): on load / after scrolling past every explorer"
        " untouched / after touching each =="
    )
    columns = ("on load", "scrolled past", "all touched")
    print(f"{'design':<44}{'page':<36}{'explorers':>10}{'frames':>7}" + "".join(f"{c:>16}" for c in columns))
    for r in results["pages"]:
        cells = "".join(
            f"{r[f'{k}_bytes'] / 1e6:.2f} ({r[f'{k}_frame_bytes'] / 1e6:.2f})".rjust(16)
            for k in ("load", "scrolled", "visited")
        )
        print(f"{r['design']:<44}{r['page']:<36}{r['explorers']:>10}{r['frames']:>7}{cells}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html", help="the built site (make book)")
    parser.add_argument("--baseline-site", type=Path, help="another build to compare, e.g. of an older commit")
    parser.add_argument("--baseline-label", default="baseline site (--baseline-site)", help="its name in the table")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    for site in (args.site, args.baseline_site):
        if site is not None and not (site / FIRST_CHAPTER).is_file():
            print(f"latency: no built site at {site} (expected {FIRST_CHAPTER}; run `make book`)", file=sys.stderr)
            return 2
    designs = [("fetched ahead (this build)", args.site, False), ("on demand (this build, switch)", args.site, True)]
    if args.baseline_site:
        designs.append((args.baseline_label, args.baseline_site, False))
    results = measure(designs)
    print_tables(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
