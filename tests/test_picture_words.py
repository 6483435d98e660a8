"""The book's pictures carry mathematics, numbers and symbols, not words: the frames an explorer draws
are shared by every edition (English, Korean, Chinese), so a word in one would be English to most readers.

Every plotting function of `nudge.plots` and `nudge.graphs` is drawn here with the arguments its chapter
gives it, at the ends of its sliders, and every text the figure shows (`nudge.style.figure_texts`: titles,
axis and tick labels, legends, annotations) is read with `nudge.i18n.has_words`, which skips `$…$` math.
What a picture can't say in symbols its explorer's caption says, which is translated.
"""

from __future__ import annotations

import re
import unicodedata

import nbformat
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from test_graphs import square_plus  # chapter 6's x² + x

import nudge.graphs
import nudge.plots
from nudge.activations import relu, relu_slope, sigmoid, sigmoid_slope
from nudge.autodiff import Value
from nudge.i18n import has_words
from nudge.style import TEXTS_KEY, figure_texts
from pages import chapter_notebooks

#: names every edition writes as they are, so a picture may show them: functions of mathematics
#: (a word only to has_words), the attributes and calls of the book's `Value` the chapters' code cells
#: show (`x.data`, `x.grad`, `backward()`, `zero_grad`), and the library chapter 6 compares it with
ALLOWED = (
    "sin", "cos", "tanh", "exp", "ln", "log", "ReLU", "softmax", "diag", "mean", "max", "min",
    "data", "grad", "backward", "zero_grad", "True", "False", "PyTorch",
    "leaky",  # leaky ReLU: a function's name, which Korean and Chinese texts write as it is
)  # fmt: skip
_ALLOWED = re.compile(r"\b(?:" + "|".join(map(re.escape, ALLOWED)) + r")\b")


def _raised_and_lowered(text: str) -> str:
    """`text` with its superscripts and subscripts (x², eˣ, Jᵀ, x₁) apart from the letter they sit on:
    to has_words "x²" is two letters in a row, as "ln" is."""
    return "".join(
        " " if any(kind in unicodedata.name(c, "") for kind in ("SUPERSCRIPT", "SUBSCRIPT", "MODIFIER LETTER")) else c
        for c in text
    )


#: the operators that stand before a symbol, not letters of a word with it: Leibniz's d (dy/dx) and the
#: increment Δ (Δu/ε)
_OPERATORS = re.compile(r"Δ(?=\w)|\bd(?=[^\W\d_]/)|(?<=/)d(?=[^\W\d_]\b)")


def worded(texts) -> list[str]:
    """The texts that hold a word outside math and `ALLOWED`."""
    plain = (_OPERATORS.sub(" ", _raised_and_lowered(text)) for text in texts)
    return [text for text, shown in zip(texts, plain, strict=True) if has_words(_ALLOWED.sub("", shown))]


def test_the_allowed_names_are_the_only_words_let_through():
    mathematics = [
        "sin x / x",
        "tanh(h W)",
        "x.grad = 5",
        "$f'(x)$",
        "η = 0.3, t = 20",
        "x² + eˣ",
        "Jᵀu",
        "dy/dx",
        "Δy/Δu",
    ]
    assert worded(mathematics) == []
    words = ["secant, slope 7", "class 0", "minimum", "loss", "do it"]
    assert worded(words) == words


def cube(x):
    return x**3


def wave(w):
    return 0.5 * (w - 2) ** 2 + 0.3 * np.sin(3 * w)


def wave_slope(w):
    return (w - 2) + 0.9 * np.cos(3 * w)


def bowl(x, y):
    return x**2 + x * y + 2 * y**2


def layer(p):
    return np.tanh(np.array([[1.0, 0.5], [-0.5, 1.0]]) @ p)


def layer_jacobian(p):
    return (1 - layer(p) ** 2)[:, None] * np.array([[1.0, 0.5], [-0.5, 1.0]])


