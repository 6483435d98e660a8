"""No answer sees ✓ and then scores 0: every exercise's visible checks and hidden tests, run on a table of answers.

A student reads only the visible checks. If an answer passes every one of them with a plain ✓ and
then fails a hidden test, the student had no way to know: the grade says 0 where the notebook said
right. So, for every answer cell of every exercise source, this runs the check cells after it
(visible part and hidden tests, as a student's run does outside grading, where a hidden failure
prints "✗ A graded test of …") on a table of answers:

- every float and float array the solution assigns, and every function it defines (its result),
  in float32 (a torch `.grad`, `astype(np.float32)`) and rounded to 4 significant digits (typed
  by hand);
- the answers a review found, one row each in `ANSWERS`.

It fails when a hidden test fails while every visible line was a ✓ that did not say the value is
checked only when graded ("said something": a ✗, or a ✓ that defers the value). A row marked
`judged` must be judged by a visible check: for it a deferring ✓ is not enough either; a row marked
`refused` is wrong, and a visible check must say ✗ to it.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from conftest import ROOT
from pages import nbgrader_meta

matplotlib.use("Agg")

SOLUTIONS = sorted(ROOT.glob("solutions/ch[0-9][0-9]_*/ch[0-9][0-9]_*.ipynb"))
HIDDEN_FAILED = "✗ A graded test of "
DEFERRED = re.compile(r"checked when (the notebook is )?graded")


@dataclass(frozen=True)
class Answer:
    """An answer to try: `code` run after the answer cell `cell` (its grade id) in the solution's namespace."""

    cell: str
    code: str
    why: str
    judged: bool = False  # a visible check must judge it: "checked when graded" is not enough
    refused: bool = False  # it is wrong, and a visible check must say ✗


#: answers a reader or a review typed, beyond the generic float32 and rounded ones
ANSWERS = [
    Answer("ex3_3_answer", "def sigmoid_prime(x):\n    return np.exp(-x) / (1 + np.exp(-x)) ** 2", "e^-x/(1+e^-x)^2"),
    Answer("ex3_3_answer", "def sigmoid_prime(x):\n    s = sigmoid(x)\n    return s * (1 + s)", "s(1 + s)"),
    Answer("ex7_3_answer", "lr_converges = 0.49", "a slow but convergent rate"),
    Answer("ex7_3_answer", "lr_converges = 1e-10", "a tiny rate: converges, slowly"),
    Answer("ex7_3_answer", "lr_diverges = 0.5000000001", "just above the limit"),
    Answer("ex8_1_answer", "shape_Y = (3.0000001, 2)", "a shape that is not whole numbers", refused=True),
    Answer("ex8_1_answer", "shape_dA = (3.0, 4.0)", "a shape written with floats"),
    Answer("ex9_2_answer", "slope_ce, slope_se = -0.982, -0.0173", "typed by hand", judged=True),
    Answer("ex9_4_answer", "err_V = 123.0", "the error of a correct tensor that is not small", refused=True),
    Answer(
        "ex9_4_answer",
        "errors = {name: relative_error(suspect[name], numerical_gradient("
        "lambda v: net_loss(**{**params4, name: v}), value, method='forward')) for name, value in params4.items()}\n"
        "err_W, err_b, err_V = errors['W'], errors['b'], errors['V']",
        "forward differences",
    ),
    Answer("ex9_5_answer", "he_std = 0.0884", "typed by hand", judged=True),
    Answer("ex9_5_answer", "he_std = 1 / np.sqrt(fan_in)", "LeCun's scale for ReLU", judged=True),
]


def run(code: str, namespace: dict) -> list[str]:
    """Run a cell's code in `namespace` as the kernel would; return the lines it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(TransformerManager().transform_cell(code), "<cell>", "exec"), namespace)
    return out.getvalue().splitlines()


def assigned(source: str) -> list[str]:
    """The names an answer cell's code binds at its top level (variables and functions)."""
    names = []
    for node in ast.parse(TransformerManager().transform_cell(source)).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            names += [t.id for t in ast.walk(target) if isinstance(t, ast.Name)]
        if isinstance(node, ast.FunctionDef):
            names.append(node.name)
    return list(dict.fromkeys(names))


def _is_float(value) -> bool:
    return isinstance(value, (float, np.floating)) or (isinstance(value, np.ndarray) and value.dtype.kind == "f")


def float32(value):
    return value.astype(np.float32) if isinstance(value, np.ndarray) else np.float32(value)


