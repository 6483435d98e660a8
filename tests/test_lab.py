"""The live face in JupyterLab: the venv's own JupyterLab (as `make lab` runs it) in headless chromium.

One chapter is opened, run, driven by keyboard, saved, closed and reopened, as a reader would;
one exercise notebook is run blank and validated with nbgrader's Validate button, as a student would.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbformat.sign import NotebookNotary
from playwright.sync_api import expect

from conftest import ROOT
from nudge.lab import WIDGET_VIEW
from pages import (
    assert_opened_unmodified,
    kernel_info_replies,
    nbgrader_meta,
    placeholder_sentence,
    visible_checks,
    wait_for_kernel_info,
)

CHAPTER = ROOT / "chapters" / "01_intuition.ipynb"
EXERCISE = ROOT / "exercises" / "ch01_intuition" / "ch01_intuition.ipynb"
#: where the lab shows them: as in the book
CHAPTER_PATH, EXERCISE_PATH = (path.relative_to(ROOT).as_posix() for path in (CHAPTER, EXERCISE))
NOTEBOOKS = sorted(
    [*ROOT.glob("chapters/*.ipynb"), *ROOT.glob("solutions/*/*.ipynb"), *ROOT.glob("exercises/*/*.ipynb")]
)
# what `make lab` writes into the venv (the Makefile's LAB_CONFIG)
LAB_CONFIG = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.d" / "nudge.json"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_kernelspec_is_what_jupyterlab_writes(path):
    """A notebook JupyterLab opens is not marked modified: its kernelspec is the kernel's own."""
    spec = KernelSpecManager().get_kernel_spec("python3")
    kernelspec = nbformat.read(path, as_version=4).metadata.kernelspec
    assert (kernelspec.name, kernelspec.display_name, kernelspec.language) == ("python3", spec.display_name, "python")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`make lab` on 127.0.0.1 with token auth, serving copies of chapter 1 and its exercises as the book has them.

    Its user settings and workspaces are kept apart from the machine's, and the copies from the repository."""
    if not LAB_CONFIG.is_file():
        pytest.fail(f"{LAB_CONFIG} is missing: `make lab` or `make test` writes it (the Makefile's LAB_CONFIG)")
    home = tmp_path_factory.mktemp("lab")
    root = home / "book"
    for notebook in (CHAPTER, EXERCISE):
        (root / notebook.parent.relative_to(ROOT)).mkdir(parents=True)
        shutil.copy(notebook, root / notebook.relative_to(ROOT))
    token, port = secrets.token_hex(16), _free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    log = open(home / "server.log", "w")
    options = (
        f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} --ServerApp.port_retries=0"
        f" --IdentityProvider.token={token}"
    )
    server = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_OPTIONS={options}", f"LAB_ROOT={root}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{(home / 'server.log').read_text()}")
                time.sleep(0.3)
        yield {"url": url, "token": token, "root": root, "log": home / "server.log", "data": home / "data"}
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # make and the JupyterLab it started
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="module")
def lab_browser(browser, lab):
    """The reader's browser for the lab: one context, whose cache keeps JupyterLab's scripts (and their compiled
    code) between the tests as a reader's browser keeps them between visits; a new context per test compiled
    JupyterLab's megabytes of JavaScript afresh each time."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context
    context.close()


@pytest.fixture
def lab_page(lab_browser, lab):
    page = lab_browser.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    page.set_default_timeout(60_000)
    yield page
    page.close()


def open_notebook(page, lab, name):
    """Open one notebook alone: `reset` leaves out the tabs an earlier test left in the workspace."""
    page.goto(f"{lab['url']}/lab/tree/{name}?reset&token={lab['token']}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    assert page.locator(".jp-NotebookPanel").count() == 1
    wait_for_idle_kernel(page)


def wait_for_idle_kernel(page):
    """Wait until the notebook's kernel is connected and idle.

    The status bar says "Idle" only then; the toolbar's execution indicator also reads idle
    before the kernel is connected, and cells run then are silently left unrun.
    """
    status = page.locator(".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator")
    page.wait_for_function(
        """el => el && el.getAttribute('data-status') === 'idle'
            && /\\| Idle/.test(document.querySelector('#jp-main-statusbar').textContent)""",
        arg=status.element_handle(),
        timeout=120_000,
    )


def run_all(page):
    command(page, "Run", "Run All Cells")
    # every code cell gets an execution count (a queued or running cell shows [*])
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=300_000,
    )
    wait_for_idle_kernel(page)


def save_notebook(page):
    """File > Save Notebook, until the server has written it (the tab's unsaved mark goes)."""
    command(page, "File", "Save Notebook")
    page.wait_for_function("() => !document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')")


def command(page, menu, item):
    """Choose `item` in the menu bar's `menu`, as a reader would."""
    page.locator(".lm-MenuBar-itemLabel").get_by_text(menu, exact=True).click()
    page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()


@pytest.mark.browser
def test_chapter_runs_live_saves_and_reopens_as_a_preview(lab_page, lab, tmp_path):
    page, started = lab_page, time.perf_counter()
    open_notebook(page, lab, CHAPTER_PATH)
    # what loading reported by the time the kernel is idle; an extension that reports later is caught at the end
    assert not page.console_errors, f"errors on load: {page.console_errors}"
    assert page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty").count() == 0, "opened as modified"
    explorers = nbformat.read(CHAPTER, as_version=4)
    plain = [o.get("data", {}).get("text/plain", "") for c in explorers.cells for o in c.get("outputs", [])]
    count = sum(text.startswith("Explorer") for text in plain)  # the chapter's explorers
    assert count >= 1

    run_all(page)
    assert page.locator(".jp-OutputArea-output", has_text="Error displaying widget").count() == 0
    stderr = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
    assert stderr.count() == 0, f"a cell wrote to stderr: {stderr.all_inner_texts()}"
    live = ".jp-OutputArea-output figure.nudge-explorer.nudge-live"
    page.wait_for_function(f"() => document.querySelectorAll('{live} img.nudge-frame[src]').length >= {count}")
    first = page.locator(live).first
    first.scroll_into_view_if_needed()
    image = first.locator("img.nudge-frame")
    # the picture is shown at the canvas size, drawn with twice its pixels (sharp, not stretched)
    shown = image.evaluate("img => [img.clientWidth, img.clientHeight, img.naturalWidth, img.naturalHeight]")
    assert shown[2] == 2 * shown[0] and abs(shown[3] - 2 * shown[1]) <= 2, shown
    slider = first.locator("input[type=range]").first
    readout = first.locator(".nudge-control output").first
    # the explorer's front end renders on its own schedule: wait for its label
    expect(first.locator(".nudge-control label").first).to_have_text("x", timeout=30_000)
    x, latencies = 1.0, []
    for key in (["ArrowLeft"] * 3 + ["ArrowRight"] * 3) * 2:  # x starts at 1 of -2..2 by 0.25: never at an end
        before = image.get_attribute("src")
        slider.focus()
        image.evaluate(
            """img => { window.nudgeNextFrame = new Promise(done => {
                const t0 = performance.now();
                new MutationObserver((_, o) => { o.disconnect(); done(performance.now() - t0); })
                    .observe(img, {attributes: true, attributeFilter: ['src']});
                setTimeout(() => done(null), 20000);
            }); }"""
        )
        page.keyboard.press(key)
        latency = page.evaluate("() => window.nudgeNextFrame")
        if latency is None:
            page.screenshot(path=tmp_path / "no-new-frame.png")
        assert latency is not None, f"{key}: no new picture within 20 s (screenshot in {tmp_path})"
        latencies.append(latency)
        assert image.get_attribute("src") != before
        # the readout, and what a screen reader announces, is the value, not the step index
        x += 0.25 if key == "ArrowRight" else -0.25
        assert readout.inner_text() == slider.get_attribute("aria-valuetext") == f"x = {x:.3g}"
    page.screenshot(path=tmp_path / "live.png")

    # a question answers in the lab as on the website: the same module, with mathjs sent by the kernel
    configs = [
        json.loads(html.unescape(match))
        for cell in explorers.cells
        for o in cell.get("outputs", [])
        for match in re.findall(r'data-nudge-question="([^"]*)"', "".join(o.get("data", {}).get("text/html", "")))
    ]
    at = next(i for i, config in enumerate(configs) if config["kind"] != "choice")
    question = page.locator(".jp-OutputArea-output div.nudge-question").nth(at)
    question.scroll_into_view_if_needed()
    field = question.locator("input.nudge-q-input")
    for typed, verdict in (("qq", "malformed"), (configs[at]["typed"], "right")):
        field.fill(typed)
        field.press("Enter")
        expect(question).to_have_attribute("data-verdict", re.compile(f"^{verdict}"), timeout=30_000)
    print(
        f"\nlive slider latency in JupyterLab, key press to new picture: first press {latencies[0]:.0f} ms,"
        f" then median {statistics.median(latencies[1:]):.0f} ms over {len(latencies) - 1}"
    )

    save_notebook(page)
    saved = nbformat.read(lab["root"] / CHAPTER_PATH, as_version=4)
    assert not any(WIDGET_VIEW in o.get("data", {}) for c in saved.cells for o in c.get("outputs", []))
    command(page, "Kernel", "Shut Down Kernel")
    expect(page.locator(".jp-NotebookPanel-toolbar .jp-KernelName")).to_have_text("No Kernel")
    command(page, "File", "Close Tab")
    page.locator(".jp-NotebookPanel").wait_for(state="detached")

    open_notebook(page, lab, CHAPTER_PATH)
    previews = page.locator(".jp-OutputArea-output figure.nudge-explorer")
    page.wait_for_function(
        "n => document.querySelectorAll('.jp-OutputArea-output figure.nudge-explorer').length === n", arg=count
    )
    assert page.locator(".jp-OutputArea-output", has_text="Error displaying widget").count() == 0
    figure = previews.first
    figure.scroll_into_view_if_needed()
    assert figure.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert figure.locator("input[type=range]").count() == 0  # a picture, not sliders that can't move
    assert "run this notebook for live sliders" in figure.locator("figcaption").inner_text()
    # a question saved with the notebook shows its prompt and how to answer it, and nothing of its answer
    question = page.locator(".jp-OutputArea-output div.nudge-question").first
    assert "Run this cell to answer" in question.inner_text()
    assert question.locator("input, button, .nudge-q-answer, .nudge-q-hints").count() == 0
    page.screenshot(path=tmp_path / "reopened.png")
    assert not page.console_errors, page.console_errors
    print(f"live-face test: {time.perf_counter() - started:.0f} s; screenshots in {tmp_path}")


@pytest.mark.browser
def test_a_chapters_link_to_its_exercises_opens_them(lab_page, lab):
    page = lab_page
    open_notebook(page, lab, CHAPTER_PATH)
    link = page.locator(".jp-RenderedMarkdown a", has_text="exercises 1")
    link.scroll_into_view_if_needed()
    link.click()
    expect(page.locator(".lm-TabBar-tab.jp-mod-current")).to_contain_text(EXERCISE.name)
    expect(page.locator(".jp-NotebookPanel:visible .jp-Cell").first).to_be_visible()
    assert not page.console_errors, page.console_errors


@pytest.mark.browser
def test_a_trusted_chapter_never_run_shows_its_previews(lab_page, lab):
    """Trusted, a notebook shows what its outputs carry: the previews, not views of widgets long gone."""
    page = lab_page
    notebook = nbformat.read(lab["root"] / CHAPTER_PATH, as_version=4)
    trusted = lab["root"] / "chapters" / "trusted.ipynb"
    nbformat.write(notebook, trusted)
    # as `jupyter trust` does, in the lab's own Jupyter data folder
    NotebookNotary(data_dir=str(lab["data"])).sign(nbformat.read(trusted, as_version=4))
    open_notebook(page, lab, "chapters/trusted.ipynb")
    assert page.locator(".jp-OutputArea-output", has_text="Error displaying widget").count() == 0
    assert page.locator(".jp-OutputArea-output figure.nudge-explorer img").count() >= 1
    assert "Run this cell to answer" in page.locator(".jp-OutputArea-output div.nudge-question").first.inner_text()


@pytest.mark.browser
def test_blank_exercises_run_all_to_the_end_and_validate_gives_the_reasons(lab_page, lab, tmp_path):
    page, started = lab_page, time.perf_counter()
    graded = [c for c in nbformat.read(EXERCISE, as_version=4).cells if nbgrader_meta(c).get("grade")]
    open_notebook(page, lab, EXERCISE_PATH)
    run_all(page)  # nothing answered: every check cell runs and says what is missing, nothing stops
    # what JupyterLab holds, saved: a notebook's cells far out of view aren't in the page at all
    save_notebook(page)
    saved = lab["root"] / EXERCISE_PATH
    for _ in range(120):
        try:
            cells = [c for c in nbformat.read(saved, as_version=4).cells if c.cell_type == "code"]
        except ValueError:  # read while an autosave writes it: the server empties the file first (atomic_writing)
            cells = []
        if cells and all(c.execution_count for c in cells):
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"{saved} was never saved with every code cell run")
    text = "\n".join(
        "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", "")) for c in cells for o in c.outputs
    )
    assert not [o for c in cells for o in c.outputs if o.get("name") == "stderr"], text
    assert "NameError" not in text and "Traceback" not in text, text
    crosses = [line for line in text.splitlines() if line.startswith("✗ ")]
    assert len(crosses) == sum(visible_checks(c) for c in graded if c.cell_type == "code"), text
    assert all(map(placeholder_sentence, crosses)), crosses
    page.screenshot(path=tmp_path / "run-all.png")

    # nbgrader's Validate button (its JupyterLab extension) saves, validates in a fresh kernel as
    # graders do, and shows every failed check cell with its exception: the ✗ line itself
    page.locator(".jp-NotebookPanel-toolbar .validate-button").get_by_text("Validate", exact=True).click()
    dialog = page.locator(".jp-Dialog #validation-message")
    dialog.wait_for(timeout=120_000)
    page.screenshot(path=tmp_path / "validate.png")
    failed = dialog.locator("pre").all_text_contents()[1::2]  # each failed cell: its source, then its error
    assert "validation-failed" in dialog.get_attribute("class") and len(failed) == len(graded), failed
    for cell, error in zip(graded, failed, strict=True):
        if cell.cell_type == "code":
            assert error.startswith("CheckFailed: ✗ ") and placeholder_sentence(error), error
        else:  # an answer in words, which a person grades
            assert error == "You did not provide a response.", error
    page.locator(".jp-Dialog").get_by_role("button", name="Ok").click()
    assert not page.console_errors, page.console_errors
    seconds = time.perf_counter() - started
    print(f"\nexercises in JupyterLab (run all, validate): {seconds:.0f} s; screenshots in {tmp_path}")


