"""The published site as readers meet it: links, launch buttons, live code, the 404 page.

The site is served the way GitHub Pages serves it (`tools/site.py`): under the path of
`html.baseurl` (e.g. `/nudge/`), gzip-compressed for text files, and with `404.html` for any
missing address. `tests/test_browser.py` audits every page in the browser (math, console errors,
outside requests, keyboard-driven explorers, weight, accessibility in light and dark mode, a
phone's screen); this module adds the rest. HTML is read with BeautifulSoup.
"""

from __future__ import annotations

import functools
import json
import os
import re
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlparse

import nbformat
import pytest
from bs4 import BeautifulSoup

from audit import offsite
from conftest import ROOT
from nudge_site import LITE_GUARD, LITE_NOTE, LITE_OFFLINE_URL, finish_lite_build, lite_command, lite_notebook
from nudge_solutions import visible_checks, worked_solution
from pages import launch_links
from tools.browser import site_pages
from tools.site import CONFIG, PREFIX
from tools.toc import toc_files

PAGES = site_pages()
NOTEBOOK_PAGES = [f"{name}.html" for name in toc_files() if (ROOT / f"{name}.ipynb").is_file()]


def requested_offsite(page, host) -> list[str]:
    return offsite([r.url for r in page.requests], host)


# --- links and anchors (read from the files) -----------------------------------------------


class Anchors:
    """Every `<a href>` of a page, and every id (or `<a name>`) a link can point at."""

    def __init__(self, page: BeautifulSoup):
        self.hrefs = [a["href"] for a in page.find_all("a", href=True)]
        self.ids = {tag["id"] for tag in page.find_all(id=True)}
        self.ids |= {a["name"] for a in page.find_all("a", attrs={"name": True})}


@functools.cache
def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(), "html.parser")


@functools.cache
def parsed(path: Path) -> Anchors:
    return Anchors(soup(path))


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


@pytest.mark.book
@pytest.mark.parametrize("path", NOTEBOOK_PAGES)
def test_notebook_pages_launch_binder_colab_jupyterlite_and_download(site, path):
    notebook = path.removesuffix(".html") + ".ipynb"
    repo = CONFIG["repository"]
    org_repo = urlparse(repo["url"]).path.strip("/")
    links = launch_links(site / path)
    assert links, f"{path} has no launch menu"
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
    downloads = [a["href"] for a in soup(site / path).find_all("a", href=True) if a["href"].endswith(notebook)]
    assert any(re.fullmatch(rf"[./]*_sources/{re.escape(notebook)}", href) for href in downloads), downloads
    assert (site / "_sources" / notebook).is_file()


@pytest.mark.browser
@pytest.mark.parametrize("path", NOTEBOOK_PAGES[:1])
def test_opening_the_launch_menu_loads_nothing_from_another_host(visit, host, path):
    page = visit(path)
    page.locator(".dropdown-launch-buttons button.dropdown-toggle").click()
    page.locator(".dropdown-launch-buttons .dropdown-menu").wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    assert not requested_offsite(page, host) and not page.console_errors


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


def test_a_failing_jupyterlite_build_fails_the_book_with_its_output(tmp_path):
    """The real `jupyter lite build`, run beside Sphinx as the build runs it, with nowhere to write."""
    import subprocess
    from types import SimpleNamespace

    from sphinx.errors import ExtensionError

    import nudge_site

    lite_dir = tmp_path / "lite"
    (lite_dir / "contents").mkdir(parents=True)
    (tmp_path / "html").write_text("a file where the site's folder should be")
    config = SimpleNamespace(jupyterlite_content_dir=str(lite_dir / "contents"), jupyterlite_dir=str(lite_dir))
    app = SimpleNamespace(srcdir=str(tmp_path), outdir=str(tmp_path / "html"), config=config)
    log = tmp_path / "build.log"
    with open(log, "w") as out:
        process = subprocess.Popen(lite_command(app), cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)
    nudge_site._LITE_BUILDS[id(app)] = (process, log)
    with pytest.raises(ExtensionError, match=r"jupyter lite build` failed \(exit code [1-9]") as failed:
        finish_lite_build(app, None)
    assert "NotADirectoryError" in str(failed.value)  # its own words, not only an exit code
    assert id(app) not in nudge_site._LITE_BUILDS


def test_lite_notebook_says_it_needs_the_internet_and_swaps_the_colab_guard_for_the_sites_wheel(tmp_path):
    guard = 'try:\n    import nudge\nexcept ImportError:\n    %pip install --quiet "nudge @ git+https://github.com/x/y"'
    title = "# title\nSee [chapter 2](02_polynomials.ipynb)."
    cells = [nbformat.v4.new_markdown_cell(title), nbformat.v4.new_code_cell(guard), nbformat.v4.new_code_cell("1")]
    path = tmp_path / "a.ipynb"
    path.write_text(nbformat.writes(nbformat.v4.new_notebook(cells=cells)))
    swapped = nbformat.reads(lite_notebook(path), as_version=4)
    assert [c.source for c in swapped.cells] == [LITE_NOTE, title, LITE_GUARD, "1"]
    assert "internet" in LITE_NOTE and "internet" in LITE_GUARD
    # a notebook without the guard gets one in front
    path.write_text(nbformat.writes(nbformat.v4.new_notebook(cells=cells[2:])))
    assert [c.source for c in nbformat.reads(lite_notebook(path), as_version=4).cells] == [LITE_NOTE, LITE_GUARD, "1"]