def rounded(value):
    return np.vectorize(lambda v: float(f"{v:.4g}"))(value) if isinstance(value, np.ndarray) else float(f"{value:.4g}")


def through(fn, change):
    """`fn` with `change` applied to what it returns when that is a float or a float array."""

    def changed(*args, **kwargs):
        result = fn(*args, **kwargs)
        return change(result) if _is_float(result) else result

    changed.__name__ = fn.__name__
    return changed


def generic_answers(names: list[str], namespace: dict) -> list[tuple[str, dict]]:
    """(why, the namespace's changed entries) for each variable and function the answer cell binds."""
    found = []
    for name in names:
        value = namespace.get(name)
        for why, change in (("float32", float32), ("4 significant digits", rounded)):
            if _is_float(value) and not isinstance(value, bool):
                found.append((f"{name} in {why}", {name: change(value)}))
            elif callable(value) and getattr(value, "__module__", None) is None and not isinstance(value, type):
                found.append((f"{name}'s result in {why}", {name: through(value, change)}))
    return found


def grade_units(solution: Path):
    """Each answer cell with the check cells right after it, and the cells to run before."""
    cells = [
        c
        for c in nbformat.read(solution, as_version=4).cells
        if c.cell_type == "code" and "remove-cell" not in c.metadata.get("tags", [])
    ]
    for i, cell in enumerate(cells):
        meta = nbgrader_meta(cell)
        if not meta.get("solution"):
            continue
        checks = []
        for after in cells[i + 1 :]:
            if not nbgrader_meta(after).get("grade"):
                break
            checks.append(after)
        yield cells[:i], cell, checks


def silent_zeros(lines: list[str], judged: bool) -> list[str]:
    """The hidden failures the visible lines said nothing about."""
    hidden = [line for line in lines if line.startswith(HIDDEN_FAILED)]
    visible = [line for line in lines if not line.startswith(HIDDEN_FAILED)]
    said = any(not line.startswith("✓ ") or (DEFERRED.search(line) and not judged) for line in visible)
    return [] if said else hidden


def consistency_failures(solution: Path) -> list[str]:
    """Every answer of the table that sees ✓ and then 0 in the exercise source `solution`."""
    failures = []
    cwd = os.getcwd()
    os.chdir(solution.parent)
    try:
        namespace: dict = {"__name__": "__main__"}
        done = 0
        for before, answer, checks in grade_units(solution):
            for cell in before[done:]:
                run(cell.source, namespace)
            run(answer.source, namespace)
            done = len(before) + 1
            grade_id = nbgrader_meta(answer)["grade_id"]
            snapshot = dict(namespace)
            tries = [
                (why, changes, False, False) for why, changes in generic_answers(assigned(answer.source), snapshot)
            ]
            for row in (r for r in ANSWERS if r.cell == grade_id):
                scratch = dict(snapshot)
                run(row.code, scratch)
                changes = {k: v for k, v in scratch.items() if snapshot.get(k, scratch) is not v}
                tries.append((row.why, changes, row.judged, row.refused))
            for why, changes, judged, refused in tries:
                scratch = {**snapshot, **changes}
                lines = [line for check in checks for line in run(check.source, scratch)]
                for line in silent_zeros(lines, judged):
                    failures.append(f"{grade_id}, {why}: the visible checks said {lines}, then {line}")
                if refused and not any(line.startswith("✗ ") and HIDDEN_FAILED not in line for line in lines):
                    failures.append(f"{grade_id}, {why}: a wrong answer, and the visible checks said {lines}")
    finally:
        os.chdir(cwd)
    return failures


def test_every_row_of_the_table_names_an_answer_cell():
    ids = {
        nbgrader_meta(c).get("grade_id")
        for s in SOLUTIONS
        for c in nbformat.read(s, as_version=4).cells
        if nbgrader_meta(c).get("solution")
    }
    assert {row.cell for row in ANSWERS} <= ids


def test_the_rule_catches_a_plain_tick_then_a_hidden_failure():
    assert silent_zeros(["✓ k is right.", HIDDEN_FAILED + "k failed: k is too large."], judged=False)
    assert not silent_zeros(["✗ k is too large.", HIDDEN_FAILED + "k failed: …"], judged=False)
    deferred = ["✓ k is a number; its value is checked when the notebook is graded.", HIDDEN_FAILED + "k failed"]
    assert not silent_zeros(deferred, judged=False) and silent_zeros(deferred, judged=True)


@pytest.mark.parametrize("solution", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_no_answer_sees_a_tick_then_scores_zero(solution):
    failures = consistency_failures(solution)
    assert not failures, "\n".join(failures)
