"""Execute the book's notebooks side by side, one per core, before Jupyter Book reads them.

Usage: python -m tools.execute [TOC]        (default: _toc.yml; `make book` runs it)

Jupyter Book 1 executes one notebook after another (jupyter-book #698, #1735). This fills
its execution cache first (`execute_notebooks: cache`, in `_build/.jupyter_cache`) with
jupyter-cache's own parallel executor, so the build then finds every notebook executed.
Only notebooks whose code changed since their cached run are executed. A notebook that
fails here is simply left out of the cache: the build executes it again and reports the
error as it always does.
"""

from __future__ import annotations

import fnmatch
import logging
import sys
import time
from pathlib import Path

import yaml
from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor

from tools.toc import toc_files

ROOT = Path(__file__).resolve().parent.parent


def notebooks(toc: Path, config: dict, root: Path = ROOT) -> list[Path]:
    """The notebooks the build executes: in the table of contents, not excluded from execution."""
    names = toc_files(toc)
    excluded = config.get("execute", {}).get("exclude_patterns", [])
    paths = [root / f"{name}.ipynb" for name in names]
    return [
        p
        for p in paths
        if p.is_file() and not any(fnmatch.fnmatch(p.relative_to(root).as_posix(), pat) for pat in excluded)
    ]


def execution_cache(root: Path):
    """The book's config and its execution cache (None when the build keeps none to share)."""
    config = yaml.safe_load((root / "_config.yml").read_text())
    settings = config.get("execute", {})
    if settings.get("execute_notebooks") != "cache":
        return config, None  # only the cache is shared with the build
    return config, get_cache(str(root / settings.get("cache", "_build/.jupyter_cache")))


def execute(root: Path, toc: Path) -> tuple[list[str], list[str]]:
    """Execute the book at `root` into its execution cache; return the notebooks that ran and that failed."""
    config, cache = execution_cache(root)
    if cache is None:
        return [], []
    for path in notebooks(toc, config, root):
        cache.add_nb_to_project(str(path))
    executor = load_executor("local-parallel", cache, logger=logging.getLogger("execute"))
    settings = config["execute"]
    timeout, allow_errors = settings.get("timeout", 300), settings.get("allow_errors", False)
    result = executor.run_and_cache(timeout=timeout, allow_errors=allow_errors)
    return sorted(result.succeeded), sorted(result.excepted + result.errored)


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, format="execute: %(message)s")
    started = time.perf_counter()
    succeeded, failed = execute(ROOT, ROOT / (argv[0] if argv else "_toc.yml"))
    _, cache = execution_cache(ROOT)
    if cache is None:
        return 0
    seconds = {record.uri: record.data.get("execution_seconds") for record in cache.list_cache_records()}
    for uri in succeeded:  # in the build log's own words, which `make bench` reads
        print(f"{uri}: Executed notebook in {seconds.get(uri) or 0:.2f} seconds [tools/execute.py]")
    print(f"executed {len(succeeded)} notebooks side by side in {time.perf_counter() - started:.1f} s", end="")
    print(f"; {len(failed)} failed (the build runs them again and reports why)" if failed else "")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
