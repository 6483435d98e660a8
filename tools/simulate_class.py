"""Simulate a class handing in one assignment, to try (and to test) the grading workflow.

Usage: python tools/simulate_class.py COURSE [--assignment ch01_intuition] [--students 30] [--seed 0]

Makes COURSE an nbgrader course folder (nbgrader_config.py and solutions/<id> copied from
this repository), records the assignment in its gradebook (`nbgrader generate_assignment`)
and puts every student's notebook into one zip file in COURSE/downloaded/<id>/archive/,
named the way Canvas names a download. Then, in COURSE:

    nbgrader zip_collect <id> && nbgrader autograde <id> && nbgrader generate_feedback <id> && nbgrader export

Each student answers each exercise correctly, wrongly, with code that raises, or not at
all; the last one answers everything wrongly and replaces every checker in an answer cell
(`check_close = ... = lambda *a, **k: None`), which must score nothing. tests/test_autograde.py
and bench/autograde.py build their classes with these functions.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BEHAVIOURS = ("correct", "wrong", "raising", "blank")
SOLUTION_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")
# `name = ...` (a value to fill in) and a bare `...` (a function body to write)
VALUE_PLACEHOLDER = re.compile(r"^(\s*)(\w+) = \.\.\.(.*)$")
BODY_PLACEHOLDER = re.compile(r"^(\s*)\.\.\.(\s*#.*)?$")
EXERCISE = re.compile(r"^ex(\d+)_(\d+)_")


def nbgrader(course: Path, *args: str) -> str:
    """Run the nbgrader command line in `course`; its kernels import this checkout's `nudge`."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    # the gradebook runs `alembic` from the environment's scripts folder, as an activated venv would
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


def make_course(course: Path, assignment: str) -> Path:
    """An nbgrader course folder with this book's configuration and one assignment, recorded in
    its gradebook; returns the student notebook nbgrader made."""
    course.mkdir(parents=True, exist_ok=True)
    for name in ("nbgrader_config.py", "_config.yml"):  # the configuration reads the book's address from _config.yml
        shutil.copy(ROOT / name, course)
    shutil.copytree(ROOT / "solutions" / assignment, course / "solutions" / assignment, dirs_exist_ok=True)
    nbgrader(course, "generate_assignment", assignment, "--force")
    return course / "exercises" / assignment / f"{assignment}.ipynb"


def exercise_of(cell) -> str | None:
    """The exercise ("1.3") an nbgrader cell belongs to, from its grade id (`ex1_3_check`)."""
    match = EXERCISE.match(cell.metadata.get("nbgrader", {}).get("grade_id", ""))
    return f"{match[1]}.{match[2]}" if match else None


def answer(source: str, released: str, cell_type: str, behaviour: str) -> str:
    """What a student with `behaviour` writes into an answer cell (given its solution `source`
    and the `released` template)."""
    if behaviour == "blank":
        return released
    if cell_type == "markdown":
        if behaviour == "correct":
            return source
        return "I think the error just gets smaller and smaller."
    if behaviour == "correct":
        return "\n".join(line for line in source.split("\n") if not SOLUTION_MARKER.match(line))
    lines = []
    for line in released.split("\n"):
        value, body = VALUE_PLACEHOLDER.match(line), BODY_PLACEHOLDER.match(line)
        if value and behaviour == "wrong":
            line = f"{value[1]}{value[2]} = 0.5"
        elif value:
            line = f"{value[1]}{value[2]} = undefined_name  # raises NameError"
        elif body and behaviour == "wrong":
            line = f"{body[1]}return 0.5"
        elif body:
            line = f'{body[1]}raise ValueError("a bug in the student\'s code")'
        lines.append(line)
    return "\n".join(lines)


#: every checker a notebook calls
CHECKER = re.compile(r"\b(check_\w+)\s*\(")