#: a chapter whose questions carry math in their choices, hints, answers and explanations
MATH_CHAPTER = ROOT / "chapters" / "08_jacobians.ipynb"
#: TeX as `nudge.questions` writes it (`\(…\)`), or as an author does (`$…$`)
RAW_TEX = r"\\\(|\\\)|\\\[|\\\]|\$[^$\s][^$]*\$"


def _question_configs(notebook) -> list[dict]:
    """Every question's configuration, from the outputs a notebook was saved with."""
    return [
        json.loads(html.unescape(match))
        for cell in notebook.cells
        for o in cell.get("outputs", [])
        for match in re.findall(r'data-nudge-question="([^"]*)"', "".join(o.get("data", {}).get("text/html", "")))
    ]


@pytest.mark.browser
def test_the_math_of_questions_is_typeset_in_the_lab(lab_page, lab, tmp_path):
    """Run all, a chapter's questions show their formulas typeset by MathJax (the kernel's copy), no TeX source."""
    page = lab_page
    path = MATH_CHAPTER.relative_to(ROOT).as_posix()
    (lab["root"] / path).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(MATH_CHAPTER, lab["root"] / path)
    configs = _question_configs(nbformat.read(MATH_CHAPTER, as_version=4))
    # every formula the question lays out at once (a wrong option's hint shows only when it is chosen)
    shown = [
        text
        for c in configs
        for text in (c["prompt"], *c["hints"], c["answer"], c["explain"], *(o["html"] for o in c.get("options", [])))
    ]
    formulas = sum(text.count("\\(") for text in shown)
    assert formulas >= 10 and any("\\(" in o["html"] for c in configs for o in c.get("options", []))
    open_notebook(page, lab, path)
    # JupyterLab's MathJax is its own (a global with no typesetting of its own): the widgets bring theirs
    assert not page.evaluate("() => Boolean(window.MathJax && window.MathJax.typesetPromise)")
    run_all(page)
    questions = page.locator(".jp-OutputArea-output div.nudge-question:has(form)")
    expect(questions).to_have_count(len(configs), timeout=30_000)
    laid_out = time.perf_counter()
    typeset = page.locator(".jp-OutputArea-output div.nudge-question mjx-container")
    expect(typeset).to_have_count(formulas, timeout=60_000)
    seconds = time.perf_counter() - laid_out  # MathJax (2 MB) from the kernel, then every formula
    at = next(i for i, c in enumerate(configs) if c["kind"] == "choice" and "\\(" in c["prompt"])
    choice = questions.nth(at)
    choice.scroll_into_view_if_needed()
    choice.screenshot(path=tmp_path / "question.png")
    # no formula failed, and nothing of a question or an explorer is left as TeX
    assert page.locator(".jp-OutputArea-output mjx-container [data-mjx-error]").count() == 0
    texts = page.locator(".jp-OutputArea-output :is(div.nudge-question, figure.nudge-explorer)").all_text_contents()
    raw = [text for text in texts if re.search(RAW_TEX, text)]
    assert not raw, raw
    # a reader's screen reader hears each formula (MathJax's hidden MathML); a choice is named in words
    assert choice.locator("mjx-assistive-mml math").count() == choice.locator("mjx-container").count()
    labels = choice.locator("input").evaluate_all("inputs => inputs.map(i => i.getAttribute('aria-label'))")
    assert labels and not any(re.search(r"[\\^{}$]", label) for label in labels), labels
    # the feedback a wrong option gets, written later, is typeset too
    wrong = next(i for i, o in enumerate(configs[at]["options"]) if not o["right"])
    choice.locator("input").nth(wrong).check()
    choice.locator("button.nudge-q-check").click()
    expect(choice.locator(".nudge-q-feedback mjx-container").first).to_be_visible(timeout=30_000)
    assert not re.search(RAW_TEX, choice.locator(".nudge-q-feedback").text_content())
    choice.screenshot(path=tmp_path / "feedback.png")
    # JupyterLab's own math still renders: a Markdown cell written now, with the widgets' MathJax on the page
    choice.click(position={"x": 5, "y": 5})
    page.keyboard.press("Escape")
    for key in ("b", "m", "Enter"):
        page.keyboard.press(key)
    page.keyboard.type("Freshly written: $\\alpha^2$")
    page.keyboard.press("Shift+Enter")
    written = page.locator(".jp-MarkdownCell .jp-RenderedMarkdown", has_text="Freshly written")
    expect(written.locator("mjx-container")).to_have_count(1)
    assert "\\alpha" not in written.text_content()
    assert not page.console_errors, page.console_errors
    print(
        f"\n{formulas} formulas of {len(configs)} questions typeset {seconds:.1f} s after the questions showed;"
        f" pictures in {tmp_path}"
    )


