"""Answer kinds: what a number, a whole number, an array, a function or a sympy expression may be,
and a sentence for every other thing a student's variable can hold."""

from __future__ import annotations

import cmath
import inspect
import numbers
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import numpy as np

from nudge.checks.run import Problem, quiet
from nudge.formatting import format_number

_SHOW_LENGTH = 60


class _Missing:
    def __repr__(self) -> str:
        return "<not defined>"


MISSING = _Missing()


# --- showing values safely ----------------------------------------------------------------


def show(value) -> str:
    """A short repr of anything, even objects whose repr raises or is huge."""
    try:
        if isinstance(value, np.ndarray):
            text = np.array2string(value, threshold=6, edgeitems=2, precision=6)
        elif inspect.isfunction(value) or inspect.isbuiltin(value):
            text = value.__name__  # a lambda is `<lambda>`, not its memory address
        else:
            text = repr(value)
    except Exception:
        text = f"<a {type_name(value)} object>"
    text = " ".join(str(text).split())
    return text if len(text) <= _SHOW_LENGTH else text[: _SHOW_LENGTH - 1] + "…"


def type_name(value) -> str:
    try:
        return type(value).__name__
    except Exception:  # pragma: no cover - type() always works, but be safe
        return "unknown"


def show_number(x: float) -> str:
    """A number in a sentence: six significant digits, a plain hyphen (students copy it into code), no −0."""
    return format_number(x, ".6g", minus="-")


def show_arg(x: float) -> str:
    """A number as an argument in a call: 3.0, 0.01, 1e-05."""
    text = repr(float(x))
    return text if len(text) <= 10 else f"{x:.6g}"


def is_sympy(value) -> bool:
    module = type(value).__module__ or ""
    return module.startswith("sympy")


# --- kinds: a number, an integer, an array, a function, a sympy expression ------------------


def refuse_placeholders(value, name: str, kind: str) -> None:
    """The mistakes every kind of answer can make, each with its own sentence."""
    if value is MISSING:
        raise Problem(
            f"`{name}` is not defined yet: run the cell where you set it "
            "(if that cell stopped with an error, fix the error first)."
        )
    if value is Ellipsis:
        raise Problem(f"`{name}` is still `...`: replace the `...` with your answer ({kind}).")
    if value is None:
        raise Problem(
            f"`{name}` is None, expected {kind}. "
            "(A function that ends without `return` gives None; `print` shows a value but doesn't return it.)"
        )
    if value is NotImplemented:
        raise Problem(f"`{name}` is NotImplemented, expected {kind}.")


def as_number(value, name: str, kind: str = "a number like 6.0") -> float:
    """`value` as a finite float, or a Problem that says what is wrong with it."""
    refuse_placeholders(value, name, kind)
    if isinstance(value, (bool, np.bool_)):
        raise Problem(f"{name}: expected {kind}, got {value} (True/False answers yes or no; this needs a number).")
    if isinstance(value, (str, bytes, bytearray)):
        text = value.decode("utf-8", "replace") if isinstance(value, (bytes, bytearray)) else value
        shown = show(text)
        try:
            float(text)
        except (ValueError, TypeError, OverflowError):
            raise Problem(f"{name}: expected {kind}, got the text {shown}.") from None
        raise Problem(f"{name}: expected {kind}, got the text {shown} (remove the quotes).")
    if isinstance(value, (complex, np.complexfloating)):
        raise Problem(f"{name}: expected a real number, got the complex number {show(value)}.")
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return as_number(value[()], name, kind)
        if value.size == 1:
            raise Problem(
                f"{name}: expected a single number, got an array holding one number ({show(value)}); "
                "take it out with `.item()`."
            )
        raise Problem(f"{name}: expected a single number, got an array of shape {value.shape}.")
    if isinstance(value, (list, tuple)):
        what = "a list" if isinstance(value, list) else "a tuple"
        if len(value) == 1:
            raise Problem(
                f"{name}: expected a single number, got {what} holding one item ({show(value)}); "
                f"take it out with `{name}[0]`."
            )
        raise Problem(f"{name}: expected a single number, got {what} of {len(value)} items.")
    if isinstance(value, (dict, set, frozenset)):
        raise Problem(f"{name}: expected {kind}, got a {type_name(value)} ({show(value)}).")
    if is_sympy(value):
        return _sympy_number(value, name, kind)
    if callable(value) and not isinstance(value, numbers.Number):
        raise Problem(f"{name}: expected {kind}, got a function; call it to get a number.")
    if isinstance(value, (numbers.Real, Decimal, Fraction)):
        try:
            number = float(value)
        except OverflowError:
            raise Problem(f"{name}: {show(value)} is too large for a float; expected {kind}.") from None
        except (ValueError, TypeError, ArithmeticError):  # a signalling NaN, say
            raise Problem(f"{name}: {show(value)} has no value as a float; expected {kind}.") from None
    else:
        # other number types (a framework's scalar tensor, say) convert with float(); anything else is not a number
        try:
            number = float(value)
        except Exception:
            raise Problem(f"{name}: expected {kind}, got a {type_name(value)} ({show(value)}).") from None
    _refuse_non_finite(
        number,
        f"{name} is NaN (not a number): a 0/0, inf − inf or a NaN input happened somewhere.",
        f"{name} is infinite ({number}): a division by zero or an overflow?",
    )
    return number


