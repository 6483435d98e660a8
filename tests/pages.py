"""What the book contains, read from `_toc.yml`, so every test grows with the book."""

from __future__ import annotations

from pathlib import Path

from tools.toc import toc_files

ROOT = Path(__file__).resolve().parent.parent


def chapter_notebooks() -> list[Path]:
    return [ROOT / f"{name}.ipynb" for name in toc_files() if name.startswith("chapters/")]


def html_pages() -> list[str]:
    return [f"{name}.html" for name in toc_files()]
