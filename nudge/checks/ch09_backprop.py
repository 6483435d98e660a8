"""Chapter 9's verdicts: softmax's probabilities, a gradient check's relative error, and an initialisation's scale."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nudge.checks.api import (
    Message,
    Problem,
    all_close,
    as_array,
    as_number,
    is_close,
    known_mistake,
    miss,
    quiet,
    register,
    require_close,
    show_number,
)
from nudge.gradcheck import relative_error
from nudge.numeric import numerical_gradient
from nudge.rules import RULES

#: what a relative error of a right rule stays below, for any sensible difference quotient (central or
#: forward, h from 1e-7 to 1e-3); a planted bug is far above it
RIGHT_RULE = 1e-3


@register
def verdict_softmax(value, name: str, z, *, rtol: float = 1e-6) -> Message:
    """The answer is softmax(`z`): one probability per logit, in the logits' order, eᶻⁱ over the sum of every eᶻʲ."""
    z = np.asarray(z, dtype=float)
    got = as_array(value, name, z.shape, kind=Message("an array of {count} probabilities, one per logit", count=z.size))
    want = RULES["softmax"].forward(z)
    if not all_close(got, want, rtol, 1e-12):
        _name_softmax_mistake(got, z, want, name, rtol)
    require_close(got, want, name, rtol, 1e-12, Message("Each entry is eᶻⁱ divided by the sum of every eᶻʲ."))
    return Message("{name} holds the softmax probabilities.", name=name)


def _name_softmax_mistake(got: np.ndarray, z: np.ndarray, want: np.ndarray, name: str, rtol: float) -> None:
    """Raise the sentence of a known mistake in softmax's probabilities, if `got` makes one."""
    with np.errstate(all="ignore"):
        mistakes = [
            (np.exp(z), Message("holds eᶻ, not yet divided by their sum.")),
            (
                z / z.sum(),
                Message("divides the logits by their sum; softmax divides their exponentials, eᶻ, by the sum of eᶻ."),
            ),
            (np.log(want), Message("holds the log-probabilities; softmax is their exponential.")),
        ]
    known_mistake(name, got, want, mistakes, lambda a, b: all_close(a, b, rtol, 1e-12))
    if all_close(np.sort(got), np.sort(want), rtol, 1e-12):
        raise Problem(
            "{name} holds the right probabilities in the wrong order: one per logit, in z's order.", name=name
        )
    if (got < 0).any():
        raise Problem(
            "{name} has a negative entry; probabilities are ≥ 0 (softmax takes eᶻ, always positive).", name=name
        )
    total = float(got.sum())
    if not is_close(total, 1.0, 1e-6, 1e-9):
        raise Problem(
            "{name} sums to {total}; probabilities sum to 1: divide by the sum of eᶻ.",
            name=name,
            total=show_number(total),
        )


@register
def verdict_gradient_error(value, name: str, grads: Callable, loss: Callable, params: dict, key: str) -> Message:
    """The answer is `relative_error` (`nudge.gradcheck`, ‖a − n‖/(‖a‖ + ‖n‖)) between `grads(**params)[key]`
    and a numerical gradient of `loss` in `params[key]`.

    Any sensible difference quotient passes: for a right rule any value below 1e-3 (forward differences
    included), for a wrong one the value within 1 %.
    """
    got = as_number(value, name, Message("a relative error, a number from 0 to 1"))
    if not 0 <= got <= 1:
        raise Problem(
            "{name} = {value}: the chapter's relative error ‖a − n‖/(‖a‖ + ‖n‖) lies between 0 and 1; "
            "compute it with `relative_error`.",
            name=name,
            value=show_number(got),
        )
    with quiet():
        analytic = np.asarray(grads(**params)[key], dtype=float)
        numeric = numerical_gradient(lambda v: loss(**{**params, key: v}), params[key])
    want = relative_error(analytic, numeric)
    if want < RIGHT_RULE and got < RIGHT_RULE or want >= RIGHT_RULE and is_close(got, want, 1e-2, 0):
        return Message("{name} is the relative error of the rule for {key}.", name=name, key=key)
    raise Problem(
        "{name} is not the relative error between the backward pass's gradient for {key} and a numerical one "
        "(`relative_error(analytic, numeric)`, both arrays of the shape of the weight).",
        name=name,
        key=key,
    )


def init_scales(fan_in: int, fan_out: int) -> dict[str, float]:
    """The standard deviation of each named initialisation for a layer with `fan_in` inputs and `fan_out` outputs.

    >>> {name: round(std, 4) for name, std in init_scales(64, 32).items()}
    {'LeCun': 0.125, 'Glorot': 0.1443, 'He': 0.1768}
    """
    return {"LeCun": (1 / fan_in) ** 0.5, "Glorot": (2 / (fan_in + fan_out)) ** 0.5, "He": (2 / fan_in) ** 0.5}


@register
def verdict_init_std(value, name: str, rule: str, fan_in: int, fan_out: int) -> Message:
    """The answer is the standard deviation of the `rule` ("LeCun", "Glorot" or "He") initialisation of a layer."""
    scales = init_scales(fan_in, fan_out)
    if rule not in scales:
        raise ValueError(f"rule must be one of {sorted(scales)}, got {rule!r}")
    got = as_number(value, name, Message("a standard deviation like 0.1"))
    want = scales[rule]
    if is_close(got, want, 1e-6, 0):
        return Message("{name} is {rule}'s standard deviation.", name=name, rule=rule)
    mistakes = [
        (std, Message("is {other}'s standard deviation; this asks for {rule}'s.", other=other, rule=rule))
        for other, std in scales.items()
    ]
    mistakes.append((want**2, Message("is a variance; the standard deviation is its square root.")))
    known_mistake(name, got, want, mistakes, lambda a, b: is_close(a, b, 1e-6, 0))
    raise Problem.of(miss(name, got, want, Message("Compute it in code (np.sqrt), not rounded by hand.")))
