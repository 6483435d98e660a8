"""The array operations of chapters 8–9 against sympy, and the Jacobian tools.

Their vector–Jacobian products are checked against central differences where every row of the
table is, in `tests/test_rules.py`; here sympy checks what those rows compute: the exact
derivatives of softmax, log-softmax and both cross-entropies.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from nudge.autodiff import exp, jvp, vjp
from nudge.numeric import numerical_jacobian
from nudge.tensor import Tensor

Z = sp.symbols("z0:3", real=True)


def sympy_softmax(z):
    total = sum(sp.exp(zi) for zi in z)
    return [sp.exp(zi) / total for zi in z]


@pytest.mark.parametrize("point", [(0.3, -1.2, 2.0), (0.0, 0.0, 0.0), (-4.0, 5.0, 1.0)])
def test_softmax_log_softmax_and_cross_entropy_match_sympy(point):
    at = dict(zip(Z, point, strict=True))
    p = sympy_softmax(Z)
    for j in range(3):  # each output's gradient: one row of the Jacobian
        expected_p = [float(sp.diff(p[j], zi).subs(at)) for zi in Z]
        expected_log = [float(sp.diff(sp.log(p[j]), zi).subs(at)) for zi in Z]
        for method, expected in (("softmax", expected_p), ("log_softmax", expected_log)):
            z = Tensor(point)
            pick = np.eye(3)[j]  # Tensor has no indexing: output j is the sum weighted by a one-hot row
            (getattr(z, method)() * pick).sum().backward()
            np.testing.assert_allclose(z.grad, expected, rtol=1e-10, atol=1e-14)
        z = Tensor([point])
        loss = z.cross_entropy([j])
        loss.backward()
        assert loss.item() == pytest.approx(float(-sp.log(p[j]).subs(at)), rel=1e-12)
        np.testing.assert_allclose(z.grad[0], [float(sp.diff(-sp.log(p[j]), zi).subs(at)) for zi in Z], atol=1e-12)


@pytest.mark.parametrize(("z0", "y0"), [(0.7, 1.0), (-2.0, 0.0), (0.0, 0.5), (30.0, 0.0), (-30.0, 1.0)])
def test_binary_cross_entropy_matches_sympy(z0, y0):
    z_, y_ = sp.symbols("z y", real=True)
    sigma = 1 / (1 + sp.exp(-z_))
    bce = -y_ * sp.log(sigma) - (1 - y_) * sp.log(1 - sigma)
    at = {z_: sp.nsimplify(z0), y_: sp.nsimplify(y0)}  # exact inputs: 1 - σ(30) in floats is all rounding
    z = Tensor([z0])
    loss = z.binary_cross_entropy([y0])
    loss.backward()
    assert loss.item() == pytest.approx(float(bce.subs(at).evalf(30)), rel=1e-12)
    assert z.grad[0] == pytest.approx(float(sp.diff(bce, z_).subs(at).evalf(30)), rel=1e-9, abs=1e-15)


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: Tensor(np.zeros((2, 3))).cross_entropy([0.0, 1.0]), TypeError, "whole-number class labels"),
        (lambda: Tensor(np.zeros((2, 3))).cross_entropy([0, 3]), ValueError, "labels from 0 to 2"),
        (lambda: Tensor(np.zeros((2, 3))).cross_entropy([0, 1, 2]), ValueError, "one label per row"),
        (lambda: Tensor(np.zeros(3)).cross_entropy([0]), ValueError, r"logits of shape \(n, classes\)"),
        (lambda: Tensor(np.zeros(2)).binary_cross_entropy([0.0, 2.0]), ValueError, "between 0 and 1"),
        (lambda: Tensor(np.zeros(2)).binary_cross_entropy([0.0]), ValueError, "the logits' shape"),
        (lambda: Tensor(np.zeros(6)).reshape(4, 2), ValueError, r"the 6 entries of \(6,\) into \(4, 2\)"),
    ],
)
def test_loss_mistakes_say_what_was_expected(make, error, words):
    with pytest.raises(error, match=words):
        make()


# --- Jacobians, JVPs and VJPs ----------------------------------------------------------

X = sp.symbols("x0:3", real=True)
MAPS = {
    "tanh layer": (
        sp.Matrix([sp.tanh(X[0] - 2 * X[1]), sp.tanh(0.5 * X[0] + X[2])]),
        lambda x: np.tanh(np.array([[1.0, -2.0, 0.0], [0.5, 0.0, 1.0]]) @ x),
    ),
    "products and powers": (
        sp.Matrix([X[0] * X[1], X[1] ** 3 / X[2], sp.exp(X[0]) + X[2]]),
        lambda x: np.array([x[0] * x[1], x[1] ** 3 / x[2], exp(x[0]) + x[2]]),  # `exp` takes a number or a Dual
    ),
}
POINT = np.array([0.4, -1.3, 2.0])


@pytest.mark.parametrize("name", list(MAPS))
def test_numerical_jacobian_matches_sympys_jacobian(name):
    symbolic, f = MAPS[name]
    exact = np.array(symbolic.jacobian(X).subs(dict(zip(X, POINT, strict=True))), dtype=float)
    np.testing.assert_allclose(numerical_jacobian(f, POINT), exact, rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("name", list(MAPS))
def test_jvp_and_vjp_are_the_jacobian_times_a_vector(name):
    symbolic, f = MAPS[name]
    exact = np.array(symbolic.jacobian(X).subs(dict(zip(X, POINT, strict=True))), dtype=float)
    v = np.array([0.3, -1.0, 2.0])
    u = np.arange(1.0, exact.shape[0] + 1)
    values, jv = jvp(f, POINT, v)
    np.testing.assert_allclose(values, f(POINT), rtol=1e-13)
    np.testing.assert_allclose(jv, exact @ v, rtol=1e-12)
    values, uj = vjp(f, POINT, u)
    np.testing.assert_allclose(values, f(POINT), rtol=1e-13)
    np.testing.assert_allclose(uj, u @ exact, rtol=1e-12)


def test_a_jacobian_has_the_output_shape_then_the_input_shape():
    assert numerical_jacobian(lambda w: w @ np.ones(3), np.ones((2, 3))).shape == (2, 2, 3)
    assert numerical_jacobian(lambda x: float(x @ x), np.ones(3)).shape == (3,)  # a gradient


def test_directions_of_the_wrong_shape_are_refused():
    with pytest.raises(ValueError, match=r"direction of the shape of x, \(2,\), got shape \(3,\)"):
        jvp(lambda x: x, [1.0, 2.0], [1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"u of the shape of f\(x\), \(2,\), got shape \(1,\)"):
        vjp(lambda x: x, [1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="must keep its shape"):
        numerical_jacobian(lambda x: x[x > 1.0], np.array([1.0, 2.0]))