def _refuse_non_finite(number: complex, nan: str, infinite: str) -> None:
    """Stop with `nan` or `infinite` (the student's words for the case) unless `number` is finite."""
    if cmath.isnan(number):
        raise Problem(nan)
    if cmath.isinf(number):
        raise Problem(infinite)


def _sympy_number(value, name: str, kind: str) -> float:
    import sympy as sp

    if not isinstance(value, sp.Basic):
        raise Problem(f"{name}: expected {kind}, got a sympy {type_name(value)}.")
    try:
        symbols = sorted(str(s) for s in value.free_symbols)
    except Exception:
        symbols = ["?"]
    if symbols:
        first = symbols[0]
        raise Problem(
            f"{name} is a formula in {', '.join(symbols)}, not a number: substitute a value, e.g. `.subs({first}, 2)`."
        )
    try:
        number = complex(value.evalf())
    except Exception:
        raise Problem(f"{name}: the sympy value {show(value)} has no numeric value; expected {kind}.") from None
    _refuse_non_finite(
        number,
        f"{name} is not a number (sympy gave {show(value)}).",
        f"{name} is infinite (sympy gave {show(value)}): a division by zero?",
    )
    if abs(number.imag) > 1e-12 * max(1.0, abs(number.real)):
        raise Problem(f"{name}: expected a real number, got the complex number {show(value)}.")
    return number.real


def as_integer(value, name: str) -> int:
    number = as_number(value, name, "a whole number like 3")
    if not float(number).is_integer():
        raise Problem(f"{name}: expected a whole number like 3, got {show_number(number)}.")
    return int(number)


