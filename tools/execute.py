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


def notebooks(toc: Path, config: dict) -> list[Path]:
    """The notebooks the build executes: in the table of contents, not excluded from execution."""
    names = toc_files(toc)
    excluded = config.get("execute", {}).get("exclude_patterns", [])
    paths = [ROOT / f"{name}.ipynb" for name in names]
    return [
        p
        for p in paths
        if p.is_file() and not any(fnmatch.fnmatch(p.relative_to(ROOT).as_posix(), pat) for pat in excluded)
    ]


def main(argv: list[str]) -> int:
    toc = ROOT / (argv[0] if argv else "_toc.yml")
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    execute = config.get("execute", {})
    if execute.get("execute_notebooks") != "cache":
        return 0  # only the cache is shared with the build
    cache = get_cache(str(ROOT / execute.get("cache", "_build/.jupyter_cache")))
    for path in notebooks(toc, config):
        cache.add_nb_to_project(str(path))
    logging.basicConfig(level=logging.WARNING, format="execute: %(message)s")
    started = time.perf_counter()
    result = load_executor("local-parallel", cache, logger=logging.getLogger("execute")).run_and_cache(
        timeout=execute.get("timeout", 300), allow_errors=execute.get("allow_errors", False)
    )
    seconds = {record.uri: record.data.get("execution_seconds") for record in cache.list_cache_records()}
    for uri in result.succeeded:  # in the build log's own words, which `make bench` reads
        print(f"{uri}: Executed notebook in {seconds.get(uri) or 0:.2f} seconds [tools/execute.py]")
    done, failed = len(result.succeeded), len(result.excepted) + len(result.errored)
    print(f"executed {done} notebooks side by side in {time.perf_counter() - started:.1f} s", end="")
    print(f"; {failed} failed (the build runs them again and reports why)" if failed else "")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
