"""What the book contains, read from `_toc.yml` (every test grows with the book), and what tests read in a notebook."""

from __future__ import annotations

import re
from pathlib import Path

from tools.toc import toc_files

ROOT = Path(__file__).resolve().parent.parent


def chapter_notebooks() -> list[Path]:
    return [ROOT / f"{name}.ipynb" for name in toc_files() if name.startswith("chapters/")]


def html_pages() -> list[str]:
    return [f"{name}.html" for name in toc_files()]


# --- exercise notebooks: read by the exercise tests and the JupyterLab test -------------------


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def visible_checks(cell) -> int:
    """How many check calls a check cell makes where students can see them (one ✗/✓ line each)."""
    return len(re.findall(r"^check_\w+\(", cell.source.split("### BEGIN HIDDEN TESTS")[0], re.M))


def placeholder_sentence(line: str) -> bool:
    return "`...`" in line or "placeholder" in line
