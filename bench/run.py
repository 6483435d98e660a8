"""Measure how fast the book builds, tests and reads; print a table and write it as JSON.

Usage: make bench      (or: .venv/bin/python -m bench.run [--quick])

Everything runs on a fresh clone of the current commit in a temporary folder (sharing this
checkout's .venv and node_modules), so nothing here is disturbed. Shared machines are noisy:
each figure comes with a baseline measured in the same run (a bare `jupyter-book create`
book) and "before" variants of each speed-up, and it is their ratios that mean something.
Benchmarks report; no test asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.clone import shared_clone

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
#: make in a clone sharing this checkout's .venv and node_modules: their set-up is taken as done
MAKE = ["make", "-o", ".venv/bin/.installed", "-o", "node_modules/.installed"]
RESULTS = ROOT / "bench" / "results"


def run(cmd, cwd, env=None, check=True) -> float:
    """Run a command quietly; return its wall time in seconds."""
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if check and done.returncode != 0:
        sys.exit(f"bench: `{' '.join(map(str, cmd))}` failed in {cwd}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds


def fresh_clone(where: Path) -> Path:
    book = shared_clone(where / "book")
    # the clone's own package must win in every process the clone's builds start (kernels too)
    os.environ["PYTHONPATH"] = str(book)
    return book


def baseline_build(where: Path) -> float:
    """A bare `jupyter-book create` template, built the same way: the yardstick for the machine."""
    run([BIN / "jupyter-book", "create", "baseline"], cwd=where)
    return run([BIN / "jupyter-book", "build", "baseline", "--builder", "html"], cwd=where)


def executed_times(log: str) -> dict[str, float]:
    return {
        Path(path).name: float(seconds)
        for path, seconds in re.findall(r"(\S+\.ipynb): Executed notebook in ([\d.]+) seconds", log)
    }


def build_times(book: Path, timings: Path) -> dict:
    shutil.rmtree(book / "_build", ignore_errors=True)
    env = {"NUDGE_FRAME_TIMINGS": str(timings)}
    out = {"clean_build_s": run([*MAKE, "book"], book, env)}
    out["executed_s"] = executed_times((book / "_build" / "book.log").read_text())
    out["no_change_rebuild_s"] = run([*MAKE, "book"], book)
    chapter = sorted((book / "chapters").glob("*.ipynb"))[0]
    chapter.touch()
    out["touch_one_chapter_rebuild_s"] = run([*MAKE, "book"], book)
    # an edit to a chapter's last code cell: the notebook is executed again, but the explorers
    # above the edit reuse their frames
    edit_last_code_cell(chapter, "\n# bench: an edit")
    out["edit_last_cell_rebuild_s"] = run([*MAKE, "book"], book, env)
    out["edit_last_cell_executed_s"] = executed_times((book / "_build" / "book.log").read_text())
    subprocess.run(["git", "checkout", "-q", "--", str(chapter)], cwd=book, check=True)
    return out


def edit_last_code_cell(path: Path, text: str) -> None:
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    [c for c in notebook.cells if c.cell_type == "code"][-1].source += text
    nbformat.write(notebook, path)


def before_caches(book: Path) -> dict:
    """The same touch-and-edit rebuilds with execution forced and no frame cache: the 'before'."""
    config = book / "_config.yml"
    original = config.read_text()
    config.write_text(original.replace("execute_notebooks: cache", "execute_notebooks: force"))
    chapter = sorted((book / "chapters").glob("*.ipynb"))[0]
    out = {}
    try:
        run([*MAKE, "book"], book)  # the config changed: a full build, to start level
        edit_last_code_cell(chapter, "\n# bench: an edit")
        shutil.rmtree(book / "_build" / "nudge-frame-cache", ignore_errors=True)
        out["edit_last_cell_rebuild_no_caches_s"] = run([*MAKE, "book"], book)
        out["edit_last_cell_no_caches_executed_s"] = executed_times((book / "_build" / "book.log").read_text())
    finally:
        config.write_text(original)
        subprocess.run(["git", "checkout", "-q", "--", str(chapter)], cwd=book, check=True)
    run([*MAKE, "book"], book)  # leave a build of the committed book for the page weights
    return out


def test_parts(book: Path) -> dict:
    py = str(BIN / "python")
    return {
        "lint_s": run([*MAKE, "lint"], book),
        # the Makefile's rules, whose markers and flags are defined there once
        "unit_s": run([*MAKE, "unit"], book),
        # the Makefile's nbval rule (its flags are defined there once); JOBS=0: one process
        "nbval_s": run([*MAKE, "nbval"], book),
        "nbval_serial_s": run([*MAKE, "nbval", "JOBS=0"], book),
        "book_tests_s": run([py, "-m", "pytest", "-q", "-m", "book", "tests"], book),
        "browser_tests_s": run([py, "-m", "pytest", "-q", "-n", "2", "-m", "browser", "tests"], book),
    }


def explorers(book: Path, timings: Path) -> list[dict]:
    from nudge.frames import read_manifests

    site = book / "_build" / "html"
    seconds = {}
    if timings.exists():
        for line in timings.read_text().splitlines():
            record = json.loads(line)
            seconds[record["id"]] = record["seconds"]
    rows = []
    for page in sorted(site.rglob("*.html")):
        for manifest in read_manifests(page.read_text()):
            one = {(page.parent / src).resolve() for src in manifest.frames}
            two = {(page.parent / src).resolve() for src in manifest.frames_2x}
            rows.append(
                {
                    "page": str(page.relative_to(site)),
                    "id": manifest.id,
                    "frames": len(manifest.frames),
                    "distinct": len(one),
                    "bytes": sum(f.stat().st_size for f in one),
                    "bytes_2x": sum(f.stat().st_size for f in two),
                    "precompute_s": seconds.get(manifest.id),
                }
            )
    return rows


def frame_variants() -> dict:
    """One explorer drawn serially and on all cores; bytes of its site frames and of unquantised PNG."""
    code = r"""
