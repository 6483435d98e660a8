"""The published site as readers meet it: links, launch buttons, live code, 404, weight (a11y: test_site_a11y.py).

The site is served the way GitHub Pages serves it: under the path of `html.baseurl` (e.g.
`/nudge/`), gzip-compressed for text files, and with `404.html` for any missing address.
`tests/test_browser.py` already checks every page of the table of contents for typeset math,
console errors, outside requests and keyboard-driven explorers; this module adds the rest.
"""

from __future__ import annotations

import functools
import gzip
import html
import http.server
import json
import mimetypes
import os
import re
import sys
import threading
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlparse

import nbformat
import pytest
import test_browser
import yaml

from conftest import ROOT, SITE
from pages import html_pages, toc_files

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
#: the path GitHub Pages serves the site under, from `html.baseurl`
PREFIX = urlparse(CONFIG["html"]["baseurl"]).path.rstrip("/") + "/"
#: pages that are not in the table of contents but every site has
EXTRA_PAGES = ["search.html", "genindex.html", "404.html"]
PAGES = html_pages() + EXTRA_PAGES
NOTEBOOK_PAGES = [f"{name}.html" for name in toc_files() if (ROOT / f"{name}.ipynb").is_file()]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: most bytes a page may transfer on load, gzip-compressed as a real host sends them
BUDGET_BYTES = 2_500_000
PHONE = {"width": 390, "height": 844}
# text types a static host compresses; images and fonts are compressed already
COMPRESSIBLE = re.compile(r"^(text/|application/(javascript|json|xml)|image/svg)")


# --- a host like GitHub Pages ----------------------------------------------------------------


class PagesHost(http.server.BaseHTTPRequestHandler):
    """Serves `SITE` under `PREFIX`, gzip for text when asked, `404.html` (status 404) for the rest."""

    site: Path = SITE
    packed: dict = {}

    def log_message(self, *args):  # keep the test output readable
        pass

    def do_GET(self):
        path = unquote(urlparse(self.path).path)
        status, file = 404, self.site / "404.html"
        if path + "/" == PREFIX:
            self.send_response(301)
            self.send_header("Location", PREFIX)
            self.end_headers()
            return
        if path.startswith(PREFIX):
            target = (self.site / path[len(PREFIX) :]).resolve()
            if target.is_dir():
                target = target / "index.html"
            if target.is_file() and target.is_relative_to(self.site.resolve()):
                status, file = 200, target
        data = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        self.send_response(status)
        if COMPRESSIBLE.match(kind) and "gzip" in self.headers.get("Accept-Encoding", ""):
            if file not in self.packed:
                self.packed[file] = gzip.compress(data, 6)
            data = self.packed[file]
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def host(site):
    """The site at http://127.0.0.1:<port>/nudge/ (the prefix from `html.baseurl`)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PagesHost)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
    httpd.shutdown()


@pytest.fixture
def visit(browser, host):
    """Open a page of the site in a fresh browser context; records errors and every request."""
    contexts = []

    def open_(path, *, viewport=None, color_scheme="light"):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, color_scheme=color_scheme)
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


def offsite(page, host) -> list[str]:
    origin = "{0.scheme}://{0.netloc}/".format(urlparse(host))
    return [r.url for r in page.requests if not r.url.startswith((origin, "data:", "blob:"))]


# --- links and anchors (read from the files) -----------------------------------------------


class Anchors(HTMLParser):
    """Every `<a href>` of a page, and every id (or `<a name>`) a link can point at."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag == "a" and attrs.get("href") is not None:
            self.hrefs.append(attrs["href"])


@functools.cache
def parsed(path: Path) -> Anchors:
    parser = Anchors()
    parser.feed(path.read_text())
    return parser


@pytest.mark.book
@pytest.mark.parametrize("path", PAGES)
def test_every_internal_link_and_anchor_resolves(site, path):
    page = site / path
    broken = []
    for href in parsed(page).hrefs:
        url = urlparse(href)
        if url.scheme or href.startswith("//"):
            continue  # another site: not ours to check offline
        if url.path.startswith(PREFIX):  # the 404 page's links are absolute paths under the site's address
            target = (site / unquote(url.path[len(PREFIX) :])).resolve()
        else:
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file() or not target.is_relative_to(site.resolve()):
            broken.append(f"{href}: no file {target.relative_to(site.resolve().parent)}")
        elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in parsed(target).ids:
            broken.append(f"{href}: no id {url.fragment!r} in {target.name}")
    assert not broken, f"{path} has links to nowhere:\n" + "\n".join(broken)


# --- launch buttons and JupyterLite ---------------------------------------------------------


def launch_links(site, path) -> dict[str, str]:
    text = (site / path).read_text()
    menu = re.search(r'<div class="dropdown dropdown-launch-buttons">(.*?)</ul>', text, re.S)
    assert menu, f"{path} has no launch menu"
    links = re.findall(r'<a href="([^"]+)"[^>]*>.*?<span class="btn__text-container">([^<]+)</span>', menu[1], re.S)
    return {label.strip(): html.unescape(href) for href, label in links}


