"""`numerical_gradient` against sympy's exact partial derivatives, on arrays of many shapes."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nudge.numeric import (
    GRADIENT_METHODS,
    descent_path,
    numerical_gradient,
    numerical_gradient_vectorised,
)

# every shape with 1 to 4 entries: a number, a vector, a matrix
SHAPES = [(), (1,), (2,), (3,), (4,), (1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 4), (4, 1)]
GRADIENTS = [numerical_gradient, numerical_gradient_vectorised]


def symbols_for(shape) -> list[sp.Symbol]:
    return list(sp.symbols(f"v0:{math.prod(shape)}", real=True))


@st.composite
def polynomials(draw, shape):
    """A random polynomial in one variable per entry of `shape`, with its scale for tolerances."""
    variables = symbols_for(shape)
    terms = draw(
        st.lists(
            st.tuples(st.integers(-9, 9), st.lists(st.integers(0, 3), min_size=4, max_size=4)), min_size=1, max_size=5
        )
    )
    expr, scale = sp.Integer(0), 1.0
    for coefficient, powers in terms:
        expr += coefficient * sp.Mul(*(v**k for v, k in zip(variables, powers, strict=False)))
        scale += abs(coefficient) * 2.0 ** sum(powers[: len(variables)]) * 6
    return variables, expr, scale


# smooth building blocks, defined on every value a linear combination below can take (|u| <= 8)
BLOCKS = [sp.sin, sp.cos, sp.tanh, lambda u: sp.exp(u / 4), lambda u: 1 / (1 + u**2), lambda u: sp.log(9 + u)]


@st.composite
def smooth_functions(draw, shape):
    """Sums of smooth functions of linear combinations of the entries, times a polynomial factor."""
    variables = symbols_for(shape)
    expr = sp.Integer(0)
    for _ in range(draw(st.integers(1, 3))):
        block = draw(st.sampled_from(BLOCKS))
        weights = draw(st.lists(st.integers(-1, 1), min_size=len(variables), max_size=len(variables)))
        u = sum((w * v for w, v in zip(weights, variables, strict=True)), sp.Integer(0))
        factor = draw(st.sampled_from([sp.Integer(1), variables[0], variables[-1] ** 2]))
        expr += draw(st.integers(-3, 3)) * factor * block(u)
    return variables, expr


def as_functions(variables, expr, shape):
    """f(p) for an array p of `shape`, and its exact gradient as an array of that shape (from sympy)."""
    value = sp.lambdify(variables, expr, "math")
    partials = sp.lambdify(variables, [sp.diff(expr, v) for v in variables], "math")

    def f(p):
        assert np.shape(p) == shape, "f receives an array of the caller's shape"
        return value(*np.ravel(p).tolist())

    def exact(p):
        return np.array(partials(*np.ravel(p).tolist()), dtype=float).reshape(shape)

    return f, exact


def points(shape):
    return hnp.arrays(np.float64, shape, elements=st.floats(-2, 2, allow_nan=False))


@st.composite
def shape_and_polynomial(draw):
    shape = draw(st.sampled_from(SHAPES))
    variables, expr, scale = draw(polynomials(shape))
    return shape, variables, expr, scale, draw(points(shape))


@st.composite
def shape_and_smooth(draw):
    shape = draw(st.sampled_from(SHAPES))
    variables, expr = draw(smooth_functions(shape))
    return shape, variables, expr, draw(points(shape))


@settings(max_examples=150, deadline=None)
@given(shape_and_polynomial(), st.sampled_from(GRADIENTS))
def test_gradient_of_random_polynomials_matches_sympy(case, gradient):
    shape, variables, expr, scale, x = case
    f, exact = as_functions(variables, expr, shape)
    grad = gradient(f, x)
    assert grad.shape == shape and grad.dtype == np.float64
    # central differences: error ~ h^2 |f'''| / 6 plus round-off ~ eps |f| / h, both tiny against `scale`
    np.testing.assert_allclose(grad, exact(x), rtol=1e-6, atol=1e-7 * scale)


@settings(max_examples=150, deadline=None)
@given(shape_and_smooth(), st.sampled_from(GRADIENTS))
def test_gradient_of_random_smooth_functions_matches_sympy(case, gradient):
    shape, variables, expr, x = case
    f, exact = as_functions(variables, expr, shape)
    np.testing.assert_allclose(gradient(f, x, h=1e-5), exact(x), rtol=1e-6, atol=1e-6)


@settings(max_examples=100, deadline=None)
@given(shape_and_smooth(), st.sampled_from(GRADIENT_METHODS), st.sampled_from([1e-2, 1e-4, 1e-6]))
def test_the_nditer_way_and_the_vectorised_way_agree_to_the_last_bit(case, method, h):
    shape, variables, expr, x = case
    f, _ = as_functions(variables, expr, shape)
    # both hand f the very same nudged inputs, so the results are identical, not just close
    np.testing.assert_array_equal(numerical_gradient(f, x, h, method), numerical_gradient_vectorised(f, x, h, method))


def test_the_worked_examples():
    assert float(numerical_gradient(lambda x: x**2, 3.0)) == pytest.approx(6, abs=1e-8)
    assert float(numerical_gradient(lambda x: x**2, 3)) == pytest.approx(6, abs=1e-8)  # a plain int is a number

    def f(p):
        x, y = p
        return 2 * x + 3 * x * y + y**3

    np.testing.assert_allclose(numerical_gradient(f, np.array([1.0, 2.0])), [8, 15], atol=1e-6)

    def g(p):
        (w, x), (y, z) = p
        return w * x + x * y * z + 3 * w + z * y**2

    np.testing.assert_allclose(
        numerical_gradient(g, np.array([[1.0, 2.0], [3.0, 4.0]])), [[5, 13], [32, 15]], atol=1e-6
    )


# --- the caller's array ----------------------------------------------------------------


def caller_arrays():
    base = np.arange(12, dtype=float).reshape(3, 4) / 7
    readonly = base.copy()
    readonly.flags.writeable = False
    return {
        "vector": np.array([1.0, -2.0, 0.5]),
        "matrix": base.copy(),
        "fortran order": np.asfortranarray(base),
        "transposed view": base.copy().T,
        "strided view": base.copy()[:, ::2],
        "read-only": readonly,
        "float32": np.array([[1.5, 2.25]], dtype=np.float32),
        "0-d": np.array(1.25),
    }


@pytest.mark.parametrize("gradient", GRADIENTS)
@pytest.mark.parametrize("name", list(caller_arrays()))
@pytest.mark.parametrize("method", GRADIENT_METHODS)
def test_the_callers_array_is_left_exactly_as_it_was(gradient, name, method):
    x = caller_arrays()[name]
    before = x.copy()
    flags = {k: x.flags[k] for k in ("C_CONTIGUOUS", "F_CONTIGUOUS", "OWNDATA", "WRITEABLE")}
    seen = []

    def f(p):
        seen.append(p is x)
        return float(np.sum(np.sin(p)))

    grad = gradient(f, x, method=method)
    assert not any(seen), "f must get a copy, never the caller's array"
    np.testing.assert_array_equal(x, before)
    assert x.dtype == before.dtype and x.shape == before.shape
    assert {k: x.flags[k] for k in flags} == flags
    # one-sided differences err by about h/2 |f''| = 5e-5 here
    np.testing.assert_allclose(grad, np.cos(x.astype(float)), atol=1e-6 if method == "central" else 1e-4)


def test_an_f_that_edits_its_input_cannot_reach_the_callers_array():
    x = np.array([1.0, 2.0])

    def rude(p):
        p *= 10  # a badly behaved loss
        return float(p.sum())

    numerical_gradient(rude, x)
    numerical_gradient_vectorised(rude, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


# --- what it refuses, and how ----------------------------------------------------------

TRUNCATED = "whose nudges would be truncated"


@pytest.mark.parametrize("gradient", GRADIENTS)
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int8, np.uint8])
def test_integer_arrays_are_refused_with_a_message_that_says_what_to_do(gradient, dtype):
    x = np.array([[1, 2], [3, 4]], dtype=dtype)
    with pytest.raises(TypeError) as info:
        gradient(lambda p: float(p.sum()), x)
    message = str(info.value)
    assert message == (
        "expected a float array like np.array([1.0, 2.0]); got an integer array "
        f"(dtype {np.dtype(dtype).name}), whose nudges would be truncated — convert with x.astype(float)"
    )
    np.testing.assert_array_equal(x, [[1, 2], [3, 4]])  # and it was not touched on the way


@pytest.mark.parametrize(
    ("x", "words"),
    [
        ([1, 2], "a list of integers (dtype int64), " + TRUNCATED + " — write them as floats"),
        (np.int64(3), "a numpy integer (dtype int64), " + TRUNCATED + " — convert with float(x)"),
        (np.array([True, False]), "booleans"),
        (True, "the boolean True"),
        ("3.0", "str '3.0'"),
        (None, "NoneType None"),
        (np.array([1 + 2j]), "complex128"),
    ],
)
def test_other_inputs_that_cant_be_nudged_are_refused(x, words):
    with pytest.raises(TypeError, match="expected a float array like") as info:
        numerical_gradient(lambda p: 0.0, x)
    assert words in str(info.value)


def test_a_ragged_list_is_the_right_kind_with_the_wrong_shape():
    with pytest.raises(ValueError, match="expected a float array like") as info:
        numerical_gradient(lambda p: 0.0, [[1.0], [2.0, 3.0]])
    assert "a ragged list" in str(info.value)


def test_lists_of_floats_and_python_numbers_are_welcome():
    np.testing.assert_allclose(numerical_gradient(lambda p: p[0] * p[1], [2.0, 3.0]), [3, 2], atol=1e-8)
    assert numerical_gradient(lambda x: 5 * x, 1).shape == ()


@pytest.mark.parametrize("gradient", GRADIENTS)
@pytest.mark.parametrize("h", [0, -1e-4, float("nan"), float("inf")])
def test_a_step_that_is_not_positive_and_finite_is_refused(gradient, h):
    with pytest.raises(ValueError, match="the step h must be positive and finite"):
        gradient(lambda p: float(p.sum()), np.array([1.0]), h=h)


@pytest.mark.parametrize("gradient", GRADIENTS)
def test_an_unknown_method_is_refused_and_the_known_ones_named(gradient):
    with pytest.raises(ValueError, match=r"method must be one of \['central', 'forward', 'backward'\], got 'sideways'"):
        gradient(lambda p: float(p.sum()), np.array([1.0]), method="sideways")


@pytest.mark.parametrize("gradient", GRADIENTS)
@pytest.mark.parametrize(
    ("returns", "error", "words"),
    [
        (lambda p: p * 2, ValueError, "returned an array of shape (2,)"),
        (lambda p: np.array([p.sum()]), ValueError, "returned an array of shape (1,)"),
        (lambda p: "small", TypeError, "returned str 'small'"),
        (lambda p: None, TypeError, "returned NoneType None"),
        (lambda p: 1j, TypeError, "returned complex 1j"),
    ],
)
def test_f_must_return_one_real_number(gradient, returns, error, words):
    with pytest.raises(error, match="f must return") as info:
        gradient(returns, np.array([1.0, 2.0]))
    assert words in str(info.value)


def test_an_empty_array_has_an_empty_gradient():
    for gradient in GRADIENTS:
        assert gradient(lambda p: 0.0, np.zeros((0, 3))).shape == (0, 3)


# --- accuracy and cost -----------------------------------------------------------------


def test_forward_differences_with_step_001_reproduce_the_notes():
    def f(p):
        return p[0] ** 2 + p[1] ** 2

    point = np.array([1.0, 3.0])
    forward = numerical_gradient(f, point, h=0.01, method="forward")
    central = numerical_gradient(f, point, h=0.01)
    np.testing.assert_allclose(forward, [2.01, 6.01], atol=1e-9)
    # the forward error is h for each square; central differences are exact for quadratics
    np.testing.assert_allclose(forward - [2, 6], [0.01, 0.01], atol=1e-9)
    np.testing.assert_allclose(central, [2, 6], atol=1e-11)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(0.5, 2), min_size=1, max_size=4).flatmap(
        lambda rates: st.tuples(st.just(np.array(rates)), hnp.arrays(np.float64, len(rates), elements=st.floats(-1, 1)))
    ),
)
def test_central_differences_are_far_more_accurate_than_forward_ones(case):
    rates, x = case

    def f(p):
        return float(np.sum(np.exp(rates * p)))

    exact = rates * np.exp(rates * x)
    errors = {m: np.max(np.abs(numerical_gradient(f, x, 1e-3, m) - exact)) for m in GRADIENT_METHODS}
    # forward and backward err by about h/2 |f''|, central by h^2/6 |f'''|: a factor ~ h r / 3 smaller
    assert errors["central"] < errors["forward"] / 100
    assert errors["central"] < errors["backward"] / 100


def test_the_forward_error_shrinks_like_h_and_the_central_error_like_h_squared():
    x = np.array([0.3, -0.4])

    def f(p):
        return float(np.exp(p[0]) * np.sin(p[1]))

    exact = np.array([np.exp(x[0]) * np.sin(x[1]), np.exp(x[0]) * np.cos(x[1])])
    forward = [np.max(np.abs(numerical_gradient(f, x, h, "forward") - exact)) for h in (1e-2, 1e-3)]
    central = [np.max(np.abs(numerical_gradient(f, x, h) - exact)) for h in (1e-2, 1e-3)]
    assert forward[0] / forward[1] == pytest.approx(10, rel=0.1)
    assert central[0] / central[1] == pytest.approx(100, rel=0.1)


class CallCounter:
    def __init__(self, f):
        self.f = f
        self.calls = 0

    def __call__(self, p):
        self.calls += 1
        return self.f(p)


@pytest.mark.parametrize("gradient", GRADIENTS)
@pytest.mark.parametrize("shape", [(), (1,), (5,), (3, 4), (2, 3, 2)])
def test_a_gradient_costs_2n_calls_central_and_n_plus_1_one_sided(gradient, shape):
    n = math.prod(shape)
    for method, expected in [("central", 2 * n), ("forward", n + 1), ("backward", n + 1)]:
        f = CallCounter(lambda p: float(np.sum(p**2)))
        gradient(f, np.ones(shape), method=method)
        assert f.calls == expected, method


# --- gradient descent ------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(
    st.floats(0.01, 0.4),
    st.integers(0, 15),
    hnp.arrays(np.float64, 2, elements=st.floats(-2, 2)),
)
def test_descent_path_follows_the_exact_steps_on_a_bowl(lr, steps, start):
    hessian = np.array([[2.0, 1.0], [1.0, 4.0]])  # f = x² + xy + 2y²

    def f(p):
        return p[0] ** 2 + p[0] * p[1] + 2 * p[1] ** 2

    path = descent_path(f, start, lr, steps)
    assert path.shape == (steps + 1, 2)
    expected = [start]
    for _ in range(steps):
        expected.append(expected[-1] - lr * hessian @ expected[-1])  # ∇f = H p for this bowl
    np.testing.assert_allclose(path, expected, atol=1e-8)


@pytest.mark.parametrize(
    ("steps", "error", "words"),
    [(-1, ValueError, "steps must be at least 0"), (2.5, TypeError, "expected a whole number for steps")]
    + [(True, TypeError, "expected a whole number for steps"), ("3", TypeError, "expected a whole number for steps")],
)
def test_descent_path_wants_a_whole_number_of_steps(steps, error, words):
    with pytest.raises(error, match=words):
        descent_path(lambda p: float(p @ p), [1.0, 1.0], 0.1, steps)


@pytest.mark.parametrize(
    ("lr", "error"), [("0.1", TypeError), (None, TypeError), (float("nan"), ValueError), (float("inf"), ValueError)]
)
def test_descent_path_wants_a_finite_learning_rate(lr, error):
    # text or None is the wrong kind of thing; nan is a number with a wrong value
    with pytest.raises(error, match="the learning rate lr"):
        descent_path(lambda p: float(p @ p), [1.0, 1.0], lr, 3)
