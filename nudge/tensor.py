"""A vectorised twin of `nudge.autodiff.Value`: the same reverse-mode rules, one numpy array per node.

`Value` keeps one Python object per number, which shows every step of the chain rule and makes
training slow. `Tensor` keeps a whole float array per node, so a layer of a network is a handful
of nodes instead of thousands. The rules are the same: each operation records its local
derivative in a closure next to the forward computation, and `backward()` zeroes every gradient
in the graph, then applies the chain rule from the loss back to the inputs.

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


def _unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `grad` down to `shape`: a value broadcast to many places collects the gradient of them all.

    >>> _unbroadcast(np.ones((4, 3)), (3,))  # a bias used by 4 rows gets 4 rows' worth of gradient
    array([4., 4., 4.])
    >>> _unbroadcast(np.ones((4, 3)), (4, 1))
    array([[3.],
           [3.],
           [3.],
           [3.]])
    """
    while grad.ndim > len(shape):  # axes numpy added in front
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):  # axes of length 1 that numpy stretched
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


class Tensor:
    """A float array in a computation graph, with the gradient of the loss with respect to it.

    Build expressions with `+ - * / @ **` and the methods `tanh`, `sigmoid`, `relu`, `exp`, `log`,
    `sum`, `mean`, `.T`, `reshape`, `softmax`, `log_softmax`, and the losses `cross_entropy`
    (integer class labels) and `binary_cross_entropy` (targets in [0, 1]), both from logits;
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
    def _by_rule(self, rule: Rule, *others: Tensor) -> Tensor:
        """A new node computed by `rule` (a row of `nudge.rules`) from this Tensor and `others`.

        Backward multiplies the incoming gradient by the rule's slope for each input, then sums it
        back down to that input's shape (`_unbroadcast`).
        """
        inputs = (self, *others)
        if others:
            _broadcast_shape(rule.symbol, self, others[0])
        values = [t.data for t in inputs]
        out = Tensor(rule.forward(*values), inputs, rule.symbol)

        def _backward():
            for t, slope in zip(inputs, rule.slopes, strict=True):
                t.grad += _unbroadcast(slope(*values, out.data) * out.grad, t.shape)

        out._backward = _backward
        return out

    def __add__(self, other):  # d(a+b)/da = 1, d(a+b)/db = 1
        return self._by_rule(RULES["add"], _as_tensor(other, "+"))

    def __sub__(self, other):  # d(a-b)/da = 1, d(a-b)/db = -1
        return self._by_rule(RULES["sub"], _as_tensor(other, "-"))

    def __mul__(self, other):  # d(a*b)/da = b, d(a*b)/db = a
        return self._by_rule(RULES["mul"], _as_tensor(other, "*"))

    def __truediv__(self, other):  # d(a/b)/da = 1/b, d(a/b)/db = -a/b^2
        return self._by_rule(RULES["div"], _as_tensor(other, "/"))

    def __pow__(self, k):  # d(a^k)/da = k a^(k-1), for a fixed number k (0 when k = 0)
        return self._by_rule(power(require_number(k, who="Tensor **", name="the exponent", example="2")))

    def __matmul__(self, other):  # d(A@B)/dA = G @ B^T, d(A@B)/dB = A^T @ G, for the incoming gradient G
        other = _as_tensor(other, "@")
        if not (1 <= self.ndim <= 2 and 1 <= other.ndim <= 2):
            raise ValueError(
                f"Tensor @: expected vectors or matrices (1 or 2 dimensions), got {self.shape} @ {other.shape}"
            )
        if self.shape[-1] != other.shape[0]:
            raise ValueError(
                f"Tensor @: inner dimensions differ, {self.shape} @ {other.shape}: expected the last dimension "
                f"of the left ({self.shape[-1]}) to equal the first of the right ({other.shape[0]})"
            )
        out = Tensor(self.data @ other.data, (self, other), "@")

        def _backward():
            # treat vectors as a one-row (left) or one-column (right) matrix, then shape back
            left = self.data.reshape(-1, self.shape[-1])
            right = other.data.reshape(other.shape[0], -1)
            grad = out.grad.reshape(left.shape[0], right.shape[1])
            self.grad += (grad @ right.T).reshape(self.shape)
            other.grad += (left.T @ grad).reshape(other.shape)

        out._backward = _backward
        return out

    def __neg__(self):  # d(-a)/da = -1
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
    def tanh(self):  # d tanh(a)/da = 1 - tanh(a)^2
        return self._by_rule(RULES["tanh"])

    def sigmoid(self):  # d sigma(a)/da = sigma(a) (1 - sigma(a))
        return self._by_rule(RULES["sigmoid"])

    def relu(self):  # d relu(a)/da = 1 where a > 0, else 0
        return self._by_rule(RULES["relu"])

    def exp(self):  # d e^a/da = e^a
        return self._by_rule(RULES["exp"])

    def log(self):  # d log(a)/da = 1/a
        if np.any(self.data <= 0):
            bad = self.data[self.data <= 0]
            raise ValueError(
                f"Tensor log: expected positive entries, got {bad.size} entr{'y' if bad.size == 1 else 'ies'} "
                f"<= 0 (smallest {bad.min():.6g})"
            )
        return self._by_rule(RULES["log"])

    # ------------------------------------------------------------ reductions
    def sum(self, axis=None, keepdims: bool = False):  # d sum(a)/da_i = 1 for every entry
        out = Tensor(self.data.sum(axis=axis, keepdims=keepdims), (self,), "sum")

        def _backward():
            grad = out.grad if keepdims or axis is None else np.expand_dims(out.grad, axis)
            self.grad += np.broadcast_to(grad, self.shape)

        out._backward = _backward
        return out

    def mean(self, axis=None, keepdims: bool = False):  # d mean(a)/da_i = 1/n, n entries averaged
        out = Tensor(self.data.mean(axis=axis, keepdims=keepdims), (self,), "mean")
        count = self.data.size // max(out.data.size, 1)

        def _backward():
            grad = out.grad if keepdims or axis is None else np.expand_dims(out.grad, axis)
            self.grad += np.broadcast_to(grad, self.shape) / count

        out._backward = _backward
        return out

    # ------------------------------------------------------------ shapes
    @property
    def T(self):  # noqa: N802 - numpy's name; d(A^T)/dA passes the gradient back transposed
        """The transpose (axes reversed, as numpy's `.T`)."""
        out = Tensor(self.data.T, (self,), "T")

        def _backward():
            self.grad += out.grad.T

        out._backward = _backward
        return out

    def reshape(self, *shape):  # the same numbers in a new shape: the gradient takes the old shape back
        """The same entries in another shape, like numpy's `reshape` (one -1 is worked out).

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).reshape(-1)
        Tensor([1., 2., 3., 4.])
        """
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], tuple | list) else shape
        try:
            data = self.data.reshape(shape)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"Tensor reshape: can't put the {self.size} entries of {self.shape} into {shape}") from exc
        out = Tensor(data, (self,), "reshape")

        def _backward():
            self.grad += out.grad.reshape(self.shape)

        out._backward = _backward
        return out

    # ----------------------------------------------- softmax and cross-entropy
    def log_softmax(self, axis: int = -1):  # d log p_i / d z_j = [i = j] - p_j
        """log softmax along `axis`: z - log Σ e^z, computed as z - m - log Σ e^(z - m) with m the max.

        Subtracting the largest entry first keeps every exponent ≤ 0, so no e^z overflows.

        >>> Tensor([1000.0, 1000.0]).log_softmax().data.round(6)
        array([-0.693147, -0.693147])
        """
        out = Tensor(_log_softmax(self.data, axis), (self,), "log_softmax")

        def _backward():
            # g - p Σ g: each output's gradient, less what every entry's share of the total takes away
            self.grad += out.grad - np.exp(out.data) * out.grad.sum(axis=axis, keepdims=True)

        out._backward = _backward
        return out

    def softmax(self, axis: int = -1):  # d p_i / d z_j = p_i ([i = j] - p_j)
        """e^z / Σ e^z along `axis`: positive entries that sum to 1 (stable for large |z|).

        >>> Tensor([0.0, 0.0, 0.0, 0.0]).softmax()
        Tensor([0.25, 0.25, 0.25, 0.25])
        """
        p = np.exp(_log_softmax(self.data, axis))
        out = Tensor(p, (self,), "softmax")

        def _backward():
            self.grad += p * (out.grad - (out.grad * p).sum(axis=axis, keepdims=True))

        out._backward = _backward
        return out

    def cross_entropy(self, labels):  # d loss / d z = (softmax(z) - onehot(labels)) / n
        """Mean cross-entropy of these logits, shape (n, classes), against integer class `labels` (n,).

        The loss of one example is -log softmax(z)[label], from the stable `log_softmax`; its
        gradient is p - y, the predicted probabilities minus the one-hot label.

        >>> z = Tensor([[2.0, 0.0], [0.0, 0.0]])
        >>> loss = z.cross_entropy([0, 1])  # (log(1 + e^-2) + log 2) / 2
        >>> loss.backward()
        >>> round(loss.item(), 6)
        0.410038
        >>> z.grad.round(4)  # (p - onehot) / 2
        array([[-0.0596,  0.0596],
               [ 0.25  , -0.25  ]])
        """
        labels = _class_labels(labels, self.shape)
        log_p = _log_softmax(self.data, axis=-1)
        rows = np.arange(len(labels))
        out = Tensor(-log_p[rows, labels].mean(), (self,), "cross_entropy")

        def _backward():
            grad = np.exp(log_p)
            grad[rows, labels] -= 1.0
            self.grad += grad * (out.grad / len(labels))

        out._backward = _backward
        return out

    def binary_cross_entropy(self, targets):  # d loss / d z = (sigmoid(z) - y) / n
        """Mean binary cross-entropy of these logits z against targets y in [0, 1] of the same shape.

        Computed as max(z, 0) - y z + log(1 + e^-|z|), which equals -y log σ(z) - (1-y) log(1-σ(z))
        and never takes the log of 0 or the exp of a large number.

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
        z = self.data
        out = Tensor((np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))).mean(), (self,), "bce")

        def _backward():
            self.grad += (RULES["sigmoid"].forward(z) - y) * (out.grad / max(z.size, 1))

        out._backward = _backward
        return out

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


def _log_softmax(z: np.ndarray, axis: int) -> np.ndarray:
    shifted = z - z.max(axis=axis, keepdims=True)  # every exponent <= 0: nothing overflows
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


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
