"""What a checker's author uses: every name a verdict module (`generic`, `ch01_intuition`, …) imports.

A checker is a function `verdict_<key>(value, name, ...)` decorated with `@register`: it turns
the student's `value` into what it expects (`as_number`, `as_array`, `as_function`, …, which
raise `Problem` with a sentence when it is something else), runs the student's functions with
`call_student` (a time limit, every exception a sentence), computes the truth from the problem
(`true_slope`, `exact_gradient`, `all_quotients`, …), and compares without giving the truth
away (`require_close`, `miss`, `known_mistake`). It returns the sentence of a pass.

Every sentence a student reads is a `Message`: a literal English template with named fields,
`Problem("{name} should be greater than 0.", name=name)`, which `python -m tools.catalogs` collects
into the `checks` catalog of each language and which is shown in the student's language. A word
the code chooses ("forward", "a list") is a `Message` of its own, passed as a field; never an
f-string or a pasted English string.

>>> from nudge.checks.api import Message, Problem, as_number, register
>>> @register
... def verdict_positive(value, name):
...     '''The answer is a number greater than 0.'''
...     if as_number(value, name) <= 0:
...         raise Problem("{name} should be greater than 0.", name=name)
...     return Message("{name} is positive.", name=name)
>>> verdict_positive(-2, "k")
Verdict(ok=False, message='k should be greater than 0.')
>>> from nudge.checks.report import CHECKS, VERDICTS
>>> del VERDICTS["positive"], CHECKS["positive"]  # an example, not a checker of the book

The modules behind these names: `kinds` (what an answer may be), `run` (a student's code under
a time limit), `compare` (comparison, and the truth computed from the problem), `report` (the
`register` decorator).
"""

from nudge.checks.compare import (
    all_close,
    all_quotients,
    as_flat_sympy,
    close_entries,
    difference_quotient,
    evaluate,
    exact_gradient,
    hinted,
    is_close,
    known_mistake,
    method_mistakes,
    method_name,
    miss,
    numeric_gradient,
    numeric_slope,
    only_symbol,
    partials_text,
    require_close,
    substitution,
    symbol_list,
    true_slope,
    value_at,
)
from nudge.checks.kinds import (
    MISSING,
    as_array,
    as_function,
    as_integer,
    as_number,
    as_sympy_expr,
    describe,
    indexed,
    is_sympy,
    listing,
    refuse_placeholders,
    show,
    show_arg,
    show_number,
)
from nudge.checks.report import register
from nudge.checks.run import (
    Problem,
    TimedOut,
    call_student,
    fresh_copy,
    has_placeholder,
    quiet,
    require_arguments,
    run_quietly,
    time_limit,
)
from nudge.i18n import Message

__all__ = [
    "MISSING",
    "Message",
    "Problem",
    "TimedOut",
    "all_close",
    "all_quotients",
    "as_array",
    "as_flat_sympy",
    "as_function",
    "as_integer",
    "as_number",
    "as_sympy_expr",
    "call_student",
    "close_entries",
    "describe",
    "difference_quotient",
    "evaluate",
    "exact_gradient",
    "fresh_copy",
    "has_placeholder",
    "hinted",
    "indexed",
    "is_close",
    "is_sympy",
    "known_mistake",
    "listing",
    "method_mistakes",
    "method_name",
    "miss",
    "numeric_gradient",
    "numeric_slope",
    "only_symbol",
    "partials_text",
    "quiet",
    "refuse_placeholders",
    "register",
    "require_arguments",
    "require_close",
    "run_quietly",
    "show",
    "show_arg",
    "show_number",
    "substitution",
    "symbol_list",
    "time_limit",
    "true_slope",
    "value_at",
]
