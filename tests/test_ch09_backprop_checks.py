"""Chapter 9's verdicts (softmax's probabilities, a gradient check's relative error, an initialisation's scale) and
the shape verdict chapter 8's first exercise uses: right answers in every defensible form pass, wrong ones get
their sentence."""

from __future__ import annotations

import numpy as np
import pytest

from nudge.checks import verdict_gradient_error, verdict_init_std, verdict_shape, verdict_softmax
from nudge.gradcheck import relative_error
from nudge.numeric import numerical_gradient

rng = np.random.default_rng(4)
X = rng.normal(size=(6, 3))
PARAMS = {"W": rng.normal(size=(3, 4)), "b": rng.normal(size=4), "V": rng.normal(size=(4, 2))}
C = rng.normal(size=(6, 2))


def net_loss(W, b, V):
    return np.sum(C * (np.tanh(X @ W + b) @ V))


def suspect_grads(W, b, V):
    H = np.tanh(X @ W + b)
    delta = (C @ V.T) * (1 - H**2)
    return {"W": X.T @ delta, "b": delta.mean(axis=0), "V": H.T @ C}


def error(key, method="central", h=1e-4):
    numeric = numerical_gradient(lambda v: net_loss(**{**PARAMS, key: v}), PARAMS[key], h=h, method=method)
    return relative_error(suspect_grads(**PARAMS)[key], numeric)


@pytest.mark.parametrize("method, h", [("central", 1e-4), ("central", 1e-6), ("forward", 1e-5), ("forward", 1e-7)])
@pytest.mark.parametrize("key", ["W", "b", "V"])
def test_any_sensible_quotient_gives_a_passing_error(key, method, h):
    assert verdict_gradient_error(error(key, method, h), "err", suspect_grads, net_loss, PARAMS, key).ok


def test_the_broken_weight_has_error_five_sevenths():
    assert error("b") == pytest.approx(5 / 7, rel=1e-6)


@pytest.mark.parametrize(
    "value, key, phrase",
    [
        (123.0, "V", "lies between 0 and 1"),
        (-1e-9, "W", "lies between 0 and 1"),
        (0.5, "W", "is not the relative error"),
        (1e-9, "b", "is not the relative error"),
        ("0.1", "W", "remove the quotes"),
        (..., "W", "still `...`"),
    ],
)
def test_a_wrong_error_gets_a_sentence(value, key, phrase):
    verdict = verdict_gradient_error(value, "err", suspect_grads, net_loss, PARAMS, key)
    assert not verdict.ok and phrase in verdict.message, verdict


@pytest.mark.parametrize(
    "value, rule, ok, phrase",
    [
        (np.sqrt(2 / 256), "He", True, "He's standard deviation"),
        (np.float32(np.sqrt(2 / 256)), "He", True, ""),
        (1 / np.sqrt(192), "Glorot", True, ""),
        (0.0884, "He", False, "close but not exact"),
        (0.0884, "He", False, "in code"),
        (1 / 16, "He", False, "LeCun's"),
        (1 / 16, "Glorot", False, "LeCun's"),
        (2 / 256, "He", False, "a variance"),
        (0.5, "He", False, "too large"),
    ],
)
def test_init_std(value, rule, ok, phrase):
    verdict = verdict_init_std(value, "std", rule, 256, 128)
    assert verdict.ok is ok and phrase in verdict.message, verdict


@pytest.mark.parametrize(
    "value, ok, phrase",
    [
        ((3, 4), True, "right shape"),
        ([3, 4], True, ""),
        (np.array([3, 4]), True, ""),
        ((3.0, 4.0), True, ""),
        ((3.0000001, 4), False, "whole numbers"),
        ((4, 3), False, "is not the shape"),
        ((3, 4, 1), False, "has 3 numbers"),
        (12, False, "single number"),
        ("(3, 4)", False, "text"),
    ],
)
def test_shape(value, ok, phrase):
    verdict = verdict_shape(value, "shape", (3, 4))
    assert verdict.ok is ok and phrase in verdict.message, verdict


LOGITS = np.array([1.0, 2.0, 0.5, -1.0])
SOFTMAX = np.exp(LOGITS) / np.exp(LOGITS).sum()


@pytest.mark.parametrize(
    "value, ok, phrase",
    [
        (SOFTMAX, True, "softmax probabilities"),
        (SOFTMAX.tolist(), True, ""),
        (SOFTMAX.astype(np.float32), True, ""),
        (np.exp(LOGITS), False, "not yet divided by their sum"),
        (LOGITS / LOGITS.sum(), False, "divides the logits by their sum"),
        (np.log(SOFTMAX), False, "log-probabilities"),
        (SOFTMAX[::-1], False, "in the wrong order"),
        (SOFTMAX * 2, False, "sums to 2"),
        (SOFTMAX.round(4), False, "close but not exact"),
        (SOFTMAX[:3], False, "expected an array of 4 probabilities"),
        ("p", False, "text"),
        (..., False, "still `...`"),
    ],
)
def test_softmax(value, ok, phrase):
    verdict = verdict_softmax(value, "p", LOGITS)
    assert verdict.ok is ok and phrase in verdict.message, verdict
    assert ok or all(f"{q:.3f}" not in verdict.message for q in SOFTMAX), verdict  # the answer is never shown
