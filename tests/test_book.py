"""The real Jupyter Book build (made by `make book`, which `make test` runs first)."""

from __future__ import annotations

import math
import re
import subprocess
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import ROOT
from nudge.frames import FRAME_SUFFIX, FRAMES_URL_DIR, read_manifests
from pages import chapter_notebooks, html_pages
from tools.prune_frames import prune

pytestmark = pytest.mark.book


def resources(html_text: str) -> list[str]:
    """Every script, stylesheet, image and iframe address a page asks the browser to load."""
    soup = BeautifulSoup(html_text, "html.parser")
    urls = [tag["src"] for tag in soup.find_all(["script", "img", "iframe"], src=True)]
    loaded = {"stylesheet", "preload", "icon", "modulepreload"}
    return urls + [tag["href"] for tag in soup.find_all("link", href=True) if loaded & set(tag.get("rel", []))]


# ipykernel 7 logs this at every kernel start when the kernel talks to its client over loopback
# TCP (how Jupyter Book runs notebooks); it is about the kernel's transport, not about the book
KERNEL_TRANSPORT_NOTICE = "[IPKernelApp] WARNING | Kernel is running over TCP without encryption."


def test_build_log_has_no_warnings_or_errors(site):
    log = (ROOT / "_build" / "book.log").read_text()
    assert "build succeeded" in log and "finished with problems" not in log
    problems = [
        line
        for line in log.splitlines()
        if re.search(r"WARNING|ERROR|CRITICAL|Traceback", line) and not line.startswith(KERNEL_TRANSPORT_NOTICE)
    ]
    assert not problems


def test_every_toc_page_was_built(site):
    missing = [page for page in html_pages() if not (site / page).is_file()]
    assert not missing


@pytest.mark.parametrize("page", html_pages())
def test_pages_load_nothing_from_another_host(site, page):
    urls = resources((site / page).read_text())
    remote = [url for url in urls if urlparse(url).scheme in ("http", "https") or url.startswith("//")]
    assert not remote
    # and every local resource exists in the site
    base = (site / page).parent
    missing = [u for u in urls if not u.startswith("data:") and not (base / u.split("#")[0].split("?")[0]).exists()]
    assert not missing


def test_mathjax_is_served_from_the_site(site):
    assert (site / "vendor" / "mathjax" / "tex-chtml.js").is_file()
    assert not list((site / "_static").glob("**/mathjax*"))  # not in _static/, which every page loads


@pytest.mark.parametrize("notebook", chapter_notebooks(), ids=lambda p: p.stem)
def test_every_explorer_has_all_its_frames_in_the_site(site, notebook):
    page = site / notebook.relative_to(ROOT).with_suffix(".html")
    manifests = read_manifests(page.read_text())
    assert manifests, f"{page.name} has no explorer"
    for manifest in manifests:
        assert len(manifest.frames) == len(manifest.frames_2x) == math.prod(manifest.shape), manifest.id
        files = manifest.files(page)
        assert len(files) >= 2 and all(f.is_file() for f in files), manifest.id
        # every frame comes in two sizes, the second twice the first in each direction
        (width, height) = Image.open(page.parent / manifest.frames[-1]).size
        size_2x = Image.open(page.parent / manifest.frames_2x[-1]).size
        assert size_2x == (2 * width, 2 * height), manifest.id


def test_pruning_keeps_the_frames_pages_use_and_removes_the_rest(site):
    folder = site / FRAMES_URL_DIR
    stale = folder / ("0" * 16 + FRAME_SUFFIX)
    stale.write_bytes(b"left by an older build")
    kept, removed = prune(site)
    assert removed == 1 and not stale.exists()
    used = {f for page in site.rglob("*.html") for m in read_manifests(page.read_text()) for f in m.files(page)}
    assert kept == len(used) and all(f.is_file() for f in used)


def test_no_third_party_code_is_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    vendored = [p for p in tracked if re.search(r"(^|/)(node_modules|vendor)/|mathjax|\.min\.js$", p, re.I)]
    assert not vendored
    # our own scripts are small and readable; a minified or bundled file is someone else's
    for path in (p for p in tracked if p.endswith((".js", ".css"))):
        text = (ROOT / path).read_text()
        assert len(text) < 30_000 and max(map(len, text.splitlines())) < 300, path
