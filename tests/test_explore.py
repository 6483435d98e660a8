"""`explore`: one output, two faces; the static face has one frame per grid point."""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from nudge import Lin, Log, Values, explore
from nudge.explorer import FRAMES_ENV, MAX_FRAMES, MESSAGES, FrameError, draw
from nudge.frames import FRAME_SUFFIX, FRAMES_URL_DIR, SCHEMA_VERSION, read_manifests, site_faces
from nudge.style import BOOK_RC
from pages import front_end_page
from tools.site import serving

WIDGET = "application/vnd.jupyter.widget-view+json"


def line(ax, slope, shift=0.0):
    xs = np.linspace(-1, 1, 5)
    ax.plot(xs, slope * xs + shift)
    ax.set_ylim(-3, 3)


class Tags(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self, text):
        super().__init__()
        self.tags = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, tag):
        return [attrs for t, attrs in self.tags if t == tag]


def png_size(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


def test_mimebundle_carries_the_live_widget_and_the_static_fallback(monkeypatch):
    monkeypatch.delenv(FRAMES_ENV, raising=False)
    bundle = explore(line, slope=Lin(-2, 2, 5), alt="a line")._repr_mimebundle_()
    assert WIDGET in bundle and bundle[WIDGET]["model_id"]
    # without a frames folder the fallback is a preview: the first frame inline, and how to get sliders
    tags = Tags(bundle["text/html"])
    assert tags.all("img")[0]["src"].startswith("data:image/png;base64,")
    assert not tags.all("input") and MESSAGES["preview"] in bundle["text/html"]
    assert bundle["text/plain"].startswith("Explorer nudge-ex-")


#: an explorer's picture by default, in CSS px: the book's figure size (`nudge.style`); 2x frames: twice
WIDTH, HEIGHT = (round(d * BOOK_RC["figure.dpi"]) for d in BOOK_RC["figure.figsize"])


def test_static_face_has_one_frame_per_grid_point_and_valid_ids(tmp_path):
    ex = explore(line, slope=Lin(-2, 2, 5), shift=Values([0, 1, 2]), alt="a line", title="Lines")
    text = ex.static_html(tmp_path, url_prefix="../nudge-frames/")
    tags = Tags(text)
    [manifest] = read_manifests(text)
    assert json.loads(tags.all("figure")[0]["data-nudge"])["version"] == SCHEMA_VERSION
    assert manifest.shape == (5, 3)
    assert len(manifest.frames) == len(manifest.frames_2x) == len(manifest.alts) == 15
    urls = manifest.frames + manifest.frames_2x
    assert all(src.startswith("../nudge-frames/") and src.endswith(FRAME_SUFFIX) for src in urls)
    # every frame is on disk in two sizes; different slopes draw different pictures
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert {src.rsplit("/", 1)[1] for src in urls} == set(files)
    assert len(files) == 30
    assert {png_size(data) for data in files.values()} == {(WIDTH, HEIGHT), (2 * WIDTH, 2 * HEIGHT)}
    assert {png_size(files[src.rsplit("/", 1)[1]]) for src in manifest.frames_2x} == {(2 * WIDTH, 2 * HEIGHT)}
    # the alt text of each frame names its slider values, in row-major order
    assert manifest.alts[0] == "a line (slope = -2, shift = 0)"
    assert manifest.alts[4] == "a line (slope = -1, shift = 1)"
    # the figure's id is a valid HTML id; its sliders, for the front end, start in the middle
    assert re.fullmatch(r"[A-Za-z][\w-]*", tags.all("figure")[0]["id"])
    assert [(c.name, len(c.readouts), c.index) for c in manifest.controls] == [("slope", 5, 2), ("shift", 3, 1)]
    assert manifest.controls[0].readouts[2] == "slope = 0"  # the middle of an odd linear range
    # the first frame is baked into <img src>, so it shows without JavaScript, sharp where the screen is
    flat = 2 * 3 + 1  # middle slope, middle shift
    image = tags.all("img")[0]
    assert image["src"] == manifest.frames[flat]
    assert image["srcset"] == f"{manifest.frames[flat]} {WIDTH}w, {manifest.frames_2x[flat]} {2 * WIDTH}w"
    assert "<figcaption>Lines</figcaption>" in text


def test_ids_are_stable_across_runs_and_distinct_for_repeats():
    module = importlib.import_module("nudge.explorer")

    module._seen_ids.clear()
    first = [explore(line, slope=Lin(-2, 2, 5)).id, explore(line, slope=Lin(-2, 2, 5)).id]
    module._seen_ids.clear()
    again = [explore(line, slope=Lin(-2, 2, 5)).id, explore(line, slope=Lin(-2, 2, 5)).id]
    assert first == again
    assert first[0] != first[1] and first[1].startswith(first[0])
    assert explore(line, slope=Lin(-2, 2, 6)).id.split("-")[2] != first[0].split("-")[2]


def test_an_explorer_run_for_the_book_shows_its_preview_and_leaves_the_site_its_frames(tmp_path, monkeypatch):
    frames_dir = tmp_path / FRAMES_URL_DIR
    importlib.import_module("nudge.explorer")._seen_ids.clear()
    bundle = explore(line, slope=Lin(-1, 1, 3))._repr_mimebundle_()
    monkeypatch.setenv(FRAMES_ENV, str(frames_dir))
    importlib.import_module("nudge.explorer")._seen_ids.clear()  # the same explorer, in a notebook run again
    ex = explore(line, slope=Lin(-1, 1, 3))
    assert ex._repr_mimebundle_()["text/html"] == bundle["text/html"]  # what nbval compares: the same
    assert len([p for p in frames_dir.iterdir() if p.is_file()]) == 6  # three frames, two sizes each
    [preview] = read_manifests(bundle["text/html"])
    assert preview.frames == ()
    [manifest] = read_manifests(site_faces(bundle["text/html"], frames_dir, f"../{FRAMES_URL_DIR}/"))
    assert manifest.id == ex.id and len(manifest.frames) == 3
    assert all(src.startswith(f"../{FRAMES_URL_DIR}/") for src in (*manifest.frames, *manifest.frames_2x))
    assert all((tmp_path / "x" / src).resolve().is_file() for src in manifest.frames)


def test_a_preview_whose_frames_were_never_drawn_is_named_in_the_error(tmp_path):
    page = explore(line, slope=Lin(-1, 1, 3)).static_html()
    with pytest.raises(FileNotFoundError, match="explorer nudge-ex-.*: no frames were drawn for it"):
        site_faces(page, tmp_path, "")


def test_drawing_is_deterministic_and_compact():
    one = draw(line, {"slope": 1.0})
    assert one == draw(line, {"slope": 1.0})
    assert one.startswith(b"\x89PNG") and len(one) < 20_000
    assert Image.open(io.BytesIO(one)).mode == "P"  # palette PNG: quantised


def fussy(ax, x):
    if x > 0:
        raise ZeroDivisionError("x must not be positive here")
    line(ax, x)


def test_a_frame_that_fails_to_draw_is_an_error_naming_explorer_values_and_exception(tmp_path):
    ex = explore(fussy, x=Lin(-1, 1, 3), title="Fussy")
    with pytest.raises(FrameError) as failure:
        ex.static_html(tmp_path)  # the site's frames: every grid point, drawn on all cores
    message = str(failure.value)
    assert ex.id in message and "fussy" in message and "'Fussy'" in message
    assert "x=1.0" in message and "ZeroDivisionError: x must not be positive here" in message
    with pytest.raises(FrameError, match="x=1.0"):
        ex.frame({"x": 1.0})  # under pytest, the frames Jupyter would show are strict as well


def test_in_a_readers_session_the_frame_says_what_went_wrong(monkeypatch):
    monkeypatch.delenv("PYTEST_CURRENT_TEST")  # as in a notebook a reader runs: no build, no test
    monkeypatch.delenv(FRAMES_ENV, raising=False)
    ex = explore(fussy, x=Lin(-1, 1, 3), value=1.0)
    bundle = ex._repr_mimebundle_()  # the default frame fails: the widget and the preview still show
    assert 'src="data:image/png;base64,' in bundle["text/html"]
    broken, fine = ex.frame({"x": 1.0}), ex.frame({"x": -1.0})
    assert broken.startswith(b"\x89PNG") and broken != fine
    assert draw(fussy, {"x": 1.0}).startswith(b"\x89PNG")


def test_a_manifest_of_another_version_is_refused_with_a_clear_message(tmp_path):
    text = explore(line, slope=Lin(-1, 1, 3)).static_html(tmp_path)
    old = text.replace(f"&quot;version&quot;: {SCHEMA_VERSION}", "&quot;version&quot;: 1")
    assert old != text
    with pytest.raises(ValueError, match=f"version 1, expected {SCHEMA_VERSION}"):
        read_manifests(old)


FAILING_CHAPTER = """from nudge import Lin, explore


def plot_reciprocal(ax, x):
    ax.plot([0, 1], [0, 1 / (x - 0.5)])  # fails at one grid point only


explore(plot_reciprocal, x=Lin(0, 1, 5), title="Reciprocal")
"""


def test_a_frame_that_fails_to_draw_fails_the_real_book_build(tmp_path):
    import nbformat

    book = tmp_path / "book"
    book.mkdir()
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FAILING_CHAPTER)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, book / "chapter.ipynb")
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapter\n")
    (book / "_config.yml").write_text(
        "title: t\nexecute:\n  execute_notebooks: force\n  allow_errors: false\n"
        "sphinx:\n  config:\n    nb_execution_raise_on_error: true\n    nb_execution_show_tb: true\n"
    )
    env = {"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "HOME": str(tmp_path)}
    env[FRAMES_ENV] = str(book / "_build" / "frames")  # as `make book` sets it
    done = subprocess.run(
        [Path(sys.executable).parent / "jupyter-book", "build", str(book), "--builder", "html", "-W", "-n"],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
    )
    log = done.stdout + done.stderr
    assert done.returncode != 0, log[-3000:]
    assert "FrameError" in log and "plot_reciprocal" in log and "'Reciprocal'" in log, log[-3000:]
    assert "x=0.5" in log and "ZeroDivisionError" in log, log[-3000:]


@pytest.mark.parametrize(
    ("spec", "error", "message"),
    [
        (lambda: Lin(1, 1, 5), ValueError, "empty"),
        (lambda: Lin(0, 1, 1), ValueError, "at least 2"),
        (lambda: Lin(0, 1, 2.0), TypeError, "expected a whole number for the number of steps, like 25, got float 2.0"),
        (lambda: Log(0, 1, 5), ValueError, "positive"),
        (lambda: Log(-1e-3, 1, 5), ValueError, "positive"),
        (lambda: Log(1e-3, float("inf"), 5), ValueError, "finite"),
        (lambda: Lin(0, "1", 5), TypeError, "Lin: expected a number for stop, like 3, got str '1'"),
        (lambda: Values([]), ValueError, "at least"),
        (lambda: Values([1, 2], value=3), ValueError, "not one of"),
        (lambda: explore(line, slope=Lin(0, 1, 15), shift=Lin(0, 1, 15)), ValueError, f"more than the {MAX_FRAMES}"),
        (lambda: explore(line), ValueError, "at least one slider"),
        (lambda: explore("line", slope=Lin(0, 1, 3)), TypeError, "plotting function .*, got str 'line'"),
        (lambda: explore(line, slope=Lin(0, 1, 3), ncols=0), ValueError, r"ncols \(the number of axes\) must be at"),
        (lambda: explore(line, slope=Lin(0, 1, 3), ncols="2"), TypeError, "expected a whole number for ncols"),
    ],
)
def test_bad_specs_raise_a_clear_error(spec, error, message):
    """The book's one input policy (`nudge.inputs`): a wrong kind is a TypeError, a wrong value a ValueError."""
    with pytest.raises(error, match=message):
        spec()


def test_live_view_redraws_on_a_slider_change_and_draws_the_rest_in_a_process_of_its_own():
    ex = explore(line, slope=Lin(-2, 2, 5), shift=Values([0, 1]))
    view = ex.live_view()
    before = view.widget.image
    assert view.ahead is None and len(view.cache) == 1  # displaying alone draws nothing ahead (nbval, the build)
    view.move(slope=4)
    assert view.widget.image != before and (4, 0) in view.cache  # the frame asked for, at once
    assert Image.open(io.BytesIO(view.widget.image)).size == (2 * WIDTH, 2 * HEIGHT)  # twice the pixels it is shown at
    view.ahead.join(timeout=60)  # the first move started drawing the rest of the grid
    assert not view.ahead.is_alive() and len(view.cache) == 10
    for key, png in view.cache.items():  # what the process sent is what the kernel draws
        assert png == view.render(key), key
    view.move(slope=2)
    assert view.widget.image == before  # back to the start: the cached frame, identical bytes
    view.move(shift=1)
    assert view.widget.image == view.cache[(2, 1)]


class FakeShell:
    """Just enough of IPython for the frame cache: the list of cell sources run so far, and the
    events pyplot hooks into when it meets a shell first."""

    def __init__(self, *cells):
        from IPython.core.events import EventManager, available_events

        self.user_ns = {"In": ["", *cells]}
        self.events = EventManager(self, available_events)


def test_unchanged_explorers_reuse_their_frames_and_changed_ones_redraw(tmp_path, monkeypatch):
    import IPython

    calls = []

    def counted(ax, slope):
        calls.append(slope)
        line(ax, slope)

    monkeypatch.setenv(FRAMES_ENV, str(tmp_path / "frames"))
    monkeypatch.setenv("NUDGE_FRAME_CACHE", str(tmp_path / "cache"))
    shell = FakeShell("import nudge", "explore(counted, slope=Lin(-1, 1, 3))")
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)

    def build():
        calls.clear()
        importlib.import_module("nudge.explorer")._seen_ids.clear()  # as in a fresh kernel
        return explore(counted, slope=Lin(-1, 1, 3)).static_html(tmp_path / "frames")

    drawn = 3 + 1  # three frames, and the first one once more to solve the layout they share
    first = build()
    assert len(calls) == drawn
    assert build() == first and calls == []  # same notebook, same package: nothing redrawn
    shell.user_ns["In"].insert(1, "data = 2")  # an earlier cell changed: the plot may read it
    assert build() == first and len(calls) == drawn
    for frame in (tmp_path / "frames").glob(f"*{FRAME_SUFFIX}"):  # frames lost from the site: drawn again
        frame.unlink()
    build()
    assert len(calls) == drawn and len(list((tmp_path / "frames").glob(f"*{FRAME_SUFFIX}"))) == 6
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)  # plain Python: no history, no cache
    build()
    build()
    assert len(calls) == drawn


