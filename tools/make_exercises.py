"""Make the student notebooks in exercises/ from their nbgrader sources in solutions/.

Usage: python tools/make_exercises.py [--into DIR]

`solutions/<id>/<id>.ipynb` becomes `exercises/<id>/<id>.ipynb` (or `DIR/<id>/<id>.ipynb`)
through `nbgrader generate_assignment`, configured by nbgrader_config.py: solutions cleared,
hidden tests removed, check cells locked, a first cell that says the file is generated.
No gradebook is written (`--no-db`). `make exercises` runs this; tests/test_exercises.py runs
it into a temporary folder and fails on any byte that differs from the committed files.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
#: an assignment id: the chapter's number and topic, like ch01_intuition
ASSIGNMENT_ID = re.compile(r"^ch\d\d_[a-z0-9_]+$")
#: the glob nbgrader expands to every assignment in solutions/
ALL_ASSIGNMENTS = "ch[0-9][0-9]_*"


def assignment_ids() -> list[str]:
    """Every assignment in solutions/: a folder `<id>/` holding `<id>.ipynb`."""
    return sorted(
        p.name for p in SOLUTIONS.iterdir() if ASSIGNMENT_ID.match(p.name) and (p / f"{p.name}.ipynb").is_file()
    )


def generate(into: Path) -> list[Path]:
    """Run nbgrader once for every assignment; return the notebooks it wrote."""
    into = into.resolve()
    command = [
        sys.executable,
        "-m",
        "nbgrader",
        "generate_assignment",
        ALL_ASSIGNMENTS,
        "--force",
        "--no-db",
        "--log-level=WARN",
        f"--CourseDirectory.root={ROOT}",
        f"--CourseDirectory.release_directory={into}",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"nbgrader generate_assignment failed:\n{done.stdout}\n{done.stderr}")
    return [into / name / f"{name}.ipynb" for name in assignment_ids()]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--into", type=Path, default=EXERCISES, help="folder to write to (default: exercises/)")
    args = parser.parse_args(argv)
    args.into.mkdir(parents=True, exist_ok=True)
    # an exercise whose source is gone must go too
    for stale in (p for p in args.into.iterdir() if p.is_dir() and ASSIGNMENT_ID.match(p.name)):
        if stale.name not in assignment_ids():
            shutil.rmtree(stale)
    for path in generate(args.into):
        print(f"{path.relative_to(args.into.resolve().parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
