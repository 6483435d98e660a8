"""Comparing an answer with the truth without giving the truth away, and computing that truth
from the problem itself (sympy, or difference quotients from `nudge.numeric`)."""

from __future__ import annotations

import cmath
from collections.abc import Callable, Iterable

import numpy as np

from nudge.checks.kinds import describe, index_text, is_sympy, show_number
from nudge.checks.run import Problem, quiet
from nudge.numeric import METHODS, central_difference


def close_entries(got, want, rel: float, abs_: float) -> np.ndarray:
    """Which entries of `got` are within `abs_` + `rel` · |want| of `want`'s: the checkers' one tolerance rule.

    >>> close_entries([1.0, 2.0], [1.0 + 1e-9, 2.1], 1e-6, 0.0)
    array([ True, False])
    """
    with np.errstate(all="ignore"):  # a student's huge answer overflows: that is a verdict, not a warning
        return np.isclose(got, want, rtol=rel, atol=abs_)


def is_close(got: float, want: float, rel: float, abs_: float) -> bool:
    """Whether the number `got` is `want`, as `close_entries` says."""
    return bool(close_entries(got, want, rel, abs_))


#: a relative gap up to this reads as rounding ("close but not exact"); a larger one is a wrong value, too large or
#: too small (a wrong formula such as s(1 + s) for s(1 - s) is off by 0.5 % at x = -6 and must not read as rounding)
ROUNDED = 1e-3


def miss(name: str, got: float, want: float, hint: str = "", reveal: bool = False) -> str:
    """Why `got` is not `want`, in kind: sign, size, close-but-not-exact; the value only if `reveal`.

    >>> miss("k", 6.0001, 6.0)
    'k is close but not exact (off by 1.7e-05 relative).'
    >>> miss("k", 6.03, 6.0)
    'k is too large.'
    """
    if reveal:
        how = f"is {show_number(got)}, expected {show_number(want)}"
    elif want != 0 and got != 0 and (got > 0) != (want > 0):
        how = "has the wrong sign"
    elif want != 0 and is_close(got, want, ROUNDED, 0):
        how = f"is close but not exact (off by {abs(got - want) / abs(want):.1e} relative)"
    elif got > want:
        how = "is too large"
    else:
        how = "is too small"
    return f"{name} {how}." + (f" {hint}" if hint else "")


def require_close(got, want, name: str, rel: float, abs_: float, hint: str = "", reveal: bool = False) -> None:
    got_array, want_array = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if got_array.shape != want_array.shape:
        raise Problem(f"{name}: expected shape {want_array.shape}, got shape {got_array.shape}.")
    if got_array.ndim == 0:
        if not is_close(float(got_array), float(want_array), rel, abs_):
            raise Problem(miss(name, float(got_array), float(want_array), hint, reveal))
        return
    bad = ~close_entries(got_array, want_array, rel, abs_)
    if bad.any():
        flat = int(np.flatnonzero(bad)[0])
        where = index_text(got_array.shape, flat)
        first = miss(
            f"{name}{where}", float(got_array.reshape(-1)[flat]), float(want_array.reshape(-1)[flat]), "", reveal
        )
        raise Problem(
            f"{int(bad.sum())} of {bad.size} values of {name} are off; {first}" + (f" {hint}" if hint else "")
        )


# --- the truth, computed from the problem --------------------------------------------------


def _sympy_slope(f, x: float, wrt=None) -> float | None:
    """f'(x) exactly, when `f` is a sympy expression or a function that accepts a sympy symbol."""
    import sympy as sp

    if isinstance(f, sp.Basic):
        symbol = wrt if wrt is not None else only_symbol(f)
        return _finite_real(sp.diff(f, symbol).subs(symbol, sp.nsimplify(x)))
    try:
        symbol = sp.Symbol("x", real=True)
        with quiet():
            expr = f(symbol)
        if not isinstance(expr, sp.Expr) or not expr.free_symbols <= {symbol}:
            return None
        return _finite_real(sp.diff(expr, symbol).subs(symbol, sp.nsimplify(x)))
    except Exception:  # a function that only takes numbers (numpy, max, math) is differentiated numerically
        return None


def _finite_real(expr) -> float | None:
    value = complex(expr.evalf(30))
    if not cmath.isfinite(value) or abs(value.imag) > 1e-12:
        return None
    return value.real


def only_symbol(expr):
    symbols = sorted(expr.free_symbols, key=str)
    if len(symbols) != 1:
        raise TypeError(f"say which symbol to differentiate by (wrt=...): the expression has {symbols}")
    return symbols[0]