@pytest.mark.book
@pytest.mark.parametrize("path", NOTEBOOK_PAGES)
def test_notebook_pages_launch_binder_colab_jupyterlite_and_download(site, path):
    notebook = path.removesuffix(".html") + ".ipynb"
    repo = CONFIG["repository"]
    org_repo = urlparse(repo["url"]).path.strip("/")
    links = launch_links(site, path)
    assert links["Binder"] == f"https://mybinder.org/v2/gh/{org_repo}/{repo['branch']}?urlpath=lab/tree/{notebook}"
    assert links["Colab"] == f"https://colab.research.google.com/github/{org_repo}/blob/{repo['branch']}/{notebook}"
    hub = CONFIG["launch_buttons"].get("jupyterhub_url")
    if hub:  # nbgitpuller: clone the repository into the user's home, then open the notebook
        pull = urlparse(links["JupyterHub"])
        query = parse_qs(pull.query)
        assert pull.path.endswith("/hub/user-redirect/git-pull") and query["repo"] == [repo["url"]]
        assert query["urlpath"] == [f"lab/tree/{org_repo.split('/')[1]}/{notebook}"]
    else:
        assert "JupyterHub" not in links
    # the in-browser copy: a page-relative link into this site's lite folder
    lite = urlparse(links["JupyterLite (in your browser)"])
    app = (site / path).parent / lite.path
    assert app.resolve() == (site / "lite" / "notebooks" / "index.html").resolve() and app.is_file()
    assert (site / "lite" / "files" / parse_qs(lite.query)["path"][0]).is_file()
    # and the notebook itself, to download
    assert re.search(rf'href="[./]*_sources/{re.escape(notebook)}"', (site / path).read_text())
    assert (site / "_sources" / notebook).is_file()


@pytest.mark.browser
@pytest.mark.parametrize("path", NOTEBOOK_PAGES[:1])
def test_opening_the_launch_menu_loads_nothing_from_another_host(visit, host, path):
    page = visit(path)
    page.locator(".dropdown-launch-buttons button.dropdown-toggle").click()
    page.locator(".dropdown-launch-buttons .dropdown-menu").wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    assert not offsite(page, host) and not page.console_errors


def lite_enabled() -> bool:
    if os.environ.get("NUDGE_LITE") == "0":
        pytest.skip("the site was built without JupyterLite (NUDGE_LITE=0)")
    return True


