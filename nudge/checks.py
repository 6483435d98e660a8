"""Checks for the exercise notebooks: a short, friendly verdict on every answer.

A check cell calls one or more `check_*` functions with the *name* of the student's
variable (a string) and what the answer should satisfy:

>>> k = 6.01
>>> check_quotient("k", lambda w: w**2, 3, 0.01, method="forward")
✓ k is the forward difference quotient.
>>> k = "6.01"
>>> check_quotient("k", lambda w: w**2, 3, 0.01, method="forward")
Traceback (most recent call last):
...
nudge.checks.CheckFailed: k: expected a number like 6.0, got the text '6.01' (remove the quotes).

How a check reports (the choice, and why)
------------------------------------------
- A pass prints one line starting with ✓ and returns None (nbgrader would read a returned
  number as partial credit).
- A failure prints one line starting with ✗ (what was expected *in kind*: a number, a
  function that returns an array of shape (3,), ...; never the answer itself), then raises
  `CheckFailed`. nbgrader scores an autograded test cell 0 exactly when it raises, so the
  exception is what grades; the printed line is what the student reads. In IPython and
  Jupyter (and so in Colab and in nbgrader's feedback) `CheckFailed` renders as a single
  line instead of a traceback, through IPython's `_render_traceback_` hook; nothing is
  registered globally and importing this module changes nothing.
- The student's value is looked up by name in the caller's namespace, so a cell that never
  ran, or stopped with an error, gets "`k` is not defined yet: run the cell ..." instead
  of a NameError.
- Student functions run under a time limit (`TIME_LIMIT` seconds, via SIGALRM where the
  platform has it), with warnings silenced (nbgrader scores a test cell that writes to
  stderr as 0) and every exception they raise turned into a sentence.
- The value a comparison expects comes from the problem itself wherever possible: the
  checker differentiates `f` (sympy or a high-order difference quotient), evaluates the
  difference quotient, solves f' = 0, so a check cell names the problem, not its answer.
- `hidden=True` is for nbgrader's hidden tests: silent on a pass, and its failure message
  says a graded test failed without showing the test.

Each `check_*` function has a `verdict_*` twin that returns a `Verdict` instead of
printing and raising; tests feed those thousands of malformed answers.
"""

from __future__ import annotations

import cmath
import contextlib
import functools
import inspect
import math
import numbers
import re
import signal
import sys
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np

#: seconds a student's function may run in one call before the check gives up on it
TIME_LIMIT = 3.0

_SHOW_LENGTH = 60


class CheckFailed(Exception):
    """An answer did not pass its check; the reason was printed just before.

    IPython (Jupyter, Colab, nbgrader) shows it as one line, not a traceback.
    """

    def _render_traceback_(self) -> list[str]:
        # the ✗ line printed just before says why; repeating it here would only add noise
        return ["CheckFailed: not passed yet (the ✗ line above says why)"]


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check: `ok`, and a sentence for the student."""

    ok: bool
    message: str


class _Problem(Exception):
    """Raised inside a checker with the sentence the student will read."""


class _TimedOut(BaseException):
    """Raised by the alarm inside a student's function; a BaseException so `except Exception` can't swallow it."""


class _Missing:
    def __repr__(self) -> str:
        return "<not defined>"


MISSING = _Missing()


# --- showing values safely ----------------------------------------------------------------


def _show(value) -> str:
    """A short repr of anything, even objects whose repr raises or is huge."""
    try:
        if isinstance(value, np.ndarray):
            text = np.array2string(value, threshold=6, edgeitems=2, precision=6)
        elif inspect.isfunction(value) or inspect.isbuiltin(value):
            text = value.__name__  # a lambda is `<lambda>`, not its memory address
        else:
            text = repr(value)
    except Exception:
        text = f"<a {_type_name(value)} object>"
    text = " ".join(str(text).split())
    return text if len(text) <= _SHOW_LENGTH else text[: _SHOW_LENGTH - 1] + "…"


def _type_name(value) -> str:
    try:
        return type(value).__name__
    except Exception:  # pragma: no cover - type() always works, but be safe
        return "unknown"


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _arg(x: float) -> str:
    """A number as an argument in a call: 3.0, 0.01, 1e-05."""
    text = repr(float(x))
    return text if len(text) <= 10 else f"{x:.6g}"


def _is_sympy(value) -> bool:
    module = type(value).__module__ or ""
    return module.startswith("sympy")


# --- kinds: a number, an integer, an array, a function, a sympy expression ------------------


def _common_problems(value, name: str, kind: str) -> None:
    """The mistakes every kind of answer can make, each with its own sentence."""
    if value is MISSING:
        raise _Problem(
            f"`{name}` is not defined yet: run the cell where you set it "
            "(if that cell stopped with an error, fix the error first)."
        )
    if value is Ellipsis:
        raise _Problem(f"`{name}` is still `...`: replace the `...` with your answer ({kind}).")
    if value is None:
        raise _Problem(
            f"`{name}` is None, expected {kind}. "
            "(A function that ends without `return` gives None; `print` shows a value but doesn't return it.)"
        )
    if value is NotImplemented:
        raise _Problem(f"`{name}` is NotImplemented, expected {kind}.")


def _number(value, name: str, kind: str = "a number like 6.0") -> float:
    """`value` as a finite float, or a _Problem that says what is wrong with it."""
    _common_problems(value, name, kind)
    if isinstance(value, (bool, np.bool_)):
        raise _Problem(f"{name}: expected {kind}, got {value} (True/False answers yes or no; this needs a number).")
    if isinstance(value, (str, bytes, bytearray)):
        text = value.decode("utf-8", "replace") if isinstance(value, (bytes, bytearray)) else value
        shown = _show(text)
        try:
            float(text)
        except (ValueError, TypeError, OverflowError):
            raise _Problem(f"{name}: expected {kind}, got the text {shown}.") from None
        raise _Problem(f"{name}: expected {kind}, got the text {shown} (remove the quotes).")
    if isinstance(value, (complex, np.complexfloating)):
        raise _Problem(f"{name}: expected a real number, got the complex number {_show(value)}.")
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return _number(value[()], name, kind)
        if value.size == 1:
            raise _Problem(
                f"{name}: expected a single number, got an array holding one number ({_show(value)}); "
                "take it out with `.item()`."
            )
        raise _Problem(f"{name}: expected a single number, got an array of shape {value.shape}.")
    if isinstance(value, (list, tuple)):
        what = "a list" if isinstance(value, list) else "a tuple"
        if len(value) == 1:
            raise _Problem(
                f"{name}: expected a single number, got {what} holding one item ({_show(value)}); "
                f"take it out with `{name}[0]`."
            )
        raise _Problem(f"{name}: expected a single number, got {what} of {len(value)} items.")
    if isinstance(value, (dict, set, frozenset)):
        raise _Problem(f"{name}: expected {kind}, got a {_type_name(value)} ({_show(value)}).")
    if _is_sympy(value):
        return _sympy_number(value, name, kind)
    if callable(value) and not isinstance(value, numbers.Number):
        raise _Problem(f"{name}: expected {kind}, got a function; call it to get a number.")
    if isinstance(value, (numbers.Real, Decimal, Fraction)):
        try:
            number = float(value)
        except OverflowError:
            raise _Problem(f"{name}: {_show(value)} is too large for a float; expected {kind}.") from None
        except (ValueError, TypeError, ArithmeticError):  # a signalling NaN, say
            raise _Problem(f"{name}: {_show(value)} has no value as a float; expected {kind}.") from None
    else:
        # other number types (a framework's scalar tensor, say) convert with float(); anything else is not a number
        try:
            number = float(value)
        except Exception:
            raise _Problem(f"{name}: expected {kind}, got a {_type_name(value)} ({_show(value)}).") from None
    if math.isnan(number):
        raise _Problem(f"{name} is NaN (not a number): a 0/0, inf − inf or a NaN input happened somewhere.")
    if math.isinf(number):
        raise _Problem(f"{name} is infinite ({number}): a division by zero or an overflow?")
    return number


def _sympy_number(value, name: str, kind: str) -> float:
    import sympy as sp

    if not isinstance(value, sp.Basic):
        raise _Problem(f"{name}: expected {kind}, got a sympy {_type_name(value)}.")
    try:
        symbols = sorted(str(s) for s in value.free_symbols)
    except Exception:
        symbols = ["?"]
    if symbols:
        first = symbols[0]
        raise _Problem(
            f"{name} is a formula in {', '.join(symbols)}, not a number: substitute a value, e.g. `.subs({first}, 2)`."
        )
    try:
        number = complex(value.evalf())
    except Exception:
        raise _Problem(f"{name}: the sympy value {_show(value)} has no numeric value; expected {kind}.") from None
    if cmath.isnan(number):
        raise _Problem(f"{name} is not a number (sympy gave {_show(value)}).")
    if cmath.isinf(number):
        raise _Problem(f"{name} is infinite (sympy gave {_show(value)}): a division by zero?")
    if abs(number.imag) > 1e-12 * max(1.0, abs(number.real)):
        raise _Problem(f"{name}: expected a real number, got the complex number {_show(value)}.")
    return number.real


def _integer(value, name: str) -> int:
    number = _number(value, name, "a whole number like 3")
    if not float(number).is_integer():
        raise _Problem(f"{name}: expected a whole number like 3, got {_fmt(number)}.")
    return int(number)


def _array(value, name: str, shape: tuple | None = None, kind: str | None = None) -> np.ndarray:
    """`value` as a float array (of `shape`, if given), finite, or a _Problem."""
    want = f"{_count(shape)} numbers" if shape is not None else "numbers"
    kind = kind or (f"an array of {want} (shape {shape})" if shape is not None else "an array of numbers")
    _common_problems(value, name, kind)
    if isinstance(value, (str, bytes, bytearray)):
        raise _Problem(f"{name}: expected {kind}, got the text {_show(value)}.")
    if isinstance(value, (bool, np.bool_)) or (callable(value) and not isinstance(value, np.ndarray)):
        raise _Problem(f"{name}: expected {kind}, got {_describe(value)}.")
    if isinstance(value, (dict, set, frozenset)) or inspect.isgenerator(value):
        raise _Problem(f"{name}: expected {kind}, got a {_type_name(value)}; make a list or an array.")
    if _is_sympy(value):
        import sympy as sp

        if isinstance(value, sp.MatrixBase):
            value = value.tolist()
        elif isinstance(value, sp.Basic):
            value = [value]
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiu":
        array = value.astype(float)
        bad = ~np.isfinite(array)
        if bad.any():
            first = _index(array.shape, int(np.flatnonzero(bad)[0]))
            what = "NaN (not a number)" if np.isnan(array).any() else "infinite"
            raise _Problem(f"{name}{first} is {what}; expected {kind}.")
    else:
        array = _array_from_items(value, name, kind)
    if shape is not None and array.shape != tuple(shape):
        if array.size == _count(shape) and array.ndim != len(shape):
            raise _Problem(
                f"{name}: expected shape {tuple(shape)}, got shape {array.shape} (the right count, "
                f"arranged differently: `.reshape{tuple(shape)}`?)."
            )
        got = "a single number" if array.ndim == 0 else f"{array.size} numbers (shape {array.shape})"
        raise _Problem(f"{name}: expected {kind}, got {got}.")
    return array


def _array_from_items(value, name: str, kind: str) -> np.ndarray:
    """Any nested sequence of numbers as a float array, one item at a time, so each bad item gets its sentence."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = np.asarray(value, dtype=object)
    except Exception:
        raise _Problem(f"{name}: expected {kind}, could not read {_describe(value)} as an array.") from None
    numbers_ = np.empty(raw.size, dtype=float)
    for i, item in enumerate(raw.reshape(-1)):
        if isinstance(item, (list, tuple, np.ndarray)):
            raise _Problem(f"{name}: expected {kind}, got a list whose rows have different lengths.")
        try:
            numbers_[i] = _number(item, f"{name}{_index(raw.shape, i)}")
        except _Problem as problem:
            raise _Problem(f"{problem} (expected {kind})") from None
    return numbers_.reshape(raw.shape)


