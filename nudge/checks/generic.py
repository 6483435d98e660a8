"""Generic verdicts: one answer of a common kind (a number, an array, a slope, a difference
quotient, a derivative, a function, a gradient), checked against a problem the check cell names."""

from __future__ import annotations

import cmath
from collections.abc import Callable

import numpy as np

from nudge.checks.api import (
    Message,
    Problem,
    TimedOut,
    all_close,
    all_quotients,
    as_array,
    as_flat_sympy,
    as_function,
    as_integer,
    as_number,
    as_sympy_expr,
    call_student,
    close_entries,
    exact_gradient,
    fresh_copy,
    hinted,
    is_close,
    is_sympy,
    known_mistake,
    listing,
    method_mistakes,
    method_name,
    miss,
    numeric_gradient,
    only_symbol,
    partials_text,
    quiet,
    refuse_placeholders,
    register,
    require_arguments,
    require_close,
    show,
    show_arg,
    show_number,
    substitution,
    symbol_list,
    time_limit,
    true_slope,
    value_at,
)
from nudge.numeric import GRADIENT_METHODS, numerical_gradient


@register
def verdict_number(value, name: str, *, integer: bool = False, positive: bool = False, hint: str = "") -> Message:
    """The answer is a number (a whole number if `integer`, > 0 if `positive`); its value is graded later.

    >>> verdict_number(float("nan"), "k").message
    'k is NaN (not a number): a 0/0, inf − inf or a NaN input happened somewhere.'
    """
    number = as_integer(value, name) if integer else as_number(value, name)
    if positive and not number > 0:
        raise Problem.of(
            hinted(Message("{name} should be positive, got {value}.", name=name, value=show_number(number)), hint)
        )
    if integer:
        return Message("{name} is a whole number; its value is checked when the notebook is graded.", name=name)
    return Message("{name} is a number; its value is checked when the notebook is graded.", name=name)


@register
def verdict_close(value, name: str, expected, *, rtol: float = 1e-6, atol: float = 1e-9, hint: str = "") -> Message:
    """The answer (a number or an array) equals `expected` within `rtol`/`atol`; `expected` is never shown.

    >>> verdict_close([1, 2], "v", [1.0, 2.0])
    Verdict(ok=True, message='v is right.')
    >>> verdict_close(7.5, "v", 6.0).message
    'v is too large.'
    """
    want = np.asarray(expected, dtype=float)
    got = as_number(value, name) if want.ndim == 0 else as_array(value, name, want.shape)
    require_close(got, want, name, rtol, atol, hint)
    return Message("{name} is right.", name=name)


@register
def verdict_array(
    value, name: str, shape: tuple | None = None, *, nonnegative: bool = False, hint: str = ""
) -> Message:
    """The answer is an array of numbers of the given shape (its values are graded later)."""
    array = as_array(value, name, shape)
    if nonnegative and (array < 0).any():
        raise Problem.of(hinted(Message("{name} has negative values; expected only values ≥ 0.", name=name), hint))
    return Message(
        "{name} holds {count} numbers (shape {shape}); its values are checked when graded.",
        name=name,
        count=array.size,
        shape=array.shape,
    )


@register
def verdict_slope(value, name: str, f, x: float, *, wrt=None, rtol: float = 1e-6, hint: str = "") -> Message:
    """The answer is the exact derivative of `f` at `x` (`f` a function or a sympy expression in `wrt`)."""
    got = as_number(value, name)
    want = true_slope(f, x, wrt)
    if not is_close(got, want, rtol, 1e-9):
        estimate = want != 0 and is_close(got, want, 1e-2, 0)
        extra = Message("It looks like an estimate; this asks for the exact slope.") if estimate else None
        raise Problem.of(miss(name, got, want, hinted(extra, hint) if extra else hint))
    return Message("{name} is the slope at x = {x}.", name=name, x=show_number(float(x)))