def numeric_slope(f: Callable, x: float) -> float:
    """f'(x) to about 10 digits: Richardson extrapolation of two central differences."""
    h = 1e-3 * max(1.0, abs(x))

    def f_float(t):
        return float(f(t))

    return (4 * central_difference(f_float, x, h / 2) - central_difference(f_float, x, h)) / 3


def true_slope(f, x: float, wrt=None) -> float:
    """The derivative of `f` at `x`: exact with sympy when `f` allows it, else to about 10 digits.

    `f` is a Python function of one number or a sympy expression (then `wrt` is its symbol,
    needed only when it has more than one).

    >>> true_slope(lambda w: w**3, 2.0)
    12.0
    >>> round(true_slope(np.sin, 0.0), 9)
    1.0
    """
    exact = _sympy_slope(f, x, wrt)
    if exact is not None:
        return exact
    if not callable(f):
        raise TypeError(f"expected a function or a sympy expression, got {describe(f)}")
    with quiet():
        return numeric_slope(f, float(x))


def difference_quotient(f: Callable, x: float, h: float, method: str) -> float:
    """The `method` difference quotient of `f` at `x` with step `h`, from `nudge.numeric`."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {sorted(METHODS)}, got {method!r}")
    return METHODS[method](f, float(x), float(h))


def all_quotients(f: Callable, x: float, h: float) -> dict[str, float]:
    """Every difference quotient of `f` at `x` with step `h`, by method, as floats (quietly)."""
    with quiet():
        return {method: float(difference_quotient(f, x, h, method)) for method in METHODS}


def substitution(variables, point) -> dict:
    """`point` (numbers in the order of `variables`, or a dict symbol → number) as an exact sympy substitution."""
    import sympy as sp

    if isinstance(point, dict):
        pairs = [(s, point[s]) for s in variables]
    else:
        values = np.asarray(point, dtype=float).reshape(-1)
        if values.size != len(variables):
            raise ValueError(f"the point has {values.size} numbers for {len(variables)} variables")
        pairs = list(zip(variables, values.tolist(), strict=True))
    return {s: sp.nsimplify(float(v)) if abs(float(v)) < 1e6 else sp.Float(float(v)) for s, v in pairs}


def value_at(expr, at: dict) -> float:
    value = _finite_real(expr.subs(at))
    if value is None:
        raise ValueError(f"{expr} has no finite real value at {at}")
    return value


def exact_gradient(expr, variables, point) -> np.ndarray:
    """Every partial derivative of the sympy expression `expr` at `point`, in the order of `variables`."""
    import sympy as sp

    at = substitution(variables, point)
    return np.array([value_at(sp.diff(expr, s), at) for s in variables])


def symbol_list(variables) -> list:
    import sympy as sp

    return [variables] if isinstance(variables, sp.Symbol) else list(variables)


def partials_text(variables) -> str:
    return ", ".join(f"∂f/∂{s}" for s in variables)


def as_flat_sympy(value):
    """A sympy Matrix (a column, a row) read as the list of its entries; anything else unchanged."""
    if is_sympy(value):
        import sympy as sp

        if isinstance(value, sp.MatrixBase):
            return list(value)
    return value


def all_close(got, want, rel: float, abs_: float) -> bool:
    """Whether `got` has the shape of `want` and every entry is close to want's (as `close_entries` says)."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return got.shape == want.shape and bool(close_entries(got, want, rel, abs_).all())


def evaluate(f, x: float) -> float:
    """f(x) for a function of one number or a sympy expression in one symbol."""
    import sympy as sp

    if isinstance(f, sp.Basic):
        return value_at(f, {only_symbol(f): sp.nsimplify(float(x))})
    with quiet():
        return float(f(float(x)))


def numeric_gradient(f: Callable, point: np.ndarray) -> np.ndarray:
    """Every partial derivative of `f` at `point` to about 10 digits (Richardson, one entry at a time)."""
    grad = np.zeros(point.shape)
    for index in np.ndindex(point.shape):

        def along(t, index=index):
            moved = point.copy()
            moved[index] = t
            return f(moved)

        grad[index] = numeric_slope(along, float(point[index]))
    return grad


def known_mistake(name: str, got, want, mistakes: Iterable, same: Callable) -> None:
    """Raise the sentence of the first known mistake `got` matches, unless that mistake is `want` too.

    `mistakes` holds `(wrong_value, sentence)` pairs; `same(a, b)` says whether two values agree.

    >>> known_mistake("k", 5.0, 6.0, [(6.0, "is the answer"), (5.0, "is off by one.")], lambda a, b: a == b)
    Traceback (most recent call last):
    ...
    nudge.checks.run.Problem: k is off by one.
    """
    for wrong, sentence in mistakes:
        if same(got, wrong) and not same(wrong, want):
            raise Problem(f"{name} {sentence}")