# --- a notebook opens unmodified (#30, item 5) -------------------------------------------


def another_python() -> tuple[str, str] | None:
    """Another interpreter of this Python's minor version than the venv's (Debian's, say), and its version.

    Of the same minor version, it runs the venv's own ipykernel (on its PYTHONPATH): a second
    Python at no cost of an install, which reports its own version as the kernel's language."""
    ours = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in dict.fromkeys(filter(None, (shutil.which(ours), f"/usr/bin/{ours}", "/usr/bin/python3"))):
        done = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version_info[:2], sys.version.split()[0])"],
            capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode == 0:
            minor, version = done.stdout.rsplit(" ", 1)
            if minor == str(sys.version_info[:2]) and version.strip() != sys.version.split()[0]:
                return candidate, version.strip()
    return None


def open_until_its_kernel_has_answered(page, lab, name):
    """Open a notebook and wait until JupyterLab has the kernel's `kernel_info` reply."""
    replies = kernel_info_replies(page)
    open_notebook(page, lab, name)
    wait_for_kernel_info(page, replies, name)


@pytest.mark.browser
def test_a_chapter_and_an_exercise_open_unmodified(lab_page, lab):
    """The lab's Python is not the one the committed chapters name, nor do exercises name one."""
    page = lab_page
    for name in (CHAPTER_PATH, EXERCISE_PATH):
        open_until_its_kernel_has_answered(page, lab, name)
        assert_opened_unmodified(page, name)
    assert not page.console_errors, page.console_errors


