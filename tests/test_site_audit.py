"""The published site as readers meet it: links, launch buttons, live code, the 404 page.

The site is served the way GitHub Pages serves it (`tools/site.py`): under the path of
`html.baseurl` (e.g. `/nudge/`), gzip-compressed for text files, and with `404.html` for any
missing address. `tests/test_browser.py` audits every page in the browser (math, console errors,
outside requests, keyboard-driven explorers, weight) and `tests/test_site_a11y.py` for every
reader; this module adds the rest. HTML is read with BeautifulSoup.
"""

from __future__ import annotations

from audit import offsite
from conftest import ROOT
from tools.browser import site_pages
from tools.toc import toc_files

PAGES = site_pages()
NOTEBOOK_PAGES = [f"{name}.html" for name in toc_files() if (ROOT / f"{name}.ipynb").is_file()]


def requested_requested_offsite(page, host) -> list[str]:
    return offsite([r.url for r in page.requests], host)
