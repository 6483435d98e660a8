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
from nudge.i18n import Message

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


#: what an answer is expected to be, in a sentence, unless a checker says more (`kind=`)
A_NUMBER = Message("a number like 6.0")
A_WHOLE_NUMBER = Message("a whole number like 3")


def refuse_placeholders(value, name: str | Message, kind: Message) -> None:
    """The mistakes every kind of answer can make, each with its own sentence."""
    if value is MISSING:
        raise Problem(
            "`{name}` is not defined yet: run the cell where you set it "
            "(if that cell stopped with an error, fix the error first).",
            name=name,
        )
    if value is Ellipsis:
        raise Problem("`{name}` is still `...`: replace the `...` with your answer ({kind}).", name=name, kind=kind)
    if value is None:
        raise Problem(
            "`{name}` is None, expected {kind}. "
            "(A function that ends without `return` gives None; `print` shows a value but doesn't return it.)",
            name=name,
            kind=kind,
        )
    if value is NotImplemented:
        raise Problem("`{name}` is NotImplemented, expected {kind}.", name=name, kind=kind)


def as_number(value, name: str | Message, kind: Message = A_NUMBER) -> float:
    """`value` as a finite float, or a Problem that says what is wrong with it."""
    refuse_placeholders(value, name, kind)
    if isinstance(value, (bool, np.bool_)):
        raise Problem(
            "{name}: expected {kind}, got {value} (True/False answers yes or no; this needs a number).",
            name=name,
            kind=kind,
            value=value,
        )
    if isinstance(value, (str, bytes, bytearray)):
        text = value.decode("utf-8", "replace") if isinstance(value, (bytes, bytearray)) else value
        shown = show(text)
        try:
            float(text)
        except (ValueError, TypeError, OverflowError):
            raise Problem("{name}: expected {kind}, got the text {text}.", name=name, kind=kind, text=shown) from None
        raise Problem(
            "{name}: expected {kind}, got the text {text} (remove the quotes).", name=name, kind=kind, text=shown
        )
    if isinstance(value, (complex, np.complexfloating)):
        raise Problem("{name}: expected a real number, got the complex number {value}.", name=name, value=show(value))
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return as_number(value[()], name, kind)
        if value.size == 1:
            raise Problem(
                "{name}: expected a single number, got an array holding one number ({value}); "
                "take it out with `.item()`.",
                name=name,
                value=show(value),
            )
        raise Problem("{name}: expected a single number, got an array of shape {shape}.", name=name, shape=value.shape)
    if isinstance(value, (list, tuple)):
        if len(value) == 1 and isinstance(value, list):
            raise Problem(
                "{name}: expected a single number, got a list holding one item ({value}); "
                "take it out with `{name}[0]`.",
                name=name,
                value=show(value),
            )
        if len(value) == 1:
            raise Problem(
                "{name}: expected a single number, got a tuple holding one item ({value}); "
                "take it out with `{name}[0]`.",
                name=name,
                value=show(value),
            )
        if isinstance(value, list):
            raise Problem("{name}: expected a single number, got a list of {count} items.", name=name, count=len(value))
        raise Problem("{name}: expected a single number, got a tuple of {count} items.", name=name, count=len(value))
    not_a_number = Message(
        "{name}: expected {kind}, got a {type} ({value}).",
        name=name,
        kind=kind,
        type=type_name(value),
        value=show(value),
    )
    if isinstance(value, (dict, set, frozenset)):
        raise Problem.of(not_a_number)
    if is_sympy(value):
        return _sympy_number(value, name, kind)
    if callable(value) and not isinstance(value, numbers.Number):
        raise Problem("{name}: expected {kind}, got a function; call it to get a number.", name=name, kind=kind)
    if isinstance(value, (numbers.Real, Decimal, Fraction)):
        try:
            number = float(value)
        except OverflowError:
            raise Problem(
                "{name}: {value} is too large for a float; expected {kind}.", name=name, value=show(value), kind=kind
            ) from None
        except (ValueError, TypeError, ArithmeticError):  # a signalling NaN, say
            raise Problem(
                "{name}: {value} has no value as a float; expected {kind}.", name=name, value=show(value), kind=kind
            ) from None
    else:
        # other number types (a framework's scalar tensor, say) convert with float(); anything else is not a number
        try:
            number = float(value)
        except Exception:
            raise Problem.of(not_a_number) from None
    if cmath.isnan(number):
        raise Problem("{name} is NaN (not a number): a 0/0, inf − inf or a NaN input happened somewhere.", name=name)
    if cmath.isinf(number):
        raise Problem("{name} is infinite ({value}): a division by zero or an overflow?", name=name, value=number)
    return number


