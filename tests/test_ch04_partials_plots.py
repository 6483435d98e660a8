"""Chapter 4's plotting functions: right numbers in the picture, at every slider value, without warnings."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
import sympy as sp
from matplotlib.figure import Figure

from nudge.numeric import descent_path
from nudge.plots import plot_descent, plot_gradient, plot_gradient_field, plot_partial_slice, plot_surface_slice
from nudge.style import PALETTE

X, Y = sp.symbols("x y", real=True)
BOWL = X**2 + X * Y + 2 * Y**2
# a surface that is not a bowl: a saddle with a wave on it
WAVY = X**2 - Y**2 + sp.sin(2 * X) * Y
SURFACES = {"bowl": BOWL, "wavy": WAVY}


def numeric(expr):
    return sp.lambdify((X, Y), expr, "numpy")


def exact_gradient(expr, x, y):
    return np.array([float(sp.diff(expr, v).subs({X: x, Y: y})) for v in (X, Y)])


@pytest.fixture(autouse=True)
def warnings_are_errors():
    # a warning in a plot function would reach the reader as stderr in the built book
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def two_axes():
    return tuple(Figure(figsize=(6.4, 3.6)).subplots(1, 2))


def number_after(text: str, marker: str) -> float:
    return float(text.split(marker)[1].split()[0].rstrip(",)°"))


SLIDER_GRID = list(itertools.product([-1.6, -0.4, 0.0, 1.2, 1.6], [-1.2, 0.0, 0.4, 1.2]))


@pytest.mark.parametrize("name", SURFACES)
@pytest.mark.parametrize(("x", "y"), SLIDER_GRID)
@pytest.mark.parametrize("along", ["x", "y"])
def test_the_slice_shows_the_partial_derivative_sympy_gives(name, x, y, along):
    expr = SURFACES[name]
    ax_map, ax_slice = two_axes()
    plot_partial_slice((ax_map, ax_slice), numeric(expr), x, y, along=along, zlim=(-6, 14))
    partial = float(sp.diff(expr, X if along == "x" else Y).subs({X: x, Y: y}))
    assert number_after(ax_slice.get_title(), "=") == pytest.approx(partial, abs=0.006)
    # the dashed tangent has that slope and touches the slice at the point
    tangent = next(line for line in ax_slice.lines if line.get_linestyle() == "--")
    (t0, t1), (z0, z1) = tangent.get_xdata(), tangent.get_ydata()
    assert (z1 - z0) / (t1 - t0) == pytest.approx(partial, abs=1e-6)
    here = x if along == "x" else y
    assert z0 + (here - t0) * (z1 - z0) / (t1 - t0) == pytest.approx(float(expr.subs({X: x, Y: y})), abs=1e-9)
    # on the map, the slice is the line where the held input keeps its value
    slice_line = ax_map.lines[0]
    held = slice_line.get_ydata() if along == "x" else slice_line.get_xdata()
    assert set(held) == {y if along == "x" else x}
    assert ax_slice.get_ylim() == (-6, 14)


def test_the_slice_wants_two_axes_and_a_known_input():
    f = numeric(BOWL)
    with pytest.raises(ValueError, match="along must be 'x' or 'y'"):
        plot_partial_slice(two_axes(), f, 0.0, 0.0, along="z")
    with pytest.raises(ValueError, match="needs two axes"):
        plot_partial_slice(Figure().subplots(1, 3), f, 0.0, 0.0)


@pytest.mark.parametrize("name", SURFACES)
@pytest.mark.parametrize(("x", "y"), SLIDER_GRID)
def test_the_gradient_arrow_is_steepest_and_perpendicular_to_the_contour(name, x, y):
    expr = SURFACES[name]
    ax_map, ax_dir = two_axes()
    plot_gradient((ax_map, ax_dir), numeric(expr), x, y, xlim=(-2.5, 2.5), ylim=(-2.5, 2.5), slope_lim=(-9, 9))
    grad = exact_gradient(expr, x, y)
    length = np.hypot(*grad)
    assert ax_dir.get_ylim() == (-9, 9)
    if length < 1e-9:
        assert ax_dir.get_title().startswith("∇f = 0") and not ax_map.texts
        return
    # the arrow is 0.2 ∇f long, from the point
    arrow = ax_map.texts[0]
    np.testing.assert_allclose(np.subtract(arrow.xy, arrow.xyann), 0.2 * grad, atol=1e-6)
    # the dashed segment runs along the contour: at a right angle to ∇f
    dashed = next(line for line in ax_map.lines if line.get_linestyle() == "--")
    direction = np.diff(dashed.get_xdata())[0], np.diff(dashed.get_ydata())[0]
    assert np.dot(direction, grad) == pytest.approx(0, abs=1e-9)
    # the measured slope curve peaks at the gradient's angle, with the height |∇f|
    degrees, slopes = ax_dir.lines[0].get_xdata(), np.asarray(ax_dir.lines[0].get_ydata())
    best = degrees[np.argmax(slopes)]
    angle = np.degrees(np.arctan2(grad[1], grad[0]))
    assert abs((best - angle + 180) % 360 - 180) <= 1.0 + 1e-9  # the curve is sampled every 2°
    assert slopes.max() == pytest.approx(length, rel=1e-3)
    assert number_after(ax_dir.get_title(), "|∇f| =") == pytest.approx(length, abs=0.006)
    # the lines drawn at the contour's directions cross zero slope
    marks = [line.get_xdata()[0] for line in ax_dir.lines if line.get_linestyle() == "--"]
    assert len(marks) == 2
    for mark in marks:
        assert np.interp(mark, degrees, slopes) == pytest.approx(0, abs=0.03 * length)


def test_the_gradient_title_never_shows_minus_zero():
    ax_map, ax_dir = two_axes()
    plot_gradient((ax_map, ax_dir), lambda x, y: x**2 + y**2, -1e-13, 1.0)
    assert "-0.00" not in ax_map.get_title()


def test_the_gradient_field_arrows_are_the_gradient():
    f = numeric(WAVY)
    ax = Figure().subplots()
    plot_gradient_field(ax, f, xlim=(-2, 2), ylim=(-2, 2), num=5, scale=0.1)
    quiver = ax.collections[-1]
    for (px, py), u, v in zip(quiver.get_offsets(), quiver.U, quiver.V, strict=True):
        np.testing.assert_allclose([u, v], exact_gradient(WAVY, px, py), atol=1e-6)
    assert quiver.scale == pytest.approx(10)  # 0.1 ∇f long, in the units of the axes


def test_the_surface_slice_needs_3d_axes_and_draws_the_tangent():
    f = numeric(BOWL)
    with pytest.raises(ValueError, match="3-D axes"):
        plot_surface_slice(Figure().subplots(), f, 1.0, -1.0)
    ax = Figure().add_subplot(projection="3d")
    plot_surface_slice(ax, f, 1.0, -1.0)
    exact = float(sp.diff(BOWL, X).subs({X: 1, Y: -1}))
    assert number_after(ax.get_title(), "∂f/∂x(1.00, -1.00) =") == pytest.approx(exact)


@pytest.mark.parametrize("lr", [0.1, 0.25, 0.4])
@pytest.mark.parametrize("steps", [0, 1, 5, 10])
def test_the_descent_picture_draws_the_path_descent_path_computes(lr, steps):
    f = numeric(BOWL)
    start = (-1.8, 1.5)
    ax_map, ax_loss = two_axes()
    plot_descent((ax_map, ax_loss), f, start, lr, steps, max_steps=10)
    path = descent_path(lambda p: f(p[0], p[1]), start, lr, steps)
    drawn = next(line for line in ax_map.lines if line.get_color() == PALETTE["orange"])
    np.testing.assert_allclose(np.column_stack([drawn.get_xdata(), drawn.get_ydata()]), path)
    losses = ax_loss.lines[0].get_ydata()
    assert len(losses) == steps + 1
    assert np.all(np.diff(losses) < 0), "on this bowl every step with these rates goes down"
    # the axes don't move between frames of an explorer
    assert ax_loss.get_xlim() == (-0.5, 10.5)
    assert ax_loss.get_ylim() == pytest.approx((0, 1.1 * f(*start)))


def test_a_diverging_descent_is_drawn_without_warnings():
    ax = Figure().subplots()
    plot_descent(ax, lambda x, y: x**2 + y**2, (1.0, 1.0), lr=50.0, steps=200)
    assert "η = 50" in ax.get_title()


def test_plot_descent_wants_one_or_two_axes():
    with pytest.raises(ValueError, match="one axes, or two"):
        plot_descent(Figure().subplots(1, 3), lambda x, y: x**2, (1.0, 1.0), 0.1, 2)
