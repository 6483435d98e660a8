"""Chapter 5's plotting functions, drawn on real figures at the explorers' extreme slider values."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch
from matplotlib.text import Annotation

from nudge.activations import sigmoid, sigmoid_slope
from nudge.plots import plot_composition, plot_neuron, plot_paths, plot_pipeline


def render(fig: Figure) -> bytes:
    """Draw the whole figure to PNG: layout and text problems only show up when it is drawn."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_text()]


def boxes(ax) -> list[FancyBboxPatch]:
    return [p for p in ax.patches if isinstance(p, FancyBboxPatch)]


def arrows(ax) -> list[Annotation]:
    return [t for t in ax.texts if isinstance(t, Annotation)]


# --- plot_composition: the two graphs of y = sin(x²), as the chapter's first explorer shows them


def square(x):
    return x**2


def twice(x):
    return 2 * x


@pytest.mark.parametrize("x", [-1.5, 0.0, 1.5])
@pytest.mark.parametrize("eps", [0.01, 1.0])
def test_composition_titles_report_the_measured_ratios_and_the_slopes(x, eps):
    fig = Figure(figsize=(9.6, 4), layout="constrained")
    left, right = fig.subplots(1, 2)
    limits = {"xlim": (-2, 2.7), "ulim": (-0.5, 7), "ylim": (-1.3, 1.3)}
    plot_composition((left, right), np.sin, square, x, eps, df=np.cos, dg=twice, **limits)
    render(fig)
    du = square(x + eps) - square(x)
    dy = np.sin(square(x + eps)) - np.sin(square(x))
    minus = str.maketrans({"−": "-"})
    left_title, right_title = left.get_title().translate(minus), right.get_title().translate(minus)
    assert f"Δu/ε = {du / eps:.3g}" in left_title
    assert f"g′(x) = {twice(x) + 0.0:.3g}" in left_title
    assert f"Δy/Δu = {dy / du:.3g}" in right_title
    assert f"f′(u)·g′(x) = {np.cos(square(x)) * twice(x) + 0.0:.3g}" in right_title
    # the axes stay put whatever the sliders say, so frames don't jump
    assert left.get_xlim() == (-2, 2.7) and left.get_ylim() == (-0.5, 7)
    assert right.get_xlim() == (-0.5, 7) and right.get_ylim() == (-1.3, 1.3)
    # the nudge drawn on each panel: ε and Δu on the left, Δu and Δy on the right
    assert [line.get_label() for line in left.get_lines()][1:3] == ["ε", "Δu"]
    assert [line.get_label() for line in right.get_lines()][1:3] == ["Δu", "Δy"]
    (run_x, _), (_, rise_y) = left.get_lines()[1].get_data(), left.get_lines()[2].get_data()
    assert math.isclose(run_x[1] - run_x[0], eps) and math.isclose(rise_y[1] - rise_y[0], du)


def test_composition_says_when_no_nudge_gets_through_the_first_stage():
    left, right = Figure().subplots(1, 2)
    plot_composition((left, right), np.sin, lambda x: 3.0, 0.5, 0.1)
    assert "Δu = 0" in right.get_title()


def test_composition_needs_two_axes():
    with pytest.raises(ValueError, match="two axes"):
        plot_composition([Figure().subplots()], np.sin, square, 1.0, 0.1)


# --- plot_pipeline: the neuron's pipeline at the second explorer's corners


def neuron_pipeline(w, x, b=0.25, y=1.0):
    z = w * x + b
    y_hat = 1 / (1 + math.exp(-z))
    values = [w, z, y_hat, (y_hat - y) ** 2]
    local = [x, y_hat * (1 - y_hat), 2 * (y_hat - y)]
    return values, local


@pytest.mark.parametrize("vertical", [False, True])
@pytest.mark.parametrize(("w", "x"), [(-3, -2), (-3, 0), (3, 2), (3, -2), (-0.5, 1.5)])
def test_pipeline_shows_every_stage_every_arrow_and_their_product(w, x, vertical):
    fig = Figure(figsize=(4.8, 4.2) if vertical else (7.2, 2.3), layout="constrained")
    ax = fig.subplots()
    values, local = neuron_pipeline(w, x)
    stages = ["w", "z = wx + b", "ŷ = σ(z)", "L = (ŷ − y)²"]
    names = ["x", "σ′(z)", "2(ŷ − y)"]
    plot_pipeline(ax, stages, values, local, derivative_names=names, product_name="∂L/∂w", vertical=vertical)
    render(fig)
    shown = texts(ax)
    assert len(boxes(ax)) == 4 and len(arrows(ax)) == 3
    for stage in stages:
        assert any(t.startswith(stage + "\n") for t in shown), stage
    assert sum(t.startswith(("x = ", "σ′(z) = ", "2(ŷ − y) = ")) for t in shown) == 3
    # the nudge under each box is ε times the product of the arrows before it
    nudges = [t for t in shown if t.endswith("ε")]
    assert nudges[0] == "ε" and len(nudges) == 4
    assert nudges[-1] == f"{np.prod(local) + 0.0:.3g} ε".replace("-", "−")
    assert ax.get_title().startswith("∂L/∂w = ")
    assert ax.get_title().endswith(f"= {np.prod(local) + 0.0:.3g}".replace("-", "−"))
    if x == 0:  # a zero input stops the nudge: the product is 0, not "−0"
        assert ax.get_title().endswith("= 0") and nudges[1:] == ["0 ε"] * 3
    assert not ax.axison and ax.get_xlim() == (0, 1) and ax.get_ylim() == (0, 1)