@register
def verdict_quotient(
    value, name: str, f: Callable, x: float, h: float, method: str = "forward", *, rtol: float = 1e-6, hint: str = ""
) -> Message:
    """The answer is the `method` difference quotient of `f` at `x` with step `h`."""
    got = as_number(value, name)
    quotients = all_quotients(f, x, h)
    want = quotients[method]
    with quiet():
        change = float(f(float(x) + float(h)) - f(float(x)))
    if is_close(got, want, rtol, 1e-12):
        return Message("{name} is the {method} difference quotient.", name=name, method=method_name(method))
    mistakes = method_mistakes(
        quotients,
        method,
        lambda other, asked: Message(
            "is the {other} difference quotient; this asks for the {method} one.", other=other, method=asked
        ),
    )
    known_mistake(name, got, want, mistakes, lambda a, b: is_close(a, b, rtol, 1e-12))
    if is_close(got, change, rtol, 1e-15):
        raise Problem("{name} is the change of f, not yet divided by the step.", name=name)
    raise Problem.of(miss(name, got, want, hint))


@register
def verdict_derivative_expr(value, name: str, f_expr, wrt, *, hint: str = "") -> Message:
    """The answer is a sympy expression equal to the derivative of `f_expr` with respect to `wrt`."""
    import sympy as sp

    got = as_sympy_expr(value, name)
    want = sp.diff(f_expr, wrt)
    got = _rename_symbols(got, want.free_symbols | {wrt})
    extra = sorted(str(s) for s in got.free_symbols - (f_expr.free_symbols | {wrt}))
    if extra:
        raise Problem(
            "{name} contains {symbols}, which the function doesn't depend on.", name=name, symbols=listing(extra)
        )
    if _same_expr(got, want, wrt):
        return Message("{name} is the derivative.", name=name)
    if _same_expr(got, f_expr, wrt):
        raise Problem("{name} is the function itself, not its derivative: differentiate it with `sp.diff`.", name=name)
    raise Problem.of(hinted(Message("{name} is a formula, but not the derivative of f.", name=name), hint))


def _rename_symbols(expr, targets):
    """Replace the student's symbols by the problem's symbols of the same name (a student's own
    `x = sp.Symbol('x', real=True)` is not sympy-equal to the problem's `x`)."""
    by_name = {str(s): s for s in targets}
    swaps = {s: by_name[str(s)] for s in expr.free_symbols if str(s) in by_name and s != by_name[str(s)]}
    return expr.xreplace(swaps) if swaps else expr


def _same_expr(a, b, wrt) -> bool:
    import sympy as sp

    try:
        with time_limit():
            if sp.simplify(a - b) == 0:
                return True
    except TimedOut:
        pass
    # simplify can miss an identity; equal values at a few points are convincing for these functions
    symbols = sorted((a.free_symbols | b.free_symbols | {wrt}), key=str)
    rng = np.random.default_rng(2024)
    for _ in range(5):
        point = {s: sp.Float(rng.uniform(0.3, 1.7)) for s in symbols}
        left, right = complex(a.subs(point).evalf()), complex(b.subs(point).evalf())
        if not cmath.isfinite(left) or not cmath.isfinite(right) or not is_close(left, right, 1e-9, 1e-9):
            return False
    return True


