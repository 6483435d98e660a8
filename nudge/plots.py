"""Plain plotting functions: `plot_xxx(ax, ...)` draws on the axes it is given.

Explorers wire sliders to these; tests call them at any slider value, extremes included.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.ticker import FuncFormatter, NullLocator

from nudge.numeric import (
    EPS_MACH,
    METHODS,
    central_difference,
    descent_path,
    numerical_gradient,
    predicted_best_step,
    step_errors,
)
from nudge.style import PALETTE


def _curve(ax, f: Callable, lo: float, hi: float, **style):
    xs = np.linspace(lo, hi, 300)
    ax.plot(xs, [f(x) for x in xs], color=PALETTE["blue"], lw=2, **style)


def plot_secant(ax, f: Callable, x: float, eps: float, df: Callable | None = None, xlim=(-3, 3), ylim=None):
    """The curve f, the secant from x to x + eps, and (with `df`) the tangent at x.

    The legend gives the secant's slope, which approaches f'(x) as eps shrinks.
    """
    lo, hi = xlim
    _curve(ax, f, lo, hi, label="f")
    fx, fx_eps = f(x), f(x + eps)
    slope = (fx_eps - fx) / eps
    line_x = np.array([lo, hi])
    ax.plot(line_x, fx + slope * (line_x - x), color=PALETTE["orange"], lw=1.5, label=f"secant, slope {slope:.4g}")
    if df is not None:
        ax.plot(
            line_x, fx + df(x) * (line_x - x), "--", color=PALETTE["black"], lw=1, label=f"tangent, slope {df(x):.4g}"
        )
    ax.plot([x, x + eps], [fx, fx_eps], "o", color=PALETTE["vermillion"], ms=5)
    ax.set_xlim(lo, hi)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.set_title(f"x = {x:.2f}, ε = {eps:.0e}")
    ax.legend(loc="upper left", fontsize=9)


def plot_step_errors(ax, f: Callable, df_dx: float, x: float, hs=None, methods=("forward", "central"), mark=None):
    """Error of each difference quotient against the step h, on log-log axes.

    The predicted best steps (sqrt and cube root of machine epsilon) are marked;
    `mark` adds a vertical line at one chosen h (an explorer slides it).
    """
    hs = np.logspace(-16, 0, 161) if hs is None else np.asarray(hs, dtype=float)
    colours = {"forward": PALETTE["orange"], "central": PALETTE["blue"], "backward": PALETTE["green"]}
    for method in methods:
        errors = step_errors(f, df_dx, x, hs, method)
        errors = np.where(errors == 0, EPS_MACH * abs(df_dx) or EPS_MACH, errors)  # log axes can't show 0
        ax.loglog(hs, errors, color=colours[method], lw=1.5, label=method)
        best = predicted_best_step(method)
        ax.axvline(best, color=colours[method], ls=":", lw=1)
    if mark is not None:
        ax.axvline(mark, color=PALETTE["black"], lw=1, label=f"h = {mark:.0e}")
    ax.set_xlabel("step h")
    ax.set_ylabel("|estimate − exact|")
    ax.legend(loc="lower left", fontsize=9)


def plot_downhill(ax, loss: Callable, dloss: Callable, w: float, wlim=(-1, 5)):
    """A loss curve, the slope at w, and an arrow pointing the way the loss goes down."""
    lo, hi = wlim
    _curve(ax, loss, lo, hi, label="loss")
    slope = dloss(w)
    line_w = np.array([w - 0.8, w + 0.8])
    ax.plot(line_w, loss(w) + slope * (line_w - w), color=PALETTE["orange"], lw=2, label=f"slope {slope:.3g}")
    ax.plot([w], [loss(w)], "o", color=PALETTE["vermillion"], ms=6)
    step = -np.sign(slope) * 0.7
    if step:
        ax.annotate(
            "",
            xy=(w + step, loss(w)),
            xytext=(w, loss(w)),
            arrowprops={"arrowstyle": "->", "color": PALETTE["green"], "lw": 2},
        )
    way = "left" if slope > 0 else "right" if slope < 0 else "nowhere: flat"
    ax.set_title(f"w = {w:.2f}: slope {slope:+.2f}, downhill is {way}")
    ax.set_xlabel("weight w")
    ax.set_ylabel("loss")
    ax.set_xlim(lo, hi)
    ax.legend(loc="upper center", fontsize=9)


# --- chapter 2: slopes of polynomials -------------------------------------------------


def _two_panels(axes, who: str):
    """The two axes of a two-panel plot, or a ValueError that says how to ask explore for them."""
    if len(axes) != 2:
        raise ValueError(f"{who} needs two axes (explore(..., ncols=2)), got {len(axes)}")
    return axes


def _short_tangent(ax, x: float, fx: float, slope: float, half: float, **style) -> None:
    """The tangent at (x, fx), `half` wide on each side: it touches the curve, it doesn't cross the panel."""
    line_x = np.array([x - half, x + half])
    ax.plot(line_x, fx + slope * (line_x - x), **style)


def _finite_curve(f: Callable, xs: np.ndarray) -> np.ndarray:
    """f at each x, with nan where f is undefined (1/x at 0), so matplotlib leaves a gap."""
    ys = []
    for x in xs:
        try:
            y = float(f(x))
        except (ZeroDivisionError, OverflowError, ValueError):
            y = np.nan
        ys.append(y if np.isfinite(y) else np.nan)
    return np.array(ys)


