"""Check-yourself questions: one call in a chapter, two faces.

`ask("The slope of $x^3$ at $x = 2$?", number=12, hints=[...], explain="...")` shows

- in Jupyter: an ipywidgets form that checks the answer in Python (sympy for expressions);
- on the built website: a plain HTML form that `_static/nudge-questions.js` checks in the
  page, with no kernel and no outside request (expressions are read by mathjs, served by
  the book itself).

Both faces get the same verdicts because everything a verdict depends on is decided here
and shipped to the page in the question's `data-nudge-question` JSON (`QUESTION_SCHEMA`):
the tolerance, the points an expression is compared at and the answer's values there, the
known mistakes, and the wording of every message (`MESSAGES`). The page only reads the
reader's text (`tokens`, the same rules as below) and evaluates it.

Kinds:

- **number**: a number within `atol` + `rtol`·|answer|; the reader may type `-1/4` or `1e-3`;
- **choice**: one or several right options, each wrong option with its own hint;
- **expression**: a formula in `variables`, right when it equals the answer at a handful of
  points, so `3x^2`, `x*3*x` and `3*x**2` all pass.

>>> q = ask("The slope of $x^2$ at $x = 3$?", number=6)
>>> q.check("6.0").verdict, q.check("-6").verdict, q.check("six").verdict
('right', 'sign', 'malformed')
>>> q = ask("The derivative of $x^3$?", expression="3*x^2")
>>> [q.check(text).verdict for text in ("3x²", "x*3*x", "3*x**2", "3x", "3*x^")]
['right', 'right', 'right', 'wrong', 'malformed']
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

#: version of the JSON a question hands the page; the script refuses any other
QUESTION_SCHEMA = 1

#: what a reader may type: ASCII after `normalise`, nothing a parser could read as code
_ALLOWED = re.compile(r"^[0-9A-Za-z .+\-*/^()]*$")
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z]+)|(?P<op>[-+*/^()]))"
)
_OPERATORS = "+-*/^"
_NEEDS_LEFT = ("*", "/", "^", ")")
#: functions and constants a reader's formula may use (the names mathjs knows the same way)
FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "abs")
CONSTANTS = ("pi", "e")
#: typed stand-ins, replaced before anything else reads the text
_REPLACE = {"**": "^", "×": "*", "·": "*", "⋅": "*", "−": "-", "–": "-", "÷": "/", "π": "pi", "ln": "log"}
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")

#: every message either face shows; `{…}` fields are filled from the question or the answer
MESSAGES = {
    "empty": "Type an answer first.",
    "empty_choice": "Choose an option first.",
    "malformed_number": "Expected a number like 0.25, -1/4 or 1e-3; couldn't read “{text}”.",
    "malformed_expression": "Couldn't read “{text}” as a formula in {variables}; write it like {example}.",
    "unknown_name": "“{name}” isn't a name this answer can use; use {names}.",
    "not_finite": "✗ That is not a finite number.",
    "undefined": "✗ Your formula has no finite value at {point}.",
    "right": "✓ Right.",
    "right_expression": "✓ Right: your formula equals the answer everywhere it was checked.",
    "sign": "✗ Right size, wrong sign: which way does the function go?",
    "wrong_number": "✗ Not quite. Try again, or ask for a hint.",
    "wrong_expression": "✗ Not the same function: yours and the answer differ at {point}.",
    "missing_choice": "✗ Part of it: another option is right too.",
    "mistake": "✗ {hint}",
}


@dataclass(frozen=True)
class Verdict:
    """What a face shows after Check: `verdict` is a code, `message` the words."""

    verdict: str
    message: str

    @property
    def right(self) -> bool:
        return self.verdict.startswith("right")


def _say(code: str, message_key: str | None = None, **fields) -> Verdict:
    return Verdict(code, MESSAGES[message_key or code].format(**fields))


def normalise(text: str) -> str:
    """The reader's text with typographic stand-ins replaced: `3x²` → `3x^2`, `−` → `-`.

    >>> normalise("−3·x²")
    '-3*x^2'
    """
    text = str(text).strip()
    for old, new in _REPLACE.items():
        text = text.replace(old, new)
    return re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+", lambda m: "^" + m.group().translate(_SUPERSCRIPTS), text)


class _Unreadable(ValueError):
    """The text is not a formula; `name` is set when an unknown name is why."""

    def __init__(self, name: str | None = None):
        super().__init__(name)
        self.name = name


def tokens(text: str, names: Sequence[str]) -> str:
    """The formula with every product written out, or `_Unreadable`.

    Both faces read a formula in two steps: this one (the JavaScript does the same) and
    then a parser (sympy here, mathjs in the page) that only ever sees numbers, allowed
    names, `+ - * / ^` and parentheses. Writing products out here means the parsers never
    guess: `3x` → `3*x`, `2(x+1)` → `2*(x+1)`, `(x+1)(x-1)` → `(x+1)*(x-1)`.

    >>> tokens("3x^2 + 2sin(x)", ["x"])
    '3*x^2+2*sin(x)'
    """
    text = normalise(text)
    if not _ALLOWED.match(text):
        raise _Unreadable()
    out: list[tuple[str, str]] = []
    position = 0
    while position < len(text.rstrip()):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _Unreadable()
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "name" and value not in names and value not in FUNCTIONS and value not in CONSTANTS:
            raise _Unreadable(value)
        if value in _NEEDS_LEFT and (not out or out[-1][1] in _OPERATORS or out[-1][1] == "("):
            raise _Unreadable()  # "*x", "x//2", "(^x)", "()": nothing on the operator's left
        if out:
            before_kind, before = out[-1]
            ends_value = before_kind == "num" or before == ")" or (before_kind == "name" and before not in FUNCTIONS)
            starts_value = kind in ("num", "name") or value == "("
            if before_kind == "num" and kind == "num":
                raise _Unreadable()  # "3 4": two numbers side by side
            if before_kind == "name" and before in FUNCTIONS and value != "(":
                raise _Unreadable()  # "sin x": a function needs parentheses
            if ends_value and starts_value:
                out.append(("op", "*"))
        out.append((kind, value))
        position = match.end()
    if out and out[-1][0] == "name" and out[-1][1] in FUNCTIONS:
        raise _Unreadable()
    return "".join(value for _, value in out)


def _parse(text: str, names: Sequence[str]):
    """A sympy expression for the reader's text, or `_Unreadable`."""
    import sympy as sp
    from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

    written = tokens(text, names)
    local = {name: sp.Symbol(name) for name in names}
    local.update({"pi": sp.pi, "e": sp.E, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "exp": sp.exp})
    local.update({"log": sp.log, "sqrt": sp.sqrt, "tanh": sp.tanh, "abs": sp.Abs})
    # unevaluated, and every number a float: `10^10^10` is then an overflow, as in the page,
    # not a ten-billion-digit integer
    try:
        with sp.evaluate(False):
            expr = parse_expr(written, local_dict=local, transformations=(*standard_transformations, convert_xor))
            if isinstance(expr, sp.Expr):
                expr = expr.xreplace({n: sp.Float(n) for n in expr.atoms(sp.Rational)})
    except Exception:  # sympy raises SyntaxError, TokenError, TypeError, ... for the same thing
        raise _Unreadable() from None
    if not isinstance(expr, sp.Expr):
        raise _Unreadable()
    return expr