def neuron(x, w, b=0.5):
    x, w, b = Value(x, label="x"), Value(w, label="w"), Value(b, label="b")
    wx = w * x
    wx.label = "w·x"
    z = wx + b
    z.label = "z"
    y = z.tanh()
    y.label = "y"
    return y


def _line_runs():
    path = np.array([(0.1 * t, -0.05 * t) for t in range(21)])
    return {0.3: (path, np.geomspace(5, 0.2, 21))}


def _surface():
    xs, ys = np.linspace(-0.5, 2.5, 31), np.linspace(-2.5, 1.0, 31)
    zs = np.add.outer(ys**2, xs**2)
    return {"xs": xs, "ys": ys, "zs": zs, "levels": [0.5, 1, 2, 4]}


def _moons():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    return X, (X[:, 0] > 0).astype(int)


_X, _Y = _moons()
_XS, _YS = np.linspace(-2, 2, 9), np.linspace(-2, 2, 7)
_PROBS = [1 / (1 + np.exp(-np.add.outer(0 * _YS, k * _XS))) for k in (0.5, 2.0)]
_NET = {10: {"losses": np.geomspace(1, 0.01, 51), "probs": _PROBS}}

#: (plot function, its arguments as a chapter passes them, its axes: "2" two stacked, "1x2" side by side, "3d",
#: or one)
CASES = [
    (nudge.plots.plot_secant, {"f": cube, "df": lambda x: 3 * x**2, "x": 1.0, "eps": 1.0, "ylim": (-10, 20)}, ""),
    (nudge.plots.plot_secant, {"f": cube, "x": -2.0, "eps": 1e-3}, ""),
    (nudge.plots.plot_step_errors, {"f": cube, "df_dx": 12.0, "x": 2.0, "mark": 1e-3}, ""),
    (nudge.plots.plot_step_errors, {"f": cube, "df_dx": 12.0, "x": 2.0, "methods": ("backward",)}, ""),
    *[(nudge.plots.plot_downhill, {"loss": wave, "dloss": wave_slope, "w": w}, "") for w in (-0.5, 2.0, 4.5)],
    (nudge.plots.plot_downhill, {"loss": lambda w: w**2, "dloss": lambda w: 2 * w, "w": 0.0}, ""),
    (nudge.plots.plot_tangent_and_derivative, {"f": cube, "df": lambda x: 3 * x**2, "x": -2.0}, "2"),
    *[(nudge.plots.plot_power_rule, {"n": n, "x": x}, "") for n, x in ((-2, 0.0), (-1, 1.5), (0, 1.0), (5, -1.5))],
    (nudge.plots.plot_square_nudge, {"x": 2.0, "eps": 0.4}, ""),
    (
        nudge.plots.plot_critical_points,
        {"f": cube, "df": lambda x: 3 * x**2, "d2f": lambda x: 6 * x, "points": [0.0], "name": "x³"},
        "2",
    ),
    *[(nudge.plots.plot_cubic_family, {"a": a}, "2") for a in (-3.0, 0.0, 3.0)],
    *[(nudge.plots.plot_rule, {"rule": rule, "x": 1.0}, "2") for rule in nudge.plots.ch02_polynomials.RULES],
    (nudge.plots.plot_activation, {"f": relu, "df": relu_slope, "x": 1.0, "name": "ReLU", "kinks": (0,)}, "2"),
    (nudge.plots.plot_activation, {"f": sigmoid, "df": sigmoid_slope, "x": -8.0, "name": "σ"}, "2"),
    (nudge.plots.plot_activation, {"f": sigmoid, "df": sigmoid_slope, "name": "σ"}, "2"),
    *[(nudge.plots.plot_secant_at_kink, {"f": relu, "x": 0.0, "eps": eps}, "") for eps in (-1.0, 0.1)],
    *[
        (nudge.plots.plot_chain_slopes, {"f": sigmoid, "df": sigmoid_slope, "x": x, "n": n}, "")
        for x, n in ((-6.0, 1), (0.0, 20))
    ],
    *[
        (nudge.plots.plot_partial_slice, {"f": bowl, "x": 1.0, "y": -1.0, "along": along, "zlim": (-1, 12)}, "2")
        for along in ("x", "y")
    ],
    (nudge.plots.plot_surface_slice, {"f": bowl, "x": 1.0, "y": -1.0}, "3d"),
    (nudge.plots.plot_gradient_field, {"f": bowl, "num": 5}, ""),
    *[(nudge.plots.plot_gradient, {"f": bowl, "x": x, "y": y}, "2") for x, y in ((1.2, -0.8), (0.0, 0.0))],
    *[
        (nudge.plots.plot_descent, {"f": bowl, "start": (-1.8, 1.5), "lr": 0.25, "steps": steps, "max_steps": 8}, "2")
        for steps in (0, 1, 8)
    ],
    (nudge.plots.plot_descent, {"f": bowl, "start": (-1.8, 1.5), "lr": 0.1, "steps": 3}, ""),
    *[
        (
            nudge.plots.plot_composition,
            {"f": np.sin, "g": np.square, "df": np.cos, "dg": lambda x: 2 * x, "x": x, "eps": 0.3},
            "2",
        )
        for x in (-1.5, 0.0)
    ],
    (nudge.plots.plot_pipeline, {"stages": ["x", "u = x²"], "values": [1.5, 2.25], "local_derivatives": [3.0]}, ""),
    (
        nudge.plots.plot_pipeline,
        {
            "stages": ["x", "u = x²", "y = sin u"],
            "values": [1.5, 2.25, 0.78],
            "local_derivatives": [3.0, -0.63],
            "derivative_names": ["du/dx = 2x", "dy/du = cos u"],
            "product_name": "dy/dx",
            "vertical": True,
        },
        "",
    ),
    (
        nudge.plots.plot_paths,
        {"nodes": {"x": (0.2, 0.5, "x\n0.75"), "f": (0.8, 0.5, "f = u·v\n0.38")}, "edges": [("x", "f", "df/dx = 1")]},
        "",
    ),
    *[(nudge.plots.plot_neuron, {"w": w, "x": x, "b": 0.25, "y": 1.0}, "2") for w, x in ((-3.0, 0.0), (3.0, 2.0))],
    (nudge.plots.plot_loss_curve, {"losses": np.geomspace(5, 0.2, 21), "upto": 10, "best": 0.2}, ""),
    (nudge.plots.plot_descent_path, {**_surface(), "path": _line_runs()[0.3][0], "best": (1.0, -1.0)}, ""),
    (nudge.plots.plot_decision_boundary, {"X": _X, "y": _Y, "xs": _XS, "ys": _YS, "prob": _PROBS[1]}, ""),
    (nudge.plots.plot_classes, {"X": _X, "y": _Y}, ""),
    *[
        (
            nudge.plots.plot_line_run,
            {"runs": _line_runs(), "lr": 0.3, "step": step, "surface": _surface(), "best": (1, -1), "loss_best": 0.2},
            "2",
        )
        for step in (0, 1, 20)
    ],
    *[
        (nudge.plots.plot_network_run, {"runs": _NET, "lr": 10, "step": step, "X": _X, "y": _Y, "xs": _XS, "ys": _YS})
        + ("2",)
        for step in (0, 25)
    ],
    *[
        (nudge.plots.plot_local_linear_map, {"f": layer, "jac": layer_jacobian, "x1": 0.5, "x2": -1.0, "eps": eps}, "2")
        for eps in (0.01, 1.0)
    ],
    (nudge.plots.plot_jvp_vjp, {"J": layer_jacobian(np.array([0.5, -0.3])), "angle": 30.0, "lim": 1.5}, "2"),
    *[
        (nudge.plots.plot_gradient_norms, {"depth": depth, "gain": gain, "activation": phi}, "")
        for depth, gain, phi in ((5, 0.5, "tanh"), (30, 2.0, "relu"))
    ],
    *[(nudge.plots.plot_output_saturation, {"z": z}, "") for z in (-8.0, 0.0)],
    (nudge.plots.plot_softmax_jacobian, {"temperature": 0.1}, "2"),
    (nudge.plots.plot_softmax_jacobian, {"temperature": 10.0}, "2"),
    (nudge.plots.plot_layer_norm_gradient, {"x_angle": 45.0, "g_angle": 120.0}, ""),
    *[(nudge.plots.plot_residual_gradients, {"depth": depth, "gain": 0.5}, "") for depth in (5, 50)],
    *[(nudge.plots.plot_checkpointing, {"depth": 36, "segment": segment}, "") for segment in (1, 6)],
    (nudge.plots.plot_digits, {"images": np.zeros((2, 64)), "titles": ["3", "3 → 8"]}, "1x2"),
    (nudge.graphs.plot_graph_at, {"build": neuron, "x": 1.0, "w": -1.0}, ""),
    *[(nudge.graphs.plot_graph_at, {"build": square_plus, "step": step, "x": 2.0}, "") for step in range(4)],
    *[
        (nudge.graphs.plot_repeated_backward, {"build": square_plus, "calls": calls, "zero_grad": zero, "x": 2.0}, "2")
        for calls, zero in ((1, True), (6, False))
    ],
]


