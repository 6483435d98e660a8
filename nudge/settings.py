"""Every `NUDGE_*` environment variable the book reads, in one place.

The Makefile sets them; nothing else should read `os.environ` for a `NUDGE_*` name.

| variable | set by | what it does |
|---|---|---|
| `NUDGE_FRAMES_DIR` | `make book` | explorers draw every frame into this folder of the site (else: a preview) |
| `NUDGE_FRAME_CACHE` | `make book` | where explorers remember the frames they drew, so unchanged ones aren't redrawn |
| `NUDGE_FRAME_TIMINGS` | `make bench` | a file each explorer appends its drawing time to (JSON lines) |
| `NUDGE_LITE` | `make book LITE=0` | `0` leaves the in-browser JupyterLite site out of the build |
| `NUDGE_BASE_URL` | the publishing workflow | the address the site is published under (else `html.baseurl`) |
| `NUDGE_LAUNCH_BRANCH` | `make book EDITION=student` | the branch launch buttons open (else `repository.branch`) |
| `NUDGE_LANG` | a reader, `make book` (`en`) | what code shows a Jupyter reader is in this language (`nudge.i18n`) |

Jupyter Server's `JPY_SESSION_NAME` (the notebook a kernel runs) is read here too (`session_notebook`).

A frame that fails to draw is an error while the book is built (`NUDGE_FRAMES_DIR` set) and
under pytest (`PYTEST_CURRENT_TEST`, which pytest sets and nbval's kernels inherit); in a
reader's own Jupyter session the frame says what went wrong instead.

>>> strict_frames({"NUDGE_FRAMES_DIR": "/tmp/frames"}), strict_frames({})
(True, False)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

FRAMES_DIR = "NUDGE_FRAMES_DIR"
FRAME_CACHE = "NUDGE_FRAME_CACHE"
FRAME_TIMINGS = "NUDGE_FRAME_TIMINGS"
LITE = "NUDGE_LITE"
BASE_URL = "NUDGE_BASE_URL"
LAUNCH_BRANCH = "NUDGE_LAUNCH_BRANCH"
LANG = "NUDGE_LANG"


def _path(name: str, environ: Mapping | None) -> Path | None:
    value = (os.environ if environ is None else environ).get(name)
    return Path(value) if value else None


def frames_dir(environ: Mapping | None = None) -> Path | None:
    """Where the book build wants every explorer's frames; None outside the build."""
    return _path(FRAMES_DIR, environ)


def frame_cache(environ: Mapping | None = None) -> Path | None:
    """Where explorers keep the names of the frames they drew, between builds."""
    return _path(FRAME_CACHE, environ)


def frame_timings(environ: Mapping | None = None) -> Path | None:
    """The file `make bench` collects frame drawing times in."""
    return _path(FRAME_TIMINGS, environ)


def lite(environ: Mapping | None = None) -> bool:
    """Whether the build includes the JupyterLite site (anything but `NUDGE_LITE=0`)."""
    return (os.environ if environ is None else environ).get(LITE, "1") != "0"


def base_url(environ: Mapping | None = None) -> str | None:
    """The published address the workflow knows, if it set one."""
    return (os.environ if environ is None else environ).get(BASE_URL) or None


def launch_branch(environ: Mapping | None = None) -> str | None:
    """The branch Binder, Colab and JupyterHub buttons open, where the edition says (the student edition)."""
    return (os.environ if environ is None else environ).get(LAUNCH_BRANCH) or None


#: Jupyter Server's variable (not ours): the notebook a kernel was started for
SESSION_NOTEBOOK = "JPY_SESSION_NAME"


def session_notebook(environ: Mapping | None = None) -> Path | None:
    """The notebook this kernel runs, where Jupyter Server (JupyterLab, the hub) says so."""
    return _path(SESSION_NOTEBOOK, environ)


def language(environ: Mapping | None = None) -> str | None:
    """The language a reader asked for (`ko`, `zh-Hans`, ...); None: ask `nudge.i18n` to look further."""
    return (os.environ if environ is None else environ).get(LANG) or None


def strict_frames(environ: Mapping | None = None) -> bool:
    """True where a frame that fails to draw must stop everything: the book build and the tests."""
    environ = os.environ if environ is None else environ
    return bool(environ.get(FRAMES_DIR) or environ.get("PYTEST_CURRENT_TEST"))