def submission(
    source_nb, released_nb, behaviours: dict[str, str], *, tamper: bool = False, delete: tuple = (), loophole=False
):
    """A student's notebook: `behaviours` maps an exercise ("1.2") to one of BEHAVIOURS (blank if
    missing); `tamper` edits every locked cell (checks and given code); `delete` drops cells by grade id;
    `loophole` makes the first answer cell replace every checker the notebook calls with one that
    passes anything (`check_close = check_slope = ... = lambda *a, **k: None`)."""
    sources = {c.metadata["nbgrader"]["grade_id"]: c for c in source_nb.cells if "nbgrader" in c.metadata}
    nb = copy.deepcopy(released_nb)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            behaviour = behaviours.get(exercise_of(cell), "blank")
            cell.source = answer(sources[meta["grade_id"]].source, cell.source, cell.cell_type, behaviour)
        elif meta.get("locked") and tamper:
            cell.source = 'print("✓ all good")  # edited by the student'
    if loophole:
        checkers = sorted({name for cell in source_nb.cells for name in CHECKER.findall(cell.source)})
        first = next(c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution"))
        first.source += "\n" + " = ".join(checkers) + " = lambda *a, **k: None"
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in delete]
    return nb


def points(source_nb) -> dict[str, dict[str, float]]:
    """Points per exercise, split into autograded (check cells) and manual (written answers)."""
    found: dict[str, dict[str, float]] = {}
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            kind = "manual" if meta.get("solution") else "auto"
            entry = found.setdefault(exercise_of(cell), {"auto": 0.0, "manual": 0.0})
            entry[kind] += float(meta["points"])
    return found


def expected_autograde(source_nb, behaviours: dict[str, str]) -> float:
    """The score autograding should give: the check points of every exercise answered correctly."""
    return sum(p["auto"] for ex, p in points(source_nb).items() if behaviours.get(ex) == "correct")


def canvas_name(student: str, index: int, assignment: str) -> str:
    """How Canvas names a submission in its download: name, user id, submission id, file name."""
    return f"{student}_{1000 + index}_{50000 + index}_{assignment}.ipynb"


def write_class(course: Path, assignment: str, roster: dict) -> Path:
    """Put every student's notebook into one zip, where `nbgrader zip_collect` looks for it."""
    archive = course / "downloaded" / assignment / "archive"
    archive.mkdir(parents=True, exist_ok=True)
    path = archive / "submissions.zip"
    with zipfile.ZipFile(path, "w") as bundle:
        for index, (student, nb) in enumerate(roster.items()):
            bundle.writestr(canvas_name(student, index, assignment), nbformat.writes(nb))
    return path


def random_class(source_nb, released_nb, students: int, seed: int = 0) -> dict:
    """`students` students, each answering each exercise in a random way, the last of them with
    every answer wrong and every checker replaced (`loophole`): {name: (notebook, behaviours)}."""
    rng = np.random.default_rng(seed)
    exercises = sorted(points(source_nb))
    roster = {}
    for i in range(students):
        behaviours = {ex: str(rng.choice(BEHAVIOURS, p=[0.55, 0.2, 0.1, 0.15])) for ex in exercises}
        cheats = i == students - 1
        if cheats:
            behaviours = dict.fromkeys(exercises, "wrong")
        roster[f"student{i:02d}"] = (submission(source_nb, released_nb, behaviours, loophole=cheats), behaviours)
    return roster


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", type=Path, help="course folder to create (or refresh)")
    parser.add_argument("--assignment", default="ch01_intuition")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    released = make_course(args.course, args.assignment)
    source_nb = nbformat.read(args.course / "solutions" / args.assignment / f"{args.assignment}.ipynb", 4)
    roster = random_class(source_nb, nbformat.read(released, 4), args.students, args.seed)
    path = write_class(args.course, args.assignment, {name: nb for name, (nb, _) in roster.items()})
    print(f"{len(roster)} submissions in {path}")
    for name, (_, behaviours) in roster.items():
        print(f"  {name}: autograde should give {expected_autograde(source_nb, behaviours):g} points")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
