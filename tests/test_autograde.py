"""A simulated class, graded with the real nbgrader command line and a sqlite gradebook.

The class is the one instructors.md's workflow grades (`graded_class`, `tests/graded_class.py`):
collected from an LMS-style zip (`zip_collect`), students right (`doejane`, her written answer
graded by hand), half right with one part of an exercise wrong (`roemary`), blank (`smithjo`),
all wrong and tampered (`leeanne`, every locked cell edited), with code that raises (`raising`),
right but with a check cell deleted (`deleted`), and all wrong with every checker replaced in an
answer cell (`loophole`: `check_close = ... = lambda *a, **k: None`). The tests read the
gradebook's CSV, autograde's log, the autograded notebooks and the feedback of the first grading
(before the page's regrade).
"""

from __future__ import annotations

import html
import re

import nbformat
import pytest

from graded_class import (
    ASSIGNMENT,
    ONE_PART_WRONG,
    STUDENTS,
    WRITTEN_POINTS,
    expected_scores,
    part_points,
    total_points,
)
from tools import simulate_class as sim


@pytest.fixture(scope="module")
def graded(graded_class):
    grades = graded_class["grades_before_regrading"]
    autograde_log = next(out for block, out in graded_class["logs"] if block.startswith("# 4."))
    return {**graded_class, "course": graded_class["clone"], "grades": grades, "autograde_log": autograde_log}


def _autograded(graded, student):
    path = graded["before_regrade"] / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    return nbformat.read(path, as_version=4)


def test_an_exercise_with_independent_parts_gives_the_points_of_the_right_parts(graded):
    parts = part_points(graded["source"])
    assert len(parts) == 3 and sum(parts.values()) == 3
    student, *_, wrong_part = ONE_PART_WRONG  # exercise 1.2 right but for one part
    assert graded["behaviours"][student]["1.2"] == "correct"
    right_answers = sim.expected_autograde(graded["source"], graded["behaviours"][student])
    assert float(graded["grades"][student]["score"]) == right_answers - parts[wrong_part]


def test_validate_shows_why_each_check_of_a_blank_notebook_fails(graded):
    # nbgrader's Validate (the button and `nbgrader validate`) shows only each failing cell's exception
    blank = graded["course"] / "submitted" / "smithjo" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    out = sim.nbgrader(graded["course"], "validate", str(blank))
    reasons = re.findall(r"^\s*CheckFailed: (.*)$", out, re.M)  # the command line cuts each one at ~90 characters
    source = graded["source"].cells
    checks = [c for c in source if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    assert len(reasons) == len(checks), out
    assert all(reason.startswith("✗ ") for reason in reasons), reasons
    assert reasons[0].startswith("✗ `k_by_hand` is still `...`"), reasons[0]


@pytest.mark.parametrize("student", STUDENTS)
def test_exported_score_is_the_points_of_the_right_answers(graded, student):
    # and of the written answer graded by hand (doejane's, step 5 of instructors.md)
    row = graded["grades"][student]
    assert float(row["max_score"]) == total_points(graded["source"])
    assert float(row["score"]) == expected_scores(graded, private_test=False)[student]


def test_the_scores_are_not_trivial(graded):
    scores = {name: float(row["score"]) for name, row in graded["grades"].items()}
    assert scores["doejane"] > scores["roemary"] > 0
    assert scores["smithjo"] == scores["raising"] == scores["leeanne"] == scores["loophole"] == 0


def test_autograde_names_each_tampering_student_once_and_no_one_else(graded):
    log = graded["autograde_log"]
    warned = re.findall(r"TAMPERING by (\w+): (.*)", log)
    assert sorted(student for student, _ in warned) == ["deleted", "leeanne", "loophole"], log
    reasons = dict(warned)
    assert "ex1_1_check (deleted)" in reasons["deleted"]
    assert "ex1_1_given (edited)" in reasons["leeanne"] and "ex1_4_check2 (edited)" in reasons["leeanne"]
    assert "check_close =" in reasons["loophole"] and "changed cells" not in reasons["loophole"]
    assert "checksum" not in log  # nbgrader's warning for every check cell with hidden tests, honest or not


def test_a_written_answer_counts_once_it_is_graded_by_hand(graded):
    before = graded["scores_before_hand_grading"]["doejane"]  # every check passed, the written answer not graded
    assert before == sim.expected_autograde(graded["source"], graded["behaviours"]["doejane"])
    assert before == total_points(graded["source"]) - WRITTEN_POINTS
    row = graded["grades"]["doejane"]
    assert float(row["score"]) == float(row["max_score"])


def test_tampered_cells_are_graded_from_the_source(graded):
    source = {c.metadata["nbgrader"]["grade_id"]: c.source for c in graded["source"].cells if "nbgrader" in c.metadata}
    tampered = _autograded(graded, "leeanne")
    locked = [c for c in tampered.cells if c.metadata.get("nbgrader", {}).get("locked")]
    assert locked
    for cell in locked:
        assert cell.source == source[cell.metadata.nbgrader["grade_id"]]
        assert "edited by the student" not in cell.source


def test_a_deleted_check_cell_is_put_back_and_run(graded):
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in _autograded(graded, "deleted").cells}
    assert "ex1_1_check" in cells
    shown = [out.get("text", "") + out.get("data", {}).get("text/plain", "") for out in cells["ex1_1_check"].outputs]
    assert any("✓" in text for text in shown), shown


def test_failed_checks_show_a_sentence_not_a_traceback(graded):
    for student in ("leeanne", "loophole", "raising", "smithjo"):  # all wrong, raising, blank
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
    for student in STUDENTS:
        page = graded["before_regrade"] / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        text = _text(page)
        assert "HIDDEN TESTS" not in text
        leaked = [line for line in hidden if " ".join(line.split()) in text]
        assert not leaked, (student, leaked)
    blank = _text(graded["before_regrade"] / "feedback" / "smithjo" / ASSIGNMENT / f"{ASSIGNMENT}.html")
    assert "✗" in blank and "Traceback (most recent call last)" not in blank
    # the book's own markup, which a page outside the book shows as raw text, stays out
    assert "(ex-ch01)=" not in blank and "don't edit this file" not in blank and "Exercises 1:" in blank
