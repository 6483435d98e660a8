"""One simulated class of chapter 1, graded once for the whole test run by instructors.md's own words.

Every `bash` block of instructors.md runs, in order, in a fresh clone of this repository, on a
class downloaded from Canvas (`run`). Between blocks the test does what the instructor would do
by hand: put the LMS's download in place, and before the regrading block give a written answer
its score in the formgrader and add a private hidden test to the source.

The class carries every kind of submission the grading tests need: the page's four students,
`doejane` right (her written answer graded by hand in step 5), `roemary` half right, one part of
exercise 1.2 wrong, and late (a resubmission), `smithjo` blank (uploaded as `ch01_intuition
(1).ipynb`), `leeanne` all wrong and tampered (every locked cell edited); and three more,
`raising` (code that raises), `deleted` (right, with a check cell deleted) and `loophole` (all
wrong, every checker replaced in an answer cell: `check_close = ... = lambda *a, **k: None`).

tests/test_instructors_workflow.py tests the page's workflow on it, tests/test_autograde.py what
grading does with each kind of submission. The autograded notebooks and the feedback of the first
grading (step 4 to 6) are kept in `before_regrade/` before the regrade makes them again.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import nbformat

from tools import simulate_class as sim
from tools.clone import shared_clone

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "ch01_intuition"
PAGE = ROOT / "instructors.md"

#: Canvas's download names: (student id, file name in the zip, behaviour per exercise, options for `sim.submission`)
CLASS = [
    ("doejane", "doejane_1001_50001_ch01_intuition.ipynb", "correct", {}),
    ("roemary", "roemary_late_1002_50002_ch01_intuition-1.ipynb", "half", {}),
    ("smithjo", "smithjo_1003_50003_ch01_intuition (1).ipynb", "blank", {}),
    ("leeanne", "leeanne_1004_50004_ch01_intuition.ipynb", "wrong", {"tamper": True}),
    ("raising", "raising_1005_50005_ch01_intuition.ipynb", "raising", {}),
    ("deleted", "deleted_1006_50006_ch01_intuition.ipynb", "correct", {"delete": ("ex1_1_check",)}),
    ("loophole", "loophole_1007_50007_ch01_intuition.ipynb", "wrong", {"loophole": True}),
]
STUDENTS = [student for student, *_ in CLASS]
#: roemary's exercise 1.2 is right but for `C`, the second of its three independently graded parts
ONE_PART_WRONG = ("roemary", "C = 6", "C = 5", "ex1_2_check2")
#: blocks the test doesn't run, and why: each builds the whole site (minutes), which `make test`
#: does anyway (both editions); `make serve EDITION=student` is run by a test on its own
NOT_RUN = ("make book", "make serve")
#: the written answer the page grades by hand in step 5, and its points
WRITTEN, WRITTEN_POINTS = "ex1_5_written", 2.0
#: the score the instructor gives roemary's written answer in the formgrader before regrading
ROEMARY_WRITTEN = 1.0
#: the private hidden test the instructor adds before regrading, written as the page says (a check
#: with hidden=True): it wants the exact slope 6, so it fails the first part of everyone's exercise 1.1
PRIVATE_LINE = 'check_close("k_by_hand", 6.0, hidden=True)'
PRIVATE_TEST = f"### BEGIN HIDDEN TESTS\n{PRIVATE_LINE}\n### END HIDDEN TESTS"


def bash_blocks(text: str) -> list[str]:
    """The page's ```bash blocks, in order (indented ones too)."""
    return [re.sub(r"(?m)^" + indent, "", body) for indent, body in re.findall(r"(?ms)^( *)```bash\n(.*?)^\1```", text)]


def behaviours(kind: str, exercises: list[str]) -> dict[str, str]:
    if kind == "half":
        return {ex: "correct" if i < len(exercises) // 2 else "wrong" for i, ex in enumerate(exercises)}
    return dict.fromkeys(exercises, kind)


def read_grades(path) -> dict[str, dict]:
    """The rows of an exported CSV of this assignment, by student."""
    with open(path, newline="") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle) if row["assignment"] == ASSIGNMENT}


def read_scores(path) -> dict[str, float]:
    return {student: float(row["score"]) for student, row in read_grades(path).items()}


