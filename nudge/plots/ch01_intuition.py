"""Chapter 1: secants, the error of a difference quotient against its step, the way downhill."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nudge.numeric import (
    EPS_MACH,
    predicted_best_step,
    step_errors,
)
from nudge.plots.common import curve
from nudge.style import PALETTE


def plot_secant(ax, f: Callable, x: float, eps: float, df: Callable | None = None, xlim=(-3, 3), ylim=None):
    """The curve f, the secant from x to x + eps, and (with `df`) the tangent at x.

    The legend gives the secant's slope, the difference quotient, which approaches f'(x) as eps shrinks.

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> plot_secant(ax, lambda x: x**3, 1.0, 1.0, df=lambda x: 3 * x**2)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['f', '(f(x + ε) − f(x)) / ε = 7', 'f′(x) = 3']
    """
    lo, hi = xlim
    curve(ax, f, lo, hi, label="f")
    fx, fx_eps = f(x), f(x + eps)
    slope = (fx_eps - fx) / eps
    line_x = np.array([lo, hi])
    ax.plot(
        line_x, fx + slope * (line_x - x), color=PALETTE["orange"], lw=1.5, label=f"(f(x + ε) − f(x)) / ε = {slope:.4g}"
    )
    if df is not None:
        ax.plot(line_x, fx + df(x) * (line_x - x), "--", color=PALETTE["black"], lw=1, label=f"f′(x) = {df(x):.4g}")
    ax.plot([x, x + eps], [fx, fx_eps], "o", color=PALETTE["vermillion"], ms=5)
    ax.set_xlim(lo, hi)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.set_title(f"x = {x:.2f}, ε = {eps:.0e}")
    ax.legend(loc="upper left")


#: each difference quotient as its curve's legend names it: pictures carry formulas, not words
QUOTIENTS = {
    "forward": "(f(x + h) − f(x)) / h",
    "central": "(f(x + h) − f(x − h)) / 2h",
    "backward": "(f(x) − f(x − h)) / h",
}


def plot_step_errors(ax, f: Callable, df_dx: float, x: float, hs=None, methods=("forward", "central"), mark=None):
    """Error of each difference quotient against the step h, on log-log axes.

    The predicted best steps (sqrt and cube root of machine epsilon) are marked;
    `mark` adds a vertical line at one chosen h (an explorer slides it). The legend names each
    method by its quotient, and the y axis is its distance from the exact slope.
    """
    hs = np.logspace(-16, 0, 161) if hs is None else np.asarray(hs, dtype=float)
    colours = {"forward": PALETTE["orange"], "central": PALETTE["blue"], "backward": PALETTE["green"]}
    for method in methods:
        errors = step_errors(f, df_dx, x, hs, method)
        errors = np.where(errors == 0, EPS_MACH * abs(df_dx) or EPS_MACH, errors)  # log axes can't show 0
        ax.loglog(hs, errors, color=colours[method], lw=1.5, label=QUOTIENTS[method])
        best = predicted_best_step(method)
        ax.axvline(best, color=colours[method], ls=":", lw=1)
    if mark is not None:
        ax.axvline(mark, color=PALETTE["black"], lw=1, label=f"h = {mark:.0e}")
    ax.set_xlabel("h")
    ax.set_ylabel("|(…) − f′(x)|")  # (…): the quotient the legend names
    ax.legend(loc="lower left")


def plot_downhill(ax, loss: Callable, dloss: Callable, w: float, wlim=(-1, 5), ylim=None, legend: bool = True):
    """A loss curve, the slope at w, and an arrow pointing the way the loss goes down.

    `ylim` fixes the loss axis (an explorer keeps it still); `legend=False` leaves the legend out.
    The title gives the slope and, as an arrow, the way down (none where the slope is 0).

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> plot_downhill(ax, lambda w: (w - 2) ** 2, lambda w: 2 * (w - 2), 3.0)
    >>> ax.get_title()
    'w = 3.00: L′(w) = +2.00, ←'
    """
    lo, hi = wlim
    curve(ax, loss, lo, hi, label="L(w)")
    slope = dloss(w)
    line_w = np.array([w - 0.8, w + 0.8])
    ax.plot(line_w, loss(w) + slope * (line_w - w), color=PALETTE["orange"], lw=2, label=f"L′(w) = {slope:.3g}")
    ax.plot([w], [loss(w)], "o", color=PALETTE["vermillion"], ms=6)
    step = -np.sign(slope) * 0.7
    if step:
        ax.annotate(
            "",
            xy=(w + step, loss(w)),
            xytext=(w, loss(w)),
            arrowprops={"arrowstyle": "->", "color": PALETTE["green"], "lw": 2},
        )
    way = ", ←" if slope > 0 else ", →" if slope < 0 else ""  # the way down, as the green arrow points
    ax.set_title(f"w = {w:.2f}: L′(w) = {slope:+.2f}{way}")
    ax.set_xlabel("w")
    ax.set_ylabel("L")
    ax.set_xlim(lo, hi)
    if ylim is not None:
        ax.set_ylim(*ylim)
    if legend:
        ax.legend(loc="upper center")