def _sympy_number(value, name: str | Message, kind: Message) -> float:
    import sympy as sp

    if not isinstance(value, sp.Basic):
        raise Problem("{name}: expected {kind}, got a sympy {type}.", name=name, kind=kind, type=type_name(value))
    try:
        symbols = sorted(str(s) for s in value.free_symbols)
    except Exception:
        symbols = ["?"]
    if symbols:
        raise Problem(
            "{name} is a formula in {symbols}, not a number: substitute a value, e.g. `.subs({first}, 2)`.",
            name=name,
            symbols=listing(symbols),
            first=symbols[0],
        )
    try:
        number = complex(value.evalf())
    except Exception:
        raise Problem(
            "{name}: the sympy value {value} has no numeric value; expected {kind}.",
            name=name,
            value=show(value),
            kind=kind,
        ) from None
    if cmath.isnan(number):
        raise Problem("{name} is not a number (sympy gave {value}).", name=name, value=show(value))
    if cmath.isinf(number):
        raise Problem("{name} is infinite (sympy gave {value}): a division by zero?", name=name, value=show(value))
    if abs(number.imag) > 1e-12 * max(1.0, abs(number.real)):
        raise Problem("{name}: expected a real number, got the complex number {value}.", name=name, value=show(value))
    return number.real


def listing(items) -> Message | str:
    """Items (symbols, formulas: code, not words) in a sentence, separated as the reader's language separates
    a list: "x, y, z".

    >>> str(listing(["x", "y", "z"]))
    'x, y, z'
    """
    items = [str(item) if not isinstance(item, Message) else item for item in items]
    if not items:
        return ""
    shown = items[0]
    for item in items[1:]:
        shown = Message("{items}, {item}", items=shown, item=item)
    return shown


def as_integer(value, name: str | Message) -> int:
    number = as_number(value, name, A_WHOLE_NUMBER)
    if not float(number).is_integer():
        raise Problem("{name}: expected a whole number like 3, got {value}.", name=name, value=show_number(number))
    return int(number)


def as_array(value, name: str | Message, shape: tuple | None = None, kind: Message | None = None) -> np.ndarray:
    """`value` as a float array (of `shape`, if given), finite, or a Problem."""
    if kind is None:
        kind = (
            Message("an array of {count} numbers (shape {shape})", count=_count(shape), shape=shape)
            if shape is not None
            else Message("an array of numbers")
        )
    refuse_placeholders(value, name, kind)
    if isinstance(value, (str, bytes, bytearray)):
        raise Problem("{name}: expected {kind}, got the text {text}.", name=name, kind=kind, text=show(value))
    if isinstance(value, (bool, np.bool_)) or (callable(value) and not isinstance(value, np.ndarray)):
        raise Problem("{name}: expected {kind}, got {value}.", name=name, kind=kind, value=describe(value))
    if isinstance(value, (dict, set, frozenset)) or inspect.isgenerator(value):
        raise Problem(
            "{name}: expected {kind}, got a {type}; make a list or an array.",
            name=name,
            kind=kind,
            type=type_name(value),
        )
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
            first = indexed(name, index_text(array.shape, int(np.flatnonzero(bad)[0])))
            if np.isnan(array).any():
                raise Problem("{name} is NaN (not a number); expected {kind}.", name=first, kind=kind)
            raise Problem("{name} is infinite; expected {kind}.", name=first, kind=kind)
    else:
        array = _array_from_items(value, name, kind)
    if shape is not None and array.shape != tuple(shape):
        if array.size == _count(shape) and array.ndim != len(shape):
            raise Problem(
                "{name}: expected shape {shape}, got shape {got} (the right count, "
                "arranged differently: `.reshape{shape}`?).",
                name=name,
                shape=tuple(shape),
                got=array.shape,
            )
        if array.ndim == 0:
            raise Problem("{name}: expected {kind}, got a single number.", name=name, kind=kind)
        raise Problem(
            "{name}: expected {kind}, got {count} numbers (shape {shape}).",
            name=name,
            kind=kind,
            count=array.size,
            shape=array.shape,
        )
    return array


