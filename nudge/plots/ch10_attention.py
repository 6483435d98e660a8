"""Chapter 10's pictures: softmax's Jacobian, layer norm's projection, residual paths, checkpointing.

Plain functions that draw on the axes they are given, so tests can call them at any slider value;
the numbers behind each picture come from a function of their own, which the chapter prints.

>>> softmax_jacobian(np.zeros(2))
array([[ 0.25, -0.25],
       [-0.25,  0.25]])
>>> checkpoint_costs(16, 4)  # (peak arrays held, time in layer evaluations)
(8, 64)
"""

from __future__ import annotations

import math

import numpy as np

from nudge.formatting import format_number
from nudge.plots.common import powers_of_ten_axis, subscript, two_panels
from nudge.rules import layer_norm, log_softmax
from nudge.style import PALETTE

#: the logits the softmax explorer divides by its temperature
LOGITS = np.array([2.0, 1.0, 0.2, -0.5, -1.0])


def softmax_jacobian(z: np.ndarray) -> np.ndarray:
    """diag(p) − p pᵀ for p = softmax(z): the (n, n) Jacobian of softmax at the logits `z`."""
    p = np.exp(log_softmax(np.asarray(z, dtype=float)))
    return np.diag(p) - np.outer(p, p)


def plot_softmax_jacobian(axes, temperature: float, logits=LOGITS):
    """Left: softmax(z / temperature) as bars. Right: its Jacobian diag(p) − ppᵀ as a grid, on a fixed colour scale."""
    left, right = two_panels(axes, "plot_softmax_jacobian")
    z = np.asarray(logits, dtype=float) / temperature
    p = np.exp(log_softmax(z))
    J = softmax_jacobian(z)
    n = len(p)
    left.bar(np.arange(1, n + 1), p, color=PALETTE["blue"], width=0.7)
    left.set_ylim(0, 1)
    left.set_xlim(0.4, n + 0.6)
    left.set_xticks(np.arange(1, n + 1))
    left.set_xlabel("$k$")
    left.set_ylabel("$p_k$")
    left.set_title(f"p = softmax(z / {temperature:g})")
    image = right.imshow(J, cmap="PuOr_r", vmin=-0.25, vmax=0.25)
    right.set_xticks(np.arange(n), [str(k) for k in range(1, n + 1)])
    right.set_yticks(np.arange(n), [str(k) for k in range(1, n + 1)])
    right.set_xlabel("$j$")
    right.set_ylabel("$i$")
    right.set_title(rf"$J_{{ij}} = \partial p_i / \partial z_j$, $\max\,|J_{{ij}}| = {np.abs(J).max():.3f}$")
    right.figure.colorbar(image, ax=right, fraction=0.046, pad=0.04)
    return J


#: an orthonormal basis of the plane of vectors of R³ whose entries sum to 0, where layer norm's outputs live
PLANE = np.array([[1.0, -1.0, 0.0], [1.0, 1.0, -2.0]]) / np.array([[np.sqrt(2)], [np.sqrt(6)]])


def layer_norm_gradient(x_angle: float, g_angle: float, g_mean: float = 0.5, shift: float = 1.0, scale: float = 2.0):
    """A point of R³ and an incoming gradient, and what layer norm's backward pass makes of it.

    x = shift + scale · x̂ where x̂ sits at `x_angle` degrees on the circle of radius √3 in the plane of
    zero-mean vectors (every output of layer norm lies on it); g is a unit vector of that plane at
    `g_angle` degrees plus `g_mean` in every entry. Returns (x̂, g, ∂L/∂x), each in R³, with
    ∂L/∂x = (g − mean(g) − x̂ mean(g x̂)) / σ, which has mean 0 and is orthogonal to x̂.
    """
    a, b = np.radians(x_angle), np.radians(g_angle)
    x_hat = np.sqrt(3) * (np.cos(a) * PLANE[0] + np.sin(a) * PLANE[1])
    g = np.cos(b) * PLANE[0] + np.sin(b) * PLANE[1] + g_mean
    x = shift + scale * x_hat
    x_hat = layer_norm(x, eps=0.0)
    sigma = x.std()
    return x_hat, g, (g - g.mean() - x_hat * np.mean(g * x_hat)) / sigma


