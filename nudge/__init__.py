"""Helpers for the Nudge book: explorers, questions, numeric derivatives, plots and checks.

Importing the package has no side effects; a notebook calls `use_book_style()` itself.
"""

from nudge.explorer import explore
from nudge.numeric import central_difference, forward_difference
from nudge.questions import ask
from nudge.sliders import Lin, Log, Values
from nudge.style import PALETTE, use_book_style

__version__ = "0.1.0"

__all__ = [
    "Lin",
    "Log",
    "Values",
    "ask",
    "explore",
    "central_difference",
    "forward_difference",
    "PALETTE",
    "use_book_style",
]
