"""Chapter 7's plotting functions at every extreme an explorer can reach: nothing warns, axes stay still."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from nudge.plots import (
    plot_classes,
    plot_decision_boundary,
    plot_descent_path,
    plot_line_run,
    plot_loss_curve,
    plot_network_run,
)

pytestmark = pytest.mark.filterwarnings("error")  # a warning would end up in a notebook's stderr


def axes():
    return Figure(figsize=(4, 3)).subplots()


def draw(ax):
    ax.figure.canvas.draw()  # render for real, so layout and tick problems surface here


DIVERGING = 3.0 * 1.7 ** np.arange(25)  # a run whose loss leaves any fixed axis


@pytest.mark.parametrize("losses", [np.geomspace(3, 0.2, 25), DIVERGING, [0.7]])
def test_loss_curve_keeps_its_axes_whatever_the_step(losses):
    limits = set()
    for upto in (0, len(losses) // 2, len(losses) - 1):
        ax = axes()
        plot_loss_curve(ax, losses, upto=upto, ylim=(0.1, 1e5), best=0.2)
        draw(ax)
        limits.add((ax.get_xlim(), ax.get_ylim()))
        curve = ax.lines[0]
        assert len(curve.get_xdata()) == upto + 1  # drawn up to the chosen step, not beyond
    assert len(limits) == 1
    assert ax.get_yscale() == "log"


def test_loss_curve_labels_are_plain_numbers():
    ax = axes()
    plot_loss_curve(ax, [10.0, 1.0, 0.1, 0.01], ylim=(1e-3, 1e2))
    draw(ax)
    labels = {t.get_text() for t in ax.get_yticklabels()}
    assert {"0.01", "0.1", "1", "10"} <= labels


@pytest.mark.parametrize("upto", [-1, 25, 1.5e9])
def test_loss_curve_refuses_a_step_outside_the_run(upto):
    with pytest.raises(ValueError, match=r"expected `upto` between 0 and 24"):
        plot_loss_curve(axes(), np.ones(25), upto=upto)


def test_loss_curve_refuses_an_empty_run():
    with pytest.raises(ValueError, match=r"expected a 1-D list of losses, got shape \(0,\)"):
        plot_loss_curve(axes(), [])


def bowl():
    xs, ys = np.linspace(-1, 3, 41), np.linspace(-3, 1, 31)
    a, b = np.meshgrid(xs, ys)
    return xs, ys, (a - 1.4) ** 2 + 2 * (b + 1) ** 2


@pytest.mark.parametrize("path", [[(0.0, 0.0)], [(0.0, 0.0), (1.0, -0.5), (1.4, -1.0)], [(0, 0), (50.0, -80.0)]])
def test_descent_path_draws_any_path_in_a_fixed_window(path):
    xs, ys, zs = bowl()
    ax = axes()
    plot_descent_path(ax, xs, ys, zs, path, levels=[0.1, 1, 3], best=(1.4, -1.0))
    draw(ax)
    assert ax.get_xlim() == (-1.0, 3.0) and ax.get_ylim() == (-3.0, 1.0)  # a path off the edge is cut off
    walked = [line for line in ax.lines if len(line.get_xdata()) == len(path)]
    assert walked, "the path is drawn with one point per step"


def moons_grid(prob_fn):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 2))
    y = (X[:, 0] > 0).astype(float)
    xs, ys = np.linspace(-3, 3, 30), np.linspace(-2, 2, 20)
    gx, gy = np.meshgrid(xs, ys)
    return X, y, xs, ys, prob_fn(gx, gy)


@pytest.mark.parametrize(
    ("prob_fn", "has_boundary"),
    [
        (lambda gx, gy: 1 / (1 + np.exp(-3 * gx)), True),
        (lambda gx, gy: np.full_like(gx, 0.5), False),  # an untrained model can say 0.5 everywhere
        (lambda gx, gy: np.ones_like(gx), False),
        (lambda gx, gy: np.zeros_like(gx), False),
    ],
)
def test_decision_boundary_is_drawn_only_where_the_probability_crosses_one_half(prob_fn, has_boundary):
    X, y, xs, ys, prob = moons_grid(prob_fn)
    ax = axes()
    plot_decision_boundary(ax, X, y, xs, ys, prob)
    draw(ax)
    contour_sets = [c for c in ax.collections if hasattr(c, "levels")]
    assert len(contour_sets) == (2 if has_boundary else 1)  # the shading, and the line when there is one
    assert ax.get_xlim() == (-3.0, 3.0) and ax.get_ylim() == (-2.0, 2.0)


def test_decision_boundary_says_which_shapes_it_expected():
    X, y, xs, ys, prob = moons_grid(lambda gx, gy: gx)
    with pytest.raises(ValueError, match=r"expected prob of shape \(20, 30\), got \(30, 20\)"):
        plot_decision_boundary(axes(), X, y, xs, ys, prob.T)
    with pytest.raises(ValueError, match=r"expected X of shape \(n, 2\) and y of shape \(n,\), got \(20, 3\)"):
        plot_decision_boundary(axes(), np.ones((20, 3)), y, xs, ys, prob)


def test_classes_draw_each_class_in_its_own_marker():
    ax = axes()
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]])
    plot_classes(ax, X, np.array([0, 1, 1]))
    draw(ax)
    assert [len(c.get_offsets()) for c in ax.collections] == [1, 2]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["$y = 0$", "$y = 1$"]


@pytest.mark.parametrize("step", [0, 10, 20])
def test_line_run_replays_a_run_up_to_its_step_on_still_axes(step):
    xs, ys = np.linspace(-1, 1, 5), np.linspace(-2, 2, 7)
    zs = np.add.outer(ys**2, xs**2)
    path = np.column_stack([np.linspace(1, 0, 21), np.linspace(2, 0, 21)])
    runs = {0.1: (path, np.geomspace(3, 0.3, 21))}
    fig = Figure(figsize=(8, 3.4))
    left, right = fig.subplots(1, 2)
    plot_line_run(
        (left, right), runs, 0.1, step, surface={"xs": xs, "ys": ys, "zs": zs, "levels": 4}, best=(0, 0), loss_best=0.2
    )
    draw(left)
    assert left.get_title() == f"η = 0.1, t = {step}"
    assert len(right.lines[0].get_xdata()) == step + 1
    assert (left.get_xlim(), right.get_ylim()) == ((-1.0, 1.0), (0.1, 1e5))


def test_network_run_shows_the_snapshot_saved_at_its_step():
    xs, ys = np.linspace(-1, 1, 4), np.linspace(-1, 1, 3)
    X, y = np.array([[0.0, 0.0], [0.5, 0.5]]), np.array([0, 1])
    probs = [np.full((3, 4), 0.2), np.tile([0.1, 0.4, 0.6, 0.9], (3, 1))]
    runs = {10: {"losses": np.geomspace(1, 0.01, 51), "probs": probs}}
    fig = Figure(figsize=(8, 3.4))
    left, right = fig.subplots(1, 2)
    plot_network_run((left, right), runs, 10, 25, X=X, y=y, xs=xs, ys=ys)
    draw(left)
    assert left.get_title() == "η = 10, t = 25"
    assert right.get_title() == f"L = {runs[10]['losses'][25]:.3g}"
    assert len(left.collections) > 3  # the second snapshot has a boundary: shading, line and both classes
