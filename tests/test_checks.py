"""The exercise checkers: right answers pass, each kind of wrong answer gets its own sentence,
and nothing a student can type makes a checker crash."""

from __future__ import annotations

import contextlib
import math
import re
import sys
import warnings
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nudge import checks
from nudge.checks import (
    MISSING,
    UNEXPECTED,
    CheckFailed,
    Verdict,
    check_close,
    check_difference_function,
    check_function,
    verdict_array,
    verdict_best_step,
    verdict_close,
    verdict_derivative_expr,
    verdict_derivative_function,
    verdict_descent_step,
    verdict_difference_function,
    verdict_extremum,
    verdict_function,
    verdict_number,
    verdict_quotient,
    verdict_roots,
    verdict_slope,
    verdict_step_errors,
)

X = sp.Symbol("x")
HS = 10.0 ** -np.arange(1, 8)


def square(w):
    return w**2


def minus_square(w):
    return -(w**2)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def central(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def forward(f, x, h=1e-5):
    return (f(x + h) - f(x)) / h


# --- right answers pass ----------------------------------------------------------------------

RIGHT = [
    ("number", verdict_number(3.5, "k")),
    ("integer", verdict_number(10, "n", integer=True, positive=True)),
    ("close", verdict_close(6.01, "k", 6.01)),
    ("close, array", verdict_close([1, 2, 3], "v", np.array([1.0, 2.0, 3.0]))),
    ("close, sympy zero", verdict_close(sp.simplify(sp.sin(X) ** 2 + sp.cos(X) ** 2 - 1), "gap", 0)),
    ("array", verdict_array(np.zeros(3), "v", (3,))),
    ("slope, sympy path", verdict_slope(12, "d", lambda x: x**3, 2)),
    ("slope, numeric path", verdict_slope(0.25, "d", sigmoid, 0.0)),
    ("slope, sympy expression", verdict_slope(sp.Integer(10), "d", 3 * X**5 - 2 * X**3 + X - 7, 1, wrt=X)),
    ("quotient", verdict_quotient(6.01, "k", square, 3, 0.01, "forward")),
    ("derivative expr", verdict_derivative_expr(15 * X**4 - 6 * X**2 + 1, "dp", 3 * X**5 - 2 * X**3 + X - 7, X)),
    ("derivative expr, own symbol", verdict_derivative_expr(2 * sp.Symbol("x", real=True), "d", X**2, X)),
    ("roots, any order", verdict_roots([1, -1], "r", X**2 - 1, X)),
    ("roots, sympy solve", verdict_roots(sp.solve(X**2 - 1, X), "r", X**2 - 1, X)),
    ("extremum", verdict_extremum(1, "m", X**3 - 3 * X, X, "min")),
    ("step errors", verdict_step_errors([abs(forward(square, 3.0, h) - 6) for h in HS], "e", square, 6.0, 3.0, HS)),
    ("best step", verdict_best_step(1e-7, "b", square, 6.0, 3.0, HS)),
    ("derivative function", verdict_derivative_function(lambda x: 2 * x, "df", square, [-1.0, 2.0], vectorized=True)),
    ("difference function", verdict_difference_function(central, "slope", "central")),
    ("descent step", verdict_descent_step(lambda loss, w, lr: w - lr * central(loss, w), "step")),
    ("function", verdict_function(lambda c: [k * a for k, a in enumerate(c)][1:], "d", [(([5, 0, 1],), [0, 2])])),
]


@pytest.mark.parametrize("verdict", [v for _, v in RIGHT], ids=[name for name, _ in RIGHT])
def test_right_answers_pass(verdict):
    assert verdict.ok, verdict.message


# --- each wrong answer gets its own sentence, and never the expected value -------------------------

WRONG = [
    (verdict_quotient("6.01", "k", square, 3, 0.01), "got the text '6.01' (remove the quotes)"),
    (verdict_quotient(..., "k", square, 3, 0.01), "`k` is still `...`"),
    (verdict_quotient(MISSING, "k", square, 3, 0.01), "`k` is not defined yet"),
    (verdict_quotient(None, "k", square, 3, 0.01), "`k` is None"),
    (verdict_quotient(float("nan"), "k", square, 3, 0.01), "k is NaN"),
    (verdict_quotient(math.inf, "k", square, 3, 0.01), "k is infinite"),
    (verdict_quotient([6.01], "k", square, 3, 0.01), "take it out with `k[0]`"),
    (verdict_quotient(np.array([6.01, 1]), "k", square, 3, 0.01), "an array of shape (2,)"),
    (verdict_quotient(True, "k", square, 3, 0.01), "True/False"),
    (verdict_quotient(6 + 1j, "k", square, 3, 0.01), "complex"),
    (verdict_quotient(X + 1, "k", square, 3, 0.01), "a formula in x"),
    (verdict_quotient(6.0, "k", square, 3, 0.01), "is the central difference quotient; this asks for the forward one"),
    (verdict_quotient(0.0601, "k", square, 3, 0.01), "not yet divided by the step"),
    (verdict_quotient(-6.01, "k", square, 3, 0.01), "wrong sign"),
    (verdict_slope(12.006, "d", lambda x: x**3, 2), "looks like an estimate"),
    (verdict_array([1, 2], "v", (3,)), "got 2 numbers"),
    (verdict_array(np.zeros((3, 1)), "v", (3,)), "arranged differently"),
    (verdict_array([1, [2, 3]], "v", (3,)), "rows have different lengths"),
    (verdict_array([1, "a", 3], "v", (3,)), "v[1]"),
    (verdict_derivative_expr("15*x**4", "dp", X**5 * 3, X), "got the text"),
    (verdict_derivative_expr(sp.lambdify(X, X**2), "d", X**2, X), "Python function"),
    (verdict_derivative_expr(X**2, "d", X**2, X), "the function itself"),
    (verdict_roots([1], "r", X**2 - 1, X), "missing 1 solution"),
    (verdict_roots([0, 1], "r", X**2 - 1, X), "not a solution"),
    (verdict_roots(1, "r", X**2 - 1, X), "put every solution in a list"),
    (verdict_extremum(-1, "m", X**3 - 3 * X, X, "min"), "it is a maximum"),
    (verdict_extremum(0.5, "m", X**3 - 3 * X, X, "min"), "further to the right"),
    (verdict_step_errors([forward(minus_square, 3.0, h) + 6 for h in HS], "e", minus_square, -6.0, 3, HS), "abs"),
    (verdict_best_step(1e-1, "b", square, 6.0, 3.0, HS), "largest error"),
    (verdict_best_step(3e-3, "b", square, 6.0, 3.0, HS), "one of the steps in hs"),
    (verdict_difference_function(forward, "slope", "central"), "gives the forward difference quotient"),
    (verdict_difference_function(lambda f, x, h=1e-5: 1 / 0, "slope"), "raised ZeroDivisionError: division by zero"),
    (verdict_difference_function(lambda f: 0, "slope"), "should take 3 argument(s)"),
    (verdict_difference_function(3.0, "slope"), "should be a function"),
    (verdict_difference_function(lambda f, x, h=1e-5: None, "slope"), "returned None"),
    (verdict_difference_function(lambda f, x, h=0.5: central(f, x, h), "slope"), "choose a small default step"),
    (verdict_derivative_function(lambda x: 2 * x if x > 0 else 0, "df", square, [-1.0, 2.0]), "df(-1.0) is too large"),
    (verdict_derivative_function(lambda x: 2 * math.sqrt(x * x), "df", square, [1.0], vectorized=True), "whole numpy"),
    (verdict_descent_step(lambda loss, w, lr: w + lr * central(loss, w), "step"), "steps uphill"),
    (verdict_descent_step(lambda loss, w, lr: -lr * central(loss, w), "step"), "returns the step, not the new w"),
    (verdict_function(lambda c: c, "d", [(([1, 2],), [2.0])]), "expected 1 numbers"),
    (verdict_function(lambda c: [0.0], "d", [(([1, 2],), [2.0])]), "returned [0.0], expected [2.0]"),
]


@pytest.mark.parametrize("verdict, phrase", WRONG, ids=[str(i) for i in range(len(WRONG))])
def test_each_wrong_answer_gets_its_own_sentence(verdict, phrase):
    assert_says(verdict, phrase)


def test_a_wrong_number_is_never_shown_the_expected_value():
    for got in (5.0, 7.5, -6.01, 6.0100001):
        message = verdict_quotient(got, "k", square, 3, 0.01).message
        assert "6.01" not in message and "6.009" not in message, message


def test_slow_and_looping_functions_are_stopped(monkeypatch):
    monkeypatch.setattr(checks.run, "TIME_LIMIT", 0.2)

    def loops(f, x, h=1e-5):
        while True:
            try:
                while True:
                    pass
            except Exception:  # the alarm is not an Exception, so this doesn't keep it running
                pass

    verdict = verdict_difference_function(loops, "slope")
    assert "ran for more than 0.2 s and was stopped" in verdict.message


def test_student_warnings_never_reach_stderr(capsys):
    def noisy(x):
        warnings.warn("student warning", RuntimeWarning, stacklevel=1)
        return np.exp(np.asarray(x) * 1000.0) * 0 + 2 * np.asarray(x)  # overflow inside numpy too

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any escaping warning would fail the test
        verdict = verdict_derivative_function(noisy, "df", square, [1.0, 2.0], vectorized=True)
    assert not verdict.ok  # inf * 0 is nan
    assert capsys.readouterr().err == ""


# --- the public layer: print a verdict, raise only CheckFailed, one-line rendering ---------------


def test_a_pass_prints_a_tick_and_returns_none(capsys):
    k = 6.01  # noqa: F841 (looked up by name)
    assert check_close("k", 6.01) is None
    assert capsys.readouterr().out == "✓ k is right.\n"


@pytest.fixture
def graded(monkeypatch):
    """What nbgrader's autograde and Validate set in the kernel's environment."""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")


def test_a_failure_prints_a_cross_and_goes_on_in_a_students_run(capsys, monkeypatch):
    # Run All must reach every check and every given cell below: nothing raises
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert not checks.grading()
    assert check_close("k", 6.01, namespace={"k": "6.01"}) is None
    out = capsys.readouterr().out
    assert out.startswith("✗ k: expected a number") and out.count("\n") == 1


@pytest.mark.parametrize("mode", ["autograde", "validate"])
def test_while_graded_a_failure_raises_one_line_that_says_why(capsys, monkeypatch, mode):
    monkeypatch.setenv("NBGRADER_EXECUTION", mode)
    with pytest.raises(CheckFailed) as failure:
        check_close("k", 6.01, namespace={"k": "6.01"})
    assert capsys.readouterr().out == ""  # the reason is in the exception: Validate shows only that
    reason = "✗ k: expected a number like 6.0, got the text '6.01' (remove the quotes)."
    assert str(failure.value) == reason
    assert failure.value._render_traceback_() == [f"CheckFailed: {reason}"]


def test_while_graded_a_pass_still_prints_its_tick(capsys, graded):
    assert check_close("k", 6.01, namespace={"k": 6.01}) is None
    assert capsys.readouterr().out == "✓ k is right.\n"


def test_a_name_not_yet_defined_is_a_sentence_not_a_name_error(capsys, graded):
    with pytest.raises(CheckFailed, match="`never_defined` is not defined yet"):
        check_close("never_defined", 1.0)


def test_hidden_checks_are_silent_on_a_pass_and_never_show_their_cases(capsys, graded):
    check_close("k", 6.01, namespace={"k": 6.01}, hidden=True)
    assert capsys.readouterr().out == ""
    with pytest.raises(CheckFailed) as failure:
        check_function("d", [((2.0,), 4.0)], namespace={"d": lambda v: v}, hidden=True)
    assert str(failure.value).startswith("✗ A graded test of d failed") and "4.0" not in str(failure.value)


def test_check_cells_pass_names_not_values():
    with pytest.raises(TypeError, match="name of the answer's variable"):
        check_difference_function(central)


# --- nothing a student types crashes a checker (hypothesis) --------------------------------------


class Evil:
    """Everything that can raise, does."""

    def __repr__(self):
        raise RuntimeError("repr")

    def __float__(self):
        raise ValueError("float")

    def __len__(self):
        raise TypeError("len")

    def __iter__(self):
        raise TypeError("iter")

    def __bool__(self):
        raise RuntimeError("bool")

    def __array__(self, *args, **kwargs):
        raise RuntimeError("array")


class FloatLike:
    def __init__(self, value):
        self.value = value

    def __float__(self):
        return self.value


def _recurse(*args):
    return _recurse(*args)


def _generator(*args):
    yield 1


def student_function(behaviour: str, payload):
    """A student's function that misbehaves in one way."""
    if behaviour == "returns":
        return lambda *args, **kwargs: payload
    if behaviour == "raises":
        exc = payload if isinstance(payload, BaseException) else ValueError("student bug")
        return lambda *args, **kwargs: (_ for _ in ()).throw(exc)
    if behaviour == "loops":

        def loops(*args):
            while True:
                pass

        return loops
    if behaviour == "recurses":
        return _recurse
    if behaviour == "no arguments":
        return lambda: payload
    if behaviour == "generator":
        return _generator
    if behaviour == "prints":
        return lambda *args: print("x" * 200)
    return lambda *args: payload


SCALARS = st.one_of(
    st.none(),
    st.just(Ellipsis),
    st.just(MISSING),
    st.just(NotImplemented),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["6.01", "1e-8", "nan", "inf", "[1, 2]", "x**2", ""]),
    st.binary(max_size=6),
    st.fractions(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.just(Decimal("sNaN")),
    st.sampled_from([np.float32(1.5), np.int8(-3), np.bool_(True), np.complex64(1j), np.datetime64("2020-01-01")]),
    st.builds(Evil),  # built, not sampled: hypothesis itself shows sampled values with repr()
    st.sampled_from([FloatLike(math.nan), FloatLike("text"), FloatLike(2.0), object(), Fraction(1, 3)]),
    st.sampled_from([X, X**2 - 1, sp.nan, sp.zoo, sp.oo, sp.I, sp.Rational(1, 4), sp.sqrt(2), sp.Symbol("y")]),
    st.sampled_from([sp.Matrix([1, 2, 3]), sp.FiniteSet(1, -1), sp.Interval(0, 1), sp.Eq(X, 1), sp.true, sp.S.Reals]),
    st.sampled_from([math.sin, np.sin, int, list, print, sp.diff, type]),
)

ARRAYS = hnp.arrays(
    dtype=st.sampled_from([np.float64, np.int64, np.bool_, np.complex128, np.dtype("U3"), np.dtype("datetime64[s]")]),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
)

VALUES = st.recursive(
    st.one_of(SCALARS, ARRAYS),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.dictionaries(st.text(max_size=3), children, max_size=3),
        st.frozensets(st.integers(), max_size=3),
    ),
    max_leaves=8,
)

