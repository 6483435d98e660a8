"""Chapter 8's verdict, a Jacobian by hand: right answers in every defensible form pass, a transposed or wrong
one gets its sentence, and the expected entries are never shown."""

from __future__ import annotations

import numpy as np
import pytest

from nudge.checks import verdict_jacobian


def f(x):
    return np.array([x[0] * x[1], x[0] + x[1] ** 2, 3 * x[1]])


def rotate(x):
    return np.array([x[0] * np.cos(x[1]), x[0] * np.sin(x[1])])


POINT = np.array([2.0, -1.0])
JACOBIAN = np.array([[-1.0, 2.0], [1.0, -2.0], [0.0, 3.0]])


@pytest.mark.parametrize("value", [JACOBIAN, JACOBIAN.tolist(), JACOBIAN.astype(np.float32), JACOBIAN.astype(int)])
def test_the_jacobian_passes_as_an_array_a_list_or_whole_numbers(value):
    verdict = verdict_jacobian(value, "J", f, POINT)
    assert verdict.ok, verdict.message


@pytest.mark.parametrize(
    "value, phrase",
    [
        (JACOBIAN.T, "one row per input. The Jacobian has one row per output, shape (3, 2)"),
        (JACOBIAN[:2], "expected a 3 × 2 array (one row per output of f, one column per input), got shape (2, 2)"),
        (JACOBIAN + [[0, 0], [0, 0], [0, 1]], "1 of 6 values of J are off; J[2, 1] is too large"),
        (-JACOBIAN, "5 of 6 values of J are off"),
        ("J", "got the text"),
        (..., "still `...`"),
        (None, "is None"),
    ],
)
def test_a_wrong_jacobian_gets_a_sentence_without_its_entries(value, phrase):
    verdict = verdict_jacobian(value, "J", f, POINT)
    assert not verdict.ok and phrase in verdict.message, verdict.message
    assert "-2.0" not in verdict.message and "3.0" not in verdict.message


def test_a_square_jacobian_transposed_is_named():
    point = np.array([2.0, 0.5])
    right = np.array([[np.cos(0.5), -2 * np.sin(0.5)], [np.sin(0.5), 2 * np.cos(0.5)]])
    assert verdict_jacobian(right, "J", rotate, point).ok
    verdict = verdict_jacobian(right.T, "J", rotate, point)
    assert not verdict.ok and "is transposed" in verdict.message, verdict.message
