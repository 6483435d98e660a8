"""Every operation × every engine against the one table of local derivatives (`nudge.rules`).

Each line of `ROWS` is an elementwise operation, how to call it on an engine's numbers, and the
points to try: 0, negatives, the kink of ReLU and large |x| among them. The table itself is checked
against sympy and central differences; `Value`, `Dual`, `Tensor` and the activations' `*_slope`
functions are checked against the table. Each line of `ARRAY_ROWS` is a structural operation of
`Tensor` (@, sum, softmax, max, indexing, layer norm, ...) with the shapes to draw random inputs of,
and the arrays where each is hardest (ties in softmax and max, logits of ±1000, repeated indices, rows
of equal entries in layer norm): `check_grads` holds its vector–Jacobian products to central differences.
Adding an operation means adding one line to `ROWS` or `ARRAY_ROWS`.
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


def array_row(rule, how, apply, *shapes, hard=False, edges=()):
    """`apply` at random inputs of `shapes`, at the hard logits if `hard`, and at each list of arrays in `edges`."""
    cases = [[logits] for logits in HARD_LOGITS.values()] if hard else []
    return pytest.param(apply, shapes, [*cases, *edges], id=f"{rule.name} {how}".strip())


# ties of two: central differences see the average of the two one-sided slopes, 1/2 each, which
# is what the max rule's equal share gives (a three-way tie is tested on its own, below)
TWO_WAY_TIES = np.array([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, -1.0, 0.0], [0.0, 5.0, 1.0, 5.0]])
EQUAL_ROWS = np.array([[2.0, 2.0, 2.0, 2.0], [0.0, 0.0, 0.0, 0.0], [-1.0, 3.0, 0.5, 2.0]])  # variance 0 twice
SCALED_ROWS = np.array([[1e3, -1e3, 5e2, 0.0], [1e-3, 2e-3, 0.0, -1e-3], [1.0, 1.0 + 1e-4, 1.0, 1.0]])


def attention(q, k, v):
    # scaled dot-product attention for a batch of 2 sequences: softmax(Q Kᵀ / √d) V
    return (q @ k.swapaxes() / np.sqrt(q.shape[-1])).softmax(axis=-1) @ v


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
    array_row(RULES["max"], "", lambda a: a.max(), (2, 3, 4), edges=[[TWO_WAY_TIES[:2]]]),
    array_row(RULES["max"], "axis=1", lambda a: a.max(axis=1), (3, 4), edges=[[TWO_WAY_TIES]]),
    array_row(RULES["max"], "axis=0 keepdims", lambda a: a.max(0, keepdims=True), (4, 3), edges=[[TWO_WAY_TIES.T]]),
    array_row(RULES["max"], "pooling", lambda a: a.reshape(3, 2, 2).max(axis=-1), (3, 4), edges=[[TWO_WAY_TIES]]),
    array_row(RULES["index"], "rows, repeated", lambda a: a[np.array([2, 0, 2, 2])], (3, 4)),
    array_row(RULES["index"], "embedding", lambda a: a[np.array([[0, 1, 1], [3, 0, 0]])], (4, 2)),
    array_row(RULES["index"], "gather", lambda a: a[np.arange(3), LABELS], (3, 4)),
    array_row(RULES["index"], "slice", lambda a: a[:, 1:3], (3, 4)),
    array_row(RULES["index"], "integer", lambda a: a[-1], (3, 4)),
    array_row(RULES["layer_norm"], "", lambda x: x.layer_norm(), (3, 4), edges=[[EQUAL_ROWS], [SCALED_ROWS]]),
    array_row(RULES["layer_norm"], "eps=0", lambda x: x.layer_norm(eps=0.0), (2, 3, 5)),
    array_row(RULES["layer_norm"], "eps=0.1", lambda x: x.layer_norm(eps=0.1), (3, 4), edges=[[EQUAL_ROWS]]),
    array_row(RULES["swapaxes"], "", lambda a: a.swapaxes(), (2, 3, 4)),
    array_row(RULES["swapaxes"], "axes 0 and 2", lambda a: a.swapaxes(0, 2), (2, 3, 4)),
    array_row(RULES["bmm"], "batches", lambda a, b: a @ b, (2, 3, 4), (2, 4, 5)),
    array_row(RULES["bmm"], "shared right", lambda a, b: a @ b, (2, 3, 4), (4, 5)),
    array_row(RULES["bmm"], "shared left", lambda a, b: a @ b, (3, 4), (2, 4, 5)),
    array_row(RULES["bmm"], "stretched batch", lambda a, b: a @ b, (1, 3, 4), (2, 4, 5)),
    array_row(RULES["bmm"], "attention", attention, (2, 3, 4), (2, 5, 4), (2, 5, 2)),
]


@pytest.mark.parametrize(("apply", "shapes", "edges"), ARRAY_ROWS)
def test_tensors_structural_rows_match_central_differences(apply, shapes, edges):
    rng = np.random.default_rng(len(shapes) * 10 + sum(map(len, shapes)))
    cases = [[rng.normal(size=shape) for shape in shapes] for _ in range(3)]
    for arrays in cases + edges:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # overflow in exp or log(0) would warn: the rows must be stable
            check_grads(apply, *map(Tensor, arrays), modes=("rev",))


def test_every_rule_has_a_row():
    tested = {r.id for r in ROWS} | {r.id.split()[0] for r in ARRAY_ROWS}
    assert set(RULES) <= tested


def test_max_shares_a_tie_of_any_size_and_gives_a_subgradient():
    # at a tie max has no derivative; its one-sided slopes are max and min of v over the tied entries.
    # the equal share is a subgradient: every one-sided slope along v is at least grad · v
    a = Tensor([[4.0, 4.0, 4.0, 1.0]])
    a.max(axis=1).sum().backward()
    np.testing.assert_allclose(a.grad, [[1 / 3, 1 / 3, 1 / 3, 0.0]])
    rng = np.random.default_rng(5)
    for v in rng.normal(size=(20, 1, 4)):
        one_sided = ((a.data + 1e-7 * v).max() - a.data.max()) / 1e-7
        assert one_sided >= float(np.sum(a.grad * v)) - 1e-9


def test_index_scatter_adds_what_a_gather_picked_more_than_once():
    E = Tensor(np.arange(8.0).reshape(4, 2))
    tokens = np.array([[1, 1, 3], [1, 0, 3]])
    (E[tokens] * 2.0).sum().backward()
    np.testing.assert_array_equal(E.grad, [[2.0, 2.0], [6.0, 6.0], [0.0, 0.0], [4.0, 4.0]])
    assert Tensor([1.0, 2.0])[Tensor([1.0, 1.0])].data.tolist() == [2.0, 2.0]  # positions as a Tensor
    with pytest.raises(TypeError, match="whole-number positions"):
        Tensor([1.0, 2.0])[np.array([0.5])]
    with pytest.raises(IndexError, match="can't index shape"):
        Tensor([1.0, 2.0])[5]


def test_layer_norm_of_a_row_of_equal_entries_is_zero_with_a_finite_gradient():
    x = Tensor([[3.0, 3.0, 3.0]])
    y = x.layer_norm()
    np.testing.assert_array_equal(y.data, [[0.0, 0.0, 0.0]])
    (y * np.array([1.0, 2.0, 6.0])).sum().backward()
    # the rule there: (g - mean g) / sqrt(eps), finite, and the mean of g removed
    np.testing.assert_allclose(x.grad, (np.array([[1.0, 2.0, 6.0]]) - 3.0) / np.sqrt(1e-5))
    with pytest.raises(ValueError, match="eps"):
        x.layer_norm(eps=-1.0)


def test_batched_matmul_refuses_shapes_that_do_not_fit():
    with pytest.raises(ValueError, match="inner dimensions differ"):
        Tensor(np.ones((2, 3, 4))) @ Tensor(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match="batch dimensions"):
        Tensor(np.ones((2, 3, 4))) @ Tensor(np.ones((3, 4, 5)))
