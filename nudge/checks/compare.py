"""Comparing an answer with the truth without giving the truth away, and computing that truth
from the problem itself (sympy, or difference quotients from `nudge.numeric`)."""

from __future__ import annotations

import cmath
from collections.abc import Callable, Iterable

import numpy as np

from nudge.checks.kinds import describe, index_text, indexed, is_sympy, listing, show_number
from nudge.checks.run import Problem, quiet
from nudge.i18n import Message
from nudge.numeric import METHODS, central_difference

#: the difference quotients' names in a sentence ("the {method} difference quotient")
METHOD_NAMES = {"forward": Message("forward"), "backward": Message("backward"), "central": Message("central")}


def method_name(method: str) -> Message:
    """A difference quotient's name (`nudge.numeric.METHODS`), for a sentence."""
    if method not in METHOD_NAMES:
        raise ValueError(f"method must be one of {sorted(METHOD_NAMES)}, got {method!r}")
    return METHOD_NAMES[method]


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


def method_mistakes(found: dict, method: str, sentence: Callable[[Message, Message], Message]) -> list:
    """`(value, sentence)` for each other method's value in `found` (method -> value): the sentence of a
    `known_mistake`, made by `sentence(other, method)` from the two methods' names."""
    return [(value, sentence(method_name(other), method_name(method))) for other, value in found.items()]


def hinted(sentence: Message, hint: Message | str | None = None) -> Message:
    """A sentence followed by a hint (a checker's own `Message`, or the `hint=` a check cell passes), if any."""
    if not hint:
        return sentence
    hint = Message.literal(hint) if isinstance(hint, str) else hint  # a check cell's own words (`tools.catalogs`)
    return Message("{sentence} {hint}", sentence=sentence, hint=hint)


def miss(
    name: str | Message, got: float, want: float, hint: Message | str | None = None, reveal: bool = False
) -> Message:
    """Why `got` is not `want`, in kind: sign, size, close-but-not-exact; the value only if `reveal`.

    >>> str(miss("k", 6.0001, 6.0))
    'k is close but not exact (off by 1.7e-05 relative).'
    >>> str(miss("k", 6.03, 6.0, Message("Mind the step.")))
    'k is too large. Mind the step.'
    """
    if reveal:
        how = Message(
            "{name} is {got}, expected {expected}.", name=name, got=show_number(got), expected=show_number(want)
        )
    elif want != 0 and got != 0 and (got > 0) != (want > 0):
        how = Message("{name} has the wrong sign.", name=name)
    elif want != 0 and is_close(got, want, ROUNDED, 0):
        how = Message(
            "{name} is close but not exact (off by {relative:.1e} relative).",
            name=name,
            relative=abs(got - want) / abs(want),
        )
    elif got > want:
        how = Message("{name} is too large.", name=name)
    else:
        how = Message("{name} is too small.", name=name)
    return hinted(how, hint)


def require_close(
    got,
    want,
    name: str | Message,
    rel: float,
    abs_: float,
    hint: Message | str | None = None,
    reveal: bool = False,
) -> None:
    got_array, want_array = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if got_array.shape != want_array.shape:
        raise Problem(
            "{name}: expected shape {shape}, got shape {got}.", name=name, shape=want_array.shape, got=got_array.shape
        )
    if got_array.ndim == 0:
        if not is_close(float(got_array), float(want_array), rel, abs_):
            raise Problem.of(miss(name, float(got_array), float(want_array), hint, reveal))
        return
    bad = ~close_entries(got_array, want_array, rel, abs_)
    if bad.any():
        flat = int(np.flatnonzero(bad)[0])
        where = indexed(name, index_text(got_array.shape, flat))
        first = miss(where, float(got_array.reshape(-1)[flat]), float(want_array.reshape(-1)[flat]), None, reveal)
        off = Message(
            "{count} of {total} values of {name} are off; {first}",
            count=int(bad.sum()),
            total=bad.size,
            name=name,
            first=first,
        )
        raise Problem.of(hinted(off, hint))


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
        raise TypeError(f"expected a function or a sympy expression, got {describe(f).render('en')}")
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


def partials_text(variables) -> Message | str:
    """The partial derivatives of f by `variables`, listed: ∂f/∂x, ∂f/∂y."""
    return listing(f"∂f/∂{s}" for s in variables)


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


def known_mistake(name: str | Message, got, want, mistakes: Iterable, same: Callable) -> None:
    """Raise the sentence of the first known mistake `got` matches, unless that mistake is `want` too.

    `mistakes` holds `(wrong_value, sentence)` pairs, each sentence a `Message` that says what the answer
    does (its subject, the answer's name, comes first); `same(a, b)` says whether two values agree.

    >>> mistakes = [(6.0, Message("is the answer")), (5.0, Message("is off by one."))]
    >>> known_mistake("k", 5.0, 6.0, mistakes, lambda a, b: a == b)
    Traceback (most recent call last):
    ...
    nudge.checks.run.Problem: k is off by one.
    """
    for wrong, sentence in mistakes:
        if same(got, wrong) and not same(wrong, want):
            raise Problem("{name} {sentence}", name=name, sentence=sentence)
