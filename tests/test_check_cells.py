"""No check cell a student sees gives its answer away.

A student notebook's check cells (`exercises/`) show the checks that guide: `check_close("p",
np.exp(z) / np.exp(z).sum())` would hand over the softmax it asks for. The test reads each
solution's own answer (in `solutions/`, between nbgrader's solution markers) and flags a visible
check whose arguments repeat it: the expression the solution assigns to the checked name, or the
value a function of that name returns, also inside a larger argument; or the value a check compares
the answer with, where it is computed in plain sight (`check_close("p", np.exp(z) / ...)`,
`check_close("dL_da", true_slope(...))`): running it prints the answer. What a check is given to
work from (the function to differentiate, the point) is not an answer, even where a solution
computes it too, and neither is a plain number a check expects (`check_close("gap", 0)`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from nudge_solutions import worked_solution

SOLUTIONS = sorted((ROOT / "solutions").glob("*/*.ipynb"))
#: checks that take the value an answer must equal as an argument, and its position
EXPECTED_VALUE = {"check_close": 1}


def _code(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except SyntaxError:  # an IPython magic or a placeholder: nothing to compare
        return None


def _negative_number(node: ast.AST) -> bool:
    return isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant)


def answers(notebook) -> dict[str, set[str]]:
    """What the answer cells' solutions give each name: the expressions assigned to it, or that it returns."""
    by_name: dict[str, set[str]] = {}
    for cell in notebook.cells:
        if cell.cell_type != "code" or not cell.metadata.get("nbgrader", {}).get("solution"):
            continue
        tree = _code(worked_solution(cell.source))
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        by_name.setdefault(target.id, set()).add(ast.unparse(node.value))
            elif isinstance(node, ast.FunctionDef):
                returns = {ast.unparse(r.value) for r in ast.walk(node) if isinstance(r, ast.Return) and r.value}
                by_name.setdefault(node.name, set()).update(returns)
    return by_name


def given_away(exercise, solution) -> list[str]:
    """The visible checks of the student notebook `exercise` that repeat an answer of `solution`."""
    by_name = answers(solution)
    found = []
    for cell in exercise.cells:
        if cell.cell_type != "code" or not cell.metadata.get("nbgrader", {}).get("grade"):
            continue
        tree = _code(cell.source)
        for call in ast.walk(tree) if tree else []:
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
                continue
            if not call.func.id.startswith("check"):
                continue
            if not (call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)):
                continue
            name = call.args[0].value
            where = cell.metadata["nbgrader"]["grade_id"]
            expected = EXPECTED_VALUE.get(call.func.id)
            if expected is not None and len(call.args) > expected:
                value = call.args[expected]
                if not isinstance(value, (ast.Constant, ast.Name, ast.Tuple)) and not _negative_number(value):
                    found.append(f"{where}: {ast.unparse(call)}")
                    continue
            for argument in [*call.args[1:], *(k.value for k in call.keywords)]:
                # a bare name is what the check is given (`w`, `loss`), never the answer itself
                parts = {ast.unparse(n) for n in ast.walk(argument) if not isinstance(n, (ast.Name, ast.expr_context))}
                if parts & by_name.get(name, set()):
                    found.append(f"{where}: {ast.unparse(call)}")
                    break
    return found


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda path: path.stem)
def test_no_visible_check_gives_its_answer_away(solution: Path):
    exercise = ROOT / "exercises" / solution.parent.name / solution.name
    found = given_away(nbformat.read(exercise, as_version=4), nbformat.read(solution, as_version=4))
    assert not found, f"{exercise.relative_to(ROOT)} shows the answer in its checks:\n" + "\n".join(found)


def test_the_scan_finds_an_answer_given_away():
    solution = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "p = ...\n### BEGIN SOLUTION\np = np.exp(z) / np.exp(z).sum()\n### END SOLUTION",
                metadata={"nbgrader": {"solution": True, "grade": False, "grade_id": "a"}},
            ),
        ]
    )
    honest = 'check_softmax("p", z)\ncheck_close("p_sum", 1.0, rtol=1e-9)'
    repeats = 'check_array("p", np.exp(z) / np.exp(z).sum())'
    computes = 'check_close("p", softmax(z))'
    for source, expected in [(honest, []), (repeats, ["c: "]), (computes, ["c: "])]:
        cell = nbformat.v4.new_code_cell(source, metadata={"nbgrader": {"grade": True, "grade_id": "c"}})
        found = given_away(nbformat.v4.new_notebook(cells=[cell]), solution)
        assert [f[:3] for f in found] == expected, found
