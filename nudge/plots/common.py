"""Pieces two or more chapters' plots share: the curve, the two-panel check, the short tangent, log axes."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from nudge.style import PALETTE


def curve(ax, f: Callable, lo: float, hi: float, **style):
    xs = np.linspace(lo, hi, 300)
    ax.plot(xs, [f(x) for x in xs], color=PALETTE["blue"], lw=2, **style)


def two_panels(axes, who: str):
    """The two axes of a two-panel plot, or a ValueError that says how to ask explore for them."""
    if len(axes) != 2:
        raise ValueError(f"{who} needs two axes (explore(..., nrows=2)), got {len(axes)}")
    return axes


def short_tangent(ax, x: float, fx: float, slope: float, half: float, **style) -> None:
    """The tangent at (x, fx), `half` wide on each side: it touches the curve, it doesn't cross the panel."""
    line_x = np.array([x - half, x + half])
    ax.plot(line_x, fx + slope * (line_x - x), **style)


def finite_curve(f: Callable, xs: np.ndarray) -> np.ndarray:
    """f at each x, with nan where f is undefined (1/x at 0), so matplotlib leaves a gap."""
    ys = []
    for x in xs:
        try:
            y = float(f(x))
        except (ZeroDivisionError, OverflowError, ValueError):
            y = np.nan
        ys.append(y if np.isfinite(y) else np.nan)
    return np.array(ys)


#: digits as superscripts, for tick labels like 10⁻⁸ drawn as plain text (mathtext costs a parse per frame)
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


#: digits as subscripts, for an index drawn as plain text: the point after 8 steps (x₈, y₈), the layer h₃₀
_SUBSCRIPTS = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")


def subscript(number: int) -> str:
    """A whole number as subscript digits, to hang on a symbol in plain text.

    >>> "h" + subscript(30), "x" + subscript(8)
    ('h₃₀', 'x₈')
    """
    return str(int(number)).translate(_SUBSCRIPTS)


def power_of_ten(value: float, _position=None) -> str:
    """A tick label for a power of ten, as plain text.

    >>> power_of_ten(1e-8), power_of_ten(1.0), power_of_ten(1e4)
    ('10⁻⁸', '10⁰', '10⁴')
    """
    return "10" + str(round(np.log10(value))).translate(_SUPERSCRIPTS)


def powers_of_ten_axis(ax, low: int, high: int, step: int) -> None:
    """A log-scale y axis from 10**low to 10**high, a plain-text tick every `step` powers, no minor ticks."""
    ax.set_yscale("log")
    ax.set_ylim(10.0**low, 10.0**high)
    ax.yaxis.set_major_locator(FixedLocator([10.0**k for k in range(low, high + 1, step)]))
    ax.yaxis.set_major_formatter(FuncFormatter(power_of_ten))
    ax.yaxis.set_minor_locator(NullLocator())
