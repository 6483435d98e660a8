"""The chapter key: one name for a chapter's notebook, exercises, checks, plots and tests.

The key is `ch` and the stem of the chapter's notebook: `chapters/03_relu_sigmoid.ipynb` is
`ch03_relu_sigmoid`, which names `solutions/ch03_relu_sigmoid/`, `exercises/ch03_relu_sigmoid/`,
`nudge/checks/ch03_relu_sigmoid.py`, `nudge/plots/ch03_relu_sigmoid.py` and
`tests/test_ch03_relu_sigmoid_*.py`. The packages find their chapter modules by that name, so a
new one is used the day it is written (`chapter_modules`).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable
from types import ModuleType

#: a chapter key: `ch`, the chapter's number, then `_` and its topic (the topic may be left out)
KEY = re.compile(r"ch(?P<number>\d+)(?:_(?P<topic>[a-z0-9_]+))?")


def chapter_key(stem: str) -> str:
    """The key of the chapter whose notebook is `chapters/<stem>.ipynb`.

    >>> chapter_key("03_relu_sigmoid")
    'ch03_relu_sigmoid'
    """
    key = f"ch{stem}"
    if not KEY.fullmatch(key):
        raise ValueError(f"expected a chapter notebook's stem like 03_relu_sigmoid, got {stem!r}")
    return key


def chapter_number(name: str) -> int | None:
    """The chapter a module serves, from its (dotted) name; None for a module that serves no one chapter.

    >>> chapter_number("nudge.checks.ch10_attention"), chapter_number("ch03_relu_sigmoid"), chapter_number("generic")
    (10, 3, None)
    """
    match = KEY.fullmatch(name.rsplit(".", 1)[-1])
    return int(match["number"]) if match else None


def chapter_modules(package: str, path: Iterable[str]) -> list[ModuleType]:
    """Import and return every chapter module of `package` (whose `__path__` is `path`), in chapter order.

    >>> [m.__name__ for m in chapter_modules("nudge.checks", importlib.import_module("nudge.checks").__path__)][:2]
    ['nudge.checks.ch01_intuition', 'nudge.checks.ch04_partials']
    """
    names = [m.name for m in pkgutil.iter_modules(path) if chapter_number(m.name) is not None]
    names.sort(key=lambda name: (chapter_number(name), name))
    return [importlib.import_module(f"{package}.{name}") for name in names]