def plot_tangent_and_derivative(
    axes, f: Callable, df: Callable, x: float, xlim=(-3, 3), ylim=None, dylim=None, traced: bool = True
):
    """Two panels at once: f with its tangent at x (left), and f' with the point (x, f'(x)) (right).

    With `traced`, the part of f' already swept by x is drawn solid and the rest faint, so sliding
    x traces the derivative out of the tangent's slope; without it f' is drawn solid throughout.

    >>> from matplotlib.figure import Figure
    >>> left, right = Figure().subplots(1, 2)
    >>> plot_tangent_and_derivative((left, right), lambda x: x**2, lambda x: 2 * x, 1.0)
    >>> right.get_title()
    'slope f′(1.00) = 2.00'
    """
    ax_f, ax_df = _two_panels(axes, "plot_tangent_and_derivative")
    lo, hi = xlim
    xs = np.linspace(lo, hi, 300)
    fx, slope = f(x), df(x)
    ax_f.plot(xs, _finite_curve(f, xs), color=PALETTE["blue"], lw=2, label="f")
    _short_tangent(ax_f, x, fx, slope, 0.18 * (hi - lo), color=PALETTE["orange"], lw=2.5)
    ax_f.plot([x], [fx], "o", color=PALETTE["vermillion"], ms=6)
    ax_f.set_title(f"f and its tangent at x = {x:.2f}", fontsize=11)
    ax_f.set_ylabel("f(x)")

    dys = _finite_curve(df, xs)
    swept = xs <= x if traced else np.ones_like(xs, dtype=bool)
    ax_df.plot(xs, dys, color=PALETTE["green"], lw=1, alpha=0.35)
    ax_df.plot(xs[swept], dys[swept], color=PALETTE["green"], lw=2)
    ax_df.axhline(0, color=PALETTE["black"], lw=0.8)
    ax_df.plot([x], [slope], "o", color=PALETTE["orange"], ms=7)
    ax_df.set_title(f"slope f′({x:.2f}) = {slope:.2f}", fontsize=11)
    ax_df.set_ylabel("f′(x)")
    for ax, limits in ((ax_f, ylim), (ax_df, dylim)):
        ax.axvline(x, color=PALETTE["black"], lw=0.8, ls=":")  # the same x in both panels
        ax.set_xlim(lo, hi)
        ax.set_xlabel("x")
        if limits is not None:
            ax.set_ylim(*limits)


def plot_power_rule(ax, n: int, x: float, xlim=(-1.5, 1.5), ylim=(-4, 4)):
    """The curve x**n and its tangent at x, whose slope the power rule gives as n * x**(n - 1).

    For negative n the curve has no value at 0; the title says so instead of drawing a tangent.

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
        ax.set_title(rf"$x = 0$: $x^{{{n}}}$ has no value there, so no slope")
    else:
        fx = 1.0 if n == 0 else float(x) ** n
        slope = 0.0 if n == 0 else n * float(x) ** (n - 1)
        tangent = {"color": PALETTE["orange"], "lw": 2.5, "label": f"tangent, slope {slope:.2f}"}
        _short_tangent(ax, x, fx, slope, 0.2 * (hi - lo), **tangent)
        ax.plot([x], [fx], "o", color=PALETTE["vermillion"], ms=6)
        ax.set_title(rf"$x = {x:.2f}$: slope $n x^{{n-1}} = {n} \cdot ({x:.2f})^{{{n - 1}}} = {slope:.2f}$")
    ax.set_xlim(lo, hi)
    ax.set_ylim(*ylim)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.legend(loc="lower right", fontsize=9)


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

    f'' > 0: the curve bends up, a minimum; f'' < 0: it bends down, a maximum; f'' = 0: this
    test can't tell (x³ at 0 is flat but neither). `name` titles the left panel.

    >>> from matplotlib.figure import Figure
    >>> left, right = Figure().subplots(1, 2)
    >>> plot_critical_points((left, right), lambda x: x**2, lambda x: 2 * x, lambda x: 2.0, [0.0])
    >>> [t.get_text() for t in left.texts]
    ['minimum']
    """
    ax_f, ax_df = _two_panels(axes, "plot_critical_points")
    lo, hi = xlim
    xs = np.linspace(lo, hi, 300)
    ax_f.plot(xs, _finite_curve(f, xs), color=PALETTE["blue"], lw=2)
    ax_df.plot(xs, _finite_curve(df, xs), color=PALETTE["green"], lw=2)
    ax_df.axhline(0, color=PALETTE["black"], lw=0.8)
    kinds = {
        1: ("minimum", PALETTE["orange"]),
        -1: ("maximum", PALETTE["vermillion"]),
        0: ("f″ = 0", PALETTE["purple"]),
    }
    for point in points:
        bend = float(d2f(point))
        label, colour = kinds[int(np.sign(round(bend, 12)))]
        fx = f(point)
        ax_f.plot([point - 0.15 * (hi - lo), point + 0.15 * (hi - lo)], [fx, fx], "--", color=colour, lw=1.5)
        ax_f.plot([point], [fx], "o", color=colour, ms=7)
        # a maximum is labelled above the curve, anything else below it, so the label stays clear of it
        above = label == "maximum"
        ax_f.annotate(
            label,
            (point, fx),
            xytext=(0, 10 if above else -18),
            textcoords="offset points",
            ha="center",
            fontsize=10,
        )
        ax_df.plot([point], [0], "o", color=colour, ms=7)
    count = {0: "no flat point", 1: "1 flat point"}.get(len(points), f"{len(points)} flat points")
    ax_f.set_title(f"{name}: {count}", fontsize=11)
    ax_df.set_title("f′ = 0 where f is flat", fontsize=11)
    ax_f.set_ylabel("f(x)")
    ax_df.set_ylabel("f′(x)")
    for ax, limits in ((ax_f, ylim), (ax_df, dylim)):
        ax.set_xlim(lo, hi)
        ax.set_xlabel("x")
        if limits is not None:
            ax.set_ylim(*limits)


# --- chapter 7: training runs ---------------------------------------------------------


