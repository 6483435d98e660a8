"""Chapter 8's pictures: a map of the plane, its Jacobian as the best local linear map, and JVPs and VJPs.

Plain functions that draw on the axes they are given, so tests can call them at any slider value.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> fig, axes = plt.subplots(1, 2)
>>> W, b = np.array([[1.0, 0.5], [-0.5, 1.0]]), np.zeros(2)
>>> def f(p):
...     return np.tanh(W @ p + b)
>>> def jac(p):
...     return (1 - f(p) ** 2)[:, None] * W
>>> gap = plot_local_linear_map(axes, f, jac, 0.5, -0.5, 0.01)
>>> gap < 0.05
True
>>> plt.close(fig)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nudge.plots.common import two_panels
from nudge.style import PALETTE

#: corners of the square of half-width 1 around the origin, in order round its edge (closed)
_SQUARE = np.array([[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0]])


def _plane(ax, lim: float, xlabel: str, ylabel: str, title: str) -> None:
    """A square panel from -lim to lim on both axes, the same scale on each."""
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)


def square_edge(num: int = 200) -> np.ndarray:
    """`num` points round the edge of the square [-1, 1]², one per row, in order.

    >>> square_edge(8)[:3].tolist()
    [[-1.0, -1.0], [0.0, -1.0], [1.0, -1.0]]
    """
    if num < 4 or num % 4:
        raise ValueError(f"square_edge: expected a multiple of 4 points (4 or more), got {num!r}")
    t = np.linspace(0, 4, num, endpoint=False)
    side, frac = np.divmod(t, 1.0)
    return np.array(
        [_SQUARE[int(s)] + f * (_SQUARE[int(s) + 1] - _SQUARE[int(s)]) for s, f in zip(side, frac, strict=True)]
    )


def linearisation_gap(f: Callable, jac: Callable, point, eps: float, num: int = 200) -> float:
    """Largest distance, over the square of half-width `eps` round `point`, between the image under `f`
    and the Jacobian's prediction, divided by `eps` (so it is 0 for a linear map and shrinks like `eps`).

    >>> linearisation_gap(lambda p: 3 * p, lambda p: 3 * np.eye(2), np.zeros(2), 0.5)
    0.0
    """
    if not eps > 0:
        raise ValueError(f"linearisation_gap: expected a positive ε, got {eps!r}")
    point = np.asarray(point, dtype=float)
    edge = square_edge(num)
    image = np.array([f(point + eps * s) for s in edge]) - f(point)
    predicted = eps * edge @ np.asarray(jac(point), dtype=float).T
    return float(np.max(np.linalg.norm(image - predicted, axis=1)) / eps)


def plot_local_linear_map(
    axes, f: Callable, jac: Callable, x1: float, x2: float, eps: float, lim: float = 2.5, zoom_lim: float = 2.5
):
    """Left: the square of half-width ε round the point (x1, x2). Right: its image under `f`, zoomed by 1/ε
    round f(point) (solid), and the parallelogram the Jacobian predicts, J times the unit square (dashed).

    As ε shrinks the two shapes on the right coincide: the Jacobian is the best linear map near the point.
    Returns the gap printed in the title (`linearisation_gap`), as its formula: max |f(x + δ) − f(x) − Jδ| / ε.
    """
    left, right = two_panels(axes, "plot_local_linear_map")
    point = np.array([x1, x2], dtype=float)
    J = np.asarray(jac(point), dtype=float)
    edge = square_edge()
    corners = point + eps * _SQUARE
    left.fill(corners[:, 0], corners[:, 1], color=PALETTE["sky"], alpha=0.35)
    left.plot(corners[:, 0], corners[:, 1], color=PALETTE["blue"], lw=1.5)
    left.plot(*point, "o", color=PALETTE["black"], ms=4)
    _plane(left, lim, "x₁", "x₂", f"x + δ,  |δ₁|, |δ₂| ≤ ε = {eps:.2g}")

    image = (np.array([f(point + eps * s) for s in edge]) - f(point)) / eps
    image = np.vstack([image, image[:1]])
    predicted = _SQUARE @ J.T
    gap = linearisation_gap(f, jac, point, eps)
    right.fill(image[:, 0], image[:, 1], color=PALETTE["orange"], alpha=0.3, label="(f(x + δ) − f(x)) / ε")
    right.plot(image[:, 0], image[:, 1], color=PALETTE["vermillion"], lw=1.5)
    right.plot(predicted[:, 0], predicted[:, 1], "--", color=PALETTE["black"], lw=1.5, label="J\u2009δ / ε")
    right.plot(0, 0, "o", color=PALETTE["black"], ms=4)
    # a thin space between juxtaposed symbols (J δ, J v), as typeset mathematics has
    zoomed = f"max |f(x + δ) − f(x) − J\u2009δ| / ε = {gap:.3f}"
    # plain-text labels (no mathtext): the same on every frame, and cheaper to draw
    _plane(right, zoom_lim, "(f₁(x + δ) − f₁(x)) / ε", "(f₂(x + δ) − f₂(x)) / ε", zoomed)
    right.legend(loc="lower right")
    return gap


def _arrow(ax, vector, colour: str, label: str):
    ax.annotate(
        "",
        xy=tuple(vector),
        xytext=(0, 0),
        arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2, "shrinkA": 0, "shrinkB": 0},
    )
    ax.plot([], [], color=colour, lw=2, label=label)  # the legend's entry for the arrow


def plot_jvp_vjp(axes, J, angle: float, lim: float = 2.5):
    """Forward and reverse mode for one 2×2 Jacobian `J`, with u = v = (cos angle, sin angle) (angle in degrees).

    Left, the input plane: the unit circle, the direction v, and the VJP Jᵀu (uᵀJ as a column).
    Right, the output plane: the ellipse J maps the circle to, the JVP Jv, and the output weights u.
    The title checks the identity u·(Jv) = (Jᵀu)·v that makes the two modes agree.
    """
    left, right = two_panels(axes, "plot_jvp_vjp")
    J = np.asarray(J, dtype=float)
    if J.shape != (2, 2):
        raise ValueError(f"plot_jvp_vjp: expected a 2×2 Jacobian, got shape {J.shape}")
    theta = np.radians(angle)
    v = np.array([np.cos(theta), np.sin(theta)])
    circle = np.stack([np.cos(np.linspace(0, 2 * np.pi, 181)), np.sin(np.linspace(0, 2 * np.pi, 181))], axis=1)
    ellipse = circle @ J.T
    left.plot(circle[:, 0], circle[:, 1], color=PALETTE["black"], lw=0.8, alpha=0.5)
    _arrow(left, v, PALETTE["blue"], "v")
    _arrow(left, J.T @ v, PALETTE["vermillion"], "Jᵀu")
    right.plot(ellipse[:, 0], ellipse[:, 1], color=PALETTE["black"], lw=0.8, alpha=0.5)
    _arrow(right, J @ v, PALETTE["blue"], "J\u2009v")
    _arrow(right, v, PALETTE["vermillion"], "u")
    forward, reverse = float(v @ (J @ v)), float((J.T @ v) @ v)
    # rounded first, so a product that is 0 up to rounding never shows as -0.000
    _plane(left, lim, "x₁", "x₂", f"(Jᵀu)·v = {round(reverse, 3) + 0.0:+.3f}")
    _plane(right, lim, "f₁", "f₂", f"u·(J\u2009v) = {round(forward, 3) + 0.0:+.3f}")
    for ax in (left, right):
        ax.legend(loc="lower left")
    return forward, reverse


__all__ = ["square_edge", "linearisation_gap", "plot_local_linear_map", "plot_jvp_vjp"]