def plot_layer_norm_gradient(ax, x_angle: float, g_angle: float):
    """The plane of zero-mean vectors of R³: the circle of layer norm's outputs, x̂ on it, the incoming
    gradient g (its part in the plane, blue) and ∂L/∂x = what layer norm passes back, times σ (vermillion).
    The circle is |x̂| = √3; the title shows the two numbers the backward pass makes 0."""
    x_hat, g, grad = layer_norm_gradient(x_angle, g_angle)
    point, g_in, back = PLANE @ x_hat, PLANE @ g, PLANE @ grad * 2.0  # times σ = 2, so the arrows compare
    t = np.linspace(0, 2 * np.pi, 200)
    ax.plot(np.sqrt(3) * np.cos(t), np.sqrt(3) * np.sin(t), color="0.75", lw=1, label="|x̂| = √3")
    ax.plot(*point, "o", color="black", ms=5)
    ax.annotate("x̂", point, textcoords="offset points", xytext=(6, 6))
    style = {"head_width": 0.09, "length_includes_head": True, "lw": 1.5}
    ax.arrow(*point, *g_in, color=PALETTE["blue"], **style)
    ax.arrow(*point, *back, color=PALETTE["vermillion"], **style)
    ax.plot([], [], color=PALETTE["blue"], label="g")
    ax.plot([], [], color=PALETTE["vermillion"], label="σ · ∂L/∂x")
    ax.set_xlim(-3.2, 3.2)
    ax.set_ylim(-3.2, 3.2)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(loc="lower left", frameon=False)
    along = float(np.dot(grad, x_hat))
    ax.set_title(f"mean(∂L/∂x) = {format_number(grad.mean(), '.3f')}, ∂L/∂x · x̂ = {format_number(along, '.3f')}")
    return grad


def residual_gradient_norms(depth: int, skip: bool, gain: float = 1.0, width: int = 32, batch: int = 16, seed: int = 0):
    """The size of ∂L/∂h at the input of each of `depth` tanh layers, first layer first.

    Each layer is h ← tanh(h W) (`skip=False`) or h ← h + tanh(h W) (`skip=True`, a residual block),
    with W of standard deviation `gain / sqrt(width)`. The backward pass of a residual block is
    G ← G + (G ⊙ tanh'(a)) Wᵀ: the identity path hands G down unchanged, whatever the layer does.
    The same random weights and inputs serve both, so only the skip differs.
    """
    if isinstance(depth, bool) or not isinstance(depth, int | np.integer) or depth < 1:
        raise ValueError(f"depth: expected a whole number of layers, 1 or more, got {depth!r}")
    rng = np.random.default_rng(seed)
    h = rng.normal(size=(batch, width))
    weights = [rng.normal(0, gain / np.sqrt(width), size=(width, width)) for _ in range(depth)]
    outs = []
    for W in weights:
        out = np.tanh(h @ W)
        outs.append(out)
        h = h + out if skip else out
    grad = rng.normal(size=(batch, width)) / batch  # ∂L/∂h at the top
    norms = np.zeros(depth)
    for layer in reversed(range(depth)):
        through = (grad * (1 - outs[layer] ** 2)) @ weights[layer].T
        grad = grad + through if skip else through
        norms[layer] = np.linalg.norm(grad)
    return norms


