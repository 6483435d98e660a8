"""A clone of this checkout that shares its set-up: for the tests and benchmarks that run the book's
commands as a reader would, in a folder of their own, without paying for a venv each time."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tools.toc import ROOT

#: what the set-up (`.venv`, `node_modules`) is made from
SET_UP_SOURCES = ("requirements.txt", "pyproject.toml", "package.json", "package-lock.json")


def shared_clone(path: Path) -> Path:
    """`git clone` this checkout into `path`, with this checkout's `.venv` and `node_modules`.

    What the set-up is made from is dated older than the shared set-up, so no `make` in the clone sets
    it up again: its `pip install -r requirements.txt` has `-e .`, which would point the shared
    `.venv` (and every other test's `nudge`) at the clone. The shared `.venv` still imports `nudge`
    from this checkout: whoever runs the clone's code puts the clone first on `PYTHONPATH`.
    """
    subprocess.run(["git", "clone", "-q", str(ROOT), str(path)], check=True)
    for shared in (".venv", "node_modules"):
        (path / shared).symlink_to(ROOT / shared)
    for source in SET_UP_SOURCES:
        os.utime(path / source, (0, 0))
    return path
