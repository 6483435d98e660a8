"""The live face of an explorer in Jupyter: a slider per parameter over the explorer's grid.

`LiveView` is what `Explorer.widget()` shows while a kernel runs: a `GridSlider` per parameter,
the picture drawn at the size it is shown (sharp on high-density screens), and the explorer's
title. What a saved notebook keeps of it is `nudge.lab`'s business.

A `GridSlider` is the static face's slider, live: a native range input over the grid's indices
with its label and its readout ("x = 1.5"), which is also what it tells assistive technology
(`aria-valuetext`). ipywidgets' own `SelectionSlider` reports the step index there ("12") from
its JavaScript, with no setting to change it, so the slider is a small anywidget whose front end
(`SLIDER_JS`, below) travels inside this package: nothing is fetched from elsewhere.
"""

from __future__ import annotations

import asyncio
import itertools
import time

import anywidget
import ipywidgets as widgets
import traitlets

from nudge.explorer import Explorer

#: image pixels per CSS pixel: the live picture stays sharp on high-density screens
PIXEL_RATIO = 2
#: seconds the kernel's event loop is left to itself between two frames drawn ahead: a message
#: (a slider moved) takes several turns of the loop to reach its handler, and a frame drawn
#: ahead at every turn would hold it up for all of them
AHEAD_PAUSE = 0.02

#: the slider's front end: label, range input and readout; the readout is also its aria-valuetext
SLIDER_JS = """
const RANGE_KEYS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"];
export default {
  render({ model, el }) {
    const id = "nudge-slider-" + Math.random().toString(36).slice(2);
    const label = document.createElement("label");
    const input = document.createElement("input");
    const output = document.createElement("output");
    Object.assign(input, { type: "range", id, min: 0, step: 1 });
    label.htmlFor = id;
    output.htmlFor.add(id);
    el.classList.add("nudge-live-control");
    el.append(label, input, output);
    const show = () => {
      const readouts = model.get("readouts");
      const index = model.get("index");
      label.textContent = model.get("description");
      input.max = readouts.length - 1;
      input.value = index;
      input.setAttribute("aria-valuetext", readouts[index]);
      output.textContent = readouts[index];
    };
    // the range's own keys move it; they must not reach the notebook too (in JupyterLab the
    // arrows move between cells), which listens on the document once the event has bubbled up
    input.addEventListener("keydown", (event) => {
      if (RANGE_KEYS.includes(event.key)) event.stopPropagation();
    });
    input.addEventListener("input", () => {
      model.set("index", Number(input.value));
      model.save_changes();
    });
    const events = ["change:index", "change:readouts", "change:description"];
    events.forEach((event) => model.on(event, show));
    show();
    return () => events.forEach((event) => model.off(event, show));
  },
};
"""
#: laid out as the static face's sliders are (_static/nudge.css), in JupyterLab's colours
SLIDER_CSS = """
.nudge-live-control {
  display: grid;
  grid-template-columns: 3em minmax(8em, 1fr) 9em;
  align-items: center;
  gap: 0.5em;
  width: 95%;
  color: var(--jp-ui-font-color1);
}
.nudge-live-control label { font-weight: 600; text-align: right; }
.nudge-live-control input { accent-color: var(--jp-brand-color1); width: 100%; min-width: 0; }
.nudge-live-control output { font-family: var(--jp-code-font-family); font-size: 0.9em; }
"""


class GridSlider(anywidget.AnyWidget):
    """A slider over a grid's indices that shows, and tells assistive technology, the value's readout.

    >>> slider = GridSlider(readouts=["x = 0", "x = 0.5"], description="x")
    >>> slider.index = 2
    Traceback (most recent call last):
    ...
    traitlets.traitlets.TraitError: index 2 is off the grid of x: expected 0 to 1
    """

    _esm = SLIDER_JS
    _css = SLIDER_CSS
    index = traitlets.Int(0).tag(sync=True)
    readouts = traitlets.List(traitlets.Unicode(), minlen=1).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)

    @traitlets.validate("index")
    def _on_the_grid(self, proposal):
        last = len(self.readouts) - 1
        if not 0 <= proposal["value"] <= last:
            raise traitlets.TraitError(
                f"index {proposal['value']} is off the grid of {self.description}: expected 0 to {last}"
            )
        return proposal["value"]


class LiveView:
    """Sliders and an Image widget; each change shows the frame for the new grid point.

    A frame not seen before is drawn at once (about 50-100 ms: matplotlib's rendering is most
    of it). After the reader first moves a slider, the rest of the grid is drawn ahead, nearest
    points first, so later moves only swap cached pictures. It is drawn one frame at a time
    in the kernel's own event loop, between the messages the kernel handles: never beside a
    cell, another explorer or a slider move (matplotlib's state is shared and not thread-safe),
    and a slider move waits for at most one frame drawn ahead (`AHEAD_PAUSE`). Without a running event loop
    (plain Python) and before the first move (nbval, the book build) nothing is drawn ahead.
    """

    def __init__(self, explorer: Explorer):
        self.explorer = explorer
        self.controls = {}
        for name, slider in explorer.sliders.items():
            self.controls[name] = GridSlider(
                readouts=[explorer.readout(name, v) for v in slider.values],
                index=slider.default_index(),
                description=slider.label or name,
            )
        # shown at the static face's size (the image has PIXEL_RATIO times its pixels)
        width = round(explorer.canvas.figsize[0] * explorer.canvas.dpi)
        self.image = widgets.Image(format="png", width=width)
        self.cache: dict[tuple, bytes] = {}  # the grid is finite: each point is drawn once
        self.last_update_seconds = None
        self.draw_ahead = True  # draw the rest of the grid after the first move
        self.ahead: asyncio.Handle | None = None  # the next frame drawn ahead, while one is due
        self.update()
        for control in self.controls.values():
            control.observe(self.update, names="index")
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
        if change is not None and self.draw_ahead and self.ahead is None and self.missing():
            try:
                self.ahead = asyncio.get_running_loop().call_later(AHEAD_PAUSE, self._draw_one_ahead)
            except RuntimeError:  # no event loop runs this code: draw on demand only
                pass

    def missing(self) -> list[tuple]:
        """The grid points not drawn yet, nearest to the sliders first."""
        here = self.index()
        todo = [key for key in itertools.product(*map(range, self.explorer.shape)) if key not in self.cache]
        return sorted(todo, key=lambda key: sum(abs(a - b) for a, b in zip(key, here, strict=True)))

    def _draw_one_ahead(self):
        self.ahead = None
        todo = self.missing()
        if todo:
            self.cache[todo[0]] = self.render(todo[0])
        if len(todo) > 1:
            self.ahead = asyncio.get_running_loop().call_later(AHEAD_PAUSE, self._draw_one_ahead)

    def draw_rest(self):
        """Draw every grid point not drawn yet, now (for measurements and tests)."""
        for key in self.missing():
            self.cache[key] = self.render(key)

    def render(self, key: tuple) -> bytes:
        ex = self.explorer
        values = {name: s.values[i] for (name, s), i in zip(ex.sliders.items(), key, strict=True)}
        return ex.frame(values, pixel_ratio=PIXEL_RATIO, quantize=False, strict=False)
