"""Chapter 5's verdicts (a chain-rule product along every path or one, the change a nudge makes in a pipeline's
output, a sigmoid neuron's gradient): right answers pass, each kind of wrong answer gets its own sentence without
the expected value, and nothing a student types makes them crash."""

from __future__ import annotations

import math

import pytest
import sympy as sp
from test_checks import (  # noqa: F401 (_restore_time_limit: an autouse fixture, here too)
    _restore_time_limit,
    assert_says,
    no_answer_crashes,
    placeholders_get_their_own_sentence,
)

from nudge import checks
from nudge.activations import sigmoid, sigmoid_slope
from nudge.checks import VERDICTS, verdict_chain_product, verdict_neuron_gradient, verdict_output_change

X, U, V = sp.symbols("x u v")
TWO_PATHS = (U * V**2, {U: 2 * X + 1, V: X**2})  # paths 2 (via u) and 12 (via v) at x = 1


def ten_over(u):
    return 10 / u


def square_plus_one(x):
    return x**2 + 1


def pipeline(x):
    return ten_over(square_plus_one(x))


CHANGE = ten_over(square_plus_one(2.001)) - 2.0


def grads(w, b, x, y):
    z = w * x + b
    shared = 2 * (sigmoid(z) - y) * sigmoid_slope(z)
    return shared * x, shared


def grads_naive_exp(w, b, x, y):
    z = w * x + b
    s = 1 / (1 + math.exp(-z))  # overflows for z = -800
    shared = 2 * (s - y) * s * (1 - s)
    return shared * x, shared


def _sigma_not_slope(w, b, x, y):
    z = w * x + b
    s = sigmoid(z)
    return 2 * (s - y) * s * x, 2 * (s - y) * s


# --- right answers pass ----------------------------------------------------------------------

RIGHT = [
    ("chain product", verdict_chain_product(-1.6, "d", ten_over, square_plus_one, 2.0)),
    ("chain product, nudge", verdict_chain_product(-0.0016, "d", ten_over, square_plus_one, 2.0, eps=0.001)),
    ("chain product, sympy", verdict_chain_product(math.cos(0.25), "d", sp.sin(U), X**2, 0.5)),
    ("chain product, sum of paths", verdict_chain_product(14, "d", *TWO_PATHS, 1.0)),
    ("chain product, one path", verdict_chain_product(12.0, "d", *TWO_PATHS, 1.0, through=V)),
    ("neuron gradient", verdict_neuron_gradient(grads, "grads")),
    ("neuron gradient, list", verdict_neuron_gradient(lambda *a: list(grads(*a)), "grads")),
    ("output change", verdict_output_change(ten_over(square_plus_one(2.001)) - 2.0, "dy", pipeline, 2.0, 0.001)),
]


@pytest.mark.parametrize("verdict", [v for _, v in RIGHT], ids=[name for name, _ in RIGHT])
def test_right_answers_pass(verdict):
    assert verdict.ok, verdict.message


# --- each wrong answer gets its own sentence, and never the expected value -------------------------