def _axes(kind: str):
    fig = Figure(figsize=(5.6, 5.6 if kind == "2" else 3.6), layout="constrained")
    FigureCanvasAgg(fig)  # drawn for real: tick labels are written then
    if kind == "3d":
        return fig, fig.add_subplot(projection="3d")
    return fig, fig.subplots(2, 1) if kind == "2" else fig.subplots(1, 2) if kind == "1x2" else fig.subplots()


def _case_id(case) -> str:
    plot_fn, values, _ = case
    shown = ",".join(f"{k}={v:g}" for k, v in values.items() if isinstance(v, float | int) and not isinstance(v, bool))
    return f"{plot_fn.__name__}({shown})"


def test_every_plot_function_is_drawn_here():
    """A new plot function joins `CASES`, with its chapter's arguments, or this fails."""
    everything = {
        value
        for module in (nudge.plots, nudge.graphs)
        for name, value in vars(module).items()
        if name.startswith("plot_") and callable(value)
    }
    assert sorted(fn.__name__ for fn in everything - {plot_fn for plot_fn, _, _ in CASES}) == []


@pytest.mark.filterwarnings("ignore")  # a warning is the plot tests' business; here only the text counts
@pytest.mark.parametrize("case", CASES, ids=[_case_id(case) for case in CASES])
def test_a_picture_carries_no_words(case):
    plot_fn, values, kind = case
    fig, axes = _axes(kind)
    plot_fn(axes, **values)
    fig.canvas.draw()
    texts = figure_texts(fig)
    assert texts, "the picture shows no text at all: is it drawn?"
    assert worded(texts) == [], f"words in a picture shared by every edition (say them in the caption): {texts}"


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda path: path.stem)
def test_a_chapters_own_figures_carry_no_words(path):
    """The figures a chapter draws in its cells, read from the texts each PNG output lists (`nudge.style`)."""
    unrecorded, worded_texts = [], []
    for number, cell in enumerate(nbformat.read(path, as_version=4).cells):
        for output in cell.get("outputs", []):
            if "image/png" not in output.get("data", {}):
                continue
            where = f"cell {cell.get('id') or number}"
            texts = output.get("metadata", {}).get("image/png", {}).get(TEXTS_KEY)
            if texts is None:
                unrecorded.append(where)
            elif found := worded(texts):
                worded_texts.append(f"{where}: {found}")
    assert not unrecorded, f"{path.name}: figures whose texts are not recorded (run `make notebooks`): {unrecorded}"
    assert not worded_texts, f"{path.name}: figures with words in them:\n" + "\n".join(worded_texts)
