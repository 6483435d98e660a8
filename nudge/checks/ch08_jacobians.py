"""Chapter 8's verdict: a Jacobian worked out by hand, one row per output and one column per input."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nudge.checks.api import Problem, all_close, as_array, numeric_gradient, quiet, register, require_close


@register
def verdict_jacobian(value, name: str, f: Callable, point, *, rtol: float = 1e-6, atol: float = 1e-9) -> str:
    """The answer is the Jacobian of `f` (a function of one float vector returning a vector) at `point`:
    entry [i, j] is ∂fᵢ/∂xⱼ, one row per output and one column per input."""
    point = np.asarray(point, dtype=float)
    with quiet():
        outputs = np.asarray(f(point.copy()), dtype=float).size
        want = np.array([numeric_gradient(lambda p, i=i: float(f(p)[i]), point.copy()) for i in range(outputs)])
    rows, columns = want.shape
    kind = f"a {rows} × {columns} array (one row per output of f, one column per input)"
    got = as_array(value, name, kind=kind)
    if got.shape == want.T.shape and rows != columns:
        raise Problem(
            f"{name} has shape {got.shape}: one row per input. The Jacobian has one row per output, "
            f"shape {want.shape} (transpose it with `.T`)."
        )
    if got.shape != want.shape:
        raise Problem(f"{name}: expected {kind}, got shape {got.shape}.")
    if rows == columns and not all_close(got, want, rtol, atol) and all_close(got, want.T, rtol, atol):
        raise Problem(f"{name} is transposed: row i holds the slopes of output i, ∂fᵢ/∂x₀, ∂fᵢ/∂x₁, ….")
    require_close(got, want, name, rtol, atol, "Entry [i, j] is how fast output i moves with input j.")
    return f"{name} is the Jacobian at the point."
