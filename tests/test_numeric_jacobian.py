"""`numerical_jacobian` against sympy's `Matrix.jacobian`, in the book's layout (outputs, inputs)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from nudge.numeric import numerical_jacobian


def test_agrees_with_sympy_on_a_tanh_layer_of_three_inputs_and_two_outputs():
    xs = sp.symbols("x0:3")
    W = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])
    f_sym = sp.Matrix([sp.tanh(sum(W[i, j] * xs[j] for j in range(3))) * xs[0] for i in range(2)])
    f = sp.lambdify([xs], list(f_sym), "numpy")
    point = np.array([0.3, -0.2, 0.1])
    exact = np.array(f_sym.jacobian(xs).subs(dict(zip(xs, point, strict=True))), dtype=float)
    numeric = numerical_jacobian(lambda p: np.array(f(p)), point)
    assert numeric.shape == (2, 3)
    np.testing.assert_allclose(numeric, exact, atol=1e-9)


def test_a_linear_map_has_its_matrix_as_jacobian_and_the_input_is_left_alone():
    W = np.arange(12.0).reshape(4, 3)
    x = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(numerical_jacobian(lambda p: W @ p, x), W, atol=1e-8)
    assert x.tolist() == [1.0, -2.0, 0.5]


@pytest.mark.parametrize("h", [0, -1e-5, float("nan")])
def test_a_step_that_is_not_a_small_positive_number_gets_a_sentence(h):
    with pytest.raises(ValueError, match="numerical_jacobian: the step h must be positive and finite"):
        numerical_jacobian(lambda p: p, np.ones(2), h=h)


def test_the_default_step_runs():
    np.testing.assert_allclose(numerical_jacobian(lambda p: 2 * p, np.ones(2)), 2 * np.eye(2), atol=1e-9)