def _count(shape) -> int:
    return int(np.prod(shape)) if shape is not None else 0


def _index(shape, flat_index: int) -> str:
    if len(shape) == 0:
        return ""
    return "[" + ", ".join(str(int(i)) for i in np.unravel_index(flat_index, shape)) + "]"


def _describe(value) -> str:
    if value is MISSING:
        return "nothing"
    if callable(value) and not _is_sympy(value) and not isinstance(value, np.ndarray):
        return "a function"
    if isinstance(value, (str, bytes, bytearray)):
        return f"the text {_show(value)}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {_type_name(value)} of {len(value)} items"
    return f"{_show(value)} (a {_type_name(value)})"


def _function(value, name: str, example: str = "def f(x):") -> Callable:
    _common_problems(value, name, f"a function, `{example}` and its body")
    if isinstance(value, type) or not callable(value):
        raise _Problem(f"`{name}` should be a function (`{example}` and its body), got {_describe(value)}.")
    return value


def _sympy_expr(value, name: str):
    import sympy as sp

    kind = "a sympy expression"
    _common_problems(value, name, kind)
    if isinstance(value, (str, bytes, bytearray)):
        raise _Problem(
            f"{name}: expected {kind}, got the text {_show(value)}; build it from a sympy symbol instead, "
            "e.g. `sp.diff(f, x)`."
        )
    if callable(value) and not isinstance(value, sp.Basic):
        raise _Problem(
            f"{name}: expected {kind}, got a Python function; keep the sympy expression "
            "(`sp.lambdify` turns an expression into a function, not back)."
        )
    if isinstance(value, sp.Basic):
        if not isinstance(value, sp.Expr):
            raise _Problem(f"{name}: expected {kind} (a formula), got a sympy {_type_name(value)}.")
        return value
    if isinstance(value, (bool, np.bool_)):
        raise _Problem(f"{name}: expected {kind}, got {value}.")
    if isinstance(value, (numbers.Real, Decimal, Fraction, np.integer, np.floating)):
        return sp.nsimplify(_number(value, name))
    raise _Problem(f"{name}: expected {kind}, got {_describe(value)}.")


# --- running a student's function ------------------------------------------------------------


