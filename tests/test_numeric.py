"""Numeric derivatives against sympy's exact ones, on many random polynomials and smooth functions."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from nudge.numeric import (
    EPS_MACH,
    METHODS,
    backward_difference,
    best_step,
    central_difference,
    forward_difference,
    predicted_best_step,
    step_errors,
)

X = sp.Symbol("x")
coefficients = st.lists(st.integers(-9, 9), min_size=1, max_size=6)
points = st.floats(-2, 2, allow_nan=False)

# smooth building blocks with their safe domain (all of [-2, 2])
SMOOTH = [sp.sin(X), sp.cos(X), sp.exp(X / 2), sp.tanh(X), 1 / (1 + X**2), sp.log(3 + X), sp.sqrt(5 + X)]


def exact_and_numeric(expr):
    return sp.lambdify(X, sp.diff(expr, X)), sp.lambdify(X, expr)


@settings(max_examples=200, deadline=None)
@given(coefficients, points)
def test_central_difference_matches_sympy_on_polynomials(coeffs, x):
    expr = sum(c * X**k for k, c in enumerate(coeffs))
    df, f = exact_and_numeric(expr)
    exact = float(df(x))
    # central differences are exact up to h^2 * f'''/6 plus round-off ~ eps*|f|/h
    scale = 1 + sum(abs(c) * 3**k for k, c in enumerate(coeffs))
    assert central_difference(f, x, 1e-5) == pytest.approx(exact, abs=1e-6 * scale)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SMOOTH), st.sampled_from(SMOOTH), st.integers(-3, 3), points)
def test_every_method_matches_sympy_on_smooth_functions(a, b, k, x):
    expr = a * b + k * a.subs(X, b)  # products and compositions of the blocks
    df, f = exact_and_numeric(expr)
    exact = float(df(x))
    assert central_difference(f, x, 1e-5) == pytest.approx(exact, rel=1e-6, abs=1e-6)
    # one-sided differences are only first-order accurate: error ~ h |f''| / 2
    assert forward_difference(f, x, 1e-7) == pytest.approx(exact, rel=1e-4, abs=1e-4)
    assert backward_difference(f, x, 1e-7) == pytest.approx(exact, rel=1e-4, abs=1e-4)


def test_forward_error_shrinks_like_h_and_central_like_h_squared():
    f, exact = math.exp, math.exp(1.0)
    hs = np.array([1e-2, 1e-3])
    forward = step_errors(f, exact, 1.0, hs, "forward")
    central = step_errors(f, exact, 1.0, hs, "central")
    # ten times smaller h: ten times smaller forward error, a hundred times smaller central error
    assert forward[0] / forward[1] == pytest.approx(10, rel=0.05)
    assert central[0] / central[1] == pytest.approx(100, rel=0.05)


@pytest.mark.parametrize("method", ["forward", "central"])
def test_measured_best_step_is_near_the_prediction(method):
    # cube at 2: f, f', f'' and f''' are all of order 10, so the prediction's constants are ~1
    best = best_step(lambda x: x**3, 12.0, 2.0, method)
    predicted = predicted_best_step(method)
    assert predicted == pytest.approx(math.sqrt(EPS_MACH) if method == "forward" else EPS_MACH ** (1 / 3))
    assert 0.05 < best / predicted < 20


@pytest.mark.parametrize("bad", [0, -1e-3, float("nan"), float("inf")])
def test_bad_steps_are_refused_clearly(bad):
    with pytest.raises(ValueError, match="the step h must be positive and finite"):
        central_difference(math.sin, 0.0, bad)


@pytest.mark.parametrize("bad", ["0.1", None, True])
def test_steps_that_are_not_numbers_are_refused(bad):
    with pytest.raises(TypeError, match="expected a number for the step"):
        forward_difference(math.sin, 0.0, bad)


def test_unknown_method_is_named_in_the_error():
    assert set(METHODS) == {"forward", "backward", "central"}
    with pytest.raises(ValueError, match="forward"):
        step_errors(math.sin, 1.0, 0.0, [1e-3], "sideways")