def _array_from_items(value, name: str | Message, kind: Message) -> np.ndarray:
    """Any nested sequence of numbers as a float array, one item at a time, so each bad item gets its sentence."""
    try:
        with quiet():
            raw = np.asarray(value, dtype=object)
    except Exception:
        raise Problem(
            "{name}: expected {kind}, could not read {value} as an array.", name=name, kind=kind, value=describe(value)
        ) from None
    numbers_ = np.empty(raw.size, dtype=float)
    for i, item in enumerate(raw.reshape(-1)):
        if isinstance(item, (list, tuple, np.ndarray)):
            raise Problem(
                "{name}: expected {kind}, got a list whose rows have different lengths.", name=name, kind=kind
            )
        try:
            numbers_[i] = as_number(item, indexed(name, index_text(raw.shape, i)))
        except Problem as problem:
            raise Problem("{problem} (expected {kind})", problem=problem.message, kind=kind) from None
    return numbers_.reshape(raw.shape)


def _count(shape) -> int:
    return int(np.prod(shape)) if shape is not None else 0


def index_text(shape, flat_index: int) -> str:
    """An entry's index as code writes it, `[1, 0]` (nothing for a single number)."""
    if len(shape) == 0:
        return ""
    return "[" + ", ".join(str(int(i)) for i in np.unravel_index(flat_index, shape)) + "]"


def indexed(name: str | Message, index: str) -> str | Message:
    """An entry of the answer `name`, `v[1, 0]`; of a call in words, `grad(f, x) with f = ..., entry [1]` (an
    index written after the words would read as the formula's)."""
    return name + index if isinstance(name, str) else Message("{name}, entry {index}", name=name, index=index)


def describe(value) -> Message:
    """What a value is, in a sentence: "a function", "an array of shape (3,)", "2.5 (a float)"."""
    if value is MISSING:
        return Message("nothing")
    if callable(value) and not is_sympy(value) and not isinstance(value, np.ndarray):
        return Message("a function")
    if isinstance(value, (str, bytes, bytearray)):
        return Message("the text {text}", text=show(value))
    if isinstance(value, np.ndarray):
        return Message("an array of shape {shape}", shape=value.shape)
    if isinstance(value, (list, tuple)):
        return Message("a {type} of {count} items", type=type_name(value), count=len(value))
    return Message("{value} (a {type})", value=show(value), type=type_name(value))


def as_function(value, name: str, example: str = "def f(x):") -> Callable:
    refuse_placeholders(value, name, Message("a function, `{example}` and its body", example=example))
    if isinstance(value, type) or not callable(value):
        raise Problem(
            "`{name}` should be a function (`{example}` and its body), got {value}.",
            name=name,
            example=example,
            value=describe(value),
        )
    return value


def as_sympy_expr(value, name: str):
    import sympy as sp

    refuse_placeholders(value, name, Message("a sympy expression"))
    if isinstance(value, (str, bytes, bytearray)):
        raise Problem(
            "{name}: expected a sympy expression, got the text {text}; build it from a sympy symbol instead, "
            "e.g. `sp.diff(f, x)`.",
            name=name,
            text=show(value),
        )
    if callable(value) and not isinstance(value, sp.Basic):
        raise Problem(
            "{name}: expected a sympy expression, got a Python function; keep the sympy expression "
            "(`sp.lambdify` turns an expression into a function, not back).",
            name=name,
        )
    if isinstance(value, sp.Basic):
        if not isinstance(value, sp.Expr):
            raise Problem(
                "{name}: expected a sympy expression (a formula), got a sympy {type}.", name=name, type=type_name(value)
            )
        return value
    if isinstance(value, (bool, np.bool_)):
        raise Problem("{name}: expected a sympy expression, got {value}.", name=name, value=value)
    if isinstance(value, (numbers.Real, Decimal, Fraction, np.integer, np.floating)):
        return sp.nsimplify(as_number(value, name))
    raise Problem("{name}: expected a sympy expression, got {value}.", name=name, value=describe(value))
