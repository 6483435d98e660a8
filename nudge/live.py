"""The live face of an explorer in Jupyter: ipywidgets sliders over the explorer's grid.

`LiveView` is what `Explorer.widget()` shows while a kernel runs: a slider per parameter, the
picture drawn at the size it is shown (sharp on high-density screens), and the explorer's
title. What a saved notebook keeps of it is `nudge.lab`'s business.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time

from nudge.explorer import Explorer, draw

#: image pixels per CSS pixel: the live picture stays sharp on high-density screens
PIXEL_RATIO = 2


class LiveView:
    """Sliders and an Image widget; each change shows the frame for the new grid point.

    A frame not seen before is drawn at once (about 50-100 ms: matplotlib's rendering is most
    of it). After the reader first moves a slider, a background thread draws the rest of the
    grid, nearest points first, so later moves only swap cached pictures. Nothing is drawn
    ahead before that first move: a notebook run by nbval or the book build starts no thread.
    """

    def __init__(self, explorer: Explorer):
        import ipywidgets as widgets

        self.explorer = explorer
        self.canvas = dataclasses.replace(explorer.canvas, dpi=explorer.canvas.dpi * PIXEL_RATIO)
        self.controls = {}
        for name, slider in explorer.sliders.items():
            options = [(slider.format(v), v) for v in slider.values]
            self.controls[name] = widgets.SelectionSlider(
                options=options,
                index=slider.default_index(),
                description=slider.label or name,
                continuous_update=True,
                layout=widgets.Layout(width="95%"),
            )
        # shown at the static face's size (the image has PIXEL_RATIO times its pixels)
        width = round(explorer.canvas.figsize[0] * explorer.canvas.dpi)
        self.image = widgets.Image(format="png", width=width)
        self.cache: dict[tuple, bytes] = {}  # the grid is finite: each point is drawn once
        self.last_update_seconds = None
        self.draw_ahead = True  # draw the rest of the grid in the background after the first move
        self.prefill = None  # the background thread, once started
        self._render_lock = threading.Lock()
        self.update()
        for control in self.controls.values():
            control.observe(self.update, names="value")
        caption = [widgets.Label(explorer.title)] if explorer.title else []
        self.box = widgets.VBox([self.image, *self.controls.values(), *caption])

    def index(self) -> tuple:
        return tuple(control.index for control in self.controls.values())

    def update(self, change=None):
        started = time.perf_counter()
        key = self.index()
        png = self.cache.get(key)
        if png is None:
            png = self.cache[key] = self.render(key)
        self.image.value = png
        self.last_update_seconds = time.perf_counter() - started
        if change is not None and self.prefill is None and self.draw_ahead:
            self.prefill = threading.Thread(target=self._draw_ahead, name=f"{self.explorer.id}-prefill", daemon=True)
            self.prefill.start()

    def _draw_ahead(self):
        shape = self.explorer.shape
        for key in sorted(itertools.product(*map(range, shape)), key=self._distance):
            if key not in self.cache:
                self.cache[key] = self.render(key)

    def _distance(self, key: tuple) -> int:
        return sum(abs(a - b) for a, b in zip(key, self.index(), strict=True))

    def render(self, key: tuple) -> bytes:
        ex = self.explorer
        values = {name: s.values[i] for (name, s), i in zip(ex.sliders.items(), key, strict=True)}
        with self._render_lock:  # matplotlib is not thread-safe: one drawing at a time
            return draw(ex.plot_fn, {**ex.fixed, **values}, self.canvas, quantize=False, positions=ex.positions)
