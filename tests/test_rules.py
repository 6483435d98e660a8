"""Every operation × every engine against the one table of local derivatives (`nudge.rules`).

Each line of `ROWS` is an elementwise operation, how to call it on an engine's numbers, and the
points to try: 0, negatives, the kink of ReLU and large |x| among them. The table itself is checked
against sympy and central differences; `Value`, `Dual`, `Tensor` and the activations' `*_slope`
functions are checked against the table. Each line of `ARRAY_ROWS` is a structural operation of
`Tensor` (@, sum, softmax, ...) with the shapes to draw random inputs of, and the arrays where
softmax is hardest (ties, logits of ±1000): `check_grads` holds its vector–Jacobian products to
central differences. Adding an operation means adding one line to `ROWS` or `ARRAY_ROWS`.
"""

from __future__ import annotations

import operator
import warnings

import numpy as np
import pytest
import sympy as sp

from nudge import activations
from nudge.autodiff import Dual, Value, topological_order
from nudge.gradcheck import check_grads
from nudge.numeric import central_difference
from nudge.rules import RULES, by_symbol, power
from nudge.tensor import Tensor


def row(rule, apply, *points, kinks=()):
    return pytest.param(rule, apply, points, kinks, id=rule.name)


def method(name):
    return lambda a: getattr(a, name)()


LARGE = 30.0  # e**30 is about 1e13; sigmoid and tanh are flat to 13 digits there
ROWS = [
    row(RULES["add"], operator.add, (2.0, 3.0), (-1.5, 0.0), (0.0, 0.0), (1e3, -1e3)),
    row(RULES["sub"], operator.sub, (2.0, 3.0), (-1.5, 0.0), (0.0, 0.0), (1e3, -1e3)),
    row(RULES["mul"], operator.mul, (2.0, 3.0), (-1.5, 0.0), (0.0, 0.0), (1e3, -1e3)),
    row(RULES["div"], operator.truediv, (3.0, -2.0), (0.0, 4.0), (-1e3, 0.5), (1.0, 1e3)),
    row(RULES["neg"], operator.neg, (2.0,), (0.0,), (-LARGE,)),
    row(power(0), lambda a: a**0, (0.0,), (-2.0,), (3.0,)),
    row(power(1), lambda a: a**1, (0.0,), (-2.0,), (LARGE,)),
    row(power(2), lambda a: a**2, (0.0,), (-1.5,), (1e3,)),
    row(power(3), lambda a: a**3, (0.0,), (-1.5,), (LARGE,)),
    row(power(-1), lambda a: a**-1, (-2.0,), (0.5,), (1e3,)),
    row(power(0.5), lambda a: a**0.5, (1e-3,), (4.0,), (1e4,)),
    row(RULES["exp"], method("exp"), (-LARGE,), (-1.0,), (0.0,), (2.0,), (LARGE,)),
    row(RULES["log"], method("log"), (1e-3,), (0.5,), (1.0,), (LARGE,)),
    row(RULES["tanh"], method("tanh"), (-LARGE,), (-1.0,), (0.0,), (0.5,), (LARGE,)),
    row(RULES["relu"], method("relu"), (-2.0,), (-1e-3,), (0.0,), (1e-3,), (LARGE,), kinks=(0.0,)),
    row(RULES["sigmoid"], method("sigmoid"), (-LARGE,), (-1.0,), (0.0,), (1.0,), (LARGE,)),
]


def table_slopes(rule, point):
    out = rule.forward(*point)
    return [float(slope(*point, out)) for slope in rule.slopes]


