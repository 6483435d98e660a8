"""How a check reports: a `Verdict` from each checker, a ✓/✗ line for the student, and the
`CheckFailed` that grades a cell when nbgrader grades or validates.

A check cell must serve two readers. A student who runs the notebook (one cell, or Run All at
any time) reads one line per check and must never meet a stop: a failure prints its ✗ line and
the notebook carries on, so the given cells below still run. nbgrader scores a test cell 0
exactly when it raises, and it sets `NBGRADER_EXECUTION` ("autograde" or "validate") in the
kernel's environment while it grades or validates: then a failure raises `CheckFailed`, whose
one-line rendering is the ✗ line itself (nbgrader's Validate dialog shows only the exception).

Each line is a `Message`, shown in the session's language (`nudge.i18n.language`). In a Jupyter
kernel it is displayed with its data beside the text (`MESSAGE_MIME`), so that the website can show
a solution page's check lines in each edition's language; elsewhere (a script, a test) it is printed.
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
from nudge.i18n import MESSAGE_MIME, Message

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

    def __init__(self, line: str, message: Message | None = None) -> None:
        super().__init__(line)
        #: the ✗ line as a message, for a reader in another language
        self.message = message

    def _render_traceback_(self) -> list[str]:
        return [f"CheckFailed: {self}"]


@dataclass(frozen=True, repr=False)
class Verdict:
    """The outcome of one check: `ok`, and a sentence for the student: `text` (a `Message`), and
    `message`, that sentence in the session's language.

    >>> Verdict(False, Message("{name} is too large.", name="k"))
    Verdict(ok=False, message='k is too large.')
    """

    ok: bool
    text: Message

    def __post_init__(self) -> None:
        if not isinstance(self.text, Message):
            raise TypeError(f"a verdict's sentence is a nudge.i18n.Message, got {type(self.text).__name__}")

    @property
    def message(self) -> str:
        return self.text.render()

    def __repr__(self) -> str:
        return f"Verdict(ok={self.ok!r}, message={self.message!r})"


def grading() -> bool:
    """Whether nbgrader is grading or validating this run: then a failed check raises `CheckFailed`."""
    return bool(os.environ.get(GRADING_VARIABLE))


#: every verdict by its name after `verdict_`, and the `check_` function made from it
VERDICTS: dict = {}
CHECKS: dict = {}


def register(core):
    """Make a checker into a `verdict_*` function and its `check_*` twin, and register both.

    `core(value, name, ...)` raises `Problem` with the student's sentence, or returns the
    sentence of a pass (a `Message`); the verdict returns a `Verdict` whatever happens inside.
    """

    @functools.wraps(core)
    def verdict(value, name: str, *args, **kwargs) -> Verdict:
        try:
            passed = core(value, name, *args, **kwargs)
        except Problem as problem:
            return Verdict(False, problem.message)
        except TimedOut:
            return Verdict(
                False,
                Message(
                    "{name}: checking it took more than {seconds:g} s and was stopped.",
                    name=name,
                    seconds=run.TIME_LIMIT,
                ),
            )
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # a checker bug must still not show the student a traceback
            return Verdict(
                False,
                Message(
                    "{name}: the checker could not make sense of {value} ({error}: {text}); "
                    "please tell your instructor.",
                    name=name,
                    value=describe(value),
                    error=type_name(exc),
                    text=exception_text(exc),
                ),
            )
        if not isinstance(passed, Message):  # the checker's author's mistake, not the student's
            raise TypeError(f"{core.__name__} must return a nudge.checks.api.Message, got {type(passed).__name__}")
        return Verdict(True, passed)

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
    """Show a verdict's ✓ or ✗ line; while nbgrader grades, a ✗ raises `CheckFailed` instead.

    >>> report(Verdict(False, Message("{name} is too large.", name="k")), "k")
    ✗ k is too large.
    """
    if verdict.ok:
        if not hidden:
            show_line(Message("✓ {message}", message=verdict.text))
        return
    if hidden:
        line = Message("✗ A graded test of {name} failed: {message}", name=name, message=verdict.text)
    else:
        line = Message("✗ {message}", message=verdict.text)
    if grading():
        raise CheckFailed(line.render(), line)
    show_line(line)


def show_line(line: Message) -> None:
    """One line for the student: in a Jupyter kernel displayed with its message's data (`MESSAGE_MIME`) beside
    its text, anywhere else printed."""
    text = line.render()
    if not _in_kernel():
        print(text)
        return
    from IPython.display import display

    display({"text/plain": text, MESSAGE_MIME: line.data()}, raw=True)


def _in_kernel() -> bool:
    """Whether this runs in a Jupyter kernel (an IPython shell with a kernel), not a terminal or a script."""
    ipython = sys.modules.get("IPython")  # never imported here just to ask
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None