def test_pipeline_arrows_run_from_box_edge_to_box_edge():
    ax = Figure().subplots()
    plot_pipeline(ax, ["a", "b", "c"], [1, 2, 3], [2, 1.5], nudges=False)
    (first, second, third) = boxes(ax)
    tail, head = arrows(ax)[0].xyann, arrows(ax)[0].xy
    assert math.isclose(tail[0], first.get_x() + first.get_width())
    assert math.isclose(head[0], second.get_x())
    assert not [t for t in texts(ax) if t.endswith("ε")]
    assert ax.get_title() == "∏ = 2 × 1.5 = 3"


@pytest.mark.parametrize(
    ("stages", "values", "local", "message"),
    [
        (["x"], [1], [], "at least 2 stages"),
        (["x", "y"], [1], [2], "one value per stage"),
        (["x", "y", "z"], [1, 2, 3], [2], "expected 2 local derivatives"),
    ],
)
def test_pipeline_says_what_it_expected(stages, values, local, message):
    with pytest.raises(ValueError, match=message):
        plot_pipeline(Figure().subplots(), stages, values, local)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=6), st.booleans())
def test_pipeline_title_is_the_product_of_any_local_derivatives(local, vertical):
    fig = Figure(layout="constrained")
    ax = fig.subplots()
    n = len(local) + 1
    plot_pipeline(ax, [f"s{i}" for i in range(n)], list(range(n)), local, vertical=vertical)
    render(fig)
    assert ax.get_title().endswith(f"= {float(np.prod(local)) + 0.0:.3g}".replace("-", "−"))
    assert len(boxes(ax)) == n and len(arrows(ax)) == n - 1


# --- plot_paths: the two-path diagram of f = u·v, u = x², v = sin x


@pytest.mark.parametrize("x", [-3.0, 0.0, 0.75, 3.0])
def test_paths_draws_every_node_and_labelled_edge(x):
    fig = Figure(figsize=(6.4, 3.4), layout="constrained")
    ax = fig.subplots()
    u, v = x**2, math.sin(x)
    nodes = {
        "x": (0.11, 0.45, f"x\n{x:.2f}"),
        "u": (0.5, 0.78, f"u = x²\n{u:.3f}"),
        "v": (0.5, 0.12, f"v = sin x\n{v:.3f}"),
        "f": (0.89, 0.45, f"f = u·v\n{u * v:.3f}"),
    }
    edges = [("x", "u", f"{2 * x:.3f}"), ("x", "v", f"{math.cos(x):.3f}"), ("u", "f", f"{v:.3f}"), ("v", "f", "u")]
    plot_paths(ax, nodes, edges, box=(0.1, 0.1), title=f"df/dx at {x}")
    render(fig)
    assert len(boxes(ax)) == 4 and len(arrows(ax)) == 4
    assert texts(ax) == [text for _, _, text in nodes.values()] + [label for _, _, label in edges]
    assert ax.get_title() == f"df/dx at {x}"
    # every arrow starts and ends on the border of its boxes, not inside them
    for arrow, (start, end, _) in zip(arrows(ax), edges, strict=True):
        for point, name in ((arrow.xyann, start), (arrow.xy, end)):
            cx, cy = nodes[name][:2]
            assert math.isclose(max(abs(point[0] - cx) / 0.1, abs(point[1] - cy) / 0.1), 1.0)


def test_paths_names_the_missing_node():
    with pytest.raises(ValueError, match=r"\['w'\]"):
        plot_paths(Figure().subplots(), {"x": (0.2, 0.5, "x")}, [("x", "w", "dw/dx")])


@pytest.mark.parametrize(("w", "x"), [(-3.0, -2.0), (-0.5, 1.5), (3.0, 2.0), (0.0, 0.0), (1.0, 0.0)])
def test_neuron_tangent_has_the_slope_of_the_pipeline_product(w, x):
    fig = Figure(figsize=(9.6, 4.2))
    left, right = fig.subplots(1, 2)
    b, y = 0.25, 1.0
    plot_neuron((left, right), w, x, b, y)
    render(fig)
    z = w * x + b
    product = 2 * (sigmoid(z) - y) * sigmoid_slope(z) * x
    assert f"{product + 0.0:.3g}".replace("-", "−") in right.get_title()
    assert "-0" not in right.get_title() and "−0 " not in right.get_title() + " "
    assert right.get_ylim() == (-0.05, 1.1)  # the same in every frame
    assert right.get_legend() is None  # the title says it
