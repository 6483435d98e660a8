"""The autodiff engine against sympy and central differences, on hundreds of random expressions.

An expression is a small tree of tuples, such as ("+", ("*", ("x", 0), ("x", 0)), ("x", 0)) for
x² + x. One evaluator walks it with plain floats, `Value`s, `Dual`s or sympy symbols, and
builds each distinct subtree once, so a subtree that occurs twice becomes one node used twice.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nudge.autodiff import (
    Dual,
    Value,
    as_value,
    backward_steps,
    derivative,
    exp,
    log,
    relu,
    sigmoid,
    tanh,
    topological_order,
)
from nudge.numeric import central_difference

SYMBOLS = sp.symbols("x0 x1 x2")
# float evaluation rejects expressions that leave the range where the comparison is meaningful
LARGEST = 1e4
UNARY = ["exp", "log", "tanh", "sigmoid", "relu", "neg"]


class Invalid(Exception):
    """The expression leaves the safe domain at this point (overflow, a pole, ReLU's kink)."""


# --- random expressions -----------------------------------------------------------------


def leaves(n_inputs):
    variables = st.integers(0, n_inputs - 1).map(lambda i: ("x", i))
    constants = st.sampled_from([-2.0, -0.5, 0.5, 1.0, 1.5, 3.0]).map(lambda c: ("c", c))
    return st.one_of(variables, variables, constants)


def extend(children):
    def positive(a, c):  # a² + c > 0, so log and division are safe by construction
        return ("+", ("*", a, a), ("c", c))

    shift = st.sampled_from([0.5, 1.0, 2.0])
    return st.one_of(
        st.tuples(st.sampled_from(["+", "-", "*"]), children, children),
        st.builds(lambda a, b, c, sign: ("/", a, ("*", ("c", sign), positive(b, c))), children, children, shift,
                  st.sampled_from([-1.0, 1.0])),
        st.tuples(st.just("/"), children, children),  # any denominator; the float check rejects ones near 0
        st.tuples(st.just("**"), children, st.integers(-2, 3)),
        st.tuples(st.sampled_from(UNARY), children),
        st.builds(lambda a, c: ("log", positive(a, c)), children, shift),
        st.builds(lambda a: ("*", a, a), children),  # a node reused by one operation
        st.builds(lambda a, b: ("+", ("*", a, b), ("exp", ("tanh", a))), children, children),  # reused far apart
    )  # fmt: skip


def problems():
    """(number of inputs, expression, point) with 1 to 3 inputs in [-2, 2]."""

    def for_inputs(n):
        point = st.lists(st.floats(-2, 2, allow_nan=False).map(lambda v: round(v, 3)), min_size=n, max_size=n)
        return st.tuples(st.just(n), st.recursive(leaves(n), extend, max_leaves=10), point)

    return st.integers(1, 3).flatmap(for_inputs)


# --- one evaluator, four kinds of numbers ----------------------------------------------


def evaluate(tree, inputs, ops, memo=None):
    """The value of `tree` with the `ops` of one number kind; each distinct subtree is built once."""
    memo = {} if memo is None else memo
    if tree in memo:
        return memo[tree]
    kind = tree[0]
    if kind == "x":
        out = inputs[tree[1]]
    elif kind == "c":
        out = tree[1]
    elif kind == "**":
        out = ops["**"](evaluate(tree[1], inputs, ops, memo), tree[2])
    elif kind in UNARY:
        out = ops[kind](evaluate(tree[1], inputs, ops, memo))
    else:
        a = evaluate(tree[1], inputs, ops, memo)
        b = evaluate(tree[2], inputs, ops, memo)
        out = {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: ops["/"](a, b)}[kind]()
    ops["check"](kind, tree, out, memo)
    memo[tree] = out
    return out


def _no_check(kind, tree, out, memo):
    pass


def _float_check(kind, tree, out, memo):
    if not abs(out) < LARGEST:
        raise Invalid(f"{kind} gives {out}")
    if kind == "relu" and abs(memo[tree[1]]) < 1e-2:
        raise Invalid("too close to ReLU's kink for a central difference")


def _float_divide(a, b):
    if abs(b) < 0.3:
        raise Invalid("denominator near 0")
    return a / b


def _float_power(a, n):
    if n < 0 and abs(a) < 0.3:
        raise Invalid("negative power near 0")
    return a**n


def _float_exp(a):
    if a > 9:
        raise Invalid("exp too large")
    return math.exp(a)


FLOAT_OPS = {
    "/": _float_divide,
    "**": _float_power,
    "exp": _float_exp,
    "log": math.log,
    "tanh": math.tanh,
    "sigmoid": sigmoid,
    "relu": relu,
    "neg": lambda a: -a,
    "check": _float_check,
}


def _method(name):
    # a unary function of a constant subtree gets a float, and gives one
    return lambda a: getattr(as_value(a), name)().data if isinstance(a, float) else getattr(a, name)()


# `Value` and `Dual` use their methods; a constant operand stays a plain float (reflected operators)
METHOD_OPS = {
    "/": lambda a, b: a / b,
    "**": lambda a, n: a**n,
    **{name: _method(name) for name in UNARY if name != "neg"},
    "neg": lambda a: -a,
    "check": _no_check,
}
SYMPY_OPS = {
    "/": lambda a, b: a / b,
    "**": lambda a, n: a**n,
    "exp": exp,
    "log": log,
    "tanh": tanh,
    "sigmoid": sigmoid,
    "relu": relu,
    "neg": lambda a: -a,
    "check": _no_check,
}


def float_function(tree, n):
    return lambda *xs: evaluate(tree, list(xs), FLOAT_OPS)


def checked_point(tree, point):
    """Reject points where the float evaluation leaves the safe domain, here or a step away."""
    f = float_function(tree, len(point))
    try:
        for i in range(len(point)):
            for step in (-1e-3, 0.0, 1e-3):
                f(*[x + (step if j == i else 0.0) for j, x in enumerate(point)])
    except (Invalid, OverflowError, ZeroDivisionError, ValueError):
        return None
    return f


def engine_gradient(tree, point):
    xs = [Value(x, label=f"x{i}") for i, x in enumerate(point)]
    out = as_value(evaluate(tree, xs, METHOD_OPS))
    out.backward()
    return out, [x.grad for x in xs]


def sympy_gradient(tree, point):
    symbols = SYMBOLS[: len(point)]
    expr = sp.sympify(evaluate(tree, list(symbols), SYMPY_OPS))
    at = dict(zip(symbols, point, strict=True))
    return [float(sp.diff(expr, s).evalf(subs=at)) for s in symbols]


def scale_of(tree, point):
    """The largest magnitude of any intermediate value: round-off is relative to it."""
    memo = {}
    evaluate(tree, list(point), FLOAT_OPS, memo)
    return 1 + max(abs(v) for v in memo.values())


# --- the engine against sympy and central differences ----------------------------------


@settings(max_examples=150, deadline=None)
@given(problems())
def test_gradients_agree_with_sympy_and_central_differences(problem):
    n, tree, point = problem
    f = checked_point(tree, point)
    assume(f is not None)
    out, grad = engine_gradient(tree, point)
    scale = scale_of(tree, point)
    assert out.data == pytest.approx(f(*point), rel=1e-12, abs=1e-12 * scale)
    for exact, engine in zip(sympy_gradient(tree, point), grad, strict=True):
        assert engine == pytest.approx(exact, rel=1e-8, abs=1e-9 * scale)
    for i, engine in enumerate(grad):

        def along_i(t, i=i):
            return f(*[t if j == i else x for j, x in enumerate(point)])

        # truncation ~ h² f''' / 6, round-off ~ 1e-16 * scale / h
        assert central_difference(along_i, point[i], 1e-5) == pytest.approx(engine, rel=1e-5, abs=1e-6 * scale)


@settings(max_examples=150, deadline=None)
@given(problems())
def test_forward_mode_agrees_with_reverse_mode(problem):
    n, tree, point = problem
    assume(checked_point(tree, point) is not None)
    out, grad = engine_gradient(tree, point)
    for i in range(n):
        duals = [Dual(x, 1.0 if j == i else 0.0) for j, x in enumerate(point)]
        result = evaluate(tree, duals, METHOD_OPS)
        result = result if isinstance(result, Dual) else Dual(result)
        assert result.value == pytest.approx(out.data, rel=1e-12, abs=1e-12)
        assert result.deriv == pytest.approx(grad[i], rel=1e-9, abs=1e-9 * scale_of(tree, point))


@settings(max_examples=200, deadline=None)
@given(problems())
def test_second_backward_gives_the_same_gradients_on_every_node(problem):
    n, tree, point = problem
    assume(checked_point(tree, point) is not None)
    xs = [Value(x) for x in point]
    out = as_value(evaluate(tree, xs, METHOD_OPS))
    out.backward()
    first = [node.grad for node in topological_order(out)]
    out.backward()
    assert [node.grad for node in topological_order(out)] == first


# --- reused nodes and deep graphs -------------------------------------------------------


def test_x_squared_plus_x_walked_node_by_node():
    x = Value(2.0, label="x")
    f = x * x + x
    steps = [(node._op or node.label, x.grad) for node in backward_steps(f)]
    # the add passes 1 to x, then the multiply adds 2 + 2: 1 + 4 = 5 = f'(2)
    assert steps == [("+", 1.0), ("*", 5.0), ("x", 5.0)]
    assert x.grad == 2 * 2.0 + 1


def test_a_node_used_in_many_places():
    x = Value(0.7)
    y = x * x  # y feeds five operations
    out = y * y + 3 * y + y.exp() + y.tanh() - y / (1 + y)
    out.backward()
    s = sp.Symbol("s")
    ys = s * s
    expr = ys * ys + 3 * ys + sp.exp(ys) + sp.tanh(ys) - ys / (1 + ys)
    assert x.grad == pytest.approx(float(sp.diff(expr, s).subs(s, 0.7)), rel=1e-12)


def test_a_sum_of_one_node_a_hundred_times():
    x = Value(1.5)
    total = x
    for _ in range(99):
        total = total + x
    total.backward()
    assert x.grad == 100.0


CHAIN_STEPS = ["tanh", "sigmoid", "scale", "shift", "square", "reuse"]


def run_chain(chain, y, tanh_fn, sigmoid_fn):
    for step in chain:
        if step == "scale":
            y = 1.1 * y
        elif step == "shift":
            y = y - 0.3
        elif step == "square":
            y = y * y * 0.5
        elif step == "reuse":  # `y` is used twice
            y = y * 0.5 + tanh_fn(y) * 0.5
        else:
            y = {"tanh": tanh_fn, "sigmoid": sigmoid_fn}[step](y)
    return y


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(CHAIN_STEPS), min_size=50, max_size=200), st.floats(-1, 1, allow_nan=False))
def test_deep_chains_agree_with_forward_mode_and_central_differences(chain, x0):
    # sympy can't be the referee here: the derivative of 50 nested operations swells beyond
    # what it can expand in minutes (the chapter on autodiff measures that growth)
    x = Value(x0)
    y = run_chain(chain, x, Value.tanh, Value.sigmoid)
    y.backward()
    assert len(topological_order(y)) > len(chain)
    assert x.grad == pytest.approx(derivative(lambda d: run_chain(chain, d, Dual.tanh, Dual.sigmoid), x0), rel=1e-9)
    numeric = central_difference(lambda t: run_chain(chain, t, tanh, sigmoid), x0, 1e-5)
    assert x.grad == pytest.approx(numeric, rel=1e-5, abs=1e-8)


