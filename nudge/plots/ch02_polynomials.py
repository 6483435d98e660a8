"""Chapter 2: tangents and the derivative's graph, the power rule, the square's nudge, more rules, flat points."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from nudge.formatting import format_number
from nudge.plots.common import finite_curve, short_tangent, two_panels
from nudge.style import PALETTE


def plot_tangent_and_derivative(
    axes, f: Callable, df: Callable, x: float, xlim=(-3, 3), ylim=None, dylim=None, traced: bool = True
):
    """Two panels at once: f with its tangent at x (left), and f' with the point (x, f'(x)) (right).

    With `traced`, the part of f' already swept by x is drawn solid and the rest faint, so sliding
    x traces the derivative out of the tangent's slope; without it f' is drawn solid throughout.

    >>> from matplotlib.figure import Figure
    >>> left, right = Figure().subplots(1, 2)
    >>> plot_tangent_and_derivative((left, right), lambda x: x**2, lambda x: 2 * x, 1.0)
    >>> left.get_title(), right.get_title()
    ('f(1.00) = 1.00', 'f′(1.00) = 2.00')
    """
    ax_f, ax_df = two_panels(axes, "plot_tangent_and_derivative")
    lo, hi = xlim
    xs = np.linspace(lo, hi, 300)
    fx, slope = f(x), df(x)
    ax_f.plot(xs, finite_curve(f, xs), color=PALETTE["blue"], lw=2, label="f")
    short_tangent(ax_f, x, fx, slope, 0.18 * (hi - lo), color=PALETTE["orange"], lw=2.5)
    ax_f.plot([x], [fx], "o", color=PALETTE["vermillion"], ms=6)
    ax_f.set_title(f"f({x:.2f}) = {fx:.2f}")
    ax_f.set_ylabel("f(x)")

    dys = finite_curve(df, xs)
    swept = xs <= x if traced else np.ones_like(xs, dtype=bool)
    ax_df.plot(xs, dys, color=PALETTE["green"], lw=1, alpha=0.35)
    ax_df.plot(xs[swept], dys[swept], color=PALETTE["green"], lw=2)
    ax_df.axhline(0, color=PALETTE["black"], lw=0.8)
    ax_df.plot([x], [slope], "o", color=PALETTE["orange"], ms=7)
    ax_df.set_title(f"f′({x:.2f}) = {slope:.2f}")
    ax_df.set_ylabel("f′(x)")
    for ax, limits in ((ax_f, ylim), (ax_df, dylim)):
        ax.axvline(x, color=PALETTE["black"], lw=0.8, ls=":")  # the same x in both panels
        ax.set_xlim(lo, hi)
        ax.set_xlabel("x")
        if limits is not None:
            ax.set_ylim(*limits)


def plot_power_rule(ax, n: int, x: float, xlim=(-1.5, 1.5), ylim=(-4, 4)):
    """The curve x**n and its tangent at x, whose slope the power rule gives as n * x**(n - 1).

    For negative n the curve has no value at 0; the title says so (0ⁿ = 1/0^|n| is no real number)
    instead of drawing a tangent.

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> plot_power_rule(ax, 3, 2.0, xlim=(-3, 3), ylim=(-10, 10))
    >>> ax.get_title().endswith("= 12.00$")  # 3 * 2**2
    True
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise ValueError(f"plot_power_rule: expected a whole-number exponent n like 3, got {n!r}")
    n = int(n)
    lo, hi = xlim
    xs = np.linspace(lo, hi, 400)
    with np.errstate(divide="ignore", invalid="ignore"):
        ys = xs.astype(float) ** n
    # far outside the frame (next to 0 for negative n) the curve is cut, so no line joins -inf to +inf
    ys[~(np.abs(ys) <= 2 * max(abs(ylim[0]), abs(ylim[1])))] = np.nan
    ax.plot(xs, ys, color=PALETTE["blue"], lw=2, label=f"$f(x) = x^{{{n}}}$")
    ax.axhline(0, color=PALETTE["black"], lw=0.6)
    if n < 0 and x == 0:
        ax.set_title(rf"$x = 0$: $0^{{{n}}} = 1/0^{{{-n}}} \notin \mathbb{{R}}$")
    else:
        fx = 1.0 if n == 0 else float(x) ** n
        slope = 0.0 if n == 0 else n * float(x) ** (n - 1)
        tangent = {"color": PALETTE["orange"], "lw": 2.5, "label": f"$f'(x) = {slope:.2f}$"}
        short_tangent(ax, x, fx, slope, 0.2 * (hi - lo), **tangent)
        ax.plot([x], [fx], "o", color=PALETTE["vermillion"], ms=6)
        ax.set_title(rf"$x = {x:.2f}$: $f'(x) = n x^{{n-1}} = {n} \cdot ({x:.2f})^{{{n - 1}}} = {slope:.2f}$")
    ax.set_xlim(lo, hi)
    ax.set_ylim(*ylim)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.legend(loc="lower right")