def plot_loss_curve(ax, losses, upto=None, *, ylim=None, best=None, color=None, label=None):
    """Loss against training step on a log scale, drawn from step 0 up to step `upto`.

    The x axis always spans the whole run, so an explorer that slides `upto` keeps its axes still;
    `best` draws a dashed line at the lowest loss there is, when it is known.
    """
    losses = np.asarray(losses, dtype=float)
    if losses.ndim != 1 or losses.size == 0:
        raise ValueError(f"plot_loss_curve: expected a 1-D list of losses, got shape {losses.shape}")
    last = losses.size - 1 if upto is None else int(upto)
    if not 0 <= last < losses.size:
        raise ValueError(f"plot_loss_curve: expected `upto` between 0 and {losses.size - 1}, got {upto!r}")
    color = PALETTE["blue"] if color is None else color
    steps = np.arange(losses.size)
    ax.semilogy(steps[: last + 1], losses[: last + 1], color=color, lw=2, label=label)
    ax.plot([last], [losses[last]], "o", color=color, ms=5)
    if best is not None:
        ax.axhline(best, color=PALETTE["black"], ls="--", lw=1, label="lowest possible")
    ax.set_xlim(0, max(losses.size - 1, 1))
    if ylim is not None:
        ax.set_ylim(*ylim)
    # plain labels (0.01, 0.1, 1) and no minor ticks: easier to read, and twice as fast to draw
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.set_xlabel("step")
    ax.set_ylabel("loss")


def plot_descent_path(ax, xs, ys, zs, path, *, levels=None, best=None, labels=("a", "b")):
    """Contour lines of a loss over two parameters and the path gradient descent took across them.

    `zs[i, j]` is the loss at `(xs[j], ys[i])` (as `np.meshgrid` makes it); `path` is a list of
    `(x, y)` points, one per step; `best` marks the minimum with a star. Points outside the
    window are cut off, so a diverging path runs off the edge.
    """
    path = np.asarray(path, dtype=float).reshape(-1, 2)
    ax.contour(xs, ys, zs, levels=levels, colors=PALETTE["sky"], linewidths=1)
    if best is not None:
        ax.plot(*best, "*", color=PALETTE["black"], ms=11, label="minimum")
    ax.plot(path[:, 0], path[:, 1], "-o", color=PALETTE["vermillion"], lw=1.2, ms=3)
    ax.plot(*path[-1], "o", color=PALETTE["vermillion"], ms=7, label="now")
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])


def plot_decision_boundary(ax, X, y, xs, ys, prob):
    """Points of two classes over a model's probability of class 1; the black line is where it is 0.5.

    `prob[i, j]` is the model's probability at `(xs[j], ys[i])`. Class 0 is drawn as blue circles
    over a blue region, class 1 as vermillion triangles over an orange one.
    """
    X, y, prob = np.asarray(X, dtype=float), np.asarray(y), np.asarray(prob, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],):
        raise ValueError(
            f"plot_decision_boundary: expected X of shape (n, 2) and y of shape (n,), got {X.shape}, {y.shape}"
        )
    if prob.shape != (len(ys), len(xs)):
        raise ValueError(f"plot_decision_boundary: expected prob of shape {(len(ys), len(xs))}, got {prob.shape}")
    ax.contourf(xs, ys, prob, levels=[0, 0.5, 1], colors=[PALETTE["sky"], PALETTE["orange"]], alpha=0.3)
    if prob.min() < 0.5 < prob.max():  # no boundary to draw when the model says the same everywhere
        ax.contour(xs, ys, prob, levels=[0.5], colors=PALETTE["black"], linewidths=1.5)
    ax.scatter(*X[y == 0].T, s=14, marker="o", color=PALETTE["blue"], label="class 0")
    ax.scatter(*X[y == 1].T, s=16, marker="^", color=PALETTE["vermillion"], label="class 1")
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")


# --- chapter 5: the chain rule ------------------------------------------------------


def _signed(value: float) -> str:
    """A number to three significant digits with a typographic minus (and no "-0")."""
    return f"{value + 0.0:.3g}".replace("-", "−")


def plot_composition(
    axes, f: Callable, g: Callable, x: float, eps: float, df=None, dg=None, xlim=(-2, 2), ulim=(-1, 5), ylim=None
):
    """A nudge passing through y = f(g(x)): the graph of g (left), then the graph of f (right).

    On the left, a nudge `eps` of x (blue) moves u = g(x) by Δu (orange); on the right that Δu
    is the nudge of f's input and moves y by Δy (vermillion). The titles compare the measured
    ratios with the derivatives `dg(x)` and `df(u)` when they are given. The left panel's
    vertical axis and the right panel's horizontal axis both span `ulim`, so Δu has the same
    length in both.

    >>> from matplotlib.figure import Figure
    >>> axes = Figure().subplots(1, 2)
    >>> plot_composition(axes, np.sin, np.square, 1.0, 0.5, df=np.cos, dg=lambda x: 2 * x)
    >>> axes[0].get_title()
    'stage 1, u = g(x): Δu/ε = 2.5\\nslope g′(x) = 2'
    """
    left, right = _two_panels(axes, "plot_composition")
    u, u_nudged = g(x), g(x + eps)
    du = u_nudged - u
    y, y_nudged = f(u), f(u_nudged)
    dy = y_nudged - y
    for ax, fn, (lo, hi) in ((left, g, xlim), (right, f, ulim)):
        _curve(ax, fn, lo, hi)
        ax.set_xlim(lo, hi)
    # the nudge on each panel: a run along the input and the rise it causes
    left.plot([x, x + eps], [u, u], color=PALETTE["sky"], lw=3, label="ε")
    left.plot([x + eps, x + eps], [u, u_nudged], color=PALETTE["orange"], lw=3, label="Δu")
    right.plot([u, u_nudged], [y, y], color=PALETTE["orange"], lw=3, label="Δu")
    right.plot([u_nudged, u_nudged], [y, y_nudged], color=PALETTE["vermillion"], lw=3, label="Δy")
    left.plot([x], [u], "o", color=PALETTE["black"], ms=5)
    right.plot([u], [y], "o", color=PALETTE["black"], ms=5)
    left.set_ylim(*ulim)
    if ylim is not None:
        right.set_ylim(*ylim)
    left_title = f"stage 1, u = g(x): Δu/ε = {_signed(du / eps)}"
    right_title = "stage 2, y = f(u): " + (f"Δy/Δu = {_signed(dy / du)}" if du else "no nudge reaches u")
    if dg is not None:
        slope = dg(x)
        left.plot(np.array(xlim), u + slope * (np.array(xlim) - x), "--", color=PALETTE["black"], lw=1)
        left_title += f"\nslope g′(x) = {_signed(slope)}"
    if df is not None:
        slope = df(u)
        right.plot(np.array(ulim), y + slope * (np.array(ulim) - u), "--", color=PALETTE["black"], lw=1)
        right_title += f"\nslope f′(u) = {_signed(slope)}"
        if dg is not None:
            right_title += f"\nΔy/ε = {_signed(dy / eps)}, f′(u)·g′(x) = {_signed(slope * dg(x))}"
    left.set_title(left_title, fontsize=10)
    right.set_title(right_title, fontsize=10)
    left.set_xlabel("x")
    left.set_ylabel("u = g(x)")
    right.set_xlabel("u")
    right.set_ylabel("y = f(u)")
    left.legend(loc="upper center", fontsize=9, ncols=2)
    right.legend(loc="lower left", fontsize=9, ncols=2)


