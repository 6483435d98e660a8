"""The live face of an explorer in Jupyter: its front end (`nudge/web/nudge-explorer.js`) and the kernel drawing.

`LiveView` is what `Explorer.widget()` shows while a kernel runs: the explorer's own front end
(the same module, sliders and stylesheet as on the website) as an anywidget, `ExplorerWidget`,
whose `index` the sliders set and whose `image` this module draws for it, at twice the pixels
it is shown at (sharp on high-density screens). What a saved notebook keeps of it is
`nudge.lab`'s business.
"""

from __future__ import annotations

import itertools
import multiprocessing
import threading
import time

from nudge.web import ExplorerWidget

#: image pixels per CSS pixel: the live picture stays sharp on high-density screens
PIXEL_RATIO = 2


class LiveView:
    """The explorer's widget; each slider move shows the frame for the new grid point.

    A frame not seen before is drawn at once (about 50-100 ms: matplotlib's rendering is most
    of it). After the reader first moves a slider, the rest of the grid is drawn ahead, nearest
    points first, so later moves only swap cached pictures. It is drawn in a process of its own,
    forked from the kernel at that moment: it shares no state with the kernel (matplotlib's is
    global and not thread-safe), so nothing the reader does meanwhile (another explorer, a cell,
    a change of style) can touch its pictures, and the kernel stays free to answer the sliders.
    The kernel only receives the pictures. Where processes can't be forked (Windows, Pyodide)
    and before the first move (nbval, the book build) nothing is drawn ahead.
    """

    def __init__(self, explorer):
        self.explorer = explorer
        manifest = explorer.manifest()
        self.names = list(explorer.sliders)
        self.cache: dict[tuple, bytes] = {}  # the grid is finite: each point is drawn once
        self.last_update_seconds = None
        self.draw_ahead = True  # draw the rest of the grid after the first move
        self.ahead: threading.Thread | None = None  # receives the frames drawn ahead, once they are
        start = [control.index for control in manifest.controls]
        self.widget = ExplorerWidget(config=manifest.to_dict(), index=start)
        self.update()
        self.widget.observe(self.update, names="index")

    def index(self) -> tuple:
        return tuple(self.widget.index)

    def move(self, **positions: int) -> None:
        """Set sliders by name to grid positions, as a reader's move would: `view.move(x=3)`."""
        index = list(self.widget.index)
        for name, position in positions.items():
            index[self.names.index(name)] = position
        self.widget.index = index

    def update(self, change=None):
        started = time.perf_counter()
        key = self.index()
        png = self.cache.get(key)
        if png is None:
            png = self.cache[key] = self.render(key)
        self.widget.alt = self.explorer.alt_text(self.values(key))
        self.widget.image = png
        self.last_update_seconds = time.perf_counter() - started
        if (
            change is not None
            and self.draw_ahead
            and self.ahead is None
            and FORK in multiprocessing.get_all_start_methods()
        ):
            self._start_drawing_ahead()

    def missing(self) -> list[tuple]:
        """The grid points not drawn yet, nearest to the sliders first."""
        here = self.index()
        todo = [key for key in itertools.product(*map(range, self.explorer.shape)) if key not in self.cache]
        return sorted(todo, key=lambda key: sum(abs(a - b) for a, b in zip(key, here, strict=True)))

    def _start_drawing_ahead(self):
        context = multiprocessing.get_context(FORK)
        receiving, sending = context.Pipe(duplex=False)
        drawer = context.Process(target=_draw_ahead, args=(self, self.missing(), sending), daemon=True)
        drawer.start()  # forked now, between two messages: no drawing is under way in the kernel
        sending.close()
        self.ahead = threading.Thread(target=self._receive, args=(receiving, drawer), daemon=True)
        self.ahead.start()

    def _receive(self, receiving, drawer):
        """Keep each picture the drawing process sends; one drawn meanwhile in the kernel stays."""
        try:
            while True:
                key, png = receiving.recv()
                self.cache.setdefault(key, png)
        except (EOFError, OSError):  # done, or the process was stopped (an interrupted kernel)
            pass
        finally:
            receiving.close()
            drawer.join()

    def draw_rest(self):
        """Draw every grid point not drawn yet, now (for measurements and tests)."""
        for key in self.missing():
            self.cache[key] = self.render(key)

    def values(self, key: tuple) -> dict:
        return {name: s.values[i] for (name, s), i in zip(self.explorer.sliders.items(), key, strict=True)}

    def render(self, key: tuple) -> bytes:
        return self.explorer.frame(self.values(key), pixel_ratio=PIXEL_RATIO, quantize=False, strict=False)


#: how the process that draws ahead is made: a copy of the kernel, notebook-defined functions and all
FORK = "fork"


def _draw_ahead(view: LiveView, todo: list[tuple], sending) -> None:
    """In the forked process: draw each grid point of `todo` and send it to the kernel."""
    for key in todo:
        sending.send((key, view.render(key)))
    sending.close()
