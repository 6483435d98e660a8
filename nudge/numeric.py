"""Derivatives by nudging: difference quotients and how their error depends on the step.

>>> forward_difference(lambda w: w**2, 3.0, 0.001)  # (9.006001 - 9) / 0.001
6.000999999999479
>>> round(central_difference(lambda w: w**3, 2.0, 1e-3), 6)
12.000001
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nudge.inputs import describe, require_choice, require_number

#: machine epsilon of float64: the gap between 1.0 and the next float
EPS_MACH = float(np.finfo(float).eps)


def _check_step(h, who: str) -> float:
    return require_number(h, who=who, name="the step h", example="0.001", positive=True, finite=True)


def forward_difference(f: Callable, x: float, h: float) -> float:
    """Slope of the secant from x to x + h: nudge x up by h and see how far f moves."""
    h = _check_step(h, "forward_difference")
    return (f(x + h) - f(x)) / h


def backward_difference(f: Callable, x: float, h: float) -> float:
    """Slope of the secant from x - h to x."""
    h = _check_step(h, "backward_difference")
    return (f(x) - f(x - h)) / h


def central_difference(f: Callable, x: float, h: float) -> float:
    """Slope of the secant from x - h to x + h; its error shrinks like h**2, not h."""
    h = _check_step(h, "central_difference")
    return (f(x + h) - f(x - h)) / (2 * h)


METHODS = {
    "forward": forward_difference,
    "backward": backward_difference,
    "central": central_difference,
}


def step_errors(f: Callable, df_dx: float, x: float, hs, method: str = "forward") -> np.ndarray:
    """Absolute error of a difference quotient at each step in `hs`, against the exact `df_dx`."""
    quotient = METHODS[require_choice(method, METHODS, who="step_errors", name="method")]
    return np.array([abs(quotient(f, x, float(h)) - df_dx) for h in hs])


def best_step(f: Callable, df_dx: float, x: float, method: str = "forward", hs=None) -> float:
    """The step, from a fine log grid, whose difference quotient lands closest to `df_dx`.

    Too large a step and the secant misses the curve's bend (truncation error);
    too small and the two values of f agree in almost every digit, so rounding dominates.
    """
    hs = np.logspace(-16, 0, 321) if hs is None else np.asarray(hs, dtype=float)
    errors = step_errors(f, df_dx, x, hs, method)
    return float(hs[int(np.argmin(errors))])


def predicted_best_step(method: str = "forward") -> float:
    """Where truncation and round-off balance, for a function and derivatives of size about 1.

    forward: error ~ h/2 + eps/h, least at h ~ sqrt(eps);
    central: error ~ h**2/6 + eps/h, least at h ~ cbrt(eps).

    >>> f"{predicted_best_step('forward'):.1e}", f"{predicted_best_step('central'):.1e}"
    ('1.5e-08', '6.1e-06')
    """
    powers = {"forward": 1 / 2, "backward": 1 / 2, "central": 1 / 3}
    return EPS_MACH ** powers[require_choice(method, powers, who="predicted_best_step", name="method")]


# --- gradients: one partial derivative per entry of an array ---------------------------

#: the difference quotients `numerical_gradient` can use
GRADIENT_METHODS = ("central", "forward", "backward")

_EXPECTED_ARRAY = "expected a float array like np.array([1.0, 2.0])"


def _float_copy(x) -> np.ndarray:
    """A fresh float64 array holding `x`, or a TypeError when nudging `x` would go wrong.

    An integer array can't hold x + 1e-4: numpy stores the nudged entry truncated back to x,
    and every partial derivative would silently come out 0.
    """
    if isinstance(x, bool | np.bool_):
        raise TypeError(f"{_EXPECTED_ARRAY} or a float like 3.0; got the boolean {x!r}")
    if isinstance(x, int | float):  # a plain Python number: a fresh float is a copy already
        return np.array(float(x))
    try:
        array = np.asarray(x)
    except ValueError as exc:  # nested lists of different lengths: the right kind of thing, the wrong shape
        raise ValueError(f"{_EXPECTED_ARRAY}; got a ragged {type(x).__name__} ({exc})") from None
    kind = array.dtype.kind
    if kind == "f":
        return np.array(array, dtype=np.float64, order="C", copy=True)
    if isinstance(x, np.ndarray):
        what, fix = "an integer array", "convert with x.astype(float)"
    elif isinstance(x, np.generic):
        what, fix = "a numpy integer", "convert with float(x)"
    else:
        what, fix = f"a {type(x).__name__} of integers", "write them as floats, like [1.0, 2.0]"
    if kind in "iu":
        raise TypeError(f"{_EXPECTED_ARRAY}; got {what} (dtype {array.dtype}), whose nudges would be truncated — {fix}")
    if kind == "b":
        raise TypeError(f"{_EXPECTED_ARRAY}; got booleans (dtype bool), which can't be nudged")
    raise TypeError(f"{_EXPECTED_ARRAY}; got {describe(x)} (dtype {array.dtype})")


def _scalar_output(f: Callable, point: np.ndarray) -> float:
    """`f(point)` as a float, or an error that says what f returned instead of one number."""
    value = f(point)
    try:
        array = np.asarray(value)
    except ValueError:  # a ragged list: not a number either
        array = np.asarray(None)
    if array.dtype.kind not in "fiu":
        raise TypeError(f"f must return a real number, like 3.5; it returned {describe(value)}")
    if array.ndim != 0:
        raise ValueError(
            f"f must return a single number (a scalar), like 3.5; it returned an array of shape {array.shape} "
            "(a loss sums or averages its terms into one number)"
        )
    return float(array)


def _check_gradient_args(h, method, who: str) -> float:
    require_choice(method, GRADIENT_METHODS, who=who, name="method")
    return _check_step(h, who)


def numerical_gradient(f: Callable, x, h: float = 1e-4, method: str = "central") -> np.ndarray:
    """Every partial derivative of the scalar function `f` at `x`, by nudging one entry at a time.

    `x` is a float, or a float array of any shape (a vector, a weight matrix, ...); the result
    is a float array of the shape of `x` whose entry `i` is the slope of `f` when only `x[i]`
    moves. The walk over the entries uses `np.nditer` with `multi_index`: nudge the entry up
    (and down), call `f`, put the entry back. It works on a float64 copy, so the caller's array
    is never changed, and refuses integer arrays, whose nudges would be truncated away.
    Central differences cost 2n calls of `f` for n entries; forward and backward ones n + 1.

    >>> grad = numerical_gradient(lambda x: x**2, 3.0)
    >>> grad.shape, round(float(grad), 6)
    ((), 6.0)
    >>> def f(p):
    ...     return 2 * p[0] + 3 * p[0] * p[1] + p[1] ** 3
    >>> numerical_gradient(f, np.array([1.0, 2.0])).round(6)
    array([ 8., 15.])
    >>> numerical_gradient(f, np.array([1, 2]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: expected a float array like np.array([1.0, 2.0]); got an integer array (dtype int64), whose nudges ...
    """
    h = _check_gradient_args(h, method, "numerical_gradient")
    point = _float_copy(x)
    grad = np.zeros(point.shape)
    if point.size == 0:  # nothing to nudge (and nditer refuses empty arrays)
        return grad
    # one-sided differences share f(x) across all entries: n + 1 calls instead of 2n
    f_here = _scalar_output(f, point) if method != "central" else None
    it = np.nditer(point, flags=["multi_index"])
    for _ in it:
        idx = it.multi_index
        original = point[idx]
        if method != "backward":
            point[idx] = original + h
            f_plus = _scalar_output(f, point)
        if method != "forward":
            point[idx] = original - h
            f_minus = _scalar_output(f, point)
        point[idx] = original  # put it back before the next entry is nudged
        if method == "central":
            grad[idx] = (f_plus - f_minus) / (2 * h)
        elif method == "forward":
            grad[idx] = (f_plus - f_here) / h
        else:
            grad[idx] = (f_here - f_minus) / h
    return grad


def numerical_gradient_vectorised(f: Callable, x, h: float = 1e-4, method: str = "central") -> np.ndarray:
    """The same gradient as `numerical_gradient`, with every nudged input built in one array operation.

    Row `i` of `h` times the identity matrix moves entry `i` only; reshaped to `(n, *x.shape)`
    and added to `x`, it gives all n nudged inputs at once, and no entry is edited in place.
    `f` still takes one input at a time, so it is called as often as by `numerical_gradient`,
    with the same inputs, and the results agree to the last bit. The nudges take memory like
    n², which is fine for the small arrays of this book.

    >>> def f(p):
    ...     (w, x), (y, z) = p
    ...     return w * x + x * y * z + 3 * w + z * y**2
    >>> numerical_gradient_vectorised(f, np.array([[1.0, 2.0], [3.0, 4.0]])).round(6)
    array([[ 5., 13.],
           [32., 15.]])
    """
    h = _check_gradient_args(h, method, "numerical_gradient_vectorised")
    point = _float_copy(x)
    n = point.size
    nudges = (h * np.eye(n)).reshape((n, *point.shape))
    if method == "central":
        f_plus = np.array([_scalar_output(f, point + nudge) for nudge in nudges])
        f_minus = np.array([_scalar_output(f, point - nudge) for nudge in nudges])
        slopes = (f_plus - f_minus) / (2 * h)
    elif method == "forward":
        f_here = _scalar_output(f, point)
        slopes = (np.array([_scalar_output(f, point + nudge) for nudge in nudges]) - f_here) / h
    else:
        f_here = _scalar_output(f, point)
        slopes = (f_here - np.array([_scalar_output(f, point - nudge) for nudge in nudges])) / h
    return np.asarray(slopes, dtype=np.float64).reshape(point.shape)


def numerical_jacobian(f: Callable, x, h: float = 1e-6) -> np.ndarray:
    """The Jacobian of `f` at `x` by central differences: entry [i, j] is how fast output i moves with input j.

    `f` takes a float array like `x` and returns an array (or a number). The result has shape
    `f(x).shape + x.shape`, so for a vector function of a vector it is the m × n matrix whose
    row i is the gradient of output i. Column j costs two calls of `f`, nudging `x[j]` by ±h.

    >>> def f(p):
    ...     return np.array([p[0] * p[1], np.sin(p[0])])
    >>> numerical_jacobian(f, np.array([2.0, 3.0])).round(6)
    array([[ 3.      ,  2.      ],
           [-0.416147,  0.      ]])
    """
    h = _check_step(h, "numerical_jacobian")
    point = _float_copy(x)
    out_shape = _vector_output(f, point).shape
    jacobian = np.zeros(out_shape + point.shape)
    if point.size == 0:
        return jacobian
    it = np.nditer(point, flags=["multi_index"])
    for _ in it:
        idx = it.multi_index
        original = point[idx]
        point[idx] = original + h
        f_plus = _vector_output(f, point, out_shape)
        point[idx] = original - h
        f_minus = _vector_output(f, point, out_shape)
        point[idx] = original  # put it back before the next entry is nudged
        jacobian[(...,) + idx] = (f_plus - f_minus) / (2 * h)
    return jacobian


def _vector_output(f: Callable, point: np.ndarray, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """`f(point)` as a float array (of `shape`, when given), or an error that says what f returned instead."""
    value = f(point.copy())  # a copy: f may not keep or change the point being nudged
    try:
        array = np.asarray(value)
    except ValueError:  # a ragged list
        array = np.asarray(None)
    if array.dtype.kind not in "fiu":
        raise TypeError(f"f must return numbers, like np.array([1.0, 2.0]); it returned {describe(value)}")
    if shape is not None and array.shape != shape:
        raise ValueError(f"f returned shape {array.shape} at a nudged point, but {shape} at x: it must keep its shape")
    return array.astype(float)


def descent_path(f: Callable, start, lr: float, steps: int, h: float = 1e-5) -> np.ndarray:
    """The points gradient descent visits from `start`: each step moves by `-lr` times the gradient.

    The gradient is `numerical_gradient` with central differences. Row 0 is `start`, row k
    the point after k steps, so the result has `steps + 1` rows.

    >>> descent_path(lambda p: p[0] ** 2 + p[1] ** 2, [1.0, -2.0], lr=0.25, steps=2).round(6)
    array([[ 1.  , -2.  ],
           [ 0.5 , -1.  ],
           [ 0.25, -0.5 ]])
    """
    steps = require_number(steps, who="descent_path", name="steps", example="10", whole=True, minimum=0)
    lr = require_number(lr, who="descent_path", name="the learning rate lr", example="0.1", finite=True)
    point = _float_copy(start)
    path = [point.copy()]
    for _ in range(steps):
        point = point - lr * numerical_gradient(f, point, h)
        path.append(point.copy())
    return np.array(path)


#: float64 round-off in a sum of a few dozen terms of size about 1 stays well below this
ROUND_OFF = 1e-14


def below(error: float) -> str:
    """An error's size as the power of ten just above it, for an error whose digits are round-off.

    Round-off depends on the processor's vector instructions and the order of a sum, so its digits
    change from one machine to another, and so may its power of ten (9e-17 here, 1.1e-16 there):
    an error under `ROUND_OFF` (an exact 0 included) is said to be under it, the same everywhere.

    >>> below(3.9e-10), below(1.7e-12), below(2.2e-16), below(0.0)
    ('< 1e-09', '< 1e-11', '< 1e-14', '< 1e-14')
    """
    error = abs(float(error))
    if error < ROUND_OFF:
        return f"< {ROUND_OFF:.0e}"
    return f"< 1e{int(np.floor(np.log10(error))) + 1:+03d}"


__all__ = [
    "EPS_MACH",
    "below",
    "forward_difference",
    "backward_difference",
    "central_difference",
    "step_errors",
    "best_step",
    "predicted_best_step",
    "GRADIENT_METHODS",
    "numerical_gradient",
    "numerical_gradient_vectorised",
    "numerical_jacobian",
    "descent_path",
]