@contextlib.contextmanager
def _time_limit(seconds: float | None):
    """Raise `_TimedOut` inside the block after `seconds`, and again every 0.1 s after that.

    `_TimedOut` is not an `Exception`, so a student's `except Exception:` lets it through; a
    bare `except:` may swallow it, and then nbgrader's cell timeout is the last resort.
    """
    usable = (
        seconds is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if not usable:  # no SIGALRM (Windows), not the main thread, or a timer already running: no limit
        yield
        return

    def _alarm(signum, frame):
        raise _TimedOut()

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _call(fn: Callable, args: tuple, shown_call: str):
    """Call a student's function with a time limit; any exception becomes a sentence."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            with _time_limit(TIME_LIMIT):
                result = fn(*args)
    except _TimedOut:
        raise _Problem(f"{shown_call} ran for more than {TIME_LIMIT:g} s and was stopped: an endless loop?") from None
    except KeyboardInterrupt:
        raise
    except RecursionError:
        raise _Problem(f"{shown_call} calls itself without end (RecursionError).") from None
    except _Problem:
        raise
    except BaseException as exc:  # the student's code may raise anything, even SystemExit
        text = _exception_text(exc)
        end = "" if text.endswith((".", "!", "?", ")")) else "."
        raise _Problem(f"{shown_call} raised {_type_name(exc)}: {text}{end}") from None
    if result is None and _has_placeholder(fn):
        raise _Problem(f"{shown_call} returned None: its body is still the `...` placeholder; write the code there.")
    return _returned(result, shown_call)


def _has_placeholder(fn) -> bool:
    """Whether a function's source still has its template's `...` placeholder: a line holding only
    `...`, or a `def` whose whole body is `...` on the same line (`def _backward(): ...`)."""
    try:
        source = inspect.getsource(fn)
    except Exception:
        return False
    return re.search(r"^\s*(def [^\n]*:\s*)?\.\.\.\s*(#.*)?$", source, re.M) is not None


def _returned(result, call: str):
    """A student's function's result, unless it is a placeholder (None, `...`) that deserves its own sentence."""
    if result is None:
        raise _Problem(f"{call} returned None: does the function end with `return` and the result?")
    if result is Ellipsis:
        raise _Problem(f"{call} returned `...`: replace the `...` in the function with your code.")
    return result


def _exception_text(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:
        text = ""
    text = " ".join(text.split())
    if len(text) > 120:
        text = text[:119] + "…"
    return text or "(no message)"


def _signature_problem(fn: Callable, name: str, n_args: int, example: str) -> None:
    """A function that can't take `n_args` positional arguments gets a sentence, not a TypeError."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return
    try:
        signature.bind(*range(n_args))
    except TypeError:
        raise _Problem(
            f"`{name}` should take {n_args} argument(s), like `{example}`; yours is `{name}{signature}`."
        ) from None


# --- comparing without giving the answer away ------------------------------------------------


def _close(got: float, want: float, rel: float, abs_: float) -> bool:
    return abs(got - want) <= abs_ + rel * abs(want)


def _miss(name: str, got: float, want: float, hint: str = "", reveal: bool = False) -> str:
    """Why `got` is not `want`, in kind: sign, size, close-but-not-exact; the value only if `reveal`."""
    if reveal:
        how = f"is {_fmt(got)}, expected {_fmt(want)}"
    elif want != 0 and got != 0 and (got > 0) != (want > 0):
        how = "has the wrong sign"
    elif want != 0 and abs(got - want) <= 1e-2 * abs(want):
        how = f"is close but not exact (off by {abs(got - want) / abs(want):.1e} relative)"
    elif got > want:
        how = "is too large"
    else:
        how = "is too small"
    return f"{name} {how}." + (f" {hint}" if hint else "")


def _compare(got, want, name: str, rel: float, abs_: float, hint: str = "", reveal: bool = False) -> None:
    got_array, want_array = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if got_array.shape != want_array.shape:
        raise _Problem(f"{name}: expected shape {want_array.shape}, got shape {got_array.shape}.")
    if got_array.ndim == 0:
        if not _close(float(got_array), float(want_array), rel, abs_):
            raise _Problem(_miss(name, float(got_array), float(want_array), hint, reveal))
        return
    bad = ~(np.abs(got_array - want_array) <= abs_ + rel * np.abs(want_array))
    if bad.any():
        flat = int(np.flatnonzero(bad)[0])
        where = _index(got_array.shape, flat)
        first = _miss(
            f"{name}{where}", float(got_array.reshape(-1)[flat]), float(want_array.reshape(-1)[flat]), "", reveal
        )
        raise _Problem(
            f"{int(bad.sum())} of {bad.size} values of {name} are off; {first}" + (f" {hint}" if hint else "")
        )


# --- the truth, computed from the problem --------------------------------------------------


def _sympy_slope(f, x: float, wrt=None) -> float | None:
    """f'(x) exactly, when `f` is a sympy expression or a function that accepts a sympy symbol."""
    import sympy as sp

    if isinstance(f, sp.Basic):
        symbol = wrt if wrt is not None else _only_symbol(f)
        return _finite_real(sp.diff(f, symbol).subs(symbol, sp.nsimplify(x)))
    try:
        symbol = sp.Symbol("x", real=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
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


def _only_symbol(expr):
    symbols = sorted(expr.free_symbols, key=str)
    if len(symbols) != 1:
        raise TypeError(f"say which symbol to differentiate by (wrt=...): the expression has {symbols}")
    return symbols[0]


def _numeric_slope(f: Callable, x: float) -> float:
    """f'(x) to about 10 digits: Richardson extrapolation of two central differences."""
    h = 1e-3 * max(1.0, abs(x))

    def central(step):
        return (float(f(x + step)) - float(f(x - step))) / (2 * step)

    return (4 * central(h / 2) - central(h)) / 3


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
        raise TypeError(f"expected a function or a sympy expression, got {_describe(f)}")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return _numeric_slope(f, float(x))


def _quotient(f: Callable, x: float, h: float, method: str) -> float:
    x, h = float(x), float(h)
    if method == "forward":
        return (f(x + h) - f(x)) / h
    if method == "backward":
        return (f(x) - f(x - h)) / h
    if method == "central":
        return (f(x + h) - f(x - h)) / (2 * h)
    raise ValueError(f"method must be 'forward', 'backward' or 'central', got {method!r}")


# --- the checks -------------------------------------------------------------------------------


def _verdict(core):
    """Turn a core checker (raises _Problem or returns a success sentence) into one returning a Verdict."""

    @functools.wraps(core)
    def verdict(value, name: str, *args, **kwargs) -> Verdict:
        try:
            return Verdict(True, core(value, name, *args, **kwargs))
        except _Problem as problem:
            return Verdict(False, str(problem))
        except _TimedOut:
            return Verdict(False, f"{name}: checking it took more than {TIME_LIMIT:g} s and was stopped.")
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # a checker bug must still not show the student a traceback
            return Verdict(
                False,
                f"{name}: the checker could not make sense of {_describe(value)} "
                f"({_type_name(exc)}: {_exception_text(exc)}); please tell your instructor.",
            )

    return verdict


def _caller_namespace(depth: int = 2) -> dict:
    frame = sys._getframe(depth)
    return {**frame.f_globals, **frame.f_locals}


def _report(verdict: Verdict, name: str, hidden: bool) -> None:
    if verdict.ok:
        if not hidden:
            print(f"✓ {verdict.message}")
        return
    if hidden:
        print(f"✗ A graded test of {name} failed: {verdict.message}")
        raise CheckFailed(f"a graded test of {name} failed")
    print(f"✗ {verdict.message}")
    raise CheckFailed(verdict.message)


def _checker(verdict_fn):
    """The public `check_*` function for a `verdict_*` function: look the name up, print, raise."""

    @functools.wraps(verdict_fn)
    def check(name: str, *args, namespace: dict | None = None, hidden: bool = False, **kwargs) -> None:
        if not isinstance(name, str) or not name.isidentifier():
            raise TypeError(f"pass the name of the answer's variable as a string, like 'k', got {name!r}")
        scope = namespace if namespace is not None else _caller_namespace()
        value = scope.get(name, MISSING)
        if hidden and "reveal" in inspect.signature(verdict_fn).parameters:
            kwargs["reveal"] = False  # a hidden test's expected values stay hidden
        _report(verdict_fn(value, name, *args, **kwargs), name, hidden)

    check.__doc__ = (
        f"Print a ✓/✗ verdict on the variable called `name`, raising `CheckFailed` on ✗.\n\n"
        f"Same arguments as `{verdict_fn.__name__}`, but `name` (a string) instead of the value;\n"
        f"`hidden=True` prints nothing on a pass (for nbgrader's hidden tests).\n\n"
        f"{verdict_fn.__doc__ or ''}"
    )
    return check


@_verdict
def verdict_number(value, name: str, *, integer: bool = False, positive: bool = False, hint: str = "") -> str:
    """The answer is a number (a whole number if `integer`, > 0 if `positive`); its value is graded later.

    >>> verdict_number(float("nan"), "k").message
    'k is NaN (not a number): a 0/0, inf − inf or a NaN input happened somewhere.'
    """
    number = _integer(value, name) if integer else _number(value, name)
    if positive and not number > 0:
        raise _Problem(f"{name} should be positive, got {_fmt(number)}." + (f" {hint}" if hint else ""))
    kind = "a whole number" if integer else "a number"
    return f"{name} is {kind}; its value is checked when the notebook is graded."


@_verdict
def verdict_close(value, name: str, expected, *, rtol: float = 1e-6, atol: float = 1e-9, hint: str = "") -> str:
    """The answer (a number or an array) equals `expected` within `rtol`/`atol`; `expected` is never shown.

    >>> verdict_close([1, 2], "v", [1.0, 2.0])
    Verdict(ok=True, message='v is right.')
    >>> verdict_close(7.5, "v", 6.0).message
    'v is too large.'
    """
    want = np.asarray(expected, dtype=float)
    got = _number(value, name) if want.ndim == 0 else _array(value, name, want.shape)
    _compare(got, want, name, rtol, atol, hint)
    return f"{name} is right."


@_verdict
def verdict_array(value, name: str, shape: tuple | None = None, *, nonnegative: bool = False, hint: str = "") -> str:
    """The answer is an array of numbers of the given shape (its values are graded later)."""
    array = _array(value, name, shape)
    if nonnegative and (array < 0).any():
        raise _Problem(f"{name} has negative values; expected only values ≥ 0." + (f" {hint}" if hint else ""))
    return f"{name} holds {array.size} numbers (shape {array.shape}); its values are checked when graded."


@_verdict
def verdict_slope(value, name: str, f, x: float, *, wrt=None, rtol: float = 1e-6, hint: str = "") -> str:
    """The answer is the exact derivative of `f` at `x` (`f` a function or a sympy expression in `wrt`)."""
    got = _number(value, name)
    want = true_slope(f, x, wrt)
    if not _close(got, want, rtol, 1e-9):
        estimate = want != 0 and abs(got - want) <= 1e-2 * abs(want)
        extra = " It looks like an estimate; this asks for the exact slope." if estimate else ""
        raise _Problem(_miss(name, got, want, (extra.strip() + " " + hint).strip()))
    return f"{name} is the slope at x = {_fmt(float(x))}."


@_verdict
def verdict_quotient(
    value, name: str, f: Callable, x: float, h: float, method: str = "forward", *, rtol: float = 1e-6, hint: str = ""
) -> str:
    """The answer is the `method` difference quotient of `f` at `x` with step `h`."""
    got = _number(value, name)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        want = float(_quotient(f, x, h, method))
        others = {m: float(_quotient(f, x, h, m)) for m in ("forward", "backward", "central") if m != method}
        change = float(f(float(x) + float(h)) - f(float(x)))
    if _close(got, want, rtol, 1e-12):
        return f"{name} is the {method} difference quotient."
    for other, quotient in others.items():
        if _close(got, quotient, rtol, 1e-12) and not _close(quotient, want, rtol, 1e-12):
            raise _Problem(f"{name} is the {other} difference quotient; this asks for the {method} one.")
    if _close(got, change, rtol, 1e-15):
        raise _Problem(f"{name} is the change of f, not yet divided by the step.")
    raise _Problem(_miss(name, got, want, hint))


@_verdict
def verdict_derivative_expr(value, name: str, f_expr, wrt, *, hint: str = "") -> str:
    """The answer is a sympy expression equal to the derivative of `f_expr` with respect to `wrt`."""
    import sympy as sp

    got = _sympy_expr(value, name)
    want = sp.diff(f_expr, wrt)
    got = _rename_symbols(got, want.free_symbols | {wrt})
    extra = sorted(str(s) for s in got.free_symbols - (f_expr.free_symbols | {wrt}))
    if extra:
        raise _Problem(f"{name} contains {', '.join(extra)}, which the function doesn't depend on.")
    if _same_expr(got, want, wrt):
        return f"{name} is the derivative."
    if _same_expr(got, f_expr, wrt):
        raise _Problem(f"{name} is the function itself, not its derivative: differentiate it with `sp.diff`.")
    raise _Problem(f"{name} is a formula, but not the derivative of f." + (f" {hint}" if hint else ""))


def _rename_symbols(expr, targets):
    """Replace the student's symbols by the problem's symbols of the same name (a student's own
    `x = sp.Symbol('x', real=True)` is not sympy-equal to the problem's `x`)."""
    by_name = {str(s): s for s in targets}
    swaps = {s: by_name[str(s)] for s in expr.free_symbols if str(s) in by_name and s != by_name[str(s)]}
    return expr.xreplace(swaps) if swaps else expr


def _same_expr(a, b, wrt) -> bool:
    import sympy as sp

    try:
        with _time_limit(TIME_LIMIT):
            if sp.simplify(a - b) == 0:
                return True
    except _TimedOut:
        pass
    # simplify can miss an identity; equal values at a few points are convincing for these functions
    symbols = sorted((a.free_symbols | b.free_symbols | {wrt}), key=str)
    rng = np.random.default_rng(2024)
    for _ in range(5):
        point = {s: sp.Float(rng.uniform(0.3, 1.7)) for s in symbols}
        left, right = complex(a.subs(point).evalf()), complex(b.subs(point).evalf())
        if not cmath.isfinite(left) or not cmath.isfinite(right) or abs(left - right) > 1e-9 * (1 + abs(right)):
            return False
    return True


@_verdict
def verdict_roots(value, name: str, expr, wrt, *, tol: float = 1e-6, hint: str = "") -> str:
    """The answer lists every real solution of `expr = 0` (in any order), each once."""
    import sympy as sp

    kind = "a list of every solution"
    if isinstance(value, (list, tuple, np.ndarray)):
        got = [float(v) for v in _array(value, name, kind=kind).reshape(-1)]
    elif isinstance(value, (set, frozenset)) or (_is_sympy(value) and isinstance(value, sp.FiniteSet)):
        got = [_number(v, f"an item of {name}") for v in value]
    else:
        _common_problems(value, name, kind)
        if _is_sympy(value) and isinstance(value, sp.Set):
            raise _Problem(f"{name}: expected {kind}, got the sympy set {_show(value)}.")
        number = _number(value, name, kind)
        raise _Problem(f"{name}: expected {kind}, got the single number {_fmt(number)}; put every solution in a list.")
    want = _real_roots(expr, wrt)
    got_sorted = sorted(got)
    if any(_close(a, b, 0, tol) for a, b in zip(got_sorted, got_sorted[1:], strict=False)):
        raise _Problem(f"{name} lists a solution twice.")
    wrong = [g for g in got_sorted if not any(_close(g, w, tol, tol) for w in want)]
    if wrong:
        raise _Problem(f"{name} contains {_fmt(wrong[0])}, which is not a solution." + (f" {hint}" if hint else ""))
    if len(got_sorted) < len(want):
        missing = len(want) - len(got_sorted)
        raise _Problem(f"{name} is missing {missing} solution(s)." + (f" {hint}" if hint else ""))
    return f"{name} holds every solution."


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


@_verdict
def verdict_derivative_function(
    value, name: str, f, points, *, vectorized: bool = False, rtol: float = 1e-6, atol: float = 1e-8, hint: str = ""
) -> str:
    """The answer is a function `df(x)` returning f'(x) at each of `points`.

    With `vectorized`, it must also take an array of all the points at once and return an array.
    """
    fn = _function(value, name, f"def {name}(x):")
    _signature_problem(fn, name, 1, f"def {name}(x):")
    points = [float(p) for p in np.asarray(points, dtype=float).reshape(-1)]
    function = getattr(f, "__name__", "f") if callable(f) else "f"
    function = function if function.isidentifier() else "f"
    wants = [true_slope(f, p) for p in points]
    for point, want in zip(points, wants, strict=True):
        call = f"{name}({_arg(point)})"
        got = _number(_call(fn, (point,), call), f"{call}")
        if not _close(got, want, rtol, atol):
            raise _Problem(_miss(call, got, want, f"It should be the slope of {function} there. {hint}".strip()))
    if vectorized:
        xs = np.array(points)
        call = f"{name}(np.array([{_arg(points[0])}, …]))"
        try:
            result = _call(fn, (xs.copy(),), call)
        except _Problem as problem:
            raise _Problem(
                f"{problem} It must work on a whole numpy array at once (np.exp, np.where, comparisons like x > 0; "
                "not math.exp or `if x > 0:`)."
            ) from None
        got = _array(result, call, xs.shape, kind=f"an array of {xs.size} slopes, one per x")
        _compare(got, np.array(wants), call, rtol, atol, hint)
    return f"{name} gives the slope at all {len(points)} test points" + (", on an array too." if vectorized else ".")


@_verdict
def verdict_difference_function(value, name: str, method: str = "central", *, default_h: bool = True) -> str:
    """The answer is a function `slope(f, x, h)` computing the `method` difference quotient
    (and, if `default_h`, an accurate one when `h` is left out)."""
    fn = _function(value, name, f"def {name}(f, x, h=1e-5):")
    _signature_problem(fn, name, 3, f"def {name}(f, x, h=1e-5):")
    cases = [("x**2", lambda x: x * x, 3.0, 0.1), ("x**3", lambda x: x**3, 2.0, 0.01), ("sin", math.sin, 1.0, 1e-3)]
    for text, f, x, h in cases:
        call = f"{name}(f, {_arg(x)}, {_arg(h)}) with f(x) = {text}"
        got = _number(_call(fn, (f, x, h), call), call)
        want = _quotient(f, x, h, method)
        if _close(got, want, 1e-9, 1e-12):
            continue
        for other in ("forward", "backward", "central"):
            if other != method and _close(got, _quotient(f, x, h, other), 1e-9, 1e-12):
                raise _Problem(f"{call} gives the {other} difference quotient; this asks for the {method} one.")
        raise _Problem(_miss(call, got, want, f"Expected the {method} difference quotient."))
    if default_h:
        call = f"{name}(f, 2.0) with f(x) = x**3 and the default h"
        got = _number(_call(fn, (lambda x: x**3, 2.0), call), call)
        if not _close(got, 12.0, 1e-5, 0):
            raise _Problem(f"{call} is far from the slope: choose a small default step, like 1e-5.")
    return f"{name} computes the {method} difference quotient."


@_verdict
def verdict_descent_step(value, name: str, *, rtol: float = 1e-6) -> str:
    """The answer is a function `step(loss, w, lr)` returning w − lr · loss'(w), one step downhill."""
    fn = _function(value, name, f"def {name}(loss, w, lr):")
    _signature_problem(fn, name, 3, f"def {name}(loss, w, lr):")
    cases = [("(w - 2)**2", lambda w: (w - 2) ** 2, 0.0, 0.25), ("w**4", lambda w: w**4, 1.5, 0.01)]
    cases.append(("3*w", lambda w: 3 * w, -1.0, 0.5))
    for text, loss, w, lr in cases:
        call = f"{name}(loss, {_arg(w)}, {_arg(lr)}) with loss(w) = {text}"
        got = _number(_call(fn, (loss, w, lr), call), call)
        slope = true_slope(loss, w)
        want = w - lr * slope
        if _close(got, want, rtol, 1e-8):
            continue
        if _close(got, w + lr * slope, rtol, 1e-8):
            raise _Problem(f"{call} steps uphill: move against the slope (w − lr · slope).")
        if _close(got, -lr * slope, rtol, 1e-8) or _close(got, lr * slope, rtol, 1e-8):
            raise _Problem(f"{call} returns the step, not the new w (start from w).")
        raise _Problem(_miss(call, got, want, "Expected the new w, one step against the slope."))
    return f"{name} takes one step downhill."


@_verdict
def verdict_extremum(value, name: str, f, wrt=None, kind: str = "min", *, tol: float = 1e-6, hint: str = "") -> str:
    """The answer is a point where `f` (a sympy expression in `wrt`) has a local `kind` ("min" or "max").

    Any local one passes: the check asks that f' is 0 there and that f'' has the right sign.
    """
    import sympy as sp

    if kind not in ("min", "max"):
        raise ValueError(f"kind must be 'min' or 'max', got {kind!r}")
    point = _number(value, name)
    symbol = wrt if wrt is not None else _only_symbol(f)
    first, second = sp.diff(f, symbol), sp.diff(f, symbol, 2)
    at = {symbol: sp.nsimplify(point) if abs(point) < 1e6 else sp.Float(point)}
    slope, bend = float(first.subs(at).evalf(30)), float(second.subs(at).evalf(30))
    word = "minimum" if kind == "min" else "maximum"
    if abs(slope) > tol * max(1.0, abs(float(f.subs(at).evalf(30)))):
        uphill = "right" if slope > 0 else "left"
        towards = uphill if kind == "max" else ("left" if uphill == "right" else "right")
        raise _Problem(
            f"{name}: f is not flat at {_fmt(point)} (its slope there is not 0); "
            f"a {word} is further to the {towards}." + (f" {hint}" if hint else "")
        )
    if (kind == "min" and not bend > 0) or (kind == "max" and not bend < 0):
        other = "maximum" if bend < 0 else "flat point that is neither"
        raise _Problem(f"{name}: f is flat at {_fmt(point)}, but it is a {other}, not a {word}.")
    return f"{name} is a local {word}."


@_verdict
def verdict_step_errors(value, name: str, f, df_dx: float, x: float, hs, method: str = "forward") -> str:
    """The answer holds |difference quotient − df_dx| for each step in `hs` (the `method` quotient of `f` at `x`)."""
    from nudge.numeric import step_errors

    hs = np.asarray(hs, dtype=float)
    got = _array(value, name, hs.shape, kind=f"an array of {hs.size} errors, one per step")
    want = step_errors(f, df_dx, x, hs, method)
    signed = np.array([float(_quotient(f, x, h, method)) - df_dx for h in hs])
    close = np.abs(got - want) <= 1e-12 + 1e-6 * want
    if close.all():
        return f"{name} holds the error for every step."
    if (np.abs(got - signed) <= 1e-12 + 1e-6 * np.abs(signed)).all():
        raise _Problem(f"{name} has signed errors; take the size of each error, abs(...).")
    first = int(np.flatnonzero(~close)[0])
    raise _Problem(
        f"{int((~close).sum())} of {hs.size} errors are off; the first at h = {hs[first]:g} "
        f"{_miss('', float(got[first]), float(want[first]))[1:]} Expected |{method} quotient − exact slope|."
    )


@_verdict
def verdict_best_step(value, name: str, f, df_dx: float, x: float, hs, method: str = "forward") -> str:
    """The answer is the step in `hs` whose `method` difference quotient lands closest to `df_dx`."""
    from nudge.numeric import step_errors

    hs = np.asarray(hs, dtype=float)
    got = _number(value, name, "a step like 1e-05")
    errors = step_errors(f, df_dx, x, hs, method)
    best = float(hs[int(np.argmin(errors))])
    if _close(got, best, 1e-9, 0):
        return f"{name} is the step with the smallest error."
    if not any(_close(got, float(h), 1e-9, 0) for h in hs):
        raise _Problem(f"{name} should be one of the steps in hs.")
    if _close(got, float(hs[int(np.argmax(errors))]), 1e-9, 0):
        raise _Problem(f"{name} is the step with the largest error; expected the smallest.")
    direction = "smaller" if got > best else "larger"
    raise _Problem(f"{name} is not the step with the smallest error: a {direction} step does better.")


@_verdict
def verdict_function(
    value, name: str, cases, *, rtol: float = 1e-9, atol: float = 1e-12, reveal: bool = True, hint: str = ""
) -> str:
    """The answer is a function that returns `expected` for each `(args, expected)` in `cases`.

    The cases are visible test data, so a wrong result shows what was expected unless `reveal=False`.
    """
    cases = list(cases)
    n_args = len(cases[0][0]) if cases else 1
    fn = _function(value, name, f"def {name}(...):")
    _signature_problem(fn, name, n_args, f"def {name}({', '.join('abcdef'[:n_args])}):")
    for args, expected in cases:
        shown_args = ", ".join(_show(a) for a in args)
        call = f"{name}({shown_args})"
        copies = tuple(_copy(a) for a in args)
        result = _call(fn, copies, call)
        want = np.asarray(expected, dtype=float)
        if want.ndim == 0:
            got = _number(result, call)
        else:
            got = _array(result, call, want.shape, kind=f"{want.size} numbers")
        if reveal and not np.all(np.abs(got - want) <= atol + rtol * np.abs(want)):
            raise _Problem(
                f"{call} returned {_show(result)}, expected {_show(expected)}." + (f" {hint}" if hint else "")
            )
        _compare(got, want, call, rtol, atol, hint)
    return f"{name} passes all {len(cases)} test cases."


def _copy(value):
    try:
        if isinstance(value, np.ndarray):
            return value.copy()
        if isinstance(value, list):
            return list(value)
    except Exception:  # pragma: no cover
        pass
    return value


check_number = _checker(verdict_number)
check_close = _checker(verdict_close)
check_array = _checker(verdict_array)
check_slope = _checker(verdict_slope)
check_quotient = _checker(verdict_quotient)
check_derivative_expr = _checker(verdict_derivative_expr)
check_roots = _checker(verdict_roots)
check_derivative_function = _checker(verdict_derivative_function)
check_difference_function = _checker(verdict_difference_function)
check_descent_step = _checker(verdict_descent_step)
check_function = _checker(verdict_function)
check_extremum = _checker(verdict_extremum)
check_step_errors = _checker(verdict_step_errors)
check_best_step = _checker(verdict_best_step)

#: the sentence a checker gives when it met something its designed messages don't cover
UNEXPECTED = re.compile(r"the checker could not make sense of")


# --- chapters 4 and 5: partial derivatives, gradients, the chain rule ---------------------------


def _substitution(variables, point) -> dict:
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


def _value_at(expr, at: dict) -> float:
    value = _finite_real(expr.subs(at))
    if value is None:
        raise ValueError(f"{expr} has no finite real value at {at}")
    return value


def _exact_gradient(expr, variables, point) -> np.ndarray:
    """Every partial derivative of the sympy expression `expr` at `point`, in the order of `variables`."""
    import sympy as sp

    at = _substitution(variables, point)
    return np.array([_value_at(sp.diff(expr, s), at) for s in variables])


def _symbol_list(variables) -> list:
    import sympy as sp

    return [variables] if isinstance(variables, sp.Symbol) else list(variables)


def _partials(variables) -> str:
    return ", ".join(f"∂f/∂{s}" for s in variables)


def _as_flat_sympy(value):
    """A sympy Matrix (a column, a row) read as the list of its entries; anything else unchanged."""
    if _is_sympy(value):
        import sympy as sp

        if isinstance(value, sp.MatrixBase):
            return list(value)
    return value


def _all_close(got, want, rel: float, abs_: float) -> bool:
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    with np.errstate(all="ignore"):
        return got.shape == want.shape and bool(np.all(np.abs(got - want) <= abs_ + rel * np.abs(want)))


@_verdict
def verdict_partial(value, name: str, expr, wrt, at: dict, *, rtol: float = 1e-6, hint: str = "") -> str:
    """The answer is the exact partial derivative of the sympy expression `expr` with respect to `wrt`
    at the point `at` (a dict symbol → number), every other variable held at its value there."""
    import sympy as sp

    got = _number(value, name)
    variables = sorted(expr.free_symbols | {wrt}, key=str)
    subs = _substitution(variables, at)
    want = _value_at(sp.diff(expr, wrt), subs)
    if _close(got, want, rtol, 1e-9):
        return f"{name} is ∂f/∂{wrt} at the point."
    for other in variables:
        slope = _value_at(sp.diff(expr, other), subs)
        if other != wrt and _close(got, slope, rtol, 1e-9) and not _close(slope, want, rtol, 1e-9):
            raise _Problem(f"{name} is ∂f/∂{other}; this asks for ∂f/∂{wrt} (move {wrt}, hold {other} fixed).")
    level = _value_at(expr, subs)
    if _close(got, level, rtol, 1e-9) and not _close(level, want, rtol, 1e-9):
        raise _Problem(f"{name} is the value of f at the point, not its slope: differentiate first.")
    estimate = want != 0 and abs(got - want) <= 1e-2 * abs(want)
    extra = "It looks like an estimate; this asks for the exact value." if estimate else ""
    raise _Problem(_miss(name, got, want, f"{extra} {hint}".strip()))


@_verdict
def verdict_exact_gradient(
    value, name: str, expr, variables, point, *, rtol: float = 1e-6, atol: float = 1e-9, hint: str = ""
) -> str:
    """The answer is the exact gradient of the sympy expression `expr` at `point`: an array of the
    partial derivatives in the order of `variables` (a sympy Matrix is read as its list of entries)."""
    variables = _symbol_list(variables)
    want = _exact_gradient(expr, variables, point)
    n = want.size
    kind = f"an array of {n} partial derivatives ({_partials(variables)})"
    got = _array(_as_flat_sympy(value), name, want.shape, kind=kind)
    if _all_close(got, want, rtol, atol):
        return f"{name} is the gradient at the point."
    if n > 1 and _all_close(got[::-1], want, rtol, atol):
        raise _Problem(f"{name} holds the right partial derivatives in the wrong order: {_partials(variables)}.")
    if _all_close(got, -want, rtol, atol):
        raise _Problem(f"{name} is −∇f, which points downhill; the gradient itself points uphill.")
    norm = float(np.linalg.norm(want))
    if norm > 0 and float(np.linalg.norm(got - want)) <= 1e-2 * norm:
        extra = "It looks like an estimate; this asks for the exact gradient."
        _compare(got, want, name, rtol, atol, f"{extra} {hint}".strip())
    _compare(got, want, name, rtol, atol, hint)
    raise _Problem(f"{name} is not the gradient.")  # pragma: no cover - _compare raised already


@_verdict
def verdict_gradient_quotient(
    value, name: str, f: Callable, point, h: float, method: str = "central", *, rtol: float = 1e-6, hint: str = ""
) -> str:
    """The answer is the gradient of `f` (a function of one array) at `point` estimated with the
    `method` difference quotient and step `h`, one entry nudged at a time."""
    from nudge.numeric import numerical_gradient

    point = np.array(point, dtype=float)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        want = numerical_gradient(f, point, h, method)
        others = {m: numerical_gradient(f, point, h, m) for m in ("forward", "backward", "central") if m != method}
    kind = f"an array of {want.size} estimated partial derivatives (shape {want.shape})"
    got = _array(_as_flat_sympy(value), name, want.shape, kind=kind)
    atol = 1e-9 * max(1.0, float(np.max(np.abs(want))) if want.size else 1.0)
    if _all_close(got, want, rtol, atol):
        return f"{name} is the {method}-difference gradient with h = {h:g}."
    for other, estimate in others.items():
        if _all_close(got, estimate, rtol, atol) and not _all_close(estimate, want, rtol, atol):
            raise _Problem(f"{name} holds {other} differences; this asks for {method} ones.")
    if want.size > 1 and _all_close(got.reshape(-1)[::-1], want.reshape(-1), rtol, atol):
        raise _Problem(f"{name} holds the right estimates in the wrong order: one entry per input, in order.")
    for step in (h, 2 * h):
        if _all_close(got, want * step, rtol, 1e-15) and not _all_close(want * step, want, rtol, atol):
            raise _Problem(f"{name} holds the changes of f, not yet divided by the step.")
    _compare(got, want, name, rtol, atol, hint)
    raise _Problem(f"{name} is not the estimate.")  # pragma: no cover - _compare raised already


@_verdict
def verdict_unit_direction(value, name: str, expr, variables, point, kind: str = "descent") -> str:
    """The answer is the unit vector of steepest `kind` ("descent": along −∇f, "ascent": along ∇f)
    of the sympy expression `expr` at `point`."""
    if kind not in ("descent", "ascent"):
        raise ValueError(f"kind must be 'descent' or 'ascent', got {kind!r}")
    variables = _symbol_list(variables)
    grad = _exact_gradient(expr, variables, point)
    norm = float(np.linalg.norm(grad))
    if norm == 0:
        raise ValueError("the gradient is 0 at this point: no direction is steepest")
    want = (-grad if kind == "descent" else grad) / norm
    got = _array(_as_flat_sympy(value), name, want.shape, kind=f"a unit vector of {want.size} numbers")
    with np.errstate(all="ignore"):
        length = float(np.linalg.norm(got))
    if not math.isfinite(length):
        raise _Problem(f"{name} is too long to be a direction; a unit vector has length 1.")
    if length == 0:
        raise _Problem(f"{name} is the zero vector; a direction is a vector of length 1.")
    cosine = float(np.dot(got, want)) / length
    sign = "−" if kind == "descent" else ""
    if abs(length - 1) > 1e-6:
        if cosine > 1 - 1e-9:
            raise _Problem(
                f"{name} points the right way but has length {length:.4g}: divide it by its length "
                "(`np.linalg.norm`) to make a unit vector."
            )
        raise _Problem(
            f"{name} has length {length:.4g}, and a unit vector has length 1; it is not along {sign}∇f either."
        )
    if cosine > 1 - 1e-9:
        return f"{name} is the unit vector of steepest {kind}."
    if cosine < -1 + 1e-9:
        other = "ascent, along ∇f" if kind == "descent" else "descent, along −∇f"
        raise _Problem(f"{name} points the opposite way: that is the direction of steepest {other}.")
    if abs(cosine) < 1e-6:
        raise _Problem(f"{name} runs along the contour line, at a right angle to ∇f, where f doesn't change at first.")
    angle = math.degrees(math.acos(max(-1.0, min(1.0, cosine))))
    raise _Problem(f"{name} is a unit vector, but not along {sign}∇f: it is {angle:.0f}° off.")


@_verdict
def verdict_descent_point(value, name: str, expr, variables, start, lr: float, *, rtol: float = 1e-6) -> str:
    """The answer is the point after one step of gradient descent on the sympy expression `expr`
    from `start` with learning rate `lr`: start − lr · ∇f(start)."""
    variables = _symbol_list(variables)
    start = np.asarray(start, dtype=float)
    grad = _exact_gradient(expr, variables, start)
    want = start - lr * grad
    got = _array(_as_flat_sympy(value), name, want.shape, kind=f"a point of {want.size} numbers")
    if _all_close(got, want, rtol, 1e-9):
        return f"{name} is the point after one step downhill."
    mistakes = [
        (start + lr * grad, "steps uphill: move against the gradient, start − η∇f."),
        (-lr * grad, "is the step, not the new point: start from the old point."),
        (start - grad, "moves by the whole gradient: scale it by the learning rate η."),
        (start, "is the starting point: it hasn't moved."),
    ]
    for wrong, sentence in mistakes:
        if _all_close(got, wrong, rtol, 1e-9) and not _all_close(wrong, want, rtol, 1e-9):
            raise _Problem(f"{name} {sentence}")
    _compare(got, want, name, rtol, 1e-9, "Expected the point one step against the gradient.")
    raise _Problem(f"{name} is not the next point.")  # pragma: no cover - _compare raised already


# --- a student's numerical gradient ---------------------------------------------------------------


def _gradient_cases():
    """(text, f, x, h) for `verdict_gradient_function`: arrays of shape (), (2,), (2, 2) and (2, 3);
    h None means the function's default step."""

    def cube(p):
        return p**3

    def f_vector(p):
        x, y = p
        return 2 * x + 3 * x * y + y**3

    def f_matrix(p):
        (w, x), (y, z) = p
        return w * x + x * y * z + 3 * w + z * y**2

    weights = np.arange(1.0, 7.0).reshape(2, 3)

    def f_wide(p):
        return np.sum(weights * p**2) + p[0, 1] * p[1, 2]

    return [
        ("x**3", cube, np.array(2.0), 0.1),
        ("2x + 3xy + y**3", f_vector, np.array([1.0, 2.0]), 1e-4),
        ("wx + xyz + 3w + zy**2", f_matrix, np.array([[1.0, 2.0], [3.0, 4.0]]), 1e-4),
        ("sum(c * p**2) + p[0, 1] * p[1, 2]", f_wide, np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]), 0.01),
        ("2x + 3xy + y**3", f_vector, np.array([1.0, 2.0]), None),
    ]


