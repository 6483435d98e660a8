"""The scalar engine against micrograd 0.1.0 on micrograd's own demo: one forward + backward pass.

Usage: .venv/bin/python -m bench.engine      (make bench runs it; micrograd is pinned in
bench/requirements.txt, for this comparison only)

The demo (micrograd's demo.ipynb): a 2-16-16-1 ReLU MLP on the demo's 100 points of the two moons
(scikit-learn's, drawn after `np.random.seed(1337)`), labels ±1, hinge loss max(0, 1 - y·score)
averaged, plus L2 with alpha 1e-4. micrograd's `nn.MLP` is built with its own code; the same
network (the same weights, the same operations in the same order) is built on
`nudge.autodiff.Value`, and the two must give the identical loss and the same gradients (to
rounding: micrograd sums a gradient in the order of a set). Then pairs of runs are timed,
micrograd and nudge in turn, and the median of the time ratios nudge / micrograd is printed with
its range. Times are this process's CPU time (`time.process_time`), so other work on a shared
machine disturbs them less than it would a wall clock.
"""

from __future__ import annotations

import random
import statistics
import time

from micrograd import nn as micrograd_nn
from micrograd.engine import Value as MicrogradValue
from sklearn.datasets import make_moons

from nudge.autodiff import Value

PAIRS = 9
ALPHA = 1e-4


def demo_data():
    # the demo's own points: it seeds numpy's global generator with 1337, which make_moons then draws from
    X, y = make_moons(n_samples=100, noise=0.1, random_state=1337)
    return X.tolist(), (2 * y - 1).tolist()  # labels -1 and 1, as the demo's hinge loss wants


def micrograd_model():
    random.seed(1337)  # the demo's seed
    return micrograd_nn.MLP(2, [16, 16, 1])


def nudge_layers(model):
    """micrograd's weights as nudge `Value`s: per layer, per neuron, (weights, bias, relu?)."""
    return [
        [([Value(w.data) for w in neuron.w], Value(neuron.b.data), neuron.nonlin) for neuron in layer.neurons]
        for layer in model.layers
    ]


def nudge_forward(layers, x):
    # micrograd's Neuron: sum((wi * xi for ...), b), then relu on all layers but the last
    for layer in layers:
        x = [sum((wi * xi for wi, xi in zip(w, x, strict=True)), b) for w, b, _ in layer]
        x = [act.relu() if nonlin else act for act, (_, _, nonlin) in zip(x, layer, strict=True)]
    return x[0]


def nudge_parameters(layers):
    return [p for layer in layers for w, b, _ in layer for p in [*w, b]]


def demo_loss(value, forward, parameters, X, y):
    """The demo's loss, with `value` the engine's Value class: the same code runs on both engines."""
    inputs = [list(map(value, row)) for row in X]
    scores = [forward(x) for x in inputs]
    losses = [(1 + -yi * score).relu() for yi, score in zip(y, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in parameters)
    return data_loss + reg_loss


def micrograd_step(model, X, y):
    loss = demo_loss(MicrogradValue, model, model.parameters(), X, y)
    model.zero_grad()
    loss.backward()
    return loss


def nudge_step(layers, X, y):
    loss = demo_loss(Value, lambda x: nudge_forward(layers, x), nudge_parameters(layers), X, y)
    loss.backward()  # zeroes every gradient of the graph first
    return loss


def timed(step, *args) -> float:
    start = time.process_time()
    step(*args)
    return time.process_time() - start


def compare(pairs: int = PAIRS) -> dict:
    """Check both engines agree exactly, then time `pairs` interleaved pairs; ratios are nudge / micrograd."""
    X, y = demo_data()
    model = micrograd_model()
    layers = nudge_layers(model)
    theirs, ours = micrograd_step(model, X, y), nudge_step(layers, X, y)
    grads_theirs = [p.grad for p in model.parameters()]
    grads_ours = [p.grad for p in nudge_parameters(layers)]
    # micrograd keeps a node's inputs in a set, so a value used many times collects its gradient
    # in another order: the sums then differ in the last bits (about 1e-15 relative), no more
    worst = max(abs(a - b) / max(abs(a), 1e-300) for a, b in zip(grads_theirs, grads_ours, strict=True))
    if theirs.data != ours.data or worst > 1e-12:
        raise AssertionError(f"the engines disagree: loss {theirs.data!r} vs {ours.data!r}, gradients by {worst:.1e}")
    ratios, micrograd_s, nudge_s = [], [], []
    for _ in range(pairs):
        micrograd_s.append(timed(micrograd_step, model, X, y))
        nudge_s.append(timed(nudge_step, layers, X, y))
        ratios.append(nudge_s[-1] / micrograd_s[-1])
    return {
        "loss": ours.data,
        "parameters": len(grads_ours),
        "gradient_rel_diff": worst,
        "micrograd_s": statistics.median(micrograd_s),
        "nudge_s": statistics.median(nudge_s),
        "ratio_median": statistics.median(ratios),
        "ratio_range": [min(ratios), max(ratios)],
    }


def report(result: dict) -> str:
    low, high = result["ratio_range"]
    return (
        f"scalar engine, micrograd's demo ({result['parameters']} parameters; identical loss {result['loss']:.6f}, "
        f"gradients within {result['gradient_rel_diff']:.0e} relative): nudge {result['nudge_s'] * 1e3:.1f} ms, "
        f"micrograd {result['micrograd_s'] * 1e3:.1f} ms "
        f"per forward + backward; time ratio nudge / micrograd median {result['ratio_median']:.2f} "
        f"(range {low:.2f}–{high:.2f}, {PAIRS} interleaved pairs)"
    )


if __name__ == "__main__":
    print(report(compare()))