def test_a_short_chain_agrees_with_sympy():
    chain = CHAIN_STEPS  # each step once: twelve already take sympy minutes
    x = Value(0.4)
    run_chain(chain, x, Value.tanh, Value.sigmoid).backward()
    s = sp.Symbol("s")
    exact = float(sp.diff(run_chain(chain, s, tanh, sigmoid), s).evalf(subs={s: 0.4}))
    assert x.grad == pytest.approx(exact, rel=1e-10)


def test_ten_thousand_operations_deep_needs_no_recursion():
    x = Value(0.5)
    y = x
    for _ in range(10_000):
        y = (y * 0.9999).tanh() + 0.01
    y.backward()
    order = topological_order(y)
    assert order[0] is x and order[-1] is y
    assert x.grad == pytest.approx(derivative(lambda d: _deep(d, 10_000), 0.5), rel=1e-9, abs=1e-300)


def _deep(y, depth):
    for _ in range(depth):
        y = (y * 0.9999).tanh() + 0.01
    return y


def test_topological_order_lists_each_node_once_after_its_inputs():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    out = (c + a) * (c - b) + c.exp()
    order = topological_order(out)
    assert len(order) == len({id(node) for node in order})
    position = {id(node): i for i, node in enumerate(order)}
    assert all(position[id(child)] < position[id(node)] for node in order for child in node._prev)
    assert order[-1] is out