@pytest.mark.browser
def test_notebooks_open_unmodified_on_another_python(lab_page, lab):
    """A kernel on another Python reports another version: a notebook for it opens clean too."""
    found = another_python()
    if found is None:
        pytest.skip(f"no other Python {sys.version_info.major}.{sys.version_info.minor} on this machine")
    python, version = found
    name = "another-python"
    spec = lab["data"] / "kernels" / name
    spec.mkdir(parents=True, exist_ok=True)
    display_name = f"Python {version}"
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": display_name,
                "language": "python",
                "env": {"PYTHONPATH": os.pathsep.join(sys.path[1:])},  # the venv's ipykernel
            }
        )
    )
    for source in (CHAPTER, EXERCISE):
        notebook = nbformat.read(source, as_version=4)
        # as JupyterLab writes a kernel's spec (test_kernelspec_is_what_jupyterlab_writes)
        notebook.metadata.kernelspec = {"name": name, "display_name": display_name, "language": "python"}
        copy = f"{Path(source.relative_to(ROOT)).parent.as_posix()}/on_{name.replace('-', '_')}.ipynb"
        nbformat.write(notebook, lab["root"] / copy)
        open_until_its_kernel_has_answered(page := lab_page, lab, copy)
        expect(page.locator("#jp-main-statusbar")).to_contain_text(display_name)
        assert_opened_unmodified(page, copy)
    assert not lab_page.console_errors, lab_page.console_errors


