"""Sphinx hooks for publishing the book: what a reader's browser loads, and where code can run.

- **Nothing from another host on page load.** Any stylesheet or script an extension adds
  with an absolute address (jupyterlite-sphinx adds a Google Fonts link) is left out, and
  the theme's icons come from its own CSS webfont instead of `fontawesome.js` (1.5 MB of
  JavaScript that draws the same icons; see `_ext/templates/static/webpack-macros.html`).
- **Live code, loaded only on a click.** With `NUDGE_LITE` not `0` (the default; `make book
  LITE=0` skips it), jupyterlite-sphinx builds a JupyterLite site into `_build/html/lite`
  holding every notebook of the table of contents, and the launch menu links to it. Python
  runs in the reader's browser (Pyodide); the page itself loads nothing of it. The book's
  own package is served to the in-browser `%pip` as a wheel made here from `nudge/`; Pyodide
  and its numpy and matplotlib come from Pyodide's CDN, since no package registry ships their
  WebAssembly builds (npm's `pyodide` is the interpreter alone, and PyPI has no such wheels):
  so this needs the internet, the launch menu, the notebook and "How to use this book" say so,
  and JupyterLite's pages say it plainly when the CDN can't be reached (`_ext/lite_offline.js`).
  `jupyter lite build` runs beside Sphinx's reading and writing (it needs only the staged
  notebooks and wheel), not after them as jupyterlite-sphinx runs it: a few seconds off
  every build; its failure fails the build, with its output.
- **Launch links that work at any depth.** The theme writes the JupyterLite link as given in
  `_config.yml`; it is made relative to each page here. A page whose notebook the launch branch
  doesn't hold (`nudge_launch_folders`: a translated edition's solutions) has no launch menu.
- **A 404 page** (`404.html`, made by sphinx-notfound-page) whose links are absolute paths
  under the site's address (`html.baseurl`, or `NUDGE_BASE_URL` when the publishing workflow
  knows better), so it works wherever the host shows it, e.g. for `/nudge/chapters/missing/page.html`.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from nudge import i18n, settings
from nudge.web import WEB

#: the module that mounts every front end of a page (`nudge/web/nudge-site.js`)
SITE_ENTRY = "nudge-site.js"

HERE = Path(__file__).resolve().parent
#: where jupyterlite-sphinx writes the JupyterLite site, under the html output
LITE_URL_DIR = "lite"
#: the JupyterLite app a launch link opens: one notebook, no file browser around it
LITE_APP = "notebooks/index.html"
#: scratch space for the JupyterLite build (its settings, contents and the wheel)
LITE_WORK = Path("_build") / "nudge-lite"
#: the wheel's file dates (1980-01-01, the earliest a zip file holds): same sources, same bytes
WHEEL_DATE_EPOCH = "315532800"
#: the first code cell of a chapter installs the package in Colab or Binder; in
#: JupyterLite the in-browser pip installs the wheel this site serves instead
LITE_GUARD = (
    "# in JupyterLite (Python in your browser, which needs the internet: Python and numpy download from\n"
    "# Pyodide's CDN on the first run): install the book's package, which this site serves\n"
    "try:\n"
    "    import nudge  # noqa: F401\n"
    "except ImportError:\n"
    "    %pip install --quiet nudge"
)
#: the first cell of a notebook in JupyterLite, before the chapter's own
LITE_NOTE = (
    "*You are running this notebook in your browser (JupyterLite).*\n"
    "*Python and its libraries download from the internet the first time, which takes a while; "
    "without a connection Python can't start, and the book's website is the place to read it.*"
)
#: the script that says so when Python can't be downloaded, and where the site serves it
LITE_OFFLINE_SCRIPT = HERE / "lite_offline.js"
LITE_OFFLINE_URL = "nudge-lite-offline.js"
#: GitHub Pages serves the site's one 404.html for every missing address: a reader of an edition
#: (an address under its folder) is sent to that edition's own 404 page, in their language
EDITION_404_SCRIPT = """
<script>
(function () {
  var root = __ROOT__, tags = __TAGS__, path = decodeURI(location.pathname);
  for (var i = 0; i < tags.length; i++) {
    var home = root + tags[i] + "/";
    if (path.indexOf(home) === 0 && path !== home + "404.html") {
      location.replace(home + "404.html");
      return;
    }
  }
})();
</script>
"""
#: the 404 page; its words are `nudge.i18n.NOT_FOUND`'s, in the edition's language
NOT_FOUND_BODY = """
<section id="page-not-found">
<h1>{title}</h1>
<p>{gone}</p>
<p>{again}</p>
<form class="nudge-404-search" action="{search_page}" method="get">
<label for="nudge-404-q">{search}</label>
<input type="search" id="nudge-404-q" name="q">
<button type="submit">{go}</button>
</form>
</section>
"""


def lite_enabled() -> bool:
    return settings.lite()  # `NUDGE_LITE`, like every `NUDGE_*` setting, is read in `nudge.settings`


# --- assets ----------------------------------------------------------------------------


def _address(asset) -> str:
    return str(getattr(asset, "filename", asset))


def keep_assets_local(app, pagename, templatename, context, doctree):
    """Leave out every stylesheet and script with an absolute address (a CDN, Google Fonts)."""
    for key in ("css_files", "script_files"):
        assets = context.get(key)
        if assets:
            context[key] = [a for a in assets if not re.match(r"^(https?:)?//", _address(a))]
    body = context.get("body", "")
    # jupyterlite-sphinx's own style and script serve its directives; a page without one
    # doesn't need them
    if "jupyterlite_sphinx" not in body:
        for key in ("css_files", "script_files"):
            if context.get(key):
                context[key] = [a for a in context[key] if "jupyterlite_sphinx." not in _address(a)]
    # Sphinx gives MathJax (1.2 MB) to a page whose table of contents includes pages with
    # math, such as the front page; a page with no math of its own doesn't load it
    if context.get("script_files") and not re.search(r'class="math|\\\(|\\\[|\$\$', body):
        context["script_files"] = [a for a in context["script_files"] if not _is_mathjax(a)]


def _is_mathjax(script) -> bool:
    inline = getattr(script, "attributes", {}).get("body", "") or ""
    return "mathjax" in _address(script).lower() or inline.lstrip().startswith("window.MathJax")


def add_templates(app, config):
    """Our template overrides come first (the theme's icons without fontawesome.js)."""
    config.templates_path = [str(HERE / "templates"), *config.templates_path]


def serve_front_ends(app, config):
    """The interactive elements' front ends (`nudge/web`: the same modules Jupyter runs) in `_static`.

    Only the modules and stylesheets are staged (not the package's Python, nor its copy of
    mathjs, which the site serves from `vendor/`); `nudge-site.js` mounts them on each page.
    """
    # beside the build's doctrees: its own for each edition (two are built at once), and outside the site
    staged = Path(app.doctreedir).parent / "nudge-web"
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    for path in sorted(WEB.glob("*.js")) + sorted(WEB.glob("*.css")):
        shutil.copy2(path, staged / path.name)
    config.html_static_path = [*config.html_static_path, str(staged)]
    for path in sorted(WEB.glob("*.css")):
        app.add_css_file(path.name)
    app.add_js_file(SITE_ENTRY, type="module")


# --- launch buttons --------------------------------------------------------------------


def fix_jupyterlite_button(app, pagename, templatename, context, doctree):
    """Point the theme's JupyterLite launch link at this site's lite folder, relative to the page.

    Runs after sphinx-book-theme made its launch menu (priority 501).
    """
    for group in context.get("header_buttons", []):
        buttons = group.get("buttons") if isinstance(group, dict) else None
        if not buttons:
            continue
        kept = []
        for button in buttons:
            if button.get("text") == "JupyterLite":
                if not lite_enabled():
                    continue  # not built: no link to nowhere
                query = button["url"].partition("?")[2]
                button["url"] = context["pathto"](f"{LITE_URL_DIR}/{LITE_APP}", 1) + "?" + query
                button["text"] = "JupyterLite (in your browser)"
                button["tooltip"] = (
                    "Run this notebook in your browser with JupyterLite: "
                    "Python downloads from the internet on the first run"
                )
            kept.append(button)
        group["buttons"] = kept


# --- JupyterLite -----------------------------------------------------------------------


def configure_lite(app, config):
    """Settings for jupyterlite-sphinx, before its own `config-inited` hook reads them."""
    config.jupyterlite_dir = str(Path(app.srcdir) / LITE_WORK)
    config.jupyterlite_content_dir = str(LITE_WORK / "contents")
    config.jupyterlite_contents = []
    # myst-nb renders the notebooks; jupyterlite-sphinx must not claim .ipynb
    config.jupyterlite_bind_ipynb_suffix = False


def _docnames(app) -> list[str]:
    site_map = getattr(app.config, "external_site_map", None)
    names = list(site_map) if site_map is not None else []
    return [re.sub(r"\.(ipynb|md)$", "", name) for name in names]


def lite_notebook(source: Path) -> str:
    """The notebook as JupyterLite gets it: a note that Python needs the internet, the Colab/Binder
    guard cell installing from this site."""
    import nbformat

    notebook = nbformat.read(source, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code" and "import nudge" in cell.source and "%pip install" in cell.source:
            cell.source = LITE_GUARD
            cell.outputs = []
            break
    else:
        notebook.cells.insert(0, nbformat.v4.new_code_cell(LITE_GUARD, id="nudge-lite-setup"))
    notebook.cells.insert(0, nbformat.v4.new_markdown_cell(LITE_NOTE, id="nudge-lite-note"))
    return nbformat.writes(notebook)


def build_wheel(package: Path, dest: Path) -> Path:
    """A wheel of `package` for JupyterLite's pip, built by pip from pyproject.toml.

    Built from a copy of the package's sources (setuptools writes its build folders beside
    them), with `SOURCE_DATE_EPOCH` fixed, so the same sources give the same bytes.
    """
    with tempfile.TemporaryDirectory(prefix="nudge-wheel-") as tmp:
        source = Path(tmp) / "source"
        shutil.copytree(package, source / package.name, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(package.parent / "pyproject.toml", source)
        dest.mkdir(parents=True, exist_ok=True)
        for old in dest.glob("*.whl"):
            old.unlink()
        command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
        done = subprocess.run(
            [*command, "--wheel-dir", str(dest), str(source)],
            env={**os.environ, "SOURCE_DATE_EPOCH": WHEEL_DATE_EPOCH},
            capture_output=True,
            text=True,
        )
    if done.returncode != 0:
        raise RuntimeError(f"pip could not build the wheel of {package.name}:\n{done.stdout}\n{done.stderr}")
    (wheel,) = dest.glob("*.whl")
    return wheel


def stage_lite(app):
    """Contents, wheel and settings for `jupyter lite build`, which runs when the html is written."""
    work = Path(app.srcdir) / LITE_WORK
    contents = work / "contents"  # jupyterlite-sphinx emptied it at config-inited
    contents.mkdir(parents=True, exist_ok=True)
    for docname in _docnames(app):
        source = Path(app.srcdir) / f"{docname}.ipynb"
        if source.is_file():
            target = contents / f"{docname}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(lite_notebook(source))
    wheel = build_wheel(Path(app.srcdir) / "nudge", work / "wheels")
    settings = {
        "LiteBuildConfig": {
            # source maps would triple the size of the lite folder; nobody debugs the book's copy
            "no_sourcemaps": True,
            "no_unused_shared_packages": True,
        },
        "PipliteAddon": {"piplite_urls": [str(wheel)]},
    }
    (work / "jupyter_lite_config.json").write_text(json.dumps(settings, indent=2) + "\n")
    runtime = {
        "jupyter-config-data": {
            "appName": "Nudge (live)",
            # nbgrader's lab extension talks to a server JupyterLite doesn't have
            "disabledExtensions": ["@jupyter/nbgrader"],
        }
    }
    (work / "jupyter-lite.json").write_text(json.dumps(runtime, indent=2) + "\n")


#: the `jupyter lite build` running beside Sphinx, per application
_LITE_BUILDS: dict[int, tuple[subprocess.Popen, Path]] = {}


def lite_command(app) -> list[str]:
    """`jupyter lite build` as jupyterlite-sphinx runs it, from the settings `configure_lite` made."""
    apps = [arg for name in ("notebooks", "edit", "lab", "repl", "tree", "consoles") for arg in ("--apps", name)]
    return [
        sys.executable,
        "-m",
        "jupyter",
        "lite",
        "build",
        "--contents",
        str(Path(app.srcdir) / app.config.jupyterlite_content_dir),
        "--output-dir",
        str(Path(app.outdir) / LITE_URL_DIR),
        *apps,
        "--lite-dir",
        str(app.config.jupyterlite_dir),
    ]


def start_lite_build(app):
    """Stage the JupyterLite inputs and start building the site from them, in the background."""
    stage_lite(app)
    work = Path(app.srcdir) / LITE_WORK
    log = work / "build.log"
    with open(log, "w") as out:  # in its own folder, where it keeps what it has done (.jupyterlite.doit.db)
        process = subprocess.Popen(lite_command(app), cwd=work, stdout=out, stderr=subprocess.STDOUT)
    _LITE_BUILDS[id(app)] = (process, log)


def finish_lite_build(app, exception):
    """Wait for the JupyterLite site; a failed build fails the book's build, with its output."""
    process, log = _LITE_BUILDS.pop(id(app), (None, None))
    if process is None:
        return
    if exception is not None:  # the book failed already: that is the error to report
        process.kill()
        process.wait()
        return
    if process.wait() != 0:
        from sphinx.errors import ExtensionError

        raise ExtensionError(
            f"`jupyter lite build` failed (exit code {process.returncode}); its output ({log}):\n"
            + log.read_text()[-5000:]
        )
    say_when_offline(Path(app.outdir) / LITE_URL_DIR)


def say_when_offline(lite: Path) -> None:
    """Every JupyterLite app page loads `_ext/lite_offline.js`, which says so when Python can't be downloaded."""
    from jupyterlite_pyodide_kernel.constants import PYODIDE_CDN_URL, PYODIDE_MJS

    script = LITE_OFFLINE_SCRIPT.read_text().replace("__PYODIDE_URL__", f"{PYODIDE_CDN_URL}/{PYODIDE_MJS}")
    (lite / LITE_OFFLINE_URL).write_text(script)
    tag = f'<script src="../{LITE_OFFLINE_URL}"></script>'
    for page in lite.glob("*/index.html"):
        text = page.read_text()
        if tag not in text:
            page.write_text(text.replace("</body>", f"{tag}\n</body>", 1))


def on_builder_inited(app):
    if lite_enabled() and app.builder.format == "html":
        start_lite_build(app)


# --- the 404 page ----------------------------------------------------------------------


def site_path(app) -> str:
    """The path the site is served under, e.g. `/nudge/` for https://nudge-book.github.io/nudge/."""
    # `NUDGE_BASE_URL` (the address GitHub Pages reports to the workflow) overrides `html_baseurl`
    base = settings.base_url() or app.config.html_baseurl or "/"
    path = urlparse(base).path or "/"
    return path if path.endswith("/") else path + "/"


def launch_only_what_the_branch_holds(app, pagename, templatename, context, doctree):
    """No launch menu on a page whose notebook the launch branch doesn't hold.

    `nudge_launch_folders` names the folders of pages the branch holds (a translated edition's: its
    chapters and exercises on the students' branch, `tools/editions.py`); None (English): every page.
    Runs after sphinx-book-theme made its launch menu (priority 501).
    """
    folders = app.config.nudge_launch_folders
    if folders is None or pagename.split("/", 1)[0] in folders:
        return
    buttons = context.get("header_buttons", [])
    buttons[:] = [
        group for group in buttons if not (isinstance(group, dict) and group.get("label") == "launch-buttons")
    ]


def launch_from_branch(app, config):
    """The launch buttons open the edition's branch: the student edition's open the students' one.

    `make students-branch` makes that branch without `solutions/` and hidden tests; the full
    edition's buttons open `repository.branch` (main), which has them.
    """
    branch = settings.launch_branch()
    if branch:
        config.html_theme_options = {**config.html_theme_options, "repository_branch": branch}


def configure_404(app, config):
    """sphinx-notfound-page writes 404.html with every address absolute under the site's path."""
    root = site_path(app)
    config.notfound_urls_prefix = root
    edition = i18n.edition(config.language or "en")
    words = {key: html.escape(i18n.gettext(text, edition)) for key, text in i18n.NOT_FOUND.items()}
    home = f'<a href="{root}{config.root_doc}.html">{words.pop("contents")}</a>'
    words["again"] = words["again"].format(contents=home)
    body = NOT_FOUND_BODY.format(search_page=f"{root}search.html", **words)
    if edition == i18n.ENGLISH:
        tags = [other.tag for other in i18n.EDITIONS]
        body += EDITION_404_SCRIPT.replace("__ROOT__", json.dumps(root)).replace("__TAGS__", json.dumps(tags))
    config.notfound_context = {"title": words["title"], "body": body, "display_toc": False}


def content_root_404(app, pagename, templatename, context, doctree):
    """Sphinx's search and the theme's scripts find the site's root in `data-content_root`."""
    if pagename == app.config.notfound_pagename:
        context["content_root"] = site_path(app)


def setup(app):
    app.connect("config-inited", add_templates)
    app.connect("config-inited", serve_front_ends)
    app.connect("config-inited", launch_from_branch)
    app.setup_extension("notfound.extension")
    # after sphinx-external-toc has set `root_doc` from _toc.yml
    app.connect("config-inited", configure_404, priority=950)
    app.connect("html-page-context", content_root_404)
    app.connect("html-page-context", keep_assets_local)
    app.connect("html-page-context", fix_jupyterlite_button, priority=600)
    app.add_config_value("nudge_launch_folders", None, "html")
    app.connect("html-page-context", launch_only_what_the_branch_holds, priority=600)
    if lite_enabled():
        app.setup_extension("jupyterlite_sphinx")
        # before jupyterlite-sphinx's own config-inited hook (priority 500) reads the settings
        app.connect("config-inited", configure_lite, priority=400)
        app.connect("builder-inited", on_builder_inited)
        # jupyterlite-sphinx builds the site after Sphinx has written every page; this
        # extension's own build runs meanwhile instead (`start_lite_build`)
        from jupyterlite_sphinx.jupyterlite_sphinx import jupyterlite_build

        for listener in list(app.events.listeners["build-finished"]):
            if listener.handler is jupyterlite_build:
                app.disconnect(listener.id)
        app.connect("build-finished", finish_lite_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
