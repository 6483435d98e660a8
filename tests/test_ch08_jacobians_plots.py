"""Chapter 8's plots at every slider value the chapter offers, and the numbers they report."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nudge.plots.ch08_jacobians import linearisation_gap, plot_jvp_vjp, plot_local_linear_map, square_edge

W = np.array([[1.2, -0.8], [0.6, 1.0]])
b = np.array([0.2, -0.1])


def layer(x):
    return np.tanh(W @ x + b)


def layer_jacobian(x):
    return (1 - layer(x) ** 2)[:, None] * W


@pytest.fixture
def axes():
    fig, axes = plt.subplots(1, 2)
    yield axes
    plt.close(fig)


def test_the_square_edge_goes_round_once():
    edge = square_edge(200)
    assert edge.shape == (200, 2)
    assert np.all(np.max(np.abs(edge), axis=1) == 1)  # every point on the edge
    with pytest.raises(ValueError, match="multiple of 4"):
        square_edge(10)


def test_the_gap_shrinks_like_eps_and_is_zero_for_a_linear_map():
    gaps = [linearisation_gap(layer, layer_jacobian, np.array([0.5, -0.3]), eps) for eps in (0.1, 0.01, 0.001)]
    assert 8 < gaps[0] / gaps[1] < 12 and 8 < gaps[1] / gaps[2] < 12
    assert linearisation_gap(lambda p: W @ p, lambda p: W, np.ones(2), 0.3) < 1e-12
    # a wrong Jacobian leaves a gap that does not shrink
    assert linearisation_gap(layer, lambda p: W, np.array([0.5, -0.3]), 1e-4) > 0.1


@pytest.mark.parametrize("x1", [-1.5, 0.0, 1.5])
@pytest.mark.parametrize("eps", [0.01, 1.0])
def test_local_linear_map_draws_at_the_sliders_extremes(axes, x1, eps):
    gap = plot_local_linear_map(axes, layer, layer_jacobian, x1, 1.0, eps)
    left, right = axes
    assert f"{gap:.3f}" in right.get_title() and f"{eps:.2g}" in left.get_title()
    assert right.get_xlim() == (-2.5, 2.5)  # fixed limits: frames don't jump


@pytest.mark.parametrize("angle", [0, 90, 135, 345])
def test_jvp_and_vjp_agree_in_both_titles(axes, angle):
    forward, reverse = plot_jvp_vjp(axes, layer_jacobian(np.array([0.5, -0.3])), angle)
    assert forward == pytest.approx(reverse, abs=1e-12)
    assert axes[0].get_title().split("= ")[1] == axes[1].get_title().split("= ")[1]
    assert "-0.000" not in axes[0].get_title()


def test_wrong_shapes_say_what_was_expected(axes):
    with pytest.raises(ValueError, match="2×2 Jacobian, got shape \\(3, 2\\)"):
        plot_jvp_vjp(axes, np.ones((3, 2)), 0)
    with pytest.raises(ValueError, match="needs two axes"):
        plot_jvp_vjp(axes[:1], np.eye(2), 0)
