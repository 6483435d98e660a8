"""Chapter 1's verdicts: a difference-quotient function, one step downhill, the errors of a
quotient over a list of steps and the best of those steps."""

from __future__ import annotations

import math

import numpy as np

from nudge.checks.api import (
    Message,
    Problem,
    all_close,
    all_quotients,
    as_array,
    as_function,
    as_number,
    call_student,
    close_entries,
    difference_quotient,
    is_close,
    known_mistake,
    method_mistakes,
    method_name,
    miss,
    register,
    require_arguments,
    show_arg,
    true_slope,
)
from nudge.numeric import step_errors


@register
def verdict_difference_function(value, name: str, method: str = "central", *, default_h: bool = True) -> Message:
    """The answer is a function `slope(f, x, h)` computing the `method` difference quotient
    (and, if `default_h`, an accurate one when `h` is left out)."""
    fn = as_function(value, name, f"def {name}(f, x, h=1e-5):")
    require_arguments(fn, name, 3, f"def {name}(f, x, h=1e-5):")
    cases = [("x**2", lambda x: x * x, 3.0, 0.1), ("x**3", lambda x: x**3, 2.0, 0.01), ("sin", math.sin, 1.0, 1e-3)]
    wanted = method_name(method)
    for text, f, x, h in cases:
        call = Message("{call} with f(x) = {function}", call=f"{name}(f, {show_arg(x)}, {show_arg(h)})", function=text)
        got = as_number(call_student(fn, (f, x, h), call), call)
        quotients = all_quotients(f, x, h)
        want = quotients[method]
        if is_close(got, want, 1e-9, 1e-12):
            continue
        mistakes = method_mistakes(
            quotients,
            method,
            lambda other, asked: Message(
                "gives the {other} difference quotient; this asks for the {method} one.", other=other, method=asked
            ),
        )
        known_mistake(call, got, want, mistakes, lambda a, b: is_close(a, b, 1e-9, 1e-12))
        raise Problem.of(miss(call, got, want, Message("Expected the {method} difference quotient.", method=wanted)))
    if default_h:
        call = Message("{call} with f(x) = x**3 and the default h", call=f"{name}(f, 2.0)")
        got = as_number(call_student(fn, (lambda x: x**3, 2.0), call), call)
        if not is_close(got, 12.0, 1e-5, 0):
            raise Problem("{call} is far from the slope: choose a small default step, like 1e-5.", call=call)
    return Message("{name} computes the {method} difference quotient.", name=name, method=wanted)


@register
def verdict_descent_step(value, name: str, *, rtol: float = 1e-6) -> Message:
    """The answer is a function `step(loss, w, lr)` returning w − lr · loss'(w), one step downhill."""
    fn = as_function(value, name, f"def {name}(loss, w, lr):")
    require_arguments(fn, name, 3, f"def {name}(loss, w, lr):")
    cases = [("(w - 2)**2", lambda w: (w - 2) ** 2, 0.0, 0.25), ("w**4", lambda w: w**4, 1.5, 0.01)]
    cases.append(("3*w", lambda w: 3 * w, -1.0, 0.5))
    for text, loss, w, lr in cases:
        call = Message("{call} with loss(w) = {loss}", call=f"{name}(loss, {show_arg(w)}, {show_arg(lr)})", loss=text)
        got = as_number(call_student(fn, (loss, w, lr), call), call)
        slope = true_slope(loss, w)
        want = w - lr * slope
        if is_close(got, want, rtol, 1e-8):
            continue
        step = Message("returns the step, not the new w (start from w).")
        mistakes = [
            (w + lr * slope, Message("steps uphill: move against the slope (w − lr · slope).")),
            (-lr * slope, step),
            (lr * slope, step),
        ]
        known_mistake(call, got, want, mistakes, lambda a, b: is_close(a, b, rtol, 1e-8))
        raise Problem.of(miss(call, got, want, Message("Expected the new w, one step against the slope.")))
    return Message("{name} takes one step downhill.", name=name)


@register
def verdict_step_errors(value, name: str, f, df_dx: float, x: float, hs, method: str = "forward") -> Message:
    """The answer holds |difference quotient − df_dx| for each step in `hs` (the `method` quotient of `f` at `x`)."""
    hs = np.asarray(hs, dtype=float)
    got = as_array(value, name, hs.shape, kind=Message("an array of {count} errors, one per step", count=hs.size))
    want = step_errors(f, df_dx, x, hs, method)
    signed = np.array([float(difference_quotient(f, x, h, method)) - df_dx for h in hs])
    close = close_entries(got, want, 1e-6, 1e-12)
    if close.all():
        return Message("{name} holds the error for every step.", name=name)
    if all_close(got, signed, 1e-6, 1e-12):
        raise Problem("{name} has signed errors; take the size of each error, abs(...).", name=name)
    first = int(np.flatnonzero(~close)[0])
    raise Problem(
        "{count} of {total} errors are off; {first} Expected |{method} quotient − exact slope|.",
        count=int((~close).sum()),
        total=hs.size,
        first=miss(Message("the first at h = {h:g}", h=hs[first]), float(got[first]), float(want[first])),
        method=method_name(method),
    )


@register
def verdict_best_step(value, name: str, f, df_dx: float, x: float, hs, method: str = "forward") -> Message:
    """The answer is the step in `hs` whose `method` difference quotient lands closest to `df_dx`."""
    hs = np.asarray(hs, dtype=float)
    got = as_number(value, name, Message("a step like 1e-05"))
    errors = step_errors(f, df_dx, x, hs, method)
    best = float(hs[int(np.argmin(errors))])
    if is_close(got, best, 1e-9, 0):
        return Message("{name} is the step with the smallest error.", name=name)
    if not any(is_close(got, float(h), 1e-9, 0) for h in hs):
        raise Problem("{name} should be one of the steps in hs.", name=name)
    if is_close(got, float(hs[int(np.argmax(errors))]), 1e-9, 0):
        raise Problem("{name} is the step with the largest error; expected the smallest.", name=name)
    if got > best:
        raise Problem("{name} is not the step with the smallest error: a smaller step does better.", name=name)
    raise Problem("{name} is not the step with the smallest error: a larger step does better.", name=name)
