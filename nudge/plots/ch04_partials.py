"""Chapter 4: partial derivatives as slices, the gradient on contour lines, descent on a surface."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nudge.formatting import format_number
from nudge.numeric import (
    central_difference,
    descent_path,
    numerical_gradient,
)
from nudge.plots.common import subscript, two_panels
from nudge.style import PALETTE


def _fixed(value: float, digits: int = 2) -> str:
    """`value` with `digits` decimals and a plain hyphen, never as "-0.00" (a rounding speck is not a sign)."""
    return format_number(value, f".{digits}f", minus="-")


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
    measured by a central difference on the slice, whose axis names the input held: f(x, -1.00).

    >>> from matplotlib.figure import Figure
    >>> left, right = Figure().subplots(1, 2)
    >>> plot_partial_slice((left, right), lambda x, y: x**2 + x * y, 1.0, 2.0)
    >>> left.get_title(), right.get_title(), right.get_ylabel()
    ('(x, y) = (1.00, 2.00)', '∂f/∂x = 4.00', 'f(x, 2.00)')

    """
    if along not in ("x", "y"):
        raise ValueError(f"plot_partial_slice: along must be 'x' or 'y' (the input that moves), got {along!r}")
    ax_map, ax_slice = two_panels(axes, "plot_partial_slice")
    _contours(ax_map, f, xlim, ylim, levels)
    if along == "x":
        line_x, line_y = np.array(xlim, dtype=float), np.array([y, y], dtype=float)
        ts, here, held = np.linspace(*xlim, 200), x, f"f(x, {_fixed(y)})"
        curve = f(ts, y) + 0 * ts

        def piece(t):
            return f(t, y)
    else:
        line_x, line_y = np.array([x, x], dtype=float), np.array(ylim, dtype=float)
        ts, here, held = np.linspace(*ylim, 200), y, f"f({_fixed(x)}, y)"
        curve = f(x, ts) + 0 * ts

        def piece(t):
            return f(x, t)

    ax_map.plot(line_x, line_y, color=PALETTE["orange"], lw=2.5)
    ax_map.plot([x], [y], "o", color=PALETTE["vermillion"], ms=6)
    ax_map.set_title(f"(x, y) = ({_fixed(x)}, {_fixed(y)})")

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
    ax_slice.set_xlabel(along)
    ax_slice.set_ylabel(held)  # the slice: f with the other input held
    ax_slice.set_title(f"∂f/∂{along} = {_fixed(slope)}")


def plot_surface_slice(ax, f: Callable, x: float, y: float, xlim=(-2, 2), ylim=(-2, 2)):
    """The surface z = f(x, y) on 3-D axes, cut by the plane of a fixed y, with the slice's tangent at x.

    The cut is a curve of one variable; the slope of its tangent at x is ∂f/∂x (measured
    by a central difference). `ax` must be 3-D axes (`fig.add_subplot(projection="3d")`).

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot(projection="3d")
    >>> plot_surface_slice(ax, lambda x, y: x**2 + y**2, 1.0, -1.0)
    >>> ax.get_title()
    'y = -1.00: ∂f/∂x(1.00, -1.00) = 2.00'
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
    ax.set_title(f"y = {_fixed(y)}: ∂f/∂x({_fixed(x)}, {_fixed(y)}) = {_fixed(slope)}")


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
    u = (cos θ, sin θ), Δf/ε for a step ε along u, measured by a central difference for every θ.
    It peaks, at |∇f|, in the direction of ∇f (steepest ascent) and is 0 along the contour, at a
    right angle to it.
    Where ∇f = 0 every direction is flat. `slope_lim` fixes the right panel's vertical range,
    so the frames of an explorer line up.

    >>> from matplotlib.figure import Figure
    >>> left, right = Figure().subplots(1, 2)
    >>> plot_gradient((left, right), lambda x, y: x**2 + 3 * y**2, 1.0, 1.0)
    >>> left.get_title()
    '∇f(1.00, 1.00) = (2.00, 6.00)'
    """
    ax_map, ax_dir = two_panels(axes, "plot_gradient")
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
    ax_map.set_title(f"∇f({_fixed(x)}, {_fixed(y)}) = ({_fixed(grad[0])}, {_fixed(grad[1])})")

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
        ax_dir.set_title("∇f = 0: Δf/ε = 0")
    else:
        steepest = float(np.degrees(np.arctan2(grad[1], grad[0])))
        ax_dir.axvline(steepest, color=PALETTE["vermillion"], lw=2)
        for side in (steepest - 90, steepest + 90):
            ax_dir.axvline((side + 180) % 360 - 180, color=PALETTE["black"], lw=1.5, ls="--")
        ax_dir.set_title(f"max Δf/ε = |∇f| = {length:.2f}, θ = {_fixed(steepest, 0)}°")
    ax_dir.set_xlim(-180, 180)
    if slope_lim is not None:
        ax_dir.set_ylim(*slope_lim)
    ax_dir.set_xticks([-180, -90, 0, 90, 180])
    ax_dir.set_xlabel("θ (°)")
    ax_dir.set_ylabel("Δf/ε")


def _descent_axes(axes):
    if hasattr(axes, "plot"):
        return axes, None
    if len(axes) != 2:
        raise ValueError(f"plot_descent needs one axes, or two (explore(..., nrows=2)), got {len(axes)}")
    return axes[0], axes[1]


def plot_descent(
    axes, f: Callable, start, lr: float, steps: int, max_steps: int | None = None, xlim=(-2, 2), ylim=(-2, 2), levels=8
):
    """The path of `steps` gradient-descent steps from `start` with learning rate `lr`, on the contours of f.

    The path is `nudge.numeric.descent_path` (gradients by central differences). Given two
    axes, the right one shows f after each step, on an axis `max_steps` long so frames of an
    explorer line up. The titles name the point after `steps` steps (x₈, y₈) and f there.

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> plot_descent(ax, lambda x, y: x**2 + y**2, (1.0, 1.0), lr=0.25, steps=2)
    >>> ax.get_title()
    'η = 0.25: (x₂, y₂) = (0.25, 0.25)'
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
    point = f"(x{subscript(steps)}, y{subscript(steps)})"  # the point after `steps` steps
    ax_map.set_title(f"η = {lr:g}: {point} = ({_fixed(end[0])}, {_fixed(end[1])})")
    if ax_loss is None:
        return
    ax_loss.plot(range(len(values)), values, "-o", color=PALETTE["orange"], lw=2, ms=4)
    ax_loss.plot([steps], [values[-1]], "o", color=PALETTE["vermillion"], ms=8)
    ax_loss.set_xlim(-0.5, (max_steps if max_steps is not None else steps) + 0.5)
    if values[0] > 0:  # the start is the same in every frame, so this range is too
        ax_loss.set_ylim(0, 1.1 * values[0])
    ax_loss.set_xlabel("k")
    ax_loss.set_ylabel("f(xₖ, yₖ)")
    ax_loss.set_title(f"f{point} = {values[-1]:.4f}")