def _diagram_box(ax, centre, text: str, half: tuple, colour: str, fontsize: float):
    from matplotlib.patches import FancyBboxPatch

    (cx, cy), (hw, hh) = centre, half
    box = FancyBboxPatch(
        (cx - hw, cy - hh), 2 * hw, 2 * hh, boxstyle="round,pad=0,rounding_size=0.015", fc="white", ec=colour, lw=1.5
    )
    ax.add_patch(box)
    ax.text(cx, cy, text, ha="center", va="center", fontsize=fontsize)


def _box_border_point(centre, towards, half) -> tuple:
    """Where the ray from a box's centre towards a point leaves the box."""
    (cx, cy), (tx, ty), (hw, hh) = centre, towards, half
    dx, dy = tx - cx, ty - cy
    scale = min(hw / abs(dx) if dx else np.inf, hh / abs(dy) if dy else np.inf)
    return cx + scale * dx, cy + scale * dy


def _diagram_arrow(ax, start, end, half_start, half_end, colour: str):
    tail, head = _box_border_point(start, end, half_start), _box_border_point(end, start, half_end)
    ax.annotate(
        "",
        xy=head,
        xytext=tail,
        arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.5, "shrinkA": 0, "shrinkB": 0},
    )


def _diagram_axes(ax):
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()


def plot_pipeline(
    ax,
    stages,
    values,
    local_derivatives,
    *,
    derivative_names=None,
    product_name: str = "product",
    nudges: bool = True,
    vertical: bool = False,
    fontsize: float = 11,
):
    """A composition as a pipeline of boxes, with each stage's local derivative on its arrow.

    `stages` names the n stages (the first is the input), `values` gives each stage's value and
    `local_derivatives` the n - 1 derivatives of each stage with respect to the one before
    (`derivative_names`, if given, says what each one is, like "2x"). The title multiplies the
    arrows: by the chain rule that is the derivative of the last stage with respect to the first.
    With `nudges`, each box also shows what a nudge ε of the input has become on reaching it.

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> plot_pipeline(ax, ["x", "u = x²", "y = 3u"], [2, 4, 12], [4, 3], product_name="dy/dx")
    >>> ax.get_title()
    'dy/dx = 4 × 3 = 12'
    """
    stages, values, local_derivatives = list(stages), list(values), list(local_derivatives)
    n = len(stages)
    if n < 2:
        raise ValueError(f"plot_pipeline: a pipeline needs at least 2 stages, got {n}: {stages!r}")
    if len(values) != n:
        raise ValueError(f"plot_pipeline: expected one value per stage ({n}), got {len(values)}: {values!r}")
    if len(local_derivatives) != n - 1:
        raise ValueError(
            f"plot_pipeline: expected {n - 1} local derivatives (one per arrow between {n} stages), "
            f"got {len(local_derivatives)}: {local_derivatives!r}"
        )
    if derivative_names is not None and len(derivative_names) != n - 1:
        raise ValueError(
            f"plot_pipeline: expected {n - 1} derivative names (one per arrow), got {len(derivative_names)}"
        )
    _diagram_axes(ax)
    step = 1 / n
    if vertical:
        centres = [(0.5, 1 - (i + 0.5) * step) for i in range(n)]
        half = (0.2, 0.28 * step)
    else:
        centres = [((i + 0.5) * step, 0.5) for i in range(n)]
        half = (0.38 * step, 0.17)
    running = 1.0
    for i, (centre, stage, value) in enumerate(zip(centres, stages, values, strict=True)):
        colour = PALETTE["blue"] if i in (0, n - 1) else PALETTE["black"]
        _diagram_box(ax, centre, f"{stage}\n{_signed(value)}", half, colour, fontsize)
        if i > 0:
            running *= local_derivatives[i - 1]
        if nudges:
            nudge = "nudge ε" if i == 0 else f"{_signed(running)} ε"
            if vertical:
                where, align = (centre[0] - half[0] - 0.03, centre[1]), {"ha": "right", "va": "center"}
            else:
                where, align = (centre[0], centre[1] - half[1] - 0.05), {"ha": "center", "va": "top"}
            ax.text(*where, nudge, color=PALETTE["vermillion"], fontsize=fontsize, **align)
    for i, d in enumerate(local_derivatives):
        start, end = centres[i], centres[i + 1]
        _diagram_arrow(ax, start, end, half, half, PALETTE["black"])
        name = f"{derivative_names[i]} = " if derivative_names is not None else "× "
        label = f"{name}{_signed(d)}"
        if vertical:
            where, align = (start[0] + 0.03, (start[1] + end[1]) / 2), {"ha": "left", "va": "center"}
        else:
            where, align = ((start[0] + end[0]) / 2, start[1] + half[1] + 0.05), {"ha": "center", "va": "bottom"}
        ax.text(*where, label, fontsize=fontsize - 1, **align)
    factors = " × ".join(f"({_signed(d)})" if d < 0 else _signed(d) for d in local_derivatives)
    total = float(np.prod(local_derivatives))
    title = f"{product_name} = {factors} = {_signed(total)}" if n > 2 else f"{product_name} = {_signed(total)}"
    ax.set_title(title, fontsize=fontsize)


