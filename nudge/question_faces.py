"""The two faces of a check-yourself question (`nudge.questions`): HTML for the site, ipywidgets for Jupyter.

The rules and the words live in `nudge.questions`; this module only lays them out.
"""

from __future__ import annotations

import html
import json
import re

from nudge.questions import Question, _inline


def _spoken(text: str) -> str:
    """An option's words with its TeX made plain: `$\\eta = 1.5$` → `eta = 1.5`."""
    return re.sub(r"\\([A-Za-z]+)", r"\1", text).replace("$", "").replace("{", "").replace("}", "")


def _reveal_blocks(q: Question) -> list[str]:
    hints = "".join(f"<li hidden>{_inline(hint)}</li>" for hint in q.hints)
    parts = [f'<ol class="nudge-q-hints" aria-label="Hints">{hints}</ol>'] if q.hints else []
    parts.append(f'<div class="nudge-q-answer" hidden><strong>Answer:</strong> {_inline(q.answer_text())}</div>')
    if q.explain:
        parts.append(f'<div class="nudge-q-explain" hidden><strong>Why:</strong> {_inline(q.explain)}</div>')
    return parts


def question_html(q: Question) -> str:
    """A form that reads without JavaScript; the page's script enables it and checks answers."""
    qid = q.id
    config = html.escape(json.dumps(q.config(), ensure_ascii=False))
    parts = [
        f'<div class="nudge-question mathjax_process" id="{qid}" data-nudge-question="{config}">',
        f'<p class="nudge-q-prompt" id="{qid}-prompt">'
        f'<span class="nudge-q-tag">Check yourself.</span> {_inline(q.prompt)}</p>',
        '<form class="nudge-q-form" novalidate>',
    ]
    if q.kind == "choice":
        kind = "checkbox" if q.multiple else "radio"
        parts.append(
            f'<fieldset aria-describedby="{qid}-prompt">'
            f"<legend>Choose {'all that apply' if q.multiple else 'one'}</legend>"
        )
        for index, (text, _) in enumerate(q.options):
            # an option that is all math has no text a screen reader can name it by once typeset
            named = f' aria-label="{html.escape(_spoken(text))}"' if "$" in text else ""
            parts.append(
                f'<div class="nudge-q-option"><input type="{kind}" name="{qid}-choice" id="{qid}-o{index}"'
                f' value="{index}"{named} disabled><label for="{qid}-o{index}">{_inline(text)}</label></div>'
            )
        parts.append("</fieldset>")
    else:
        what = "a number" if q.kind == "number" else f"a formula in {', '.join(q.variables)}"
        parts.append(
            f'<label for="{qid}-input">Your answer ({what})</label>'
            f'<input type="text" id="{qid}-input" class="nudge-q-input" autocomplete="off" autocapitalize="off"'
            f' spellcheck="false" aria-describedby="{qid}-prompt {qid}-feedback" disabled>'
        )
    parts.append(
        '<div class="nudge-q-buttons">'
        '<button type="submit" class="nudge-q-check" disabled>Check</button>'
        + ('<button type="button" class="nudge-q-hint" disabled>Hint</button>' if q.hints else "")
        + '<button type="button" class="nudge-q-show" disabled>Show answer</button>'
        '<button type="button" class="nudge-q-clear" disabled>Clear my answers on this page</button>'
        "</div></form>"
    )
    parts.append(f'<p class="nudge-q-feedback" id="{qid}-feedback" role="status" aria-live="polite"></p>')
    parts.extend(_reveal_blocks(q))
    parts.append("</div>")
    return "".join(parts)


class LiveQuestion:
    """The question as ipywidgets: the same words, checked by `Question.check` in the kernel."""

    def __init__(self, q: Question):
        import ipywidgets as widgets

        self.q = q
        self.hints_shown = 0
        prompt = widgets.HTMLMath(f"<b>Check yourself.</b> {html.escape(q.prompt, quote=False)}")
        if q.kind == "choice":
            labels = [text for text, _ in q.options]
            if q.multiple:
                self.boxes = [widgets.Checkbox(description=text, indent=False) for text in labels]
                self.entry = widgets.VBox(self.boxes)
            else:
                options = [(text, i) for i, text in enumerate(labels)]
                self.entry = widgets.RadioButtons(options=options, index=None, layout={"width": "max-content"})
        else:
            what = "a number" if q.kind == "number" else f"a formula in {', '.join(q.variables)}"
            self.entry = widgets.Text(placeholder=f"your answer ({what})", continuous_update=False)
            # Enter (or leaving the field) sends the text: check it as the Check button would
            self.entry.observe(lambda _: self.on_check(), names="value")
        self.check_button = widgets.Button(description="Check")
        self.hint_button = widgets.Button(description="Hint", disabled=not q.hints)
        self.show_button = widgets.Button(description="Show answer")
        self.feedback = widgets.Label("")  # plain text: it may quote what the reader typed
        self.revealed = widgets.HTMLMath("")
        self.check_button.on_click(lambda _: self.on_check())
        self.hint_button.on_click(lambda _: self.on_hint())
        self.show_button.on_click(lambda _: self.on_show())
        buttons = widgets.HBox([self.check_button, self.hint_button, self.show_button])
        self.box = widgets.VBox([prompt, self.entry, buttons, self.feedback, self.revealed])
        self.shown: list[str] = []

    def answer(self):
        if self.q.kind != "choice":
            return self.entry.value
        if self.q.multiple:
            return [i for i, box in enumerate(self.boxes) if box.value]
        return [] if self.entry.value is None else [self.entry.value]

    def on_check(self):
        verdict = self.q.check(self.answer())
        self.feedback.value = verdict.message
        if verdict.right and self.q.explain:
            self._reveal(f"<b>Why:</b> {html.escape(self.q.explain, quote=False)}")

    def on_hint(self):
        if self.hints_shown < len(self.q.hints):
            self._reveal(
                f"<b>Hint {self.hints_shown + 1}:</b> {html.escape(self.q.hints[self.hints_shown], quote=False)}"
            )
            self.hints_shown += 1
        self.hint_button.disabled = self.hints_shown >= len(self.q.hints)

    def on_show(self):
        self._reveal(f"<b>Answer:</b> {html.escape(self.q.answer_text(), quote=False)}")
        self.show_button.disabled = True

    def _reveal(self, text: str):
        if text not in self.shown:
            self.shown.append(text)
        self.revealed.value = "<br>".join(self.shown)