import json, time, os
from nudge import Lin, Log, explore
from nudge.explorer import draw
from nudge.plots import plot_secant
import nudge; nudge.use_book_style()
ex = explore(plot_secant, f=lambda x: x**3, df=lambda x: 3 * x**2, x=Lin(-2, 2, 17), eps=Log(1e-3, 1, 7),
             xlim=(-2.5, 3.5), ylim=(-10, 20))
grid = list(ex.grid())
t = time.perf_counter(); pooled = ex.frames(grid); t_pool = time.perf_counter() - t
t = time.perf_counter(); serial = [ex.site_frame(v) for v in grid]; t_serial = time.perf_counter() - t
raw = [draw(ex.plot_fn, {**ex.fixed, **v}, ex.canvas, quantize=False) for v in grid[:20]]
# the WebP encoder's effort: what the site uses (nudge.frames) against the effort 50 it used before
import io, PIL.Image
from nudge.explorer import Canvas, _drawn, _image
sharp = Canvas(ex.canvas.figsize, ex.canvas.ncols, 2 * ex.canvas.dpi)
pictures = [_image(_drawn(ex.plot_fn, {**ex.fixed, **v}, sharp, ex.positions, True)).convert("RGB") for v in grid[:20]]
def encode(quality):
    started, size = time.perf_counter(), 0
    for picture in pictures:
        for image in (picture.reduce(2), picture):
            out = io.BytesIO()
            palette = image.quantize(colors=256, method=PIL.Image.Quantize.FASTOCTREE, dither=PIL.Image.Dither.NONE)
            palette.convert("RGB").save(out, format="WEBP", lossless=True, method=2, quality=quality, exact=True)
            size += len(out.getvalue())
    return (time.perf_counter() - started) / len(pictures), size / len(pictures)
encode(0)  # warm
efforts = {str(q): dict(zip(("seconds", "bytes"), encode(q))) for q in (50, 25, 0, 50, 25, 0)}
print(json.dumps({"frames": len(grid), "cores": os.cpu_count(), "pooled_s": t_pool, "serial_s": t_serial,
                  "site_bytes_per_frame": sum(len(one) for one, _ in serial[:20]) / 20,
                  "site_2x_bytes_per_frame": sum(len(two) for _, two in serial[:20]) / 20,
                  "unquantised_bytes_per_frame": sum(map(len, raw)) / 20, "webp_effort": efforts}))
