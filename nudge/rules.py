"""The book's one table of local derivatives: each operation's rule, written once.

A row gives an operation's forward computation (on numpy arrays, and as a sympy expression)
and one *slope* per input: the partial derivative of the output with respect to that input,
as a function of the inputs and the output. The slopes use only arithmetic and comparisons,
so they work on plain floats and on numpy arrays alike.

`Dual` and `Tensor` apply these rows directly; `Value` writes each rule out next to its forward
computation (chapter 6 prints those methods), and `tests/test_rules.py` checks every engine and
the activations' `*_slope` functions against this table, and the table against sympy, over
values that include 0, negatives, kinks and large |x|. Adding an operation means adding a row
here and a row to that test.

>>> RULES["mul"].slopes[0](3.0, 4.0, 12.0)  # d(a*b)/da = b
4.0
>>> [slope(-2.0, 0.0) for slope in RULES["relu"].slopes]  # d relu(a)/da at a = -2
[0.0]
>>> power(0).slopes[0](0.0, 1.0)  # a**0 is the constant 1, even at a = 0
0.0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np


@dataclass(frozen=True)
class Rule:
    """One operation: its `symbol` (as graphs show it), its `forward` on numpy arrays, the same
    as a sympy expression (`symbolic`, given sympy and the input expressions), and `slopes`:
    one `slope(*inputs, out)` per input, the partial derivative of `out` with respect to it."""

    name: str
    symbol: str
    forward: Callable
    symbolic: Callable
    slopes: tuple[Callable, ...]

    @property
    def arity(self) -> int:
        return len(self.slopes)


def _rules(*rows: Rule) -> dict[str, Rule]:
    return {rule.name: rule for rule in rows}


RULES = _rules(
    # d(a+b)/da = 1, d(a+b)/db = 1
    Rule("add", "+", np.add, lambda sp, a, b: a + b, (lambda a, b, out: 1.0, lambda a, b, out: 1.0)),
    # d(a-b)/da = 1, d(a-b)/db = -1
    Rule("sub", "-", np.subtract, lambda sp, a, b: a - b, (lambda a, b, out: 1.0, lambda a, b, out: -1.0)),
    # d(a*b)/da = b, d(a*b)/db = a
    Rule("mul", "*", np.multiply, lambda sp, a, b: a * b, (lambda a, b, out: b, lambda a, b, out: a)),
    # d(a/b)/da = 1/b, d(a/b)/db = -a/b**2
    Rule("div", "/", np.divide, lambda sp, a, b: a / b, (lambda a, b, out: 1 / b, lambda a, b, out: -a / b**2)),
    # d(-a)/da = -1
    Rule("neg", "neg", np.negative, lambda sp, a: -a, (lambda a, out: -1.0,)),
    # d(e**a)/da = e**a
    Rule("exp", "exp", np.exp, lambda sp, a: sp.exp(a), (lambda a, out: out,)),
    # d(ln a)/da = 1/a
    Rule("log", "log", np.log, lambda sp, a: sp.log(a), (lambda a, out: 1 / a,)),
    # d(tanh a)/da = 1 - tanh(a)**2
    Rule("tanh", "tanh", np.tanh, lambda sp, a: sp.tanh(a), (lambda a, out: 1 - out**2,)),
    # d(relu a)/da = 1 if a > 0 else 0 (0 at the kink a = 0, as frameworks do)
    Rule("relu", "relu", lambda a: np.maximum(a, 0.0), lambda sp, a: sp.Max(a, 0), (lambda a, out: (a > 0) * 1.0,)),
    # d(sigmoid a)/da = sigmoid(a) * (1 - sigmoid(a)); 0.5 (1 + tanh(a/2)) is 1 / (1 + e**-a) without overflow
    Rule(
        "sigmoid",
        "sigmoid",
        lambda a: 0.5 * (1 + np.tanh(0.5 * a)),
        lambda sp, a: 1 / (1 + sp.exp(-a)),
        (lambda a, out: out * (1 - out),),
    ),
)


@cache
def power(n: float) -> Rule:
    """The rule of a ** n for a fixed number n: d(a**n)/da = n * a**(n-1), and 0 when n = 0.

    a ** 0 is the constant 1 even at a = 0, where n * a**(n-1) would be 0 * inf = nan.
    """

    def slope(a, out):
        return 0.0 * a if n == 0 else n * a ** (n - 1)

    return Rule(f"**{n:g}", f"**{n:g}", lambda a: a**n, lambda sp, a: a**n, (slope,))


__all__ = ["Rule", "RULES", "power"]
