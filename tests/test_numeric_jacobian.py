"""`numerical_jacobian`'s own contract: a linear map gives its matrix, the input is left alone, a bad step is refused.

Its agreement with sympy's `Matrix.jacobian`, in the book's layout (outputs, inputs), is in tests/test_jacobians.py."""

from __future__ import annotations

import numpy as np
import pytest

from nudge.numeric import numerical_jacobian


def test_a_linear_map_has_its_matrix_as_jacobian_and_the_input_is_left_alone():
    W = np.arange(12.0).reshape(4, 3)
    x = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(numerical_jacobian(lambda p: W @ p, x), W, atol=1e-8)
    assert x.tolist() == [1.0, -2.0, 0.5]


@pytest.mark.parametrize("h", [0, -1e-5, float("nan")])
def test_a_step_that_is_not_a_small_positive_number_gets_a_sentence(h):
    with pytest.raises(ValueError, match="numerical_jacobian: the step h must be positive and finite"):
        numerical_jacobian(lambda p: p, np.ones(2), h=h)
