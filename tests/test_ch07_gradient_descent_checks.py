"""Chapter 7's verdicts (a line's mean squared error, one step of a line fit, a training loop, a learning rate that
converges or diverges): right answers pass, each kind of wrong answer gets its own sentence without the expected
value, and nothing a student can type makes them crash."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_ch06_autodiff_checks import value_ops
from test_checks import _restore_time_limit, assert_says, no_answer_crashes  # noqa: F401 (an autouse fixture, here too)

from nudge import checks
from nudge.autodiff import Value
from nudge.checks import (
    VERDICTS,
    CheckFailed,
    check_learning_rate,
    verdict_learning_rate,
    verdict_line_loss,
    verdict_line_step,
    verdict_training,
)

NEW = ("line_loss", "line_step", "training", "learning_rate")


# --- student answers, right and wrong --------------------------------------------------------------


def mse_step(a, b, xs, ys, lr, factor=2.0, scale=1.0):
    errors = a * xs + b - ys
    return a - lr * scale * factor * np.mean(errors * xs), b - lr * scale * factor * np.mean(errors)


def train_line(xs, ys, lr, steps):
    a, b = Value(0.0), Value(0.0)
    points = list(zip(np.asarray(xs).tolist(), np.asarray(ys).tolist(), strict=True))
    for _ in range(steps):
        loss = sum((a * xi + b - yi) ** 2 for xi, yi in points) / len(points)
        loss.backward()
        a.data -= lr * a.grad
        b.data -= lr * b.grad
    return a.data, b.data


XS = np.array([-1.0, 0.0, 1.0, 2.0, 3.0])
YS = np.array([-2.1, 1.2, 2.9, 5.2, 6.8])


def line_loss(a, b):
    return np.mean((a * XS + b - YS) ** 2)


def quad_loss(w):
    return 2 * (w - 3) ** 2 + 1


TRAIN_ARGS = (XS, YS, 0.05, 300)


def training(value, **kwargs):
    return verdict_training(value, "train_line", line_loss, TRAIN_ARGS, (0.0, 0.0), 0.17, **kwargs)


# --- right answers pass ---------------------------------------------------------------------------

RIGHT = [
    ("line step", verdict_line_step(mse_step, "step")),
    ("line step, Values back", verdict_line_step(lambda *args: tuple(Value(w) for w in mse_step(*args)), "step")),
    ("line step, an array back", verdict_line_step(lambda *args: np.array(mse_step(*args)), "step")),
    ("training", training(train_line)),
    ("learning rate converges", verdict_learning_rate(0.2, "lr", quad_loss, 0.0)),
    ("learning rate diverges", verdict_learning_rate(0.6, "lr", quad_loss, 0.0, behaviour="diverges")),
    ("learning rate, far too large", verdict_learning_rate(1e300, "lr", quad_loss, 0.0, behaviour="diverges")),
    ("learning rate, tiny: converges slowly", verdict_learning_rate(2e-10, "lr", quad_loss, 0.0)),
    ("learning rate, far tinier", verdict_learning_rate(1e-13, "lr", quad_loss, 0.0)),
    ("learning rate just below the limit", verdict_learning_rate(0.4999999999, "lr", quad_loss, 0.0)),
    ("learning rate just above it", verdict_learning_rate(0.5000000001, "lr", quad_loss, 0.0, behaviour="diverges")),
    ("line loss", verdict_line_loss(line_loss(0.5, 1.0), "loss", 0.5, 1.0, XS, YS)),
    ("line loss, float32", verdict_line_loss(np.float32(line_loss(0.0, 0.0)), "loss", 0.0, 0.0, XS, YS)),
]


@pytest.mark.parametrize("verdict", [v for _, v in RIGHT], ids=[name for name, _ in RIGHT])
def test_right_answers_pass(verdict):
    assert verdict.ok, verdict.message


# --- each wrong answer gets its own sentence ----------------------------------------------------------

WRONG = [
    (verdict_line_step(lambda *args: mse_step(*args)[::-1], "step"), "in the order (a, b)"),
    (verdict_line_step(lambda a, b, xs, ys, lr: mse_step(a, b, xs, ys, -lr), "step"), "steps uphill"),
    (verdict_line_step(lambda a, b, xs, ys, lr: mse_step(a, b, xs, ys, lr, factor=1), "step"), "a factor 2"),
    (verdict_line_step(lambda a, b, xs, ys, lr: mse_step(a, b, xs, ys, lr, scale=xs.size), "step"), "divide"),
    (verdict_line_step(lambda a, b, xs, ys, lr: (a - mse_step(a, b, xs, ys, lr)[0], 0.0), "step"), "wrong sign"),
    (verdict_line_step(lambda a, b, xs, ys, lr: (a - lr, b - lr), "step"), "values of step(0.5, -0.2"),
    (verdict_line_step(lambda a, b, xs, ys, lr: 1.0, "step"), "returned the single number 1"),
    (verdict_line_step(lambda a, b, xs, ys, lr: (1.0, 2.0, 3.0), "step"), "expected the pair (a, b)"),
    (verdict_line_step(lambda a, b, xs, ys, lr: (math.nan, 0.0), "step"), "is NaN"),
    (verdict_line_step(lambda a, b: (a, b), "step"), "should take 5 argument(s)"),
    (training(lambda xs, ys, lr, steps: train_line(xs, ys, -lr, steps)), "the loss went up"),
    (training(lambda xs, ys, lr, steps: train_line(xs, ys, lr, 2)), "but not below 0.17"),
    (training(lambda xs, ys, lr, steps: (0.0, 0.0)), "the loss did not move"),
    (training(lambda xs, ys, lr, steps: (1e200, 1e200)), "the weights ran away"),
    (training(lambda xs, ys, lr, steps: (math.inf, 0.0)), "is infinite"),
    (training(lambda xs, ys, lr, steps: Value(1.0)), "returned one Value"),
    (training(lambda xs, ys, lr, steps: None), "returned None"),
    (verdict_learning_rate(0.6, "lr", quad_loss, 0.0), "run away (the loss grows"),
    (verdict_learning_rate(0.6, "lr", quad_loss, 0.0), "take a smaller η"),
    (verdict_learning_rate(0.001, "lr", quad_loss, 0.0, behaviour="diverges"), "converge, slowly"),
    (verdict_learning_rate(0.5, "lr", quad_loss, 0.0), "bounce from side to side"),
    (verdict_learning_rate(0.2, "lr", quad_loss, 0.0, behaviour="diverges"), "take a larger η"),
    (verdict_learning_rate(0.0, "lr", quad_loss, 0.0), "a learning rate is a positive number"),
    (verdict_learning_rate(-0.1, "lr", quad_loss, 0.0, behaviour="diverges"), "a learning rate is a positive number"),
    (verdict_learning_rate("0.1", "lr", quad_loss, 0.0), "remove the quotes"),
    (verdict_learning_rate(math.nan, "lr", quad_loss, 0.0), "lr is NaN"),
    # the edges a review found: just past the limit runs away, just below it converges, near it is "slightly"
    (verdict_learning_rate(0.5000000001, "lr", quad_loss, 0.0), "run away"),
    (verdict_learning_rate(0.4999999999, "lr", quad_loss, 0.0, behaviour="diverges"), "converge, slowly"),
    (verdict_learning_rate(0.49, "lr", quad_loss, 0.0, behaviour="diverges"), "take a slightly larger η"),
    (verdict_learning_rate(0.49999999, "lr", quad_loss, 0.0, behaviour="diverges"), "η = 0.49999999,"),
    (verdict_learning_rate(0.01, "lr", quad_loss, 0.0, behaviour="diverges"), "take a much larger η"),
    (verdict_line_loss(line_loss(0.0, 0.0) * XS.size, "loss", 0.0, 0.0, XS, YS), "divide by n = 5"),
    (verdict_line_loss(np.mean(-YS), "loss", 0.0, 0.0, XS, YS), "is the mean error, not squared"),
    (verdict_line_loss(np.mean(np.abs(YS)), "loss", 0.0, 0.0, XS, YS), "mean absolute error"),
    (verdict_line_loss(math.sqrt(line_loss(0.0, 0.0)), "loss", 0.0, 0.0, XS, YS), "root of the mean squared error"),
    (verdict_line_loss(line_loss(0.0, 0.0) / 2, "loss", 0.0, 0.0, XS, YS), "no factor ½"),
    (verdict_line_loss(line_loss(0.0, 0.0) + 1, "loss", 0.0, 0.0, XS, YS), "too large"),
    (verdict_line_loss("9", "loss", 0.0, 0.0, XS, YS), "remove the quotes"),
]


@pytest.mark.parametrize("verdict, phrase", WRONG, ids=[str(i) for i in range(len(WRONG))])
def test_each_wrong_answer_gets_its_own_sentence(verdict, phrase):
    assert_says(verdict, phrase)


def test_a_wrong_step_or_loss_never_shows_the_expected_values():
    messages = []
    for a, b, xs, ys, lr in checks.ch07_gradient_descent._LINE_CASES:
        a_new, b_new = mse_step(a, b, np.array(xs), np.array(ys), lr)
        messages.append(verdict_line_step(lambda *args, a_new=a_new: (a_new * 1.1, 0.0), "step").message)
        for value in (a_new, b_new):
            assert all(f"{value:.4g}" not in message for message in messages), messages
    message = verdict_line_loss(1.0, "loss", 0.0, 0.0, XS, YS).message
    assert f"{line_loss(0.0, 0.0):.4g}" not in message and "8" not in message, message


def test_every_new_checker_is_registered_and_exported():
    for key in NEW:
        assert VERDICTS[key] is getattr(checks, f"verdict_{key}")
        assert f"check_{key}" in checks.__all__ and f"verdict_{key}" in checks.__all__
        assert callable(getattr(checks, f"check_{key}"))


# Ex 7.3's loss: one step multiplies the distance to the bottom by 1 − 4η, so every η in (0, 0.5)
# converges (however slowly), every η > 0.5 diverges, and η = 0.5 bounces between w = 0 and w = 6
CONVERGENT = [1e-4, 0.001, 0.01, 0.03, 0.1, 0.2, 0.25, 0.3, 0.4, 0.45, 0.47, 0.48, 0.49, 0.499, 0.4999, 0.49999]
DIVERGENT = [0.50001, 0.5001, 0.501, 0.51, 0.55, 0.6, 1.0, 2.0, 10.0, 1e3, 1e300]


@pytest.mark.parametrize("lr", CONVERGENT)
def test_every_rate_below_the_limit_converges_and_does_not_diverge(lr):
    assert verdict_learning_rate(lr, "lr", quad_loss, 0.0).ok, lr
    assert not verdict_learning_rate(lr, "lr", quad_loss, 0.0, behaviour="diverges").ok, lr


@pytest.mark.parametrize("lr", DIVERGENT)
def test_every_rate_above_the_limit_diverges_and_does_not_converge(lr):
    assert verdict_learning_rate(lr, "lr", quad_loss, 0.0, behaviour="diverges").ok, lr
    assert not verdict_learning_rate(lr, "lr", quad_loss, 0.0).ok, lr


def test_the_limit_itself_neither_converges_nor_diverges():
    for behaviour in ("converges", "diverges"):
        assert_says(verdict_learning_rate(0.5, "lr", quad_loss, 0.0, behaviour=behaviour), "bounce from side to side")


def test_a_check_prints_and_raises_check_failed_while_graded(capsys, monkeypatch):
    check_learning_rate("lr", quad_loss, 0.0, namespace={"lr": 0.2})
    assert capsys.readouterr().out.startswith("✓ lr: with η = 0.2, 100 steps")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(CheckFailed, match="^✗ A graded test of lr failed"):
        check_learning_rate("lr", quad_loss, 0.0, namespace={"lr": 0.6}, hidden=True)


def test_a_bad_behaviour_is_the_authors_mistake():
    # like every checker's own error, it reaches the student as a sentence asking to tell the instructor
    verdict = verdict_learning_rate(0.1, "lr", quad_loss, 0.0, behaviour="explodes")
    assert not verdict.ok and "behaviour must be" in verdict.message and "tell your instructor" in verdict.message


# --- nothing a student types crashes these checkers (hypothesis) ----------------------------------------

PROBLEMS = {
    "line step": lambda v: verdict_line_step(v, "answer"),
    "training": lambda v: verdict_training(v, "answer", line_loss, (XS, YS, 0.05, 3), (0.0, 0.0), 1.0),
    "learning rate": lambda v: verdict_learning_rate(v, "answer", quad_loss, 0.0),
    "line loss": lambda v: verdict_line_loss(v, "answer", 0.0, 0.0, XS, YS),
    "learning rate, diverges": lambda v: verdict_learning_rate(v, "answer", quad_loss, 0.0, behaviour="diverges"),
}


test_no_answer_crashes_a_checker = no_answer_crashes(PROBLEMS, value_ops())
