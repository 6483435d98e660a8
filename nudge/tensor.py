"""A vectorised twin of `nudge.autodiff.Value`: the same reverse-mode rules, one numpy array per node.

`Value` keeps one Python object per number, which shows every step of the chain rule and makes
training slow. `Tensor` keeps a whole float array per node, so a layer of a network is a handful
of nodes instead of thousands. The rules are the same, each read from the book's one table
(`nudge.rules`): an operation records its inputs and its row, whose vector–Jacobian product
turns the gradient of the output into the gradient of each input; `backward()` zeroes every
gradient in the graph, then applies the chain rule from the loss back to the inputs.

One new rule comes with arrays: **broadcasting**. When numpy stretches a value to a bigger shape
(a bias added to every row), that one value is used in many places, so its gradient is the sum of
the gradients of all those places.

>>> w = Tensor([[1.0, 2.0], [3.0, 4.0]], label="w")
>>> x = Tensor([1.0, -1.0], label="x")
>>> loss = ((w @ x) ** 2).sum()  # (w @ x) is [-1, -1], so the loss is 2
>>> loss.backward()
>>> loss.item()
2.0
>>> w.grad  # d loss / d w[i, j] = 2 (w @ x)[i] * x[j]
array([[-2.,  2.],
       [-2.,  2.]])
"""

from __future__ import annotations

import numpy as np

from nudge.autodiff import Value, graph_order
from nudge.inputs import describe, require_array, require_number
from nudge.rules import RULES, Rule, power

#: what a Tensor is made from
_EXPECTED = "a number, a list of numbers or a numpy array"


def _as_array(data, where: str) -> np.ndarray:
    if isinstance(data, Value):
        raise TypeError(
            f"{where}: expected numbers, got a scalar `Value`; the two engines don't mix, use `Tensor(v.data)`"
        )
    # boolean arrays are welcome as masks (stored as 0.0 and 1.0)
    return require_array(data, who=where, expected=_EXPECTED, kinds="biuf")


def _as_tensor(other, op: str) -> Tensor:
    """Numbers and arrays become constant leaves of the graph; anything else is a mistake."""
    if isinstance(other, Tensor):
        return other
    return Tensor(_as_array(other, f"Tensor {op}"))


def _broadcast_shape(op: str, a: Tensor, b: Tensor) -> tuple[int, ...]:
    try:
        return np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(
            f"Tensor {op}: shapes {a.shape} and {b.shape} don't broadcast; expected each trailing dimension "
            f"to be equal or 1, e.g. (n, 8) {op} (8,)"
        ) from None


