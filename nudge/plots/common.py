"""Pieces two or more chapters' plots share: the curve, the two-panel check, the short tangent."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nudge.style import PALETTE


def curve(ax, f: Callable, lo: float, hi: float, **style):
    xs = np.linspace(lo, hi, 300)
    ax.plot(xs, [f(x) for x in xs], color=PALETTE["blue"], lw=2, **style)


def two_panels(axes, who: str):
    """The two axes of a two-panel plot, or a ValueError that says how to ask explore for them."""
    if len(axes) != 2:
        raise ValueError(f"{who} needs two axes (explore(..., ncols=2)), got {len(axes)}")
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