def test_every_frame_keeps_the_first_frames_layout():
    from nudge.explorer import layout_of

    seen = []

    def growing(ax, top):
        growing_line(ax, top)
        seen.append(ax)

    explorer = explore(growing, top=Values([1.0, 1e6]))
    assert explorer.positions == layout_of(growing, {"top": 1.0})
    explorer.frame({"top": 1e6})
    assert [tuple(ax.get_position(original=True).bounds) for ax in seen[-1:]] == explorer.positions

    def two_panels_sometimes(axes, top):
        growing(axes, top)
        if top > 1:
            axes.figure.colorbar(axes.scatter([0], [0], c=[0]), ax=axes)  # one more axes than the first frame

    png = explore(two_panels_sometimes, top=Values([1.0, 1e6])).frame({"top": 1e6})
    assert png.startswith(b"\x89PNG")  # laid out afresh instead of failing


def test_a_reused_figure_follows_a_change_of_matplotlibs_settings():
    import matplotlib
    from PIL import Image

    from nudge.explorer import Canvas

    canvas = Canvas(dpi=20)
    draw(titled, {"top": 1.0}, canvas, quantize=False)  # a figure of this geometry now exists
    with matplotlib.rc_context({"figure.facecolor": "black"}):
        png = draw(titled, {"top": 1.0}, canvas, quantize=False)
    corner = Image.open(io.BytesIO(png)).convert("RGBA").getpixel((0, 0))
    assert corner == (0, 0, 0, 255)  # as a new figure would be under these settings


