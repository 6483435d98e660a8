"""Build the site of an older commit, to measure the design before next to this one.

Usage: .venv/bin/python -m bench.baseline COMMIT FOLDER      (`make bench` runs it with BASELINE)

The commit is cloned into FOLDER (sharing this checkout's .venv and node_modules, as `bench.run`
clones) and its own `make book LITE=0` builds its site, FOLDER/book/_build/html, for
`python -m bench.latency --baseline-site`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bench.run import MAKE, fresh_clone, run


def build(commit: str, folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    book = fresh_clone(folder)
    subprocess.run(["git", "checkout", "-q", commit], cwd=book, check=True)
    seconds = run([*MAKE, "book", "LITE=0"], book)
    print(f"baseline: {commit[:10]} built in {seconds:.0f} s", file=sys.stderr)
    return book / "_build" / "html"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    print(build(argv[0], Path(argv[1]).resolve()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
