"""One gradient checker for every engine, as autograd's `check_grads`: derivatives against central differences.

`check_grads(f, *args)` checks the derivatives of `f` with respect to each argument in turn (the
others held fixed) against J, the Jacobian that central differences give (`numerical_jacobian`):

- `"fwd"`, forward mode: `jvp` on `Dual` numbers must give J v, for a random direction v;
- `"rev"`, reverse mode: `vjp` on `Value`s must give uᵀJ, for a random weighting u of the outputs.

When the arguments are `Tensor`s, `"rev"` checks the Tensor engine's `backward()` instead (a
Tensor has no forward mode). The engine's value of `f` must match `f` on plain numbers too.
A disagreement raises an AssertionError that names the mode, the argument and both vectors.

>>> from nudge.autodiff import tanh
>>> check_grads(lambda x, y: tanh(x) * y + x**2, 0.5, -1.2)  # silent: every mode agrees
>>> check_grads(lambda w: (w @ w.T).sum(), Tensor([[1.0, 2.0], [3.0, 4.0]]), modes=("rev",))
>>> def square(x):  # x * x, but the second factor read through `.data` drops out of the graph
...     return x * getattr(x, "data", x)
>>> check_grads(square, 3.0)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
AssertionError: check_grads: reverse mode (Value, uᵀJ) of square, argument 0, disagrees with central differences: ...
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nudge.autodiff import jvp, vjp
from nudge.inputs import describe, require_choice
from nudge.numeric import numerical_jacobian
from nudge.tensor import Tensor

#: the modes `check_grads` knows, and what each compares with J
MODES = {"fwd": "forward mode (Dual, J v)", "rev": "reverse mode (Value, uᵀJ)"}


def check_grads(
    f: Callable, *args, modes=("fwd", "rev"), h: float = 1e-6, rtol: float = 1e-6, atol: float = 1e-6, seed: int = 0
) -> None:
    """Check every derivative of `f` at `args`, in each of `modes`; raise an AssertionError on any disagreement.

    `f` takes the arguments (numbers, float arrays, or `Tensor`s) and returns a number or an
    array (a Tensor for Tensors). It runs on plain numbers for central differences with step `h`,
    and on each engine's numbers. Two vectors agree when every entry is within
    `atol + rtol * |central difference|`. The random directions come from `seed`.
    """
    modes = (modes,) if isinstance(modes, str) else tuple(modes)
    for mode in modes:
        require_choice(mode, MODES, who="check_grads", name="each mode")
    if not args:
        raise TypeError("check_grads: expected the arguments to differentiate at, like check_grads(f, 0.5)")
    on_tensors = any(isinstance(arg, Tensor) for arg in args)
    if on_tensors and "fwd" in modes:
        raise ValueError("check_grads: a Tensor has no forward mode; check a function of Tensors with modes=('rev',)")
    points = [np.array(arg.data if isinstance(arg, Tensor) else arg, dtype=float) for arg in args]
    rng = np.random.default_rng(seed)
    for i, x in enumerate(points):

        def with_arg(x_i, i=i, make=Tensor if on_tensors else _bare):
            return [x_i if j == i else make(p) for j, p in enumerate(points)]

        def on_numbers(x_i, i=i):
            out = f(*with_arg(Tensor(x_i) if on_tensors else _bare(x_i), i))
            return _tensor_data(out, f) if on_tensors else out

        expected = np.asarray(on_numbers(x), dtype=float)
        jacobian = numerical_jacobian(on_numbers, x, h).reshape(expected.size, x.size)
        for mode in modes:
            if mode == "fwd":
                v = rng.normal(size=x.shape)
                value, got = jvp(lambda x_i, i=i: f(*with_arg(x_i, i)), x, v)
                want = (jacobian @ v.ravel()).reshape(expected.shape)
            else:
                u = rng.normal(size=expected.shape)
                reverse = _tensor_vjp if on_tensors else vjp
                value, got = reverse(lambda x_i, i=i: f(*with_arg(x_i, i)), x, u)
                want = (u.ravel() @ jacobian).reshape(x.shape)
            where = f"{_describe_mode(mode, on_tensors)} of {getattr(f, '__name__', 'f')}, argument {i},"
            _require_close(value, expected, rtol, atol, f"check_grads: the value {where} differs from f on numbers")
            _require_close(got, want, rtol, atol, f"check_grads: {where} disagrees with central differences")


def relative_error(analytic, numeric) -> float:
    """How far a gradient `analytic` is from an estimate `numeric`, on the scale of the whole tensor.

    ‖a − n‖ / (‖a‖ + ‖n‖): 0 when they agree, 1 at most (when one is 0 or they point opposite ways),
    and judged against the tensor's size, not entry by entry, so a tiny entry's round-off (about
    ε_mach·|L|/h, large *relative to that entry*) can't make a right gradient look wrong.
    Chapter 9 shows the entry-by-entry version misleading on the digits network.

    >>> relative_error([1.0, 2.0], [1.0, 2.0])
    0.0
    >>> round(relative_error([1.0, 1e-9], [1.0, 2e-9]), 12)  # the second entry is off by 100 %, the tensor is not
    5e-10
    >>> relative_error([1.0, 2.0], [0.0, 0.0])
    1.0
    """
    a, n = np.asarray(analytic, dtype=float), np.asarray(numeric, dtype=float)
    scale = float(np.linalg.norm(a) + np.linalg.norm(n))
    return float(np.linalg.norm(a - n)) / scale if scale > 0 else 0.0


def _bare(point: np.ndarray):
    """A 0-d array as the float it holds (what a function of a number expects), any other array as it is."""
    return float(point) if point.ndim == 0 else point


def _tensor_data(out, f) -> np.ndarray:
    if not isinstance(out, Tensor):
        raise TypeError(f"check_grads: expected {getattr(f, '__name__', 'f')} to return a Tensor, got {describe(out)}")
    return out.data


def _tensor_vjp(f: Callable, x: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`(f(x), uᵀJ)` by the Tensor engine: one backward pass from the single number Σ u_i f_i(x)."""
    x_t = Tensor(x)
    out = f(x_t)
    _tensor_data(out, f)
    (out * u).sum().backward()
    return out.data, x_t.grad


def _describe_mode(mode: str, on_tensors: bool) -> str:
    return "reverse mode (Tensor, uᵀJ)" if on_tensors else MODES[mode]


def _require_close(got, want, rtol: float, atol: float, message: str) -> None:
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if got.shape != want.shape or not np.allclose(got, want, rtol=rtol, atol=atol):
        gap = np.max(np.abs(got - want)) if got.shape == want.shape else float("nan")
        raise AssertionError(
            f"{message}: the engine gives {np.array2string(got, precision=8)}, central differences "
            f"{np.array2string(want, precision=8)} (largest gap {gap:.1e})"
        )


__all__ = ["check_grads", "relative_error", "MODES"]
