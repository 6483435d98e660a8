"""The book's look, applied only when a notebook asks for it (importing `nudge` changes nothing).

>>> import matplotlib
>>> before = matplotlib.rcParams["axes.grid"]
>>> import nudge
>>> matplotlib.rcParams["axes.grid"] == before
True
"""

from __future__ import annotations

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

BOOK_RC = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "figure.constrained_layout.use": True,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": None,  # filled in below from PALETTE
    "font.size": 11,
    "legend.frameon": False,
    "svg.hashsalt": "nudge",  # stable ids in SVG output
}


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
    except Exception:  # not in IPython: nothing to configure
        pass


__all__ = ["PALETTE", "use_book_style"]
