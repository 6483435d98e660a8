"""Chapter 10's verdicts: softmax's VJP without its Jacobian, layer norm and its backward pass, and the
memory a checkpointed backward pass holds (each with the mistakes worth naming)."""

from __future__ import annotations

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
    is_close,
    known_mistake,
    miss,
    register,
    require_arguments,
    require_close,
)
from nudge.rules import RULES, layer_norm

#: the parts of a function's check, each its own check cell (and its own points)
PARTS = ("values", "edges")


def _part(part: str) -> str:
    if part not in PARTS:
        raise ValueError(f"part: expected one of {PARTS}, got {part!r}")
    return part


def _returned_array(fn: Callable, args: tuple, call: str, shape: tuple, what: str, unfinite: Message) -> np.ndarray:
    """The array a student's backward rule returns (`what`, mathematics: "uᵀJ"), with a sentence for a
    whole Jacobian, an out-of-memory one, and inf or nan entries (`unfinite` says why they happen)."""
    try:
        result = call_student(fn, args, call)
    except Problem as problem:
        if "MemoryError" in problem.message.render("en"):
            raise Problem(
                "{problem} Don't build an n × n matrix: the rule needs only vectors of n entries.",
                problem=problem.message,
            ) from None
        raise
    got = np.asarray(result) if isinstance(result, np.ndarray | list | tuple) else result
    if isinstance(got, np.ndarray) and got.shape != shape and got.size == np.prod(shape) ** 2:
        raise Problem(
            "{call} returned the whole {got} Jacobian; {what} is one number per input, shape {shape}.",
            call=call,
            got=got.shape,
            what=what,
            shape=shape,
        )
    if isinstance(got, np.ndarray) and got.dtype.kind in "fc" and not np.all(np.isfinite(got)):
        raise Problem("{call} has inf or nan entries: {why}", call=call, why=unfinite)
    return as_array(result, call, shape, kind=Message("{what}, an array of shape {shape}", what=what, shape=shape))


def _case_text(z: np.ndarray) -> Message | str:
    if z.size > 6:
        return Message("z of {count} entries", count=z.size)
    return f"z = {np.array2string(z, precision=3, separator=', ')}"


@register
def verdict_softmax_vjp(value, name: str, part: str = "values", *, seed: int = 0, rtol: float = 1e-7) -> Message:
    """The answer is a function `softmax_vjp(z, u)` returning uᵀJ, the vector–Jacobian product of softmax
    at the logits `z`; part "values": ordinary logits; part "edges": logits of ±1000 and 200,000 logits
    (which rules out building the n × n Jacobian)."""
    fn = as_function(value, name, f"def {name}(z, u):")
    require_arguments(fn, name, 2, f"def {name}(z, u):")
    rng = np.random.default_rng(seed)
    if _part(part) == "values":
        cases = [rng.normal(size=n) * scale for n, scale in ((3, 1.0), (5, 2.0), (1, 1.0))]
    else:
        cases = [np.array([1000.0, -1000.0, 999.0, 0.0]), np.array([-800.0, -801.0]), rng.normal(size=200_000)]
    for z in cases:
        u = rng.normal(size=z.size)
        p = RULES["softmax"].forward(z)
        want = RULES["softmax"].vjps[0](u, p, z)
        case = _case_text(z)
        call = Message("{name}({case}, u)", name=name, case=case) if isinstance(case, Message) else f"{name}({case}, u)"
        overflow = Message("e^z overflows for large logits; subtract the largest logit first.")
        got = _returned_array(fn, (z.copy(), u.copy()), call, z.shape, "uᵀJ", overflow)
        if all_close(got, want, rtol, 1e-12):
            continue
        mistakes = [
            (
                p * (1 - p) * u,
                Message("keeps only the diagonal of J, p(1 − p); the term −p pᵀ links every output to every input."),
            ),
            (u - u @ p, Message("forgets the factor p: uᵀJ = p ⊙ (u − u·p).")),
            (p - u, Message("is the p − y of cross-entropy; here u can be any vector.")),
            (-want, Message("has the wrong sign.")),
        ]
        for wrong, sentence in mistakes:
            if z.size > 1 and all_close(got, wrong, rtol, 1e-12):
                raise Problem("{name} {sentence}", name=call, sentence=sentence)
        require_close(got, want, call, rtol, 1e-12)
    if part == "values":
        return Message("{name} gives uᵀJ for every test vector.", name=name)
    return Message("{name} is stable for logits of ±1000 and fast for 200,000 of them: no Jacobian built.", name=name)


@register
def verdict_layer_norm(value, name: str, x, *, eps: float = 0.0, rtol: float = 1e-6, hint: str = "") -> Message:
    """The answer is layer norm of the vector `x`, (x − μ)/σ with σ = √(mean of (x − μ)² + `eps`)."""
    x = np.asarray(x, dtype=float)
    got = as_array(value, name, x.shape, kind=Message("an array of {count} numbers, one per entry of x", count=x.size))
    want = layer_norm(x, eps)
    passed = Message("{name} is layer norm of x.", name=name)
    if all_close(got, want, rtol, 1e-12):
        return passed
    with np.errstate(all="ignore"):  # a one-entry x has no sample deviation
        centred = x - x.mean()
        sigma = np.sqrt(np.mean(centred**2) + eps)
        mistakes = [
            (
                centred / np.sqrt(np.sum(centred**2) / (x.size - 1) + eps),
                Message(
                    "divides by the sample standard deviation (over n − 1); layer norm's σ is over n = {n}.", n=x.size
                ),
            ),
            (centred / sigma**2, Message("divides by the variance σ²; divide by σ, its square root.")),
            (centred, Message("is x − μ, not yet divided by σ.")),
            (x / sigma, Message("is x/σ: subtract the mean μ first.")),
        ]
    known_mistake(name, got, want, mistakes, lambda a, b: all_close(a, b, rtol, 1e-12))
    require_close(got, want, name, rtol, 1e-12, hint)
    return passed


