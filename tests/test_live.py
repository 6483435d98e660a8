"""Explorers show the picture of their sliders' position, in a real kernel, whatever the reader does.

Live frames are compared pixel for pixel with the same frames drawn one after another; the
site's frames are drawn again when any module of the package changes.
"""

from __future__ import annotations

import json
import shutil
import time

from conftest import ROOT
from kernel import Kernel

TWO_EXPLORERS = """
import dataclasses, io
import matplotlib, numpy as np
from PIL import Image
import nudge
from nudge import Lin, explore
from nudge.explorer import draw
from nudge.plots import plot_secant

nudge.use_book_style()
cubic = explore(plot_secant, f=lambda x: x**3, df=lambda x: 3 * x**2, x=Lin(-2, 2, 21), eps=0.5,
                xlim=(-2.5, 3.5), ylim=(-10, 20))
wave = explore(plot_secant, f=np.sin, df=np.cos, x=Lin(-3, 3, 21), eps=0.3, xlim=(-4, 4), ylim=(-2, 2))
views = [cubic.live_view(), wave.live_view()]
"""
# a reader's own plotting cell, which also changes matplotlib's style, and a drawing of the book's
PLOTTING_CELL = """
import matplotlib.pyplot as plt
plt.style.use("dark_background" if plt.rcParams["axes.facecolor"] != "black" else "default")
fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([0, 1], [1, 0])
fig.canvas.draw()
plt.close(fig)
draw(lambda ax: ax.bar([0, 1], [2, 1]), {})
"""
# every cached frame against the same frame drawn now, alone, in the style the explorers were made in
COMPARE = """
matplotlib.rcdefaults()
nudge.use_book_style()

def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))

wrong = []
for explorer, view in zip([cubic, wave], views):
    canvas = dataclasses.replace(explorer.canvas, dpi=2 * explorer.canvas.dpi)
    for (i,), png in sorted(view.cache.items()):
        values = {**explorer.fixed, "x": explorer.sliders["x"].values[i]}
        alone = draw(explorer.plot_fn, values, canvas, quantize=False, positions=explorer.positions)
        if not np.array_equal(pixels(png), pixels(alone)):
            wrong.append((explorer.id, i))
print(json.dumps({"compared": sum(len(v.cache) for v in views), "wrong": wrong}))
"""


def drawn_ahead(kernel: Kernel, between: str = "", seconds: float = 180) -> None:
    """Run `between` again and again until both explorers have every frame."""
    deadline = time.monotonic() + seconds
    while True:
        if between:
            kernel.run(between)
        counts = json.loads(kernel.run("print(json.dumps([len(v.cache) for v in views]))"))
        if counts == [21, 21]:
            return
        assert time.monotonic() < deadline, f"frames drawn ahead after {seconds} s: {counts} of 21 each"
        time.sleep(0.05)


def test_two_explorers_moved_at_once_cache_the_pictures_drawn_one_by_one():
    with Kernel() as kernel:
        kernel.run(TWO_EXPLORERS + "import json")
        # moved in one cell: both start drawing the rest of their grids
        kernel.run("views[0].move(x=1)\nviews[1].move(x=19)")
        drawn_ahead(kernel)
        result = json.loads(kernel.run(COMPARE))
    assert result == {"compared": 42, "wrong": []}


def test_cells_run_while_frames_are_drawn_ahead_change_no_frame():
    with Kernel() as kernel:
        kernel.run(TWO_EXPLORERS + "import json")
        kernel.run("views[0].move(x=20)\nviews[1].move(x=0)")
        drawn_ahead(kernel, between=PLOTTING_CELL)
        result = json.loads(kernel.run(COMPARE))
    assert result == {"compared": 42, "wrong": []}


SITE_FRAMES = """
import json, os
from nudge import Lin, explore
from nudge.plots import plot_secant
ex = explore(plot_secant, f=lambda x: x**2, df=lambda x: 2 * x, x=Lin(-1, 1, 3), eps=0.5, xlim=(-2, 2), ylim=(-1, 4))
print(json.dumps(ex.site_files(os.environ["NUDGE_FRAMES_DIR"])))
"""
# what an author's edit of a plot module does to the picture: a red background
REDDENED = """

_plot_secant_as_it_was = plot_secant


def plot_secant(ax, **kwargs):
    _plot_secant_as_it_was(ax, **kwargs)
    ax.set_facecolor("#ff0000")
"""


def test_editing_a_plot_module_draws_the_sites_frames_again(tmp_path):
    package = tmp_path / "package"
    shutil.copytree(ROOT / "nudge", package / "nudge", ignore=shutil.ignore_patterns("__pycache__"))
    env = {"NUDGE_FRAMES_DIR": str(tmp_path / "frames"), "NUDGE_FRAME_CACHE": str(tmp_path / "cache")}

    def build() -> list:
        with Kernel(env, package=package, cwd=tmp_path) as kernel:
            return json.loads(kernel.run(SITE_FRAMES))

    first = build()
    assert build() == first and len(list((tmp_path / "cache").iterdir())) == 1  # unchanged: read from the cache
    (module,) = [p for p in (package / "nudge" / "plots").glob("*.py") if "def plot_secant(" in p.read_text()]
    module.write_text(module.read_text() + REDDENED)
    edited = build()
    kept = {name for pair in first for name in pair} & {name for pair in edited for name in pair}
    assert not kept, f"frames that kept their old picture after their plot module changed: {sorted(kept)}"
