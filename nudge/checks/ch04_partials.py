"""Chapter 4's verdicts: the unit direction of steepest descent, the point one descent step
reaches, and a student's numerical gradient for arrays of any shape (with its test cases)."""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable

import numpy as np

from nudge.checks.api import (
    Message,
    Problem,
    all_close,
    as_array,
    as_flat_sympy,
    as_function,
    call_student,
    describe,
    exact_gradient,
    known_mistake,
    method_mistakes,
    method_name,
    quiet,
    register,
    require_arguments,
    require_close,
    symbol_list,
)
from nudge.numeric import GRADIENT_METHODS, numerical_gradient


@register
def verdict_unit_direction(value, name: str, expr, variables, point, kind: str = "descent") -> Message:
    """The answer is the unit vector of steepest `kind` ("descent": along −∇f, "ascent": along ∇f)
    of the sympy expression `expr` at `point`."""
    if kind not in ("descent", "ascent"):
        raise ValueError(f"kind must be 'descent' or 'ascent', got {kind!r}")
    variables = symbol_list(variables)
    grad = exact_gradient(expr, variables, point)
    norm = float(np.linalg.norm(grad))
    if norm == 0:
        raise ValueError("the gradient is 0 at this point: no direction is steepest")
    want = (-grad if kind == "descent" else grad) / norm
    got = as_array(
        as_flat_sympy(value), name, want.shape, kind=Message("a unit vector of {count} numbers", count=want.size)
    )
    with quiet():
        length = float(np.linalg.norm(got))
    if not math.isfinite(length):
        raise Problem("{name} is too long to be a direction; a unit vector has length 1.", name=name)
    if length == 0:
        raise Problem("{name} is the zero vector; a direction is a vector of length 1.", name=name)
    cosine = float(np.dot(got, want)) / length
    along = "−∇f" if kind == "descent" else "∇f"  # mathematics, the same in every language
    if abs(length - 1) > 1e-6:
        if cosine > 1 - 1e-9:
            raise Problem(
                "{name} points the right way but has length {length:.4g}: divide it by its length "
                "(`np.linalg.norm`) to make a unit vector.",
                name=name,
                length=length,
            )
        raise Problem(
            "{name} has length {length:.4g}, and a unit vector has length 1; it is not along {along} either.",
            name=name,
            length=length,
            along=along,
        )
    if cosine > 1 - 1e-9:
        if kind == "descent":
            return Message("{name} is the unit vector of steepest descent.", name=name)
        return Message("{name} is the unit vector of steepest ascent.", name=name)
    if cosine < -1 + 1e-9:
        if kind == "descent":
            raise Problem(
                "{name} points the opposite way: that is the direction of steepest ascent, along ∇f.", name=name
            )
        raise Problem(
            "{name} points the opposite way: that is the direction of steepest descent, along −∇f.", name=name
        )
    if abs(cosine) < 1e-6:
        raise Problem(
            "{name} runs along the contour line, at a right angle to ∇f, where f doesn't change at first.", name=name
        )
    angle = math.degrees(math.acos(max(-1.0, min(1.0, cosine))))
    raise Problem(
        "{name} is a unit vector, but not along {along}: it is {angle:.0f}° off.", name=name, along=along, angle=angle
    )


@register
def verdict_descent_point(value, name: str, expr, variables, start, lr: float, *, rtol: float = 1e-6) -> Message:
    """The answer is the point after one step of gradient descent on the sympy expression `expr`
    from `start` with learning rate `lr`: start − lr · ∇f(start)."""
    variables = symbol_list(variables)
    start = np.asarray(start, dtype=float)
    grad = exact_gradient(expr, variables, start)
    want = start - lr * grad
    got = as_array(as_flat_sympy(value), name, want.shape, kind=Message("a point of {count} numbers", count=want.size))
    if all_close(got, want, rtol, 1e-9):
        return Message("{name} is the point after one step downhill.", name=name)
    mistakes = [
        (start + lr * grad, Message("steps uphill: move against the gradient, start − η∇f.")),
        (-lr * grad, Message("is the step, not the new point: start from the old point.")),
        (start - grad, Message("moves by the whole gradient: scale it by the learning rate η.")),
        (start, Message("is the starting point: it hasn't moved.")),
    ]
    known_mistake(name, got, want, mistakes, lambda a, b: all_close(a, b, rtol, 1e-9))
    require_close(got, want, name, rtol, 1e-9, Message("Expected the point one step against the gradient."))
    raise Problem("{name} is not the next point.", name=name)  # pragma: no cover - require_close raised already