def test_naive_backward_twice_accumulates_wrong_gradients():
    x = Value(2.0)
    f = x * x + x
    f.backward()
    f.backward(zero_grad=False)  # what an engine that never zeroes would do
    # the add node still holds 1 from the first pass, so the multiply passes on twice as much
    assert x.grad == 5.0 + (1.0 + 2 * 2.0 * 2.0)
    f.backward()
    assert x.grad == 5.0


# --- the local rules at the edges ---------------------------------------------------------


def test_relu_derivative_at_zero_is_zero_in_both_modes():
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0
    assert Dual(0.0, 1.0).relu().deriv == 0.0


def test_sigmoid_is_stable_far_from_zero():
    for x0, expected in [(-1000.0, 0.0), (1000.0, 1.0)]:
        x = Value(x0)
        y = x.sigmoid()
        y.backward()
        assert y.data == expected and x.grad == 0.0
        assert Dual(x0, 1.0).sigmoid().deriv == 0.0


def test_every_operation_has_the_right_local_derivative():
    cases = {
        "a+b": (lambda a, b: a + b, (1.0, 1.0)),
        "a-b": (lambda a, b: a - b, (1.0, -1.0)),
        "a*b": (lambda a, b: a * b, (3.0, 2.0)),
        "a/b": (lambda a, b: a / b, (1 / 3.0, -2.0 / 9.0)),
        "(5-a)*(2/b)": (lambda a, b: (5 - a) * (2 / b), (-2 / 3.0, 3 * -2 / 9.0)),
        "a**3": (lambda a, b: a**3 + 0 * b, (12.0, 0.0)),
        "-a": (lambda a, b: -a + 0 * b, (-1.0, 0.0)),
    }
    for name, (f, expected) in cases.items():
        a, b = Value(2.0), Value(3.0)
        f(a, b).backward()
        assert (a.grad, b.grad) == pytest.approx(expected), name


