"""Run notebooks in place so their committed outputs match what nbval will compare.

Usage: python tools/run_notebooks.py chapters/*.ipynb

Each notebook runs in its own folder (as the book build and nbval run it), without timing
metadata or widget state, so re-running an unchanged notebook changes no byte.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from nudge.settings import FRAMES_DIR as FRAMES_ENV


def run(path: Path) -> float:
    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=False,
    ).execute()
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)
    return time.perf_counter() - started


def main(paths: list[str]) -> int:
    if not paths:
        print("usage: python tools/run_notebooks.py NOTEBOOK.ipynb [...]", file=sys.stderr)
        return 2
    os.environ.pop(FRAMES_ENV, None)  # committed notebooks carry previews, not the site's frames
    for name in paths:
        path = Path(name)
        if path.suffix != ".ipynb" or not path.is_file():
            print(f"skipped {name}: expected an existing .ipynb file", file=sys.stderr)
            continue
        print(f"{path}: ran in {run(path):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
