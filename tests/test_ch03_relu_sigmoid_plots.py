"""Chapter 3's plotting functions at the extremes of their sliders, on real matplotlib figures."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from nudge.activations import relu, relu_slope, sigmoid, sigmoid_slope
from nudge.plots import plot_activation, plot_chain_slopes, plot_secant_at_kink
from nudge.style import PALETTE


def two_axes():
    fig = Figure(figsize=(8, 3.4))
    return fig, fig.subplots(1, 2)


def markers(ax, colour, filled):
    """Single-point marker lines of one colour, filled or drawn as open circles."""
    found = []
    for line in ax.get_lines():
        if line.get_marker() != "o" or line.get_linestyle() != "None":
            continue
        face = to_hex(line.get_markerfacecolor())
        if to_hex(line.get_markeredgecolor()) != colour and face != colour:
            continue
        if (face == colour) == filled:
            found.extend(zip(line.get_xdata(), line.get_ydata(), strict=True))
    return found


def test_relu_and_sigmoid_figure_breaks_relus_slope_at_the_kink():
    fig, (ax_f, ax_df) = two_axes()
    plot_activation((ax_f, ax_df), relu, relu_slope, name="ReLU", kinks=(0,), xlim=(-4, 4), dylim=(-0.1, 1.15))
    plot_activation((ax_f, ax_df), sigmoid, sigmoid_slope, name="σ", colour="orange", xlim=(-4, 4))
    fig.canvas.draw()
    blue = PALETTE["blue"].lower()
    # ReLU′ is drawn as two pieces that never touch the jump: 0 on the left, 1 on the right
    pieces = [line for line in ax_df.get_lines() if line.get_linestyle() == "-" and to_hex(line.get_color()) == blue]
    assert len(pieces) == 2
    left, right = pieces
    assert set(left.get_ydata()) == {0.0} and max(left.get_xdata()) < 0
    assert set(right.get_ydata()) == {1.0} and min(right.get_xdata()) > 0
    # the one-sided limits as open circles, the convention relu_slope(0) = 0 as a filled dot
    assert sorted(markers(ax_df, blue, filled=False)) == [(0, 0.0), (0, 1.0)]
    assert markers(ax_df, blue, filled=True) == [(0, 0.0)]
    # σ′ peaks at 1/4 in the middle
    sigma_slope = [line for line in ax_df.get_lines() if to_hex(line.get_color()) == PALETTE["orange"].lower()][0]
    assert max(sigma_slope.get_ydata()) == pytest.approx(0.25, abs=1e-4)
    assert [t.get_text() for t in ax_df.get_legend().get_texts()] == ["ReLU′", "σ′"]
    assert ax_df.get_ylim() == (-0.1, 1.15)


@pytest.mark.parametrize("x", [-8.0, 0.0, 8.0])
def test_saturation_explorer_frame_marks_the_slope_at_x(x):
    fig, (ax_f, ax_df) = two_axes()
    plot_activation(
        (ax_f, ax_df), sigmoid, sigmoid_slope, x, name="σ", xlim=(-10, 10), ylim=(-0.1, 1.1), dylim=(-0.02, 0.3)
    )
    fig.canvas.draw()
    point = markers(ax_df, PALETTE["vermillion"].lower(), filled=True)
    assert point == [(x, sigmoid_slope(x))]
    assert ax_df.get_title() == f"σ′({x:.1f}) = {sigmoid_slope(x):.4g}"
    assert ax_f.get_xlim() == (-10, 10) and ax_df.get_ylim() == (-0.02, 0.3)


def test_plot_activation_wants_two_axes():
    fig = Figure()
    with pytest.raises(ValueError, match="needs two axes"):
        plot_activation([fig.subplots()], relu, relu_slope)


@pytest.mark.parametrize(
    ("x", "eps", "slope"),
    [(0.0, -1.0, 0.0), (0.0, 1.0, 1.0), (0.0, -0.1, 0.0), (0.0, 0.1, 1.0), (-1.0, -1.0, 0.0), (1.0, 1.0, 1.0)],
)
def test_secant_at_the_kink_has_the_one_sided_slope(x, eps, slope):
    fig = Figure()
    ax = fig.subplots()
    plot_secant_at_kink(ax, relu, x, eps)
    fig.canvas.draw()
    secant = [line for line in ax.get_lines() if line.get_label().startswith("(ReLU(x + ε)")][0]
    xs, ys = secant.get_xdata(), secant.get_ydata()
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(slope)
    assert secant.get_label().endswith(f"/ ε = {slope:.3f}")
    assert ax.get_title().endswith("(→)" if eps > 0 else "(←)")
    points = [line for line in ax.get_lines() if line.get_marker() == "o"][0]
    assert list(points.get_xdata()) == [x, x + eps]


def test_a_secant_straddling_the_kink_has_a_slope_in_between():
    ax = Figure().subplots()
    plot_secant_at_kink(ax, relu, 0.5, -1.0)
    assert ax.get_title() == "x = 0.50, ε = -1.00 (←)"
    assert ax.get_lines()[1].get_label() == "(ReLU(x + ε) − ReLU(x)) / ε = 0.500"


def test_secant_needs_a_nonzero_step():
    with pytest.raises(ValueError, match="nonzero step"):
        plot_secant_at_kink(Figure().subplots(), relu, 0.0, 0.0)


@pytest.mark.parametrize(("x", "n"), [(-6.0, 1), (-6.0, 20), (6.0, 20), (0.0, 1), (0.0, 20)])
def test_chain_plot_shows_one_product_per_layer_under_the_ceiling(x, n):
    fig = Figure()
    ax = fig.subplots()
    plot_chain_slopes(ax, sigmoid, sigmoid_slope, x, n)
    fig.canvas.draw()
    ceiling, products = ax.get_lines()
    assert list(ceiling.get_xdata()) == list(range(1, 21))
    assert list(products.get_xdata()) == list(range(1, n + 1))
    ys = np.asarray(products.get_ydata())
    assert np.all(np.diff(ys) < 0) and np.all(ys <= 0.25 ** np.arange(1, n + 1))
    assert ax.get_yscale() == "log" and ax.get_ylim()[0] <= ys.min()
    assert ax.get_title() == f"n = {n}, x = {x:g}: ∏ σ′ = {ys[-1]:.1e}"


def test_chain_plot_rejects_more_layers_than_it_has_room_for():
    with pytest.raises(ValueError, match="1 to n_max = 20 layers"):
        plot_chain_slopes(Figure().subplots(), sigmoid, sigmoid_slope, 0.0, 21)
