"""Chapter 4's verdicts (a partial derivative, an exact gradient and its difference quotient, the unit direction of
steepest descent, one descent step, a numerical-gradient function; the first three are generic, chapter 4's exercises
use them first): right answers pass, each kind of wrong answer gets its own sentence without the expected value, and
nothing a student types makes them crash."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from test_checks import (  # noqa: F401 (_restore_time_limit: an autouse fixture, here too)
    _restore_time_limit,
    assert_says,
    no_answer_crashes,
    placeholders_get_their_own_sentence,
)

from nudge import checks
from nudge.checks import (
    VERDICTS,
    CheckFailed,
    check_gradient_function,
    verdict_descent_point,
    verdict_exact_gradient,
    verdict_gradient_function,
    verdict_gradient_quotient,
    verdict_partial,
    verdict_unit_direction,
)
from nudge.numeric import numerical_gradient

X, Y = sp.symbols("x y")
F = X**2 * Y + 3 * Y  # ∂f/∂x = 2xy, ∂f/∂y = x² + 3
G = 2 * X + 3 * X * Y + Y**3  # gradient (8, 15) at (1, 2)
BOWL = (X - 1) ** 2 + 2 * (Y + 2) ** 2  # gradient (-2, 8) at (0, 0)
DOWN = np.array([2.0, -8.0]) / np.sqrt(68)


def paraboloid(p):
    return p[0] ** 2 + p[1] ** 2


def gradient_central(f, x, h=1e-4):
    return numerical_gradient(f, x, h)


def gradient_forward(f, x, h=1e-4):
    return numerical_gradient(f, x, h, method="forward")


def gradient_in_place(f, x, h=1e-4):
    """Right values, but nudges the caller's array and forgets to put entries back."""
    grad = np.zeros(np.shape(x))
    for idx in np.ndindex(np.shape(x)):
        original = x[idx]
        x[idx] = original + h
        f_plus = f(x)
        x[idx] = original - h
        grad[idx] = (f_plus - f(x)) / (2 * h)
    return grad


def gradient_ignoring_h(f, x, h=1e-4):
    return numerical_gradient(f, x)


def gradient_all_at_once(f, x, h=1e-4):
    return np.full(np.shape(x), (f(x + h) - f(x - h)) / (2 * h))


def gradient_flat(f, x, h=1e-4):
    return numerical_gradient(f, x, h).reshape(-1)


def gradient_of_one_entry(f, x, h=1e-4):
    return np.array([(f(float(v) + h) - f(float(v) - h)) / (2 * h) for v in np.ravel(x)]).reshape(np.shape(x))


def gradient_without_default(f, x, h):
    return numerical_gradient(f, x, h)


# --- right answers pass ----------------------------------------------------------------------

RIGHT = [
    ("partial", verdict_partial(-4, "d", F, X, {X: 2, Y: -1})),
    ("partial, sympy number", verdict_partial(sp.Integer(7), "d", F, Y, {X: 2, Y: -1})),
    ("gradient", verdict_exact_gradient([8, 15], "g", G, [X, Y], [1, 2])),
    ("gradient, sympy column", verdict_exact_gradient(sp.Matrix([8, 15]), "g", G, [X, Y], [1.0, 2.0])),
    ("gradient quotient, forward", verdict_gradient_quotient([2.01, 6.01], "g", paraboloid, [1, 3], 0.01, "forward")),
    ("gradient quotient, central", verdict_gradient_quotient([2.0, 6.0], "g", paraboloid, [1, 3], 0.01)),
    ("unit direction", verdict_unit_direction(DOWN, "u", BOWL, [X, Y], [0, 0])),
    ("unit direction, ascent", verdict_unit_direction(-DOWN, "u", BOWL, [X, Y], [0, 0], "ascent")),
    ("descent point", verdict_descent_point([0.2, -0.8], "p", BOWL, [X, Y], [0, 0], 0.1)),
    ("gradient function", verdict_gradient_function(gradient_central, "grad")),
]