def _whole_array_only(f: Callable, shape: tuple, call: str) -> Callable:
    """`f`, refusing (with a sentence) anything but an array of the point's shape, and returning a float."""

    def f_checked(p):
        try:
            p_shape = np.shape(p)
        except Exception:
            p_shape = None
        if p_shape != shape:
            raise _Problem(
                f"{call} called f with {_describe(p)}; f takes the whole array x (shape {shape}), "
                "with one entry nudged."
            )
        return float(f(np.asarray(p, dtype=float)))

    return f_checked


@_verdict
def verdict_gradient_function(value, name: str, method: str = "central") -> str:
    """The answer is a function `grad(f, x, h=1e-4)` returning the `method`-difference gradient of `f`
    at a float array `x` of any shape (an array of x's shape), without changing `x`."""
    from nudge.numeric import numerical_gradient

    example = f"def {name}(f, x, h=1e-4):"
    fn = _function(value, name, example)
    _signature_problem(fn, name, 3, example)
    try:
        inspect.signature(fn).bind(1, 2)
    except TypeError:
        raise _Problem(f"`{name}` needs a default step, like `{example}`, so that `{name}(f, x)` works.") from None
    except ValueError:  # no signature to read (a builtin): just call it
        pass
    for text, f, point, h in _gradient_cases():
        step = 1e-4 if h is None else h
        shown = np.array2string(point, separator=", ") if point.ndim else f"np.array({float(point)!r})"
        call = f"{name}(f, {shown}{'' if h is None else f', {h:g}'}) with f = {text}"
        x = point.copy()
        f_checked = _whole_array_only(f, point.shape, call)
        result = _call(fn, (f_checked, x) if h is None else (f_checked, x, h), call)
        if not np.array_equal(x, point):
            raise _Problem(
                f"{call} changed the caller's array x: put each entry back after nudging it "
                "(or work on a float copy, `np.array(x, dtype=float)`)."
            )
        got = _array(result, call, point.shape, kind=f"an array of shape {point.shape}, the shape of x")
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            # with the default step, any accurate estimate will do: compare with a finer one
            want = numerical_gradient(f, point, 1e-6 if h is None else h, method)
            others = {m: numerical_gradient(f, point, step, m) for m in ("forward", "backward", "central")}
            at_once = (f(point + step) - f(point - step)) / (2 * step)
            unused_step = numerical_gradient(f, point, 1e-4, method)
        rtol = 1e-6 if h is None else 1e-7
        if _all_close(got, want, rtol, 1e-8):
            continue
        for other, estimate in others.items():
            if other != method and _all_close(got, estimate, rtol, 1e-8):
                raise _Problem(f"{call} gives {other} differences; this asks for {method} ones.")
        if h is None:
            raise _Problem(f"{call} is far from the gradient: choose a small default step, like 1e-4.")
        if h != 1e-4 and _all_close(got, unused_step, rtol, 1e-8):
            raise _Problem(f"{call} doesn't use the step h it is given.")
        if point.size > 1 and _all_close(got, np.full(point.shape, at_once), rtol, 1e-8):
            raise _Problem(f"{call} nudges every entry at once (x + h); nudge one entry at a time.")
        if not got.any() and want.any():
            raise _Problem(f"{call} is all zeros: is each slope stored in `grad`, a float array?")
        _compare(got, want, call, rtol, 1e-8, "Nudge one entry at a time, and put it back before the next.")
    return f"{name} gives the {method}-difference gradient for arrays of shape (), (2,), (2, 2), (2, 3); x unchanged."


