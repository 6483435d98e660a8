"""Checks for the exercise notebooks: a short, friendly verdict on every answer.

A check cell calls one or more `check_*` functions with the *name* of the student's
variable (a string) and what the answer should satisfy:

>>> from nudge.checks import check_quotient
>>> k = 6.01
>>> check_quotient("k", lambda w: w**2, 3, 0.01, method="forward")
✓ k is the forward difference quotient.
>>> k = "6.01"
>>> check_quotient("k", lambda w: w**2, 3, 0.01, method="forward")
✗ k: expected a number like 6.0, got the text '6.01' (remove the quotes).

How a check reports (the choice, and why)
------------------------------------------
- A pass prints one line starting with ✓ and returns None (nbgrader would read a returned
  number as partial credit).
- A failure gives one line starting with ✗ (what was expected *in kind*: a number, a
  function that returns an array of shape (3,), ...; never the answer itself). A student's
  run prints it and goes on, so Run All works at any time: every check says ✓ or ✗ and the
  given cells further down still run. While nbgrader autogrades or validates (it sets
  `NBGRADER_EXECUTION`), the failure raises `CheckFailed` instead, which scores the cell 0;
  IPython, and so nbgrader's feedback and its Validate dialog, shows that exception as the
  single line `CheckFailed: ✗ ...` (nothing is registered globally).
- The student's value is looked up by name in the caller's namespace, so a cell that never
  ran, or stopped with an error, gets "`k` is not defined yet: run the cell ..." instead
  of a NameError.
- Student functions run under a time limit (`run.TIME_LIMIT` seconds, via SIGALRM where the
  platform has it), with warnings silenced (nbgrader scores a test cell that writes to
  stderr as 0) and every exception they raise turned into a sentence.
- The value a comparison expects comes from the problem itself wherever possible: the
  checker differentiates `f` (sympy or a high-order difference quotient), evaluates the
  difference quotient, solves f' = 0, so a check cell names the problem, not its answer.
- `hidden=True` is for nbgrader's hidden tests: silent on a pass, and its failure message
  says a graded test failed without showing the test.

Each `check_*` function has a `verdict_*` twin that returns a `Verdict` instead of
printing; tests feed those thousands of malformed answers.

Where things are: `kinds` (what an answer may be), `run` (a student's code under a time
limit), `compare` (comparison, and the truth computed from the problem), `report` (verdicts,
the ✓/✗ line, `CheckFailed`, the `register` decorator), and `api`, the one module a checker's
author imports from. The verdicts: `generic` (any chapter), and one module per chapter named by
its chapter key (`ch01_intuition`, …; `nudge.chapters`), found and imported here, so
`nudge/checks/ch10_attention.py` registers its checkers the day it is written. A new checker is
a function decorated with `@register` in one of those; `python -m nudge.checks` prints the
table of checkers that instructors.md shows.
"""

from __future__ import annotations

from nudge.chapters import chapter_modules, chapter_number
from nudge.checks import generic  # noqa: F401 (registers the verdicts any chapter uses)
from nudge.checks.compare import true_slope
from nudge.checks.kinds import MISSING
from nudge.checks.report import CHECKS, UNEXPECTED, VERDICTS, CheckFailed, Verdict, grading
from nudge.checks.run import TIME_LIMIT

# each chapter's module registers its verdicts with `@register` as it is imported
chapter_modules(__name__, __path__)


def __getattr__(name: str):
    """`check_<key>` and `verdict_<key>` for every registered checker."""
    for prefix, registry in (("check_", CHECKS), ("verdict_", VERDICTS)):
        if name.startswith(prefix) and name.removeprefix(prefix) in registry:
            return registry[name.removeprefix(prefix)]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def checker_table() -> str:
    """The Markdown table of every checker and what it accepts, from the verdicts' docstrings.

    Generic checkers first, then each chapter's, in chapter order; a `|` in a docstring is escaped for Markdown.

    >>> checker_table().splitlines()[2].startswith("| `check_number` | any chapter | The answer is a number")
    True
    """
    rows = ["| checker | serves | passes when |", "|---|---|---|"]
    generic_first = sorted(VERDICTS.items(), key=lambda item: chapter_number(item[1].__module__) or -1)
    for key, verdict in generic_first:
        number = chapter_number(verdict.__module__)
        place = "any chapter" if number is None else f"chapter {number}"
        summary = " ".join((verdict.__doc__ or "").split("\n\n")[0].split()).replace("|", "\\|")
        rows.append(f"| `check_{key}` | {place} | {summary} |")
    return "\n".join(rows)


__all__ = [
    "CheckFailed",
    "Verdict",
    "MISSING",
    "UNEXPECTED",
    "VERDICTS",
    "TIME_LIMIT",
    "checker_table",
    "grading",
    "true_slope",
    *(f"check_{key}" for key in VERDICTS),
    *(f"verdict_{key}" for key in VERDICTS),
]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
