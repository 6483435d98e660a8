"""A simulated class, graded with the real nbgrader command line and a sqlite gradebook.

Nine students hand in chapter 1's exercises through an LMS-style zip (`zip_collect`): all
right, all wrong, code that raises, blank, tampered (every locked cell edited), partly right,
right but with a check cell deleted, right but one part of an exercise, and all wrong with every
checker replaced in an answer cell (the loophole: `check_close = ... = lambda *a, **k: None`).
`autograde`, `generate_feedback` and `export` run once for the module; the tests read the
gradebook's CSV, autograde's log, the autograded notebooks and the feedback.
"""

from __future__ import annotations

import csv
import html
import re

import nbformat
import pytest

from tools import simulate_class as sim

ASSIGNMENT = "ch01_intuition"


def _class(source, released):
    exercises = sorted(sim.points(source))
    every = {behaviour: dict.fromkeys(exercises, behaviour) for behaviour in sim.BEHAVIOURS}
    partly = {ex: "correct" if ex in ("1.1", "1.3") else "wrong" for ex in exercises}
    return {
        # name: (behaviours, options for `submission`)
        "allright": (every["correct"], {}),
        "allwrong": (every["wrong"], {}),
        "raising": (every["raising"], {}),
        "blank": (every["blank"], {}),
        "tampered": (every["wrong"], {"tamper": True}),
        "partly": (partly, {}),
        "deleted": (every["correct"], {"delete": ("ex1_1_check",)}),
        "onepart": (every["correct"], {}),  # then one part of exercise 1.2 is made wrong, below
        "loophole": (every["wrong"], {"loophole": True}),
    }


#: exercise 1.2's `C`, the second of its three independently graded parts, answered wrongly
ONE_PART_WRONG = ("C = 6", "C = 5", "ex1_2_check2")