# --- MyST in JupyterLab, and links between pages (#30, item 7) ----------------------------------

#: roles that point at a label or a page: JupyterLab shows them as text
CROSS_REFERENCE_ROLES = {"ref", "numref", "doc", "eq"}
CHAPTERS = sorted(ROOT.glob("chapters/*.ipynb"))
#: a Markdown cell's rendered text
RENDERED_MARKDOWN = ".jp-MarkdownOutput"


def markdown_tokens(notebook: nbformat.NotebookNode, inline: bool = True):
    """The tokens of the notebook's Markdown cells as the book's MyST parser reads them (`inline`: theirs too)."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    parser = create_md_parser(MdParserConfig(), RendererHTML)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for token in parser.parse(cell.source):
                yield token
                if inline:
                    yield from token.children or []


def heading_anchors(notebook: nbformat.NotebookNode) -> set[str]:
    """The anchors the book gives the notebook's headings (`myst_heading_anchors: 2` in _config.yml)."""
    from myst_parser.mdit_to_docutils.base import default_slugify

    anchors = set()
    for opening, heading in itertools.pairwise(markdown_tokens(notebook, inline=False)):
        if opening.type == "heading_open" and opening.tag in ("h1", "h2"):
            # the words of the heading, as MyST-Parser slugs them (its compute_unique_slug)
            title = "".join(c.content for c in heading.children or [] if c.type in ("text", "code_inline"))
            anchors.add(default_slugify(title))
    return anchors


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_references_work_in_jupyterlab_and_the_book(path):
    """No MyST label line and no cross-reference role, which JupyterLab shows as text; a link to another
    page names a notebook there is, and one of its headings."""
    notebook = nbformat.read(path, as_version=4)
    tokens = list(markdown_tokens(notebook))
    labels = [f"({t.content})=" for t in tokens if t.type == "myst_target"]
    assert not labels, f"MyST label lines, which JupyterLab shows as text: {labels}; link to a heading instead"
    for role in (t for t in tokens if t.type == "myst_role" and t.meta.get("name") in CROSS_REFERENCE_ROLES):
        raise AssertionError(
            f"{{{role.meta['name']}}}`{role.content}`: JupyterLab shows a role as text; link to the page"
            " instead (CONTRIBUTING.md, 'A chapter')"
        )
    for link in (t for t in tokens if t.type == "link_open"):
        href = urllib.parse.unquote(link.attrs["href"])
        page, _, anchor = href.partition("#")
        if not page.endswith(".ipynb") or "://" in page:
            continue
        target = (path.parent / page).resolve()
        assert target.is_file(), f"{href}: no such notebook"
        if anchor:
            anchors = heading_anchors(nbformat.read(target, as_version=4))
            assert anchor in anchors, f"{href}: no heading of {page} has that anchor; it has {sorted(anchors)}"