def give_by_hand(clone, student: str, score: float) -> None:
    """Score a written answer as the formgrader does (its page calls nbgrader's API the same way)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{clone / 'gradebook.db'}") as gradebook:
        grade = gradebook.find_grade(WRITTEN, ASSIGNMENT, ASSIGNMENT, student)
        grade.manual_score, grade.needs_manual_grade = score, False
        gradebook.db.commit()


def gradebook_scores(clone) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{clone / 'gradebook.db'}") as gradebook:
        return {s: gradebook.find_submission(ASSIGNMENT, s).score for s in STUDENTS}


def one_part_wrong(nb):
    """`nb` with the one part of exercise 1.2 answered wrongly (`ONE_PART_WRONG`)."""
    _, right, wrong, _ = ONE_PART_WRONG
    cell = next(c for c in nb.cells if right in c.source.split("\n"))
    cell.source = cell.source.replace(right, wrong)
    return nb


def run(workdir: Path) -> dict:
    """Clone the repository into `workdir`, run every block of the page there; what the test saw
    on the way, as JSON (shared by the test processes of one run: `loaded` reads it back)."""
    clone = shared_clone(workdir / "nudge")
    env = dict(os.environ)
    env.update(
        PATH=f"{clone / '.venv' / 'bin'}{os.pathsep}{env['PATH']}",
        VIRTUAL_ENV=str(clone / ".venv"),
        # the shared .venv has `nudge` installed from this checkout: the clone's own must win
        PYTHONPATH=str(clone),
    )
    source_path = clone / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    source = nbformat.read(source_path, as_version=4)
    released = nbformat.read(clone / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    exercises = sorted(sim.points(source))
    seen = {"clone": str(clone), "env": env, "behaviours": {}, "logs": [], "times": {}}

    def before(block: str) -> None:
        if "zip_collect" in block:  # the instructor downloads the class from Canvas
            archive = clone / "downloaded" / ASSIGNMENT / "archive"
            archive.mkdir(parents=True)
            with zipfile.ZipFile(archive / "submissions.zip", "w") as bundle:
                for student, name, kind, options in CLASS:
                    seen["behaviours"][student] = behaviours(kind, exercises)
                    nb = sim.submission(source, released, seen["behaviours"][student], **options)
                    if student == ONE_PART_WRONG[0]:
                        nb = one_part_wrong(nb)
                    bundle.writestr(name, nbformat.writes(nb))
        if block.startswith("# 5."):
            seen["scores_before_hand_grading"] = gradebook_scores(clone)
        if block.startswith("# regrade"):  # the instructor adds a private hidden test to exercise 1.1
            give_by_hand(clone, "roemary", ROEMARY_WRITTEN)  # in the formgrader, before regrading
            seen["grades_before_regrading"] = read_grades(clone / "grades.csv")
            for graded in ("autograded", "feedback"):  # what the first grading made, before the regrade remakes it
                shutil.copytree(clone / graded, workdir / "before_regrade" / graded)
            nb = nbformat.read(source_path, as_version=4)
            check = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "ex1_1_check")
            check.source += "\n" + PRIVATE_TEST
            nbformat.write(nb, source_path)

    for block in bash_blocks(PAGE.read_text()):
        if block.lstrip().startswith(NOT_RUN):
            continue
        before(block)
        started = time.perf_counter()
        done = subprocess.run(["bash", "-e", "-c", block], cwd=clone, env=env, capture_output=True, text=True)
        seen["times"][block.splitlines()[0]] = time.perf_counter() - started
        seen["logs"].append((block, done.stdout + done.stderr))
        if done.returncode != 0:
            raise AssertionError(f"this block of instructors.md failed:\n{block}\n{done.stdout}\n{done.stderr}")
        if block.startswith("# 1."):
            seen["status_after_step_1"] = subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=clone,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
    print("\n".join(f"{seconds:6.1f} s  {first}" for first, seconds in seen["times"].items()))
    return seen


def loaded(seen: dict) -> dict:
    """What `run` saw, with its folders as paths and the assignment's source notebook as it was
    handed out (before the private hidden test)."""
    clone = Path(seen["clone"])
    committed = subprocess.run(
        ["git", "show", f"HEAD:solutions/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"],
        cwd=clone,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    source = nbformat.reads(committed, as_version=4)
    return {**seen, "clone": clone, "before_regrade": clone.parent / "before_regrade", "source": source}


def share(workdir: Path) -> dict:
    """`run` once per test run, whichever test process asks first; the others wait and read its record."""
    import fcntl

    workdir.mkdir(parents=True, exist_ok=True)
    with open(workdir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = workdir / "seen.json"
        if not record.exists():
            failed = workdir / "failed.txt"
            if failed.exists():  # another process tried and failed: say so without running it all again
                raise AssertionError(failed.read_text())
            try:
                record.write_text(json.dumps(run(workdir)))
            except Exception as error:
                failed.write_text(f"the simulated class failed in another test process:\n{error}")
                raise
    return loaded(json.loads(record.read_text()))


def expected_scores(course, private_test: bool) -> dict[str, float]:
    """Each student's score in the exported CSV after step 6 or, with `private_test`, after the regrade."""
    source, found = course["source"], {}
    ex1_1 = private_test_points(source)
    for student in STUDENTS:
        chosen = course["behaviours"][student]
        score = sim.expected_autograde(source, chosen)
        if student == ONE_PART_WRONG[0]:
            score -= part_points(source)[ONE_PART_WRONG[3]]
        if student == "doejane":
            score += WRITTEN_POINTS  # step 5 of the page
        if student == "roemary" and private_test:
            score += ROEMARY_WRITTEN  # in the formgrader, before regrading
        if private_test and chosen["1.1"] == "correct":
            score -= ex1_1
        found[student] = score
    return found


def part_points(source) -> dict[str, float]:
    """The points of each graded cell of exercise 1.2, by grade id: its three independent parts."""
    cells = [c.metadata.nbgrader for c in source.cells if c.metadata.get("nbgrader", {}).get("grade")]
    return {m.grade_id: m.points for m in cells if m.grade_id.startswith("ex1_2_")}


def private_test_points(source) -> float:
    """The points of the check cell that takes the private test: exercise 1.1's first part, `k_by_hand`."""
    cell = next(c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "ex1_1_check")
    return float(cell.metadata.nbgrader.points)


def total_points(source) -> float:
    return sum(p["auto"] + p["manual"] for p in sim.points(source).values())