@pytest.mark.book
def test_jupyterlite_has_every_notebook_and_serves_the_package(site):
    lite_enabled()
    lite = site / "lite"
    assert (lite / "notebooks" / "index.html").is_file(), "no JupyterLite in the site: `make book` builds it"
    for path in NOTEBOOK_PAGES:
        copy = nbformat.read(lite / "files" / path.replace(".html", ".ipynb"), as_version=4)
        sources = "\n".join(cell.source for cell in copy.cells if cell.cell_type == "code")
        # the guard installs from this site's wheel; a git URL can't be installed in the browser
        assert "%pip install --quiet nudge" in sources and "git+" not in sources, path
    # the in-browser pip (piplite) looks in this site's index first
    config = json.loads((lite / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert any(url.startswith("./pypi/all.json") for url in kernel["pipliteUrls"])
    assert "@jupyter/nbgrader" in config["disabledExtensions"]
    index = json.loads((lite / "pypi" / "all.json").read_text())
    (release,) = index["nudge"]["releases"].values()
    with zipfile.ZipFile(lite / "pypi" / release[0]["filename"]) as wheel:
        names = set(wheel.namelist())
        metadata = next(wheel.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    modules = {f"nudge/{p.relative_to(ROOT / 'nudge').as_posix()}" for p in (ROOT / "nudge").rglob("*.py")}
    assert modules <= names
    assert "Requires-Dist: numpy" in metadata and "Requires-Dist: ipywidgets" in metadata
    # source maps would triple the folder's size
    assert not list(lite.rglob("*.map"))


def test_lite_notebook_swaps_the_colab_guard_for_the_sites_wheel(tmp_path):
    sys.path.insert(0, str(ROOT / "_ext"))
    from nudge_site import LITE_GUARD, lite_notebook

    guard = 'try:\n    import nudge\nexcept ImportError:\n    %pip install --quiet "nudge @ git+https://github.com/x/y"'
    cells = [nbformat.v4.new_markdown_cell("# title"), nbformat.v4.new_code_cell(guard), nbformat.v4.new_code_cell("1")]
    path = tmp_path / "a.ipynb"
    path.write_text(nbformat.writes(nbformat.v4.new_notebook(cells=cells)))
    swapped = nbformat.reads(lite_notebook(path), as_version=4)
    assert [c.source for c in swapped.cells] == ["# title", LITE_GUARD, "1"]
    # a notebook without the guard gets one in front
    path.write_text(nbformat.writes(nbformat.v4.new_notebook(cells=cells[2:])))
    assert [c.source for c in nbformat.reads(lite_notebook(path), as_version=4).cells] == [LITE_GUARD, "1"]


# --- pages outside the table of contents ---------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("path", EXTRA_PAGES)
def test_search_and_index_pages_load_cleanly(visit, host, path):
    page = visit(path)
    assert page.response.status == 200
    assert not offsite(page, host) and not page.console_errors and not page.failed


@pytest.mark.browser
@pytest.mark.parametrize("missing", ["nope.html", "chapters/nope.html", "chapters/a/b/c/nope.html", "a/b/"])
def test_404_page_works_at_any_depth(visit, host, missing):
    page = visit(missing)
    assert page.response.status == 404
    assert page.locator("article h1").inner_text() == "Page not found"
    # its styles, scripts and logo loaded from the site's root, not from the missing folder
    broken = [r.url for r in page.requests if r.response() and r.response().status >= 400 and r.url != host + missing]
    assert not broken and not page.failed and not offsite(page, host)
    # chromium logs the page's own 404 status as an error; every other resource loaded (above)
    assert all("status of 404" in error for error in page.console_errors), page.console_errors
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
    home = page.get_by_role("link", name="the contents")
    home.click()
    page.wait_for_load_state()
    assert page.url == urljoin(host, "intro.html") and page.locator("article h1").count() == 1
    assert "404" not in page.title() and "not found" not in page.title().lower()


@pytest.mark.browser
def test_404_search_form_searches_the_book(visit, host):
    page = visit("chapters/x/y.html")
    page.get_by_label("Search the book").fill("derivative")
    page.locator("#page-not-found").get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(re.escape(urljoin(host, "search.html")) + r"\?q=derivative"))
    assert page.locator("#search-results").count() == 1


@pytest.mark.browser
@pytest.mark.parametrize("path", [p for p in PAGES if not p.startswith("chapters/")])
def test_explorers_outside_chapters_move_with_the_keyboard(page, server, site, path):
    # tests/test_browser.py drives the chapters' explorers; other pages (exercises) may have some
    if 'class="nudge-explorer"' not in (site / path).read_text():  # no browser needed to see that
        pytest.skip(f"{path} has no explorer")
    test_browser.test_every_explorer_moves_with_the_keyboard(page, server, path)


# --- weight -----------------------------------------------------------------------------------


def frames_of(site, path) -> list[int]:
    """Frame counts of a page's explorers, and the bytes of all its frames."""
    text = (site / path).read_text()
    counts, files = [], set()
    for data in re.findall(r'<figure class="nudge-explorer" id="[^"]+" data-nudge="([^"]*)"', text):
        frames = json.loads(html.unescape(data))["frames"]
        counts.append(len(frames))
        files.update(((site / path).parent / f).resolve() for f in frames)
    return counts, sum(f.stat().st_size for f in files if f.is_file())


@pytest.mark.browser
def test_every_page_loads_within_the_weight_budget(browser, host, site):
    """Bytes on the wire when a page loads (gzip, as a static host sends them), and raw.

    Writes the table to `_build/page-weights.json` and prints it.
    """
    rows = []
    for path in PAGES:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        finished = []
        page.on("requestfinished", lambda request, sink=finished: sink.append(request))
        page.goto(host + path)
        page.wait_for_load_state("networkidle")
        page.evaluate("() => window.MathJax && MathJax.startup.promise")
        page.wait_for_load_state("networkidle")
        wire = raw = 0
        for request in finished:
            response = request.response()
            if response is None:
                continue
            wire += request.sizes()["responseBodySize"]
            raw += len(response.body())
        counts, frame_bytes = frames_of(site, path)
        rows.append(
            {
                "page": path,
                "requests": len(finished),
                "gzip_bytes": wire,
                "raw_bytes": raw,
                "explorers": len(counts),
                "most_frames": max(counts, default=0),
                "all_frames_bytes": frame_bytes,
            }
        )
        context.close()
    (site.parent / "page-weights.json").write_text(json.dumps(rows, indent=1) + "\n")
    table = [f"{'page':<40}{'gzip MB':>9}{'raw MB':>8}{'req':>5}{'frames (max)':>14}{'all frames MB':>15}"]
    for r in rows:
        table.append(
            f"{r['page']:<40}{r['gzip_bytes'] / 1e6:>9.2f}{r['raw_bytes'] / 1e6:>8.2f}{r['requests']:>5}"
            f"{r['explorers']:>8} ({r['most_frames']:>3}){r['all_frames_bytes'] / 1e6:>15.2f}"
        )
    print("\npage weight on load\n" + "\n".join(table))
    heavy = [r["page"] for r in rows if r["gzip_bytes"] > BUDGET_BYTES]
    assert not heavy, f"pages over {BUDGET_BYTES / 1e6} MB on load: {heavy}\n" + "\n".join(table)
