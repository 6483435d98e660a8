"""Inline TeX as plain Unicode text: `\\varepsilon/4` → `ε/4`, `G B^\\top` → `G Bᵀ`.

What a screen reader says for a formula that a page typesets (a question's choices carry it in
their `aria-label`). Greek letters, the common operators and arrows become the symbols the page
shows, super- and subscripts Unicode's small raised and lowered characters where it has them;
a command this module doesn't know is read as its name (`\\tanh` → `tanh`). Also the two forms an
author's text takes in a front end: as HTML with MathJax's inline math (`inline_html`) and as spoken
(`spoken`), which the questions and the editions' catalogs (`nudge.i18n`) both use.
"""

from __future__ import annotations

import html
import re
import unicodedata

#: TeX commands as the symbols a page shows them as, for a screen reader (Greek letters: `_symbol`)
_TEX_SYMBOLS = {
    "times": "×", "cdot": "·", "partial": "∂", "nabla": "∇", "infty": "∞", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "mapsto": "↦", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠",
    "approx": "≈", "sim": "∼", "in": "∈", "sum": "∑", "prod": "∏", "int": "∫", "pm": "±", "ldots": "…",
    "dots": "…", "cdots": "⋯", "top": "ᵀ", "prime": "′", "Vert": "‖", "lVert": "‖", "rVert": "‖", "|": "‖",
    "ell": "ℓ", "circ": "∘", "odot": "⊙", "otimes": "⊗", "{": "{", "}": "}", "%": "%", "$": "$", "\\": "; ",
    ",": " ", ";": " ", ":": " ", " ": " ", "quad": " ", "qquad": " ", "!": "", "left": "", "right": "",
    "big": "", "Big": "", "bigl": "", "bigr": "", "Bigl": "", "Bigr": "", "displaystyle": "",
}  # fmt: skip
#: commands whose one argument is read as it is: `\text{mach}`, `\operatorname{ReLU}`, `\mathbf{x}`
_TEX_WORDS = {"text", "textrm", "textbf", "textit", "mbox", "mathrm", "mathbf", "mathit", "mathsf", "mathtt",
              "boldsymbol", "bm", "operatorname"}  # fmt: skip
#: accents, as the combining mark after the letter: `\hat y` → ŷ
_TEX_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305", "tilde": "\u0303",
                "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308"}  # fmt: skip
_SUPERSCRIPT = dict(zip("0123456789+-=()niT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ", strict=True)) | {"ᵀ": "ᵀ", "′": "′", "*": "*"}
_SUBSCRIPT = dict(zip("0123456789+-=()aeoxhklmnpstijruv", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ", strict=True))
_DOUBLE_STRUCK = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ"}
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+|.)")


def _symbol(name: str) -> str:
    """A TeX command without arguments as text: `varepsilon` → ε, `times` → ×, `tanh` → tanh."""
    if name in _TEX_SYMBOLS:
        return _TEX_SYMBOLS[name]
    letter = {"lambda": "lamda", "Lambda": "Lamda"}.get(name, name).removeprefix("var")
    try:
        return unicodedata.lookup(f"GREEK {'CAPITAL' if letter[:1].isupper() else 'SMALL'} LETTER {letter}")
    except KeyError:
        return name  # a function's name (`tanh`, `log`) or a command read as its name


def _argument(tex: str, at: int) -> tuple[str, int]:
    """The argument of a command that starts at `at` (spaces before it don't count), as text, and where it ends."""
    while at < len(tex) and tex[at] == " ":
        at += 1
    return _item(tex, at) if at < len(tex) else ("", at)


def _grouped(text: str) -> str:
    """`text` in parentheses where it would be misread without them: `a+b` → `(a+b)`."""
    return f"({text})" if re.search(r"[+\-−×·/]", text) else text


def _item(tex: str, at: int) -> tuple[str, int]:
    """The item of inline TeX that starts at `at` (a `{…}` group, a command with its arguments, a super- or
    subscript, one character) as text, and where it ends."""
    if tex[at] == "{":
        depth, end = 1, at + 1
        while end < len(tex) and depth:
            depth += {"{": 1, "}": -1}.get(tex[end], 0)
            end += 1
        return tex_text(tex[at + 1 : end - 1]), end
    if tex[at] in "^_":
        script, end = _argument(tex, at + 1)
        table = _SUPERSCRIPT if tex[at] == "^" else _SUBSCRIPT
        if script and all(c in table for c in script):  # Unicode has each as a small raised or lowered character
            return "".join(table[c] for c in script), end
        return (f"^{_grouped(script)}" if tex[at] == "^" else f" {script}"), end
    command = _TEX_COMMAND.match(tex, at)
    if not command:
        return ("′" if tex[at] == "'" else tex[at]), at + 1
    name, end = command.group(1), command.end()
    if name in ("frac", "dfrac", "tfrac"):
        top, end = _argument(tex, end)
        bottom, end = _argument(tex, end)
        return f"{_grouped(top)}/{_grouped(bottom)}", end
    if name in _TEX_WORDS or name in _TEX_ACCENTS or name in ("mathbb", "sqrt"):
        argument, end = _argument(tex, end)
        if name in _TEX_ACCENTS:
            return argument + _TEX_ACCENTS[name], end
        if name == "mathbb":
            return "".join(_DOUBLE_STRUCK.get(c, c) for c in argument), end
        return (f"√{_grouped(argument)}" if name == "sqrt" else argument), end
    return _symbol(name), end


def tex_text(tex: str) -> str:
    """Inline TeX as the symbols a page shows for it, which a screen reader can say.

    >>> tex_text(r"G B^\\top, \\varepsilon/4, \\frac{\\partial L}{\\partial w_1}, 10^{-7}")
    'G Bᵀ, ε/4, ∂L/∂w₁, 10⁻⁷'
    """
    out, at = [], 0
    while at < len(tex):
        text, at = _item(tex, at)
        out.append(text)
    # one space where the author left several; none after ∂ and ∇, which belong to what follows
    return re.sub(r"(?<=[∂∇]) +| (?= )", "", "".join(out)).strip()


def inline_html(text: str) -> str:
    """Author's text as HTML: escaped, `$…$` as MathJax inline math, `` `…` `` as code."""
    escaped = html.escape(str(text), quote=False)
    escaped = re.sub(r"\$(.+?)\$", r"\\(\1\\)", escaped)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", escaped)


def spoken(text: str) -> str:
    """An option's words as a screen reader should say them: `$\\varepsilon/4$` → `ε/4`, `$G B^\\top$` → `G Bᵀ`.

    Its math is read as the symbols the page shows (`nudge.tex.tex_text`), code without its backticks.

    >>> spoken("$\\\\eta = 1.5$, `x.grad` and $\\\\frac{\\\\partial L}{\\\\partial w_1}$")
    'η = 1.5, x.grad and ∂L/∂w₁'
    """
    spoken = re.sub(r"\$(.+?)\$", lambda math: tex_text(math.group(1)), str(text))
    return re.sub(r"`(.+?)`", r"\1", spoken)


__all__ = ["tex_text", "inline_html", "spoken"]
