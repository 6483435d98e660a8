"""Derivatives by nudging: difference quotients and how their error depends on the step.

>>> forward_difference(lambda w: w**2, 3.0, 0.001)  # (9.006001 - 9) / 0.001
6.000999999999479
>>> round(central_difference(lambda w: w**3, 2.0, 1e-3), 6)
12.000001
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: machine epsilon of float64: the gap between 1.0 and the next float
EPS_MACH = float(np.finfo(float).eps)


def _check_step(h) -> float:
    if isinstance(h, bool) or not isinstance(h, (int, float, np.integer, np.floating)):
        raise TypeError(f"expected a number for the step h, like 0.001, got {h!r}")
    if not (h > 0 and np.isfinite(h)):
        raise ValueError(f"the step h must be a positive, finite number, got {h!r}")
    return float(h)


def forward_difference(f: Callable, x: float, h: float) -> float:
    """Slope of the secant from x to x + h: nudge x up by h and see how far f moves."""
    h = _check_step(h)
    return (f(x + h) - f(x)) / h


def backward_difference(f: Callable, x: float, h: float) -> float:
    """Slope of the secant from x - h to x."""
    h = _check_step(h)
    return (f(x) - f(x - h)) / h


def central_difference(f: Callable, x: float, h: float) -> float:
    """Slope of the secant from x - h to x + h; its error shrinks like h**2, not h."""
    h = _check_step(h)
    return (f(x + h) - f(x - h)) / (2 * h)


METHODS = {
    "forward": forward_difference,
    "backward": backward_difference,
    "central": central_difference,
}


def step_errors(f: Callable, df_dx: float, x: float, hs, method: str = "forward") -> np.ndarray:
    """Absolute error of a difference quotient at each step in `hs`, against the exact `df_dx`."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {sorted(METHODS)}, got {method!r}")
    quotient = METHODS[method]
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
    if method not in powers:
        raise ValueError(f"method must be one of {sorted(powers)}, got {method!r}")
    return EPS_MACH ** powers[method]


__all__ = [
    "EPS_MACH",
    "forward_difference",
    "backward_difference",
    "central_difference",
    "step_errors",
    "best_step",
    "predicted_best_step",
]
