"""Chapter 6's verdicts (a dual number's parts, a Value operation's backward rule) and the generic gradient
verdict, which chapter 6's exercises use first: right answers pass, each kind of wrong answer gets its own sentence
without the expected value, and nothing a student can type makes them crash."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import strategies as st
from test_checks import (  # noqa: F401 (_restore_time_limit: an autouse fixture, here too)
    VALUES,
    _restore_time_limit,
    assert_says,
    no_answer_crashes,
)

from nudge import checks
from nudge.autodiff import Value
from nudge.checks import VERDICTS, verdict_dual_part, verdict_gradient, verdict_value_op
from nudge.tensor import Tensor

NEW = ("gradient", "value_op", "dual_part")


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


def cube(t):
    return t**3


def bowl(w):
    return np.sum(w**2) + w[0] * w[1] + np.sin(w[1])


POINT = np.array([1.0, -0.5])
BOWL_GRAD = np.array([2 * 1.0 - 0.5, 2 * -0.5 + 1.0 + math.cos(-0.5)])


# --- right answers pass ---------------------------------------------------------------------------

RIGHT = [
    ("value op, closure", verdict_value_op(value_sin, "value_sin", math.sin)),
    ("value op, built from engine operations", verdict_value_op(lambda v: v * v, "square", lambda t: t * t)),
    ("value op, random points", verdict_value_op(value_sin, "value_sin", math.sin, np.linspace(-4, 4, 9))),
    ("gradient", verdict_gradient(BOWL_GRAD, "grad", bowl, POINT)),
    ("gradient, a list", verdict_gradient(BOWL_GRAD.tolist(), "grad", bowl, POINT)),
    ("gradient, a Tensor's grad", verdict_gradient(Tensor(BOWL_GRAD).data, "grad", bowl, POINT)),
    ("dual number part", verdict_dual_part(8.0, "value", cube, 2.0)),
    ("dual ε part", verdict_dual_part(12, "deriv", cube, 2.0, part="eps")),
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
    (verdict_dual_part(12.0, "value", cube, 2.0), "is the ε part f′(x); this asks for the number part f(x)"),
    (verdict_dual_part(8.0, "deriv", cube, 2.0, part="eps"), "is the number part f(x); this asks for the ε part"),
    (verdict_dual_part(27.0, "value", cube, 2.0), "keeps the terms in ε², ε³"),
    (verdict_dual_part(19.0, "deriv", cube, 2.0, part="eps"), "keeps the terms in ε², ε³"),
    (verdict_dual_part(6.0, "deriv", cube, 2.0, part="eps"), "too small. Expand f(x + ε)"),
]


@pytest.mark.parametrize("verdict, phrase", WRONG, ids=[str(i) for i in range(len(WRONG))])
def test_each_wrong_answer_gets_its_own_sentence(verdict, phrase):
    assert_says(verdict, phrase)


def test_a_wrong_gradient_or_dual_part_never_shows_the_expected_values():
    message = verdict_gradient(BOWL_GRAD * 1.3, "grad", bowl, POINT).message
    for value in BOWL_GRAD:
        assert f"{value:.4g}" not in message
    message = verdict_dual_part(5.0, "value", cube, 2.0).message
    assert "8" not in message, message


def test_a_looping_rule_is_stopped(monkeypatch):
    monkeypatch.setattr(checks.run, "TIME_LIMIT", 0.2)
    verdict = verdict_value_op(sin_loops_in_rule, "value_sin", math.sin)
    assert "backward() ran for more than 0.2 s and was stopped" in verdict.message


def test_every_new_checker_is_registered_and_exported():
    for key in NEW:
        assert VERDICTS[key] is getattr(checks, f"verdict_{key}")
        assert f"check_{key}" in checks.__all__ and f"verdict_{key}" in checks.__all__
        assert callable(getattr(checks, f"check_{key}"))


# --- nothing a student types crashes these checkers (hypothesis) ----------------------------------------

PROBLEMS = {
    "gradient": lambda v: verdict_gradient(v, "answer", bowl, POINT),
    "value op": lambda v: verdict_value_op(v, "answer", math.sin),
    "dual part": lambda v: verdict_dual_part(v, "answer", cube, 2.0, part="eps"),
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


test_no_answer_crashes_a_checker = no_answer_crashes(PROBLEMS, value_ops())