@register
def verdict_roots(value, name: str, expr, wrt, *, tol: float = 1e-6, hint: str = "") -> Message:
    """The answer lists every real solution of `expr = 0` (in any order), each once."""
    import sympy as sp

    kind = Message("a list of every solution")
    if isinstance(value, (list, tuple, np.ndarray)):
        got = [float(v) for v in as_array(value, name, kind=kind).reshape(-1)]
    elif isinstance(value, (set, frozenset)) or (is_sympy(value) and isinstance(value, sp.FiniteSet)):
        got = [as_number(v, Message("an item of {name}", name=name)) for v in value]
    else:
        refuse_placeholders(value, name, kind)
        if is_sympy(value) and isinstance(value, sp.Set):
            raise Problem(
                "{name}: expected {kind}, got the sympy set {value}.", name=name, kind=kind, value=show(value)
            )
        number = as_number(value, name, kind)
        raise Problem(
            "{name}: expected {kind}, got the single number {value}; put every solution in a list.",
            name=name,
            kind=kind,
            value=show_number(number),
        )
    want = _real_roots(expr, wrt)
    got_sorted = sorted(got)
    if any(is_close(a, b, 0, tol) for a, b in zip(got_sorted, got_sorted[1:], strict=False)):
        raise Problem("{name} lists a solution twice.", name=name)
    wrong = [g for g in got_sorted if not any(is_close(g, w, tol, tol) for w in want)]
    if wrong:
        sentence = Message("{name} contains {value}, which is not a solution.", name=name, value=show_number(wrong[0]))
        raise Problem.of(hinted(sentence, hint))
    if len(got_sorted) < len(want):
        missing = len(want) - len(got_sorted)
        raise Problem.of(hinted(Message("{name} is missing {count} solution(s).", name=name, count=missing), hint))
    return Message("{name} holds every solution.", name=name)


def _real_roots(expr, wrt) -> list[float]:
    import sympy as sp

    expr = sp.sympify(expr)
    if expr.is_polynomial(wrt):
        roots = sp.Poly(expr, wrt).nroots(n=30)
    else:
        roots = list(sp.solveset(expr, wrt, domain=sp.S.Reals))
    found = []
    for r in roots:
        c = complex(sp.N(r, 30))
        if abs(c.imag) < 1e-12:
            found.append(c.real)
    return sorted(found)


@register
def verdict_derivative_function(
    value, name: str, f, points, *, vectorized: bool = False, rtol: float = 1e-6, atol: float = 1e-8, hint: str = ""
) -> Message:
    """The answer is a function `df(x)` returning f'(x) at each of `points`.

    With `vectorized`, it must also take an array of all the points at once and return an array.
    """
    fn = as_function(value, name, f"def {name}(x):")
    require_arguments(fn, name, 1, f"def {name}(x):")
    points = [float(p) for p in np.asarray(points, dtype=float).reshape(-1)]
    function = getattr(f, "__name__", "f") if callable(f) else "f"
    function = function if function.isidentifier() else "f"
    wants = [true_slope(f, p) for p in points]
    for point, want in zip(points, wants, strict=True):
        call = f"{name}({show_arg(point)})"
        got = as_number(call_student(fn, (point,), call), call)
        if not is_close(got, want, rtol, atol):
            there = Message("It should be the slope of {function} there.", function=function)
            raise Problem.of(miss(call, got, want, hinted(there, hint)))
    if vectorized:
        xs = np.array(points)
        call = f"{name}(np.array([{show_arg(points[0])}, …]))"
        try:
            result = call_student(fn, (xs.copy(),), call)
        except Problem as problem:
            raise Problem(
                "{problem} It must work on a whole numpy array at once (np.exp, np.where, comparisons like x > 0; "
                "not math.exp or `if x > 0:`).",
                problem=problem.message,
            ) from None
        got = as_array(result, call, xs.shape, kind=Message("an array of {count} slopes, one per x", count=xs.size))
        require_close(got, np.array(wants), call, rtol, atol, hint)
        return Message(
            "{name} gives the slope at all {count} test points, on an array too.", name=name, count=len(points)
        )
    return Message("{name} gives the slope at all {count} test points.", name=name, count=len(points))


