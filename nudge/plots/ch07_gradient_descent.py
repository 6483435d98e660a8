"""Chapter 7: training runs: the loss curve, the path across a loss, a decision boundary."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter, NullLocator

from nudge.plots.common import two_panels
from nudge.style import PALETTE


def plot_loss_curve(ax, losses, upto=None, *, ylim=None, best=None, color=None, label=None):
    """Loss L against training step t on a log scale, drawn from step 0 up to step `upto`.

    The x axis always spans the whole run, so an explorer that slides `upto` keeps its axes still;
    `best` draws a dashed line at the lowest loss there is (min L), when it is known.
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
        ax.axhline(best, color=PALETTE["black"], ls="--", lw=1, label="min L")
    ax.set_xlim(0, max(losses.size - 1, 1))
    if ylim is not None:
        ax.set_ylim(*ylim)
    # plain labels (0.01, 0.1, 1) and no minor ticks: easier to read, and twice as fast to draw
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.set_xlabel("t")
    ax.set_ylabel("L")


def plot_descent_path(ax, xs, ys, zs, path, *, levels=None, best=None, labels=("a", "b")):
    """Contour lines of a loss over two parameters and the path gradient descent took across them.

    `zs[i, j]` is the loss at `(xs[j], ys[i])` (as `np.meshgrid` makes it); `path` is a list of
    `(x, y)` points, one per step; `best` marks the minimum with a star. Points outside the
    window are cut off, so a diverging path runs off the edge. The legend's entries, if a caller
    shows them, name the minimum (a*, b*) and the point of the last step (a_t, b_t).
    """
    path = np.asarray(path, dtype=float).reshape(-1, 2)
    ax.contour(xs, ys, zs, levels=levels, colors=PALETTE["sky"], linewidths=1)
    if best is not None:
        ax.plot(*best, "*", color=PALETTE["black"], ms=11, label=f"$({labels[0]}^*, {labels[1]}^*)$")
    ax.plot(path[:, 0], path[:, 1], "-o", color=PALETTE["vermillion"], lw=1.2, ms=3)
    ax.plot(*path[-1], "o", color=PALETTE["vermillion"], ms=7, label=f"$({labels[0]}_t, {labels[1]}_t)$")
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])


def plot_decision_boundary(ax, X, y, xs, ys, prob):
    """Points of two classes over a model's probability of class 1; the black line is where it is 0.5.

    `prob[i, j]` is the model's probability at `(xs[j], ys[i])`. Class 0 is drawn as blue circles
    over a blue region, class 1 as vermillion triangles over an orange one (`plot_classes`).
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
    plot_classes(ax, X, y, legend=False)
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])


def plot_classes(ax, X, y, legend: bool = True):
    """Points of two classes in the plane: class 0 as blue circles, class 1 as vermillion triangles.

    The legend names them by their label, y = 0 and y = 1.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    ax.scatter(*X[y == 0].T, s=14, marker="o", color=PALETTE["blue"], label="$y = 0$")
    ax.scatter(*X[y == 1].T, s=16, marker="^", color=PALETTE["vermillion"], label="$y = 1$")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if legend:
        ax.legend(loc="lower left")


def plot_line_run(axes, runs: dict, lr: float, step: int, *, surface: dict, best, loss_best: float, ylim=(0.1, 1e5)):
    """One line-fit run replayed up to `step`: its path over the loss's contours (left), the loss so far (right).

    `runs[lr]` is `(path, losses)`, as chapter 7's `fit_line` returns them; `surface` holds
    the contour grid (`xs`, `ys`, `zs`, `levels`) for `plot_descent_path`. The titles give the
    rate and the step t, and the loss at that step.
    """
    left, right = two_panels(axes, "plot_line_run")
    path, losses = runs[lr]
    plot_descent_path(left, **surface, path=path[: step + 1], best=best)
    plot_loss_curve(right, losses, upto=step, best=loss_best, ylim=ylim)
    left.set_title(f"η = {lr:g}, t = {step}")
    right.set_title(f"L = {losses[step]:.3g}")
    right.legend(loc="upper right")


def plot_network_run(axes, runs: dict, lr: float, step: int, *, X, y, xs, ys, every: int = 25, ylim=(1e-3, 1e2)):
    """One classifier run replayed at `step`: its decision boundary (left), the loss so far (right).

    `runs[lr]` holds `losses`, one per step, and `probs`, the probability grids over `xs` × `ys`
    saved every `every` steps.
    """
    left, right = two_panels(axes, "plot_network_run")
    run = runs[lr]
    plot_decision_boundary(left, X, y, xs, ys, run["probs"][step // every])
    plot_loss_curve(right, run["losses"], upto=step, ylim=ylim)
    left.set_title(f"η = {lr:g}, t = {step}")
    right.set_title(f"L = {run['losses'][step]:.3g}")
