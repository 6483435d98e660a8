"""Chapter 9's plots at every slider value the chapter offers, and the numbers behind them."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nudge.numeric import numerical_gradient
from nudge.plots.ch09_backprop import (
    gradient_norms_through_depth,
    output_slopes,
    plot_digits,
    plot_gradient_norms,
    plot_output_saturation,
)
from nudge.plots.common import subscript


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_small_gains_vanish_large_ones_explode_and_the_right_scale_keeps_the_size():
    def ratio(gain, activation):
        norms = gradient_norms_through_depth(30, gain, activation)
        return norms[0] / norms[-1]

    assert ratio(0.5, "tanh") < 1e-6 and ratio(2.0, "tanh") > 10
    assert 0.1 < ratio(1.0, "tanh") < 10 and 0.1 < ratio(2**0.5, "relu") < 10
    assert ratio(1.0, "relu") < 1e-3


def test_the_output_slopes_are_what_nudging_the_two_losses_gives():
    # the slopes at the output against nudging the two losses
    for z in (-6.0, 0.3, 5.0):
        ce, se = output_slopes(np.array([z]), 1.0)
        ce_numeric = numerical_gradient(lambda t: float(np.logaddexp(0, t) - t), z)
        se_numeric = numerical_gradient(lambda t: float((1 / (1 + np.exp(-t)) - 1) ** 2 / 2), z)
        assert ce[0] == pytest.approx(float(ce_numeric), abs=1e-8)
        assert se[0] == pytest.approx(float(se_numeric), abs=1e-8)


@pytest.mark.parametrize("depth", [5, 30])
@pytest.mark.parametrize("gain", [0.5, 2.0])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_gradient_norms_draw_at_every_corner_of_the_sliders(ax, depth, gain, activation):
    norms = plot_gradient_norms(ax, depth, gain, activation)
    assert len(norms) == depth and np.all(np.isfinite(norms))
    assert ax.get_xlim() == (0, 31) and ax.get_ylim() == pytest.approx((1e-15, 1e6))
    assert ax.get_title().endswith(f"|∂L/∂h{subscript(depth)}| = {norms[0] / norms[-1]:.1e}")
    # one bar per layer whose gradient is on the axes, from their bottom up to that gradient's size
    (bars,) = ax.collections
    shown = norms[norms > 1e-15]
    assert 0 < len(shown) <= depth
    np.testing.assert_allclose([path.vertices[:, 1].max() for path in bars.get_paths()], shown)
    assert [path.vertices[:, 1].min() for path in bars.get_paths()] == [1e-15] * len(shown)


def test_tick_labels_are_powers_of_ten_in_plain_text(ax):
    plot_gradient_norms(ax, 5, 1.0)
    ax.figure.canvas.draw()
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert labels == ["10⁻¹⁵", "10⁻¹²", "10⁻⁹", "10⁻⁶", "10⁻³", "10⁰", "10³", "10⁶"]


@pytest.mark.parametrize("z", [-8.0, 0.0, 8.0])
def test_output_saturation_draws_and_never_shows_minus_zero(ax, z):
    ce, se = plot_output_saturation(ax, z)
    assert ce < 0 and se <= 0
    assert "-0.000" not in ax.get_title()


def test_bad_arguments_say_what_was_expected(ax):
    with pytest.raises(ValueError, match="activation: expected one of"):
        gradient_norms_through_depth(3, 1.0, "sigmoid")
    with pytest.raises(ValueError, match="depth: expected a whole number"):
        gradient_norms_through_depth(0, 1.0)
    with pytest.raises(ValueError, match="as many axes, images and titles"):
        plot_digits([ax], np.zeros((2, 64)), ["a", "b"])