@register
def verdict_extremum(value, name: str, f, wrt=None, kind: str = "min", *, tol: float = 1e-6, hint: str = "") -> Message:
    """The answer is a point where `f` (a sympy expression in `wrt`) has a local `kind` ("min" or "max").

    Any local one passes: the check asks that f' is 0 there and that f'' has the right sign.
    """
    import sympy as sp

    if kind not in ("min", "max"):
        raise ValueError(f"kind must be 'min' or 'max', got {kind!r}")
    point = as_number(value, name)
    symbol = wrt if wrt is not None else only_symbol(f)
    first, second = sp.diff(f, symbol), sp.diff(f, symbol, 2)
    at = {symbol: sp.nsimplify(point) if abs(point) < 1e6 else sp.Float(point)}
    slope, bend = float(first.subs(at).evalf(30)), float(second.subs(at).evalf(30))
    shown = show_number(point)
    if abs(slope) > tol * max(1.0, abs(float(f.subs(at).evalf(30)))):
        # uphill is to the right where the slope is positive: a maximum lies that way, a minimum the other
        right = (slope > 0) == (kind == "max")
        if kind == "min" and right:
            sentence = Message(
                "{name}: f is not flat at {x} (its slope there is not 0); a minimum is further to the right.",
                name=name,
                x=shown,
            )
        elif kind == "min":
            sentence = Message(
                "{name}: f is not flat at {x} (its slope there is not 0); a minimum is further to the left.",
                name=name,
                x=shown,
            )
        elif right:
            sentence = Message(
                "{name}: f is not flat at {x} (its slope there is not 0); a maximum is further to the right.",
                name=name,
                x=shown,
            )
        else:
            sentence = Message(
                "{name}: f is not flat at {x} (its slope there is not 0); a maximum is further to the left.",
                name=name,
                x=shown,
            )
        raise Problem.of(hinted(sentence, hint))
    if kind == "min" and not bend > 0:
        if bend < 0:
            raise Problem("{name}: f is flat at {x}, but it is a maximum, not a minimum.", name=name, x=shown)
        raise Problem(
            "{name}: f is flat at {x}, but it is a flat point that is neither, not a minimum.", name=name, x=shown
        )
    if kind == "max" and not bend < 0:
        raise Problem(
            "{name}: f is flat at {x}, but it is a flat point that is neither, not a maximum.", name=name, x=shown
        )
    if kind == "min":
        return Message("{name} is a local minimum.", name=name)
    return Message("{name} is a local maximum.", name=name)


@register
def verdict_function(
    value, name: str, cases, *, rtol: float = 1e-9, atol: float = 1e-12, reveal: bool = True, hint: str = ""
) -> Message:
    """The answer is a function that returns `expected` for each `(args, expected)` in `cases`.

    The cases are visible test data, so a wrong result shows what was expected unless `reveal=False`.
    """
    cases = list(cases)
    n_args = len(cases[0][0]) if cases else 1
    fn = as_function(value, name, f"def {name}(...):")
    require_arguments(fn, name, n_args, f"def {name}({', '.join('abcdef'[:n_args])}):")
    for args, expected in cases:
        shown_args = ", ".join(show(a) for a in args)
        call = f"{name}({shown_args})"
        copies = tuple(fresh_copy(a) for a in args)
        result = call_student(fn, copies, call)
        want = np.asarray(expected, dtype=float)
        if want.ndim == 0:
            got = as_number(result, call)
        else:
            got = as_array(result, call, want.shape, kind=Message("{count} numbers", count=want.size))
        if reveal and not all_close(got, want, rtol, atol):
            returned = Message(
                "{call} returned {got}, expected {expected}.", call=call, got=show(result), expected=show(expected)
            )
            raise Problem.of(hinted(returned, hint))
        require_close(got, want, call, rtol, atol, hint)
    return Message("{name} passes all {count} test cases.", name=name, count=len(cases))