FUNCTIONS = st.builds(
    student_function,
    st.sampled_from(["returns", "raises", "loops", "recurses", "no arguments", "generator", "prints", "returns"]),
    st.one_of(VALUES, st.sampled_from([SystemExit(1), ZeroDivisionError("x"), GeneratorExit(), MemoryError()])),
)

PROBLEMS = {
    "number": lambda v: verdict_number(v, "answer"),
    "integer": lambda v: verdict_number(v, "answer", integer=True, positive=True),
    "close": lambda v: verdict_close(v, "answer", 6.01),
    "close array": lambda v: verdict_close(v, "answer", [1.0, 2.0, 3.0]),
    "array": lambda v: verdict_array(v, "answer", (3,), nonnegative=True),
    "slope": lambda v: verdict_slope(v, "answer", square, 3.0),
    "quotient": lambda v: verdict_quotient(v, "answer", square, 3.0, 0.01),
    "derivative expr": lambda v: verdict_derivative_expr(v, "answer", X**3, X),
    "roots": lambda v: verdict_roots(v, "answer", X**2 - 1, X),
    "extremum": lambda v: verdict_extremum(v, "answer", X**3 - 3 * X, X, "min"),
    "step errors": lambda v: verdict_step_errors(v, "answer", square, 6.0, 3.0, HS),
    "best step": lambda v: verdict_best_step(v, "answer", square, 6.0, 3.0, HS),
    "derivative function": lambda v: verdict_derivative_function(v, "answer", sigmoid, [-1.0, 0.5], vectorized=True),
    "difference function": lambda v: verdict_difference_function(v, "answer"),
    "descent step": lambda v: verdict_descent_step(v, "answer"),
    "function": lambda v: verdict_function(v, "answer", [(([1, 2],), [2.0])]),
}


