"""Chapter 3: ReLU, sigmoid and their slopes, a secant across the kink, slopes along a chain."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.ticker import NullLocator

from nudge.formatting import format_number
from nudge.plots.common import finite_curve, short_tangent, two_panels
from nudge.style import PALETTE


def _inside(a: float, b: float, n: int, open_left: bool, open_right: bool) -> np.ndarray:
    """n points from a to b, with an end moved a hair inward where it sits on a kink."""
    xs = np.linspace(a, b, n)
    if open_left:
        xs[0] = np.nextafter(a, b)
    if open_right:
        xs[-1] = np.nextafter(b, a)
    return xs


def plot_activation(
    axes, f: Callable, df: Callable, x=None, *, name="f", kinks=(), xlim=(-6, 6), ylim=None, dylim=None, colour="blue"
):
    """An activation f (left panel) and its derivative f′ (right panel), f′ broken at each kink.

    At a kink the right panel shows the one-sided limits of f′ as open circles and the value
    `df` takes there (a convention) as a filled dot. With `x`, the left panel adds the tangent
    at x and the right one the point (x, f′(x)): the slope on the left is the height on the
    right. Call it again on the same axes to draw a second function beside the first.

    >>> from matplotlib.figure import Figure
    >>> left, right = Figure().subplots(1, 2)
    >>> plot_activation((left, right), lambda x: max(x, 0.0), lambda x: float(x > 0), 1.0, name="ReLU", kinks=(0,))
    >>> left.get_title(), right.get_title()
    ('ReLU(1.0) = 1', 'ReLU′(1.0) = 1')
    """
    ax_f, ax_df = two_panels(axes, "plot_activation")
    lo, hi = xlim
    colour = PALETTE[colour]
    xs = np.linspace(lo, hi, 401)
    ax_f.plot(xs, finite_curve(f, xs), color=colour, lw=2, label=name)

    cuts = sorted(k for k in kinks if lo < k < hi)
    edges = [lo, *cuts, hi]
    for i, (a, b) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
        piece = _inside(a, b, 200, open_left=i > 0, open_right=i < len(cuts))
        ax_df.plot(piece, finite_curve(df, piece), color=colour, lw=2, label=f"{name}′" if i == 0 else None)
    for k in cuts:
        limits = [df(np.nextafter(k, -np.inf)), df(np.nextafter(k, np.inf))]
        ax_df.plot([k, k], limits, "o", ms=7, mfc="white", mec=colour, mew=1.5)
        ax_df.plot([k], [df(k)], "o", ms=7, color=colour)

    if x is not None:
        fx, slope = f(x), df(x)
        short_tangent(ax_f, x, fx, slope, 0.15 * (hi - lo), color=PALETTE["vermillion"], lw=2.5)
        ax_f.plot([x], [fx], "o", color=PALETTE["vermillion"], ms=6)
        ax_df.plot([x], [slope], "o", color=PALETTE["vermillion"], ms=7)
        for ax in axes:
            ax.axvline(x, color=PALETTE["black"], lw=0.8, ls=":")  # the same x in both panels
        ax_f.set_title(f"{name}({x:.1f}) = {fx:.4g}")
        ax_df.set_title(f"{name}′({x:.1f}) = {slope:.4g}")
    # the same labels for every function the panels hold (the legend names them)
    for ax, limits, label in ((ax_f, ylim, "f(x)"), (ax_df, dylim, "f′(x)")):
        ax.set_xlim(lo, hi)
        if limits is not None:
            ax.set_ylim(*limits)
        ax.set_xlabel("x")
        ax.set_ylabel(label)
        ax.legend(loc="upper left")


def plot_secant_at_kink(ax, f: Callable, x: float, eps: float, *, name="ReLU", xlim=(-1.5, 1.5), ylim=(-0.6, 1.6)):
    """f with the secant through x and x + eps; eps may be negative, to look left of x.

    The legend reads out the secant's slope, its difference quotient; the title gives x and eps,
    with an arrow for the way the secant looks (right for eps > 0). Across a kink, a secant
    looking right and one looking left keep different slopes however small eps gets.

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> plot_secant_at_kink(ax, lambda x: np.maximum(x, 0), 0.0, -0.1)
    >>> ax.get_title(), ax.get_legend().get_texts()[1].get_text()
    ('x = 0.00, ε = -0.10 (←)', '(ReLU(x + ε) − ReLU(x)) / ε = 0.000')
    """
    if eps == 0:
        raise ValueError("plot_secant_at_kink needs a nonzero step eps (a secant joins two different points), got 0")
    lo, hi = xlim
    xs = np.linspace(lo, hi, 401)
    ax.plot(xs, finite_curve(f, xs), color=PALETTE["blue"], lw=2, label=name)
    fx, fx_eps = float(f(x)), float(f(x + eps))
    slope = (fx_eps - fx) / eps
    line_x = np.array([lo, hi])
    quotient = f"({name}(x + ε) − {name}(x)) / ε = {format_number(slope, '.3f', minus='-')}"
    ax.plot(line_x, fx + slope * (line_x - x), color=PALETTE["orange"], lw=1.5, label=quotient)
    ax.plot([x, x + eps], [fx, fx_eps], "o", color=PALETTE["vermillion"], ms=6)
    ax.axvline(0, color=PALETTE["black"], lw=0.8, ls=":")
    side = "→" if eps > 0 else "←"
    ax.set_title(f"x = {x:.2f}, ε = {eps:+.2f} ({side})")
    ax.set_xlim(lo, hi)
    ax.set_ylim(*ylim)
    ax.set_xlabel("x")
    ax.set_ylabel(f"{name}(x)")
    ax.legend(loc="upper left")


def plot_chain_slopes(
    ax, f: Callable, df: Callable, x: float, n: int, *, name="σ", bound=0.25, n_max=20, ylim=(1e-18, 3)
):
    """The product of the local slopes f′ along a chain of n layers x → f(x) → f(f(x)) → …

    One point per depth k = 1 … n, on a log scale, with the ceiling `bound`**k (the largest
    slope to the power k) dashed for every depth up to `n_max`. The y axis is the derivative of the
    k-fold composition, the product of its k slopes (∏ f′ in the legend and the title).

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> plot_chain_slopes(ax, np.tanh, lambda x: 1 - np.tanh(x) ** 2, 0.5, 3, name="tanh", bound=1)
    >>> ax.get_title()
    'n = 3, x = 0.5: ∏ tanh′ = 5.3e-01'
    """
    from matplotlib.ticker import FixedLocator, MaxNLocator

    from nudge.activations import chain_slopes

    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= n_max:
        raise ValueError(f"plot_chain_slopes draws 1 to n_max = {n_max} layers, got n = {n!r}")
    products = np.cumprod(chain_slopes(f, df, x, n))
    depths = np.arange(1, n_max + 1)
    ax.semilogy(depths, float(bound) ** depths, "--", color=PALETTE["black"], lw=1, label=f"{bound:g}ⁿ")
    shown = np.where(products > 0, products, np.nan)  # a log axis has no place for 0
    ax.semilogy(depths[:n], shown, "o-", color=PALETTE["blue"], lw=1.5, ms=5, label=f"∏ {name}′")
    ax.set_xlim(0.5, n_max + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # layers come in whole numbers
    ax.set_ylim(*ylim)
    # a label every 4 decades and no minor ticks: readable, and half the drawing time
    ax.yaxis.set_major_locator(FixedLocator([10.0**k for k in range(-20, 4, 4)]))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("n")
    ax.set_ylabel(f"({name}∘⋯∘{name})′(x)")  # the derivative of the n-fold composition
    ax.set_title(f"n = {n}, x = {x:g}: ∏ {name}′ = {products[-1]:.1e}")
    ax.legend(loc="lower left")