def as_array(value, name: str, shape: tuple | None = None, kind: str | None = None) -> np.ndarray:
    """`value` as a float array (of `shape`, if given), finite, or a Problem."""
    want = f"{_count(shape)} numbers" if shape is not None else "numbers"
    kind = kind or (f"an array of {want} (shape {shape})" if shape is not None else "an array of numbers")
    refuse_placeholders(value, name, kind)
    if isinstance(value, (str, bytes, bytearray)):
        raise Problem(f"{name}: expected {kind}, got the text {show(value)}.")
    if isinstance(value, (bool, np.bool_)) or (callable(value) and not isinstance(value, np.ndarray)):
        raise Problem(f"{name}: expected {kind}, got {describe(value)}.")
    if isinstance(value, (dict, set, frozenset)) or inspect.isgenerator(value):
        raise Problem(f"{name}: expected {kind}, got a {type_name(value)}; make a list or an array.")
    if is_sympy(value):
        import sympy as sp

        if isinstance(value, sp.MatrixBase):
            value = value.tolist()
        elif isinstance(value, sp.Basic):
            value = [value]
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiu":
        array = value.astype(float)
        bad = ~np.isfinite(array)
        if bad.any():
            first = index_text(array.shape, int(np.flatnonzero(bad)[0]))
            what = "NaN (not a number)" if np.isnan(array).any() else "infinite"
            raise Problem(f"{name}{first} is {what}; expected {kind}.")
    else:
        array = _array_from_items(value, name, kind)
    if shape is not None and array.shape != tuple(shape):
        if array.size == _count(shape) and array.ndim != len(shape):
            raise Problem(
                f"{name}: expected shape {tuple(shape)}, got shape {array.shape} (the right count, "
                f"arranged differently: `.reshape{tuple(shape)}`?)."
            )
        got = "a single number" if array.ndim == 0 else f"{array.size} numbers (shape {array.shape})"
        raise Problem(f"{name}: expected {kind}, got {got}.")
    return array


def _array_from_items(value, name: str, kind: str) -> np.ndarray:
    """Any nested sequence of numbers as a float array, one item at a time, so each bad item gets its sentence."""
    try:
        with quiet():
            raw = np.asarray(value, dtype=object)
    except Exception:
        raise Problem(f"{name}: expected {kind}, could not read {describe(value)} as an array.") from None
    numbers_ = np.empty(raw.size, dtype=float)
    for i, item in enumerate(raw.reshape(-1)):
        if isinstance(item, (list, tuple, np.ndarray)):
            raise Problem(f"{name}: expected {kind}, got a list whose rows have different lengths.")
        try:
            numbers_[i] = as_number(item, f"{name}{index_text(raw.shape, i)}")
        except Problem as problem:
            raise Problem(f"{problem} (expected {kind})") from None
    return numbers_.reshape(raw.shape)


def _count(shape) -> int:
    return int(np.prod(shape)) if shape is not None else 0


def index_text(shape, flat_index: int) -> str:
    if len(shape) == 0:
        return ""
    return "[" + ", ".join(str(int(i)) for i in np.unravel_index(flat_index, shape)) + "]"


def describe(value) -> str:
    if value is MISSING:
        return "nothing"
    if callable(value) and not is_sympy(value) and not isinstance(value, np.ndarray):
        return "a function"
    if isinstance(value, (str, bytes, bytearray)):
        return f"the text {show(value)}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type_name(value)} of {len(value)} items"
    return f"{show(value)} (a {type_name(value)})"


def as_function(value, name: str, example: str = "def f(x):") -> Callable:
    refuse_placeholders(value, name, f"a function, `{example}` and its body")
    if isinstance(value, type) or not callable(value):
        raise Problem(f"`{name}` should be a function (`{example}` and its body), got {describe(value)}.")
    return value


def as_sympy_expr(value, name: str):
    import sympy as sp

    kind = "a sympy expression"
    refuse_placeholders(value, name, kind)
    if isinstance(value, (str, bytes, bytearray)):
        raise Problem(
            f"{name}: expected {kind}, got the text {show(value)}; build it from a sympy symbol instead, "
            "e.g. `sp.diff(f, x)`."
        )
    if callable(value) and not isinstance(value, sp.Basic):
        raise Problem(
            f"{name}: expected {kind}, got a Python function; keep the sympy expression "
            "(`sp.lambdify` turns an expression into a function, not back)."
        )
    if isinstance(value, sp.Basic):
        if not isinstance(value, sp.Expr):
            raise Problem(f"{name}: expected {kind} (a formula), got a sympy {type_name(value)}.")
        return value
    if isinstance(value, (bool, np.bool_)):
        raise Problem(f"{name}: expected {kind}, got {value}.")
    if isinstance(value, (numbers.Real, Decimal, Fraction, np.integer, np.floating)):
        return sp.nsimplify(as_number(value, name))
    raise Problem(f"{name}: expected {kind}, got {describe(value)}.")
