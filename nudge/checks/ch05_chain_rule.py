"""Chapter 5's verdicts: the chain rule's product along one path or summed over several, the actual
change of an output it predicts, and the gradient of one sigmoid neuron with a squared loss (with its
test cases)."""

from __future__ import annotations

import functools

import numpy as np

from nudge.checks.api import (
    Message,
    Problem,
    all_close,
    as_array,
    as_function,
    as_number,
    call_student,
    evaluate,
    is_close,
    known_mistake,
    listing,
    miss,
    only_symbol,
    quiet,
    register,
    require_arguments,
    require_close,
    show_arg,
    true_slope,
    value_at,
)


@register
def verdict_chain_product(
    value,
    name: str,
    outer,
    inner,
    x: float,
    *,
    through=None,
    eps: float | None = None,
    rtol: float = 1e-6,
    hint: str = "",
) -> Message:
    """The answer is the chain rule's product at `x`, times `eps` if given (then it is the nudge of the output).

    One path: `outer` f and `inner` g are functions of one number or sympy expressions in one symbol;
    the answer is f'(g(x)) · g'(x). Several paths: `outer` is a sympy expression in the intermediate
    symbols and `inner` a dict symbol → sympy expression in one variable; the answer is the sum over
    the paths of ∂f/∂u · du/dx, or only the path through the symbol `through`.
    """
    import sympy as sp

    got = as_number(value, name)
    scale = 1.0 if eps is None else float(eps)
    if isinstance(inner, dict):
        wrt = only_symbol(sp.Add(*inner.values()))
        at = {wrt: sp.nsimplify(float(x))}
        inner_at = {u: inner[u].subs(at) for u in inner}
        paths = {
            u: value_at(sp.diff(outer, u).subs(inner_at), {}) * value_at(sp.diff(inner[u], wrt), at) for u in inner
        }
        paths = {u: p * scale for u, p in paths.items()}
        total = sum(paths.values())
        want = paths[through] if through is not None else total
        if is_close(got, want, rtol, 1e-12):
            if through is not None:
                return Message("{name} is the path through {through}.", name=name, through=through)
            return Message("{name} sums every path.", name=name)
        for u, path in paths.items():
            if u != through and is_close(got, path, rtol, 1e-12) and not is_close(path, want, rtol, 1e-12):
                if through is not None:
                    raise Problem(
                        "{name} is the path through {path}; this asks for the path through {through}.",
                        name=name,
                        path=u,
                        through=through,
                    )
                rest = listing(v for v in paths if v != u)
                raise Problem(
                    "{name} is only the path through {path}; add the path through {rest}.", name=name, path=u, rest=rest
                )
        if through is not None and is_close(got, total, rtol, 1e-12) and not is_close(total, want, rtol, 1e-12):
            raise Problem(
                "{name} adds every path; this asks for the path through {through} only.", name=name, through=through
            )
        raise Problem.of(
            miss(name, got, want, Message("Multiply the local derivatives along each path, then add the paths."))
        )
    g_value = evaluate(inner, x)
    outer_slope, inner_slope = true_slope(outer, g_value), true_slope(inner, x)
    want = outer_slope * inner_slope * scale
    if is_close(got, want, rtol, 1e-12):
        if eps is None:
            return Message("{name} is the product of the local derivatives.", name=name)
        return Message("{name} is the product of the local derivatives, times ε: the nudge of the output.", name=name)
    mistakes = [
        (
            true_slope(outer, x) * inner_slope * scale,
            Message("takes f′ at x; the outer derivative is taken at g(x), the value the outer stage receives."),
        ),
        (outer_slope * scale, Message("has only the outer stage's derivative f′(g(x)); multiply by g′(x).")),
        (inner_slope * scale, Message("has only the inner stage's derivative g′(x); multiply by f′(g(x)).")),
        ((outer_slope + inner_slope) * scale, Message("adds the local derivatives; the chain rule multiplies them.")),
    ]
    if eps is not None:
        mistakes.append(
            (outer_slope * inner_slope, Message("is the rate dy/dx; the nudge of the output is that rate times ε."))
        )
    known_mistake(name, got, want, mistakes, lambda a, b: is_close(a, b, rtol, 1e-12))
    raise Problem.of(miss(name, got, want, hint))