WRONG = [
    (verdict_chain_product(-0.4 * 4, "d", ten_over, square_plus_one, 2.0, eps=1e-3), "is the rate dy/dx"),
    (verdict_chain_product(-2.5 * 4, "d", ten_over, square_plus_one, 2.0), "takes f′ at x"),
    (verdict_chain_product(-0.4, "d", ten_over, square_plus_one, 2.0), "only the outer stage's derivative"),
    (verdict_chain_product(4.0, "d", ten_over, square_plus_one, 2.0), "only the inner stage's derivative"),
    (verdict_chain_product(3.6, "d", ten_over, square_plus_one, 2.0), "adds the local derivatives"),
    (verdict_chain_product(2.0, "d", ten_over, square_plus_one, 2.0), "has the wrong sign"),
    (verdict_chain_product(2, "d", *TWO_PATHS, 1.0), "only the path through u; add the path through v"),
    (verdict_chain_product(2, "d", *TWO_PATHS, 1.0, through=V), "is the path through u; this asks for the path thr"),
    (verdict_chain_product(14, "d", *TWO_PATHS, 1.0, through=U), "adds every path"),
    (verdict_chain_product(24, "d", *TWO_PATHS, 1.0), "too large. Multiply the local derivatives along each path"),
    (verdict_neuron_gradient(lambda *a: grads(*a)[::-1], "n"), "returns (dL/db, dL/dw)"),
    (verdict_neuron_gradient(lambda *a: tuple(-v for v in grads(*a)), "n"), "wrong sign"),
    (verdict_neuron_gradient(lambda *a: tuple(v / 2 for v in grads(*a)), "n"), "half the derivative"),
    (verdict_neuron_gradient(lambda *a: (grads(*a)[1], grads(*a)[1]), "n"), "without the factor ∂z/∂w = x"),
    (verdict_neuron_gradient(lambda *a: grads(*a)[0], "n"), "expected a pair of numbers (dL/dw, dL/db)"),
    (verdict_neuron_gradient(grads_naive_exp, "n"), "n(2.0, 0.0, -400.0, 1.0) raised OverflowError"),
    (verdict_neuron_gradient(lambda w, b: 0, "n"), "should take 4 argument(s)"),
    (verdict_neuron_gradient(_sigma_not_slope, "n"), "uses σ(z) where the chain rule needs its slope"),
    (verdict_output_change(-0.0016, "dy", pipeline, 2.0, 0.001), "is the change the chain rule predicts"),
    (verdict_output_change(CHANGE / 0.001, "dy", pipeline, 2.0, 0.001), "is divided by ε"),
    (verdict_output_change(-CHANGE, "dy", pipeline, 2.0, 0.001), "has the wrong sign"),
    (verdict_output_change(CHANGE + 2.0, "dy", pipeline, 2.0, 0.001), "subtract the old one"),
    (verdict_output_change(round(CHANGE, 6), "dy", pipeline, 2.0, 0.001), "close but not exact"),
]


@pytest.mark.parametrize("verdict, phrase", WRONG, ids=[str(i) for i in range(len(WRONG))])
def test_each_wrong_answer_gets_its_own_sentence(verdict, phrase):
    assert_says(verdict, phrase)


def test_wrong_answers_never_show_the_expected_values():
    shown = [
        verdict_chain_product(-1.0, "d", ten_over, square_plus_one, 2.0).message,
        verdict_chain_product(20, "d", *TWO_PATHS, 1.0).message,
        verdict_neuron_gradient(lambda *a: (0.1, 0.2), "n").message,
        verdict_output_change(-0.002, "dy", pipeline, 2.0, 0.001).message,
    ]
    for message, secret in zip(shown, ["-1.6", "14", "-0.5", "-0.0015"], strict=True):
        assert secret not in message.replace("0.25", ""), message


def test_every_new_checker_is_registered():
    for key in ("chain_product", "neuron_gradient", "output_change"):
        assert key in VERDICTS and f"verdict_{key}" in checks.__all__


# --- nothing a student types crashes these checkers (hypothesis) ---------------------------------

PROBLEMS = {
    "chain product": lambda v: verdict_chain_product(v, "answer", ten_over, square_plus_one, 2.0, eps=1e-3),
    "chain product, paths": lambda v: verdict_chain_product(v, "answer", *TWO_PATHS, 1.0, through=U),
    "neuron gradient": lambda v: verdict_neuron_gradient(v, "answer"),
    "output change": lambda v: verdict_output_change(v, "answer", pipeline, 2.0, 0.001),
}


test_no_answer_crashes_a_checker = no_answer_crashes(PROBLEMS)


test_placeholders_get_their_own_sentence = placeholders_get_their_own_sentence(PROBLEMS)