@pytest.mark.parametrize("verdict", [v for _, v in RIGHT], ids=[name for name, _ in RIGHT])
def test_right_answers_pass(verdict):
    assert verdict.ok, verdict.message


def test_the_numerical_gradient_passes_every_shape_and_says_so():
    message = verdict_gradient_function(gradient_central, "grad").message
    assert "(), (2,), (2, 2), (2, 3)" in message and "x unchanged" in message


# --- each wrong answer gets its own sentence, and never the expected value -------------------------

WRONG = [
    (verdict_partial(7, "d", F, X, {X: 2, Y: -1}), "d is ∂f/∂y; this asks for ∂f/∂x"),
    (verdict_partial(-3.999, "d", F, X, {X: 2, Y: -1}), "looks like an estimate"),
    (verdict_partial(-7, "d", F, X, {X: 2, Y: -1}), "the value of f at the point, not its slope"),
    (verdict_partial(..., "d", F, X, {X: 2, Y: -1}), "`d` is still `...`"),
    (verdict_partial(2 * X * Y, "d", F, X, {X: 2, Y: -1}), "a formula in x, y, not a number"),
    (verdict_exact_gradient([15, 8], "g", G, [X, Y], [1, 2]), "in the wrong order: ∂f/∂x, ∂f/∂y"),
    (verdict_exact_gradient([-8, -15], "g", G, [X, Y], [1, 2]), "−∇f, which points downhill"),
    (verdict_exact_gradient([8.0001, 15], "g", G, [X, Y], [1, 2]), "looks like an estimate"),
    (verdict_exact_gradient([8, 15, 0], "g", G, [X, Y], [1, 2]), "got 3 numbers"),
    (verdict_exact_gradient(None, "g", G, [X, Y], [1, 2]), "`g` is None"),
    (verdict_exact_gradient([8, float("nan")], "g", G, [X, Y], [1, 2]), "g[1] is NaN"),
    (verdict_gradient_quotient([2.0, 6.0], "g", paraboloid, [1, 3], 0.01, "forward"), "holds central differences"),
    (verdict_gradient_quotient([6.01, 2.01], "g", paraboloid, [1, 3], 0.01, "forward"), "wrong order"),
    (verdict_gradient_quotient([0.0201, 0.0601], "g", paraboloid, [1, 3], 0.01, "forward"), "not yet divided"),
    (verdict_unit_direction(-DOWN, "u", BOWL, [X, Y], [0, 0]), "steepest ascent, along ∇f"),
    (verdict_unit_direction(2 * DOWN, "u", BOWL, [X, Y], [0, 0]), "divide it by its length"),
    (verdict_unit_direction([0.97014250, 0.24253563], "u", BOWL, [X, Y], [0, 0]), "runs along the contour line"),
    (verdict_unit_direction([1.0, 0.0], "u", BOWL, [X, Y], [0, 0]), "not along −∇f: it is 76° off"),
    (verdict_unit_direction([0, 0], "u", BOWL, [X, Y], [0, 0]), "the zero vector"),
    (verdict_unit_direction([3.0, 4.0], "u", BOWL, [X, Y], [0, 0]), "has length 5, and a unit vector has length 1"),
    (verdict_descent_point([-0.2, 0.8], "p", BOWL, [X, Y], [0, 0], 0.1), "steps uphill"),
    (verdict_descent_point([2.0, -8.0], "p", BOWL, [X, Y], [0, 0], 0.1), "by the whole gradient"),
    (verdict_descent_point([0.0, 0.0], "p", BOWL, [X, Y], [0, 0], 0.1), "hasn't moved"),
    (verdict_descent_point([0.0, -1.2], "p", BOWL, [X, Y], [1, 1], 0.1), "is the step, not the new point"),
    (verdict_gradient_function(gradient_forward, "grad"), "gives forward differences; this asks for central ones"),
    (verdict_gradient_function(gradient_in_place, "grad"), "changed the caller's array x"),
    (verdict_gradient_function(gradient_ignoring_h, "grad"), "doesn't use the step h it is given"),
    (verdict_gradient_function(gradient_all_at_once, "grad"), "nudges every entry at once"),
    (verdict_gradient_function(gradient_flat, "grad"), "arranged differently"),
    (verdict_gradient_function(gradient_of_one_entry, "grad"), "(a float); f takes the whole array x"),
    (verdict_gradient_function(gradient_without_default, "grad"), "needs a default step"),
    (verdict_gradient_function(lambda f: 0, "grad"), "should take 3 argument(s)"),
    (verdict_gradient_function(lambda f, x, h=1e-4: np.zeros(np.shape(x)), "grad"), "is all zeros"),
    (verdict_gradient_function(lambda f, x, h=1e-4: 1 / 0, "grad"), "raised ZeroDivisionError"),
    (verdict_gradient_function(lambda f, x, h=1e-4: None, "grad"), "returned None"),
    (verdict_gradient_function("numerical_gradient", "grad"), "should be a function"),
]


