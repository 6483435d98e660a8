"""Activation functions and their slopes, in numpy: ReLU, sigmoid, tanh and leaky ReLU.

Each takes a number or an array and returns the same kind (a float for a number).
At ReLU's kink, `relu_slope(0.0)` is 0: the convention deep learning frameworks use.

>>> relu(-2.0), relu(3.0)
(0.0, 3.0)
>>> relu_slope(np.array([-1.0, 0.0, 2.0]))
array([0., 0., 1.])
>>> sigmoid(0.0), sigmoid_slope(0.0)
(0.5, 0.25)
>>> sigmoid(-1000.0), sigmoid(1000.0)  # no overflow warning for large inputs
(0.0, 1.0)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nudge import rules
from nudge.inputs import require_array, require_number


def _as_array(x, who: str) -> np.ndarray:
    return require_array(x, who=who)


def _like_input(result: np.ndarray):
    # a number in, a plain float out (prints as 0.5, not np.float64(0.5))
    return float(result) if result.ndim == 0 else result


def relu(x):
    """ReLU(x) = max(0, x): the input where it is positive, else 0.

    >>> relu(np.array([-2.0, 0.0, 1.5]))
    array([0. , 0. , 1.5])
    """
    return _like_input(np.maximum(_as_array(x, "relu"), 0.0))


def relu_slope(x):
    """ReLU'(x): 0 left of 0, 1 right of it, and 0 at the kink itself (the frameworks' convention).

    >>> relu_slope(0.0), relu_slope(1e-300), relu_slope(-5.0)
    (0.0, 1.0, 0.0)
    """
    # the second argument of `np.heaviside` is its value at exactly 0
    return _like_input(np.heaviside(_as_array(x, "relu_slope"), 0.0))


def sigmoid(x):
    """σ(x) = 1 / (1 + e^(-x)), by the book's one formula of it (`nudge.rules.sigmoid`): no exponential overflows.

    >>> sigmoid(np.array([-1.0, 0.0, 1.0])).round(6)
    array([0.268941, 0.5     , 0.731059])
    >>> sigmoid("1")
    Traceback (most recent call last):
    ...
    TypeError: sigmoid: expected a number or an array of numbers, like 0.5, got str '1'
    """
    return _like_input(rules.sigmoid(_as_array(x, "sigmoid")))


def sigmoid_slope(x):
    """σ'(x) = σ(x)(1 − σ(x)), largest (1/4) at x = 0 and tiny for large |x|.

    Written as e^(-|x|) / (1 + e^(-|x|))², which is the same number and keeps its
    precision for large |x|, where 1 − σ(x) would round to 0.

    >>> sigmoid_slope(0.0)
    0.25
    >>> f"{sigmoid_slope(40.0):.3e}"
    '4.248e-18'
    """
    small = np.exp(-np.abs(_as_array(x, "sigmoid_slope")))
    # rounding can land one ulp above the true maximum near x = 0 (0.25000000000000006 at 1e-9)
    return _like_input(np.minimum(small / (1.0 + small) ** 2, 0.25))


def tanh(x):
    """tanh(x) = (e^x − e^(-x)) / (e^x + e^(-x)), between −1 and 1.

    >>> tanh(0.0), tanh(1000.0)
    (0.0, 1.0)
    """
    return _like_input(np.tanh(_as_array(x, "tanh")))


def tanh_slope(x):
    """tanh'(x) = 1 − tanh(x)², largest (1) at x = 0.

    Written as 4 e^(-2|x|) / (1 + e^(-2|x|))², the same number without overflow or
    loss of precision for large |x|.

    >>> tanh_slope(0.0)
    1.0
    """
    # squared rather than exp(-2|x|), because 2|x| overflows for |x| near the largest float
    small = np.exp(-np.abs(_as_array(x, "tanh_slope"))) ** 2
    # as for `sigmoid_slope`: never let rounding push the slope above its true maximum, 1
    return _like_input(np.minimum(4.0 * small / (1.0 + small) ** 2, 1.0))


def _check_leak(a, who: str) -> float:
    # the slope left of 0: at least 0, below 1
    return require_number(a, who=who, name="the leak a", example="0.01", minimum=0, below=1)


def leaky_relu(x, a: float = 0.01):
    """Leaky ReLU: x where x > 0, else a·x (a small slope instead of a flat 0).

    >>> leaky_relu(np.array([-2.0, 3.0]), a=0.1)
    array([-0.2,  3. ])
    """
    a = _check_leak(a, "leaky_relu")
    x = _as_array(x, "leaky_relu")
    return _like_input(np.where(x > 0, x, a * x))


def leaky_relu_slope(x, a: float = 0.01):
    """Leaky ReLU'(x): a left of 0, 1 right of it, and a at 0 (the left slope, as for ReLU).

    >>> leaky_relu_slope(np.array([-2.0, 0.0, 3.0]), a=0.1)
    array([0.1, 0.1, 1. ])
    >>> leaky_relu_slope(1.0, a=2)
    Traceback (most recent call last):
    ...
    ValueError: leaky_relu_slope: the leak a must be at least 0 and below 1, got 2
    """
    a = _check_leak(a, "leaky_relu_slope")
    x = _as_array(x, "leaky_relu_slope")
    return _like_input(np.where(x > 0, 1.0, a))


def chain_slopes(f: Callable, df: Callable, x: float, n: int) -> np.ndarray:
    """The n local slopes along x → f(x) → f(f(x)) → …, one per layer.

    Layer k receives the previous layer's output and contributes df at that input; by the
    chain rule the derivative of the n-fold composition is the product of the n slopes.

    >>> chain_slopes(sigmoid, sigmoid_slope, 0.0, 2).round(4)
    array([0.25 , 0.235])
    >>> float(np.prod(chain_slopes(relu, relu_slope, 3.0, 10)))
    1.0
    """
    n = require_number(n, who="chain_slopes", name="the number of layers n", whole=True, minimum=1)
    slopes = np.empty(n)
    value = float(x)
    for k in range(n):
        slopes[k] = df(value)
        value = f(value)
    return slopes


__all__ = [
    "relu",
    "relu_slope",
    "sigmoid",
    "sigmoid_slope",
    "tanh",
    "tanh_slope",
    "leaky_relu",
    "leaky_relu_slope",
    "chain_slopes",
]