def _read_csv(path):
    with open(path, newline="") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    released_path = sim.make_course(course, ASSIGNMENT)
    source = nbformat.read(course / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    released = nbformat.read(released_path, as_version=4)
    roster = _class(source, released)
    notebooks = {name: sim.submission(source, released, b, **options) for name, (b, options) in roster.items()}
    right, wrong, _ = ONE_PART_WRONG
    answer = next(c for c in notebooks["onepart"].cells if right in c.source.split("\n"))
    answer.source = answer.source.replace(right, wrong)
    sim.write_class(course, ASSIGNMENT, notebooks)
    sim.nbgrader(course, "zip_collect", ASSIGNMENT)
    autograde_log = sim.nbgrader(course, "autograde", ASSIGNMENT)
    sim.nbgrader(course, "generate_feedback", ASSIGNMENT)
    sim.nbgrader(course, "export", "--to", "grades.csv")
    before = _read_csv(course / "grades.csv")
    # the instructor reads the written answer and gives it full marks (formgrader does this in a browser)
    from nbgrader.api import Gradebook

    written = next(c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_written"))
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        grade = gradebook.find_grade(written.metadata.nbgrader["grade_id"], ASSIGNMENT, ASSIGNMENT, "allright")
        grade.manual_score = written.metadata.nbgrader["points"]
        gradebook.db.commit()
    sim.nbgrader(course, "export", "--to", "grades-after-manual.csv")
    return {
        "course": course,
        "source": source,
        "roster": roster,
        "grades": before,
        "autograde_log": autograde_log,
        "grades_after_manual": _read_csv(course / "grades-after-manual.csv"),
    }


def _autograded(graded, student):
    path = graded["course"] / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    return nbformat.read(path, as_version=4)


def test_zip_collect_finds_every_student(graded):
    submitted = {p.parent.parent.name for p in (graded["course"] / "submitted").glob(f"*/{ASSIGNMENT}/*.ipynb")}
    assert submitted == set(graded["roster"])


def test_an_exercise_with_independent_parts_gives_the_points_of_the_right_parts(graded):
    graded_cells = [c.metadata.nbgrader for c in graded["source"].cells if c.metadata.get("nbgrader", {}).get("grade")]
    parts = {m.grade_id: m.points for m in graded_cells if m.grade_id.startswith("ex1_2_")}
    assert len(parts) == 3 and sum(parts.values()) == 3
    allright, onepart = float(graded["grades"]["allright"]["score"]), float(graded["grades"]["onepart"]["score"])
    assert onepart == allright - parts[ONE_PART_WRONG[2]]


def test_validate_shows_why_each_check_of_a_blank_notebook_fails(graded):
    # nbgrader's Validate (the button and `nbgrader validate`) shows only each failing cell's exception
    blank = graded["course"] / "submitted" / "blank" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    out = sim.nbgrader(graded["course"], "validate", str(blank))
    reasons = re.findall(r"^\s*CheckFailed: (.*)$", out, re.M)  # the command line cuts each one at ~90 characters
    source = graded["source"].cells
    checks = [c for c in source if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    assert len(reasons) == len(checks), out
    assert all(reason.startswith("✗ ") for reason in reasons), reasons
    assert reasons[0].startswith("✗ `k_by_hand` is still `...`"), reasons[0]


@pytest.mark.parametrize(
    "student", ["allright", "allwrong", "raising", "blank", "tampered", "partly", "deleted", "loophole"]
)
def test_exported_score_is_the_points_of_the_right_answers(graded, student):
    behaviours, _ = graded["roster"][student]
    row = graded["grades"][student]
    total = sum(p["auto"] + p["manual"] for p in sim.points(graded["source"]).values())
    assert float(row["max_score"]) == total
    assert float(row["score"]) == sim.expected_autograde(graded["source"], behaviours)


def test_the_scores_are_not_trivial(graded):
    scores = {name: float(row["score"]) for name, row in graded["grades"].items()}
    assert scores["allright"] > scores["partly"] > 0
    assert scores["allwrong"] == scores["blank"] == scores["raising"] == scores["tampered"] == scores["loophole"] == 0


def test_autograde_names_each_tampering_student_once_and_no_one_else(graded):
    log = graded["autograde_log"]
    warned = re.findall(r"TAMPERING by (\w+): (.*)", log)
    assert sorted(student for student, _ in warned) == ["deleted", "loophole", "tampered"], log
    reasons = dict(warned)
    assert "ex1_1_check (deleted)" in reasons["deleted"]
    assert "ex1_1_given (edited)" in reasons["tampered"] and "ex1_4_check2 (edited)" in reasons["tampered"]
    assert "check_close =" in reasons["loophole"] and "changed cells" not in reasons["loophole"]
    assert "checksum" not in log  # nbgrader's warning for every check cell with hidden tests, honest or not


def test_a_written_answer_counts_once_it_is_graded_by_hand(graded):
    row = graded["grades_after_manual"]["allright"]
    assert float(row["score"]) == float(row["max_score"])


def test_tampered_cells_are_graded_from_the_source(graded):
    source = {c.metadata["nbgrader"]["grade_id"]: c.source for c in graded["source"].cells if "nbgrader" in c.metadata}
    tampered = _autograded(graded, "tampered")
    locked = [c for c in tampered.cells if c.metadata.get("nbgrader", {}).get("locked")]
    assert locked
    for cell in locked:
        assert cell.source == source[cell.metadata.nbgrader["grade_id"]]
        assert "edited by the student" not in cell.source


def test_a_deleted_check_cell_is_put_back_and_run(graded):
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in _autograded(graded, "deleted").cells}
    assert "ex1_1_check" in cells
    assert any("✓" in out.get("text", "") for out in cells["ex1_1_check"].outputs)


def test_failed_checks_show_a_sentence_not_a_traceback(graded):
    for student in ("allwrong", "raising", "blank"):
        grade_cells = [c for c in _autograded(graded, student).cells if c.metadata.get("nbgrader", {}).get("grade")]
        for cell in (c for c in grade_cells if c.cell_type == "code"):
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert [e.ename for e in errors] == ["CheckFailed"], (student, cell.metadata.nbgrader["grade_id"])
            # one line that carries the reason: nbgrader's feedback and Validate show only the exception
            (line,) = errors[0].traceback
            assert line.startswith("CheckFailed: ✗ "), line


def _hidden_lines(source_nb):
    lines = []
    for cell in source_nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and len(line.strip()) > 8:
                lines.append(line.strip())
    return lines


def _text(path):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", path.read_text())).split())


def test_feedback_shows_results_but_not_the_hidden_tests(graded):
    hidden = _hidden_lines(graded["source"])
    assert hidden
    for student in graded["roster"]:
        page = graded["course"] / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        text = _text(page)
        assert "HIDDEN TESTS" not in text
        leaked = [line for line in hidden if " ".join(line.split()) in text]
        assert not leaked, (student, leaked)
    blank = _text(graded["course"] / "feedback" / "blank" / ASSIGNMENT / f"{ASSIGNMENT}.html")
    assert "✗" in blank and "Traceback (most recent call last)" not in blank
    # the book's own markup, which a page outside the book shows as raw text, stays out
    assert "(ex-ch01)=" not in blank and "don't edit this file" not in blank and "Exercises 1:" in blank