def close(expected):
    # the slopes of sigmoid and tanh at |x| = 30 are about 1e-13: rounding of 1 - out is ~1e-16
    return pytest.approx(expected, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize(("rule", "apply", "points", "kinks"), ROWS)
def test_the_table_agrees_with_sympy_and_with_central_differences(rule, apply, points, kinks):
    symbols = sp.symbols(f"a:{rule.arity}", real=True)
    expression = rule.symbolic(sp, *symbols)
    for point in points:
        slopes = table_slopes(rule, point)
        if point[0] in kinks:
            assert slopes == [0.0], "at a kink the table takes the frameworks' convention, slope 0"
            continue
        at = dict(zip(symbols, point, strict=True))
        assert float(expression.subs(at)) == close(float(rule.forward(*point)))
        for i, symbol in enumerate(symbols):
            assert slopes[i] == close(float(sp.diff(expression, symbol).subs(at))), (rule.name, point, i)

            def along(t, i=i, point=point):
                return float(rule.forward(*(t if j == i else p for j, p in enumerate(point))))

            h = 1e-6 * max(1.0, abs(point[i]))
            assert central_difference(along, point[i], h) == pytest.approx(slopes[i], rel=1e-5, abs=1e-9)


@pytest.mark.parametrize(("rule", "apply", "points", "kinks"), ROWS)
def test_value_follows_the_table(rule, apply, points, kinks):
    for point in points:
        inputs = [Value(p) for p in point]
        out = apply(*inputs)
        out.backward()
        assert out.data == close(float(rule.forward(*point)))
        assert [x.grad for x in inputs] == close(table_slopes(rule, point)), (rule.name, point)


@pytest.mark.parametrize(("rule", "apply", "points", "kinks"), ROWS)
def test_dual_follows_the_table(rule, apply, points, kinks):
    for point in points:
        for i, slope in enumerate(table_slopes(rule, point)):
            out = apply(*(Dual(p, 1.0 if j == i else 0.0) for j, p in enumerate(point)))
            assert out.value == close(float(rule.forward(*point)))
            assert out.deriv == close(slope), (rule.name, point, i)


@pytest.mark.parametrize(("rule", "apply", "points", "kinks"), ROWS)
def test_tensor_follows_the_table_at_every_point_at_once(rule, apply, points, kinks):
    columns = np.array(points).T  # one Tensor per input, one entry per point
    inputs = [Tensor(column) for column in columns]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a nan from 0 * inf (as x ** 0 at 0 once gave) warns first
        out = apply(*inputs)
        out.sum().backward()
    np.testing.assert_allclose(out.data, rule.forward(*columns), rtol=1e-12)
    expected = np.array([table_slopes(rule, point) for point in points]).T
    for x, slopes in zip(inputs, expected, strict=True):
        np.testing.assert_allclose(x.grad, slopes, rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize(("rule", "apply", "points", "kinks"), [r for r in ROWS if r.id in ("relu", "sigmoid", "tanh")])
def test_the_activations_slopes_follow_the_table(rule, apply, points, kinks):
    slope_function = getattr(activations, f"{rule.name}_slope")
    for point in points:
        assert slope_function(point[0]) == close(table_slopes(rule, point)[0]), point


def test_a_constant_power_has_slope_zero_even_at_zero():
    # n * a**(n-1) is 0 * inf = nan at a = 0 when n = 0: the rule must say 0 there, in every engine
    assert power(0).slopes[0](0.0, 1.0) == 0.0
    x = Tensor([0.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (x**0).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])
    v = Value(0.0)
    (v**0).backward()
    assert v.grad == 0.0
    assert (Dual(0.0, 1.0) ** 0).deriv == 0.0


@pytest.mark.parametrize(("rule", "apply", "points", "kinks"), ROWS)
def test_the_nodes_every_engine_makes_are_rows_of_the_table(rule, apply, points, kinks):
    # the graph drawer shows a node by its row, so no engine may name an operation the table lacks
    out = apply(*(Value(p) for p in points[0]))
    assert all(by_symbol(node._op) is not None for node in topological_order(out) if node._prev)
    assert by_symbol(apply(*(Tensor([p]) for p in points[0]))._op) is rule


# --- the structural operations of `Tensor`: random inputs of each shape, and the hard cases -----

LABELS = np.array([2, 0, 3])
TARGETS = np.array([[1.0, 0.0, 0.5, 1.0], [0.0, 1.0, 1.0, 0.0], [0.25, 0.0, 1.0, 1.0]])
HARD_LOGITS = {
    "ties": np.zeros((3, 4)),
    "large": np.array([[800.0, -800.0, 0.0, 1.0], [-750.0, 700.0, 3.0, 2.0], [1e3, 1e3, -1e3, 0.0]]),
}


def array_row(rule, how, apply, *shapes, hard=False):
    return pytest.param(apply, shapes, hard, id=f"{rule.name} {how}".strip())


ARRAY_ROWS = [
    array_row(RULES["matmul"], "vectors", lambda a, b: a @ b, (3,), (3,)),
    array_row(RULES["matmul"], "matrix @ vector", lambda a, b: a @ b, (2, 3), (3,)),
    array_row(RULES["matmul"], "vector @ matrix", lambda a, b: a @ b, (3,), (3, 2)),
    array_row(RULES["matmul"], "matrices", lambda a, b: a @ b, (2, 3), (3, 4)),
    array_row(RULES["sum"], "", lambda a: a.sum(), (2, 3, 4)),
    array_row(RULES["sum"], "axis=1", lambda a: a.sum(axis=1), (2, 3, 4)),
    array_row(RULES["sum"], "axes (0, 2) keepdims", lambda a: a.sum(axis=(0, 2), keepdims=True), (2, 3, 4)),
    array_row(RULES["mean"], "", lambda a: a.mean(), (2, 3, 4)),
    array_row(RULES["mean"], "axis=-1", lambda a: a.mean(axis=-1), (2, 3, 4)),
    array_row(RULES["mean"], "axis=0 keepdims", lambda a: a.mean(axis=0, keepdims=True), (2, 3, 4)),
    array_row(RULES["transpose"], "", lambda a: a.T, (3, 4)),
    array_row(RULES["reshape"], "", lambda a: a.reshape(4, 3), (3, 4)),
    array_row(RULES["reshape"], "-1", lambda a: a.reshape(-1), (3, 4)),
    array_row(RULES["softmax"], "rows", lambda z: z.softmax(axis=1), (3, 4), hard=True),
    array_row(RULES["softmax"], "columns", lambda z: z.softmax(axis=0), (3, 4), hard=True),
    array_row(RULES["log_softmax"], "rows", lambda z: z.log_softmax(axis=-1), (3, 4), hard=True),
    array_row(RULES["log_softmax"], "columns", lambda z: z.log_softmax(axis=0), (3, 4), hard=True),
    array_row(RULES["cross_entropy"], "", lambda z: z.cross_entropy(LABELS), (3, 4), hard=True),
    array_row(RULES["binary_cross_entropy"], "", lambda z: z.binary_cross_entropy(TARGETS), (3, 4), hard=True),
]


@pytest.mark.parametrize(("apply", "shapes", "hard"), ARRAY_ROWS)
def test_tensors_structural_rows_match_central_differences(apply, shapes, hard):
    rng = np.random.default_rng(len(shapes) * 10 + sum(map(len, shapes)))
    cases = [[rng.normal(size=shape) for shape in shapes] for _ in range(3)]
    cases += [[logits] for logits in HARD_LOGITS.values()] if hard else []
    for arrays in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # overflow in exp or log(0) would warn: the rows must be stable
            check_grads(apply, *map(Tensor, arrays), modes=("rev",))


def test_every_rule_has_a_row():
    tested = {r.id for r in ROWS} | {r.id.split()[0] for r in ARRAY_ROWS}
    assert set(RULES) <= tested
