"""Chapter 6's verdicts: a part of a dual number worked out by hand, and a student's operation on the
`Value` engine, its forward value and its backward rule, alone and inside bigger graphs."""

from __future__ import annotations

from collections.abc import Callable

from nudge.checks.api import (
    Message,
    Problem,
    as_function,
    as_number,
    call_student,
    describe,
    has_placeholder,
    hinted,
    is_close,
    known_mistake,
    miss,
    quiet,
    register,
    require_arguments,
    run_quietly,
    show,
    show_arg,
    true_slope,
)
from nudge.inputs import is_number

#: the parts of a dual number f(x + ε) = f(x) + f'(x) ε, as the exercises name them
DUAL_PARTS = {"number": Message("the number part f(x)"), "eps": Message("the ε part f′(x)")}


@register
def verdict_dual_part(value, name: str, f: Callable, x: float, part: str = "number", *, rtol: float = 1e-9) -> Message:
    """The answer is one part of the dual number f(x + ε) with ε² = 0: `part` "number" is f(x), "eps" is f′(x)
    (`f` a function of one number)."""
    if part not in DUAL_PARTS:
        raise ValueError(f"part: expected one of {sorted(DUAL_PARTS)}, got {part!r}")
    got = as_number(value, name)
    x = float(x)
    with quiet():
        parts = {"number": float(f(x)), "eps": true_slope(f, x)}
        every_power = float(f(x + 1.0))  # f(x + ε) with ε = 1: every power of ε kept
    want = parts[part]
    if is_close(got, want, rtol, 1e-12):
        return Message("{name} is {part}.", name=name, part=DUAL_PARTS[part])
    other = "eps" if part == "number" else "number"
    kept = every_power if part == "number" else every_power - parts["number"]
    mistakes = [
        (parts[other], Message("is {other}; this asks for {part}.", other=DUAL_PARTS[other], part=DUAL_PARTS[part])),
        (kept, Message("keeps the terms in ε², ε³, …: with ε² = 0 they all drop out.")),
    ]
    known_mistake(name, got, want, mistakes, lambda a, b: is_close(a, b, rtol, 1e-12))
    raise Problem.of(miss(name, got, want, Message("Expand f(x + ε) and drop every power of ε above the first.")))


def _value_result(result, call: str | Message, v):
    """A student's Value operation must return a new Value in the graph of `v`."""
    from nudge.autodiff import Value, topological_order

    if result is v:
        raise Problem(
            "{call} returned its input: make a new Value for the result, `out = Value(..., (v,), 'op')`.", call=call
        )
    if not isinstance(result, Value):
        if is_number(result):
            raise Problem(
                "{call} returned the number {value}, expected a Value: wrap the result, "
                "`out = Value(..., (v,), 'op')`, so the graph records it.",
                call=call,
                value=show(result),
            )
        raise Problem("{call} should return a Value, got {value}.", call=call, value=describe(result))
    try:
        inside = any(node is v for node in topological_order(result))
    except Exception:
        raise Problem(
            "{call} returned a Value whose inputs are not Values: pass `(v,)` as its children.", call=call
        ) from None
    if not inside:
        raise Problem(
            "{call} returned a Value that doesn't record v as its input, so backward() never reaches v: "
            "pass `(v,)` as its children, `Value(..., (v,), 'op')`.",
            call=call,
        )
    return result


@register
def verdict_value_op(value, name: str, f: Callable, points=(-1.3, 0.4, 2.1), *, rtol: float = 1e-6) -> Message:
    """The answer is a function `op(v)` that takes a `Value` and returns a `Value` for f(v) with a
    correct backward rule: in a graph of its own, behind another operation, and next to another use of v.

    `f` is the same function on plain floats (`math.sin`, say); the slopes come from nudging it.
    """
    from nudge.autodiff import Value

    fn = as_function(value, name, f"def {name}(v):")
    require_arguments(fn, name, 1, f"def {name}(v):")
    placeholder = has_placeholder(fn)
    todo = (
        Message("({name} still holds a `...` placeholder: write the rule there.)", name=name) if placeholder else None
    )
    for p in (float(x) for x in points):
        with quiet():
            want_value, slope = float(f(p)), true_slope(f, p)
        call = f"{name}(Value({show_arg(p)}))"
        v = Value(p, label="v")
        out = _value_result(call_student(fn, (v,), call), call, v)
        data = as_number(out.data, f"{call}.data")
        if not is_close(data, want_value, 1e-9, 1e-12):
            raise Problem.of(miss(f"{call}.data", data, want_value, Message("The forward value should be f(v.data).")))
        run_quietly(out.backward, f"{call}.backward()")
        after = Message("v.grad after {call}", call=f"{call}.backward()")
        grad = as_number(v.grad, after)
        if is_close(grad, slope, rtol, 1e-9):
            pass
        elif grad == 0 and slope != 0:
            if getattr(out._backward, "__qualname__", "").startswith("Value.__init__"):
                raise Problem(
                    "{call}: v.grad stays 0: the result has no rule, set `out._backward = _backward`.", call=call
                )
            stays = Message("{call}: v.grad stays 0 after backward(): the rule must add to `v.grad`.", call=call)
            raise Problem.of(hinted(stays, todo))
        elif is_close(grad, -slope, rtol, 1e-9):
            raise Problem.of(hinted(Message("{call}: v.grad has the wrong sign.", call=call), todo))
        else:
            rule = hinted(Message("It should be f'(v) × out.grad."), todo)
            raise Problem.of(miss(after, grad, slope, rule))
        # behind another operation: out.grad is 3, not 1
        v = Value(p, label="v")
        call = Message("{call} with v = {value}", call=f"3 * {name}(v)", value=f"Value({show_arg(p)})")
        out = _value_result(call_student(fn, (v,), call), call, v)
        backward = Message("({call}).backward()", call=call)
        run_quietly((out * 3.0).backward, backward)
        after = Message("v.grad after {call}", call=backward)
        grad = as_number(v.grad, after)
        if is_close(grad, slope, rtol, 1e-9) and slope != 0:
            raise Problem(
                "{call}: v.grad ignores the gradient arriving from further on: "
                "multiply the local derivative by `out.grad` (the chain rule).",
                call=call,
            )
        if not is_close(grad, 3 * slope, rtol, 1e-9):
            raise Problem.of(miss(after, grad, 3 * slope, Message("Expected 3 f'(v).")))
        # next to another use of v: its rule must add to v.grad, not overwrite it
        v = Value(p, label="v")
        call = Message("{call} with v = {value}", call=f"{name}(v) + 2 * v", value=f"Value({show_arg(p)})")
        out = _value_result(call_student(fn, (v,), call), call, v)
        backward = Message("({call}).backward()", call=call)
        run_quietly((out + v * 2.0).backward, backward)
        after = Message("v.grad after {call}", call=backward)
        grad = as_number(v.grad, after)
        if not is_close(grad, slope + 2, rtol, 1e-9):
            if is_close(grad, slope, rtol, 1e-9):
                raise Problem(
                    "{call}: v.grad lost the 2 from the other use of v: add to v.grad with `+=`, don't assign it.",
                    call=call,
                )
            raise Problem.of(miss(after, grad, slope + 2, Message("Expected f'(v) + 2.")))
    return Message("{name} computes f and passes the right gradient back, alone and inside bigger graphs.", name=name)