def test_a_plot_that_measures_its_axes_sees_the_place_it_is_drawn_at():
    import matplotlib

    seen = []

    def measuring(ax, top):  # as nudge.graphs does, to fit its text into boxes
        seen.append((ax.get_position().bounds, ax.figure.get_layout_engine()))
        growing_line(ax, top)

    with matplotlib.rc_context({"figure.constrained_layout.use": True}):  # the book's style
        explorer = explore(measuring, top=Values([1.0, 1e6]))
        explorer.frame({"top": 1e6})
    bounds, engine = seen[-1]
    assert [tuple(bounds)] == explorer.positions
    assert engine is None  # the reference layout is not solved again for every frame


def growing_line(ax, top):  # tick labels get wider with `top`: a fresh layout would move the axes
    ax.plot([0, 1], [0, top])
    ax.set_ylim(0, top)


def titled(ax, top):
    ax.plot([0, 1], [0, top])
    ax.set_title(f"top = {top:g}")


def ticks_on_top(ax, top):  # matplotlib lifts the title above the top tick labels
    titled(ax, top)
    ax.xaxis.tick_top()


def offset_text(ax, top):  # the y axis' offset text ("1e6") meets a left title
    ax.plot([0, 1], [top, top + 1e-3])
    ax.set_title(f"top = {top:g}", loc="left")