# --- the chain rule -----------------------------------------------------------------------------


def _evaluate(f, x: float) -> float:
    """f(x) for a function of one number or a sympy expression in one symbol."""
    import sympy as sp

    if isinstance(f, sp.Basic):
        return _value_at(f, {_only_symbol(f): sp.nsimplify(float(x))})
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return float(f(float(x)))


@_verdict
def verdict_chain_product(
    value,
    name: str,
    outer,
    inner,
    x: float,
    *,
    through=None,
    eps: float | None = None,
    rtol: float = 1e-6,
    hint: str = "",
) -> str:
    """The answer is the chain rule's product at `x`, times `eps` if given (then it is the nudge of the output).

    One path: `outer` f and `inner` g are functions of one number or sympy expressions in one symbol;
    the answer is f'(g(x)) · g'(x). Several paths: `outer` is a sympy expression in the intermediate
    symbols and `inner` a dict symbol → sympy expression in one variable; the answer is the sum over
    the paths of ∂f/∂u · du/dx, or only the path through the symbol `through`.
    """
    import sympy as sp

    got = _number(value, name)
    scale = 1.0 if eps is None else float(eps)
    if isinstance(inner, dict):
        wrt = _only_symbol(sp.Add(*inner.values()))
        at = {wrt: sp.nsimplify(float(x))}
        inner_at = {u: inner[u].subs(at) for u in inner}
        paths = {
            u: _value_at(sp.diff(outer, u).subs(inner_at), {}) * _value_at(sp.diff(inner[u], wrt), at) for u in inner
        }
        paths = {u: p * scale for u, p in paths.items()}
        total = sum(paths.values())
        want = paths[through] if through is not None else total
        if _close(got, want, rtol, 1e-12):
            return f"{name} is the path through {through}." if through is not None else f"{name} sums every path."
        for u, path in paths.items():
            if u != through and _close(got, path, rtol, 1e-12) and not _close(path, want, rtol, 1e-12):
                if through is not None:
                    raise _Problem(f"{name} is the path through {u}; this asks for the path through {through}.")
                rest = ", ".join(str(v) for v in paths if v != u)
                raise _Problem(f"{name} is only the path through {u}; add the path through {rest}.")
        if through is not None and _close(got, total, rtol, 1e-12) and not _close(total, want, rtol, 1e-12):
            raise _Problem(f"{name} adds every path; this asks for the path through {through} only.")
        raise _Problem(_miss(name, got, want, "Multiply the local derivatives along each path, then add the paths."))
    g_value = _evaluate(inner, x)
    outer_slope, inner_slope = true_slope(outer, g_value), true_slope(inner, x)
    want = outer_slope * inner_slope * scale
    if _close(got, want, rtol, 1e-12):
        done = "." if eps is None else ", times ε: the nudge of the output."
        return f"{name} is the product of the local derivatives{done}"
    mistakes = [
        (
            true_slope(outer, x) * inner_slope * scale,
            "takes f′ at x; the outer derivative is taken at g(x), the value the outer stage receives.",
        ),
        (outer_slope * scale, "has only the outer stage's derivative f′(g(x)); multiply by g′(x)."),
        (inner_slope * scale, "has only the inner stage's derivative g′(x); multiply by f′(g(x))."),
        ((outer_slope + inner_slope) * scale, "adds the local derivatives; the chain rule multiplies them."),
    ]
    if eps is not None:
        mistakes.append((outer_slope * inner_slope, "is the rate dy/dx; the nudge of the output is that rate times ε."))
    for wrong, sentence in mistakes:
        if _close(got, wrong, rtol, 1e-12) and not _close(wrong, want, rtol, 1e-12):
            raise _Problem(f"{name} {sentence}")
    raise _Problem(_miss(name, got, want, hint))


