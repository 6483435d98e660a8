"""Automatic differentiation on single numbers: the book's small engine, in two modes.

Reverse mode (`Value`, what deep learning uses): every operation records its inputs and its
local derivative, building a graph as the computation runs; `backward()` then walks that graph
from the output back to the inputs, multiplying local derivatives by the chain rule.

Forward mode (`Dual`): every number carries its derivative along with it, so one pass
gives the value and the slope with respect to one chosen input.

>>> x = Value(2.0, label="x")
>>> f = x * x + x
>>> f.backward()
>>> f.data, x.grad
(6.0, 5.0)
>>> derivative(lambda x: x * x + x, 2.0)
5.0

The functions `exp`, `log`, `tanh`, `relu` and `sigmoid` accept a plain number, a `Value`,
a `Dual` or a sympy expression, so one Python function can be evaluated all four ways:

>>> def g(x):
...     return tanh(x) + x**2
>>> round(g(0.5), 6)
0.712117
>>> g(Dual(0.5, 1.0)).deriv == 1 - math.tanh(0.5) ** 2 + 2 * 0.5
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np

from nudge.inputs import describe, is_number, require_number
from nudge.rules import RULES, Rule, power


def _require_number(value, who: str) -> float:
    """`value` as a float, or a TypeError that says what was expected and what came instead."""
    hint = " (the engine works on single numbers: make one per element)" if hasattr(value, "shape") else ""
    return require_number(value, who=who, expected=f"a number or a {who}", example="2.0", hint=hint)


def _sigmoid(x: float) -> float:
    return float(RULES["sigmoid"].forward(x))  # the table's formula, stable for large |x|


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError(f"exp overflows a float for x = {x!r} (the largest x is about 709.78)") from None


def _log(x: float) -> float:
    if not x > 0:
        raise ValueError(f"log needs a positive number, got {x!r}")
    return math.log(x)


def _power(base: float, exponent: float) -> float:
    if base < 0 and not float(exponent).is_integer():
        raise ValueError(f"a negative number to a fractional power is not a real number: ({base!r}) ** {exponent!r}")
    if base == 0 and exponent < 0:  # a / 0 too: `Value` divides as a * b**-1
        raise ZeroDivisionError(f"division by zero: 0 to a negative power is undefined, (0.0) ** {exponent!r}")
    return base**exponent


def _require_exponent(exponent) -> float:
    hint = "; for a variable exponent write (y * x.log()).exp()"
    require_number(exponent, who="**", name="the exponent", example="2 or 0.5", hint=hint)
    return exponent


def _divide(a: float, b: float) -> float:
    if b == 0:
        raise ZeroDivisionError(f"division by zero: {a!r} / 0.0")
    return a / b


class Value:
    """A number that remembers how it was computed, so `backward()` can find every gradient.

    `data` is the number, `grad` the derivative of the output `backward()` was last called on
    with respect to it, `label` a name for drawings, `_op` the operation that made it and
    `_prev` its inputs (a tuple, in order; `x * x` lists `x` twice).

    >>> a, b = Value(3.0, label="a"), Value(-1.0, label="b")
    >>> loss = (a * b + 5).relu() + (a / b).tanh()
    >>> loss.backward()
    >>> round(a.grad, 6), round(b.grad, 6)
    (-1.009866, 2.970402)
    >>> Value(3) * "a"
    Traceback (most recent call last):
    ...
    TypeError: Value: expected a number or a Value, like 2.0, got str 'a'
    """

    # numpy must not broadcast over a Value (it would build an array of Values): defer to us
    __array_ufunc__ = None
    # a fixed set of fields: smaller and faster than a dict per node, and a typo can't add one
    __slots__ = ("data", "grad", "label", "_op", "_prev", "_backward")

    def __init__(self, data, _children: tuple = (), _op: str = "", label: str = ""):
        # every operation passes a float: anything else came from outside, check it here once
        self.data = data if type(data) is float else _value_data(data)
        self.grad = 0.0
        self.label = label
        self._op = _op
        self._prev = _children if type(_children) is tuple else tuple(_children)
        self._backward: Callable[[], None] = lambda: None  # a leaf passes nothing on

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # arithmetic -------------------------------------------------------------------
    def __add__(self, other):  # d(a+b)/da = 1, d(a+b)/db = 1
        other = as_value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):  # d(a*b)/da = b, d(a*b)/db = a
        other = as_value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, exponent):  # d(a**n)/da = n * a**(n-1), for a number n (and 0 when n = 0)
        n = _require_exponent(exponent)
        out = Value(_power(self.data, n), (self,), f"**{n}")
        slope = power(n).slopes[0]  # the table's rule: n * a**(n-1) is nan at a = 0 when n = 0

        def _backward():
            self.grad += slope(self.data, out.data) * out.grad

        out._backward = _backward
        return out

    # built from the operations above, so their rules come with them: -b is b * -1, so
    # d(a-b)/db = -1; a/b is a * b**-1, so d(a/b)/db = a * -b**-2
    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-as_value(other))

    def __truediv__(self, other):
        return self * as_value(other) ** -1

    # a number on the left: 2 + x, 2 - x, 2 * x, 2 / x
    def __radd__(self, other):
        return as_value(other) + self

    def __rsub__(self, other):
        return as_value(other) + (-self)

    def __rmul__(self, other):
        return as_value(other) * self

    def __rtruediv__(self, other):
        return as_value(other) * self**-1

    def __rpow__(self, base):
        raise TypeError(
            f"a Value can't be an exponent here ({base!r} ** Value): the engine supports number exponents only; "
            f"write (x * math.log({base!r})).exp() for {base!r} ** x"
        )

    # functions --------------------------------------------------------------------
    def exp(self):  # d(e**a)/da = e**a
        out = Value(_exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def log(self):  # d(ln a)/da = 1/a
        out = Value(_log(self.data), (self,), "log")

        def _backward():
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def tanh(self):  # d(tanh a)/da = 1 - tanh(a)**2
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1 - out.data**2) * out.grad

        out._backward = _backward
        return out

    def relu(self):  # d(relu a)/da = 1 if a > 0 else 0 (0 at a = 0, as frameworks do)
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (1.0 if self.data > 0 else 0.0) * out.grad

        out._backward = _backward
        return out

    def sigmoid(self):  # d(sigmoid a)/da = sigmoid(a) * (1 - sigmoid(a))
        out = Value(_sigmoid(self.data), (self,), "sigmoid")

        def _backward():
            self.grad += out.data * (1 - out.data) * out.grad

        out._backward = _backward
        return out

    # the backward pass --------------------------------------------------------------
    def backward(self, *, zero_grad: bool = True) -> None:
        """Fill `.grad` of every node with the derivative of this node with respect to it.

        Gradients are first set to 0 on every node of the graph, so calling `backward()`
        twice gives the same result. `zero_grad=False` skips that, as a naive engine would:
        the chapter on autodiff uses it to show the wrong answers that produces.

        >>> x = Value(2.0)
        >>> y = x * x + x
        >>> y.backward(); y.backward(); x.grad
        5.0
        >>> y.backward(zero_grad=False); x.grad
        14.0
        """
        for _ in backward_steps(self, zero_grad=zero_grad):
            pass


def as_value(x) -> Value:
    """`x` itself if it is a `Value`, a new leaf `Value` if it is a number, else a clear TypeError.

    >>> as_value(2)
    Value(data=2.0, grad=0.0)
    >>> as_value([1, 2])
    Traceback (most recent call last):
    ...
    TypeError: Value: expected a number or a Value, like 2.0, got list [1, 2]
    """
    return x if isinstance(x, Value) else Value(x)  # `Value` checks that x is a number


def _value_data(data) -> float:
    """The `data` of a new `Value`, from anything but a float, or a TypeError that says what is wrong."""
    if isinstance(data, Value):
        raise TypeError(f"Value needs a number for its data, like 2.0, got a Value ({data!r}); use it directly")
    return _require_number(data, "Value")


def topological_order(root: Value) -> list[Value]:
    """Every node `root` depends on, each listed after all its inputs (leaves first, `root` last).

    Iterative, so a graph thousands of operations deep needs no recursion; each node once,
    however many times it is used.

    >>> x = Value(2.0, label="x")
    >>> y = x * x + x
    >>> [node.label or node._op for node in topological_order(y)]
    ['x', '*', '+']
    """
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value (the output of a computation), got {describe(root)}")
    return graph_order(root)


def graph_order(root) -> list:
    """The nodes `root` depends on through `_prev`, inputs before users: `Value`'s and `Tensor`'s one order.

    Depth first with an explicit stack (no recursion, so any depth works); a node is listed
    once, when all its inputs are, however many times it is used.
    """
    order: list = []
    seen: set = set()  # nodes hash by identity
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            for child in reversed(node._prev):  # reversed, so the first input is listed first
                if child not in seen:
                    stack.append((child, False))
    return order


def backward_steps(root: Value, *, zero_grad: bool = True) -> Iterator[Value]:
    """Run `root.backward()` one node at a time, yielding each node once its local rule has run.

    The nodes come from the output back to the inputs; when a node is yielded its own
    gradient was complete before its rule passed it on to its inputs.

    >>> x = Value(2.0, label="x")
    >>> y = x * x + x
    >>> [(node._op or node.label, x.grad) for node in backward_steps(y)]
    [('+', 1.0), ('*', 5.0), ('x', 5.0)]
    """
    order = topological_order(root)
    if zero_grad:
        for node in order:
            node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        node._backward()
        yield node


# --- forward mode ----------------------------------------------------------------------


class Dual:
    """A number with its derivative riding along: `value + deriv·ε`, where ε² = 0.

    Seed the input with `deriv=1.0`; every operation applies its rule to both parts,
    so the output's `deriv` is the derivative with respect to that input.

    >>> x = Dual(2.0, 1.0)
    >>> y = x * x + x
    >>> y
    Dual(value=6.0, deriv=5.0)
    >>> (Dual(0.0, 1.0).sigmoid()).deriv
    0.25
    """

    __array_ufunc__ = None

    def __init__(self, value, deriv=0.0):
        self.value = _require_number(value, "Dual")
        self.deriv = _require_number(deriv, "Dual")

    def __repr__(self) -> str:
        return f"Dual(value={self.value!r}, deriv={self.deriv!r})"

    def _by_rule(self, rule: Rule, value: float, *others: Dual) -> Dual:
        """The output `value` of `rule`, with ε-part Σ (slope from the table) × (the input's ε-part)."""
        inputs = (self, *others)
        values = [x.value for x in inputs]
        return Dual(value, sum(slope(*values, value) * x.deriv for slope, x in zip(rule.slopes, inputs, strict=True)))

    def __add__(self, other):  # (a + a'ε) + (b + b'ε) = (a + b) + (a' + b')ε
        other = as_dual(other)
        return self._by_rule(RULES["add"], self.value + other.value, other)

    def __sub__(self, other):
        other = as_dual(other)
        return self._by_rule(RULES["sub"], self.value - other.value, other)

    def __mul__(self, other):  # (a + a'ε)(b + b'ε) = ab + (a'b + ab')ε, since ε² = 0
        other = as_dual(other)
        return self._by_rule(RULES["mul"], self.value * other.value, other)

    def __truediv__(self, other):  # (a/b)' = a'/b - a b'/b²
        other = as_dual(other)
        return self._by_rule(RULES["div"], _divide(self.value, other.value), other)

    def __pow__(self, exponent):  # (a**n)' = n a**(n-1) a'
        n = _require_exponent(exponent)
        return self._by_rule(power(n), _power(self.value, n))

    def __neg__(self):
        return self._by_rule(RULES["neg"], -self.value)

    def __radd__(self, other):
        return as_dual(other) + self

    def __rsub__(self, other):
        return as_dual(other) - self

    def __rmul__(self, other):
        return as_dual(other) * self

    def __rtruediv__(self, other):
        return as_dual(other) / self

    def __rpow__(self, base):
        raise TypeError(
            f"a Dual can't be an exponent here ({base!r} ** Dual): only number exponents are supported; "
            f"write (x * math.log({base!r})).exp() for {base!r} ** x"
        )

    def exp(self):  # (e**a)' = e**a a'
        return self._by_rule(RULES["exp"], _exp(self.value))

    def log(self):  # (ln a)' = a' / a
        return self._by_rule(RULES["log"], _log(self.value))

    def tanh(self):  # (tanh a)' = (1 - tanh(a)**2) a'
        return self._by_rule(RULES["tanh"], math.tanh(self.value))

    def relu(self):  # (relu a)' = a' if a > 0 else 0
        return self._by_rule(RULES["relu"], max(self.value, 0.0))

    def sigmoid(self):  # (sigmoid a)' = sigmoid(a) (1 - sigmoid(a)) a'
        return self._by_rule(RULES["sigmoid"], _sigmoid(self.value))


def as_dual(x) -> Dual:
    """`x` itself if it is a `Dual`, a constant (derivative 0) if it is a number, else a clear TypeError."""
    if isinstance(x, Dual):
        return x
    return Dual(_require_number(x, "Dual"), 0.0)


def derivative(f: Callable, x: float) -> float:
    """f'(x) by forward mode: one pass of `f` on the dual number x + 1·ε.

    `f` takes one input and may use + - * / **, and `exp`, `log`, `tanh`, `relu`, `sigmoid`
    (as methods or as this module's functions).

    >>> derivative(lambda x: x**3, 2.0)
    12.0
    >>> derivative(lambda x: 7, 2.0)  # a constant doesn't move
    0.0
    """
    out = f(Dual(require_number(x, who="derivative", name="x", example="2.0"), 1.0))
    if isinstance(out, Dual):
        return out.deriv
    # a function that ignores its input returns a plain number
    require_number(out, who="derivative", expected="f to return a number or a Dual", example="3.5")
    return 0.0


def _seeded(x, direction, make: Callable) -> np.ndarray:
    """An object array of engine numbers `make(x_i, direction_i)`, shaped like `x`."""
    point = np.asarray(x, dtype=float)
    seeds = np.asarray(direction, dtype=float)
    if seeds.shape != point.shape:
        raise ValueError(f"expected a direction of the shape of x, {point.shape}, got shape {seeds.shape}")
    numbers = np.empty(point.shape, dtype=object)
    for idx in np.ndindex(point.shape):
        numbers[idx] = make(float(point[idx]), float(seeds[idx]))
    return numbers


def jvp(f: Callable, x, v) -> tuple[np.ndarray, np.ndarray]:
    """Forward mode for a function of many inputs: `(f(x), J v)`, the Jacobian times one direction `v`.

    One pass of `f` on dual numbers x + v·ε (an object array shaped like `x`), without ever
    forming J: the ε-parts of the outputs are J v, how fast each output moves when x moves along
    v. `f` may use + - * / ** @, this module's functions and numpy's `np.tanh`, `np.exp`, ... .

    >>> W = np.array([[1.0, 2.0], [0.0, 3.0]])
    >>> jvp(lambda x: W @ x, [1.0, 1.0], [1.0, 0.0])  # J = W, so J v is W's first column
    (array([3., 3.]), array([1., 0.]))
    """
    out = np.asarray(f(_bare(_seeded(x, v, Dual))), dtype=object)
    duals = [as_dual(d) for d in out.flat]  # an output that ignores x is a constant
    return _shaped([d.value for d in duals], out.shape), _shaped([d.deriv for d in duals], out.shape)


def _bare(numbers: np.ndarray):
    """What `f` is given: the one number of a 0-d array itself (a function of a number wants a number)."""
    return numbers[()] if numbers.ndim == 0 else numbers


def _shaped(numbers: list[float], shape: tuple[int, ...]) -> np.ndarray:
    return np.array(numbers, dtype=float).reshape(shape)


def vjp(f: Callable, x, u) -> tuple[np.ndarray, np.ndarray]:
    """Reverse mode for a function with many outputs: `(f(x), uᵀ J)`, one row vector times the Jacobian.

    One forward pass of `f` on `Value`s builds the graph; one backward pass from the single
    number Σ u_i f_i(x) gives its gradient, which is uᵀ J, without forming J.

    >>> W = np.array([[1.0, 2.0], [0.0, 3.0]])
    >>> vjp(lambda x: W @ x, [1.0, 1.0], [1.0, 0.0])  # uᵀ J is W's first row
    (array([3., 3.]), array([1., 2.]))
    """
    inputs = _seeded(x, np.zeros(np.shape(x)), lambda value, _: Value(value))
    out = np.asarray(f(_bare(inputs)), dtype=object)
    weights = np.asarray(u, dtype=float)
    if weights.shape != out.shape:
        raise ValueError(f"expected u of the shape of f(x), {out.shape}, got shape {weights.shape}")
    total = Value(0.0)
    for idx in np.ndindex(out.shape):
        total = total + as_value(out[idx]) * float(weights[idx])
    total.backward()
    values = _shaped([as_value(v).data for v in out.flat], out.shape)
    return values, _shaped([v.grad for v in inputs.flat], inputs.shape)


# --- one function, every kind of input ------------------------------------------------


def _apply(name: str, x, on_float: Callable):
    if isinstance(x, (Value, Dual)):
        return getattr(x, name)()
    if is_number(x):
        return on_float(float(x))
    try:
        import sympy
    except ImportError:  # pragma: no cover - sympy is a dependency of the package
        sympy = None
    if sympy is not None and isinstance(x, sympy.Basic):
        return RULES[name].symbolic(sympy, x)
    raise TypeError(f"{name}: expected a number, a Value, a Dual or a sympy expression, got {describe(x)}")


def exp(x):
    """e**x for a number, `Value`, `Dual` or sympy expression."""
    return _apply("exp", x, _exp)


def log(x):
    """Natural logarithm for a number, `Value`, `Dual` or sympy expression."""
    return _apply("log", x, _log)


def tanh(x):
    """tanh(x) for a number, `Value`, `Dual` or sympy expression."""
    return _apply("tanh", x, math.tanh)


def relu(x):
    """max(x, 0) for a number, `Value`, `Dual` or sympy expression.

    >>> relu(-2.0), relu(3)
    (0.0, 3.0)
    """
    return _apply("relu", x, lambda v: max(v, 0.0))


def sigmoid(x):
    """1 / (1 + e**-x) for a number, `Value`, `Dual` or sympy expression (stable for large |x|).

    >>> sigmoid(0), sigmoid(-1000.0)
    (0.5, 0.0)
    """
    return _apply("sigmoid", x, _sigmoid)


__all__ = [
    "Value",
    "Dual",
    "as_value",
    "as_dual",
    "derivative",
    "jvp",
    "vjp",
    "topological_order",
    "graph_order",
    "backward_steps",
    "exp",
    "log",
    "tanh",
    "relu",
    "sigmoid",
]
