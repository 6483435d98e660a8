"""instructors.md, word for word: every `bash` block of the page runs, in order, in a fresh
clone of this repository, on a class downloaded from Canvas (the `graded_class` fixture,
`tests/graded_class.py`, which tests/test_autograde.py reads too).

The page's class: `doejane` right, `roemary` half right and late (a resubmission), `smithjo` blank
(uploaded as `ch01_intuition (1).ipynb`), `leeanne` tampered (every locked cell edited); three
more students carry what tests/test_autograde.py needs. Between blocks the test does what the
instructor would do by hand: put the LMS's download in place, and before the regrading block add a
private hidden test to the source. The clone shares this checkout's .venv and node_modules (set up
already), as `source .venv/bin/activate` would.
"""

from __future__ import annotations

import re
import subprocess
import urllib.request

import pytest

from graded_class import (
    ASSIGNMENT,
    PAGE,
    PRIVATE_LINE,
    ROEMARY_WRITTEN,
    STUDENTS,
    WRITTEN,
    WRITTEN_POINTS,
    bash_blocks,
    expected_scores,
    private_test_points,
    read_scores,
    total_points,
)


@pytest.fixture(scope="module")
def course(graded_class):
    return graded_class


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
    assert submitted == set(STUDENTS)
    collect_log = next(out for block, out in course["logs"] if "zip_collect" in block)
    assert re.search(r"Late .*: roemary", collect_log)
    on_time = "|".join(student for student in STUDENTS if student != "roemary")
    assert not re.search(rf"Late .*: ({on_time})", collect_log)


def test_the_csv_holds_the_expected_scores(course):
    # each student's score is the points of their right answers: tests/test_autograde.py, one test per student
    scores = {student: float(row["score"]) for student, row in course["grades_before_regrading"].items()}
    assert scores["doejane"] == total_points(course["source"])
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
    total = total_points(course["source"]) - lost
    assert re.search(rf"Score:\s*{total:g}\.0\s*/\s*{total + lost:g}\.0", text)


def test_a_private_hidden_test_reaches_the_gradebook_and_stays_out_of_sight(course):
    assert read_scores(course["clone"] / "grades.csv") == expected_scores(course, private_test=True)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=course["clone"], capture_output=True, text=True
    )
    assert status.stdout.strip() == f"M solutions/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"  # the student notebook is unchanged
    for student in STUDENTS:
        page = course["clone"] / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert PRIVATE_LINE not in page.read_text() and "6.0, hidden" not in page.read_text()


def test_the_points_table_is_printed(course):
    out = next(out for block, out in course["logs"] if "nudge.grading points" in block)
    assert f"**total {total_points(course['source']):g}**" in out


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