@pytest.mark.browser
def test_jupyterlite_says_when_python_cannot_be_downloaded(visit, browser, host, site):
    """Offline (every other host refused), the notebook page says why Python doesn't start, within seconds."""
    lite_enabled()
    assert (site / "lite" / LITE_OFFLINE_URL).is_file()
    page = visit("chapters/01_intuition.html")
    link = page.locator(".dropdown-launch-buttons a", has_text="JupyterLite")
    # the tooltip's text (Bootstrap moves `title` aside once it has made the tooltip)
    assert "internet" in link.evaluate("a => a.title || a.getAttribute('data-bs-original-title')")
    context = browser.new_context()  # a context of its own, offline: not the shared tab's
    try:
        context.route(re.compile(r"^(?!" + re.escape(host) + ").*"), lambda route: route.abort("internetdisconnected"))
        lite = context.new_page()
        lite.goto(urljoin(host + "chapters/01_intuition.html", link.get_attribute("href")))
        alert = lite.locator("#nudge-lite-offline[role=alert]")
        alert.wait_for(timeout=30_000)
        assert "can't start" in alert.inner_text() and "offline" in alert.inner_text()
        help_link = alert.get_by_role("link")
        assert help_link.get_attribute("href") == urljoin(host, "how-to-use.html#run-the-code")
    finally:
        context.close()


# --- solutions pages -----------------------------------------------------------------------


def test_a_solution_cell_reads_as_a_worked_solution():
    source = "x = ...  # by hand\n### BEGIN SOLUTION\nx = 6.01\nprint(x)\n### END SOLUTION"
    assert worked_solution(source) == "x = 6.01\nprint(x)"
    function = 'def f(x):\n    """Doc."""\n    ...\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION'
    assert worked_solution(function) == 'def f(x):\n    """Doc."""\n    return x'
    assert worked_solution("x = ...") == "x = ..."  # no solution region: left as it is
    checks = 'check("k")\n\n\n### BEGIN HIDDEN TESTS\ncheck_close("k", 6.01, hidden=True)\n### END HIDDEN TESTS'
    assert visible_checks(checks) == 'check("k")'


@pytest.mark.book
@pytest.mark.parametrize("path", [p for p in PAGES if p.startswith("solutions/")])
def test_solutions_pages_fold_each_solution_and_show_no_hidden_tests(site, path):
    page = soup(site / path)
    article = page.select_one("article")
    assert not re.search(r"### (BEGIN|END) |hidden=True", article.get_text()), "nbgrader's markers or hidden tests"
    folded = article.select("details.hide")
    assert all("Show the solution" in d.summary.get_text() for d in folded)
    # every answer cell is folded, and every written answer
    notebook = nbformat.read(ROOT / path.replace(".html", ".ipynb"), as_version=4)
    solutions = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("solution")]
    written = article.select("details.sd-dropdown")
    assert len(folded) + len(written) == len(solutions) > 0


# --- search -----------------------------------------------------------------------------------


def search(visit, query, **options):
    page = visit(f"search.html?q={query.replace(' ', '+')}", **options)
    page.locator("#search-results p.search-summary").wait_for()
    return page


@pytest.mark.browser
def test_search_ranks_the_chapter_titled_by_the_query_first(visit):
    page = search(visit, "chain rule")
    first = page.locator("#search-results ul.search > li").first
    assert first.locator("a").first.get_attribute("href").endswith("chapters/05_chain_rule.html")


@pytest.mark.browser
@pytest.mark.parametrize("query", ["chain rule", "derivative", "gradient"])
def test_search_snippets_show_the_pages_text(visit, query):
    page = search(visit, query)
    page.wait_for_function("() => document.querySelectorAll('#search-results p.context').length > 0")
    snippets = [" ".join(t.split()) for t in page.locator("#search-results p.context").all_inner_texts()]
    # not the print-only title and contents, nor the download menu's file types
    bad = [t for t in snippets if re.search(r"\bContents\b|\.pdf|\.ipynb", t)]
    assert snippets and not bad, bad


@pytest.mark.browser
def test_one_search_box_at_desktop_width_and_the_magnifier_clears_the_text(visit):
    page = visit("chapters/05_chain_rule.html", viewport={"width": 1440, "height": 900})
    boxes = page.locator(".search-button-field:visible, input[type=search]:visible")
    assert boxes.count() == 1, [boxes.nth(i).evaluate("e => e.outerHTML.slice(0, 80)") for i in range(boxes.count())]
    page.keyboard.press("Control+k")
    field = page.locator("#pst-search-dialog input[type=search]")
    field.wait_for()
    field.fill("chain")
    icon = page.locator("#pst-search-dialog .fa-magnifying-glass").bounding_box()
    # where the first letter starts: the field's left edge plus its padding
    text_left = field.evaluate("el => el.getBoundingClientRect().left + parseFloat(getComputedStyle(el).paddingLeft)")
    assert icon["x"] + icon["width"] <= text_left, (icon, text_left)


# --- pages outside the table of contents ---------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("missing", ["nope.html", "chapters/nope.html", "chapters/a/b/c/nope.html", "a/b/"])
def test_404_page_works_at_any_depth(visit, host, missing):
    page = visit(missing)
    assert page.response.status == 404
    assert page.locator("article h1").inner_text() == "Page not found"
    # its styles, scripts and logo loaded from the site's root, not from the missing folder
    broken = [r.url for r in page.requests if r.response() and r.response().status >= 400 and r.url != host + missing]
    assert not broken and not page.failed and not requested_offsite(page, host)
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
