"""What the book contains, read from `_toc.yml`, so every test grows with the book."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# one reader of _toc.yml for the build's tools and the tests
_spec = importlib.util.spec_from_file_location("nudge_toc", ROOT / "tools" / "toc.py")
_toc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_toc)
toc_files = _toc.toc_files


def chapter_notebooks() -> list[Path]:
    return [ROOT / f"{name}.ipynb" for name in toc_files() if name.startswith("chapters/")]


def html_pages() -> list[str]:
    return [f"{name}.html" for name in toc_files()]
