"""The book's front ends: one JavaScript module per interactive element, used in Jupyter and on the site.

Each element's module (`nudge-explorer.js`, `nudge-question.js`) lays the element out and runs it; Python only
hands it data. In Jupyter the module runs as an anywidget (`ExplorerWidget`, `QuestionWidget`); on the website
`nudge-site.js` mounts the same module on every element of a page, from the configuration its
HTML carries. The site's build serves this folder (`_ext/nudge_site.py`).

mathjs, which the question module evaluates formulas with, comes from npm: the Makefile copies
its browser build to `vendor/math.js` here (and the site serves its own copy). A widget asks
for it on its first formula check (`mathjs_source`).
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

WEB = Path(__file__).resolve().parent
#: where `make` puts mathjs for the widgets (not committed: it comes from npm)
MATHJS = WEB / "vendor" / "math.js"
#: the same file in a checkout that ran `npm ci` but not the Makefile's copy
MATHJS_IN_CHECKOUT = WEB.parent.parent / "node_modules" / "mathjs" / "lib" / "browser" / "math.js"


def mathjs_source() -> str | None:
    """mathjs's browser build, or None where neither `make` nor npm put it."""
    for path in (MATHJS, MATHJS_IN_CHECKOUT):
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
        if content == {"want": "mathjs"}:
            source = mathjs_source()
            if source is None:
                self.send(
                    {"mathjs_missing": f"mathjs is not installed here ({MATHJS}): run `make lab`, which copies it"}
                )
            else:
                self.send({"mathjs": source})
