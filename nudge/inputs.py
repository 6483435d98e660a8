"""One policy for checking what a function was given, so every mistake reads the same way.

A wrong *kind* of thing (text where a number belongs, a list where one number belongs) raises
`TypeError`; the right kind with a wrong *value* (a negative step, a ragged list, an unknown
method) raises `ValueError`. Every message names who is asking, what was expected (with an
example) and what was received:

>>> require_number("0.01", who="leaky_relu", name="the leak a", example="0.01")
Traceback (most recent call last):
...
TypeError: leaky_relu: expected a number for the leak a, like 0.01, got str '0.01'
>>> require_number(-1, who="central_difference", name="the step h", positive=True, finite=True)
Traceback (most recent call last):
...
ValueError: central_difference: the step h must be positive and finite, got -1
>>> require_array([[1.0], [2.0, 3.0]], who="sigmoid")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: sigmoid: expected a rectangular array of numbers, got list [[1.0], [2.0, 3.0]] (...)
"""

from __future__ import annotations

import math
import numbers

import numpy as np

#: what a number-or-array input is described as when it is wrong
NUMBERS = "a number or an array of numbers, like 0.5"


def describe(value) -> str:
    """`value` as a student would recognise it in an error message: its kind, then what it holds.

    >>> describe("a"), describe([1, 2]), describe(np.zeros((2, 3)))
    ("str 'a'", 'list [1, 2]', 'a numpy array of shape (2, 3) and dtype float64')
    """
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape} and dtype {value.dtype}"
    if hasattr(value, "shape") and hasattr(value, "data") and not isinstance(value, numbers.Number):
        return f"a {type(value).__name__} of shape {value.shape}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def is_number(value) -> bool:
    """True for a real number (int, float, numpy scalar); False for booleans, text, arrays and the rest.

    >>> is_number(2), is_number(np.float32(0.5)), is_number(True), is_number("2")
    (True, True, False, False)
    """
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def is_whole_number(value) -> bool:
    """True for an int or numpy integer (not a bool, not a float like 3.0)."""
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def require_number(
    value,
    *,
    who: str,
    name: str = "",
    example: str = "",
    expected: str = "",
    whole: bool = False,
    finite: bool = False,
    positive: bool = False,
    minimum: float | None = None,
    below: float | None = None,
    hint: str = "",
):
    """`value` as a float (an int when `whole`), or an error that says what was expected and what came.

    A value of the wrong kind raises `TypeError`; a number outside what is allowed (`finite`,
    `positive`, at least `minimum`, below `below`) raises `ValueError`. `expected` replaces the
    default "a number"/"a whole number"; `hint` is added to the type error (how to fix it).

    >>> require_number(3, who="chain_slopes", name="the number of layers n", whole=True, minimum=1)
    3
    >>> require_number(0.5, who="leaky_relu", name="the leak a", minimum=0, below=1)
    0.5
    >>> require_number(3.0, who="chain_slopes", name="the number of layers n", whole=True)
    Traceback (most recent call last):
    ...
    TypeError: chain_slopes: expected a whole number for the number of layers n, got float 3.0
    """
    if not (is_whole_number(value) if whole else is_number(value)):
        what = expected or ("a whole number" if whole else "a number")
        where = f" for {name}" if name else ""
        like = f", like {example}" if example else ""
        raise TypeError(f"{who}: expected {what}{where}{like}, got {describe(value)}{hint}")
    number = int(value) if whole else float(value)
    rules = [
        (positive, "positive", lambda v: v > 0),
        (minimum is not None, f"at least {minimum:g}" if minimum is not None else "", lambda v: v >= minimum),
        (below is not None, f"below {below:g}" if below is not None else "", lambda v: v < below),
        (finite, "finite", lambda v: math.isfinite(v)),
    ]
    wanted = [text for active, text, _ in rules if active]
    if any(active and not holds(number) for active, _, holds in rules):
        raise ValueError(f"{who}: {name or 'the number'} must be {' and '.join(wanted)}, got {value!r}")
    return number


def require_choice(value, choices, *, who: str, name: str):
    """`value` if it is one of `choices`, else a ValueError that lists them.

    >>> require_choice("sideways", ("central", "forward"), who="numerical_gradient", name="method")
    Traceback (most recent call last):
    ...
    ValueError: numerical_gradient: method must be one of ['central', 'forward'], got 'sideways'
    """
    if value not in choices:
        raise ValueError(f"{who}: {name} must be one of {list(choices)}, got {value!r}")
    return value


def require_array(value, *, who: str, expected: str = NUMBERS, kinds: str = "iuf") -> np.ndarray:
    """A new float64 array holding `value` (a number, nested lists of numbers or an array).

    Text, `None`, a single boolean and arrays whose dtype kind is not in `kinds` ("b" booleans,
    "i"/"u" integers, "f" floats) raise `TypeError`; nested lists of different lengths raise
    `ValueError` (the right kind of thing, the wrong shape). numpy alone would read "1" and
    True as 1.0 and None as nan: a student meant something else.

    >>> require_array([1, 2], who="relu")
    array([1., 2.])
    >>> require_array("1", who="relu")
    Traceback (most recent call last):
    ...
    TypeError: relu: expected a number or an array of numbers, like 0.5, got str '1'
    """
    if value is None or isinstance(value, str | bytes | bool | np.bool_):
        raise TypeError(f"{who}: expected {expected}, got {describe(value)}")
    try:
        array = np.array(value, copy=True)
    except ValueError as exc:  # nested lists of different lengths
        raise ValueError(f"{who}: expected a rectangular array of numbers, got {describe(value)} ({exc})") from None
    if array.dtype.kind not in kinds:
        raise TypeError(f"{who}: expected {expected}, got {describe(value)}")
    return array.astype(float)


__all__ = ["NUMBERS", "describe", "is_number", "is_whole_number", "require_number", "require_choice", "require_array"]
