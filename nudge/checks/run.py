"""Running a student's code: under a time limit, with warnings silenced, every exception a sentence."""

from __future__ import annotations

import contextlib
import inspect
import re
import signal
import threading
import warnings
from collections.abc import Callable

import numpy as np

from nudge.i18n import Message

#: seconds a student's function may run in one call before the check gives up on it
TIME_LIMIT = 3.0


class Problem(Exception):
    """Raised inside a checker with the sentence the student will read: a `Message` template (the English,
    a literal string that `python -m tools.catalogs` collects for translation) and its fields.

    >>> str(Problem("{name} is too large.", name="k"))
    'k is too large.'
    """

    def __init__(self, template: str, /, **fields) -> None:
        self.message = Message(template, **fields)
        super().__init__(self.message)

    @classmethod
    def of(cls, message: Message) -> Problem:
        """A problem whose sentence is a message made elsewhere (`miss(...)`, a hint)."""
        if not isinstance(message, Message):
            raise TypeError(f"Problem.of takes a Message, got {type(message).__name__}")
        problem = cls.__new__(cls)
        problem.message = message
        Exception.__init__(problem, message)
        return problem


class TimedOut(BaseException):
    """Raised by the alarm inside a student's function; a BaseException so `except Exception` can't swallow it."""


@contextlib.contextmanager
def quiet():
    """Silence warnings and numpy's floating-point reports inside the block.

    nbgrader scores a test cell that writes to stderr as 0, and a student's overflow is the
    checker's business to explain, not a warning's.

    >>> with quiet():
    ...     float(np.exp(np.float64(1000.0)))
    inf
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


@contextlib.contextmanager
def time_limit(seconds: float | None = None):
    """Raise `TimedOut` inside the block after `seconds` (`TIME_LIMIT` if None), and again every 0.1 s after that.

    `TimedOut` is not an `Exception`, so a student's `except Exception:` lets it through; a
    bare `except:` may swallow it, and then nbgrader's cell timeout is the last resort.
    """
    seconds = TIME_LIMIT if seconds is None else seconds  # read now: tests shorten it
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if not usable:  # no SIGALRM (Windows), not the main thread, or a timer already running: no limit
        yield
        return

    def _alarm(signum, frame):
        raise TimedOut()

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def call_student(fn: Callable, args: tuple, shown_call: str | Message):
    """Call a student's function with a time limit; any exception becomes a sentence."""
    try:
        with quiet(), time_limit(TIME_LIMIT):
            result = fn(*args)
    except TimedOut:
        raise Problem(
            "{call} ran for more than {seconds:g} s and was stopped: an endless loop?",
            call=shown_call,
            seconds=TIME_LIMIT,
        ) from None
    except KeyboardInterrupt:
        raise
    except RecursionError:
        raise Problem("{call} calls itself without end (RecursionError).", call=shown_call) from None
    except Problem:
        raise
    except BaseException as exc:  # the student's code may raise anything, even SystemExit
        text = exception_text(exc)
        end = "" if text.endswith((".", "!", "?", ")")) else "."
        raise Problem(
            "{call} raised {error}: {text}", call=shown_call, error=type(exc).__name__, text=text + end
        ) from None
    if result is None and has_placeholder(fn):
        raise Problem(
            "{call} returned None: its body is still the `...` placeholder; write the code there.", call=shown_call
        )
    return _returned(result, shown_call)


def has_placeholder(fn) -> bool:
    """Whether a function's source still has its template's `...` placeholder: a line holding only
    `...`, or a `def` whose whole body is `...` on the same line (`def _backward(): ...`)."""
    try:
        source = inspect.getsource(fn)
    except Exception:
        return False
    return re.search(r"^\s*(def [^\n]*:\s*)?\.\.\.\s*(#.*)?$", source, re.M) is not None


def _returned(result, call: str | Message):
    """A student's function's result, unless it is a placeholder (None, `...`) that deserves its own sentence."""
    if result is None:
        raise Problem("{call} returned None: does the function end with `return` and the result?", call=call)
    if result is Ellipsis:
        raise Problem("{call} returned `...`: replace the `...` in the function with your code.", call=call)
    return result


def exception_text(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:
        text = ""
    text = " ".join(text.split())
    if len(text) > 120:
        text = text[:119] + "…"
    return text or "(no message)"


def require_arguments(fn: Callable, name: str, n_args: int, example: str) -> None:
    """A function that can't take `n_args` positional arguments gets a sentence, not a TypeError."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return
    try:
        signature.bind(*range(n_args))
    except TypeError:
        raise Problem(
            "`{name}` should take {count} argument(s), like `{example}`; yours is `{name}{signature}`.",
            name=name,
            count=n_args,
            example=example,
            signature=signature,
        ) from None


def run_quietly(action: Callable, shown: str | Message) -> None:
    """Run `action()` (a backward pass, say) like a student's function: time limit, exceptions as sentences."""
    call_student(lambda: (action(), True)[1], (), shown)


def fresh_copy(value):
    """A copy of a test argument a student's function might change in place (an array, a list)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return list(value)
    return value
