"""One call, one front end: sliders that drive a plain plotting function.

`explore(plot_fn, x=Lin(-3, 3, 25), eps=Log(1e-6, 1, 7))` shows the explorer's one front end,
`nudge/web/nudge-explorer.js`: native `<input type=range>` sliders under a picture,

- in Jupyter: each move asks the kernel for the frame, `plot_fn(ax, x=..., eps=...)` drawn
  there (`nudge.live`);
- on the built website: frames drawn ahead of time are switched, so the page needs no kernel
  (and no JavaScript for the first frame).

Both travel in one output: the widget view and a `text/html` fallback (the first picture and the
manifest). Jupyter shows the widget; the book's `nb_mime_priority_overrides` makes the HTML
builder take the fallback, which `nudge-site.js` mounts the front end on.

Frames are drawn for every grid point only while the book is built: the build sets
`NUDGE_FRAMES_DIR` (see `nudge.settings`) and frames are written there as content-addressed
files listed in a manifest (`nudge.frames` owns that format). Without it (a notebook run by
hand, nbval) the fallback carries the first frame only, so committed notebooks stay small.
A frame that fails to draw stops the build (and a test) with a `FrameError`; in a reader's
own session the frame shows what went wrong instead. Every frame is drawn in matplotlib's
settings of the moment the explorer was made.

The slider specs (`Lin`, `Log`, `Values`) are in `nudge.sliders`.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import functools
import hashlib
import html
import io
import itertools
import json
import math
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nudge import i18n, settings
from nudge.frames import (
    PREVIEW,
    Control,
    Manifest,
    encode_frame,
    figure_html,
    preview_caption,
    site_figure,
    write_frame,
    write_site_manifest,
)
from nudge.inputs import describe, require_number
from nudge.settings import FRAMES_DIR as FRAMES_ENV
from nudge.sliders import Slider
from nudge.style import BOOK_RC, smallest_text_px, text_size

#: most frames one explorer may precompute; more would make the site slow to build and read
MAX_FRAMES = 200

#: every sentence an explorer shows a reader; `{…}` fields are filled in where it is shown
MESSAGES = {
    "preview": PREVIEW,
    "frame_failed": "This frame could not be drawn ({shown}):\n{problem}",
}


class FrameError(RuntimeError):
    """A plot function raised while a frame was drawn for the site or in a test."""


# --- drawing one frame ----------------------------------------------------------------


@dataclass(frozen=True)
class Canvas:
    """Figure geometry shared by both faces, so the site shows what Jupyter shows."""

    figsize: tuple = BOOK_RC["figure.figsize"]
    ncols: int = 1
    dpi: int = BOOK_RC["figure.dpi"]
    nrows: int = 1


def _describe_callable(fn) -> str:
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    if name is None and hasattr(fn, "func"):  # functools.partial
        return f"partial({_describe_callable(fn.func)})"
    return f"{getattr(fn, '__module__', '')}.{name}" if name else type(fn).__name__


def _describe_fixed(value) -> str:
    if callable(value):
        return _describe_callable(value)
    return repr(value)


def draw(
    plot_fn: Callable,
    values: dict,
    canvas: Canvas = Canvas(),
    *,
    quantize: bool = True,
    positions=None,
    strict: bool = False,
):
    """Draw `plot_fn(ax, **values)` on empty axes and return PNG bytes.

    A `plot_fn` that raises does not break the explorer: the frame shows what went wrong,
    unless `strict`, when the exception propagates (the book build and the tests).
    `positions` (the axes' places in a reference frame, from `layout_of`) puts the axes there
    instead of solving the constrained layout for every frame, so the axes of a flipbook stay
    still from frame to frame.

    >>> png = draw(lambda ax, a: ax.plot([0, 1], [0, a]), {"a": 2.0})
    >>> png[:4] == b"\\x89PNG"
    True
    """
    return _to_png(_drawn(plot_fn, values, canvas, positions, strict), quantize=quantize)


def _drawn(plot_fn: Callable, values: dict, canvas: Canvas, positions, strict: bool):
    """The figure with `plot_fn`'s frame on it, drawn in the reference layout where it fits.

    The figure is one of `_FIGURES`, shared by every explorer: its picture is the next frame's
    once another is drawn, so read it first. (A process draws one frame at a time: the live
    face draws ahead in a process of its own, `nudge.live`.)
    """
    fig = _figure(canvas, positions)
    if not _plot_into(fig, plot_fn, values, canvas, positions, strict=strict):
        fig = _figure(canvas, None)  # the reference layout doesn't fit this frame: solve its own
        _plot_into(fig, plot_fn, values, canvas, strict=strict)
    fig.canvas.draw()
    return fig


def layout_of(plot_fn: Callable, values: dict, canvas: Canvas = Canvas()) -> list[tuple]:
    """Where the constrained layout puts each axes of `plot_fn`'s figure at `values`."""
    fig = _figure(canvas, None)
    _plot_into(fig, plot_fn, values, canvas)
    fig.canvas.draw()  # the layout is solved while drawing
    return [tuple(ax.get_position(original=True).bounds) for ax in fig.axes]


#: one figure per geometry and layout, emptied and drawn again for every frame (matplotlib's
#: caches of laid-out text live in the figure's renderer; `make bench` measures what it saves).
#: every explorer shares them, one frame at a time (the live face draws ahead in a process of its own)
_FIGURES: dict[tuple, tuple] = {}


def _figure(canvas: Canvas, positions):
    """An empty figure of `canvas`'s size, with constrained layout unless `positions` are given.

    A figure is reused unless matplotlib's `figure.*` settings changed since it was made (a new
    figure would take the new ones) or a plot function changed the figure itself (its size,
    colours, frame or layout); then a fresh one replaces it.
    The picture of a reused figure (`_image`) is overwritten by the next frame drawn.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # what a new figure takes from rcParams (colours, frame, layout settings)
    rc = tuple((name, str(value)) for name, value in matplotlib.rcParams.items() if name.startswith("figure."))
    key = (canvas, positions is None)
    if key in _FIGURES:
        fig, made_under, state = _FIGURES[key]
        if made_under == rc and _figure_state(fig) == state:
            return _emptied(fig)
    # "none", not None: None means matplotlib's rcParams, and the book's style turns constrained
    # layout on, which would be solved again for every frame (a third of a graph frame in chapter 6)
    fig = Figure(figsize=canvas.figsize, dpi=canvas.dpi, layout="none" if positions else "constrained")
    FigureCanvasAgg(fig)
    _FIGURES[key] = (fig, rc, _figure_state(fig))
    return fig


def _emptied(fig):
    """`fig` without axes or artists; its axes are removed, not cleared (as `Figure.clear` would first)."""
    for ax in fig.axes:
        fig.delaxes(ax)
    fig.clear()
    return fig


def _figure_state(fig) -> tuple:
    """What `Figure.clear` leaves as it was: a figure whose state changed is not reused."""
    engine = fig.get_layout_engine()
    return (
        tuple(fig.get_size_inches()),
        fig.dpi,
        fig.get_facecolor(),
        fig.get_edgecolor(),
        fig.get_frameon(),
        fig.patch.get_linewidth(),
        fig.patch.get_visible(),
        type(engine).__name__,
        sorted(engine.get().items()) if engine is not None else None,
    )


def _plot_into(
    fig,
    plot_fn: Callable,
    values: dict,
    canvas: Canvas,
    positions=None,
    *,
    strict: bool = False,
) -> bool:
    """Call `plot_fn` on new axes of the empty `fig`; if it raises, the frame says what went wrong (`strict`: raise).

    With `positions`, the axes go there; False when the figure has another number of axes
    than the reference (a colour bar only some frames have), to be drawn again with a layout.
    """
    axes = fig.subplots(canvas.nrows, canvas.ncols)
    # in place before `plot_fn` runs, so a plot that measures its axes (`nudge.graphs` fits
    # its text to them) sees the size they are drawn at
    for ax, bounds in zip(fig.axes, positions or (), strict=False):
        ax.set_position(bounds)
    try:
        plot_fn(axes, **values)
    except Exception as exc:  # the reader sees the message in the frame, not a broken page
        if strict:
            raise
        ax = _emptied(fig).add_subplot()
        ax.set_axis_off()
        shown = ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v!r}" for k, v in values.items())
        ax.text(
            0.5,
            0.5,
            MESSAGES["frame_failed"].format(shown=shown, problem=f"{type(exc).__name__}: {exc}"),
            ha="center",
            va="center",
            wrap=True,
            fontsize=text_size(),
        )
        return True
    if positions:
        if len(fig.axes) != len(positions):
            return False
        for ax, bounds in zip(fig.axes, positions, strict=True):  # and any axes `plot_fn` added
            ax.set_position(bounds)
    return True


def _to_png(fig, *, quantize: bool) -> bytes:
    """The figure as PNG bytes: the same picture always gives the same bytes."""
    from PIL import Image

    image = _image(fig)
    out = io.BytesIO()
    if quantize:
        # a 256-colour palette keeps line plots sharp at a fraction of the size
        image = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        image.save(out, format="PNG", optimize=True)
    else:
        image.save(out, format="PNG", compress_level=1)  # fast to make, for a picture that is only shown once
    return out.getvalue()


def _image(fig):
    from PIL import Image

    return Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba())


# --- the explorer ---------------------------------------------------------------------

_seen_ids: dict[str, int] = {}


class Explorer:
    """What `explore` returns: displays as live sliders in Jupyter and as static ones on the site."""

    def __init__(self, plot_fn, sliders: dict, fixed: dict, canvas: Canvas, alt: str, title: str | None):
        self.plot_fn = plot_fn
        self.sliders = sliders
        self.fixed = fixed
        self.canvas = canvas
        self.alt = alt
        self.title = title
        self.id = self._stable_id()
        self.style = _style_now()
        self._widget = None
        self._site_files: dict[Path, list[tuple[str, str]]] = {}  # frames folder -> names drawn there
        self._text_px: dict[Path, float | None] = {}  # frames folder -> smallest text of its frames

    # identity -----------------------------------------------------------------
    def _identity(self) -> str:
        return json.dumps(
            {
                "fn": _describe_callable(self.plot_fn),
                "sliders": {k: s.describe() for k, s in self.sliders.items()},
                "fixed": {k: _describe_fixed(v) for k, v in sorted(self.fixed.items())},
                "canvas": repr(self.canvas),
            },
            sort_keys=True,
        )

    def _stable_id(self) -> str:
        """An id that depends on what is explored, not on memory addresses or time."""
        digest = hashlib.sha256(self._identity().encode()).hexdigest()[:10]
        count = _seen_ids.get(digest, 0)  # the same explorer twice on a page gets two ids
        _seen_ids[digest] = count + 1
        return f"nudge-ex-{digest}" + (f"-{count}" if count else "")

    # grid ---------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(s.values) for s in self.sliders.values())

    def grid(self):
        """Every combination of slider values, first slider slowest (row-major)."""
        names = list(self.sliders)
        for combo in itertools.product(*(s.values for s in self.sliders.values())):
            yield dict(zip(names, combo, strict=True))

    def default_values(self) -> dict:
        return {name: s.values[s.default_index()] for name, s in self.sliders.items()}

    @functools.cached_property
    def positions(self) -> list[tuple]:
        """The axes' places in the first frame: every other frame keeps them (no jitter, and faster)."""
        with self._in_style():
            return layout_of(self.plot_fn, {**self.fixed, **self.default_values()}, self.canvas)

    @contextlib.contextmanager
    def _in_style(self):
        """matplotlib's settings as they were when the explorer was made, for every frame it draws.

        A frame drawn later (a slider moved after a cell changed the style) looks like the
        frames the site drew when the explorer was made.
        """
        import matplotlib

        if _style_now() == self.style:
            yield
        else:
            with matplotlib.rc_context(self.style):
                yield

    def _canvas(self, pixel_ratio: int) -> Canvas:
        return dataclasses.replace(self.canvas, dpi=pixel_ratio * self.canvas.dpi)

    def describe(self) -> str:
        """How an error names this explorer: its id, plot function and title."""
        title = f", {self.title!r}" if self.title else ""
        return f"explorer {self.id} ({_describe_callable(self.plot_fn)}{title})"

    def frame(self, values: dict, *, pixel_ratio: int = 1, quantize: bool = True, strict: bool | None = None) -> bytes:
        """The PNG at `values`, with `pixel_ratio` image pixels per CSS pixel of the figure.

        `strict` (default: `settings.strict_frames()`) makes a failure a FrameError.
        """
        with self._failures(values, strict) as strict, self._in_style():
            return draw(
                self.plot_fn,
                {**self.fixed, **values},
                self._canvas(pixel_ratio),
                quantize=quantize,
                positions=self.positions,
                strict=strict,
            )

    def site_frame(self, values: dict) -> tuple[bytes, bytes]:
        """The frame at `values` for the site, as WebP bytes in two sizes (see `nudge.frames`)."""
        return self._site_frame(values)[:2]

    def _site_frame(self, values: dict) -> tuple[bytes, bytes, float | None]:
        """`site_frame`, and its smallest text in CSS px (`nudge.style.smallest_text_px`)."""
        with self._failures(values, True), self._in_style():
            fig = _drawn(self.plot_fn, {**self.fixed, **values}, self._canvas(2), self.positions, True)
            return (*encode_frame(_image(fig)), smallest_text_px(fig, self.canvas.dpi))

    @contextlib.contextmanager
    def _failures(self, values: dict, strict: bool | None):
        strict = settings.strict_frames() if strict is None else strict
        try:
            yield strict
        except Exception as exc:
            if not strict:
                raise
            shown = ", ".join(f"{name}={value!r}" for name, value in values.items())
            problem = f"{type(exc).__name__}: {exc}"
            raise FrameError(f"{self.describe()} could not draw its frame at {shown}: {problem}") from exc

    def frames(self, grid: list[dict]) -> list[tuple[bytes, bytes]]:
        """Draw every grid point for the site, on all cores where the platform can fork."""
        return [drawn[:2] for drawn in self._frames(grid)]

    def _frames(self, grid: list[dict]) -> list[tuple[bytes, bytes, float | None]]:
        """`frames`, each with its smallest text."""
        workers = min(os.cpu_count() or 1, 8)
        _ = self.positions  # solved once here, not in every frame (or child)
        if workers < 2 or len(grid) < 8 or "fork" not in multiprocessing.get_all_start_methods():
            return [self._site_frame(values) for values in grid]
        global _FORKED
        _FORKED = self  # children inherit it: notebook-defined functions need no pickling
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                return pool.map(_draw_forked, grid, chunksize=max(1, len(grid) // (4 * workers)))
        finally:
            _FORKED = None

    def site_files(self, frames_dir: str | os.PathLike) -> list[tuple[str, str]]:
        """Draw every grid point into `frames_dir` (once per explorer); return the (1x, 2x) file names.

        When the build keeps a cache (`NUDGE_FRAME_CACHE`) and nothing that could change a
        picture has changed since the last build, the names are read back instead of redrawn.
        """
        frames_dir = Path(frames_dir)
        if frames_dir not in self._site_files:
            frames_dir.mkdir(parents=True, exist_ok=True)
            names, self._text_px[frames_dir] = self._frame_files(frames_dir, list(self.grid()))
            self._site_files[frames_dir] = names
        return self._site_files[frames_dir]

    def _frame_files(self, frames_dir: Path, grid: list[dict]) -> tuple[list[tuple[str, str]], float | None]:
        """The (1x, 2x) file names of every frame, and the smallest text any of them shows."""
        key = _cache_key(self)
        cache_dir = settings.frame_cache()
        manifest = cache_dir / f"{key}.json" if key and cache_dir else None
        if manifest is not None and manifest.is_file():
            cached = json.loads(manifest.read_text())
            names = [tuple(pair) for pair in cached.get("names", [])] if isinstance(cached, dict) else []
            if len(names) == len(grid) and all((frames_dir / name).is_file() for pair in names for name in pair):
                return names, cached.get("text_px")
        started = time.perf_counter()
        drawn = self._frames(grid)
        names = [tuple(write_frame(frames_dir, data) for data in frame[:2]) for frame in drawn]
        text_px = min((frame[2] for frame in drawn if frame[2] is not None), default=None)
        if manifest is not None:
            manifest.parent.mkdir(parents=True, exist_ok=True)
            manifest.write_text(json.dumps({"names": names, "text_px": text_px}))
        if timings := settings.frame_timings():  # for `make bench`
            with open(timings, "a") as log:
                seconds = time.perf_counter() - started
                print(json.dumps({"id": self.id, "frames": len(grid), "seconds": round(seconds, 3)}), file=log)
        return names, text_px

    def alt_text(self, values: dict) -> str:
        readout = ", ".join(self.readout(name, v) for name, v in values.items())
        return f"{self.alt} ({readout})"

    def readout(self, name: str, value) -> str:
        slider = self.sliders[name]
        return f"{i18n.gettext(slider.label or name)} = {slider.format(value)}"

    # the static face ------------------------------------------------------------
    def manifest(self, frames_dir: str | os.PathLike | None = None, url_prefix: str = "") -> Manifest:
        """The explorer as its front end reads it (`nudge.frames`): sliders, size and, with `frames_dir`, frames.

        With `frames_dir`, every grid point is drawn and written there (named by content hash),
        and referenced as `url_prefix + name`.
        """
        width, height = (round(d * self.canvas.dpi) for d in self.canvas.figsize)
        controls = tuple(
            Control(
                name,
                i18n.gettext(s.label or name),
                tuple(map(functools.partial(self.readout, name), s.values)),
                s.default_index(),
            )
            for name, s in self.sliders.items()
        )
        manifest = Manifest(self.id, self.shape, controls, width, height, self.title or "")
        if frames_dir is None:
            return manifest
        files = self.site_files(frames_dir)
        return dataclasses.replace(
            manifest,
            text_px=self._text_px[Path(frames_dir)],
            frames=tuple(url_prefix + one for one, _ in files),
            frames_2x=tuple(url_prefix + two for _, two in files),
            alts=tuple(self.alt_text(values) for values in self.grid()),
            sizes=tuple((Path(frames_dir) / one).stat().st_size for one, _ in files),
            sizes_2x=tuple((Path(frames_dir) / two).stat().st_size for _, two in files),
        )

    def static_html(self, frames_dir: str | os.PathLike | None = None, url_prefix: str = "") -> str:
        """The figure with its first picture and its manifest; the front end adds the sliders.

        Without `frames_dir`, the notebook's face, the same however the notebook is run: the first
        frame inlined, and a caption saying to run the notebook (a preview, which shows as it is when
        the notebook is opened again). With it, the face on the website (`nudge.frames.site_figure`),
        whose frames are files in `frames_dir`.
        """
        if frames_dir is not None:
            return site_figure(self.manifest(frames_dir), url_prefix)
        start = self.default_values()
        with self._failures(start, None) as strict, self._in_style():
            fig = _drawn(self.plot_fn, {**self.fixed, **start}, self._canvas(1), self.positions, strict)
            # the preview's own smallest text (the site's manifest has every frame's)
            manifest = dataclasses.replace(self.manifest(), text_px=smallest_text_px(fig, self.canvas.dpi))
            png = base64.b64encode(_to_png(fig, quantize=True)).decode()
        alt = html.escape(self.alt_text(start))
        size = f'width="{manifest.width}" height="{manifest.height}"'
        image = f'<img class="nudge-frame" src="data:image/png;base64,{png}" {size} alt="{alt}">'
        return figure_html(manifest, f"{image}<figcaption>{html.escape(preview_caption(self.title))}</figcaption>")

    # the live face -------------------------------------------------------------
    def live_view(self):
        """The live face (`nudge.live.LiveView`): a slider per parameter over the same grid, and an image."""
        if self._widget is None:
            from nudge.live import LiveView  # ipywidgets is imported only where a widget is shown

            self._widget = LiveView(self)
        return self._widget

    def widget(self):
        """The live face's widget (`nudge.web.ExplorerWidget`)."""
        return self.live_view().widget

    def _repr_mimebundle_(self, include=None, exclude=None):
        from nudge.web import with_widget

        # deterministic plain text (the widget's repr carries a random model id)
        return with_widget(self.widget(), self.static_html(), f"Explorer {self.id}: {', '.join(self.sliders)}")

    def __repr__(self) -> str:
        return f"<Explorer {self.id} sliders={list(self.sliders)} frames={math.prod(self.shape)}>"


_FORKED: Explorer | None = None


def _draw_forked(values: dict) -> tuple[bytes, bytes, float | None]:
    return _FORKED._site_frame(values)


def _style_now() -> dict:
    """matplotlib's settings that can change a picture: all but the backend's."""
    import matplotlib

    params = matplotlib.rcParams  # its backend is left unread: reading it may choose one
    return {name: params[name] for name in params if name not in ("backend", "backend_fallback", "interactive")}


#: libraries whose version can change a picture: drawing, encoding, and the mathematics plotted
PICTURE_LIBRARIES = ("matplotlib", "pillow", "numpy", "sympy")


def package_digest(root: str | os.PathLike | None = None) -> str:
    """Hash of every file of the `nudge` package (subpackages and data included): any may change a picture."""
    root = Path(root or Path(__file__).parent)
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _cache_key(explorer: Explorer) -> str | None:
    """What the frames depend on: the explorer, its style, every cell run so far, the package, the libraries.

    A plot function may read any global the notebook made before it, so the key covers the
    source of every cell executed so far in this kernel (notebooks are deterministic). Outside
    IPython there is no such history, and nothing is cached.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    history = getattr(shell, "user_ns", {}).get("In") if shell is not None else None
    if not history:
        return None
    from importlib.metadata import version

    parts = [explorer._identity(), repr(sorted(explorer.style.items())), package_digest()]
    parts.extend(f"{name}=={version(name)}" for name in PICTURE_LIBRARIES)
    parts.extend(history)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


def explore(
    plot_fn: Callable,
    *,
    figsize: tuple = BOOK_RC["figure.figsize"],
    ncols: int = 1,
    nrows: int = 1,
    alt: str | None = None,
    title: str | None = None,
    **params,
) -> Explorer:
    """Sliders for every `Lin`/`Log`/`Values` parameter; other parameters are passed as they are.

    `plot_fn(ax, **values)` draws on `ax` (a sequence of axes when `ncols > 1` or `nrows > 1`: side by
    side, or stacked, which keeps each panel's text readable on a phone).
    `alt` describes the picture for readers who can't see it; the slider values are added.

    >>> from nudge import Lin, Log
    >>> ex = explore(lambda ax, a, b: None, a=Lin(0, 1, 3), b=Log(1, 100, 3), alt="nothing")
    >>> ex.shape
    (3, 3)
    >>> explore(lambda ax, a: None, a=Lin(0, 1, 201))
    Traceback (most recent call last):
    ...
    ValueError: explore: 201 frames (a: 201) is more than the 200 an explorer may have; use fewer steps
    """
    if not callable(plot_fn):
        raise TypeError(f"explore: expected a plotting function plot_fn(ax, ...), got {describe(plot_fn)}")
    sliders = {k: v for k, v in params.items() if isinstance(v, Slider)}
    fixed = {k: v for k, v in params.items() if not isinstance(v, Slider)}
    if not sliders:
        raise ValueError("explore: give at least one slider, e.g. x=Lin(-3, 3, 25)")
    count = math.prod(len(s.values) for s in sliders.values())
    if count > MAX_FRAMES:
        sizes = " x ".join(f"{k}: {len(s.values)}" for k, s in sliders.items())
        raise ValueError(
            f"explore: {count} frames ({sizes}) is more than the {MAX_FRAMES} an explorer may have; use fewer steps"
        )
    ncols = require_number(ncols, who="explore", name="ncols (the number of axes)", example="2", whole=True, minimum=1)
    nrows = require_number(
        nrows, who="explore", name="nrows (the number of stacked axes)", example="2", whole=True, minimum=1
    )
    canvas = Canvas(figsize=tuple(figsize), ncols=ncols, nrows=nrows)
    alt = alt or f"Plot drawn by {getattr(plot_fn, '__name__', 'the explorer')}"
    # in a translated edition's notebook, its words in the reader's language (`nudge.i18n`)
    alt, title = i18n.gettext(alt), title and i18n.gettext(title)
    explorer = Explorer(plot_fn, sliders, fixed, canvas, alt, title)
    if frames_dir := settings.frames_dir():
        # the book build draws every frame here, in the cell that made the explorer: a frame that
        # fails stops the build there (an error raised while the output is displayed would only
        # be printed into the page); the build puts the manifest left beside them into the page
        write_site_manifest(frames_dir, explorer.manifest(frames_dir))
    return explorer


__all__ = ["explore", "Explorer", "FrameError", "draw", "MAX_FRAMES", "FRAMES_ENV"]
