"""`Tensor` against central differences and against the scalar `Value` engine, element by element.

The reference for every gradient is independent of `Tensor`: either nudging each input
(central differences, by `check_grads`) or the same expression on numpy arrays of `Value`s (dtype object), where
numpy does the broadcasting and the scalar engine does the chain rule one number at a time.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_moons

from nudge.autodiff import Value
from nudge.gradcheck import check_grads
from nudge.tensor import Tensor, topological_order

seeds = st.integers(0, 2**32 - 1)

grads_of = np.vectorize(lambda v: v.grad, otypes=[float])


def unwrap(x):
    """A 0-d array as the one thing it holds: `Value` and numpy's 0-d arrays don't mix."""
    return x[()] if isinstance(x, np.ndarray) and x.ndim == 0 else x


def as_values(array):
    """One `Value` per number, in an object array of the same shape (a bare `Value` for shape ())."""
    return unwrap(np.vectorize(Value, otypes=[object])(array))


def align(p, q):
    """A bare `Value` next to an object array becomes an all-ones-shape array holding that same `Value`.

    `Value`'s operators refuse arrays, so `value * array` would fail where numpy's broadcasting of
    a shape-() input is wanted; the gradient still lands on the one shared `Value`.
    """

    def lift(x, other):
        if isinstance(x, Value) and isinstance(other, np.ndarray):
            lifted = np.empty((1,) * other.ndim, dtype=object)
            lifted.flat[0] = x
            return lifted
        return x

    return lift(p, q), lift(q, p)


def call(x, method):
    """`x.method()` on a Tensor or a `Value`, or on each `Value` of an object array."""
    if isinstance(x, (Tensor, Value)):
        return getattr(x, method)()
    return unwrap(np.vectorize(lambda v: getattr(v, method)(), otypes=[object])(x))


def total(x):
    """The sum of all entries: a one-element Tensor, or a single `Value`."""
    if isinstance(x, (Tensor, Value)):
        return x.sum() if isinstance(x, Tensor) else x
    return np.asarray(x, dtype=object).sum()


def both_engines(expression, *arrays):
    """Gradients of `expression(*inputs)` with respect to each input, from `Tensor` and from `Value`."""
    tensors = [Tensor(a) for a in arrays]
    loss = expression(*tensors)
    loss.backward()
    values = [as_values(a) for a in arrays]
    scalar_loss = expression(*values)
    scalar_loss.backward()
    assert loss.item() == pytest.approx(scalar_loss.data, rel=1e-12, abs=1e-12)
    return [t.grad for t in tensors], [grads_of(v) for v in values]


# --- random expressions: a short program of operations on two broadcastable inputs ------

UNARY = {
    "tanh": lambda t: call(t, "tanh"),
    "sigmoid": lambda t: call(t, "sigmoid"),
    "relu": lambda t: call(t, "relu"),
    "neg": lambda t: -t,
    "cube": lambda t: t**3,
    "log(1 + t^2)": lambda t: call(t * t + 1, "log"),
    "exp(tanh t)": lambda t: call(call(t, "tanh"), "exp"),
}
BINARY = {
    "+": lambda p, q: p + q,
    "-": lambda p, q: p - q,
    "*": lambda p, q: p * q,
    "/": lambda p, q: p / (q * q + 1),  # never divides by zero
    "number - p": lambda p, q: 2.5 - p,
    "number / p": lambda p, q: 1.0 / (p * p + 0.5),
    "number * p + q": lambda p, q: 3.0 * p + q,
}
SHAPE_PAIRS = [
    ((3,), (3,)),
    ((4, 3), (3,)),
    ((4, 3), (4, 1)),
    ((2, 1, 3), (4, 1)),
    ((), (2, 2)),
    ((1,), (3, 2)),
    ((2, 3), (1, 1)),
]
instruction = st.tuples(st.sampled_from(sorted(UNARY) + sorted(BINARY)), st.integers(0, 10), st.integers(0, 10))


def run_program(program):
    def expression(a, b):
        nodes = [a, b]
        for name, i, j in program:
            p, q = nodes[i % len(nodes)], nodes[j % len(nodes)]
            nodes.append(UNARY[name](p) if name in UNARY else BINARY[name](*align(p, q)))
        # every input reaches the loss through at least one path; the mean exercises `mean`
        middle = nodes[len(nodes) // 2] * 1.0
        mean = middle if isinstance(middle, Value) else middle.mean()
        return total(nodes[-1]) + total(BINARY["*"](*align(a, b))) * 0.5 + mean

    return expression


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(SHAPE_PAIRS), st.lists(instruction, min_size=1, max_size=6), seeds)
def test_random_expressions_match_the_scalar_engine(shapes, program, seed):
    rng = np.random.default_rng(seed)
    a, b = (rng.uniform(-1.5, 1.5, size=shape) for shape in shapes)
    tensor_grads, value_grads = both_engines(run_program(program), a, b)
    for got, expected, shape in zip(tensor_grads, value_grads, shapes, strict=True):
        assert got.shape == shape
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-9)


# --- small networks: against central differences and against the scalar engine ---------


def network_loss(params, X, y, activation, loss_kind):
    W1, b1, W2, b2 = params
    hidden = call(X @ W1 + b1, activation)
    z = hidden @ W2 + b2
    if loss_kind == "squared":
        return ((z - y.reshape(-1, 1)) ** 2).mean()
    return (call(call(z, "exp") + 1, "log") - y.reshape(-1, 1) * z).mean()  # cross-entropy from logits


network_shapes = st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(1, 5))


def random_network(seed, n, d, h):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = rng.integers(0, 2, size=n).astype(float)
    params = [rng.normal(size=(d, h)), rng.normal(size=h), rng.normal(size=(h, 1)), rng.normal(size=1)]
    return X, y, params


@settings(max_examples=60, deadline=None)
@given(seeds, network_shapes, st.sampled_from(["tanh", "sigmoid"]), st.sampled_from(["squared", "cross-entropy"]))
def test_network_gradients_match_central_differences(seed, shape, activation, loss_kind):
    X, y, params = random_network(seed, *shape)

    def loss(*p):
        return network_loss(p, X, y, activation, loss_kind)

    check_grads(loss, *map(Tensor, params), modes=("rev",), rtol=1e-5, atol=1e-7)


@settings(max_examples=60, deadline=None)
@given(
    seeds, network_shapes, st.sampled_from(["tanh", "sigmoid", "relu"]), st.sampled_from(["squared", "cross-entropy"])
)
def test_network_gradients_match_the_scalar_engine(seed, shape, activation, loss_kind):
    X, y, params = random_network(seed, *shape)
    tensor_grads, value_grads = both_engines(lambda *p: network_loss(p, X, y, activation, loss_kind), *params)
    for got, expected in zip(tensor_grads, value_grads, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


def test_the_chapter_model_gets_the_same_gradients_from_both_engines():
    # chapter 7: 2 inputs -> 8 tanh units -> 1 logit, cross-entropy, on the moons
    X, y = make_moons(n_samples=40, noise=0.15, random_state=7)
    rng = np.random.default_rng(1)
    params = [rng.normal(0, 0.7, (2, 8)), np.zeros(8), rng.normal(0, 0.35, (8, 1)), np.zeros(1)]
    tensor_grads, value_grads = both_engines(lambda *p: network_loss(p, X, y, "tanh", "cross-entropy"), *params)
    for got, expected in zip(tensor_grads, value_grads, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-14)


# --- broadcasting ------------------------------------------------------------------------


@st.composite
def broadcast_shapes(draw):
    """A shape and a smaller one numpy broadcasts to it (leading axes dropped, some set to 1), in either order."""
    full = draw(st.lists(st.integers(1, 4), min_size=0, max_size=3))
    start = draw(st.integers(0, len(full)))
    small = [1 if draw(st.booleans()) else size for size in full[start:]]
    pair = (tuple(full), tuple(small))
    return pair[::-1] if draw(st.booleans()) else pair


@settings(max_examples=200, deadline=None)
@given(broadcast_shapes(), st.sampled_from(["+", "-", "*", "/"]), seeds)
def test_broadcast_gradients_are_summed_back_to_each_input_shape(shapes, op, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.uniform(0.5, 2.0, size=shapes[0]), rng.uniform(0.5, 2.0, size=shapes[1])
    weights = unwrap(rng.normal(size=np.broadcast_shapes(*shapes)))  # so each output entry has its own gradient

    def expression(p, q):
        return total(BINARY[op](*align(p, q)) * weights)

    tensor_grads, value_grads = both_engines(expression, a, b)
    for got, expected, shape in zip(tensor_grads, value_grads, shapes, strict=True):
        assert got.shape == shape
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


def test_a_bias_added_to_every_row_collects_the_gradient_of_all_rows():
    rows = Tensor(np.arange(12.0).reshape(4, 3))
    bias = Tensor([1.0, 2.0, 3.0])
    weights = np.array([[1.0], [2.0], [3.0], [4.0]])
    ((rows + bias) * weights).sum().backward()
    np.testing.assert_array_equal(bias.grad, [10.0, 10.0, 10.0])  # 1 + 2 + 3 + 4 for each entry
    np.testing.assert_array_equal(rows.grad, np.repeat(weights, 3, axis=1))


# --- matmul, sum and mean ------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(st.sampled_from([((3,), (3,)), ((3,), (3, 2)), ((2, 3), (3,)), ((2, 3), (3, 4)), ((1, 1), (1, 5))]), seeds)
def test_matmul_gradients_match_the_scalar_engine_for_vectors_and_matrices(shapes, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=shapes[0]), rng.normal(size=shapes[1])
    weights = unwrap(rng.normal(size=np.shape(a @ b)))
    tensor_grads, value_grads = both_engines(lambda p, q: total((p @ q) * weights), a, b)
    for got, expected in zip(tensor_grads, value_grads, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("reduce", ["sum", "mean"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_sum_and_mean_over_axes_match_the_scalar_engine(reduce, axis, keepdims):
    rng = np.random.default_rng(0)
    a = rng.normal(size=(2, 3, 4))
    weights = unwrap(rng.normal(size=np.shape(getattr(a, reduce)(axis=axis, keepdims=keepdims))))

    def expression(p):
        return total(getattr(p, reduce)(axis=axis, keepdims=keepdims) * weights)

    (got,), (expected,) = both_engines(expression, a)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


# --- the backward pass ---------------------------------------------------------------------


def test_backward_twice_gives_the_same_gradients():
    X, y, params = random_network(3, 4, 2, 3)
    tensors = [Tensor(p) for p in params]
    loss = network_loss(tensors, X, y, "tanh", "cross-entropy")
    loss.backward()
    first = [t.grad.copy() for t in tensors]
    loss.backward()
    for before, t in zip(first, tensors, strict=True):
        np.testing.assert_array_equal(t.grad, before)


def test_a_tensor_used_twice_collects_both_gradients():
    x = Tensor([1.0, -2.0, 3.0])
    (x * x + x).sum().backward()  # d/dx (x^2 + x) = 2x + 1
    np.testing.assert_array_equal(x.grad, [3.0, -3.0, 7.0])


def test_a_deep_graph_needs_no_recursion():
    x = Tensor([0.5, -0.5])
    y = x
    for _ in range(5000):
        y = y * 1.0001 + 0.0
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [1.0001**5000] * 2, rtol=1e-9)


def test_topological_order_lists_each_node_once_after_its_inputs():
    a, b = Tensor([1.0, 2.0], label="a"), Tensor([3.0, 4.0], label="b")
    c = a * b
    loss = (c + a).sum() + c.mean()
    order = topological_order(loss)
    assert len(order) == len(set(order))
    position = {node: i for i, node in enumerate(order)}
    assert all(position[child] < position[node] for node in order for child in node._prev)
    assert order[-1] is loss


def test_numpy_arrays_on_the_left_defer_to_tensor():
    w = Tensor([[1.0], [2.0]])
    out = np.array([[3.0, 4.0]]) @ w + np.array([1.0])
    assert isinstance(out, Tensor)
    out.sum().backward()
    np.testing.assert_array_equal(w.grad, [[3.0], [4.0]])


def test_sigmoid_is_finite_far_from_zero_and_log_refuses_zero():
    s = Tensor([-800.0, 0.0, 800.0]).sigmoid()
    np.testing.assert_array_equal(s.data, [0.0, 0.5, 1.0])
    with pytest.raises(ValueError, match=r"expected positive entries, got 1 entry <= 0"):
        (1 - s).log()


# --- mistakes a student can act on ------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Tensor("3"), TypeError, r"expected a number, a list of numbers or a numpy array, got str '3'"),
        (lambda: Tensor([[1.0, 2.0], [3.0]]), ValueError, r"expected a rectangular array of numbers"),
        (lambda: Tensor([1.0]) + "a", TypeError, r"Tensor \+: expected a number.*got str 'a'"),
        (lambda: Tensor([1.0]) * Value(2.0), TypeError, r"got a scalar `Value`; the two engines don't mix"),
        (
            lambda: Tensor([1.0]) ** Tensor([2.0]),
            TypeError,
            r"expected a number for the exponent, like 2, got a Tensor of",
        ),
        (
            lambda: Tensor(np.ones((3, 2))) + Tensor(np.ones(4)),
            ValueError,
            r"shapes \(3, 2\) and \(4,\) don't broadcast",
        ),
        (
            lambda: Tensor(np.ones((4, 2))) @ Tensor(np.ones((3, 8))),
            ValueError,
            r"\(4, 2\) @ \(3, 8\): expected the last",
        ),
        (lambda: Tensor(np.ones((2, 2, 2))) @ Tensor(np.ones(2)), ValueError, r"expected vectors or matrices"),
        (
            lambda: Tensor(np.ones((3, 2))).backward(),
            ValueError,
            r"expected a one-element Tensor \(a loss\), got shape \(3, 2\)",
        ),
        (lambda: Tensor([1.0, 2.0]).item(), ValueError, r"expected a Tensor with one element, got shape \(2,\)"),
        (lambda: Tensor([1.0, -2.0]).log(), ValueError, r"expected positive entries.*smallest -2"),
        (lambda: topological_order(Value(1.0)), TypeError, r"expected a Tensor"),
    ],
)
def test_mistakes_raise_errors_that_say_what_was_expected_and_what_came(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_a_tensor_copies_its_data_and_stores_floats():
    source = np.array([1, 2, 3])
    t = Tensor(source)
    source[0] = 100
    assert t.data.dtype == np.float64
    np.testing.assert_array_equal(t.data, [1.0, 2.0, 3.0])
    assert repr(Tensor([1.0, 2.0], label="w")) == "Tensor([1., 2.], label='w')"
    assert repr(Tensor(np.zeros((3, 4)))) == "Tensor(shape=(3, 4))"