@register
def verdict_output_change(value, name: str, f, x: float, eps: float, *, rtol: float = 1e-9) -> Message:
    """The answer is f(x + eps) − f(x), how much the output of `f` (a function of one number) actually
    moves when `x` is nudged by `eps`."""
    got = as_number(value, name)
    x, eps = float(x), float(eps)
    with quiet():
        before, after = float(f(x)), float(f(x + eps))
    want = after - before
    if is_close(got, want, rtol, 1e-15):
        return Message("{name} is the actual change of the output.", name=name)
    mistakes = [
        (
            true_slope(f, x) * eps,
            Message("is the change the chain rule predicts, f′(x)·ε; this asks for the actual one."),
        ),
        (want / eps, Message("is divided by ε: that is a difference quotient; this asks for the change itself.")),
        (-want, Message("has the wrong sign: the new output minus the old one, f(x + ε) − f(x).")),
        (after, Message("is the new output f(x + ε); subtract the old one, f(x).")),
    ]
    known_mistake(name, got, want, mistakes, lambda a, b: is_close(a, b, rtol, 1e-15))
    raise Problem.of(miss(name, got, want, Message("Run the pipeline at x + ε and at x, and subtract.")))


def _neuron_cases():
    """(w, b, x, y) for `verdict_neuron_gradient`: everyday values, a zero input, and a saturated sigmoid."""
    return [
        (0.5, -1.0, 2.0, 1.0),
        (-0.5, 0.25, 1.5, 1.0),
        (1.2, 0.3, -0.7, 0.0),
        (0.8, -0.2, 0.0, 1.0),
        (2.0, 0.0, -400.0, 1.0),
    ]


@functools.cache
def _neuron_truth(w: float, b: float, x: float, y: float) -> tuple:
    """(∂L/∂w, ∂L/∂b, σ(z)) for L = (σ(wx + b) − y)², by sympy from the formula (exact, even where σ saturates)."""
    import sympy as sp

    w_, b_, x_, y_ = sp.symbols("w b x y")
    sigma = 1 / (1 + sp.exp(-(w_ * x_ + b_)))
    loss = (sigma - y_) ** 2
    at = {w_: sp.nsimplify(w), b_: sp.nsimplify(b), x_: sp.nsimplify(x), y_: sp.nsimplify(y)}
    return tuple(float(sp.N(e.subs(at), 30)) for e in (sp.diff(loss, w_), sp.diff(loss, b_), sigma))


@register
def verdict_neuron_gradient(value, name: str, *, rtol: float = 1e-6) -> Message:
    """The answer is a function `grads(w, b, x, y)` returning (∂L/∂w, ∂L/∂b) for one sigmoid neuron
    ŷ = σ(wx + b) with the loss L = (ŷ − y)²."""
    example = f"def {name}(w, b, x, y):"
    fn = as_function(value, name, example)
    require_arguments(fn, name, 4, example)
    atol = 1e-12
    for w, b, x, y in _neuron_cases():
        call = f"{name}({show_arg(w)}, {show_arg(b)}, {show_arg(x)}, {show_arg(y)})"
        result = call_student(fn, (w, b, x, y), call)
        got = as_array(result, call, (2,), kind=Message("a pair of numbers (dL/dw, dL/db)"))
        dw, db, s = _neuron_truth(w, b, x, y)
        want = np.array([dw, db])
        if all_close(got, want, rtol, atol):
            continue
        wrong_sigma = 2 * (s - y) * s * np.array([x, 1.0])
        mistakes = [
            (want[::-1], Message("returns (dL/db, dL/dw): put dL/dw first.")),
            (-want, Message("has the wrong sign: the derivative of (ŷ − y)² with respect to ŷ is 2(ŷ − y).")),
            (want / 2, Message("is half the derivative: the derivative of (ŷ − y)² with respect to ŷ is 2(ŷ − y).")),
            (np.array([db, db]), Message("gives dL/dw without the factor ∂z/∂w = x.")),
            (wrong_sigma, Message("uses σ(z) where the chain rule needs its slope σ′(z) = σ(z)(1 − σ(z)).")),
        ]
        known_mistake(call, got, want, mistakes, lambda a, b: all_close(a, b, rtol, atol))
        require_close(
            got,
            want,
            call,
            rtol,
            atol,
            Message("Multiply the local derivatives: 2(ŷ − y) · σ′(z) · ∂z/∂w (or ∂z/∂b)."),
        )
    return Message("{name} gives both derivatives at all {count} test points.", name=name, count=len(_neuron_cases()))
