"""Execute the book's notebooks side by side, one per core, with nbval, before Jupyter Book reads them.

Usage: python -m tools.execute [TOC]        (default: _toc.yml; `make book` runs it)

Jupyter Book 1 executes one notebook after another (jupyter-book #698, #1735). This fills its
execution cache first (`execute_notebooks: cache`, in `_build/.jupyter_cache`): nbval runs the
notebooks (`pytest --nbval`, two side by side) and `tools.nbexec` caches each one whose cells all
ran, so the build then finds every notebook executed. With `NUDGE_CHECK_OUTPUTS=1` (`make test`)
nbval also holds every output of a chapter to its committed one; that run is the only execution
of the chapters in `make test`. Only notebooks whose code changed since their cached run are
executed. A notebook that fails here is left out of the cache: the build executes it again and
reports the error as it always does.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import yaml
from jupyter_cache import get_cache

from tools.nbexec import CACHE_ENV
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


#: set to 1 to hold each notebook's outputs to its committed ones (nbval's strict mode)
CHECK_ENV = "NUDGE_CHECK_OUTPUTS"
#: what legitimately varies between two runs of a notebook (memory addresses, round-off digits)
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


def outputs_digest(path: str | Path) -> str:
    """A digest of a notebook's committed outputs, which a strict run held its outputs to."""
    cells = nbformat.read(path, as_version=4).cells
    outputs = [cell.get("outputs", []) for cell in cells if cell.cell_type == "code"]
    return hashlib.sha256(json.dumps(outputs, sort_keys=True).encode()).hexdigest()


def _done(cache, path: str, strict: bool) -> bool:
    """Whether the cache holds this notebook's code executed (and, for a strict run, checked against these outputs)."""
    record = cache.get_cached_project_nb(path)
    if record is None:
        return False
    return not strict or record.data.get("outputs_checked") == outputs_digest(path)


def execute(root: Path, toc: Path, jobs: int = 2) -> tuple[list[str], list[str]]:
    """Execute the book at `root` into its execution cache; return the notebooks that ran and that failed."""
    config, cache = execution_cache(root)
    if cache is None:
        return [], []
    paths = [str(path) for path in notebooks(toc, config, root)]
    for path in paths:
        cache.add_nb_to_project(path)
    strict = os.environ.get(CHECK_ENV) == "1"
    todo = [path for path in paths if not _done(cache, path, strict)]
    if not todo:
        return [], []
    settings = config["execute"]
    timeout = settings.get("timeout", 300)
    command = [
        sys.executable, "-m", "pytest", "-p", "tools.nbexec", "-p", "no:cacheprovider", "-q", "--no-header",
        "--nbval" if strict else "--nbval-lax", "--nbval-current-env", f"--nbval-cell-timeout={timeout}",
        "--nbval-sanitize-with", str(SANITIZE), "--rootdir", str(root), "-o", "addopts=", "-o", "testpaths=",
        *(["-n", str(jobs), "--dist", "loadfile"] if jobs > 1 and len(todo) > 1 else []),
        *todo,
    ]  # fmt: skip
    environment = {**os.environ, CACHE_ENV: str(Path(cache.path))}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    subprocess.run(command, cwd=root, env=environment, check=False)
    # (strict: a notebook cached by an earlier lax run and failing now has not run)
    ran = [path for path in todo if _done(cache, path, strict)]
    return sorted(ran), sorted(set(todo) - set(ran))


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    succeeded, failed = execute(ROOT, ROOT / (argv[0] if argv else "_toc.yml"))
    _, cache = execution_cache(ROOT)
    if cache is None:
        return 0
    seconds = {record.uri: record.data.get("execution_seconds") for record in cache.list_cache_records()}
    for uri in succeeded:  # in the build log's own words, which `make bench` reads
        print(f"{uri}: Executed notebook in {seconds.get(uri) or 0:.2f} seconds [tools/execute.py]")
    print(f"executed {len(succeeded)} notebooks side by side in {time.perf_counter() - started:.1f} s", end="")
    if failed and os.environ.get(CHECK_ENV) == "1":
        print(f"; {len(failed)} failed, where nbval says why above: {', '.join(failed)}")
        return 1  # a build that ran them again would not compare their outputs
    print(f"; {len(failed)} failed (the build runs them again and reports why)" if failed else "")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