def visible_markdown(page) -> str:
    """The text of every Markdown cell of the open notebook as JupyterLab shows it, scrolling through it.

    JupyterLab renders a Markdown cell when it comes into view (and may draw only the cells in view)."""
    scroller = page.locator(".jp-NotebookPanel:visible .jp-WindowedPanel-outer")
    seen: dict[str, str] = {}
    while True:
        page.wait_for_function(  # the Markdown cells in view are rendered
            "() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell')]"
            ".filter(cell => { const r = cell.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })"
            f".every(cell => cell.querySelector('{RENDERED_MARKDOWN}')?.textContent.trim())"
        )
        # every drawn cell's text in one call (a call per cell made this the slowest test in the file)
        drawn = page.evaluate(
            "() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell')]"
            ".map(cell => [cell.dataset.windowedListIndex,"
            f" cell.querySelector('{RENDERED_MARKDOWN}')?.innerText || ''])"
        )
        for index, text in drawn:
            seen[index] = max(seen.get(index, ""), text, key=len)
        if scroller.evaluate("el => el.scrollTop + el.clientHeight >= el.scrollHeight - 1"):
            return "\n".join(seen[index] for index in sorted(seen, key=int))
        scroller.evaluate("el => el.scrollBy(0, el.clientHeight * 0.8)")