def twin(ax, top):
    titled(ax, top)
    ax.twiny().set_xlabel("above")


def pink_figure(ax, top):  # changes the figure itself, which the next frame must not inherit
    titled(ax, top)
    ax.figure.set_facecolor("pink")


def fresh_picture(plot_fn, values, canvas, positions) -> bytes:
    """The frame on a new figure with matplotlib's own title placement: what reusing must equal."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=canvas.figsize, dpi=canvas.dpi, layout=None if positions else "constrained")
    FigureCanvasAgg(fig)
    plot_fn(fig.subplots(1, canvas.ncols), **values)
    for ax, bounds in zip(fig.axes, positions or [], strict=False):
        ax.set_position(bounds)
    fig.canvas.draw()
    return bytes(fig.canvas.buffer_rgba())


@pytest.mark.parametrize("plot_fn", [titled, ticks_on_top, offset_text, twin, pink_figure])
@pytest.mark.parametrize("laid_out", [False, True], ids=["constrained", "reference-layout"])
def test_frames_on_a_reused_figure_are_the_pictures_of_a_fresh_one(plot_fn, laid_out):
    from nudge.explorer import Canvas, layout_of

    def drawn(plot_fn, values, canvas, positions) -> bytes:  # `draw`'s lossless PNG, as raw RGBA
        png = draw(plot_fn, values, canvas, quantize=False, positions=positions, strict=True)
        return Image.open(io.BytesIO(png)).convert("RGBA").tobytes()

    canvas = Canvas(dpi=40)
    positions = layout_of(plot_fn, {"top": 1e6}, canvas) if laid_out else None
    for top in (1.0, 1e6, 2.5):  # the same figure serves one frame after another
        picture = drawn(plot_fn, {"top": top}, canvas, positions)
        assert picture == fresh_picture(plot_fn, {"top": top}, canvas, positions), (plot_fn.__name__, top)
    positions = layout_of(titled, {"top": 1.0}, canvas) if laid_out else None
    drawn(pink_figure, {"top": 1.0}, canvas, positions)
    after_pink = drawn(titled, {"top": 2.0}, canvas, positions)
    assert after_pink == fresh_picture(titled, {"top": 2.0}, canvas, positions)  # not pink


@pytest.fixture
def serve():
    """`serve(folder)` serves `folder` on loopback until the test ends, and gives its address."""
    with contextlib.ExitStack() as stack:
        yield lambda folder: stack.enter_context(serving(folder))


@pytest.mark.browser
def test_the_script_refuses_a_manifest_of_another_version_with_a_console_error(tmp_path, browser):
    figure = explore(line, slope=Lin(-1, 1, 3)).static_html(tmp_path, url_prefix="")
    for version, expected_errors in ((SCHEMA_VERSION, 0), (SCHEMA_VERSION + 1, 1)):
        text = figure.replace(f"&quot;version&quot;: {SCHEMA_VERSION}", f"&quot;version&quot;: {version}")
        name = front_end_page(tmp_path, text)
        page = browser.new_page()
        errors = []
        page.on("console", lambda msg, sink=errors: msg.type == "error" and sink.append(msg.text))
        with serving(tmp_path) as url:
            page.goto(url + name)
            page.wait_for_load_state("load")
            assert len(errors) == expected_errors, errors
            # a manifest it reads gets sliders that switch frames; one it refuses keeps its first frame alone
            if expected_errors:
                assert page.locator("input[type=range]").count() == 0
            else:
                before = page.locator("img").get_attribute("src")
                page.locator("input[type=range]").first.focus()
                page.keyboard.press("ArrowRight")
                expect(page.locator("img")).not_to_have_attribute("src", before)
        page.close()
    assert f"version {SCHEMA_VERSION + 1}" in errors[0] and f"reads version {SCHEMA_VERSION}" in errors[0]


@pytest.mark.browser
def test_frames_fetched_before_a_touch_share_the_pages_budget(tmp_path, browser, serve):
    """Two explorers scrolled past untouched fetch at most the budget; a touched one fetches all its frames."""
    first = explore(line, slope=Lin(-2, 2, 5), shift=Values([0, 1, 2]), alt="a line")
    second = explore(line, slope=Lin(-1, 1, 5), shift=Values([0, 2, 4]), alt="another line")
    figures = [ex.static_html(tmp_path) for ex in (first, second)]
    (manifest,) = read_manifests(figures[0])
    budget = sum(sorted(manifest.sizes_2x)[:4])  # a few frames (of either size), far fewer than the 28 others
    spacer = "<div style='height: 3000px'></div>"
    name = front_end_page(tmp_path, f"{spacer}{figures[0]}{spacer}{figures[1]}{spacer}")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(f"window.nudgeAheadBytes = {budget}")
    page = context.new_page()
    fetched = set()
    page.on("requestfinished", lambda request: request.url.endswith(FRAME_SUFFIX) and fetched.add(request.url))
    page.goto(serve(tmp_path) + name)
    page.wait_for_load_state("networkidle")
    shown = set(fetched)  # each explorer's first picture, in its <img>
    page.locator("figure").first.scroll_into_view_if_needed()
    page.wait_for_function(f"n => {WEBP_FETCHED} > n", arg=len(shown))  # in view: the fetching ahead begins
    page.wait_for_load_state("networkidle")
    page.locator("figure").last.scroll_into_view_if_needed()  # the budget is spent: no more before a touch
    page.wait_for_load_state("networkidle")
    ahead = fetched - shown
    spent = sum((tmp_path / Path(url).name).stat().st_size for url in ahead)
    assert ahead and spent <= budget, (len(ahead), spent, budget)
    (touched,) = read_manifests(figures[1])
    page.locator("input[type=range]").last.focus()  # touched: the second explorer fetches all its frames
    page.wait_for_function(FETCHED_ALL, arg=[list(touched.frames), list(touched.frames_2x)])
    context.close()


#: frame files the page has fetched so far, as the browser counts them
WEBP_FETCHED = "performance.getEntriesByType('resource').filter(r => r.name.endsWith('.webp')).length"
#: every frame of one size or the other of an explorer fetched (`arg`: [1x urls, 2x urls], relative)
FETCHED_ALL = """([one, two]) => {
    const got = new Set(performance.getEntriesByType('resource').map(r => r.name.split('/').pop()));
    return [one, two].some(urls => urls.every(u => got.has(u.split('/').pop())));
}"""

SAVE_DATA = "Object.defineProperty(navigator, 'connection', {value: {saveData: true, effectiveType: '4g'}})"


@pytest.mark.browser
@pytest.mark.parametrize("save_data", [False, True], ids=["fetch-ahead", "save-data"])
def test_frames_are_fetched_ahead_in_view_but_not_for_a_reader_saving_data(tmp_path, browser, save_data, serve):
    figure = explore(line, slope=Lin(-2, 2, 5), shift=Values([0, 1, 2]), alt="a line").static_html(tmp_path)
    spacer = "<div style='height: 3000px'></div>"  # the explorer starts out of view
    name = front_end_page(tmp_path, f"{spacer}{figure}")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if save_data:
        context.add_init_script(SAVE_DATA)
    page = context.new_page()
    frames = set()
    page.on("requestfinished", lambda request: request.url.endswith(FRAME_SUFFIX) and frames.add(request.url))
    page.goto(serve(tmp_path) + name)
    page.wait_for_load_state("networkidle")
    assert len(frames) == 1  # out of view: only the picture shown
    page.locator("figure").scroll_into_view_if_needed()
    expect(page.locator("input[type=range]")).to_have_count(2)  # mounted
    if not save_data:  # in view: all 15 grid points are fetched
        page.wait_for_function(f"() => {WEBP_FETCHED} >= 15")
    page.wait_for_load_state("networkidle")
    assert len(frames) == (1 if save_data else 15)  # ... and no more; a reader saving data, none
    page.locator("input[type=range]").first.focus()
    if save_data:
        page.wait_for_function(f"() => {WEBP_FETCHED} >= 5")
    page.wait_for_load_state("networkidle")
    # touched: a reader saving data gets the small files of the frame shown and of its 4 neighbours
    # (the middle of a 5 x 3 grid); at DPR 1 the first picture the browser chose for a figure never
    # wider than its frames is already the small file of the frame shown
    assert len(frames) == (5 if save_data else 15)
    context.close()
