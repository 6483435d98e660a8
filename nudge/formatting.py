"""One way to write a number in a figure or a label: a typographic minus, and never a "−0".

A value that is zero, or rounds to zero in the digits shown, is printed without a sign:
`-0.0` (a flat secant looking left) and `-0.0004` shown with two decimals are both "0" to a reader.

>>> format_number(-1.5), format_number(-0.0), format_number(-0.0004, ".2f"), format_number(2.0, "{:.3g}")
('−1.5', '0', '0.00', '2')
"""

from __future__ import annotations

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


__all__ = ["MINUS", "format_number"]
