"""The book's front ends: one JavaScript module per interactive element, used in Jupyter and on the site.

Each element's module (`nudge-explorer.js`, `nudge-question.js`) lays the element out and runs it; Python only
hands it data. In Jupyter the module runs as an anywidget (`ExplorerWidget`, `QuestionWidget`); on the website
`nudge-site.js` mounts the same module on every element of a page, from the configuration its
HTML carries. The site's build serves this folder (`_ext/nudge_site.py`).

mathjs, which the question module evaluates a reader's formulas with, and MathJax, which typesets the
formulas in a question's words where the page has no MathJax of its own (JupyterLab), come from npm:
the Makefile copies mathjs's browser build and MathJax's single-file `tex-svg.js` to `vendor/` here
(and the site serves its own copies). A widget asks the kernel for one when it first needs it
(`VENDOR`, `vendor_source`); where this installation has none, the widget is told what is missing.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

WEB = Path(__file__).resolve().parent
NPM = WEB.parent.parent / "node_modules"
#: what a widget may ask the kernel for: where `make` copies it (not committed: it comes from npm),
#: and where npm put it in a checkout that ran `npm ci` but not the Makefile's copy
VENDOR = {
    "mathjs": (WEB / "vendor" / "math.js", NPM / "mathjs" / "lib" / "browser" / "math.js"),
    "mathjax": (WEB / "vendor" / "tex-svg.js", NPM / "mathjax" / "es5" / "tex-svg.js"),
}
#: what the widget shows where a file is missing
MISSING = {
    "mathjs": "mathjs is not installed here ({path}): run `make lab`, which copies it",
    "mathjax": "Formulas are shown as TeX: MathJax is not installed here ({path}); in a clone of the book,"
    " `make lab` copies it from npm",
}


def vendor_source(name: str) -> str | None:
    """The text of the vendored file `name` (a key of `VENDOR`), or None where neither `make` nor npm put it."""
    for path in VENDOR[name]:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def with_widget(widget, html: str, text: str) -> dict:
    """A display bundle: `widget` where a kernel runs, `html` where none does (the site, a saved notebook)."""
    shown = widget._repr_mimebundle_() or ({}, {})
    data = shown[0] if isinstance(shown, tuple) else shown  # anywidget gives (data, metadata)
    return {**data, "text/html": html, "text/plain": text}


class ExplorerWidget(anywidget.AnyWidget):
    """An explorer in Jupyter: `nudge-explorer.js` with its manifest; the kernel draws `image` for `index`."""

    _esm = WEB / "nudge-explorer.js"
    _css = WEB / "nudge-explorer.css"
    config = traitlets.Dict().tag(sync=True)
    index = traitlets.List(traitlets.Int()).tag(sync=True)
    image = traitlets.Bytes(b"").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)

    @traitlets.validate("index")
    def _on_the_grid(self, proposal):
        shape = self.config.get("shape", [])
        index = proposal["value"]
        if len(index) != len(shape) or not all(0 <= i < n for i, n in zip(index, shape, strict=True)):
            raise traitlets.TraitError(
                f"index {index} is off the grid of shape {shape}: expected 0 to n - 1 on each axis"
            )
        return index


class QuestionWidget(anywidget.AnyWidget):
    """A check-yourself question in Jupyter: `nudge-question.js` with the question's `config`."""

    _esm = WEB / "nudge-question.js"
    _css = WEB / "nudge-question.css"
    config = traitlets.Dict().tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.on_msg(self._answer)

    def _answer(self, _widget, content, _buffers):
        # {"want": "mathjs"} → {"mathjs": source} or {"mathjs_missing": what to say}; the same for "mathjax"
        name = content.get("want") if isinstance(content, dict) else None
        if name not in VENDOR:
            return
        source = vendor_source(name)
        if source is None:
            self.send({f"{name}_missing": MISSING[name].format(path=VENDOR[name][0])})
        else:
            self.send({name: source})
