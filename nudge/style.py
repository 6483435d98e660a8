"""The book's look, applied only when a notebook asks for it (importing `nudge` changes nothing).

>>> import matplotlib
>>> before = matplotlib.rcParams["axes.grid"]
>>> import nudge
>>> matplotlib.rcParams["axes.grid"] == before
True
"""

from __future__ import annotations

import json
import struct
import zlib

#: Okabe–Ito colours: distinguishable with the common kinds of colour blindness
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: matplotlib's settings for the book. Text: every size is the one `font.size` (ticks, labels, legends,
#: titles; a plot gives text it places itself `text_size()`), 12 pt, which is 13.3 CSS px at 80 px per
#: inch; figures 5.6 in wide (448 CSS px) shrink to a phone's column (`PHONE_COLUMN_PX`) by 0.78, so
#: text shows at 10.4 px there. Side-by-side panels are stacked instead (`explore(..., nrows=2)`)
BOOK_RC = {
    "figure.figsize": (5.6, 3.4),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "figure.constrained_layout.use": True,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": None,  # filled in below from PALETTE
    "font.size": 12,
    "axes.titlesize": "medium",
    "axes.labelsize": "medium",
    "xtick.labelsize": "medium",
    "ytick.labelsize": "medium",
    "legend.fontsize": "medium",
    "legend.title_fontsize": "medium",
    "figure.titlesize": "medium",
    "legend.frameon": False,
    "svg.hashsalt": "nudge",  # stable ids in SVG output
}


#: the smallest text a picture may show, in CSS px, where the reader sees it: on a phone too
MIN_TEXT_PX = 10
#: the width of the text column in CSS px on a phone 390 px wide (`tests/audit.py`'s PHONE), which a
#: wider figure is shrunk to: its text shrinks with it (a 521-px figure's 12.2-px text shows at 8.2 px)
PHONE_COLUMN_PX = 350
#: the key a figure's PNG output carries its smallest text under, in its display metadata (beside
#: width and height, saved in the notebook) and in the PNG file itself (a tEXt chunk, as JSON with
#: the width it is measured at), so a test or the browser audit knows what a reader will see
TEXT_KEY = "nudge_text_px"
#: the key a figure's PNG output lists every text it shows under, in its display metadata: the pictures
#: of the book carry mathematics, not words, which `tests/test_picture_words.py` checks there
TEXTS_KEY = "nudge_texts"


def smallest_text_px(fig, px_per_inch: float | None = None) -> float | None:
    """The smallest visible text of a drawn figure, in CSS px when it is shown at its drawn size.

    `px_per_inch` is how many CSS px an inch of the figure fills (its dpi when it was made; an
    explorer's canvas draws at twice it). Text that is hidden (itself or an artist holding it, such
    as axes turned off) or empty is not counted; None when the figure shows no text.

    >>> from matplotlib.figure import Figure
    >>> fig = Figure(dpi=80)
    >>> ax = fig.add_subplot()
    >>> _ = ax.set_title("nine", fontsize=9); _ = ax.text(0, 0, "seven", fontsize=7, visible=False)
    >>> fig.canvas.draw() and None
    >>> smallest_text_px(fig)  # 9 pt at 80 px per inch
    10.0
    """
    sizes = [text.get_fontsize() for text in _shown_texts(fig)]
    if not sizes:
        return None
    return round(min(sizes) / 72 * (px_per_inch or fig.dpi), 1)


def _shown_texts(artist):
    """Every text a reader sees in `artist`: visible, not empty, inside no hidden artist."""
    from matplotlib.text import Text

    for child in artist.get_children():
        if child.get_visible():
            if isinstance(child, Text) and child.get_text().strip():
                yield child
            yield from _shown_texts(child)


def figure_texts(fig) -> list[str]:
    """Every text a drawn figure shows (titles, labels, tick labels, legends, annotations).

    The pictures of the book are shared by its editions, so they carry mathematics rather than words:
    `tests/test_picture_words.py` reads them here. Draw the figure first: tick labels are made then.

    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> ax = fig.add_subplot()
    >>> _ = ax.set_title("$f'(x)$"); _ = ax.set_xticks([]); _ = ax.set_yticks([1], ["1"])
    >>> _ = ax.text(0, 0, "hidden", visible=False)
    >>> figure_texts(fig)
    ['1', "$f'(x)$"]
    """
    return [text.get_text() for text in _shown_texts(fig)]