def _whole_array_layer_norm_vjp(x: np.ndarray, g: np.ndarray, eps: float) -> np.ndarray:
    # the rule with every mean taken over all of x at once: right for one row, wrong for a batch
    flat_x, flat_g = x.reshape(1, -1), g.reshape(1, -1)
    return RULES["layer_norm"].vjps[0](flat_g, layer_norm(flat_x, eps), flat_x, eps).reshape(x.shape)


@register
def verdict_layer_norm_backward(
    value, name: str, part: str = "values", *, seed: int = 0, rtol: float = 1e-7
) -> Message:
    """The answer is a function `layer_norm_backward(x, g)` returning ∂L/∂x for layer norm over the last axis
    (ε = 10⁻⁵) when g = ∂L/∂x̂; part "values": random rows; part "edges": a batch with rows of equal entries."""
    fn = as_function(value, name, f"def {name}(x, g):")
    require_arguments(fn, name, 2, f"def {name}(x, g):")
    rng = np.random.default_rng(seed)
    eps = 1e-5
    if _part(part) == "values":
        cases = [rng.normal(1.0, 2.0, size=5), rng.normal(size=(3, 4))]
    else:
        cases = [np.array([[2.0, 2.0, 2.0], [0.5, -1.0, 3.0], [0.0, 0.0, 0.0]]), rng.normal(size=(2, 3, 6)) * 100]
    for x in cases:
        g = rng.normal(size=x.shape)
        x_hat = layer_norm(x, eps)
        sigma = np.sqrt(x.var(axis=-1, keepdims=True) + eps)
        want = RULES["layer_norm"].vjps[0](g, x_hat, x, eps)
        call = Message("{name}(x of shape {shape}, g)", name=name, shape=x.shape)
        equal = Message("a row of equal entries has variance 0: keep ε under the square root, σ = √(var + ε).")
        got = _returned_array(fn, (x.copy(), g.copy()), call, x.shape, "∂L/∂x", equal)
        if all_close(got, want, rtol, 1e-9):
            continue
        mean_g = g.mean(axis=-1, keepdims=True)
        along = x_hat * (g * x_hat).mean(axis=-1, keepdims=True)
        mistakes = [
            (g / sigma, Message("is g / σ: it forgets that μ and σ depend on x too (two more terms).")),
            ((g - mean_g) / sigma, Message("removes the mean of g but not its part along x̂ (the term through σ).")),
            ((g - along) / sigma, Message("removes the part along x̂ but not the mean of g (the term through μ).")),
            (g - mean_g - along, Message("forgets to divide by σ.")),
            (
                _whole_array_layer_norm_vjp(x, g, eps),
                Message(
                    "takes its means over the whole array: take them along the last axis (`axis=-1, keepdims=True`)."
                ),
            ),
        ]
        if x.var(axis=-1).min() > 0:
            no_eps = RULES["layer_norm"].vjps[0](g, layer_norm(x, 0.0), x, 0.0)
            mistakes.append((no_eps, Message("leaves ε out of σ: σ = √(var + ε), with the forward pass's ε = 10⁻⁵.")))
        for wrong, sentence in mistakes:
            if all_close(got, wrong, rtol, 1e-9):
                raise Problem("{name} {sentence}", name=call, sentence=sentence)
        require_close(got, want, call, rtol, 1e-9)
    if part == "values":
        return Message("{name} gives ∂L/∂x for every test row.", name=name)
    return Message("{name} also handles rows of equal entries and batches of any shape.", name=name)


@register
def verdict_checkpoint_memory(value, name: str, depth: int, segment: int | None, megabytes: float) -> Message:
    """The answer is the most memory, in MB, that a backward pass over `depth` equal layers holds at once
    for activations of `megabytes` each: all of them without checkpoints (`segment=None`), else the
    checkpoints plus one recomputed segment."""
    from nudge.plots.ch10_attention import checkpoint_costs

    got = as_number(value, name)
    want = checkpoint_costs(depth, segment)[0] * megabytes
    if is_close(got, want, 1e-9, 1e-9):
        return Message("{name} is right.", name=name)
    if segment is not None:
        checkpoints = -(-depth // segment)
        if is_close(got, checkpoints * megabytes, 1e-9, 1e-9):
            raise Problem("{name} counts the checkpoints, but not the segment recomputed from one of them.", name=name)
        if is_close(got, segment * megabytes, 1e-9, 1e-9):
            raise Problem("{name} counts one recomputed segment, but not the checkpoints kept all along.", name=name)
        if is_close(got, depth * megabytes, 1e-9, 1e-9):
            raise Problem("{name} is the memory without checkpoints: every activation kept.", name=name)
    if is_close(got, want / megabytes, 1e-9, 1e-9):
        raise Problem("{name} counts activations; the question asks for megabytes.", name=name)
    raise Problem.of(miss(name, got, want))