def plot_paths(ax, nodes: dict, edges, *, title: str | None = None, box=(0.11, 0.1), fontsize: float = 11):
    """A small computation graph: boxes joined by arrows, each arrow labelled on its middle.

    `nodes` maps a name to `(x, y, text)`, with x and y in the unit square; `edges` lists
    `(start, end, label)` arrows between named nodes; `box` is the half width and half height
    of every box. Draws the paths along which a nudge can travel from one node to another.

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> plot_paths(ax, {"x": (0.2, 0.5, "x"), "y": (0.8, 0.5, "y")}, [("x", "y", "dy/dx")])
    >>> [t.get_text() for t in ax.texts if t.get_text()]  # the arrow is an annotation without text
    ['x', 'y', 'dy/dx']
    """
    for start, end, _ in edges:
        unknown = [name for name in (start, end) if name not in nodes]
        if unknown:
            raise ValueError(f"plot_paths: an edge names nodes that don't exist: {unknown}; nodes: {list(nodes)}")
    _diagram_axes(ax)
    for x, y, text in nodes.values():
        _diagram_box(ax, (x, y), text, box, PALETTE["blue"], fontsize)
    for start, end, label in edges:
        a, b = nodes[start][:2], nodes[end][:2]
        _diagram_arrow(ax, a, b, box, box, PALETTE["black"])
        ax.text(
            (a[0] + b[0]) / 2,
            (a[1] + b[1]) / 2,
            label,
            ha="center",
            va="center",
            fontsize=fontsize - 1,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"},
        )
    if title is not None:
        ax.set_title(title, fontsize=fontsize)