def plot_square_nudge(ax, x: float, eps: float):
    """A square of side x grown to side x + eps: the new area is two strips x·eps and a corner eps².

    The picture behind d(x²)/dx = 2x: the strips grow with eps, the corner with eps², which
    vanishes faster.

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> plot_square_nudge(ax, 2.0, 0.5)
    >>> len(ax.patches)
    4
    """
    from matplotlib.patches import Rectangle

    if not (x > 0 and eps > 0):
        raise ValueError(f"plot_square_nudge: side x and nudge eps must be positive, got x={x!r}, eps={eps!r}")
    pieces = [
        ((0, 0), x, x, PALETTE["sky"], "x²"),
        ((x, 0), eps, x, PALETTE["orange"], "x·ε"),
        ((0, x), x, eps, PALETTE["orange"], "x·ε"),
        ((x, x), eps, eps, PALETTE["vermillion"], "ε²"),
    ]
    for corner, width, height, colour, label in pieces:
        ax.add_patch(Rectangle(corner, width, height, facecolor=colour, edgecolor=PALETTE["black"], lw=1))
        ax.text(corner[0] + width / 2, corner[1] + height / 2, label, ha="center", va="center", fontsize=12)
    ax.set_xlim(-0.05 * x, 1.1 * (x + eps))
    ax.set_ylim(-0.05 * x, 1.1 * (x + eps))
    ax.set_aspect("equal")
    ax.set_xticks([0, x, x + eps], ["0", "x", "x + ε"])
    ax.set_yticks([0, x, x + eps], ["0", "x", "x + ε"])
    ax.grid(False)


def plot_critical_points(
    axes, f: Callable, df: Callable, d2f: Callable, points, xlim=(-3, 3), ylim=None, dylim=None, name: str = "f"
):
    """f with the points where f' = 0 named by the sign of f'' (left), and f' crossing zero there (right).

    f'' > 0: the curve bends up, a local minimum; f'' < 0: it bends down, a local maximum
    (lowest or highest among its neighbours, not necessarily anywhere); f'' = 0: this test
    can't tell (x³ at 0 is flat but neither). Each point is labelled with its sign of f'' (a picture
    carries no words: the caption says minimum and maximum). `name` and the flat points title the
    left panel.

    >>> from matplotlib.figure import Figure
    >>> left, right = Figure().subplots(1, 2)
    >>> plot_critical_points((left, right), lambda x: x**2, lambda x: 2 * x, lambda x: 2.0, [0.0])
    >>> [t.get_text() for t in left.texts], left.get_title()
    (['f″ > 0'], 'f: f′(0.00) = 0')
    """
    ax_f, ax_df = two_panels(axes, "plot_critical_points")
    lo, hi = xlim
    xs = np.linspace(lo, hi, 300)
    ax_f.plot(xs, finite_curve(f, xs), color=PALETTE["blue"], lw=2)
    ax_df.plot(xs, finite_curve(df, xs), color=PALETTE["green"], lw=2)
    ax_df.axhline(0, color=PALETTE["black"], lw=0.8)
    kinds = {
        1: ("f″ > 0", PALETTE["orange"]),
        -1: ("f″ < 0", PALETTE["vermillion"]),
        0: ("f″ = 0", PALETTE["purple"]),
    }
    for point in points:
        bend = float(d2f(point))
        label, colour = kinds[int(np.sign(round(bend, 12)))]
        fx = f(point)
        ax_f.plot([point - 0.15 * (hi - lo), point + 0.15 * (hi - lo)], [fx, fx], "--", color=colour, lw=1.5)
        ax_f.plot([point], [fx], "o", color=colour, ms=7)
        # a maximum is labelled above the curve, anything else below it, so the label stays clear of it
        above = bend < 0
        ax_f.annotate(
            label,
            (point, fx),
            xytext=(0, 10 if above else -18),
            textcoords="offset points",
            ha="center",
        )
        ax_df.plot([point], [0], "o", color=colour, ms=7)
    # the flat points, f′(x) = 0, or that there are none
    flat = " = ".join(f"f′({format_number(p, '.2f')})" for p in points) + " = 0" if points else "f′(x) ≠ 0"
    ax_f.set_title(f"{name}: {flat}")
    ax_f.set_ylabel("f(x)")
    ax_df.set_ylabel("f′(x)")
    for ax, limits in ((ax_f, ylim), (ax_df, dylim)):
        ax.set_xlim(lo, hi)
        ax.set_xlabel("x")
        if limits is not None:
            ax.set_ylim(*limits)


