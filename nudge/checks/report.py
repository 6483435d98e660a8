"""How a check reports: a `Verdict` from each checker, a ✓/✗ line for the student, and the
`CheckFailed` that grades a cell when nbgrader grades or validates.

A check cell must serve two readers. A student who runs the notebook (one cell, or Run All at
any time) reads one line per check and must never meet a stop: a failure prints its ✗ line and
the notebook carries on, so the given cells below still run. nbgrader scores a test cell 0
exactly when it raises, and it sets `NBGRADER_EXECUTION` ("autograde" or "validate") in the
kernel's environment while it grades or validates: then a failure raises `CheckFailed`, whose
one-line rendering is the ✗ line itself (nbgrader's Validate dialog shows only the exception).
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import sys
from dataclasses import dataclass

from nudge.checks import run
from nudge.checks.kinds import MISSING, describe, type_name
from nudge.checks.run import Problem, TimedOut, exception_text

#: the environment variable nbgrader sets while it autogrades or validates a notebook
GRADING_VARIABLE = "NBGRADER_EXECUTION"

#: the sentence a checker gives when it met something its designed messages don't cover
UNEXPECTED = re.compile(r"the checker could not make sense of")


class CheckFailed(Exception):
    """An answer did not pass its check; the message is the ✗ line that says why.

    IPython (Jupyter, Colab, nbgrader) shows it as that one line, not a traceback.

    >>> CheckFailed("✗ k is too large.")._render_traceback_()
    ['CheckFailed: ✗ k is too large.']
    """

    def _render_traceback_(self) -> list[str]:
        return [f"CheckFailed: {self}"]


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check: `ok`, and a sentence for the student."""

    ok: bool
    message: str


def grading() -> bool:
    """Whether nbgrader is grading or validating this run: then a failed check raises `CheckFailed`."""
    return bool(os.environ.get(GRADING_VARIABLE))


#: every verdict by its name after `verdict_`, and the `check_` function made from it
VERDICTS: dict = {}
CHECKS: dict = {}


def register(core):
    """Make a checker into a `verdict_*` function and its `check_*` twin, and register both.

    `core(value, name, ...)` raises `Problem` with the student's sentence, or returns the
    sentence of a pass; the verdict returns a `Verdict` whatever happens inside.
    """

    @functools.wraps(core)
    def verdict(value, name: str, *args, **kwargs) -> Verdict:
        try:
            return Verdict(True, core(value, name, *args, **kwargs))
        except Problem as problem:
            return Verdict(False, str(problem))
        except TimedOut:
            return Verdict(False, f"{name}: checking it took more than {run.TIME_LIMIT:g} s and was stopped.")
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # a checker bug must still not show the student a traceback
            return Verdict(
                False,
                f"{name}: the checker could not make sense of {describe(value)} "
                f"({type_name(exc)}: {exception_text(exc)}); please tell your instructor.",
            )

    key = core.__name__.removeprefix("verdict_")
    VERDICTS[key] = verdict
    CHECKS[key] = _checker(verdict, key)
    return verdict


def _checker(verdict_fn, key: str):
    """The public `check_*` function for a verdict: look the name up, print, raise when graded."""
    reveal = "reveal" in inspect.signature(verdict_fn).parameters

    @functools.wraps(verdict_fn)
    def check(name: str, *args, namespace: dict | None = None, hidden: bool = False, **kwargs) -> None:
        if not isinstance(name, str) or not name.isidentifier():
            raise TypeError(f"pass the name of the answer's variable as a string, like 'k', got {name!r}")
        scope = namespace if namespace is not None else _caller_namespace()
        value = scope.get(name, MISSING)
        if hidden and reveal:
            kwargs["reveal"] = False  # a hidden test's expected values stay hidden
        report(verdict_fn(value, name, *args, **kwargs), name, hidden)

    check.__name__ = check.__qualname__ = f"check_{key}"
    check.__doc__ = (
        f"Print a ✓/✗ verdict on the variable called `name` (raising `CheckFailed` on ✗ while graded).\n\n"
        f"Same arguments as `{verdict_fn.__name__}`, but `name` (a string) instead of the value;\n"
        f"`hidden=True` prints nothing on a pass (for nbgrader's hidden tests).\n\n"
        f"{verdict_fn.__doc__ or ''}"
    )
    return check


def _caller_namespace(depth: int = 2) -> dict:
    frame = sys._getframe(depth)
    return {**frame.f_globals, **frame.f_locals}


def report(verdict: Verdict, name: str, hidden: bool = False) -> None:
    """Print a verdict's ✓ or ✗ line; while nbgrader grades, a ✗ raises `CheckFailed` instead.

    >>> report(Verdict(False, "k is too large."), "k")
    ✗ k is too large.
    """
    if verdict.ok:
        if not hidden:
            print(f"✓ {verdict.message}")
        return
    line = f"✗ A graded test of {name} failed: {verdict.message}" if hidden else f"✗ {verdict.message}"
    if grading():
        raise CheckFailed(line)
    print(line)