def _value_at(expr, names: Sequence[str], point: Sequence[float]) -> float:
    """The formula's value as a float at `point`, NaN where it has no finite real value."""
    import sympy as sp

    try:
        with np.errstate(all="ignore"):
            value = sp.lambdify(list(map(sp.Symbol, names)), expr, modules="math")(*point)
        value = float(value)
    except Exception:  # math's domain errors, overflow, division by zero, sympy's zoo
        return math.nan
    return value if math.isfinite(value) else math.nan


def _close(got: float, want: float, atol: float, rtol: float) -> bool:
    return abs(got - want) <= atol + rtol * abs(want)


def _inline(text: str) -> str:
    """Author's text as HTML: escaped, `$…$` as MathJax inline math, `` `…` `` as code."""
    escaped = html.escape(str(text), quote=False)
    escaped = re.sub(r"\$(.+?)\$", r"\\(\1\\)", escaped)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", escaped)


@dataclass
class Question:
    """One question: its kind, what counts as right, and the words around it."""

    prompt: str
    kind: str
    answer: object
    hints: tuple = ()
    explain: str = ""
    atol: float = 0.0
    rtol: float = 0.0
    variables: tuple = ("x",)
    options: tuple = ()  # choice: (text, True) for a right option, (text, "hint") for a wrong one
    mistakes: tuple = ()  # number, expression: (answer, hint) pairs
    points: tuple = ()  # expression: where it is compared with the answer
    id: str = field(default="")
    _widget: object = field(default=None, repr=False)

    def __post_init__(self):
        if not self.id:
            digest = hashlib.sha256(json.dumps([self.prompt, self.kind, str(self.answer)]).encode()).hexdigest()
            self.id = "nudge-q-" + digest[:10]
        if self.kind == "expression" and not self.points:
            rng = np.random.default_rng(int(self.id[-8:], 16))  # the same points on every run
            self.points = tuple(
                tuple(round(v, 3) for v in rng.uniform(0.3, 2.2, len(self.variables))) for _ in range(5)
            )
        self._values = self._at_points(self.answer) if self.kind == "expression" else ()
        self._mistakes = tuple(
            (self._at_points(wrong) if self.kind == "expression" else float(wrong), hint)
            for wrong, hint in self.mistakes
        )

    # the rules ------------------------------------------------------------------
    def _at_points(self, formula: str) -> tuple:
        expr = _parse(str(formula), self.variables)
        values = tuple(_value_at(expr, self.variables, p) for p in self.points)
        if any(math.isnan(v) for v in values):
            raise ValueError(f"ask: {formula!r} has no finite value at one of the points {self.points}; pass points=")
        return values

    def point_label(self, index: int) -> str:
        return ", ".join(f"{n} = {v:g}" for n, v in zip(self.variables, self.points[index], strict=True))

    @property
    def tolerances(self) -> tuple[float, float]:
        return self.atol, self.rtol

    def check(self, answer) -> Verdict:
        """The verdict for what a reader typed (text) or chose (a list of option numbers)."""
        if self.kind == "choice":
            return self._check_choice(answer)
        text = "" if answer is None else str(answer)
        if not normalise(text):
            return _say("empty")
        if self.kind == "number":
            return self._check_number(text)
        return self._check_expression(text)

    def _unreadable(self, problem: _Unreadable, text: str, message_key: str) -> Verdict:
        if problem.name:
            names = ", ".join((*self.variables, *CONSTANTS)) if self.kind == "expression" else ", ".join(CONSTANTS)
            return _say("malformed", "unknown_name", name=problem.name, names=names)
        return _say("malformed", message_key, text=text, variables=", ".join(self.variables), example="3*x^2")

    def _check_number(self, text: str) -> Verdict:
        try:
            got = _value_at(_parse(text, ()), (), ())
        except _Unreadable as problem:
            return self._unreadable(problem, text, "malformed_number")
        if math.isnan(got):
            return _say("not_finite")
        want = float(self.answer)
        if _close(got, want, self.atol, self.rtol):
            return _say("right")
        for wrong, hint in self._mistakes:
            if _close(got, wrong, self.atol, self.rtol):
                return _say("mistake", hint=hint)
        if want != 0 and _close(-got, want, self.atol, self.rtol):
            return _say("sign")
        return _say("wrong", "wrong_number")

    def _check_expression(self, text: str) -> Verdict:
        try:
            expr = _parse(text, self.variables)
        except _Unreadable as problem:
            return self._unreadable(problem, text, "malformed_expression")
        got = [_value_at(expr, self.variables, p) for p in self.points]
        for index, value in enumerate(got):
            if math.isnan(value):
                return _say("undefined", point=self.point_label(index))
        if all(_close(g, w, self.atol, self.rtol) for g, w in zip(got, self._values, strict=True)):
            return _say("right", "right_expression")
        for values, hint in self._mistakes:
            if all(_close(g, w, self.atol, self.rtol) for g, w in zip(got, values, strict=True)):
                return _say("mistake", hint=hint)
        differ = next(
            i for i, (g, w) in enumerate(zip(got, self._values, strict=True)) if not _close(g, w, *self.tolerances)
        )
        return _say("wrong", "wrong_expression", point=self.point_label(differ))

    def _check_choice(self, chosen) -> Verdict:
        chosen = sorted({int(i) for i in (chosen or ())})
        if not chosen:
            return _say("empty", "empty_choice")
        for index in chosen:
            verdict = self.options[index][1]
            if verdict is not True:
                return _say("mistake", hint=verdict)
        if len(chosen) < sum(verdict is True for _, verdict in self.options):
            return _say("missing_choice")
        return _say("right")

    # what the page needs ----------------------------------------------------------
    def config(self) -> dict:
        """The question as the page's script reads it (`QUESTION_SCHEMA`)."""
        config = {"schema": QUESTION_SCHEMA, "id": self.id, "kind": self.kind, "messages": MESSAGES}
        if self.kind == "choice":
            config["options"] = [True if verdict is True else verdict for _, verdict in self.options]
            return config
        config.update(atol=self.atol, rtol=self.rtol, functions=list(FUNCTIONS), constants=list(CONSTANTS))
        config["mistakes"] = [[wrong, hint] for wrong, hint in self._mistakes]
        if self.kind == "number":
            config.update(answer=float(self.answer), variables=[])
        else:
            # the formula as the author wrote it: "Show answer" shows it anyway
            config.update(
                answer=str(self.answer), variables=list(self.variables), points=[list(p) for p in self.points]
            )
            config.update(values=list(self._values), labels=[self.point_label(i) for i in range(len(self.points))])
        return config

    @property
    def multiple(self) -> bool:
        return sum(verdict is True for _, verdict in self.options) > 1

    def answer_text(self) -> str:
        if self.kind == "choice":
            return "; ".join(text for text, verdict in self.options if verdict is True)
        if self.kind == "expression":
            return f"${self.answer}$"
        return f"{self.answer}"

    def static_html(self) -> str:
        """The question as plain HTML; `_static/nudge-questions.js` makes it answerable."""
        from nudge.question_faces import question_html

        return question_html(self)

    def widget(self):
        """The ipywidgets face: the same question, checked in Python."""
        if self._widget is None:
            from nudge.question_faces import LiveQuestion

            self._widget = LiveQuestion(self)
        return self._widget.box

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = dict(self.widget()._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = f"Question {self.id} ({self.kind}): {self.prompt}"
        return bundle


def ask(
    prompt: str,
    *,
    number: float | None = None,
    expression: str | None = None,
    choices: Sequence[tuple[str, bool | str]] | None = None,
    variables: Sequence[str] = ("x",),
    atol: float | None = None,
    rtol: float | None = None,
    hints: Sequence[str] = (),
    explain: str = "",
    mistakes: Sequence[tuple[object, str]] = (),
    points: Sequence[Sequence[float]] = (),
) -> Question:
    """A check-yourself question; give exactly one of `number`, `expression` or `choices`.

    `choices` is a list of `(text, True)` for a right option and `(text, "hint")` for a
    wrong one, shown when that option is chosen. `mistakes` pairs a likely wrong answer
    with what to say about it. `hints` are shown one at a time; `explain` after a right answer.
    Numbers are right within `atol + rtol·|answer|` (default: `rtol=1e-9`, `atol=1e-12`).

    >>> ask("Pick", choices=[("a", True), ("b", "b is wrong because…")]).check([1]).message
    '✗ b is wrong because…'
    >>> ask("Both?", number=1, expression="x")
    Traceback (most recent call last):
    ...
    TypeError: ask: give exactly one of number=, expression= or choices=, got number, expression
    """
    given = {k: v for k, v in (("number", number), ("expression", expression), ("choices", choices)) if v is not None}
    if len(given) != 1:
        raise TypeError(f"ask: give exactly one of number=, expression= or choices=, got {', '.join(given) or 'none'}")
    ((kind, answer),) = given.items()
    if kind == "choice" or kind == "choices":
        kind = "choice"
        options = tuple((str(text), verdict) for text, verdict in answer)
        if not any(verdict is True for _, verdict in options):
            raise ValueError("ask: at least one choice must be (text, True)")
        bad = [text for text, verdict in options if verdict is not True and not (isinstance(verdict, str) and verdict)]
        if bad:
            raise ValueError(f"ask: each wrong choice needs its own hint, (text, 'why not'); missing for {bad}")
        answer = None
    else:
        options = ()
    if kind == "number" and (isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating))):
        raise TypeError(f"ask: number= expects a number like 12 or 0.25, got {answer!r}")
    for name in variables:
        if not re.fullmatch(r"[A-Za-z]+", name) or name in FUNCTIONS or name in CONSTANTS:
            raise ValueError(f"ask: a variable is a plain name like 'x' or 'w', not {name!r}")
    return Question(
        prompt=prompt,
        kind=kind,
        answer=answer,
        hints=tuple(hints),
        explain=explain,
        atol=1e-12 if atol is None else float(atol),
        rtol=1e-9 if rtol is None else float(rtol),
        variables=tuple(variables),
        options=options,
        mistakes=tuple(mistakes),
        points=tuple(tuple(map(float, p)) for p in points),
    )


__all__ = ["ask", "Question", "Verdict", "MESSAGES", "QUESTION_SCHEMA", "normalise", "tokens"]