def plot_cubic_family(axes, a: float, xlim=(-2.5, 2.5), ylim=(-6, 6), dylim=(-4, 12)):
    """The cubic x³ − a·x with its flat points (left) and its slope 3x² − a (right), for one a.

    The slope is zero at x = ±√(a/3): two flat points for a > 0, one at a = 0, none for a < 0.

    >>> from matplotlib.figure import Figure
    >>> axes = Figure().subplots(1, 2)
    >>> plot_cubic_family(axes, -1.5)
    >>> axes[0].get_title()
    'x³ + 1.5x: f′(x) ≠ 0'
    """
    points = sorted({-np.sqrt(a / 3), np.sqrt(a / 3)}) if a >= 0 else []
    sign = "−" if a >= 0 else "+"
    plot_critical_points(
        axes,
        f=lambda x: x**3 - a * x,
        df=lambda x: 3 * x**2 - a,
        d2f=lambda x: 6 * x,
        points=[float(p) for p in points],
        xlim=xlim,
        ylim=ylim,
        dylim=dylim,
        name=f"x³ {sign} {abs(a):g}x",
    )


def _only_positive(f: Callable) -> Callable:
    """f where x > 0, nan elsewhere: the logarithm and its slope exist only there."""
    return lambda x: f(x) if x > 0 else math.nan


#: chapter 2's functions beyond polynomials: name -> (f, its derivative by the rule, f's y range, f′'s y range)
RULES = {
    "eˣ": (math.exp, math.exp, (-1, 25), (-1, 25)),
    "ln x": (_only_positive(math.log), _only_positive(lambda x: 1 / x), (-3, 2), (-1, 5)),
    "sin x": (math.sin, math.cos, (-1.5, 1.5), (-1.5, 1.5)),
    "cos x": (math.cos, lambda x: -math.sin(x), (-1.5, 1.5), (-1.5, 1.5)),
    "x·sin x": (lambda x: x * math.sin(x), lambda x: math.sin(x) + x * math.cos(x), (-1.5, 2.5), (-3.5, 2.5)),
    "sin x / x": (
        _only_positive(lambda x: math.sin(x) / x),
        _only_positive(lambda x: (x * math.cos(x) - math.sin(x)) / x**2),
        (-0.5, 1.5),
        (-1, 0.5),
    ),
}


def plot_rule(axes, rule: str, x: float, xlim=(0, 3.5)):
    """One of chapter 2's `RULES` with its tangent at x (left) and its derivative by the rule (right).

    >>> from matplotlib.figure import Figure
    >>> axes = Figure().subplots(1, 2)
    >>> plot_rule(axes, "sin x", 0.0)
    >>> axes[1].get_title()
    'f′(0.00) = 1.00'
    """
    if rule not in RULES:
        raise ValueError(f"plot_rule: expected one of {list(RULES)}, got {rule!r}")
    f, df, ylim, dylim = RULES[rule]
    left, _ = two_panels(axes, "plot_rule")
    plot_tangent_and_derivative(axes, f, df, x, xlim=xlim, ylim=ylim, dylim=dylim, traced=False)
    left.set_title(f"f(x) = {rule}")