def _neuron_cases():
    """(w, b, x, y) for `verdict_neuron_gradient`: everyday values, a zero input, and a saturated sigmoid."""
    return [
        (0.5, -1.0, 2.0, 1.0),
        (-0.5, 0.25, 1.5, 1.0),
        (1.2, 0.3, -0.7, 0.0),
        (0.8, -0.2, 0.0, 1.0),
        (2.0, 0.0, -400.0, 1.0),
    ]


@functools.cache
def _neuron_truth(w: float, b: float, x: float, y: float) -> tuple:
    """(∂L/∂w, ∂L/∂b, σ(z)) for L = (σ(wx + b) − y)², by sympy from the formula (exact, even where σ saturates)."""
    import sympy as sp

    w_, b_, x_, y_ = sp.symbols("w b x y")
    sigma = 1 / (1 + sp.exp(-(w_ * x_ + b_)))
    loss = (sigma - y_) ** 2
    at = {w_: sp.nsimplify(w), b_: sp.nsimplify(b), x_: sp.nsimplify(x), y_: sp.nsimplify(y)}
    return tuple(float(sp.N(e.subs(at), 30)) for e in (sp.diff(loss, w_), sp.diff(loss, b_), sigma))


@_verdict
def verdict_neuron_gradient(value, name: str, *, rtol: float = 1e-6) -> str:
    """The answer is a function `grads(w, b, x, y)` returning (∂L/∂w, ∂L/∂b) for one sigmoid neuron
    ŷ = σ(wx + b) with the loss L = (ŷ − y)²."""
    example = f"def {name}(w, b, x, y):"
    fn = _function(value, name, example)
    _signature_problem(fn, name, 4, example)
    atol = 1e-12
    for w, b, x, y in _neuron_cases():
        call = f"{name}({_arg(w)}, {_arg(b)}, {_arg(x)}, {_arg(y)})"
        result = _call(fn, (w, b, x, y), call)
        got = _array(result, call, (2,), kind="a pair of numbers (dL/dw, dL/db)")
        dw, db, s = _neuron_truth(w, b, x, y)
        want = np.array([dw, db])
        if _all_close(got, want, rtol, atol):
            continue
        wrong_sigma = 2 * (s - y) * s * np.array([x, 1.0])
        mistakes = [
            (want[::-1], "returns (dL/db, dL/dw): put dL/dw first."),
            (-want, "has the wrong sign: the derivative of (ŷ − y)² with respect to ŷ is 2(ŷ − y)."),
            (want / 2, "is half the derivative: the derivative of (ŷ − y)² with respect to ŷ is 2(ŷ − y)."),
            (np.array([db, db]), "gives dL/dw without the factor ∂z/∂w = x."),
            (wrong_sigma, "uses σ(z) where the chain rule needs its slope σ′(z) = σ(z)(1 − σ(z))."),
        ]
        for wrong, sentence in mistakes:
            if _all_close(got, wrong, rtol, atol) and not _all_close(wrong, want, rtol, atol):
                raise _Problem(f"{call} {sentence}")
        _compare(got, want, call, rtol, atol, "Multiply the local derivatives: 2(ŷ − y) · σ′(z) · ∂z/∂w (or ∂z/∂b).")
    return f"{name} gives both derivatives at all {len(_neuron_cases())} test points."


