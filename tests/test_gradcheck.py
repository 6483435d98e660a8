"""`check_grads`, the one gradient checker: silent where every engine is right, loud where one is wrong."""

from __future__ import annotations

import numpy as np
import pytest

from nudge.autodiff import sigmoid, tanh
from nudge.gradcheck import check_grads
from nudge.tensor import Tensor

W = np.array([[1.0, -2.0, 0.5], [0.3, 0.0, 1.5]])


@pytest.mark.parametrize(
    ("f", "args"),
    [
        (lambda x: tanh(x) * sigmoid(x), (0.7,)),
        (lambda x, y: x**3 / (1 + y * y) - y, (-1.3, 0.4)),
        (lambda x: np.tanh(W @ x), (np.array([0.2, -0.4, 1.1]),)),  # a vector of outputs
        (lambda w, x: (w @ x).sum() * 0.5, (W, np.array([1.0, 2.0, -1.0]))),  # a matrix argument
    ],
)
def test_right_derivatives_pass_in_both_modes(f, args):
    check_grads(f, *args)


def test_a_function_of_tensors_passes_in_reverse_mode():
    check_grads(lambda w, x: (x @ w.T).tanh().mean(), Tensor(W), Tensor(np.ones((4, 3))), modes=("rev",))


@pytest.mark.parametrize(
    ("f", "args", "modes", "words"),
    [
        # reading `.data` (`.value`) takes a factor out of the graph: half the derivative of x²
        (lambda x: x * getattr(x, "data", x), (3.0,), ("fwd", "rev"), r"reverse mode \(Value, uᵀJ\) of <lambda>"),
        (lambda x: x * getattr(x, "value", x), (3.0,), ("fwd", "rev"), r"forward mode \(Dual, J v\) of <lambda>"),
        (lambda t: t * Tensor(t.data), (Tensor([1.0, 2.0]),), ("rev",), r"reverse mode \(Tensor, uᵀJ\)"),
        (lambda x, y: x * y.data if hasattr(y, "data") else x * y, (2.0, 3.0), "rev", "argument 1, disagrees"),
    ],
)
def test_a_wrong_derivative_fails_and_says_where(f, args, modes, words):
    with pytest.raises(AssertionError, match=words):
        check_grads(f, *args, modes=modes)


def test_an_engine_that_computes_another_value_fails():
    def f(x):
        return x * 2.0 if isinstance(x, float) else x * 2.001

    with pytest.raises(AssertionError, match="the value forward mode .* differs from f on numbers"):
        check_grads(f, 1.0)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: check_grads(lambda t: t.sum(), Tensor([1.0])), ValueError, r"no forward mode.*modes=\('rev',\)"),
        (lambda: check_grads(lambda x: x, 1.0, modes=("sideways",)), ValueError, r"one of \['fwd', 'rev'\]"),
        (lambda: check_grads(lambda x: x), TypeError, "expected the arguments to differentiate at"),
        (lambda: check_grads(lambda t: 1.0, Tensor([1.0]), modes="rev"), TypeError, "to return a Tensor, got float"),
    ],
)
def test_mistakes_in_calling_it_say_what_was_expected(call, error, words):
    with pytest.raises(error, match=words):
        call()
