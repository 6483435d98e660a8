"""Chapter 9's pictures: gradients through depth, saturation at the output, and digits.

Plain functions that draw on the axes they are given, so tests can call them at any slider value.

>>> norms = gradient_norms_through_depth(depth=3, gain=1.0, activation="tanh")
>>> norms.shape
(3,)
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from nudge.plots.common import power_of_ten, subscript
from nudge.style import PALETTE

#: the activations the depth experiment offers: the function and its slope from the function's value
ACTIVATIONS = {
    "tanh": (np.tanh, lambda a, h: 1 - h**2),
    "relu": (lambda a: np.maximum(a, 0.0), lambda a, h: (a > 0).astype(float)),
}


def gradient_norms_through_depth(
    depth: int, gain: float, activation: str = "tanh", width: int = 64, batch: int = 32, seed: int = 0
) -> np.ndarray:
    """The size (Frobenius norm) of the gradient ∂L/∂h of each layer's output in a deep stack, first layer first.

    The stack is `depth` layers h = φ(h W) of `width` units, each W drawn with standard deviation
    `gain / sqrt(width)` (gain 1 is Xavier's scale for tanh, gain √2 He's for ReLU), on a batch of
    random inputs; the loss weights the last layer's outputs at random. The backward pass is the
    chapter's recursion of δs: δ = G ⊙ φ'(a), G for the layer below = δ Wᵀ. Each layer's ∂L/∂W = hᵀ δ
    is built from this G, so a G that vanishes on its way down leaves the first layers nothing to learn from.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation: expected one of {sorted(ACTIVATIONS)}, got {activation!r}")
    if isinstance(depth, bool) or not isinstance(depth, int | np.integer) or depth < 1:
        raise ValueError(f"depth: expected a whole number of layers, 1 or more, got {depth!r}")
    phi, slope = ACTIVATIONS[activation]
    rng = np.random.default_rng(seed)
    h = rng.normal(size=(batch, width))
    weights, pre, outs = [], [], []
    for _ in range(depth):
        W = rng.normal(0, gain / np.sqrt(width), size=(width, width))
        a = h @ W
        h = phi(a)
        weights.append(W)
        pre.append(a)
        outs.append(h)
    grad = rng.normal(size=(batch, width)) / batch  # ∂L/∂h of the last layer
    norms = np.zeros(depth)
    for layer in reversed(range(depth)):
        norms[layer] = np.linalg.norm(grad)
        delta = grad * slope(pre[layer], outs[layer])
        grad = delta @ weights[layer].T
    return norms


def plot_gradient_norms(ax, depth: int, gain: float, activation: str = "tanh", max_depth: int = 30):
    """Bars of |∂L/∂h| per layer ℓ on a log scale (layer 1 at the input), for one depth, gain and activation.

    The title gives the activation and the ratio of the first layer's gradient to the last one's.
    """
    norms = gradient_norms_through_depth(depth, gain, activation)
    bottom, top = 1e-15, 1e6
    ax.set_yscale("log")
    ax.set_ylim(bottom, top)
    ax.set_xlim(0, max_depth + 1)
    # the bars as one collection of rectangles, 0.8 layers wide: one artist to draw, not `depth` patches
    shown = norms > bottom  # a layer whose gradient is below the axes (or 0, a dead layer) has no bar
    left = np.arange(1, depth + 1)[shown] - 0.4
    corners = [[(x, bottom), (x + 0.8, bottom), (x + 0.8, h), (x, h)] for x, h in zip(left, norms[shown], strict=True)]
    ax.add_collection(PolyCollection(corners, facecolors=PALETTE["blue"], edgecolors="none"), autolim=False)
    # a label every 3 decades and no minor ticks: readable, and much cheaper to draw per frame
    ax.yaxis.set_major_locator(FixedLocator([10.0**k for k in range(-15, 7, 3)]))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(power_of_ten))
    ax.set_xlabel(r"$\ell$")
    ax.set_ylabel(r"$|\partial L / \partial h_\ell|$")
    ratio = norms[0] / norms[-1] if norms[-1] > 0 else np.inf
    name = "ReLU" if activation == "relu" else activation
    ax.set_title(f"φ = {name}: |∂L/∂h₁| / |∂L/∂h{subscript(depth)}| = {ratio:.1e}")
    return norms


def _sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def output_slopes(z, y: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """∂L/∂z at the logit z of a sigmoid output with target y, for two losses.

    Cross-entropy from the logit: σ(z) − y. Squared error on the probability, (σ(z) − y)²/2:
    (σ(z) − y) σ'(z), which carries the sigmoid's slope and so vanishes where σ saturates.

    >>> ce, se = output_slopes(np.array([-10.0]), 1.0)
    >>> round(float(ce[0]), 4), float(se[0]) < 1e-4
    (-1.0, True)
    """
    s = _sigmoid(np.asarray(z, dtype=float))
    return s - y, (s - y) * s * (1 - s)


def plot_output_saturation(ax, z: float, y: float = 1.0, zlim: float = 8.0):
    """∂L/∂z against the logit for cross-entropy from logits and for squared error on σ(z), marked at `z`.

    Each curve is named by its formula, σ(z) − y and (σ(z) − y) σ′(z), with its value at `z`.
    """
    zs = np.linspace(-zlim, zlim, 321)
    ce, se = output_slopes(zs, y)
    ce_z, se_z = output_slopes(np.array([z]), y)
    ce_shown, se_shown = (round(float(v[0]), 3) + 0.0 for v in (ce_z, se_z))  # never -0.000
    ax.plot(zs, ce, color=PALETTE["blue"], label=f"σ(z) − y = {ce_shown:+.3f}")
    ax.plot(zs, se, color=PALETTE["vermillion"], label=f"(σ(z) − y) σ′(z) = {se_shown:+.3f}")
    ax.plot([z, z], [ce_z[0], se_z[0]], "o", color=PALETTE["black"], ms=5)
    ax.axhline(0, color=PALETTE["black"], lw=0.6)
    ax.set_xlim(-zlim, zlim)
    ax.set_ylim(-1.1, 0.25)
    ax.set_xlabel("z")
    ax.set_ylabel("∂L/∂z")
    ax.legend(loc="lower right")
    ax.set_title(f"z = {z:+.1f}, y = {y:g}")
    return float(ce_z[0]), float(se_z[0])


def plot_digits(axes, images, titles) -> None:
    """One 8×8 image per axes (grey, ink dark), with its title; the axes themselves are hidden."""
    images = np.asarray(images, dtype=float)
    if len(axes) != len(images) or len(titles) != len(images):
        raise ValueError(
            f"plot_digits: expected as many axes, images and titles, got {len(axes)}, {len(images)}, {len(titles)}"
        )
    for ax, image, title in zip(axes, images, titles, strict=True):
        ax.imshow(image.reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(title)
        ax.set_axis_off()  # a scan has no axes: no ticks, spines or grid


__all__ = [
    "gradient_norms_through_depth",
    "plot_gradient_norms",
    "output_slopes",
    "plot_output_saturation",
    "plot_digits",
    "power_of_ten",
]