@pytest.mark.parametrize("verdict, phrase", WRONG, ids=[str(i) for i in range(len(WRONG))])
def test_each_wrong_answer_gets_its_own_sentence(verdict, phrase):
    assert_says(verdict, phrase)


def test_wrong_answers_never_show_the_expected_values():
    shown = [
        verdict_partial(5, "d", F, X, {X: 2, Y: -1}).message,
        verdict_exact_gradient([8, 14], "g", G, [X, Y], [1, 2]).message,
        verdict_descent_point([0.3, -0.8], "p", BOWL, [X, Y], [0, 0], 0.1).message,
    ]
    for message, secret in zip(shown, ["-4", "15", "0.2"], strict=True):
        assert secret not in message.replace("0.25", ""), message


def test_a_slow_gradient_function_is_stopped(monkeypatch):
    monkeypatch.setattr(checks.run, "TIME_LIMIT", 0.2)

    def loops(f, x, h=1e-4):
        while True:
            pass

    assert "was stopped" in verdict_gradient_function(loops, "grad").message


def test_the_check_prints_a_cross_and_raises_check_failed_while_graded(capsys, monkeypatch):
    check_gradient_function("grad", namespace={"grad": gradient_forward})
    assert capsys.readouterr().out.startswith("✗ grad(f, np.array(2.0), 0.1) with f = x**3 gives forward")
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    with pytest.raises(CheckFailed, match=r"^✗ grad\(f, np.array\(2.0\), 0.1\) with f = x\*\*3 gives forward"):
        check_gradient_function("grad", namespace={"grad": gradient_forward})


def test_every_new_checker_is_registered():
    for key in ("partial", "exact_gradient", "gradient_quotient", "unit_direction", "descent_point"):
        assert key in VERDICTS and f"check_{key}" in checks.__all__
    assert "gradient_function" in VERDICTS and "verdict_gradient_function" in checks.__all__


# --- nothing a student types crashes these checkers (hypothesis) ---------------------------------

PROBLEMS = {
    "partial": lambda v: verdict_partial(v, "answer", F, X, {X: 2, Y: -1}),
    "exact gradient": lambda v: verdict_exact_gradient(v, "answer", G, [X, Y], [1, 2]),
    "gradient quotient": lambda v: verdict_gradient_quotient(v, "answer", paraboloid, [1, 3], 0.01, "forward"),
    "unit direction": lambda v: verdict_unit_direction(v, "answer", BOWL, [X, Y], [0, 0]),
    "descent point": lambda v: verdict_descent_point(v, "answer", BOWL, [X, Y], [0, 0], 0.1),
    "gradient function": lambda v: verdict_gradient_function(v, "answer"),
}


test_no_answer_crashes_a_checker = no_answer_crashes(PROBLEMS)


test_placeholders_get_their_own_sentence = placeholders_get_their_own_sentence(PROBLEMS)
