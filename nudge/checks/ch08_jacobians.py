"""Chapter 8's verdict: a Jacobian worked out by hand, one row per output and one column per input."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nudge.checks.api import Message, Problem, all_close, as_array, numeric_gradient, quiet, register, require_close


@register
def verdict_jacobian(value, name: str, f: Callable, point, *, rtol: float = 1e-6, atol: float = 1e-9) -> Message:
    """The answer is the Jacobian of `f` (a function of one float vector returning a vector) at `point`:
    entry [i, j] is ∂fᵢ/∂xⱼ, one row per output and one column per input."""
    point = np.asarray(point, dtype=float)
    with quiet():
        outputs = np.asarray(f(point.copy()), dtype=float).size
        want = np.array([numeric_gradient(lambda p, i=i: float(f(p)[i]), point.copy()) for i in range(outputs)])
    rows, columns = want.shape
    kind = Message(
        "a {rows} × {columns} array (one row per output of f, one column per input)", rows=rows, columns=columns
    )
    got = as_array(value, name, kind=kind)
    if got.shape == want.T.shape and rows != columns:
        raise Problem(
            "{name} has shape {got}: one row per input. The Jacobian has one row per output, "
            "shape {shape} (transpose it with `.T`).",
            name=name,
            got=got.shape,
            shape=want.shape,
        )
    if got.shape != want.shape:
        raise Problem("{name}: expected {kind}, got shape {got}.", name=name, kind=kind, got=got.shape)
    if rows == columns and not all_close(got, want, rtol, atol) and all_close(got, want.T, rtol, atol):
        raise Problem("{name} is transposed: row i holds the slopes of output i, ∂fᵢ/∂x₀, ∂fᵢ/∂x₁, ….", name=name)
    require_close(got, want, name, rtol, atol, Message("Entry [i, j] is how fast output i moves with input j."))
    return Message("{name} is the Jacobian at the point.", name=name)
