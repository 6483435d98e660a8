"""instructors.md, word for word: every `bash` block of the page runs, in order, in a fresh
clone of this repository, on a small class downloaded from Canvas.

The class: `doejane` right, `roemary` half right and late (a resubmission), `smithjo` blank
(uploaded as `ch01_intuition (1).ipynb`), `leeanne` tampered (every locked cell edited). Between
blocks the test does what the instructor would do by hand: put the LMS's download in place, and
before the regrading block add a private hidden test to the source. The clone shares this
checkout's .venv and node_modules (set up already), as `source .venv/bin/activate` would.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import time
import urllib.request
import zipfile

import nbformat
import pytest

from conftest import ROOT
from tools import simulate_class as sim

ASSIGNMENT = "ch01_intuition"
PAGE = ROOT / "instructors.md"

#: Canvas's download names: (student id, file name in the zip, behaviour per exercise, tampered)
CLASS = [
    ("doejane", "doejane_1001_50001_ch01_intuition.ipynb", "correct", False),
    ("roemary", "roemary_late_1002_50002_ch01_intuition-1.ipynb", "half", False),
    ("smithjo", "smithjo_1003_50003_ch01_intuition (1).ipynb", "blank", False),
    ("leeanne", "leeanne_1004_50004_ch01_intuition.ipynb", "wrong", True),
]
#: blocks the test doesn't run, and why: each builds the whole site (minutes), which `make test`
#: does anyway (both editions); `make serve EDITION=student` is run below on its own
NOT_RUN = ("make book", "make serve")
#: the written answer the page grades by hand in step 5, and its points
WRITTEN, WRITTEN_POINTS = "ex1_5_written", 2.0
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


def read_scores(path) -> dict[str, float]:
    with open(path, newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["assignment"] == ASSIGNMENT]
    return {row["student_id"]: float(row["score"]) for row in rows}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A fresh clone where every block of the page has run; what the test saw on the way."""
    clone = tmp_path_factory.mktemp("instructor") / "nudge"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    for shared in (".venv", "node_modules"):
        (clone / shared).symlink_to(ROOT / shared)
    # the clone's make must not set the shared .venv up again (its `pip install -e .` would point
    # every other test's `nudge` at this clone): what the set-up is made from is older than it
    for made_from in ("requirements.txt", "pyproject.toml", "package.json", "package-lock.json"):
        os.utime(clone / made_from, (0, 0))
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
    seen = {"source": source, "behaviours": {}, "logs": [], "times": {}}

    def before(block: str) -> None:
        if "zip_collect" in block:  # the instructor downloads the class from Canvas
            archive = clone / "downloaded" / ASSIGNMENT / "archive"
            archive.mkdir(parents=True)
            with zipfile.ZipFile(archive / "submissions.zip", "w") as bundle:
                for student, name, kind, tampered in CLASS:
                    seen["behaviours"][student] = behaviours(kind, exercises)
                    nb = sim.submission(source, released, seen["behaviours"][student], tamper=tampered)
                    bundle.writestr(name, nbformat.writes(nb))
        if block.startswith("# regrade"):  # the instructor adds a private hidden test to exercise 1.1
            give_by_hand(clone, "roemary", ROEMARY_WRITTEN)  # in the formgrader, before regrading
            seen["scores_before_regrading"] = read_scores(clone / "grades.csv")
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
        assert done.returncode == 0, f"this block of instructors.md failed:\n{block}\n{done.stdout}\n{done.stderr}"
        if block.startswith("# 1."):
            seen["status_after_step_1"] = subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=clone,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
    seen["clone"], seen["env"] = clone, env
    print("\n".join(f"{seconds:6.1f} s  {first}" for first, seconds in seen["times"].items()))
    return seen


#: the score the instructor gives roemary's written answer in the formgrader before regrading
ROEMARY_WRITTEN = 1.0


def give_by_hand(clone, student: str, score: float) -> None:
    """Score a written answer as the formgrader does (its page calls nbgrader's API the same way)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{clone / 'gradebook.db'}") as gradebook:
        grade = gradebook.find_grade(WRITTEN, ASSIGNMENT, ASSIGNMENT, student)
        grade.manual_score, grade.needs_manual_grade = score, False
        gradebook.db.commit()


def expected_scores(course, private_test: bool) -> dict[str, float]:
    source, found = course["source"], {}
    ex1_1 = private_test_points(source)
    for student, _, _, _ in CLASS:
        chosen = course["behaviours"][student]
        score = sim.expected_autograde(source, chosen)
        if student == "doejane":
            score += WRITTEN_POINTS  # step 5 of the page
        if student == "roemary" and private_test:
            score += ROEMARY_WRITTEN  # in the formgrader, before regrading
        if private_test and chosen["1.1"] == "correct":
            score -= ex1_1
        found[student] = score
    return found


def private_test_points(source) -> float:
    """The points of the check cell that takes the private test: exercise 1.1's first part, `k_by_hand`."""
    cell = next(c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "ex1_1_check")
    return float(cell.metadata.nbgrader.points)


def test_the_page_has_the_blocks_the_test_relies_on():
    firsts = [block.splitlines()[0] for block in bash_blocks(PAGE.read_text())]
    for step in ("# 1.", "# 3.", "# 4.", "# 5.", "# 6.", "# regrade"):
        assert any(first.startswith(step) for first in firsts), step