check_partial = _checker(verdict_partial)
check_exact_gradient = _checker(verdict_exact_gradient)
check_gradient_quotient = _checker(verdict_gradient_quotient)
check_unit_direction = _checker(verdict_unit_direction)
check_descent_point = _checker(verdict_descent_point)
check_gradient_function = _checker(verdict_gradient_function)
check_chain_product = _checker(verdict_chain_product)
check_neuron_gradient = _checker(verdict_neuron_gradient)

# --- chapters 6 and 7: the engine, gradient descent ---------------------------


def _run_quietly(action: Callable, shown: str) -> None:
    """Run `action()` (a backward pass, say) like a student's function: time limit, exceptions as sentences."""
    _call(lambda: (action(), True)[1], (), shown)


def _engine_problem(value, name: str, what: str) -> None:
    """A `Value` or `Tensor` where plain numbers were expected gets its own sentence."""
    kind = type(value).__name__
    if kind in ("Value", "Tensor") and (type(value).__module__ or "").startswith("nudge."):
        raise _Problem(f"{name} is a {kind}, expected {what}: take its `.grad` (or `.data`), not the {kind} itself.")
    if isinstance(value, (list, tuple)) and any(
        type(item).__name__ in ("Value", "Tensor") and (type(item).__module__ or "").startswith("nudge.")
        for item in value
    ):
        raise _Problem(f"{name} holds Values, expected {what}: take each one's `.grad` (or `.data`).")


def _numeric_gradient(f: Callable, point: np.ndarray) -> np.ndarray:
    """Every partial derivative of `f` at `point` to about 10 digits (Richardson, one entry at a time)."""
    grad = np.zeros(point.shape)
    for index in np.ndindex(point.shape):

        def along(t, index=index):
            moved = point.copy()
            moved[index] = t
            return f(moved)

        grad[index] = _numeric_slope(along, float(point[index]))
    return grad


@_verdict
def verdict_gradient(
    value, name: str, f: Callable, point, *, rtol: float = 1e-6, atol: float = 1e-8, hint: str = ""
) -> str:
    """The answer is the gradient of `f` (a function of one float array) at `point`, one partial derivative per entry.

    The checker finds the partial derivatives itself by nudging `f` one entry at a time.
    """
    point = np.array(point, dtype=float)
    kind = f"an array of {point.size} partial derivatives (shape {point.shape})"
    _engine_problem(value, name, kind)
    got = _array(value, name, point.shape, kind=kind)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        want = _numeric_gradient(f, point)
    close = np.abs(got - want) <= atol + rtol * np.abs(want)
    if close.all():
        return f"{name} holds all {point.size} partial derivatives."
    if np.all(np.abs(got + want) <= atol + rtol * np.abs(want)):
        raise _Problem(f"{name} points the wrong way: every partial derivative has the wrong sign.")
    _compare(got, want, name, rtol, atol, hint)
    return f"{name} holds all {point.size} partial derivatives."  # pragma: no cover - _compare raised


def _value_result(result, call: str, v):
    """A student's Value operation must return a new Value in the graph of `v`."""
    from nudge.autodiff import Value, topological_order

    if result is v:
        raise _Problem(f"{call} returned its input: make a new Value for the result, `out = Value(..., (v,), 'op')`.")
    if not isinstance(result, Value):
        if isinstance(result, numbers.Real) and not isinstance(result, bool):
            raise _Problem(
                f"{call} returned the number {_show(result)}, expected a Value: wrap the result, "
                "`out = Value(..., (v,), 'op')`, so the graph records it."
            )
        raise _Problem(f"{call} should return a Value, got {_describe(result)}.")
    try:
        inside = any(node is v for node in topological_order(result))
    except Exception:
        raise _Problem(f"{call} returned a Value whose inputs are not Values: pass `(v,)` as its children.") from None
    if not inside:
        raise _Problem(
            f"{call} returned a Value that doesn't record v as its input, so backward() never reaches v: "
            "pass `(v,)` as its children, `Value(..., (v,), 'op')`."
        )
    return result


@_verdict
def verdict_value_op(value, name: str, f: Callable, points=(-1.3, 0.4, 2.1), *, rtol: float = 1e-6) -> str:
    """The answer is a function `op(v)` that takes a `Value` and returns a `Value` for f(v) with a
    correct backward rule: in a graph of its own, behind another operation, and next to another use of v.

    `f` is the same function on plain floats (`math.sin`, say); the slopes come from nudging it.
    """
    from nudge.autodiff import Value

    fn = _function(value, name, f"def {name}(v):")
    _signature_problem(fn, name, 1, f"def {name}(v):")
    placeholder = _has_placeholder(fn)
    todo = f" ({name} still holds a `...` placeholder: write the rule there.)" if placeholder else ""
    for p in (float(x) for x in points):
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            want_value, slope = float(f(p)), true_slope(f, p)
        call = f"{name}(Value({_arg(p)}))"
        v = Value(p, label="v")
        out = _value_result(_call(fn, (v,), call), call, v)
        data = _number(out.data, f"{call}.data")
        if not _close(data, want_value, 1e-9, 1e-12):
            raise _Problem(_miss(f"{call}.data", data, want_value, "The forward value should be f(v.data)."))
        _run_quietly(out.backward, f"{call}.backward()")
        grad = _number(v.grad, f"v.grad after {call}.backward()")
        if _close(grad, slope, rtol, 1e-9):
            pass
        elif grad == 0 and slope != 0:
            if getattr(out._backward, "__qualname__", "").startswith("Value.__init__"):
                raise _Problem(f"{call}: v.grad stays 0: the result has no rule, set `out._backward = _backward`.")
            raise _Problem(f"{call}: v.grad stays 0 after backward(): the rule must add to `v.grad`.{todo}")
        elif _close(grad, -slope, rtol, 1e-9):
            raise _Problem(f"{call}: v.grad has the wrong sign.{todo}")
        else:
            raise _Problem(
                _miss(f"v.grad after {call}.backward()", grad, slope, "It should be f'(v) × out.grad.") + todo
            )
        # behind another operation: out.grad is 3, not 1
        v = Value(p, label="v")
        call = f"3 * {name}(v) with v = Value({_arg(p)})"
        out = _value_result(_call(fn, (v,), call), call, v)
        _run_quietly((out * 3.0).backward, f"({call}).backward()")
        grad = _number(v.grad, f"v.grad after ({call}).backward()")
        if _close(grad, slope, rtol, 1e-9) and slope != 0:
            raise _Problem(
                f"{call}: v.grad ignores the gradient arriving from further on: "
                "multiply the local derivative by `out.grad` (the chain rule)."
            )
        if not _close(grad, 3 * slope, rtol, 1e-9):
            raise _Problem(_miss(f"v.grad after ({call}).backward()", grad, 3 * slope, "Expected 3 f'(v)."))
        # next to another use of v: its rule must add to v.grad, not overwrite it
        v = Value(p, label="v")
        call = f"{name}(v) + 2 * v with v = Value({_arg(p)})"
        out = _value_result(_call(fn, (v,), call), call, v)
        _run_quietly((out + v * 2.0).backward, f"({call}).backward()")
        grad = _number(v.grad, f"v.grad after ({call}).backward()")
        if not _close(grad, slope + 2, rtol, 1e-9):
            if _close(grad, slope, rtol, 1e-9):
                raise _Problem(
                    f"{call}: v.grad lost the 2 from the other use of v: add to v.grad with `+=`, don't assign it."
                )
            raise _Problem(_miss(f"v.grad after ({call}).backward()", grad, slope + 2, "Expected f'(v) + 2."))
    return f"{name} computes f and passes the right gradient back, alone and inside bigger graphs."


