"""Chapter 5: a nudge through a composition, pipelines and path diagrams of local derivatives."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nudge.activations import sigmoid, sigmoid_slope
from nudge.formatting import format_number
from nudge.plots.ch01_intuition import plot_downhill
from nudge.plots.common import curve, two_panels
from nudge.style import PALETTE, text_size


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
    'u = g(x): Δu/ε = 2.5\\ng′(x) = 2'
    """
    left, right = two_panels(axes, "plot_composition")
    u, u_nudged = g(x), g(x + eps)
    du = u_nudged - u
    y, y_nudged = f(u), f(u_nudged)
    dy = y_nudged - y
    for ax, fn, (lo, hi) in ((left, g, xlim), (right, f, ulim)):
        curve(ax, fn, lo, hi)
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
    left_title = f"u = g(x): Δu/ε = {format_number(du / eps)}"
    right_title = "y = f(u): " + (f"Δy/Δu = {format_number(dy / du)}" if du else "Δu = 0")
    if dg is not None:
        slope = dg(x)
        left.plot(np.array(xlim), u + slope * (np.array(xlim) - x), "--", color=PALETTE["black"], lw=1)
        left_title += f"\ng′(x) = {format_number(slope)}"
    if df is not None:
        slope = df(u)
        right.plot(np.array(ulim), y + slope * (np.array(ulim) - u), "--", color=PALETTE["black"], lw=1)
        right_title += f"\nf′(u) = {format_number(slope)}"
        if dg is not None:
            right_title += f"\nΔy/ε = {format_number(dy / eps)}, f′(u)·g′(x) = {format_number(slope * dg(x))}"
    left.set_title(left_title)
    right.set_title(right_title)
    left.set_xlabel("x")
    left.set_ylabel("u = g(x)")
    right.set_xlabel("u")
    right.set_ylabel("y = f(u)")
    left.legend(loc="upper center", ncols=2)
    right.legend(loc="lower left", ncols=2)


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
    product_name: str = "∏",
    nudges: bool = True,
    vertical: bool = False,
    fontsize: float | None = None,
):
    """A composition as a pipeline of boxes, with each stage's local derivative on its arrow.

    `stages` names the n stages (the first is the input), `values` gives each stage's value and
    `local_derivatives` the n - 1 derivatives of each stage with respect to the one before
    (`derivative_names`, if given, says what each one is, like "2x"). The title multiplies the
    arrows: by the chain rule that is the derivative of the last stage with respect to the first.
    With `nudges`, each box also shows what a nudge ε of the input has become on reaching it (ε, 4 ε, …).

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> plot_pipeline(ax, ["x", "u = x²", "y = 3u"], [2, 4, 12], [4, 3], product_name="dy/dx")
    >>> ax.get_title()
    'dy/dx = 4 × 3 = 12'
    """
    stages, values, local_derivatives = list(stages), list(values), list(local_derivatives)
    fontsize = fontsize or text_size()  # the book's text size: no smaller, to be read on a phone
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
        half = (0.2, 0.36 * step)  # two lines of the book's text
    else:
        centres = [((i + 0.5) * step, 0.5) for i in range(n)]
        half = (0.38 * step, 0.17)
    running = 1.0
    for i, (centre, stage, value) in enumerate(zip(centres, stages, values, strict=True)):
        colour = PALETTE["blue"] if i in (0, n - 1) else PALETTE["black"]
        _diagram_box(ax, centre, f"{stage}\n{format_number(value)}", half, colour, fontsize)
        if i > 0:
            running *= local_derivatives[i - 1]
        if nudges:
            nudge = "ε" if i == 0 else f"{format_number(running)} ε"
            if vertical:
                where, align = (centre[0] - half[0] - 0.03, centre[1]), {"ha": "right", "va": "center"}
            else:
                where, align = (centre[0], centre[1] - half[1] - 0.05), {"ha": "center", "va": "top"}
            ax.text(*where, nudge, color=PALETTE["vermillion"], fontsize=fontsize, **align)
    for i, d in enumerate(local_derivatives):
        start, end = centres[i], centres[i + 1]
        _diagram_arrow(ax, start, end, half, half, PALETTE["black"])
        name = f"{derivative_names[i]} = " if derivative_names is not None else "× "
        label = f"{name}{format_number(d)}"
        if vertical:
            where, align = (start[0] + 0.03, (start[1] + end[1]) / 2), {"ha": "left", "va": "center"}
        else:
            where, align = ((start[0] + end[0]) / 2, start[1] + half[1] + 0.05), {"ha": "center", "va": "bottom"}
        ax.text(*where, label, fontsize=fontsize, **align)
    factors = " × ".join(f"({format_number(d)})" if d < 0 else format_number(d) for d in local_derivatives)
    total = float(np.prod(local_derivatives))
    title = (
        f"{product_name} = {factors} = {format_number(total)}" if n > 2 else f"{product_name} = {format_number(total)}"
    )
    ax.set_title(title, fontsize=fontsize)


def plot_paths(ax, nodes: dict, edges, *, title: str | None = None, box=(0.11, 0.1), fontsize: float | None = None):
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
    fontsize = fontsize or text_size()
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
            fontsize=fontsize,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"},
        )
    if title is not None:
        ax.set_title(title, fontsize=fontsize)


def plot_neuron(axes, w: float, x: float, b: float, y: float, wlim=(-3.5, 3.5)):
    """One neuron ŷ = σ(wx + b) with the squared loss (ŷ − y)²: its pipeline from w (left), the loss against w (right).

    The left panel multiplies the three local derivatives; the right one draws the loss as a
    function of w for this x, b and y, with the tangent at w, whose slope is that product.

    >>> from matplotlib.figure import Figure
    >>> axes = Figure().subplots(1, 2)
    >>> plot_neuron(axes, w=0.0, x=0.0, b=0.0, y=1.0)
    >>> axes[1].get_title()
    'L(w), x = 0: ∂L/∂w = 0'
    """
    left, right = two_panels(axes, "plot_neuron")

    def stages(weight):
        z = weight * x + b
        y_hat = sigmoid(z)
        return z, y_hat, (y_hat - y) ** 2, x * sigmoid_slope(z) * 2 * (y_hat - y)

    z, y_hat, loss, slope = stages(w)
    plot_pipeline(
        left,
        ["w", "z = w·x + b", "ŷ = σ(z)", "L = (ŷ − y)²"],
        [w, z, y_hat, loss],
        [x, sigmoid_slope(z), 2 * (y_hat - y)],
        derivative_names=["x", "σ′(z)", "2(ŷ − y)"],
        product_name="∂L/∂w",
        vertical=True,
    )
    plot_downhill(right, lambda v: stages(v)[2], lambda v: stages(v)[3], w, wlim=wlim, ylim=(-0.05, 1.1), legend=False)
    right.set_title(f"L(w), x = {format_number(x)}: ∂L/∂w = {format_number(slope)}")
