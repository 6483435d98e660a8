"""One way to write a number in a figure or a label, and one way to print a table of them.

A value that is zero, or rounds to zero in the digits shown, is printed without a sign:
`-0.0` (a flat secant looking left) and `-0.0004` shown with two decimals are both "0" to a reader.
In a figure the minus is the typographic one; in a table a chapter prints (`table`) it is the
hyphen Python itself prints, so that a number can be copied back into code.

>>> format_number(-1.5), format_number(-0.0), format_number(-0.0004, ".2f"), format_number(2.0, "{:.3g}")
('−1.5', '0', '0.00', '2')
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence

import numpy as np
from tabulate import tabulate

#: U+2212, the minus sign typeset mathematics uses (a hyphen is shorter and sits lower)
MINUS = "\N{MINUS SIGN}"


def format_number(value: float, fmt: str = ".3g", *, minus: str = MINUS) -> str:
    """`value` written with the format `fmt`, its minus sign as `minus`, and no sign on a zero.

    `fmt` is a format spec (".3g", ".2f") or a `str.format` template ("{:.3g}"). Pass
    `minus="-"` where a plain hyphen is wanted (text a reader may copy into code).

    >>> format_number(-0.25, ".2f", minus="-"), format_number(-0.004, ".2f", minus="-"), format_number(-12345.0)
    ('-0.25', '0.00', '−1.23e+04')
    """
    template = fmt if "{" in fmt else "{:" + fmt + "}"
    text = template.format(float(value) + 0.0)  # + 0.0 turns -0.0 into 0.0
    if text.startswith("-") and _rounds_to_zero(text):
        text = text[1:]
    return text.replace("-", minus)


def _rounds_to_zero(text: str) -> bool:
    try:
        return float(text.rstrip("%")) == 0
    except ValueError:  # a template with words around the number
        return not any(ch in "123456789" for ch in text)


def table(rows: Iterable[Sequence], headers: Sequence[str], floatfmt: str | Sequence[str] = "g") -> str:
    """`rows` under `headers`, as every table a chapter prints looks: a rule under the headers, each
    column of numbers right-aligned, any other column left-aligned.

    Floats are written with `floatfmt`, one format spec for all (`".4f"`; `""` is Python's shortest
    repr) or one per column, through `format_number` with Python's hyphen minus; whole numbers and
    fractions as they are (`12`, sympy's `-1/4`), and anything else (text, `True`, a sympy
    expression) as `str` writes it. A header of two lines (`"tanh′\\nnumpy"`) stands over its
    column; a short row leaves its last cells empty.

    >>> print(table([(0.1, 1, -0.0004), ("exact", 12, 3.0)], ["h", "n", "slope"], floatfmt=["g", "", ".2f"]))
    h        n    slope
    -----  ---  -------
    0.1      1     0.00
    exact   12     3.00
    """
    rows = [list(row) for row in rows]
    formats = [floatfmt] * len(headers) if isinstance(floatfmt, str) else list(floatfmt)
    if len(formats) != len(headers) or any(len(row) > len(headers) for row in rows):
        raise ValueError(f"table: expected at most {len(headers)} cells a row, one per header, and as many formats")
    cells = [[_cell(value, fmt) for value, fmt in zip(row, formats, strict=False)] for row in rows]
    numeric = [all(_is_number(row[i]) for row in rows if i < len(row)) for i in range(len(headers))]
    text = tabulate(
        cells,
        list(headers),
        tablefmt="simple",
        colalign=["right" if number else "left" for number in numeric],
        disable_numparse=True,  # the cells are written already: tabulate only lays them out
    )
    return "\n".join(line.rstrip() for line in text.splitlines())


def _is_number(value) -> bool:
    # sympy's numbers and numpy's scalars register as numbers.Real too
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _cell(value, fmt: str) -> str:
    if not _is_number(value) or isinstance(value, numbers.Rational):  # a whole number or an exact fraction
        return str(value)
    return format_number(value, fmt, minus="-")


__all__ = ["MINUS", "format_number", "table"]