# --- chapter 3: ReLU, sigmoid and their slopes ----------------------------------------


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
    >>> right.get_title()
    'ReLU′(1.0) = 1'
    """
    ax_f, ax_df = _two_panels(axes, "plot_activation")
    lo, hi = xlim
    colour = PALETTE[colour]
    xs = np.linspace(lo, hi, 401)
    ax_f.plot(xs, _finite_curve(f, xs), color=colour, lw=2, label=name)

    cuts = sorted(k for k in kinks if lo < k < hi)
    edges = [lo, *cuts, hi]
    for i, (a, b) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
        piece = _inside(a, b, 200, open_left=i > 0, open_right=i < len(cuts))
        ax_df.plot(piece, _finite_curve(df, piece), color=colour, lw=2, label=f"{name}′" if i == 0 else None)
    for k in cuts:
        limits = [df(np.nextafter(k, -np.inf)), df(np.nextafter(k, np.inf))]
        ax_df.plot([k, k], limits, "o", ms=7, mfc="white", mec=colour, mew=1.5)
        ax_df.plot([k], [df(k)], "o", ms=7, color=colour)

    if x is not None:
        fx, slope = f(x), df(x)
        _short_tangent(ax_f, x, fx, slope, 0.15 * (hi - lo), color=PALETTE["vermillion"], lw=2.5)
        ax_f.plot([x], [fx], "o", color=PALETTE["vermillion"], ms=6)
        ax_df.plot([x], [slope], "o", color=PALETTE["vermillion"], ms=7)
        for ax in axes:
            ax.axvline(x, color=PALETTE["black"], lw=0.8, ls=":")  # the same x in both panels
        ax_f.set_title(f"{name} and its tangent at x = {x:.1f}")
        ax_df.set_title(f"{name}′({x:.1f}) = {slope:.4g}")
    for ax, limits, label in ((ax_f, ylim, "value"), (ax_df, dylim, "slope")):
        ax.set_xlim(lo, hi)
        if limits is not None:
            ax.set_ylim(*limits)
        ax.set_xlabel("x")
        ax.set_ylabel(label)
        ax.legend(loc="upper left", fontsize=9)


def plot_secant_at_kink(ax, f: Callable, x: float, eps: float, *, name="ReLU", xlim=(-1.5, 1.5), ylim=(-0.6, 1.6)):
    """f with the secant through x and x + eps; eps may be negative, to look left of x.

    The title reads out the secant's slope. Across a kink, a secant looking right and one
    looking left keep different slopes however small eps gets.

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> plot_secant_at_kink(ax, lambda x: np.maximum(x, 0), 0.0, -0.1)
    >>> ax.get_title()
    'x = 0.00, ε = -0.10 (looking left): secant slope 0.000'
    """
    if eps == 0:
        raise ValueError("plot_secant_at_kink needs a nonzero step eps (a secant joins two different points), got 0")
    lo, hi = xlim
    xs = np.linspace(lo, hi, 401)
    ax.plot(xs, _finite_curve(f, xs), color=PALETTE["blue"], lw=2, label=name)
    fx, fx_eps = float(f(x)), float(f(x + eps))
    slope = (fx_eps - fx) / eps + 0.0  # + 0.0 turns -0.0 (a flat secant looking left) into 0.0
    line_x = np.array([lo, hi])
    ax.plot(line_x, fx + slope * (line_x - x), color=PALETTE["orange"], lw=1.5, label="secant")
    ax.plot([x, x + eps], [fx, fx_eps], "o", color=PALETTE["vermillion"], ms=6)
    ax.axvline(0, color=PALETTE["black"], lw=0.8, ls=":")
    side = "right" if eps > 0 else "left"
    ax.set_title(f"x = {x:.2f}, ε = {eps:+.2f} (looking {side}): secant slope {slope:.3f}")
    ax.set_xlim(lo, hi)
    ax.set_ylim(*ylim)
    ax.set_xlabel("x")
    ax.set_ylabel(f"{name}(x)")
    ax.legend(loc="upper left", fontsize=9)


def plot_chain_slopes(
    ax, f: Callable, df: Callable, x: float, n: int, *, name="σ", bound=0.25, n_max=20, ylim=(1e-18, 3)
):
    """The product of the local slopes f′ along a chain of n layers x → f(x) → f(f(x)) → …

    One point per depth k = 1 … n, on a log scale, with the ceiling `bound`**k (the largest
    slope to the power k) dashed for every depth up to `n_max`.

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> plot_chain_slopes(ax, np.tanh, lambda x: 1 - np.tanh(x) ** 2, 0.5, 3, name="tanh", bound=1)
    >>> ax.get_title()
    '3 layers from x = 0.5: the slope of the output is 5.3e-01'
    """
    from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator

    from nudge.activations import chain_slopes

    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= n_max:
        raise ValueError(f"plot_chain_slopes draws 1 to n_max = {n_max} layers, got n = {n!r}")
    products = np.cumprod(chain_slopes(f, df, x, n))
    depths = np.arange(1, n_max + 1)
    ax.semilogy(depths, float(bound) ** depths, "--", color=PALETTE["black"], lw=1, label=f"ceiling {bound:g}ⁿ")
    shown = np.where(products > 0, products, np.nan)  # a log axis has no place for 0
    ax.semilogy(depths[:n], shown, "o-", color=PALETTE["blue"], lw=1.5, ms=5, label=f"product of {name}′ slopes")
    ax.set_xlim(0.5, n_max + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # layers come in whole numbers
    ax.set_ylim(*ylim)
    # a label every 4 decades and no minor ticks: readable, and half the drawing time
    ax.yaxis.set_major_locator(FixedLocator([10.0**k for k in range(-20, 4, 4)]))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("layers n")
    ax.set_ylabel("slope of the output")
    layers = "1 layer" if n == 1 else f"{n} layers"
    ax.set_title(f"{layers} from x = {x:g}: the slope of the output is {products[-1]:.1e}")
    ax.legend(loc="lower left", fontsize=9)


# --- chapter 4: partial derivatives and the gradient ----------------------------------


def _fixed(value: float, digits: int = 2) -> str:
    """`value` with `digits` decimals, never as "-0.00" (a rounding speck is not a sign)."""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _grid_values(f: Callable, xlim, ylim, num: int = 121):
    """f(x, y) on a num x num grid over the box, for contour plots (f must accept numpy arrays)."""
    xs, ys = np.linspace(*xlim, num), np.linspace(*ylim, num)
    grid_x, grid_y = np.meshgrid(xs, ys)
    return grid_x, grid_y, f(grid_x, grid_y) + 0 * grid_x  # `+ 0 * grid_x`: a constant f still fills the grid


def _gradient_at(f: Callable, x: float, y: float) -> np.ndarray:
    """∇f at (x, y) for f(x, y) of two numbers, by central differences."""
    return numerical_gradient(lambda p: f(p[0], p[1]), np.array([x, y], dtype=float), 1e-5)


def _contours(ax, f: Callable, xlim, ylim, levels, **style):
    """Contour lines of f(x, y) on equal axes over the box; returns the grid, for more contours."""
    grid = _grid_values(f, xlim, ylim)
    ax.contour(*grid, levels=levels, colors=PALETTE["sky"], linewidths=1, **style)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    return grid


def plot_partial_slice(
    axes, f: Callable, x: float, y: float, along: str = "x", xlim=(-2, 2), ylim=(-2, 2), zlim=None, levels=8
):
    """A partial derivative as the slope of a slice: the map of f(x, y) (left) and one slice of it (right).

    With `along="x"` the slice holds y fixed and lets x move, so its tangent's slope at the
    point is ∂f/∂x; with `along="y"` it holds x fixed and the slope is ∂f/∂y. The slope is
    measured by a central difference on the slice.

    >>> from matplotlib.figure import Figure
    >>> left, right = Figure().subplots(1, 2)
    >>> plot_partial_slice((left, right), lambda x, y: x**2 + x * y, 1.0, 2.0)
    >>> right.get_title()
    'slope of the slice: ∂f/∂x = 4.00'
    """
    if along not in ("x", "y"):
        raise ValueError(f"plot_partial_slice: along must be 'x' or 'y' (the input that moves), got {along!r}")
    ax_map, ax_slice = _two_panels(axes, "plot_partial_slice")
    _contours(ax_map, f, xlim, ylim, levels)
    if along == "x":
        line_x, line_y = np.array(xlim, dtype=float), np.array([y, y], dtype=float)
        ts, here, held = np.linspace(*xlim, 200), x, f"y = {_fixed(y)} held"
        curve = f(ts, y) + 0 * ts

        def piece(t):
            return f(t, y)
    else:
        line_x, line_y = np.array([x, x], dtype=float), np.array(ylim, dtype=float)
        ts, here, held = np.linspace(*ylim, 200), y, f"x = {_fixed(x)} held"
        curve = f(x, ts) + 0 * ts

        def piece(t):
            return f(x, t)

    ax_map.plot(line_x, line_y, color=PALETTE["orange"], lw=2.5)
    ax_map.plot([x], [y], "o", color=PALETTE["vermillion"], ms=6)
    ax_map.set_title(f"the point ({_fixed(x)}, {_fixed(y)})", fontsize=11)

    slope = central_difference(piece, here, 1e-5)
    value = piece(here)
    ax_slice.plot(ts, curve, color=PALETTE["orange"], lw=2.5)
    half = 0.2 * (ts[-1] - ts[0])  # a short tangent: it touches the slice, it doesn't cross the panel
    tangent_t = np.array([here - half, here + half])
    ax_slice.plot(tangent_t, value + slope * (tangent_t - here), "--", color=PALETTE["black"], lw=1.5)
    ax_slice.plot([here], [value], "o", color=PALETTE["vermillion"], ms=6)
    ax_slice.set_xlim(ts[0], ts[-1])
    if zlim is not None:
        ax_slice.set_ylim(*zlim)
    ax_slice.set_xlabel(f"{along}   ({held})")
    ax_slice.set_ylabel("f")
    ax_slice.set_title(f"slope of the slice: ∂f/∂{along} = {_fixed(slope)}", fontsize=11)


def plot_surface_slice(ax, f: Callable, x: float, y: float, xlim=(-2, 2), ylim=(-2, 2)):
    """The surface z = f(x, y) on 3-D axes, cut by the plane of a fixed y, with the slice's tangent at x.

    The cut is a curve of one variable; the slope of its tangent at x is ∂f/∂x (measured
    by a central difference). `ax` must be 3-D axes (`fig.add_subplot(projection="3d")`).

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot(projection="3d")
    >>> plot_surface_slice(ax, lambda x, y: x**2 + y**2, 1.0, -1.0)
    >>> ax.get_title()
    'cut at y = -1.00: the tangent at x = 1.00 has slope 2.00'
    """
    if getattr(ax, "name", "") != "3d":
        raise ValueError('plot_surface_slice needs 3-D axes: fig.add_subplot(projection="3d")')
    grid_x, grid_y, values = _grid_values(f, xlim, ylim, num=41)
    ax.plot_surface(grid_x, grid_y, values, color=PALETTE["sky"], alpha=0.35, linewidth=0)
    ax.plot_wireframe(grid_x, grid_y, values, rstride=5, cstride=5, color=PALETTE["blue"], linewidth=0.4, alpha=0.5)
    # the vertical plane y = const that cuts the surface
    low, high = float(np.min(values)), float(np.max(values))
    plane_x, plane_z = np.meshgrid(np.array(xlim, dtype=float), np.array([low, high]))
    ax.plot_surface(plane_x, np.full_like(plane_x, y), plane_z, color=PALETTE["orange"], alpha=0.15, linewidth=0)
    xs = np.linspace(*xlim, 200)
    ax.plot(xs, np.full_like(xs, y), f(xs, y) + 0 * xs, color=PALETTE["orange"], lw=3, zorder=10)
    slope = central_difference(lambda t: f(t, y), x, 1e-5)
    half = 0.25 * (xlim[1] - xlim[0])
    tangent_x = np.array([x - half, x + half])
    ax.plot(tangent_x, [y, y], f(x, y) + slope * (tangent_x - x), "--", color=PALETTE["black"], lw=2, zorder=11)
    ax.plot([x], [y], [f(x, y)], "o", color=PALETTE["vermillion"], ms=6, zorder=12)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_zlabel("f(x, y)")
    ax.set_title(f"cut at y = {_fixed(y)}: the tangent at x = {_fixed(x)} has slope {_fixed(slope)}", fontsize=11)


def plot_gradient_field(ax, f: Callable, xlim=(-2, 2), ylim=(-2, 2), levels=12, num: int = 9, scale: float = 0.1):
    """Contours of f(x, y) with ∇f drawn as an arrow at each point of a num x num grid.

    Arrows are `scale` times ∇f long (in the units of the axes), so their lengths compare;
    each crosses its contour at a right angle and points uphill.

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> plot_gradient_field(ax, lambda x, y: x**2 + y**2, num=3)
    >>> ax.collections[-1].U.size  # one arrow per grid point
    9
    """
    _contours(ax, f, xlim, ylim, levels)
    points_x, points_y = np.meshgrid(np.linspace(*xlim, num + 2)[1:-1], np.linspace(*ylim, num + 2)[1:-1])
    grads = np.array([_gradient_at(f, px, py) for px, py in zip(points_x.ravel(), points_y.ravel(), strict=True)])
    # angles="xy": arrows drawn in data units, so on equal axes their right angles with the contours show
    ax.quiver(
        points_x.ravel(),
        points_y.ravel(),
        grads[:, 0],
        grads[:, 1],
        angles="xy",
        scale_units="xy",
        scale=1 / scale,
        color=PALETTE["vermillion"],
        width=0.006,
    )


def plot_gradient(
    axes, f: Callable, x: float, y: float, xlim=(-2, 2), ylim=(-2, 2), levels=8, scale: float = 0.2, slope_lim=None
):
    """The gradient at (x, y) on the contours of f (left), and how fast f climbs in each direction (right).

    Left: the arrow is ∇f, drawn `scale` times its length; the contour through the point is
    dark, and the dashed segment follows it. Right: the slope of f along the unit direction
    at angle θ, measured by a central difference for every θ. It peaks, at |∇f|, in the
    direction of ∇f (steepest ascent) and is 0 along the contour, at a right angle to it.
    Where ∇f = 0 every direction is flat. `slope_lim` fixes the right panel's vertical range,
    so the frames of an explorer line up.

    >>> from matplotlib.figure import Figure
    >>> left, right = Figure().subplots(1, 2)
    >>> plot_gradient((left, right), lambda x, y: x**2 + 3 * y**2, 1.0, 1.0)
    >>> left.get_title()
    '∇f(1.00, 1.00) = (2.00, 6.00)'
    """
    ax_map, ax_dir = _two_panels(axes, "plot_gradient")
    grid_x, grid_y, values = _contours(ax_map, f, xlim, ylim, levels)
    grad = _gradient_at(f, x, y)
    length = float(np.hypot(*grad))
    flat = length < 1e-6
    if not flat:
        if values.min() < f(x, y) < values.max():  # a point outside the box has no contour in it
            ax_map.contour(grid_x, grid_y, values, levels=[f(x, y)], colors=PALETTE["blue"], linewidths=2)
        # the contour's direction at the point is ∇f turned by 90°
        along = np.array([-grad[1], grad[0]]) / length * 0.15 * min(xlim[1] - xlim[0], ylim[1] - ylim[0])
        ax_map.plot([x - along[0], x + along[0]], [y - along[1], y + along[1]], "--", color=PALETTE["black"], lw=1.5)
        ax_map.annotate(
            "",
            xy=(x + scale * grad[0], y + scale * grad[1]),
            xytext=(x, y),
            arrowprops={"arrowstyle": "-|>", "color": PALETTE["vermillion"], "lw": 2.5, "mutation_scale": 11},
        )
    ax_map.plot([x], [y], "o", color=PALETTE["vermillion"], ms=6, zorder=5)
    ax_map.set_title(f"∇f({_fixed(x)}, {_fixed(y)}) = ({_fixed(grad[0])}, {_fixed(grad[1])})", fontsize=11)

    # the slope of f along the unit vector u = (cos θ, sin θ), measured, not computed from ∇f
    degrees = np.arange(-180, 181, 2)
    h = 1e-5
    slopes = []
    for theta in np.radians(degrees):
        u = np.array([np.cos(theta), np.sin(theta)])
        slopes.append((f(x + h * u[0], y + h * u[1]) - f(x - h * u[0], y - h * u[1])) / (2 * h))
    ax_dir.plot(degrees, slopes, color=PALETTE["blue"], lw=2)
    ax_dir.axhline(0, color=PALETTE["black"], lw=0.8)
    if flat:
        ax_dir.set_title("∇f = 0: flat in every direction", fontsize=11)
    else:
        steepest = float(np.degrees(np.arctan2(grad[1], grad[0])))
        ax_dir.axvline(steepest, color=PALETTE["vermillion"], lw=2)
        for side in (steepest - 90, steepest + 90):
            ax_dir.axvline((side + 180) % 360 - 180, color=PALETTE["black"], lw=1.5, ls="--")
        ax_dir.set_title(f"steepest: θ = {_fixed(steepest, 0)}°, slope |∇f| = {length:.2f}", fontsize=11)
    ax_dir.set_xlim(-180, 180)
    if slope_lim is not None:
        ax_dir.set_ylim(*slope_lim)
    ax_dir.set_xticks([-180, -90, 0, 90, 180])
    ax_dir.set_xlabel("direction θ (degrees)")
    ax_dir.set_ylabel("slope of f along θ")


def _descent_axes(axes):
    if hasattr(axes, "plot"):
        return axes, None
    if len(axes) != 2:
        raise ValueError(f"plot_descent needs one axes, or two (explore(..., ncols=2)), got {len(axes)}")
    return axes[0], axes[1]


def plot_descent(
    axes, f: Callable, start, lr: float, steps: int, max_steps: int | None = None, xlim=(-2, 2), ylim=(-2, 2), levels=8
):
    """The path of `steps` gradient-descent steps from `start` with learning rate `lr`, on the contours of f.

    The path is `nudge.numeric.descent_path` (gradients by central differences). Given two
    axes, the right one shows f after each step, on an axis `max_steps` long so frames of an
    explorer line up.

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> plot_descent(ax, lambda x, y: x**2 + y**2, (1.0, 1.0), lr=0.25, steps=2)
    >>> ax.get_title()
    'η = 0.25, 2 steps: (0.25, 0.25)'
    """
    ax_map, ax_loss = _descent_axes(axes)
    _contours(ax_map, f, xlim, ylim, levels)
    # too large a learning rate makes the path blow up: draw what is finite, without warnings
    with np.errstate(over="ignore", invalid="ignore"):
        path = descent_path(lambda p: f(p[0], p[1]), np.asarray(start, dtype=float), lr, steps)
        values = [f(*p) for p in path]
    ax_map.plot(path[:, 0], path[:, 1], "-o", color=PALETTE["orange"], lw=2, ms=4)
    ax_map.plot(path[:1, 0], path[:1, 1], "s", color=PALETTE["black"], ms=6)
    end = path[-1]
    ax_map.plot([end[0]], [end[1]], "o", color=PALETTE["vermillion"], ms=8)
    word = "step" if steps == 1 else "steps"
    ax_map.set_title(f"η = {lr:g}, {steps} {word}: ({_fixed(end[0])}, {_fixed(end[1])})", fontsize=11)
    if ax_loss is None:
        return
    ax_loss.plot(range(len(values)), values, "-o", color=PALETTE["orange"], lw=2, ms=4)
    ax_loss.plot([steps], [values[-1]], "o", color=PALETTE["vermillion"], ms=8)
    ax_loss.set_xlim(-0.5, (max_steps if max_steps is not None else steps) + 0.5)
    if values[0] > 0:  # the start is the same in every frame, so this range is too
        ax_loss.set_ylim(0, 1.1 * values[0])
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("f")
    ax_loss.set_title(f"f after each step: now {values[-1]:.4f}", fontsize=11)


__all__ = [
    "plot_secant",
    "plot_step_errors",
    "plot_downhill",
    "METHODS",
    "plot_loss_curve",
    "plot_descent_path",
    "plot_decision_boundary",
    "plot_tangent_and_derivative",
    "plot_power_rule",
    "plot_square_nudge",
    "plot_critical_points",
    "plot_composition",
    "plot_pipeline",
    "plot_paths",
    "plot_activation",
    "plot_secant_at_kink",
    "plot_chain_slopes",
    "plot_partial_slice",
    "plot_surface_slice",
    "plot_gradient_field",
    "plot_gradient",
    "plot_descent",
]
