"""The graph drawing on real matplotlib figures: one box per node, showing its data and grad."""

from __future__ import annotations

import io

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nudge.autodiff import Value, topological_order
from nudge.graphs import draw_graph, graph_layout, op_symbol, plot_graph_at, plot_repeated_backward


def square_plus(x=2.0):
    x = Value(x, label="x")
    m = x * x
    m.label = "m"
    f = m + x
    f.label = "f"
    return f


def neuron(x=0.5, w=-1.5, b=0.5):
    x, w, b = Value(x, label="x"), Value(w, label="w"), Value(b, label="b")
    return (w * x + b).tanh()


def bigger():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a * b
    return ((c + a) * (c - b) + c.exp()).sigmoid() ** 2 / b - (-a).relu() + c.log()


def boxes(ax):
    return [p for p in ax.patches if p.get_gid() == "node"]


def box_texts(ax):
    return [t.get_text() for t in ax.texts if t.get_gid() == "node-text"]


def assert_boxes_inside_and_apart(ax):
    frames = [p.get_window_extent() for p in boxes(ax)]
    inside = ax.get_window_extent().expanded(1.01, 1.01)
    assert all(inside.contains(f.x0, f.y0) and inside.contains(f.x1, f.y1) for f in frames)
    for i, a in enumerate(frames):
        for b in frames[i + 1 :]:
            assert not a.overlaps(b)


