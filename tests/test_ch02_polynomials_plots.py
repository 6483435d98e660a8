"""Chapter 2's plotting functions, called at the ends of their sliders on real matplotlib figures."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from nudge.explorer import draw
from nudge.numeric import central_difference
from nudge.plots import (
    plot_critical_points,
    plot_cubic_family,
    plot_power_rule,
    plot_rule,
    plot_square_nudge,
    plot_tangent_and_derivative,
)
from nudge.plots.ch02_polynomials import RULES


def cubic(x):
    return x**3 - 3 * x


def cubic_slope(x):
    return 3 * x**2 - 3


def cubic_bend(x):
    return 6 * x


def two_axes():
    return Figure().subplots(1, 2)


@pytest.mark.parametrize("x", [-2.0, 0.0, 2.0])
def test_tangent_and_derivative_share_x_and_trace_the_slope(x):
    left, right = two_axes()
    plot_tangent_and_derivative((left, right), cubic, cubic_slope, x, xlim=(-2.5, 2.5), ylim=(-6, 6), dylim=(-4, 12))
    # left: the curve, the tangent through (x, f(x)) with slope f'(x), the point, the x guide
    curve, tangent, point = left.lines[:3]
    tx, ty = tangent.get_data()
    assert (ty[1] - ty[0]) / (tx[1] - tx[0]) == pytest.approx(cubic_slope(x))
    assert point.get_xydata().tolist() == [[x, cubic(x)]]
    # right: f' faint everywhere, solid only up to x, and the dot at (x, f'(x))
    faint, swept = right.lines[:2]
    assert faint.get_xdata()[[0, -1]].tolist() == [-2.5, 2.5] and swept.get_xdata().max() <= x
    dots = [line for line in right.lines if line.get_marker() == "o"]
    assert [d.get_xydata().tolist() for d in dots] == [[[x, cubic_slope(x)]]]
    # both panels mark the same x and keep the limits they were given
    for ax in (left, right):
        assert any(list(line.get_xdata()) == [x, x] for line in ax.lines)
        assert ax.get_xlim() == (-2.5, 2.5)
    assert left.get_ylim() == (-6, 6) and right.get_ylim() == (-4, 12)
    assert f"{cubic_slope(x):.2f}" in right.get_title()


def test_tangent_and_derivative_asks_for_two_axes():
    with pytest.raises(ValueError, match="two axes"):
        plot_tangent_and_derivative([Figure().subplots()], cubic, cubic_slope, 0.0)


@pytest.mark.parametrize("n", [-2, -1, 0, 1, 5])
@pytest.mark.parametrize("x", [-1.5, 0.0, 1.5])
def test_power_rule_tangent_has_slope_n_x_to_the_n_minus_1(n, x):
    ax = Figure().subplots()
    plot_power_rule(ax, n, x)
    curve = ax.lines[0]
    assert ax.get_ylim() == (-4, 4) and ax.get_xlim() == (-1.5, 1.5)
    if n < 0 and x == 0:
        # no value at 0: no tangent, and the curve has a gap there rather than a vertical jump
        assert len(ax.lines) == 2 and r"\notin" in ax.get_title()
        ys = curve.get_ydata()
        assert np.isnan(ys).any() and np.nanmax(np.abs(ys)) <= 8
        return
    tangent = ax.lines[2]
    tx, ty = tangent.get_data()
    expected = 0.0 if n == 0 else n * x ** (n - 1)
    assert (ty[1] - ty[0]) / (tx[1] - tx[0]) == pytest.approx(expected)
    assert ax.lines[3].get_xydata().tolist() == [[x, 1.0 if n == 0 else x**n]]
    assert f"{expected:.2f}" in ax.get_title()


def test_power_rule_frames_render_at_every_explorer_corner():
    # mathtext in the titles must parse: a bad title fails only when the figure is drawn
    for n, x in [(-2, -1.5), (-1, 0.0), (0, 0.0), (5, 1.5)]:
        png = draw(plot_power_rule, {"n": n, "x": x}, quantize=False)
        assert png[:4] == b"\x89PNG"


def test_power_rule_wants_a_whole_exponent():
    with pytest.raises(ValueError, match="whole-number exponent"):
        plot_power_rule(Figure().subplots(), 2.5, 1.0)


@pytest.mark.parametrize(("x", "eps"), [(0.1, 1.0), (2.0, 0.001), (2.0, 0.5)])
def test_square_nudge_areas_add_up(x, eps):
    ax = Figure().subplots()
    plot_square_nudge(ax, x, eps)
    areas = sorted(p.get_width() * p.get_height() for p in ax.patches)
    assert areas == pytest.approx(sorted([x * x, x * eps, x * eps, eps * eps]))
    assert sum(areas) == pytest.approx((x + eps) ** 2)
    assert sorted(t.get_text() for t in ax.texts) == sorted(["x²", "x·ε", "x·ε", "ε²"])


def test_square_nudge_rejects_a_side_that_is_not_positive():
    with pytest.raises(ValueError, match="must be positive"):
        plot_square_nudge(Figure().subplots(), 0.0, 0.1)


@pytest.mark.parametrize(
    ("f", "df", "d2f", "points", "labels"),
    [
        (cubic, cubic_slope, cubic_bend, [-1.0, 1.0], ["f″ < 0", "f″ > 0"]),
        (lambda x: x**3, lambda x: 3 * x**2, lambda x: 6 * x, [0.0], ["f″ = 0"]),
        (lambda x: x**3 + 3 * x, lambda x: 3 * x**2 + 3, lambda x: 6 * x, [], []),
    ],
)
def test_critical_points_are_named_by_the_second_derivative(f, df, d2f, points, labels):
    left, right = two_axes()
    plot_critical_points((left, right), f, df, d2f, points, xlim=(-2.5, 2.5), ylim=(-6, 6), dylim=(-4, 12))
    assert [t.get_text() for t in left.texts] == labels
    # each flat point sits on f on the left and on the zero line on the right
    left_dots = [line.get_xydata().tolist() for line in left.lines if line.get_marker() == "o"]
    right_dots = [line.get_xydata().tolist() for line in right.lines if line.get_marker() == "o"]
    assert left_dots == [[[p, f(p)]] for p in points]
    assert right_dots == [[[p, 0.0]] for p in points]
    assert ("f′(x) ≠ 0" in left.get_title()) == (not points)


@pytest.mark.parametrize(("a", "flat"), [(3.0, [-1.0, 1.0]), (0.0, [0.0]), (-3.0, [])])
def test_cubic_family_marks_its_flat_points_where_the_slope_is_zero(a, flat):
    left, right = two_axes()
    plot_cubic_family((left, right), a)
    right_dots = [line.get_xydata()[0, 0] for line in right.lines if line.get_marker() == "o"]
    assert right_dots == pytest.approx(flat)
    assert all(abs(3 * x**2 - a) < 1e-12 for x in right_dots)


@pytest.mark.parametrize("rule", list(RULES))
@pytest.mark.parametrize("x", [0.25, 1.75, 3.25])
def test_every_rule_draws_a_derivative_that_matches_a_nudge(rule, x):
    f, df, _, _ = RULES[rule]
    assert df(x) == pytest.approx(central_difference(f, x, 1e-6), abs=1e-6)
    left, right = two_axes()
    plot_rule((left, right), rule, x)
    left.figure.canvas.draw()
    assert rule in left.get_title()
    assert right.get_ylim() == RULES[rule][3]  # still axes from frame to frame


def test_rule_names_the_rules_it_knows():
    with pytest.raises(ValueError, match="expected one of"):
        plot_rule(two_axes(), "tan x", 1.0)
