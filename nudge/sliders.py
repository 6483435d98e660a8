"""Slider specs: the grid of values one explorer parameter takes, and how to label them.

`explore(plot_fn, x=Lin(-3, 3, 25), eps=Log(1e-6, 1, 7), kind=Values(["a", "b"]))`: each spec
is a finite grid, so the site can draw every frame ahead of time.

>>> spec = Lin(0, 1, 3)
>>> spec.values
(0.0, 0.5, 1.0)
>>> Log(1, 100, 3).values
(1.0, 10.0, 100.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from nudge.inputs import require_number


def _range(who: str, start, stop, num) -> tuple[float, float, int]:
    """A slider's bounds and step count, checked: two different numbers and a count of 2 or more."""
    start = require_number(start, who=who, name="start", example="-3", finite=True)
    stop = require_number(stop, who=who, name="stop", example="3", finite=True)
    num = require_number(num, who=who, name="the number of steps", example="25", whole=True, minimum=2)
    if start == stop:
        raise ValueError(f"{who}: empty range, start and stop are both {start!r}")
    return start, stop, num


@dataclass(frozen=True)
class Slider:
    """Base of the slider specs: a name-independent grid of values and how to label them."""

    values: tuple = field(init=False)
    label: str | None = None
    fmt: str = "{:.3g}"
    value: float | None = None

    def format(self, value) -> str:
        return self.fmt.format(value)

    def default_index(self) -> int:
        """The grid point nearest `value`, or the middle one."""
        if self.value is None:
            return (len(self.values) - 1) // 2
        distances = [abs(v - self.value) for v in self.values]
        return int(np.argmin(distances))

    def describe(self) -> str:
        return f"{type(self).__name__}{self.values!r}"

    def _fill(self, **fields) -> None:
        """Set the fields of this frozen spec, once, from its checked arguments."""
        for name, value in fields.items():
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class Lin(Slider):
    """`num` evenly spaced values from `start` to `stop` (both included).

    >>> Lin(-1, 1, 5, value=0.4).default_index()
    3
    """

    start: float = 0.0
    stop: float = 1.0
    num: int = 11

    def __init__(self, start, stop, num=11, *, label=None, fmt="{:.3g}", value=None):
        start, stop, num = _range("Lin", start, stop, num)
        values = tuple(float(np.round(v, 12)) for v in np.linspace(start, stop, num))
        self._fill(start=start, stop=stop, num=num, label=label, fmt=fmt, value=value, values=values)


@dataclass(frozen=True)
class Log(Slider):
    """`num` values from `start` to `stop`, evenly spaced on a log scale (both positive).

    >>> Log(1e-3, 1, 4).values
    (0.001, 0.01, 0.1, 1.0)
    """

    start: float = 1e-3
    stop: float = 1.0
    num: int = 7

    def __init__(self, start, stop, num=7, *, label=None, fmt="{:.0e}", value=None):
        start, stop, num = _range("Log", start, stop, num)
        if start <= 0 or stop <= 0:
            raise ValueError(f"Log: both bounds must be positive for a log scale, got start={start!r}, stop={stop!r}")
        values = tuple(float(f"{v:.12g}") for v in np.geomspace(start, stop, num))
        self._fill(start=start, stop=stop, num=num, label=label, fmt=fmt, value=value, values=values)


@dataclass(frozen=True)
class Values(Slider):
    """An explicit list of values, in slider order.

    >>> Values([1, 2, 5]).values
    (1, 2, 5)
    """

    def __init__(self, values: Sequence, *, label=None, fmt="{}", value=None):
        values = tuple(values)
        if len(values) < 2:
            raise ValueError(f"Values: a slider needs at least 2 values, got {len(values)}")
        if value is not None and value not in values:
            raise ValueError(f"Values: the starting value {value!r} is not one of {list(values)}")
        self._fill(values=values, label=label, fmt=fmt, value=value)

    def default_index(self) -> int:
        if self.value is None:
            return (len(self.values) - 1) // 2
        return self.values.index(self.value)