def _numbers_out(result, call: str, count: int, what: str) -> np.ndarray:
    """A result that should hold `count` numbers (Values are read through `.data`)."""
    from nudge.autodiff import Value

    if isinstance(result, Value):
        raise _Problem(f"{call} returned one Value, expected {what}.")
    if isinstance(result, (list, tuple)):
        result = [item.data if isinstance(item, Value) else item for item in result]
    if not isinstance(result, (list, tuple, np.ndarray)) and not _is_sympy(result):
        number = _number(result, call, what)
        raise _Problem(f"{call} returned the single number {_fmt(number)}, expected {what}.")
    return _array(result, call, (count,), kind=what)


def _mse_step(a: float, b: float, xs: np.ndarray, ys: np.ndarray, lr: float) -> tuple[float, float, float, float]:
    residual = a * xs + b - ys
    grad_a, grad_b = 2 * np.mean(residual * xs), 2 * np.mean(residual)
    return a - lr * grad_a, b - lr * grad_b, grad_a, grad_b


_LINE_CASES = [
    (0.5, -0.2, [0.0, 1.0, 2.5, -1.5, 3.0], [1.0, 2.5, 4.0, -2.0, 7.0], 0.05),
    (1.0, 1.0, [1.0, 2.0, 3.0], [2.0, 4.0, 6.5], 0.01),
    (-2.0, 0.5, [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5], [0.3, -0.1, 0.8, 1.9, 2.2, 3.1], 0.3),
]


@_verdict
def verdict_line_step(value, name: str, *, rtol: float = 1e-6) -> str:
    """The answer is a function `step(a, b, xs, ys, lr)` returning the new `(a, b)` after one step
    of gradient descent on the mean squared error of the line a·x + b."""
    example = f"def {name}(a, b, xs, ys, lr):"
    fn = _function(value, name, example)
    _signature_problem(fn, name, 5, example)
    what = "the pair (a, b) of new weights"
    for a, b, xs, ys, lr in _LINE_CASES:
        xs, ys = np.array(xs), np.array(ys)
        call = f"{name}({_arg(a)}, {_arg(b)}, xs, ys, {_arg(lr)})"
        got = _numbers_out(_call(fn, (a, b, xs.copy(), ys.copy(), lr), call), call, 2, what)
        a_new, b_new, grad_a, grad_b = _mse_step(a, b, xs, ys, lr)
        want = np.array([a_new, b_new])

        def near(other, got=got):
            return np.all(np.abs(got - np.asarray(other)) <= 1e-9 + rtol * np.abs(np.asarray(other)))

        if near(want):
            continue
        if near(want[::-1]):
            raise _Problem(f"{call} returns b first: return the pair in the order (a, b).")
        if near([a + lr * grad_a, b + lr * grad_b]):
            raise _Problem(f"{call} steps uphill: move against the gradient (a − lr · ∂L/∂a).")
        if near([grad_a, grad_b]) or near([lr * grad_a, lr * grad_b]) or near([-lr * grad_a, -lr * grad_b]):
            raise _Problem(f"{call} returns the gradient or the step, not the new weights: start from a and b.")
        if near([a - lr * grad_a / 2, b - lr * grad_b / 2]):
            raise _Problem(f"{call} takes half a step: the derivative of a square brings a factor 2.")
        if near([a - lr * grad_a * xs.size, b - lr * grad_b * xs.size]):
            raise _Problem(f"{call} takes {xs.size} times too big a step: the loss is the mean, divide the sum by n.")
        _compare(got, want, f"{call}", rtol, 1e-9, "Expected (a − lr · ∂L/∂a, b − lr · ∂L/∂b).")
    return f"{name} takes one step downhill on the line fit."


@_verdict
def verdict_training(
    value, name: str, loss: Callable, args: tuple, start, target: float, *, shown: str = "", example: str = ""
) -> str:
    """The answer is a training function: `value(*args)` returns weights (as many numbers as `start`)
    at which `loss(*weights)` is finite, lower than at `start`, and below `target`."""
    args, start = tuple(args), [float(s) for s in start]
    example = example or f"def {name}({', '.join('abcdefgh'[: len(args)])}):"
    fn = _function(value, name, example)
    _signature_problem(fn, name, len(args), example)
    call = shown or f"{name}(...)"
    what = f"the {len(start)} trained weights, like ({', '.join('abcdefgh'[: len(start)])})"
    weights = _numbers_out(_call(fn, tuple(_copy(a) for a in args), call), call, len(start), what)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        before = float(loss(*start))
        try:
            after = float(loss(*(float(w) for w in weights)))
        except (OverflowError, ArithmeticError):
            after = math.inf
    if not math.isfinite(after):
        raise _Problem(f"{call}: the weights ran away, the loss there overflows: a learning rate too large?")
    if after > before * (1 + 1e-12):
        raise _Problem(
            f"{call}: the loss went up, from {_fmt(before)} to {_fmt(after)}: "
            "a step uphill, or a learning rate too large?"
        )
    if after >= before * (1 - 1e-12):
        raise _Problem(
            f"{call}: the loss did not move from {_fmt(before)}: do the steps change the weights, "
            "and do they use the gradient from backward()?"
        )
    if after > target:
        raise _Problem(
            f"{call}: the loss fell from {_fmt(before)} to {_fmt(after)}, but not below {_fmt(target)}: "
            "check the step (the gradient of the mean, times lr)."
        )
    return f"{name} brings the loss from {_fmt(before)} down to {_fmt(after)}, below {_fmt(target)}."


def _descent_run(loss: Callable, start: float, lr: float, steps: int) -> tuple[str, float, float]:
    """Run gradient descent on `loss` (one weight) and say what it did: converges, diverges, slow or bounces."""
    w, moves = float(start), [0.0, 0.0]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        first = float(loss(w))
        slope_start = _numeric_slope(loss, w)
        try:
            for _ in range(steps):
                move = -lr * _numeric_slope(loss, w)
                w, moves = w + move, [moves[1], move]
                if not math.isfinite(w) or abs(w) > 1e100:
                    return "diverges", first, math.inf
            last, slope_end = float(loss(w)), _numeric_slope(loss, w)
        except (OverflowError, ArithmeticError):
            return "diverges", first, math.inf
    if not math.isfinite(last) or last > 10 * first + 1e-12:
        return "diverges", first, last
    if abs(slope_end) <= 1e-6 * max(1.0, abs(slope_start)):
        return "converges", first, last
    # not there yet: crawling one way, or jumping across the bottom at every step
    return ("bounces" if moves[0] * moves[1] < 0 else "slow"), first, last


@_verdict
def verdict_learning_rate(
    value, name: str, loss: Callable, start: float, *, behaviour: str = "converges", steps: int = 100
) -> str:
    """The answer is a learning rate with which `steps` steps of gradient descent on `loss` (a function
    of one weight) from `start` converge to the bottom (`behaviour="converges"`) or run away ("diverges").

    The checker runs gradient descent with the answer and says what it saw.
    """
    if behaviour not in ("converges", "diverges"):
        raise ValueError(f"behaviour must be 'converges' or 'diverges', got {behaviour!r}")
    lr = _number(value, name, "a learning rate like 0.1")
    if lr <= 0:
        raise _Problem(
            f"{name} = {_fmt(lr)}: a learning rate is a positive number (η > 0); "
            "with η ≤ 0 a step doesn't move or goes uphill."
        )
    seen, first, last = _descent_run(loss, start, lr, steps)
    run = f"with η = {_fmt(lr)}, {steps} steps from w = {_fmt(float(start))}"
    if seen == behaviour:
        if seen == "converges":
            return f"{name}: {run} reach the bottom (the loss falls from {_fmt(first)} to {_fmt(last)})."
        return f"{name}: {run} run away (the loss grows from {_fmt(first)} to {_fmt(last)})."
    said = {
        "converges": f"reach the bottom (the loss falls from {_fmt(first)} to {_fmt(last)})",
        "diverges": f"run away (the loss grows from {_fmt(first)} to {_fmt(last)})",
        "slow": f"are still on the way down (the loss falls from {_fmt(first)} only to {_fmt(last)})",
        "bounces": f"bounce from side to side without settling (the loss stays near {_fmt(last)})",
    }[seen]
    if behaviour == "converges":
        advice = {"diverges": "take a smaller η", "slow": "take a larger η", "bounces": "take a slightly smaller η"}
    else:
        advice = {"converges": "take a larger η", "slow": "take a much larger η", "bounces": "take a slightly larger η"}
    return_word = "reach the bottom" if behaviour == "converges" else "run away"
    raise _Problem(f"{name}: {run} {said}; this asks for one that makes them {return_word}: {advice[seen]}.")


check_gradient = _checker(verdict_gradient)
check_value_op = _checker(verdict_value_op)
check_line_step = _checker(verdict_line_step)
check_training = _checker(verdict_training)
check_learning_rate = _checker(verdict_learning_rate)


# --- the public names ----------------------------------------------------------------------------

#: every checker by its name after `verdict_` (each has its `check_` twin); the tests feed them bad answers
VERDICTS = {name.removeprefix("verdict_"): fn for name, fn in list(globals().items()) if name.startswith("verdict_")}

__all__ = [
    "CheckFailed",
    "Verdict",
    "TIME_LIMIT",
    "true_slope",
    *(f"check_{key}" for key in VERDICTS),
    *(f"verdict_{key}" for key in VERDICTS),
]