@register
def verdict_partial(value, name: str, expr, wrt, at: dict, *, rtol: float = 1e-6, hint: str = "") -> Message:
    """The answer is the exact partial derivative of the sympy expression `expr` with respect to `wrt`
    at the point `at` (a dict symbol → number), every other variable held at its value there."""
    import sympy as sp

    got = as_number(value, name)
    variables = sorted(expr.free_symbols | {wrt}, key=str)
    subs = substitution(variables, at)
    want = value_at(sp.diff(expr, wrt), subs)
    if is_close(got, want, rtol, 1e-9):
        return Message("{name} is ∂f/∂{wrt} at the point.", name=name, wrt=wrt)
    mistakes = [
        (
            value_at(sp.diff(expr, other), subs),
            Message("is ∂f/∂{other}; this asks for ∂f/∂{wrt} (move {wrt}, hold {other} fixed).", other=other, wrt=wrt),
        )
        for other in variables
        if other != wrt
    ]
    mistakes.append(
        (value_at(expr, subs), Message("is the value of f at the point, not its slope: differentiate first."))
    )
    known_mistake(name, got, want, mistakes, lambda a, b: is_close(a, b, rtol, 1e-9))
    estimate = want != 0 and is_close(got, want, 1e-2, 0)
    extra = Message("It looks like an estimate; this asks for the exact value.") if estimate else None
    raise Problem.of(miss(name, got, want, hinted(extra, hint) if extra else hint))


@register
def verdict_exact_gradient(
    value, name: str, expr, variables, point, *, rtol: float = 1e-6, atol: float = 1e-9, hint: str = ""
) -> Message:
    """The answer is the exact gradient of the sympy expression `expr` at `point`: an array of the
    partial derivatives in the order of `variables` (a sympy Matrix is read as its list of entries)."""
    variables = symbol_list(variables)
    want = exact_gradient(expr, variables, point)
    n = want.size
    partials = partials_text(variables)
    kind = Message("an array of {count} partial derivatives ({partials})", count=n, partials=partials)
    got = as_array(as_flat_sympy(value), name, want.shape, kind=kind)
    if all_close(got, want, rtol, atol):
        return Message("{name} is the gradient at the point.", name=name)
    if n > 1 and all_close(got[::-1], want, rtol, atol):
        raise Problem(
            "{name} holds the right partial derivatives in the wrong order: {partials}.", name=name, partials=partials
        )
    if all_close(got, -want, rtol, atol):
        raise Problem("{name} is −∇f, which points downhill; the gradient itself points uphill.", name=name)
    with quiet():  # a huge answer overflows the norm: then it is simply not an estimate
        norm, off = float(np.linalg.norm(want)), float(np.linalg.norm(got - want))
    if norm > 0 and off <= 1e-2 * norm:
        extra = Message("It looks like an estimate; this asks for the exact gradient.")
        require_close(got, want, name, rtol, atol, hinted(extra, hint))
    require_close(got, want, name, rtol, atol, hint)
    raise Problem("{name} is not the gradient.", name=name)  # pragma: no cover - require_close raised already


@register
def verdict_gradient_quotient(
    value, name: str, f: Callable, point, h: float, method: str = "central", *, rtol: float = 1e-6, hint: str = ""
) -> Message:
    """The answer is the gradient of `f` (a function of one array) at `point` estimated with the
    `method` difference quotient and step `h`, one entry nudged at a time."""
    point = np.array(point, dtype=float)
    with quiet():
        estimates = {m: numerical_gradient(f, point, h, m) for m in GRADIENT_METHODS}
    want = estimates[method]
    kind = Message(
        "an array of {count} estimated partial derivatives (shape {shape})", count=want.size, shape=want.shape
    )
    got = as_array(as_flat_sympy(value), name, want.shape, kind=kind)
    atol = 1e-9 * max(1.0, float(np.max(np.abs(want))) if want.size else 1.0)
    if all_close(got, want, rtol, atol):
        return Message(
            "{name} is the {method}-difference gradient with h = {h:g}.", name=name, method=method_name(method), h=h
        )
    mistakes = method_mistakes(
        estimates,
        method,
        lambda other, asked: Message(
            "holds {other} differences; this asks for {method} ones.", other=other, method=asked
        ),
    )
    known_mistake(name, got, want, mistakes, lambda a, b: all_close(a, b, rtol, atol))
    if want.size > 1 and all_close(got.reshape(-1)[::-1], want.reshape(-1), rtol, atol):
        raise Problem("{name} holds the right estimates in the wrong order: one entry per input, in order.", name=name)
    for step in (h, 2 * h):
        if all_close(got, want * step, rtol, 1e-15) and not all_close(want * step, want, rtol, atol):
            raise Problem("{name} holds the changes of f, not yet divided by the step.", name=name)
    require_close(got, want, name, rtol, atol, hint)
    raise Problem("{name} is not the estimate.", name=name)  # pragma: no cover - require_close raised already


