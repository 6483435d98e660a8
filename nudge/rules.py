"""The book's one table of local derivatives: each operation's rule, written once.

Every row names an operation, the `symbol` its graph nodes carry (`node._op`, as code writes it:
`*`, `**2`, `sigmoid`), how a drawing shows it (`shown`: ×, x², σ), its `forward` computation on
numpy arrays and one **vector–Jacobian product** per input: `vjp(g, out, *inputs, **options)`,
the gradient that input receives when the output receives `g` (autograd's `defvjp`).

An elementwise row (+, *, exp, sigmoid, ...) is written as its *slopes* instead: one
`slope(*inputs, out)` per input, the partial derivative of the output with respect to it, using
only arithmetic and comparisons, so it works on floats and arrays alike; its vjp is the slope
times `g`, summed back over the axes numpy broadcast (`unbroadcast`). It also gives its forward
computation as a sympy expression (`symbolic`), so the table itself is checked against sympy.
A structural row (@, sum, softmax, cross-entropy, ...) writes its vjps out.

`Dual` uses the slopes, `Tensor` the vjps; `Value`, the teaching engine, writes its primitives'
rules next to their forward computations (chapter 6 prints them) and derives -, / and negation
from them. `tests/test_rules.py` checks every engine against this table, one line per row.
Adding an operation means adding a row here and a line there.

>>> RULES["mul"].slopes[0](3.0, 4.0, 12.0)  # d(a*b)/da = b
4.0
>>> [slope(-2.0, 0.0) for slope in RULES["relu"].slopes]  # d relu(a)/da at a = -2
[0.0]
>>> power(0).slopes[0](0.0, 1.0)  # a**0 is the constant 1, even at a = 0
0.0
>>> RULES["sum"].vjps[0](np.array(2.0), 6.0, np.ones(3))  # every entry of a sum gets its gradient
array([2., 2., 2.])
>>> by_symbol("*").shown, by_symbol("**2").shown
('×', 'x²')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial

import numpy as np


@dataclass(frozen=True)
class Rule:
    """One operation: `forward(*inputs, **options)` and one `vjp(g, out, *inputs, **options)` per input.

    An elementwise rule gives `slopes` (one `slope(*inputs, out)` per input) and its sympy form
    (`symbolic(sp, *inputs)`) instead of vjps; its vjps are made from the slopes.
    """

    name: str
    symbol: str
    forward: Callable
    slopes: tuple[Callable, ...] = ()
    symbolic: Callable | None = None
    vjps: tuple[Callable, ...] = ()
    shown: str = ""

    def __post_init__(self):
        if bool(self.slopes) == bool(self.vjps):
            raise ValueError(f"rule {self.name!r}: expected either slopes (elementwise) or vjps (structural)")
        if self.slopes:  # an elementwise rule: its Jacobian is diagonal, the slope times g
            vjps = tuple(partial(_elementwise_vjp, slope, i) for i, slope in enumerate(self.slopes))
            object.__setattr__(self, "vjps", vjps)
        if not self.shown:
            object.__setattr__(self, "shown", self.symbol)

    @property
    def arity(self) -> int:
        return len(self.vjps)

    @property
    def elementwise(self) -> bool:
        return bool(self.slopes)


def _elementwise_vjp(slope: Callable, i: int, g, out, *inputs):
    return unbroadcast(slope(*inputs, out) * g, np.shape(inputs[i]))


def unbroadcast(grad, shape: tuple[int, ...]):
    """Sum `grad` down to `shape`: a value broadcast to many places collects the gradient of them all.

    >>> unbroadcast(np.ones((4, 3)), (3,))  # a bias used by 4 rows gets 4 rows' worth of gradient
    array([4., 4., 4.])
    >>> unbroadcast(np.ones((4, 3)), (4, 1))
    array([[3.],
           [3.],
           [3.],
           [3.]])
    """
    while np.ndim(grad) > len(shape):  # axes numpy added in front
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):  # axes of length 1 that numpy stretched
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def sigmoid(a):
    """σ(a) = 1 / (1 + e**-a) on a number or an array, with no exponential that can overflow.

    For a ≥ 0 it is 1 / (1 + e**-a); below 0 the same number written as e**a / (1 + e**a):
    either way the exponent is -|a| ≤ 0. The book's one formula of σ: every engine calls it.

    >>> float(sigmoid(0.0)), float(sigmoid(-1000.0)), float(sigmoid(1000.0))
    (0.5, 0.0, 1.0)
    """
    small = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


# --- the structural operations of `Tensor`: vjps written out --------------------------------


def _matrices(a, b):
    # a vector is a one-row matrix on the left, a one-column matrix on the right
    return a.reshape(-1, a.shape[-1]), b.reshape(b.shape[0], -1)


def _matmul_vjp_left(g, out, a, b):  # d(A@B)/dA: G @ B^T
    left, right = _matrices(a, b)
    return (g.reshape(left.shape[0], right.shape[1]) @ right.T).reshape(a.shape)


def _matmul_vjp_right(g, out, a, b):  # d(A@B)/dB: A^T @ G
    left, right = _matrices(a, b)
    return (left.T @ g.reshape(left.shape[0], right.shape[1])).reshape(b.shape)


def _sum_vjp(g, out, a, axis=None, keepdims=False):  # each entry counts once: it gets g unchanged
    g = g if keepdims or axis is None else np.expand_dims(g, axis)
    return np.broadcast_to(g, a.shape)


def _mean_vjp(g, out, a, axis=None, keepdims=False):  # each of the n entries averaged gets g / n
    return _sum_vjp(g, out, a, axis, keepdims) / (a.size // max(np.size(out), 1))


def log_softmax(z, axis: int = -1):
    """z - log Σ e^z along `axis`, as z - m - log Σ e^(z - m) with m the largest entry (nothing overflows).

    >>> log_softmax(np.array([1000.0, 1000.0])).round(6)
    array([-0.693147, -0.693147])
    """
    shifted = z - z.max(axis=axis, keepdims=True)  # every exponent <= 0
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _log_softmax_vjp(g, out, z, axis=-1):  # d log p_i / d z_j = [i = j] - p_j
    return g - np.exp(out) * g.sum(axis=axis, keepdims=True)


def _softmax_vjp(g, out, z, axis=-1):  # d p_i / d z_j = p_i ([i = j] - p_j)
    return out * (g - (g * out).sum(axis=axis, keepdims=True))


def _cross_entropy(z, labels):  # mean over the rows of -log softmax(z)[label]
    return -log_softmax(z)[np.arange(len(labels)), labels].mean()


def _cross_entropy_vjp(g, out, z, labels):  # d loss / d z = (softmax(z) - onehot(labels)) / n
    grad = np.exp(log_softmax(z))
    grad[np.arange(len(labels)), labels] -= 1.0
    return grad * (g / len(labels))


def _binary_cross_entropy(z, targets):
    # max(z, 0) - y z + log(1 + e^-|z|) is -y log σ(z) - (1-y) log(1-σ(z)) without log(0) or a large exp
    return (np.maximum(z, 0) - targets * z + np.log1p(np.exp(-np.abs(z)))).mean()


def _binary_cross_entropy_vjp(g, out, z, targets):  # d loss / d z = (σ(z) - y) / n
    return (sigmoid(z) - targets) * (g / max(z.size, 1))


# --- what chapter 10's network needs: routing, gathering, normalising, batches of matrices ----


def _expand(g, out, axis, keepdims):
    # the reduced axes put back as length 1, so `g` and `out` broadcast against the input
    if keepdims or axis is None:
        return g, out
    return np.expand_dims(g, axis), np.expand_dims(out, axis)


def _max_vjp(g, out, a, axis=None, keepdims=False):  # the gradient goes to the largest entry, shared by ties
    g, out = _expand(np.asarray(g), np.asarray(out), axis, keepdims)
    winners = a == out
    return winners * (g / winners.sum(axis=axis, keepdims=True))


def _index_vjp(g, out, a, index):  # a gather's backward is a scatter-add: an entry picked twice gets both
    grad = np.zeros_like(a)
    np.add.at(grad, index, g)
    return grad


def layer_norm(x, eps: float = 1e-5):
    """(x - mean) / sqrt(var + eps) along the last axis: each row with mean 0 and (almost) variance 1.

    `eps` keeps a row of equal entries (variance 0) finite: it becomes a row of zeros.

    >>> layer_norm(np.array([1.0, 2.0, 3.0]), eps=0.0).round(6)
    array([-1.224745,  0.      ,  1.224745])
    >>> layer_norm(np.array([5.0, 5.0]))
    array([0., 0.])
    """
    centred = x - x.mean(axis=-1, keepdims=True)
    return centred / np.sqrt((centred**2).mean(axis=-1, keepdims=True) + eps)


def _layer_norm_vjp(g, out, x, eps=1e-5):  # (g - mean(g) - x̂ mean(g x̂)) / σ, row by row
    sigma = np.sqrt(x.var(axis=-1, keepdims=True) + eps)
    return (g - g.mean(axis=-1, keepdims=True) - out * (g * out).mean(axis=-1, keepdims=True)) / sigma


def _bmm_vjp_left(g, out, a, b):  # d(A@B)/dA = G @ Bᵀ for each matrix of the batch, summed where A was shared
    return unbroadcast(g @ np.swapaxes(b, -1, -2), a.shape)


def _bmm_vjp_right(g, out, a, b):  # d(A@B)/dB = Aᵀ @ G for each matrix of the batch, summed where B was shared
    return unbroadcast(np.swapaxes(a, -1, -2) @ g, b.shape)


def _rules(*rows: Rule) -> dict[str, Rule]:
    return {rule.name: rule for rule in rows}


RULES = _rules(
    # d(a+b)/da = 1, d(a+b)/db = 1
    Rule("add", "+", np.add, (lambda a, b, out: 1.0, lambda a, b, out: 1.0), lambda sp, a, b: a + b),
    # d(a-b)/da = 1, d(a-b)/db = -1
    Rule("sub", "-", np.subtract, (lambda a, b, out: 1.0, lambda a, b, out: -1.0), lambda sp, a, b: a - b, shown="−"),
    # d(a*b)/da = b, d(a*b)/db = a
    Rule("mul", "*", np.multiply, (lambda a, b, out: b, lambda a, b, out: a), lambda sp, a, b: a * b, shown="×"),
    # d(a/b)/da = 1/b, d(a/b)/db = -a/b**2
    Rule("div", "/", np.divide, (lambda a, b, out: 1 / b, lambda a, b, out: -a / b**2), lambda sp, a, b: a / b,
         shown="÷"),
    # d(-a)/da = -1
    Rule("neg", "neg", np.negative, (lambda a, out: -1.0,), lambda sp, a: -a, shown="−"),
    # d(e**a)/da = e**a
    Rule("exp", "exp", np.exp, (lambda a, out: out,), lambda sp, a: sp.exp(a)),
    # d(ln a)/da = 1/a
    Rule("log", "log", np.log, (lambda a, out: 1 / a,), lambda sp, a: sp.log(a)),
    # d(tanh a)/da = 1 - tanh(a)**2
    Rule("tanh", "tanh", np.tanh, (lambda a, out: 1 - out**2,), lambda sp, a: sp.tanh(a)),
    # d(relu a)/da = 1 if a > 0 else 0 (0 at the kink a = 0, as frameworks do)
    Rule("relu", "relu", lambda a: np.maximum(a, 0.0), (lambda a, out: (a > 0) * 1.0,), lambda sp, a: sp.Max(a, 0),
         shown="ReLU"),
    # d(sigmoid a)/da = sigmoid(a) * (1 - sigmoid(a))
    Rule("sigmoid", "sigmoid", sigmoid, (lambda a, out: out * (1 - out),), lambda sp, a: 1 / (1 + sp.exp(-a)),
         shown="σ"),
    # --- structural: whole arrays in, vjps written out
    Rule("matmul", "@", np.matmul, vjps=(_matmul_vjp_left, _matmul_vjp_right)),
    Rule("sum", "sum", lambda a, axis=None, keepdims=False: a.sum(axis=axis, keepdims=keepdims), vjps=(_sum_vjp,),
         shown="Σ"),
    Rule("mean", "mean", lambda a, axis=None, keepdims=False: a.mean(axis=axis, keepdims=keepdims), vjps=(_mean_vjp,)),
    # d(A^T)/dA passes the gradient back transposed
    Rule("transpose", "T", np.transpose, vjps=(lambda g, out, a: g.T,), shown="ᵀ"),
    # the same numbers in a new shape: the gradient takes the old shape back
    Rule("reshape", "reshape", lambda a, shape: a.reshape(shape), vjps=(lambda g, out, a, shape: g.reshape(a.shape),)),
    Rule("softmax", "softmax", lambda z, axis=-1: np.exp(log_softmax(z, axis)), vjps=(_softmax_vjp,)),
    Rule("log_softmax", "log_softmax", log_softmax, vjps=(_log_softmax_vjp,)),
    Rule("cross_entropy", "cross_entropy", _cross_entropy, vjps=(_cross_entropy_vjp,)),
    Rule("binary_cross_entropy", "bce", _binary_cross_entropy, vjps=(_binary_cross_entropy_vjp,)),
    # --- chapter 10: max routes, indexing gathers (its backward scatter-adds), layer norm, batches of matrices
    Rule("max", "max", lambda a, axis=None, keepdims=False: a.max(axis=axis, keepdims=keepdims), vjps=(_max_vjp,)),
    Rule("index", "[]", lambda a, index: a[index], vjps=(_index_vjp,), shown="[ ]"),
    Rule("layer_norm", "layer_norm", layer_norm, vjps=(_layer_norm_vjp,), shown="LN"),
    # two axes swapped; the gradient swaps them back
    Rule("swapaxes", "swapaxes", lambda a, axis1=-2, axis2=-1: np.swapaxes(a, axis1, axis2),
         vjps=(lambda g, out, a, axis1=-2, axis2=-1: np.swapaxes(g, axis1, axis2),), shown="ᵀ"),
    Rule("bmm", "bmm", np.matmul, vjps=(_bmm_vjp_left, _bmm_vjp_right), shown="@"),
)  # fmt: skip

_SUPERSCRIPTS = str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·")


def power(n: float) -> Rule:
    """The rule of a ** n for a fixed number n: d(a**n)/da = n * a**(n-1), and 0 when n = 0.

    a ** 0 is the constant 1 even at a = 0, where n * a**(n-1) would be 0 * inf = nan.
    One row per exponent, whichever way it is written:

    >>> power(2) is power(2.0) is by_symbol("**2")
    True
    """
    return _power(float(n))


@cache
def _power(n: float) -> Rule:

    def slope(a, out):
        return 0.0 * a if n == 0 else n * a ** (n - 1)

    exponent = f"{n:g}"
    return Rule(f"**{exponent}", f"**{exponent}", lambda a: a**n, (slope,), lambda sp, a: a**n,
                shown="x" + exponent.translate(_SUPERSCRIPTS))  # fmt: skip


_BY_SYMBOL = {rule.symbol: rule for rule in RULES.values()}


def by_symbol(symbol: str) -> Rule | None:
    """The row whose nodes carry `symbol` as their `_op` (`**n` gives `power(n)`), or None for an unknown one.

    >>> by_symbol("+").name, by_symbol("**0.5").name, by_symbol("sin")
    ('add', '**0.5', None)
    """
    if symbol.startswith("**"):
        try:
            return power(float(symbol[2:]))
        except ValueError:
            return None
    return _BY_SYMBOL.get(symbol)


__all__ = ["Rule", "RULES", "power", "by_symbol", "unbroadcast", "sigmoid", "log_softmax", "layer_norm"]