class Tensor:
    """A float array in a computation graph, with the gradient of the loss with respect to it.

    Build expressions with `+ - * / @ **` and the methods `tanh`, `sigmoid`, `relu`, `exp`, `log`,
    `sum`, `mean`, `max`, `.T`, `swapaxes`, `reshape`, indexing `t[...]`, `softmax`, `log_softmax`,
    `layer_norm`, and the losses `cross_entropy` (integer class labels) and `binary_cross_entropy`
    (targets in [0, 1]), both from logits; `@` also multiplies batches of matrices (3 or more axes);
    call `backward()` on the scalar loss; read `.grad` (same shape as `.data`).

    >>> a = Tensor([1.0, 2.0, 3.0], label="a")
    >>> loss = (a * a).mean()  # (1 + 4 + 9) / 3
    >>> loss.backward()
    >>> a.grad  # d mean(a^2) / da = 2a / 3
    array([0.66666667, 1.33333333, 2.        ])
    """

    # numpy arrays on the left of an operator defer to Tensor's reflected methods (`x @ w` works)
    __array_ufunc__ = None

    def __init__(self, data, _children=(), _op: str = "", label: str = ""):
        self.data = _as_array(data, "Tensor")
        self.grad = np.zeros_like(self.data)
        self._backward = lambda: None  # a leaf passes nothing further back
        self._prev = tuple(_children)
        self._op = _op
        self.label = label

    # ------------------------------------------------------------------ reading
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    def item(self) -> float:
        """The single number a one-element Tensor holds (a loss, usually)."""
        if self.data.size != 1:
            raise ValueError(f"item(): expected a Tensor with one element, got shape {self.shape}")
        return float(self.data.reshape(()))

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        if self.data.size <= 6:
            return f"Tensor({np.array2string(self.data, precision=4, separator=', ')}{label})"
        return f"Tensor(shape={self.shape}{label})"

    # ------------------------------------------------------------ arithmetic
    def _by_rule(self, rule: Rule, *others: Tensor, **options) -> Tensor:
        """A new node computed by `rule` (a row of `nudge.rules`) from this Tensor, `others` and `options`.

        Backward hands each input its row's vector–Jacobian product of the incoming gradient.
        """
        inputs = (self, *others)
        if rule.elementwise and others:
            _broadcast_shape(rule.symbol, self, others[0])
        values = [t.data for t in inputs]
        out = Tensor(rule.forward(*values, **options), inputs, rule.symbol)

        def _backward():
            for t, vjp in zip(inputs, rule.vjps, strict=True):
                t.grad += vjp(out.grad, out.data, *values, **options)

        out._backward = _backward
        return out

    # each operation is a row of `nudge.rules`, which holds its derivative
    def __add__(self, other):
        return self._by_rule(RULES["add"], _as_tensor(other, "+"))

    def __sub__(self, other):
        return self._by_rule(RULES["sub"], _as_tensor(other, "-"))

    def __mul__(self, other):
        return self._by_rule(RULES["mul"], _as_tensor(other, "*"))

    def __truediv__(self, other):
        return self._by_rule(RULES["div"], _as_tensor(other, "/"))

    def __pow__(self, k):  # for a fixed number k
        return self._by_rule(power(require_number(k, who="Tensor **", name="the exponent", example="2")))

    def __matmul__(self, other):
        other = _as_tensor(other, "@")
        if max(self.ndim, other.ndim) > 2 and min(self.ndim, other.ndim) >= 2:
            return self._batched_matmul(other)
        if not (1 <= self.ndim <= 2 and 1 <= other.ndim <= 2):
            raise ValueError(
                f"Tensor @: expected vectors or matrices (1 or 2 dimensions), got {self.shape} @ {other.shape}"
            )
        if self.shape[-1] != other.shape[0]:
            raise ValueError(
                f"Tensor @: inner dimensions differ, {self.shape} @ {other.shape}: expected the last dimension "
                f"of the left ({self.shape[-1]}) to equal the first of the right ({other.shape[0]})"
            )
        return self._by_rule(RULES["matmul"], other)

    def _batched_matmul(self, other):
        """One matrix product per entry of the leading (batch) axes, which broadcast like numpy's `@`.

        >>> (Tensor(np.ones((2, 3, 4))) @ Tensor(np.ones((4, 5)))).shape  # a (4, 5) weight shared by 2 batches
        (2, 3, 5)
        """
        if self.shape[-1] != other.shape[-2]:
            raise ValueError(
                f"Tensor @: inner dimensions differ, {self.shape} @ {other.shape}: expected the last dimension "
                f"of the left ({self.shape[-1]}) to equal the second to last of the right ({other.shape[-2]})"
            )
        try:
            np.broadcast_shapes(self.shape[:-2], other.shape[:-2])
        except ValueError:
            raise ValueError(
                f"Tensor @: the batch dimensions of {self.shape} and {other.shape} don't broadcast; expected "
                "each to be equal or 1, e.g. (8, 5, 4) @ (8, 4, 5) or (8, 5, 4) @ (4, 5)"
            ) from None
        return self._by_rule(RULES["bmm"], other)

    def __neg__(self):
        return self._by_rule(RULES["neg"])

    def __radd__(self, other):  # other + self
        return self + other

    def __rsub__(self, other):  # other - self
        return _as_tensor(other, "-") - self

    def __rmul__(self, other):  # other * self
        return self * other

    def __rtruediv__(self, other):  # other / self
        return _as_tensor(other, "/") / self

    def __rmatmul__(self, other):  # other @ self
        return _as_tensor(other, "@") @ self

    # ---------------------------------------------------- elementwise functions
    def tanh(self):
        return self._by_rule(RULES["tanh"])

    def sigmoid(self):
        return self._by_rule(RULES["sigmoid"])

    def relu(self):
        return self._by_rule(RULES["relu"])

    def exp(self):
        return self._by_rule(RULES["exp"])

    def log(self):
        if np.any(self.data <= 0):
            bad = self.data[self.data <= 0]
            raise ValueError(
                f"Tensor log: expected positive entries, got {bad.size} entr{'y' if bad.size == 1 else 'ies'} "
                f"<= 0 (smallest {bad.min():.6g})"
            )
        return self._by_rule(RULES["log"])

    # ------------------------------------------------------------ reductions
    def sum(self, axis=None, keepdims: bool = False):
        return self._by_rule(RULES["sum"], axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims: bool = False):
        return self._by_rule(RULES["mean"], axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims: bool = False):
        """The largest entry (along `axis`); backward routes the gradient to it, shared equally by ties.

        >>> m = Tensor([1.0, 3.0, 3.0, 2.0])
        >>> m.max().backward()
        >>> m.grad
        array([0. , 0.5, 0.5, 0. ])
        """
        return self._by_rule(RULES["max"], axis=axis, keepdims=keepdims)

    # ------------------------------------------------------------ shapes
    def __getitem__(self, index):
        """Entries picked by a numpy index (a slice, integers, an array of rows); backward scatter-adds.

        An embedding lookup `E[tokens]` is this; a row picked twice collects the gradient of both picks.

        >>> E = Tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        >>> E[np.array([2, 0, 2])].sum().backward()
        >>> E.grad
        array([[1., 1.],
               [0., 0.],
               [2., 2.]])
        """
        index = tuple(_index_part(i) for i in index) if isinstance(index, tuple) else _index_part(index)
        try:
            self.data[index]
        except IndexError as exc:
            raise IndexError(f"Tensor [ ]: can't index shape {self.shape} with that: {exc}") from None
        return self._by_rule(RULES["index"], index=index)

    def swapaxes(self, axis1: int = -2, axis2: int = -1):
        """The array with two axes swapped (by default the last two: the transpose of each matrix of a batch).

        >>> Tensor(np.zeros((2, 3, 4))).swapaxes().shape
        (2, 4, 3)
        """
        return self._by_rule(RULES["swapaxes"], axis1=axis1, axis2=axis2)

    @property
    def T(self):  # noqa: N802 - numpy's name
        """The transpose (axes reversed, as numpy's `.T`)."""
        return self._by_rule(RULES["transpose"])

    def reshape(self, *shape):
        """The same entries in another shape, like numpy's `reshape` (one -1 is worked out).

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).reshape(-1)
        Tensor([1., 2., 3., 4.])
        """
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], tuple | list) else shape
        try:
            data = self.data.reshape(shape)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"Tensor reshape: can't put the {self.size} entries of {self.shape} into {shape}") from exc
        return self._by_rule(RULES["reshape"], shape=data.shape)

    # ----------------------------------------------- softmax and cross-entropy
    def log_softmax(self, axis: int = -1):
        """log softmax along `axis`: z - log Σ e^z, with no e^z that overflows (`nudge.rules.log_softmax`).

        >>> Tensor([1000.0, 1000.0]).log_softmax().data.round(6)
        array([-0.693147, -0.693147])
        """
        return self._by_rule(RULES["log_softmax"], axis=axis)

    def softmax(self, axis: int = -1):
        """e^z / Σ e^z along `axis`: positive entries that sum to 1 (stable for large |z|).

        >>> Tensor([0.0, 0.0, 0.0, 0.0]).softmax()
        Tensor([0.25, 0.25, 0.25, 0.25])
        """
        return self._by_rule(RULES["softmax"], axis=axis)

    def layer_norm(self, eps: float = 1e-5):
        """Each row (the last axis) shifted to mean 0 and scaled to variance 1: (x - μ) / sqrt(σ² + eps).

        A learned gain and bias are separate, `x.layer_norm() * gain + bias`. A row of equal entries
        (σ² = 0) becomes zeros, and its gradient is finite thanks to `eps`.

        >>> Tensor([[1.0, 2.0, 3.0]]).layer_norm(eps=0.0).data.round(4)
        array([[-1.2247,  0.    ,  1.2247]])
        """
        eps = require_number(eps, who="Tensor layer_norm", name="eps", example="1e-5", minimum=0)
        return self._by_rule(RULES["layer_norm"], eps=eps)

    def cross_entropy(self, labels):
        """Mean cross-entropy of these logits, shape (n, classes), against integer class `labels` (n,).

        The loss of one example is -log softmax(z)[label]; its gradient is p - y, the predicted
        probabilities minus the one-hot label.

        >>> z = Tensor([[2.0, 0.0], [0.0, 0.0]])
        >>> loss = z.cross_entropy([0, 1])  # (log(1 + e^-2) + log 2) / 2
        >>> loss.backward()
        >>> round(loss.item(), 6)
        0.410038
        >>> z.grad.round(4)  # (p - onehot) / 2
        array([[-0.0596,  0.0596],
               [ 0.25  , -0.25  ]])
        """
        return self._by_rule(RULES["cross_entropy"], labels=_class_labels(labels, self.shape))

    def binary_cross_entropy(self, targets):
        """Mean binary cross-entropy of these logits z against targets y in [0, 1] of the same shape.

        Stable for large |z|: it never takes the log of 0 or the exp of a large number.

        >>> round(Tensor([800.0, -800.0]).binary_cross_entropy([1.0, 0.0]).item(), 6)
        0.0
        """
        y = _as_array(targets, "Tensor binary_cross_entropy")
        if y.shape != self.shape:
            raise ValueError(
                f"Tensor binary_cross_entropy: expected targets of the logits' shape {self.shape}, got {y.shape}"
            )
        if np.any((y < 0) | (y > 1)):
            raise ValueError("Tensor binary_cross_entropy: expected targets between 0 and 1, like 0.0 and 1.0")
        return self._by_rule(RULES["binary_cross_entropy"], targets=y)

    # --------------------------------------------------------------- backward
    def backward(self) -> None:
        """Fill `.grad` of every Tensor this one was computed from with d(self)/d(that Tensor).

        Starts from a one-element Tensor (the loss). Zeroes all gradients in the graph first,
        so calling it twice gives the same gradients; a Tensor used twice collects both uses.
        """
        if self.data.size != 1:
            raise ValueError(
                f"backward(): expected a one-element Tensor (a loss), got shape {self.shape}; "
                "reduce it first, e.g. with .sum() or .mean()"
            )
        order = topological_order(self)
        for node in order:
            node.grad = np.zeros_like(node.data)
        self.grad = np.ones_like(self.data)
        for node in reversed(order):  # the loss first, each node after everything that uses it
            node._backward()


