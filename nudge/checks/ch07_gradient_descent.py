"""Chapter 7's verdicts: the loss of a line fit, one descent step on it, a training function, and a
learning rate whose run converges or diverges (with their test cases)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from nudge.checks.api import (
    Message,
    Problem,
    all_close,
    as_array,
    as_function,
    as_number,
    call_student,
    fresh_copy,
    is_close,
    is_sympy,
    known_mistake,
    miss,
    numeric_slope,
    quiet,
    register,
    require_arguments,
    require_close,
    show_arg,
    show_number,
)
from nudge.formatting import format_number


def _numbers_out(result, call: str | Message, count: int, what: Message) -> np.ndarray:
    """A result that should hold `count` numbers (Values are read through `.data`)."""
    from nudge.autodiff import Value

    if isinstance(result, Value):
        raise Problem("{call} returned one Value, expected {what}.", call=call, what=what)
    if isinstance(result, (list, tuple)):
        result = [item.data if isinstance(item, Value) else item for item in result]
    if not isinstance(result, (list, tuple, np.ndarray)) and not is_sympy(result):
        number = as_number(result, call, what)
        raise Problem(
            "{call} returned the single number {value}, expected {what}.",
            call=call,
            value=show_number(number),
            what=what,
        )
    return as_array(result, call, (count,), kind=what)


def _mse_step(a: float, b: float, xs: np.ndarray, ys: np.ndarray, lr: float) -> tuple[float, float, float, float]:
    residual = a * xs + b - ys
    grad_a, grad_b = 2 * np.mean(residual * xs), 2 * np.mean(residual)
    return a - lr * grad_a, b - lr * grad_b, grad_a, grad_b


@register
def verdict_line_loss(value, name: str, a: float, b: float, xs, ys, *, rtol: float = 1e-6) -> Message:
    """The answer is the mean squared error of the line a·x + b on the points (`xs`, `ys`)."""
    got = as_number(value, name)
    errors = float(a) * np.asarray(xs, dtype=float) + float(b) - np.asarray(ys, dtype=float)
    want = float(np.mean(errors**2))
    if is_close(got, want, rtol, 1e-12):
        return Message("{name} is the mean squared error of the line.", name=name)
    mistakes = [
        (
            want * errors.size,
            Message("is the sum of the squared errors; the loss is their mean: divide by n = {n}.", n=errors.size),
        ),
        (float(np.mean(errors)), Message("is the mean error, not squared: square each error a·x + b − y first.")),
        (float(np.mean(np.abs(errors))), Message("is the mean absolute error: square each error instead.")),
        (math.sqrt(want), Message("is the root of the mean squared error; the loss is the mean itself.")),
        (want / 2, Message("is half the mean squared error; the loss here has no factor ½.")),
    ]
    known_mistake(name, got, want, mistakes, lambda x, y: is_close(x, y, rtol, 1e-12))
    raise Problem.of(miss(name, got, want, Message("Square each error a·xᵢ + b − yᵢ, then take their mean.")))


_LINE_CASES = [
    (0.5, -0.2, [0.0, 1.0, 2.5, -1.5, 3.0], [1.0, 2.5, 4.0, -2.0, 7.0], 0.05),
    (1.0, 1.0, [1.0, 2.0, 3.0], [2.0, 4.0, 6.5], 0.01),
    (-2.0, 0.5, [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5], [0.3, -0.1, 0.8, 1.9, 2.2, 3.1], 0.3),
]


@register
def verdict_line_step(value, name: str, *, rtol: float = 1e-6) -> Message:
    """The answer is a function `step(a, b, xs, ys, lr)` returning the new `(a, b)` after one step
    of gradient descent on the mean squared error of the line a·x + b."""
    example = f"def {name}(a, b, xs, ys, lr):"
    fn = as_function(value, name, example)
    require_arguments(fn, name, 5, example)
    what = Message("the pair (a, b) of new weights")
    for a, b, xs, ys, lr in _LINE_CASES:
        xs, ys = np.array(xs), np.array(ys)
        call = f"{name}({show_arg(a)}, {show_arg(b)}, xs, ys, {show_arg(lr)})"
        got = _numbers_out(call_student(fn, (a, b, xs.copy(), ys.copy(), lr), call), call, 2, what)
        a_new, b_new, grad_a, grad_b = _mse_step(a, b, xs, ys, lr)
        want = np.array([a_new, b_new])

        def near(other, got=got):
            return all_close(got, other, rtol, 1e-9)

        if near(want):
            continue
        if near(want[::-1]):
            raise Problem("{call} returns b first: return the pair in the order (a, b).", call=call)
        if near([a + lr * grad_a, b + lr * grad_b]):
            raise Problem("{call} steps uphill: move against the gradient (a − lr · ∂L/∂a).", call=call)
        if near([grad_a, grad_b]) or near([lr * grad_a, lr * grad_b]) or near([-lr * grad_a, -lr * grad_b]):
            raise Problem(
                "{call} returns the gradient or the step, not the new weights: start from a and b.", call=call
            )
        if near([a - lr * grad_a / 2, b - lr * grad_b / 2]):
            raise Problem("{call} takes half a step: the derivative of a square brings a factor 2.", call=call)
        if near([a - lr * grad_a * xs.size, b - lr * grad_b * xs.size]):
            raise Problem(
                "{call} takes {count} times too big a step: the loss is the mean, divide the sum by n.",
                call=call,
                count=xs.size,
            )
        require_close(got, want, call, rtol, 1e-9, Message("Expected (a − lr · ∂L/∂a, b − lr · ∂L/∂b)."))
    return Message("{name} takes one step downhill on the line fit.", name=name)


@register
def verdict_training(
    value, name: str, loss: Callable, args: tuple, start, target: float, *, shown: str = "", example: str = ""
) -> Message:
    """The answer is a training function: `value(*args)` returns weights (as many numbers as `start`)
    at which `loss(*weights)` is finite, lower than at `start`, and below `target`."""
    args, start = tuple(args), [float(s) for s in start]
    example = example or f"def {name}({', '.join('abcdefgh'[: len(args)])}):"
    fn = as_function(value, name, example)
    require_arguments(fn, name, len(args), example)
    # `shown` is the check cell's own words (`tools.catalogs` collects them)
    call = Message.literal(shown) if shown else f"{name}(...)"
    what = Message(
        "the {count} trained weights, like ({weights})", count=len(start), weights=", ".join("abcdefgh"[: len(start)])
    )
    weights = _numbers_out(call_student(fn, tuple(fresh_copy(a) for a in args), call), call, len(start), what)
    with quiet():
        before = float(loss(*start))
        try:
            after = float(loss(*(float(w) for w in weights)))
        except (OverflowError, ArithmeticError):
            after = math.inf
    if not math.isfinite(after):
        raise Problem("{call}: the weights ran away, the loss there overflows: a learning rate too large?", call=call)
    if after > before * (1 + 1e-12):
        raise Problem(
            "{call}: the loss went up, from {before} to {after}: a step uphill, or a learning rate too large?",
            call=call,
            before=show_number(before),
            after=show_number(after),
        )
    if after >= before * (1 - 1e-12):
        raise Problem(
            "{call}: the loss did not move from {before}: do the steps change the weights, "
            "and do they use the gradient from backward()?",
            call=call,
            before=show_number(before),
        )
    if after > target:
        raise Problem(
            "{call}: the loss fell from {before} to {after}, but not below {target}: "
            "check the step (the gradient of the mean, times lr).",
            call=call,
            before=show_number(before),
            after=show_number(after),
            target=show_number(target),
        )
    return Message(
        "{name} brings the loss from {before} down to {after}, below {target}.",
        name=name,
        before=show_number(before),
        after=show_number(after),
        target=show_number(target),
    )


def _descent_run(loss: Callable, start: float, lr: float, steps: int) -> tuple[str, float, float]:
    """Run `steps` steps of gradient descent on `loss` (one weight) and say what the size of the
    slope |L'(w)| did over the run: it fell to a millionth ("converges"), fell ("slow", also when η is
    so small that w creeps without ever crossing the bottom), grew ("diverges"), or neither ("bounces")."""
    w = float(start)
    with quiet():
        first = float(loss(w))
        try:
            slope = numeric_slope(loss, w)
            slopes = [slope]
            for _ in range(steps):
                w -= lr * slope
                if not math.isfinite(w) or abs(w) > 1e100:
                    return "diverges", first, math.inf
                slope = numeric_slope(loss, w)
                slopes.append(slope)
                if abs(slopes[-1]) <= 1e-12 * abs(slopes[0]):  # at the bottom, to the last digits
                    break
            last = float(loss(w))
        except (OverflowError, ArithmeticError):
            return "diverges", first, math.inf
    if not math.isfinite(last):
        return "diverges", first, last
    sizes = [abs(s) for s in slopes]
    if sizes[-1] <= 1e-6 * sizes[0]:
        return "converges", first, last
    if all(a * b > 0 for a, b in zip(slopes, slopes[1:], strict=False)):
        # w never crossed the bottom: it creeps downhill, however small η is
        return ("slow" if sizes[-1] <= sizes[0] else "diverges"), first, last
    # w crosses the bottom at each step; over the whole run a trend above a billionth is not round-off
    # (η = 0.5 on a parabola bounces exactly; 0.4999999999 shrinks the slope by 4e-8 in 100 steps)
    if sizes[-1] < sizes[0] * (1 - 1e-9):
        return "slow", first, last
    if sizes[-1] > sizes[0] * (1 + 1e-9):
        return "diverges", first, last
    return "bounces", first, last


def _overshoots(loss: Callable, start: float, lr: float) -> bool:
    """Whether one step of gradient descent from `start` crosses the bottom (the slope changes sign)."""
    with quiet():
        slope = numeric_slope(loss, float(start))
        return slope * numeric_slope(loss, float(start) - lr * slope) < 0


def _apart(first: float, last: float) -> tuple[str, str]:
    """Two losses in a sentence, with the digits that tell them apart ("from 19 to 18.9999999992", not 19 to 19)."""
    for digits in (6, 9, 12, 15):
        shown = tuple(format_number(v, f".{digits}g", minus="-") for v in (first, last))
        if shown[0] != shown[1] or first == last:
            return shown
    return shown


def show_rate(lr: float) -> str:
    """A learning rate with every digit the student typed (0.49999999 is not 0.5)."""
    return format_number(lr, ".12g", minus="-")


@register
def verdict_learning_rate(
    value, name: str, loss: Callable, start: float, *, behaviour: str = "converges", steps: int = 100
) -> Message:
    """The answer is a learning rate with which gradient descent on `loss` (a function of one weight) from
    `start` converges (over `steps` steps the slope |L'(w)| shrinks at every step, however slowly) or, with
    `behaviour="diverges"`, diverges (the slope grows at every step).

    The checker runs gradient descent with the answer and says what it saw.
    """
    if behaviour not in ("converges", "diverges"):
        raise ValueError(f"behaviour must be 'converges' or 'diverges', got {behaviour!r}")
    lr = as_number(value, name, Message("a learning rate like 0.1"))
    if lr <= 0:
        raise Problem(
            "{name} = {lr}: a learning rate is a positive number (η > 0); "
            "with η ≤ 0 a step doesn't move or goes uphill.",
            name=name,
            lr=show_rate(lr),
        )
    seen, first, last = _descent_run(loss, start, lr, steps)
    near = show_number(last)
    first, last = _apart(first, last)
    run = Message(
        "with η = {lr}, {steps} steps from w = {start}", lr=show_rate(lr), steps=steps, start=show_number(float(start))
    )
    said = {
        "converges": Message("reach the bottom (the loss falls from {first} to {last})", first=first, last=last),
        "slow": Message(
            "converge, slowly (the loss falls from {first} to {last}: every step brings w closer)",
            first=first,
            last=last,
        ),
        "diverges": Message(
            "run away (the loss grows from {first} to {last}: every step carries w farther)", first=first, last=last
        ),
        "bounces": Message(
            "bounce from side to side, neither closer nor farther (the loss stays near {near})", near=near
        ),
    }[seen]
    if behaviour == "converges" and seen in ("converges", "slow") or behaviour == seen:
        return Message("{name}: {run} {said}.", name=name, run=run, said=said)
    smaller, larger = Message("take a smaller η"), Message("take a larger η")
    slightly_smaller, slightly_larger = Message("take a slightly smaller η"), Message("take a slightly larger η")
    if behaviour == "converges":
        advice = {"diverges": smaller, "bounces": slightly_smaller}[seen]
        raise Problem(
            "{name}: {run} {said}; this asks for one that makes them converge: {advice}.",
            name=name,
            run=run,
            said=said,
            advice=advice,
        )
    # a slow run that already crosses the bottom at each step is just below the limit
    slow = slightly_larger if _overshoots(loss, start, lr) else Message("take a much larger η")
    advice = {"converges": larger, "slow": slow, "bounces": slightly_larger}[seen]
    raise Problem(
        "{name}: {run} {said}; this asks for one that makes them diverge: {advice}.",
        name=name,
        run=run,
        said=said,
        advice=advice,
    )