def plot_residual_gradients(ax, depth: int, gain: float = 1.0, max_depth: int = 50):
    """|∂L/∂h| at each layer ℓ's input, on a log scale, with the skip (blue) and without it (vermillion).

    Each curve is named by its layer's formula, with the ratio of the first layer's gradient to the
    last one's, which the title names.
    """
    layers = np.arange(1, depth + 1)
    with_skip = residual_gradient_norms(depth, True, gain)
    plain = residual_gradient_norms(depth, False, gain)
    powers_of_ten_axis(ax, -16, 4, 4)
    ax.set_xlim(0, max_depth + 1)
    skip, no_skip = with_skip[0] / with_skip[-1], plain[0] / plain[-1]
    ax.plot(layers, with_skip, "o-", ms=3, color=PALETTE["blue"], label=f"h + tanh(h W): {skip:.2g}")
    ax.plot(layers, plain, "s-", ms=3, color=PALETTE["vermillion"], label=f"tanh(h W): {no_skip:.2g}")
    ax.set_xlabel(r"$\ell$")
    ax.set_ylabel(r"$|\partial L / \partial h_\ell|$")
    ax.legend(loc="lower right")
    ax.set_title(f"|∂L/∂h₁| / |∂L/∂h{subscript(depth)}|")
    return with_skip, plain


def checkpoint_trace(depth: int, segment: int | None = None):
    """How many layers' activations are held, step by step, through a forward and a backward pass.

    Each layer's forward costs one unit of time and its backward two. Without checkpoints
    (`segment=None`) the forward pass keeps every activation and the backward pass frees them one by
    one. With a checkpoint every `segment` layers, the forward pass keeps only each segment's input;
    the backward pass recomputes one segment at a time (keeping its activations), runs its backward
    and frees them. Returns (times, held): a step function, one entry per unit of work.
    """
    if isinstance(depth, bool) or not isinstance(depth, int | np.integer) or depth < 1:
        raise ValueError(f"depth: expected a whole number of layers, 1 or more, got {depth!r}")
    times, held = [0], [0]

    def step(cost: int, change: int):
        times.append(times[-1] + cost)
        held.append(held[-1] + change)

    if segment is None:
        for _ in range(depth):
            step(1, +1)
        for _ in range(depth):
            step(2, -1)
        return np.array(times), np.array(held)
    if isinstance(segment, bool) or not isinstance(segment, int | np.integer) or segment < 1:
        raise ValueError(f"segment: expected a whole number of layers, 1 or more, got {segment!r}")
    starts = list(range(0, depth, segment))
    for start in starts:  # forward: one checkpoint per segment, the layers inside it thrown away
        step(min(segment, depth - start), +1)
    for start in reversed(starts):
        size = min(segment, depth - start)
        for _ in range(size):  # recompute the segment from its checkpoint, keeping its activations
            step(1, +1)
        for _ in range(size):  # its backward pass, freeing them
            step(2, -1)
        held[-1] -= 1  # the checkpoint is no longer needed
    return np.array(times), np.array(held)


def checkpoint_costs(depth: int, segment: int | None = None) -> tuple[int, int]:
    """(the most activations held at once, the total time) of `checkpoint_trace(depth, segment)`."""
    times, held = checkpoint_trace(depth, segment)
    return int(held.max()), int(times[-1])


def plot_checkpointing(ax, depth: int, segment: int, max_depth: int = 64):
    """Activations held, n(t), against time t through forward and backward (a layer's forward pass takes 1,
    its backward 2), without checkpoints (vermillion) and with one every k = `segment` layers (blue).

    The legend gives each one's peak, max n, and total time T; the title the depth L and √L."""
    for seg, colour, name in ((None, "vermillion", ""), (segment, "blue", f"k = {segment}: ")):
        times, held = checkpoint_trace(depth, seg)
        label = f"{name}max n = {held.max()}, T = {times[-1]}"
        ax.step(times, held, where="post", color=PALETTE[colour], lw=1.8, label=label)
    ax.set_xlim(0, 4 * max_depth)
    ax.set_ylim(0, max_depth + 2)
    ax.set_xlabel("t")
    ax.set_ylabel("n(t)")
    ax.legend(loc="upper right")
    ax.set_title(f"L = {depth}, √L ≈ {math.sqrt(depth):.1f}")
    return checkpoint_costs(depth, segment)


__all__ = [
    "softmax_jacobian",
    "plot_softmax_jacobian",
    "layer_norm_gradient",
    "plot_layer_norm_gradient",
    "residual_gradient_norms",
    "plot_residual_gradients",
    "checkpoint_trace",
    "checkpoint_costs",
    "plot_checkpointing",
]