# --- shared with the checkers' tests of chapters 4 to 7 (test_ch04_partials_checks.py, …) ---------

#: hypothesis settings for feeding a checker generated bad answers
FUZZ = settings(
    max_examples=600,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@contextlib.contextmanager
def short_time_limit():
    """A 0.05 s limit for looping answers (restored by _restore_time_limit).

    An alarm that lands in a garbage-collector callback is "unraisable" and fires again 0.1 s
    later (see `time_limit`); meanwhile pytest's own reporting of it could be hit by that next
    alarm, so such reports are dropped here: they are about the harness, not the checker.
    """
    checks.run.TIME_LIMIT = 0.05
    hook, sys.unraisablehook = sys.unraisablehook, lambda unraisable: None
    try:
        yield
    finally:
        sys.unraisablehook = hook


def fuzzed(make_verdict, value) -> Verdict:
    """A checker's verdict on a generated answer, with a short time limit and warnings as errors."""
    with short_time_limit(), warnings.catch_warnings():
        warnings.simplefilter("error")
        return make_verdict(value)


def assert_graceful(verdict) -> None:
    """A verdict with a short message the checker designed (no "could not make sense of")."""
    assert isinstance(verdict, Verdict)
    assert isinstance(verdict.message, str) and 0 < len(verdict.message) < 600
    assert not UNEXPECTED.search(verdict.message), verdict.message


def assert_says(verdict, phrase: str) -> None:
    """A failing verdict whose message has the sentence written for this mistake."""
    assert not verdict.ok
    assert phrase in verdict.message, verdict.message
    assert not UNEXPECTED.search(verdict.message)


@pytest.fixture(autouse=True)
def _restore_time_limit():
    limit = checks.run.TIME_LIMIT
    yield
    checks.run.TIME_LIMIT = limit


def no_answer_crashes(problems: dict, *answers, per_checker: int = 150):
    """The test that feeds the checkers of `problems` (name: verdict of an answer) generated bad answers, about
    `per_checker` each, and the strategies `answers` too: every verdict is a sentence the checker designed.

    Counted per checker, so the suite's fuzzing time follows the number of checkers, not of test files."""

    # an alarm that lands in hypothesis's own gc callback is reported as "unraisable" and fires
    # again 0.1 s later (see `time_limit`); that report is about the test harness, not the checker
    @pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
    @settings(FUZZ, max_examples=per_checker * len(problems))
    @given(problem=st.sampled_from(sorted(problems)), value=st.one_of(VALUES, FUNCTIONS, *answers))
    def test_no_answer_crashes_a_checker(problem, value):
        assert_graceful(fuzzed(problems[problem], value))

    return test_no_answer_crashes_a_checker


def placeholders_get_their_own_sentence(problems: dict):
    """The test that each checker of `problems` answers a name not defined yet, `...` or None with its sentence."""

    @pytest.mark.parametrize("problem", sorted(problems))
    @pytest.mark.parametrize("value", [MISSING, ..., None], ids=["missing", "ellipsis", "none"])
    def test_placeholders_get_their_own_sentence(problem, value):
        message = problems[problem](value).message
        assert any(phrase in message for phrase in ("not defined yet", "still `...`", "is None")), message

    return test_placeholders_get_their_own_sentence


test_no_answer_crashes_a_checker = no_answer_crashes(PROBLEMS, per_checker=FUZZ.max_examples // len(PROBLEMS))


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(value=st.one_of(VALUES, FUNCTIONS))
def test_a_check_cell_only_ever_raises_check_failed(value):
    with short_time_limit(), pytest.MonkeyPatch.context() as patch:
        patch.setenv("NBGRADER_EXECUTION", "autograde")
        try:
            check_close("answer", 6.01, namespace={"answer": value})
        except CheckFailed:
            pass


def test_the_time_limit_uses_sigalrm_where_there_is_one():
    # on Windows (no SIGALRM) a looping answer is not stopped: say so here rather than discover it
    assert sys.platform == "win32" or hasattr(checks.run.signal, "setitimer")


def test_every_verdict_has_its_check_and_is_public():
    for key, verdict in checks.VERDICTS.items():
        assert verdict is getattr(checks, f"verdict_{key}")
        assert getattr(checks, f"check_{key}").__wrapped__ is verdict
        assert {f"check_{key}", f"verdict_{key}"} <= set(checks.__all__)


def test_the_instructors_table_of_checkers_is_the_one_the_docstrings_make():
    # a checker added, renamed or redocumented changes the table: regenerate it with `python -m nudge.checks`
    from conftest import ROOT

    page = (ROOT / "instructors.md").read_text()
    assert checks.checker_table() + "\n" in page, "paste the output of `python -m nudge.checks` into instructors.md"
    listed = set(re.findall(r"^\| `check_(\w+)` \|", page, re.M))
    assert listed == set(checks.VERDICTS)