def test_step_1_records_the_assignment_and_changes_no_committed_file(course):
    assert course["status_after_step_1"] == ""
    log = "\n".join(out for _, out in course["logs"])
    assert "Skipping existing assignment" not in log


def test_every_student_is_collected_and_late_work_is_named(course):
    submitted = {p.parent.parent.name for p in (course["clone"] / "submitted").glob(f"*/{ASSIGNMENT}/*.ipynb")}
    assert submitted == {student for student, *_ in CLASS}
    collect_log = next(out for block, out in course["logs"] if "zip_collect" in block)
    assert re.search(r"Late .*: roemary", collect_log)
    assert not re.search(r"Late .*: (doejane|smithjo|leeanne)", collect_log)


def test_the_csv_holds_the_expected_scores(course):
    scores = course["scores_before_regrading"]
    assert scores == expected_scores(course, private_test=False)
    assert scores["doejane"] == sum(p["auto"] + p["manual"] for p in sim.points(course["source"]).values())
    assert scores["doejane"] > scores["roemary"] > 0 == scores["smithjo"] == scores["leeanne"]


def test_every_written_answer_graded_by_hand_keeps_its_grade_through_the_regrade(course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course['clone'] / 'gradebook.db'}") as gradebook:
        for student, score in (("doejane", WRITTEN_POINTS), ("roemary", ROEMARY_WRITTEN)):
            grade = gradebook.find_grade(WRITTEN, ASSIGNMENT, ASSIGNMENT, student)
            assert (grade.manual_score, grade.needs_manual_grade) == (score, False), student
    regrade = next(out for block, out in course["logs"] if block.startswith("# regrade"))
    reopened = re.findall(r"HAND GRADES TO CONFIRM for (\w+): (.*)", regrade)
    assert sorted(student for student, _ in reopened) == ["doejane", "roemary"], regrade
    assert "confirmed: roemary ex1_5_written 1" in regrade


def test_feedback_shows_the_written_score_given_by_hand(course):
    page = course["clone"] / "feedback" / "doejane" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    text = re.sub(r"<[^>]+>", " ", page.read_text())
    lost = private_test_points(course["source"])  # the private test fails the first part of exercise 1.1
    total = sum(p["auto"] + p["manual"] for p in sim.points(course["source"]).values()) - lost
    assert re.search(rf"Score:\s*{total:g}\.0\s*/\s*{total + lost:g}\.0", text)


def test_a_private_hidden_test_reaches_the_gradebook_and_stays_out_of_sight(course):
    assert read_scores(course["clone"] / "grades.csv") == expected_scores(course, private_test=True)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=course["clone"], capture_output=True, text=True
    )
    assert status.stdout.strip() == f"M solutions/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"  # the student notebook is unchanged
    for student, *_ in CLASS:
        page = course["clone"] / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert PRIVATE_LINE not in page.read_text() and "6.0, hidden" not in page.read_text()


def test_the_points_table_is_printed(course):
    out = next(out for block, out in course["logs"] if "nudge.grading points" in block)
    total = sum(p["auto"] + p["manual"] for p in sim.points(course["source"]).values())
    assert f"**total {total:g}**" in out


@pytest.mark.browser
def test_feedback_math_renders_without_a_network(course, browser):
    page_path = course["clone"] / "feedback" / "doejane" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert "cdnjs" not in page_path.read_text()
    context = browser.new_context()
    page = context.new_page()
    remote = []
    context.route(re.compile(r"^https?://"), lambda route: (remote.append(route.request.url), route.abort()))
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(page_path.as_uri())
    page.wait_for_function("document.querySelectorAll('mjx-container svg').length > 5", timeout=30_000)
    assert not remote and not errors
    context.close()


def test_student_edition_is_what_make_serve_serves(course):
    """`make serve EDITION=student` after `make book EDITION=student` serves the student edition."""
    clone = course["clone"]
    site = clone / "_build" / "student" / "_build" / "html"
    site.mkdir(parents=True)
    (site / "index.html").write_text("the student edition")
    env = {**course["env"], "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        ["make", "serve", "EDITION=student", "PORT=0"], cwd=clone, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        lines = []  # make's own lines and its echo of the command, then the server's address
        while not (address := re.search(r"http://127\.0\.0\.1:\d+\S*", lines[-1] if lines else "")):
            lines.append(server.stdout.readline())
            assert len(lines) < 6 and lines[-1], lines
        with urllib.request.urlopen(f"{address[0].rstrip('/')}/index.html", timeout=10) as reply:
            assert reply.read().decode() == "the student edition"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_students_branch_holds_no_answer_key(course, tmp_path):
    clone = course["clone"]
    commits = subprocess.run(["git", "rev-list", "students"], cwd=clone, capture_output=True, text=True, check=True)
    for commit in commits.stdout.split():
        files = subprocess.run(
            ["git", "ls-tree", "-r", "--name-only", commit], cwd=clone, capture_output=True, text=True, check=True
        ).stdout.split("\n")
        assert f"exercises/{ASSIGNMENT}/{ASSIGNMENT}.ipynb" in files and "nudge/checks/__init__.py" in files
        assert not [name for name in files if name.startswith(("solutions/", "tests/", "tools/"))], commit
    # what nbgitpuller or Binder fetch: a clone of the branch
    student = tmp_path / "student"
    subprocess.run(["git", "clone", "-q", "--branch", "students", str(clone), str(student)], check=True)
    assert (student / "exercises" / ASSIGNMENT).is_dir() and not (student / "solutions").exists()