@pytest.mark.parametrize(
    "bad, shown",
    [("a", "str 'a'"), ([1, 2], "list [1, 2]"), (None, "NoneType None"), (np.array([1.0, 2.0]), "a numpy array")],
)
def test_unsupported_operands_raise_a_clear_type_error(bad, shown):
    for kind in (Value, Dual):
        for operation in (
            lambda v: v * bad,
            lambda v: bad * v,
            lambda v: v + bad,
            lambda v: bad - v,
            lambda v: v / bad,
            lambda v: bad / v,
        ):
            expected = f"{kind.__name__}: expected a number or a {kind.__name__}, like 2.0, got {shown}"
            with pytest.raises(TypeError, match=re.escape(expected)):
                operation(kind(3.0))


def test_the_error_messages_a_student_sees():
    with pytest.raises(TypeError, match=r"^Value: expected a number or a Value, like 2\.0, got str 'a'$"):
        Value(3) * "a"
    with pytest.raises(TypeError, match="make one per element"):
        Value(3) * np.array([1.0, 2.0])
    with pytest.raises(TypeError, match="Value: expected a number or a Value, like 2.0, got str '2'"):
        Value("2")
    with pytest.raises(TypeError, match="expected a number for the exponent"):
        Value(2) ** Value(3)
    with pytest.raises(TypeError, match="expected a number for the exponent"):
        Dual(2.0) ** Dual(3.0)
    with pytest.raises(TypeError, match="number exponents only"):
        2 ** Value(3)
    with pytest.raises(ValueError, match="not a real number"):
        Value(-8.0) ** 0.5
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        Value(1.0) / 0
    with pytest.raises(OverflowError, match="exp overflows"):
        Value(1000.0).exp()
    with pytest.raises(TypeError, match="expected a Value"):
        topological_order(3.0)


@pytest.mark.parametrize("x", [-1.0, 0.0])
def test_log_of_a_non_positive_number_says_so(x):
    with pytest.raises(ValueError, match=f"^log needs a positive number, got {x!r}$"):
        Value(x).log()
    with pytest.raises(ValueError, match="log needs a positive number"):
        Dual(x, 1.0).log()
    with pytest.raises(ValueError, match="log needs a positive number"):
        log(x)


def test_one_function_on_floats_values_duals_and_sympy():
    def f(x):
        return sigmoid(x) * tanh(x) + log(1 + x * x) - relu(x) + exp(-x)

    x0 = 0.8
    s = sp.Symbol("s")
    exact = float(sp.diff(f(s), s).subs(s, x0))
    x = Value(x0)
    f(x).backward()
    assert f(x0) == pytest.approx(float(f(s).subs(s, x0)), rel=1e-12)
    assert x.grad == pytest.approx(exact, rel=1e-12)
    assert derivative(f, x0) == pytest.approx(exact, rel=1e-12)
    assert central_difference(f, x0, 1e-5) == pytest.approx(exact, rel=1e-8)
    with pytest.raises(TypeError, match="tanh: expected a number, a Value, a Dual or a sympy expression"):
        tanh("1")


def test_derivative_needs_a_number():
    with pytest.raises(TypeError, match="got str"):
        derivative(lambda x: x, "2")
