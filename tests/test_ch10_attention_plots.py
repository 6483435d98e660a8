"""Chapter 10's plots at the corners of every slider the chapter offers, and the numbers behind them."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nudge.numeric import numerical_jacobian
from nudge.plots.ch10_attention import (
    checkpoint_costs,
    checkpoint_trace,
    layer_norm_gradient,
    plot_checkpointing,
    plot_layer_norm_gradient,
    plot_residual_gradients,
    plot_softmax_jacobian,
    residual_gradient_norms,
    softmax_jacobian,
)
from nudge.rules import layer_norm


@pytest.fixture
def new_axes():
    """`new_axes(ncols)`: that many axes side by side on a new figure, closed after the test."""
    figures = []

    def make(ncols=1):
        figures.append(plt.figure())
        return figures[-1].subplots(1, ncols)

    yield make
    for fig in figures:
        plt.close(fig)


@pytest.fixture
def ax(new_axes):
    return new_axes()


@pytest.fixture
def two_axes(new_axes):
    return new_axes(2)


def test_softmax_jacobian_is_what_nudging_softmax_gives():
    z = np.array([1.0, -0.5, 2.0, 0.0])
    J = numerical_jacobian(lambda z: np.exp(z) / np.exp(z).sum(), z)
    np.testing.assert_allclose(softmax_jacobian(z), J, atol=1e-9)


@pytest.mark.parametrize("temperature", [0.1, 1.0, 10.0])
def test_softmax_jacobian_draws_at_every_temperature(two_axes, temperature):
    J = plot_softmax_jacobian(two_axes, temperature)
    assert np.all(np.isfinite(J)) and np.abs(J).max() <= 0.25
    assert two_axes[0].get_ylim() == (0, 1)
    assert "-0" not in two_axes[1].get_title()


def test_softmax_jacobian_needs_two_axes(ax):
    with pytest.raises(ValueError, match="two axes"):
        plot_softmax_jacobian([ax], 1.0)


@pytest.mark.parametrize("x_angle", [0.0, 45.0, 315.0])
@pytest.mark.parametrize("g_angle", [0.0, 120.0, 330.0])
def test_layer_norm_gradient_is_tangent_and_its_picture_draws(ax, x_angle, g_angle):
    x_hat, g, grad = layer_norm_gradient(x_angle, g_angle)
    assert abs(grad.mean()) < 1e-12 and abs(grad @ x_hat) < 1e-12  # the mean and the part along x̂ removed
    # against nudging x itself: x = 1 + 2 x̂ (ε = 0), loss g · layer_norm(x)
    x = 1.0 + 2.0 * x_hat
    J = numerical_jacobian(lambda x: layer_norm(x, eps=0.0), x)
    np.testing.assert_allclose(grad, g @ J, atol=1e-8)
    plot_layer_norm_gradient(ax, x_angle, g_angle)
    assert ax.get_xlim() == (-3.2, 3.2) and "−0.000" not in ax.get_title() and "-0.000" not in ax.get_title()


def test_the_skip_keeps_the_gradient_and_the_plain_stack_loses_it():
    with_skip = residual_gradient_norms(50, True, 0.5)
    plain = residual_gradient_norms(50, False, 0.5)
    assert with_skip[0] >= with_skip[-1] and plain[0] / plain[-1] < 1e-10
    with pytest.raises(ValueError, match="depth: expected a whole number"):
        residual_gradient_norms(0, True)


@pytest.mark.parametrize("depth", [5, 50])
@pytest.mark.parametrize("gain", [0.25, 2.0])
def test_residual_gradients_draw_at_every_corner(ax, depth, gain):
    with_skip, plain = plot_residual_gradients(ax, depth, gain)
    assert len(with_skip) == len(plain) == depth
    assert np.all(np.isfinite(with_skip)) and np.all(np.isfinite(plain))
    assert ax.get_ylim() == pytest.approx((1e-16, 1e4)) and ax.get_xlim() == (0, 51)


def test_checkpointing_holds_a_checkpoint_per_segment_plus_one_segment_and_costs_one_more_forward():
    assert checkpoint_costs(64) == (64, 192)  # everything kept: forward 64, backward 128
    assert checkpoint_costs(64, 8) == (16, 256)  # 8 checkpoints + 8 activations, one extra forward
    assert checkpoint_costs(100, 10) == (20, 400)
    assert checkpoint_costs(10, 3) == (6, 40)  # the short last segment goes first: then 3 checkpoints + 3
    times, held = checkpoint_trace(16, 4)
    assert held[0] == held[-1] == 0 and np.all(held >= 0) and np.all(np.diff(times) > 0)
    with pytest.raises(ValueError, match="segment: expected a whole number"):
        checkpoint_trace(16, 0)


@pytest.mark.parametrize("depth", [16, 64])
@pytest.mark.parametrize("segment", [1, 16])
def test_checkpointing_draws_at_every_corner(ax, depth, segment):
    peak, time = plot_checkpointing(ax, depth, segment)
    assert (peak, time) == checkpoint_costs(depth, segment)
    assert ax.get_xlim() == (0, 256) and ax.get_ylim() == (0, 66)
    assert peak <= 66 and time <= 256
