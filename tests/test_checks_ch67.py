"""The checkers for chapters 6 and 7: a Value operation's backward rule, a gradient, one step of a
line fit, a training loop and a learning rate. Right answers pass, each kind of wrong answer gets
its own sentence without the expected value, and nothing a student can type makes them crash."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_checks import (  # noqa: F401 (_restore_time_limit: an autouse fixture, here too)
    FUNCTIONS,
    FUZZ,
    VALUES,
    _restore_time_limit,
    assert_graceful,
    assert_says,
    fuzzed,
)

from nudge import checks
from nudge.autodiff import Value
from nudge.checks import (
    VERDICTS,
    CheckFailed,
    check_learning_rate,
    verdict_dual_part,
    verdict_gradient,
    verdict_learning_rate,
    verdict_line_loss,
    verdict_line_step,
    verdict_training,
    verdict_value_op,
)
from nudge.tensor import Tensor

NEW = ("gradient", "value_op", "dual_part", "line_loss", "line_step", "training", "learning_rate")


# --- student answers, right and wrong --------------------------------------------------------------


def value_sin(v):
    out = Value(math.sin(v.data), (v,), "sin")

    def _backward():
        v.grad += math.cos(v.data) * out.grad

    out._backward = _backward
    return out


def sin_placeholder(v):
    out = Value(math.sin(v.data), (v,), "sin")

    def _backward(): ...  # add (d sin(v) / dv) * out.grad to v.grad

    out._backward = _backward
    return out


def sin_without_chain(v):
    out = Value(math.sin(v.data), (v,), "sin")

    def _backward():
        v.grad += math.cos(v.data)

    out._backward = _backward
    return out


def sin_assigns(v):
    out = Value(math.sin(v.data), (v,), "sin")

    def _backward():
        v.grad = math.cos(v.data) * out.grad

    out._backward = _backward
    return out


def sin_wrong_sign(v):
    out = Value(math.sin(v.data), (v,), "sin")

    def _backward():
        v.grad -= math.cos(v.data) * out.grad

    out._backward = _backward
    return out


def sin_no_rule(v):
    return Value(math.sin(v.data), (v,), "sin")


def sin_no_children(v):
    out = Value(math.sin(v.data), (), "sin")

    def _backward():
        v.grad += math.cos(v.data) * out.grad

    out._backward = _backward
    return out


def sin_raises_in_rule(v):
    out = Value(math.sin(v.data), (v,), "sin")

    def _backward():
        raise ValueError("student bug")

    out._backward = _backward
    return out


def sin_loops_in_rule(v):
    out = Value(math.sin(v.data), (v,), "sin")

    def _backward():
        while True:
            pass

    out._backward = _backward
    return out


def sin_grad_is_text(v):
    out = Value(math.sin(v.data), (v,), "sin")

    def _backward():
        v.grad = "cos"

    out._backward = _backward
    return out


def mse_step(a, b, xs, ys, lr, factor=2.0, scale=1.0):
    errors = a * xs + b - ys
    return a - lr * scale * factor * np.mean(errors * xs), b - lr * scale * factor * np.mean(errors)


def train_line(xs, ys, lr, steps):
    a, b = Value(0.0), Value(0.0)
    points = list(zip(np.asarray(xs).tolist(), np.asarray(ys).tolist(), strict=True))
    for _ in range(steps):
        loss = sum((a * xi + b - yi) ** 2 for xi, yi in points) / len(points)
        loss.backward()
        a.data -= lr * a.grad
        b.data -= lr * b.grad
    return a.data, b.data


XS = np.array([-1.0, 0.0, 1.0, 2.0, 3.0])
YS = np.array([-2.1, 1.2, 2.9, 5.2, 6.8])


def line_loss(a, b):
    return np.mean((a * XS + b - YS) ** 2)


def cube(t):
    return t**3


def quad_loss(w):
    return 2 * (w - 3) ** 2 + 1


def bowl(w):
    return np.sum(w**2) + w[0] * w[1] + np.sin(w[1])


POINT = np.array([1.0, -0.5])
BOWL_GRAD = np.array([2 * 1.0 - 0.5, 2 * -0.5 + 1.0 + math.cos(-0.5)])
TRAIN_ARGS = (XS, YS, 0.05, 300)


def training(value, **kwargs):
    return verdict_training(value, "train_line", line_loss, TRAIN_ARGS, (0.0, 0.0), 0.17, **kwargs)


# --- right answers pass ---------------------------------------------------------------------------

RIGHT = [
    ("value op, closure", verdict_value_op(value_sin, "value_sin", math.sin)),
    ("value op, built from engine operations", verdict_value_op(lambda v: v * v, "square", lambda t: t * t)),
    ("value op, random points", verdict_value_op(value_sin, "value_sin", math.sin, np.linspace(-4, 4, 9))),
    ("gradient", verdict_gradient(BOWL_GRAD, "grad", bowl, POINT)),
    ("gradient, a list", verdict_gradient(BOWL_GRAD.tolist(), "grad", bowl, POINT)),
    ("gradient, a Tensor's grad", verdict_gradient(Tensor(BOWL_GRAD).data, "grad", bowl, POINT)),
    ("line step", verdict_line_step(mse_step, "step")),
    ("line step, Values back", verdict_line_step(lambda *args: tuple(Value(w) for w in mse_step(*args)), "step")),
    ("line step, an array back", verdict_line_step(lambda *args: np.array(mse_step(*args)), "step")),
    ("training", training(train_line)),
    ("learning rate converges", verdict_learning_rate(0.2, "lr", quad_loss, 0.0)),
    ("learning rate diverges", verdict_learning_rate(0.6, "lr", quad_loss, 0.0, behaviour="diverges")),
    ("learning rate, far too large", verdict_learning_rate(1e300, "lr", quad_loss, 0.0, behaviour="diverges")),
    ("learning rate, tiny: converges slowly", verdict_learning_rate(2e-10, "lr", quad_loss, 0.0)),
    ("learning rate, far tinier", verdict_learning_rate(1e-13, "lr", quad_loss, 0.0)),
    ("learning rate just below the limit", verdict_learning_rate(0.4999999999, "lr", quad_loss, 0.0)),
    ("learning rate just above it", verdict_learning_rate(0.5000000001, "lr", quad_loss, 0.0, behaviour="diverges")),
    ("dual number part", verdict_dual_part(8.0, "value", cube, 2.0)),
    ("dual ε part", verdict_dual_part(12, "deriv", cube, 2.0, part="eps")),
    ("line loss", verdict_line_loss(line_loss(0.5, 1.0), "loss", 0.5, 1.0, XS, YS)),
    ("line loss, float32", verdict_line_loss(np.float32(line_loss(0.0, 0.0)), "loss", 0.0, 0.0, XS, YS)),
]


@pytest.mark.parametrize("verdict", [v for _, v in RIGHT], ids=[name for name, _ in RIGHT])
def test_right_answers_pass(verdict):
    assert verdict.ok, verdict.message


# --- each wrong answer gets its own sentence ----------------------------------------------------------

WRONG = [
    (verdict_value_op(sin_placeholder, "value_sin", math.sin), "`...` placeholder"),
    (verdict_value_op(sin_without_chain, "value_sin", math.sin), "multiply the local derivative by `out.grad`"),
    (verdict_value_op(sin_assigns, "value_sin", math.sin), "add to v.grad with `+=`, don't assign it"),
    (verdict_value_op(sin_wrong_sign, "value_sin", math.sin), "v.grad has the wrong sign"),
    (verdict_value_op(sin_no_rule, "value_sin", math.sin), "set `out._backward = _backward`"),
    (verdict_value_op(sin_no_children, "value_sin", math.sin), "doesn't record v as its input"),
    (verdict_value_op(lambda v: v, "value_sin", math.sin), "returned its input"),
    (verdict_value_op(lambda v: math.sin(v.data), "value_sin", math.sin), "expected a Value: wrap the result"),
    (verdict_value_op(lambda v: "sin", "value_sin", math.sin), "should return a Value, got the text 'sin'"),
    (verdict_value_op(lambda v: Value(math.cos(v.data), (v,)), "value_sin", math.sin), ".data has the wrong sign"),
    (verdict_value_op(sin_raises_in_rule, "value_sin", math.sin), "backward() raised ValueError: student bug"),
    (verdict_value_op(sin_grad_is_text, "value_sin", math.sin), "got the text 'cos'"),
    (verdict_value_op(lambda: 0, "value_sin", math.sin), "should take 1 argument(s)"),
    (verdict_value_op(..., "value_sin", math.sin), "`value_sin` is still `...`"),
    (verdict_gradient(-BOWL_GRAD, "grad", bowl, POINT), "every partial derivative has the wrong sign"),
    (verdict_gradient(BOWL_GRAD * [1, 1.5], "grad", bowl, POINT), "1 of 2 values of grad are off; grad[1]"),
    (verdict_gradient(BOWL_GRAD[:1], "grad", bowl, POINT), "expected an array of 2 partial derivatives"),
    (verdict_gradient([Value(1.0), Value(2.0)], "grad", bowl, POINT), "take each one's `.grad`"),
    (verdict_gradient(Tensor(BOWL_GRAD), "grad", bowl, POINT), "is a Tensor"),
    (verdict_gradient([np.nan, 1.0], "grad", bowl, POINT), "grad[0] is NaN"),
    (verdict_line_step(lambda *args: mse_step(*args)[::-1], "step"), "in the order (a, b)"),
    (verdict_line_step(lambda a, b, xs, ys, lr: mse_step(a, b, xs, ys, -lr), "step"), "steps uphill"),
    (verdict_line_step(lambda a, b, xs, ys, lr: mse_step(a, b, xs, ys, lr, factor=1), "step"), "a factor 2"),
    (verdict_line_step(lambda a, b, xs, ys, lr: mse_step(a, b, xs, ys, lr, scale=xs.size), "step"), "divide"),
    (verdict_line_step(lambda a, b, xs, ys, lr: (a - mse_step(a, b, xs, ys, lr)[0], 0.0), "step"), "wrong sign"),
    (verdict_line_step(lambda a, b, xs, ys, lr: (a - lr, b - lr), "step"), "values of step(0.5, -0.2"),
    (verdict_line_step(lambda a, b, xs, ys, lr: 1.0, "step"), "returned the single number 1"),
    (verdict_line_step(lambda a, b, xs, ys, lr: (1.0, 2.0, 3.0), "step"), "expected the pair (a, b)"),
    (verdict_line_step(lambda a, b, xs, ys, lr: (math.nan, 0.0), "step"), "is NaN"),
    (verdict_line_step(lambda a, b: (a, b), "step"), "should take 5 argument(s)"),
    (training(lambda xs, ys, lr, steps: train_line(xs, ys, -lr, steps)), "the loss went up"),
    (training(lambda xs, ys, lr, steps: train_line(xs, ys, lr, 2)), "but not below 0.17"),
    (training(lambda xs, ys, lr, steps: (0.0, 0.0)), "the loss did not move"),
    (training(lambda xs, ys, lr, steps: (1e200, 1e200)), "the weights ran away"),
    (training(lambda xs, ys, lr, steps: (math.inf, 0.0)), "is infinite"),
    (training(lambda xs, ys, lr, steps: Value(1.0)), "returned one Value"),
    (training(lambda xs, ys, lr, steps: None), "returned None"),
    (verdict_learning_rate(0.6, "lr", quad_loss, 0.0), "run away (the loss grows"),
    (verdict_learning_rate(0.6, "lr", quad_loss, 0.0), "take a smaller η"),
    (verdict_learning_rate(0.001, "lr", quad_loss, 0.0, behaviour="diverges"), "converge, slowly"),
    (verdict_learning_rate(0.5, "lr", quad_loss, 0.0), "bounce from side to side"),
    (verdict_learning_rate(0.2, "lr", quad_loss, 0.0, behaviour="diverges"), "take a larger η"),
    (verdict_learning_rate(0.0, "lr", quad_loss, 0.0), "a learning rate is a positive number"),
    (verdict_learning_rate(-0.1, "lr", quad_loss, 0.0, behaviour="diverges"), "a learning rate is a positive number"),
    (verdict_learning_rate("0.1", "lr", quad_loss, 0.0), "remove the quotes"),
    (verdict_learning_rate(math.nan, "lr", quad_loss, 0.0), "lr is NaN"),
    # the edges a review found: just past the limit runs away, just below it converges, near it is "slightly"
    (verdict_learning_rate(0.5000000001, "lr", quad_loss, 0.0), "run away"),
    (verdict_learning_rate(0.4999999999, "lr", quad_loss, 0.0, behaviour="diverges"), "converge, slowly"),
    (verdict_learning_rate(0.49, "lr", quad_loss, 0.0, behaviour="diverges"), "take a slightly larger η"),
    (verdict_learning_rate(0.49999999, "lr", quad_loss, 0.0, behaviour="diverges"), "η = 0.49999999,"),
    (verdict_learning_rate(0.01, "lr", quad_loss, 0.0, behaviour="diverges"), "take a much larger η"),
    (verdict_dual_part(12.0, "value", cube, 2.0), "is the ε part f′(x); this asks for the number part f(x)"),
    (verdict_dual_part(8.0, "deriv", cube, 2.0, part="eps"), "is the number part f(x); this asks for the ε part"),
    (verdict_dual_part(27.0, "value", cube, 2.0), "keeps the terms in ε², ε³"),
    (verdict_dual_part(19.0, "deriv", cube, 2.0, part="eps"), "keeps the terms in ε², ε³"),
    (verdict_dual_part(6.0, "deriv", cube, 2.0, part="eps"), "too small. Expand f(x + ε)"),
    (verdict_line_loss(line_loss(0.0, 0.0) * XS.size, "loss", 0.0, 0.0, XS, YS), "divide by n = 5"),
    (verdict_line_loss(np.mean(-YS), "loss", 0.0, 0.0, XS, YS), "is the mean error, not squared"),
    (verdict_line_loss(np.mean(np.abs(YS)), "loss", 0.0, 0.0, XS, YS), "mean absolute error"),
    (verdict_line_loss(math.sqrt(line_loss(0.0, 0.0)), "loss", 0.0, 0.0, XS, YS), "root of the mean squared error"),
    (verdict_line_loss(line_loss(0.0, 0.0) / 2, "loss", 0.0, 0.0, XS, YS), "no factor ½"),
    (verdict_line_loss(line_loss(0.0, 0.0) + 1, "loss", 0.0, 0.0, XS, YS), "too large"),
    (verdict_line_loss("9", "loss", 0.0, 0.0, XS, YS), "remove the quotes"),
]


@pytest.mark.parametrize("verdict, phrase", WRONG, ids=[str(i) for i in range(len(WRONG))])
def test_each_wrong_answer_gets_its_own_sentence(verdict, phrase):
    assert_says(verdict, phrase)


def test_a_wrong_gradient_or_step_never_shows_the_expected_values():
    messages = [verdict_gradient(BOWL_GRAD * 1.3, "grad", bowl, POINT).message]
    for a, b, xs, ys, lr in checks.ch07_gradient_descent._LINE_CASES:
        a_new, b_new = mse_step(a, b, np.array(xs), np.array(ys), lr)
        messages.append(verdict_line_step(lambda *args, a_new=a_new: (a_new * 1.1, 0.0), "step").message)
        for value in (a_new, b_new):
            assert all(f"{value:.4g}" not in message for message in messages), messages
    for value in BOWL_GRAD:
        assert f"{value:.4g}" not in messages[0]
    for message in (
        verdict_line_loss(1.0, "loss", 0.0, 0.0, XS, YS).message,
        verdict_dual_part(5.0, "value", cube, 2.0).message,
    ):
        assert f"{line_loss(0.0, 0.0):.4g}" not in message and "8" not in message, message


def test_a_looping_rule_is_stopped(monkeypatch):
    monkeypatch.setattr(checks.run, "TIME_LIMIT", 0.2)
    verdict = verdict_value_op(sin_loops_in_rule, "value_sin", math.sin)
    assert "backward() ran for more than 0.2 s and was stopped" in verdict.message


def test_every_new_checker_is_registered_and_exported():
    for key in NEW:
        assert VERDICTS[key] is getattr(checks, f"verdict_{key}")
        assert f"check_{key}" in checks.__all__ and f"verdict_{key}" in checks.__all__
        assert callable(getattr(checks, f"check_{key}"))


# Ex 7.3's loss: one step multiplies the distance to the bottom by 1 − 4η, so every η in (0, 0.5)
# converges (however slowly), every η > 0.5 diverges, and η = 0.5 bounces between w = 0 and w = 6
CONVERGENT = [1e-4, 0.001, 0.01, 0.03, 0.1, 0.2, 0.25, 0.3, 0.4, 0.45, 0.47, 0.48, 0.49, 0.499, 0.4999, 0.49999]
DIVERGENT = [0.50001, 0.5001, 0.501, 0.51, 0.55, 0.6, 1.0, 2.0, 10.0, 1e3, 1e300]


@pytest.mark.parametrize("lr", CONVERGENT)
def test_every_rate_below_the_limit_converges_and_does_not_diverge(lr):
    assert verdict_learning_rate(lr, "lr", quad_loss, 0.0).ok, lr
    assert not verdict_learning_rate(lr, "lr", quad_loss, 0.0, behaviour="diverges").ok, lr


@pytest.mark.parametrize("lr", DIVERGENT)
def test_every_rate_above_the_limit_diverges_and_does_not_converge(lr):
    assert verdict_learning_rate(lr, "lr", quad_loss, 0.0, behaviour="diverges").ok, lr
    assert not verdict_learning_rate(lr, "lr", quad_loss, 0.0).ok, lr


def test_the_limit_itself_neither_converges_nor_diverges():
    for behaviour in ("converges", "diverges"):
        assert_says(verdict_learning_rate(0.5, "lr", quad_loss, 0.0, behaviour=behaviour), "bounce from side to side")


def test_a_check_prints_and_raises_check_failed_while_graded(capsys, monkeypatch):
    check_learning_rate("lr", quad_loss, 0.0, namespace={"lr": 0.2})
    assert capsys.readouterr().out.startswith("✓ lr: with η = 0.2, 100 steps")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(CheckFailed, match="^✗ A graded test of lr failed"):
        check_learning_rate("lr", quad_loss, 0.0, namespace={"lr": 0.6}, hidden=True)


def test_a_bad_behaviour_is_the_authors_mistake():
    # like every checker's own error, it reaches the student as a sentence asking to tell the instructor
    verdict = verdict_learning_rate(0.1, "lr", quad_loss, 0.0, behaviour="explodes")
    assert not verdict.ok and "behaviour must be" in verdict.message and "tell your instructor" in verdict.message


# --- nothing a student types crashes these checkers (hypothesis) ----------------------------------------

PROBLEMS = {
    "gradient": lambda v: verdict_gradient(v, "answer", bowl, POINT),
    "value op": lambda v: verdict_value_op(v, "answer", math.sin),
    "line step": lambda v: verdict_line_step(v, "answer"),
    "training": lambda v: verdict_training(v, "answer", line_loss, (XS, YS, 0.05, 3), (0.0, 0.0), 1.0),
    "learning rate": lambda v: verdict_learning_rate(v, "answer", quad_loss, 0.0),
    "dual part": lambda v: verdict_dual_part(v, "answer", cube, 2.0, part="eps"),
    "line loss": lambda v: verdict_line_loss(v, "answer", 0.0, 0.0, XS, YS),
    "learning rate, diverges": lambda v: verdict_learning_rate(v, "answer", quad_loss, 0.0, behaviour="diverges"),
}


@st.composite
def value_ops(draw):
    """A student's Value operation that goes wrong in one of many ways: what it returns, what its rule does."""
    returns = draw(st.sampled_from(["new Value", "input", "payload", "Value of payload", "no children"]))
    rule = draw(st.sampled_from(["adds payload", "sets payload", "raises", "nothing", "loops", "adds right"]))
    payload = draw(VALUES)

    def op(v):
        if returns == "input":
            return v
        if returns == "payload":
            return payload
        if returns == "Value of payload":
            return Value(payload, (v,))
        out = Value(math.sin(v.data), (v,) if returns == "new Value" else ())

        def _backward():
            if rule == "adds payload":
                v.grad += payload
            elif rule == "sets payload":
                v.grad = payload
            elif rule == "raises":
                raise ZeroDivisionError("student bug")
            elif rule == "loops":
                while True:
                    pass
            elif rule == "adds right":
                v.grad += math.cos(v.data) * out.grad

        out._backward = _backward
        return out

    return op


# an alarm that lands in hypothesis's own gc callback is reported as "unraisable" (see test_checks.py)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@FUZZ
@given(problem=st.sampled_from(sorted(PROBLEMS)), value=st.one_of(VALUES, FUNCTIONS, value_ops()))
def test_no_answer_crashes_a_checker(problem, value):
    assert_graceful(fuzzed(PROBLEMS[problem], value))