def _gradient_cases():
    """(text, f, x, h) for `verdict_gradient_function`: arrays of shape (), (2,), (2, 2) and (2, 3);
    h None means the function's default step."""

    def cube(p):
        return p**3

    def f_vector(p):
        x, y = p
        return 2 * x + 3 * x * y + y**3

    def f_matrix(p):
        (w, x), (y, z) = p
        return w * x + x * y * z + 3 * w + z * y**2

    weights = np.arange(1.0, 7.0).reshape(2, 3)

    def f_wide(p):
        return np.sum(weights * p**2) + p[0, 1] * p[1, 2]

    return [
        ("x**3", cube, np.array(2.0), 0.1),
        ("2x + 3xy + y**3", f_vector, np.array([1.0, 2.0]), 1e-4),
        ("wx + xyz + 3w + zy**2", f_matrix, np.array([[1.0, 2.0], [3.0, 4.0]]), 1e-4),
        ("sum(c * p**2) + p[0, 1] * p[1, 2]", f_wide, np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]), 0.01),
        ("2x + 3xy + y**3", f_vector, np.array([1.0, 2.0]), None),
    ]


def _whole_array_only(f: Callable, shape: tuple, call: Message) -> Callable:
    """`f`, refusing (with a sentence) anything but an array of the point's shape, and returning a float."""

    def f_checked(p):
        try:
            p_shape = np.shape(p)
        except Exception:
            p_shape = None
        if p_shape != shape:
            raise Problem(
                "{call} called f with {value}; f takes the whole array x (shape {shape}), with one entry nudged.",
                call=call,
                value=describe(p),
                shape=shape,
            )
        return float(f(np.asarray(p, dtype=float)))

    return f_checked


@register
def verdict_gradient_function(value, name: str, method: str = "central") -> Message:
    """The answer is a function `grad(f, x, h=1e-4)` returning the `method`-difference gradient of `f`
    at a float array `x` of any shape (an array of x's shape), without changing `x`."""
    example = f"def {name}(f, x, h=1e-4):"
    fn = as_function(value, name, example)
    require_arguments(fn, name, 3, example)
    try:
        inspect.signature(fn).bind(1, 2)
    except TypeError:
        raise Problem(
            "`{name}` needs a default step, like `{example}`, so that `{name}(f, x)` works.", name=name, example=example
        ) from None
    except ValueError:  # no signature to read (a builtin): just call it
        pass
    for text, f, point, h in _gradient_cases():
        step = 1e-4 if h is None else h
        shown = np.array2string(point, separator=", ") if point.ndim else f"np.array({float(point)!r})"
        call = Message(
            "{call} with f = {function}", call=f"{name}(f, {shown}{'' if h is None else f', {h:g}'})", function=text
        )
        x = point.copy()
        f_checked = _whole_array_only(f, point.shape, call)
        result = call_student(fn, (f_checked, x) if h is None else (f_checked, x, h), call)
        if not np.array_equal(x, point):
            raise Problem(
                "{call} changed the caller's array x: put each entry back after nudging it "
                "(or work on a float copy, `np.array(x, dtype=float)`).",
                call=call,
            )
        got = as_array(
            result, call, point.shape, kind=Message("an array of shape {shape}, the shape of x", shape=point.shape)
        )
        with quiet():
            # with the default step, any accurate estimate will do: compare with a finer one
            want = numerical_gradient(f, point, 1e-6 if h is None else h, method)
            others = {m: numerical_gradient(f, point, step, m) for m in GRADIENT_METHODS if m != method}
            at_once = (f(point + step) - f(point - step)) / (2 * step)
            unused_step = numerical_gradient(f, point, 1e-4, method)
        rtol = 1e-6 if h is None else 1e-7
        if all_close(got, want, rtol, 1e-8):
            continue
        mistakes = method_mistakes(
            others,
            method,
            lambda other, asked: Message(
                "gives {other} differences; this asks for {method} ones.", other=other, method=asked
            ),
        )
        known_mistake(call, got, want, mistakes, functools.partial(all_close, rel=rtol, abs_=1e-8))
        if h is None:
            raise Problem("{call} is far from the gradient: choose a small default step, like 1e-4.", call=call)
        if h != 1e-4 and all_close(got, unused_step, rtol, 1e-8):
            raise Problem("{call} doesn't use the step h it is given.", call=call)
        if point.size > 1 and all_close(got, np.full(point.shape, at_once), rtol, 1e-8):
            raise Problem("{call} nudges every entry at once (x + h); nudge one entry at a time.", call=call)
        if not got.any() and want.any():
            raise Problem("{call} is all zeros: is each slope stored in `grad`, a float array?", call=call)
        require_close(
            got, want, call, rtol, 1e-8, Message("Nudge one entry at a time, and put it back before the next.")
        )
    return Message(
        "{name} gives the {method}-difference gradient for arrays of shape (), (2,), (2, 2), (2, 3); x unchanged.",
        name=name,
        method=method_name(method),
    )
