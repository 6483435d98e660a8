"""`nudge.activations` against sympy's derivatives, central differences and large inputs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from nudge.activations import (
    chain_slopes,
    leaky_relu,
    leaky_relu_slope,
    relu,
    relu_slope,
    sigmoid,
    sigmoid_slope,
    tanh,
    tanh_slope,
)
from nudge.numeric import central_difference

X = sp.Symbol("x", real=True)
LEAK = sp.Rational(1, 10)
# sympy's expression for each function, and the numpy pair that should agree with it
SYMBOLIC = {
    "relu": (sp.Max(0, X), relu, relu_slope),
    "sigmoid": (1 / (1 + sp.exp(-X)), sigmoid, sigmoid_slope),
    "tanh": (sp.tanh(X), tanh, tanh_slope),
    "leaky_relu": (
        sp.Max(LEAK * X, X),
        lambda x: leaky_relu(x, a=0.1),
        lambda x: leaky_relu_slope(x, a=0.1),
    ),
}
# many points, none exactly at the kink (that is the convention's test below)
POINTS = np.concatenate([np.linspace(-12, 12, 97)[np.linspace(-12, 12, 97) != 0], [-1e-6, 1e-6, -30.0, 30.0]])


def exact(expr, x: float) -> float:
    # 60 digits: 1 - tanh(x)**2 at |x| = 30 cancels 26 of them
    return float(expr.subs(X, sp.Float(x, 60)).evalf(60))


@pytest.mark.parametrize("name", SYMBOLIC)
def test_values_and_slopes_agree_with_sympy_at_many_points(name):
    expr, f, df = SYMBOLIC[name]
    derivative = sp.diff(expr, X)
    for x in POINTS:
        assert f(x) == pytest.approx(exact(expr, x), rel=1e-12, abs=1e-300), (name, x)
        assert df(x) == pytest.approx(exact(derivative, x), rel=1e-12, abs=1e-300), (name, x)


@pytest.mark.parametrize("name", SYMBOLIC)
def test_slopes_agree_with_central_differences_away_from_the_kink(name):
    _, f, df = SYMBOLIC[name]
    for x in POINTS[np.abs(POINTS) > 1e-3]:
        assert df(x) == pytest.approx(central_difference(f, float(x), 1e-6), rel=1e-6, abs=1e-9), (name, x)


def test_the_kink_takes_the_left_slope_where_sympy_takes_the_average():
    # sympy's Heaviside(0) is 1/2, the average of the one-sided slopes; the frameworks take 0
    assert relu_slope(0.0) == 0.0
    assert relu_slope(-0.0) == 0.0
    assert relu_slope(np.array([0.0])).tolist() == [0.0]
    assert relu_slope(np.nextafter(0.0, 1.0)) == 1.0
    assert leaky_relu_slope(0.0, a=0.1) == 0.1
    assert leaky_relu_slope(np.nextafter(0.0, 1.0), a=0.1) == 1.0


def test_one_sided_difference_quotients_at_the_kink_are_0_and_1():
    for eps in [1e-1, 1e-4, 1e-8]:
        assert (relu(0.0) - relu(-eps)) / eps == 0.0
        assert (relu(eps) - relu(0.0)) / eps == 1.0


@pytest.mark.parametrize("f", [sigmoid, sigmoid_slope, tanh, tanh_slope, relu, relu_slope])
def test_huge_inputs_give_no_overflow_and_no_warning(f):
    xs = np.array([-1e308, -1e5, -800.0, -710.0, 710.0, 800.0, 1e5, 1e308])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        values = f(xs)
        singles = [f(float(x)) for x in xs]
    assert np.all(np.isfinite(values))
    assert values.tolist() == singles


def test_sigmoid_saturates_to_exactly_0_and_1_and_its_slope_to_0():
    assert sigmoid(-1e4) == 0.0 and sigmoid(1e4) == 1.0
    assert sigmoid_slope(1e4) == 0.0 and tanh_slope(-1e4) == 0.0
    # where 1 - σ(x) rounds to 0, the slope still keeps its digits
    assert 1 - sigmoid(40.0) == 0.0
    assert sigmoid_slope(40.0) == pytest.approx(exact(sp.diff(SYMBOLIC["sigmoid"][0], X), 40.0), rel=1e-12)


@given(st.floats(-50, 50, allow_nan=False) | st.sampled_from([1e-9, -1e-9, 1e-12, 5e-324]))
def test_sigmoid_identities_hold_for_any_input(x):
    s = sigmoid(x)
    assert 0.0 <= s <= 1.0
    assert sigmoid(-x) == pytest.approx(1 - s, abs=1e-15)
    # σ(1 − σ) written as σ(x)σ(−x), which keeps its digits where 1 − σ would round
    assert sigmoid_slope(x) == pytest.approx(s * sigmoid(-x), rel=1e-12, abs=1e-300)
    assert sigmoid_slope(x) <= 0.25
    assert tanh_slope(x) <= 1.0
    assert tanh(x) == pytest.approx(2 * sigmoid(2 * x) - 1, abs=1e-15)


def test_rounding_never_lifts_a_slope_above_its_maximum_near_zero():
    # e^(-|x|) / (1 + e^(-|x|))**2 alone gives 0.25000000000000006 at x = 1e-9
    tiny = np.concatenate([np.geomspace(1e-300, 1e-3, 3000), -np.geomspace(1e-300, 1e-3, 3000)])
    assert sigmoid_slope(tiny).max() == 0.25 and sigmoid_slope(1e-9) == 0.25
    assert tanh_slope(tiny).max() == 1.0


def test_numbers_in_give_floats_out_and_arrays_keep_their_shape():
    for f in (relu, relu_slope, sigmoid, sigmoid_slope, tanh, tanh_slope, leaky_relu, leaky_relu_slope):
        assert type(f(0.5)) is float
        assert f(np.zeros((2, 3))).shape == (2, 3)


@pytest.mark.parametrize("bad", ["1", True, [1, "a"], None])
def test_wrong_inputs_say_what_was_expected(bad):
    with pytest.raises(TypeError, match="expected a number or an array of numbers"):
        sigmoid(bad)


def test_the_leak_must_be_a_slope_below_one():
    with pytest.raises(ValueError, match="the leak a must be at least 0 and below 1"):
        leaky_relu(1.0, a=-0.5)
    with pytest.raises(TypeError, match="like 0.01"):
        leaky_relu_slope(1.0, a="0.1")


@pytest.mark.parametrize("x", [-3.0, 0.0, 0.5, 4.0])
def test_product_of_chain_slopes_is_sympys_derivative_of_the_composition(x):
    sigma = SYMBOLIC["sigmoid"][0]
    composed = X
    for _ in range(4):
        composed = sigma.subs(X, composed)
    expected = exact(sp.diff(composed, X), x)
    assert float(np.prod(chain_slopes(sigmoid, sigmoid_slope, x, 4))) == pytest.approx(expected, rel=1e-12)


def test_chain_slopes_rejects_a_count_that_is_not_a_layer_count():
    # a count that is not a whole number is the wrong kind of thing; 0 is a whole number too small
    with pytest.raises(ValueError, match="the number of layers n must be at least 1"):
        chain_slopes(sigmoid, sigmoid_slope, 0.0, 0)
    for n in (2.5, True):
        with pytest.raises(TypeError, match="expected a whole number for the number of layers n"):
            chain_slopes(sigmoid, sigmoid_slope, 0.0, n)
