"""What the book contains, read from `_toc.yml` (every test grows with the book), and what tests read in a notebook."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from nudge.web import WEB
from tools.toc import toc_files

#: the module that mounts every front end of a page (as `_ext/nudge_site.py` adds it)
SITE_ENTRY = "nudge-site.js"

ROOT = Path(__file__).resolve().parent.parent


def chapter_notebooks() -> list[Path]:
    return [ROOT / f"{name}.ipynb" for name in toc_files() if name.startswith("chapters/")]


def html_pages() -> list[str]:
    return [f"{name}.html" for name in toc_files()]


def launch_links(page: Path) -> dict[str, str]:
    """A built page's launch menu (the theme's rocket): each button's text and address; {} if it has none."""
    from bs4 import BeautifulSoup

    menu = BeautifulSoup(page.read_text(), "html.parser").select_one("div.dropdown-launch-buttons")
    if menu is None:
        return {}
    return {a.select_one(".btn__text-container").get_text(strip=True): a["href"] for a in menu.select("ul a[href]")}


# --- exercise notebooks: read by the exercise tests and the JupyterLab test -------------------


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def visible_checks(cell) -> int:
    """How many check calls a check cell makes where students can see them (one ✗/✓ line each)."""
    return len(re.findall(r"^check_\w+\(", cell.source.split("### BEGIN HIDDEN TESTS")[0], re.M))


def placeholder_sentence(line: str) -> bool:
    return "`...`" in line or "placeholder" in line


def front_end_page(folder: Path, body: str) -> str:
    """A bare page `page.html` in `folder` with the book's front ends mounted as the site mounts them.

    Returns its name; serve `folder` (`tools.site.serving`): a module script is not run from a file.
    """
    for path in WEB.glob("*.js"):
        shutil.copy(path, folder / path.name)
    (folder / "page.html").write_text(
        '<!doctype html><html lang="en" data-content_root="./"><head><meta charset="utf-8"><title>page</title>'
        f'<link rel="icon" href="data:,"><script type="module" src="{SITE_ENTRY}"></script></head>'
        f"<body>{body}</body></html>",
        encoding="utf-8",
    )
    return "page.html"


# --- JupyterLab in a browser: read by the JupyterLab and the hub tests ------------------------------


def kernel_info_replies(page) -> list:
    """The kernel_info replies the page's kernels send from now on.

    JupyterLab writes each reply's `language_info` into its notebook, marking the notebook modified
    if it differs from the file's: only after the reply does a clean tab say anything."""
    replies = []

    def on_frame(payload):
        if b"kernel_info_reply" in (payload.encode() if isinstance(payload, str) else payload):
            replies.append(payload)

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return replies


def wait_for_kernel_info(page, replies: list, name: str, seconds: float = 60) -> None:
    """Wait until a reply came (`kernel_info_replies`) and JupyterLab has handled it."""
    deadline = time.monotonic() + seconds
    while not replies:
        assert time.monotonic() < deadline, f"{name}: no kernel_info reply within {seconds:g} s"
        page.wait_for_timeout(100)  # Playwright delivers the page's websocket frames while it waits
    # the reply's promise resolves on the next turns of the page's event loop
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))")


def assert_opened_unmodified(page, name: str) -> None:
    """The current tab is the notebook `name`, not marked modified."""
    tab = page.locator(".lm-TabBar-tab.jp-mod-current")
    assert Path(name).name in tab.inner_text(), f"the current tab is {tab.inner_text()!r}, not {name}"
    assert "jp-mod-dirty" not in (tab.get_attribute("class") or ""), f"{name} opened as modified"
