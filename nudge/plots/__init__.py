"""Plain plotting functions: `plot_xxx(ax, ...)` draws on the axes it is given.

Explorers wire sliders to these; tests call them at any slider value, extremes included.
One module per chapter, named by its chapter key (`ch03_relu_sigmoid`; `nudge.chapters`); chapter
6 draws graphs, in `nudge.graphs`; `common` holds what two chapters share. Every chapter module
is found and re-exported here: the names in its `__all__` if it has one, else the `plot_*`
functions it defines, so a new plot or a new chapter's module needs no edit here.
Import from here: `from nudge.plots import plot_secant`.
"""

from nudge.chapters import chapter_modules
from nudge.numeric import METHODS


def _exports(module) -> dict:
    """What a chapter module offers: its `__all__`, else the `plot_*` functions defined in it."""
    names = getattr(module, "__all__", None)
    if names is None:
        names = [
            n
            for n, v in vars(module).items()
            if n.startswith("plot_") and getattr(v, "__module__", None) == module.__name__
        ]
    return {name: getattr(module, name) for name in names}


def _gather(package: str, path) -> dict:
    exported: dict = {}
    for module in chapter_modules(package, path):
        for name, value in _exports(module).items():
            if exported.get(name, value) is not value:
                raise ImportError(f"{module.__name__} and another chapter's module both define {name}: rename one")
            exported[name] = value
    return exported


_EXPORTED = _gather(__name__, __path__)
globals().update(_EXPORTED)
__all__ = ["METHODS", *_EXPORTED]
