"""Check-yourself questions: one call in a chapter, one front end.

`ask("The slope of $x^3$ at $x = 2$?", number=12, hints=[...], explain="...")` makes a
question. Its only front end is `nudge/web/nudge-question.js`: in Jupyter it runs as an
anywidget, on the website the page mounts it on the question's HTML. That module is the only
checker: this one decides what a verdict depends on and hands it over as one configuration
(`Question.config`, schema `QUESTION_SCHEMA`): the tolerance, the points a formula is compared
at and the answer's values there (from sympy, once, when the question is made), the known
mistakes, the words as HTML, and every message (`MESSAGES`, the one table of the question's words).

Kinds:

- **number**: a number within `atol` + `rtol`·|answer|; the reader may type `-1/4` or `1e-3`;
- **choice**: one or several right options, each wrong option with its own hint;
- **expression**: a formula in `variables`, right when it equals the answer at a handful of
  points, so `3x^2`, `x*3*x` and `3*x**2` all pass.

>>> q = ask("The derivative of $x^3$?", expression="3*x^2")
>>> q.config()["values"] == [3 * x**2 for (x,) in q.points]
True
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

from nudge import i18n
from nudge.tex import inline_html, spoken

#: version of the configuration a question hands its front end; the module refuses any other
QUESTION_SCHEMA = 2

#: functions and constants a reader's formula may use (the names mathjs knows the same way)
FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "sinh", "cosh", "sech", "abs")
CONSTANTS = ("pi", "e")

#: every word a question shows, in either place; `{…}` fields are filled in by the front end
MESSAGES = {
    # the question's layout
    "tag": "Check yourself.",
    "choose_one": "Choose one",
    "choose_all": "Choose all that apply",
    "your_answer": "Your answer ({what})",
    "a_number": "a number",
    "a_formula": "a formula in {variables}",
    "check": "Check",
    "hint": "Hint",
    "hints": "Hints",
    "show": "Show answer",
    "clear": "Clear my answers on this page",
    "answer": "Answer:",
    "why": "Why:",
    "run_to_answer": "Run this cell to answer this question.",
    "checker_failed": "The checker couldn't run: {problem}",
    "how_to_type": "How to type an answer",
    "how_to_type_text": (
        "A number: 0.25, -1/4, 1e-3 or sqrt(2). A formula: 3*x or 3x for a product, x^2 or x² for a power,"
        " / and parentheses as usual, the functions {functions} with parentheses (sin(x), tanh(x)^2),"
        " and the constants pi and e."
    ),
    # verdicts
    "empty": "Type an answer first.",
    "empty_choice": "Choose an option first.",
    "malformed_number": "Expected a number like 0.25, -1/4 or 1e-3; couldn't read “{text}”.",
    "malformed_expression": "Couldn't read “{text}” as a formula in {variables}; write it like {example}.",
    "unknown_name": "“{name}” isn't a name this answer can use: it can use {names} and the functions {functions}, "
    "written with parentheses like tanh(x).",
    "too_long": "That is too long to be read as an answer (more than {limit} characters).",
    "not_finite": "✗ That is not a finite number.",
    "undefined": "✗ Your formula has no finite value at {point}.",
    "right": "✓ Right.",
    "right_expression": "✓ Right: your formula equals the answer everywhere it was checked.",
    "sign": "✗ Right size, wrong sign.",
    "wrong_number": "✗ Not quite. Try again, or ask for a hint.",
    "wrong_expression": "✗ Not the same function: yours and the answer differ at {point}.",
    "missing_choice": "✗ Part of it: another option is right too.",
    "mistake": "✗ {hint}",
}


def _author_formula(formula: str, names: Sequence[str], evaluate: bool = True):
    """The author's formula (`3*x^2`, Python's operators or `^`) as a sympy expression (unsimplified, in the
    author's order, if not `evaluate`)."""
    import sympy as sp
    from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

    local = {name: sp.Symbol(name) for name in names}
    local.update({"pi": sp.pi, "e": sp.E, "log": sp.log, "abs": sp.Abs})
    try:
        return parse_expr(
            str(formula), local_dict=local, transformations=(*standard_transformations, convert_xor), evaluate=evaluate
        )
    except Exception as exc:  # sympy raises SyntaxError, TokenError, TypeError, ... for the same thing
        raise ValueError(f"ask: can't read the formula {formula!r}: {exc}") from None


def _values_at(formula: str, names: Sequence[str], points: Sequence[Sequence[float]]) -> tuple[float, ...]:
    """The formula's values at `points`, as floats; an error where one isn't finite."""
    import sympy as sp

    expr = _author_formula(formula, names)
    values = []
    for point in points:
        try:
            value = float(expr.subs(dict(zip(map(sp.Symbol, names), point, strict=True))).evalf())
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value):
            raise ValueError(
                f"ask: {formula!r} has no finite value at {dict(zip(names, point, strict=True))}; pass points="
            )
        values.append(value)
    return tuple(values)


