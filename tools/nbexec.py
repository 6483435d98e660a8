"""A pytest plugin: each notebook nbval runs is cached as executed, for the book build to use.

`tools.execute` runs the book's notebooks with nbval (`pytest --nbval`), one per core; this plugin
puts every notebook whose cells all ran into the build's execution cache (jupyter-cache, as
myst-nb would after executing it itself), so Jupyter Book executes nothing again. Where the run is
strict (`NUDGE_CHECK_OUTPUTS=1`, as under `make test`), nbval also holds each output to the
committed one: a notebook is executed once per run, and that one execution is nbval's.
"""

from __future__ import annotations

import copy
import os
import time

import pytest

#: where the run caches executed notebooks (set by `tools.execute`)
CACHE_ENV = "NUDGE_EXECUTION_CACHE"

_started: dict[str, float] = {}
_failed: set[str] = set()


def pytest_runtest_setup(item):
    _started.setdefault(str(item.path), time.perf_counter())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if outcome.get_result().failed:
        _failed.add(str(item.path))


def pytest_runtest_teardown(item, nextitem):
    """After a notebook's last cell: cache it with the outputs nbval's kernel gave."""
    if nextitem is not None and nextitem.path == item.path:
        return
    path = str(item.path)
    folder = os.environ.get(CACHE_ENV)
    if not folder or path in _failed or not hasattr(item.parent, "nb"):
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    notebook = copy.deepcopy(item.parent.nb)
    cells = {cell_item.cell_num: cell_item for cell_item in item.parent.session.items if cell_item.path == item.path}
    for number, cell in enumerate(c for c in notebook.cells if c.cell_type == "code"):
        ran = cells.get(number)
        cell.outputs = list(ran.test_outputs or []) if ran is not None else []
    cache = get_cache(folder)
    record = cache.add_nb_to_project(path)
    data = {"execution_seconds": time.perf_counter() - _started.get(path, time.perf_counter())}
    if item.config.option.nbval:  # strict: every output was held to the committed one
        from tools.execute import outputs_digest

        data["outputs_checked"] = outputs_digest(path)
    cache.cache_notebook_bundle(CacheBundleIn(notebook, record.uri, data=data), check_validity=False, overwrite=True)