def _index_part(part):
    """One part of an index as numpy takes it: a Tensor of positions becomes its integer array."""
    if isinstance(part, Tensor):
        part = part.data
    if isinstance(part, np.ndarray) and part.dtype.kind == "f":
        if not np.all(part == np.round(part)):
            raise TypeError("Tensor [ ]: expected whole-number positions like [0, 2, 1], got fractions")
        part = part.astype(int)
    return part


def _class_labels(labels, shape: tuple[int, ...]) -> np.ndarray:
    """`labels` as an integer array with one class index per row of logits of `shape` (n, classes)."""
    who = "Tensor cross_entropy"
    if len(shape) != 2:
        raise ValueError(f"{who}: expected logits of shape (n, classes), got shape {shape}")
    array = np.asarray(labels) if not isinstance(labels, Tensor) else labels.data
    if array.dtype.kind not in "iu":
        raise TypeError(f"{who}: expected whole-number class labels like [0, 2, 1], got {describe(labels)}")
    if array.shape != shape[:1]:
        raise ValueError(f"{who}: expected one label per row, shape {shape[:1]}, got shape {array.shape}")
    if array.size and not (0 <= array.min() and array.max() < shape[1]):
        raise ValueError(
            f"{who}: expected labels from 0 to {shape[1] - 1} (one per class), got {array.min()} to {array.max()}"
        )
    return array.astype(int)


def topological_order(root: Tensor) -> list[Tensor]:
    """Every Tensor `root` was computed from, each after all its inputs (leaves first, `root` last).

    Iterative, so a graph thousands of operations deep needs no recursion; each node once,
    however many times it is used.

    >>> x = Tensor([1.0, 2.0], label="x")
    >>> y = (x * x + x).sum()
    >>> [node.label or node._op for node in topological_order(y)]
    ['x', '*', '+', 'sum']
    """
    if not isinstance(root, Tensor):
        raise TypeError(f"expected a Tensor (the output of a computation), got {describe(root)}")
    return graph_order(root)


__all__ = ["Tensor", "topological_order"]
