"""Chapter 10's verdicts: right answers pass, the mistakes worth naming are named, and nothing a
student can hand in makes a checker crash or show the answer."""

from __future__ import annotations

import numpy as np
import pytest

from nudge.checks import (
    verdict_checkpoint_memory,
    verdict_layer_norm,
    verdict_layer_norm_backward,
    verdict_softmax_vjp,
)


def stable_p(z):
    p = np.exp(z - z.max())
    return p / p.sum()


def softmax_vjp(z, u):
    p = stable_p(z)
    return p * (u - u @ p)


def layer_norm_backward(x, g, eps=1e-5):
    sigma = np.sqrt(x.var(axis=-1, keepdims=True) + eps)
    x_hat = (x - x.mean(axis=-1, keepdims=True)) / sigma
    return (g - g.mean(axis=-1, keepdims=True) - x_hat * (g * x_hat).mean(axis=-1, keepdims=True)) / sigma


@pytest.mark.parametrize("part", ["values", "edges"])
@pytest.mark.parametrize("seed", [0, 7])
def test_right_functions_pass_every_part(part, seed):
    assert verdict_softmax_vjp(softmax_vjp, "f", part, seed=seed).ok
    assert verdict_layer_norm_backward(layer_norm_backward, "f", part, seed=seed).ok


SOFTMAX_MISTAKES = {
    "keeps only the diagonal": lambda z, u: stable_p(z) * (1 - stable_p(z)) * u,
    "forgets the factor p": lambda z, u: u - u @ stable_p(z),
    "returned the whole": lambda z, u: np.diag(stable_p(z)) - np.outer(stable_p(z), stable_p(z)),
    "wrong sign": lambda z, u: -softmax_vjp(z, u),
    "p − y of cross-entropy": lambda z, u: stable_p(z) - u,
}


@pytest.mark.parametrize("sentence", SOFTMAX_MISTAKES)
def test_softmax_mistakes_are_named(sentence):
    verdict = verdict_softmax_vjp(SOFTMAX_MISTAKES[sentence], "softmax_vjp")
    assert not verdict.ok and sentence in verdict.message


def test_softmax_edges_catch_overflow_and_a_built_jacobian():
    def naive(z, u):
        p = np.exp(z) / np.exp(z).sum()
        return p * (u - u @ p)

    def through_the_matrix(z, u):
        p = stable_p(z)
        return u @ (np.diag(p) - np.outer(p, p))

    assert verdict_softmax_vjp(naive, "f").ok and verdict_softmax_vjp(through_the_matrix, "f").ok
    overflow = verdict_softmax_vjp(naive, "f", "edges")
    assert not overflow.ok and "subtract the largest logit" in overflow.message
    matrix = verdict_softmax_vjp(through_the_matrix, "f", "edges")
    assert not matrix.ok and "Don't build an n × n matrix" in matrix.message


def mean_removed(x, g, eps=1e-5):
    sigma = np.sqrt(x.var(axis=-1, keepdims=True) + eps)
    return (g - g.mean(axis=-1, keepdims=True)) / sigma


def no_eps(x, g):
    return layer_norm_backward(x, g, eps=0.0)


def whole_array(x, g, eps=1e-5):
    sigma = np.sqrt(x.var() + eps)
    x_hat = (x - x.mean()) / sigma
    return (g - g.mean() - x_hat * (g * x_hat).mean()) / sigma


@pytest.mark.parametrize(
    ("answer", "part", "sentence"),
    [
        (lambda x, g: g / np.sqrt(x.var(axis=-1, keepdims=True) + 1e-5), "values", "is g / σ"),
        (mean_removed, "values", "not its part along x̂"),
        (
            lambda x, g: layer_norm_backward(x, g) * np.sqrt(x.var(axis=-1, keepdims=True) + 1e-5),
            "values",
            "divide by σ",
        ),
        (no_eps, "values", "leaves ε out"),
        (no_eps, "edges", "keep ε under the square root"),
        (whole_array, "values", "along the last axis"),
    ],
)
def test_layer_norm_mistakes_are_named(answer, part, sentence):
    verdict = verdict_layer_norm_backward(answer, "layer_norm_backward", part)
    assert not verdict.ok and sentence in verdict.message, verdict.message


@pytest.mark.parametrize(
    ("answer", "sentence"),
    [(512, "is right"), (256, "not the segment"), (2048, "without checkpoints"), (16, "counts activations"),
     (100, "too small"), (1e4, "too large"), ("512", "got the text")],
)  # fmt: skip
def test_checkpoint_memory_names_what_was_left_out(answer, sentence):
    verdict = verdict_checkpoint_memory(answer, "checkpointed_mb", 64, 8, 32.0)
    assert verdict.ok == (sentence == "is right") and sentence in verdict.message, verdict.message
    assert "512" not in verdict.message or sentence == "got the text"  # the answer is never shown
    assert verdict_checkpoint_memory(2048, "plain_mb", 64, None, 32.0).ok


@pytest.mark.parametrize("bad", [..., None, "f", 3.0, np.zeros(3), lambda: 1, lambda z, u: "text", lambda z, u: None])
def test_malformed_answers_get_a_sentence_not_a_traceback(bad):
    for verdict in (verdict_softmax_vjp, verdict_layer_norm_backward):
        for part in ("values", "edges"):
            result = verdict(bad, "f", part)
            assert not result.ok and "checker could not" not in result.message, result.message
    with pytest.raises(ValueError, match="part: expected one of"):
        verdict_softmax_vjp.__wrapped__(softmax_vjp, "f", "middle")


ROW = np.array([1.0, 2.0, 6.0])
X_HAT = (ROW - ROW.mean()) / ROW.std()


@pytest.mark.parametrize(
    ("answer", "sentence"),
    [
        (X_HAT, "is layer norm of x"),
        (X_HAT.tolist(), "is layer norm of x"),
        ((ROW - ROW.mean()) / ROW.std(ddof=1), "sample standard deviation"),
        ((ROW - ROW.mean()) / ROW.var(), "divides by the variance"),
        (ROW - ROW.mean(), "not yet divided by σ"),
        (ROW / ROW.std(), "subtract the mean μ first"),
        (X_HAT.round(3), "close but not exact"),
        (X_HAT[:2], "expected an array of 3 numbers"),
        ("x", "got the text"),
    ],
)
def test_layer_norm_by_hand_names_its_mistakes(answer, sentence):
    verdict = verdict_layer_norm(answer, "x_hat", ROW)
    assert verdict.ok == (sentence == "is layer norm of x") and sentence in verdict.message, verdict.message
    assert all(f"{v:.3f}" not in verdict.message for v in X_HAT)  # the answer is never shown