def _tex(formula: str, names: Sequence[str]) -> str:
    """The author's formula as the page writes its math: `4*x^3 - 6*x` → `4 x^{3} - 6 x`, in the author's order.

    >>> _tex("4*x^3 - 6*x", ("x",))
    '4 x^{3} - 6 x'
    """
    import sympy as sp

    return sp.latex(_author_formula(formula, names, evaluate=False), order="none")


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

    def __post_init__(self):
        if not self.id:
            digest = hashlib.sha256(json.dumps([self.prompt, self.kind, str(self.answer)]).encode()).hexdigest()
            self.id = "nudge-q-" + digest[:10]
        if self.kind == "expression" and not self.points:
            rng = np.random.default_rng(int(self.id[-8:], 16))  # the same points on every run
            self.points = tuple(
                tuple(round(v, 3) for v in rng.uniform(0.3, 2.2, len(self.variables))) for _ in range(5)
            )
        # checked now, so that an author's slip stops the chapter here, not a reader later
        self._values = _values_at(self.answer, self.variables, self.points) if self.kind == "expression" else ()
        self._mistakes = tuple(
            (_values_at(wrong, self.variables, self.points) if self.kind == "expression" else float(wrong), hint)
            for wrong, hint in self.mistakes
        )

    def point_label(self, index: int) -> str:
        return ", ".join(f"{n} = {v:g}" for n, v in zip(self.variables, self.points[index], strict=True))

    @property
    def multiple(self) -> bool:
        return sum(verdict is True for _, verdict in self.options) > 1

    def answer_text(self) -> str:
        if self.kind == "choice":
            return "; ".join(text for text, verdict in self.options if verdict is True)
        if self.kind == "expression":
            return f"${_tex(self.answer, self.variables)}$"
        return f"{self.answer}"

    def typed_answer(self):
        """What a reader types (or the option numbers a reader chooses) to answer rightly."""
        if self.kind == "choice":
            return [i for i, (_, verdict) in enumerate(self.options) if verdict is True]
        return str(self.answer)

    def config(self) -> dict:
        """Everything the front end needs (`QUESTION_SCHEMA`); the words as HTML."""
        config = {
            "schema": QUESTION_SCHEMA,
            "id": self.id,
            "kind": self.kind,
            "prompt": inline_html(self.prompt),
            "hints": [inline_html(hint) for hint in self.hints],
            "answer": inline_html(self.answer_text()),
            "typed": self.typed_answer(),
            "explain": inline_html(self.explain) if self.explain else "",
            "messages": MESSAGES,
        }
        if self.kind == "choice":
            config["multiple"] = self.multiple
            config["options"] = [
                {"html": inline_html(text), "spoken": spoken(text), "right": True}
                if verdict is True
                else {"html": inline_html(text), "spoken": spoken(text), "right": False, "hint": inline_html(verdict)}
                for text, verdict in self.options
            ]
            return config
        config.update(atol=self.atol, rtol=self.rtol, functions=list(FUNCTIONS), constants=list(CONSTANTS))
        config["mistakes"] = [[wrong, inline_html(hint)] for wrong, hint in self._mistakes]
        if self.kind == "number":
            config.update(target=float(self.answer), variables=[], example="3*x^2")
        else:
            config.update(variables=list(self.variables), points=[list(p) for p in self.points])
            config.update(values=list(self._values), labels=[self.point_label(i) for i in range(len(self.points))])
            config["example"] = f"3*{self.variables[0]}^2"
        return config

    def localised_config(self) -> dict:
        """`config()` in the session's language (`nudge.i18n`): what Jupyter's front end gets."""
        return i18n.localise(self.config())

    def static_html(self) -> str:
        """The question's HTML before its front end runs: the prompt and, in a notebook, how to answer.

        It shows no hint or answer: a saved notebook shows it as it is (JupyterLab drops the
        `hidden` attribute of an untrusted output). The configuration rides along in
        `data-nudge-question`, which the website's page mounts the front end from.
        """
        return question_html(self.localised_config())

    def widget(self):
        """The front end in Jupyter: the question's module as an anywidget."""
        from nudge.web import QuestionWidget  # ipywidgets is imported only where a widget is shown

        return QuestionWidget(config=self.localised_config())

    def _repr_mimebundle_(self, include=None, exclude=None):
        from nudge.web import with_widget

        return with_widget(self.widget(), self.static_html(), f"Question {self.id} ({self.kind}): {self.prompt}")


#: the attribute a question's saved face carries its configuration in
CONFIG_ATTRIBUTE = "data-nudge-question"


def question_html(config: dict) -> str:
    """A question's face before its front end runs, from its configuration (`Question.config`, in the
    language its words are in): the prompt and how to answer, and the configuration in `CONFIG_ATTRIBUTE`."""
    words, data = config["messages"], html.escape(json.dumps(config, ensure_ascii=False))
    # the same however the notebook is run; on the website the front end replaces it all
    note = f'<p class="nudge-q-run">{words["run_to_answer"]}</p>'
    return (
        f'<div class="nudge-question" id="{config["id"]}" {CONFIG_ATTRIBUTE}="{data}">'
        f'<p class="nudge-q-prompt"><span class="nudge-q-tag">{words["tag"]}</span> {config["prompt"]}</p>'
        f"{note}</div>"
    )


def saved_face_in(face: str, lang: i18n.Edition) -> str:
    """A question's saved face (`question_html`, executed in English) in `lang`; any other HTML as it is.

    A notebook of a translated edition keeps the English outputs of the same code; its questions are
    shown in its language before they are run, as after.
    """
    found = re.fullmatch(rf'<div class="nudge-question" id="[^"]*" {CONFIG_ATTRIBUTE}="([^"]*)">.*</div>', face, re.S)
    if not found:
        return face
    return question_html(i18n.localise(json.loads(html.unescape(found[1])), lang))


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

    >>> ask("Pick", choices=[("a", True), ("b", "b is wrong because…")]).config()["options"][1]["hint"]
    'b is wrong because…'
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


__all__ = ["ask", "Question", "MESSAGES", "QUESTION_SCHEMA"]