def _engine_problem(value, name: str, what: Message) -> None:
    """A `Value` or `Tensor` where plain numbers were expected gets its own sentence."""
    kind = type(value).__name__
    if kind in ("Value", "Tensor") and (type(value).__module__ or "").startswith("nudge."):
        raise Problem(
            "{name} is a {type}, expected {what}: take its `.grad` (or `.data`), not the {type} itself.",
            name=name,
            type=kind,
            what=what,
        )
    if isinstance(value, (list, tuple)) and any(
        type(item).__name__ in ("Value", "Tensor") and (type(item).__module__ or "").startswith("nudge.")
        for item in value
    ):
        raise Problem(
            "{name} holds Values, expected {what}: take each one's `.grad` (or `.data`).", name=name, what=what
        )


@register
def verdict_gradient(
    value, name: str, f: Callable, point, *, rtol: float = 1e-6, atol: float = 1e-8, hint: str = ""
) -> Message:
    """The answer is the gradient of `f` (a function of one float array) at `point`, one partial derivative per entry.

    The checker finds the partial derivatives itself by nudging `f` one entry at a time.
    """
    point = np.array(point, dtype=float)
    kind = Message("an array of {count} partial derivatives (shape {shape})", count=point.size, shape=point.shape)
    _engine_problem(value, name, kind)
    got = as_array(value, name, point.shape, kind=kind)
    with quiet():
        want = numeric_gradient(f, point)
    close = close_entries(got, want, rtol, atol)
    passed = Message("{name} holds all {count} partial derivatives.", name=name, count=point.size)
    if close.all():
        return passed
    if all_close(-got, want, rtol, atol):
        raise Problem("{name} points the wrong way: every partial derivative has the wrong sign.", name=name)
    require_close(got, want, name, rtol, atol, hint)
    return passed  # pragma: no cover - require_close raised


@register
def verdict_shape(value, name: str, expected) -> Message:
    """The answer is the shape `expected`: a tuple of whole numbers like `(3, 4)` (not numbers close to them).

    >>> verdict_shape((3, 4), "s", (3, 4))
    Verdict(ok=True, message='s is the right shape.')
    >>> verdict_shape((3.0000001, 4), "s", (3, 4)).message
    's[0]: a shape holds whole numbers, like (5, 6); got 3.0000001.'
    """
    want = tuple(int(n) for n in expected)
    kind = Message(
        "a shape, a tuple of {count} whole numbers like {example}", count=len(want), example=(5, 6, 7)[: len(want)]
    )
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, (tuple, list)):
        as_number(value, name, kind)  # a placeholder, a text, a number: each has its sentence
        raise Problem(
            "{name}: expected {kind}, got the single number {value}.", name=name, kind=kind, value=show(value)
        )
    got = []
    for i, item in enumerate(value):
        number = as_number(item, f"{name}[{i}]", Message("a whole number"))
        if not float(number).is_integer():
            raise Problem(
                "{name}: a shape holds whole numbers, like (5, 6); got {value}.", name=f"{name}[{i}]", value=show(item)
            )
        got.append(int(number))
    if len(got) != len(want):
        raise Problem(
            "{name} has {count} numbers; this shape has {expected}.", name=name, count=len(got), expected=len(want)
        )
    if tuple(got) != want:
        raise Problem("{name} is not the shape: which factor gives its rows, which its columns?", name=name)
    return Message("{name} is the right shape.", name=name)
