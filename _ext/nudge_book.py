"""Small Sphinx hooks the book needs on top of Jupyter Book 1.

- Jupyter Book always loads sphinx-thebe, which registers its configuration script once per
  `env-before-read-docs` event; a build emits it more than once, so every page declared
  `const THEBE_JS_URL` twice (a console error) and named a CDN address. The book doesn't use
  Thebe (its explorers need no kernel), so its scripts are left out of every page.
- pydata-sphinx-theme 0.17 puts its search button into a header bar of its own when no
  `navbar_persistent` is given, which sphinx-book-theme (whose sidebar has one) leaves unset:
  two search boxes at desktop width, and a bar above the page holding nothing else. The book
  keeps the sidebar's, and the article header's magnifier on narrow screens.
"""

from __future__ import annotations


def _is_thebe(script) -> bool:
    body = getattr(script, "attributes", {}).get("body", "")
    return "THEBE_JS_URL" in body or str(script).endswith("sphinx-thebe.js")


def drop_thebe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]


def one_search_box(app, config):
    config.html_theme_options = {"navbar_persistent": [], **config.html_theme_options}


def setup(app):
    app.connect("config-inited", one_search_box)
    app.connect("html-page-context", drop_thebe)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