"""
    done = subprocess.run([BIN / "python", "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def live_latency() -> dict:
    """Median of 50 slider changes: callback in, Image widget updated (ipywidgets' own event path)."""
    code = r"""
import json, statistics
import numpy as np
from nudge import Lin, Log, explore
from nudge.plots import plot_secant
import nudge; nudge.use_book_style()

def make():
    ex = explore(plot_secant, f=lambda x: x**3, df=lambda x: 3 * x**2, x=Lin(-2, 2, 17), eps=Log(1e-3, 1, 7),
                 xlim=(-2.5, 3.5), ylim=(-10, 20))
    return ex.live_view()

rng = np.random.default_rng(0)
moves = [(int(rng.integers(17)), int(rng.integers(7))) for _ in range(50)]

def drive(view):
    times = []
    for x, eps in moves:
        if view.index() == (x, eps):
            continue
        if view.index()[0] != x:
            view.move(x=x)
            times.append(view.last_update_seconds)
        if view.index()[1] != eps:
            view.move(eps=eps)
            times.append(view.last_update_seconds)
    return times

cold = make()
cold.draw_ahead = False  # no drawing ahead: every new grid point is drawn when the slider reaches it
cold_times = drive(cold)
misses = [t for t in cold_times if t > 0.005]
warm = make()
warm.draw_rest()  # as the kernel's event loop does, a frame at a time, after the first move
warm_times = drive(warm)
print(json.dumps({"grid": 17 * 7, "cold_median_ms": 1e3 * statistics.median(cold_times),
                  "cold_miss_median_ms": 1e3 * statistics.median(misses),
                  "warm_median_ms": 1e3 * statistics.median(warm_times), "changes": len(warm_times)}))
"""
    done = subprocess.run([BIN / "python", "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def page_weights(book: Path) -> list[dict]:
    """What loading each page fetches, on the wire (gzip) and raw: the measurement the tests make."""
    done = subprocess.run(
        [BIN / "python", "-m", "tools.browser", "_build/html"], cwd=book, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def site_size(book: Path) -> int:
    return sum(p.stat().st_size for p in (book / "_build" / "html").rglob("*") if p.is_file())


def print_table(results: dict) -> None:
    b = results["build"]
    base = results["baseline_build_s"]
    print("\n== build (seconds; ratio to a bare jupyter-book template build in the same run) ==")
    print(f"baseline template build      {base:7.1f}")
    for key in ("clean_build_s", "no_change_rebuild_s", "touch_one_chapter_rebuild_s", "edit_last_cell_rebuild_s"):
        print(f"{key:<29}{b[key]:7.1f}   x{b[key] / base:5.1f}")
    if "edit_last_cell_rebuild_no_caches_s" in results.get("before", {}):
        before = results["before"]["edit_last_cell_rebuild_no_caches_s"]
        print(f"  before (force, no frame cache){before:6.1f}   x{before / base:5.1f}")
    print("\n== notebook execution in the clean build (s) ==")
    for name, seconds in sorted(b["executed_s"].items()):
        print(f"{name:<35}{seconds:7.1f}")
    if "tests" in results:
        print("\n== make test, by part (s) ==")
        for key, seconds in results["tests"].items():
            print(f"{key:<29}{seconds:7.1f}")
    print("\n== explorers ==")
    print(f"{'page':<34}{'id':<26}{'frames':>7}{'KB':>8}{'2x KB':>8}{'draw s':>8}")
    for row in results["explorers"]:
        seconds = "" if row["precompute_s"] is None else f"{row['precompute_s']:.1f}"
        sizes = f"{row['bytes'] / 1e3:>8.0f}{row['bytes_2x'] / 1e3:>8.0f}"
        print(f"{row['page']:<34}{row['id']:<26}{row['frames']:>7}{sizes}{seconds:>8}")
    f = results["frames"]
    print(
        f"frames of one {f['frames']}-frame explorer: serial {f['serial_s']:.1f} s, on {f['cores']} cores"
        f" {f['pooled_s']:.1f} s; PNG {f['unquantised_bytes_per_frame'] / 1e3:.1f} KB -> site WebP"
        f" {f['site_bytes_per_frame'] / 1e3:.1f} KB (2x: {f['site_2x_bytes_per_frame'] / 1e3:.1f} KB)"
    )
    for quality, row in f.get("webp_effort", {}).items():
        print(
            f"  WebP effort {quality:>2}: {row['seconds'] * 1e3:.1f} ms to encode a frame's 1x + 2x,"
            f" {row['bytes'] / 1e3:.1f} KB" + {"25": "  (the site's)", "50": "  (before)"}.get(quality, "")
        )
    live = results["live"]
    print(
        f"\n== live explorer ({live['grid']} grid points) == median of {live['changes']} slider changes:"
        f" {live['warm_median_ms']:.2f} ms after drawing ahead; without it {live['cold_median_ms']:.1f} ms"
        f" (new grid points alone: {live['cold_miss_median_ms']:.1f} ms)"
    )
    print("\n== page weight on load (MB) ==")
    for row in results["pages"]:
        raw, packed = row["raw_bytes"] / 1e6, row["gzip_bytes"] / 1e6
        print(f"{row['page']:<40}{raw:6.2f} raw {packed:6.2f} gzip  {row['requests']:>3} requests")
    print(f"site total {results['site_bytes'] / 1e6:.1f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the test-suite timings and the 'before' builds")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    results = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="nudge-bench-") as tmp:
        tmp = Path(tmp)
        print("bench: baseline template build ...", flush=True)
        results["baseline_build_s"] = baseline_build(tmp)
        book = fresh_clone(tmp)
        results["commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=book, capture_output=True, text=True
        ).stdout.strip()
        timings = tmp / "frame-timings.jsonl"
        print("bench: builds (clean, no change, touch, edit) ...", flush=True)
        results["build"] = build_times(book, timings)
        results["explorers"] = explorers(book, timings)
        if not args.quick:
            print("bench: the same edit without the caches ...", flush=True)
            results["before"] = before_caches(book)
            print("bench: make test, part by part ...", flush=True)
            results["tests"] = test_parts(book)
        print("bench: frames, live latency, page weights ...", flush=True)
        results["frames"] = frame_variants()
        results["live"] = live_latency()
        results["pages"] = page_weights(book)
        results["site_bytes"] = site_size(book)
        results["engine"] = subprocess.run(
            [BIN / "python", "-m", "bench.engine"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    out = RESULTS / f"bench-{results['when'].replace(':', '')}.json"
    out.write_text(json.dumps(results, indent=2))
    print_table(results)
    print(results["engine"])
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