def render(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


@pytest.mark.parametrize("build", [square_plus, neuron, bigger])
def test_one_box_per_node_with_its_data_and_grad(build):
    root = build()
    root.backward()
    fig = Figure(figsize=(8, 4), layout="constrained")
    ax = fig.subplots()
    nodes = draw_graph(ax, root, fmt="{:.4g}")
    assert len(nodes) == len(topological_order(root)) == len(boxes(ax)) == len(box_texts(ax))
    texts = box_texts(ax)
    for node, text in zip(nodes, texts, strict=True):
        # + 0.0 turns -0.0 (from -relu(-a) at 0) into 0, as the book writes it
        assert f"data {node.data + 0.0:.4g}".replace("-", "−") in text
        assert f"grad {node.grad + 0.0:.4g}".replace("-", "−") in text
        if node.label:
            assert text.startswith(node.label)
    operations = [p for p in ax.patches if p.get_gid() == "op"]
    assert len(operations) == sum(1 for n in nodes if n._prev)
    assert render(fig)[:4] == b"\x89PNG"


def test_every_box_lies_inside_the_axes_and_no_two_overlap():
    root = bigger()
    root.backward()
    fig = Figure(figsize=(9.6, 4), layout="constrained")
    ax = fig.subplots()
    draw_graph(ax, root)
    render(fig)
    assert_boxes_inside_and_apart(ax)


@pytest.mark.parametrize("build, figsize", [(square_plus, (6.4, 3.6)), (neuron, (6.4, 3.6)), (bigger, (12, 4))])
def test_the_text_fits_its_box(build, figsize):
    # (the font stops shrinking at 5 pt: a graph of 19 nodes needs a wider figure)
    root = build()
    root.backward()
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    draw_graph(ax, root)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    texts = [t for t in ax.texts if t.get_gid() == "node-text"]
    for box, text in zip(boxes(ax), texts, strict=True):
        frame, words = box.get_window_extent(renderer), text.get_window_extent(renderer)
        assert frame.x0 <= words.x0 and words.x1 <= frame.x1 and frame.y0 <= words.y0 and words.y1 <= frame.y1


def test_layout_puts_every_node_right_of_its_inputs():
    nodes, where = graph_layout(bigger())
    for node in nodes:
        for child in node._prev:
            assert where[id(child)][0] < where[id(node)][0]
    # no two nodes share a place
    assert len(set(where.values())) == len(nodes)


def test_a_graph_too_deep_for_the_width_runs_top_to_bottom_at_full_size():
    # a phone-wide figure: across, the neuron's four steps would need 7-pt text; down, it keeps 12 pt
    root = neuron()
    root.backward()
    fig = Figure(figsize=(5.6, 5.4), layout="constrained")
    ax = fig.subplots()
    nodes = draw_graph(ax, root)
    render(fig)
    assert {t.get_fontsize() for t in ax.texts} == {12.0}
    centre = {id(n): box.get_window_extent().intervalx.mean() for n, box in zip(nodes, boxes(ax), strict=True)}
    height = {id(n): box.get_window_extent().intervaly.mean() for n, box in zip(nodes, boxes(ax), strict=True)}
    for node in nodes:  # every input above the node it feeds
        assert all(height[id(child)] > height[id(node)] for child in node._prev)
    assert_boxes_inside_and_apart(ax)
    assert len(set(centre.values())) > 1  # w and x side by side at the top


def test_a_graph_that_fits_across_stays_across():
    root = square_plus()
    root.backward()
    ax = Figure(figsize=(12, 3), layout="constrained").subplots()
    nodes = draw_graph(ax, root)
    render(ax.figure)
    lefts = [box.get_window_extent().x0 for box in boxes(ax)]
    assert lefts == sorted(lefts) and len(set(lefts)) == len(nodes)
    assert {t.get_fontsize() for t in ax.texts} == {12.0}


def test_draw_graph_refuses_an_unknown_direction():
    with pytest.raises(ValueError, match="direction is 'auto', 'across' or 'down', got 'up'"):
        draw_graph(Figure().subplots(), square_plus(), direction="up")


def test_a_single_value_is_a_graph_of_one_box():
    ax = Figure().subplots()
    assert len(draw_graph(ax, Value(3.0, label="x"))) == 1
    assert box_texts(ax) == ["x\ndata 3\ngrad 0"]


def test_draw_graph_refuses_what_is_not_a_value():
    with pytest.raises(TypeError, match="expected the Value at the end of a computation, got float"):
        draw_graph(Figure().subplots(), 3.0)


def test_the_walk_greys_unfinished_gradients_and_frames_the_last_rule():
    texts_at, titles = {}, []
    for step in range(4):
        ax = Figure(figsize=(6.4, 3)).subplots()
        nodes = plot_graph_at(ax, square_plus, step=step, x=2.0)
        texts_at[step] = dict(zip([n.label for n in nodes], box_texts(ax), strict=True))
        framed = [p for p in boxes(ax) if p.get_linewidth() > 2]
        assert len(framed) == (0 if step == 0 else 1)
        grey = [
            t.get_text().split("\n")[0] for t in ax.texts if t.get_gid() == "node-text" and t.get_color() != "black"
        ]
        # m's gradient is final once the add has run, x's once the multiply has run too
        assert ("m" in grey) == (step < 1)
        assert ("x" in grey) == (step < 2)
        titles.append(ax.get_title())
    assert titles == ["f.grad = 1", "+: f.grad → m.grad, x.grad", "×: m.grad → x.grad", "x.grad = 5"]
    assert "grad 1" in texts_at[1]["x"] and "grad 5" in texts_at[2]["x"]


def test_plot_graph_at_runs_the_whole_backward_pass_by_default():
    ax = Figure().subplots()
    nodes = plot_graph_at(ax, neuron, x=0.0, title=lambda root, **inputs: f"x = {inputs['x']}")
    w = next(n for n in nodes if n.label == "w")
    assert w.grad == 0.0  # a zero input gives its weight no gradient
    assert ax.get_title() == "x = 0.0"


@pytest.mark.parametrize("zero_grad", [True, False])
def test_repeated_backward_shows_the_naive_engine_drifting(zero_grad):
    fig = Figure(figsize=(9.6, 4), layout="constrained")
    axes = fig.subplots(1, 2)
    plot_repeated_backward(axes, square_plus, calls=3, zero_grad=zero_grad)
    curves = {line.get_label(): list(line.get_ydata()) for line in axes[1].get_lines() if len(line.get_ydata()) == 6}
    assert curves["backward()"] == [5.0] * 6
    assert curves["PyTorch"] == [5.0 * k for k in range(1, 7)]
    assert curves["backward(zero_grad=False)"][:3] == [5.0, 14.0, 27.0]
    assert axes[1].get_title() == ("x.grad = 5" if zero_grad else "x.grad = 27")
    with pytest.raises(ValueError, match="no node labelled 'q'"):
        plot_repeated_backward(axes, square_plus, calls=1, zero_grad=True, wrt="q")


def test_operation_symbols():
    assert [op_symbol(op) for op in ["+", "-", "*", "/", "neg", "sigmoid", "relu", "exp", "**3", "**0.5"]] == [
        "+",
        "−",
        "×",
        "÷",
        "−",
        "σ",
        "ReLU",
        "exp",
        "x³",
        "x⁰·⁵",
    ]


def test_an_explorers_frames_share_one_font_size():
    """Frames whose numbers differ in width ("grad 0.5" or "grad −0.000987") keep the same text size."""
    sizes = set()
    for x, w in [(1.0, -1.0), (2.0, 1.5), (-2.0, -2.0), (0.0, 0.5)]:
        ax = Figure(figsize=(8, 3), layout="constrained").subplots()
        plot_graph_at(ax, neuron, x=x, w=w)
        sizes |= {t.get_fontsize() for t in ax.texts if t.get_gid() == "node-text"}
    assert len(sizes) == 1, sizes