def copy_chapters(lab):
    """The lab serves chapter 1 and its exercises: the other chapters too, for links between them."""
    for chapter in CHAPTERS:
        if not (lab["root"] / chapter.relative_to(ROOT)).exists():
            shutil.copy(chapter, lab["root"] / chapter.relative_to(ROOT))


@pytest.mark.browser
def test_chapters_show_no_cross_reference_as_markup(lab_page, lab):
    """A reference to another page is a link JupyterLab follows, not a MyST role it shows as text."""
    page = lab_page
    copy_chapters(lab)
    for chapter in (CHAPTER, ROOT / "chapters" / "07_gradient_descent.ipynb"):
        name = chapter.relative_to(ROOT).as_posix()
        open_notebook(page, lab, name)
        text = visible_markdown(page)
        assert "## Summary" not in text and "Summary" in text, text[-500:]  # rendered, to the last cell
        shown = re.findall(r"\{(?:ref|numref|doc|eq)\}\S*", text)  # JupyterLab renders the target as code
        assert not shown, f"{name}: roles shown as text: {shown}"
        labels = re.findall(r"^\([\w.:-]+\)=$", text, re.M)
        assert not labels, f"{name}: MyST label lines shown as text: {labels}"
    assert not page.console_errors, page.console_errors


@pytest.mark.browser
def test_a_link_between_chapters_opens_the_other_chapter(lab_page, lab):
    page = lab_page
    copy_chapters(lab)
    open_notebook(page, lab, "chapters/07_gradient_descent.ipynb")
    for text, opened in (("Chapter 5", "05_chain_rule.ipynb"), ("chapter 1", "01_intuition.ipynb")):
        page.locator(".jp-NotebookPanel:visible .jp-WindowedPanel-outer").evaluate("el => el.scrollTo(0, 0)")
        link = page.locator(".jp-NotebookPanel:visible .jp-MarkdownCell a", has_text=re.compile(f"^{text}$"))
        scroller = page.locator(".jp-NotebookPanel:visible .jp-WindowedPanel-outer")
        while link.count() == 0:  # drawn as the reader scrolls to it
            if scroller.evaluate("el => el.scrollTop + el.clientHeight >= el.scrollHeight - 1"):
                expect(link.first).to_be_attached()  # at the end: the last cells may still be rendering
                break
            scroller.evaluate("el => el.scrollBy(0, el.clientHeight * 0.8)")
            # the cells scrolled into view are drawn in the next animation frames
            page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        link.first.scroll_into_view_if_needed()
        link.first.click()
        expect(page.locator(".lm-TabBar-tab.jp-mod-current")).to_contain_text(opened)
        expect(page.locator(".jp-NotebookPanel:visible .jp-Cell").first).to_be_visible()
        page.locator(".lm-TabBar-tab", has_text="07_gradient_descent.ipynb").click()
    assert not page.console_errors, page.console_errors