def text_size() -> float:
    """The size in points of the book's text in a picture (matplotlib's `font.size`, the book's once
    `use_book_style` ran): the smallest a picture shows, and what text a plot places itself takes."""
    import matplotlib

    return float(matplotlib.rcParams["font.size"])


def phone_text_px(text_px: float, width: float) -> float:
    """How big text of `text_px` CSS px in a figure `width` CSS px wide shows on a phone.

    >>> phone_text_px(12.2, 521)
    8.2
    >>> phone_text_px(11.0, 300)  # narrower than the column: shown at its own size
    11.0
    """
    return round(text_px * min(1.0, PHONE_COLUMN_PX / width), 1)


def _png_text_chunk(png: bytes, key: str, text: str) -> bytes:
    """`png` with a tEXt chunk `key`: `text` after its header (IHDR is always first, 33 bytes with the signature)."""
    body = key.encode("latin-1") + b"\0" + text.encode("latin-1")
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(">I", zlib.crc32(b"tEXt" + body))
    return png[:33] + chunk + png[33:]


def png_text_px(png: bytes) -> dict | None:
    """What a book figure's PNG says of its text (`TEXT_KEY`): {"smallest_text_px": …, "width": …}, or None.

    >>> header = b"\\x89PNG\\r\\n\\x1a\\n" + struct.pack(">I", 13) + b"IHDR" + bytes(17)
    >>> png_text_px(_png_text_chunk(header, TEXT_KEY, '{"width": 1}'))
    {'width': 1}
    """
    at = 8
    while at + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        if kind == b"tEXt":
            key, _, text = png[at + 8 : at + 8 + length].partition(b"\0")
            if key == TEXT_KEY.encode():
                return json.loads(text)
        if kind == b"IDAT":
            return None
        at += 12 + length
    return None


def _book_png(fig, **kwargs):
    """matplotlib's inline PNG at twice the pixels (shown at the figure's size), with its smallest text.

    The display metadata says width and height (the size it is shown at), `TEXT_KEY`, the
    smallest text in CSS px at that size (the PNG carries both too), and `TEXTS_KEY`, every text shown.
    """
    from IPython.core.pylabtools import retina_figure

    made = retina_figure(fig, base64=False, **kwargs)
    if made is None:  # an empty figure shows nothing
        return None
    png, metadata = made
    text_px = smallest_text_px(fig)  # the figure was just drawn
    metadata[TEXTS_KEY] = figure_texts(fig)
    if text_px is not None:
        metadata[TEXT_KEY] = text_px
        about = json.dumps({"smallest_text_px": text_px, "width": metadata["width"]}, sort_keys=True)
        png = _png_text_chunk(png, TEXT_KEY, about)
    return png, metadata


def use_book_style() -> None:
    """Set matplotlib's defaults to the book's: size, colour-blind-safe colours, light grid.

    Call it in a notebook's first cell. Figures drawn for explorers use the same settings.
    """
    import matplotlib
    from cycler import cycler

    rc = dict(BOOK_RC)
    rc["axes.prop_cycle"] = cycler(color=list(PALETTE.values()))
    matplotlib.rcParams.update(rc)
    try:  # inline figures as PNG without a timestamp, so outputs are stable
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        # twice the pixels, shown at the figure's size (the output says its width and height):
        # crisp on a high-density screen (a DPR-2 screen shows two pixels per CSS pixel; at 1x
        # figures were drawn at half of that)
        set_matplotlib_formats("retina", metadata={"Software": None})
        from IPython import get_ipython
        from matplotlib.figure import Figure

        # the same PNG, and what its smallest text is (`_book_png`)
        shell = get_ipython()
        if shell is not None:
            formatter = shell.display_formatter.formatters["image/png"]
            formatter.for_type(Figure, lambda fig: _book_png(fig, metadata={"Software": None}))
    except Exception:  # not in IPython: nothing to configure
        pass


__all__ = ["PALETTE", "MIN_TEXT_PX", "PHONE_COLUMN_PX", "text_size", "use_book_style"]
